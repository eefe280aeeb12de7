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
import { nowSeconds } from '../../src/webhook/payloads.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { chatWith, from, only } from '../helpers/chat.js';
import type { Chat } from '../helpers/chat.js';
import { conversationId } from '../helpers/engine.js';
import { inboundText, newPhoneNumberId, newWaId } from '../helpers/payloads.js';
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
  if (!token) throw new Error('no erasure offer');
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
