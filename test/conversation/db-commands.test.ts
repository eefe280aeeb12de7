/**
 * A deterministic guard on the database work per customer message (issue 17, "a lean hot path"): the MongoDB
 * driver's command monitoring counts every command the bot issues while it handles ONE message end to end —
 * the webhook's durable intake, the engine's claim and lease, the flow's effects, the outbox record, the send
 * and its bookkeeping, the message marked done — in the common states of a conversation. The test fails when
 * a state costs more than its budget: a new round trip on the hot path is a decision, not an accident.
 *
 * Deterministic: the bot's periodic sweeps (engine, outbox dispatcher, erasures) run once at start and then
 * not for an hour, and so does the webhook's count of the inbox backlog (its first read lands in the first,
 * uncounted message; under load it is one count per 500 ms for all messages, not one per message); the test waits for the bot with in-memory checks only (the Graph stand-in's requests and
 * the engine's backlog), never with a query of its own on the bot's connection while counting; and the
 * business's configuration is read into the directory before each counted message by another customer's
 * message. A status webhook of a reply is counted too (Meta posts two or three per reply).
 * `DB_COMMANDS_REPORT=1` prints each state's commands by name and collection; `DB_COMMANDS_DEBUG=1`
 * prints every command (its first 300 characters; `full`: whole).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandStartedEvent } from 'mongodb';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import type { Chat } from '../helpers/chat.js';
import { sendsTo } from '../helpers/engine.js';
import {
  inboundMessage,
  inboundText,
  newPhoneNumberId,
  newWaId,
  nowSeconds,
  statusUpdate,
} from '../helpers/payloads.js';

/** Commands per message, in total, that a state may cost (what the hot path costs today; lower is better). */
const BUDGET = {
  greeting: 18,
  menuChoice: 13,
  itemChoice: 13,
  addToCart: 13,
  /** One status webhook (`delivered`) of a reply: Meta posts two or three for each (sent, delivered, read). */
  statusDelivered: 2,
} as const;

type State = keyof typeof BUDGET;

/** One message's commands: how many in all, and how many of each command on each collection. */
interface Counts {
  total: number;
  byCommand: Record<string, number>;
}

let t: TestBot;
let recording: CommandStartedEvent[] | undefined;

beforeAll(async () => {
  // The driver emits command events only when asked (a URI option, so nothing in the bot changes for it).
  t = await startTestBot('db-commands', {
    bot: { sweepIntervalMs: 3_600_000, backlogCountMs: 3_600_000 },
    uriOptions: 'monitorCommands=true',
  });
  t.bot.database.connection.getClient().on('commandStarted', (event) => recording?.push(event));
});
afterAll(async () => {
  await t?.close();
});

/** Resolves once `check` holds, looking every 5 ms, without touching the database. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Posts one message and waits until its reply reached the Graph stand-in and the engine is idle. */
async function deliver(chat: Chat, body: Record<string, unknown>): Promise<void> {
  const before = sendsTo(t.graph.requests, chat.pnid, chat.waId).length;
  const res = await t.postWebhook(body);
  expect(res.status).toBe(200);
  await until(
    () => sendsTo(t.graph.requests, chat.pnid, chat.waId).length > before && t.bot.engine.backlog === 0,
    'the reply',
  );
  chat.seen = sendsTo(t.graph.requests, chat.pnid, chat.waId).length;
}

/** The commands one message costs: by command name and collection, and in total. */
async function counted(chat: Chat, body: () => Record<string, unknown>, warm: Chat): Promise<Counts> {
  // Another customer's message of the same business first: the configuration is in the directory, as it is
  // for any business that is busy, and nothing of it is left running.
  await deliver(warm, inboundText({ phoneNumberId: warm.pnid, waId: warm.waId }, 'help'));
  await t.settled();
  return recorded(() => deliver(chat, body()));
}

/** The commands the bot issues while `work` runs, by command name and collection, and in total. */
async function recorded(work: () => Promise<void>): Promise<Counts> {
  const events: CommandStartedEvent[] = [];
  recording = events;
  try {
    await work();
  } finally {
    recording = undefined;
  }
  const byCommand: Record<string, number> = {};
  for (const event of events) {
    if (process.env.DB_COMMANDS_DEBUG) {
      const { lsid: _l, $db: _d, $clusterTime: _c, ...rest } = event.command as Record<string, unknown>;
      const json = JSON.stringify(rest);
      console.info(process.env.DB_COMMANDS_DEBUG === 'full' ? json : json.slice(0, 300));
    }
    const command = event.command as Record<string, unknown>;
    const target = command[event.commandName];
    const key = `${event.commandName}${typeof target === 'string' ? ` ${target}` : ''}`;
    byCommand[key] = (byCommand[key] ?? 0) + 1;
  }
  return { total: events.length, byCommand };
}

const report: Partial<Record<State, Counts>> = {};

describe('database commands per customer message', () => {
  it('when a customer greets, orders, picks an item and adds it to the cart, then each message stays within its budget of commands', async () => {
    const pnid = newPhoneNumberId();
    const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
      name: 'Pizzeria Prueba',
      currency: 'EUR',
      catalog: [
        { id: 'margherita', name: 'Margherita', price: 9.5, category: 'Pizza' },
        { id: 'cola', name: 'Cola', price: 2.5, category: 'Drinks' },
      ],
      fulfilment: { pickup: true, delivery: true },
    });
    expect(res.status).toBe(201);
    const chat: Chat = { pnid, waId: newWaId(), seen: 0 };
    const warm: Chat = { pnid, waId: newWaId(), seen: 0 };
    // The greeting starts the conversation, so it is checked against the erasures' tombstones (step.ts): it
    // was signed before the conversation began. Each later message is signed a second after it is posted, so
    // never in the second the conversation began, as a person's are (Meta's timestamps are whole seconds).
    const sent = (later: boolean) => ({
      phoneNumberId: pnid,
      waId: chat.waId,
      timestamp: later ? String(Number(nowSeconds()) + 1) : nowSeconds(),
    });
    const tap = (kind: 'list_reply' | 'button_reply', id: string, title: string) =>
      inboundMessage(sent(true), 'interactive', { interactive: { type: kind, [kind]: { id, title } } });

    report.greeting = await counted(chat, () => inboundText(sent(false), 'hi'), warm);
    report.menuChoice = await counted(chat, () => tap('list_reply', 'menu.order', 'Order'), warm);
    report.itemChoice = await counted(chat, () => tap('list_reply', 'item:margherita', 'Margherita'), warm);
    report.addToCart = await counted(chat, () => tap('button_reply', 'qty:2', '2'), warm);

    // Meta's `delivered` for the last reply, which carries its record's id: acknowledged once it is stored.
    const last = sendsTo(t.graph.requests, pnid, chat.waId).at(-1);
    const recordId = (last?.json as { biz_opaque_callback_data?: string } | undefined)
      ?.biz_opaque_callback_data;
    const record = await t.bot.models.Outbox.findById(recordId).lean<{ wamids: string[] }>().exec();
    const wamid = record?.wamids[0];
    if (!recordId || !wamid) throw new Error('the last reply has no record id or wamid');
    report.statusDelivered = await recorded(async () => {
      const res = await t.postWebhook(statusUpdate(pnid, wamid, 'delivered', undefined, chat.waId, recordId));
      expect(res.status).toBe(200);
    });

    if (process.env.DB_COMMANDS_REPORT) {
      for (const [state, counts] of Object.entries(report)) {
        console.info(`[db-commands] ${state}: ${counts.total} ${JSON.stringify(counts.byCommand)}`);
      }
    }
    for (const state of Object.keys(BUDGET) as State[]) {
      const counts = report[state];
      const why = `${state}: ${JSON.stringify(counts?.byCommand)}`;
      expect(counts?.total, why).toBeGreaterThan(0);
      expect(counts?.total, why).toBeLessThanOrEqual(BUDGET[state]);
    }
  });
});
