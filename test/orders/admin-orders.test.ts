/**
 * The orders admin API end to end: the whole bot on a random port, the real webhook to give a customer an
 * open 24-hour window, orders placed through the bot's own service (the chat ordering flow is built
 * separately), and the loopback Graph API stub to see what the customer was told.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import type { PlaceOrderInput } from '../../src/orders/service.js';
import type { OrderView } from '../../src/orders/routes.js';
import { SERVICE_WINDOW_MS } from '../../src/outbox/sender.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { conversationId, repliesTo } from '../helpers/engine.js';
import { sampleOrder } from '../helpers/orders.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { configureBusiness, sendsFor } from '../helpers/webhook.js';

interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ field: string; message: string }> };
}

interface ListBody {
  orders: OrderView[];
  page: number;
  limit: number;
  total: number;
}

interface PatchBody {
  order: OrderView;
  changed: boolean;
  notification: { outboxId: string; status: string; skippedReason?: string; templateNeeded: boolean } | null;
}

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('admin-orders');
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

/**
 * A configured business and a customer who has just written to it (the webhook creates the customer
 * record, which opens the 24-hour window); the stub's record of the bot's greeting is cleared.
 */
async function businessWithCustomer(): Promise<{ pnid: string; waId: string; ref: string }> {
  const pnid = newPhoneNumberId();
  const waId = newWaId();
  await configureBusiness(t, pnid, 'Casa Pedidos');
  const res = await t.postWebhook(inboundText({ phoneNumberId: pnid, waId, wamid: newWamid() }, 'hi'));
  expect(res.status).toBe(200);
  await t.settled();
  t.graph.reset();
  return { pnid, waId, ref: conversationId(pnid, waId) };
}

function place(pnid: string, ref: string, overrides: Partial<PlaceOrderInput> = {}) {
  return t.bot.orders.placeOrder(sampleOrder(pnid, ref, overrides));
}

function patch(pnid: string, orderNumber: number | string, body: unknown, token?: string | null) {
  return t.admin('PATCH', `/admin/businesses/${pnid}/orders/${orderNumber}`, body, token);
}

async function errorOf(res: Response): Promise<ErrorBody['error']> {
  return ((await res.json()) as ErrorBody).error;
}

async function noticesOf(pnid: string): Promise<OutboxEntry[]> {
  return t.bot.models.Outbox.find({ phoneNumberId: pnid, inboundWamid: { $regex: '^order:' } })
    .sort({ createdAt: 1 })
    .lean<OutboxEntry[]>()
    .exec();
}

describe('GET /admin/businesses/:phoneNumberId/orders', () => {
  it('when orders are listed by page and by status, then the right ones come back newest first, with the total and prices in major units', async () => {
    const { pnid, ref } = await businessWithCustomer();
    for (let i = 0; i < 4; i += 1) await place(pnid, ref);
    await place(pnid, ref, { fulfilment: 'delivery', note: 'ring twice' });
    for (const n of [1001, 1003]) await t.bot.orders.changeStatus(pnid, n, 'confirmed', 'business');

    const page2 = await t.admin('GET', `/admin/businesses/${pnid}/orders?limit=2&page=2`);
    const confirmed = await t.admin('GET', `/admin/businesses/${pnid}/orders?status=confirmed`);
    const newest = await t.admin('GET', `/admin/businesses/${pnid}/orders?limit=1`);

    expect(page2.status).toBe(200);
    const body2 = (await page2.json()) as ListBody;
    expect(body2).toMatchObject({ page: 2, limit: 2, total: 5 });
    expect(body2.orders.map((o) => o.orderNumber)).toEqual([1003, 1002]);
    const bodyConfirmed = (await confirmed.json()) as ListBody;
    expect(bodyConfirmed).toMatchObject({ page: 1, limit: 20, total: 2 });
    expect(bodyConfirmed.orders.map((o) => [o.orderNumber, o.status])).toEqual([
      [1003, 'confirmed'],
      [1001, 'confirmed'],
    ]);
    const [latest] = ((await newest.json()) as ListBody).orders;
    expect(latest).toMatchObject({
      orderNumber: 1005,
      status: 'placed',
      items: [
        { itemId: 'coffee', name: 'Coffee', unitPrice: 1.2, quantity: 2, lineTotal: 2.4 },
        { itemId: 'croissant', name: 'Croissant', unitPrice: 2.35, quantity: 1, lineTotal: 2.35 },
      ],
      total: 4.75,
      currency: 'EUR',
      fulfilment: 'delivery',
      deliveryAddress: { text: 'Rua das Flores 12, 2º' },
      note: 'ring twice',
      nextStatuses: ['confirmed', 'preparing', 'ready', 'cancelled'],
    });
  });

  it('when orders are listed, then the response holds neither the customer’s number nor their reference', async () => {
    const { pnid, waId, ref } = await businessWithCustomer();
    await place(pnid, ref);

    const res = await t.admin('GET', `/admin/businesses/${pnid}/orders`);

    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('"orderNumber":1001');
    expect(text).not.toContain(waId);
    expect(text).not.toContain(ref);
    expect(text).not.toContain('customerRef');
  });

  it('when the status filter is unknown or the limit is out of range, then 400 names the field', async () => {
    const { pnid } = await businessWithCustomer();

    const badStatus = await t.admin('GET', `/admin/businesses/${pnid}/orders?status=shipped`);
    const zero = await t.admin('GET', `/admin/businesses/${pnid}/orders?limit=0`);
    const tooMany = await t.admin('GET', `/admin/businesses/${pnid}/orders?limit=101`);
    const badPage = await t.admin('GET', `/admin/businesses/${pnid}/orders?page=first`);

    for (const res of [badStatus, zero, tooMany, badPage]) expect(res.status).toBe(400);
    expect((await errorOf(badStatus)).fields?.map((f) => f.field)).toEqual(['status']);
    expect((await errorOf(zero)).fields?.map((f) => f.field)).toEqual(['limit']);
    expect((await errorOf(tooMany)).fields?.map((f) => f.field)).toEqual(['limit']);
    expect((await errorOf(badPage)).fields?.map((f) => f.field)).toEqual(['page']);
  });

  it('when the business is unknown, then 404', async () => {
    const res = await t.admin('GET', `/admin/businesses/${newPhoneNumberId()}/orders`);

    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('NOT_FOUND');
  });

  it('when there is no operator token or a wrong one, then 401 and no orders', async () => {
    const { pnid, ref } = await businessWithCustomer();
    await place(pnid, ref);

    const none = await t.admin('GET', `/admin/businesses/${pnid}/orders`, undefined, null);
    const wrong = await t.admin('GET', `/admin/businesses/${pnid}/orders`, undefined, 'not-the-token');

    expect(none.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('orderNumber');
  });
});

describe('PATCH /admin/businesses/:phoneNumberId/orders/:orderNumber', () => {
  it('when the business moves an order on, then 200 with the order, and the customer gets one text', async () => {
    const { pnid, waId, ref } = await businessWithCustomer();
    await place(pnid, ref);

    const res = await patch(pnid, 1001, { status: 'confirmed' });

    expect(res.status).toBe(200);
    const body = (await res.json()) as PatchBody;
    expect(body.changed).toBe(true);
    expect(body.order).toMatchObject({
      orderNumber: 1001,
      status: 'confirmed',
      nextStatuses: ['preparing', 'ready', 'cancelled'],
    });
    expect(body.order.statusHistory.map((h) => [h.status, h.by])).toEqual([
      ['placed', 'customer'],
      ['confirmed', 'business'],
    ]);
    expect(body.notification).toMatchObject({ status: 'sent', templateNeeded: false });
    expect(sendsFor(t, pnid)).toHaveLength(1);
    expect(repliesTo(t.graph.requests, pnid, waId)).toEqual(['Your order 1001 is confirmed.']);
    expect(JSON.stringify(body)).not.toContain(waId);
  });

  it('when the same PATCH is repeated, then it answers 200 unchanged and the customer is not told twice', async () => {
    const { pnid, waId, ref } = await businessWithCustomer();
    await place(pnid, ref);
    expect((await patch(pnid, 1001, { status: 'confirmed' })).status).toBe(200);
    expect((await patch(pnid, 1001, { status: 'preparing' })).status).toBe(200);

    const again = await patch(pnid, 1001, { status: 'preparing' });

    expect(again.status).toBe(200);
    expect(((await again.json()) as PatchBody).changed).toBe(false);
    // The change is awaited to the Graph request before the answer, so "no request" is a real observation.
    expect(repliesTo(t.graph.requests, pnid, waId)).toEqual([
      'Your order 1001 is confirmed.',
      'Your order 1001 is being prepared.',
    ]);
    expect((await noticesOf(pnid)).map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it("when the customer's last message is over 24 hours old, then nothing is sent and the outbox record says a template is needed", async () => {
    const { pnid, ref } = await businessWithCustomer();
    await place(pnid, ref);
    await t.bot.models.Customer.updateOne(
      { _id: ref },
      { $set: { lastInboundAt: new Date(Date.now() - SERVICE_WINDOW_MS - 60_000) } },
    ).exec();

    const res = await patch(pnid, 1001, { status: 'confirmed' });

    expect(res.status).toBe(200);
    expect(((await res.json()) as PatchBody).notification).toEqual(
      expect.objectContaining({
        status: 'skipped',
        skippedReason: 'outside-24h-window',
        templateNeeded: true,
      }),
    );
    expect(t.graph.requests).toEqual([]);
    const [record] = await noticesOf(pnid);
    expect(record).toMatchObject({
      audience: 'customer',
      customerRef: ref,
      seq: 0,
      status: 'skipped',
      skippedReason: 'outside-24h-window',
      templateNeeded: true,
    });
    // Skipped is final: the sealed text goes (it was never sent), and no plain text was ever stored.
    expect(record).not.toHaveProperty('sealedMessage');
    expect(record).not.toHaveProperty('message');
  });

  it('when the change is not allowed (backwards), then 409 says from, to and what is allowed, and nothing changes or is sent', async () => {
    const { pnid, ref } = await businessWithCustomer();
    await place(pnid, ref);
    expect((await patch(pnid, 1001, { status: 'preparing' })).status).toBe(200);
    t.graph.reset();

    const res = await patch(pnid, 1001, { status: 'confirmed' });

    expect(res.status).toBe(409);
    expect(await errorOf(res)).toEqual({
      code: 'CONFLICT',
      message: 'cannot change order 1001 from preparing to confirmed; allowed: ready, cancelled',
    });
    expect((await t.bot.orders.findOrder(pnid, 1001))?.status).toBe('preparing');
    expect(t.graph.requests).toEqual([]);
  });

  it('when a placed order is moved straight to ready, then 200 and the customer gets one notice, of ready', async () => {
    const { pnid, waId, ref } = await businessWithCustomer();
    await place(pnid, ref);
    t.graph.reset();

    const res = await patch(pnid, 1001, { status: 'ready' });

    expect(res.status).toBe(200);
    const body = (await res.json()) as PatchBody;
    expect(body.order.statusHistory.map((h) => h.status)).toEqual(['placed', 'ready']);
    expect(repliesTo(t.graph.requests, pnid, waId)).toEqual(['Your order 1001 is ready for pickup.']);
  });

  it('when a pickup order that is ready is sent out for delivery, then 409 says only completed is allowed', async () => {
    const { pnid, ref } = await businessWithCustomer();
    await place(pnid, ref);
    for (const status of ['confirmed', 'preparing', 'ready']) {
      expect((await patch(pnid, 1001, { status })).status).toBe(200);
    }

    const res = await patch(pnid, 1001, { status: 'out_for_delivery' });

    expect(res.status).toBe(409);
    expect((await errorOf(res)).message).toBe(
      'cannot change order 1001 from ready to out_for_delivery; allowed: completed',
    );
  });

  it('when two conflicting PATCHes arrive at once, then one wins with 200, the other gets 409, and one notice is sent', async () => {
    const { pnid, waId, ref } = await businessWithCustomer();
    await place(pnid, ref);
    for (const status of ['confirmed', 'preparing']) await patch(pnid, 1001, { status });
    t.graph.reset();

    const answers = await Promise.all([
      patch(pnid, 1001, { status: 'ready' }),
      patch(pnid, 1001, { status: 'cancelled' }),
    ]);

    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const final = await t.bot.orders.findOrder(pnid, 1001);
    const winner = answers[0]?.status === 200 ? 'ready' : 'cancelled';
    expect(final?.status).toBe(winner);
    expect(final?.statusHistory.map((h) => h.status)).toEqual(['placed', 'confirmed', 'preparing', winner]);
    expect(repliesTo(t.graph.requests, pnid, waId)).toHaveLength(1);
  });

  it('when the order or the business does not exist, then 404', async () => {
    const { pnid } = await businessWithCustomer();

    const noOrder = await patch(pnid, 4242, { status: 'confirmed' });
    const noBusiness = await patch(newPhoneNumberId(), 1001, { status: 'confirmed' });

    expect(noOrder.status).toBe(404);
    expect((await errorOf(noOrder)).message).toBe(`no order 4242 at business ${pnid}`);
    expect(noBusiness.status).toBe(404);
  });

  it('when the body or the order number is not valid, then 400 names the field and nothing changes', async () => {
    const { pnid, ref } = await businessWithCustomer();
    await place(pnid, ref);

    const unknown = await patch(pnid, 1001, { status: 'shipped' });
    const missing = await patch(pnid, 1001, {});
    const extra = await patch(pnid, 1001, { status: 'confirmed', by: 'customer' });
    const notJson = await patch(pnid, 1001, '{"status":');
    const badNumber = await patch(pnid, 'A7K-42', { status: 'confirmed' });

    expect((await errorOf(unknown)).fields?.map((f) => f.field)).toEqual(['status']);
    expect((await errorOf(missing)).fields?.map((f) => f.field)).toEqual(['status']);
    expect((await errorOf(extra)).fields?.map((f) => f.field)).toEqual(['by']);
    expect(notJson.status).toBe(400);
    expect((await errorOf(badNumber)).fields?.map((f) => f.field)).toEqual(['orderNumber']);
    for (const res of [unknown, missing, extra, badNumber]) expect(res.status).toBe(400);
    expect((await t.bot.orders.findOrder(pnid, 1001))?.status).toBe('placed');
    expect(t.graph.requests).toEqual([]);
  });

  it('when there is no operator token, then 401 and the order stays as it was', async () => {
    const { pnid, ref } = await businessWithCustomer();
    await place(pnid, ref);

    const res = await patch(pnid, 1001, { status: 'confirmed' }, null);

    expect(res.status).toBe(401);
    expect((await t.bot.orders.findOrder(pnid, 1001))?.status).toBe('placed');
    expect(t.graph.requests).toEqual([]);
  });
});
