/**
 * Builders for the conversation engine's end-to-end tests (test/e2e/engine*.test.ts): signed webhooks to
 * any bot URL, a second app instance on a test bot's database, the replies one customer received, and the
 * root flow's replies as text prefixes (the bot writes them; the tests only recognise them).
 */
import { Writable } from 'node:stream';
import { startBot } from '../../src/bot.js';
import type { BotOptions, RunningBot } from '../../src/bot.js';
import type { Models } from '../../src/db/models/index.js';
import { createLogger } from '../../src/log.js';
import { customerRef } from '../../src/privacy/refs.js';
import { customerKey } from '../../src/webhook/parse.js';
import { signBody } from '../../src/webhook/signature.js';
import { TEST_APP_SECRET, TEST_PEPPER } from './bot.js';
import type { TestBot } from './bot.js';
import type { RecordedRequest } from './graph-stub.js';
import { sendBody, sendText } from './webhook.js';

/** How the root flow's replies begin (the notice said with the menu, or a plain text). */
export const REPLY = {
  greeting: 'Hi! Welcome to',
  notUnderstood: "Sorry, I didn't understand that.",
  ordering: 'Ordering in chat is coming soon.',
  tracking: 'Order tracking in chat is coming soon.',
  privacy: 'Seeing, correcting and deleting your data in this chat is coming soon.',
  help: 'I can help you *order*',
  menu: 'What would you like to do?',
  nothingToCancel: 'Nothing to cancel right now.',
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

/**
 * Ten messages whose ten replies all differ, so a customer's replies show the order their messages were
 * handled in: a reply starts with `reply`.
 */
export const TEN_MESSAGES: ReadonlyArray<{ text: string; reply: string }> = [
  { text: 'hi', reply: REPLY.greeting },
  { text: '1', reply: REPLY.ordering },
  { text: '2', reply: REPLY.tracking },
  { text: '3', reply: REPLY.privacy },
  { text: 'help', reply: REPLY.help },
  { text: 'menu', reply: REPLY.menu },
  { text: 'cancel', reply: REPLY.nothingToCancel },
  { text: 'xyz', reply: REPLY.notUnderstood },
  { text: 'xyz again', reply: REPLY.stuck },
  { text: 'still xyz', reply: REPLY.tapHint },
];

/** Which of TEN_MESSAGES a reply answers (its index), or -1. */
export function answeredIndex(reply: string): number {
  return TEN_MESSAGES.findIndex((m) => reply.startsWith(m.reply));
}

/** The menu every menu reply ends with. */
export const MENU_TAIL = '4. Talk to a person';

/** The conversation document's id for a wa_id at a business (the customer reference the bot computes). */
export function conversationId(phoneNumberId: string, waId: string, pepper = TEST_PEPPER): string {
  return customerRef(pepper, phoneNumberId, customerKey(phoneNumberId, { waId }));
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
export async function startSecondInstance(t: TestBot, options: BotOptions = {}): Promise<ExtraInstance> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level: t.config.logLevel }, stream);
  const bot = await startBot(t.config, logger, {
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
