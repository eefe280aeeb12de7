import os from 'node:os';
import { Long, ObjectId } from 'bson';
import { Aggregator, Query } from 'mingo';
import type { AnyObject, Options } from 'mingo/types';
import { CommandError, commandError } from './errors.js';
import { CursorRegistry } from './cursors.js';
import { Collection, Storage, duplicateKeyError, validateNamespace } from './storage.js';
import type { IndexSpec } from './storage.js';
import { checkUpdate, updatedDocument, upsertDocument } from './update.js';
import { checkConcerns, checkFields, checkHint, collateFilter, parseCollation } from './options.js';
import type { Collation } from './options.js';
import {
  cloneDocument,
  isPlainObject,
  keyString,
  numberKind,
  originOf,
  pathValues,
  sortDocuments,
  toNumber,
  viewOf,
} from './values.js';
import type { Doc } from './values.js';
import { MAX_BSON_OBJECT_SIZE, MAX_MESSAGE_SIZE } from './wire.js';

/** What a handler can see of the server and of the connection the command came on. */
export interface CommandContext {
  readonly storage: Storage;
  readonly cursors: CursorRegistry;
  readonly connectionId: number;
  readonly remote: string;
  readonly startedAt: number;
  readonly connections: () => number;
}

type Handler = (cmd: Doc, db: string, ctx: CommandContext) => Doc;

/** The server we pretend to be: MongoDB 7.0's wire version, so current drivers talk to it normally. */
const VERSION = '7.0.0';
const MAX_WIRE_VERSION = 21;

const MINGO_OPTIONS: Partial<Options> = { scriptEnabled: false };

/** How a query runs: the engine's options (variables from `let`, lookups) and the collation to compare with. */
interface Scope {
  readonly options: Partial<Options>;
  readonly collation: Collation | undefined;
}

/**
 * The scope of a query. `collation` is read from `source` (the command, or one update/delete statement);
 * `let` always from the command, where mongod takes it, so `$$vars` are visible in update and delete filters.
 */
function scopeOf(source: Doc, ctx: CommandContext, db: string, cmd: Doc = source): Scope {
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
function compile(filter: unknown, options: Partial<Options> = MINGO_OPTIONS): Query {
  if (filter !== undefined && filter !== null && !isPlainObject(filter)) {
    throw commandError('TypeMismatch', 'filter must be an object');
  }
  try {
    return new Query(viewOf(filter ?? {}), options);
  } catch (err) {
    throw commandError('BadValue', (err as Error).message);
  }
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw commandError('BadValue', (err as Error).message);
  }
}

function optionalDocument(cmd: Doc, field: string): Doc | undefined {
  const value: unknown = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw commandError('TypeMismatch', `'${field}' must be an object`);
  return value;
}

function optionalNumber(cmd: Doc, field: string): number | undefined {
  const value: unknown = cmd[field];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'bigint' ? Number(value) : numberKind(value) ? toNumber(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw commandError('TypeMismatch', `'${field}' must be a number`);
  return n;
}

function collectionName(cmd: Doc, name: string): string {
  const value: unknown = cmd[name];
  if (typeof value !== 'string')
    throw commandError('InvalidNamespace', `collection name has invalid type ${typeof value}`);
  return value;
}

/** Finds matching documents in natural or given order, before projection. */
function select(
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

function project(docs: Doc[], projection: Doc | undefined): Doc[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  return guard(() => new Query({}, MINGO_OPTIONS).find(docs as AnyObject[], projection).all() as Doc[]);
}

function checkNoTransaction(cmd: Doc): void {
  if (cmd.txnNumber !== undefined || cmd.startTransaction !== undefined || cmd.autocommit !== undefined) {
    throw commandError(
      'IllegalOperation',
      'Transaction numbers are only allowed on a replica set member or mongos',
    );
  }
}

const handlers: Record<string, Handler> = {
  hello: (cmd, _db, ctx) => ({
    ...(cmd.helloOk === true ? { helloOk: true } : {}),
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  }),

  ping: () => ({ ok: 1 }),

  buildInfo: () => ({
    version: VERSION,
    gitVersion: 'polus-bot-embedded',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    storageEngines: ['embedded'],
    modules: [],
    ok: 1,
  }),

  endSessions: () => ({ ok: 1 }),
  killSessions: () => ({ ok: 1 }),
  refreshSessions: () => ({ ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['polus-bot-embedded'], parsed: {}, ok: 1 }),
  getParameter: () => ({ featureCompatibilityVersion: { version: '7.0' }, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  whatsmyuri: (_cmd, _db, ctx) => ({ you: ctx.remote, ok: 1 }),
  hostInfo: () => ({
    system: {
      hostname: os.hostname(),
      cpuArch: os.arch(),
      numCores: os.cpus().length,
      memSizeMB: Math.round(os.totalmem() / 2 ** 20),
    },
    os: { type: os.type(), name: os.platform(), version: os.release() },
    ok: 1,
  }),
  serverStatus: (_cmd, _db, ctx) => ({
    host: os.hostname(),
    version: VERSION,
    process: 'polus-bot-embedded',
    pid: process.pid,
    uptime: Math.floor((Date.now() - ctx.startedAt) / 1000),
    uptimeMillis: Date.now() - ctx.startedAt,
    localTime: new Date(),
    connections: { current: ctx.connections() },
    metrics: { cursor: { open: { total: ctx.cursors.size } } },
    ok: 1,
  }),

  dbStats: (_cmd, db, ctx) => {
    const colls = ctx.storage.databases.get(db);
    let objects = 0;
    let indexes = 0;
    for (const coll of colls?.values() ?? []) {
      objects += coll.docs.size;
      indexes += coll.indexes.size + 1;
    }
    return { db, collections: colls?.size ?? 0, views: 0, objects, indexes, ok: 1 };
  },

  create: (cmd, db, ctx) => {
    const name = collectionName(cmd, 'create');
    if (cmd.viewOn !== undefined)
      throw commandError('IllegalOperation', 'views are not supported by the embedded server');
    // Options that would change what the collection accepts or returns (a validator, a cap, a default
    // collation, time series) are refused rather than stored and ignored.
    checkFields(
      cmd,
      'create',
      ['create'],
      [
        'capped',
        'size',
        'max',
        'validator',
        'validationLevel',
        'validationAction',
        'pipeline',
        'collation',
        'timeseries',
        'clusteredIndex',
        'expireAfterSeconds',
        'changeStreamPreAndPostImages',
        'encryptedFields',
        'storageEngine',
        'indexOptionDefaults',
        'idIndex',
        'autoIndexId',
        'recordPreImages',
      ],
    );
    if (ctx.storage.getCollection(db, name)) {
      throw commandError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    }
    const options: Doc = {};
    for (const [key, value] of Object.entries(cmd)) {
      if (
        !['create', '$db', 'lsid', '$clusterTime', 'writeConcern', '$readPreference', 'comment'].includes(key)
      )
        options[key] = value;
    }
    ctx.storage.ensureCollection(db, name, options);
    return { ok: 1 };
  },

  drop: (cmd, db, ctx) => {
    const name = collectionName(cmd, 'drop');
    validateNamespace(db, name);
    const dropped = ctx.storage.dropCollection(db, name);
    return { ns: `${db}.${name}`, nIndexesWas: dropped ? dropped.indexes.size + 1 : 0, ok: 1 };
  },

  dropDatabase: (_cmd, db, ctx) => {
    validateNamespace(db);
    ctx.storage.dropDatabase(db);
    return { dropped: db, ok: 1 };
  },

  listCollections: (cmd, db, ctx) => {
    const colls = Array.from(ctx.storage.databases.get(db)?.values() ?? []);
    const infos = colls.map((coll) =>
      cmd.nameOnly === true
        ? { name: coll.name, type: 'collection' }
        : {
            name: coll.name,
            type: 'collection',
            options: coll.options,
            info: { readOnly: false, uuid: coll.uuid },
            idIndex: coll.idSpec(),
          },
    );
    const filter = optionalDocument(cmd, 'filter');
    const matched = filter
      ? guard(
          () =>
            compile(filter)
              .find(infos as AnyObject[])
              .all() as Doc[],
        )
      : infos;
    const cursorOptions = optionalDocument(cmd, 'cursor');
    return cursorReply(
      ctx,
      `${db}.$cmd.listCollections`,
      matched,
      optionalNumber(cursorOptions ?? {}, 'batchSize'),
    );
  },

  listDatabases: (cmd, _db, ctx) => {
    let databases: Doc[] = Array.from(ctx.storage.databases.entries(), ([name, colls]) => {
      let docs = 0;
      for (const coll of colls.values()) docs += coll.docs.size;
      return cmd.nameOnly === true ? { name } : { name, sizeOnDisk: docs * 256, empty: docs === 0 };
    });
    const filter = optionalDocument(cmd, 'filter');
    if (filter)
      databases = guard(
        () =>
          compile(filter)
            .find(databases as AnyObject[])
            .all() as Doc[],
      );
    if (cmd.nameOnly === true) return { databases, ok: 1 };
    const totalSize = databases.reduce((sum, d) => sum + Number(d.sizeOnDisk), 0);
    return { databases, totalSize, totalSizeMb: Math.round(totalSize / 2 ** 20), ok: 1 };
  },

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

  insert: (cmd, db, ctx) => {
    checkNoTransaction(cmd);
    const name = collectionName(cmd, 'insert');
    checkFields(cmd, 'insert', ['insert', 'documents', 'ordered', 'bypassDocumentValidation']);
    checkConcerns(cmd);
    const documents: unknown = cmd.documents;
    if (!Array.isArray(documents)) throw commandError('TypeMismatch', "Field 'documents' must be an array");
    const ordered = cmd.ordered !== false;
    const { coll } = ctx.storage.ensureCollection(db, name);
    let n = 0;
    const writeErrors: Doc[] = [];
    for (const [index, raw] of (documents as unknown[]).entries()) {
      try {
        if (!isPlainObject(raw)) throw commandError('TypeMismatch', 'document to insert must be an object');
        const doc = withIdFirst(raw);
        if (Array.isArray(doc._id)) throw commandError('BadValue', "can't use an array for _id");
        ctx.storage.insert(coll, doc);
        n += 1;
      } catch (err) {
        writeErrors.push(writeError(index, err));
        if (ordered) break;
      }
    }
    return { n, ...(writeErrors.length > 0 ? { writeErrors } : {}), ok: 1 };
  },

  update: (cmd, db, ctx) => {
    checkNoTransaction(cmd);
    const name = collectionName(cmd, 'update');
    validateNamespace(db, name);
    checkFields(cmd, 'update', ['update', 'updates', 'ordered', 'bypassDocumentValidation', 'let']);
    checkConcerns(cmd);
    const updates: unknown = cmd.updates;
    if (!Array.isArray(updates)) throw commandError('TypeMismatch', "Field 'updates' must be an array");
    // mongod parses every statement before running any: an unknown field fails the whole command.
    for (const statement of updates as unknown[]) {
      if (!isPlainObject(statement)) continue;
      checkFields(
        statement,
        'update.updates',
        ['q', 'u', 'multi', 'upsert', 'arrayFilters', 'collation', 'hint', 'sort', 'upsertSupplied', 'c'],
        [],
        false,
      );
    }
    const ordered = cmd.ordered !== false;
    let n = 0;
    let nModified = 0;
    const upserted: Doc[] = [];
    const writeErrors: Doc[] = [];
    for (const [index, statement] of (updates as unknown[]).entries()) {
      try {
        if (!isPlainObject(statement))
          throw commandError('TypeMismatch', 'update statement must be an object');
        const q = optionalDocument(statement, 'q') ?? {};
        const u = checkUpdate(statement.u);
        const multi = statement.multi === true;
        if (multi && !Array.isArray(u) && !Object.keys(u).some((k) => k.startsWith('$'))) {
          throw commandError('FailedToParse', 'multi update is not supported for replacement-style update');
        }
        const arrayFilters = statement.arrayFilters as Doc[] | undefined;
        const coll = ctx.storage.getCollection(db, name);
        checkHint(statement.hint, coll);
        const scope = scopeOf(statement, ctx, db, cmd);
        let matches = select(coll, q, optionalDocument(statement, 'sort'), scope);
        if (!multi) matches = matches.slice(0, 1);
        if (coll && matches.length > 0) {
          for (const doc of matches) {
            const next = updatedDocument(doc, u, q, arrayFilters, scope.options.variables);
            n += 1;
            if (keyString(next) === keyString(doc)) continue;
            ctx.storage.replace(coll, next);
            nModified += 1;
          }
        } else if (statement.upsert === true) {
          const doc = upsertDocument(q, u, arrayFilters, scope.options.variables);
          ctx.storage.insert(ctx.storage.ensureCollection(db, name).coll, doc);
          n += 1;
          upserted.push({ index, _id: doc._id });
        }
      } catch (err) {
        writeErrors.push(writeError(index, err));
        if (ordered) break;
      }
    }
    return {
      n,
      nModified,
      ...(upserted.length > 0 ? { upserted } : {}),
      ...(writeErrors.length > 0 ? { writeErrors } : {}),
      ok: 1,
    };
  },

  delete: (cmd, db, ctx) => {
    checkNoTransaction(cmd);
    const name = collectionName(cmd, 'delete');
    validateNamespace(db, name);
    checkFields(cmd, 'delete', ['delete', 'deletes', 'ordered', 'let']);
    checkConcerns(cmd);
    const deletes: unknown = cmd.deletes;
    if (!Array.isArray(deletes)) throw commandError('TypeMismatch', "Field 'deletes' must be an array");
    for (const statement of deletes as unknown[]) {
      if (isPlainObject(statement))
        checkFields(statement, 'delete.deletes', ['q', 'limit', 'collation', 'hint'], [], false);
    }
    const ordered = cmd.ordered !== false;
    let n = 0;
    const writeErrors: Doc[] = [];
    for (const [index, statement] of (deletes as unknown[]).entries()) {
      try {
        if (!isPlainObject(statement))
          throw commandError('TypeMismatch', 'delete statement must be an object');
        const limit = optionalNumber(statement, 'limit') ?? 0;
        if (limit !== 0 && limit !== 1)
          throw commandError('BadValue', 'The limit field in delete objects must be 0 or 1');
        const coll = ctx.storage.getCollection(db, name);
        checkHint(statement.hint, coll);
        let matches = select(
          coll,
          optionalDocument(statement, 'q'),
          undefined,
          scopeOf(statement, ctx, db, cmd),
        );
        if (limit === 1) matches = matches.slice(0, 1);
        for (const doc of matches) if (coll && ctx.storage.delete(coll, doc._id)) n += 1;
      } catch (err) {
        writeErrors.push(writeError(index, err));
        if (ordered) break;
      }
    }
    return { n, ...(writeErrors.length > 0 ? { writeErrors } : {}), ok: 1 };
  },

  findAndModify: (cmd, db, ctx) => {
    checkNoTransaction(cmd);
    const name = collectionName(cmd, 'findAndModify');
    validateNamespace(db, name);
    checkFields(cmd, 'findAndModify', [
      'findAndModify',
      'findandmodify',
      'query',
      'sort',
      'remove',
      'update',
      'new',
      'fields',
      'upsert',
      'bypassDocumentValidation',
      'collation',
      'arrayFilters',
      'hint',
      'let',
    ]);
    checkConcerns(cmd);
    const remove = cmd.remove === true;
    const hasUpdate = cmd.update !== undefined && cmd.update !== null;
    if (remove && hasUpdate)
      throw commandError('FailedToParse', 'Cannot specify both an update and remove=true');
    if (!remove && !hasUpdate)
      throw commandError('FailedToParse', 'Either an update or remove=true must be specified');
    if (remove && cmd.upsert === true)
      throw commandError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
    if (remove && cmd.new === true)
      throw commandError('FailedToParse', 'Cannot specify both new=true and remove=true');
    const query = optionalDocument(cmd, 'query') ?? {};
    const fields = optionalDocument(cmd, 'fields');
    const coll = ctx.storage.getCollection(db, name);
    checkHint(cmd.hint, coll);
    const scope = scopeOf(cmd, ctx, db);
    const [match] = select(coll, query, optionalDocument(cmd, 'sort'), scope);
    const shown = (doc: Doc | undefined): Doc | null => (doc ? (project([doc], fields)[0] ?? null) : null);
    if (remove) {
      if (match && coll) ctx.storage.delete(coll, match._id);
      return { lastErrorObject: { n: match ? 1 : 0 }, value: shown(match), ok: 1 };
    }
    const u = checkUpdate(cmd.update);
    const arrayFilters = cmd.arrayFilters as Doc[] | undefined;
    if (match && coll) {
      const next = updatedDocument(match, u, query, arrayFilters, scope.options.variables);
      if (keyString(next) !== keyString(match)) ctx.storage.replace(coll, next);
      return {
        lastErrorObject: { n: 1, updatedExisting: true },
        value: shown(cmd.new === true ? next : match),
        ok: 1,
      };
    }
    if (cmd.upsert === true) {
      const doc = upsertDocument(query, u, arrayFilters, scope.options.variables);
      ctx.storage.insert(ctx.storage.ensureCollection(db, name).coll, doc);
      return {
        lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
        value: cmd.new === true ? shown(doc) : null,
        ok: 1,
      };
    }
    return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  },

  aggregate: (cmd, db, ctx) => {
    const target: unknown = cmd.aggregate;
    const pipeline: unknown = cmd.pipeline;
    if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject)) {
      throw commandError('TypeMismatch', "'pipeline' option must be specified as an array");
    }
    if (cmd.explain === true)
      throw commandError('IllegalOperation', 'explain is not supported by the embedded server');
    const cursorOptions = optionalDocument(cmd, 'cursor');
    if (!cursorOptions && cmd.explain !== true) {
      throw commandError(
        'FailedToParse',
        "The 'cursor' option is required, except for aggregate with the explain argument",
      );
    }
    checkFields(cmd, 'aggregate', [
      'aggregate',
      'pipeline',
      'cursor',
      'explain',
      'allowDiskUse',
      'bypassDocumentValidation',
      'collation',
      'hint',
      'let',
    ]);
    checkConcerns(cmd);
    const given = pipeline;
    given.forEach((stage, i) => {
      const stage0 = stageName(stage);
      if ((stage0 === '$out' || stage0 === '$merge') && i !== given.length - 1) {
        throw commandError('Location40601', `${stage0} can only be the final stage in the pipeline`);
      }
    });
    const last = given[given.length - 1];
    const writer = last && (stageName(last) === '$out' || stageName(last) === '$merge') ? last : undefined;
    const scope = scopeOf(cmd, ctx, db);
    const collated = collatePipeline(writer ? given.slice(0, -1) : given, scope.collation);
    const body = collated.flatMap(expandCount);
    const name = typeof target === 'string' ? target : undefined;
    if (name !== undefined) validateNamespace(db, name);
    const coll = name !== undefined ? ctx.storage.getCollection(db, name) : undefined;
    checkHint(cmd.hint, coll);
    const options: Partial<Options> = scope.collation
      ? { ...scope.options, collation: cmd.collation as Options['collation'] }
      : scope.options;
    let input: Doc[];
    let rest = body;
    const first = body[0];
    if (first && isPlainObject(first.$match) && Object.keys(first).length === 1) {
      input = select(coll, first.$match, undefined, scope);
      rest = body.slice(1);
    } else {
      input = coll ? Array.from(coll.docs.values()) : [];
    }
    const results = rest.length === 0 ? input : guard(() => runStages(rest, input, options));
    if (writer) {
      if ('$out' in writer) writeOut(ctx, db, writer.$out, results);
      else writeMerge(ctx, db, writer.$merge, results);
      return cursorReply(ctx, `${db}.${name ?? '$cmd.aggregate'}`, [], undefined);
    }
    return cursorReply(
      ctx,
      `${db}.${name ?? '$cmd.aggregate'}`,
      results,
      optionalNumber(cursorOptions ?? {}, 'batchSize'),
    );
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

  renameCollection: (cmd, _db, ctx) => {
    const from: unknown = cmd.renameCollection;
    const to: unknown = cmd.to;
    if (typeof from !== 'string' || typeof to !== 'string')
      throw commandError('TypeMismatch', "'renameCollection' and 'to' must be strings");
    const [fromDb, fromName] = splitNamespace(from);
    const [toDb, toName] = splitNamespace(to);
    const source = ctx.storage.getCollection(fromDb, fromName);
    if (!source) throw commandError('NamespaceNotFound', `Source collection ${from} does not exist`);
    if (ctx.storage.getCollection(toDb, toName)) {
      if (cmd.dropTarget !== true) throw commandError('NamespaceExists', `target namespace exists`);
      ctx.storage.dropCollection(toDb, toName);
    }
    const { coll: target } = ctx.storage.ensureCollection(toDb, toName, source.options);
    for (const index of source.indexes.values()) ctx.storage.createIndex(target, index.spec);
    for (const doc of source.docs.values()) ctx.storage.insert(target, doc);
    ctx.storage.dropCollection(fromDb, fromName);
    return { ok: 1 };
  },
};

const aliases: Record<string, string> = {
  ismaster: 'hello',
  isMaster: 'hello',
  findandmodify: 'findAndModify',
  buildinfo: 'buildInfo',
};

/** Stages that never write into the documents they are given, so stored documents need no copy. */
const PURE_STAGES = new Set([
  '$match',
  '$sort',
  '$skip',
  '$limit',
  '$count',
  '$group',
  '$sortByCount',
  '$project',
  '$unwind',
  '$lookup',
]);

/** Stages whose output documents are input documents (filtered or reordered), so held types carry through. */
const KEEPING_STAGES = new Set(['$match', '$sort', '$skip', '$limit']);

function stageName(stage: Doc | undefined): string {
  return stage ? (Object.keys(stage)[0] ?? '') : '';
}

/**
 * Runs a pipeline so that numbers keep their BSON types as far as mongod would keep them: stages that only
 * filter or reorder run on the query engine's views and give back the held documents, and plain inclusion or
 * exclusion projections run on the held documents. From the first other stage ($group, $addFields, …) on,
 * the rest runs on views, where an int64 or a round double that passes through unchanged comes out as an
 * int32 (a documented limit of the embedded server; the app's pipelines do not depend on it).
 */
function runStages(stages: Doc[], input: Doc[], options: Partial<Options>): Doc[] {
  let docs = input;
  let i = 0;
  while (i < stages.length) {
    if (KEEPING_STAGES.has(stageName(stages[i]))) {
      let j = i;
      while (j < stages.length && KEEPING_STAGES.has(stageName(stages[j]))) j += 1;
      const views = docs.map((doc) => viewOf(doc));
      docs = new Aggregator(stages.slice(i, j) as AnyObject[], options)
        .run<Doc>(views as AnyObject[])
        .map(originOf);
      i = j;
      continue;
    }
    const projection = plainProjection(stages[i] as Doc);
    if (projection) {
      docs = project(docs, projection);
      i += 1;
      continue;
    }
    const rest = stages.slice(i);
    const views = docs.map((doc) => viewOf(doc));
    const inputs = rest.every(isPureStage) ? views : views.map((doc) => cloneDocument(doc));
    return new Aggregator(rest, options).run<Doc>(inputs as AnyObject[]);
  }
  return docs;
}

/** `$project` of plain 0/1/true/false fields, or `$unset`, as a find projection; undefined otherwise. */
function plainProjection(stage: Doc): Doc | undefined {
  if (Object.keys(stage).length !== 1) return undefined;
  const unset: unknown = stage.$unset;
  if (typeof unset === 'string') return { [unset]: 0 };
  if (Array.isArray(unset) && unset.length > 0 && unset.every((f) => typeof f === 'string')) {
    return Object.fromEntries(unset.map((f: string) => [f, 0]));
  }
  const spec: unknown = stage.$project;
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) return undefined;
  const plain = Object.entries(spec).every(
    ([field, v]) =>
      !field.startsWith('$') &&
      (typeof v === 'boolean' || (numberKind(v) !== undefined && [0, 1].includes(toNumber(v)))),
  );
  return plain ? spec : undefined;
}

function isPureStage(stage: Doc): boolean {
  const [name] = Object.keys(stage);
  return name !== undefined && PURE_STAGES.has(name);
}

/** Cursor ids travel as int64: a number when small, a `Long` when not. */
function cursorId(raw: unknown): bigint | undefined {
  if (typeof raw === 'bigint') return raw;
  if (typeof raw === 'number' && Number.isInteger(raw)) return BigInt(raw);
  if (raw instanceof Long) return BigInt(raw.toString());
  return undefined;
}

/** `$count` as mongod runs it: a group that yields nothing for no input (mingo's yields a zero). */
function expandCount(stage: Doc): Doc[] {
  const field: unknown = stage.$count;
  if (Object.keys(stage).length !== 1 || typeof field !== 'string') return [stage];
  return [{ $group: { _id: null, [field]: { $sum: 1 } } }, { $project: { _id: 0 } }];
}

function splitNamespace(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  if (dot <= 0) throw commandError('InvalidNamespace', `Invalid namespace specified '${ns}'`);
  const db = ns.slice(0, dot);
  const coll = ns.slice(dot + 1);
  validateNamespace(db, coll);
  return [db, coll];
}

/** mongod stores `_id` as the first field and generates one when the client did not. */
function withIdFirst(doc: Doc): Doc {
  const keys = Object.keys(doc);
  if (keys[0] === '_id') return doc;
  const out: Doc = { _id: '_id' in doc ? doc._id : new ObjectId() };
  for (const key of keys) if (key !== '_id') out[key] = doc[key];
  return out;
}

/** Stages that run as mongod would under a case-insensitive collation (their `$match` filters rewritten). */
const COLLATED_STAGES = new Set(['$match', '$sort', '$skip', '$limit', '$count']);

/**
 * The pipeline to run under a collation. Strength 3 changes only order ($sort, which the engine collates).
 * Strength 2 rewrites `$match` filters for case-insensitive equality and refuses every stage whose
 * comparisons it would not collate ($group keys, $lookup joins, expressions), with InvalidOptions (72).
 */
function collatePipeline(stages: Doc[], collation: Collation | undefined): Doc[] {
  if (!collation || collation.strength === 3) return stages;
  return stages.map((stage) => {
    const name = stageName(stage);
    if (!COLLATED_STAGES.has(name) && !plainProjection(stage) && !isConstantCount(stage)) {
      throw commandError(
        'InvalidOptions',
        `${name} under a case-insensitive collation is not supported by the embedded server`,
      );
    }
    return name === '$match' && isPlainObject(stage.$match)
      ? { $match: collateFilter(stage.$match, collation) }
      : stage;
  });
}

/** `{ $group: { _id: <constant>, n: { $sum: <number> } } }` (countDocuments): no string is compared. */
function isConstantCount(stage: Doc): boolean {
  const group: unknown = stage.$group;
  if (Object.keys(stage).length !== 1 || !isPlainObject(group)) return false;
  const id: unknown = group._id;
  if (typeof id === 'string' || isPlainObject(id) || Array.isArray(id)) return false;
  return Object.entries(group).every(
    ([field, acc]) =>
      field === '_id' ||
      (isPlainObject(acc) && Object.keys(acc).length === 1 && numberKind(acc.$sum) !== undefined),
  );
}

const MERGE_FIELDS = ['into', 'on', 'whenMatched', 'whenNotMatched', 'let'];

/**
 * `$merge` into a collection, as mongod does it with `on: '_id'` (the default): each result is matched
 * by `_id` in the target (created when missing); `whenMatched` is `merge` (default: the result's fields
 * over the existing document), `replace`, `keepExisting` or `fail` (E11000); `whenNotMatched` is `insert`
 * (default), `discard` or `fail` (MergeStageNoMatchingDocument, 13113). Other `on` fields, pipeline
 * `whenMatched` and `let` are refused with InvalidOptions (72).
 */
function writeMerge(ctx: CommandContext, db: string, spec: unknown, results: Doc[]): void {
  const merge: Doc = typeof spec === 'string' ? { into: spec } : isPlainObject(spec) ? spec : {};
  if (!isPlainObject(spec) && typeof spec !== 'string') {
    throw commandError('TypeMismatch', '$merge requires a string or object argument');
  }
  checkFields(merge, '$merge', MERGE_FIELDS, [], false);
  const into: unknown = merge.into;
  const [targetDb, targetName] =
    typeof into === 'string'
      ? [db, into]
      : isPlainObject(into) && typeof into.coll === 'string'
        ? [typeof into.db === 'string' ? into.db : db, into.coll]
        : (() => {
            throw commandError('FailedToParse', "$merge 'into' must be a collection name or { db, coll }");
          })();
  const on: unknown = merge.on ?? '_id';
  if (!(on === '_id' || (Array.isArray(on) && on.length === 1 && on[0] === '_id'))) {
    throw commandError(
      'InvalidOptions',
      "$merge 'on' fields other than _id are not supported by the embedded server",
    );
  }
  if (merge.let !== undefined) {
    throw commandError('InvalidOptions', "$merge 'let' is not supported by the embedded server");
  }
  const whenMatched: unknown = merge.whenMatched ?? 'merge';
  const whenNotMatched: unknown = merge.whenNotMatched ?? 'insert';
  if (
    typeof whenMatched !== 'string' ||
    !['merge', 'replace', 'keepExisting', 'fail'].includes(whenMatched)
  ) {
    throw commandError(
      'InvalidOptions',
      "$merge 'whenMatched' pipelines are not supported by the embedded server",
    );
  }
  if (typeof whenNotMatched !== 'string' || !['insert', 'discard', 'fail'].includes(whenNotMatched)) {
    throw commandError(
      'BadValue',
      `Enumeration value '${String(whenNotMatched)}' for field '$merge.whenNotMatched' is not a valid value.`,
    );
  }
  const { coll } = ctx.storage.ensureCollection(targetDb, targetName);
  for (const raw of results) {
    const doc = withIdFirst(raw);
    const existing = coll.docs.get(keyString(doc._id));
    if (existing) {
      if (whenMatched === 'fail') throw duplicateKeyError(coll.ns, '_id_', { _id: 1 }, { _id: doc._id });
      if (whenMatched === 'keepExisting') continue;
      const next = whenMatched === 'replace' ? doc : { ...existing, ...doc };
      if (keyString(next) !== keyString(existing)) ctx.storage.replace(coll, next);
    } else if (whenNotMatched === 'insert') {
      ctx.storage.insert(coll, doc);
    } else if (whenNotMatched === 'fail') {
      throw commandError(
        'MergeStageNoMatchingDocument',
        '$merge could not find a matching document in the target collection for at least one document in the source collection',
      );
    }
  }
}

function writeOut(ctx: CommandContext, db: string, out: unknown, results: Doc[]): void {
  const [targetDb, targetName] =
    typeof out === 'string'
      ? [db, out]
      : isPlainObject(out) && typeof out.coll === 'string'
        ? [typeof out.db === 'string' ? out.db : db, out.coll]
        : (() => {
            throw commandError('TypeMismatch', '$out must be a collection name or { db, coll }');
          })();
  const existing = ctx.storage.getCollection(targetDb, targetName);
  const specs = existing ? Array.from(existing.indexes.values(), (i) => i.spec) : [];
  if (existing) ctx.storage.dropCollection(targetDb, targetName);
  const { coll } = ctx.storage.ensureCollection(targetDb, targetName);
  for (const spec of specs) ctx.storage.createIndex(coll, spec);
  for (const doc of results) ctx.storage.insert(coll, withIdFirst(doc));
}

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

function cursorReply(
  ctx: CommandContext,
  ns: string,
  docs: Doc[],
  batchSize: number | undefined,
  singleBatch = false,
): Doc {
  const { batch, id } = ctx.cursors.open(ns, docs, batchSize, singleBatch);
  return { cursor: { firstBatch: batch, id, ns }, ok: 1 };
}

function writeError(index: number, err: unknown): Doc {
  if (err instanceof CommandError) return { index, code: err.code, errmsg: err.message, ...err.extra };
  return { index, code: 1, errmsg: (err as Error).message };
}

/** Runs one command. Every failure becomes the real server's error document; nothing throws out of here. */
export function runCommand(cmd: Doc, db: string, ctx: CommandContext): Doc {
  const [first] = Object.keys(cmd);
  if (first === undefined) return commandError('FailedToParse', 'empty command').toReply();
  const name = aliases[first] ?? first;
  const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  if (!handler) {
    return commandError('CommandNotFound', `no such command: '${first}'`).toReply();
  }
  try {
    return handler(cmd, db, ctx);
  } catch (err) {
    if (err instanceof CommandError) return err.toReply();
    return commandError('InternalError', (err as Error).message).toReply();
  }
}
