/**
 * Per-address limits (src/rate-limit.ts) on the deletion status page and the portal sign-in: a client
 * cannot slip past them by writing its own X-Forwarded-For unless TRUST_PROXY says a proxy writes it, and
 * every process of the bot counts in one place (MongoDB), so a second instance does not grant a second quota.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot.js';
import type { RunningBot } from '../../src/bot.js';
import { createLogger } from '../../src/log.js';
import { MongoRateLimitStore } from '../../src/rate-limit.js';
import type { Options } from 'express-rate-limit';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';

/** The status page allows 30 calls a minute per address (with the callback); the sign-in 5 failures. */
const STATUS_LIMIT = 30;
const SIGN_IN_FAILURES = 5;

let counter = 0;
/** A documentation-range address no other call in this file uses (fewer than 250 calls here). */
const freshAddress = () => {
  counter += 1;
  return `203.0.113.${counter}`;
};

const statusPage = (url: string, forwardedFor?: string) =>
  fetch(`${url}/data-deletion/status/${Buffer.alloc(32, counter).toString('base64url')}`, {
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });

/** A sign-in post without the form's CSRF cookie: refused with 403, which counts as a failure. */
const badSignIn = (url: string, forwardedFor?: string) =>
  fetch(`${url}/portal/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: 'token=wrong&_csrf=x',
  });

async function statuses(calls: number, call: () => Promise<Response>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const res = await call();
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
}

describe('per-address limits without a trusted proxy (TRUST_PROXY unset)', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('rate-limits-direct');
  });
  afterAll(async () => {
    await t.close();
  });

  it('when every status page call names another X-Forwarded-For address, then the limit still answers 429', async () => {
    const got = await statuses(STATUS_LIMIT + 2, () => statusPage(t.bot.url, freshAddress()));
    expect(got.slice(0, STATUS_LIMIT).every((s) => s === 200)).toBe(true);
    expect(got.slice(STATUS_LIMIT)).toEqual([429, 429]);
  });

  it('when failed sign-ins rotate X-Forwarded-For, then the sixth try is refused with 429 and Retry-After', async () => {
    const got = await statuses(SIGN_IN_FAILURES, () => badSignIn(t.bot.url, freshAddress()));
    expect(got).toEqual(Array.from({ length: SIGN_IN_FAILURES }, () => 403));
    const limited = await badSignIn(t.bot.url, freshAddress());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Too many failed sign-ins');
  });

  it('when the counts are stored, then they hold a keyed hash, never the client address', async () => {
    const docs = await t.bot.models.RateLimit.find({}).lean().exec();
    expect(docs.length).toBeGreaterThan(0);
    const stored = JSON.stringify(docs);
    expect(stored).not.toContain('127.0.0.1');
    expect(stored).not.toContain('203.0.113');
    for (const doc of docs) expect(doc._id).toMatch(/^(privacy|portal-sign-in):[A-Za-z0-9_-]{43}$/);
  });
});

describe('per-address limits behind one trusted proxy (TRUST_PROXY=1)', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('rate-limits-proxy', { env: { TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('when one forwarded address uses up its quota, then it is limited and another forwarded address is not', async () => {
    const first = freshAddress();
    const got = await statuses(STATUS_LIMIT + 1, () => statusPage(t.bot.url, first));
    expect(got.at(-1)).toBe(429);
    expect(got.slice(0, STATUS_LIMIT).every((s) => s === 200)).toBe(true);
    const other = await statusPage(t.bot.url, freshAddress());
    expect(other.status).toBe(200);
    // The proxy appends the address it saw: the client's own entries to the left do not count.
    const spoofed = await statusPage(t.bot.url, `${freshAddress()}, ${first}`);
    expect(spoofed.status).toBe(429);
  });
});

describe('per-address limits across two instances on one database', () => {
  let t: TestBot;
  let second: RunningBot;
  beforeAll(async () => {
    t = await startTestBot('rate-limits-shared');
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    second = await startBot(t.config, createLogger({ level: 'silent' }, quiet), { dbName: t.db.dbName });
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  it('when calls alternate between the two instances, then they share one count', async () => {
    let i = 0;
    const got = await statuses(STATUS_LIMIT + 2, () => statusPage(i++ % 2 === 0 ? t.bot.url : second.url));
    expect(got.slice(0, STATUS_LIMIT).every((s) => s === 200)).toBe(true);
    expect(got.slice(STATUS_LIMIT)).toEqual([429, 429]);
  });

  it('when failed sign-ins are split between the instances, then the sixth is refused on either', async () => {
    await statuses(3, () => badSignIn(t.bot.url));
    await statuses(2, () => badSignIn(second.url));
    expect((await badSignIn(second.url)).status).toBe(429);
    expect((await badSignIn(t.bot.url)).status).toBe(429);
  });
});

describe('MongoRateLimitStore', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('rate-limit-store');
  });
  afterAll(async () => {
    await t.close();
  });

  const store = (now: () => number) => {
    const s = new MongoRateLimitStore({ RateLimit: t.bot.models.RateLimit, now }, 'unit');
    s.init({ windowMs: 60_000 } as Options);
    return s;
  };

  it('when two stores increment one key concurrently, then no hit is lost', async () => {
    const a = store(Date.now);
    const b = store(Date.now);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).increment('concurrent')),
    );
    expect(results.map((r) => r.totalHits).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect((await a.get('concurrent'))?.totalHits).toBe(20);
  });

  it('when the window ends, then the count starts again at 1 with a new reset time', async () => {
    let clock = Date.now();
    const s = store(() => clock);
    await s.increment('window');
    const second = await s.increment('window');
    expect(second.totalHits).toBe(2);
    clock += 60_000;
    expect(await s.get('window')).toBeUndefined();
    const fresh = await s.increment('window');
    expect(fresh.totalHits).toBe(1);
    expect(fresh.resetTime?.getTime()).toBe(clock + 60_000);
  });

  it('when a hit is decremented or the key reset, then the count follows', async () => {
    const s = store(Date.now);
    await s.increment('down');
    await s.increment('down');
    await s.decrement('down');
    expect((await s.get('down'))?.totalHits).toBe(1);
    await s.resetKey('down');
    expect(await s.get('down')).toBeUndefined();
  });
});
