import type { AnyObject } from 'mingo/types';
import { commandError } from './errors.js';
import { collectionName, cursorReply, optionalDocument, optionalNumber } from './handler.js';
import type { Handler } from './handler.js';
import { checkFields } from './options.js';
import { compile, guard } from './query.js';
import { validateNamespace } from './storage.js';
import type { Doc } from './values.js';

/** Databases and collections as wholes: statistics, create, drop, list and rename. */
export const namespaceCommands: Record<string, Handler> = {
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

/** `db.collection` into its two validated parts; InvalidNamespace without a database. */
function splitNamespace(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  if (dot <= 0) throw commandError('InvalidNamespace', `Invalid namespace specified '${ns}'`);
  const db = ns.slice(0, dot);
  const coll = ns.slice(dot + 1);
  validateNamespace(db, coll);
  return [db, coll];
}
