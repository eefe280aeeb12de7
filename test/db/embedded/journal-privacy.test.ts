/**
 * Privacy of the embedded server's files: an erased or overwritten value leaves every file of the data
 * directory within a bounded time (compaction after deletes, not only at start-up), the data that remains
 * survives a restart, and the directory and its files are owner-only. Embedded-server specific: a real
 * MongoDB manages its own files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedServer } from '../../../src/db/embedded/index.js';
import type { EmbeddedServer } from '../../../src/db/embedded/index.js';
import { waitUntil } from './conformance-helpers.js';

const COMPACT_DELAY_MS = 50;
const tempDirs: string[] = [];
const servers: EmbeddedServer[] = [];
const clients: MongoClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => undefined);
  for (const server of servers.splice(0)) await server.close().catch(() => undefined);
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function makeDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polus-privacy-'));
  tempDirs.push(dir);
  return dir;
}

async function open(dataDir: string): Promise<{ server: EmbeddedServer; client: MongoClient }> {
  const server = await startEmbeddedServer({ port: 0, dataDir, compactDelayMs: COMPACT_DELAY_MS });
  servers.push(server);
  const client = new MongoClient(server.uri);
  clients.push(client);
  await client.connect();
  return { server, client };
}

async function closeAll(): Promise<void> {
  for (const client of clients.splice(0)) await client.close();
  for (const server of servers.splice(0)) await server.close();
}

/** Whether any file under `dir` holds `marker`, as the bytes the journal stores it as. */
function filesContain(dir: string, marker: string): boolean {
  const needle = Buffer.from(marker, 'utf8');
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .some((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name)).includes(needle));
}

describe('embedded journal: erased values leave the files', () => {
  it('when a document is deleted, then its marker leaves every file within the compaction delay and the rest survives a restart', async () => {
    const dir = makeDataDir();
    const { client } = await open(dir);
    const people = client.db('privacy').collection<{ _id: string; phone: string }>('people');
    await people.insertOne({ _id: 'keep', phone: 'KEEP-MARKER-4471' });
    await people.insertOne({ _id: 'gone', phone: 'ERASED-MARKER-9913' });
    expect(filesContain(dir, 'ERASED-MARKER-9913')).toBe(true);

    await people.deleteOne({ _id: 'gone' });

    await waitUntil(() => Promise.resolve(!filesContain(dir, 'ERASED-MARKER-9913')), {
      timeoutMs: 5_000,
      intervalMs: 20,
      what: 'the deleted marker to leave the data directory',
    });
    await closeAll();
    const reopened = await open(dir);
    const again = reopened.client.db('privacy').collection<{ _id: string; phone: string }>('people');
    expect(await again.find().toArray()).toEqual([{ _id: 'keep', phone: 'KEEP-MARKER-4471' }]);
    expect(filesContain(dir, 'ERASED-MARKER-9913')).toBe(false);
  });

  it('when a field is overwritten by an update, then the old value leaves every file and the new one survives a restart', async () => {
    const dir = makeDataDir();
    const { client } = await open(dir);
    const people = client.db('privacy').collection<{ _id: string; address: string }>('people');
    await people.insertOne({ _id: 'p1', address: 'OLD-ADDRESS-MARKER-51' });

    await people.updateOne({ _id: 'p1' }, { $set: { address: 'NEW-ADDRESS-MARKER-52' } });

    await waitUntil(() => Promise.resolve(!filesContain(dir, 'OLD-ADDRESS-MARKER-51')), {
      timeoutMs: 5_000,
      intervalMs: 20,
      what: 'the overwritten marker to leave the data directory',
    });
    await closeAll();
    const reopened = await open(dir);
    const again = reopened.client.db('privacy').collection<{ _id: string; address: string }>('people');
    expect(await again.findOne({ _id: 'p1' })).toEqual({ _id: 'p1', address: 'NEW-ADDRESS-MARKER-52' });
  });

  it('when a collection is dropped, then its documents leave every file', async () => {
    const dir = makeDataDir();
    const { client } = await open(dir);
    const notes = client.db('privacy').collection<{ note: string }>('notes');
    await notes.insertOne({ note: 'DROPPED-NOTE-MARKER-77' });

    await notes.drop();

    await waitUntil(() => Promise.resolve(!filesContain(dir, 'DROPPED-NOTE-MARKER-77')), {
      timeoutMs: 5_000,
      intervalMs: 20,
      what: 'the dropped marker to leave the data directory',
    });
  });
});

describe('embedded journal: owner-only files', () => {
  it('when the server starts on a new directory, then the directory is 0700 and its files 0600', async () => {
    const dir = path.join(makeDataDir(), 'fresh');
    const { client } = await open(dir);
    await client
      .db('privacy')
      .collection('people')
      .insertOne({ _id: 'x' as never, v: 1 });
    await client
      .db('privacy')
      .collection('people')
      .deleteOne({ _id: 'x' as never });

    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const files = fs.readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
  });

  it('when the directory and journal exist with looser modes, then start-up tightens them to 0700 and 0600', async () => {
    const dir = makeDataDir();
    const first = await open(dir);
    await first.client.db('privacy').collection('people').insertOne({ v: 1 });
    await closeAll();
    fs.chmodSync(dir, 0o755);
    for (const file of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, file), 0o644);
    fs.writeFileSync(path.join(dir, 'stray.tmp'), 'x', { mode: 0o644 });

    await open(dir);

    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of fs.readdirSync(dir))
      expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
  });
});
