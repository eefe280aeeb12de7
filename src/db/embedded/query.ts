import { Query } from 'mingo';
import type { AnyObject, Options } from 'mingo/types';
import { CommandError, commandError } from './errors.js';
import { optionalDocument } from './handler.js';
import type { CommandContext } from './handler.js';
import { collateFilter, parseCollation } from './options.js';
import type { Collation } from './options.js';
import type { Collection } from './storage.js';
import { isPlainObject, keyString, originOf, pathValues, sortDocuments, viewOf } from './values.js';
import type { Doc } from './values.js';

/** The query engine's options for every query: no server-side JavaScript. */
const MINGO_OPTIONS: Partial<Options> = { scriptEnabled: false };

/** How a query runs: the engine's options (variables from `let`, lookups) and the collation to compare with. */
export interface Scope {
  readonly options: Partial<Options>;
  readonly collation: Collation | undefined;
}

/**
 * The scope of a query. `collation` is read from `source` (the command, or one update/delete statement);
 * `let` always from the command, where mongod takes it, so `$$vars` are visible in update and delete filters.
 */
export function scopeOf(source: Doc, ctx: CommandContext, db: string, cmd: Doc = source): Scope {
  const letVars = optionalDocument(cmd, 'let');
  const constants = source === cmd ? undefined : optionalDocument(source, 'c');
  const variables = letVars || constants ? viewOf({ ...letVars, ...constants }) : undefined;
  return {
    collation: parseCollation(source.collation),
    options: {
      ...MINGO_OPTIONS,
      ...(variables ? { variables } : {}),
      collectionResolver: (name: string) => {
        const coll = ctx.storage.getCollection(db, name);
        return coll ? Array.from(coll.docs.values(), (doc) => viewOf(doc)) : [];
      },
    },
  };
}

/** Compiles a filter; mingo's complaints about operators become the server's BadValue. */
export function compile(filter: unknown, options: Partial<Options> = MINGO_OPTIONS): Query {
  if (filter !== undefined && filter !== null && !isPlainObject(filter)) {
    throw commandError('TypeMismatch', 'filter must be an object');
  }
  try {
    return new Query(viewOf(filter ?? {}), options);
  } catch (err) {
    throw commandError('BadValue', (err as Error).message);
  }
}

/** Runs `fn`; anything it throws that is not already a server error becomes BadValue. */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw commandError('BadValue', (err as Error).message);
  }
}

/** Finds matching documents in natural or given order, before projection. */
export function select(
  coll: Collection | undefined,
  given: Doc | undefined,
  sort: Doc | undefined,
  scope: Scope,
): Doc[] {
  const filter = collateFilter(given, scope.collation);
  if (!coll) {
    if (filter) compile(filter, scope.options);
    return [];
  }
  const equalities = scope.collation || scope.options.variables ? undefined : plainEqualities(filter);
  const matched = equalities
    ? Array.from(coll.candidates(filter ?? {})).filter((doc) => matchesEqualities(doc, equalities))
    : guard(() => {
        const query = compile(filter, scope.options);
        const views = Array.from(coll.candidates(filter ?? {}), (doc) => viewOf(doc));
        return (query.find(views as AnyObject[]).all() as Doc[]).map(originOf);
      });
  return sort && Object.keys(sort).length > 0
    ? sortDocuments(matched, sort, scope.collation?.compare)
    : matched;
}

/**
 * A filter made only of equalities on plain values (`{ _id: x, status: 'pending', 'lease.owner': o }`), as
 * `[path, key]` pairs; undefined for anything else. Most of the bot's queries have this shape, and matching
 * them directly skips mingo's per-query setup, the largest cost of a small command.
 */
function plainEqualities(filter: Doc | undefined): Array<[string, string]> | undefined {
  const out: Array<[string, string]> = [];
  for (const [path, condition] of Object.entries(filter ?? {})) {
    if (path.startsWith('$')) return undefined;
    let value: unknown = condition;
    if (isPlainObject(condition)) {
      const keys = Object.keys(condition);
      if (keys.length !== 1 || keys[0] !== '$eq') return undefined;
      value = condition.$eq;
    }
    if (
      value === undefined ||
      value === null ||
      Array.isArray(value) ||
      isPlainObject(value) ||
      value instanceof RegExp
    ) {
      return undefined;
    }
    out.push([path, keyString(value)]);
  }
  return out;
}

/** mongod's equality on a scalar: the field equals it, or is an array holding it. */
function matchesEqualities(doc: Doc, equalities: Array<[string, string]>): boolean {
  return equalities.every(([path, key]) => pathValues(doc, path).some((value) => keyString(value) === key));
}

/** Applies a find projection; an empty or missing one leaves the documents as they are. */
export function project(docs: Doc[], projection: Doc | undefined): Doc[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  return guard(() => new Query({}, MINGO_OPTIONS).find(docs as AnyObject[], projection).all() as Doc[]);
}
