import type { CursorRegistry } from './cursors.js';
import { commandError } from './errors.js';
import type { Storage } from './storage.js';
import { isPlainObject, numberKind, toNumber } from './values.js';
import type { Doc } from './values.js';

/** What a handler can see of the server and of the connection the command came on. */
export interface CommandContext {
  readonly storage: Storage;
  readonly cursors: CursorRegistry;
  readonly connectionId: number;
  readonly remote: string;
  readonly startedAt: number;
  readonly connections: () => number;
}

/** One command's implementation: its document and database in, the reply document out (or a thrown CommandError). */
export type Handler = (cmd: Doc, db: string, ctx: CommandContext) => Doc;

/** An optional sub-document argument (`filter`, `sort`, `let`, …): TypeMismatch when it is not a document. */
export function optionalDocument(cmd: Doc, field: string): Doc | undefined {
  const value: unknown = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw commandError('TypeMismatch', `'${field}' must be an object`);
  return value;
}

/** An optional numeric argument (`skip`, `limit`, `batchSize`, …) of any BSON number type, as a JS number. */
export function optionalNumber(cmd: Doc, field: string): number | undefined {
  const value: unknown = cmd[field];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'bigint' ? Number(value) : numberKind(value) ? toNumber(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw commandError('TypeMismatch', `'${field}' must be a number`);
  return n;
}

/** The collection a command names in its field `name`; InvalidNamespace when it is not a string. */
export function collectionName(cmd: Doc, name: string): string {
  const value: unknown = cmd[name];
  if (typeof value !== 'string')
    throw commandError('InvalidNamespace', `collection name has invalid type ${typeof value}`);
  return value;
}

/** Opens a cursor on `docs` and answers with its first batch, as every cursor-returning command does. */
export function cursorReply(
  ctx: CommandContext,
  ns: string,
  docs: Doc[],
  batchSize: number | undefined,
  singleBatch = false,
): Doc {
  const { batch, id } = ctx.cursors.open(ns, docs, batchSize, singleBatch);
  return { cursor: { firstBatch: batch, id, ns }, ok: 1 };
}
