/**
 * Every effect of a step happens once: the whole bot on the embedded database, each customer message a real
 * signed webhook, and one injected fault right after the step's effect: either storing its replies fails
 * (nothing stored), or saving the conversation's snapshot fails (replies stored, the conversation does not
 * move on). The engine puts the message back and runs the step again; each effect must find what its first
 * run did (one order with one number, one cancellation, one correction, one opt-out or opt-in with one
 * suppression, one erasure decision, one access request, one AI setting change) and the customer must get
 * the normal replies exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/db/models/customer.model.js';
import type { Order } from '../../src/db/models/order.model.js';
import type { PrivacyRequest } from '../../src/db/models/privacy-request.model.js';
import type { SettingsChange } from '../../src/db/models/settings-change.model.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { chatWith, choiceIds, only } from '../helpers/chat.js';
import type { Chat } from '../helpers/chat.js';
import { conversationId, MENU_TAIL } from '../helpers/engine.js';
import { injectFaults } from '../helpers/faults.js';
import type { FaultInjector, FaultPoint } from '../helpers/faults.js';
import type { RecordedRequest } from '../helpers/graph-stub.js';
import { sampleOrder } from '../helpers/orders.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { sendText } from '../helpers/webhook.js';

let t: TestBot;
let faults: FaultInjector;

beforeAll(async () => {
  t = await startTestBot('step-effects');
  faults = injectFaults(t.bot.models);
});
afterAll(async () => {
  faults.restore();
  await t.close();
});

const { say, sayAll, tapButton, tapRow } = chatWith(() => t);

const ADDRESS = 'Via Roma 12, Torino';
const OPTED_OUT =
  "Done: you won't get order updates or other messages from us unless you write first. " +
  'We still answer when you write. Type *start* to get updates again.';
const OPTED_IN = "Welcome back: you'll get order updates here again.";
const KEPT = 'OK, nothing was deleted. Your data stays as it is.';
const ERASING = 'Deleting your data now. I will confirm here in a moment.';
const DELETED = /^✅ \*Your data has been deleted\.\* Confirmation code: \*DSR[2-9A-HJKMNP-Z]{10}\*\n/;
const NO_AI =
  'Done: no AI will write replies to you here, even where the business uses it. Type *AI is fine* to change your mind.';

/** A new business (a small menu, pickup and delivery, one admin number) and a new customer who said hi. */
async function newChat(): Promise<Chat & { admin: string }> {
  const pnid = newPhoneNumberId();
  const admin = newWaId();
  const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
    name: 'Osteria Una Volta',
    currency: 'EUR',
    catalog: [{ id: 'cola', name: 'Cola', price: 2.5, category: 'Drinks' }],
    fulfilment: { pickup: true, delivery: true },
    adminNumbers: [admin],
  });
  expect(res.status).toBe(201);
  const chat = { pnid, waId: newWaId(), admin, seen: 0 };
  expect(await say(chat, 'hi')).toHaveLength(1);
  return chat;
}

const refOf = (chat: Chat) => conversationId(chat.pnid, chat.waId);

/**
 * Runs one customer message whose step fails once at `point` for this chat, and returns the sends to the
 * customer once the bot settled (after the retry). Checks that the fault fired and nothing was parked.
 */
async function failingOnce(
  point: FaultPoint,
  chat: Chat,
  message: () => Promise<RecordedRequest[]>,
): Promise<RecordedRequest[]> {
  const before = faults.fired;
  faults.arm(point, refOf(chat));
  const sends = await message();
  expect(faults.fired, 'the injected fault fired').toBe(before + 1);
  expect(await t.bot.models.Inbox.countDocuments({ customerRef: refOf(chat), status: 'failed' })).toBe(0);
  return sends;
}

async function requestsOf(chat: Chat): Promise<Array<[string, string]>> {
  const requests = await t.bot.models.PrivacyRequest.find({ subjectKey: refOf(chat) })
    .sort({ receivedAt: 1 })
    .lean<PrivacyRequest[]>()
    .exec();
  return requests.map((r) => [r.type, r.status]);
}

describe.each<FaultPoint>(['outbox-insert', 'snapshot-save'])(
  'a step that fails at the %s right after its effect, then runs again',
  (point) => {
    it('when it placed an order, then there is one order, one number was taken, and the customer is told it once', async () => {
      const chat = await newChat();
      await say(chat, '1');
      await say(chat, 'cola');
      await say(chat, '1');
      await say(chat, 'checkout');
      await say(chat, 'delivery');
      await say(chat, ADDRESS);
      expect(only(await tapButton(chat, 'order.nonote', 'No note')).text).toContain('Shall I place it?');

      const placed = (await failingOnce(point, chat, () => sayAll(chat, 'yes'))).map(sendText);

      expect(placed).toHaveLength(1);
      expect(placed[0]).toMatch(/^✅ Order \*1001\* placed: €2\.50\./);
      const orders = await t.bot.models.Order.find({ phoneNumberId: chat.pnid }).lean<Order[]>().exec();
      expect(orders.map((o) => [o.orderNumber, o.status, o.deliveryAddress])).toEqual([
        [1001, 'placed', { text: ADDRESS }],
      ]);
      expect(orders[0]?.sourceKey).toEqual(expect.any(String));
      const counter = await t.bot.models.Counter.findById(`order:${chat.pnid}`).lean().exec();
      expect(counter?.seq).toBe(1);
      expect((await t.bot.privacy.readProfile(refOf(chat))).addresses).toEqual([{ text: ADDRESS }]);

      // The conversation moved on: tracking shows the order, and cancelling it works once too.
      expect((await say(chat, '2'))[0]).toMatch(/^Your recent orders:\n• Order \*1001\*: placed/);
      await tapButton(chat, 'order.cancelPlaced:1001', 'Cancel order 1001');
      const cancelled = (
        await failingOnce(point, chat, () => tapButton(chat, 'order.cancelPlaced.yes', 'Yes, cancel'))
      ).map(sendText);
      expect(cancelled).toHaveLength(1);
      expect(cancelled[0]).toContain('Order *1001* is cancelled.');
      const [order] = await t.bot.models.Order.find({ phoneNumberId: chat.pnid }).lean<Order[]>().exec();
      expect(order?.statusHistory.map((h) => [h.status, h.by])).toEqual([
        ['placed', 'customer'],
        ['cancelled', 'customer'],
      ]);
    });

    it('when it removed a saved address, then only that address is gone and one correction is recorded', async () => {
      const chat = await newChat();
      await t.bot.privacy.saveAddress(refOf(chat), { text: 'Older street 1' });
      await t.bot.privacy.saveAddress(refOf(chat), { text: 'Newer street 2' });
      expect(only(await sayAll(chat, 'change my address')).ids).toEqual(['pv.fix.addr:0', 'pv.fix.addr:1']);
      await tapRow(chat, 'pv.fix.addr:0', 'Address 1');
      expect(only(await sayAll(chat, 'remove')).text).toContain('Before: Newer street 2\nAfter: (removed)');

      const saved = (await failingOnce(point, chat, () => tapButton(chat, 'pv.fix.yes', 'Save'))).map(
        sendText,
      );

      expect(saved).toHaveLength(1);
      expect(saved[0]).toMatch(/^Saved\. Thank you for keeping your details correct\./);
      expect((await t.bot.privacy.readProfile(refOf(chat))).addresses).toEqual([{ text: 'Older street 1' }]);
      expect(await requestsOf(chat)).toEqual([['correction', 'completed']]);
    });

    it('when it recorded "stop", then "start", then there is one request each and one suppression while opted out', async () => {
      const chat = await newChat();

      expect(await failingOnce(point, chat, () => sayAll(chat, 'stop')).then((s) => s.map(sendText))).toEqual(
        [OPTED_OUT],
      );
      expect(
        await t.bot.models.Suppression.find({ _id: refOf(chat) })
          .lean()
          .exec(),
      ).toEqual([expect.objectContaining({ reason: 'opted-out' })]);
      expect(await requestsOf(chat)).toEqual([['opt-out', 'completed']]);

      const back = (await failingOnce(point, chat, () => sayAll(chat, 'start'))).map(sendText);
      expect(back).toHaveLength(1);
      expect(back[0]?.startsWith(OPTED_IN)).toBe(true);
      expect(back[0]?.endsWith(MENU_TAIL)).toBe(true);
      expect(await t.bot.models.Suppression.countDocuments({ _id: refOf(chat) })).toBe(0);
      expect(await requestsOf(chat)).toEqual([
        ['opt-out', 'completed'],
        ['opt-in', 'completed'],
      ]);
    });

    it('when it offered an erasure, then the buttons the customer got work; when it recorded *Keep my data*, then it says so once', async () => {
      const chat = await newChat();

      const offer = only(await failingOnce(point, chat, () => sayAll(chat, 'delete my data')));
      expect(offer.text).toMatch(/^\*Delete your data with Osteria Una Volta\?\*/);
      expect(await requestsOf(chat)).toEqual([['erasure', 'awaiting_confirmation']]);
      const token = (offer.ids[1] ?? '').slice('pv.erase.no:'.length);
      expect(offer.ids).toEqual([`pv.erase.yes:${token}`, `pv.erase.no:${token}`]);

      const kept = (
        await failingOnce(point, chat, () => tapButton(chat, `pv.erase.no:${token}`, 'Keep my data'))
      ).map(sendText);
      expect(kept).toHaveLength(1);
      expect(kept[0]?.startsWith(`${KEPT}\n\n`)).toBe(true);
      expect(await requestsOf(chat)).toEqual([['erasure', 'cancelled']]);
      expect(await t.bot.models.Customer.countDocuments({ _id: refOf(chat) })).toBe(1);
    });

    it('when it recorded "no AI", then the preference is set and confirmed once', async () => {
      const chat = await newChat();

      expect((await failingOnce(point, chat, () => sayAll(chat, 'no AI'))).map(sendText)).toEqual([NO_AI]);
      const customer = await t.bot.models.Customer.findById(refOf(chat)).lean<Customer>().exec();
      expect(customer?.noAi).toBe(true);
    });

    it('when it answered "what data do you have on me?", then one access request is recorded and the answer comes once', async () => {
      const chat = await newChat();

      const sends = await failingOnce(point, chat, () => sayAll(chat, 'what data do you have on me?'));

      expect(sends.map((s) => sendText(s).slice(0, 30))).toEqual([
        'Got it: you asked to see your ',
        '*Your data with Osteria Una Vo',
        expect.any(String),
        expect.any(String),
      ]);
      expect(sends.slice(2).map((s) => (s.json as { type?: string }).type)).toEqual(['document', 'document']);
      expect(await requestsOf(chat)).toEqual([['access', 'completed']]);
    });
  },
);

describe('steps that save no snapshot, failing when their replies are stored', () => {
  it('when a confirmed erasure’s replies could not be stored, then the retried tap erases once and the customer gets the code once', async () => {
    const chat = await newChat();
    // An order placed by a chat step: it carries that step's key until the customer's data is erased.
    await t.bot.orders.placeOrder(
      sampleOrder(chat.pnid, refOf(chat), { sourceKey: `${refOf(chat)}-step:placeOrder` }),
    );
    // The open order is listed first (what the erasure does to it), then the buttons.
    const offer = await sayAll(chat, 'delete my data');
    expect(offer).toHaveLength(2);
    expect(sendText(offer[0] as RecordedRequest)).toContain('1001');
    const yes = choiceIds(offer[1])[0] ?? '';

    const sends = (
      await failingOnce('outbox-insert', chat, () => tapButton(chat, yes, 'Delete my data'))
    ).map(sendText);

    expect(sends).toHaveLength(2);
    expect(sends[0]).toBe(ERASING);
    expect(sends[1]).toMatch(DELETED);
    expect(await requestsOf(chat)).toEqual([['erasure', 'completed']]);
    expect(await t.bot.models.Customer.countDocuments({ _id: refOf(chat) })).toBe(0);
    const orders = await t.bot.models.Order.find({ phoneNumberId: chat.pnid }).lean<Order[]>().exec();
    expect(orders.map((o) => [o.customerRef.startsWith('anon:'), o.sourceKey])).toEqual([[true, undefined]]);
  });

  it('when a staff member’s /ai on could not store its reply, then AI is switched on and recorded once, and the reply says it is now on', async () => {
    const chat = await newChat();
    const staff: Chat = { pnid: chat.pnid, waId: chat.admin, seen: 0 };

    const replies = (await failingOnce('outbox-insert', staff, () => sayAll(staff, '/ai on'))).map(sendText);

    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^AI replies are now on, from the next customer message\./);

    const business = await t.bot.models.Business.findOne({ phoneNumberId: chat.pnid }).lean().exec();
    expect(business?.aiReplies).toBe(true);
    const changes = await t.bot.models.SettingsChange.find({ phoneNumberId: chat.pnid })
      .lean<SettingsChange[]>()
      .exec();
    expect(changes.map((c) => [c.field, c.from, c.to])).toEqual([['aiReplies', false, true]]);
  });
});
