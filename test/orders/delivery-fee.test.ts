import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import { OrderInputError, OrderService } from '../../src/orders/service.js';
import { testSealer } from '../helpers/bot.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';
import { sampleOrder } from '../helpers/orders.js';
import { newPhoneNumberId } from '../helpers/payloads.js';

let testDb: TestDatabase;
let connection: Connection;
let models: Models;
let orders: OrderService;

/** €2.50 delivery, free from €10, minimum €4: the sample order's lines come to €4.75. */
const terms = { deliveryFeeMinor: 250, freeDeliveryOverMinor: 1000, minimumOrderMinor: 400 };

beforeAll(async () => {
  testDb = await useTestDatabase('orders-delivery-fee');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
  await Promise.all(Object.values(models).map((model) => model.init()));
  orders = new OrderService({
    Order: models.Order,
    Counter: models.Counter,
    Outbox: models.Outbox,
    Customer: models.Customer,
    sealer: testSealer(),
    deliver: () => Promise.reject(new Error('not used')),
    logger: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await testDb.close();
});

async function problems(placing: Promise<unknown>): Promise<string[]> {
  const err: unknown = await placing.catch((e: unknown) => e);
  return err instanceof OrderInputError ? err.problems : [];
}

describe('OrderService: the delivery fee and the minimum order', () => {
  it('when a delivery order is placed under the business terms, then the stored order has the fee in its total', async () => {
    const order = await orders.placeOrder(
      sampleOrder(newPhoneNumberId(), 'ref-fee', { fulfilment: 'delivery', totalMinor: 725, terms }),
    );
    const stored = await models.Order.findById(order._id).lean().exec();
    expect(stored).toMatchObject({ totalMinor: 725, deliveryFeeMinor: 250 });
  });

  it('when the total leaves the fee out, then the order is refused: the fee is computed here, not taken', async () => {
    expect(
      await problems(
        orders.placeOrder(
          sampleOrder(newPhoneNumberId(), 'ref-fee', { fulfilment: 'delivery', totalMinor: 475, terms }),
        ),
      ),
    ).toEqual(['totalMinor must be the sum of the lines plus the delivery fee (475 + 250)']);
  });

  it('when the order is for pickup, then no fee is charged or stored', async () => {
    const order = await orders.placeOrder(sampleOrder(newPhoneNumberId(), 'ref-fee', { terms }));
    expect(order).toMatchObject({ totalMinor: 475, deliveryFeeMinor: 0 });
  });

  it('when the lines are below the minimum order, then it is refused', async () => {
    const small = sampleOrder(newPhoneNumberId(), 'ref-fee', { terms: { ...terms, minimumOrderMinor: 500 } });
    expect(await problems(orders.placeOrder(small))).toEqual([
      'items add up to less than the minimum order (500)',
    ]);
  });
});
