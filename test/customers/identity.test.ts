/**
 * One customer identity, end to end: a customer is the same customer whether a payload carries the wa_id,
 * the BSUID or both, in any order; the staff command, the admin resume route and business-made privacy
 * requests find them by either id (a number with or without `+`, spaces, dashes); data stored under the
 * keys used before aliases existed is found and adopted; erasure removes the aliases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerKey, customerRef } from '../../src/core/identity.js';
import { BACKFILL_MARKER, CustomerIdentities, parseCustomerId } from '../../src/customers/identity.js';
import type { ConversationDoc } from '../../src/db/models/conversation.model.js';
import { startTestBot, TEST_PEPPER } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { REPLY, repliesTo } from '../helpers/engine.js';
import { sampleOrder } from '../helpers/orders.js';
import { inboundText, newPhoneNumberId, newUserId, newWaId, nowSeconds } from '../helpers/payloads.js';
import { combine, sendBody, sendsFor, sendText } from '../helpers/webhook.js';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('customer-identity');
});
afterAll(async () => {
  await t.close();
});

interface Ids {
  waId?: string;
  userId?: string;
}

async function business(adminNumbers: string[] = []): Promise<string> {
  const pnid = newPhoneNumberId();
  const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
    name: 'Casa Identidad',
    currency: 'EUR',
    catalog: [{ id: 'coffee', name: 'Coffee', price: 1.2 }],
    adminNumbers,
  });
  expect(res.status).toBe(201);
  return pnid;
}

async function say(phoneNumberId: string, ids: Ids, text: string, name = 'Ana Identidad'): Promise<void> {
  const res = await t.postWebhook(inboundText({ phoneNumberId, ...ids, name }, text));
  expect(res.status).toBe(200);
  await t.settled();
}

/** What the business holds: its customer records, conversations and aliases. */
async function held(phoneNumberId: string) {
  const { Customer, Conversation, CustomerId } = t.bot.models;
  const [customers, conversations, aliases] = await Promise.all([
    Customer.find({ phoneNumberId }).lean().exec(),
    Conversation.find({ phoneNumberId }).lean<ConversationDoc[]>().exec(),
    CustomerId.find({ phoneNumberId }).lean().exec(),
  ]);
  return { customers, conversations, aliases };
}

const keyRef = (pnid: string, ids: Ids) => customerRef(TEST_PEPPER, pnid, customerKey(pnid, ids));

/** One customer record with both ids, one conversation that saw `messages` messages, both aliases on it. */
async function expectOneCustomer(pnid: string, ids: Required<Ids>, messages: number): Promise<string> {
  const { customers, conversations, aliases } = await held(pnid);
  expect(customers.map((c) => [c.waId, c.userId])).toEqual([[ids.waId, ids.userId]]);
  const ref = customers[0]?._id ?? '';
  expect(conversations.map((c) => [c._id, c.processed.length])).toEqual([[ref, messages]]);
  expect(aliases.map((a) => a.ref)).toEqual([ref, ref]);
  expect(aliases.map((a) => a.kind).sort()).toEqual(['bsuid', 'wa']);
  // Aliases hold keyed hashes, never the ids.
  const raw = JSON.stringify(aliases);
  expect(raw).not.toContain(ids.waId);
  expect(raw).not.toContain(ids.userId);
  return ref;
}

describe('parseCustomerId', () => {
  it('when a number is written with +, spaces, dashes or brackets, then it is the wa_id digits', () => {
    for (const text of ['+34 611-11 11 11', '34611111111', ' +34 (611) 111.111 ']) {
      expect(parseCustomerId(text)).toEqual({ waId: '34611111111' });
    }
    expect(parseCustomerId('US.13491208655302741918')).toEqual({ userId: 'US.13491208655302741918' });
    for (const text of ['Maria', '12', '+34 611 abc', '', 'us.123'])
      expect(parseCustomerId(text)).toBeUndefined();
  });
});

describe('one customer, whichever ids a payload carries', () => {
  it('when a sender writes with both ids, then the number only, then the user id only, then one conversation and one customer hold it all', async () => {
    const pnid = await business();
    const ids = { waId: newWaId(), userId: newUserId() };

    await say(pnid, ids, 'hi');
    await say(pnid, { waId: ids.waId }, 'hi again');
    await say(pnid, { userId: ids.userId }, 'and again');

    const ref = await expectOneCustomer(pnid, ids, 3);
    // A new customer's reference is the key the bot always made (BSUID first): nothing older moves.
    expect(ref).toBe(keyRef(pnid, ids));
  });

  it('when a sender writes with the user id only, then both ids, then the number only, then one conversation and one customer hold it all', async () => {
    const pnid = await business();
    const ids = { waId: newWaId(), userId: newUserId() };

    await say(pnid, { userId: ids.userId }, 'hi');
    await say(pnid, ids, 'hi again');
    await say(pnid, { waId: ids.waId }, 'and again');

    await expectOneCustomer(pnid, ids, 3);
  });

  it('when the number and the user id were each seen alone before a payload carried both, then the two become one customer with both orders', async () => {
    const pnid = await business();
    const ids = { waId: newWaId(), userId: newUserId() };
    await say(pnid, { waId: ids.waId }, 'hi');
    await say(pnid, { userId: ids.userId }, 'hi');
    expect((await held(pnid)).customers).toHaveLength(2);
    const byNumber = keyRef(pnid, { waId: ids.waId });
    const byUserId = keyRef(pnid, { userId: ids.userId });
    await t.bot.orders.placeOrder(sampleOrder(pnid, byNumber));
    await t.bot.orders.placeOrder(sampleOrder(pnid, byUserId));

    await say(pnid, ids, 'it is me');

    // The older alias (the number's) stands; the other customer is merged into it.
    const ref = await expectOneCustomer(pnid, ids, 2);
    expect(ref).toBe(byNumber);
    const orders = await t.bot.models.Order.find({ phoneNumberId: pnid }).lean().exec();
    expect(orders.map((o) => o.customerRef)).toEqual([ref, ref]);
  });
  it('when one webhook body carries the number alone, the user id alone and then both, then all three land in one conversation', async () => {
    const pnid = await business();
    const ids = { waId: newWaId(), userId: newUserId() };
    const second = nowSeconds();
    const body = combine(
      inboundText({ phoneNumberId: pnid, waId: ids.waId, timestamp: second }, 'hi'),
      inboundText({ phoneNumberId: pnid, userId: ids.userId, timestamp: second }, 'hello'),
      inboundText({ phoneNumberId: pnid, ...ids, timestamp: second }, 'it is me'),
    );

    expect((await t.postWebhook(body)).status).toBe(200);
    await t.settled();

    await expectOneCustomer(pnid, ids, 3);
  });
});

describe('finding a customer by either id', () => {
  it('when a customer with both ids asks for a person, then the staff notice reaches a staff member seen with both ids, and /resume with the number (+, spaces) hands the chat back', async () => {
    const staff = { waId: newWaId(), userId: newUserId() };
    const pnid = await business([staff.waId]);
    const ids = { waId: newWaId(), userId: newUserId() };
    await say(pnid, staff, 'hi');
    await say(pnid, ids, 'hi');
    t.graph.reset();

    await say(pnid, ids, '4');

    const notice = repliesTo(t.graph.requests, pnid, staff.waId);
    expect(notice).toHaveLength(1);
    expect(notice[0]).toContain(REPLY.staffNotice);
    expect(notice[0]).toContain(`/resume ${ids.waId}`);

    const spaced = `+${ids.waId.slice(0, 2)} ${ids.waId.slice(2, 5)}-${ids.waId.slice(5)}`;
    await say(pnid, staff, `/resume ${spaced}`);

    expect(repliesTo(t.graph.requests, pnid, staff.waId).at(-1)).toBe(
      'Done: that conversation is back with the bot.',
    );
    expect(repliesTo(t.graph.requests, pnid, ids.waId).at(-1)).toContain(REPLY.resumed);
  });

  it('when a staff member writes with their user id only, then they are still staff', async () => {
    const staff = { waId: newWaId(), userId: newUserId() };
    const pnid = await business([staff.waId]);
    await say(pnid, staff, 'hi');
    t.graph.reset();

    await say(pnid, { userId: staff.userId }, '/orders');

    // Answered in the chat it came from (the user id), as a staff command, not as a customer message.
    const toStaff = sendsFor(t, pnid).filter((r) => sendBody(r).recipient === staff.userId);
    expect(toStaff.map(sendText)).toEqual(['No open orders today.']);
  });

  it('when the resume route names the customer by user id or by number with +, then either finds the conversation', async () => {
    const pnid = await business();
    const ids = { waId: newWaId(), userId: newUserId() };
    await say(pnid, ids, 'hi');
    const resume = (customer: string) =>
      t.admin('POST', `/admin/businesses/${pnid}/conversations/${encodeURIComponent(customer)}/resume`);

    for (const customer of [ids.userId, `+${ids.waId}`, ids.waId]) {
      await say(pnid, { waId: ids.waId }, '4');
      t.graph.reset();
      const res = await resume(customer);
      expect(res.status).toBe(202);
      await t.settled();
      expect(repliesTo(t.graph.requests, pnid, ids.waId).at(-1)).toContain(REPLY.resumed);
    }
    expect((await resume(newWaId())).status).toBe(404);
  });

  it('when the business asks for a copy by number and erases by user id, then both reach the one customer and the erasure removes the aliases', async () => {
    const pnid = await business();
    const ids = { waId: newWaId(), userId: newUserId() };
    await say(pnid, ids, 'hi', 'Rosalind Identidad');
    const path = `/admin/businesses/${pnid}/privacy-requests`;

    const access = await t.admin('POST', path, { type: 'access', customer: `+${ids.waId}` });

    expect(access.status).toBe(201);
    const exported = (await access.json()) as { export: { subject: { whatsappId?: string; name?: string } } };
    expect(exported.export.subject).toMatchObject({ whatsappId: ids.waId, name: 'Rosalind Identidad' });

    const erasure = await t.admin('POST', path, { type: 'erasure', customer: ids.userId });

    expect(erasure.status).toBe(201);
    const body = (await erasure.json()) as { request: { status: string; receipt?: { lines: unknown[] } } };
    expect(body.request.status).toBe('completed');
    expect(body.request.receipt?.lines).toContainEqual(
      expect.objectContaining({ collection: 'customer_ids', deleted: 2 }),
    );
    const left = await held(pnid);
    expect([left.customers.length, left.conversations.length, left.aliases.length]).toEqual([0, 0, 0]);
  });
});

describe('data stored before aliases existed', () => {
  it('when a conversation is stored under the number key and the customer now writes with both ids, then it continues there', async () => {
    const pnid = await business();
    const ids = { waId: newWaId(), userId: newUserId() };
    await say(pnid, { waId: ids.waId }, 'hi');
    await t.bot.models.CustomerId.deleteMany({ phoneNumberId: pnid }).exec();

    await say(pnid, ids, 'hi again');

    const ref = await expectOneCustomer(pnid, ids, 2);
    expect(ref).toBe(keyRef(pnid, { waId: ids.waId }));
  });

  it('when a customer is stored under the user id key, then the resume route finds them by number and records the aliases', async () => {
    const pnid = await business();
    const ids = { waId: newWaId(), userId: newUserId() };
    await say(pnid, ids, 'hi');
    await say(pnid, ids, '4');
    await t.bot.models.CustomerId.deleteMany({ phoneNumberId: pnid }).exec();

    const res = await t.admin('POST', `/admin/businesses/${pnid}/conversations/${ids.waId}/resume`);

    expect(res.status).toBe(202);
    await t.settled();
    await expectOneCustomer(pnid, ids, 3);
  });

  it('when the backfill runs over customers without aliases, then each gets its aliases and a person stored twice becomes one', async () => {
    const pnid = await business();
    const ids = { waId: newWaId(), userId: newUserId() };
    const older = keyRef(pnid, { waId: ids.waId });
    const newer = keyRef(pnid, ids);
    const now = Date.now();
    await t.bot.models.Customer.insertMany([
      { _id: older, phoneNumberId: pnid, waId: ids.waId, lastInboundAt: new Date(now - 7_200_000) },
      { _id: newer, phoneNumberId: pnid, ...ids, lastInboundAt: new Date(now - 3_600_000) },
    ]);
    await t.bot.orders.placeOrder(sampleOrder(pnid, older));
    await t.bot.models.Counter.deleteOne({ _id: BACKFILL_MARKER }).exec();
    const identities = new CustomerIdentities({ models: t.bot.models, pepper: TEST_PEPPER });

    expect(await identities.backfill()).toBeGreaterThanOrEqual(2);

    const { customers, aliases } = await held(pnid);
    expect(customers.map((c) => c._id)).toEqual([newer]);
    expect(aliases.map((a) => a.ref)).toEqual([newer, newer]);
    const orders = await t.bot.models.Order.find({ phoneNumberId: pnid }).lean().exec();
    expect(orders.map((o) => o.customerRef)).toEqual([newer]);
    // Once per database: a second run does nothing.
    expect(await identities.backfill()).toBe(0);
  });
});
