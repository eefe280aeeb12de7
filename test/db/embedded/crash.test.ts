/**
 * Durability of the embedded server's journal.
 *
 * A child process (test/helpers/crash-writer.ts) runs the server on a data directory and writes through the
 * official driver, printing a line after every acknowledgement. We SIGKILL it mid-loop, then start the
 * server in this process on the same directory: every write the child saw acknowledged must be there.
 * The server promises that writes reach the OS before each reply, so a process kill (not a power cut)
 * must lose nothing that was acknowledged.
 *
 * Journal file names are the server's business: we only list and measure what is in the data directory.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedServer } from '../../../src/db/embedded/index.js';
import type { EmbeddedServer } from '../../../src/db/embedded/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const writerScript = path.join(repoRoot, 'test/helpers/crash-writer.ts');
const CRASH_DB = 'crash';
/** Same as crash-writer.ts: numeric ids of run r are r * 1,000,000 + seq. */
const RUN_ID_STRIDE = 1_000_000;
const MIN_ACKS = 300;

interface Acks {
  count: number;
  inserted: number[];
  /** Highest counter value the child saw acknowledged (0 if none). */
  maxCounter: number;
  upserted: string[];
  set: number[];
  deleted: number[];
}

interface ItemDoc {
  _id: number;
  run: number;
  payload: string;
  touched?: boolean;
}

const tempDirs: string[] = [];
const openServers: EmbeddedServer[] = [];
const openClients: MongoClient[] = [];

function makeDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polus-crash-'));
  tempDirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const client of openClients.splice(0)) await client.close().catch(() => undefined);
  for (const server of openServers.splice(0)) await server.close().catch(() => undefined);
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

function dirBytes(dir: string): number {
  return listFiles(dir).reduce((sum, file) => sum + fs.statSync(file).size, 0);
}

/**
 * Runs the writer child on `dataDir` until it has printed at least `minAcks` acknowledgements, then
 * SIGKILLs it while it is still writing. Returns every acknowledgement it printed before dying.
 */
function runWriterAndKill(dataDir: string, runTag: number, minAcks = MIN_ACKS): Promise<Acks> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, dataDir, String(runTag)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Acks = { count: 0, inserted: [], maxCounter: 0, upserted: [], set: [], deleted: [] };
    let pending = '';
    let stderr = '';
    let killed = false;
    let done = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new Error(`writer printed only ${acks.count} acks in time; stderr:\n${stderr}`));
    }, 20_000);

    function finish(err?: Error): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(acks);
    }

    function handleLine(line: string): void {
      const parts = line.trim().split(' ');
      if (parts[0] !== 'ack') return;
      const kind = parts[2];
      const value = parts[3] ?? '';
      acks.count += 1;
      if (kind === 'insert') acks.inserted.push(Number(value));
      else if (kind === 'inc') acks.maxCounter = Math.max(acks.maxCounter, Number(value));
      else if (kind === 'upsert') acks.upserted.push(value);
      else if (kind === 'set') acks.set.push(Number(value));
      else if (kind === 'delete') acks.deleted.push(Number(value));
      if (!killed && acks.count >= minAcks) {
        killed = true;
        child.kill('SIGKILL');
      }
    }

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) handleLine(line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (err) => finish(err));
    // 'close' fires after stdout is drained, so every ack printed before the kill has been counted.
    child.on('close', (code, signal) => {
      if (pending) handleLine(pending);
      if (!killed) {
        finish(new Error(`writer exited on its own (code ${code}, signal ${signal}); stderr:\n${stderr}`));
      } else if (signal !== 'SIGKILL') {
        finish(
          new Error(`writer was not killed by SIGKILL (code ${code}, signal ${signal}); stderr:\n${stderr}`),
        );
      } else {
        finish();
      }
    });
  });
}

async function openInProcess(dataDir: string): Promise<{ server: EmbeddedServer; client: MongoClient }> {
  const server = await startEmbeddedServer({ host: '127.0.0.1', port: 0, dataDir });
  openServers.push(server);
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5_000 });
  openClients.push(client);
  await client.connect();
  return { server, client };
}

async function closeInProcess(handle: { server: EmbeddedServer; client: MongoClient }): Promise<void> {
  await handle.client.close();
  openClients.splice(openClients.indexOf(handle.client), 1);
  await handle.server.close();
  openServers.splice(openServers.indexOf(handle.server), 1);
}

/** Asserts that everything in `runs` (one Acks per writer run, runTag = index + 1) is in the database. */
async function expectAllAcknowledged(client: MongoClient, runs: Acks[]): Promise<void> {
  const db = client.db(CRASH_DB);
  const items = await db.collection<ItemDoc>('items').find({}).toArray();
  const byId = new Map(items.map((d) => [d._id, d]));

  runs.forEach((acks, index) => {
    const runTag = index + 1;
    const missing = acks.inserted.filter((id) => !byId.has(id));
    expect(missing, `run ${runTag}: acknowledged inserts missing after restart`).toEqual([]);
    for (const id of acks.inserted) {
      expect(byId.get(id)?.payload.startsWith(`payload-${id}-`), `item ${id} payload`).toBe(true);
    }
    const notTouched = acks.set.filter((id) => byId.get(id)?.touched !== true);
    expect(notTouched, `run ${runTag}: acknowledged $set lost`).toEqual([]);
    // Only one write is in flight when the child dies, so at most one unacknowledged insert may exist.
    const runItems = items.filter((d) => d.run === runTag).length;
    expect(runItems).toBeGreaterThanOrEqual(acks.inserted.length);
    expect(runItems).toBeLessThanOrEqual(acks.inserted.length + 1);
    for (const d of items.filter((x) => x.run === runTag)) {
      expect(d._id).toBeGreaterThan(runTag * RUN_ID_STRIDE);
      expect(d._id).toBeLessThan((runTag + 1) * RUN_ID_STRIDE);
    }
  });

  const last = runs[runs.length - 1];
  if (!last) throw new Error('no runs');
  const counter = await db.collection<{ _id: string; n: number }>('counters').findOne({ _id: 'counter' });
  expect(counter, 'counter document').not.toBeNull();
  // ≥ last acknowledged value; at most one more (the $inc in flight at the kill). More means an $inc
  // was replayed twice.
  expect(counter?.n).toBeGreaterThanOrEqual(last.maxCounter);
  expect(counter?.n).toBeLessThanOrEqual(last.maxCounter + 1);

  const upsertedKeys = runs.flatMap((r) => r.upserted);
  const upserts = await db
    .collection<{ _id: string; created?: boolean }>('upserts')
    .find({ _id: { $in: upsertedKeys } })
    .toArray();
  const present = new Set(upserts.map((d) => d._id));
  expect(
    upsertedKeys.filter((k) => !present.has(k)),
    'acknowledged upserts missing',
  ).toEqual([]);
  expect(upserts.every((d) => d.created === true)).toBe(true);

  const deletedIds = runs.flatMap((r) => r.deleted);
  const resurrected = await db
    .collection<{ _id: number }>('doomed')
    .find({ _id: { $in: deletedIds } })
    .toArray();
  expect(
    resurrected.map((d) => d._id),
    'acknowledged deletes came back',
  ).toEqual([]);
}

function expectSaneAcks(acks: Acks): void {
  expect(acks.count).toBeGreaterThanOrEqual(MIN_ACKS);
  expect(acks.inserted.length).toBeGreaterThan(10);
  expect(acks.upserted.length).toBeGreaterThan(10);
  expect(acks.deleted.length).toBeGreaterThan(10);
  expect(acks.maxCounter).toBeGreaterThan(10);
}

/** Appends `tail` to every file in the data directory, as a torn final write would leave it. */
function appendToEveryFile(dataDir: string, tail: Buffer): number {
  const files = listFiles(dataDir);
  for (const file of files) fs.appendFileSync(file, tail);
  return files.length;
}

const TORN_TAILS: Array<{ name: string; tail: Buffer }> = [
  { name: 'a few random garbage bytes', tail: Buffer.from([0x9c, 0x11, 0xfe, 0x07, 0x42, 0xd3, 0x00]) },
  {
    name: 'a length prefix promising more bytes than follow',
    tail: Buffer.from([0x00, 0x10, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03, 0x04]),
  },
  { name: 'a zero-filled block', tail: Buffer.alloc(4096) },
  {
    name: 'a half-written JSON line',
    tail: Buffer.from('{"op":"insert","ns":"crash.items","doc":{"_id":', 'utf8'),
  },
];

describe('embedded server crash durability', () => {
  it('when the writer is SIGKILLed mid-loop, then every acknowledged write is there after restart, and again after a second restart', async () => {
    const dataDir = makeDataDir();
    const acks = await runWriterAndKill(dataDir, 1);
    expectSaneAcks(acks);
    expect(listFiles(dataDir).length, 'the journal left no files behind').toBeGreaterThan(0);
    const bytesAfterCrash = dirBytes(dataDir);

    // First restart: replays the journal the killed process left.
    const first = await openInProcess(dataDir);
    await expectAllAcknowledged(first.client, [acks]);
    await closeInProcess(first);
    const bytesAfterFirstRestart = dirBytes(dataDir);

    // Second restart: starts from whatever the first one compacted the journal into.
    const second = await openInProcess(dataDir);
    await expectAllAcknowledged(second.client, [acks]);
    await closeInProcess(second);
    const bytesAfterSecondRestart = dirBytes(dataDir);

    // Restarts without writes must not grow the journal: replay followed by compaction leaves at most
    // what the crash left (the counter's many $inc records collapse into one document). 4 KiB of slack
    // for headers/markers.
    expect(bytesAfterFirstRestart).toBeLessThanOrEqual(bytesAfterCrash + 4096);
    expect(bytesAfterSecondRestart).toBeLessThanOrEqual(bytesAfterFirstRestart + 4096);

    // A third start still has everything.
    const third = await openInProcess(dataDir);
    await expectAllAcknowledged(third.client, [acks]);
  }, 30_000);

  it('when the server is killed twice in a row on one data directory, then writes from both runs survive', async () => {
    const dataDir = makeDataDir();
    const run1 = await runWriterAndKill(dataDir, 1);
    // Run 2 replays run 1's journal itself, keeps writing on top of it and is killed too.
    const run2 = await runWriterAndKill(dataDir, 2);
    expectSaneAcks(run1);
    expectSaneAcks(run2);
    expect(run2.maxCounter).toBeGreaterThan(run1.maxCounter);

    const reopened = await openInProcess(dataDir);
    await expectAllAcknowledged(reopened.client, [run1, run2]);
  }, 30_000);

  it('when a killed writer also left a torn record at the end of the journal, then every acknowledged write survives', async () => {
    const dataDir = makeDataDir();
    const acks = await runWriterAndKill(dataDir, 1);
    expect(appendToEveryFile(dataDir, Buffer.from([0x41, 0x00, 0x00, 0x00, 0x03, 0x7f]))).toBeGreaterThan(0);
    const reopened = await openInProcess(dataDir);
    await expectAllAcknowledged(reopened.client, [acks]);
  }, 30_000);

  describe('torn last record after a clean close', () => {
    it.each(TORN_TAILS)(
      'when the journal ends in $name, then the server starts, keeps all earlier writes and new writes survive the next restart',
      async ({ tail }) => {
        const dataDir = makeDataDir();
        const before = await openInProcess(dataDir);
        const coll = before.client
          .db('torn')
          .collection<{ _id: number; v: number; touched?: boolean }>('docs');
        await coll.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: i, v: i })));
        for (let i = 0; i < 50; i++) await coll.insertOne({ _id: 200 + i, v: 200 + i });
        await coll.updateMany({ _id: { $lt: 20 } }, { $set: { touched: true } });
        await coll.deleteOne({ _id: 199 });
        await closeInProcess(before);

        expect(appendToEveryFile(dataDir, tail)).toBeGreaterThan(0);

        const after = await openInProcess(dataDir);
        const docs = after.client
          .db('torn')
          .collection<{ _id: number; v: number; touched?: boolean }>('docs');
        expect(await docs.countDocuments({})).toBe(249);
        expect(await docs.countDocuments({ touched: true })).toBe(20);
        expect(await docs.findOne({ _id: 199 })).toBeNull();
        expect(await docs.findOne({ _id: 249 })).toEqual({ _id: 249, v: 249 });

        // Writes made after recovering from the torn tail must land where the next replay will read them,
        // not behind the garbage.
        await docs.insertMany(Array.from({ length: 25 }, (_, i) => ({ _id: 1000 + i, v: i })));
        await docs.updateOne({ _id: 0 }, { $set: { v: -1 } });
        await closeInProcess(after);

        const again = await openInProcess(dataDir);
        const final = again.client
          .db('torn')
          .collection<{ _id: number; v: number; touched?: boolean }>('docs');
        expect(await final.countDocuments({})).toBe(274);
        expect(await final.findOne({ _id: 0 })).toEqual({ _id: 0, v: -1, touched: true });
        expect(await final.findOne({ _id: 1024 })).toEqual({ _id: 1024, v: 24 });
        expect(await final.findOne({ _id: 199 })).toBeNull();
      },
    );
  });
});
