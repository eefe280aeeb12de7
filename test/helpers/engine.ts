/**
 * Builders for the conversation engine's end-to-end tests (test/e2e/engine*.test.ts): signed webhooks to
 * any bot URL, a second app instance on a test bot's database, the replies one customer received, and the
 * root flow's replies as text prefixes (the bot writes them; the tests only recognise them).
 */
import { Writable } from 'node:stream';
import { startBot } from '../../src/bot.js';
import type { BotOptions, RunningBot } from '../../src/bot.js';
import type { Config } from '../../src/config.js';
import { keyedCustomerRef } from '../../src/core/identity.js';
import type { Models } from '../../src/db/models/index.js';
import { createLogger } from '../../src/log.js';
import { signBody } from '../../src/webhook/signature.js';
import { TEST_APP_SECRET, TEST_PEPPER } from './bot.js';
import type { TestBot } from './bot.js';
import type { RecordedRequest } from './graph-stub.js';
import { inboundMessage, inboundText } from './payloads.js';
import { sendBody, sendText } from './webhook.js';

/** How the root flow's replies begin (the notice said with the menu, the privacy menu, or a plain text). */
export const REPLY = {
  greeting: 'Hi! Welcome to',
  notUnderstood: "Sorry, I didn't understand that.",
  tracking: "You haven't placed any orders here yet.",
  privacy: 'Your data with us: you can see everything we hold about you',
  help: 'I can help you *order*',
  menu: 'What would you like to do?',
  nothingToCancel: 'Nothing to cancel right now.',
  cantRead: "Sorry, I can't read that kind of message.",
  contactSeen: "Thanks, I've seen the contact, but I can't use contacts here.",
  handoff: 'OK, a person from',
  staffNotice: 'A customer asked to talk to a person.',
  stuck: "I'm still not sure what you need.",
  tapHint: 'Please tap one of the buttons above',
  resumed: "You're back with the automated assistant.",
  timedOut: 'Sorry, nobody from the team could answer in time.',
} as const;

/** Which of REPLY a reply is (the key of the prefix it starts with), or `other: <its start>`. */
export function replyKind(reply: string): string {
  const found = Object.entries(REPLY).find(([, prefix]) => reply.startsWith(prefix));
  return found ? found[0] : `other: ${reply.slice(0, 40)}`;
}

/** One customer message of a scripted sequence: what it is, the webhook body that carries it, its reply. */
export interface ScriptedMessage {
  /** The text typed, or what was sent instead (e.g. `<contact card>`). */
  readonly label: string;
  /** How its reply starts. */
  readonly reply: string;
  body(options: { phoneNumberId: string; waId: string; wamid: string }): Record<string, unknown>;
}

function typed(text: string, reply: string): ScriptedMessage {
  return { label: text, reply, body: (options) => inboundText(options, text) };
}

/**
 * Ten messages whose ten replies all differ, so a customer's replies show the order their messages were
 * handled in: a reply starts with `reply`. None of them enters the ordering steps (the conversation stays at
 * the main menu, or the privacy menu, which takes the same answers) and each gets exactly one reply: the
 * greeting, the answer said with the menu (no orders to track), the privacy menu, then the answers said with
 * the menu (help, the menu, nothing to cancel, a contact card it acknowledges), then three misunderstandings
 * (the apology with the menu, the "still not sure" buttons, the hint).
 */
export const TEN_MESSAGES: readonly ScriptedMessage[] = [
  typed('hi', REPLY.greeting),
  typed('2', REPLY.tracking),
  typed('3', REPLY.privacy),
  typed('help', REPLY.help),
  typed('menu', REPLY.menu),
  typed('cancel', REPLY.nothingToCancel),
  {
    label: '<contact card>',
    reply: REPLY.contactSeen,
    // A shared contact is a message type the bot does not read (`user.unsupported`): acknowledged.
    body: (options) =>
      inboundMessage(options, 'contacts', {
        contacts: [{ name: { formatted_name: 'Ana Test' }, phones: [{ phone: '+15550100999' }] }],
      }),
  },
  typed('xyz', REPLY.notUnderstood),
  typed('xyz again', REPLY.stuck),
  typed('still xyz', REPLY.tapHint),
];

/** Which of TEN_MESSAGES a reply answers (its index), or -1. */
export function answeredIndex(reply: string): number {
  return TEN_MESSAGES.findIndex((m) => reply.startsWith(m.reply));
}

/** The menu every menu reply ends with. */
export const MENU_TAIL = '5. 🌐 Language';

/** The conversation document's id for a wa_id at a business (the customer reference the bot computes). */
export function conversationId(phoneNumberId: string, waId: string, pepper = TEST_PEPPER): string {
  return keyedCustomerRef(pepper, phoneNumberId, { waId });
}

/** POSTs a webhook body to a bot at `baseUrl`, signed with the test app secret. */
export function postSignedWebhook(baseUrl: string, body: object): Promise<Response> {
  const bytes = Buffer.from(JSON.stringify(body));
  return fetch(`${baseUrl}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(bytes, TEST_APP_SECRET) },
    body: bytes,
  });
}

/** The message sends for one customer (`to: +waId`) of one business number, in the order the stub got them. */
export function sendsTo(requests: RecordedRequest[], phoneNumberId: string, waId: string): RecordedRequest[] {
  return requests.filter(
    (r) =>
      r.method === 'POST' && r.path.endsWith(`/${phoneNumberId}/messages`) && sendBody(r).to === `+${waId}`,
  );
}

/** What one customer was told (text or interactive body), in the order the stub received it. */
export function repliesTo(requests: RecordedRequest[], phoneNumberId: string, waId: string): string[] {
  return sendsTo(requests, phoneNumberId, waId).map(sendText);
}

/** Polls `check` every 25 ms until it returns true; throws, naming `what`, after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Another app instance (its own HTTP server, connection and engine) on a test bot's database. */
export interface ExtraInstance {
  readonly bot: RunningBot;
  /** Its log lines (at the test bot's level), raw JSON. */
  readonly logs: string[];
  postWebhook(body: object): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts a second `startBot` in this process with the test bot's configuration: the same database (same
 * name), the same Graph stub, the same secrets. Close it before the test bot (which drops the database).
 */
export async function startSecondInstance(
  t: TestBot,
  options: BotOptions = {},
  config: Partial<Config> = {},
): Promise<ExtraInstance> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level: t.config.logLevel }, stream);
  const bot = await startBot({ ...t.config, ...config }, logger, {
    dbName: t.db.dbName,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    sweepIntervalMs: 200,
    ...options,
  });
  return {
    bot,
    logs,
    postWebhook: (body) => postSignedWebhook(bot.url, body),
    close: () => bot.close(),
  };
}

/** Resolves once no inbox entry is pending or processing and every engine given is idle. */
export async function settledAcross(
  models: Models,
  bots: readonly RunningBot[],
  timeoutMs = 20_000,
): Promise<void> {
  let open = 0;
  await waitUntil(
    async () => {
      open = await models.Inbox.countDocuments({ status: { $in: ['pending', 'processing'] } }).exec();
      return open === 0 && bots.every((b) => b.engine.backlog === 0);
    },
    () => `the inbox to settle (${open} open)`,
    timeoutMs,
  );
}

/** Log lines at level error (50) or above, parsed. */
export function errorLogs(lines: readonly string[]): Array<Record<string, unknown>> {
  return lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => typeof entry.level === 'number' && entry.level >= 50);
}
