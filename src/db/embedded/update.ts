import { ObjectId } from 'bson';
import type { Document } from 'bson';
import { Aggregator, update as applyModifier } from 'mingo';
import type { AnyObject } from 'mingo/types';
import { commandError } from './errors.js';
import { cloneDocument, equalityFields, isPlainObject, keyString, setPath } from './values.js';

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$push',
  '$addToSet',
  '$pull',
  '$pullAll',
  '$pop',
  '$bit',
  '$setOnInsert',
]);

export type UpdateSpec = Document | Document[];

/** Classifies and validates an update document once, before any document is touched. */
export function checkUpdate(u: unknown): UpdateSpec {
  if (Array.isArray(u)) {
    if (!u.every(isPlainObject)) throw commandError('FailedToParse', 'Each element of the update pipeline must be an object');
    return u;
  }
  if (!isPlainObject(u)) throw commandError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length > 0 && operators.length !== keys.length) {
    throw commandError('FailedToParse', "Unknown modifier: mixing update operators and replacement fields is not allowed");
  }
  for (const op of operators) {
    if (!UPDATE_OPERATORS.has(op)) {
      throw commandError(
        'FailedToParse',
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(u[op])) throw commandError('FailedToParse', `Modifiers operate on fields but we found another type instead: ${op}`);
  }
  return u;
}

function isOperatorUpdate(u: UpdateSpec): boolean {
  return !Array.isArray(u) && Object.keys(u).some((k) => k.startsWith('$'));
}

/** Puts `_id` first, where mongod keeps it. */
function idFirst(doc: Document): Document {
  const keys = Object.keys(doc);
  if (keys[0] === '_id' || !('_id' in doc)) return doc;
  const out: Document = { _id: doc._id };
  for (const key of keys) if (key !== '_id') out[key] = doc[key];
  return out;
}

function runPipeline(doc: Document, pipeline: Document[]): Document {
  const [result] = new Aggregator(pipeline).run([doc]) as Document[];
  if (!result) throw commandError('BadValue', 'update pipeline produced no document');
  return result;
}

function applyOperators(doc: Document, u: Document, query: Document, arrayFilters: Document[] | undefined, inserting: boolean): void {
  const { $setOnInsert, ...rest } = u;
  const modifier: Document = { ...rest };
  if (inserting && isPlainObject($setOnInsert)) modifier.$set = { ...(isPlainObject(rest.$set) ? rest.$set : {}), ...$setOnInsert };
  if (Object.keys(modifier).length === 0) return;
  try {
    applyModifier(doc as AnyObject, modifier, arrayFilters as AnyObject[] | undefined, inserting ? undefined : (query as AnyObject), {
      cloneMode: 'copy',
    });
  } catch (err) {
    throw commandError('BadValue', (err as Error).message);
  }
}

/**
 * The document an update makes of an existing one. The stored document is not touched: the update works
 * on a clone, so a failed update (bad operator, unique violation) leaves nothing half-done.
 */
export function updatedDocument(current: Document, u: UpdateSpec, query: Document, arrayFilters?: Document[]): Document {
  let next: Document;
  if (Array.isArray(u)) {
    next = runPipeline(cloneDocument(current), u);
  } else if (isOperatorUpdate(u)) {
    next = cloneDocument(current);
    applyOperators(next, u as Document, query, arrayFilters, false);
  } else {
    const replacement = u as Document;
    next = { _id: current._id, ...cloneDocument(replacement) };
    if ('_id' in replacement) next._id = replacement._id;
  }
  if (!('_id' in next)) next = { _id: current._id, ...next };
  if (keyString(next._id) !== keyString(current._id)) {
    throw commandError(
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return idFirst(next);
}

/**
 * The document an upsert inserts: the query's equality fields seed it (as mongod does), then the update
 * applies with `$setOnInsert` included; a replacement keeps only the query's `_id`.
 */
export function upsertDocument(query: Document, u: UpdateSpec, arrayFilters?: Document[]): Document {
  const seed: Document = {};
  for (const [path, value] of equalityFields(query)) {
    if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) continue;
    setPath(seed, path, cloneDocument(value));
  }
  let doc: Document;
  if (Array.isArray(u)) {
    doc = runPipeline(seed, u);
  } else if (isOperatorUpdate(u)) {
    doc = seed;
    applyOperators(doc, u as Document, query, arrayFilters, true);
  } else {
    doc = cloneDocument(u as Document);
    if (!('_id' in doc) && '_id' in seed) doc = { _id: seed._id, ...doc };
  }
  if (!('_id' in doc)) doc = { _id: new ObjectId(), ...doc };
  return idFirst(doc);
}
