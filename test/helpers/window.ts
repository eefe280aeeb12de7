import { expect } from 'vitest';
import { SERVICE_WINDOW_MS } from '../../src/outbox/sender.js';
import type { TestBot } from './bot.js';
import { conversationId } from './engine.js';
import { sampleOrder } from './orders.js';
import { inboundText, newWamid } from './payloads.js';

/**
 * A Spanish-speaking customer of `pnid` who said "hola", has order 1001 placed, and last wrote 25 hours ago:
 * outside the 24-hour window, where only an approved template reaches them. The Graph stand-in is reset.
 * Returns the customer's conversation reference.
 */
export async function customerOutsideWindow(t: TestBot, pnid: string, waId: string): Promise<string> {
  expect(
    (await t.postWebhook(inboundText({ phoneNumberId: pnid, waId, wamid: newWamid() }, 'hola'))).status,
  ).toBe(200);
  await t.settled();
  const ref = conversationId(pnid, waId);
  await t.bot.orders.placeOrder(sampleOrder(pnid, ref));
  await t.bot.models.Customer.updateOne(
    { _id: ref },
    { $set: { language: 'es', lastInboundAt: new Date(Date.now() - SERVICE_WINDOW_MS - 3_600_000) } },
  ).exec();
  t.graph.reset();
  return ref;
}
