import { commandError } from './errors.js';
import { collectionName, cursorReply, optionalDocument, optionalNumber } from './handler.js';
import type { Handler } from './handler.js';
import { parseCollation } from './options.js';
import type { IndexSpec } from './storage.js';
import { isPlainObject, keyString, numberKind, toNumber } from './values.js';
import type { Doc } from './values.js';

/** Secondary indexes: create (with mongod's conflict rules), list and drop. */
export const indexCommands: Record<string, Handler> = {
  createIndexes: (cmd, db, ctx) => {
    const name = collectionName(cmd, 'createIndexes');
    const indexes: unknown = cmd.indexes;
    if (!Array.isArray(indexes) || indexes.length === 0)
      throw commandError('BadValue', 'Must specify at least one index to create');
    const specs = (indexes as unknown[]).map(normaliseIndexSpec);
    const { coll, created } = ctx.storage.ensureCollection(db, name);
    const before = coll.indexes.size + 1;
    for (const spec of specs) {
      if (sameKey(spec.key, { _id: 1 })) continue;
      const existing = coll.indexes.get(spec.name);
      if (existing) {
        if (!sameKey(existing.spec.key, spec.key) || !sameOptions(existing.spec, spec, IDENTIFYING_OPTIONS)) {
          throw commandError(
            'IndexKeySpecsConflict',
            `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing.spec)}`,
          );
        }
        if (!sameOptions(existing.spec, spec)) {
          throw commandError(
            'IndexOptionsConflict',
            `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing.spec)}`,
          );
        }
        continue;
      }
      const sameKeyIndex = Array.from(coll.indexes.values()).find(
        (i) => sameKey(i.spec.key, spec.key) && sameOptions(i.spec, spec),
      );
      if (sameKeyIndex) {
        throw commandError(
          'IndexOptionsConflict',
          `Index already exists with a different name: ${sameKeyIndex.spec.name}`,
        );
      }
      ctx.storage.createIndex(coll, spec);
    }
    const after = coll.indexes.size + 1;
    return {
      numIndexesBefore: before,
      numIndexesAfter: after,
      createdCollectionAutomatically: created,
      ...(before === after ? { note: 'all indexes already exist' } : {}),
      ok: 1,
    };
  },

  listIndexes: (cmd, db, ctx) => {
    const name = collectionName(cmd, 'listIndexes');
    const coll = ctx.storage.getCollection(db, name);
    if (!coll) throw commandError('NamespaceNotFound', `ns does not exist: ${db}.${name}`);
    const cursorOptions = optionalDocument(cmd, 'cursor');
    return cursorReply(ctx, `${db}.${name}`, coll.specs(), optionalNumber(cursorOptions ?? {}, 'batchSize'));
  },

  dropIndexes: (cmd, db, ctx) => {
    const name = collectionName(cmd, 'dropIndexes');
    const coll = ctx.storage.getCollection(db, name);
    if (!coll) throw commandError('NamespaceNotFound', `ns not found ${db}.${name}`);
    const nIndexesWas = coll.indexes.size + 1;
    const target: unknown = cmd.index;
    const names: string[] = [];
    if (target === '*') {
      names.push(...coll.indexes.keys());
    } else if (typeof target === 'string') {
      names.push(target);
    } else if (Array.isArray(target)) {
      names.push(...target.map(String));
    } else if (isPlainObject(target)) {
      const found = Array.from(coll.indexes.values()).find((i) => sameKey(i.spec.key, target));
      if (!found) {
        if (sameKey(target, { _id: 1 })) throw commandError('InvalidOptions', 'cannot drop _id index');
        throw commandError('IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
      }
      names.push(found.spec.name);
    } else {
      throw commandError('TypeMismatch', "'index' must be a string, an array of strings or an object");
    }
    for (const indexName of names) {
      if (indexName === '_id_') throw commandError('InvalidOptions', 'cannot drop _id index');
      if (!coll.indexes.has(indexName))
        throw commandError('IndexNotFound', `index not found with name [${indexName}]`);
    }
    for (const indexName of names) ctx.storage.dropIndex(coll, indexName);
    return { nIndexesWas, ok: 1 };
  },
};

function normaliseIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw commandError('BadValue', "Index specification must contain a non-empty 'key' object");
  }
  const key: Doc = raw.key;
  const name =
    typeof raw.name === 'string'
      ? raw.name
      : Object.entries(key)
          .map(([f, d]) => `${f}_${String(d)}`)
          .join('_');
  if (raw.collation !== undefined && parseCollation(raw.collation) !== undefined) {
    // A collated index changes uniqueness and lookups; refused rather than built binary.
    throw commandError('InvalidOptions', 'indexes with a collation are not supported by the embedded server');
  }
  const spec: IndexSpec = { v: 2, key, name };
  for (const [option, value] of Object.entries(raw)) {
    if (option === 'key' || option === 'name' || option === 'v' || option === 'ns') continue;
    if (option === 'unique' && value !== true) continue;
    spec[option] = value;
  }
  if (spec.expireAfterSeconds !== undefined) spec.expireAfterSeconds = toNumber(spec.expireAfterSeconds);
  return spec;
}

function sameKey(a: Doc, b: Doc): boolean {
  return keyString(normaliseDirections(a)) === keyString(normaliseDirections(b));
}

function normaliseDirections(key: Doc): Doc {
  const out: Doc = {};
  for (const [field, direction] of Object.entries(key))
    out[field] =
      typeof direction === 'bigint'
        ? Number(direction)
        : numberKind(direction)
          ? toNumber(direction)
          : direction;
  return out;
}

/** Options that make two indexes on one key different indexes (mongod's index identity). */
const IDENTIFYING_OPTIONS = ['unique', 'sparse', 'partialFilterExpression', 'collation'];
const COMPARED_OPTIONS = [...IDENTIFYING_OPTIONS, 'expireAfterSeconds'];

function sameOptions(a: IndexSpec, b: IndexSpec, options = COMPARED_OPTIONS): boolean {
  return options.every((option) => keyString(a[option]) === keyString(b[option]));
}
