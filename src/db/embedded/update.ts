import { Long, ObjectId, Timestamp } from 'bson';
import { Aggregator, update as applyModifier } from 'mingo';
import { commandError } from './errors.js';
import {
  cloneDocument,
  compareValues,
  equalityFields,
  getPath,
  isPlainObject,
  keyString,
  setPath,
} from './values.js';
import type { Doc } from './values.js';

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

export type UpdateSpec = Doc | Doc[];

/** Classifies and validates an update document once, before any document is touched. */
export function checkUpdate(u: unknown): UpdateSpec {
  if (Array.isArray(u)) {
    if (!u.every(isPlainObject))
      throw commandError('FailedToParse', 'Each element of the update pipeline must be an object');
    return u;
  }
  if (!isPlainObject(u))
    throw commandError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length > 0 && operators.length !== keys.length) {
    throw commandError(
      'FailedToParse',
      'Unknown modifier: mixing update operators and replacement fields is not allowed',
    );
  }
  for (const op of operators) {
    if (!UPDATE_OPERATORS.has(op)) {
      throw commandError(
        'FailedToParse',
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(u[op]))
      throw commandError(
        'FailedToParse',
        `Modifiers operate on fields but we found another type instead: ${op}`,
      );
  }
  return u;
}

function isOperatorUpdate(u: UpdateSpec): boolean {
  return !Array.isArray(u) && Object.keys(u).some((k) => k.startsWith('$'));
}

/** Puts `_id` first, where mongod keeps it. */
function idFirst(doc: Doc): Doc {
  const keys = Object.keys(doc);
  if (keys[0] === '_id' || !('_id' in doc)) return doc;
  const out: Doc = { _id: doc._id };
  for (const key of keys) if (key !== '_id') out[key] = doc[key];
  return out;
}

function runPipeline(doc: Doc, pipeline: Doc[]): Doc {
  const [result] = new Aggregator(pipeline).run<Doc>([doc]);
  if (!result) throw commandError('BadValue', 'update pipeline produced no document');
  return result;
}

function applyOperators(
  doc: Doc,
  u: Doc,
  query: Doc,
  arrayFilters: Doc[] | undefined,
  inserting: boolean,
): void {
  const { $setOnInsert, ...rest } = u;
  const modifier: Doc = { ...rest };
  if (inserting && isPlainObject($setOnInsert)) {
    modifier.$set = { ...(isPlainObject(rest.$set) ? rest.$set : {}), ...$setOnInsert };
  }
  if (!inserting) refuseIdChange(modifier);
  const exact = takeExactArithmetic(doc, modifier);
  if (isPlainObject(modifier.$currentDate)) {
    modifier.$set = {
      ...(isPlainObject(modifier.$set) ? modifier.$set : {}),
      ...currentDates(modifier.$currentDate),
    };
    delete modifier.$currentDate;
  }
  if (Object.keys(modifier).length > 0 && !(arrayFilters === undefined && applySimple(doc, modifier))) {
    try {
      applyModifier(doc, modifier, arrayFilters, inserting ? undefined : query, { cloneMode: 'copy' });
    } catch (err) {
      throw commandError('BadValue', (err as Error).message);
    }
  }
  for (const [path, value] of exact) setPath(doc, path, value);
}

const SIMPLE_OPERATORS = new Set(['$set', '$unset', '$inc', '$max', '$min']);

/** The plain object holding the last segment of `path`, creating objects on the way when asked. */
function parentOf(doc: Doc, path: string, create: boolean): { parent: Doc; key: string } | undefined {
  const parts = path.split('.');
  let target: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    const next: unknown = target[part];
    if (next === undefined && create) {
      const created: Doc = {};
      target[part] = created;
      target = created;
    } else if (isPlainObject(next)) {
      target = next;
    } else {
      return undefined;
    }
  }
  return { parent: target, key: parts[parts.length - 1] as string };
}

/**
 * `$set`, `$unset`, `$inc`, `$max` and `$min` on plain paths (no positional operators, no arrays on the
 * way), applied directly: mingo's update sets up its whole operator table on every call. Returns false,
 * having changed nothing, when the update needs mingo.
 */
function applySimple(doc: Doc, modifier: Doc): boolean {
  const steps: Array<() => void> = [];
  for (const [op, fields] of Object.entries(modifier)) {
    if (!SIMPLE_OPERATORS.has(op) || !isPlainObject(fields)) return false;
    for (const [path, operand] of Object.entries(fields)) {
      if (path === '' || path.includes('$') || path.split('.').some((p) => p === '' || /^\d+$/.test(p)))
        return false;
      const probe = parentOf(doc, path, false);
      const exists = probe !== undefined;
      // A missing intermediate object is created by $set/$inc/$max/$min; anything else in the way needs mingo.
      if (!exists && path.includes('.') && op !== '$unset') {
        const parts = path.split('.');
        let target: unknown = doc;
        for (const part of parts.slice(0, -1)) {
          if (target === undefined) break;
          if (!isPlainObject(target)) return false;
          target = target[part];
        }
        if (target !== undefined && !isPlainObject(target)) return false;
      }
      const current = probe ? probe.parent[probe.key] : undefined;
      if (
        op === '$inc' &&
        (typeof operand !== 'number' || (current !== undefined && typeof current !== 'number'))
      )
        return false;
      steps.push(() => {
        if (op === '$unset') {
          const at = parentOf(doc, path, false);
          if (at) delete at.parent[at.key];
          return;
        }
        const at = parentOf(doc, path, true);
        if (!at) return;
        const now = at.parent[at.key];
        if (op === '$set') at.parent[at.key] = cloneDocument(operand);
        else if (op === '$inc') at.parent[at.key] = ((now as number | undefined) ?? 0) + (operand as number);
        else if (op === '$max' && (now === undefined || compareValues(operand, now) > 0))
          at.parent[at.key] = operand;
        else if (op === '$min' && (now === undefined || compareValues(operand, now) < 0))
          at.parent[at.key] = operand;
      });
    }
  }
  for (const step of steps) step();
  return true;
}

/** mongod refuses any operator that would touch `_id` of an existing document. */
function refuseIdChange(modifier: Doc): void {
  for (const [op, fields] of Object.entries(modifier)) {
    if (!isPlainObject(fields)) continue;
    for (const path of Object.keys(fields)) {
      const target = op === '$rename' ? [path, String(fields[path])] : [path];
      if (target.some((p) => p === '_id' || p.startsWith('_id.'))) {
        throw commandError(
          'ImmutableField',
          "Performing an update on the path '_id' would modify the immutable field '_id'",
        );
      }
    }
  }
}

function isIntegral(value: unknown): value is number | Long {
  return value instanceof Long || (typeof value === 'number' && Number.isInteger(value));
}

/**
 * `$inc`/`$mul` on int64 values beyond 2^53 done exactly with BigInt (mingo works in doubles). Takes those
 * fields out of the modifier and returns what to set after mingo has applied the rest.
 */
function takeExactArithmetic(doc: Doc, modifier: Doc): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const op of ['$inc', '$mul'] as const) {
    const fields = modifier[op];
    if (!isPlainObject(fields)) continue;
    for (const [path, operand] of Object.entries(fields)) {
      if (path.includes('$')) continue;
      const current = getPath(doc, path) ?? 0;
      if (!(operand instanceof Long || current instanceof Long)) continue;
      if (!isIntegral(operand) || !isIntegral(current)) {
        throw commandError(
          'TypeMismatch',
          `Cannot apply ${op} to a value of non-integral type with an int64 operand`,
        );
      }
      const a = BigInt(current.toString());
      const b = BigInt(operand.toString());
      const result = op === '$inc' ? a + b : a * b;
      out.push([path, Number.isSafeInteger(Number(result)) ? Number(result) : Long.fromBigInt(result)]);
      delete fields[path];
    }
    if (Object.keys(fields).length === 0) delete modifier[op];
  }
  return out;
}

let timestampIncrement = 0;

/** `$currentDate` as values: a Date, or a Timestamp when `{ $type: 'timestamp' }` asks for one. */
function currentDates(spec: Doc): Doc {
  const now = new Date();
  const out: Doc = {};
  for (const [path, kind] of Object.entries(spec)) {
    if (isPlainObject(kind) && kind.$type === 'timestamp') {
      timestampIncrement = (timestampIncrement + 1) % 0xffffffff;
      out[path] = new Timestamp({ t: Math.floor(now.getTime() / 1000), i: timestampIncrement });
    } else {
      out[path] = now;
    }
  }
  return out;
}

/**
 * The document an update makes of an existing one. The stored document is not touched: the update works
 * on a clone, so a failed update (bad operator, unique violation) leaves nothing half-done.
 */
export function updatedDocument(current: Doc, u: UpdateSpec, query: Doc, arrayFilters?: Doc[]): Doc {
  let next: Doc;
  if (Array.isArray(u)) {
    next = runPipeline(cloneDocument(current), u);
  } else if (isOperatorUpdate(u)) {
    next = cloneDocument(current);
    applyOperators(next, u, query, arrayFilters, false);
  } else {
    const replacement = u;
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
export function upsertDocument(query: Doc, u: UpdateSpec, arrayFilters?: Doc[]): Doc {
  const seed: Doc = {};
  for (const [path, value] of equalityFields(query)) {
    if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) continue;
    setPath(seed, path, cloneDocument(value));
  }
  let doc: Doc;
  if (Array.isArray(u)) {
    doc = runPipeline(seed, u);
  } else if (isOperatorUpdate(u)) {
    doc = seed;
    applyOperators(doc, u, query, arrayFilters, true);
  } else {
    doc = cloneDocument(u);
    if (!('_id' in doc) && '_id' in seed) doc = { _id: seed._id, ...doc };
  }
  if (!('_id' in doc)) doc = { _id: new ObjectId(), ...doc };
  return idFirst(doc);
}
