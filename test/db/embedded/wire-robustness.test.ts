/**
 * Bad input on the wire: whatever one socket sends, the embedded server must stay up for everyone else,
 * and the offending connection is either closed or answered with an error reply.
 *
 * Frames are built by hand with node:net so the server sees exactly the bytes we choose. The first two
 * tests prove the hand-built framing is good (a well-formed OP_MSG ping and a legacy OP_QUERY isMaster are
 * answered), so a failure in the attack tests is about the attack, not about our framing.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer } from '../../../src/db/embedded/index.js';
import type { EmbeddedServer } from '../../../src/db/embedded/index.js';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_COMPRESSED = 2012;
const OP_MSG = 2013;
const HEADER_BYTES = 16;
/** mongod's maxMessageSizeBytes, which the embedded server advertises too. */
const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
/** How long a socket may take to be closed or answered before we call the server unresponsive. */
const OUTCOME_TIMEOUT_MS = 3_000;

// ---------------------------------------------------------------------------------------------------------
// Frame building
// ---------------------------------------------------------------------------------------------------------

let nextRequestId = 1000;
function newRequestId(): number {
  nextRequestId += 1;
  return nextRequestId;
}

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(value, 0);
  return b;
}

function cstring(value: string): Buffer {
  return Buffer.concat([Buffer.from(value, 'utf8'), Buffer.from([0])]);
}

function header(messageLength: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.writeInt32LE(messageLength, 0);
  b.writeInt32LE(requestId, 4);
  b.writeInt32LE(responseTo, 8);
  b.writeInt32LE(opCode, 12);
  return b;
}

/** A complete frame whose declared length matches the bytes actually sent. */
function frame(opCode: number, body: Buffer, requestId: number): Buffer {
  return Buffer.concat([header(HEADER_BYTES + body.length, requestId, 0, opCode), body]);
}

function kind0(doc: Document): Buffer {
  return Buffer.concat([Buffer.from([0]), serialize(doc)]);
}

function kind1(identifier: string, docs: Document[]): Buffer {
  const payload = Buffer.concat([cstring(identifier), ...docs.map((d) => serialize(d))]);
  return Buffer.concat([Buffer.from([1]), int32(4 + payload.length), payload]);
}

function opMsg(sections: Buffer[], requestId: number, flagBits = 0): Buffer {
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(flagBits, 0);
  return frame(OP_MSG, Buffer.concat([flags, ...sections]), requestId);
}

function opQuery(fullCollectionName: string, query: Document, requestId: number): Buffer {
  const body = Buffer.concat([
    int32(0), // flags
    cstring(fullCollectionName),
    int32(0), // numberToSkip
    int32(-1), // numberToReturn
    serialize(query),
  ]);
  return frame(OP_QUERY, body, requestId);
}

// ---------------------------------------------------------------------------------------------------------
// Reply parsing
// ---------------------------------------------------------------------------------------------------------

interface WireReply {
  readonly messageLength: number;
  readonly requestId: number;
  readonly responseTo: number;
  readonly opCode: number;
  /** Everything after the 16-byte header. */
  readonly body: Buffer;
}

/** The command reply document of an OP_MSG (first section, kind 0) or OP_REPLY (first document). */
function replyDocument(reply: WireReply): Document {
  if (reply.opCode === OP_MSG) {
    expect(reply.body.length).toBeGreaterThan(5);
    expect(reply.body[4], 'first OP_MSG reply section is kind 0').toBe(0);
    return deserialize(reply.body.subarray(5, 5 + reply.body.readInt32LE(5)));
  }
  if (reply.opCode === OP_REPLY) {
    const numberReturned = reply.body.readInt32LE(16);
    expect(numberReturned).toBeGreaterThanOrEqual(1);
    return deserialize(reply.body.subarray(20, 20 + reply.body.readInt32LE(20)));
  }
  throw new Error(`reply has unexpected opCode ${reply.opCode}`);
}

/** A raw client socket that collects complete reply frames and notices when the server closes it. */
class RawConnection {
  readonly replies: WireReply[] = [];
  closed = false;
  private buffered: Buffer = Buffer.alloc(0);
  private listeners: Array<() => void> = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4) {
        const length = this.buffered.readInt32LE(0);
        if (length < HEADER_BYTES || this.buffered.length < length) break;
        const f = this.buffered.subarray(0, length);
        this.replies.push({
          messageLength: length,
          requestId: f.readInt32LE(4),
          responseTo: f.readInt32LE(8),
          opCode: f.readInt32LE(12),
          body: Buffer.from(f.subarray(HEADER_BYTES)),
        });
        this.buffered = this.buffered.subarray(length);
      }
      this.notify();
    });
    // ECONNRESET / EPIPE are legitimate outcomes of an attack; 'close' follows them.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.setNoDelay(true);
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) {
        resolve();
        return;
      }
      // The server may already have closed the socket: a write error is not a test failure by itself.
      this.socket.write(bytes, () => resolve());
    });
  }

  /** Half-closes our side: no more bytes will come. */
  end(): void {
    this.socket.end();
  }

  reset(): void {
    this.socket.resetAndDestroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Resolves true as soon as `condition` holds, false after `timeoutMs`. */
  waitUntil(condition: () => boolean, timeoutMs = OUTCOME_TIMEOUT_MS): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (condition()) {
          cleanup();
          resolve(true);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(condition());
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
      };
      this.listeners.push(check);
    });
  }

  /** Sends a request and waits for the reply with the matching responseTo. */
  async request(bytes: Buffer, requestId: number): Promise<WireReply> {
    await this.write(bytes);
    const answered = await this.waitUntil(() => this.replyTo(requestId) !== undefined || this.closed);
    const reply = this.replyTo(requestId);
    if (!answered || reply === undefined) {
      throw new Error(`no reply to request ${requestId} (closed: ${String(this.closed)})`);
    }
    return reply;
  }

  replyTo(requestId: number): WireReply | undefined {
    return this.replies.find((r) => r.responseTo === requestId);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/**
 * After an attack, the socket must end up closed by the server, or answered with an error reply.
 * Any reply that does arrive must be an error addressed to our request, never a success.
 */
async function expectClosedOrErrorReply(conn: RawConnection, requestId: number): Promise<void> {
  const settled = await conn.waitUntil(() => conn.closed || conn.replies.length > 0);
  expect(settled, 'server neither closed the connection nor replied').toBe(true);
  for (const reply of conn.replies) {
    expect(reply.responseTo).toBe(requestId);
    expect([OP_MSG, OP_REPLY]).toContain(reply.opCode);
    const doc = replyDocument(reply);
    expect(doc.ok, `server answered bad input with success: ${JSON.stringify(doc)}`).toBe(0);
    expect(typeof doc.errmsg).toBe('string');
  }
}

/** For framing errors the stream cannot be resynchronised, so the server must close the socket. */
async function expectClosed(conn: RawConnection, requestId: number): Promise<void> {
  const closed = await conn.waitUntil(() => conn.closed);
  expect(closed, 'server did not close the connection').toBe(true);
  // A courtesy error reply before closing is fine; a success reply is not.
  for (const reply of conn.replies) {
    expect(reply.responseTo).toBe(requestId);
    expect(replyDocument(reply).ok).toBe(0);
  }
}

/** Rejects with a plain Error if `promise` has not settled after `ms`: a stuck or crashed server fails fast. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------

describe('embedded server wire robustness', () => {
  let server: EmbeddedServer;
  let client: MongoClient;
  let opened: RawConnection[] = [];
  let probe = 0;

  async function raw(): Promise<RawConnection> {
    const conn = await RawConnection.open(server.port);
    opened.push(conn);
    return conn;
  }

  /** The bystander client, connected before any attack, still works: ping, insert, find. */
  async function expectBystanderHealthy(): Promise<void> {
    const db = client.db('wire_robustness');
    await expect(db.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    probe += 1;
    const marker = `probe-${probe}-${randomBytes(4).toString('hex')}`;
    await db.collection('probes').insertOne({ _id: marker as never, probe });
    await expect(db.collection('probes').findOne({ _id: marker as never })).resolves.toEqual({
      _id: marker,
      probe,
    });
    // New connections are still accepted and answered too.
    const fresh = await raw();
    const id = newRequestId();
    const reply = await fresh.request(opMsg([kind0({ ping: 1, $db: 'admin' })], id), id);
    expect(replyDocument(reply).ok).toBe(1);
  }

  beforeAll(async () => {
    server = await startEmbeddedServer({ host: '127.0.0.1', port: 0 });
    client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5_000, maxPoolSize: 4 });
    await client.connect();
    await client.db('wire_robustness').command({ ping: 1 });
  });

  afterAll(async () => {
    for (const conn of opened) conn.destroy();
    opened = [];
    await client?.close();
    await server?.close();
  });

  describe('well-formed hand-built frames (control)', () => {
    it('when a hand-built OP_MSG ping is sent, then an OP_MSG reply with ok: 1 answers it', async () => {
      const conn = await raw();
      const id = newRequestId();
      const reply = await conn.request(opMsg([kind0({ ping: 1, $db: 'admin' })], id), id);
      expect(reply.opCode).toBe(OP_MSG);
      expect(reply.responseTo).toBe(id);
      expect(reply.messageLength).toBe(HEADER_BYTES + reply.body.length);
      expect(replyDocument(reply)).toMatchObject({ ok: 1 });
      expect(conn.closed).toBe(false);
    });

    it('when a legacy OP_QUERY isMaster is sent to admin.$cmd, then an OP_REPLY with ismaster: true answers it', async () => {
      const conn = await raw();
      const id = newRequestId();
      const reply = await conn.request(opQuery('admin.$cmd', { isMaster: 1 }, id), id);
      expect(reply.opCode).toBe(OP_REPLY);
      expect(reply.responseTo).toBe(id);
      expect(reply.body.readInt32LE(12), 'startingFrom').toBe(0);
      expect(reply.body.readInt32LE(16), 'numberReturned').toBe(1);
      expect(reply.body.readBigInt64LE(4), 'cursorID').toBe(0n);
      const doc = replyDocument(reply);
      expect(doc.ismaster).toBe(true);
      expect(doc.ok).toBe(1);
      expect(doc.maxMessageSizeBytes).toBe(MAX_MESSAGE_SIZE_BYTES);

      // The driver does exactly this: legacy handshake, then OP_MSG on the same socket.
      const next = newRequestId();
      const ping = await conn.request(opMsg([kind0({ ping: 1, $db: 'admin' })], next), next);
      expect(replyDocument(ping).ok).toBe(1);
    });

    it('when an OP_MSG carries its documents in a kind-1 section, then they are inserted', async () => {
      const conn = await raw();
      const id = newRequestId();
      const reply = await conn.request(
        opMsg(
          [
            kind0({ insert: 'kind1', $db: 'wire_robustness' }),
            kind1('documents', [{ _id: 'k1-a' }, { _id: 'k1-b' }]),
          ],
          id,
        ),
        id,
      );
      expect(replyDocument(reply)).toMatchObject({ ok: 1, n: 2 });
      const docs = await client.db('wire_robustness').collection('kind1').find().sort({ _id: 1 }).toArray();
      expect(docs).toEqual([{ _id: 'k1-a' }, { _id: 'k1-b' }]);
    });

    it('when a message arrives one byte per write, then it is still answered', async () => {
      const conn = await raw();
      const id = newRequestId();
      const bytes = opMsg([kind0({ ping: 1, $db: 'admin' })], id);
      for (const byte of bytes) await conn.write(Buffer.from([byte]));
      await conn.waitUntil(() => conn.replyTo(id) !== undefined || conn.closed);
      const reply = conn.replyTo(id);
      expect(reply).toBeDefined();
      if (reply) expect(replyDocument(reply).ok).toBe(1);
    });

    it('when two messages arrive in one write, then both are answered in order', async () => {
      const conn = await raw();
      const a = newRequestId();
      const b = newRequestId();
      await conn.write(
        Buffer.concat([
          opMsg([kind0({ ping: 1, $db: 'admin' })], a),
          opMsg([kind0({ buildInfo: 1, $db: 'admin' })], b),
        ]),
      );
      await conn.waitUntil(() => conn.replies.length >= 2 || conn.closed);
      expect(conn.replies.map((r) => r.responseTo)).toEqual([a, b]);
      for (const reply of conn.replies) expect(replyDocument(reply).ok).toBe(1);
    });
  });

  describe('framing attacks', () => {
    it('when random garbage with a nonsense length prefix is sent, then that socket is closed and others keep working', async () => {
      // Random bytes whose leading int32 is not a plausible message length (< 16 or > 48 MB), so the server
      // cannot be legitimately waiting for more bytes; re-rolled in the ~1 % of cases where it is plausible.
      let garbage = randomBytes(512);
      while (garbage.readInt32LE(0) >= HEADER_BYTES && garbage.readInt32LE(0) <= MAX_MESSAGE_SIZE_BYTES) {
        garbage = randomBytes(512);
      }
      const conn = await raw();
      await conn.write(garbage);
      await expectClosed(conn, garbage.readInt32LE(4));
      await expectBystanderHealthy();
    });

    it('when random garbage is framed as a complete message with an unknown opcode, then that socket is closed or gets an error reply', async () => {
      const body = randomBytes(300);
      let opCode = body.readInt32LE(0);
      while ([OP_REPLY, OP_QUERY, OP_COMPRESSED, OP_MSG, 2001, 2002, 2005, 2006, 2007].includes(opCode)) {
        opCode = randomBytes(4).readInt32LE(0);
      }
      const id = newRequestId();
      const conn = await raw();
      await conn.write(frame(opCode, body, id));
      await expectClosedOrErrorReply(conn, id);
      await expectBystanderHealthy();
    });

    it('when the header declares a length smaller than 16, then that socket is closed and others keep working', async () => {
      const conn = await raw();
      const id = newRequestId();
      // A full 16-byte header (plus a few bytes) whose messageLength field says 8.
      await conn.write(Buffer.concat([header(8, id, 0, OP_MSG), Buffer.alloc(8)]));
      await expectClosed(conn, id);
      await expectBystanderHealthy();
    });

    it('when the header declares a zero or negative length, then that socket is closed', async () => {
      for (const length of [0, -1, -2_147_483_648]) {
        const conn = await raw();
        const id = newRequestId();
        await conn.write(header(length, id, 0, OP_MSG));
        await expectClosed(conn, id);
      }
      await expectBystanderHealthy();
    });

    it('when a frame is truncated and the client hangs up, then the server closes it without replying', async () => {
      const conn = await raw();
      const id = newRequestId();
      const partial = Buffer.concat([header(1000, id, 0, OP_MSG), Buffer.alloc(100 - HEADER_BYTES, 0x41)]);
      expect(partial.length).toBe(100);
      await conn.write(partial);
      conn.end();
      const closed = await conn.waitUntil(() => conn.closed);
      expect(closed, 'server kept a half-closed, truncated connection open').toBe(true);
      expect(conn.replies).toEqual([]);
      await expectBystanderHealthy();
    });

    it('when a client resets the connection mid-frame, then the server stays up', async () => {
      for (let i = 0; i < 5; i++) {
        const conn = await raw();
        await conn.write(Buffer.concat([header(500, newRequestId(), 0, OP_MSG), Buffer.alloc(40)]));
        conn.reset();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expectBystanderHealthy();
    });

    it('when the header declares 64 MiB (above maxMessageSizeBytes), then the socket is closed at once without buffering it', async () => {
      const declared = 64 * 1024 * 1024;
      expect(declared).toBeGreaterThan(MAX_MESSAGE_SIZE_BYTES);
      const conn = await raw();
      const id = newRequestId();
      const before = process.memoryUsage().arrayBuffers;
      const started = Date.now();
      // Only the header; our side stays open, so a server waiting for the body would never close it.
      await conn.write(header(declared, id, 0, OP_MSG));
      await expectClosed(conn, id);
      expect(Date.now() - started).toBeLessThan(OUTCOME_TIMEOUT_MS);
      // The server runs in this process: allocating a buffer for the declared size would show up here.
      const grown = process.memoryUsage().arrayBuffers - before;
      expect(grown, `arrayBuffers grew by ${grown} bytes`).toBeLessThan(32 * 1024 * 1024);
      await expectBystanderHealthy();
    });

    it('when the header declares just over maxMessageSizeBytes, then the socket is closed', async () => {
      const conn = await raw();
      const id = newRequestId();
      await conn.write(header(MAX_MESSAGE_SIZE_BYTES + 1, id, 0, OP_MSG));
      await expectClosed(conn, id);
      await expectBystanderHealthy();
    });
  });

  describe('message-body attacks', () => {
    it('when a well-formed header carries unknown opcode 9999, then that socket is closed or gets an error reply', async () => {
      const conn = await raw();
      const id = newRequestId();
      await conn.write(frame(9999, Buffer.concat([int32(0), kind0({ ping: 1, $db: 'admin' })]), id));
      await expectClosedOrErrorReply(conn, id);
      await expectBystanderHealthy();
    });

    it('when an OP_MSG body section holds invalid BSON, then it gets an ok: 0 reply or is closed', async () => {
      // A 12-byte document: a string element "a" whose declared length (1000) runs past the document.
      const badDoc = Buffer.from([0x0c, 0, 0, 0, 0x02, 0x61, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x00]);
      expect(() => deserialize(badDoc)).toThrow();
      const conn = await raw();
      const id = newRequestId();
      await conn.write(opMsg([Buffer.concat([Buffer.from([0]), badDoc])], id));
      await expectClosedOrErrorReply(conn, id);
      await expectBystanderHealthy();
    });

    it('when an OP_MSG body document uses an unknown BSON element type, then it gets an ok: 0 reply or is closed', async () => {
      // { <type 0x7e> "a": ... } — 0x7e is not a BSON type.
      const badDoc = Buffer.from([0x0c, 0, 0, 0, 0x7e, 0x61, 0x00, 1, 2, 3, 4, 0x00]);
      const conn = await raw();
      const id = newRequestId();
      await conn.write(opMsg([Buffer.concat([Buffer.from([0]), badDoc])], id));
      await expectClosedOrErrorReply(conn, id);
      await expectBystanderHealthy();
    });

    it('when an OP_MSG body document declares more bytes than the message holds, then it gets an ok: 0 reply or is closed', async () => {
      const doc = Buffer.from(serialize({ ping: 1, $db: 'admin' }));
      doc.writeInt32LE(doc.length + 200, 0);
      const conn = await raw();
      const id = newRequestId();
      await conn.write(opMsg([Buffer.concat([Buffer.from([0]), doc])], id));
      await expectClosedOrErrorReply(conn, id);
      await expectBystanderHealthy();
    });

    it('when an OP_MSG has no sections at all, then it gets an ok: 0 reply or is closed', async () => {
      const conn = await raw();
      const id = newRequestId();
      await conn.write(opMsg([], id));
      await expectClosedOrErrorReply(conn, id);
      await expectBystanderHealthy();
    });

    it('when an OP_MSG has an unknown section kind, then it gets an ok: 0 reply or is closed', async () => {
      const conn = await raw();
      const id = newRequestId();
      const bogusSection = Buffer.concat([Buffer.from([5]), serialize({ ping: 1, $db: 'admin' })]);
      await conn.write(opMsg([kind0({ ping: 1, $db: 'admin' }), bogusSection], id));
      await expectClosedOrErrorReply(conn, id);
      await expectBystanderHealthy();
    });

    it('when an OP_MSG kind-1 section declares a size past the end of the message, then it gets an ok: 0 reply or is closed', async () => {
      const conn = await raw();
      const id = newRequestId();
      const section = kind1('documents', [{ _id: 'never-inserted' }]);
      section.writeInt32LE(section.length + 500, 1);
      await conn.write(opMsg([kind0({ insert: 'never', $db: 'wire_robustness' }), section], id));
      await expectClosedOrErrorReply(conn, id);
      await expect(client.db('wire_robustness').collection('never').countDocuments({})).resolves.toBe(0);
      await expectBystanderHealthy();
    });

    it('when an OP_MSG sets required unknown flag bits, then it gets an ok: 0 reply or is closed', async () => {
      // Bits 0-15 are "required": a receiver must reject a message with an unknown one set (bit 5 here).
      const conn = await raw();
      const id = newRequestId();
      await conn.write(opMsg([kind0({ ping: 1, $db: 'admin' })], id, 1 << 5));
      await expectClosedOrErrorReply(conn, id);
      await expectBystanderHealthy();
    });

    it('when an OP_MSG is an unknown command, then it gets ok: 0 and the same socket keeps working', async () => {
      const conn = await raw();
      const id = newRequestId();
      const reply = await conn.request(opMsg([kind0({ noSuchCommandXyz: 1, $db: 'admin' })], id), id);
      expect(replyDocument(reply)).toMatchObject({ ok: 0 });
      const next = newRequestId();
      const ping = await conn.request(opMsg([kind0({ ping: 1, $db: 'admin' })], next), next);
      expect(replyDocument(ping).ok).toBe(1);
    });
  });

  describe('oversized documents (16 MiB BSON limit)', () => {
    const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
    // A separate client, so a connection the driver gives up on is not the bystander's.
    let big: MongoClient;

    beforeAll(async () => {
      big = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5_000 });
      await big.connect();
    });

    afterAll(async () => {
      await big?.close();
    });

    it('when an aggregation builds a result document over 16 MiB, then the command fails and the server stays up', async () => {
      const coll = big.db('wire_robustness').collection<{ i: number; payload: string }>('bigagg');
      for (let i = 0; i < 20; i++) await coll.insertOne({ i, payload: 'y'.repeat(1_000_000) });
      // mongod: BSONObjectTooLarge (10334) rather than a 20 MB reply.
      await expect(
        within(
          coll.aggregate([{ $group: { _id: null, all: { $push: '$payload' } } }]).toArray(),
          5_000,
          'aggregate',
        ),
      ).rejects.toBeInstanceOf(MongoServerError);
      await expectBystanderHealthy();
    });

    it('when an update would grow a document past 16 MiB, then it is refused and the document is unchanged', async () => {
      const coll = big.db('wire_robustness').collection<{ _id: string; a?: string; b?: string }>('bigupdate');
      await coll.insertOne({ _id: 'grow' });
      await coll.updateOne({ _id: 'grow' }, { $set: { a: 'a'.repeat(9_000_000) } });
      // mongod: "Resulting document after update is larger than 16777216" (BSONObjectTooLarge).
      await expect(
        within(coll.updateOne({ _id: 'grow' }, { $set: { b: 'b'.repeat(9_000_000) } }), 5_000, 'updateOne'),
      ).rejects.toBeInstanceOf(MongoServerError);
      const doc = await within(coll.findOne({ _id: 'grow' }), 5_000, 'findOne');
      expect(doc?.a?.length).toBe(9_000_000);
      expect(doc?.b).toBeUndefined();
      await expectBystanderHealthy();
    });

    it('when a raw insert carries a document over 16 MiB, then it is refused and nothing is stored', async () => {
      const doc = { _id: 'too-big', payload: 'z'.repeat(MAX_BSON_OBJECT_SIZE + 1024) };
      const conn = await raw();
      const id = newRequestId();
      const reply = await conn.request(
        opMsg([kind0({ insert: 'bigraw', $db: 'wire_robustness' }), kind1('documents', [doc])], id),
        id,
      );
      const answer = replyDocument(reply);
      // mongod answers { ok: 1, n: 0, writeErrors: [{ code: 2, errmsg: 'object to insert too large…' }] }.
      const refused = answer.ok === 0 || (Array.isArray(answer.writeErrors) && answer.writeErrors.length > 0);
      expect(
        refused,
        `server stored a ${MAX_BSON_OBJECT_SIZE + 1024}-char document: ${JSON.stringify(answer)}`,
      ).toBe(true);
      await expect(
        within(client.db('wire_robustness').collection('bigraw').countDocuments({}), 5_000, 'countDocuments'),
      ).resolves.toBe(0);
      await expectBystanderHealthy();
    });
  });

  it('when many bad connections arrive at once, then the bystander client stays healthy throughout', async () => {
    const attacks: Array<() => Buffer> = [
      () => randomBytes(64),
      () => header(4, newRequestId(), 0, OP_MSG),
      () => header(64 * 1024 * 1024, newRequestId(), 0, OP_MSG),
      () => frame(9999, randomBytes(32), newRequestId()),
      () => opMsg([Buffer.from([9, 1, 2, 3, 4])], newRequestId()),
    ];
    const work = (async () => {
      const coll = client.db('wire_robustness').collection('storm');
      for (let i = 0; i < 50; i++) await coll.insertOne({ i });
    })();
    const conns = await Promise.all(Array.from({ length: 25 }, () => raw()));
    await Promise.all(conns.map((conn, i) => conn.write((attacks[i % attacks.length] ?? attacks[0]!)())));
    await work;
    await expect(client.db('wire_robustness').collection('storm').countDocuments({})).resolves.toBe(50);
    await expectBystanderHealthy();
  });
});
