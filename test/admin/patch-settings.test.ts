/**
 * `PATCH /admin/businesses/:id` and the audit of AI settings, end to end over real HTTP: partial updates
 * checked field by field as PUT checks them (400 naming each field, unknown fields by name), the change in
 * effect on the next customer message, and every change of an AI setting (PUT or PATCH, operator or key)
 * recorded in settings_changes with who, when, old → new.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECTORY_CACHE_MS } from '../../src/businesses/directory.js';
import { SETTINGS_CHANGE_RETENTION_DAYS } from '../../src/db/models/settings-change.model.js';
import { DATA_MAP } from '../../src/privacy/data-map.js';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { REPLY, repliesTo } from '../helpers/engine.js';
import { inboundText, newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ field: string; message: string }> };
}

interface ChangeView {
  at: string;
  field: string;
  from: unknown;
  to: unknown;
  actor: { kind: string; id?: string };
}

const DAY_MS = 24 * 60 * 60 * 1000;

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('admin-patch');
});
afterAll(async () => {
  await t.close();
});

async function errorOf(res: Response): Promise<ErrorBody['error']> {
  return ((await res.json()) as ErrorBody).error;
}

async function business(name = 'Casa Patch'): Promise<string> {
  const id = newPhoneNumberId();
  await configureBusiness(t, id, name);
  return id;
}

function patch(pnid: string, body: unknown, token?: string | null): Promise<Response> {
  return t.admin('PATCH', `/admin/businesses/${pnid}`, body, token);
}

async function stored(pnid: string) {
  return t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean().exec();
}

async function changes(pnid: string, query = '', token?: string): Promise<ChangeView[]> {
  const res = await t.admin('GET', `/admin/businesses/${pnid}/settings-changes${query}`, undefined, token);
  expect(res.status).toBe(200);
  return ((await res.json()) as { changes: ChangeView[] }).changes;
}

async function newKey(pnid: string): Promise<{ id: string; key: string }> {
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'test' });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string };
}

/** PATCHes a body that must be refused with 400; returns the fields named, after checking nothing changed. */
async function refusedFields(pnid: string, body: unknown): Promise<string[]> {
  const before = await stored(pnid);
  const res = await patch(pnid, body);
  expect(res.status).toBe(400);
  const error = await errorOf(res);
  expect(error.code).toBe('VALIDATION_FAILED');
  expect(await stored(pnid)).toEqual(before);
  expect(await t.bot.models.SettingsChange.countDocuments({ phoneNumberId: pnid }).exec()).toBe(0);
  return error.fields?.map((f) => f.field) ?? [];
}

describe('PATCH /admin/businesses/:phoneNumberId', () => {
  it('when {"aiReplies": true} is sent, then that setting alone changes, and the answer is the whole configuration', async () => {
    const pnid = await business();
    const before = await stored(pnid);
    const res = await patch(pnid, { aiReplies: true });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ phoneNumberId: pnid, name: 'Casa Patch', aiReplies: true });
    const after = await stored(pnid);
    expect(after?.aiReplies).toBe(true);
    const { aiReplies: _a, updatedAt: _u, __v: _v, ...rest } = after ?? {};
    const { aiReplies: _b, updatedAt: _w, __v: _x, ...restBefore } = before ?? {};
    expect(rest).toEqual(restBefore);
  });

  it('when several fields are sent, then each is stored as PUT would store it (prices in minor units, normalised locale)', async () => {
    const pnid = await business();
    const res = await patch(pnid, {
      name: 'Casa Nueva',
      locale: 'pt-br',
      persona: '  friendly, short  ',
      aiDisclosure: '🤖 AI',
      aiIncludeName: true,
      aiDailyTokenBudget: 1000,
      orderRetentionYears: 7,
      fulfilment: { pickup: true, delivery: true },
      faq: [{ question: 'Open?', answer: '9 to 5' }],
      catalog: [
        { id: 'tea', name: 'Tea', price: 2.5 },
        { id: 'cake', name: 'Cake', price: 3, category: 'Sweet', available: false },
      ],
    });
    expect(res.status).toBe(200);
    const doc = await stored(pnid);
    expect(doc).toMatchObject({
      name: 'Casa Nueva',
      locale: 'pt-BR',
      persona: 'friendly, short',
      aiDisclosure: '🤖 AI',
      aiIncludeName: true,
      aiDailyTokenBudget: 1000,
      orderRetentionYears: 7,
      fulfilment: { pickup: true, delivery: true },
      faq: [{ question: 'Open?', answer: '9 to 5' }],
      currency: 'EUR',
    });
    expect(doc?.catalog).toEqual([
      { id: 'tea', name: 'Tea', priceMinor: 250, available: true },
      { id: 'cake', name: 'Cake', priceMinor: 300, category: 'Sweet', available: false },
    ]);
    const got = (await (await t.admin('GET', `/admin/businesses/${pnid}`)).json()) as {
      catalog: Array<{ price: number }>;
    };
    expect(got.catalog.map((item) => item.price)).toEqual([2.5, 3]);
  });

  it('when an unknown field is sent, then 400 names it, and nothing changes', async () => {
    const pnid = await business();
    expect(await refusedFields(pnid, { aiReplies: true, colour: 'red' })).toEqual(['colour']);
    expect(await refusedFields(pnid, { phoneNumberId: '123456' })).toEqual(['phoneNumberId']);
  });

  it('when fields are invalid, then 400 names each of them, and nothing changes', async () => {
    const pnid = await business();
    expect(await refusedFields(pnid, { aiReplies: 'yes' })).toEqual(['aiReplies']);
    expect(
      (
        await refusedFields(pnid, { aiDailyTokenBudget: -1, persona: 'x'.repeat(501), locale: 'en_US' })
      ).sort(),
    ).toEqual(['aiDailyTokenBudget', 'locale', 'persona']);
    expect(await refusedFields(pnid, { aiDailyTokenBudget: 1.5 })).toEqual(['aiDailyTokenBudget']);
    expect(await refusedFields(pnid, { name: '' })).toEqual(['name']);
    expect(await refusedFields(pnid, { fulfilment: { pickup: false, delivery: false } })).toEqual([
      'fulfilment',
    ]);
    expect(await refusedFields(pnid, { adminNumbers: ['call me'] })).toEqual(['adminNumbers.0']);
    expect(await refusedFields(pnid, { orderRetentionYears: 0 })).toEqual(['orderRetentionYears']);
    expect(await refusedFields(pnid, {})).toEqual(['(body)']);
    expect(await refusedFields(pnid, [])).toEqual(['(body)']);
  });

  it('when the catalog has a price with more decimals than the currency allows, or a duplicate id, then 400 names it', async () => {
    const pnid = await business();
    expect(await refusedFields(pnid, { catalog: [{ id: 'a', name: 'A', price: 9.999 }] })).toEqual([
      'catalog.0.price',
    ]);
    expect(
      await refusedFields(pnid, {
        catalog: [
          { id: 'a', name: 'A', price: 1 },
          { id: 'a', name: 'B', price: 2 },
        ],
      }),
    ).toEqual(['catalog.1.id']);
    // The stored catalog (coffee at 1.20) cannot be priced in yen: the currency change names the price.
    expect(await refusedFields(pnid, { currency: 'JPY' })).toEqual(['catalog.0.price']);
    // With a catalog that fits, it can.
    const ok = await patch(pnid, { currency: 'JPY', catalog: [{ id: 'a', name: 'A', price: 1200 }] });
    expect(ok.status).toBe(200);
    expect((await stored(pnid))?.catalog[0]?.priceMinor).toBe(1200);
  });

  it('when adminNumbers are changed, then the operator may (normalised) and a business key may not (403)', async () => {
    const pnid = await business();
    const { key } = await newKey(pnid);
    const byKey = await patch(pnid, { adminNumbers: ['+34 600 111 222'] }, key);
    expect(byKey.status).toBe(403);
    expect((await errorOf(byKey)).code).toBe('FORBIDDEN');
    expect((await stored(pnid))?.adminNumbers).toEqual([]);
    const byOperator = await patch(pnid, { adminNumbers: ['+34 600 111 222', '34600111222'] });
    expect(byOperator.status).toBe(200);
    expect((await stored(pnid))?.adminNumbers).toEqual(['34600111222']);
    // The key may change everything else.
    expect((await patch(pnid, { aiReplies: true, name: 'By key' }, key)).status).toBe(200);
  });

  it('when the business does not exist, the body is not JSON or not sent as JSON, then 404, 400 or 415', async () => {
    const unknown = newPhoneNumberId();
    const missing = await patch(unknown, { aiReplies: true });
    expect(missing.status).toBe(404);
    expect(await stored(unknown)).toBeNull();
    expect(await t.bot.models.SettingsChange.countDocuments({ phoneNumberId: unknown }).exec()).toBe(0);

    const pnid = await business();
    expect((await patch(pnid, '{"aiReplies": tru')).status).toBe(400);
    const text = await fetch(`${t.bot.url}/admin/businesses/${pnid}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ aiReplies: true }),
    });
    expect(text.status).toBe(415);
    expect((await patch('not-a-number', { aiReplies: true })).status).toBe(400);
    expect((await stored(pnid))?.aiReplies).toBe(false);
  });

  it('when the name is patched after a customer wrote, then the very next customer message uses it (the cache was dropped)', async () => {
    const pnid = await business('Old Name Café');
    const first = newWaId();
    expect((await t.postWebhook(inboundText({ phoneNumberId: pnid, waId: first }, 'hi'))).status).toBe(200);
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, first).join('\n')).toContain('Old Name Café');

    expect((await patch(pnid, { name: 'New Name Café' })).status).toBe(200);
    const second = newWaId();
    expect((await t.postWebhook(inboundText({ phoneNumberId: pnid, waId: second }, 'hi'))).status).toBe(200);
    await t.settled();
    const replies = repliesTo(t.graph.requests, pnid, second);
    expect(replies[0]).toContain(REPLY.greeting);
    expect(replies.join('\n')).toContain('New Name Café');
    // Other processes see a change within the directory's cache time.
    expect(DIRECTORY_CACHE_MS).toBeLessThanOrEqual(5_000);
  });

  it('when many PATCHes race on one business, then none is lost and the audit is one unbroken chain', async () => {
    const pnid = await business();
    const budgets = [101, 102, 103, 104, 105, 106];
    const results = await Promise.all(budgets.map((b) => patch(pnid, { aiDailyTokenBudget: b })));
    expect(results.map((r) => r.status)).toEqual(budgets.map(() => 200));
    const final = (await stored(pnid))?.aiDailyTokenBudget;
    const chain = (await changes(pnid, '?field=aiDailyTokenBudget')).reverse();
    expect(chain).toHaveLength(budgets.length);
    expect(chain[0]?.from).toBe(50_000);
    for (let i = 1; i < chain.length; i += 1) expect(chain[i]?.from).toBe(chain[i - 1]?.to);
    expect(chain.at(-1)?.to).toBe(final);
  });
});

describe('the audit of AI settings (settings_changes)', () => {
  it('when the operator and a key each PATCH AI settings, then each change is listed newest first with its actor, old and new value', async () => {
    const pnid = await business();
    const { id, key } = await newKey(pnid);
    expect((await patch(pnid, { aiReplies: true })).status).toBe(200);
    expect((await patch(pnid, { aiReplies: false, persona: 'warm' }, key)).status).toBe(200);

    const list = await changes(pnid);
    expect(list).toHaveLength(3);
    // Newest first: the key's two changes (same moment), then the operator's.
    expect(list.map(({ field, from, to, actor }) => ({ field, from, to, actor }))[2]).toEqual({
      field: 'aiReplies',
      from: false,
      to: true,
      actor: { kind: 'operator' },
    });
    expect(
      list
        .slice(0, 2)
        .map(({ field, from, to, actor }) => ({ field, from, to, actor }))
        .sort((a, b) => a.field.localeCompare(b.field)),
    ).toEqual([
      { field: 'aiReplies', from: true, to: false, actor: { kind: 'key', id } },
      { field: 'persona', from: '', to: 'warm', actor: { kind: 'key', id } },
    ]);
    // The key sees its own business's audit too, and may filter it.
    expect((await changes(pnid, '?field=persona', key)).map((c) => c.to)).toEqual(['warm']);
    expect(await changes(pnid, '?limit=1')).toHaveLength(1);
    const oldest = list.at(-1)?.at ?? '';
    expect(await changes(pnid, `?before=${encodeURIComponent(oldest)}`)).toEqual([]);
  });

  it('when something other than an AI setting changes, or an AI setting is set to what it was, then nothing is recorded', async () => {
    const pnid = await business();
    expect((await patch(pnid, { name: 'Other', catalog: [] })).status).toBe(200);
    expect((await patch(pnid, { aiReplies: false, aiDailyTokenBudget: 50_000 })).status).toBe(200);
    expect(await changes(pnid)).toEqual([]);
  });

  it('when a business is created by PUT with AI on, and replaced with another budget, then both are recorded; an equal PUT records nothing', async () => {
    const pnid = newPhoneNumberId();
    const body = { name: 'Put Café', currency: 'EUR', aiReplies: true };
    expect((await t.admin('PUT', `/admin/businesses/${pnid}`, body)).status).toBe(201);
    expect(
      (await t.admin('PUT', `/admin/businesses/${pnid}`, { ...body, aiDailyTokenBudget: 10 })).status,
    ).toBe(200);
    expect(
      (await t.admin('PUT', `/admin/businesses/${pnid}`, { ...body, aiDailyTokenBudget: 10 })).status,
    ).toBe(200);
    const list = await changes(pnid);
    expect(list.map(({ field, from, to, actor }) => ({ field, from, to, actor }))).toEqual([
      { field: 'aiDailyTokenBudget', from: 50_000, to: 10, actor: { kind: 'operator' } },
      // Created with AI on: set from nothing.
      { field: 'aiReplies', from: null, to: true, actor: { kind: 'operator' } },
    ]);
  });

  it('when a record is stored, then it expires after the stated retention and carries no personal data', async () => {
    const pnid = await business();
    expect((await patch(pnid, { aiReplies: true })).status).toBe(200);
    const [record] = await t.bot.models.SettingsChange.find({ phoneNumberId: pnid }).lean().exec();
    expect(record?.expiresAt.getTime()).toBe(
      (record?.at.getTime() ?? 0) + SETTINGS_CHANGE_RETENTION_DAYS * DAY_MS,
    );
    expect(SETTINGS_CHANGE_RETENTION_DAYS).toBe(3 * 365);
    expect(DATA_MAP.find((e) => e.model === 'SettingsChange')).toMatchObject({
      collection: 'settings_changes',
      personal: false,
      retention: { kind: 'ttl', field: 'expiresAt', period: '3 years' },
    });
  });

  it('when the list is asked with a bad query, for an unknown business, or without a token, then 400 naming the field, 404, 401', async () => {
    const pnid = await business();
    const bad = await t.admin('GET', `/admin/businesses/${pnid}/settings-changes?limit=0`);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).fields?.map((f) => f.field)).toEqual(['limit']);
    const unknownParam = await t.admin('GET', `/admin/businesses/${pnid}/settings-changes?colour=red`);
    expect((await errorOf(unknownParam)).fields?.map((f) => f.field)).toEqual(['colour']);
    const badField = await t.admin('GET', `/admin/businesses/${pnid}/settings-changes?field=name`);
    expect((await errorOf(badField)).fields?.map((f) => f.field)).toEqual(['field']);
    expect((await t.admin('GET', `/admin/businesses/${newPhoneNumberId()}/settings-changes`)).status).toBe(
      404,
    );
    expect((await t.admin('GET', `/admin/businesses/${pnid}/settings-changes`, undefined, null)).status).toBe(
      401,
    );
  });
});
