/**
 * An erasure interrupted half way resumes and finishes: a customer with an order asks in the chat to delete
 * their data and confirms; the erasure breaks after its first steps (the outbox step fails) and the bot is
 * closed; a new bot on the same database resumes it at start-up: every step once, the data gone, a clean
 * verification scan, and the receipt with the confirmation code sent to the customer. Then the erasure job
 * run twice (two processes at once, one process twice at once, again afterwards) and a crash between the
 * receipt message and the final status: nothing is done twice and the outcome stays right.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BusinessData } from '../../src/businesses/schema.js';
import { ERASE_YES } from '../../src/core/vocabulary.js';
import type { Order } from '../../src/db/models/order.model.js';
import type { PrivacyRequest } from '../../src/db/models/privacy-request.model.js';
import type { Models } from '../../src/db/models/index.js';
import { PERSONAL_DATA } from '../../src/privacy/data-map.js';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import {
  conversationId,
  errorLogs,
  repliesTo,
  sendsTo,
  startSecondInstance,
  waitUntil,
} from '../helpers/engine.js';
import type { ExtraInstance } from '../helpers/engine.js';
import { sampleOrder } from '../helpers/orders.js';
import { inboundMessage, inboundText, newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

/** Short leases, so a closed bot's lease runs out within the test. */
const LEASE_MS = 800;
const STEPS = PERSONAL_DATA.map((e) => e.collection);
const DELETED = '✅ *Your data has been deleted.*';

let t: TestBot;
/** The bot started after the first one was closed, and a third process next to it. */
let second: ExtraInstance | undefined;
let third: ExtraInstance | undefined;
let firstClosed = false;

beforeAll(async () => {
  // The default test sweep (every 200 ms) runs while the failing erasure does: a drain it schedules must not
  // re-create the erased conversation (the engine creates one only for a waiting message).
  t = await startTestBot('erasure-resume', { bot: { leaseMs: LEASE_MS } });
});
afterAll(async () => {
  await third?.close();
  if (second) {
    await second.bot.database.connection.dropDatabase().catch(() => undefined);
    await second.close();
  }
  if (firstClosed) {
    // The first bot's connection is closed: only its Graph stub and database server are left.
    await t.graph.close();
    await t.db.close();
  } else {
    await t.close();
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts a customer's message to `url` (signed) and waits until `models`' inbox has nothing open. */
async function chat(
  bot: { postWebhook(body: object): Promise<Response>; models: Models; backlog: () => number },
  body: Record<string, unknown>,
): Promise<void> {
  const res = await bot.postWebhook(body);
  expect(res.status).toBe(200);
  await waitUntil(
    async () =>
      (await bot.models.Inbox.countDocuments({ status: { $in: ['pending', 'processing'] } }).exec()) === 0 &&
      bot.backlog() === 0,
    'the inbox to settle',
  );
}

const viaFirst = () => ({
  postWebhook: (body: object) => t.postWebhook(body),
  models: t.bot.models,
  backlog: () => t.bot.engine.backlog,
});
const via = (x: ExtraInstance) => ({
  postWebhook: (body: object) => x.postWebhook(body),
  models: x.bot.models,
  backlog: () => x.bot.engine.backlog,
});

/** The id of the *Delete my data* button in the last message the customer got. */
function deleteButton(pnid: string, waId: string): string {
  const last = sendsTo(t.graph.requests, pnid, waId).at(-1)?.json as {
    interactive?: { action?: { buttons?: Array<{ reply: { id: string } }> } };
  };
  const id = last.interactive?.action?.buttons?.map((b) => b.reply.id).find((b) => b.startsWith(ERASE_YES));
  if (!id) throw new Error('the last message to the customer has no Delete my data button');
  return id;
}

function findRequest(models: Models, id: string): Promise<PrivacyRequest | null> {
  return models.PrivacyRequest.findById(id).lean<PrivacyRequest>().exec();
}

/** What is left at the business for the customer `ref`, by collection. */
async function leftFor(models: Models, pnid: string, ref: string) {
  return {
    customers: await models.Customer.countDocuments({ _id: ref }).exec(),
    conversations: await models.Conversation.countDocuments({ _id: ref }).exec(),
    inbox: await models.Inbox.countDocuments({ customerRef: ref }).exec(),
    // The erasure's own receipt message (kept 48 hours for delivery) is not the customer's earlier data.
    outbox: await models.Outbox.countDocuments({
      customerRef: ref,
      inboundWamid: { $not: /^privacy:/ },
    }).exec(),
    orders: await models.Order.countDocuments({ customerRef: ref, phoneNumberId: pnid }).exec(),
  };
}

function expectFinished(request: PrivacyRequest | null): asserts request is PrivacyRequest {
  expect(request?.status).toBe('completed');
  if (!request) throw new Error('no request');
  // Every step of the data map, in order, recorded once.
  expect(request.steps.map((s) => s.name)).toEqual(STEPS);
  expect(request.receipt?.scan.findings).toEqual([]);
  expect(request.receipt?.lines.map((l) => l.collection)).toEqual(STEPS);
  expect(request.receipt?.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(request.identifiers).toBeUndefined();
  expect(request.lease).toBeUndefined();
  expect(request.open).toBeUndefined();
  expect(request.confirmTokenHash).toBeUndefined();
}

describe('an erasure interrupted half way', () => {
  it('resumes when a new bot starts on the database, and finishes with the receipt sent', async () => {
    const pnid = newPhoneNumberId();
    const waId = newWaId();
    await configureBusiness(t, pnid, 'Casa Resumida');
    const from = { phoneNumberId: pnid, waId, name: 'Wilhelmina Ashdown' };
    const ref = conversationId(pnid, waId);
    await chat(viaFirst(), inboundText(from, 'hi'));
    const order = await t.bot.orders.placeOrder(
      sampleOrder(pnid, ref, { fulfilment: 'delivery', note: 'Gate code 4411' }),
    );
    await chat(viaFirst(), inboundText(from, 'delete my data'));
    const button = deleteButton(pnid, waId);

    // The outbox step breaks in this process: the erasure stops after suppressions, conversations, inbox.
    const broken = vi.spyOn(t.bot.models.Outbox, 'deleteMany').mockImplementation(() => {
      throw new Error('simulated crash in the outbox step');
    });
    try {
      await chat(
        viaFirst(),
        inboundMessage(from, 'interactive', {
          interactive: { type: 'button_reply', button_reply: { id: button, title: 'Delete my data' } },
        }),
      );
      let request: PrivacyRequest | null = null;
      await waitUntil(async () => {
        request = await t.bot.models.PrivacyRequest.findOne({ phoneNumberId: pnid, type: 'erasure' })
          .lean<PrivacyRequest>()
          .exec();
        return (request?.steps.length ?? 0) === 3;
      }, 'the erasure to stop after three steps');
      const half = request as PrivacyRequest | null;
      if (!half) throw new Error('no erasure request');
      expect(half.status).toBe('in_progress');
      expect(half.steps.map((s) => s.name)).toEqual(STEPS.slice(0, 3));
      expect(half.identifiers).toBeDefined();
      expect(half.lease).toBeDefined();
      expect(await leftFor(t.bot.models, pnid, ref)).toMatchObject({
        customers: 1,
        conversations: 0,
        inbox: 0,
        orders: 1,
      });
      expect((await leftFor(t.bot.models, pnid, ref)).outbox).toBeGreaterThan(0);
      expect(repliesTo(t.graph.requests, pnid, waId).some((r) => r.startsWith(DELETED))).toBe(false);
      expect(t.logs.join('\n')).toContain('simulated crash in the outbox step');

      // The process goes away with the erasure half done.
      await t.bot.close();
      firstClosed = true;
    } finally {
      broken.mockRestore();
    }
    await sleep(LEASE_MS + 200);

    const sendsBefore = t.graph.requests.length;
    second = await startSecondInstance(t, { leaseMs: LEASE_MS });
    const models = second.bot.models;
    let finished: PrivacyRequest | null = null;
    await waitUntil(async () => {
      finished = await models.PrivacyRequest.findOne({ phoneNumberId: pnid, type: 'erasure' })
        .lean<PrivacyRequest>()
        .exec();
      return finished?.status === 'completed' || finished?.status === 'failed';
    }, 'the resumed erasure to finish');
    const done = finished as PrivacyRequest | null;
    expectFinished(done);
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(second.logs.join('\n')).toMatch(/resuming an interrupted erasure/);
    const step = (name: string) => done.steps.find((s) => s.name === name);
    expect(step('conversations')?.deleted).toBe(1);
    expect(step('inbox')?.deleted).toBeGreaterThan(0);
    expect(step('outbox')?.deleted).toBeGreaterThan(0);
    expect(step('customers')?.deleted).toBe(1);
    expect(step('orders')).toMatchObject({ anonymised: 1, kept: 1 });

    // The customer's data is gone; the order is kept without them.
    expect(await leftFor(models, pnid, ref)).toEqual({
      customers: 0,
      conversations: 0,
      inbox: 0,
      outbox: 0,
      orders: 0,
    });
    const kept = await models.Order.findById(order._id).lean<Order>().exec();
    expect(kept?.customerRef).toMatch(/^anon:/);
    expect(kept?.deliveryAddress).toBeUndefined();
    expect(kept?.note).toBeUndefined();

    // The receipt reached the customer once, with the confirmation code.
    const receipts = repliesTo(t.graph.requests.slice(sendsBefore), pnid, waId);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toContain(DELETED);
    expect(receipts[0]).toContain(done.confirmationCode);
    expect(receipts[0]).toContain('Kept, anonymised: 1 order(s)');
    expect(errorLogs(second.logs)).toEqual([]);
  });
});

describe('the erasure job run more than once', () => {
  /** A customer with a delivery order who asked to delete their data and confirmed (the job not run yet). */
  async function confirmed(bot: ExtraInstance, name: string) {
    const pnid = newPhoneNumberId();
    const waId = newWaId();
    const res = await fetch(`${bot.bot.url}/admin/businesses/${pnid}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Casa Doble',
        currency: 'EUR',
        catalog: [{ id: 'coffee', name: 'Coffee', price: 1.2 }],
      }),
    });
    expect(res.status).toBe(201);
    const from = { phoneNumberId: pnid, waId, name };
    const ref = conversationId(pnid, waId);
    await chat(via(bot), inboundText(from, 'hi'));
    await bot.bot.orders.placeOrder(sampleOrder(pnid, ref, { fulfilment: 'delivery' }));
    await chat(via(bot), inboundText(from, 'delete my data'));
    const token = deleteButton(pnid, waId).slice(ERASE_YES.length);
    const business = { phoneNumberId: pnid } as BusinessData;
    const decision = await bot.bot.privacy.decideErasure(business, ref, token, true, { waId });
    if (decision.kind !== 'confirmed') throw new Error(`the erasure was not confirmed: ${decision.kind}`);
    return { pnid, waId, ref, requestId: decision.requestId };
  }

  beforeAll(async () => {
    if (!second) second = await startSecondInstance(t, { leaseMs: LEASE_MS });
    third = await startSecondInstance(t, { leaseMs: LEASE_MS });
    // No sweeps: the test decides who runs the job, and when.
    second.bot.privacy.stop();
    third.bot.privacy.stop();
  });

  async function expectOneReceipt(
    pnid: string,
    waId: string,
    code: string,
    models: Models,
    requestId: string,
  ) {
    const receipts = repliesTo(t.graph.requests, pnid, waId).filter((r) => r.startsWith(DELETED));
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toContain(code);
    expect(await models.Outbox.countDocuments({ inboundWamid: `privacy:${requestId}` })).toBe(1);
  }

  it('by two processes at once: one runs it, the other finds nothing to do', async () => {
    const a = second as ExtraInstance;
    const b = third as ExtraInstance;
    const { pnid, waId, ref, requestId } = await confirmed(a, 'Bartholomew Quince');
    // The process that confirmed it died: its lease has run out.
    await a.bot.models.PrivacyRequest.updateOne({ _id: requestId }, { $set: { 'lease.until': new Date(0) } });
    const results = await Promise.all([
      a.bot.privacy.runErasure(requestId),
      b.bot.privacy.runErasure(requestId),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const done = await findRequest(a.bot.models, requestId);
    expectFinished(done);
    expect(done.attempts).toBe(1);
    expect(done.steps.find((s) => s.name === 'orders')).toMatchObject({ anonymised: 1, kept: 1 });
    expect(await leftFor(a.bot.models, pnid, ref)).toEqual({
      customers: 0,
      conversations: 0,
      inbox: 0,
      outbox: 0,
      orders: 0,
    });
    await expectOneReceipt(pnid, waId, done.confirmationCode, a.bot.models, requestId);

    // Afterwards: nothing to do, nothing changes.
    expect(await a.bot.privacy.runErasure(requestId)).toBeNull();
    expect(await b.bot.privacy.runErasure(requestId)).toBeNull();
    expect(await b.bot.privacy.resumePending()).toBe(0);
    expect(await findRequest(a.bot.models, requestId)).toEqual(done);
    await expectOneReceipt(pnid, waId, done.confirmationCode, a.bot.models, requestId);
  });

  it('by one process twice at once (the job and its sweep): one outcome, counts not doubled', async () => {
    const a = second as ExtraInstance;
    const { pnid, waId, ref, requestId } = await confirmed(a, 'Cornelius Tiptree');
    await Promise.all([a.bot.privacy.runErasure(requestId), a.bot.privacy.runErasure(requestId)]);
    const done = await findRequest(a.bot.models, requestId);
    expectFinished(done);
    const total = (name: string) => done.steps.filter((s) => s.name === name).length;
    for (const name of STEPS) expect(total(name)).toBe(1);
    expect(done.steps.find((s) => s.name === 'orders')).toMatchObject({ anonymised: 1, kept: 1 });
    expect(done.steps.find((s) => s.name === 'customers')).toMatchObject({ deleted: 1 });
    expect(await leftFor(a.bot.models, pnid, ref)).toEqual({
      customers: 0,
      conversations: 0,
      inbox: 0,
      outbox: 0,
      orders: 0,
    });
    await expectOneReceipt(pnid, waId, done.confirmationCode, a.bot.models, requestId);
  });

  it('confirmed in the chat while the conversation is scheduled again: no conversation document comes back', async () => {
    const a = second as ExtraInstance;
    const pnid = newPhoneNumberId();
    const waId = newWaId();
    const res = await fetch(`${a.bot.url}/admin/businesses/${pnid}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Casa Doble',
        currency: 'EUR',
        catalog: [{ id: 'coffee', name: 'Coffee', price: 1.2 }],
      }),
    });
    expect(res.status).toBe(201);
    const from = { phoneNumberId: pnid, waId, name: 'Ezekiel Hartcombe' };
    const ref = conversationId(pnid, waId);
    await chat(via(a), inboundText(from, 'hi'));
    await chat(via(a), inboundText(from, 'delete my data'));
    const button = deleteButton(pnid, waId);
    // The inbox sweep (or another message's webhook) schedules the conversation while the tap is handled.
    const privacy = a.bot.privacy;
    const run = privacy.runErasure.bind(privacy);
    const spy = vi.spyOn(privacy, 'runErasure').mockImplementation((id: string) => {
      a.bot.engine.enqueue([ref]);
      return run(id);
    });
    try {
      await chat(
        via(a),
        inboundMessage(from, 'interactive', {
          interactive: { type: 'button_reply', button_reply: { id: button, title: 'Delete my data' } },
        }),
      );
    } finally {
      spy.mockRestore();
    }
    const done = await a.bot.models.PrivacyRequest.findOne({ phoneNumberId: pnid, type: 'erasure' })
      .lean<PrivacyRequest>()
      .exec();
    expectFinished(done);
    await sleep(100);
    expect(await leftFor(a.bot.models, pnid, ref)).toEqual({
      customers: 0,
      conversations: 0,
      inbox: 0,
      outbox: 0,
      orders: 0,
    });
  });

  it('after a crash between the receipt message and the final status: completed, receipt not sent again', async () => {
    const a = second as ExtraInstance;
    const b = third as ExtraInstance;
    const { pnid, waId, ref, requestId } = await confirmed(a, 'Drusilla Pennyfeather');
    const model = a.bot.models.PrivacyRequest;
    const original = model.updateOne.bind(model);
    const crash = vi.spyOn(model, 'updateOne').mockImplementation(((filter: unknown, update: unknown) => {
      if ((update as { $set?: { status?: unknown } } | undefined)?.$set?.status !== undefined) {
        throw new Error('simulated crash before the final status');
      }
      return (original as (f: unknown, u: unknown) => unknown)(filter, update);
    }) as never);
    try {
      await expect(a.bot.privacy.runErasure(requestId)).rejects.toThrow(
        'simulated crash before the final status',
      );
    } finally {
      crash.mockRestore();
    }
    const stuck = await findRequest(b.bot.models, requestId);
    expect(stuck?.status).toBe('in_progress');
    expect(stuck?.steps.map((s) => s.name)).toEqual(STEPS);
    await expectOneReceipt(pnid, waId, stuck?.confirmationCode ?? '?', b.bot.models, requestId);

    // The crashed process's lease runs out; another process resumes it, as at its start-up.
    await b.bot.models.PrivacyRequest.updateOne({ _id: requestId }, { $set: { 'lease.until': new Date(0) } });
    expect(await b.bot.privacy.resumePending()).toBe(1);
    const done = await findRequest(b.bot.models, requestId);
    expectFinished(done);
    expect(await leftFor(b.bot.models, pnid, ref)).toEqual({
      customers: 0,
      conversations: 0,
      inbox: 0,
      outbox: 0,
      orders: 0,
    });
    await expectOneReceipt(pnid, waId, done.confirmationCode, b.bot.models, requestId);
    expect(b.logs.join('\n')).not.toContain('ERASURE VERIFICATION FAILED');
  });
});
