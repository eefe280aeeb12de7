/**
 * Status notices in the customer's language, end to end: the customer writes (the webhook and the
 * conversation step keep the language their conversation uses on their customer record), the business moves
 * their order through the admin API, and the loopback Graph API stub shows what the customer was told.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { statusNotice } from '../../src/orders/notices.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { conversationId, repliesTo } from '../helpers/engine.js';
import { sampleOrder } from '../helpers/orders.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('notice-language');
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

/** A business and a customer who has written these messages to it; the bot's answers are cleared. */
async function customerWho(...messages: string[]): Promise<{ pnid: string; waId: string; ref: string }> {
  const pnid = newPhoneNumberId();
  const waId = newWaId();
  await configureBusiness(t, pnid, 'Casa Pedidos');
  for (const text of messages) {
    const res = await t.postWebhook(inboundText({ phoneNumberId: pnid, waId, wamid: newWamid() }, text));
    expect(res.status).toBe(200);
    await t.settled();
  }
  t.graph.reset();
  return { pnid, waId, ref: conversationId(pnid, waId) };
}

async function move(pnid: string, orderNumber: number, ...statuses: string[]): Promise<void> {
  for (const status of statuses) {
    const res = await t.admin('PATCH', `/admin/businesses/${pnid}/orders/${orderNumber}`, { status });
    expect(res.status).toBe(200);
  }
}

async function languageOf(ref: string): Promise<string | undefined> {
  return (await t.bot.models.Customer.findById(ref, { language: 1 }).lean().exec())?.language;
}

describe('order status notices in the customer’s language', () => {
  it('when a Spanish-speaking customer who ordered has their order moved on, then the notices are in Spanish', async () => {
    const { pnid, waId, ref } = await customerWho('hola, quiero pedir');
    expect(await languageOf(ref)).toBe('es');
    const order = await t.bot.orders.placeOrder(sampleOrder(pnid, ref));

    await move(pnid, order.orderNumber, 'confirmed', 'preparing');

    expect(repliesTo(t.graph.requests, pnid, waId)).toEqual([
      `Tu pedido ${order.orderNumber} está confirmado.`,
      `Tu pedido ${order.orderNumber} se está preparando.`,
    ]);
  });

  it('when a French-speaking customer’s pickup order is ready, then they are told in French', async () => {
    const { pnid, waId, ref } = await customerWho('bonjour, je voudrais commander');
    const order = await t.bot.orders.placeOrder(sampleOrder(pnid, ref, { fulfilment: 'pickup' }));

    await move(pnid, order.orderNumber, 'confirmed', 'preparing', 'ready');

    expect(repliesTo(t.graph.requests, pnid, waId).at(-1)).toBe(
      `Votre commande ${order.orderNumber} est prête à être retirée.`,
    );
  });

  it('when the customer switches back to English, then the record follows and the notice is in English', async () => {
    const { pnid, waId, ref } = await customerWho('hola', 'english please');
    expect(await languageOf(ref)).toBe('en');
    const order = await t.bot.orders.placeOrder(sampleOrder(pnid, ref));

    await move(pnid, order.orderNumber, 'confirmed', 'preparing');

    expect(repliesTo(t.graph.requests, pnid, waId)).toEqual([
      `Your order ${order.orderNumber} is confirmed.`,
      `Your order ${order.orderNumber} is being prepared.`,
    ]);
  });

  it('when the customer record names no language, then the notice is in English', async () => {
    const { pnid, waId, ref } = await customerWho('hola');
    await t.bot.models.Customer.updateOne({ _id: ref }, { $unset: { language: 1 } }).exec();
    const order = await t.bot.orders.placeOrder(sampleOrder(pnid, ref));

    await move(pnid, order.orderNumber, 'cancelled');

    expect(repliesTo(t.graph.requests, pnid, waId)).toEqual([
      `Sorry, your order ${order.orderNumber} has been cancelled. Reply here if you have any questions.`,
    ]);
  });
});

describe('statusNotice', () => {
  it('when no language is given, then it is English, word for word as before', () => {
    const order = { orderNumber: 12, fulfilment: 'delivery' as const };
    expect(statusNotice({ ...order, status: 'preparing' })).toBe('Your order 12 is being prepared.');
    expect(statusNotice({ ...order, status: 'out_for_delivery' })).toBe('Your order 12 is on its way.');
    expect(statusNotice({ ...order, status: 'ready' })).toBe(
      'Your order 12 is ready and will be on its way soon.',
    );
  });

  it.each([
    ['es', 'Tu pedido 12 se está preparando.'],
    ['pt', 'Seu pedido 12 está sendo preparado.'],
    ['fr', 'Votre commande 12 est en préparation.'],
    ['de', 'Ihre Bestellung 12 wird zubereitet.'],
  ] as const)('when the language is %s, then the notice is in it', (language, expected) => {
    expect(statusNotice({ orderNumber: 12, fulfilment: 'pickup', status: 'preparing' }, language)).toBe(
      expected,
    );
  });
});
