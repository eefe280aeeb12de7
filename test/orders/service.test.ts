/**
 * The order service on the embedded database (or MONGODB_URI) through mongoose: order numbers under
 * concurrency, exact totals, every status change the table allows or refuses, racing changes, and the
 * customer's notice (through the real sender, with an in-memory WhatsApp client).
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage, Recipient } from '../../src/core/vocabulary.js';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import { ORDER_STATUSES } from '../../src/db/models/order.model.js';
import type { Fulfilment, Order, OrderModel, OrderStatus } from '../../src/db/models/order.model.js';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import { SERVICE_WINDOW_MS, createSender } from '../../src/outbox/sender.js';
import type { Deliver } from '../../src/outbox/sender.js';
import {
  OrderInputError,
  OrderNotFoundError,
  OrderService,
  OrderTransitionError,
} from '../../src/orders/service.js';
import type { WhatsAppClient } from '../../src/whatsapp/client.js';
import { testSealer } from '../helpers/bot.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';
import { sampleOrder } from '../helpers/orders.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';

let testDb: TestDatabase;
let connection: Connection;
let models: Models;
const logger = pino({ level: 'silent' });

/** What the in-memory WhatsApp client was asked to send. */
const sent: Array<{ phoneNumberId: string; recipient: Recipient; message: OutboundMessage }> = [];
const client: WhatsAppClient = {
  send: (phoneNumberId, recipient, message) => {
    sent.push({ phoneNumberId, recipient, message });
    return Promise.resolve({ wamids: [`wamid.FAKE${randomBytes(6).toString('hex')}`] });
  },
  uploadMedia: () => Promise.reject(new Error('not used')),
  markRead: () => Promise.resolve(),
};
let deliver: Deliver;
const sealer = testSealer();

function service(overrides: { Order?: OrderModel; deliver?: Deliver } = {}): OrderService {
  return new OrderService({
    Order: overrides.Order ?? models.Order,
    Counter: models.Counter,
    Outbox: models.Outbox,
    Customer: models.Customer,
    sealer,
    deliver: overrides.deliver ?? deliver,
    logger,
  });
}

beforeAll(async () => {
  testDb = await useTestDatabase('orders-service');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
  await Promise.all(Object.values(models).map((model) => model.init()));
  deliver = createSender({
    Outbox: models.Outbox,
    Customer: models.Customer,
    client,
    canSend: true,
    sealer,
    logger,
  });
});
afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await testDb.close();
});
beforeEach(() => {
  sent.length = 0;
});

const newRef = (): string => `ref-${randomBytes(8).toString('hex')}`;

/** A customer of the business who wrote `agoMs` ago (the 24-hour window runs from there). */
async function customer(phoneNumberId: string, agoMs = 60_000): Promise<{ ref: string; waId: string }> {
  const ref = newRef();
  const waId = newWaId();
  await models.Customer.create({
    _id: ref,
    phoneNumberId,
    waId,
    lastInboundAt: new Date(Date.now() - agoMs),
  });
  return { ref, waId };
}

async function outboxOf(order: Order): Promise<OutboxEntry[]> {
  return models.Outbox.find({ inboundWamid: { $regex: `^order:${String(order._id)}:` } })
    .sort({ createdAt: 1 })
    .lean<OutboxEntry[]>()
    .exec();
}

async function stored(order: Order): Promise<Order> {
  const found = await models.Order.findById(order._id).lean<Order>().exec();
  if (!found) throw new Error(`order ${order.orderNumber} is gone`);
  return found;
}

async function refusal(promise: Promise<unknown>): Promise<OrderTransitionError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OrderTransitionError);
  return err as OrderTransitionError;
}

async function inputProblems(promise: Promise<unknown>): Promise<string[]> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OrderInputError);
  return (err as OrderInputError).problems;
}

describe('OrderService.placeOrder', () => {
  it('when an order adds up, then it is stored as placed with number 1001, its lines and total exact, and its first history entry by the customer', async () => {
    const pnid = newPhoneNumberId();
    const ref = newRef();

    const order = await service().placeOrder(sampleOrder(pnid, ref, { note: 'no sugar' }));

    const saved = await stored(order);
    expect(saved).toMatchObject({
      phoneNumberId: pnid,
      customerRef: ref,
      orderNumber: 1001,
      status: 'placed',
      totalMinor: 475,
      currency: 'EUR',
      fulfilment: 'pickup',
      note: 'no sugar',
    });
    expect(saved.items).toEqual([
      { itemId: 'coffee', name: 'Coffee', unitPriceMinor: 120, quantity: 2, lineTotalMinor: 240 },
      { itemId: 'croissant', name: 'Croissant', unitPriceMinor: 235, quantity: 1, lineTotalMinor: 235 },
    ]);
    expect(saved.deliveryAddress).toBeUndefined();
    expect(saved.statusHistory.map((h) => [h.status, h.by])).toEqual([['placed', 'customer']]);
    expect(saved.placedAt).toBeInstanceOf(Date);
  });

  it('when 50 orders are placed at once for one business, then they get the 50 distinct numbers 1001 to 1050', async () => {
    const pnid = newPhoneNumberId();
    const orders = service();

    const placed = await Promise.all(
      Array.from({ length: 50 }, () => orders.placeOrder(sampleOrder(pnid, newRef()))),
    );

    const numbers = placed.map((o) => o.orderNumber).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => 1001 + i));
    expect(await models.Order.countDocuments({ phoneNumberId: pnid }).exec()).toBe(50);
  });

  it('when two businesses take orders at the same time, then each numbers its own from 1001', async () => {
    const [a, b] = [newPhoneNumberId(), newPhoneNumberId()];
    const orders = service();

    const placed = await Promise.all(
      Array.from({ length: 20 }, (_, i) => orders.placeOrder(sampleOrder(i % 2 === 0 ? a : b, newRef()))),
    );

    const numbersOf = (pnid: string) =>
      placed
        .filter((o) => o.phoneNumberId === pnid)
        .map((o) => o.orderNumber)
        .sort((x, y) => x - y);
    expect(numbersOf(a)).toEqual([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010]);
    expect(numbersOf(b)).toEqual([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010]);
  });

  it('when the number counter is behind the stored orders (reset), then the next order skips to a free number', async () => {
    const pnid = newPhoneNumberId();
    const orders = service();
    for (let i = 0; i < 3; i += 1) await orders.placeOrder(sampleOrder(pnid, newRef()));
    await models.Counter.deleteOne({ _id: `order:${pnid}` }).exec();

    const next = await orders.placeOrder(sampleOrder(pnid, newRef()));

    expect(next.orderNumber).toBe(1004);
  });

  it('when an order is placed again with the same source key (a retried chat step), then the first order comes back and no number is taken', async () => {
    const pnid = newPhoneNumberId();
    const orders = service();
    const sourceKey = `step-${randomBytes(8).toString('hex')}:placeOrder`;

    const first = await orders.placeOrder(sampleOrder(pnid, newRef(), { sourceKey }));
    const again = await orders.placeOrder(sampleOrder(pnid, newRef(), { sourceKey }));
    const next = await orders.placeOrder(sampleOrder(pnid, newRef()));

    expect(again._id).toEqual(first._id);
    expect([first.orderNumber, again.orderNumber, next.orderNumber]).toEqual([1001, 1001, 1002]);
    expect(await models.Order.countDocuments({ phoneNumberId: pnid }).exec()).toBe(2);
    expect((await models.Counter.findById(`order:${pnid}`).lean().exec())?.seq).toBe(2);
  });

  it('when two runs of one step place their order at the same moment, then there is one order and both get its number', async () => {
    const pnid = newPhoneNumberId();
    const orders = service();
    const sourceKey = `step-${randomBytes(8).toString('hex')}:placeOrder`;

    const twins = await Promise.all([
      orders.placeOrder(sampleOrder(pnid, newRef(), { sourceKey })),
      orders.placeOrder(sampleOrder(pnid, newRef(), { sourceKey })),
    ]);

    expect(twins[0].orderNumber).toBe(twins[1].orderNumber);
    expect(await models.Order.countDocuments({ phoneNumberId: pnid }).exec()).toBe(1);
  });

  it('when a line total is not unit price × quantity, then the order is refused naming that line, and no number is used', async () => {
    const pnid = newPhoneNumberId();
    const bad = sampleOrder(pnid, newRef());
    bad.items = [
      { itemId: 'coffee', name: 'Coffee', unitPriceMinor: 120, quantity: 2, lineTotalMinor: 239 },
      { itemId: 'croissant', name: 'Croissant', unitPriceMinor: 235, quantity: 1, lineTotalMinor: 235 },
    ];
    bad.totalMinor = 474;

    const problems = await inputProblems(service().placeOrder(bad));

    expect(problems).toEqual(['items.0.lineTotalMinor must be unitPriceMinor × quantity (240)']);
    expect(await models.Order.countDocuments({ phoneNumberId: pnid }).exec()).toBe(0);
    expect((await service().placeOrder(sampleOrder(pnid, newRef()))).orderNumber).toBe(1001);
  });

  it('when the total is not the sum of the lines, then the order is refused naming totalMinor', async () => {
    const problems = await inputProblems(
      service().placeOrder(sampleOrder(newPhoneNumberId(), newRef(), { totalMinor: 476 })),
    );

    expect(problems).toEqual(['totalMinor must be the sum of the lines (475)']);
  });

  it('when an amount is not a whole number of minor units, then the order is refused', async () => {
    const order = sampleOrder(newPhoneNumberId(), newRef(), {
      items: [{ itemId: 'tea', name: 'Tea', unitPriceMinor: 1.5, quantity: 2, lineTotalMinor: 3 }],
      totalMinor: 3,
    });

    const problems = await inputProblems(service().placeOrder(order));

    expect(problems.some((p) => p.startsWith('items.0.unitPriceMinor'))).toBe(true);
  });

  it('when a line total would pass 2^53, then the order is refused instead of stored rounded', async () => {
    const huge = 2 ** 51;
    const order = sampleOrder(newPhoneNumberId(), newRef(), {
      items: [{ itemId: 'gold', name: 'Gold', unitPriceMinor: huge, quantity: 8, lineTotalMinor: huge * 8 }],
      totalMinor: huge * 8,
    });

    const problems = await inputProblems(service().placeOrder(order));

    expect(problems.some((p) => p.startsWith('items.0.lineTotalMinor'))).toBe(true);
  });

  it('when a delivery order has no address, or a pickup order has one, then it is refused naming deliveryAddress', async () => {
    const pnid = newPhoneNumberId();
    const noAddress = sampleOrder(pnid, newRef(), { fulfilment: 'delivery' });
    delete noAddress.deliveryAddress;
    const pickupWithAddress = sampleOrder(pnid, newRef(), { deliveryAddress: { text: 'Somewhere 1' } });

    expect(await inputProblems(service().placeOrder(noAddress))).toEqual([
      'deliveryAddress is required for delivery',
    ]);
    expect(await inputProblems(service().placeOrder(pickupWithAddress))).toEqual([
      'deliveryAddress is only for delivery orders',
    ]);
  });

  it('when an order has no items or an unknown currency, then it is refused', async () => {
    const pnid = newPhoneNumberId();

    const empty = await inputProblems(
      service().placeOrder(sampleOrder(pnid, newRef(), { items: [], totalMinor: 0 })),
    );
    const currency = await inputProblems(
      service().placeOrder(sampleOrder(pnid, newRef(), { currency: 'EUX' })),
    );

    expect(empty).toEqual(['items an order needs at least one item']);
    expect(currency).toEqual(['currency must be an ISO 4217 currency code']);
  });
});

describe('OrderService.listOrders and recentOrdersOf', () => {
  it('when a business lists its orders by status and page, then it gets the right slice, newest first, and the total', async () => {
    const pnid = newPhoneNumberId();
    const orders = service();
    const placed: Order[] = [];
    for (let i = 0; i < 5; i += 1) placed.push(await orders.placeOrder(sampleOrder(pnid, newRef())));
    for (const o of placed.slice(0, 3))
      await orders.changeStatus(pnid, o.orderNumber, 'confirmed', 'business');
    await orders.placeOrder(sampleOrder(newPhoneNumberId(), newRef())); // another business: never listed

    const all = await orders.listOrders(pnid, { limit: 2, page: 2 });
    const confirmed = await orders.listOrders(pnid, { status: 'confirmed', limit: 10, page: 1 });

    expect(all.total).toBe(5);
    expect(all.orders.map((o) => o.orderNumber)).toEqual([1003, 1002]);
    expect(confirmed.total).toBe(3);
    expect(confirmed.orders.map((o) => o.orderNumber)).toEqual([1003, 1002, 1001]);
  });

  it("when a customer's recent orders are asked for, then only theirs at that business come back, newest first", async () => {
    const pnid = newPhoneNumberId();
    const orders = service();
    const ref = newRef();
    await orders.placeOrder(sampleOrder(pnid, ref));
    await orders.placeOrder(sampleOrder(pnid, newRef()));
    await orders.placeOrder(sampleOrder(pnid, ref));
    await orders.placeOrder(sampleOrder(pnid, ref));

    const recent = await orders.recentOrdersOf(ref, pnid, 2);

    expect(recent.map((o) => o.orderNumber)).toEqual([1004, 1003]);
  });
});

/** The statuses the business may move an order to, written out here rather than read from the service. */
function expectedNext(from: OrderStatus, fulfilment: Fulfilment): OrderStatus[] {
  switch (from) {
    case 'placed':
      return ['confirmed', 'preparing', 'ready', 'cancelled'];
    case 'confirmed':
      return ['preparing', 'ready', 'cancelled'];
    case 'preparing':
      return ['ready', 'cancelled'];
    case 'ready':
      return fulfilment === 'delivery' ? ['out_for_delivery', 'completed'] : ['completed'];
    case 'out_for_delivery':
      return ['completed'];
    case 'completed':
    case 'cancelled':
      return [];
  }
}

/** How an order gets to each status (from `placed`). */
const PATH_TO: Record<OrderStatus, OrderStatus[]> = {
  placed: [],
  confirmed: ['confirmed'],
  preparing: ['confirmed', 'preparing'],
  ready: ['confirmed', 'preparing', 'ready'],
  out_for_delivery: ['confirmed', 'preparing', 'ready', 'out_for_delivery'],
  completed: ['confirmed', 'preparing', 'ready', 'completed'],
  cancelled: ['cancelled'],
};

/** A placed order walked to `status` by the business, for a customer whose window is open. */
async function orderAt(status: OrderStatus, fulfilment: Fulfilment = 'pickup'): Promise<Order> {
  const pnid = newPhoneNumberId();
  const { ref } = await customer(pnid);
  const orders = service();
  let order = await orders.placeOrder(sampleOrder(pnid, ref, { fulfilment }));
  for (const step of PATH_TO[status]) {
    order = (await orders.changeStatus(pnid, order.orderNumber, step, 'business')).order;
  }
  return order;
}

const cases = (['pickup', 'delivery'] as const).flatMap((fulfilment) =>
  ORDER_STATUSES.filter((from) => fulfilment === 'delivery' || from !== 'out_for_delivery').flatMap((from) =>
    ORDER_STATUSES.filter((to) => to !== from).map((to) => ({
      fulfilment,
      from,
      to,
      allowed: expectedNext(from, fulfilment).includes(to),
    })),
  ),
);

describe('OrderService.changeStatus: the transition table', () => {
  for (const { fulfilment, from, to } of cases.filter((c) => c.allowed)) {
    it(`when a ${fulfilment} order is ${from} and the business moves it to ${to}, then the change is made and recorded`, async () => {
      const order = await orderAt(from, fulfilment);

      const result = await service().changeStatus(order.phoneNumberId, order.orderNumber, to, 'business');

      expect(result.changed).toBe(true);
      const saved = await stored(order);
      expect(saved.status).toBe(to);
      expect(saved.statusHistory.map((h) => h.status)).toEqual(['placed', ...PATH_TO[from], to]);
      expect(saved.statusHistory.at(-1)?.by).toBe('business');
    });
  }

  for (const { fulfilment, from, to } of cases.filter((c) => !c.allowed)) {
    it(`when a ${fulfilment} order is ${from} and the business moves it to ${to}, then it is refused naming from, to and what is allowed`, async () => {
      const order = await orderAt(from, fulfilment);

      const err = await refusal(
        service().changeStatus(order.phoneNumberId, order.orderNumber, to, 'business'),
      );

      const allowed = expectedNext(from, fulfilment);
      expect(err).toMatchObject({ from, to, allowed, reason: 'not-allowed', orderNumber: order.orderNumber });
      expect(err.message).toBe(
        `cannot change order ${order.orderNumber} from ${from} to ${to}; allowed: ${
          allowed.length > 0 ? allowed.join(', ') : `none (${from} is final)`
        }`,
      );
      expect((await stored(order)).status).toBe(from);
    });
  }

  it('when the order is placed and the business asks for completed, then the message names the way forward', async () => {
    const order = await orderAt('placed');

    const err = await refusal(
      service().changeStatus(order.phoneNumberId, order.orderNumber, 'completed', 'business'),
    );

    expect(err.message).toBe(
      'cannot change order 1001 from placed to completed; allowed: confirmed, preparing, ready, cancelled',
    );
  });

  it('when the order already has the status asked for, then nothing is written and changed is false', async () => {
    const order = await orderAt('preparing');
    const before = await stored(order);

    const result = await service().changeStatus(
      order.phoneNumberId,
      order.orderNumber,
      'preparing',
      'business',
    );

    expect(result.changed).toBe(false);
    expect(await stored(order)).toEqual(before);
  });

  it('when the order number does not exist at that business, then OrderNotFoundError', async () => {
    const order = await orderAt('placed');

    const err = await service()
      .changeStatus(newPhoneNumberId(), order.orderNumber, 'confirmed', 'business')
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(OrderNotFoundError);
  });
});

describe('OrderService.cancelByCustomer', () => {
  it('when the customer cancels an order that is still placed, then it is cancelled by the customer and no notice is stored', async () => {
    const order = await orderAt('placed');

    const result = await service().cancelByCustomer(
      order.phoneNumberId,
      order.customerRef,
      order.orderNumber,
    );

    expect(result).toMatchObject({ changed: true, notification: null });
    const saved = await stored(order);
    expect(saved.status).toBe('cancelled');
    expect(saved.statusHistory.at(-1)?.by).toBe('customer');
    expect(await outboxOf(order)).toEqual([]);
    expect(sent).toEqual([]);
  });

  for (const from of ['confirmed', 'preparing', 'ready', 'completed'] as const) {
    it(`when the customer tries to cancel an order that is ${from}, then it is refused with nothing allowed`, async () => {
      const order = await orderAt(from);

      const err = await refusal(
        service().cancelByCustomer(order.phoneNumberId, order.customerRef, order.orderNumber),
      );

      expect(err).toMatchObject({ from, to: 'cancelled', allowed: [] });
      expect((await stored(order)).status).toBe(from);
    });
  }

  it("when a customer names another customer's order, then it is not found and stays as it was", async () => {
    const order = await orderAt('placed');

    const err = await service()
      .cancelByCustomer(order.phoneNumberId, newRef(), order.orderNumber)
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(OrderNotFoundError);
    expect((await stored(order)).status).toBe('placed');
  });
});

describe('OrderService.changeStatus under concurrency', () => {
  /**
   * An Order model on the same collection whose status writes wait until `parties` of them are under way:
   * every racing request has read the order before any writes, the worst interleaving, made certain.
   */
  function orderModelWithWriteBarrier(parties: number): OrderModel {
    let arrived = 0;
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const schema = models.Order.schema.clone();
    schema.pre('findOneAndUpdate', async () => {
      arrived += 1;
      if (arrived >= parties) open();
      await gate;
    });
    return connection.model<Order>(`OrderBarrier${randomBytes(4).toString('hex')}`, schema);
  }

  it('when two requests that both read "confirmed" race to preparing and cancelled, then exactly one wins and the other is refused as a concurrent change', async () => {
    const order = await orderAt('confirmed');
    const racing = service({ Order: orderModelWithWriteBarrier(2) });

    const results = await Promise.allSettled([
      racing.changeStatus(order.phoneNumberId, order.orderNumber, 'preparing', 'business'),
      racing.changeStatus(order.phoneNumberId, order.orderNumber, 'cancelled', 'business'),
    ]);

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(OrderTransitionError);
    const err = lost[0] as OrderTransitionError;
    expect(err.reason).toBe('changed-concurrently');
    expect(err.expected).toBe('confirmed');
    const saved = await stored(order);
    expect(saved.statusHistory.map((h) => h.status)).toEqual(['placed', 'confirmed', saved.status]);
    expect(err.from).toBe(saved.status);
    // Only the winner's change was announced.
    expect(sent.map((s) => s.message)).toHaveLength(2); // confirmed (setup) + the winner
  });

  it('when ten identical changes race, then one makes it, the others see it already made, and the customer is told once', async () => {
    const order = await orderAt('confirmed');
    sent.length = 0;
    const racing = service({ Order: orderModelWithWriteBarrier(10) });

    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        racing.changeStatus(order.phoneNumberId, order.orderNumber, 'preparing', 'business'),
      ),
    );

    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect((await stored(order)).statusHistory.map((h) => h.status)).toEqual([
      'placed',
      'confirmed',
      'preparing',
    ]);
    expect(sent.map((s) => s.message)).toEqual([
      { type: 'reply.text', text: 'Your order 1001 is being prepared.' },
    ]);
  });
});

describe('OrderService: telling the customer', () => {
  it('when the business changes an order and the customer wrote within 24 hours, then one text is stored and sent to them', async () => {
    const pnid = newPhoneNumberId();
    const { ref, waId } = await customer(pnid);
    const orders = service();
    const order = await orders.placeOrder(sampleOrder(pnid, ref));

    const result = await orders.changeStatus(pnid, order.orderNumber, 'confirmed', 'business');

    expect(sent).toEqual([
      {
        phoneNumberId: pnid,
        recipient: { waId },
        message: { type: 'reply.text', text: 'Your order 1001 is confirmed.' },
      },
    ]);
    const records = await outboxOf(order);
    expect(records.map((r) => [r.inboundWamid, r.seq, r.audience, r.customerRef, r.status])).toEqual([
      [`order:${String(order._id)}:confirmed`, 0, 'customer', ref, 'sent'],
    ]);
    expect(result.notification).toMatchObject({ status: 'sent', templateNeeded: false });
  });

  it('when the same change is requested again, then nothing new is stored or sent', async () => {
    const order = await orderAt('confirmed');
    sent.length = 0;

    const again = await service().changeStatus(
      order.phoneNumberId,
      order.orderNumber,
      'confirmed',
      'business',
    );

    expect(again.changed).toBe(false);
    expect(again.notification).toMatchObject({ status: 'sent' });
    expect(sent).toEqual([]);
    expect(await outboxOf(order)).toHaveLength(1);
  });

  it("when the customer's last message is older than 24 hours, then nothing is sent and the record says a template is needed", async () => {
    const pnid = newPhoneNumberId();
    const { ref } = await customer(pnid, SERVICE_WINDOW_MS + 60_000);
    const orders = service();
    const order = await orders.placeOrder(sampleOrder(pnid, ref));

    const result = await orders.changeStatus(pnid, order.orderNumber, 'confirmed', 'business');

    expect(result.changed).toBe(true);
    expect(sent).toEqual([]);
    const [record] = await outboxOf(order);
    expect(record).toMatchObject({
      status: 'skipped',
      skippedReason: 'outside-24h-window',
      templateNeeded: true,
    });
    expect(result.notification).toMatchObject({
      status: 'skipped',
      skippedReason: 'outside-24h-window',
      templateNeeded: true,
    });
  });

  it('when sending failed half-way (the notice stored, the process gone), then repeating the change sends it once', async () => {
    const pnid = newPhoneNumberId();
    const { ref } = await customer(pnid);
    const order = await service().placeOrder(sampleOrder(pnid, ref));
    const crashing: Deliver = () => Promise.reject(new Error('process died'));

    await expect(
      service({ deliver: crashing }).changeStatus(pnid, order.orderNumber, 'confirmed', 'business'),
    ).rejects.toThrow('process died');
    expect((await outboxOf(order)).map((r) => r.status)).toEqual(['pending']);

    const retried = await service().changeStatus(pnid, order.orderNumber, 'confirmed', 'business');
    const again = await service().changeStatus(pnid, order.orderNumber, 'confirmed', 'business');

    expect(retried.changed).toBe(false);
    expect(retried.notification).toMatchObject({ status: 'sent' });
    expect(again.notification).toMatchObject({ status: 'sent' });
    expect(sent.map((s) => s.message)).toEqual([
      { type: 'reply.text', text: 'Your order 1001 is confirmed.' },
    ]);
  });

  it.each([
    ['confirmed', 'pickup', 'Your order 1001 is confirmed.'],
    ['preparing', 'pickup', 'Your order 1001 is being prepared.'],
    ['ready', 'pickup', 'Your order 1001 is ready for pickup.'],
    ['ready', 'delivery', 'Your order 1001 is ready and will be on its way soon.'],
    ['out_for_delivery', 'delivery', 'Your order 1001 is on its way.'],
    ['completed', 'pickup', 'Your order 1001 is complete. Thank you!'],
    [
      'cancelled',
      'pickup',
      'Sorry, your order 1001 has been cancelled. Reply here if you have any questions.',
    ],
  ] as const)(
    'when a %s order (%s) is announced, then the customer reads "%s"',
    async (status, fulfilment, text) => {
      const order = await orderAt(status, fulfilment);

      const [record] = (await outboxOf(order)).filter((r) => r.inboundWamid.endsWith(`:${status}`));
      const last = sent.filter((s) => s.phoneNumberId === order.phoneNumberId).at(-1);

      expect(last?.message).toEqual({ type: 'reply.text', text });
      // Sent: the record keeps its status, not the text.
      expect(record?.status).toBe('sent');
      expect(record?.sealedMessage).toBeUndefined();
    },
  );
});
