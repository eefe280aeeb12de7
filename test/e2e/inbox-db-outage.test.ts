/**
 * The database goes away for a few seconds while messages stream in, then comes back. Every message the
 * webhook acknowledged (200) must be answered exactly once afterwards, whatever state its handling was in
 * when the connection dropped (claimed, half handled, its reset to `pending` failing too); every message it
 * could not store gets a 503 quickly, so Meta redelivers it, and the redelivery is answered once as well.
 *
 * The Graph API stand-in answers the first sends only once the database is down: Meta accepted them, but
 * their "sent" update, "done" mark and reset all fail. Those replies stay `sending`; the stand-in's status
 * webhooks echo each record's id and are posted again while the bot answers 503 (as Meta retries), and
 * confirm them once the database is back, well within the grace. So no send is ever repeated: one request
 * to Graph per outbox record. Later sends are answered after 300 ms, so others are in flight as well.
 *
 * The bot runs on an embedded server with a data directory that this file stops and starts again on the
 * same port (its journal keeps the data). The driver's server selection timeout is shortened to 1 s so that
 * the outage outlasts it, as a 12 s outage outlasts the production 10 s. Against MONGODB_URI it is skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer } from '../../src/db/embedded/index.js';
import type { EmbeddedServer } from '../../src/db/embedded/index.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import type { RecordedRequest } from '../helpers/graph-stub.js';
import { OPEN_OUTBOX_STATUSES } from '../../src/db/models/outbox.model.js';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import { REPLY, repliesTo, waitUntil } from '../helpers/engine.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { freshWamid } from '../helpers/graph-stub.js';
import { configureBusiness, metrics, sendBody } from '../helpers/webhook.js';

const PNID = newPhoneNumberId();
/** One message every 66 ms: 15 a second. */
const INTERVAL_MS = 66;
const OUTAGE_MS = 3_000;
const AFTER_MS = 1_000;
const SEND_DELAY_MS = 300;
/** Longer than the outage and the recovery: only the echoed status may settle a send in flight. */
const GRACE_MS = 8_000;
/** How soon the stand-in posts a refused status webhook again. */
const ECHO_RETRY_MS = 200;

const realDatabase = Boolean(process.env.MONGODB_URI);
let dataDir = '';
let server: EmbeddedServer | undefined;
let t: TestBot | undefined;

beforeAll(async () => {
  if (realDatabase) return;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'polus-outage-'));
  server = await startEmbeddedServer({ port: 0, dataDir });
  t = await startTestBot('inbox-db-outage', {
    env: { MONGODB_URI: server.uri },
    graphEcho: { retryMs: ECHO_RETRY_MS },
    bot: {
      outboxRetry: { graceMs: GRACE_MS },
      sweepIntervalMs: 200,
      leaseMs: 1_000,
      serverSelectionTimeoutMs: 1_000,
      inboxRetry: { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 1_000 },
    },
  });
  await configureBusiness(t, PNID, 'Casa Apagón');
});
afterAll(async () => {
  await t?.close();
  await server?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const callbackOf = (request: RecordedRequest): string =>
  String((request.json as { biz_opaque_callback_data?: unknown } | undefined)?.biz_opaque_callback_data);

interface Sent {
  waId: string;
  body: Record<string, unknown>;
  status: number;
  ms: number;
}

async function post(bot: TestBot, waId: string, body: Record<string, unknown>): Promise<Sent> {
  const started = Date.now();
  const res = await bot.postWebhook(body);
  await res.arrayBuffer();
  return { waId, body, status: res.status, ms: Date.now() - started };
}

/** Posts a refused body again until it is acknowledged, as Meta does (a few tries, half a second apart). */
async function redeliver(bot: TestBot, refused: Sent): Promise<Sent> {
  let last = refused;
  for (let attempt = 0; attempt < 10 && last.status !== 200; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    last = await post(bot, refused.waId, refused.body);
  }
  return last;
}

describe('inbox across a database outage', () => {
  it('when the database stops for seconds during a stream of messages, then every acknowledged message is answered exactly once after it returns, and the rest get 503', async (ctx) => {
    ctx.skip(realDatabase, 'only the embedded server can be stopped and started from the test');
    if (!t || !server) throw new Error('not set up');
    const bot = t;
    const port = server.port;
    // The first sends are answered only once the database is down (their outcome cannot be written);
    // the rest after a while, like a slow network. Each answer's wamid is noted per outbox record id.
    const wamidOf = new Map<string, string>();
    const heldOver: string[] = [];
    let outageBegun = false;
    let markDown: () => void = () => undefined;
    const databaseDown = new Promise<void>((resolve) => {
      markDown = resolve;
    });
    let sendsHeld: () => void = () => undefined;
    const threeSendsHeld = new Promise<void>((resolve) => {
      sendsHeld = resolve;
    });
    bot.graph.enqueue(
      ...Array.from({ length: 400 }, () => (request: RecordedRequest) => {
        const to = sendBody(request).to ?? '';
        const wamid = freshWamid();
        const id = callbackOf(request);
        wamidOf.set(id, wamid);
        const reply = {
          body: {
            messaging_product: 'whatsapp',
            contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }],
            messages: [{ id: wamid }],
          },
        };
        if (outageBegun) return { ...reply, delayMs: SEND_DELAY_MS };
        heldOver.push(id);
        if (heldOver.length === 3) sendsHeld();
        return databaseDown.then(() => reply);
      }),
    );
    let restartedAt = 0;

    // Act: stream one new customer's "hi" every 66 ms; stop the database while replies are on their way (so
    // their handling cannot finish), start it again three seconds later; stream on for another second.
    const posts: Array<Promise<Sent>> = [];
    let streaming = true;
    const outage = (async () => {
      await threeSendsHeld;
      outageBegun = true;
      await server.close();
      markDown();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      server = await startEmbeddedServer({ port, dataDir });
      restartedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, AFTER_MS));
      streaming = false;
    })();
    while (streaming) {
      const waId = newWaId();
      posts.push(post(bot, waId, inboundText({ phoneNumberId: PNID, waId, wamid: newWamid() }, 'hi')));
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    }
    await outage;
    const sent = await Promise.all(posts);
    const acknowledged = sent.filter((s) => s.status === 200);
    const refused = sent.filter((s) => s.status !== 200);
    // Meta redelivers what was not acknowledged, later: once the bot is ready again.
    await waitUntil(
      async () => (await fetch(`${bot.bot.url}/readyz`)).status === 200,
      'the bot to be ready again',
      20_000,
    );
    const redelivered = await Promise.all(refused.map((s) => redeliver(bot, s)));

    await waitUntil(
      () => sent.every((s) => repliesTo(bot.graph.requests, PNID, s.waId).length > 0),
      () =>
        `a reply to every customer (${sent.filter((s) => repliesTo(bot.graph.requests, PNID, s.waId).length === 0).length} of ${sent.length} without)`,
      30_000,
    );
    const allAnsweredAfterMs = Date.now() - restartedAt;
    await bot.settled(10_000);
    // Sends in flight are settled by their echoed status (or, were it lost, sent again after the grace).
    const open = () => bot.bot.models.Outbox.countDocuments({ status: { $in: OPEN_OUTBOX_STATUSES } }).exec();
    await waitUntil(async () => (await open()) === 0, 'every outbox record settled', GRACE_MS + 10_000);
    await bot.graph.echoed();

    // Assert
    const records = await bot.bot.models.Outbox.find({ phoneNumberId: PNID }).lean<OutboxEntry[]>().exec();
    const sends = bot.graph.requests.filter((r) => r.path.endsWith(`/${PNID}/messages`)).map(callbackOf);
    const counted = await metrics(bot);
    console.info(
      `[outage] ${sent.length} messages: ${acknowledged.length} acknowledged, ${refused.length} refused (slowest refusal ${Math.max(0, ...refused.map((s) => s.ms))} ms); all answered ${allAnsweredAfterMs} ms after the restart; ${heldOver.length} sends answered while the database was down; counters ${JSON.stringify(
        Object.fromEntries(
          Object.entries(counted).filter(([name]) => name.startsWith('inbox.') || name.startsWith('outbox.')),
        ),
      )}`,
    );
    // The case this test is about happened: handling failed and so did putting the message back.
    expect(counted['inbox.reset_failed']).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((s) => s.status))).toEqual(new Set([503]));
    expect(redelivered.map((s) => s.status)).toEqual(refused.map(() => 200));
    // One send per outbox record, and every record sent with the wamid Meta gave that send.
    expect(sends.filter((id, index) => sends.indexOf(id) !== index)).toEqual([]);
    expect([...sends].sort()).toEqual(records.map((r) => String(r._id)).sort());
    expect(
      records.filter((r) => r.status !== 'sent' || r.wamids.join() !== wamidOf.get(String(r._id))),
    ).toEqual([]);
    // Those Meta accepted while the database was down were confirmed by their status, not sent again.
    expect(heldOver.length).toBeGreaterThanOrEqual(3);
    expect(records.filter((r) => heldOver.includes(String(r._id))).map((r) => r.attempts)).toEqual(
      heldOver.map(() => 1),
    );
    const answers = sent.map((s) => repliesTo(bot.graph.requests, PNID, s.waId));
    expect(answers.filter((replies) => replies.length !== 1)).toEqual([]);
    expect(answers.every((replies) => replies[0]?.startsWith(REPLY.greeting))).toBe(true);
    expect(
      await bot.bot.models.Inbox.countDocuments({ status: { $in: ['pending', 'processing', 'failed'] } }),
    ).toBe(0);
  }, 60_000);
});
