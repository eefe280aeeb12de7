/**
 * The webhook end to end through real HTTP: the verification handshake, the signature over the exact
 * bytes, duplicate deliveries and messages for a number that is not a configured business. The whole bot
 * runs (test/helpers/bot.ts) against the embedded database (or MONGODB_URI) and a loopback Graph stub.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { signBody } from '../../src/webhook/signature.js';
import { startTestBot, TEST_APP_SECRET, TEST_VERIFY_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import {
  combine,
  configureBusiness,
  grew,
  logsSince,
  metrics,
  sendBody,
  sendSentinel,
  sendsFor,
} from '../helpers/webhook.js';

let t: TestBot;
/** A configured business for the tests that need one; each test still uses its own wamids and customers. */
const PNID = newPhoneNumberId();

beforeAll(async () => {
  t = await startTestBot('webhook-routes');
  await configureBusiness(t, PNID, 'Casa Rutas');
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

/** The hex digest the bot would accept for these bytes: what a 401 must never reveal. */
function expectedHex(bytes: string | Buffer): string {
  return signBody(bytes, TEST_APP_SECRET).slice('sha256='.length);
}

async function storedWith(wamid: string): Promise<number> {
  return t.bot.models.Inbox.countDocuments({ _id: wamid }).exec();
}

describe('GET /webhook (verification handshake)', () => {
  function verify(params: Record<string, string>): Promise<Response> {
    return fetch(`${t.bot.url}/webhook?${new URLSearchParams(params).toString()}`);
  }

  it('when mode and token are right, then 200 with exactly the challenge as text/plain, no signature needed', async () => {
    const challenge = `ch-${newWamid().slice(-12)}`;
    const logIndex = t.logs.length;

    const res = await verify({
      'hub.mode': 'subscribe',
      'hub.verify_token': TEST_VERIFY_TOKEN,
      'hub.challenge': challenge,
    });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain\b/);
    expect(await res.text()).toBe(challenge);
    // The query string (with the verify token) never reaches a log line.
    expect(t.logs.slice(logIndex).join('\n')).not.toContain(TEST_VERIFY_TOKEN);
  });

  it.each([
    ['the token is wrong', { 'hub.mode': 'subscribe', 'hub.verify_token': 'not-the-token' }],
    ['the mode is not subscribe', { 'hub.mode': 'unsubscribe', 'hub.verify_token': TEST_VERIFY_TOKEN }],
    ['the token is missing', { 'hub.mode': 'subscribe' }],
  ])('when %s, then 403 without the challenge', async (_case, params) => {
    const challenge = `ch-${newWamid().slice(-12)}`;

    const res = await verify({ ...params, 'hub.challenge': challenge });

    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain(challenge);
  });

  it('when the challenge is missing, then 403', async () => {
    const res = await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': TEST_VERIFY_TOKEN });

    expect(res.status).toBe(403);
  });
});

describe('POST /webhook signature', () => {
  it('when the body is unsigned, then 401, nothing is stored and nothing is sent', async () => {
    const wamid = newWamid();
    const body = inboundText({ phoneNumberId: PNID, waId: newWaId(), wamid }, 'unsigned');
    const inboxBefore = await t.bot.models.Inbox.countDocuments().exec();
    const before = await metrics(t);

    const res = await t.postWebhook(body, { signature: null });

    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('WEBHOOK_BAD_SIGNATURE');
    const sentinelTo = await sendSentinel(t, PNID);
    expect(await storedWith(wamid)).toBe(0);
    // The sentinel is the only thing stored and the only reply sent.
    expect(await t.bot.models.Inbox.countDocuments().exec()).toBe(inboxBefore + 1);
    expect(sendsFor(t, PNID).map((r) => sendBody(r).to)).toEqual([sentinelTo]);
    expect(grew(before, await metrics(t), 'webhook.signature.missing')).toBe(1);
  });

  it.each([
    [
      'signed with another secret',
      (bytes: Buffer) => signBody(bytes, 'another_app_secret_0123456789'),
      'mismatch',
    ],
    [
      'signed over other bytes',
      (bytes: Buffer) => signBody(Buffer.concat([bytes, Buffer.from(' ')]), TEST_APP_SECRET),
      'mismatch',
    ],
    ['signed in uppercase hex', (bytes: Buffer) => `sha256=${expectedHex(bytes).toUpperCase()}`, 'malformed'],
    ['signed with a sha1= prefix', (bytes: Buffer) => `sha1=${expectedHex(bytes)}`, 'malformed'],
    [
      'carrying a truncated digest',
      (bytes: Buffer) => `sha256=${expectedHex(bytes).slice(0, 40)}`,
      'malformed',
    ],
  ])(
    'when the body is %s, then 401, nothing stored, and the expected signature is in neither the answer nor the logs',
    async (_case, sign, reason) => {
      const wamid = newWamid();
      const bytes = Buffer.from(
        JSON.stringify(inboundText({ phoneNumberId: PNID, waId: newWaId(), wamid }, 'forged')),
      );
      const logIndex = t.logs.length;
      const before = await metrics(t);

      const res = await t.postWebhook(bytes, { signature: sign(bytes) });

      expect(res.status).toBe(401);
      const answer = await res.text();
      expect(answer).toContain('WEBHOOK_BAD_SIGNATURE');
      expect(answer).not.toContain(expectedHex(bytes));
      expect(t.logs.slice(logIndex).join('\n')).not.toContain(expectedHex(bytes));
      expect(await storedWith(wamid)).toBe(0);
      expect(sendsFor(t, PNID)).toHaveLength(0);
      expect(grew(before, await metrics(t), `webhook.signature.${reason}`)).toBe(1);
    },
  );

  /**
   * Meta writes non-ASCII text as `\u00e9` escapes and `/` as `\/` in the raw JSON; JSON.parse drops both,
   * so only a signature over the exact bytes received holds.
   */
  function metaStyleBody(wamid: string): string {
    const json = JSON.stringify(
      inboundText({ phoneNumberId: PNID, waId: newWaId(), wamid, name: '@@NAME@@' }, '@@TEXT@@'),
    );
    return json
      .replace('"@@NAME@@"', '"Jos\\u00e9 Mu\\u00f1oz"')
      .replace('"@@TEXT@@"', '"Ol\\u00e1, caf\\u00e9 \\/ men\\u00fa"');
  }

  it('when a body with \\u00e9 and \\/ escapes is signed over its exact bytes, then 200 and it is answered', async () => {
    const wamid = newWamid();
    const raw = metaStyleBody(wamid);
    expect(raw).toContain('caf\\u00e9 \\/ men\\u00fa');
    expect(Buffer.from(raw).every((byte) => byte < 0x80)).toBe(true);

    const res = await t.postWebhook(raw, { signature: signBody(raw, TEST_APP_SECRET) });

    expect(res.status).toBe(200);
    await t.settled();
    const entry = await t.bot.models.Inbox.findById(wamid).lean().exec();
    expect(entry?.status).toBe('done');
    expect(sendsFor(t, PNID)).toHaveLength(1);
  });

  it('when that body is re-serialised but sent with the original signature, then 401 and nothing stored', async () => {
    const wamid = newWamid();
    const raw = metaStyleBody(wamid);
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(reserialised).toContain('café / menú');
    const logIndex = t.logs.length;

    const res = await t.postWebhook(reserialised, { signature: signBody(raw, TEST_APP_SECRET) });

    expect(res.status).toBe(401);
    const answer = await res.text();
    for (const hex of [expectedHex(raw), expectedHex(reserialised)]) {
      expect(answer).not.toContain(hex);
      expect(t.logs.slice(logIndex).join('\n')).not.toContain(hex);
    }
    expect(await storedWith(wamid)).toBe(0);
    expect(sendsFor(t, PNID)).toHaveLength(0);
  });

  it('when raw UTF-8 arrives signed over its \\uXXXX-escaped form, then 200 and the escaped path is counted', async () => {
    const wamid = newWamid();
    const raw = JSON.stringify(
      inboundText({ phoneNumberId: PNID, waId: newWaId(), wamid, name: 'José' }, 'Olá, café'),
    );
    const escaped = raw.replace(
      /[\u007f-\uffff]/g,
      (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(escaped).not.toBe(raw);
    const before = await metrics(t);

    const res = await t.postWebhook(raw, { signature: signBody(escaped, TEST_APP_SECRET) });

    expect(res.status).toBe(200);
    await t.settled();
    expect(await storedWith(wamid)).toBe(1);
    expect(grew(before, await metrics(t), 'webhook.signature.escaped')).toBe(1);
  });
});

describe('POST /webhook duplicates', () => {
  it('when the same signed body arrives three times at once and again later, then one inbox entry and one reply', async () => {
    const wamid = newWamid();
    const waId = newWaId();
    const bytes = Buffer.from(
      JSON.stringify(inboundText({ phoneNumberId: PNID, waId, wamid }, 'hello, is anyone there?')),
    );
    const before = await metrics(t);

    const first = await Promise.all([t.postWebhook(bytes), t.postWebhook(bytes), t.postWebhook(bytes)]);
    await t.settled();
    const later = await t.postWebhook(bytes);
    await t.settled();

    expect(first.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(later.status).toBe(200);
    expect(await storedWith(wamid)).toBe(1);
    expect(await t.bot.models.Outbox.countDocuments({ inboundWamid: wamid }).exec()).toBe(1);
    const sends = sendsFor(t, PNID);
    expect(sends).toHaveLength(1);
    expect(sendBody(sends[0]!).to).toBe(`+${waId}`);
    const after = await metrics(t);
    expect(grew(before, after, 'webhook.messages.accepted')).toBe(1);
    expect(grew(before, after, 'webhook.messages.duplicate')).toBe(3);
  });

  it('when a batch repeats one stored message next to a new one, then only the new one is stored and answered', async () => {
    const old = { phoneNumberId: PNID, waId: newWaId(), wamid: newWamid() };
    const fresh = { phoneNumberId: PNID, waId: newWaId(), wamid: newWamid() };
    expect((await t.postWebhook(inboundText(old, 'first'))).status).toBe(200);
    await t.settled();
    t.graph.reset();
    const before = await metrics(t);

    const res = await t.postWebhook(combine(inboundText(old, 'first'), inboundText(fresh, 'second')));

    expect(res.status).toBe(200);
    await t.settled();
    expect(await t.bot.models.Inbox.countDocuments({ _id: { $in: [old.wamid, fresh.wamid] } }).exec()).toBe(
      2,
    );
    expect(sendsFor(t, PNID).map((r) => sendBody(r).to)).toEqual([`+${fresh.waId}`]);
    const after = await metrics(t);
    expect(grew(before, after, 'webhook.messages.accepted')).toBe(1);
    expect(grew(before, after, 'webhook.messages.duplicate')).toBe(1);
  });
});

describe('POST /webhook for an unknown business', () => {
  it('when the phone number id is not configured, then 200, nothing stored or sent, and the log line names no customer', async () => {
    const unknown = newPhoneNumberId();
    const waId = newWaId();
    const name = 'Zebulon Quartermaine';
    const text = 'deliver to 221B Baker Street please';
    const logIndex = t.logs.length;
    const before = await metrics(t);

    const res = await t.postWebhook(inboundText({ phoneNumberId: unknown, waId, name }, text));

    expect(res.status).toBe(200);
    const sentinelTo = await sendSentinel(t, PNID);
    expect(await t.bot.models.Inbox.countDocuments({ phoneNumberId: unknown }).exec()).toBe(0);
    expect(sendsFor(t, unknown)).toHaveLength(0);
    expect(t.graph.requests.map((r) => sendBody(r).to)).toEqual([sentinelTo]);
    const line = await vi.waitFor(() => {
      const found = logsSince(t, logIndex).find(
        (l) => typeof l.msg === 'string' && l.msg.includes('not a configured business'),
      );
      if (!found) throw new Error('no log line about the unknown business yet');
      return found;
    });
    expect(line.phoneNumberIds).toEqual([unknown]);
    const written = t.logs.slice(logIndex).join('\n');
    for (const secret of [waId, name, 'Zebulon', text, 'Baker']) expect(written).not.toContain(secret);
    expect(grew(before, await metrics(t), 'webhook.messages.unknown_business')).toBe(1);
  });

  it('when one body carries messages for a configured and an unknown number, then only the configured one is handled', async () => {
    const unknown = newPhoneNumberId();
    const known = { phoneNumberId: PNID, waId: newWaId(), wamid: newWamid() };
    const stranger = { phoneNumberId: unknown, waId: newWaId(), wamid: newWamid() };
    const logIndex = t.logs.length;

    const res = await t.postWebhook(combine(inboundText(known, 'hola'), inboundText(stranger, 'hello')));

    expect(res.status).toBe(200);
    await t.settled();
    expect(await t.bot.models.Inbox.countDocuments({ _id: known.wamid }).exec()).toBe(1);
    expect(await t.bot.models.Inbox.countDocuments({ _id: stranger.wamid }).exec()).toBe(0);
    expect(t.graph.requests.map((r) => sendBody(r).to)).toEqual([`+${known.waId}`]);
    const line = logsSince(t, logIndex).find(
      (l) => typeof l.msg === 'string' && l.msg.includes('not a configured business'),
    );
    // The line names the number that is not configured, not every number in the body.
    expect(line?.phoneNumberIds).toEqual([unknown]);
    expect(line?.count).toBe(1);
  });
});
