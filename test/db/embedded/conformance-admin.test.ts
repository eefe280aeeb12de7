/**
 * Conformance: index management, collections and databases, server commands, TTL expiry, and
 * mongoose models end to end. Drives the server only through the official driver and mongoose, so
 * it runs unchanged against a real MongoDB (set MONGODB_URI) and against the embedded server (default).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, ObjectId } from 'mongodb';
import type { Db, Document } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import { useTestDatabase } from '../../helpers/mongo.js';
import type { TestDatabase } from '../../helpers/mongo.js';
import { rejectionOf, serverErrorOf, waitUntil } from './conformance-helpers.js';

/** Real mongod sweeps TTL indexes every 60 s; the embedded server is told to sweep every 200 ms. */
const AGAINST_REAL = Boolean(process.env.MONGODB_URI);
const TTL_WAIT_MS = AGAINST_REAL ? 130_000 : 15_000;
const TTL_TEST_TIMEOUT_MS = TTL_WAIT_MS + 20_000;

let testDb: TestDatabase;
let client: MongoClient;
let db: Db;
let conn: Connection;

beforeAll(async () => {
  testDb = await useTestDatabase('conformance-admin', { ttlSweepIntervalMs: 200 });
  client = new MongoClient(testDb.uri);
  await client.connect();
  db = client.db(testDb.dbName);
  conn = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
});

afterAll(async () => {
  if (conn) await conn.close();
  if (client) {
    await db.dropDatabase();
    await client.close();
  }
  if (testDb) await testDb.close();
});

interface IndexInfo {
  name: string;
  key: Record<string, number>;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Document;
}

async function indexesOf(collection: string): Promise<IndexInfo[]> {
  const list = await db.collection(collection).listIndexes().toArray();
  return (list as IndexInfo[]).sort((a, b) => a.name.localeCompare(b.name));
}

async function collectionNames(database: Db = db): Promise<string[]> {
  const list = await database.listCollections({}, { nameOnly: true }).toArray();
  return list.map((c) => c.name).sort();
}

async function databaseNames(): Promise<string[]> {
  const { databases } = await client.db('admin').admin().listDatabases();
  return databases.map((d) => d.name);
}

describe('indexes', () => {
  it('when indexes are created, then listIndexes shows them with their keys and options next to _id_', async () => {
    const coll = db.collection('idx_list');
    await coll.insertOne({ a: 1 });

    const single = await coll.createIndex({ a: 1 });
    const named = await coll.createIndex({ b: -1, 'c.d': 1 }, { name: 'custom_bc' });
    const many = await coll.createIndexes([
      { key: { u: 1 }, unique: true },
      { key: { s: 1 }, sparse: true },
      { key: { p: 1 }, partialFilterExpression: { p: { $exists: true } } },
    ]);

    expect(single).toBe('a_1');
    expect(named).toBe('custom_bc');
    expect(many).toEqual(['u_1', 's_1', 'p_1']);
    const indexes = await indexesOf('idx_list');
    expect(indexes.map((i) => i.name)).toEqual(['_id_', 'a_1', 'custom_bc', 'p_1', 's_1', 'u_1']);
    const byName = new Map(indexes.map((i) => [i.name, i]));
    expect(byName.get('_id_')?.key).toEqual({ _id: 1 });
    expect(byName.get('custom_bc')?.key).toEqual({ b: -1, 'c.d': 1 });
    expect(Object.keys(byName.get('custom_bc')?.key ?? {})).toEqual(['b', 'c.d']);
    expect(byName.get('u_1')?.unique).toBe(true);
    expect(byName.get('a_1')?.unique).toBeUndefined();
    expect(byName.get('s_1')?.sparse).toBe(true);
    expect(byName.get('p_1')?.partialFilterExpression).toEqual({ p: { $exists: true } });
  });

  it('when indexExists is asked, then it is true only for existing index names', async () => {
    const coll = db.collection('idx_exists');
    await coll.createIndex({ a: 1 });
    await coll.createIndex({ b: 1 });

    expect(await coll.indexExists('a_1')).toBe(true);
    expect(await coll.indexExists(['a_1', 'b_1'])).toBe(true);
    expect(await coll.indexExists(['a_1', 'zzz_1'])).toBe(false);
    expect(await coll.indexExists('zzz_1')).toBe(false);
  });

  it('when the same index is created twice, then the second call is a no-op returning the same name', async () => {
    const coll = db.collection('idx_twice');

    const first = await coll.createIndex({ x: 1 }, { unique: true });
    const second = await coll.createIndex({ x: 1 }, { unique: true });

    expect(first).toBe('x_1');
    expect(second).toBe('x_1');
    expect((await indexesOf('idx_twice')).map((i) => i.name)).toEqual(['_id_', 'x_1']);
  });

  it('when an index is created on a missing collection, then the collection is created with it', async () => {
    await db.collection('idx_creates_coll').createIndex({ k: 1 });

    expect(await collectionNames()).toContain('idx_creates_coll');
    expect((await indexesOf('idx_creates_coll')).map((i) => i.name)).toEqual(['_id_', 'k_1']);
  });

  it('when an index with an existing name but other key options is created, then it fails with IndexKeySpecsConflict (86)', async () => {
    const coll = db.collection('idx_conflict_unique');
    await coll.createIndex({ email: 1 });

    const error = await serverErrorOf(coll.createIndex({ email: 1 }, { unique: true }));

    expect(error.code).toBe(86);
    expect(
      (await indexesOf('idx_conflict_unique')).find((i) => i.name === 'email_1')?.unique,
    ).toBeUndefined();
  });

  it('when a TTL index is re-created with another expireAfterSeconds, then it fails with IndexOptionsConflict (85)', async () => {
    const coll = db.collection('idx_conflict_ttl');
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 60 });

    const error = await serverErrorOf(coll.createIndex({ at: 1 }, { expireAfterSeconds: 120 }));

    expect(error.code).toBe(85);
    expect((await indexesOf('idx_conflict_ttl')).find((i) => i.name === 'at_1')?.expireAfterSeconds).toBe(60);
  });

  it('when dropIndex and dropIndexes run, then the named index goes and then all but _id_ go', async () => {
    const coll = db.collection('idx_drop');
    await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);

    await coll.dropIndex('a_1');
    const afterOne = (await indexesOf('idx_drop')).map((i) => i.name);
    await coll.dropIndexes();
    const afterAll = (await indexesOf('idx_drop')).map((i) => i.name);

    expect(afterOne).toEqual(['_id_', 'b_1', 'c_1']);
    expect(afterAll).toEqual(['_id_']);
    expect(await coll.indexExists('b_1')).toBe(false);
  });

  it('when a missing index or the _id_ index is dropped, then it fails with IndexNotFound (27) or InvalidOptions (72)', async () => {
    const coll = db.collection('idx_drop_errors');
    await coll.insertOne({ a: 1 });

    const missing = await serverErrorOf(coll.dropIndex('nope_1'));
    const idIndex = await serverErrorOf(coll.dropIndex('_id_'));

    expect(missing.code).toBe(27);
    expect(idIndex.code).toBe(72);
    expect((await indexesOf('idx_drop_errors')).map((i) => i.name)).toEqual(['_id_']);
  });

  it('when listIndexes runs on a missing collection, then it fails with NamespaceNotFound (26)', async () => {
    const error = await serverErrorOf(db.collection('idx_never_created').listIndexes().toArray());

    expect(error.code).toBe(26);
  });
});

describe('collections and databases', () => {
  it('when a collection is created, then listCollections shows it; creating it again fails with NamespaceExists (48)', async () => {
    await db.createCollection('coll_create');

    const listed = await db.listCollections({ name: 'coll_create' }).toArray();
    const error = await serverErrorOf(db.createCollection('coll_create'));

    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: 'coll_create', type: 'collection' });
    expect(error.code).toBe(48);
    expect(error.codeName).toBe('NamespaceExists');
  });

  it('when a document is inserted into a new collection, then the collection exists implicitly', async () => {
    expect(await collectionNames()).not.toContain('coll_implicit');

    await db.collection('coll_implicit').insertOne({ a: 1 });

    expect(await collectionNames()).toContain('coll_implicit');
  });

  it('when a collection is dropped, then it and its documents and indexes are gone', async () => {
    const coll = db.collection('coll_drop');
    await coll.insertMany([{ a: 1 }, { a: 2 }]);
    await coll.createIndex({ a: 1 });

    const dropped = await coll.drop();

    expect(dropped).toBe(true);
    expect(await collectionNames()).not.toContain('coll_drop');
    expect(await coll.countDocuments({})).toBe(0);
    await coll.insertOne({ a: 3 });
    expect((await indexesOf('coll_drop')).map((i) => i.name)).toEqual(['_id_']);
  });

  it('when a collection is renamed, then its documents and indexes move to the new name', async () => {
    const coll = db.collection('coll_rename_from');
    await coll.insertMany([{ k: 1 }, { k: 2 }]);
    await coll.createIndex({ k: 1 }, { unique: true });

    await coll.rename('coll_rename_to');

    const names = await collectionNames();
    expect(names).toContain('coll_rename_to');
    expect(names).not.toContain('coll_rename_from');
    expect(await db.collection('coll_rename_to').countDocuments({})).toBe(2);
    expect((await indexesOf('coll_rename_to')).map((i) => i.name)).toEqual(['_id_', 'k_1']);
  });

  it('when listDatabases runs on admin, then our database is listed', async () => {
    await db.collection('coll_listdb').insertOne({ a: 1 });

    const names = await databaseNames();

    expect(names).toContain(testDb.dbName);
  });

  it('when a database is dropped, then it leaves listDatabases and has no collections', async () => {
    const other = client.db(`${testDb.dbName}_drop`);
    await other.collection('a').insertOne({ x: 1 });
    await other.collection('b').insertOne({ y: 1 });
    const before = await databaseNames();

    const dropped = await other.dropDatabase();

    expect(before).toContain(other.databaseName);
    expect(dropped).toBe(true);
    expect(await databaseNames()).not.toContain(other.databaseName);
    expect(await collectionNames(other)).toEqual([]);
    expect(await collectionNames()).not.toContain('a');
  });
});

describe('commands', () => {
  it('when ping is sent, then the reply is ok 1', async () => {
    const reply = await db.command({ ping: 1 });

    expect(reply.ok).toBe(1);
  });

  it('when buildInfo is sent, then it gives a version string and array', async () => {
    const reply = await db.command({ buildInfo: 1 });

    expect(reply.ok).toBe(1);
    expect(reply.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Array.isArray(reply.versionArray)).toBe(true);
    expect((reply.versionArray as unknown[]).every((n) => typeof n === 'number')).toBe(true);
    expect(String((reply.versionArray as number[])[0])).toBe(String(reply.version).split('.')[0]);
  });

  it('when hello is sent, then the server is a writable primary with the standard size limits', async () => {
    const reply = await db.command({ hello: 1 });

    expect(reply.ok).toBe(1);
    expect(reply.isWritablePrimary).toBe(true);
    expect(reply.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(reply.maxMessageSizeBytes).toBe(48_000_000);
    expect(typeof reply.maxWireVersion).toBe('number');
  });

  it('when an unknown command is sent, then it fails with CommandNotFound (59) and the client keeps working', async () => {
    const error = await serverErrorOf(db.command({ definitelyNotACommand: 1 }));
    await db.collection('cmd_after_error').insertOne({ still: 'works' });
    const ping = await db.command({ ping: 1 });
    const found = await db.collection('cmd_after_error').findOne({ still: 'works' });

    expect(error.code).toBe(59);
    expect(error.codeName).toBe('CommandNotFound');
    expect(error.errmsg).toContain('no such command');
    expect(ping.ok).toBe(1);
    expect(found).toMatchObject({ still: 'works' });
  });
});

describe('TTL indexes', () => {
  it(
    'when a TTL index has expireAfterSeconds 0, then documents whose date is past are removed and the rest stay',
    async () => {
      const coll = db.collection<{ _id: string; expiresAt?: Date | Date[] | string }>('ttl_zero');
      await coll.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      const past = new Date(Date.now() - 60_000);
      const future = new Date(Date.now() + 3_600_000);
      await coll.insertMany([
        { _id: 'expired', expiresAt: past },
        { _id: 'array-with-past', expiresAt: [future, past] },
        { _id: 'future', expiresAt: future },
        { _id: 'no-field' },
        { _id: 'not-a-date', expiresAt: past.toISOString() },
      ]);

      await waitUntil(
        async () => (await coll.countDocuments({ _id: { $in: ['expired', 'array-with-past'] } })) === 0,
        { timeoutMs: TTL_WAIT_MS, intervalMs: 200, what: 'the TTL monitor to remove expired documents' },
      );

      const left = (await coll.find({}).toArray()).map((d) => d._id).sort();
      expect(left).toEqual(['future', 'no-field', 'not-a-date']);
      const ttlIndex = (await indexesOf('ttl_zero')).find((i) => i.name === 'expiresAt_1');
      expect(ttlIndex?.expireAfterSeconds).toBe(0);
    },
    TTL_TEST_TIMEOUT_MS,
  );

  it(
    'when a TTL index has expireAfterSeconds 1, then a document stamped now disappears and a future-stamped one stays',
    async () => {
      const coll = db.collection<{ _id: string; createdAt: Date }>('ttl_one');
      await coll.createIndex({ createdAt: 1 }, { expireAfterSeconds: 1 });
      await coll.insertMany([
        { _id: 'now', createdAt: new Date() },
        { _id: 'later', createdAt: new Date(Date.now() + 3_600_000) },
      ]);
      const initially = await coll.countDocuments({});

      await waitUntil(async () => (await coll.countDocuments({ _id: 'now' })) === 0, {
        timeoutMs: TTL_WAIT_MS,
        intervalMs: 200,
        what: 'the TTL monitor to remove the document stamped now',
      });

      expect(initially).toBe(2);
      expect((await coll.find({}).toArray()).map((d) => d._id)).toEqual(['later']);
    },
    TTL_TEST_TIMEOUT_MS,
  );
});

describe('mongoose', () => {
  interface Address {
    city: string;
    zip?: string;
  }
  interface Line {
    _id?: Types.ObjectId;
    sku: string;
    qty: number;
  }
  interface Customer {
    phone: string;
    name: string;
    tier: string;
    address?: Address;
    lines: Line[];
    tags: string[];
    prefs: Record<string, unknown>;
    visits: number;
    createdAt?: Date;
    updatedAt?: Date;
  }

  function customerModel(name: string): Model<Customer> {
    const schema = new Schema<Customer>(
      {
        phone: { type: String, required: true, unique: true },
        name: { type: String, required: true },
        tier: { type: String, default: 'basic' },
        address: new Schema<Address>({ city: { type: String, required: true }, zip: String }, { _id: false }),
        lines: [
          new Schema<Line>({ sku: { type: String, required: true }, qty: { type: Number, default: 1 } }),
        ],
        tags: { type: [String], default: [] },
        prefs: { type: Schema.Types.Mixed, default: {} },
        visits: { type: Number, default: 0 },
      },
      { timestamps: true, minimize: false },
    );
    return conn.model<Customer>(name, schema);
  }

  /** The stored document as the driver sees it, bypassing mongoose. */
  async function rawOf(model: Model<Customer>, id: unknown): Promise<Document | null> {
    return db.collection(model.collection.collectionName).findOne({ _id: id as ObjectId });
  }

  it('when a document is created, then defaults, subdocuments, arrays of subdocuments and timestamps are stored', async () => {
    const Customers = customerModel('CfCreate');
    await Customers.init();

    const created = await Customers.create({
      phone: '+1000',
      name: 'Ana',
      address: { city: 'Rome' },
      lines: [{ sku: 'a' }, { sku: 'b', qty: 3 }],
    });
    const raw = await rawOf(Customers, created._id);

    expect(raw).not.toBeNull();
    expect(raw?._id).toBeInstanceOf(ObjectId);
    expect(raw).toMatchObject({
      phone: '+1000',
      name: 'Ana',
      tier: 'basic',
      address: { city: 'Rome' },
      tags: [],
      prefs: {},
      visits: 0,
      __v: 0,
    });
    const lines = raw?.lines as { _id: unknown; sku: string; qty: number }[];
    expect(lines.map((l) => [l.sku, l.qty])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
    expect(lines.every((l) => l._id instanceof ObjectId)).toBe(true);
    expect(raw?.createdAt).toBeInstanceOf(Date);
    expect(raw?.updatedAt).toBeInstanceOf(Date);
  });

  it('when minimize is false, then empty objects are kept in the stored document', async () => {
    const Customers = customerModel('CfMinimize');

    const created = await Customers.create({ phone: '+2000', name: 'Bo', prefs: { nested: {} } });
    const emptied = await Customers.findOneAndUpdate(
      { _id: created._id },
      { $set: { prefs: {} } },
      { returnDocument: 'after' },
    ).lean();
    const raw = await rawOf(Customers, created._id);

    expect(emptied?.prefs).toEqual({});
    expect(raw?.prefs).toEqual({});
    expect(Object.keys(raw ?? {})).toContain('prefs');
  });

  it('when Model.init runs, then the schema indexes exist; syncIndexes then drops an index the schema lacks', async () => {
    const Customers = customerModel('CfIndexes');
    await Customers.init();
    await db.collection(Customers.collection.collectionName).createIndex({ legacy: 1 });

    const before = (await Customers.listIndexes()) as IndexInfo[];
    const dropped = await Customers.syncIndexes();
    const after = (await Customers.listIndexes()) as IndexInfo[];

    expect(before.map((i) => i.name).sort()).toEqual(['_id_', 'legacy_1', 'phone_1']);
    expect(before.find((i) => i.name === 'phone_1')?.unique).toBe(true);
    expect(dropped).toEqual(['legacy_1']);
    expect(after.map((i) => i.name).sort()).toEqual(['_id_', 'phone_1']);
  });

  it('when a schema declares sparse unique, partial unique and TTL indexes, then they are built with those options and enforced', async () => {
    interface Member {
      nickname?: string;
      email?: string | null;
      expiresAt?: Date;
    }
    const schema = new Schema<Member>({
      nickname: { type: String, unique: true, sparse: true },
      email: { type: String, default: null },
      expiresAt: { type: Date, expires: 3600 },
    });
    schema.index({ email: 1 }, { unique: true, partialFilterExpression: { email: { $type: 'string' } } });
    const Members = conn.model<Member>('CfMember', schema);
    await Members.init();

    const indexes = (await Members.listIndexes()) as IndexInfo[];
    await Members.create([{}, {}, { nickname: 'neo', email: 'neo@x.io' }]);
    const dupNick = await rejectionOf(Members.create({ nickname: 'neo' }));
    const dupEmail = await rejectionOf(Members.create({ email: 'neo@x.io' }));

    const byName = new Map(indexes.map((i) => [i.name, i]));
    expect(byName.get('nickname_1')).toMatchObject({ unique: true, sparse: true });
    expect(byName.get('email_1')).toMatchObject({
      unique: true,
      partialFilterExpression: { email: { $type: 'string' } },
    });
    expect(byName.get('expiresAt_1')?.expireAfterSeconds).toBe(3600);
    expect(dupNick).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect((dupNick as mongoose.mongo.MongoServerError).code).toBe(11000);
    expect((dupNick as mongoose.mongo.MongoServerError).keyValue).toEqual({ nickname: 'neo' });
    expect((dupEmail as mongoose.mongo.MongoServerError).code).toBe(11000);
    expect(await Members.countDocuments({})).toBe(3);
  });

  it('when the same unique value is created twice, then create rejects with code 11000', async () => {
    const Customers = customerModel('CfDuplicate');
    await Customers.init();
    await Customers.create({ phone: '+3000', name: 'first' });

    const error = await rejectionOf(Customers.create({ phone: '+3000', name: 'second' }));

    expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
    const serverError = error as mongoose.mongo.MongoServerError;
    expect(serverError.code).toBe(11000);
    expect(serverError.keyPattern).toEqual({ phone: 1 });
    expect(serverError.keyValue).toEqual({ phone: '+3000' });
    expect(await Customers.countDocuments({ phone: '+3000' })).toBe(1);
  });

  it('when required fields are missing, then create rejects with a ValidationError and stores nothing', async () => {
    const Customers = customerModel('CfRequired');

    const error = await rejectionOf(Customers.create({ phone: '+4000' }));

    expect(error).toBeInstanceOf(mongoose.Error.ValidationError);
    expect(await Customers.countDocuments({})).toBe(0);
  });

  it('when find runs with lean, then plain objects come back filtered and sorted, with nested fields intact', async () => {
    const Customers = customerModel('CfLean');
    await Customers.create([
      { phone: '+5001', name: 'Cy', address: { city: 'Oslo' }, visits: 3 },
      { phone: '+5002', name: 'Di', address: { city: 'Rome' }, visits: 1 },
      { phone: '+5003', name: 'Ed', address: { city: 'Rome' }, visits: 7 },
    ]);

    const romans = await Customers.find({ 'address.city': 'Rome' }).sort({ visits: -1 }).lean();
    const top = await Customers.findOne({}).sort({ visits: -1 }).select({ name: 1, _id: 0 }).lean();

    expect(romans.map((c) => c.name)).toEqual(['Ed', 'Di']);
    expect(romans[0]).not.toBeInstanceOf(mongoose.Document);
    expect(romans[0]?.address).toEqual({ city: 'Rome' });
    expect(romans[0]?._id).toBeInstanceOf(mongoose.Types.ObjectId);
    expect(top).toEqual({ name: 'Ed' });
  });

  it('when findOneAndUpdate runs with new and upsert, then it inserts with defaults first and updates afterwards', async () => {
    const Customers = customerModel('CfUpsert');

    const inserted = await Customers.findOneAndUpdate(
      { phone: '+6000' },
      { $set: { name: 'Fay' }, $inc: { visits: 1 } },
      { new: true, upsert: true },
    ).lean();
    const updated = await Customers.findOneAndUpdate(
      { phone: '+6000' },
      { $set: { name: 'Fay B' }, $inc: { visits: 1 } },
      { new: true, upsert: true },
    ).lean();

    expect(inserted).toMatchObject({ phone: '+6000', name: 'Fay', visits: 1, tier: 'basic' });
    expect(inserted?.createdAt).toBeInstanceOf(Date);
    expect(updated).toMatchObject({ phone: '+6000', name: 'Fay B', visits: 2, tier: 'basic' });
    expect(updated?._id).toEqual(inserted?._id);
    expect(updated?.createdAt?.getTime()).toBe(inserted?.createdAt?.getTime());
    expect(updated?.updatedAt?.getTime()).toBeGreaterThanOrEqual(inserted?.updatedAt?.getTime() ?? Infinity);
    expect(await Customers.countDocuments({ phone: '+6000' })).toBe(1);
  });

  it('when updateOne upserts with $setOnInsert, then the insert-only fields are written once', async () => {
    const Customers = customerModel('CfSetOnInsert');

    const first = await Customers.updateOne(
      { phone: '+7000' },
      { $set: { name: 'Gus' }, $setOnInsert: { tier: 'gold' } },
      { upsert: true },
    );
    const second = await Customers.updateOne(
      { phone: '+7000' },
      { $set: { name: 'Gus 2' }, $setOnInsert: { tier: 'platinum' } },
      { upsert: true },
    );
    const doc = await Customers.findOne({ phone: '+7000' }).lean();

    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).toBeInstanceOf(mongoose.Types.ObjectId);
    expect(second.upsertedCount).toBe(0);
    expect(second.matchedCount).toBe(1);
    expect(doc).toMatchObject({ phone: '+7000', name: 'Gus 2', tier: 'gold' });
  });

  it('when countDocuments and deleteMany run with filters, then they count and delete exactly the matches', async () => {
    const Customers = customerModel('CfCountDelete');
    await Customers.create([
      { phone: '+8001', name: 'a', tier: 'gold' },
      { phone: '+8002', name: 'b', tier: 'gold' },
      { phone: '+8003', name: 'c' },
    ]);

    const gold = await Customers.countDocuments({ tier: 'gold' });
    const deleted = await Customers.deleteMany({ tier: 'gold' });
    const left = await Customers.countDocuments({});

    expect(gold).toBe(2);
    expect(deleted.deletedCount).toBe(2);
    expect(left).toBe(1);
  });

  it('when a document is modified and saved, then subdocument changes and pushes persist and __v increments', async () => {
    const Customers = customerModel('CfSave');
    const created = await Customers.create({ phone: '+9000', name: 'Hal', lines: [{ sku: 'a', qty: 1 }] });

    const doc = await Customers.findById(created._id).orFail();
    const firstLine = doc.lines[0];
    if (firstLine) firstLine.qty = 5;
    doc.lines.push({ sku: 'b', qty: 2 });
    doc.tags.push('vip');
    await doc.save();
    const reloaded = await Customers.findById(created._id).lean().orFail();

    expect(reloaded.lines.map((l) => [l.sku, l.qty])).toEqual([
      ['a', 5],
      ['b', 2],
    ]);
    expect(reloaded.tags).toEqual(['vip']);
    expect((reloaded as { __v?: number }).__v).toBe(1);
  });

  it('when a model uses BigInt and Decimal128 fields, then they round trip exactly', async () => {
    interface Account {
      owner: string;
      balance: bigint;
      rate: Types.Decimal128;
    }
    const Accounts = conn.model<Account>(
      'CfAccount',
      new Schema<Account>({
        owner: { type: String, required: true },
        balance: { type: BigInt, required: true },
        rate: { type: Schema.Types.Decimal128, required: true },
      }),
    );

    const created = await Accounts.create({
      owner: 'ivy',
      balance: 9007199254740993n,
      rate: mongoose.Types.Decimal128.fromString('12345.6789'),
    });
    const found = await Accounts.findById(created._id).orFail();
    const byBalance = await Accounts.countDocuments({ balance: 9007199254740993n });

    expect(typeof found.balance).toBe('bigint');
    expect(found.balance).toBe(9007199254740993n);
    expect(found.rate.toString()).toBe('12345.6789');
    expect(byBalance).toBe(1);
  });

  it('when populate runs across two models, then references are replaced by the referenced documents', async () => {
    interface Author {
      name: string;
    }
    interface Book {
      title: string;
      author: Types.ObjectId;
    }
    const Authors = conn.model<Author>(
      'CfAuthor',
      new Schema<Author>({ name: { type: String, required: true } }),
    );
    const Books = conn.model<Book>(
      'CfBook',
      new Schema<Book>({
        title: { type: String, required: true },
        author: { type: Schema.Types.ObjectId, ref: 'CfAuthor', required: true },
      }),
    );
    const [ana, bo] = await Authors.create([{ name: 'Ana' }, { name: 'Bo' }]);
    if (!ana || !bo) throw new Error('authors were not created');
    await Books.create([
      { title: 'B1', author: ana._id },
      { title: 'B2', author: bo._id },
      { title: 'B3', author: ana._id },
    ]);

    const books = await Books.find({})
      .sort({ title: 1 })
      .populate<{ author: { _id: Types.ObjectId; name: string } }>('author', 'name')
      .lean();

    expect(books.map((b) => [b.title, b.author.name])).toEqual([
      ['B1', 'Ana'],
      ['B2', 'Bo'],
      ['B3', 'Ana'],
    ]);
    expect(books[0]?.author._id.equals(ana._id)).toBe(true);
  });
});
