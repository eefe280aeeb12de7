/**
 * No reply sent twice, even across kill -9. The bot runs in a child process (test/helpers/engine-child.ts) on
 * the embedded database with a data directory (or MONGODB_URI), so its state survives SIGKILL. Its Graph API
 * is the loopback stub behind a slow link: the link holds each request a moment before passing it on (a kill
 * then drops it: Meta never saw it, the record waits the grace and is sent after the restart), and the stub
 * holds each answer a moment (a kill then catches the send at Meta: accepted, its answer never recorded).
 * The stub posts signed `sent`/`delivered` status webhooks carrying the outbox record's id
 * (`biz_opaque_callback_data`) to whichever bot is running, and posts again later one that could not be
 * delivered (the bot was dead), as Meta retries; that status confirms the send caught at Meta, so it is not
 * sent again.
 *
 * Many customers write at once, each message acknowledged before the next, every webhook retried until a bot
 * acknowledges it (as Meta does); the bot is killed at a few random points of that burst (each time while at
 * least one send is held at Meta) and started again on the same data. Then every message is answered exactly
 * once (one send request reached the stub per inbound wamid and position), none twice, in order per customer.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, TEST_APP_SECRET } from '../helpers/bot.js';
import {
  answeredIndex,
  conversationId,
  postSignedWebhook,
  TEN_MESSAGES,
  waitUntil,
} from '../helpers/engine.js';
import { startGraphStub } from '../helpers/graph-stub.js';
import type { GraphStub, RecordedRequest } from '../helpers/graph-stub.js';
import { newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { startSlowLink } from '../helpers/slow-link.js';
import type { SlowLink } from '../helpers/slow-link.js';
import { sendBody, sendText } from '../helpers/webhook.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const childScript = path.join(repoRoot, 'test/helpers/engine-child.ts');
const CUSTOMERS = 20;
/** Each customer's messages: their replies all differ, so the order they arrived in shows. */
const MESSAGES = TEN_MESSAGES.slice(0, 5);
const KILLS = 3;
/**
 * How long a record left `sending` by a killed child waits for its status webhook before it is sent again:
 * counted from the restarted child's start (the restart itself takes seconds here), it only has to outlast
 * a send (link + Meta latency) and the stub's next retry of the status webhook (ECHO_RETRY_MS).
 */
const GRACE_MS = 2_000;
const ECHO_RETRY_MS = 100;
/** The link holds each Graph request up to this long before Meta (the stub) sees it. */
const LINK_DELAY_MS = 40;
/** The stub holds each answer this long: a kill in that time catches the send accepted at Meta. */
const META_LATENCY_MS = 150;

interface RunningChild {
  process: ChildProcessByStdio<Writable, Readable, Readable>;
  url: string;
  databaseUri: string;
  stderr(): string;
  exited: Promise<void>;
}

/** Minimal shapes of the documents this test reads with the driver. */
interface InboxDoc {
  _id: string;
  status: string;
}
interface OutboxDoc {
  _id: unknown;
  inboundWamid: string;
  seq: number;
  status: string;
}
interface ConversationDocument {
  _id: string;
  processed: string[];
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function startChild(dataDir: string, graphUrl: string, dbName: string): Promise<RunningChild> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      childScript,
      '--data-dir',
      dataDir,
      '--graph',
      graphUrl,
      '--lease-ms',
      '1000',
      '--grace-ms',
      String(GRACE_MS),
      '--db-name',
      dbName,
    ],
    { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`engine child not ready in time; stderr:\n${stderr}`)),
      30_000,
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^ready (\S+) (\S*)$/m.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        process: child,
        url: match[1] ?? '',
        databaseUri: match[2] ?? '',
        stderr: () => stderr,
        exited,
      });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`engine child exited (${code ?? signal}) before it was ready; stderr:\n${stderr}`));
    });
  });
}

/** A reply sent to a customer (not a read receipt). */
function isReply(request: RecordedRequest): boolean {
  return (
    request.method === 'POST' &&
    /\/messages$/.test(request.path) &&
    (request.json as { status?: unknown } | undefined)?.status !== 'read'
  );
}

/** The outbox record id a send carried in `biz_opaque_callback_data`. */
function callbackData(request: RecordedRequest): string | undefined {
  const data = (request.json as { biz_opaque_callback_data?: unknown } | undefined)?.biz_opaque_callback_data;
  return typeof data === 'string' ? data : undefined;
}

describe('crash recovery', () => {
  it(
    'when the bot is killed at random points of a burst, each message is answered exactly once, in order',
    { timeout: 120_000 },
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'polus-engine-crash-'));
      cleanups.push(async () => {
        await fs.promises.rm(dataDir, { recursive: true, force: true });
      });
      const dbName = `test_engine_crash_${randomBytes(4).toString('hex')}`;
      let current: RunningChild | undefined;
      const graph: GraphStub = await startGraphStub({
        echo: {
          webhookUrl: () => `${current?.url ?? 'http://127.0.0.1:1'}/webhook`,
          appSecret: TEST_APP_SECRET,
          retryMs: ECHO_RETRY_MS,
        },
        latencyMs: META_LATENCY_MS,
      });
      cleanups.push(() => graph.close());
      const link: SlowLink = await startSlowLink(graph.url, () => Math.random() * LINK_DELAY_MS);
      cleanups.push(() => link.close());

      const started = Date.now();
      current = await startChild(dataDir, link.url, dbName);
      const pnid = newPhoneNumberId();
      const put = await fetch(`${current.url}/admin/businesses/${pnid}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Casa Crash', currency: 'EUR', catalog: [] }),
      });
      expect(put.status).toBe(201);
      const customers = Array.from({ length: CUSTOMERS }, () => ({
        waId: newWaId(),
        wamids: MESSAGES.map(() => newWamid()),
      }));
      const total = CUSTOMERS * MESSAGES.length;

      /** Posts a webhook to the running bot until one acknowledges it, as Meta retries. */
      let acknowledged = 0;
      async function deliver(body: object): Promise<void> {
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
          const target = current;
          const status = target
            ? await postSignedWebhook(target.url, body).then(
                async (res) => {
                  await res.arrayBuffer();
                  return res.status;
                },
                () => 0,
              )
            : 0;
          if (status === 200) {
            acknowledged += 1;
            return;
          }
          await sleep(50);
        }
        throw new Error('a webhook was never acknowledged');
      }

      // Each customer's messages one after another (each acknowledged before the next), customers at once.
      const burst = Promise.all(
        customers.map(async (customer) => {
          for (const [index, message] of MESSAGES.entries()) {
            await deliver(
              message.body({ phoneNumberId: pnid, waId: customer.waId, wamid: customer.wamids[index] ?? '' }),
            );
          }
        }),
      );

      // The kills: after a random share of the burst was acknowledged, once a send is held at Meta.
      const killPoints = Array.from({ length: KILLS }, () =>
        Math.floor(total * (0.1 + 0.8 * Math.random())),
      ).sort((x, y) => x - y);
      const caughtAtMeta = new Set<string>();
      const restarts: number[] = [];
      const kills = (async () => {
        for (const point of killPoints) {
          await waitUntil(() => acknowledged >= point, `${point} messages acknowledged`, 60_000);
          await waitUntil(() => graph.holding.some(isReply), 'a send held at Meta', 10_000).catch(
            () => undefined,
          );
          const victim = current;
          if (!victim) throw new Error('no bot running');
          victim.process.kill('SIGKILL');
          for (const request of graph.holding.filter(isReply)) caughtAtMeta.add(callbackData(request) ?? '');
          current = undefined;
          const down = Date.now();
          await victim.exited;
          current = await startChild(dataDir, link.url, dbName);
          restarts.push(Date.now() - down);
        }
      })();
      await Promise.all([burst, kills]);
      const burstDone = Date.now();

      const last = current;
      const client = new MongoClient(last.databaseUri || 'mongodb://127.0.0.1:1', {
        serverSelectionTimeoutMS: 5_000,
      });
      cleanups.push(() => client.close());
      await client.connect();
      const db = client.db(dbName);
      if (process.env.MONGODB_URI) {
        cleanups.push(async () => {
          await db.dropDatabase();
        });
      }
      const inbox = db.collection<InboxDoc>('inbox');
      const outbox = db.collection<OutboxDoc>('outbox');
      const conversations = db.collection<ConversationDocument>('conversations');
      const allWamids = customers.flatMap((c) => c.wamids);

      let open = -1;
      await waitUntil(
        async () => {
          open =
            (await inbox.countDocuments({ status: { $in: ['pending', 'processing'] } })) +
            (await outbox.countDocuments({ status: { $in: ['pending', 'sending', 'retrying'] } }));
          return open === 0 && link.inFlight === 0 && graph.holding.length === 0;
        },
        () => `the last bot to finish (${open} open); its log:\n${last.stderr().slice(-5_000)}`,
        40_000,
      );
      await graph.echoed();

      // Every acknowledged message was handled, and answered by one record (inbound wamid + position), sent.
      const entries = await inbox.find({ _id: { $in: allWamids } }).toArray();
      expect(entries).toHaveLength(total);
      expect(entries.filter((e) => e.status !== 'done')).toEqual([]);
      const records = await outbox.find({ inboundWamid: { $in: allWamids } }).toArray();
      expect(records).toHaveLength(total);
      expect(records.filter((r) => r.seq !== 0 || r.status !== 'sent')).toEqual([]);
      expect(new Set(records.map((r) => r.inboundWamid)).size).toBe(total);

      // Meta got exactly one send per record: every send carried its record's id, none came twice.
      const sends = graph.requests.filter(isReply);
      const ids = sends.map(callbackData);
      const recordIds = records.map((r) => String(r._id));
      const repeated = recordIds.filter((id) => ids.filter((sent) => sent === id).length > 1);
      expect(repeated).toEqual([]);
      expect([...ids].sort()).toEqual([...recordIds].sort());
      // The kills caught sends at Meta whose answer the dead bot never recorded: the status webhooks
      // confirmed them, and they were not sent again.
      expect(caughtAtMeta.size).toBeGreaterThan(0);
      expect([...caughtAtMeta].filter((id) => !recordIds.includes(id))).toEqual([]);

      for (const customer of customers) {
        // Each reply once, in the order of the messages.
        const texts = sends.filter((r) => sendBody(r).to === `+${customer.waId}`).map(sendText);
        expect(texts.map(answeredIndex)).toEqual(MESSAGES.map((_, i) => i));
        const conversation = await conversations.findOne({ _id: conversationId(pnid, customer.waId) });
        expect(conversation?.processed).toEqual(customer.wamids);
      }

      console.info(
        `[engine-crash] ${total} messages from ${CUSTOMERS} customers, ${KILLS} kills after ` +
          `${killPoints.join('/')} acknowledged; ${caughtAtMeta.size} sends caught at Meta (confirmed by ` +
          `status webhooks), ${link.dropped} requests dropped by the kills before Meta; ${sends.length} ` +
          `sends; restarts took ${restarts.join('/')} ms; burst ${burstDone - started} ms, settled ${Date.now() - burstDone} ms later`,
      );

      last.process.kill('SIGTERM');
      await last.exited;
    },
  );
});
