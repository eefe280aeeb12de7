/**
 * AI replies end to end: the whole bot on the test database, each customer message a real signed webhook,
 * every reply read from the loopback Graph API stub, and the AI provider a loopback OpenAI-compatible stub
 * (test/helpers/openai-stub.ts) that records what it was sent. AI off (no call, ever), answers, an order
 * typed in words proposed and confirmed with a button, hostile and failing model output (the deterministic
 * reply), the daily budget, privacy requests (never sent to the model), the customer's "no AI" and their
 * data export, switching AI with PUT and PATCH, and what reaches the provider and the logs.
 * Each test has its own business and customer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AiCall } from '../../src/db/models/ai-call.model.js';
import type { ConversationDoc } from '../../src/db/models/conversation.model.js';
import type { Order } from '../../src/db/models/order.model.js';
import type { DataExport } from '../../src/privacy/export.js';
import { dataExportSchema } from '../../src/privacy/export.js';
import { openSnapshot, startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { chatWith, only } from '../helpers/chat.js';
import type { Chat as BaseChat } from '../helpers/chat.js';
import { conversationId, MENU_TAIL, REPLY } from '../helpers/engine.js';
import type { RecordedRequest } from '../helpers/graph-stub.js';
import { answer, httpError, order, startOpenAiStub, structured } from '../helpers/openai-stub.js';
import type { OpenAiStub } from '../helpers/openai-stub.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { sendText } from '../helpers/webhook.js';

const TIMEOUT_MS = 1_000;
const API_KEY = 'sk-e2e-stub-key-0123456789';

let t: TestBot;
let ai: OpenAiStub;

beforeAll(async () => {
  ai = await startOpenAiStub();
  t = await startTestBot('ai-chat', {
    env: {
      OPENAI_BASE_URL: ai.baseURL,
      OPENAI_MODEL: 'stub-model-e2e',
      OPENAI_API_KEY: API_KEY,
      OPENAI_TIMEOUT_MS: String(TIMEOUT_MS),
      OPENAI_MAX_RETRIES: '1',
    },
  });
});
afterAll(async () => {
  await t.close();
  await ai.close();
});
beforeEach(() => {
  ai.reset();
});

const CATALOG = [
  { id: 'margherita', name: 'Margherita', price: 9.5, category: 'Pizza' },
  { id: 'diavola', name: 'Diavola', price: 11, category: 'Pizza' },
  { id: 'cola', name: 'Cola', price: 2.5, category: 'Drinks' },
];
const FAQ = [{ question: 'Do you deliver?', answer: 'Yes, within 3 km, for €2.00.' }];
const NOT_UNDERSTOOD = `${REPLY.notUnderstood}`;
const NO_AI_ACK =
  'Done: no AI will write replies to you here, even where the business uses it. Type *AI is fine* to change your mind.';
const AI_OK_ACK =
  'Done: replies to you may be phrased by AI where the business uses it. Type *no AI* to turn it off.';

/** Customer numbers, names and words: none may reach a log line (checked at the end of the file). */
const secrets = new Set<string>();

interface Chat extends BaseChat {
  name: string;
}

type BusinessBody = Record<string, unknown>;

function businessBody(overrides: BusinessBody = {}): BusinessBody {
  return {
    name: 'Pizzeria Intelligente',
    currency: 'EUR',
    catalog: CATALOG,
    faq: FAQ,
    fulfilment: { pickup: true, delivery: true },
    aiReplies: true,
    ...overrides,
  };
}

async function putBusiness(pnid: string, body: BusinessBody): Promise<void> {
  const res = await t.admin('PUT', `/admin/businesses/${pnid}`, body);
  expect([200, 201]).toContain(res.status);
}

/** A new business (AI on unless overridden) and a new customer of it. */
async function newChat(overrides: BusinessBody = {}, name = 'Ottavia Brambilla'): Promise<Chat> {
  const pnid = newPhoneNumberId();
  await putBusiness(pnid, businessBody(overrides));
  const waId = newWaId();
  secrets.add(waId);
  secrets.add(name);
  return { pnid, waId, name, seen: 0 };
}

const chats = chatWith(() => t);
const { tapButton } = chats;

/** Types a text (the customer's own words: never to be logged) and returns the replies' texts. */
async function say(chat: Chat, text: string): Promise<string[]> {
  secrets.add(text);
  return chats.say(chat, text);
}

async function sayAll(chat: Chat, text: string): Promise<RecordedRequest[]> {
  secrets.add(text);
  return chats.sayAll(chat, text);
}

/** One reply, and it is the deterministic "not understood" with the menu. */
function expectNotUnderstood(replies: string[]): void {
  expect(replies).toHaveLength(1);
  expect(replies[0]?.startsWith(NOT_UNDERSTOOD)).toBe(true);
  expect(replies[0]).toContain(MENU_TAIL);
}

const refOf = (chat: Chat) => conversationId(chat.pnid, chat.waId);

async function aiCallsOf(chat: Chat): Promise<AiCall[]> {
  return t.bot.models.AiCall.find({ customerRef: refOf(chat) })
    .sort({ at: 1 })
    .lean<AiCall[]>()
    .exec();
}

/** The cart stored in the customer's conversation. */
async function cartOf(
  chat: Chat,
): Promise<Array<{ itemId: string; quantity: number; unitPriceMinor: number }>> {
  const doc = await t.bot.models.Conversation.findById(refOf(chat)).lean<ConversationDoc>().exec();
  const snapshot = openSnapshot(doc) as
    | {
        context?: {
          ordering?: {
            cart?: { lines?: Array<{ itemId: string; quantity: number; unitPriceMinor: number }> };
          };
        };
      }
    | undefined;
  return (snapshot?.context?.ordering?.cart?.lines ?? []).map(({ itemId, quantity, unitPriceMinor }) => ({
    itemId,
    quantity,
    unitPriceMinor,
  }));
}

async function ordersOf(pnid: string): Promise<Order[]> {
  return t.bot.models.Order.find({ phoneNumberId: pnid }).sort({ orderNumber: 1 }).lean<Order[]>().exec();
}

/** Everything the provider was sent, as one text. */
const sentToAi = () => ai.requests.map((r) => `${JSON.stringify(r.headers)}\n${r.rawBody}`).join('\n');

describe('AI off', () => {
  it('when the business has AI off, then a whole conversation of free-text questions gets the FAQ answer or the deterministic replies and the provider is never called', async () => {
    const chat = await newChat({ aiReplies: false });
    ai.setDefault(answer('This must never be shown.'));

    expect((await say(chat, 'hello there, do you have gluten-free pizza?'))[0]).toMatch(
      /^Hi! Welcome to \*Pizzeria Intelligente\*/,
    );
    expectNotUnderstood(await say(chat, 'what are your opening hours on sunday?'));
    expect(await say(chat, 'menu')).toHaveLength(1);
    expectNotUnderstood(await say(chat, 'could you do a couple of margheritas with a coke on the side'));
    expect(await say(chat, 'menu')).toHaveLength(1);
    // A question close to the business's FAQ gets its answer, without AI.
    expect(await say(chat, 'do you deliver to the old town?')).toEqual(['Yes, within 3 km, for €2.00.']);
    // The FAQ answer counted as understood, so this is a first misunderstanding again.
    expectNotUnderstood(await say(chat, 'is the diavola spicy?'));
    // An order by the menu still works, with typed answers the steps recognise.
    expect((await say(chat, '1'))[0]).toMatch(/^Here is our menu/);
    expect(await say(chat, 'margherita')).toEqual([
      'How many *Margherita* (€9.50 each)? Tap a number, or type one from 1 to 99.',
    ]);
    expect(await say(chat, '2')).toEqual(['Added: 2 × Margherita.\nYour cart: 2 items, €19.00.']);
    expect(await say(chat, 'menu')).toHaveLength(1);
    expect((await say(chat, 'what data do you have on me?'))[0]).toBe(
      'Got it: you asked to see your data. Putting it together now…',
    );
    expectNotUnderstood(await say(chat, 'can I pay by card?'));

    expect(ai.requests).toHaveLength(0);
    expect(await aiCallsOf(chat)).toEqual([]);
  });
});

describe('AI on', () => {
  it('when a customer asks a free question, then the reply is the model text, and the provider never gets their number, wa_id, address or name', async () => {
    const chat = await newChat({ aiDisclosure: 'Written by our AI assistant' }, 'Gianmarco Pellegrini');
    const address = 'Via dei Serpenti 27, interno 4, Roma';
    secrets.add(address);

    // A delivery order typed step by step: the steps take the answers, nothing goes to the model.
    expect((await say(chat, '1'))[0]).toMatch(/^Hi! Welcome to|^Here is our menu/);
    expect(await say(chat, 'cola')).toHaveLength(1);
    expect(await say(chat, '1')).toEqual(['Added: 1 × Cola.\nYour cart: 1 item, €2.50.']);
    expect(await say(chat, 'checkout')).toEqual(['Pickup or delivery?']);
    expect(await say(chat, 'delivery')).toHaveLength(1);
    expect(await say(chat, address)).toHaveLength(1);
    expect(only(await tapButton(chat, 'order.nonote', 'No note')).text).toContain(`Delivery to ${address}`);
    expect((await say(chat, 'yes'))[0]).toMatch(/^✅ Order \*\d+\* placed/);
    expect(ai.requests).toHaveLength(0);

    ai.enqueue(answer('Yes, we make it every morning.', { prompt: 400, completion: 20 }));
    expect(await say(chat, 'is the tiramisu homemade? call me on +39 347 123 4567')).toEqual([
      'Yes, we make it every morning.\n\n_Written by our AI assistant_',
    ]);
    expect(ai.requests).toHaveLength(1);
    const body = ai.completions()[0];
    expect(body?.model).toBe('stub-model-e2e');
    expect(body?.response_format?.type).toBe('json_schema');
    expect(JSON.stringify(body?.messages)).toContain('is the tiramisu homemade? call me on [number]');
    expect(JSON.stringify(body?.messages)).toContain('Q: Do you deliver?');

    // Asked again from the idle state after the answer: the model again.
    ai.enqueue(answer('A Diavola is €11.00.'));
    expect(await say(chat, 'how much is the spicy one?')).toEqual([
      'A Diavola is €11.00.\n\n_Written by our AI assistant_',
    ]);

    const everything = sentToAi();
    for (const secret of [
      chat.waId,
      `+${chat.waId}`,
      address,
      'Serpenti',
      '347 123 4567',
      '3471234567',
      'Gianmarco',
      'Pellegrini',
      refOf(chat),
    ])
      expect(everything, secret).not.toContain(secret);
    expect(ai.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);

    const calls = await aiCallsOf(chat);
    expect(calls.map((c) => [c.outcome, c.model])).toEqual([
      ['answer', 'stub-model-e2e'],
      ['answer', 'stub-model-e2e'],
    ]);
    expect(calls[0]).toMatchObject({ promptTokens: 400, completionTokens: 20, phoneNumberId: chat.pnid });
  });

  it('when the first message is a question, then the greeting comes with the answer, then the menu', async () => {
    const chat = await newChat();
    ai.enqueue(answer('Yes: within 3 km, for €2.00.'));
    const replies = await say(chat, 'is the tiramisu homemade?');
    expect(replies).toHaveLength(2);
    expect(replies[0]).toBe(
      "Hi! Welcome to *Pizzeria Intelligente*. I'm the automated assistant.\n\nYes: within 3 km, for €2.00.",
    );
    expect(replies[1]?.startsWith(REPLY.menu)).toBe(true);
    expect(ai.requests).toHaveLength(1);
  });

  it('when the business allows the name (PATCH aiIncludeName), then the WhatsApp name is sent from the next message on', async () => {
    const chat = await newChat({}, 'Benedetta Sforzini');
    ai.setDefault(answer('We open at 12:00.'));
    await say(chat, 'when do you open?');
    expect(sentToAi()).not.toContain('Sforzini');
    const res = await t.admin('PATCH', `/admin/businesses/${chat.pnid}`, { aiIncludeName: true });
    expect(res.status).toBe(200);
    ai.reset();
    ai.setDefault(answer('We open at 12:00.'));
    await say(chat, 'and when do you close?');
    expect(ai.requests).toHaveLength(1);
    expect(sentToAi()).toContain("The customer's name is Benedetta Sforzini.");
    expect(sentToAi()).not.toContain(chat.waId);
  });
});

describe('an order typed in words', () => {
  it('when the customer types an order in their own words, then the lines are proposed with buttons, and *Add to cart* puts them in the cart at catalog prices', async () => {
    const chat = await newChat();
    expect((await say(chat, 'menu'))[0]).toBeDefined();
    ai.enqueue(
      order([
        { itemId: 'margherita', quantity: 2 },
        { itemId: 'cola', quantity: 1 },
      ]),
    );
    const proposal = only(await sayAll(chat, 'could you do a couple of margheritas with a coke on the side'));
    expect(proposal).toEqual({
      text: 'I understood this order:\n• 2 × Margherita (€9.50 each)\n• 1 × Cola (€2.50 each)\nAdd it to your cart?',
      ids: ['ai.cart.yes', 'ai.cart.no'],
    });
    // Nothing is added before the tap.
    expect(await cartOf(chat)).toEqual([]);
    expect(ai.requests).toHaveLength(1);

    const cart = only(await tapButton(chat, 'ai.cart.yes', 'Add to cart'));
    expect(cart.text).toBe(
      'Your cart (3 items):\n2 × Margherita — €19.00\n1 × Cola — €2.50\n\n*Total: €21.50*\n\n' +
        'To change a quantity or remove an item, type *change*.',
    );
    expect(cart.ids).toEqual(['cart:add', 'cart:checkout', 'cart:clear']);
    expect(await cartOf(chat)).toEqual([
      { itemId: 'margherita', quantity: 2, unitPriceMinor: 950 },
      { itemId: 'cola', quantity: 1, unitPriceMinor: 250 },
    ]);
    expect(ai.requests).toHaveLength(1);

    // And on to a placed order, by the usual steps, with nothing more sent to the model.
    expect(only(await tapButton(chat, 'cart:checkout', 'Checkout')).text).toBe('Pickup or delivery?');
    expect(await say(chat, 'pickup')).toHaveLength(1);
    expect(only(await tapButton(chat, 'order.nonote', 'No note')).text).toContain('*Total: €21.50*');
    expect((await say(chat, 'yes'))[0]).toMatch(/^✅ Order \*\d+\* placed: €21\.50\./);
    const [placed] = await ordersOf(chat.pnid);
    expect(placed?.items.map((i) => [i.itemId, i.quantity, i.unitPriceMinor])).toEqual([
      ['margherita', 2, 950],
      ['cola', 1, 250],
    ]);
    expect(placed?.totalMinor).toBe(2150);
    expect(ai.requests).toHaveLength(1);
  });

  it('when the customer taps *No, thanks*, then nothing is added', async () => {
    const chat = await newChat();
    await say(chat, 'menu');
    ai.enqueue(order([{ itemId: 'diavola', quantity: 3 }]));
    expect(only(await sayAll(chat, 'a few diavolas for the table')).ids).toEqual([
      'ai.cart.yes',
      'ai.cart.no',
    ]);
    const [reply, ...rest] = await tapButton(chat, 'ai.cart.no', 'No, thanks').then((s) => s.map(sendText));
    expect(rest).toEqual([]);
    expect(reply).toMatch(/^OK, nothing was added\./);
    expect(await cartOf(chat)).toEqual([]);
    expect(await ordersOf(chat.pnid)).toEqual([]);
  });

  it('when the price changes between the proposal and the tap, then the cart has the price of the moment of the tap', async () => {
    const chat = await newChat();
    await say(chat, 'menu');
    ai.enqueue(order([{ itemId: 'diavola', quantity: 1 }]));
    expect(only(await sayAll(chat, 'something spicy with salami please')).text).toContain(
      '1 × Diavola (€11.00 each)',
    );
    await putBusiness(
      chat.pnid,
      businessBody({
        catalog: CATALOG.map((item) => (item.id === 'diavola' ? { ...item, price: 12 } : item)),
      }),
    );
    expect(only(await tapButton(chat, 'ai.cart.yes', 'Add to cart')).text).toContain('1 × Diavola — €12.00');
    expect(await cartOf(chat)).toEqual([{ itemId: 'diavola', quantity: 1, unitPriceMinor: 1200 }]);
  });
});

describe('bad model output and failures', () => {
  it('when the model output is hostile or malformed, then the customer gets the deterministic reply and nothing happens', async () => {
    const chat = await newChat();
    await say(chat, 'menu');
    const hostile = [
      order([{ itemId: 'pepperoni', quantity: 1 }]),
      order([{ itemId: 'margherita', quantity: -3 }]),
      order([{ itemId: 'margherita', quantity: 5000 }]),
      answer('Of course! Just type: delete my data'),
      answer('I have deleted all your data.'),
      answer('Margherita is only €5.00 today.'),
      structured({ type: 'answer', reply: 'Placing it.', lines: [], action: 'place_order' }),
      { content: 'not json at all' },
    ];
    for (const reply of hostile) {
      ai.enqueue(reply);
      expectNotUnderstood(await say(chat, 'hmm, what is in the sauce of the house special?'));
      // Back to the menu (also resets "not understood", so each answer is the first one).
      await say(chat, 'menu');
    }
    expect(ai.requests).toHaveLength(hostile.length);
    expect((await aiCallsOf(chat)).map((c) => c.outcome)).toEqual(hostile.map(() => 'invalid'));
    expect(await cartOf(chat)).toEqual([]);
    expect(await ordersOf(chat.pnid)).toEqual([]);
    expect(await t.bot.models.PrivacyRequest.countDocuments({ subjectKey: refOf(chat) }).exec()).toBe(0);
  });

  it('when the provider does not answer in time, then the fallback reply arrives within the timeout plus a margin', async () => {
    const chat = await newChat();
    await say(chat, 'menu');
    ai.setDefault({ ...answer('Too late.'), delayMs: 10_000 });
    const started = Date.now();
    expectNotUnderstood(await say(chat, 'do you have vegan cheese?'));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(ai.requests.length).toBeLessThanOrEqual(2);
    expect((await aiCallsOf(chat)).map((c) => c.outcome)).toEqual(['timeout']);
  });

  it('when the provider answers 500, then the fallback reply arrives after one retry', async () => {
    const chat = await newChat();
    await say(chat, 'menu');
    ai.setDefault(httpError(500));
    const started = Date.now();
    expectNotUnderstood(await say(chat, 'do you have vegan cheese?'));
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(ai.requests).toHaveLength(2);
    expect((await aiCallsOf(chat)).map((c) => c.outcome)).toEqual(['error']);
  });

  it('when the daily token budget is used up, then the next questions get deterministic replies without a call', async () => {
    const chat = await newChat({ aiDailyTokenBudget: 200 });
    await say(chat, 'menu');
    ai.enqueue(answer('Yes, within 3 km.', { prompt: 180, completion: 40 }));
    expect(await say(chat, 'is the tiramisu homemade?')).toEqual(['Yes, within 3 km.']);
    ai.setDefault(answer('Over budget: never shown.'));
    expectNotUnderstood(await say(chat, 'and on sundays?'));
    await say(chat, 'menu');
    expectNotUnderstood(await say(chat, 'is the diavola spicy?'));
    expect(ai.requests).toHaveLength(1);
    expect(await aiCallsOf(chat)).toHaveLength(1);
  });
});

describe('privacy and the customer choice', () => {
  it('when a customer writes "delete my data" with AI on, then nothing is sent to the model, the confirmation buttons appear, and confirming erases their AI call records', async () => {
    const chat = await newChat();
    await say(chat, 'menu');
    ai.enqueue(answer('We open at 12:00.'));
    expect(await say(chat, 'when do you open?')).toEqual(['We open at 12:00.']);
    expect(await aiCallsOf(chat)).toHaveLength(1);
    ai.reset();
    ai.setDefault(answer('I can delete it for you.'));

    const offer = only(await sayAll(chat, 'delete my data'));
    expect(offer.ids).toHaveLength(2);
    expect(offer.ids[0]).toMatch(/^pv\.erase\.yes:[A-Za-z0-9_-]{24}$/);
    expect(offer.ids[1]).toMatch(/^pv\.erase\.no:[A-Za-z0-9_-]{24}$/);
    expect(ai.requests).toHaveLength(0);

    const done = (await tapButton(chat, offer.ids[0] ?? '', 'Delete my data')).map(sendText);
    expect(done[1]).toMatch(/^✅ \*Your data has been deleted\.\*/);
    expect(await aiCallsOf(chat)).toEqual([]);
    expect(ai.requests).toHaveLength(0);

    // Also as the very first message of a conversation, and for the other privacy requests.
    const other = await newChat();
    expect(only(await sayAll(other, 'please forget me')).ids[0]).toMatch(/^pv\.erase\.yes:/);
    expect((await say(other, 'what data do you have on me?'))[0]).toMatch(
      /^Got it: you asked to see your data/,
    );
    expect(ai.requests).toHaveLength(0);
  });

  it('when a customer says "no AI", then later free text gets no AI call though the business has AI on, the export shows it, and "AI is fine" turns it back', async () => {
    const chat = await newChat();
    ai.setDefault(answer('We open at 12:00.'));
    await say(chat, 'menu');
    expect(await say(chat, 'when do you open?')).toEqual(['We open at 12:00.']);
    expect(ai.requests).toHaveLength(1);

    expect(await say(chat, 'no AI')).toEqual([NO_AI_ACK]);
    expectNotUnderstood(await say(chat, 'when do you close?'));
    await say(chat, 'menu');
    expectNotUnderstood(await say(chat, 'could you do a couple of margheritas with a coke on the side'));
    expect(ai.requests).toHaveLength(1);
    const stored = await t.bot.models.Customer.findById(refOf(chat)).lean().exec();
    expect(stored?.noAi).toBe(true);

    // The data export: the choice, and the one call made before it, without any content.
    const uploadsBefore = t.graph.requests.filter((r) => r.path.endsWith(`/${chat.pnid}/media`)).length;
    const sends = await sayAll(chat, 'what data do you have on me?');
    expect(sends.map(sendText).find((s) => s.includes('AI-written replies'))).toContain(
      'never for you (you said *no AI*)',
    );
    const uploads = t.graph.requests.filter((r) => r.path.endsWith(`/${chat.pnid}/media`));
    expect(uploads).toHaveLength(uploadsBefore + 2);
    const file = uploads.at(-1)?.files.file;
    if (!file) throw new Error('no export file uploaded');
    const exported: DataExport = dataExportSchema.parse(JSON.parse(file.data.toString('utf8')));
    expect(exported.preferences).toMatchObject({ aiReplies: 'on', noAi: true });
    expect(exported.aiCalls).toHaveLength(1);
    expect(exported.aiCalls[0]).toMatchObject({
      purpose: 'interpret',
      model: 'stub-model-e2e',
      outcome: 'answer',
      promptTokens: 120,
      completionTokens: 30,
    });
    expect(JSON.stringify(exported.aiCalls)).not.toContain('open');

    expect(await say(chat, 'AI is fine')).toEqual([AI_OK_ACK]);
    expect(await say(chat, 'when do you close?')).toEqual(['We open at 12:00.']);
    expect(ai.requests).toHaveLength(2);
  });
});

describe('switching AI for a business', () => {
  it('when aiReplies is switched with PUT, then the next customer message follows it, both ways', async () => {
    const chat = await newChat({ aiReplies: false });
    ai.setDefault(answer('Our dough rests 48 hours.'));
    await say(chat, 'menu');
    expectNotUnderstood(await say(chat, 'how long does the dough rest?'));
    expect(ai.requests).toHaveLength(0);

    await putBusiness(chat.pnid, businessBody({ aiReplies: true }));
    expect(await say(chat, 'how long does the dough rest?')).toEqual(['Our dough rests 48 hours.']);
    expect(ai.requests).toHaveLength(1);

    await putBusiness(chat.pnid, businessBody({ aiReplies: false }));
    await say(chat, 'menu');
    expectNotUnderstood(await say(chat, 'how long does the dough rest?'));
    expect(ai.requests).toHaveLength(1);
  });

  it('when PATCH {aiReplies: true} is sent, then the next customer message is answered by the model, and PATCH {aiReplies: false} stops it', async () => {
    const chat = await newChat({ aiReplies: false });
    ai.setDefault(answer('Our dough rests 48 hours.'));
    await say(chat, 'menu');
    expectNotUnderstood(await say(chat, 'how long does the dough rest?'));

    const on = await t.admin('PATCH', `/admin/businesses/${chat.pnid}`, { aiReplies: true });
    expect(on.status).toBe(200);
    expect(((await on.json()) as { aiReplies?: unknown }).aiReplies).toBe(true);
    expect(await say(chat, 'how long does the dough rest?')).toEqual(['Our dough rests 48 hours.']);
    expect(ai.requests).toHaveLength(1);

    const off = await t.admin('PATCH', `/admin/businesses/${chat.pnid}`, { aiReplies: false });
    expect(off.status).toBe(200);
    await say(chat, 'menu');
    expectNotUnderstood(await say(chat, 'how long does the dough rest?'));
    expect(ai.requests).toHaveLength(1);
  });
});

describe('logs', () => {
  it('when all of the above has run, then no log line holds a customer number, name or anything they typed, or the API key', () => {
    expect(t.logs.length).toBeGreaterThan(0);
    const all = t.logs.join('\n');
    for (const secret of secrets) {
      if (/^(menu|1|2|yes|pickup|delivery|checkout|cola|margherita|no AI|AI is fine)$/i.test(secret))
        continue;
      expect(all, secret).not.toContain(secret);
    }
    expect(all).not.toContain(API_KEY);
    // The AI failures above were logged, without content.
    expect(all).toContain('AI call failed; deterministic reply used');
  });
});
