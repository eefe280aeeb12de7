/**
 * The assistant (src/ai/assistant.ts) against the loopback OpenAI-compatible stub, through the real
 * `openai` client, on the test database: when it calls at all (business switch, configuration, the
 * customer's "no AI", the daily token budget), what it makes of the model's output (answers, order lines,
 * and everything it must ignore), failures (500, 429, timeouts, hang-ups) within the timeout and with bounded
 * retries, the records it keeps, and what leaves for the provider.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Assistant, redactForAi, unknownPrices } from '../../src/ai/assistant.js';
import type { BusinessData } from '../../src/businesses/schema.js';
import type { Config } from '../../src/config.js';
import type { AiCall } from '../../src/db/models/ai-call.model.js';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';
import { answer, httpError, order, startOpenAiStub, structured } from '../helpers/openai-stub.js';
import type { AiStubResponse, ChatCompletionBody, OpenAiStub } from '../helpers/openai-stub.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';

let testDb: TestDatabase;
let connection: Connection;
let models: Models;
let stub: OpenAiStub;
const logs: string[] = [];
const logger = pino(
  { level: 'trace' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  }),
);

beforeAll(async () => {
  testDb = await useTestDatabase('ai-assistant');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
  await Promise.all(Object.values(models).map((model) => model.init()));
  stub = await startOpenAiStub();
});
afterAll(async () => {
  await stub.close();
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await testDb.close();
});
beforeEach(() => {
  stub.reset();
});

const API_KEY = 'sk-test-assistant-0123456789';

function llm(overrides: Partial<Config['llm']> = {}): Config['llm'] {
  return {
    apiKey: API_KEY,
    baseUrl: stub.baseURL,
    model: 'stub-model-1',
    configured: true,
    timeoutMs: 3_000,
    maxRetries: 1,
    ...overrides,
  };
}

function assistant(overrides: Partial<Config['llm']> = {}, now?: () => number): Assistant {
  return new Assistant({ models, llm: llm(overrides), logger, ...(now ? { now } : {}) });
}

/** A pizzeria with AI on: two pizzas, a drink, one item off the menu today, and an FAQ naming a fee. */
function business(overrides: Partial<BusinessData> = {}): BusinessData {
  return {
    phoneNumberId: newPhoneNumberId(),
    name: 'Pizzeria Assistente',
    currency: 'EUR',
    catalog: [
      { id: 'margherita', name: 'Margherita', priceMinor: 950, category: 'Pizza', available: true },
      { id: 'diavola', name: 'Diavola', priceMinor: 1100, category: 'Pizza', available: true },
      { id: 'cola', name: 'Cola', priceMinor: 250, category: 'Drinks', available: true },
      { id: 'calzone', name: 'Calzone', priceMinor: 1200, category: 'Pizza', available: false },
    ],
    fulfilment: { pickup: true, delivery: true },
    adminNumbers: [],
    aiReplies: true,
    locale: 'en',
    faq: [
      { question: 'Do you deliver?', answer: 'Yes, within 3 km, for €2.00.' },
      { question: 'When are you open?', answer: 'Every day from 12:00 to 22:00.' },
    ],
    orderRetentionYears: 10,
    persona: 'warm and brief',
    aiDisclosure: '',
    aiIncludeName: false,
    aiDailyTokenBudget: 50_000,
    ...overrides,
  };
}

/** A customer of the business, stored as the bot stores one; returns their reference. */
async function customer(
  biz: BusinessData,
  extra: { noAi?: boolean } = {},
): Promise<{ ref: string; waId: string }> {
  const ref = `ref-${randomBytes(8).toString('hex')}`;
  const waId = newWaId();
  await models.Customer.create({
    _id: ref,
    phoneNumberId: biz.phoneNumberId,
    waId,
    lastInboundAt: new Date(),
    ...extra,
  });
  return { ref, waId };
}

async function callsOf(biz: BusinessData): Promise<AiCall[]> {
  return models.AiCall.find({ phoneNumberId: biz.phoneNumberId })
    .sort({ at: 1, _id: 1 })
    .lean<AiCall[]>()
    .exec();
}

/** Business, customer, and one interpretation of `text` with `reply` scripted (if given). */
async function interpretOnce(
  text: string,
  reply?: AiStubResponse,
  options: { biz?: BusinessData; assistant?: Assistant; name?: string } = {},
) {
  const biz = options.biz ?? business();
  const { ref } = await customer(biz);
  if (reply) stub.enqueue(reply);
  const result = await (options.assistant ?? assistant()).interpret({
    business: biz,
    customerRef: ref,
    text,
    ...(options.name ? { customerName: options.name } : {}),
  });
  return { result, biz, ref, calls: await callsOf(biz) };
}

/** A message's content: the assistant sends plain strings. */
function contentOf(body: ChatCompletionBody | undefined, role: string): string {
  const content = body?.messages?.find((m) => m.role === role)?.content;
  return typeof content === 'string' ? content : JSON.stringify(content ?? '');
}
const systemOf = (body: ChatCompletionBody | undefined) => contentOf(body, 'system');
const userOf = (body: ChatCompletionBody | undefined) => contentOf(body, 'user');

describe('when the assistant calls the provider at all', () => {
  it('when the business has AI off, then nothing is sent, nothing is recorded and the answer is none', async () => {
    const { result, calls } = await interpretOnce('do you have vegan pizza?', answer('Yes!'), {
      biz: business({ aiReplies: false }),
    });
    expect(result).toEqual({ kind: 'none' });
    expect(stub.requests).toHaveLength(0);
    expect(calls).toEqual([]);
  });

  it('when no endpoint or no model is configured, then nothing is sent even with AI on', async () => {
    for (const overrides of [
      { configured: false },
      { model: undefined },
      { configured: false, apiKey: undefined, baseUrl: undefined, model: undefined },
    ] satisfies Array<Partial<Config['llm']>>) {
      const a = assistant(overrides);
      const biz = business();
      expect(a.enabledFor(biz)).toBe(false);
      const { result, calls } = await interpretOnce('do you have vegan pizza?', undefined, {
        biz,
        assistant: a,
      });
      expect(result).toEqual({ kind: 'none' });
      expect(calls).toEqual([]);
    }
    expect(stub.requests).toHaveLength(0);
    expect(assistant().enabledFor(business())).toBe(true);
  });

  it('when the customer said "no AI", then nothing is sent for them, while another customer of the business is answered', async () => {
    const biz = business();
    const refusing = await customer(biz, { noAi: true });
    const a = assistant();
    stub.setDefault(answer('We open at 12:00.'));
    expect(
      await a.interpret({ business: biz, customerRef: refusing.ref, text: 'is the tiramisu homemade?' }),
    ).toEqual({
      kind: 'none',
    });
    expect(stub.requests).toHaveLength(0);
    const other = await customer(biz);
    expect(
      await a.interpret({ business: biz, customerRef: other.ref, text: 'is the tiramisu homemade?' }),
    ).toEqual({
      kind: 'answer',
      text: 'We open at 12:00.',
    });
    expect(stub.requests).toHaveLength(1);
    expect((await callsOf(biz)).map((c) => c.customerRef)).toEqual([other.ref]);
  });

  it('when the daily token budget is 0, then nothing is sent', async () => {
    const { result, calls } = await interpretOnce('is the tiramisu homemade?', answer('At 12.'), {
      biz: business({ aiDailyTokenBudget: 0 }),
    });
    expect(result).toEqual({ kind: 'none' });
    expect(stub.requests).toHaveLength(0);
    expect(calls).toEqual([]);
  });

  it('when the calls of the day use up the budget, then the next call is not made, and the next UTC day it is again', async () => {
    let now = Date.parse('2031-05-04T10:00:00Z');
    const a = assistant({}, () => now);
    const biz = business({ aiDailyTokenBudget: 300 });
    const { ref } = await customer(biz);
    const ask = () => a.interpret({ business: biz, customerRef: ref, text: 'is the tiramisu homemade?' });

    stub.enqueue(answer('At 12:00.', { prompt: 150, completion: 40 }));
    expect((await ask()).kind).toBe('answer');
    expect(await a.tokensToday(biz.phoneNumberId)).toBe(190);
    // Still under the budget: this call is made, and takes the day's total over it.
    stub.enqueue(answer('Until 22:00.', { prompt: 160, completion: 45 }));
    expect((await ask()).kind).toBe('answer');
    expect(await a.tokensToday(biz.phoneNumberId)).toBe(395);
    expect(stub.requests).toHaveLength(2);

    stub.enqueue(answer('Never sent.'));
    expect(await ask()).toEqual({ kind: 'none' });
    expect(await ask()).toEqual({ kind: 'none' });
    expect(stub.requests).toHaveLength(2);
    expect(await callsOf(biz)).toHaveLength(2);
    expect(logs.some((line) => line.includes('AI budget for today used up'))).toBe(true);

    now = Date.parse('2031-05-05T00:00:01Z');
    expect(await a.tokensToday(biz.phoneNumberId)).toBe(0);
    expect(await ask()).toEqual({ kind: 'answer', text: 'Never sent.' });
    expect(stub.requests).toHaveLength(3);
  });

  it('when another business spent its budget, then this business is not affected', async () => {
    const spent = business({ aiDailyTokenBudget: 100 });
    const fresh = business({ aiDailyTokenBudget: 100 });
    await interpretOnce('hi?', answer('Hello.', { prompt: 90, completion: 20 }), { biz: spent });
    expect((await interpretOnce('hi?', undefined, { biz: spent })).result).toEqual({ kind: 'none' });
    expect(stub.requests).toHaveLength(1);
    expect((await interpretOnce('hi?', answer('Hello there.'), { biz: fresh })).result).toEqual({
      kind: 'answer',
      text: 'Hello there.',
    });
    expect(stub.requests).toHaveLength(2);
  });
});

describe('when the model answers well', () => {
  it('when it answers a question, then its text is the answer, and the request is a structured-output chat completion with the business facts', async () => {
    const { result, calls } = await interpretOnce(
      'can I bring my dog?',
      answer('Yes, we deliver within 3 km for €2.00. A *Margherita* is €9.50.', {
        prompt: 321,
        completion: 17,
      }),
    );
    expect(result).toEqual({
      kind: 'answer',
      text: 'Yes, we deliver within 3 km for €2.00. A *Margherita* is €9.50.',
    });

    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    const body = stub.completions()[0];
    expect(body?.model).toBe('stub-model-1');
    expect(body?.response_format?.type).toBe('json_schema');
    expect(body?.response_format?.json_schema?.name).toBe('interpretation');
    expect(body?.response_format?.json_schema?.strict).toBe(true);
    expect(body?.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    const system = systemOf(body);
    expect(system).toContain('You are the WhatsApp assistant of Pizzeria Assistente.');
    expect(system).toContain('Tone: warm and brief');
    expect(system).toContain('margherita | Margherita | €9.50 | Pizza');
    expect(system).toContain('cola | Cola | €2.50 | Drinks');
    // Not on the menu today: not offered to the model.
    expect(system).not.toContain('calzone');
    expect(system).toContain('Q: Do you deliver?\nA: Yes, within 3 km, for €2.00.');
    expect(system).toContain('The customer did not share a name with you.');
    expect(system).not.toMatch(/\{\{|\}\}/);
    expect(userOf(body)).toContain('<<<\ncan I bring my dog?\n>>>');

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      purpose: 'interpret',
      model: 'stub-model-1',
      promptTokens: 321,
      completionTokens: 17,
      outcome: 'answer',
    });
  });

  it.each([
    ['es', 'Spanish'],
    ['pt', 'Portuguese'],
    ['fr', 'French'],
    ['de', 'German'],
  ] as const)(
    'when the conversation is in %s, then the system prompt tells the model to answer in %s',
    async (language, name) => {
      const biz = business();
      const { ref } = await customer(biz);
      stub.enqueue(answer('Sí, cada día de 12:00 a 22:00.'));

      await assistant().interpret({ business: biz, customerRef: ref, text: '¿hay aparcamiento?', language });

      const system = systemOf(stub.completions()[0]);
      expect(system).toContain(`This conversation is in ${name}: write every reply in ${name},`);
      expect(system).toContain(`at most 600 characters, in ${name}, WhatsApp formatting`);
      expect(system).not.toContain('English');
    },
  );

  it("when no language is given, then the model is told the business locale's language", async () => {
    const biz = business({ locale: 'de-AT' });
    const { ref } = await customer(biz);
    stub.enqueue(answer('Ja.'));

    await assistant().interpret({ business: biz, customerRef: ref, text: 'gibt es Parkplätze?' });

    expect(systemOf(stub.completions()[0])).toContain('This conversation is in German:');
  });

  it('when the conversation is Spanish and the dishes are translated, then the model reads the Spanish names (ids unchanged) and the Spanish FAQ', async () => {
    const biz = business({
      faq: [
        {
          question: 'Do you deliver?',
          answer: 'Yes, for €2.00.',
          translations: { es: { question: '¿Hacéis envíos?', answer: 'Sí, por 2,00 €.' } },
        },
      ],
      catalog: [
        {
          id: 'cola',
          name: 'Still water',
          priceMinor: 250,
          category: 'Drinks',
          available: true,
          translations: { es: { name: 'Agua sin gas', category: 'Bebidas' } },
        },
      ],
    });
    const { ref } = await customer(biz);
    stub.enqueue(answer('Sí.'));

    await assistant().interpret({ business: biz, customerRef: ref, text: '¿tenéis agua?', language: 'es' });

    const system = systemOf(stub.completions()[0]);
    expect(system).toContain('cola | Agua sin gas | €2.50 | Bebidas');
    expect(system).not.toContain('Still water');
    expect(system).toContain('Q: ¿Hacéis envíos?\nA: Sí, por 2,00 €.');
  });

  it('when the business set a disclosure line, then it follows the answer in italics', async () => {
    const { result } = await interpretOnce(
      'is there parking nearby?',
      answer('Yes, every day from 12:00 to 22:00.'),
      {
        biz: business({ aiDisclosure: 'Written by our AI assistant' }),
      },
    );
    expect(result).toEqual({
      kind: 'answer',
      text: 'Yes, every day from 12:00 to 22:00.\n\n_Written by our AI assistant_',
    });
  });

  it('when it reads an order, then the lines are catalog ids and quantities, the same item merged', async () => {
    const { result, calls } = await interpretOnce(
      'two margheritas and a coke, oh and another margherita',
      order([
        { itemId: 'margherita', quantity: 2 },
        { itemId: 'cola', quantity: 1 },
        { itemId: 'margherita', quantity: 1 },
      ]),
    );
    expect(result).toEqual({
      kind: 'order',
      lines: [
        { itemId: 'margherita', quantity: 3 },
        { itemId: 'cola', quantity: 1 },
      ],
    });
    expect(calls.map((c) => c.outcome)).toEqual(['order']);
  });

  it('when it says the message is neither a question nor an order, then the answer is none (outcome unknown)', async () => {
    const { result, calls } = await interpretOnce(
      'asdf qwer',
      structured({ type: 'unknown', reply: '', lines: [] }),
    );
    expect(result).toEqual({ kind: 'none' });
    expect(calls.map((c) => c.outcome)).toEqual(['unknown']);
  });
});

/** Model outputs that must be ignored: the deterministic reply is used, and the call is recorded invalid. */
const HOSTILE: Array<[string, AiStubResponse]> = [
  ['content that is not JSON', { content: 'Sure! You can order a Margherita.' }],
  ['truncated JSON', { content: '{"type":"answer","reply":"Yes' }],
  ['no content at all', { content: null }],
  ['a JSON array', { content: '[]' }],
  ['a missing field', { content: JSON.stringify({ type: 'answer', reply: 'Yes.' }) }],
  ['a type outside the schema', structured({ type: 'erase', reply: 'Deleting.', lines: [] })],
  [
    'an extra action',
    structured({ type: 'answer', reply: 'Done.', lines: [], actions: [{ type: 'place_order' }] }),
  ],
  [
    'an extra field in a line',
    structured({ type: 'order', lines: [{ itemId: 'cola', quantity: 1, priceMinor: 1 } as never] }),
  ],
  ['an unknown item', order([{ itemId: 'pepperoni', quantity: 1 }])],
  ['an item not available today', order([{ itemId: 'calzone', quantity: 1 }])],
  [
    'one good and one unknown item',
    order([
      { itemId: 'cola', quantity: 1 },
      { itemId: 'ghost', quantity: 2 },
    ]),
  ],
  ['a negative quantity', order([{ itemId: 'margherita', quantity: -2 }])],
  ['a zero quantity', order([{ itemId: 'margherita', quantity: 0 }])],
  ['a huge quantity', order([{ itemId: 'margherita', quantity: 100_000 }])],
  ['a fractional quantity', order([{ itemId: 'margherita', quantity: 1.5 }])],
  ['a quantity as a string', order([{ itemId: 'margherita', quantity: '2' as never }])],
  ['an order without lines', order([])],
  ['too many lines', order(Array.from({ length: 11 }, () => ({ itemId: 'cola', quantity: 1 })))],
  ['an invented price', answer('The Margherita costs €7.00 today only!')],
  ['an invented price in words', answer('A Diavola is 8 euros.')],
  ['a reply telling the customer to delete their data', answer('Sure, just type: delete my data')],
  ['a reply that reads as "forget me"', answer('OK, forget me, right to be forgotten.')],
  ['an empty reply', answer('   ')],
  ['a reply longer than the schema allows', answer('Yes. '.repeat(450))],
];

describe('when the model answers badly', () => {
  it.each(HOSTILE)(
    'when the output has %s, then it is ignored (none) and recorded as invalid',
    async (_label, reply) => {
      const { result, calls } = await interpretOnce('two margheritas please, and what is your wifi?', reply);
      expect(result).toEqual({ kind: 'none' });
      expect(stub.requests).toHaveLength(1);
      expect(calls.map((c) => c.outcome)).toEqual(['invalid']);
    },
  );

  it('when a reply claims to have deleted the customer data or placed an order, then it is ignored', async () => {
    for (const reply of [
      'I have deleted all your data.',
      'Your data has been deleted.',
      "I've placed your order for two Margheritas.",
      'Your order has been cancelled.',
    ]) {
      stub.reset();
      const { result, calls } = await interpretOnce('hello?', answer(reply));
      expect(result, reply).toEqual({ kind: 'none' });
      expect(calls.map((c) => c.outcome)).toEqual(['invalid']);
    }
  });

  it('when a reply only explains how ordering or deleting works, then it is kept', async () => {
    for (const reply of [
      'Your order is placed when you tap *Confirm*.',
      'To have your data deleted, type the words shown in the privacy menu.',
      'We deliver within 3 km.',
    ]) {
      stub.reset();
      expect((await interpretOnce('how does it work?', answer(reply))).result, reply).toEqual({
        kind: 'answer',
        text: reply,
      });
    }
  });

  it('when a reply is longer than a chat answer may be, then it is cut at a sentence end', async () => {
    const { result, calls } = await interpretOnce(
      'tell me everything',
      answer('We love pizza. '.repeat(100)),
    );
    expect(result.kind).toBe('answer');
    const text = result.kind === 'answer' ? result.text : '';
    expect(text.length).toBeLessThanOrEqual(1_000);
    expect(text.length).toBeGreaterThan(600);
    expect(text.endsWith('We love pizza.')).toBe(true);
    expect(calls.map((c) => c.outcome)).toEqual(['answer']);
  });

  it('when prices in a reply are catalog or FAQ prices, written either way, then they are accepted', () => {
    const biz = business();
    expect(unknownPrices('Margherita €9.50, Cola 2.50 €, delivery 2 euros, Diavola EUR 11', biz)).toEqual([]);
    expect(unknownPrices('Margherita €9,50', biz)).toEqual([]);
    expect(unknownPrices('A Diavola is $13.', biz)).toEqual([1300]);
    expect(unknownPrices('Two Margheritas: 19 €', biz)).toEqual([1900]);
    // A price only the FAQ's Spanish translation names is known too.
    const translated = business({
      faq: [
        {
          question: 'Do you deliver?',
          answer: 'Yes.',
          translations: { es: { question: '¿Hacéis envíos?', answer: 'Sí, por 3,50 €.' } },
        },
      ],
    });
    expect(unknownPrices('El envío cuesta 3,50 €.', translated)).toEqual([]);
    expect(unknownPrices('El envío cuesta 3,50 €.', business())).toEqual([350]);
  });

  it('when the response body is not JSON, then the answer is none and the call is recorded as an error', async () => {
    const { result, calls } = await interpretOnce('hello?', { body: '<html>502 Bad Gateway</html>' });
    expect(result).toEqual({ kind: 'none' });
    expect(calls.map((c) => c.outcome)).toEqual(['error']);
  });

  it('when the response has no choices, then the answer is none', async () => {
    const { result, calls } = await interpretOnce('hello?', {
      body: { id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [] },
    });
    expect(result).toEqual({ kind: 'none' });
    expect(calls.map((c) => c.outcome)).toEqual(['invalid']);
  });
});

describe('when the provider fails', () => {
  it('when it answers 500 every time, then the answer is none after exactly 1 + maxRetries requests, well within the timeout', async () => {
    for (const maxRetries of [0, 1, 2]) {
      stub.reset();
      stub.setDefault(httpError(500));
      const started = Date.now();
      const { result, calls } = await interpretOnce('is the tiramisu homemade?', undefined, {
        assistant: assistant({ maxRetries }),
      });
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(result).toEqual({ kind: 'none' });
      expect(stub.requests, `maxRetries ${maxRetries}`).toHaveLength(1 + maxRetries);
      expect(calls.map((c) => c.outcome)).toEqual(['error']);
      expect(calls[0]).toMatchObject({ promptTokens: 0, completionTokens: 0 });
    }
  });

  it('when it answers 500 once and then well, then the retry gives the answer', async () => {
    stub.enqueue(httpError(500));
    const { result, calls } = await interpretOnce('is the tiramisu homemade?', answer('From 12:00.'));
    expect(result).toEqual({ kind: 'answer', text: 'From 12:00.' });
    expect(stub.requests).toHaveLength(2);
    expect(calls.map((c) => c.outcome)).toEqual(['answer']);
  });

  it('when it rate-limits (429) with the default backoff, then the retries stay bounded and the answer is none', async () => {
    stub.setDefault(httpError(429, {}));
    const started = Date.now();
    const { result } = await interpretOnce('is the tiramisu homemade?', undefined, {
      assistant: assistant({ maxRetries: 1 }),
    });
    expect(result).toEqual({ kind: 'none' });
    expect(stub.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('when it rate-limits and asks to retry after a minute, then the answer is none within the timeout plus a margin', async () => {
    stub.setDefault(httpError(429, { 'retry-after': '60' }));
    const started = Date.now();
    const { result, calls } = await interpretOnce('is the tiramisu homemade?', undefined, {
      assistant: assistant({ timeoutMs: 500, maxRetries: 1 }),
    });
    const elapsed = Date.now() - started;
    expect(result).toEqual({ kind: 'none' });
    expect(elapsed).toBeLessThan(500 + 400);
    expect(stub.requests).toHaveLength(1);
    expect(calls.map((c) => c.outcome)).toEqual(['timeout']);
  });

  it('when it does not answer in time, then the answer is none within the timeout plus a margin, with bounded retries', async () => {
    stub.setDefault({ ...answer('Too late.'), delayMs: 5_000 });
    const started = Date.now();
    const { result, calls } = await interpretOnce('is the tiramisu homemade?', undefined, {
      assistant: assistant({ timeoutMs: 500, maxRetries: 1 }),
    });
    const elapsed = Date.now() - started;
    expect(result).toEqual({ kind: 'none' });
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(500 + 400);
    expect(stub.requests.length).toBeGreaterThanOrEqual(1);
    expect(stub.requests.length).toBeLessThanOrEqual(2);
    expect(calls.map((c) => c.outcome)).toEqual(['timeout']);
    expect(calls[0]?.durationMs).toBeGreaterThanOrEqual(450);
  });

  it('when the connection drops without an answer, then the answer is none after bounded retries', async () => {
    stub.setDefault({ hangUp: true });
    const started = Date.now();
    const { result, calls } = await interpretOnce('is the tiramisu homemade?', undefined, {
      assistant: assistant({ timeoutMs: 2_000, maxRetries: 1 }),
    });
    expect(result).toEqual({ kind: 'none' });
    expect(stub.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000 + 400);
    expect(calls.map((c) => c.outcome)).toEqual(['error']);
  });

  it('when the provider fails, then the warning names no customer and no text', async () => {
    stub.setDefault(httpError(500));
    logs.length = 0;
    const { ref } = await interpretOnce('my secret question about allergies', undefined, {
      assistant: assistant({ maxRetries: 0 }),
    });
    const warning = logs.find((line) => line.includes('AI call failed'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning ?? '{}')).toMatchObject({ outcome: 'error', status: 500 });
    expect(logs.join('\n')).not.toContain('secret question');
    expect(logs.join('\n')).not.toContain(ref);
    expect(logs.join('\n')).not.toContain(API_KEY);
  });
});

describe('what is recorded and what leaves for the provider', () => {
  it('when calls are made, then each ai_calls record has exactly the metadata and never the message or the reply', async () => {
    const biz = business();
    const { ref } = await customer(biz);
    const a = assistant();
    stub.enqueue(answer('Our tiramisu is homemade by Nonna Pina.', { prompt: 200, completion: 12 }));
    stub.enqueue(order([{ itemId: 'diavola', quantity: 2 }], { prompt: 210, completion: 20 }));
    await a.interpret({
      business: biz,
      customerRef: ref,
      text: 'is the tiramisu homemade by anyone special?',
    });
    await a.interpret({ business: biz, customerRef: ref, text: 'two spicy diavolas for Lucrezia' });
    expect(await a.tokensToday(biz.phoneNumberId)).toBe(442);

    const raw = await connection.db
      ?.collection<AiCall>('ai_calls')
      .find({ phoneNumberId: biz.phoneNumberId })
      .toArray();
    expect(raw).toHaveLength(2);
    for (const doc of raw ?? []) {
      expect(Object.keys(doc).sort()).toEqual(
        [
          '_id',
          'at',
          'completionTokens',
          'customerRef',
          'durationMs',
          'expiresAt',
          'model',
          'outcome',
          'phoneNumberId',
          'promptTokens',
          'purpose',
        ].sort(),
      );
      const text = JSON.stringify(doc);
      for (const secret of ['tiramisu', 'Nonna', 'diavola', 'Lucrezia', 'spicy'])
        expect(text).not.toContain(secret);
      expect(doc.expiresAt.getTime() - doc.at.getTime()).toBe(365 * 24 * 60 * 60 * 1000);
    }
    expect(raw?.map((d) => [d.outcome, d.promptTokens, d.completionTokens, d.customerRef])).toEqual([
      ['answer', 200, 12, ref],
      ['order', 210, 20, ref],
    ]);
  });

  it('when the customer types a phone number or an e-mail address, then the request carries neither, masked', async () => {
    const biz = business();
    const { ref, waId } = await customer(biz);
    const text =
      `call me on +34 612 345 678 or ${waId} or 0049-30-1234567, mail ana.lopez+pizza@example.co.uk; ` +
      'can I get a margherita without basil?';
    stub.enqueue(answer('Yes, we can leave the basil off.'));
    await assistant().interpret({ business: biz, customerRef: ref, text, customerName: 'Ana López' });
    const raw = stub.requests[0]?.rawBody ?? '';
    const user = userOf(stub.completions()[0]);
    expect(user).toContain(
      'call me on [number] or [number] or [number], mail [e-mail]; can I get a margherita without basil?',
    );
    for (const secret of [
      '612 345 678',
      '612345678',
      waId,
      '1234567',
      'ana.lopez',
      'example.co.uk',
      ref,
      'Ana',
      'L\\u00f3pez',
      'López',
    ])
      expect(raw, secret).not.toContain(secret);
  });

  it('when the business allows the name, then the name is sent, and only then', async () => {
    const name = 'Philippa Quarrington';
    await interpretOnce('hi, what is good today?', answer('The Diavola!'), { name });
    await interpretOnce('hi, what is good today?', answer('The Diavola!'), {
      name,
      biz: business({ aiIncludeName: true }),
    });
    const [withoutName, withName] = stub.requests.map((r) => r.rawBody);
    expect(withoutName).not.toContain('Philippa');
    expect(withoutName).not.toContain('Quarrington');
    expect(withName).toContain(`The customer's name is ${name}.`);
  });

  it('when the request is built, then it holds no wa_id, customer reference or saved data of the customer, only the masked text', async () => {
    const biz = business();
    const { ref, waId } = await customer(biz);
    stub.enqueue(answer('We open at 12:00.'));
    await assistant().interpret({ business: biz, customerRef: ref, text: 'is the tiramisu homemade?' });
    const request = stub.requests[0];
    const everything = `${JSON.stringify(request?.headers)}\n${request?.rawBody ?? ''}`;
    expect(everything).not.toContain(waId);
    expect(everything).not.toContain(ref);
    expect(everything).not.toContain(biz.phoneNumberId);
  });

  it('redactForAi masks numbers of seven or more digits and e-mail addresses, and keeps quantities and prices', () => {
    expect(redactForAi('2 margheritas and 1 coke for 19.50')).toBe('2 margheritas and 1 coke for 19.50');
    // The whole number is masked, area code in brackets included.
    expect(redactForAi('+1 (555) 010-0999')).toBe('[number]');
    expect(redactForAi('+34 612 345 678')).toBe('[number]');
    expect(redactForAi('my number: 612-34-56-78')).toBe('my number: [number]');
    expect(redactForAi('write to me at A.B@C.io please')).toBe('write to me at [e-mail] please');
  });
});
