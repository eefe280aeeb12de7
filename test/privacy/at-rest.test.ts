/**
 * Message text at rest, through the real webhook and engine: what a customer types (and what the bot
 * answers) is sealed while it is needed and gone once it is not. The raw database is read with the driver,
 * collection by collection, for the texts a customer typed mid-checkout; only the placed order may hold the
 * address and note, in clear, as the business needs them. Also the retention sweeps: customers get an
 * expiry from their last message, and finished orders lose their address and note after ORDER_CONTACT_DAYS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/db/models/order.model.js';
import { ORDER_CONTACT_DAYS } from '../../src/orders/retention.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { conversationId } from '../helpers/engine.js';
import { inboundMessage, inboundText, newPhoneNumberId, newWaId } from '../helpers/payloads.js';

const DAY_MS = 24 * 60 * 60 * 1000;
let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('privacy-at-rest');
});
afterAll(async () => {
  await t.close();
});

/** Every document of every collection in the test database, as JSON text per collection. */
async function rawDatabase(): Promise<Map<string, string>> {
  const db = t.bot.database.connection.db;
  if (!db) throw new Error('not connected');
  const out = new Map<string, string>();
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    out.set(name, JSON.stringify(await db.collection(name).find({}).toArray()));
  }
  return out;
}

async function newBusiness(): Promise<string> {
  const pnid = newPhoneNumberId();
  const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
    name: 'Sealed Café',
    currency: 'EUR',
    catalog: [{ id: 'cola', name: 'Cola', price: 2 }],
    fulfilment: { pickup: false, delivery: true },
  });
  expect(res.status).toBe(201);
  return pnid;
}

describe('message text at rest', () => {
  it('when a customer is mid-checkout, then neither their typed address nor the replies are readable in any collection', async () => {
    const pnid = await newBusiness();
    const from = { phoneNumberId: pnid, waId: newWaId(), name: 'Ottilie Brandvold' };
    const address = 'Travessa Quelonia 77, 3º esquerdo';
    // Stop before the note: the address sits in the conversation state, the bot's summary is not sent yet.
    for (const text of ['hi', '1', 'cola', '2', 'checkout', address]) {
      expect((await t.postWebhook(inboundText(from, text))).status).toBe(200);
      await t.settled();
    }

    const raw = await rawDatabase();

    expect(raw.get('conversations')).toContain(conversationId(pnid, from.waId));
    for (const [collection, text] of raw) {
      expect(text, collection).not.toContain('Travessa Quelonia');
      // The bot's reply texts ("Where should we deliver?") are not kept once sent either.
      expect(text, collection).not.toContain('Where should we deliver');
      expect(text, collection).not.toContain('How many');
    }
    const inbox = await t.bot.models.Inbox.find({ phoneNumberId: pnid }).lean().exec();
    expect(inbox.length).toBe(6);
    expect(inbox.every((entry) => entry.status === 'done' && entry.sealed === undefined)).toBe(true);
    const outbox = await t.bot.models.Outbox.find({ phoneNumberId: pnid }).lean().exec();
    expect(outbox.length).toBeGreaterThanOrEqual(6);
    expect(outbox.every((entry) => entry.status === 'sent' && entry.sealedMessage === undefined)).toBe(true);
  });

  it('when a message waits to be handled, then its text is sealed, bound to its record, and the sender ids are not in clear', async () => {
    const pnid = await newBusiness();
    const waId = newWaId();
    await t.bot.engine.drain();
    try {
      const body = inboundText(
        { phoneNumberId: pnid, waId, name: 'Ingrid Solvang' },
        'ring twice at Hyllestad 9',
      );
      expect((await t.postWebhook(body)).status).toBe(200);
      const raw = await rawDatabase();
      expect(raw.get('inbox')).toContain('"kind":"user"');
      for (const [collection, text] of raw) {
        expect(text, collection).not.toContain('Hyllestad');
        expect(text, collection).not.toContain('Ingrid');
        expect(text, collection).not.toContain(waId);
      }
    } finally {
      t.bot.engine.start();
    }
    await t.settled();
    const customer = await t.bot.models.Customer.findOne({ phoneNumberId: pnid }).lean().exec();
    // The customer record holds the number (to reply) and a sealed profile; the name is not in clear.
    expect(customer?.waId).toBe(waId);
    expect(customer?.profile).toMatch(/^s1\./);
    expect(JSON.stringify(customer)).not.toContain('Ingrid');
  });

  it('when a customer writes, then their record expires CUSTOMER_RETENTION_DAYS after that message', async () => {
    const pnid = await newBusiness();
    const waId = newWaId();
    await t.postWebhook(
      inboundMessage(
        { phoneNumberId: pnid, waId, timestamp: String(Math.floor(Date.now() / 1000)) },
        'text',
        {
          text: { body: 'hello' },
        },
      ),
    );
    await t.settled();

    const customer = await t.bot.models.Customer.findOne({ phoneNumberId: pnid }).lean().exec();

    expect(customer?.expiresAt).toBeInstanceOf(Date);
    const days = ((customer?.expiresAt?.getTime() ?? 0) - (customer?.lastInboundAt.getTime() ?? 0)) / DAY_MS;
    expect(days).toBe(t.config.privacy.customerRetentionDays);
  });
});

describe('order contact retention', () => {
  async function order(
    pnid: string,
    finished: 'completed' | 'cancelled' | 'open',
    ageDays: number,
  ): Promise<Order> {
    const placed = await t.bot.orders.placeOrder({
      phoneNumberId: pnid,
      customerRef: `ref-${Math.random().toString(36).slice(2)}`,
      currency: 'EUR',
      items: [{ itemId: 'cola', name: 'Cola', unitPriceMinor: 200, quantity: 1, lineTotalMinor: 200 }],
      totalMinor: 200,
      fulfilment: 'delivery',
      deliveryAddress: { text: 'Kvitsøygata 3' },
      note: 'blue door',
    });
    if (finished === 'cancelled')
      await t.bot.orders.changeStatus(pnid, placed.orderNumber, 'cancelled', 'business');
    if (finished === 'completed') {
      for (const status of ['confirmed', 'preparing', 'ready', 'out_for_delivery', 'completed'] as const) {
        await t.bot.orders.changeStatus(pnid, placed.orderNumber, status, 'business');
      }
    }
    await t.bot.models.Order.updateOne(
      { _id: placed._id },
      { $set: { updatedAt: new Date(Date.now() - ageDays * DAY_MS) } },
    ).exec();
    return placed;
  }

  it(`when a finished order is older than ${ORDER_CONTACT_DAYS} days, then the sweep removes its address and note and keeps the rest`, async () => {
    const pnid = await newBusiness();
    const oldCompleted = await order(pnid, 'completed', ORDER_CONTACT_DAYS + 1);
    const oldCancelled = await order(pnid, 'cancelled', ORDER_CONTACT_DAYS + 1);
    const recentCompleted = await order(pnid, 'completed', ORDER_CONTACT_DAYS - 1);
    const oldOpen = await order(pnid, 'open', ORDER_CONTACT_DAYS + 5);

    const removed = await t.bot.privacy.expireOrderContacts();

    expect(removed).toBeGreaterThanOrEqual(2);
    const after = async (o: Order) => t.bot.models.Order.findById(o._id).lean<Order>().exec();
    for (const gone of [oldCompleted, oldCancelled]) {
      const doc = await after(gone);
      expect(doc?.deliveryAddress).toBeUndefined();
      expect(doc?.note).toBeUndefined();
      expect(doc?.items).toHaveLength(1);
      expect(doc?.totalMinor).toBe(200);
      expect(doc?.retainUntil).toBeInstanceOf(Date);
    }
    for (const kept of [recentCompleted, oldOpen]) {
      const doc = await after(kept);
      expect(doc?.deliveryAddress).toEqual({ text: 'Kvitsøygata 3' });
      expect(doc?.note).toBe('blue door');
    }
    expect(await t.bot.privacy.expireOrderContacts()).toBe(0);
  });

  it('when an order is placed, then it is kept the business’s orderRetentionYears (TTL on retainUntil)', async () => {
    const pnid = await newBusiness();
    const placed = await order(pnid, 'open', 0);
    const stored = await t.bot.models.Order.findById(placed._id).lean<Order>().exec();
    const years = (stored?.retainUntil?.getUTCFullYear() ?? 0) - (stored?.placedAt.getUTCFullYear() ?? 0);
    expect(years).toBe(10);
  });
});
