/**
 * Erasure is final, end to end on the whole bot: a redelivery of a message sent before the erasure (Meta
 * redelivers for days, and the erasure deleted the inbox records that caught duplicates) is dropped
 * without a reply or a record, while a message sent afterwards is a new contact; the chat receipt keeps no
 * raw wamid; open orders are listed before the customer confirms, and each gets the outcome its status calls
 * for (cancelled and the business told, or kept for the handover until it is finished).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, OrderStatus } from '../../src/db/models/order.model.js';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import type { PrivacyRequest } from '../../src/db/models/privacy-request.model.js';
import { ERASURE_TOMBSTONE_DAYS, META_REDELIVERY_DAYS } from '../../src/db/models/suppression.model.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { chatWith, from } from '../helpers/chat.js';
import type { Chat } from '../helpers/chat.js';
import { conversationId } from '../helpers/engine.js';
import { inboundText, newPhoneNumberId, newWaId, nowSeconds } from '../helpers/payloads.js';
import { sendText } from '../helpers/webhook.js';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('erasure-final');
});
afterAll(async () => {
  await t.close();
});

const { post, say, sayAll, tapButton } = chatWith(() => t);
const DELETED = /^✅ \*Your data has been deleted\.\* Confirmation code: \*DSR[2-9A-HJKMNP-Z]{10}\*\n/;

async function newBusiness(name: string, adminNumbers: string[] = []): Promise<string> {
  const pnid = newPhoneNumberId();
  const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
    name,
    currency: 'EUR',
    catalog: [{ id: 'margherita', name: 'Margherita', price: 9.5, category: 'Pizza' }],
    fulfilment: { pickup: true, delivery: true },
    ...(adminNumbers.length > 0 ? { adminNumbers } : {}),
  });
  expect(res.status).toBe(201);
  return pnid;
}

const newChat = (pnid: string, name: string): Chat => ({ pnid, waId: newWaId(), name, seen: 0 });
const refOf = (chat: Chat) => conversationId(chat.pnid, chat.waId);

/** "delete my data", then *Delete my data*: the offer's sends and the two sends of the confirmation. */
async function erase(chat: Chat): Promise<{ offer: string[]; done: string[] }> {
  const offerSends = await sayAll(chat, 'delete my data');
  const buttons = offerSends.at(-1);
  const token = /pv\.erase\.yes:([A-Za-z0-9_-]+)/.exec(JSON.stringify(buttons?.json))?.[1];
  if (!token) throw new Error(`no erasure offer: ${JSON.stringify(offerSends.map(sendText))}`);
  const done = (await tapButton(chat, `pv.erase.yes:${token}`, 'Delete my data')).map(sendText);
  expect(done[0]).toBe('Deleting your data now. I will confirm here in a moment.');
  expect(done[1]).toMatch(DELETED);
  return { offer: offerSends.map(sendText), done };
}

async function erasureOf(chat: Chat): Promise<PrivacyRequest> {
  const request = await t.bot.models.PrivacyRequest.findOne({ subjectKey: refOf(chat), type: 'erasure' })
    .lean<PrivacyRequest>()
    .exec();
  if (!request) throw new Error('no erasure request');
  return request;
}

describe('a redelivery after an erasure', () => {
  it('tombstones outlive Meta’s redelivery period', () => {
    expect(ERASURE_TOMBSTONE_DAYS).toBeGreaterThan(META_REDELIVERY_DAYS);
  });

  it('when Meta redelivers a message sent before the erasure, then it is dropped: no reply, no customer, no conversation, no message record; a message sent afterwards is answered', async () => {
    const pnid = await newBusiness('Trattoria Finale');
    const chat = newChat(pnid, 'Wilhelmina Ostrander');
    const ref = refOf(chat);
    const hi = inboundText(from(chat), 'hi');
    expect((await post(chat, hi)).map(sendText)[0]).toMatch(/^Hi! Welcome to \*Trattoria Finale\*/);
    // Sent before the erasure, delivered only after it (Meta's first attempt was lost).
    const late = inboundText(from(chat), 'are you open?');
    await erase(chat);
    expect(await t.bot.models.Customer.countDocuments({ _id: ref })).toBe(0);

    // The receipt went out, and neither its record nor the request keeps Meta's id of it (it encodes the number).
    const request = await erasureOf(chat);
    const receipt = await t.bot.models.Outbox.findOne({ customerRef: `privacy:${request._id}` })
      .lean<OutboxEntry>()
      .exec();
    expect(receipt?.status).toBe('sent');
    expect(receipt?.wamids).toHaveLength(1);
    expect(receipt?.wamids[0]).toMatch(/^hmac:[A-Za-z0-9_-]{43}$/);
    // The Graph API stub answers with ids like `wamid.STUB…`, as Meta does with `wamid.HBgL…`.
    for (const stored of [JSON.stringify(receipt), JSON.stringify(request)])
      expect(stored).not.toContain('wamid.');

    expect(await post(chat, hi)).toEqual([]);
    expect(await post(chat, late)).toEqual([]);

    expect(await t.bot.models.Customer.countDocuments({ _id: ref })).toBe(0);
    expect(await t.bot.models.Conversation.countDocuments({ _id: ref })).toBe(0);
    expect(await t.bot.models.Inbox.countDocuments({ customerRef: ref })).toBe(0);
    expect(await t.bot.models.Outbox.countDocuments({ customerRef: ref })).toBe(0);

    // Written after the erasure (a later second than anything erased): a new contact, answered normally.
    const again = inboundText({ ...from(chat), timestamp: nowSeconds(2) }, 'hi');
    expect((await post(chat, again)).map(sendText)[0]).toMatch(/^Hi! Welcome to \*Trattoria Finale\*/);
    expect(await t.bot.models.Customer.countDocuments({ _id: ref })).toBe(1);
  });
});

describe('open orders and erasure', () => {
  it('when a customer with an order in each status erases, then they are told first, placed is cancelled (staff told), orders under way keep only their handover until finished, and no status change claims a notice', async () => {
    const staff: Chat = { pnid: '', waId: newWaId(), name: 'Staff', seen: 0 };
    const pnid = await newBusiness('Trattoria Aperta', [staff.waId]);
    staff.pnid = pnid;
    await say(staff, 'hi'); // a staff number reachable within its 24-hour window
    const chat = newChat(pnid, 'Leopoldine Carrow');
    const ref = refOf(chat);
    await say(chat, 'hi');
    const path: Record<number, OrderStatus[]> = {
      1001: [],
      1002: ['confirmed'],
      1003: ['confirmed', 'preparing'],
      1004: ['confirmed', 'preparing', 'ready'],
      1005: ['confirmed', 'preparing', 'ready', 'out_for_delivery'],
      1006: ['confirmed', 'preparing', 'ready', 'completed'],
      1007: ['cancelled'],
    };
    for (const [number, steps] of Object.entries(path)) {
      const order = await t.bot.orders.placeOrder({
        phoneNumberId: pnid,
        customerRef: ref,
        currency: 'EUR',
        items: [
          { itemId: 'margherita', name: 'Margherita', unitPriceMinor: 950, quantity: 1, lineTotalMinor: 950 },
        ],
        totalMinor: 950,
        fulfilment: 'delivery',
        deliveryAddress: { text: `Rua das Flores ${number}, Porto` },
        note: 'Ring twice',
      });
      expect(order.orderNumber).toBe(Number(number));
      for (const step of steps) await t.bot.orders.changeStatus(pnid, order.orderNumber, step, 'business');
    }
    await t.settled();
    await say(chat, 'menu'); // the status notices so far are read

    const { offer, done } = await erase(chat);

    expect(offer).toHaveLength(2);
    expect(offer[0]).toBe(
      [
        '*Your open orders* (5)',
        '• Order 1001 (not started yet): it will be *cancelled*, and the business told.',
        ...(
          [
            [1002, 'confirmed'],
            [1003, 'being prepared'],
            [1004, 'ready'],
            [1005, 'on its way'],
          ] as const
        ).map(
          ([n, s]) =>
            `• Order ${n} (${s}): it goes ahead. Only what the handover needs (address, note, your name and number) is kept until it is completed, then deleted too.`,
        ),
      ].join('\n'),
    );
    expect(done[1]).toContain(
      'Cancelled: order(s) 1001, which the business had not started; the business has been told.',
    );
    expect(done[1]).toContain(
      'Still on its way: order(s) 1002, 1003, 1004, 1005. Only what the handover needs',
    );

    const request = await erasureOf(chat);
    expect(request.status).toBe('completed');
    const line = request.receipt?.lines.find((l) => l.collection === 'orders');
    expect(line).toMatchObject({
      anonymised: 7,
      cancelledOrders: [1001],
      handoverOrders: [1002, 1003, 1004, 1005],
    });

    const orders = await t.bot.models.Order.find({ phoneNumberId: pnid })
      .sort({ orderNumber: 1 })
      .lean<Order[]>()
      .exec();
    const byNumber = new Map(orders.map((o) => [o.orderNumber, o]));
    expect(orders.every((o) => o.customerRef.startsWith('anon:'))).toBe(true);
    expect(byNumber.get(1001)).toMatchObject({ status: 'cancelled', erasure: 'cancelled' });
    expect(byNumber.get(1001)?.statusHistory.at(-1)).toMatchObject({ status: 'cancelled', by: 'system' });
    expect(byNumber.get(1001)?.deliveryAddress).toBeUndefined();
    for (const n of [1002, 1003, 1004, 1005]) {
      const order = byNumber.get(n);
      expect(order).toMatchObject({ status: path[n]?.at(-1), erasure: 'handover', note: 'Ring twice' });
      expect(order?.deliveryAddress).toEqual({ text: `Rua das Flores ${n}, Porto` });
      if (!order) throw new Error(`no order ${n}`);
      expect(order.handoverContact).not.toContain(chat.waId);
      expect(t.bot.orders.handoverContact(order)).toEqual({ name: 'Leopoldine Carrow', waId: chat.waId });
    }
    for (const n of [1006, 1007]) {
      expect(byNumber.get(n)?.erasure).toBeUndefined();
      expect(byNumber.get(n)?.deliveryAddress).toBeUndefined();
      expect(byNumber.get(n)?.note).toBeUndefined();
    }

    // The business is told which order not to prepare.
    const staffSends = (await post(staff, inboundText(from(staff), '/help'))).map(sendText);
    expect(staffSends).toContain(
      'Order 1001 cancelled: the customer deleted their data before you started it. Please do not prepare it.',
    );

    // The orders API shows what the erasure did, and the contact an order under way still needs.
    const listed = (await (await t.admin('GET', `/admin/businesses/${pnid}/orders?limit=10`)).json()) as {
      orders: Array<{ orderNumber: number; customerErasure?: string; handoverContact?: unknown }>;
    };
    const view = new Map(listed.orders.map((o) => [o.orderNumber, o]));
    expect(view.get(1001)).toMatchObject({ customerErasure: 'cancelled' });
    expect(view.get(1001)?.handoverContact).toBeUndefined();
    expect(view.get(1005)).toMatchObject({
      customerErasure: 'handover',
      handoverContact: { name: 'Leopoldine Carrow', phone: `+${chat.waId}` },
    });

    // Handed over: no notice claimed (there is no one to tell), and what the handover needed is gone.
    const sendsBefore = t.graph.requests.length;
    const res = await t.admin('PATCH', `/admin/businesses/${pnid}/orders/1005`, { status: 'completed' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      changed: true,
      notification: null,
      customerNotice: 'customer-erased',
    });
    expect(t.graph.requests.length).toBe(sendsBefore);
    const finished = await t.bot.models.Order.findOne({ phoneNumberId: pnid, orderNumber: 1005 })
      .lean<Order>()
      .exec();
    expect(finished?.status).toBe('completed');
    expect(finished?.deliveryAddress).toBeUndefined();
    expect(finished?.note).toBeUndefined();
    expect(finished?.handoverContact).toBeUndefined();

    // An order finished some other way loses it to the hourly retention sweep.
    await t.bot.models.Order.updateOne(
      { phoneNumberId: pnid, orderNumber: 1004 },
      { $set: { status: 'completed' } },
    );
    expect(await t.bot.privacy.expireOrderContacts()).toBeGreaterThanOrEqual(1);
    const swept = await t.bot.models.Order.findOne({ phoneNumberId: pnid, orderNumber: 1004 })
      .lean<Order>()
      .exec();
    expect(swept?.deliveryAddress).toBeUndefined();
    expect(swept?.handoverContact).toBeUndefined();
  });
});

describe('a receipt that fails for a passing reason', () => {
  it('when the Graph API fails the erasure receipt, then the outbox dispatcher sends it later (its customer record is gone) and keeps only hashed ids', async () => {
    const own = await startTestBot('erasure-receipt-retry', {
      bot: { outboxRetry: { baseMs: 50, maxMs: 100, graceMs: 300 } },
    });
    try {
      const ownChat = chatWith(() => own);
      const pnid = newPhoneNumberId();
      expect(
        (
          await own.admin('PUT', `/admin/businesses/${pnid}`, {
            name: 'Bar Retry',
            currency: 'EUR',
            catalog: [],
          })
        ).status,
      ).toBe(201);
      const chat = newChat(pnid, 'Ottoline Brackenbury');
      const offer = await ownChat.sayAll(chat, 'delete my data');
      const token = /pv\.erase\.yes:([A-Za-z0-9_-]+)/.exec(JSON.stringify(offer.at(-1)?.json))?.[1];
      expect(token).toBeDefined();
      // "Deleting your data now" goes out; the receipt then meets a failing Graph API (every in-call try).
      own.graph.enqueue(
        { body: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.STUBdeleting' }] } },
        ...Array.from({ length: 3 }, () => ({
          status: 500,
          body: { error: { message: 'Service temporarily unavailable', code: 2 } },
        })),
      );
      const done = (await ownChat.tapButton(chat, `pv.erase.yes:${token ?? ''}`, 'Delete my data')).map(
        sendText,
      );
      expect(done[0]).toBe('Deleting your data now. I will confirm here in a moment.');

      const deadline = Date.now() + 10_000;
      let receipt: OutboxEntry | null = null;
      while (Date.now() < deadline) {
        receipt = await own.bot.models.Outbox.findOne({ inboundWamid: /^privacy:/, audience: 'customer' })
          .lean<OutboxEntry>()
          .exec();
        if (receipt?.status === 'sent') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(receipt?.status).toBe('sent');
      expect(receipt?.attempts).toBeGreaterThanOrEqual(2);
      expect(receipt?.wamids.length).toBeGreaterThan(0);
      expect(receipt?.wamids.every((w) => w.startsWith('hmac:'))).toBe(true);
      expect(receipt?.sealedRecipient).toBeUndefined();
      const receipts = own.graph.requests.filter((r) =>
        JSON.stringify(r.json).includes('Your data has been deleted'),
      );
      // Three failed tries in the first call, then the dispatcher's one success.
      expect(receipts.length).toBe(4);
      expect(JSON.stringify(receipts.at(-1)?.json)).toContain(chat.waId);
      expect(await own.bot.models.Customer.countDocuments({ _id: refOf(chat) })).toBe(0);
    } finally {
      await own.close();
    }
  });
});
