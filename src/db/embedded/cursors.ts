import { randomBytes } from 'node:crypto';
import { calculateObjectSize } from 'bson';
import { MINUTE_MS } from '../../core/time.js';
import { commandError } from './errors.js';
import type { Doc } from './values.js';

/** Room left in a 16 MiB reply for the envelope around a batch. */
const MAX_DOCUMENT_SIZE = 16 * 1024 * 1024;
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 16 * 1024;
/** mongod's default first batch size. */
export const DEFAULT_FIRST_BATCH = 101;
/** Idle cursors are closed after this long, like mongod's cursorTimeoutMillis. */
const CURSOR_TIMEOUT_MS = 10 * MINUTE_MS;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  position: number;
  lastUsed: number;
}

export interface Batch {
  batch: Doc[];
  id: bigint;
}

/** Server-side cursors: the matched documents, materialised once and handed out batch by batch. */
export class CursorRegistry {
  private readonly cursors = new Map<bigint, OpenCursor>();

  get size(): number {
    return this.cursors.size;
  }

  /** The first batch; a cursor stays open only when documents remain. */
  open(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Batch {
    const cursor: OpenCursor = { ns, docs, position: 0, lastUsed: Date.now() };
    const batch = takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    if (singleBatch || cursor.position >= docs.length) return { batch, id: 0n };
    const id = newCursorId(this.cursors);
    this.cursors.set(id, cursor);
    return { batch, id };
  }

  getMore(id: bigint, ns: string, batchSize: number | undefined): Batch {
    const cursor = this.cursors.get(id);
    if (!cursor || cursor.ns !== ns) throw commandError('CursorNotFound', `cursor id ${id} not found`);
    cursor.lastUsed = Date.now();
    const batch = takeBatch(cursor, batchSize && batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER);
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(id);
      return { batch, id: 0n };
    }
    return { batch, id };
  }

  kill(id: bigint): boolean {
    return this.cursors.delete(id);
  }

  /** Closes cursors nobody asked for in the last ten minutes. */
  sweep(now = Date.now()): void {
    for (const [id, cursor] of this.cursors)
      if (now - cursor.lastUsed > CURSOR_TIMEOUT_MS) this.cursors.delete(id);
  }
}

function takeBatch(cursor: OpenCursor, batchSize: number): Doc[] {
  const batch: Doc[] = [];
  let bytes = 0;
  while (cursor.position < cursor.docs.length && batch.length < batchSize) {
    const doc = cursor.docs[cursor.position] as Doc;
    const size = calculateObjectSize(doc);
    if (size > MAX_DOCUMENT_SIZE) {
      throw commandError(
        'BSONObjectTooLarge',
        `BSONObj size: ${size} is invalid. Size must be between 0 and ${MAX_DOCUMENT_SIZE}`,
      );
    }
    if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
    batch.push(doc);
    bytes += size;
    cursor.position += 1;
  }
  return batch;
}

function newCursorId(taken: Map<bigint, OpenCursor>): bigint {
  for (;;) {
    const id = randomBytes(8).readBigInt64LE(0) & 0x7fffffffffffffffn;
    if (id !== 0n && !taken.has(id)) return id;
  }
}
