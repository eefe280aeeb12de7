/**
 * Privacy rights in the chat, end to end: the whole bot on the embedded database, each customer message a
 * real signed webhook, every reply read from the loopback Graph API stub. Seeing one's data (summary, PDF
 * and JSON file), correcting the name and saved addresses, deleting everything (then a scan of every collection
 * for anything left), replays and stale buttons, "stop"/"start", the five languages' triggers, and the logs.
 * Each test has its own business and its own customer (a unique number and a distinctive profile name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/db/models/customer.model.js';
import type { Order } from '../../src/db/models/order.model.js';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import type { PrivacyRequest } from '../../src/db/models/privacy-request.model.js';
import { t as text } from '../../src/language/i18n.js';
import type { Language } from '../../src/language/languages.js';
import type { DataExport } from '../../src/privacy/export.js';
import { dataExportSchema } from '../../src/privacy/export.js';
import { formatDate } from '../../src/language/dates.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { buttonBody, chatWith, from, only } from '../helpers/chat.js';
import type { Chat as BaseChat } from '../helpers/chat.js';
import { conversationId, REPLY, sendsTo } from '../helpers/engine.js';
import type { RecordedRequest } from '../helpers/graph-stub.js';
import { inboundMessage, newPhoneNumberId, newWaId, nowSeconds } from '../helpers/payloads.js';
import { pdfText } from '../helpers/pdf.js';
import { englishIn } from '../flows/graph/languages.js';
import { sendBody, sendText } from '../helpers/webhook.js';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('privacy-chat');
});
afterAll(async () => {
  await t.close();
});

const CATALOG = [
  { id: 'margherita', name: 'Margherita', price: 9.5, category: 'Pizza' },
  { id: 'cola', name: 'Cola', price: 2.5, category: 'Drinks' },
];

const MENU_TAIL = '5. 🌐 Language';
const ACCESS_ACK = 'Got it: you asked to see your data. Putting it together now…';
const ERASING = 'Deleting your data now. I will confirm here in a moment.';
/** A request's confirmation code: "DSR" and ten characters without look-alikes. */
const CODE = /^DSR[2-9A-HJKMNP-Z]{10}$/;
const DELETED = /^✅ \*Your data has been deleted\.\* Confirmation code: \*(DSR[2-9A-HJKMNP-Z]{10})\*\n/;
const STALE =
  'That button has expired or was already used, so nothing changed. Type *delete my data* to start again.';
const KEPT = 'OK, nothing was deleted. Your data stays as it is.';
const OTHER_PERSON =
  'I can only act on the data of the WhatsApp number writing here, never on someone else’s: they must ask from their own number.';
const OPTED_OUT =
  "Done: you won't get order updates or other messages from us unless you write first. " +
  'We still answer when you write. Type *start* to get updates again.';
const OPTED_IN = "Welcome back: you'll get order updates here again.";
const PHONE_CANNOT_CHANGE =
  'Your phone number cannot be changed here: it is how WhatsApp tells us this chat is yours, so nobody can ' +
  'move your data to another number by typing it. To use another number, just write to us from it. ' +
  'You can also have this number’s data deleted: type *delete my data*.';
const ADDRESS_PROMPT = 'Where should we deliver? Type the address, or share a location (📎 → Location).';
const NOTE_PROMPT = 'Anything we should know (allergies, doorbell…)? Type a note, or tap *No note*.';

/**
 * Everything that identifies a customer, collected across the file for the log check at the end: numbers,
 * names, what they typed that is theirs (addresses, notes, requests), the erasure buttons' tokens.
 */
const secrets = new Set<string>();

/** One customer of one business, and how many of the sends to them the test has already read. */
interface Chat extends BaseChat {
  /** The WhatsApp profile name the webhooks carry (a test may change it, as WhatsApp users do). */
  name: string;
}

/** A new business with the small menu above, for pickup and delivery. */
async function newBusiness(name: string): Promise<string> {
  const pnid = newPhoneNumberId();
  const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
    name,
    currency: 'EUR',
    catalog: CATALOG,
    fulfilment: { pickup: true, delivery: true },
  });
  expect(res.status).toBe(201);
  return pnid;
}

function newChat(pnid: string, name: string, waId = newWaId()): Chat {
  secrets.add(waId);
  secrets.add(`+${waId}`);
  secrets.add(name);
  return { pnid, waId, name, seen: 0 };
}

const chats = chatWith(() => t);
const { post, tapButton, tapRow } = chats;

/** Types a text; `secret` marks it as the customer's own words, which must never reach a log line. */
async function sayAll(chat: Chat, text: string, secret = false): Promise<RecordedRequest[]> {
  if (secret) secrets.add(text);
  return chats.sayAll(chat, text);
}

async function say(chat: Chat, text: string, secret = false): Promise<string[]> {
  return (await sayAll(chat, text, secret)).map(sendText);
}

interface InteractiveSend {
  type?: string;
  document?: { id?: string; filename?: string; caption?: string };
  interactive?: {
    action?: {
      buttons?: Array<{ reply: { id: string; title: string } }>;
      sections?: Array<{ rows: Array<{ id: string; title: string; description?: string }> }>;
    };
  };
}

const refOf = (chat: Chat) => conversationId(chat.pnid, chat.waId);

async function ordersOf(pnid: string): Promise<Order[]> {
  return t.bot.models.Order.find({ phoneNumberId: pnid }).sort({ orderNumber: 1 }).lean<Order[]>().exec();
}

async function requestsOf(chat: Chat, type?: PrivacyRequest['type']): Promise<PrivacyRequest[]> {
  return t.bot.models.PrivacyRequest.find({ subjectKey: refOf(chat), ...(type ? { type } : {}) })
    .sort({ receivedAt: 1 })
    .lean<PrivacyRequest[]>()
    .exec();
}

/** Orders one Margherita for delivery by typing every answer; returns the "placed" reply. */
async function orderForDelivery(chat: Chat, address: string, note?: string): Promise<string> {
  secrets.add(address);
  expect((await say(chat, '1'))[0]).toMatch(/^Here is our menu/);
  expect(await say(chat, 'margherita')).toEqual([
    'How many *Margherita* (€9.50 each)? Tap a number, or type one from 1 to 99.',
  ]);
  expect(await say(chat, '1')).toEqual(['Added: 1 × Margherita.\nYour cart: 1 item, €9.50.']);
  expect(await say(chat, 'checkout')).toEqual(['Pickup or delivery?']);
  expect(await say(chat, 'delivery')).toEqual([ADDRESS_PROMPT]);
  expect(await say(chat, address, true)).toEqual([NOTE_PROMPT]);
  const summary = note ? only(await sayAll(chat, note, true)) : only(await tapButton(chat, 'order.nonote'));
  expect(summary.text).toBe(
    `*Your order*\n• 1 × Margherita — €9.50\n*Total: €9.50*\nDelivery to ${address}\n` +
      `${note ? `Note: ${note}\n` : ''}Shall I place it?`,
  );
  const placed = await say(chat, 'yes');
  expect(placed).toHaveLength(1);
  return placed[0] ?? '';
}

/** "delete my data" (or the given text): the explanation and the token its two buttons carry. */
async function offerErasure(
  chat: Chat,
  text = 'delete my data',
): Promise<{ text: string; token: string; before: string[] }> {
  const sends = await sayAll(chat, text, true);
  // With open orders, a message listing them comes first.
  const offer = only(sends.slice(-1));
  expect(offer.ids).toHaveLength(2);
  const [yes, no] = offer.ids as [string, string];
  expect(yes).toMatch(/^pv\.erase\.yes:[A-Za-z0-9_-]{24}$/);
  const token = yes.slice('pv.erase.yes:'.length);
  expect(no).toBe(`pv.erase.no:${token}`);
  secrets.add(token);
  return { text: offer.text, token, before: sends.slice(0, -1).map(sendText) };
}

/** Every string in a document (keys too), with its dotted path. */
function strings(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${path}.${i}`));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const proto = Object.getPrototypeOf(value) as unknown;
    // BSON values (ObjectId, Binary, Long…) as their JSON text.
    if (proto !== Object.prototype && proto !== null) return [[path, JSON.stringify(value) ?? '']];
    return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => [
      [path ? `${path}.${key}` : key, key] as [string, string],
      ...strings(inner, path ? `${path}.${key}` : key),
    ]);
  }
  return [];
}

/** Every document of every collection of the test database, by collection name. */
async function everyDocument(): Promise<Map<string, Array<Record<string, unknown>>>> {
  const db = t.bot.database.connection.db;
  if (!db) throw new Error('no database');
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  const all = new Map<string, Array<Record<string, unknown>>>();
  for (const name of names.sort()) all.set(name, await db.collection(name).find({}).toArray());
  return all;
}

describe('seeing my data', () => {
  it('when a customer asks "what data do you have on me?", then they get a summary, a PDF to read and a JSON file of exactly their data, in their chat only', async () => {
    const pnid = await newBusiness('Trattoria Accesso');
    const chat = newChat(pnid, 'Philippa Quarrington');
    const bystander = newChat(pnid, 'Osric Vellacott');
    expect((await say(bystander, 'hi'))[0]).toMatch(/^Hi! Welcome to/);
    expect((await say(chat, 'hi'))[0]).toMatch(/^Hi! Welcome to \*Trattoria Accesso\*/);
    const address = 'Calle Almendro 41, 3ºB, Sevilla';
    const note = 'The buzzer is broken, please call';
    expect(await orderForDelivery(chat, address, note)).toMatch(/^✅ Order \*1001\* placed: €9\.50\./);
    const uploadsBefore = t.graph.requests.filter((r) => r.path.endsWith(`/${pnid}/media`)).length;

    const sends = await sayAll(chat, 'what data do you have on me?');

    expect(sends.map((s) => sendBody(s).type)).toEqual(['text', 'text', 'document', 'document']);
    const [ack, summary, readable, document] = sends as [
      RecordedRequest,
      RecordedRequest,
      RecordedRequest,
      RecordedRequest,
    ];
    expect(sendText(ack)).toBe(ACCESS_ACK);
    const [request, ...others] = await requestsOf(chat, 'access');
    expect(others).toEqual([]);
    if (!request) throw new Error('no access request recorded');
    const code = request.confirmationCode;
    expect(code).toMatch(CODE);
    const text = sendText(summary);
    expect(text.startsWith(`*Your data with Trattoria Accesso* (request ${code})\n`)).toBe(true);
    expect(text).toContain(`• WhatsApp number: +${chat.waId}\n`);
    expect(text).toContain('• Name: Philippa Quarrington (from your WhatsApp profile)\n');
    expect(text).toContain(`• Saved addresses: ${address}\n`);
    expect(text).toContain('• Messages you did not ask for: order updates on\n');
    expect(text).toContain('• AI-written replies: off at this business\n');
    const [placed] = await ordersOf(pnid);
    if (!placed) throw new Error('no order placed');
    // The date as English writes it ("Dec 3, 2026"), not ISO.
    expect(text).toContain(
      `*Orders* (1)\n• 1001, ${formatDate('en', placed.placedAt)}, placed, 1 item(s), with delivery address, with a note\n`,
    );
    expect(text).not.toMatch(/\d{4}-\d\d-\d\d/);
    // Plain words for a person on a phone: what, why and how long, no collection or file names.
    expect(text).toContain('\n*Why and how long*\n• Your choice to stop messages: so we respect *stop*.');
    expect(text).toContain(
      '• Your orders: to prepare and deliver them, and for the business’s accounting. Kept: 10 years (accounting law); the delivery address and note 30 days after the order is finished.\n',
    );
    expect(text).toContain(
      '• Your profile (WhatsApp number, name, saved addresses): to reply to you, know you, and offer your saved addresses. Kept: 1 year after your last message.\n',
    );
    for (const internal of ['suppressions', 'customer_ids', 'ai_calls', 'privacy_requests', '.json', 'docs/'])
      expect(text).not.toContain(internal);
    expect(
      text.endsWith(
        '\n\nTwo files follow: a copy to read (PDF), and the complete copy made for computers to read (JSON), which you can keep or give to another service.',
      ),
    ).toBe(true);
    expect(text).toContain('\n*Who receives it*\n• Trattoria Accesso, who decides how your data is used');
    expect(text).toContain('\n*Your rights*\n• Correct your name or addresses: type *correct my data*.');
    expect(text).toContain('• Delete your data: type *delete my data*.');
    expect(text).not.toContain(bystander.waId);

    // The files: each uploaded once for this business, then sent as a document to this customer only.
    const uploads = t.graph.requests.filter((r) => r.path.endsWith(`/${pnid}/media`));
    expect(uploads).toHaveLength(uploadsBefore + 2);
    const pdf = uploads.at(-2)?.files.file;
    if (!pdf) throw new Error('no PDF in the media upload');
    expect(pdf.filename).toMatch(/^my-data-\d{4}-\d\d-\d\d\.pdf$/);
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((readable.json as InteractiveSend).document).toMatchObject({
      filename: pdf.filename,
      caption: `Your data with Trattoria Accesso, as a document to read (${code})`,
    });
    const page = pdfText(pdf.data);
    expect(page).toContain(`Your data with Trattoria Accesso`);
    expect(page).toContain(`• WhatsApp number: +${chat.waId}`);
    expect(page).toContain(`Order 1001 · ${formatDate('en', placed.placedAt)} · placed`);
    expect(page).toContain('1 × Margherita, €9.50 each: €9.50');
    expect(page).toContain(`Delivery to: ${address}`);
    expect(page).not.toContain(bystander.waId);
    const file = uploads.at(-1)?.files.file;
    if (!file) throw new Error('no file in the media upload');
    expect(file.filename).toMatch(/^my-data-\d{4}-\d\d-\d\d\.json$/);
    expect(file.contentType).toBe('application/json');
    const exported: DataExport = dataExportSchema.parse(JSON.parse(file.data.toString('utf8')));
    const doc = (document.json as InteractiveSend).document;
    expect(doc).toMatchObject({
      filename: file.filename,
      caption: `Your data with Trattoria Accesso (${code})`,
    });
    expect(doc?.id).toMatch(/^\d+$/);
    const documentSends = t.graph.requests.filter(
      (r) =>
        r.path.endsWith(`/${pnid}/messages`) && (r.json as InteractiveSend | undefined)?.type === 'document',
    );
    expect(documentSends.map((r) => sendBody(r).to)).toEqual([`+${chat.waId}`, `+${chat.waId}`]);
    expect(sendsTo(t.graph.requests, pnid, bystander.waId).map((r) => sendBody(r).type)).toEqual([
      'interactive',
    ]);

    expect(exported.request).toEqual({ id: request._id, confirmationCode: code });
    expect(exported.controller).toEqual({ name: 'Trattoria Accesso', whatsappPhoneNumberId: pnid });
    expect(exported.subject).toMatchObject({
      whatsappId: chat.waId,
      name: 'Philippa Quarrington',
      nameSource: 'whatsapp-profile',
      savedAddresses: [{ text: address }],
    });
    expect(exported.preferences).toEqual({ optedOut: false, aiReplies: 'off', noAi: false });
    // AI replies are off at this business: none of this customer's messages went to an AI provider.
    expect(exported.aiCalls).toEqual([]);
    expect(exported.orders).toHaveLength(1);
    expect(exported.orders[0]).toMatchObject({
      orderNumber: 1001,
      status: 'placed',
      currency: 'EUR',
      totalMinor: 950,
      fulfilment: 'delivery',
      items: [
        { itemId: 'margherita', name: 'Margherita', quantity: 1, unitPriceMinor: 950, lineTotalMinor: 950 },
      ],
      deliveryAddress: { text: address },
      note,
      statusHistory: [{ status: 'placed', by: 'customer' }],
    });
    expect(exported.orders[0]?.keptUntil).toEqual(expect.any(String));
    // Only this customer: the bystander at the same business is in neither the file nor the summary.
    const json = file.data.toString('utf8');
    expect(json).not.toContain(bystander.waId);
    expect(json).not.toContain(bystander.name);
    // Nine messages before this one (greeting to placing) and this one, each recorded as received.
    expect(exported.messages.received).toHaveLength(10);
    expect(exported.messages.received.every((m) => !m.textStored)).toBe(true);
    expect(exported.privacyRequests).toEqual([
      expect.objectContaining({ id: request._id, type: 'access', channel: 'chat', confirmationCode: code }),
    ]);
    expect(exported.processing.map((p) => p.collection)).toEqual([
      'suppressions',
      'conversations',
      'inbox',
      'outbox',
      'customers',
      'customer_ids',
      'orders',
      'appointments',
      'ai_calls',
      'handoffs',
      'privacy_requests',
    ]);
    expect(exported.recipients[0]).toBe(
      'Trattoria Accesso, who decides how your data is used (the controller)',
    );

    // The request is on record, completed, and holds nothing that names the customer.
    expect(request).toMatchObject({
      type: 'access',
      status: 'completed',
      channel: 'chat',
      phoneNumberId: pnid,
      subjectKey: refOf(chat),
    });
    expect(request.completedAt).toBeInstanceOf(Date);
    expect(request.open).toBeUndefined();
    const stored = JSON.stringify(request);
    for (const value of [chat.waId, chat.name, 'Philippa', address, note])
      expect(stored).not.toContain(value);
  });
});

describe('correcting my data', () => {
  it('when a customer corrects their name, then it is shown before and after, saved on *Save*, and later WhatsApp profile names do not overwrite it', async () => {
    const pnid = await newBusiness('Trattoria Nomi');
    const chat = newChat(pnid, 'Bartholomew Ixworth');
    await say(chat, 'hi');

    const asked = only(await sayAll(chat, 'correct my name'));
    expect(asked.text).toBe(
      'The name we have for you is *Bartholomew Ixworth*. Type your name as you would like us to use it, or *cancel*.',
    );
    const confirm = only(await sayAll(chat, '  Bart   Ixworth-Lind ', true));
    expect(confirm).toEqual({
      text: '*Your name*\nBefore: Bartholomew Ixworth\nAfter: Bart Ixworth-Lind\nSave this change?',
      ids: ['pv.fix.yes', 'pv.fix.no'],
    });
    secrets.add('Bart Ixworth-Lind');
    expect(await t.bot.privacy.readProfile(refOf(chat))).toMatchObject({ name: 'Bartholomew Ixworth' });

    const saved = only(await tapButton(chat, 'pv.fix.yes', 'Save'));
    expect(saved.text.startsWith('Saved. Thank you for keeping your details correct.\n\n')).toBe(true);
    expect(saved.text.endsWith(MENU_TAIL)).toBe(true);
    expect(await t.bot.privacy.readProfile(refOf(chat))).toEqual({
      name: 'Bart Ixworth-Lind',
      nameCorrected: true,
      addresses: [],
    });
    const [correction, ...more] = await requestsOf(chat, 'correction');
    expect(more).toEqual([]);
    expect(correction).toMatchObject({ status: 'completed', fields: ['profile.name'] });
    expect(JSON.stringify(correction)).not.toContain('Ixworth');

    // WhatsApp sends another profile name with the next message: the customer's own correction stays.
    chat.name = 'Barty From WhatsApp';
    secrets.add(chat.name);
    await say(chat, 'menu');
    expect((await t.bot.privacy.readProfile(refOf(chat))).name).toBe('Bart Ixworth-Lind');
    const summary = (await sayAll(chat, 'show my data')).map(sendText)[1] ?? '';
    expect(summary).toContain('• Name: Bart Ixworth-Lind\n');
  });

  it('when a customer corrects and removes a saved address, then the profile changes on *Save* only, and the next delivery order offers the saved address', async () => {
    const pnid = await newBusiness('Trattoria Indirizzi');
    const chat = newChat(pnid, 'Cordelia Nantwich');
    await say(chat, 'hi');
    const first = 'Rua do Almada 77, Porto';
    expect(await orderForDelivery(chat, first)).toMatch(/^✅ Order \*1001\* placed/);
    expect((await t.bot.privacy.readProfile(refOf(chat))).addresses).toEqual([{ text: first }]);

    const pick = await sayAll(chat, 'change my address');
    expect(only(pick).text).toBe('Which saved address do you want to correct or remove?');
    const rows = (pick[0]?.json as InteractiveSend).interactive?.action?.sections?.[0]?.rows;
    expect(rows).toEqual([{ id: 'pv.fix.addr:0', title: 'Address 1', description: first }]);
    expect(only(await tapRow(chat, 'pv.fix.addr:0', 'Address 1')).text).toBe(
      'Type the corrected address, or *remove* to delete it from your saved addresses (or *cancel*).',
    );
    const second = 'Rua do Almada 79, 1º, Porto';
    secrets.add(second);
    expect(only(await sayAll(chat, second, true))).toEqual({
      text: `*Your saved address*\nBefore: ${first}\nAfter: ${second}\nSave this change?`,
      ids: ['pv.fix.yes', 'pv.fix.no'],
    });
    expect((await t.bot.privacy.readProfile(refOf(chat))).addresses).toEqual([{ text: first }]);
    expect(only(await tapButton(chat, 'pv.fix.yes', 'Save')).text).toMatch(/^Saved\. /);
    expect((await t.bot.privacy.readProfile(refOf(chat))).addresses).toEqual([{ text: second }]);

    // "change my phone number": explained, nothing changes.
    expect(await say(chat, 'change my phone number')).toEqual([PHONE_CANNOT_CHANGE]);
    const customer = await t.bot.models.Customer.findById(refOf(chat)).lean<Customer>().exec();
    expect(customer?.waId).toBe(chat.waId);
    expect((await t.bot.privacy.readProfile(refOf(chat))).addresses).toEqual([{ text: second }]);

    // The next delivery order offers the saved (corrected) address as a row to tap.
    await say(chat, '1');
    await say(chat, 'cola');
    await say(chat, '2');
    await say(chat, 'checkout');
    const where = await sayAll(chat, 'delivery');
    expect(only(where)).toEqual({
      text: `${ADDRESS_PROMPT}\nOr tap *Saved addresses* to use one you used before.`,
      ids: ['addr.saved:0'],
    });
    expect((where[0]?.json as InteractiveSend).interactive?.action?.sections?.[0]?.rows).toEqual([
      { id: 'addr.saved:0', title: 'Address 1', description: second },
    ]);
    expect(only(await tapRow(chat, 'addr.saved:0', 'Rua do Almada 79')).text).toBe(NOTE_PROMPT);
    expect(only(await tapButton(chat, 'order.nonote', 'No note')).text).toContain(`Delivery to ${second}\n`);
    expect((await say(chat, 'yes'))[0]).toMatch(/^✅ Order \*1002\* placed: €5\.00\./);
    expect((await ordersOf(pnid)).map((o) => o.deliveryAddress)).toEqual([{ text: first }, { text: second }]);

    // Remove it: gone from the profile on *Save*.
    await say(chat, 'change my address');
    await tapRow(chat, 'pv.fix.addr:0', 'Address 1');
    expect(only(await sayAll(chat, 'remove'))).toEqual({
      text: `*Your saved address*\nBefore: ${second}\nAfter: (removed)\nSave this change?`,
      ids: ['pv.fix.yes', 'pv.fix.no'],
    });
    expect(only(await tapButton(chat, 'pv.fix.yes', 'Save')).text).toMatch(/^Saved\. /);
    expect(await t.bot.privacy.readProfile(refOf(chat))).toEqual({
      name: 'Cordelia Nantwich',
      addresses: [],
    });
    // With nothing saved, "change my address" says so.
    expect((await say(chat, 'change my address'))[0]).toMatch(/^You have no saved addresses with us\./);
    expect((await requestsOf(chat, 'correction')).map((r) => [r.status, r.fields])).toEqual([
      ['completed', ['profile.addresses']],
      ['completed', ['profile.addresses']],
    ]);
  });
});

/** Counts of a receipt's lines: collection, deleted, anonymised, kept. */
function receiptCounts(request: PrivacyRequest | undefined): Array<[string, number, number, number]> {
  return (request?.receipt?.lines ?? []).map((l) => [l.collection, l.deleted, l.anonymised, l.kept]);
}

describe('deleting my data', () => {
  it('when a customer confirms "delete my data", then they get the code, and no collection holds their number, name, key or words; the order is kept anonymised', async () => {
    const pnid = await newBusiness('Trattoria Oblio');
    const chat = newChat(pnid, 'Evangelina Thistlewood');
    const typed = ['hello there, are you open tonight?', 'thanks a lot, see you soon'];
    expect((await say(chat, typed[0] ?? '', true))[0]).toMatch(/^Hi! Welcome to \*Trattoria Oblio\*/);
    const address = 'Avenida da Liberdade 190, 4º Esq, Lisboa';
    const note = 'Gluten allergy, and the dog barks';
    expect(await orderForDelivery(chat, address, note)).toMatch(/^✅ Order \*1001\* placed/);
    expect((await say(chat, typed[1] ?? '', true))[0]).toMatch(/^Sorry, I didn't understand that\./);
    const ref = refOf(chat);
    const [before] = await ordersOf(pnid);
    if (!before) throw new Error('no order placed');

    const offer = await offerErasure(chat);

    const [request] = await requestsOf(chat, 'erasure');
    if (!request) throw new Error('no erasure request recorded');
    expect(request).toMatchObject({ status: 'awaiting_confirmation', channel: 'chat', phoneNumberId: pnid });
    expect(request.confirmTokenHash).not.toContain(offer.token);
    expect(
      offer.text.startsWith(
        `*Delete your data with Trattoria Oblio?* (request ${request.confirmationCode})\n`,
      ),
    ).toBe(true);
    expect(offer.text).toContain(
      '*Kept, anonymised:* your 1 order(s) — items, amounts, dates and order number only, with no name, phone, address or chat text — for 10 years',
    );
    expect(offer.text).toContain('This cannot be undone.');
    // The open order, not started by the business yet, is named first with what will happen to it.
    expect(offer.before).toEqual([
      '*Your open orders* (1)\n• Order 1001 (not started yet): it will be *cancelled*, and the business told.',
    ]);
    // Nothing is deleted before the tap.
    expect(await t.bot.models.Customer.countDocuments({ _id: ref })).toBe(1);
    const inboxBefore = await t.bot.models.Inbox.countDocuments({ customerRef: ref });
    const outboxBefore = await t.bot.models.Outbox.countDocuments({ customerRef: ref });
    expect(inboxBefore).toBe(11);

    const sends = (await tapButton(chat, `pv.erase.yes:${offer.token}`, 'Delete my data')).map(sendText);

    expect(sends).toHaveLength(2);
    expect(sends[0]).toBe(ERASING);
    expect(sends[1]).toMatch(DELETED);
    expect(DELETED.exec(sends[1] ?? '')?.[1]).toBe(request.confirmationCode);
    expect(sends[1]).toContain('Kept, anonymised: 1 order(s) (items, amounts, dates, order number;');

    const done = await t.bot.models.PrivacyRequest.findById(request._id).lean<PrivacyRequest>().exec();
    expect(done).toMatchObject({ status: 'completed', attempts: 1, subjectKey: ref });
    expect(done?.confirmedAt).toBeInstanceOf(Date);
    expect(done?.completedAt).toBeInstanceOf(Date);
    for (const gone of ['open', 'identifiers', 'confirmTokenHash', 'lease'] as const) {
      expect(done?.[gone]).toBeUndefined();
    }
    expect(receiptCounts(done ?? undefined)).toEqual([
      ['suppressions', 0, 0, 1],
      ['conversations', 1, 0, 0],
      ['inbox', inboxBefore + 1, 0, 0],
      ['outbox', outboxBefore + 1, 0, 0],
      ['customers', 1, 0, 0],
      ['customer_ids', 1, 0, 0],
      ['orders', 0, 1, 1],
      ['appointments', 0, 0, 0],
      ['ai_calls', 0, 0, 0],
      ['handoffs', 0, 0, 0],
      ['privacy_requests', 0, 0, 1],
    ]);
    expect(done?.receipt?.lines.find((l) => l.collection === 'orders')?.keptUntil).toEqual(
      before.retainUntil,
    );
    expect(done?.receipt?.scan.findings).toEqual([]);
    expect(done?.receipt?.scan.collections).toBeGreaterThanOrEqual(7);
    expect(done?.receipt?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(done?.receipt?.software).toBe('polus-bot privacy/1');

    // The order stays for the accounts: same number, items and amounts, nobody's.
    const [after, ...more] = await ordersOf(pnid);
    expect(more).toEqual([]);
    expect(after?.customerRef).toMatch(/^anon:[A-Za-z0-9_-]{22}$/);
    expect(after).toMatchObject({
      orderNumber: before.orderNumber,
      items: before.items,
      totalMinor: before.totalMinor,
      currency: before.currency,
      fulfilment: 'delivery',
      status: 'cancelled',
      erasure: 'cancelled',
      retainUntil: before.retainUntil,
    });
    expect(after?.retainUntil).toBeInstanceOf(Date);
    expect(after?.deliveryAddress).toBeUndefined();
    expect(after?.note).toBeUndefined();
    expect(await t.bot.models.Suppression.findById(ref).lean().exec()).toMatchObject({ reason: 'erased' });

    // Every document of every collection: nothing of this customer is left.
    const needles = [chat.waId, chat.name, 'Thistlewood', address, note, 'delete my data', ...typed];
    const findings: string[] = [];
    for (const [collection, docs] of await everyDocument()) {
      for (const doc of docs) {
        for (const [path, value] of strings(doc)) {
          for (const needle of needles) {
            if (value.toLowerCase().includes(needle.toLowerCase()))
              findings.push(`${collection}.${path}: ${needle}`);
          }
          const keyAllowed =
            (collection === 'privacy_requests' && path === 'subjectKey') ||
            (collection === 'suppressions' && path === '_id');
          if (value.includes(ref) && !keyAllowed) findings.push(`${collection}.${path}: customerRef`);
        }
      }
    }
    expect(findings).toEqual([]);
    // The confirmation went to this chat only.
    const confirmations = t.graph.requests.filter((r) => DELETED.test(sendText(r)));
    expect(confirmations.map((r) => sendBody(r).to)).toEqual([`+${chat.waId}`]);
  });

  it('when a customer deletes their data at one business, then the same number at another business keeps everything', async () => {
    const first = await newBusiness('Trattoria Uno');
    const second = await newBusiness('Trattoria Due');
    const waId = newWaId();
    const atFirst = newChat(first, 'Hieronymus Blackwater', waId);
    const atSecond = newChat(second, 'Hieronymus Blackwater', waId);
    await say(atSecond, 'hi');
    await orderForDelivery(atSecond, 'Via Garibaldi 5, Torino', 'Second floor, blue door');
    await say(atFirst, 'hi');
    await orderForDelivery(atFirst, 'Via Roma 1, Torino');
    const secondRef = refOf(atSecond);
    const snapshot = async () => ({
      customer: await t.bot.models.Customer.findById(secondRef).lean().exec(),
      conversation: await t.bot.models.Conversation.findById(secondRef).lean().exec(),
      orders: await ordersOf(second),
      inbox: await t.bot.models.Inbox.find({ customerRef: secondRef }).sort({ _id: 1 }).lean().exec(),
      outbox: await t.bot.models.Outbox.find({ customerRef: secondRef })
        .sort({ _id: 1 })
        .lean<OutboxEntry[]>()
        .exec(),
      profile: await t.bot.privacy.readProfile(secondRef),
    });
    const beforeErasure = await snapshot();
    expect(beforeErasure.customer?.waId).toBe(waId);
    expect(beforeErasure.orders.map((o) => o.customerRef)).toEqual([secondRef]);

    const offer = await offerErasure(atFirst);
    const sends = (await tapButton(atFirst, `pv.erase.yes:${offer.token}`, 'Delete my data')).map(sendText);
    expect(sends[1]).toMatch(DELETED);
    expect(await t.bot.models.Customer.countDocuments({ _id: refOf(atFirst) })).toBe(0);
    expect((await ordersOf(first))[0]?.customerRef).toMatch(/^anon:/);

    expect(await snapshot()).toEqual(beforeErasure);
    expect(beforeErasure.profile).toEqual({
      name: 'Hieronymus Blackwater',
      addresses: [{ text: 'Via Garibaldi 5, Torino' }],
    });
    expect(await t.bot.models.Suppression.countDocuments({ _id: secondRef })).toBe(0);
    expect(await requestsOf(atSecond)).toEqual([]);
    // The second business still knows them: their order is there when they ask.
    const summary = (await sayAll(atSecond, 'what data do you have on me?')).map(sendText)[1] ?? '';
    expect(summary).toContain(`• WhatsApp number: +${waId}\n`);
    expect(summary).toMatch(/\*Orders\* \(1\)\n• 1001, /);
  });

  it('when the *Delete my data* tap is replayed or an older offer’s button is tapped, then nothing more is deleted; *Keep my data* cancels', async () => {
    const pnid = await newBusiness('Trattoria Ripetuta');
    const chat = newChat(pnid, 'Leopoldine Carrow');
    const ref = refOf(chat);
    await say(chat, 'hi');
    await orderForDelivery(chat, 'Kastanienallee 12, Berlin');
    const intact = async () => {
      expect(await t.bot.models.Customer.countDocuments({ _id: ref })).toBe(1);
      expect(await t.bot.models.Conversation.countDocuments({ _id: ref })).toBe(1);
      expect((await ordersOf(pnid)).map((o) => [o.customerRef, o.deliveryAddress])).toEqual([
        [ref, { text: 'Kastanienallee 12, Berlin' }],
      ]);
      expect((await t.bot.privacy.readProfile(ref)).name).toBe('Leopoldine Carrow');
    };

    // Asked twice: the same request, and only the newer offer's buttons work.
    const older = await offerErasure(chat);
    const newer = await offerErasure(chat, 'please delete my data');
    expect(newer.token).not.toBe(older.token);
    const [open, ...others] = await requestsOf(chat, 'erasure');
    expect(others).toEqual([]);
    expect(older.text).toContain(`(request ${open?.confirmationCode})`);
    expect(newer.text).toContain(`(request ${open?.confirmationCode})`);
    expect((await tapButton(chat, `pv.erase.yes:${older.token}`, 'Delete my data')).map(sendText)).toEqual([
      STALE,
    ]);
    expect((await requestsOf(chat, 'erasure')).map((r) => r.status)).toEqual(['awaiting_confirmation']);
    await intact();

    // *Keep my data* cancels; its *Delete* button is dead afterwards.
    const kept = only(await tapButton(chat, `pv.erase.no:${newer.token}`, 'Keep my data'));
    expect(kept.text.startsWith(`${KEPT}\n\n`)).toBe(true);
    expect(kept.text.endsWith(MENU_TAIL)).toBe(true);
    const [cancelled] = await requestsOf(chat, 'erasure');
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(cancelled?.open).toBeUndefined();
    expect(cancelled?.completedAt).toBeInstanceOf(Date);
    expect((await tapButton(chat, `pv.erase.yes:${newer.token}`, 'Delete my data')).map(sendText)).toEqual([
      STALE,
    ]);
    await intact();

    // A new request, confirmed once.
    const third = await offerErasure(chat);
    const [, fresh] = await requestsOf(chat, 'erasure');
    expect(fresh?.confirmationCode).not.toBe(cancelled?.confirmationCode);
    const confirm = buttonBody(chat, `pv.erase.yes:${third.token}`, 'Delete my data');
    const erased = (await post(chat, confirm)).map(sendText);
    expect(erased[0]).toBe(ERASING);
    expect(DELETED.exec(erased[1] ?? '')?.[1]).toBe(fresh?.confirmationCode);
    const completed = await requestsOf(chat, 'erasure');
    expect(completed.map((r) => [r.status, r.attempts])).toEqual([
      ['cancelled', 0],
      ['completed', 1],
    ]);
    const receipt = completed[1]?.receipt;
    expect(receipt?.scan.findings).toEqual([]);

    // The very same webhook delivered again: sent before the erasure, so it is dropped unanswered (its inbox
    // record went with the erasure; the tombstone recognises it).
    expect((await post(chat, confirm)).map(sendText)).toEqual([]);
    // The same button tapped again in a new message, a second later: a new contact, the used token does nothing.
    const again = inboundMessage({ ...from(chat), timestamp: nowSeconds(2) }, 'interactive', {
      interactive: {
        type: 'button_reply',
        button_reply: { id: `pv.erase.yes:${third.token}`, title: 'Delete my data' },
      },
    });
    expect((await post(chat, again)).map(sendText)).toEqual([STALE]);

    const finally_ = await requestsOf(chat, 'erasure');
    expect(finally_.map((r) => [r.status, r.attempts])).toEqual([
      ['cancelled', 0],
      ['completed', 1],
    ]);
    expect(finally_[1]?.receipt).toEqual(receipt);
    const deletions = sendsTo(t.graph.requests, pnid, chat.waId).filter((r) => DELETED.test(sendText(r)));
    expect(deletions).toHaveLength(1);
    // The anonymised order was not touched again.
    expect((await ordersOf(pnid)).map((o) => o.customerRef.startsWith('anon:'))).toEqual([true]);
  });

  it('when a customer asks to delete another number’s data, then only their own data is offered, and the reply says so', async () => {
    const pnid = await newBusiness('Trattoria Altrui');
    const other = newChat(pnid, 'Rosalind Featherstonehaugh', '34600111222');
    await say(other, 'hi');
    const chat = newChat(pnid, 'Mortimer Glasscock');
    await say(chat, 'hi');

    const offer = await offerErasure(chat, 'delete the data of +34 600 111 222');

    expect(offer.text.startsWith(`${OTHER_PERSON}\n\n*Delete your data with Trattoria Altrui?*`)).toBe(true);
    expect((await requestsOf(chat, 'erasure')).map((r) => r.status)).toEqual(['awaiting_confirmation']);
    expect(await requestsOf(other)).toEqual([]);
    const sends = (await tapButton(chat, `pv.erase.yes:${offer.token}`, 'Delete my data')).map(sendText);
    expect(sends[1]).toMatch(DELETED);
    expect(await t.bot.models.Customer.countDocuments({ _id: refOf(chat) })).toBe(0);
    // The number named in the text is untouched, and nothing was sent to it.
    expect(await t.bot.models.Customer.countDocuments({ _id: refOf(other) })).toBe(1);
    expect(await t.bot.models.Conversation.countDocuments({ _id: refOf(other) })).toBe(1);
    expect(await requestsOf(other)).toEqual([]);
    expect(sendsTo(t.graph.requests, pnid, other.waId)).toHaveLength(1);
  });
});

describe('stop and start', () => {
  it('when a customer sends "stop", then order updates are not sent (direct answers are) until "start"', async () => {
    const pnid = await newBusiness('Trattoria Silenzio');
    const chat = newChat(pnid, 'Thaddeus Winterbourne');
    await say(chat, 'hi');
    await orderForDelivery(chat, 'Rue de Rivoli 99, Paris');
    const patch = async (status: string) => {
      const res = await t.admin('PATCH', `/admin/businesses/${pnid}/orders/1001`, { status });
      expect(res.status).toBe(200);
      await t.settled();
      return ((await res.json()) as { notification: unknown }).notification;
    };
    const unread = () => sendsTo(t.graph.requests, pnid, chat.waId).slice(chat.seen).map(sendText);

    expect(await say(chat, 'stop')).toEqual([OPTED_OUT]);
    expect(await t.bot.models.Suppression.findById(refOf(chat)).lean().exec()).toMatchObject({
      phoneNumberId: pnid,
      reason: 'opted-out',
    });
    const { outboxId, ...skipped } = (await patch('confirmed')) as Record<string, unknown>;
    expect(outboxId).toMatch(/^[0-9a-f]{24}$/);
    expect(skipped).toEqual({ status: 'skipped', skippedReason: 'opted-out', templateNeeded: false });
    expect(unread()).toEqual([]);
    const notice = await t.bot.models.Outbox.findOne({
      customerRef: refOf(chat),
      inboundWamid: /:confirmed$/,
    })
      .lean<OutboxEntry>()
      .exec();
    expect(notice).toMatchObject({ status: 'skipped', skippedReason: 'opted-out', unsolicited: true });
    expect(notice?.sealedMessage).toBeUndefined();

    // Direct answers still go out.
    const tracked = await say(chat, '2');
    expect(tracked).toHaveLength(1);
    expect(tracked[0]).toContain('• Order *1001*: ');
    expect((await sayAll(chat, 'show my data')).map(sendText)[1]).toContain(
      '• Messages you did not ask for: stopped (you sent *stop*)\n',
    );

    const back = await say(chat, 'start');
    expect(back).toHaveLength(1);
    expect(back[0]?.startsWith(`${OPTED_IN}\n\n`)).toBe(true);
    expect(await t.bot.models.Suppression.countDocuments({ _id: refOf(chat) })).toBe(0);
    expect(await patch('preparing')).toMatchObject({ status: 'sent', templateNeeded: false });
    expect(unread()).toEqual(['Your order 1001 is being prepared.']);
    expect((await requestsOf(chat)).map((r) => [r.type, r.status])).toEqual([
      ['opt-out', 'completed'],
      ['access', 'completed'],
      ['opt-in', 'completed'],
    ]);
  });
});

describe('requests in five languages', () => {
  /** A customer with one Cola in the cart, waiting at the cart's buttons. */
  async function withCart(pnid: string, name: string): Promise<Chat> {
    const chat = newChat(pnid, name);
    await say(chat, '1');
    await say(chat, 'cola');
    expect(await say(chat, '1')).toEqual(['Added: 1 × Cola.\nYour cart: 1 item, €2.50.']);
    return chat;
  }

  it('when a customer with a cart asks to delete or see their data in Spanish, Portuguese, French, German or English, then they get the privacy answer', async () => {
    const pnid = await newBusiness('Restaurante Lingue');
    // Each request is answered in the language it was written in (the conversation switches to it).
    const erase: Array<[string, string, Language]> = [
      ['borra mis datos', 'Ximena Arriagada', 'es'],
      ['Apague meus dados', 'Joaquim Sardinha', 'pt'],
      ['Supprimer mes données !', 'Gwenaëlle Kerjean', 'fr'],
      ['Meine Daten löschen', 'Wolfram Eichhorst', 'de'],
      ['forget me', 'Percival Ashdown', 'en'],
    ];
    const access: Array<[string, string, Language]> = [
      ['¿Qué datos tienen de mí?', 'Ramona Echeverría', 'es'],
      ['quais dados vocês têm', 'Benedita Quaresma', 'pt'],
      ['Quelles données avez-vous sur moi ?', 'Aurélien Bastide', 'fr'],
      ['Welche Daten haben Sie über mich?', 'Hannelore Grubitz', 'de'],
    ];
    // Independent customers, so they chat at the same time (each one's messages in order).
    await Promise.all([
      ...erase.map(async ([trigger, name, language]) => {
        const chat = await withCart(pnid, name);
        const offer = await offerErasure(chat, trigger);
        const title = text(language, 'privacy:erase.offer.title', {
          business: 'Restaurante Lingue',
          code: '§',
        });
        expect(offer.text.startsWith(`${title.split('§')[0] ?? ''}DSR`)).toBe(true);
        expect(offer.text).toContain(text(language, 'privacy:erase.offer.noOrders'));
      }),
      ...access.map(async ([trigger, name, language]) => {
        const chat = await withCart(pnid, name);
        const sends = await sayAll(chat, trigger, true);
        expect(sends.map((s) => sendBody(s).type)).toEqual(['text', 'text', 'document', 'document']);
        expect(sendText(sends[0] as RecordedRequest)).toBe(text(language, 'privacy:access.ack'));
        const summary = sendText(sends[1] as RecordedRequest);
        expect(summary).toContain(`${text(language, 'privacy:summary.nameFromProfile', { name })}\n`);
        const cart = text(language, 'privacy:summary.inProgressCart', { count: 1, place: '§' }).split(
          '§)',
        )[1];
        expect(cart && summary.includes(cart)).toBe(true);
      }),
    ]);
    expect(await t.bot.models.PrivacyRequest.countDocuments({ phoneNumberId: pnid, type: 'erasure' })).toBe(
      5,
    );
    expect(
      await t.bot.models.PrivacyRequest.countDocuments({
        phoneNumberId: pnid,
        type: 'access',
        status: 'completed',
      }),
    ).toBe(4);
  });

  it('when a new customer’s very first message is a privacy request, then it is answered, not greeted instead', async () => {
    const pnid = await newBusiness('Restaurante Primero');
    const seeing = newChat(pnid, 'Anselm Trevelyan');
    const seen = await sayAll(seeing, 'What data do you have on me?');
    expect(seen.map((s) => sendBody(s).type)).toEqual(['text', 'text', 'document', 'document']);
    expect(sendText(seen[1] as RecordedRequest)).toContain(`• WhatsApp number: +${seeing.waId}\n`);
    const deleting = newChat(pnid, 'Berenike Stollberg');
    // Written in German, answered in German.
    const title = text('de', 'privacy:erase.offer.title', { business: 'Restaurante Primero', code: '§' });
    expect(
      (await offerErasure(deleting, 'löschen Sie meine Daten')).text.startsWith(
        `${title.split('§')[0] ?? ''}DSR`,
      ),
    ).toBe(true);
    const stopping = newChat(pnid, 'Casimir Oyelaran');
    expect(await say(stopping, 'Stop')).toEqual([OPTED_OUT]);
    expect(await t.bot.models.Suppression.countDocuments({ _id: refOf(stopping), reason: 'opted-out' })).toBe(
      1,
    );
  });

  it('when a customer with a cart sends "stop" and "start" in any of the five languages, then they are opted out and back in', async () => {
    const pnid = await newBusiness('Restaurante Basta');
    const pairs: Array<[string, string, string]> = [
      ['Baja', 'alta', 'Inmaculada Zubiri'],
      ['parar', 'reativar', 'Conceição Vasconcelos'],
      ['Arrêter', 'reprendre', 'Théophile Marchais'],
      ['abmelden', 'anmelden', 'Liselotte Brinkhaus'],
      ['STOP', 'Start', 'Jedediah Pemberton'],
      ['unsubscribe', 'subscribe', 'Clementine Ormsby'],
    ];
    await Promise.all(
      pairs.map(async ([stop, start, name]) => {
        const chat = await withCart(pnid, name);
        expect(await say(chat, stop)).toEqual([OPTED_OUT]);
        expect(await t.bot.models.Suppression.countDocuments({ _id: refOf(chat), reason: 'opted-out' })).toBe(
          1,
        );
        const back = await say(chat, start);
        expect(back).toHaveLength(1);
        expect(back[0]?.startsWith(`${OPTED_IN}\n\n`)).toBe(true);
        expect(await t.bot.models.Suppression.countDocuments({ _id: refOf(chat) })).toBe(0);
        const replies = sendsTo(t.graph.requests, pnid, chat.waId).map(sendText);
        expect(
          replies.filter((r) => r.startsWith(REPLY.notUnderstood) || r.startsWith('Please answer')),
        ).toEqual([]);
      }),
    );
  });
});

describe('in the customer’s language', () => {
  it('when a customer writing Spanish asks "qué datos tienen de mí", then the acknowledgement, the summary and both files are in Spanish, in plain words', async () => {
    const pnid = await newBusiness('Taberna Idiomas');
    const chat = newChat(pnid, 'Remedios Albarracín');
    await say(chat, 'hola');

    const sends = await sayAll(chat, '¿Qué datos tienen de mí?', true);

    expect(sends.map((s) => sendBody(s).type)).toEqual(['text', 'text', 'document', 'document']);
    const [ack, summary, readable, document] = sends as [
      RecordedRequest,
      RecordedRequest,
      RecordedRequest,
      RecordedRequest,
    ];
    expect(sendText(ack)).toBe('Entendido: pediste ver tus datos. Los estoy reuniendo…');
    const [request] = await requestsOf(chat, 'access');
    const code = request?.confirmationCode ?? '';
    const text = sendText(summary);
    expect(text.startsWith(`*Tus datos en Taberna Idiomas* (solicitud ${code})\n\n*Perfil*\n`)).toBe(true);
    expect(text).toContain(`• Número de WhatsApp: +${chat.waId}\n`);
    expect(text).toContain('• Nombre: Remedios Albarracín (de tu perfil de WhatsApp)\n');
    expect(text).toContain('• Direcciones guardadas: ninguna\n');
    expect(text).toContain('• Mensajes que no pediste: avisos de pedidos activados\n');
    expect(text).toContain('*Pedidos* (0)\n');
    expect(text).toContain(
      `• ${formatDate('es', request?.receivedAt ?? new Date(0))} ver mis datos: recibida (${code})\n`,
    );
    expect(text).toContain(
      '\n*Para qué y cuánto tiempo*\n• Tu decisión de no recibir mensajes: para respetar tu *baja*.',
    );
    expect(text).toContain(
      '• Tu perfil (número de WhatsApp, nombre, direcciones guardadas): para responderte, reconocerte y ofrecerte tus direcciones guardadas. Se guarda: 1 año desde tu último mensaje.\n',
    );
    expect(text).toContain(
      '• Tus pedidos: para prepararlos y entregarlos, y para la contabilidad del negocio. Se guardan: 10 años',
    );
    expect(text).toContain('\n*Quién los recibe*\n• Taberna Idiomas, que decide cómo se usan tus datos');
    expect(text).toContain(
      '\n*Tus derechos*\n• Corregir tu nombre o tus direcciones: escribe *corregir mis datos*.',
    );
    for (const english of ['Kept:', 'Your data', 'Profile', 'suppressions', 'docs/'])
      expect(text).not.toContain(english);
    expect(text).toMatch(/ (ene|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic) \d{4} ver mis datos/);
    expect((document.json as InteractiveSend).document?.caption).toBe(
      `Tus datos en Taberna Idiomas (${code})`,
    );

    // The PDF: Spanish filename, caption and pages.
    const sent = (readable.json as InteractiveSend).document;
    expect(sent?.filename).toMatch(/^my-data-\d{4}-\d\d-\d\d\.pdf$/);
    expect(sent?.caption).toBe(`Tus datos en Taberna Idiomas, en un documento para leer (${code})`);
    const upload = t.graph.requests
      .filter((r) => r.path.endsWith(`/${pnid}/media`))
      .find(
        (r) => r.files.file?.filename === sent?.filename && r.files.file?.contentType === 'application/pdf',
      );
    if (!upload?.files.file) throw new Error('no PDF uploaded');
    const page = pdfText(upload.files.file.data);
    for (const spanish of [
      'Tus datos en Taberna Idiomas',
      `Solicitud ${code} · `,
      'Tu perfil',
      '• Nombre: Remedios Albarracín (de tu perfil de WhatsApp)',
      'Tus pedidos (0)',
      'Ningún pedido.',
      'Para qué los guardamos y cuánto tiempo',
      'Tus derechos',
      'El archivo JSON que llega con este documento es la copia completa',
    ])
      expect(page).toContain(spanish);
    expect(page).toMatch(/Página 1 de \d/);
    for (const english of ['Your ', 'Order', 'Page ', 'Kept:']) expect(page).not.toContain(english);

    // The JSON: its texts for people in Spanish, its machine values (collections, enums, dates) as stored.
    const sentJson = (document.json as InteractiveSend).document;
    const jsonUpload = t.graph.requests
      .filter((r) => r.path.endsWith(`/${pnid}/media`))
      .find((r) => r.files.file?.filename === sentJson?.filename);
    if (!jsonUpload?.files.file) throw new Error('no JSON uploaded');
    expect(jsonUpload.files.file.contentType).toBe('application/json');
    const exported = dataExportSchema.parse(JSON.parse(jsonUpload.files.file.data.toString('utf8')));
    expect(exported.language).toBe('es');
    expect(exported.conversation?.language).toBe('es');
    expect(exported.recipients).toEqual([
      'Taberna Idiomas, que decide cómo se usan tus datos (el responsable del tratamiento)',
      'WhatsApp / Meta Platforms, que transporta los mensajes (Meta guarda su contenido hasta 30 días)',
      'El proveedor de alojamiento que ejecuta este servicio y su base de datos, por encargo del negocio',
      'Ningún proveedor de IA: las respuestas con IA están desactivadas en este negocio',
    ]);
    expect(exported.processing.map((p) => p.collection)).toContain('customer_ids');
    expect(exported.processing.find((p) => p.collection === 'customers')).toEqual({
      collection: 'customers',
      holds: 'Tu perfil: número de WhatsApp, nombre, direcciones guardadas y el idioma en que te hablamos.',
      purpose: 'Responderte, reconocerte y ofrecerte tus direcciones guardadas.',
      retention: '1 año desde tu último mensaje.',
    });
    expect(exported.privacyRequests[0]?.type).toBe('access');
    const people = [
      ...exported.recipients,
      ...exported.processing.flatMap((p) => [p.holds, p.purpose, p.retention]),
    ];
    expect(people.flatMap((line) => englishIn(line, 'es'))).toEqual([]);
  });

  it('when a customer writing Spanish says "borra mis datos" and confirms, then the offer, the confirmation and the receipt are in Spanish', async () => {
    const pnid = await newBusiness('Taberna Olvido');
    const chat = newChat(pnid, 'Eulalia Montenegro');
    await say(chat, 'hola');

    const offer = await offerErasure(chat, 'borra mis datos');

    const [request] = await requestsOf(chat, 'erasure');
    const code = request?.confirmationCode ?? '';
    expect(request?.language).toBe('es');
    expect(offer.text).toBe(
      [
        `*¿Borrar tus datos en Taberna Olvido?* (solicitud ${code})`,
        '',
        '*Se borra:* tu perfil (número de WhatsApp, nombre, direcciones guardadas), esta conversación y cualquier carrito, los registros de tus mensajes y de su entrega, y tu decisión de no recibir mensajes.',
        '*Se guarda:* nada sobre pedidos (no tienes ninguno).',
        '*Se guarda:* un registro de esta solicitud (código, fechas y cantidades, sin datos personales) durante 3 años, para demostrar que se hizo.',
        '',
        'WhatsApp (Meta) guarda su propia copia de los mensajes hasta 30 días. Esto no se puede deshacer.',
      ].join('\n'),
    );
    const buttons = t.graph.requests
      .filter((r) => sendText(r) === offer.text)
      .map((r) => (r.json as InteractiveSend).interactive?.action?.buttons?.map((b) => b.reply.title));
    expect(buttons).toEqual([['Borrar mis datos', 'Conservar mis datos']]);

    const sends = (await tapButton(chat, `pv.erase.yes:${offer.token}`, 'Borrar mis datos')).map(sendText);

    expect(sends[0]).toBe('Borrando tus datos ahora. Te lo confirmo aquí en un momento.');
    expect(sends[1]).toMatch(
      new RegExp(
        `^✅ \\*Tus datos se han borrado\\.\\* Código de confirmación: \\*${code}\\*\\nBorrados: \\d+ registros — perfil, direcciones guardadas, conversación, registros de mensajes y de entrega\\.\\n`,
      ),
    );
    expect(sends[1]).toContain('\nNo se guardó ningún pedido.\n');
    expect(sends[1]?.endsWith('\nSi vuelves a escribirnos, empezamos de cero.')).toBe(true);
    expect(await t.bot.models.Customer.countDocuments({ _id: refOf(chat) })).toBe(0);
  });

  it('when a customer writing German asks to delete and keeps their data, then the offer and the answer are in German', async () => {
    const pnid = await newBusiness('Gasthaus Sprache');
    const chat = newChat(pnid, 'Walburga Eichendorff');
    await say(chat, 'hallo');

    const offer = await offerErasure(chat, 'meine Daten löschen');

    expect(offer.text).toMatch(/^\*Ihre Daten bei Gasthaus Sprache löschen\?\* \(Anfrage DSR/);
    expect(offer.text).toContain('*Aufbewahrt:* nichts zu Bestellungen (Sie haben keine).');
    const kept = only(await tapButton(chat, `pv.erase.no:${offer.token}`, 'Daten behalten'));
    expect(
      kept.text.startsWith('In Ordnung, es wurde nichts gelöscht. Ihre Daten bleiben, wie sie sind.\n\n'),
    ).toBe(true);
    expect((await requestsOf(chat, 'erasure')).map((r) => r.status)).toEqual(['cancelled']);
  });

  it('when a customer writing French sends "arrêter" and "reprendre", then the answers are in French', async () => {
    const pnid = await newBusiness('Bistrot Langues');
    const chat = newChat(pnid, 'Bérengère Fontvieille');
    await say(chat, 'bonjour');

    expect(await say(chat, 'arrêter')).toEqual([
      'C’est fait : vous ne recevrez plus de mises à jour de commande ni d’autres messages de notre part, sauf si vous écrivez d’abord. Nous répondons toujours quand vous écrivez. Écrivez *reprendre* pour recevoir à nouveau les mises à jour.',
    ]);
    const back = await say(chat, 'reprendre');
    expect(
      back[0]?.startsWith(
        'Ravi de vous revoir : vous recevrez à nouveau les mises à jour de commande ici.\n\n',
      ),
    ).toBe(true);
  });
});

describe('logs', () => {
  it('after all of the above, no log line holds a customer’s number, name, words, address or button token', () => {
    expect(secrets.size).toBeGreaterThan(60);
    expect(t.logs.length).toBeGreaterThan(100);
    const all = t.logs.join('\n').toLowerCase();
    expect([...secrets].filter((secret) => all.includes(secret.toLowerCase()))).toEqual([]);
  });
});

describe('the data summary and chats with a person', () => {
  it('when a customer who talked to a person asks "¿qué datos tenéis de mí?", then the summary says those chats are kept, how many and for how long', async () => {
    const pnid = await newBusiness('Trattoria Persona');
    const chat = newChat(pnid, 'Hermenegilda Quintanar');
    await say(chat, 'hola');
    await say(chat, 'hablar con una persona');
    await say(chat, 'mi pizza llega tarde, ¿qué pasa?', true);

    const summary = (await say(chat, '¿qué datos tenéis de mí?')).join('\n');

    expect(summary).toContain(text('es', 'privacy:summary.handoffs', { count: 1, days: 30 }));
    expect(summary).toContain('• Conversaciones con una persona: 1, guardada con sus mensajes hasta 30 días');
    expect(summary).not.toContain(text('es', 'privacy:summary.noHistory'));
  });

  it('when a customer never talked to a person asks for their data, then the summary says no message history is kept', async () => {
    const pnid = await newBusiness('Trattoria Sola');
    const chat = newChat(pnid, 'Leocadia Fuensanta');
    await say(chat, 'hola');

    const summary = (await say(chat, 'que datos teneis de mi')).join('\n');

    expect(summary).toContain('\n• No se guarda el historial de mensajes\n');
    expect(summary).not.toContain('Conversaciones con una persona');
  });
});
