/**
 * Crash recovery of the conversation engine. The bot runs in a child process (test/helpers/engine-child.ts)
 * on the embedded database with a data directory (or MONGODB_URI). Its Graph API is the loopback stub
 * behind a slow link, so replies are still waiting when the test SIGKILLs the child right after the last
 * webhook was acknowledged. A second child on the same data must then answer every message exactly once.
 *
 * The documented edge of at-least-once sending: a request that reached Meta (the stub) but whose answer the
 * dead process never recorded is sent again. The slow link holds requests before they reach the stub, so a
 * kill mostly catches them there (dropped, never seen by Meta); a repeat is allowed only for a request the
 * stub received before the kill whose answer is on no outbox record, and the test prints how many there were.
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
import { TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import {
  answeredIndex,
  conversationId,
  postSignedWebhook,
  TEN_MESSAGES,
  waitUntil,
} from '../helpers/engine.js';
import { startGraphStub } from '../helpers/graph-stub.js';
import type { GraphStub } from '../helpers/graph-stub.js';
import { newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { startSlowLink } from '../helpers/slow-link.js';
import type { SlowLink } from '../helpers/slow-link.js';
import { sendBody, sendText } from '../helpers/webhook.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const childScript = path.join(repoRoot, 'test/helpers/engine-child.ts');
const CUSTOMERS = 5;
/**
 * How long the link holds the first child's Graph requests: the first few pass quickly (those replies are
 * done before the kill and must not be sent again), later ones are held past the kill (stored, claimed,
 * never seen by the stub: they must be sent once after the restart).
 */
const FIRST_CHILD_DELAY = (arrival: number): number => (arrival < 8 ? 5 : 3_000);
/** After the restart the link is quick. */
const SECOND_CHILD_DELAY_MS = 5;

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
  customerRef: string;
  status: string;
  attempts: number;
}
interface OutboxDoc {
  inboundWamid: string;
  seq: number;
  customerRef: string;
  status: string;
  wamids: string[];
  createdAt: Date;
}
interface ConversationDocument {
  _id: string;
  processed: string[];
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

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
      20_000,
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

/** The message sends the stub received (or, for `forwarded`, that the link passed on). */
function isSend(method: string, requestPath: string): boolean {
  return method === 'POST' && /\/messages$/.test(requestPath);
}

function responseWamid(response: unknown): string | undefined {
  const messages = (response as { messages?: Array<{ id?: unknown }> } | undefined)?.messages;
  const id = messages?.[0]?.id;
  return typeof id === 'string' ? id : undefined;
}

describe('crash recovery', () => {
  it('when the bot is killed with replies pending, then after a restart each message is answered exactly once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'polus-engine-crash-'));
    cleanups.push(async () => {
      await fs.promises.rm(dataDir, { recursive: true, force: true });
    });
    const dbName = `test_engine_crash_${randomBytes(4).toString('hex')}`;
    const graph: GraphStub = await startGraphStub();
    cleanups.push(() => graph.close());
    const link: SlowLink = await startSlowLink(graph.url, FIRST_CHILD_DELAY);
    cleanups.push(() => link.close());

    const first = await startChild(dataDir, link.url, dbName);
    const pnid = newPhoneNumberId();
    const put = await fetch(`${first.url}/admin/businesses/${pnid}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Casa Crash', currency: 'EUR', catalog: [] }),
    });
    expect(put.status).toBe(201);
    const customers = Array.from({ length: CUSTOMERS }, () => ({
      waId: newWaId(),
      wamids: TEN_MESSAGES.map(() => newWamid()),
    }));

    // Each customer's messages one after another (each acknowledged before the next), customers at once.
    const statuses = await Promise.all(
      customers.map(async (customer) => {
        const answers: number[] = [];
        for (const [index, message] of TEN_MESSAGES.entries()) {
          const body = message.body({
            phoneNumberId: pnid,
            waId: customer.waId,
            wamid: customer.wamids[index] ?? '',
          });
          answers.push((await postSignedWebhook(first.url, body)).status);
        }
        return answers;
      }),
    );
    first.process.kill('SIGKILL');
    const killedAt = Date.now();
    await first.exited;
    // A request whose delay ended in the instant between the kill and the link seeing the socket close is
    // still the dead process's send in flight: let the link notice, then count what it forwarded.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const forwardedBeforeKill = link.forwarded.length;
    link.setDelay(SECOND_CHILD_DELAY_MS);

    expect(statuses.flat()).toEqual(Array.from({ length: CUSTOMERS * TEN_MESSAGES.length }, () => 200));
    const sentBeforeKill = link.forwarded
      .slice(0, forwardedBeforeKill)
      .filter((f) => isSend(f.method, f.path));

    const second = await startChild(dataDir, link.url, dbName);
    const client = new MongoClient(second.databaseUri || 'mongodb://127.0.0.1:1', {
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
        return open === 0 && link.inFlight === 0;
      },
      () => `the restarted bot to finish (${open} open); its log:\n${second.stderr()}`,
      20_000,
    );

    // Every acknowledged message survived the kill and was handled.
    const entries = await inbox.find({ _id: { $in: allWamids } }).toArray();
    expect(entries).toHaveLength(allWamids.length);
    expect(entries.filter((e) => e.status !== 'done')).toEqual([]);
    // One reply per message, each stored once (inbound wamid + position), each sent.
    const records = await outbox.find({ inboundWamid: { $in: allWamids } }).toArray();
    expect(records).toHaveLength(allWamids.length);
    expect(records.filter((r) => r.seq !== 0 || r.status !== 'sent')).toEqual([]);
    expect(new Set(records.map((r) => r.inboundWamid)).size).toBe(allWamids.length);

    // At the stub: one request per record, plus at most one repeat per request the kill caught at Meta.
    const recordedWamids = new Set(records.flatMap((r) => r.wamids));
    const sends = link.forwarded.filter((f) => isSend(f.method, f.path));
    const repeats = sends.filter((f) => !recordedWamids.has(responseWamid(f.response) ?? ''));
    const caughtAtKill = link.forwarded
      .slice(0, forwardedBeforeKill)
      .filter((f) => isSend(f.method, f.path) && !recordedWamids.has(responseWamid(f.response) ?? ''));
    expect(repeats).toEqual(caughtAtKill);
    expect(repeats.length).toBeLessThanOrEqual(CUSTOMERS);
    const stubSends = graph.requests.filter((r) => isSend(r.method, r.path));
    expect(stubSends).toHaveLength(records.length + repeats.length);
    for (const record of records) {
      expect(sends.filter((f) => responseWamid(f.response) === record.wamids[0])).toHaveLength(1);
    }

    for (const customer of customers) {
      // Each reply once (a repeat is the same request twice in a row), in the order of the messages.
      const texts = stubSends.filter((r) => sendBody(r).to === `+${customer.waId}`).map(sendText);
      const distinct = texts.filter((text, i) => text !== texts[i - 1]);
      expect(distinct.map(answeredIndex)).toEqual(TEN_MESSAGES.map((_, i) => i));
      expect(texts.length - distinct.length).toBeLessThanOrEqual(1);
      const conversation = await conversations.findOne({ _id: conversationId(pnid, customer.waId) });
      expect(conversation?.processed).toEqual(customer.wamids);
    }

    // Messages acknowledged before the kill whose handling had not started were answered after the restart.
    const untouched = entries.filter((e) => e.attempts === 1);
    const answeredAfterRestart = untouched.filter((e) =>
      records.some((r) => r.inboundWamid === e._id && r.createdAt.getTime() > killedAt),
    );
    expect(answeredAfterRestart.length).toBeGreaterThan(0);
    // Messages under way at the kill (claimed by the first child) were finished by the second.
    const resumed = entries.filter((e) => e.attempts > 1);

    console.info(
      `[engine-crash] ${allWamids.length} messages from ${CUSTOMERS} customers; before the kill ` +
        `${sentBeforeKill.length} replies reached the stub; ${resumed.length} messages were under way at the ` +
        `kill and finished after the restart; ${answeredAfterRestart.length} not yet started were answered ` +
        `after the restart; at-least-once repeats: ${repeats.length}`,
    );

    second.process.kill('SIGTERM');
    await second.exited;
  });
});
