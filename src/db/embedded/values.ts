import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'bson';

/** A BSON document as this server handles it: values are checked before use, never trusted as `any`. */
export type Doc = Record<string, unknown>;

/** True for `{...}` literals as BSON decodes them (not ObjectId, Date, Binary and other value classes). */
export function isPlainObject(value: unknown): value is Doc {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Copies the document tree (objects and arrays) and shares the leaf values, which are never mutated
 * in place. Stored documents are only ever replaced whole, so a clone is what an update works on.
 */
export function cloneDocument<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => cloneDocument(v)) as T;
  if (isPlainObject(value)) {
    const out: Doc = {};
    for (const key of Object.keys(value)) out[key] = cloneDocument(value[key]);
    return out as T;
  }
  if (value instanceof Date) return new Date(value.getTime()) as T;
  return value;
}

/**
 * How numbers are held, so each keeps the BSON type it was stored with (as mongod does):
 * - int32: a JS number that is an integer in int32 range (the bson serializer writes those as int32);
 * - double: a JS number otherwise, or a `Double` when its value would be taken for an int32 (1.0, -0);
 * - int64: always a `Long`, also when small (the driver's default would make a small one an int32);
 * - decimal: a `Decimal128`.
 * Everything the server decodes (commands and the journal) goes through here first.
 */
export function decodeNumbers<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = decodeNumbers(value[i] as unknown);
    return value;
  }
  if (isPlainObject(value)) {
    const doc: Doc = value;
    for (const key of Object.keys(doc)) doc[key] = decodeNumbers(doc[key]);
    return value;
  }
  if (value instanceof Int32) return value.value as T;
  if (value instanceof Double) return storedDouble(value.value) as T;
  return value;
}

function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 && !Object.is(n, -0);
}

/** A double as it is held: a plain number unless the serializer would take it for an int32. */
export function storedDouble(n: number): number | Double {
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? new Double(n) : n;
}

export type NumberKind = 'int' | 'long' | 'double' | 'decimal';

/** The BSON numeric type of a held value; undefined for anything that is not a number. */
export function numberKind(value: unknown): NumberKind | undefined {
  if (typeof value === 'number') return isInt32(value) ? 'int' : 'double';
  if (value instanceof Double) return 'double';
  if (value instanceof Long) return 'long';
  if (value instanceof Decimal128) return 'decimal';
  if (value instanceof Int32) return 'int';
  return undefined;
}

const views = new WeakMap<object, unknown>();
const origins = new WeakMap<object, Doc>();

/**
 * The document as the query engine (mingo, which knows only JS numbers) sees it: `Double` and `Long`
 * become numbers (a `Long` beyond 2^53 stays exact as a `Long`). The same object comes back when nothing
 * needed converting. Views are cached per object: held documents are never changed in place.
 */
export function viewOf<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const cached = views.get(value);
  if (cached !== undefined) return cached as T;
  const view = toView(value);
  views.set(value, view);
  if (view !== value && isPlainObject(view) && isPlainObject(value)) origins.set(view, value);
  return view as T;
}

/** The held document a view was made from (the view itself when it needed no conversion). */
export function originOf(view: Doc): Doc {
  return origins.get(view) ?? view;
}

function toView(value: unknown): unknown {
  if (value instanceof Double) return value.value;
  if (value instanceof Int32) return value.value;
  if (value instanceof Long) {
    const n = value.toNumber();
    return Number.isSafeInteger(n) ? n : value;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v: unknown, i) => {
      const c = toView(v);
      if (c !== v) (out ??= value.slice())[i] = c;
    });
    return out ?? value;
  }
  if (isPlainObject(value)) {
    let out: Doc | undefined;
    for (const key of Object.keys(value)) {
      const v = value[key];
      const c = toView(v);
      if (c !== v) (out ??= { ...value })[key] = c;
    }
    return out ?? value;
  }
  return value;
}

/**
 * A string that is equal for two values exactly when MongoDB's index would treat them as the same key:
 * numbers of any BSON type compare by value, everything else by type and content.
 */
export function keyString(value: unknown): string {
  if (value === undefined || value === null) return 'z';
  switch (typeof value) {
    case 'number':
      return Number.isNaN(value) ? 'nNaN' : `n${Object.is(value, -0) ? 0 : value}`;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? `n${Number(value)}` : `n${value.toString()}`;
    case 'string':
      return `s${value}`;
    case 'boolean':
      return value ? 'b1' : 'b0';
    default:
      break;
  }
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof Decimal128) {
    const asNumber = Number(value.toString());
    return Number.isFinite(asNumber) && String(asNumber) === value.toString()
      ? `n${asNumber}`
      : `m${value.toString()}`;
  }
  if (value instanceof Binary) return `x${value.sub_type}:${Buffer.from(value.buffer).toString('base64')}`;
  if (value instanceof Timestamp) return `t${value.t}:${value.i}`;
  if (value instanceof Long) return `n${value.toString()}`;
  if (value instanceof Double || value instanceof Int32) return keyString(value.value);
  if (value instanceof RegExp) return `r${value.source}/${value.flags}`;
  if (Array.isArray(value)) return `a${JSON.stringify(value.map((v: unknown) => keyString(v)))}`;
  if (isPlainObject(value)) {
    return `O${JSON.stringify(Object.keys(value).map((k) => [k, keyString(value[k])]))}`;
  }
  const tagged = value as { _bsontype?: string; toString(): string };
  return `${tagged._bsontype ?? 'u'}:${tagged.toString()}`;
}

/**
 * Every value a dotted path reaches in a document, descending into arrays the way a multikey index
 * does (`a.b` over `a: [{b: 1}, {b: 2}]` gives 1 and 2; an array at the end gives its elements).
 * A path that reaches nothing gives `[undefined]`.
 */
export function pathValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out.length === 0 ? [undefined] : out;
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else for (const element of value) out.push(element);
    } else {
      out.push(value);
    }
    return;
  }
  const part = parts[i] as string;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part)) {
      collect(value[Number(part)], parts, i + 1, out);
      return;
    }
    for (const element of value) if (isPlainObject(element)) collect(element, parts, i, out);
    return;
  }
  if (isPlainObject(value) && part in value) collect(value[part], parts, i + 1, out);
}

/** Whether a dotted path is present at all (for sparse indexes). */
export function hasPath(doc: unknown, path: string): boolean {
  return pathValues(doc, path).some((v) => v !== undefined);
}

/** Reads one value at a dotted path without expanding arrays (for TTL dates and keyValue in errors). */
export function getPath(doc: unknown, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(part)) value = value[Number(part)];
    else if (isPlainObject(value)) value = value[part];
    else return undefined;
  }
  return value;
}

/** Sets a dotted path, creating intermediate objects and stepping into arrays by numeric index. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let target: Doc | unknown[] = doc;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const part = parts[i] as string;
    const next: unknown = Array.isArray(target) ? target[Number(part)] : target[part];
    if (isPlainObject(next) || (Array.isArray(next) && /^\d+$/.test(parts[i + 1] ?? ''))) {
      target = next;
    } else {
      const created: Doc = {};
      if (Array.isArray(target)) target[Number(part)] = created;
      else target[part] = created;
      target = created;
    }
  }
  const last = parts[parts.length - 1] as string;
  if (Array.isArray(target)) target[Number(last)] = value;
  else target[last] = value;
}

/**
 * Gives back to an engine-made document the held numbers it carried through unchanged: where `made` has a
 * plain number and `held` has an int64 or a double of the same value at the same place, the held one.
 */
export function retype(made: unknown, held: unknown): unknown {
  if (typeof made === 'number') {
    const kind = numberKind(held);
    return (kind === 'long' || kind === 'double') && toNumber(held) === made ? held : made;
  }
  if (Array.isArray(made) && Array.isArray(held)) return made.map((v: unknown, i) => retype(v, held[i]));
  if (isPlainObject(made) && isPlainObject(held)) {
    for (const key of Object.keys(made)) made[key] = retype(made[key], held[key]);
  }
  return made;
}

/**
 * The fields a filter pins to a single value: `{a: 1}`, `{a: {$eq: 1}}` and the same inside a top-level
 * `$and`. Used to pick an index and to seed an upserted document, as mongod does.
 */
export function equalityFields(filter: Doc): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const visit = (f: Doc): void => {
    for (const [key, condition] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(condition)) {
        for (const sub of condition) if (isPlainObject(sub)) visit(sub);
        continue;
      }
      if (key.startsWith('$')) continue;
      if (isPlainObject(condition)) {
        const keys = Object.keys(condition);
        if (keys.some((k) => k.startsWith('$'))) {
          if (keys.length === 1 && keys[0] === '$eq') out.set(key, condition.$eq);
          continue;
        }
      }
      if (condition instanceof RegExp) continue;
      out.set(key, condition);
    }
  };
  visit(filter);
  return out;
}

/** MongoDB's order of BSON types when values of different types are compared or sorted. */
function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 2;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
    default:
      break;
  }
  if (value instanceof Timestamp) return 11;
  if (value instanceof Long || value instanceof Decimal128 || value instanceof Double) return 3;
  if (value instanceof Int32) return 3;
  if (Array.isArray(value)) return 6;
  if (isPlainObject(value)) return 5;
  if (value instanceof Binary) return 7;
  if (value instanceof ObjectId) return 8;
  if (value instanceof Date) return 10;
  if (value instanceof RegExp) return 12;
  const tag = (value as { _bsontype?: string })._bsontype;
  if (tag === 'MinKey') return 1;
  if (tag === 'MaxKey') return 13;
  return 5;
}

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Double || value instanceof Int32) return value.value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Long || value instanceof Decimal128) return Number(value.toString());
  return NaN;
}

/** Compares two values the way mongod orders them (type first, then value). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 3: {
      const x = toNumber(a);
      const y = toNumber(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 4:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 5: {
      const ea = Object.entries(a as Doc);
      const eb = Object.entries(b as Doc);
      for (let i = 0; i < Math.min(ea.length, eb.length); i += 1) {
        const [ka, va] = ea[i] as [string, unknown];
        const [kb, vb] = eb[i] as [string, unknown];
        const byType = typeRank(va) - typeRank(vb);
        if (byType !== 0) return byType < 0 ? -1 : 1;
        if (ka !== kb) return ka < kb ? -1 : 1;
        const byValue = compareValues(va, vb);
        if (byValue !== 0) return byValue;
      }
      return Math.sign(ea.length - eb.length);
    }
    case 6: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      for (let i = 0; i < Math.min(xa.length, xb.length); i += 1) {
        const c = compareValues(xa[i], xb[i]);
        if (c !== 0) return c;
      }
      return Math.sign(xa.length - xb.length);
    }
    case 7: {
      const x = a as Binary;
      const y = b as Binary;
      if (x.length() !== y.length()) return x.length() < y.length() ? -1 : 1;
      if (x.sub_type !== y.sub_type) return x.sub_type < y.sub_type ? -1 : 1;
      return Buffer.compare(Buffer.from(x.buffer), Buffer.from(y.buffer));
    }
    case 8:
      return Math.sign((a as ObjectId).toHexString().localeCompare((b as ObjectId).toHexString()));
    case 9:
      return a === b ? 0 : a === false ? -1 : 1;
    case 10:
      return Math.sign((a as Date).getTime() - (b as Date).getTime());
    case 11: {
      const x = a as Timestamp;
      const y = b as Timestamp;
      return x.t !== y.t ? Math.sign(x.t - y.t) : Math.sign(x.i - y.i);
    }
    case 12:
      return Math.sign(String(a).localeCompare(String(b)));
    default:
      return 0;
  }
}

/**
 * Sorts like mongod: missing fields sort as null, and an array sorts by its smallest element ascending
 * and its largest descending. Stable, so ties keep natural order.
 */
export function sortDocuments<T extends Doc>(
  docs: T[],
  sort: Doc,
  compareStrings?: (a: string, b: string) => number,
): T[] {
  const compare = (a: unknown, b: unknown): number =>
    compareStrings && typeof a === 'string' && typeof b === 'string'
      ? compareStrings(a, b)
      : compareValues(a, b);
  const fields = Object.entries(sort).map(([path, direction]) => ({
    path,
    descending: (numberKind(direction) ? toNumber(direction) : Number(direction)) < 0,
  }));
  const keyed = docs.map((doc) => ({
    doc,
    keys: fields.map(({ path, descending }) => {
      const values = pathValues(doc, path).map((v) => (v === undefined ? null : v));
      let best = values[0];
      for (const v of values.slice(1)) {
        const c = compare(v, best);
        if (descending ? c > 0 : c < 0) best = v;
      }
      return best;
    }),
  }));
  keyed.sort((x, y) => {
    for (let i = 0; i < fields.length; i += 1) {
      const c = compare(x.keys[i], y.keys[i]);
      if (c !== 0) return (fields[i] as { descending: boolean }).descending ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.doc);
}
