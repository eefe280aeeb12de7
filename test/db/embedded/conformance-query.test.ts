/**
 * Conformance: cursors and batching, queries, sort/skip/limit, counts, distinct, aggregation,
 * update operators on nested fields and arrays, and BSON type round trips.
 * Drives the server only through the official driver, so it runs unchanged against a real MongoDB
 * (set MONGODB_URI) and against the embedded server (default).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Binary, Decimal128, Double, Int32, Long, MongoClient, ObjectId, Timestamp, UUID } from 'mongodb';
import type { CommandStartedEvent, CommandSucceededEvent, Db, Document } from 'mongodb';
import { useTestDatabase } from '../../helpers/mongo.js';
import type { TestDatabase } from '../../helpers/mongo.js';
import { range, serverErrorOf, shuffled } from './conformance-helpers.js';

/** Type-fidelity checks the embedded server does not pass run only against a real MongoDB (README: embedded gaps). */
const EMBEDDED = !process.env.MONGODB_URI;

let testDb: TestDatabase;
let client: MongoClient;
/** A second client that records every command, to look at batches and killCursors on the wire. */
let monitored: MongoClient;
let db: Db;
const started: CommandStartedEvent[] = [];
const succeeded: CommandSucceededEvent[] = [];

beforeAll(async () => {
  testDb = await useTestDatabase('conformance-query', { ttlSweepIntervalMs: 200 });
  client = new MongoClient(testDb.uri);
  await client.connect();
  db = client.db(testDb.dbName);
  monitored = new MongoClient(testDb.uri, { monitorCommands: true });
  monitored.on('commandStarted', (event) => started.push(event));
  monitored.on('commandSucceeded', (event) => succeeded.push(event));
  await monitored.connect();
});

afterAll(async () => {
  if (monitored) await monitored.close();
  if (client) {
    await db.dropDatabase();
    await client.close();
  }
  if (testDb) await testDb.close();
});

/** Inserts `count` documents `{ n, group, pad }` in a shuffled order, so natural order is not sort order. */
async function seedNumbers(collection: string, count: number): Promise<void> {
  const docs = shuffled(range(count)).map((n) => ({ n, group: n % 3, pad: 'x'.repeat(20) }));
  await db.collection(collection).insertMany(docs);
}

function repliesFor(commandName: string, collection: string): Document[] {
  const ids = new Set(
    started
      .filter((e) => e.commandName === commandName && e.command[commandName] === collection)
      .map((e) => e.requestId),
  );
  return succeeded.filter((e) => ids.has(e.requestId)).map((e) => e.reply as Document);
}

function getMoreRepliesFor(collection: string): Document[] {
  const ids = new Set(
    started
      .filter((e) => e.commandName === 'getMore' && e.command.collection === collection)
      .map((e) => e.requestId),
  );
  return succeeded.filter((e) => ids.has(e.requestId)).map((e) => e.reply as Document);
}

/** A free-form document with the string or number `_id` these tests choose. */
type Free = Document & { _id: string | number };

/** A cursor id as a Long: small ids may come back promoted to numbers. */
function asLong(value: unknown): Long {
  if (Long.isLong(value)) return value;
  if (typeof value === 'number') return Long.fromNumber(value);
  if (typeof value === 'bigint') return Long.fromBigInt(value);
  throw new Error(`not a cursor id: ${String(value)}`);
}

function idStrings(value: unknown): string[] {
  if (!Array.isArray(value)) throw new Error('expected an array of cursor ids');
  return value.map((v) => asLong(v).toString());
}

function batchLength(reply: Document, key: 'firstBatch' | 'nextBatch'): number {
  const cursor = reply.cursor as { firstBatch?: unknown[]; nextBatch?: unknown[] } | undefined;
  const batch = cursor?.[key];
  if (!Array.isArray(batch)) throw new Error(`reply has no cursor.${key}`);
  return batch.length;
}

describe('cursors', () => {
  it('when 250 documents are read with batchSize 7, then each is seen exactly once in sort order', async () => {
    await seedNumbers('cur_batch7', 250);

    const seen: number[] = [];
    for await (const doc of db.collection<{ n: number }>('cur_batch7').find({}).sort({ n: 1 }).batchSize(7)) {
      seen.push(doc.n);
    }

    expect(seen).toEqual(range(250));
    expect(new Set(seen).size).toBe(250);
  });

  it('when a cursor uses batchSize 7, then no batch on the wire holds more than 7 documents and getMore is used', async () => {
    await seedNumbers('cur_batch7_wire', 250);

    const docs = await monitored
      .db(testDb.dbName)
      .collection<{ n: number }>('cur_batch7_wire')
      .find({})
      .sort({ n: -1 })
      .batchSize(7)
      .toArray();

    expect(docs.map((d) => d.n)).toEqual(range(250).reverse());
    const finds = repliesFor('find', 'cur_batch7_wire');
    const getMores = getMoreRepliesFor('cur_batch7_wire');
    expect(finds).toHaveLength(1);
    expect(batchLength(finds[0] ?? {}, 'firstBatch')).toBe(7);
    expect(getMores.length).toBeGreaterThanOrEqual(35);
    expect(getMores.every((r) => batchLength(r, 'nextBatch') <= 7)).toBe(true);
    const total = 7 + getMores.reduce((sum, r) => sum + batchLength(r, 'nextBatch'), 0);
    expect(total).toBe(250);
  });

  it('when no batchSize is given, then the first batch holds 101 documents and getMore fetches the rest', async () => {
    await seedNumbers('cur_default', 250);

    const docs = await monitored
      .db(testDb.dbName)
      .collection('cur_default')
      .find({})
      .sort({ n: 1 })
      .toArray();

    expect(docs).toHaveLength(250);
    const finds = repliesFor('find', 'cur_default');
    expect(finds).toHaveLength(1);
    expect(batchLength(finds[0] ?? {}, 'firstBatch')).toBe(101);
    expect(getMoreRepliesFor('cur_default').length).toBeGreaterThanOrEqual(1);
  });

  it('when a limit is combined with a small batch size, then exactly the limit comes back', async () => {
    await seedNumbers('cur_limit_batch', 250);

    const docs = await db
      .collection<{ n: number }>('cur_limit_batch')
      .find({ n: { $gte: 100 } })
      .sort({ n: 1 })
      .limit(30)
      .batchSize(7)
      .toArray();

    expect(docs.map((d) => d.n)).toEqual(range(30).map((i) => i + 100));
  });

  it('when a cursor is closed early, then killCursors kills it and a later getMore on it fails with CursorNotFound (43)', async () => {
    await seedNumbers('cur_close', 250);
    const cursor = monitored
      .db(testDb.dbName)
      .collection<{ n: number }>('cur_close')
      .find({})
      .sort({ n: 1 })
      .batchSize(7);

    const firstTen: number[] = [];
    for (let i = 0; i < 10; i++) {
      const doc = await cursor.next();
      if (doc) firstTen.push(doc.n);
    }
    const cursorId = cursor.id;
    await cursor.close();

    expect(firstTen).toEqual(range(10));
    expect(cursorId).toBeInstanceOf(Long);
    expect(cursorId?.isZero()).toBe(false);
    const kills = repliesFor('killCursors', 'cur_close');
    expect(kills).toHaveLength(1);
    expect(kills[0]?.ok).toBe(1);
    expect(idStrings(kills[0]?.cursorsKilled)).toEqual([cursorId?.toString()]);
    const error = await serverErrorOf(
      db.command({ getMore: cursorId, collection: 'cur_close', batchSize: 7 }),
    );
    expect(error.code).toBe(43);
    const stillWorks = await db.collection('cur_close').countDocuments({});
    expect(stillWorks).toBe(250);
  });

  it('when killCursors is sent for a cursor, then the cursor stops and reports the id as killed', async () => {
    await seedNumbers('cur_kill_cmd', 50);
    const session = client.startSession();
    try {
      const opened = await db.command(
        { find: 'cur_kill_cmd', filter: {}, sort: { n: 1 }, batchSize: 5 },
        { session },
      );
      const id = asLong((opened.cursor as { id: unknown }).id);

      const killed = await db.command({ killCursors: 'cur_kill_cmd', cursors: [id] }, { session });

      expect(id.isZero()).toBe(false);
      expect(idStrings(killed.cursorsKilled)).toEqual([id.toString()]);
      expect(killed.cursorsNotFound).toEqual([]);
      const error = await serverErrorOf(db.command({ getMore: id, collection: 'cur_kill_cmd' }, { session }));
      expect(error.code).toBe(43);
    } finally {
      await session.endSession();
    }
  });

  it('when an aggregation cursor is read with batchSize 7, then all 250 results come back once, in order', async () => {
    await seedNumbers('cur_agg', 250);

    const seen: number[] = [];
    const cursor = db
      .collection('cur_agg')
      .aggregate<{ n: number }>([{ $sort: { n: 1 } }, { $project: { _id: 0, n: 1 } }], { batchSize: 7 });
    for await (const doc of cursor) seen.push(doc.n);

    expect(seen).toEqual(range(250));
  });

  it('when documents are large (1 MB each), then they insert and read back whole', async () => {
    const coll = db.collection<{ _id: number; body: string }>('cur_large');
    const docs = range(24).map((i) => ({ _id: i, body: String.fromCharCode(97 + i).repeat(1024 * 1024) }));

    await coll.insertMany(docs);
    const back = await coll.find({}).sort({ _id: 1 }).toArray();

    expect(back).toHaveLength(24);
    back.forEach((doc, i) => {
      expect(doc._id).toBe(i);
      expect(doc.body.length).toBe(1024 * 1024);
      expect(doc.body[0]).toBe(String.fromCharCode(97 + i));
    });
  });
});

describe('query operators', () => {
  interface Thing {
    _id: number;
    name: string;
    price?: number | null;
    tags?: string[];
    kind?: string;
  }

  const things: Thing[] = [
    { _id: 1, name: 'Apple', price: 3, tags: ['fruit', 'red'], kind: 'food' },
    { _id: 2, name: 'banana', price: 1, tags: ['fruit', 'yellow'], kind: 'food' },
    { _id: 3, name: 'Cherry', price: 10, tags: ['fruit', 'red', 'small'], kind: 'food' },
    { _id: 4, name: 'drill', price: 80, tags: ['tool'], kind: 'hardware' },
    { _id: 5, name: 'eraser', price: null, tags: [] },
    { _id: 6, name: 'fig' },
  ];

  async function ids(filter: Document): Promise<number[]> {
    const docs = await db.collection<Thing>('q_ops').find(filter).sort({ _id: 1 }).toArray();
    return docs.map((d) => d._id);
  }

  beforeAll(async () => {
    await db.collection<Thing>('q_ops').insertMany(things);
  });

  it('when comparison operators are used, then the numeric bounds are applied', async () => {
    expect(await ids({ price: { $gt: 3 } })).toEqual([3, 4]);
    expect(await ids({ price: { $gte: 3, $lt: 80 } })).toEqual([1, 3]);
    expect(await ids({ price: { $lte: 1 } })).toEqual([2]);
    expect(await ids({ price: { $ne: 3 } })).toEqual([2, 3, 4, 5, 6]);
  });

  it('when matching null, then documents with null and without the field match', async () => {
    expect(await ids({ price: null })).toEqual([5, 6]);
    expect(await ids({ price: { $exists: false } })).toEqual([6]);
    expect(await ids({ price: { $exists: true } })).toEqual([1, 2, 3, 4, 5]);
  });

  it('when $in, $nin, $or, $and, $nor and $not are used, then the logic matches mongod', async () => {
    expect(await ids({ kind: { $in: ['hardware', 'nothing'] } })).toEqual([4]);
    expect(await ids({ kind: { $nin: ['food'] } })).toEqual([4, 5, 6]);
    expect(await ids({ $or: [{ price: 1 }, { name: 'fig' }] })).toEqual([2, 6]);
    expect(await ids({ $and: [{ tags: 'fruit' }, { tags: 'red' }] })).toEqual([1, 3]);
    expect(await ids({ $nor: [{ kind: 'food' }, { price: null }] })).toEqual([4]);
    expect(await ids({ price: { $not: { $gt: 5 } } })).toEqual([1, 2, 5, 6]);
  });

  it('when array operators are used, then element matches, $all, $size and $ne on arrays behave like mongod', async () => {
    expect(await ids({ tags: 'red' })).toEqual([1, 3]);
    expect(await ids({ tags: { $all: ['fruit', 'small'] } })).toEqual([3]);
    expect(await ids({ tags: { $size: 0 } })).toEqual([5]);
    expect(await ids({ tags: { $ne: 'fruit' } })).toEqual([4, 5, 6]);
    expect(await ids({ tags: ['tool'] })).toEqual([4]);
    expect(await ids({ tags: { $in: ['yellow', 'tool'] } })).toEqual([2, 4]);
  });

  it('when $regex and $type are used, then strings and BSON types are matched', async () => {
    expect(await ids({ name: { $regex: '^[a-c]', $options: 'i' } })).toEqual([1, 2, 3]);
    expect(await ids({ name: /^[a-c]/ })).toEqual([2]);
    expect(await ids({ price: { $type: 'null' } })).toEqual([5]);
    expect(await ids({ price: { $type: 'number' } })).toEqual([1, 2, 3, 4]);
    expect(await ids({ tags: { $type: 'array' } })).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('sort, skip and limit', () => {
  interface Player {
    _id: number;
    team: string;
    score: number;
    meta?: { rank: number };
  }

  it('when sorting on two keys in mixed directions, then ties on the first key are broken by the second', async () => {
    const players = db.collection<Player>('sort_compound');
    await players.insertMany([
      { _id: 1, team: 'b', score: 5 },
      { _id: 2, team: 'a', score: 1 },
      { _id: 3, team: 'b', score: 9 },
      { _id: 4, team: 'a', score: 7 },
      { _id: 5, team: 'c', score: 2 },
      { _id: 6, team: 'a', score: 4 },
    ]);

    const docs = await players.find({}).sort({ team: 1, score: -1 }).toArray();

    expect(docs.map((d) => d._id)).toEqual([4, 6, 2, 3, 1, 5]);
  });

  it('when skip and limit follow a sort, then they page through the sorted order', async () => {
    const coll = db.collection<{ _id: number; v: number }>('sort_page');
    await coll.insertMany(shuffled(range(20)).map((i) => ({ _id: i, v: 100 - i })));

    const page2 = await coll.find({}).sort({ v: 1 }).skip(5).limit(5).toArray();
    const past = await coll.find({}).sort({ v: 1 }).skip(18).limit(5).toArray();
    const unlimited = await coll.find({}).sort({ v: 1 }).limit(0).toArray();

    expect(page2.map((d) => d.v)).toEqual([86, 87, 88, 89, 90]);
    expect(past.map((d) => d.v)).toEqual([99, 100]);
    expect(unlimited).toHaveLength(20);
  });

  it('when sorting on a nested field with some documents missing it, then missing sorts first ascending and last descending', async () => {
    const players = db.collection<Player>('sort_nested');
    await players.insertMany([
      { _id: 1, team: 'x', score: 0, meta: { rank: 2 } },
      { _id: 2, team: 'x', score: 0 },
      { _id: 3, team: 'x', score: 0, meta: { rank: 1 } },
      { _id: 4, team: 'x', score: 0, meta: { rank: 3 } },
    ]);

    const asc = await players.find({}).sort({ 'meta.rank': 1 }).toArray();
    const desc = await players.find({}).sort({ 'meta.rank': -1 }).toArray();

    expect(asc.map((d) => d._id)).toEqual([2, 3, 1, 4]);
    expect(desc.map((d) => d._id)).toEqual([4, 1, 3, 2]);
  });

  it('when values of different BSON types are sorted, then they follow the BSON comparison order', async () => {
    const coll = db.collection<{ _id: number; v?: unknown }>('sort_types');
    await coll.insertMany([
      { _id: 1, v: 'b' },
      { _id: 2, v: true },
      { _id: 3, v: 10 },
      { _id: 4 },
      { _id: 5, v: new Date('2020-01-01T00:00:00Z') },
      { _id: 6, v: 'a' },
      { _id: 7, v: 2.5 },
      { _id: 8, v: { x: 1 } },
      { _id: 9, v: new ObjectId('000000000000000000000001') },
      { _id: 10, v: Long.fromNumber(5) },
    ]);

    const docs = await coll.find({}).sort({ v: 1 }).toArray();

    // null/missing < numbers < strings < objects < ObjectId < booleans < dates
    expect(docs.map((d) => d._id)).toEqual([4, 7, 10, 3, 6, 1, 8, 9, 2, 5]);
  });

  it('when sorting on an array field, then ascending uses each array’s smallest element and descending its largest', async () => {
    const coll = db.collection<{ _id: string; v: number[] }>('sort_arrays');
    await coll.insertMany([
      { _id: 'a', v: [5, 1] },
      { _id: 'b', v: [3] },
      { _id: 'c', v: [2, 9] },
    ]);

    const asc = await coll.find({}).sort({ v: 1 }).toArray();
    const desc = await coll.find({}).sort({ v: -1 }).toArray();

    expect(asc.map((d) => d._id)).toEqual(['a', 'c', 'b']);
    expect(desc.map((d) => d._id)).toEqual(['c', 'a', 'b']);
  });
});

describe('countDocuments, estimatedDocumentCount and distinct', () => {
  interface Ticket {
    _id: number;
    status: string;
    owner: { city?: string };
    labels: string[];
  }

  beforeAll(async () => {
    await db.collection<Ticket>('cnt').insertMany(
      range(30).map((i) => ({
        _id: i,
        status: i % 3 === 0 ? 'done' : 'open',
        owner: { city: ['Rome', 'Oslo', 'Lima'][i % 3] },
        labels: i % 2 === 0 ? ['even', `l${i % 4}`] : ['odd'],
      })),
    );
  });

  it('when countDocuments is given a filter, skip and limit, then it counts like mongod', async () => {
    const coll = db.collection<Free>('cnt');

    expect(await coll.countDocuments({})).toBe(30);
    expect(await coll.countDocuments({ status: 'done' })).toBe(10);
    expect(await coll.countDocuments({ status: 'open' }, { skip: 15 })).toBe(5);
    expect(await coll.countDocuments({ status: 'open' }, { limit: 7 })).toBe(7);
    expect(await coll.countDocuments({ status: 'open' }, { skip: 18, limit: 7 })).toBe(2);
    expect(await coll.countDocuments({ status: 'nope' })).toBe(0);
  });

  it('when estimatedDocumentCount runs, then it gives the collection size, and 0 for a missing collection', async () => {
    expect(await db.collection<Free>('cnt').estimatedDocumentCount()).toBe(30);
    expect(await db.collection<Free>('cnt_never_created').estimatedDocumentCount()).toBe(0);
    expect(await db.collection<Free>('cnt_never_created').countDocuments({})).toBe(0);
  });

  it('when distinct runs on plain, dotted and array fields, then each value comes once and arrays are unwound', async () => {
    const coll = db.collection<Ticket>('cnt');

    const statuses = await coll.distinct('status');
    const cities = (await coll.distinct('owner.city', { status: 'done' })) as string[];
    const labels = await coll.distinct('labels');
    const nothing = (await coll.distinct('no_such_field')) as unknown[];

    expect([...statuses].sort()).toEqual(['done', 'open']);
    expect([...cities].sort()).toEqual(['Rome']);
    expect([...labels].sort()).toEqual(['even', 'l0', 'l2', 'odd']);
    expect(nothing).toEqual([]);
  });
});

describe('aggregation', () => {
  interface Order {
    _id: number;
    customerId: string;
    status: 'paid' | 'open';
    amount: number;
    items: { sku: string; qty: number }[];
  }

  beforeAll(async () => {
    await db.collection<Order>('agg_orders').insertMany([
      { _id: 1, customerId: 'c1', status: 'paid', amount: 10, items: [{ sku: 'a', qty: 1 }] },
      {
        _id: 2,
        customerId: 'c1',
        status: 'paid',
        amount: 30,
        items: [
          { sku: 'a', qty: 2 },
          { sku: 'b', qty: 1 },
        ],
      },
      { _id: 3, customerId: 'c2', status: 'paid', amount: 5, items: [{ sku: 'c', qty: 4 }] },
      { _id: 4, customerId: 'c2', status: 'open', amount: 100, items: [] },
      { _id: 5, customerId: 'c3', status: 'open', amount: 7, items: [{ sku: 'b', qty: 3 }] },
    ]);
    await db.collection<{ _id: string; name: string }>('agg_customers').insertMany([
      { _id: 'c1', name: 'Ana' },
      { _id: 'c2', name: 'Bo' },
      { _id: 'c3', name: 'Cy' },
      { _id: 'c4', name: 'Di' },
    ]);
  });

  it('when $match, $group and $sort run, then totals per key come back in order', async () => {
    const rows = await db
      .collection<Free>('agg_orders')
      .aggregate([
        { $match: { status: 'paid' } },
        {
          $group: {
            _id: '$customerId',
            total: { $sum: '$amount' },
            orders: { $sum: 1 },
            avg: { $avg: '$amount' },
            max: { $max: '$amount' },
            min: { $min: '$amount' },
            ids: { $push: '$_id' },
          },
        },
        { $sort: { total: -1 } },
      ])
      .toArray();

    expect(rows).toEqual([
      { _id: 'c1', total: 40, orders: 2, avg: 20, max: 30, min: 10, ids: [1, 2] },
      { _id: 'c2', total: 5, orders: 1, avg: 5, max: 5, min: 5, ids: [3] },
    ]);
  });

  it('when $group uses _id null with $addToSet and $first after a $sort, then one summary row comes back', async () => {
    const rows = await db
      .collection<Free>('agg_orders')
      .aggregate<{ _id: null; statuses: string[]; biggest: number; total: number }>([
        { $sort: { amount: -1 } },
        {
          $group: {
            _id: null,
            statuses: { $addToSet: '$status' },
            biggest: { $first: '$_id' },
            total: { $sum: '$amount' },
          },
        },
      ])
      .toArray();

    expect(rows).toHaveLength(1);
    expect(rows[0]?._id).toBeNull();
    expect([...(rows[0]?.statuses ?? [])].sort()).toEqual(['open', 'paid']);
    expect(rows[0]?.biggest).toBe(4);
    expect(rows[0]?.total).toBe(152);
  });

  it('when $project includes, excludes, renames and computes fields, then the output has exactly those fields', async () => {
    const rows = await db
      .collection<Free>('agg_orders')
      .aggregate([
        { $match: { _id: { $in: [1, 2] } } },
        { $sort: { _id: 1 } },
        {
          $project: {
            _id: 0,
            orderId: '$_id',
            customer: '$customerId',
            doubled: { $multiply: ['$amount', 2] },
            itemCount: { $size: '$items' },
            label: { $concat: ['$customerId', '-', '$status'] },
          },
        },
      ])
      .toArray();
    const excluded = await db
      .collection<Free>('agg_orders')
      .aggregate([{ $match: { _id: 3 } }, { $project: { items: 0, status: 0 } }])
      .toArray();

    expect(rows).toEqual([
      { orderId: 1, customer: 'c1', doubled: 20, itemCount: 1, label: 'c1-paid' },
      { orderId: 2, customer: 'c1', doubled: 60, itemCount: 2, label: 'c1-paid' },
    ]);
    expect(excluded).toEqual([{ _id: 3, customerId: 'c2', amount: 5 }]);
  });

  it('when $unwind runs, then each array element becomes a document, and empty arrays drop unless preserved', async () => {
    const unwound = await db
      .collection<Free>('agg_orders')
      .aggregate([
        { $unwind: '$items' },
        { $group: { _id: '$items.sku', qty: { $sum: '$items.qty' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    const preserved = await db
      .collection<Free>('agg_orders')
      .aggregate([{ $unwind: { path: '$items', preserveNullAndEmptyArrays: true } }, { $count: 'rows' }])
      .toArray();

    expect(unwound).toEqual([
      { _id: 'a', qty: 3 },
      { _id: 'b', qty: 4 },
      { _id: 'c', qty: 4 },
    ]);
    expect(preserved).toEqual([{ rows: 6 }]);
  });

  it('when $lookup joins two collections, then each document gets its matches as an array', async () => {
    const rows = await db
      .collection<Free>('agg_customers')
      .aggregate([
        { $lookup: { from: 'agg_orders', localField: '_id', foreignField: 'customerId', as: 'orders' } },
        { $project: { name: 1, orderIds: '$orders._id' } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    const joined = await db
      .collection<Free>('agg_orders')
      .aggregate([
        { $match: { _id: 5 } },
        { $lookup: { from: 'agg_customers', localField: 'customerId', foreignField: '_id', as: 'customer' } },
        { $unwind: '$customer' },
        { $project: { _id: 1, name: '$customer.name' } },
      ])
      .toArray();

    expect(rows.map((r) => ({ ...r, orderIds: [...(r.orderIds as number[])].sort() }))).toEqual([
      { _id: 'c1', name: 'Ana', orderIds: [1, 2] },
      { _id: 'c2', name: 'Bo', orderIds: [3, 4] },
      { _id: 'c3', name: 'Cy', orderIds: [5] },
      { _id: 'c4', name: 'Di', orderIds: [] },
    ]);
    expect(joined).toEqual([{ _id: 5, name: 'Cy' }]);
  });

  it('when $count runs, then it gives one document with the count, and none when nothing matched', async () => {
    const counted = await db
      .collection<Free>('agg_orders')
      .aggregate([{ $match: { status: 'open' } }, { $count: 'openOrders' }])
      .toArray();
    const empty = await db
      .collection<Free>('agg_orders')
      .aggregate([{ $match: { status: 'refunded' } }, { $count: 'n' }])
      .toArray();

    expect(counted).toEqual([{ openOrders: 2 }]);
    expect(empty).toEqual([]);
  });

  it('when $sort, $skip and $limit run, then they page the pipeline', async () => {
    const rows = await db
      .collection<Free>('agg_orders')
      .aggregate([{ $sort: { amount: 1 } }, { $skip: 1 }, { $limit: 3 }, { $project: { _id: 1 } }])
      .toArray();

    expect(rows).toEqual([{ _id: 5 }, { _id: 1 }, { _id: 2 }]);
  });

  it('when $addFields computes from other fields and $match filters on it, then only qualifying documents come back', async () => {
    const rows = await db
      .collection<Free>('agg_orders')
      .aggregate([
        { $addFields: { withTax: { $multiply: ['$amount', 2] }, lines: { $size: '$items' } } },
        { $match: { withTax: { $gte: 20 }, lines: { $gte: 1 } } },
        { $sort: { _id: 1 } },
        { $project: { _id: 1, withTax: 1, lines: 1 } },
      ])
      .toArray();

    expect(rows).toEqual([
      { _id: 1, withTax: 20, lines: 1 },
      { _id: 2, withTax: 60, lines: 2 },
    ]);
  });

  it.skipIf(EMBEDDED)(
    'when $addFields sums an array field and $match filters on it, then only qualifying documents come back (real MongoDB only: see README, embedded gaps)',
    async () => {
      const rows = await db
        .collection<Free>('agg_orders')
        .aggregate([
          { $addFields: { units: { $sum: '$items.qty' } } },
          { $match: { units: { $gte: 3 } } },
          { $sort: { _id: 1 } },
          { $project: { _id: 1, units: 1 } },
        ])
        .toArray();

      expect(rows).toEqual([
        { _id: 2, units: 3 },
        { _id: 3, units: 4 },
        { _id: 5, units: 3 },
      ]);
    },
  );
});

describe('nested fields and arrays', () => {
  interface Line {
    sku: string;
    qty: number;
    flag?: boolean;
  }
  interface Cart {
    _id: string;
    owner?: { name?: string; address?: { city?: string; zip?: string } };
    lines?: Line[];
    tags?: string[];
    scores?: number[];
    counter?: number;
  }

  /** Inserts `doc` and gives a function that reads it back. */
  async function cart(collection: string, doc: Cart): Promise<() => Promise<Cart | null>> {
    const coll = db.collection<Cart>(collection);
    await coll.insertOne(doc);
    return () => coll.findOne({ _id: doc._id });
  }

  /** Like `cart`, for documents with free-form fields. */
  async function loose(
    collection: string,
    doc: Document & { _id: string },
  ): Promise<() => Promise<Document | null>> {
    const coll = db.collection<Free>(collection);
    await coll.insertOne(doc);
    return () => coll.findOne({ _id: doc._id });
  }

  it('when querying dotted paths into objects and arrays of subdocuments, then they match like mongod', async () => {
    const coll = db.collection<Cart>('nest_query');
    await coll.insertMany([
      {
        _id: 'a',
        owner: { address: { city: 'Rome' } },
        lines: [
          { sku: 'x', qty: 1 },
          { sku: 'y', qty: 5 },
        ],
      },
      { _id: 'b', owner: { address: { city: 'Oslo' } }, lines: [{ sku: 'y', qty: 1 }] },
    ]);

    const byCity = await coll.find({ 'owner.address.city': 'Rome' }).toArray();
    const bySku = await coll.find({ 'lines.sku': 'y' }).sort({ _id: 1 }).toArray();
    const byIndex = await coll.find({ 'lines.0.sku': 'y' }).toArray();
    const whole = await coll.find({ owner: { address: { city: 'Oslo' } } }).toArray();

    expect(byCity.map((d) => d._id)).toEqual(['a']);
    expect(bySku.map((d) => d._id)).toEqual(['a', 'b']);
    expect(byIndex.map((d) => d._id)).toEqual(['b']);
    expect(whole.map((d) => d._id)).toEqual(['b']);
  });

  it('when $elemMatch is used, then both conditions must hold on the same element', async () => {
    const coll = db.collection<Cart>('nest_elem_match');
    await coll.insertMany([
      {
        _id: 'split',
        lines: [
          { sku: 'x', qty: 1 },
          { sku: 'y', qty: 9 },
        ],
      },
      { _id: 'same', lines: [{ sku: 'x', qty: 9 }] },
    ]);

    const elem = await coll.find({ lines: { $elemMatch: { sku: 'x', qty: { $gt: 5 } } } }).toArray();
    const loose = await coll
      .find({ 'lines.sku': 'x', 'lines.qty': { $gt: 5 } })
      .sort({ _id: 1 })
      .toArray();

    expect(elem.map((d) => d._id)).toEqual(['same']);
    expect(loose.map((d) => d._id)).toEqual(['same', 'split']);
  });

  it('when $push uses $each with $slice (and $sort), then the array is appended and trimmed', async () => {
    const read = await cart('nest_push', { _id: 'p', scores: [1, 2, 3], lines: [{ sku: 'a', qty: 5 }] });
    const coll = db.collection<Cart>('nest_push');

    await coll.updateOne({ _id: 'p' }, { $push: { scores: { $each: [4, 5, 6], $slice: -4 } } });
    await coll.updateOne(
      { _id: 'p' },
      {
        $push: {
          lines: {
            $each: [
              { sku: 'b', qty: 9 },
              { sku: 'c', qty: 1 },
            ],
            $sort: { qty: -1 },
            $slice: 2,
          },
        },
      },
    );
    await coll.updateOne({ _id: 'p' }, { $push: { tags: 'first' } });

    const doc = await read();
    expect(doc?.scores).toEqual([3, 4, 5, 6]);
    expect(doc?.lines).toEqual([
      { sku: 'b', qty: 9 },
      { sku: 'a', qty: 5 },
    ]);
    expect(doc?.tags).toEqual(['first']);
  });

  it('when $addToSet adds values, then only values not already present are added, once', async () => {
    const read = await cart('nest_add_to_set', { _id: 's', tags: ['a', 'b'] });
    const coll = db.collection<Cart>('nest_add_to_set');

    const dup = await coll.updateOne({ _id: 's' }, { $addToSet: { tags: 'a' } });
    await coll.updateOne({ _id: 's' }, { $addToSet: { tags: { $each: ['b', 'c', 'c', 'd'] } } });

    expect(dup.modifiedCount).toBe(0);
    expect((await read())?.tags).toEqual(['a', 'b', 'c', 'd']);
  });

  it('when $pull and $pop run, then matching values, subdocuments by condition, and ends are removed', async () => {
    const read = await cart('nest_pull', {
      _id: 'pl',
      tags: ['a', 'b', 'a', 'c'],
      lines: [
        { sku: 'x', qty: 0 },
        { sku: 'y', qty: 3 },
        { sku: 'z', qty: 1 },
      ],
      scores: [1, 2, 3],
    });
    const coll = db.collection<Cart>('nest_pull');

    await coll.updateOne({ _id: 'pl' }, { $pull: { tags: 'a', lines: { qty: { $lt: 2 } } } });
    await coll.updateOne({ _id: 'pl' }, { $pop: { scores: -1 } });

    const doc = await read();
    expect(doc?.tags).toEqual(['b', 'c']);
    expect(doc?.lines).toEqual([{ sku: 'y', qty: 3 }]);
    expect(doc?.scores).toEqual([2, 3]);
  });

  it('when the positional $ operator is used, then only the first matched element changes', async () => {
    const read = await cart('nest_positional', {
      _id: 'pos',
      lines: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 1 },
        { sku: 'b', qty: 1 },
      ],
    });

    const result = await db
      .collection<Cart>('nest_positional')
      .updateOne({ _id: 'pos', 'lines.sku': 'b' }, { $set: { 'lines.$.qty': 10 } });

    expect(result.modifiedCount).toBe(1);
    expect((await read())?.lines?.map((l) => l.qty)).toEqual([1, 10, 1]);
  });

  it('when arrayFilters and $[] are used, then only the filtered elements, or all elements, change', async () => {
    const read = await cart('nest_array_filters', {
      _id: 'af',
      lines: [
        { sku: 'a', qty: 2 },
        { sku: 'b', qty: 8 },
        { sku: 'c', qty: 4 },
      ],
    });
    const coll = db.collection<Cart>('nest_array_filters');

    await coll.updateOne(
      { _id: 'af' },
      { $set: { 'lines.$[low].flag': true } },
      { arrayFilters: [{ 'low.qty': { $lt: 5 } }] },
    );
    await coll.updateOne({ _id: 'af' }, { $inc: { 'lines.$[].qty': 1 } });

    expect((await read())?.lines).toEqual([
      { sku: 'a', qty: 3, flag: true },
      { sku: 'b', qty: 9 },
      { sku: 'c', qty: 5, flag: true },
    ]);
  });

  it('when $unset and $rename run, then fields are removed and moved, including nested ones', async () => {
    const read = await loose('nest_unset_rename', {
      _id: 'ur',
      owner: { name: 'Ana', address: { city: 'Rome', zip: '001' } },
      counter: 3,
      legacy: 'x',
    });
    const coll = db.collection<Free>('nest_unset_rename');

    await coll.updateOne({ _id: 'ur' }, { $unset: { legacy: '', 'owner.address.zip': '' } });
    await coll.updateOne({ _id: 'ur' }, { $rename: { counter: 'visits', 'owner.name': 'ownerName' } });
    const noop = await coll.updateOne({ _id: 'ur' }, { $unset: { neverThere: '' } });

    expect(noop.modifiedCount).toBe(0);
    expect(await read()).toEqual({
      _id: 'ur',
      owner: { address: { city: 'Rome' } },
      visits: 3,
      ownerName: 'Ana',
    });
  });

  it('when $inc, $mul, $min and $max run, then numbers change only as each operator says', async () => {
    const read = await loose('nest_numeric', {
      _id: 'num',
      counter: 5,
      price: 2.5,
      low: 10,
      high: 10,
      stats: { views: 1 },
    });
    const coll = db.collection<Free>('nest_numeric');

    await coll.updateOne({ _id: 'num' }, { $inc: { counter: -2, 'stats.views': 10, created: 4 } });
    await coll.updateOne({ _id: 'num' }, { $mul: { price: 4, absent: 3 } });
    await coll.updateOne({ _id: 'num' }, { $min: { low: 3 }, $max: { high: 42 } });
    const unchanged = await coll.updateOne({ _id: 'num' }, { $min: { low: 7 }, $max: { high: 1 } });

    expect(unchanged.modifiedCount).toBe(0);
    expect(await read()).toEqual({
      _id: 'num',
      counter: 3,
      price: 10,
      low: 3,
      high: 42,
      stats: { views: 11 },
      created: 4,
      absent: 0,
    });
  });

  it('when $min and $max compare dates, then the earlier and later date win', async () => {
    const early = new Date('2024-01-01T00:00:00Z');
    const late = new Date('2024-06-01T00:00:00Z');
    const read = await loose('nest_minmax_date', { _id: 'd', first: late, last: early });

    await db
      .collection<Free>('nest_minmax_date')
      .updateOne({ _id: 'd' }, { $min: { first: early }, $max: { last: late } });

    expect(await read()).toEqual({ _id: 'd', first: early, last: late });
  });

  it('when $currentDate runs, then it stores the server time as a Date, or a Timestamp when asked', async () => {
    const read = await loose('nest_current_date', { _id: 'cd' });
    const before = Date.now();

    const update: Document = { $currentDate: { touchedAt: true, stamped: { $type: 'timestamp' } } };
    await db.collection<Free>('nest_current_date').updateOne({ _id: 'cd' }, update);

    const after = Date.now();
    const doc = await read();
    expect(doc?.touchedAt).toBeInstanceOf(Date);
    const touched = (doc?.touchedAt as Date).getTime();
    expect(touched).toBeGreaterThanOrEqual(before - 5_000);
    expect(touched).toBeLessThanOrEqual(after + 5_000);
    expect(doc?.stamped).toBeInstanceOf(Timestamp);
    const seconds = (doc?.stamped as Timestamp).high;
    expect(Math.abs(seconds - Math.floor(before / 1000))).toBeLessThanOrEqual(5);
  });

  it('when $set targets a deep path that does not exist, then the intermediate objects are created', async () => {
    const read = await loose('nest_set_deep', { _id: 'deep' });

    await db
      .collection<Free>('nest_set_deep')
      .updateOne({ _id: 'deep' }, { $set: { 'a.b.c': 1, 'a.d': [1] } });

    expect(await read()).toEqual({ _id: 'deep', a: { b: { c: 1 }, d: [1] } });
  });
});

describe('BSON types round trip', () => {
  it('when a Date is stored, then it reads back as the same Date and range queries on it work', async () => {
    const coll = db.collection<{ _id: number; at: Date }>('types_date');
    const at = new Date('2024-02-29T12:34:56.789Z');
    await coll.insertMany([
      { _id: 1, at },
      { _id: 2, at: new Date('2023-01-01T00:00:00Z') },
    ]);

    const doc = await coll.findOne({ _id: 1 });
    const recent = await coll.find({ at: { $gte: new Date('2024-01-01T00:00:00Z') } }).toArray();

    expect(doc?.at).toBeInstanceOf(Date);
    expect(doc?.at.getTime()).toBe(at.getTime());
    expect(recent.map((d) => d._id)).toEqual([1]);
  });

  it('when an ObjectId is stored in a field, then it reads back equal and only matches an ObjectId, not its hex string', async () => {
    const coll = db.collection<{ _id: number; ref: ObjectId | string }>('types_oid');
    const ref = new ObjectId();
    await coll.insertMany([
      { _id: 1, ref },
      { _id: 2, ref: ref.toHexString() },
    ]);

    const byOid = await coll.find({ ref }).toArray();
    const byString = await coll.find({ ref: ref.toHexString() }).toArray();

    expect(byOid).toHaveLength(1);
    expect(byOid[0]?._id).toBe(1);
    expect(byOid[0]?.ref).toBeInstanceOf(ObjectId);
    expect((byOid[0]?.ref as ObjectId).equals(ref)).toBe(true);
    expect(byString.map((d) => d._id)).toEqual([2]);
  });

  it('when a Long beyond 2^53 is stored, then it reads back exactly as a Long, or as a bigint with useBigInt64', async () => {
    const coll = db.collection<Free>('types_long');
    const big = Long.fromString('9007199254740993');
    await coll.insertOne({ _id: 'long', big, small: Long.fromNumber(42) });

    const plain = await coll.findOne({ _id: 'long' });
    const asBigInt = await coll.findOne({ _id: 'long' }, { useBigInt64: true });
    const unpromoted = await coll.findOne({ _id: 'long' }, { promoteLongs: false });

    expect(plain?.big).toBeInstanceOf(Long);
    expect((plain?.big as Long).toString()).toBe('9007199254740993');
    expect(plain?.small).toBe(42);
    expect(asBigInt?.big).toBe(9007199254740993n);
    expect(unpromoted?.big).toBeInstanceOf(Long);
  });

  it.skipIf(EMBEDDED)(
    'when a small Long is stored, then its int64 type survives (real MongoDB only: see README, embedded gaps)',
    async () => {
      const coll = db.collection<Free>('types_long_small');
      await coll.insertOne({ _id: 'long', small: Long.fromNumber(42) });

      const asBigInt = await coll.findOne({ _id: 'long' }, { useBigInt64: true });
      const unpromoted = await coll.findOne({ _id: 'long' }, { promoteLongs: false });

      expect(asBigInt?.small).toBe(42n);
      expect(unpromoted?.small).toBeInstanceOf(Long);
    },
  );

  it('when a bigint is stored, then it is an int64 that matches Long queries and compares exactly against doubles', async () => {
    const coll = db.collection<Free>('types_bigint');
    await coll.insertOne({ _id: 'b', v: 9007199254740993n });

    const byLong = await coll.countDocuments({ v: Long.fromString('9007199254740993') });
    const back = await coll.findOne({ _id: 'b' }, { useBigInt64: true });

    expect(byLong).toBe(1);
    expect(back?.v).toBe(9007199254740993n);
  });

  it.skipIf(EMBEDDED)(
    'when a bigint is stored, then $type long and comparisons with doubles see it (real MongoDB only: see README, embedded gaps)',
    async () => {
      const coll = db.collection<Free>('types_bigint_cmp');
      await coll.insertOne({ _id: 'b', v: 9007199254740993n });

      const byType = await coll.countDocuments({ v: { $type: 'long' } });
      const aboveDouble = await coll.countDocuments({ v: { $gt: 9007199254740992 } });

      expect(byType).toBe(1);
      expect(aboveDouble).toBe(1);
    },
  );

  it('when $inc adds to a Long beyond 2^53, then the result is exact', async () => {
    const coll = db.collection<Free>('types_long_inc');
    await coll.insertOne({ _id: 'c', v: Long.fromString('9007199254740993') });

    await coll.updateOne({ _id: 'c' }, { $inc: { v: Long.fromNumber(2) } });

    const doc = await coll.findOne({ _id: 'c' }, { useBigInt64: true });
    expect(doc?.v).toBe(9007199254740995n);
  });

  it('when a Decimal128 is stored, then it reads back with the same digits and compares numerically', async () => {
    const coll = db.collection<Free>('types_decimal');
    await coll.insertMany([
      { _id: 'd1', price: Decimal128.fromString('12345.6789') },
      { _id: 'd2', price: Decimal128.fromString('0.10') },
    ]);

    const doc = await coll.findOne({ _id: 'd1' });
    const byValue = await coll.findOne({ price: Decimal128.fromString('0.10') });

    expect(doc?.price).toBeInstanceOf(Decimal128);
    expect((doc?.price as Decimal128).toString()).toBe('12345.6789');
    expect(byValue?._id).toBe('d2');
  });

  it.skipIf(EMBEDDED)(
    'when Decimal128 values are compared with numbers, then they compare numerically (real MongoDB only: see README, embedded gaps)',
    async () => {
      const coll = db.collection<Free>('types_decimal_cmp');
      await coll.insertMany([
        { _id: 'd1', price: Decimal128.fromString('12345.6789') },
        { _id: 'd2', price: Decimal128.fromString('0.10') },
      ]);

      const above = await coll.find({ price: { $gt: 12345 } }).toArray();
      const byType = await coll.countDocuments({ price: { $type: 'decimal' } });

      expect(above.map((d) => d._id)).toEqual(['d1']);
      expect(byType).toBe(2);
    },
  );

  it('when numbers of different BSON types are stored, then equal values match each other', async () => {
    const coll = db.collection<Free>('types_numbers_eq');
    await coll.insertMany([
      { _id: 'int', v: new Int32(5) },
      { _id: 'double', v: new Double(5) },
      { _id: 'long', v: Long.fromNumber(5) },
      { _id: 'frac', v: 5.5 },
    ]);

    const fives = await coll.find({ v: 5 }).sort({ _id: 1 }).toArray();
    const frac = await coll.findOne({ _id: 'frac' });

    expect(fives.map((d) => d._id)).toEqual(['double', 'int', 'long']);
    expect(frac?.v).toBe(5.5);
  });

  it.skipIf(EMBEDDED)(
    'when numbers of different BSON types are stored, then their types survive (real MongoDB only: see README, embedded gaps)',
    async () => {
      const coll = db.collection<Free>('types_numbers');
      await coll.insertMany([
        { _id: 'int', v: new Int32(5) },
        { _id: 'double', v: new Double(5) },
        { _id: 'long', v: Long.fromNumber(5) },
        { _id: 'frac', v: 5.5 },
      ]);

      const fives = await coll.find({ v: 5 }).sort({ _id: 1 }).toArray();
      const ints = await coll.find({ v: { $type: 'int' } }).toArray();
      const doubles = await coll
        .find({ v: { $type: 'double' } })
        .sort({ _id: 1 })
        .toArray();
      const raw = await coll.findOne({ _id: 'double' }, { promoteValues: false });

      expect(fives.map((d) => d._id)).toEqual(['double', 'int', 'long']);
      expect(ints.map((d) => d._id)).toEqual(['int']);
      expect(doubles.map((d) => d._id)).toEqual(['double', 'frac']);
      expect(raw?.v).toBeInstanceOf(Double);
    },
  );

  it('when Binary data is stored, then bytes and subtype come back, and it can be queried by value', async () => {
    const coll = db.collection<Free>('types_binary');
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const uuid = new UUID();
    await coll.insertMany([
      { _id: 'bin', data: new Binary(bytes) },
      { _id: 'uuid', data: uuid },
    ]);

    const bin = await coll.findOne({ _id: 'bin' });
    const byUuid = await coll.findOne({ data: uuid });

    expect(bin?.data).toBeInstanceOf(Binary);
    expect((bin?.data as Binary).sub_type).toBe(0);
    expect(Buffer.from((bin?.data as Binary).buffer)).toEqual(bytes);
    expect(byUuid?._id).toBe('uuid');
    expect((byUuid?.data as Binary).sub_type).toBe(4);
    expect((byUuid?.data as Binary).toUUID().equals(uuid)).toBe(true);
  });

  it('when a deeply nested document is stored, then it reads back identical, field order included, with _id first', async () => {
    const coll = db.collection<Free>('types_nested');
    const doc = {
      zeta: 1,
      alpha: { inner: { deep: [1, [2, 3], { x: null }], flag: false }, empty: {}, list: [] },
      text: 'héllo ✓ 日本',
      _id: 'nested',
      regex: /ab+c/i,
      mixed: [1, 'two', { three: 3 }, null, true, new Date(0)],
    };
    await coll.insertOne(doc);

    const back = await coll.findOne({ _id: 'nested' });

    expect(back).toEqual(doc);
    expect(Object.keys(back ?? {})).toEqual(['_id', 'zeta', 'alpha', 'text', 'regex', 'mixed']);
    expect(Object.keys((back?.alpha as Document | undefined) ?? {})).toEqual(['inner', 'empty', 'list']);
  });
});
