/**
 * In-chat staff commands end to end: signed webhooks from a business's admin number and from customers,
 * replies read from the loopback Graph API stub, and a loopback OpenAI-compatible endpoint that only counts
 * calls (so "AI on" is observed as behaviour: the next customer message reaches the provider). `/ai on`,
 * `/ai off`, `/ai status`, `/orders` and `/resume` from an admin number; the same texts from anyone else get
 * the customer experience and change nothing; the audit names the admin number only by a keyed hash.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BusinessDirectory } from '../../src/businesses/directory.js';
import { BusinessSettings } from '../../src/businesses/settings.js';
import { CustomerIdentities } from '../../src/customers/identity.js';
import type { ConversationDoc } from '../../src/db/models/conversation.model.js';
import { logRef } from '../../src/core/identity.js';
import { parseStaffCommand, STAFF_USAGE, StaffCommands } from '../../src/staff/commands.js';
import { startTestBot, TEST_PEPPER } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { conversationId, REPLY, repliesTo } from '../helpers/engine.js';
import { sampleOrder } from '../helpers/orders.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';

/** A stand-in AI provider that answers every call with a 500 (the bot then uses its deterministic reply). */
interface CountingProvider {
  readonly url: string;
  calls: number;
  close(): Promise<void>;
}

async function startCountingProvider(): Promise<CountingProvider> {
  const provider = { url: '', calls: 0, close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && (req.url ?? '').includes('/chat/completions')) provider.calls += 1;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'stub', type: 'server_error' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provider.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  provider.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return provider;
}

/** A question no flow recognises: with AI on (and configured) it goes to the provider. */
const FREE_QUESTION = 'what time do you close on sundays?';

let t: TestBot;
let provider: CountingProvider;

beforeAll(async () => {
  provider = await startCountingProvider();
  t = await startTestBot('staff-commands', {
    env: {
      OPENAI_BASE_URL: provider.url,
      OPENAI_MODEL: 'stub-model',
      OPENAI_API_KEY: 'sk-stub-0123456789',
      OPENAI_TIMEOUT_MS: '1000',
      OPENAI_MAX_RETRIES: '0',
    },
  });
});
afterAll(async () => {
  await t.close();
  await provider.close();
});
beforeEach(() => {
  provider.calls = 0;
});

/** A business with one staff number (typed with "+" and spaces, as an operator would). */
async function business(locale?: string): Promise<{ pnid: string; admin: string }> {
  const pnid = newPhoneNumberId();
  const admin = newWaId();
  const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
    name: 'Casa Staff',
    currency: 'EUR',
    ...(locale ? { locale } : {}),
    catalog: [{ id: 'coffee', name: 'Coffee', price: 1.2 }],
    adminNumbers: [`+${admin.slice(0, 2)} ${admin.slice(2)}`],
  });
  expect(res.status).toBe(201);
  return { pnid, admin };
}

/** Sends a text and waits until everything is handled; returns what that sender was sent for it. */
async function say(pnid: string, waId: string, text: string, wamid = newWamid()): Promise<string[]> {
  const before = repliesTo(t.graph.requests, pnid, waId).length;
  const res = await t.postWebhook(inboundText({ phoneNumberId: pnid, waId, wamid }, text));
  expect(res.status).toBe(200);
  await t.settled();
  return repliesTo(t.graph.requests, pnid, waId).slice(before);
}

async function aiReplies(pnid: string): Promise<boolean | undefined> {
  return (await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean().exec())?.aiReplies;
}

async function audit(pnid: string) {
  return t.bot.models.SettingsChange.find({ phoneNumberId: pnid }).sort({ at: 1 }).lean().exec();
}

async function conversation(pnid: string, waId: string): Promise<ConversationDoc | null> {
  return t.bot.models.Conversation.findById(conversationId(pnid, waId)).lean<ConversationDoc>().exec();
}

describe('parseStaffCommand', () => {
  it.each([
    ['/ai on', { name: 'ai', action: 'on' }],
    ['  /AI   Off ', { name: 'ai', action: 'off' }],
    ['/ai status', { name: 'ai', action: 'status' }],
    ['/orders', { name: 'orders' }],
    ['/resume +34 600 111 222', { name: 'resume', customer: '+34600111222' }],
    ['/ai', { name: 'usage' }],
    ['/ai maybe', { name: 'usage' }],
    ['/orders all', { name: 'usage' }],
    ['/resume', { name: 'usage' }],
  ])('when the text is %j, then it is %j', (text, command) => {
    expect(parseStaffCommand(text)).toEqual(command);
  });

  it.each(['hi', 'ai on', '/aion', '/help', 'please /ai on', '/ordersx', ''])(
    'when the text is %j, then it is no command',
    (text) => {
      expect(parseStaffCommand(text)).toBeUndefined();
    },
  );
});

describe('staff commands from an admin number', () => {
  it('when an admin number sends /ai on, then AI is on, audited with the number’s keyed hash, and the next customer message reaches the AI', async () => {
    const { pnid, admin } = await business();
    const customer = newWaId();
    expect(await say(pnid, customer, 'hi')).toHaveLength(1);
    await say(pnid, customer, FREE_QUESTION);
    expect(provider.calls).toBe(0); // AI off: nothing reaches the provider.

    const wamid = newWamid();
    const replies = await say(pnid, admin, '/ai on', wamid);
    expect(replies).toEqual(['AI replies are now on, from the next customer message.']);
    expect(await aiReplies(pnid)).toBe(true);
    const records = await audit(pnid);
    expect(records.map(({ field, from, to, actor }) => ({ field, from, to, actor }))).toEqual([
      {
        field: 'aiReplies',
        from: false,
        to: true,
        actor: { kind: 'admin-number', id: logRef(TEST_PEPPER, admin) },
      },
    ]);
    // Keyed by the wamid's keyed hash: the wamid encodes the staff member's number.
    expect(records[0]?._id).toBe(`${logRef(TEST_PEPPER, wamid)}:aiReplies`);
    expect(JSON.stringify(records)).not.toContain(admin);
    expect(JSON.stringify(records)).not.toContain(admin.slice(2));

    // The next customer message uses the new setting.
    await say(pnid, customer, FREE_QUESTION);
    expect(provider.calls).toBeGreaterThan(0);

    // The operator and the business's keys see the change in the audit.
    const res = await t.admin('GET', `/admin/businesses/${pnid}/settings-changes`);
    const { changes } = (await res.json()) as { changes: Array<{ actor: { kind: string; id?: string } }> };
    expect(changes[0]?.actor).toEqual({ kind: 'admin-number', id: logRef(TEST_PEPPER, admin) });
  });

  it('when an admin number sends /ai on twice and then /ai off, then the second changes nothing and /ai off switches AI off again', async () => {
    const { pnid, admin } = await business();
    await say(pnid, admin, '/ai on');
    expect(await say(pnid, admin, '/AI ON')).toEqual(['AI replies are already on.']);
    expect(await audit(pnid)).toHaveLength(1);
    expect(await say(pnid, admin, '/ai off')).toEqual([
      'AI replies are now off: customers get the standard replies, and no message goes to an AI provider.',
    ]);
    expect(await aiReplies(pnid)).toBe(false);
    expect((await audit(pnid)).map((r) => [r.from, r.to])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(await say(pnid, admin, '/ai off')).toEqual(['AI replies are already off.']);

    provider.calls = 0;
    const customer = newWaId();
    await say(pnid, customer, 'hi');
    await say(pnid, customer, FREE_QUESTION);
    expect(provider.calls).toBe(0);
  });

  it('when an admin number sends /ai status, then it gets the settings and who last switched AI', async () => {
    const { pnid, admin } = await business();
    expect(
      (
        await t.admin('PATCH', `/admin/businesses/${pnid}`, {
          aiDailyTokenBudget: 1234,
          aiDisclosure: '🤖 AI',
        })
      ).status,
    ).toBe(200);
    expect(await say(pnid, admin, '/ai status')).toEqual([
      [
        'AI replies: off',
        'AI endpoint: configured',
        'Daily token budget: 1,234 tokens',
        'Customer names sent to the AI: no',
        'Disclosure line: "🤖 AI"',
        'Persona: none',
      ].join('\n'),
    ]);
    await say(pnid, admin, '/ai on');
    const [status] = await say(pnid, admin, '/ai status');
    expect(status).toContain('AI replies: on');
    expect(status).toMatch(
      /Last switched: [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M by a staff number/,
    );
  });

  it('when an admin number sends /orders, then it gets today’s open orders: number, status, total and item count', async () => {
    const { pnid, admin } = await business();
    expect(await say(pnid, admin, '/orders')).toEqual(['No open orders today.']);
    const ref = 'ref-staff-orders';
    const first = await t.bot.orders.placeOrder(sampleOrder(pnid, ref));
    const preparing = await t.bot.orders.placeOrder(sampleOrder(pnid, ref, { fulfilment: 'delivery' }));
    await t.bot.orders.changeStatus(pnid, preparing.orderNumber, 'confirmed', 'business');
    await t.bot.orders.changeStatus(pnid, preparing.orderNumber, 'preparing', 'business');
    const cancelled = await t.bot.orders.placeOrder(sampleOrder(pnid, ref));
    await t.bot.orders.changeStatus(pnid, cancelled.orderNumber, 'cancelled', 'business');
    const yesterday = await t.bot.orders.placeOrder(sampleOrder(pnid, ref));
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    await t.bot.models.Order.updateOne(
      { _id: yesterday._id },
      { $set: { placedAt: new Date(midnight.getTime() - 60_000) } },
    ).exec();

    expect(await say(pnid, admin, '/orders')).toEqual([
      [
        'Open orders today (2):',
        `#${first.orderNumber} · placed · €4.75 · 3 items`,
        `#${preparing.orderNumber} · preparing · €4.75 · 3 items`,
      ].join('\n'),
    ]);
  });

  it('when an admin number sends /resume with a customer in a handoff, then the customer is back with the bot', async () => {
    const { pnid, admin } = await business();
    const customer = newWaId();
    await say(pnid, customer, 'hi');
    const handoff = await say(pnid, customer, 'human');
    expect(handoff[0]).toContain(REPLY.handoff);

    const before = repliesTo(t.graph.requests, pnid, customer).length;
    expect(await say(pnid, admin, `/resume +${customer}`)).toEqual([
      'Done: that conversation is back with the bot.',
    ]);
    const toCustomer = repliesTo(t.graph.requests, pnid, customer).slice(before);
    expect(toCustomer[0]).toContain(REPLY.resumed);

    expect(await say(pnid, admin, `/resume ${newWaId()}`)).toEqual([
      'There is no conversation with that customer.',
    ]);
    expect(await say(pnid, admin, '/resume someone')).toEqual([
      "Usage: /resume <customer's WhatsApp number or user id>",
    ]);
  });

  it('when an admin number writes a malformed command, then it gets the list of commands', async () => {
    const { pnid, admin } = await business();
    expect(await say(pnid, admin, '/ai maybe')).toEqual([STAFF_USAGE]);
    expect(await aiReplies(pnid)).toBe(false);
  });

  it('when an admin number is mid-conversation, then a command leaves the conversation as it was, and other texts get the customer experience', async () => {
    const { pnid, admin } = await business();
    const greeting = await say(pnid, admin, 'hi');
    expect(greeting[0]).toContain(REPLY.greeting);
    const before = await conversation(pnid, admin);
    expect(before).not.toBeNull();

    await say(pnid, admin, '/ai status');
    await say(pnid, admin, '/ai on');
    const after = await conversation(pnid, admin);
    expect(after?.version).toBe(before?.version);
    expect(after?.sealedSnapshot).toBe(before?.sealedSnapshot);
    expect(after?.processed).toEqual(before?.processed);

    // Other texts from the admin number are a customer's: "help" gets the help answer.
    const help = await say(pnid, admin, 'help');
    expect(help[0]).toContain(REPLY.help);
  });

  it('when an admin number’s first message is a command, then no conversation is left behind for it', async () => {
    const { pnid, admin } = await business();
    await say(pnid, admin, '/ai status');
    expect(await conversation(pnid, admin)).toBeNull();
  });

  it('when the same command message is delivered twice, then it is answered and recorded once', async () => {
    const { pnid, admin } = await business();
    const wamid = newWamid();
    await say(pnid, admin, '/ai on', wamid);
    expect(await say(pnid, admin, '/ai on', wamid)).toEqual([]);
    expect(await audit(pnid)).toHaveLength(1);
  });
});

describe('the same texts from anyone else', () => {
  it('when a customer who is not an admin number sends /ai on, then nothing changes and they get the customer reply', async () => {
    const { pnid } = await business();
    const stranger = newWaId();
    // A reference customer says something the flow does not know, at the same point of the conversation.
    await say(pnid, stranger, 'hi');
    const [reference] = await say(pnid, stranger, 'blorp');
    expect(reference).toContain(REPLY.notUnderstood);

    let customer = '';
    for (const text of ['/ai on', '/orders', '/ai status', `/resume ${stranger}`]) {
      customer = newWaId();
      await say(pnid, customer, 'hi');
      const replies = await say(pnid, customer, text);
      expect(replies, text).toEqual([reference]);
    }
    expect(await aiReplies(pnid)).toBe(false);
    expect(await audit(pnid)).toEqual([]);

    // And AI stays off for the next customer message.
    provider.calls = 0;
    await say(pnid, customer, FREE_QUESTION);
    expect(provider.calls).toBe(0);
  });

  it('when an admin number of another business sends /ai on, then it is a customer here', async () => {
    const { pnid } = await business();
    const other = await business();
    const [first] = await say(pnid, other.admin, '/ai on');
    expect(first).toContain(REPLY.greeting);
    expect(await aiReplies(pnid)).toBe(false);
    expect(await aiReplies(other.pnid)).toBe(false);
  });
});

describe('retries', () => {
  it('when a command is handled again after a crash that came after its record, then the change is made and recorded once', async () => {
    const { pnid, admin } = await business();
    const directory = new BusinessDirectory(t.bot.models.Business);
    const logger = pino({ level: 'silent' });
    const settings = new BusinessSettings({
      Business: t.bot.models.Business,
      SettingsChange: t.bot.models.SettingsChange,
      directory,
      logger,
    });
    const staff = new StaffCommands({
      settings,
      orders: t.bot.orders,
      pepper: TEST_PEPPER,
      identities: new CustomerIdentities({ models: t.bot.models, pepper: TEST_PEPPER }),
      aiConfigured: true,
      resume: () => Promise.resolve(false),
      logger,
    });
    const config = await directory.get(pnid);
    if (!config) throw new Error('business missing');
    const wamid = newWamid();
    // The first attempt wrote its record, then died before switching AI on.
    await t.bot.models.SettingsChange.create({
      _id: `${logRef(TEST_PEPPER, wamid)}:aiReplies`,
      phoneNumberId: pnid,
      at: new Date(),
      actor: { kind: 'admin-number', id: logRef(TEST_PEPPER, admin) },
      field: 'aiReplies',
      from: false,
      to: true,
      expiresAt: new Date(Date.now() + 60_000),
    });
    const event = { type: 'user.text' as const, text: '/ai on' };
    expect(await staff.handle(config, { waId: admin }, event, wamid)).toEqual([
      { type: 'reply.text', text: 'AI replies are now on, from the next customer message.' },
    ]);
    // The same message once more (its replies were lost with a failure): answered as the first time.
    expect(await staff.handle(config, { waId: admin }, event, wamid)).toEqual([
      { type: 'reply.text', text: 'AI replies are now on, from the next customer message.' },
    ]);
    // Another message with the same command: already on.
    expect(await staff.handle(config, { waId: admin }, event, newWamid())).toEqual([
      { type: 'reply.text', text: 'AI replies are already on.' },
    ]);
    expect(await aiReplies(pnid)).toBe(true);
    expect(await audit(pnid)).toHaveLength(1);
    // Not a command for a sender without a wa_id in the list, or for something other than text.
    expect(await staff.handle(config, { userId: 'US.123' }, event, newWamid())).toBeUndefined();
    expect(
      await staff.handle(
        config,
        { waId: admin },
        { type: 'user.button', id: 'x', title: '/ai on' },
        newWamid(),
      ),
    ).toBeUndefined();
  });
});

describe('logs', () => {
  it('when every log line is scanned, then no admin number appears; staff commands are logged by keyed hash', async () => {
    const logged = new Set<string>();
    for (const line of t.logs) {
      const parsed = JSON.parse(line) as { msg?: string; staff?: string };
      if (parsed.msg === 'staff command' && parsed.staff) logged.add(parsed.staff);
    }
    const docs = await t.bot.models.Business.find({}, { adminNumbers: 1 }).lean().exec();
    const numbers = docs.flatMap((d) => d.adminNumbers);
    expect(numbers.length).toBeGreaterThan(3);
    const all = t.logs.join('');
    for (const number of numbers) {
      expect(all).not.toContain(number);
      expect(all).not.toContain(number.slice(2));
    }
    const hashes = new Set(numbers.map((n) => logRef(TEST_PEPPER, n)));
    expect(logged.size).toBeGreaterThan(3);
    for (const ref of logged) expect(hashes.has(ref)).toBe(true);
  });
});

describe('staff commands in the language of the business’s locale', () => {
  it('when the business’s locale is Spanish, then /ai on, /ai status and /ai off are answered in Spanish', async () => {
    const { pnid, admin } = await business('es-ES');

    expect(await say(pnid, admin, '/ai on')).toEqual([
      'Las respuestas con IA están activadas a partir del próximo mensaje de un cliente.',
    ]);
    const [status] = await say(pnid, admin, '/ai status');
    expect(status?.split('\n').slice(0, 6)).toEqual([
      'Respuestas con IA: activadas',
      'Servicio de IA: configurado',
      'Presupuesto diario: 50.000 tokens',
      'Nombres de clientes enviados a la IA: no',
      'Aviso de IA: ninguno',
      'Personalidad: ninguna',
    ]);
    expect(status).toMatch(
      /\nÚltimo cambio: \d{1,2} [a-z]{3,4}\.? \d{4}, \d\d:\d\d por un número del equipo$/,
    );
    expect(await say(pnid, admin, '/ai off')).toEqual([
      'Las respuestas con IA están desactivadas: los clientes reciben las respuestas estándar y ningún mensaje va a un proveedor de IA.',
    ]);
  });

  it('when the business’s locale is Spanish, then /orders lists statuses and item counts in Spanish', async () => {
    const { pnid, admin } = await business('es-ES');
    expect(await say(pnid, admin, '/orders')).toEqual(['Hoy no hay pedidos abiertos.']);
    const ref = 'ref-staff-orders-es';
    const first = await t.bot.orders.placeOrder(sampleOrder(pnid, ref));
    const single = await t.bot.orders.placeOrder(
      sampleOrder(pnid, ref, {
        items: [{ itemId: 'coffee', name: 'Coffee', unitPriceMinor: 120, quantity: 1, lineTotalMinor: 120 }],
        totalMinor: 120,
      }),
    );
    await t.bot.orders.changeStatus(pnid, single.orderNumber, 'confirmed', 'business');
    await t.bot.orders.changeStatus(pnid, single.orderNumber, 'preparing', 'business');

    expect(await say(pnid, admin, '/orders')).toEqual([
      [
        'Pedidos abiertos hoy (2):',
        `#${first.orderNumber} · recibido · 4,75\u00a0€ · 3 artículos`,
        `#${single.orderNumber} · en preparación · 1,20\u00a0€ · 1 artículo`,
      ].join('\n'),
    ]);
  });

  it('when the business’s locale is Spanish, then /resume and a malformed command are answered in Spanish', async () => {
    const { pnid, admin } = await business('es');

    expect(await say(pnid, admin, `/resume ${newWaId()}`)).toEqual([
      'No hay ninguna conversación con ese cliente.',
    ]);
    expect(await say(pnid, admin, '/resume someone')).toEqual([
      'Uso: /resume <número de WhatsApp o id de usuario del cliente>',
    ]);
    const [usage] = await say(pnid, admin, '/ai maybe');
    expect(usage?.split('\n')[0]).toBe('Comandos del equipo:');
    expect(usage).toContain('/orders: los pedidos abiertos de hoy');
  });

  it('when the business’s locale is German, then /orders says in German that there are none', async () => {
    const { pnid, admin } = await business('de-DE');

    expect(await say(pnid, admin, '/orders')).toEqual(['Heute keine offenen Bestellungen.']);
  });

  it('when the business’s locale is one the bot does not speak, then staff get English', async () => {
    const { pnid, admin } = await business('it-IT');

    expect(await say(pnid, admin, '/orders')).toEqual(['No open orders today.']);
  });
});
