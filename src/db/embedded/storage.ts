import { randomUUID } from 'node:crypto';
import { Binary, ObjectId, calculateObjectSize } from 'bson';
import { Query } from 'mingo';
import { commandError } from './errors.js';
import { equalityFields, isPlainObject, keyString, pathValues, hasPath, viewOf } from './values.js';
import type { Doc } from './values.js';

/** An index as `listIndexes` reports it; extra options given at creation are kept and reported back. */
export interface IndexSpec {
  [option: string]: unknown;
  v: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
}

/** A change to the data, as it is written to the journal and replayed from it. */
export type JournalOp =
  | { op: 'put'; db: string; coll: string; doc: Doc }
  | { op: 'del'; db: string; coll: string; id: unknown }
  | { op: 'createColl'; db: string; coll: string; options: Doc }
  | { op: 'dropColl'; db: string; coll: string }
  | { op: 'dropDb'; db: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string };

const ID_INDEX_NAME = '_id_';
const MAX_DOCUMENT_SIZE = 16 * 1024 * 1024;

/** An index's keys for one document: per leading-field prefix (1 field, 2 fields, … all), the key strings. */
export type IndexKeys = string[][];

/**
 * A secondary index: keys → ids of the documents holding them, kept for every prefix of its fields, so that
 * equality on the leading fields of a compound index is answered without a scan, as mongod's B-tree does.
 * Unique indexes refuse a second id per full key.
 */
export class Index {
  readonly fields: string[];
  private readonly levels: Array<Map<string, Set<string>>>;
  private readonly partial: Query | null;
  private readonly ordered: boolean;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.levels = this.fields.map(() => new Map<string, Set<string>>());
    this.partial = spec.partialFilterExpression ? new Query(viewOf(spec.partialFilterExpression)) : null;
    // Text, hashed and geo indexes are kept for listIndexes but do not answer equality lookups.
    this.ordered = Object.values(spec.key).every((d) => d === 1 || d === -1);
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** How many leading fields the equality values pin (0: this index cannot help). */
  servedPrefix(values: Map<string, unknown>): number {
    if (this.partial || !this.ordered) return 0;
    let k = 0;
    for (const field of this.fields) {
      if (!values.has(field)) break;
      const value = values.get(field);
      if (Array.isArray(value) || isPlainObject(value)) break;
      if ((value === null || value === undefined) && this.spec.sparse) break;
      k += 1;
    }
    return k;
  }

  /** Ids under the first `k` fields' values. */
  lookup(values: Map<string, unknown>, k: number): Set<string> | undefined {
    const key = JSON.stringify(this.fields.slice(0, k).map((f) => keyString(values.get(f))));
    return this.levels[k - 1]?.get(key);
  }

  /** The index keys of a document per prefix, or null when it is not in the index (sparse or partial). */
  keysOf(doc: Doc): IndexKeys | null {
    if (this.spec.sparse && !this.fields.some((f) => hasPath(doc, f))) return null;
    if (this.partial && !this.partial.test(viewOf(doc))) return null;
    const out: IndexKeys = [];
    let combos: string[][] = [[]];
    for (const field of this.fields) {
      const values = Array.from(new Set(pathValues(doc, field).map((v) => keyString(v))));
      combos = combos.flatMap((prefix) => values.map((v) => [...prefix, v]));
      out.push(Array.from(new Set(combos.map((parts) => JSON.stringify(parts)))));
    }
    return out;
  }

  /** The first full key another document already holds, if any. */
  conflict(keys: IndexKeys, id: string): string | undefined {
    if (!this.unique) return undefined;
    const full = this.levels[this.levels.length - 1] as Map<string, Set<string>>;
    return keys[keys.length - 1]?.find((key) => {
      const holders = full.get(key);
      return holders !== undefined && (holders.size > 1 || !holders.has(id));
    });
  }

  add(keys: IndexKeys, id: string): void {
    keys.forEach((levelKeys, level) => {
      const map = this.levels[level] as Map<string, Set<string>>;
      for (const key of levelKeys) {
        let holders = map.get(key);
        if (!holders) map.set(key, (holders = new Set()));
        holders.add(id);
      }
    });
  }

  remove(keys: IndexKeys, id: string): void {
    keys.forEach((levelKeys, level) => {
      const map = this.levels[level] as Map<string, Set<string>>;
      for (const key of levelKeys) {
        const holders = map.get(key);
        if (!holders) continue;
        holders.delete(id);
        if (holders.size === 0) map.delete(key);
      }
    });
  }
}

export class Collection {
  /** The `_id` index: id key → document. Map order is insertion order, MongoDB's natural order here. */
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>();
  readonly uuid = new Binary(Buffer.from(randomUUID().replace(/-/g, ''), 'hex'), Binary.SUBTYPE_UUID);

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Doc,
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  idSpec(): IndexSpec {
    return { v: 2, key: { _id: 1 }, name: ID_INDEX_NAME };
  }

  specs(): IndexSpec[] {
    return [this.idSpec(), ...Array.from(this.indexes.values(), (i) => i.spec)];
  }

  /**
   * Documents that may match the filter: one or a few through the `_id` or another index when the filter
   * pins every indexed field to a value, otherwise all of them. The caller still applies the filter.
   */
  candidates(filter: Doc): Iterable<Doc> {
    const id: unknown = filter._id;
    if (id !== undefined && !isPlainObject(id) && !(id instanceof RegExp) && !Array.isArray(id)) {
      const doc = this.docs.get(keyString(id));
      return doc ? [doc] : [];
    }
    const idCondition: Doc | undefined = isPlainObject(id) ? id : undefined;
    if (idCondition) {
      const ops = Object.keys(idCondition);
      const eq: unknown = idCondition.$eq;
      if (
        ops.length === 1 &&
        ops[0] === '$eq' &&
        !isPlainObject(eq) &&
        !Array.isArray(eq) &&
        !(eq instanceof RegExp)
      ) {
        const doc = this.docs.get(keyString(eq));
        return doc ? [doc] : [];
      }
      const list: unknown = idCondition.$in;
      if (ops.length === 1 && ops[0] === '$in' && Array.isArray(list)) {
        const ids: unknown[] = list;
        if (ids.every((v) => !isPlainObject(v) && !(v instanceof RegExp) && !Array.isArray(v))) {
          const seen = new Set<string>();
          const out: Doc[] = [];
          for (const v of ids) {
            const key = keyString(v);
            const doc = this.docs.get(key);
            if (doc && !seen.has(key)) {
              seen.add(key);
              out.push(doc);
            }
          }
          return out;
        }
      }
    }
    if (this.indexes.size > 0) {
      const values = equalityFields(filter);
      if (values.size > 0) {
        let best: Set<string> | undefined;
        let found = false;
        for (const index of this.indexes.values()) {
          const k = index.servedPrefix(values);
          if (k === 0) continue;
          const ids = index.lookup(values, k);
          found = true;
          if (!ids) return [];
          if (!best || ids.size < best.size) best = ids;
        }
        if (found && best) {
          const out: Doc[] = [];
          for (const key of best) {
            const doc = this.docs.get(key);
            if (doc) out.push(doc);
          }
          return out;
        }
      }
    }
    return this.docs.values();
  }

  /** Throws the real server's E11000 error when the document would break a unique index. */
  checkUnique(doc: Doc, idKey: string, isNew: boolean): Map<Index, IndexKeys | null> {
    if (isNew && this.docs.has(idKey))
      throw duplicateKeyError(this.ns, ID_INDEX_NAME, { _id: 1 }, { _id: doc._id });
    const keys = new Map<Index, IndexKeys | null>();
    for (const index of this.indexes.values()) {
      const indexKeys = index.keysOf(doc);
      keys.set(index, indexKeys);
      if (indexKeys && index.conflict(indexKeys, idKey) !== undefined) {
        const keyValue: Doc = {};
        for (const field of index.fields) keyValue[field] = pathValues(doc, field)[0] ?? null;
        throw duplicateKeyError(this.ns, index.spec.name, index.spec.key, keyValue);
      }
    }
    return keys;
  }

  /** Inserts or replaces a document after checking unique indexes; nothing changes when it throws. */
  put(doc: Doc, mode: 'insert' | 'replace'): void {
    const idKey = keyString(doc._id);
    const previous = this.docs.get(idKey);
    const keys = this.checkUnique(doc, idKey, mode === 'insert');
    if (previous) this.unindex(previous, idKey);
    for (const [index, indexKeys] of keys) if (indexKeys) index.add(indexKeys, idKey);
    this.docs.set(idKey, doc);
  }

  /** Replay path: the journal only holds states that were valid, so no checks are needed. */
  restore(doc: Doc): void {
    const idKey = keyString(doc._id);
    const previous = this.docs.get(idKey);
    if (previous) this.unindex(previous, idKey);
    for (const index of this.indexes.values()) {
      const indexKeys = index.keysOf(doc);
      if (indexKeys) index.add(indexKeys, idKey);
    }
    this.docs.set(idKey, doc);
  }

  remove(id: unknown): Doc | undefined {
    const idKey = keyString(id);
    const doc = this.docs.get(idKey);
    if (!doc) return undefined;
    this.unindex(doc, idKey);
    this.docs.delete(idKey);
    return doc;
  }

  private unindex(doc: Doc, idKey: string): void {
    for (const index of this.indexes.values()) {
      const keys = index.keysOf(doc);
      if (keys) index.remove(keys, idKey);
    }
  }

  /** Builds a new index over the existing documents; a unique index over duplicates is refused. */
  addIndex(spec: IndexSpec, checked: boolean): void {
    const index = new Index(spec);
    for (const [idKey, doc] of this.docs) {
      const keys = index.keysOf(doc);
      if (!keys) continue;
      if (checked && index.conflict(keys, idKey) !== undefined) {
        const keyValue: Doc = {};
        for (const field of index.fields) keyValue[field] = pathValues(doc, field)[0] ?? null;
        throw duplicateKeyError(this.ns, spec.name, spec.key, keyValue);
      }
      index.add(keys, idKey);
    }
    this.indexes.set(spec.name, index);
  }
}

function formatKeyValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (isPlainObject(value) || Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return keyString(value).slice(1);
}

export function duplicateKeyError(ns: string, indexName: string, keyPattern: Doc, keyValue: Doc) {
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${formatKeyValue(v)}`)
    .join(', ');
  return commandError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`,
    {
      keyPattern,
      keyValue,
    },
  );
}

/**
 * All databases in memory. Every change goes through methods here, which queue a journal record; the
 * server writes the queue to the journal after each command and before its reply.
 */
export class Storage {
  readonly databases = new Map<string, Map<string, Collection>>();
  private pending: JournalOp[] = [];
  private recording = true;
  /**
   * Journal records made dead (an overwritten or deleted document, a dropped collection or index) since the
   * journal was last rewritten; the journal compacts soon after this becomes non-zero, so erased values leave
   * the files.
   */
  deadRecords = 0;

  /** Takes the journal records queued since the last call. */
  drain(): JournalOp[] {
    const ops = this.pending;
    this.pending = [];
    return ops;
  }

  private record(op: JournalOp): void {
    if (this.recording) this.pending.push(op);
  }

  getCollection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** Implicit creation, as an insert or createIndexes into a missing collection does. */
  ensureCollection(db: string, name: string, options: Doc = {}): { coll: Collection; created: boolean } {
    validateNamespace(db, name);
    let colls = this.databases.get(db);
    if (!colls) this.databases.set(db, (colls = new Map<string, Collection>()));
    const existing = colls.get(name);
    if (existing) return { coll: existing, created: false };
    const coll = new Collection(db, name, options);
    colls.set(name, coll);
    this.record({ op: 'createColl', db, coll: name, options });
    return { coll, created: true };
  }

  dropCollection(db: string, name: string): Collection | undefined {
    const colls = this.databases.get(db);
    const coll = colls?.get(name);
    if (!colls || !coll) return undefined;
    colls.delete(name);
    if (colls.size === 0) this.databases.delete(db);
    this.record({ op: 'dropColl', db, coll: name });
    if (this.recording) this.deadRecords += 1 + coll.docs.size;
    return coll;
  }

  dropDatabase(db: string): void {
    if (!this.databases.delete(db)) return;
    this.record({ op: 'dropDb', db });
    if (this.recording) this.deadRecords += 1;
  }

  insert(coll: Collection, doc: Doc): void {
    const size = calculateObjectSize(doc);
    if (size > MAX_DOCUMENT_SIZE) {
      throw commandError(
        'BadValue',
        `object to insert too large. size in bytes: ${size}, max size: ${MAX_DOCUMENT_SIZE}`,
      );
    }
    coll.put(doc, 'insert');
    this.record({ op: 'put', db: coll.db, coll: coll.name, doc });
  }

  replace(coll: Collection, doc: Doc): void {
    if (calculateObjectSize(doc) > MAX_DOCUMENT_SIZE) {
      throw commandError(
        'DocumentTooLarge',
        `Resulting document after update is larger than ${MAX_DOCUMENT_SIZE}`,
      );
    }
    coll.put(doc, 'replace');
    this.record({ op: 'put', db: coll.db, coll: coll.name, doc });
    this.deadRecords += 1;
  }

  delete(coll: Collection, id: unknown): boolean {
    const removed = coll.remove(id);
    if (removed) {
      this.record({ op: 'del', db: coll.db, coll: coll.name, id });
      this.deadRecords += 1;
    }
    return removed !== undefined;
  }

  createIndex(coll: Collection, spec: IndexSpec): void {
    coll.addIndex(spec, true);
    this.record({ op: 'createIndex', db: coll.db, coll: coll.name, spec });
  }

  dropIndex(coll: Collection, name: string): void {
    if (!coll.indexes.delete(name)) return;
    this.record({ op: 'dropIndex', db: coll.db, coll: coll.name, name });
    this.deadRecords += 1;
  }

  /** Applies a journal record without recording it again (replay at start). */
  apply(op: JournalOp): void {
    this.recording = false;
    try {
      switch (op.op) {
        case 'put':
          this.ensureCollection(op.db, op.coll).coll.restore(op.doc);
          break;
        case 'del':
          this.getCollection(op.db, op.coll)?.remove(op.id);
          break;
        case 'createColl':
          this.ensureCollection(op.db, op.coll, op.options);
          break;
        case 'dropColl':
          this.dropCollection(op.db, op.coll);
          break;
        case 'dropDb':
          this.dropDatabase(op.db);
          break;
        case 'createIndex':
          this.ensureCollection(op.db, op.coll).coll.addIndex(op.spec, false);
          break;
        case 'dropIndex':
          this.getCollection(op.db, op.coll)?.indexes.delete(op.name);
          break;
      }
    } finally {
      this.recording = true;
    }
  }

  /** The whole state as journal records, for compaction. */
  *snapshot(): Generator<JournalOp> {
    for (const [db, colls] of this.databases) {
      for (const [name, coll] of colls) {
        yield { op: 'createColl', db, coll: name, options: coll.options };
        for (const index of coll.indexes.values())
          yield { op: 'createIndex', db, coll: name, spec: index.spec };
        for (const doc of coll.docs.values()) yield { op: 'put', db, coll: name, doc };
      }
    }
  }

  documentCount(): number {
    let n = 0;
    for (const colls of this.databases.values()) for (const coll of colls.values()) n += coll.docs.size;
    return n;
  }
}

export function validateNamespace(db: string, coll?: string): void {
  if (!db || /[/\\. "$\0]/.test(db) || db.length > 63) {
    throw commandError('InvalidNamespace', `Invalid database name: '${db}'`);
  }
  if (coll !== undefined && (!coll || coll.startsWith('.') || coll.includes('\0') || coll.includes('$'))) {
    throw commandError('InvalidNamespace', `Invalid collection name: ${coll}`);
  }
}
