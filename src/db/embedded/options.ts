import { commandError } from './errors.js';
import type { Collection } from './storage.js';
import { isPlainObject, keyString, numberKind, toNumber } from './values.js';
import type { Doc } from './values.js';

/**
 * Fields any command may carry that change nothing in what it answers here: driver and session plumbing
 * (`$db`, `lsid`, `$clusterTime`, `apiVersion`…), a comment, a time limit. Transactions are refused where
 * they matter (checkNoTransaction); read and write concerns are checked by `checkConcerns`.
 */
const GENERIC_FIELDS = new Set([
  '$db',
  'lsid',
  '$clusterTime',
  'txnNumber',
  'startTransaction',
  'autocommit',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  '$readPreference',
  '$queryOptions',
  'readConcern',
  'writeConcern',
  'comment',
  'maxTimeMS',
  '$client',
  'mayBypassWriteBlocking',
]);

/**
 * Checks every field of a command (or of one update/delete statement) against what this server implements.
 * A field it does not know at all is refused as mongod's IDL parser refuses it (code 40415, "BSON field
 * '<cmd>.<field>' is an unknown field."); a field mongod knows but this server does not implement is refused
 * with InvalidOptions (72), so nothing is silently ignored. `unsupported` names the second kind.
 */
export function checkFields(
  cmd: Doc,
  where: string,
  allowed: readonly string[],
  unsupported: readonly string[] = [],
  generic = true,
): void {
  for (const field of Object.keys(cmd)) {
    if (allowed.includes(field) || (generic && GENERIC_FIELDS.has(field))) continue;
    if (unsupported.includes(field)) {
      throw commandError(
        'InvalidOptions',
        `option '${where}.${field}' is not supported by the embedded server`,
      );
    }
    throw commandError('Location40415', `BSON field '${where}.${field}' is an unknown field.`);
  }
}

/**
 * mongod on a standalone refuses a write concern that waits for other members (BadValue, code 2) and
 * a read concern level that needs a replica set; the others are what a single durable node gives anyway.
 */
export function checkConcerns(cmd: Doc): void {
  const wc: unknown = cmd.writeConcern;
  if (isPlainObject(wc)) {
    const w: unknown = wc.w;
    if (numberKind(w) && toNumber(w) > 1)
      throw commandError('BadValue', "cannot use 'w' > 1 on a standalone");
    if (typeof w === 'string' && w !== 'majority') {
      throw commandError(
        'UnknownReplWriteConcern',
        `No write concern mode named '${w}' found in replica set configuration`,
      );
    }
  }
  const rc: unknown = cmd.readConcern;
  if (isPlainObject(rc)) {
    const level = typeof rc.level === 'string' ? rc.level : rc.level === undefined ? undefined : '?';
    if (level !== undefined && !['local', 'available', 'majority'].includes(level)) {
      // mongod: snapshot and linearizable need a replica set; this server is a standalone.
      throw commandError(
        'InvalidOptions',
        `readConcern level '${level}' is not supported by the embedded server`,
      );
    }
    if (rc.afterClusterTime !== undefined || rc.atClusterTime !== undefined) {
      throw commandError(
        'InvalidOptions',
        'readConcern cluster times are not supported by the embedded server',
      );
    }
  }
}

/** A collation the server honours: binary (`simple`), or case-insensitive equality and locale order. */
export interface Collation {
  readonly locale: string;
  /** 2: equality ignores case; 3: equality is binary. Order follows the locale either way. */
  readonly strength: 2 | 3;
  readonly compare: (a: string, b: string) => number;
}

const COLLATION_FIELDS = [
  'locale',
  'strength',
  'caseLevel',
  'caseFirst',
  'numericOrdering',
  'alternate',
  'maxVariable',
  'normalization',
  'backwards',
  'version',
];

/**
 * Reads a `collation` option. `{ locale: 'simple' }` or none is binary comparison (undefined). Strength 2
 * and 3 are implemented (case-insensitive equality through case-insensitive regexes, locale order through
 * Intl.Collator); strength 1 (accent-insensitive), 4 and 5, `caseLevel`, `caseFirst`, `numericOrdering`,
 * `alternate` and `backwards` are refused with InvalidOptions (72) rather than compared wrongly.
 */
export function parseCollation(value: unknown): Collation | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value))
    throw commandError('TypeMismatch', "BSON field 'collation' is the wrong type, expected type 'object'");
  for (const field of Object.keys(value)) {
    if (!COLLATION_FIELDS.includes(field))
      throw commandError('Location40415', `BSON field 'collation.${field}' is an unknown field.`);
  }
  const locale: unknown = value.locale;
  if (typeof locale !== 'string')
    throw commandError('Location40414', "BSON field 'collation.locale' is missing but a required field");
  if (locale === 'simple') return undefined;
  const strength = value.strength === undefined ? 3 : toNumber(value.strength);
  if (strength !== 2 && strength !== 3) {
    throw commandError(
      'InvalidOptions',
      `collation strength ${strength} is not supported by the embedded server (2 and 3 are)`,
    );
  }
  for (const field of ['caseLevel', 'numericOrdering', 'backwards']) {
    if (value[field] === true)
      throw commandError(
        'InvalidOptions',
        `collation option '${field}' is not supported by the embedded server`,
      );
  }
  if (value.caseFirst !== undefined && value.caseFirst !== 'off') {
    throw commandError(
      'InvalidOptions',
      "collation option 'caseFirst' is not supported by the embedded server",
    );
  }
  if (value.alternate !== undefined && value.alternate !== 'non-ignorable') {
    throw commandError(
      'InvalidOptions',
      "collation option 'alternate' is not supported by the embedded server",
    );
  }
  let collator: Intl.Collator;
  try {
    collator = new Intl.Collator(locale.replace(/@.*$/, '').replace(/_/g, '-'), {
      sensitivity: strength === 2 ? 'accent' : 'variant',
    });
  } catch {
    throw commandError('BadValue', `Field 'locale' is invalid in: { locale: "${locale}" }`);
  }
  return { locale, strength, compare: (a, b) => collator.compare(a, b) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function caseless(text: string): RegExp {
  return new RegExp(`^${escapeRegExp(text)}$`, 'iu');
}

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);
/** Operators whose operands collation does not touch (or that take no strings). */
const NEUTRAL_OPERATORS = new Set([
  '$exists',
  '$type',
  '$size',
  '$mod',
  '$regex',
  '$options',
  '$all',
  '$bitsAllSet',
  '$bitsAnySet',
  '$bitsAllClear',
  '$bitsAnyClear',
]);

/**
 * A filter that matches under a case-insensitive collation (strength 2) as mongod's would: string equality
 * (`{a: 'x'}`, `$eq`, `$ne`, `$in`, `$nin`, also inside `$and`/`$or`/`$nor`/`$not`/`$elemMatch`) becomes a
 * case-insensitive whole-string regex. What cannot be rewritten faithfully (range operators on strings,
 * `$expr`, `$where`, equality with a document or array holding strings, `$all` of strings) is refused with
 * InvalidOptions (72). Strength 3 leaves equality binary, so the filter is returned as it is.
 */
export function collateFilter(filter: Doc | undefined, collation: Collation | undefined): Doc | undefined {
  if (!filter || !collation || collation.strength === 3) return filter;
  return collateDoc(filter);
}

function refuse(what: string): never {
  throw commandError(
    'InvalidOptions',
    `${what} under a case-insensitive collation is not supported by the embedded server`,
  );
}

function collateDoc(filter: Doc): Doc {
  const out: Doc = {};
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(condition)) return refuse(key);
      out[key] = condition.map((sub: unknown) => (isPlainObject(sub) ? collateDoc(sub) : sub));
    } else if (key === '$expr' || key === '$where' || key === '$text' || key === '$jsonSchema') {
      refuse(key);
    } else if (key === '$comment') {
      out[key] = condition;
    } else {
      out[key] = collateCondition(condition, key);
    }
  }
  return out;
}

function collateValue(value: unknown, where: string): unknown {
  if (typeof value === 'string') return caseless(value);
  if ((isPlainObject(value) || Array.isArray(value)) && keyString(value).includes('"s')) {
    refuse(`equality with a document or array holding strings ('${where}')`);
  }
  return value;
}

function collateCondition(condition: unknown, path: string): unknown {
  if (!isPlainObject(condition) || !Object.keys(condition).some((k) => k.startsWith('$'))) {
    return collateValue(condition, path);
  }
  const out: Doc = {};
  for (const [op, operand] of Object.entries(condition)) {
    if (op === '$eq') {
      const v = collateValue(operand, path);
      if (v instanceof RegExp) out.$regex = v;
      else out.$eq = v;
    } else if (op === '$ne') {
      const v = collateValue(operand, path);
      if (v instanceof RegExp) out.$not = v;
      else out.$ne = v;
    } else if (op === '$in' || op === '$nin') {
      if (!Array.isArray(operand)) return refuse(op);
      out[op] = operand.map((v: unknown) => collateValue(v, path));
    } else if (op === '$not') {
      out.$not = isPlainObject(operand) ? collateCondition(operand, path) : operand;
    } else if (op === '$elemMatch') {
      if (!isPlainObject(operand)) return refuse(op);
      const operators = Object.keys(operand).some(
        (k) => k.startsWith('$') && !['$and', '$or', '$nor'].includes(k),
      );
      out.$elemMatch = operators ? collateCondition(operand, path) : collateDoc(operand);
    } else if (RANGE_OPERATORS.has(op)) {
      if (typeof operand === 'string') refuse(`'${op}' on a string ('${path}')`);
      out[op] = operand;
    } else if (NEUTRAL_OPERATORS.has(op)) {
      if (op === '$all' && Array.isArray(operand) && operand.some((v) => typeof v === 'string'))
        refuse(`'$all' of strings ('${path}')`);
      out[op] = operand;
    } else {
      refuse(`'${op}' ('${path}')`);
    }
  }
  if (out.$regex instanceof RegExp && out.$not instanceof RegExp) refuse(`'$eq' with '$ne' ('${path}')`);
  return out;
}

/**
 * `hint` changes which index mongod scans, never which documents match, except through a sparse or partial
 * index; so a hint naming an existing index (by name or key pattern) or `$natural` is honoured by ignoring
 * it, a sparse or partial one is refused (InvalidOptions, 72), and an unknown one fails as mongod fails
 * (BadValue, code 2, "hint provided does not correspond to an existing index").
 */
export function checkHint(hint: unknown, coll: Collection | undefined): void {
  if (hint === undefined || hint === null) return;
  if (typeof hint === 'string' && hint === '_id_') return;
  if (isPlainObject(hint)) {
    const keys = Object.keys(hint);
    if (keys.length === 0) return;
    if (keys.length === 1 && keys[0] === '$natural') return;
    if (keys.length === 1 && keys[0] === '_id') return;
  }
  if (typeof hint !== 'string' && !isPlainObject(hint))
    throw commandError('FailedToParse', 'hint must be a string or an object');
  const index = coll
    ? Array.from(coll.indexes.values()).find((i) =>
        typeof hint === 'string'
          ? i.spec.name === hint
          : keyString(sameDirections(i.spec.key)) === keyString(sameDirections(hint)),
      )
    : undefined;
  if (!index) {
    throw commandError(
      'BadValue',
      'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
    );
  }
  if (index.spec.sparse === true || index.spec.partialFilterExpression !== undefined) {
    throw commandError(
      'InvalidOptions',
      'a hint of a sparse or partial index is not supported by the embedded server',
    );
  }
}

function sameDirections(key: Doc): Doc {
  const out: Doc = {};
  for (const [field, direction] of Object.entries(key))
    out[field] = numberKind(direction) ? toNumber(direction) : direction;
  return out;
}
