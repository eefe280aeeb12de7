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
  numberKind,
  retype,
  setPath,
  storedDouble,
  toNumber,
  viewOf,
} from './values.js';
import type { Doc, NumberKind } from './values.js';

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

/** A pipeline update runs on the engine's view; the fields it carried through keep their held types. */
function runPipeline(doc: Doc, pipeline: Doc[], variables: Doc | undefined): Doc {
  const options = { scriptEnabled: false, ...(variables ? { variables } : {}) };
  const [result] = new Aggregator(viewOf(pipeline), options).run<Doc>([cloneDocument(viewOf(doc))]);
  if (!result) throw commandError('BadValue', 'update pipeline produced no document');
  return retype(result, doc) as Doc;
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
  const exact = takeArithmetic(doc, modifier);
  if (isPlainObject(modifier.$currentDate)) {
    modifier.$set = {
      ...(isPlainObject(modifier.$set) ? modifier.$set : {}),
      ...currentDates(modifier.$currentDate),
    };
    delete modifier.$currentDate;
  }
  if (Object.keys(modifier).length > 0 && !(arrayFilters === undefined && applySimple(doc, modifier))) {
    try {
      applyModifier(doc, modifier, arrayFilters, inserting ? undefined : viewOf(query), {
        cloneMode: 'copy',
      });
    } catch (err) {
      throw commandError('BadValue', (err as Error).message);
    }
  }
  for (const [path, value] of exact) setPath(doc, path, value);
}

const SIMPLE_OPERATORS = new Set(['$set', '$unset', '$max', '$min']);

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

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function asBigInt(value: unknown): bigint {
  if (value instanceof Long) return value.toBigInt();
  return BigInt(toNumber(value));
}

/**
 * `$inc` and `$mul` with mongod's type rules, so a number keeps the type it was stored with: int32 with
 * int32 stays int32 and becomes int64 when it overflows; with an int64 it is int64 (overflow is refused);
 * with a double it is a double. On a missing field `$inc` sets the operand and `$mul` a zero of its type.
 * Decimal128 arithmetic is refused (BadValue, code 2) rather than done in doubles. Takes the plain-path
 * fields out of the modifier and returns what to set once the rest has been applied.
 */
function takeArithmetic(doc: Doc, modifier: Doc): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const op of ['$inc', '$mul'] as const) {
    const given = modifier[op];
    if (!isPlainObject(given)) continue;
    // The statement's own object is shared by every document an updateMany touches: work on a copy.
    const fields: Doc = { ...given };
    modifier[op] = fields;
    for (const [path, operand] of Object.entries(fields)) {
      if (path.includes('$')) continue;
      const b = numberKind(operand);
      if (!b) {
        throw commandError(
          'TypeMismatch',
          `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${keyString(operand).slice(1)}}`,
        );
      }
      const current = getPath(doc, path);
      const a = current === undefined ? undefined : numberKind(current);
      if (current !== undefined && !a) {
        throw commandError(
          'TypeMismatch',
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${keyString(doc._id).slice(1)}} has the field '${path}' of non-numeric type`,
        );
      }
      if (a === 'decimal' || b === 'decimal') {
        throw commandError(
          'BadValue',
          `${op} with a Decimal128 value is not supported by the embedded server`,
        );
      }
      out.push([path, arithmetic(op, current, a, operand, b)]);
      delete fields[path];
    }
    if (Object.keys(fields).length === 0) delete modifier[op];
  }
  return out;
}

function arithmetic(
  op: '$inc' | '$mul',
  current: unknown,
  a: NumberKind | undefined,
  operand: unknown,
  b: NumberKind,
): unknown {
  if (a === undefined) {
    if (op === '$inc') return operand;
    return b === 'long' ? Long.fromInt(0) : b === 'double' ? storedDouble(0) : 0;
  }
  if (a === 'double' || b === 'double') {
    const x = toNumber(current);
    const y = toNumber(operand);
    return storedDouble(op === '$inc' ? x + y : x * y);
  }
  const x = asBigInt(current);
  const y = asBigInt(operand);
  const result = op === '$inc' ? x + y : x * y;
  if (a === 'int' && b === 'int' && result >= -2147483648n && result <= 2147483647n) return Number(result);
  if (result < INT64_MIN || result > INT64_MAX) {
    // mongod: "Failed to apply $inc operations to current value ((NumberLong)…)", BadValue (2).
    throw commandError(
      'BadValue',
      `Failed to apply ${op} operations to current value ((NumberLong)${x.toString()}): the result overflows int64`,
    );
  }
  return Long.fromBigInt(result);
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
export function updatedDocument(
  current: Doc,
  u: UpdateSpec,
  query: Doc,
  arrayFilters?: Doc[],
  variables?: Doc,
): Doc {
  let next: Doc;
  if (Array.isArray(u)) {
    next = runPipeline(cloneDocument(current), u, variables);
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
export function upsertDocument(query: Doc, u: UpdateSpec, arrayFilters?: Doc[], variables?: Doc): Doc {
  const seed: Doc = {};
  for (const [path, value] of equalityFields(query)) {
    if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) continue;
    setPath(seed, path, cloneDocument(value));
  }
  let doc: Doc;
  if (Array.isArray(u)) {
    doc = runPipeline(seed, u, variables);
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
