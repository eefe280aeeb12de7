/**
 * Business API keys and the admin API's authentication, end to end over real HTTP: the operator makes a
 * key (shown once, only its hash stored), the key reaches every route of its own business and none of
 * another's (403), operator-only routes stay the operator's, and a missing, wrong or revoked credential is
 * a 401 everywhere. Neither the keys nor the admin token reach the logs.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTIVE_KEYS } from '../../src/admin/keys.js';
import { REVOKED_KEY_RETENTION_DAYS } from '../../src/db/models/api-key.model.js';
import { DATA_MAP } from '../../src/privacy/data-map.js';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { sampleOrder } from '../helpers/orders.js';
import { newPhoneNumberId } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ field: string; message: string }> };
}

interface KeyView {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

interface CreatedKey extends KeyView {
  key: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

let t: TestBot;
/** Every key secret this file made: none of them may appear in a log line. */
const secrets: string[] = [];

beforeAll(async () => {
  t = await startTestBot('admin-keys');
});
afterAll(async () => {
  await t.close();
});

async function errorOf(res: Response): Promise<ErrorBody['error']> {
  return ((await res.json()) as ErrorBody).error;
}

async function business(): Promise<string> {
  const id = newPhoneNumberId();
  await configureBusiness(t, id);
  return id;
}

/** A new key for the business, made by the operator. */
async function newKey(pnid: string, label = 'till'): Promise<CreatedKey> {
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label });
  expect(res.status).toBe(201);
  const created = (await res.json()) as CreatedKey;
  secrets.push(created.key);
  return created;
}

/** Every route under /admin/businesses/:id, with a body where it needs one. */
function businessRoutes(pnid: string, keyId = '0123456789abcdef') {
  const base = `/admin/businesses/${pnid}`;
  return [
    { method: 'GET', path: base },
    { method: 'PATCH', path: base, body: { aiReplies: true } },
    { method: 'PUT', path: base, body: { name: 'Taken over', currency: 'EUR' } },
    { method: 'POST', path: `${base}/conversations/34600111222/resume` },
    { method: 'GET', path: `${base}/orders` },
    { method: 'PATCH', path: `${base}/orders/1001`, body: { status: 'confirmed' } },
    { method: 'GET', path: `${base}/privacy-requests` },
    { method: 'POST', path: `${base}/privacy-requests`, body: { type: 'opt-out', customer: '+34600111222' } },
    { method: 'GET', path: `${base}/settings-changes` },
    { method: 'GET', path: `${base}/keys` },
    { method: 'POST', path: `${base}/keys`, body: { label: 'mine now' } },
    { method: 'DELETE', path: `${base}/keys/${keyId}` },
  ];
}

describe('POST /admin/businesses/:id/keys', () => {
  it('when the operator makes a key, then it is shown once in full, and only the hash of its secret is stored', async () => {
    const pnid = await business();
    const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: '  Till 1 ' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const created = (await res.json()) as CreatedKey;
    secrets.push(created.key);
    expect(created.label).toBe('Till 1');
    // pk_<16 hex id>_<43 base64url characters: 256 random bits>
    const match = /^pk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(created.key);
    expect(match?.[1]).toBe(created.id);
    const secret = match?.[2] ?? '';

    const stored = await t.bot.models.ApiKey.findById(created.id).lean().exec();
    expect(stored?.phoneNumberId).toBe(pnid);
    expect(stored?.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    const everything = JSON.stringify(await t.bot.models.ApiKey.find({}).lean().exec());
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(created.key);

    // Listed without the secret, by the operator and by the key itself.
    for (const token of [TEST_ADMIN_TOKEN, created.key]) {
      const list = await t.admin('GET', `/admin/businesses/${pnid}/keys`, undefined, token);
      expect(list.status).toBe(200);
      const text = await list.text();
      expect(text).not.toContain(secret);
      expect(text).not.toContain(stored?.secretHash);
      const { keys } = JSON.parse(text) as { keys: KeyView[] };
      expect(keys.map((k) => [k.id, k.label])).toEqual([[created.id, 'Till 1']]);
    }
  });

  it('when two keys are made, then they differ entirely', async () => {
    const pnid = await business();
    const a = await newKey(pnid);
    const b = await newKey(pnid);
    expect(a.id).not.toBe(b.id);
    expect(a.key.slice(20)).not.toBe(b.key.slice(20));
  });

  it('when the label is missing or the body has another field, then 400 names the field', async () => {
    const pnid = await business();
    const missing = await t.admin('POST', `/admin/businesses/${pnid}/keys`, {});
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).fields?.map((f) => f.field)).toEqual(['label']);
    const extra = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'x', scope: 'all' });
    expect(extra.status).toBe(400);
    expect((await errorOf(extra)).fields?.map((f) => f.field)).toEqual(['scope']);
    expect(await t.bot.models.ApiKey.countDocuments({ phoneNumberId: pnid }).exec()).toBe(0);
  });

  it('when the business does not exist, then 404 and no key', async () => {
    const pnid = newPhoneNumberId();
    const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'x' });
    expect(res.status).toBe(404);
    expect(await t.bot.models.ApiKey.countDocuments({ phoneNumberId: pnid }).exec()).toBe(0);
  });

  it(`when a business has ${MAX_ACTIVE_KEYS} active keys, then another is refused with 409 until one is revoked`, async () => {
    const pnid = await business();
    const keys: CreatedKey[] = [];
    for (let i = 0; i < MAX_ACTIVE_KEYS; i += 1) keys.push(await newKey(pnid, `k${i}`));
    const refused = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'one more' });
    expect(refused.status).toBe(409);
    expect((await t.admin('DELETE', `/admin/businesses/${pnid}/keys/${keys[0]?.id}`)).status).toBe(200);
    await newKey(pnid, 'one more');
  });
});

describe('a business key', () => {
  it('when it calls the routes of its own business, then it is let in', async () => {
    const pnid = await business();
    const { key } = await newKey(pnid);
    const base = `/admin/businesses/${pnid}`;
    expect((await t.admin('GET', base, undefined, key)).status).toBe(200);
    expect((await t.admin('PATCH', base, { name: 'Renamed by key' }, key)).status).toBe(200);
    expect((await t.admin('GET', `${base}/orders`, undefined, key)).status).toBe(200);
    expect((await t.admin('GET', `${base}/privacy-requests`, undefined, key)).status).toBe(200);
    expect((await t.admin('GET', `${base}/settings-changes`, undefined, key)).status).toBe(200);
    expect((await t.admin('GET', `${base}/keys`, undefined, key)).status).toBe(200);
    // No such conversation: past the authentication, the route itself answers.
    expect((await t.admin('POST', `${base}/conversations/34600111222/resume`, undefined, key)).status).toBe(
      404,
    );
    const order = await t.bot.orders.placeOrder(sampleOrder(pnid, 'ref-key-test'));
    const patched = await t.admin(
      'PATCH',
      `${base}/orders/${order.orderNumber}`,
      { status: 'confirmed' },
      key,
    );
    expect(patched.status).toBe(200);
  });

  it('when it calls any route of another business, then 403 FORBIDDEN, and nothing changes there', async () => {
    const mine = await business();
    const theirs = await business();
    const { key } = await newKey(mine);
    const theirKey = await newKey(theirs, 'theirs');
    const order = await t.bot.orders.placeOrder(sampleOrder(theirs, 'ref-other'));
    const before = await t.bot.models.Business.findOne({ phoneNumberId: theirs }).lean().exec();

    for (const route of businessRoutes(theirs, theirKey.id)) {
      const res = await t.admin(route.method, route.path, route.body, key);
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
      expect((await errorOf(res)).code).toBe('FORBIDDEN');
    }
    const after = await t.bot.models.Business.findOne({ phoneNumberId: theirs }).lean().exec();
    expect(after).toEqual(before);
    expect((await t.bot.orders.findOrder(theirs, order.orderNumber))?.status).toBe('placed');
    expect(await t.bot.models.PrivacyRequest.countDocuments({ phoneNumberId: theirs }).exec()).toBe(0);
    expect(await t.bot.models.ApiKey.countDocuments({ phoneNumberId: theirs, revokedAt: null }).exec()).toBe(
      1,
    );
    expect(await t.bot.models.SettingsChange.countDocuments({ phoneNumberId: theirs }).exec()).toBe(0);
    // Nor does it reach a business that does not exist (403, not 404: it learns nothing about it).
    const unknown = await t.admin('GET', `/admin/businesses/${newPhoneNumberId()}`, undefined, key);
    expect(unknown.status).toBe(403);
  });

  it('when it calls an operator-only route, then 403: the whole configuration, new keys and metrics stay the operator’s', async () => {
    const pnid = await business();
    const { key } = await newKey(pnid);
    const put = await t.admin('PUT', `/admin/businesses/${pnid}`, { name: 'Mine', currency: 'EUR' }, key);
    expect(put.status).toBe(403);
    const mint = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'successor' }, key);
    expect(mint.status).toBe(403);
    expect((await errorOf(mint)).code).toBe('FORBIDDEN');
    expect((await t.admin('GET', '/admin/metrics', undefined, key)).status).toBe(403);
    expect(await t.bot.models.ApiKey.countDocuments({ phoneNumberId: pnid }).exec()).toBe(1);
    expect((await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean().exec())?.name).not.toBe(
      'Mine',
    );
  });

  it('when it is used, then lastUsedAt is set', async () => {
    const pnid = await business();
    const created = await newKey(pnid);
    expect(created.lastUsedAt).toBeUndefined();
    await t.admin('GET', `/admin/businesses/${pnid}`, undefined, created.key);
    const stored = await t.bot.models.ApiKey.findById(created.id).lean().exec();
    expect(stored?.lastUsedAt).toBeInstanceOf(Date);
  });
});

describe('401 for a missing, wrong or revoked credential', () => {
  it('when a credential is missing, wrong, a tampered key or a key of the wrong shape, then every business route answers 401', async () => {
    const pnid = await business();
    const { key, id } = await newKey(pnid);
    const wrongSecret = `pk_${id}_${'A'.repeat(43)}`;
    const unknownId = key.replace(id, 'ffffffffffffffff');
    const tokens: Array<string | null> = [
      null,
      '',
      'wrong-token-0123456789abcdef',
      wrongSecret,
      unknownId,
      key.slice(0, -1),
      `${key}x`,
      key.toUpperCase(),
    ];
    for (const token of tokens) {
      for (const route of businessRoutes(pnid, id)) {
        const res = await t.admin(route.method, route.path, route.body, token);
        expect(
          res.status,
          `${route.method} ${route.path} with ${token === null ? 'no token' : 'a bad token'}`,
        ).toBe(401);
        const error = await errorOf(res);
        expect(error.code).toBe('UNAUTHORIZED');
        expect(error.message).not.toContain(key);
      }
    }
    expect((await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean().exec())?.aiReplies).toBe(
      false,
    );
  });

  it('when a key is revoked by the operator, then it is refused at once (401), and listed as revoked', async () => {
    const pnid = await business();
    const created = await newKey(pnid);
    expect((await t.admin('GET', `/admin/businesses/${pnid}`, undefined, created.key)).status).toBe(200);

    const res = await t.admin('DELETE', `/admin/businesses/${pnid}/keys/${created.id}`);
    expect(res.status).toBe(200);
    const revoked = (await res.json()) as KeyView;
    expect(revoked.revokedAt).toBeDefined();

    for (const route of businessRoutes(pnid, created.id)) {
      const after = await t.admin(route.method, route.path, route.body, created.key);
      expect(after.status, `${route.method} ${route.path}`).toBe(401);
    }
    // Revoking again changes nothing; the record expires REVOKED_KEY_RETENTION_DAYS after revocation.
    const again = (await (
      await t.admin('DELETE', `/admin/businesses/${pnid}/keys/${created.id}`)
    ).json()) as KeyView;
    expect(again.revokedAt).toBe(revoked.revokedAt);
    const stored = await t.bot.models.ApiKey.findById(created.id).lean().exec();
    expect(stored?.expiresAt?.getTime()).toBe(
      new Date(revoked.revokedAt ?? 0).getTime() + REVOKED_KEY_RETENTION_DAYS * DAY_MS,
    );
    const { keys } = (await (await t.admin('GET', `/admin/businesses/${pnid}/keys`)).json()) as {
      keys: KeyView[];
    };
    expect(keys.find((k) => k.id === created.id)?.revokedAt).toBe(revoked.revokedAt);
  });

  it('when a business revokes a leaked key with another of its keys, or with the key itself, then it stops working', async () => {
    const pnid = await business();
    const good = await newKey(pnid, 'good');
    const leaked = await newKey(pnid, 'leaked');
    expect(
      (await t.admin('DELETE', `/admin/businesses/${pnid}/keys/${leaked.id}`, undefined, good.key)).status,
    ).toBe(200);
    expect((await t.admin('GET', `/admin/businesses/${pnid}`, undefined, leaked.key)).status).toBe(401);
    expect(
      (await t.admin('DELETE', `/admin/businesses/${pnid}/keys/${good.id}`, undefined, good.key)).status,
    ).toBe(200);
    expect((await t.admin('GET', `/admin/businesses/${pnid}`, undefined, good.key)).status).toBe(401);
  });

  it('when a key id of another business or a malformed id is revoked, then 404 or 400 naming keyId, and the key still works', async () => {
    const mine = await business();
    const theirs = await business();
    const theirKey = await newKey(theirs);
    const notMine = await t.admin('DELETE', `/admin/businesses/${mine}/keys/${theirKey.id}`);
    expect(notMine.status).toBe(404);
    const malformed = await t.admin('DELETE', `/admin/businesses/${mine}/keys/not-a-key`);
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).fields?.map((f) => f.field)).toEqual(['keyId']);
    expect((await t.admin('GET', `/admin/businesses/${theirs}`, undefined, theirKey.key)).status).toBe(200);
  });

  it('when an unknown admin path is called, then 401 without a credential and 404 with one', async () => {
    const pnid = await business();
    const { key } = await newKey(pnid);
    expect((await t.admin('GET', '/admin/nothing-here', undefined, null)).status).toBe(401);
    expect((await t.admin('GET', '/admin/nothing-here', undefined, key)).status).toBe(404);
    expect((await t.admin('GET', '/admin/nothing-here')).status).toBe(404);
  });
});

describe('data map and logs', () => {
  it('when the data map is read, then api_keys holds no personal data and expires after revocation', () => {
    const entry = DATA_MAP.find((e) => e.model === 'ApiKey');
    expect(entry).toMatchObject({ collection: 'api_keys', personal: false });
    expect(entry?.retention).toEqual({
      kind: 'ttl',
      field: 'expiresAt',
      period: `until revoked, then ${REVOKED_KEY_RETENTION_DAYS} days`,
    });
  });

  it('when every log line of this file is scanned, then no key, secret or admin token appears; key calls name the key id', () => {
    expect(secrets.length).toBeGreaterThan(MAX_ACTIVE_KEYS);
    const all = t.logs.join('');
    expect(all).not.toContain(TEST_ADMIN_TOKEN);
    for (const key of secrets) {
      expect(all).not.toContain(key);
      expect(all).not.toContain(key.slice(20)); // the secret part alone
    }
    const actors = t.logs
      .map((line) => JSON.parse(line) as { msg?: string; actor?: string })
      .filter((line) => line.msg === 'request completed' && line.actor !== undefined)
      .map((line) => line.actor);
    expect(actors).toContain('operator');
    expect(actors.some((actor) => /^key:[0-9a-f]{16}$/.test(actor ?? ''))).toBe(true);
  });
});
