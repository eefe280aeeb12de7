import { Long } from 'bson';
import { commandError } from './errors.js';
import { collectionName, cursorReply, optionalDocument, optionalNumber } from './handler.js';
import type { Handler } from './handler.js';
import { checkConcerns, checkFields, checkHint } from './options.js';
import { project, scopeOf, select } from './query.js';
import { validateNamespace } from './storage.js';
import { keyString, pathValues } from './values.js';

/** Commands that read documents without changing them: find and its cursors, count and distinct. */
export const readCommands: Record<string, Handler> = {
  find: (cmd, db, ctx) => {
    const name = collectionName(cmd, 'find');
    validateNamespace(db, name);
    checkFields(
      cmd,
      'find',
      [
        'find',
        'filter',
        'sort',
        'projection',
        'hint',
        'skip',
        'limit',
        'batchSize',
        'singleBatch',
        'collation',
        'let',
        'noCursorTimeout',
        'allowPartialResults',
        'allowDiskUse',
        'oplogReplay',
        'tailable',
        'awaitData',
        'readOnce',
      ],
      ['min', 'max', 'returnKey', 'showRecordId', 'term', 'maxScan', 'snapshot', 'ntoreturn'],
    );
    checkConcerns(cmd);
    if (cmd.tailable === true)
      throw commandError('BadValue', 'tailable cursors are not supported by the embedded server');
    const coll = ctx.storage.getCollection(db, name);
    checkHint(cmd.hint, coll);
    const skip = optionalNumber(cmd, 'skip') ?? 0;
    let limit = optionalNumber(cmd, 'limit') ?? 0;
    let singleBatch = cmd.singleBatch === true;
    if (skip < 0) throw commandError('BadValue', 'skip value must be non-negative');
    if (limit < 0) {
      limit = -limit;
      singleBatch = true;
    }
    const batchSize = optionalNumber(cmd, 'batchSize');
    if (batchSize !== undefined && batchSize < 0)
      throw commandError('BadValue', 'batchSize value must be non-negative');
    let docs = select(
      coll,
      optionalDocument(cmd, 'filter'),
      optionalDocument(cmd, 'sort'),
      scopeOf(cmd, ctx, db),
    );
    if (skip > 0 || limit > 0) docs = docs.slice(skip, limit > 0 ? skip + limit : undefined);
    docs = project(docs, optionalDocument(cmd, 'projection'));
    return cursorReply(ctx, `${db}.${name}`, docs, batchSize, singleBatch);
  },

  getMore: (cmd, db, ctx) => {
    const id = cursorId(cmd.getMore);
    if (id === undefined) throw commandError('TypeMismatch', "Field 'getMore' must be of type long");
    const ns = `${db}.${collectionName(cmd, 'collection')}`;
    const { batch, id: next } = ctx.cursors.getMore(id, ns, optionalNumber(cmd, 'batchSize'));
    return { cursor: { nextBatch: batch, id: next, ns }, ok: 1 };
  },

  killCursors: (cmd, _db, ctx) => {
    const ids: unknown = cmd.cursors;
    if (!Array.isArray(ids)) throw commandError('TypeMismatch', "Field 'cursors' must be an array");
    const cursorsKilled: bigint[] = [];
    const cursorsNotFound: bigint[] = [];
    for (const raw of ids as unknown[]) {
      const id = cursorId(raw) ?? -1n;
      (ctx.cursors.kill(id) ? cursorsKilled : cursorsNotFound).push(id);
    }
    return { cursorsKilled, cursorsNotFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  },

  count: (cmd, db, ctx) => {
    const name = collectionName(cmd, 'count');
    checkFields(cmd, 'count', ['count', 'query', 'limit', 'skip', 'hint', 'collation']);
    checkConcerns(cmd);
    const coll = ctx.storage.getCollection(db, name);
    checkHint(cmd.hint, coll);
    const scope = scopeOf(cmd, ctx, db);
    const query = optionalDocument(cmd, 'query');
    const skip = optionalNumber(cmd, 'skip') ?? 0;
    const limit = Math.abs(optionalNumber(cmd, 'limit') ?? 0);
    let n =
      !query || Object.keys(query).length === 0
        ? (coll?.docs.size ?? 0)
        : select(coll, query, undefined, scope).length;
    n = Math.max(0, n - skip);
    if (limit > 0) n = Math.min(n, limit);
    return { n, ok: 1 };
  },

  distinct: (cmd, db, ctx) => {
    const name = collectionName(cmd, 'distinct');
    checkFields(cmd, 'distinct', ['distinct', 'key', 'query', 'collation', 'hint']);
    checkConcerns(cmd);
    const key: unknown = cmd.key;
    if (typeof key !== 'string') throw commandError('TypeMismatch', "'key' must be a string");
    const coll = ctx.storage.getCollection(db, name);
    checkHint(cmd.hint, coll);
    const scope = scopeOf(cmd, ctx, db);
    if (scope.collation?.strength === 2) {
      // Distinct values would have to be folded by the collation; refused rather than answered binary.
      throw commandError(
        'InvalidOptions',
        'distinct under a case-insensitive collation is not supported by the embedded server',
      );
    }
    const docs = select(coll, optionalDocument(cmd, 'query'), undefined, scope);
    const seen = new Map<string, unknown>();
    for (const doc of docs) {
      for (const value of pathValues(doc, key)) {
        if (value === undefined) continue;
        const k = keyString(value);
        if (!seen.has(k)) seen.set(k, value);
      }
    }
    return { values: Array.from(seen.values()), ok: 1 };
  },
};

/** Cursor ids travel as int64: a number when small, a `Long` when not. */
function cursorId(raw: unknown): bigint | undefined {
  if (typeof raw === 'bigint') return raw;
  if (typeof raw === 'number' && Number.isInteger(raw)) return BigInt(raw);
  if (raw instanceof Long) return BigInt(raw.toString());
  return undefined;
}
