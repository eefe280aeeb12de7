import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { serialize } from 'bson';
import type { EmbeddedLogger } from './types.js';
import type { JournalOp, Storage } from './storage.js';
import { decodeDocument } from './wire.js';

const JOURNAL_FILE = 'journal.bson';
const COMPACT_FILE = 'journal.compact.tmp';
const LOCK_FILE = 'LOCK';
/** Compact while running once the journal is this large and at least twice what a fresh snapshot wrote. */
const COMPACT_MIN_BYTES = 64 * 1024 * 1024;
/** Owner-only: the journal holds customers' personal data in clear. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Append-only journal: one record per change, `[uint32 length][uint32 crc32][BSON]`. A command's records
 * reach the OS in one write before its reply, so a killed process loses no acknowledged write; fsync runs
 * on an interval (like mongod's commitIntervalMs) and at close, for machine crashes.
 * At start the journal is replayed (stopping at a torn or corrupt tail, which is cut off) and compacted
 * into a snapshot of the live data.
 *
 * An overwritten or deleted value stays in the journal's older records until the journal is rewritten. So
 * that an erased value (a customer's number, address, note) leaves the files promptly, any write that leaves
 * such dead records behind (update, delete, drop, TTL expiry) schedules a compaction at most
 * `compactDelayMs` later. The directory is 0700 and every file 0600, also when they existed with looser modes.
 */
export class Journal {
  private fd: number;
  private bytes = 0;
  private snapshotBytes = 0;
  private dirty = false;
  private syncing = false;
  private readonly timer: NodeJS.Timeout;
  private compactTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly storage: Storage,
    private readonly logger: EmbeddedLogger | undefined,
    fsyncIntervalMs: number,
    private readonly compactDelayMs: number,
  ) {
    this.fd = -1;
    this.timer = setInterval(() => this.syncInBackground(), fsyncIntervalMs);
    this.timer.unref();
  }

  static open(
    dir: string,
    storage: Storage,
    logger: EmbeddedLogger | undefined,
    fsyncIntervalMs: number,
    compactDelayMs: number,
  ): Journal {
    fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    restrictModes(dir);
    acquireLock(dir);
    const journal = new Journal(dir, storage, logger, fsyncIntervalMs, compactDelayMs);
    try {
      const file = path.join(dir, JOURNAL_FILE);
      const started = Date.now();
      const { records, validBytes, totalBytes } = replay(file, storage);
      if (validBytes < totalBytes) {
        logger?.warn(
          { droppedBytes: totalBytes - validBytes },
          'embedded db: journal ended with an incomplete record (a write that was never acknowledged); it was discarded',
        );
      }
      journal.compact();
      logger?.info(
        { records, documents: storage.documentCount(), ms: Date.now() - started },
        'embedded db: journal replayed and compacted',
      );
    } catch (err) {
      journal.close();
      throw err;
    }
    return journal;
  }

  /** Writes records synchronously; returns once the OS has them. */
  append(ops: JournalOp[]): void {
    if (ops.length === 0 || this.closed) return;
    const frames = ops.map(encodeRecord);
    const buf = frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames);
    writeFully(this.fd, buf);
    this.bytes += buf.length;
    this.dirty = true;
    if (this.bytes > COMPACT_MIN_BYTES && this.bytes > 2 * this.snapshotBytes) this.compact();
    else if (this.storage.deadRecords > 0) this.scheduleCompaction();
  }

  /** Arms one compaction `compactDelayMs` from now, unless one is already armed. */
  private scheduleCompaction(): void {
    if (this.compactTimer || this.closed) return;
    this.compactTimer = setTimeout(() => {
      this.compactTimer = undefined;
      if (this.closed || this.storage.deadRecords === 0) return;
      try {
        this.compact();
      } catch (err) {
        this.logger?.error({ err: (err as Error).message }, 'embedded db: journal compaction failed');
        this.scheduleCompaction();
      }
    }, this.compactDelayMs);
    this.compactTimer.unref();
  }

  /** Rewrites the journal as a snapshot of the live data: write a new file, fsync, rename over the old one. */
  compact(): void {
    const tmp = path.join(this.dir, COMPACT_FILE);
    const fd = fs.openSync(tmp, 'w', FILE_MODE);
    let bytes = 0;
    fs.fchmodSync(fd, FILE_MODE);
    try {
      let chunk: Buffer[] = [];
      let chunkBytes = 0;
      for (const op of this.storage.snapshot()) {
        const frame = encodeRecord(op);
        chunk.push(frame);
        chunkBytes += frame.length;
        if (chunkBytes > 1 << 20) {
          writeFully(fd, Buffer.concat(chunk));
          bytes += chunkBytes;
          chunk = [];
          chunkBytes = 0;
        }
      }
      if (chunk.length > 0) writeFully(fd, Buffer.concat(chunk));
      bytes += chunkBytes;
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (this.fd >= 0) fs.closeSync(this.fd);
    fs.renameSync(tmp, path.join(this.dir, JOURNAL_FILE));
    syncDirectory(this.dir);
    this.fd = fs.openSync(path.join(this.dir, JOURNAL_FILE), 'a', FILE_MODE);
    this.bytes = bytes;
    this.snapshotBytes = bytes;
    this.dirty = false;
    this.storage.deadRecords = 0;
  }

  /** fsync off the event loop (libuv's thread pool): a slow disk must not stall every client. */
  private syncInBackground(): void {
    if (!this.dirty || this.closed || this.syncing) return;
    this.dirty = false;
    this.syncing = true;
    fs.fsync(this.fd, (err) => {
      this.syncing = false;
      if (err && !this.closed) {
        this.dirty = true;
        this.logger?.error({ err }, 'embedded db: journal fsync failed');
      }
    });
  }

  /** fsync now, on the calling thread (at close). */
  sync(): void {
    if (!this.dirty || this.closed) return;
    try {
      fs.fsyncSync(this.fd);
      this.dirty = false;
    } catch (err) {
      this.logger?.error({ err }, 'embedded db: journal fsync failed');
    }
  }

  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    clearTimeout(this.compactTimer);
    this.compactTimer = undefined;
    if (this.fd >= 0 && this.storage.deadRecords > 0) {
      try {
        this.compact();
      } catch (err) {
        this.logger?.error({ err: (err as Error).message }, 'embedded db: journal compaction failed');
      }
    }
    this.sync();
    this.closed = true;
    if (this.fd >= 0) fs.closeSync(this.fd);
    releaseLock(this.dir);
  }
}

function encodeRecord(op: JournalOp): Buffer {
  const body = serialize(op);
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32LE(body.length, 0);
  head.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([head, body]);
}

function writeFully(fd: number, buf: Buffer): void {
  let offset = 0;
  while (offset < buf.length) offset += fs.writeSync(fd, buf, offset, buf.length - offset);
}

/** Applies every intact record; stops at the first torn or corrupt one and cuts the file there. */
function replay(file: string, storage: Storage): { records: number; validBytes: number; totalBytes: number } {
  if (!fs.existsSync(file)) return { records: 0, validBytes: 0, totalBytes: 0 };
  const data = fs.readFileSync(file);
  let offset = 0;
  let records = 0;
  while (offset + 8 <= data.length) {
    const length = data.readUInt32LE(offset);
    const checksum = data.readUInt32LE(offset + 4);
    const end = offset + 8 + length;
    if (length < 5 || end > data.length) break;
    const body = data.subarray(offset + 8, end);
    if (crc32(body) !== checksum) break;
    let op: JournalOp;
    try {
      op = decodeDocument(body) as unknown as JournalOp;
    } catch {
      break;
    }
    storage.apply(op);
    records += 1;
    offset = end;
  }
  return { records, validBytes: offset, totalBytes: data.length };
}

/** The directory to 0700 and every file already in it to 0600 (an older run may have left 0755/0644). */
function restrictModes(dir: string): void {
  fs.chmodSync(dir, DIR_MODE);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) fs.chmodSync(path.join(dir, entry.name), FILE_MODE);
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some filesystems do not allow fsync on a directory; the rename is still atomic.
  }
}

/**
 * One process per data directory: two writers appending to one journal would interleave records.
 * A lock left by a process that no longer exists (killed) is taken over.
 */
function acquireLock(dir: string): void {
  const lock = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx', mode: FILE_MODE });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lock, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new Error(`data directory ${dir} is in use by process ${holder}`);
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new Error(`could not lock data directory ${dir}`);
}

function releaseLock(dir: string): void {
  fs.rmSync(path.join(dir, LOCK_FILE), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
