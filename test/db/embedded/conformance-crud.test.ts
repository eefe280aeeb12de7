/**
 * Conformance: CRUD, upserts, findOneAnd*, unique indexes, bulkWrite and concurrent updates.
 * Drives the server only through the official driver, so it runs unchanged against a real MongoDB
 * (set MONGODB_URI) and against the embedded server (default).
 */
import { describe, expect, it } from 'vitest';
import { MongoBulkWriteError, ObjectId } from 'mongodb';
import type { WriteError } from 'mongodb';
import {
  conformanceDatabase,
  expectDuplicateKey,
  range,
  rejectionOf,
  serverErrorOf,
} from './conformance-helpers.js';

const conn = conformanceDatabase('conformance-crud', { ttlSweepIntervalMs: 200 });

function ns(collection: string): string {
  return `${conn.testDb.dbName}.${collection}`;
}

function writeErrorsOf(error: MongoBulkWriteError): readonly WriteError[] {
  const writeErrors: unknown = error.writeErrors;
  return Array.isArray(writeErrors) ? (writeErrors as WriteError[]) : [writeErrors as WriteError];
}

async function bulkErrorOf(promise: Promise<unknown>): Promise<MongoBulkWriteError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(MongoBulkWriteError);
  return error as MongoBulkWriteError;
}

interface Item {
  _id?: ObjectId;
  name: string;
  qty: number;
  tag?: string;
}

describe('CRUD', () => {
  it('when a document without _id is inserted, then it gets an ObjectId and reads back unchanged', async () => {
    const items = conn.db.collection<Item>('crud_insert_one');

    const result = await items.insertOne({ name: 'apple', qty: 3 });

    expect(result.acknowledged).toBe(true);
    expect(result.insertedId).toBeInstanceOf(ObjectId);
    const found = await items.findOne({ _id: result.insertedId });
    expect(found).toEqual({ _id: result.insertedId, name: 'apple', qty: 3 });
  });

  it('when a document with a string _id is inserted, then it is found by that _id', async () => {
    const coll = conn.db.collection<{ _id: string; v: number }>('crud_string_id');

    const result = await coll.insertOne({ _id: 'order-42', v: 7 });

    expect(result.insertedId).toBe('order-42');
    expect(await coll.findOne({ _id: 'order-42' })).toEqual({ _id: 'order-42', v: 7 });
  });

  it('when many documents are inserted, then insertedCount and insertedIds match and all can be found', async () => {
    const items = conn.db.collection<Item>('crud_insert_many');

    const result = await items.insertMany([
      { name: 'a', qty: 1 },
      { name: 'b', qty: 2 },
      { name: 'c', qty: 3 },
    ]);

    expect(result.insertedCount).toBe(3);
    expect(Object.keys(result.insertedIds).sort()).toEqual(['0', '1', '2']);
    const all = await items.find({}).sort({ name: 1 }).toArray();
    expect(all.map((d) => d.name)).toEqual(['a', 'b', 'c']);
    expect(all.map((d) => d._id)).toEqual([
      result.insertedIds[0],
      result.insertedIds[1],
      result.insertedIds[2],
    ]);
  });

  it('when find and findOne match nothing, then they give an empty list and null', async () => {
    const items = conn.db.collection<Item>('crud_nothing');
    await items.insertOne({ name: 'only', qty: 1 });

    const many = await items.find({ name: 'missing' }).toArray();
    const one = await items.findOne({ name: 'missing' });

    expect(many).toEqual([]);
    expect(one).toBeNull();
  });

  it('when find is given inclusion and exclusion projections, then only the chosen fields come back', async () => {
    const items = conn.db.collection<Item>('crud_projection');
    const { insertedId } = await items.insertOne({ name: 'pear', qty: 9, tag: 'fruit' });

    const included = await items.findOne({ _id: insertedId }, { projection: { name: 1 } });
    const withoutId = await items.findOne({ _id: insertedId }, { projection: { name: 1, _id: 0 } });
    const excluded = await items.findOne({ _id: insertedId }, { projection: { tag: 0 } });

    expect(included).toEqual({ _id: insertedId, name: 'pear' });
    expect(withoutId).toEqual({ name: 'pear' });
    expect(excluded).toEqual({ _id: insertedId, name: 'pear', qty: 9 });
  });

  it('when updateOne matches several documents, then exactly one is modified', async () => {
    const items = conn.db.collection<Item>('crud_update_one');
    await items.insertMany([
      { name: 'x', qty: 1, tag: 't' },
      { name: 'y', qty: 1, tag: 't' },
      { name: 'z', qty: 1, tag: 't' },
    ]);

    const result = await items.updateOne({ tag: 't' }, { $set: { qty: 50 } });

    expect(result.matchedCount).toBe(1);
    expect(result.modifiedCount).toBe(1);
    expect(result.upsertedCount).toBe(0);
    expect(result.upsertedId).toBeNull();
    expect(await items.countDocuments({ qty: 50 })).toBe(1);
    expect(await items.countDocuments({ qty: 1 })).toBe(2);
  });

  it('when updateOne sets a field to the value it already has, then it matches but modifies nothing', async () => {
    const items = conn.db.collection<Item>('crud_update_noop');
    await items.insertOne({ name: 'same', qty: 4 });

    const result = await items.updateOne({ name: 'same' }, { $set: { qty: 4 } });

    expect(result.matchedCount).toBe(1);
    expect(result.modifiedCount).toBe(0);
  });

  it('when updateMany matches several documents, then all of them are modified', async () => {
    const items = conn.db.collection<Item>('crud_update_many');
    await items.insertMany([
      { name: 'a', qty: 1, tag: 'sale' },
      { name: 'b', qty: 2, tag: 'sale' },
      { name: 'c', qty: 3, tag: 'full' },
    ]);

    const result = await items.updateMany({ tag: 'sale' }, { $inc: { qty: 10 } });

    expect(result.matchedCount).toBe(2);
    expect(result.modifiedCount).toBe(2);
    const all = await items
      .find({}, { projection: { _id: 0, name: 1, qty: 1 } })
      .sort({ name: 1 })
      .toArray();
    expect(all).toEqual([
      { name: 'a', qty: 11 },
      { name: 'b', qty: 12 },
      { name: 'c', qty: 3 },
    ]);
  });

  it('when an update tries to change _id, then it fails with ImmutableField (66) and the document is unchanged', async () => {
    const coll = conn.db.collection<{ _id: string; v: number }>('crud_immutable_id');
    await coll.insertOne({ _id: 'keep', v: 1 });

    const error = await serverErrorOf(coll.updateOne({ _id: 'keep' }, { $set: { _id: 'changed', v: 2 } }));

    expect(error.code).toBe(66);
    expect(await coll.findOne({ _id: 'keep' })).toEqual({ _id: 'keep', v: 1 });
    expect(await coll.countDocuments()).toBe(1);
  });

  it('when replaceOne replaces a document, then the old fields are gone and the _id is kept', async () => {
    const items = conn.db.collection<Item>('crud_replace');
    const { insertedId } = await items.insertOne({ name: 'old', qty: 1, tag: 'gone' });

    const result = await items.replaceOne({ _id: insertedId }, { name: 'new', qty: 2 });

    expect(result.matchedCount).toBe(1);
    expect(result.modifiedCount).toBe(1);
    expect(await items.findOne({ _id: insertedId })).toEqual({ _id: insertedId, name: 'new', qty: 2 });
  });

  it('when deleteOne matches several documents, then exactly one is deleted', async () => {
    const items = conn.db.collection<Item>('crud_delete_one');
    await items.insertMany([
      { name: 'a', qty: 0 },
      { name: 'b', qty: 0 },
      { name: 'c', qty: 1 },
    ]);

    const result = await items.deleteOne({ qty: 0 });

    expect(result.deletedCount).toBe(1);
    expect(await items.countDocuments({ qty: 0 })).toBe(1);
    expect(await items.countDocuments({})).toBe(2);
  });

  it('when deleteMany is given a filter, then only the matching documents are deleted', async () => {
    const items = conn.db.collection<Item>('crud_delete_many');
    await items.insertMany([
      { name: 'a', qty: 1, tag: 'old' },
      { name: 'b', qty: 2, tag: 'old' },
      { name: 'c', qty: 3, tag: 'new' },
    ]);

    const result = await items.deleteMany({ tag: 'old' });
    const none = await items.deleteMany({ tag: 'nope' });

    expect(result.deletedCount).toBe(2);
    expect(none.deletedCount).toBe(0);
    const left = await items.find({}).toArray();
    expect(left.map((d) => d.name)).toEqual(['c']);
  });

  it('when deleteMany is given an empty filter, then the collection is emptied', async () => {
    const items = conn.db.collection<Item>('crud_delete_all');
    await items.insertMany(range(5).map((i) => ({ name: `n${i}`, qty: i })));

    const result = await items.deleteMany({});

    expect(result.deletedCount).toBe(5);
    expect(await items.countDocuments({})).toBe(0);
  });
});

describe('upserts', () => {
  interface Counter {
    _id?: ObjectId;
    key: string;
    hits?: number;
    createdBy?: string;
    lastBy?: string;
  }

  it('when an upsert inserts, then $set and $setOnInsert both apply; when it later matches, $setOnInsert does not', async () => {
    const counters = conn.db.collection<Counter>('upsert_set_on_insert');

    const first = await counters.updateOne(
      { key: 'k1' },
      { $set: { lastBy: 'alice' }, $setOnInsert: { createdBy: 'alice' }, $inc: { hits: 1 } },
      { upsert: true },
    );
    const second = await counters.updateOne(
      { key: 'k1' },
      { $set: { lastBy: 'bob' }, $setOnInsert: { createdBy: 'bob' }, $inc: { hits: 1 } },
      { upsert: true },
    );

    expect(first.upsertedCount).toBe(1);
    expect(first.matchedCount).toBe(0);
    expect(first.upsertedId).toBeInstanceOf(ObjectId);
    expect(second.upsertedCount).toBe(0);
    expect(second.matchedCount).toBe(1);
    expect(second.modifiedCount).toBe(1);
    expect(second.upsertedId).toBeNull();
    const doc = await counters.findOne({ key: 'k1' });
    expect(doc).toEqual({ _id: first.upsertedId, key: 'k1', lastBy: 'bob', createdBy: 'alice', hits: 2 });
  });

  it('when an upsert inserts, then equality fields of the query (plain, dotted and $eq) seed the document but range conditions do not', async () => {
    const coll = conn.db.collection('upsert_seed');

    const result = await coll.updateOne(
      {
        tenant: 't1',
        'profile.phone': '+100',
        status: { $eq: 'new' },
        age: { $gt: 18 },
        $and: [{ region: 'eu' }],
      },
      { $set: { note: 'seeded' } },
      { upsert: true },
    );

    expect(result.upsertedCount).toBe(1);
    const doc = await coll.findOne({ tenant: 't1' }, { projection: { _id: 0 } });
    expect(await coll.countDocuments({})).toBe(1);
    expect(doc).toEqual({
      tenant: 't1',
      profile: { phone: '+100' },
      status: 'new',
      region: 'eu',
      note: 'seeded',
    });
  });

  it('when an upsert query has an _id equality, then the inserted document uses that _id', async () => {
    const coll = conn.db.collection<{ _id: string; n?: number }>('upsert_seed_id');

    const result = await coll.updateOne({ _id: 'chat:123' }, { $inc: { n: 5 } }, { upsert: true });

    expect(result.upsertedId).toBe('chat:123');
    expect(await coll.findOne({ _id: 'chat:123' })).toEqual({ _id: 'chat:123', n: 5 });
  });

  it('when a replacement upsert inserts, then the document is the replacement (plus the query _id), without other query fields', async () => {
    const coll = conn.db.collection<{ _id?: string | ObjectId; label: string; code?: string }>(
      'upsert_replace',
    );

    const byId = await coll.replaceOne({ _id: 'r1' }, { label: 'first' }, { upsert: true });
    const byField = await coll.replaceOne({ code: 'c9' }, { label: 'second' }, { upsert: true });

    expect(byId.upsertedId).toBe('r1');
    expect(await coll.findOne({ _id: 'r1' })).toEqual({ _id: 'r1', label: 'first' });
    expect(byField.upsertedCount).toBe(1);
    const second = await coll.findOne({ label: 'second' });
    expect(second).toEqual({ _id: byField.upsertedId, label: 'second' });
    expect(second).not.toHaveProperty('code');
  });

  it('when a replacement upsert matches, then the matched document is replaced and nothing is inserted', async () => {
    const coll = conn.db.collection('upsert_replace_match');
    const { insertedId } = await coll.insertOne({ code: 'a', label: 'before', extra: true });

    const result = await coll.replaceOne({ code: 'a' }, { code: 'a', label: 'after' }, { upsert: true });

    expect(result.matchedCount).toBe(1);
    expect(result.upsertedCount).toBe(0);
    expect(await coll.find({}).toArray()).toEqual([{ _id: insertedId, code: 'a', label: 'after' }]);
  });

  it('when updateMany upserts with no match, then exactly one document is inserted', async () => {
    const coll = conn.db.collection('upsert_update_many');

    const result = await coll.updateMany({ group: 'g' }, { $set: { flag: true } }, { upsert: true });

    expect(result.upsertedCount).toBe(1);
    expect(await coll.countDocuments({ group: 'g', flag: true })).toBe(1);
  });
});

describe('findOneAndUpdate / findOneAndDelete / findOneAndReplace', () => {
  interface Task {
    _id?: ObjectId;
    queue: string;
    priority: number;
    state: string;
    payload?: string;
  }

  it('when returnDocument is before (the default), then the document before the update comes back', async () => {
    const tasks = conn.db.collection<Task>('fam_before');
    const { insertedId } = await tasks.insertOne({ queue: 'q', priority: 1, state: 'ready' });

    const before = await tasks.findOneAndUpdate({ _id: insertedId }, { $set: { state: 'running' } });

    expect(before).toEqual({ _id: insertedId, queue: 'q', priority: 1, state: 'ready' });
    expect(await tasks.findOne({ _id: insertedId })).toMatchObject({ state: 'running' });
  });

  it('when returnDocument is after, then the updated document comes back', async () => {
    const tasks = conn.db.collection<Task>('fam_after');
    const { insertedId } = await tasks.insertOne({ queue: 'q', priority: 1, state: 'ready' });

    const after = await tasks.findOneAndUpdate(
      { _id: insertedId },
      { $set: { state: 'done' }, $inc: { priority: 2 } },
      { returnDocument: 'after' },
    );

    expect(after).toEqual({ _id: insertedId, queue: 'q', priority: 3, state: 'done' });
  });

  it('when several documents match and a sort is given, then the first in sort order is updated', async () => {
    const tasks = conn.db.collection<Task>('fam_sort');
    await tasks.insertMany([
      { queue: 'jobs', priority: 2, state: 'ready', payload: 'mid' },
      { queue: 'jobs', priority: 9, state: 'ready', payload: 'high' },
      { queue: 'jobs', priority: 1, state: 'ready', payload: 'low' },
    ]);

    const claimed = await tasks.findOneAndUpdate(
      { queue: 'jobs', state: 'ready' },
      { $set: { state: 'claimed' } },
      { sort: { priority: -1 }, returnDocument: 'after', projection: { _id: 0, payload: 1, state: 1 } },
    );

    expect(claimed).toEqual({ payload: 'high', state: 'claimed' });
    expect(await tasks.countDocuments({ state: 'claimed' })).toBe(1);
    expect(await tasks.findOne({ payload: 'high' })).toMatchObject({ state: 'claimed' });
  });

  it('when an upsert inserts and returnDocument is after, then the new document comes back', async () => {
    const tasks = conn.db.collection<Task>('fam_upsert_after');

    const doc = await tasks.findOneAndUpdate(
      { queue: 'new', priority: 5 },
      { $set: { state: 'created' }, $setOnInsert: { payload: 'p' } },
      { upsert: true, returnDocument: 'after' },
    );

    expect(doc).not.toBeNull();
    expect(doc?._id).toBeInstanceOf(ObjectId);
    expect(doc).toMatchObject({ queue: 'new', priority: 5, state: 'created', payload: 'p' });
    expect(await tasks.countDocuments({})).toBe(1);
  });

  it('when an upsert inserts and returnDocument is before, then null comes back but the document exists', async () => {
    const tasks = conn.db.collection<Task>('fam_upsert_before');

    const doc = await tasks.findOneAndUpdate(
      { queue: 'fresh' },
      { $set: { state: 'x', priority: 0 } },
      { upsert: true, returnDocument: 'before' },
    );

    expect(doc).toBeNull();
    expect(await tasks.findOne({ queue: 'fresh' }, { projection: { _id: 0 } })).toEqual({
      queue: 'fresh',
      state: 'x',
      priority: 0,
    });
  });

  it('when includeResultMetadata is set, then lastErrorObject reports an upsert and then an update of an existing document', async () => {
    const tasks = conn.db.collection<Task>('fam_metadata');

    const inserted = await tasks.findOneAndUpdate(
      { queue: 'meta' },
      { $set: { state: 'a', priority: 1 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    const updated = await tasks.findOneAndUpdate(
      { queue: 'meta' },
      { $set: { state: 'b' } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );

    expect(inserted.ok).toBe(1);
    expect(inserted.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(inserted.lastErrorObject?.upserted).toEqual(inserted.value?._id);
    expect(updated.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
    expect(updated.value).toMatchObject({ queue: 'meta', state: 'b' });
  });

  it('when findOneAndUpdate matches nothing without upsert, then it gives null and inserts nothing', async () => {
    const tasks = conn.db.collection<Task>('fam_nomatch');

    const doc = await tasks.findOneAndUpdate({ queue: 'none' }, { $set: { state: 'x' } });

    expect(doc).toBeNull();
    expect(await tasks.countDocuments({})).toBe(0);
  });

  it('when findOneAndDelete is given a sort, then it removes and returns the first in that order', async () => {
    const tasks = conn.db.collection<Task>('fam_delete');
    await tasks.insertMany([
      { queue: 'd', priority: 3, state: 'ready' },
      { queue: 'd', priority: 1, state: 'ready' },
      { queue: 'd', priority: 2, state: 'ready' },
    ]);

    const removed = await tasks.findOneAndDelete({ queue: 'd' }, { sort: { priority: 1 } });
    const nothing = await tasks.findOneAndDelete({ queue: 'nope' });

    expect(removed).toMatchObject({ queue: 'd', priority: 1 });
    expect(nothing).toBeNull();
    const left = await tasks.find({ queue: 'd' }).sort({ priority: 1 }).toArray();
    expect(left.map((t) => t.priority)).toEqual([2, 3]);
  });

  it('when findOneAndReplace runs, then it returns the old or the new document and keeps the _id', async () => {
    const tasks = conn.db.collection<Task>('fam_replace');
    const { insertedId } = await tasks.insertOne({ queue: 'r', priority: 1, state: 'one', payload: 'x' });

    const before = await tasks.findOneAndReplace(
      { _id: insertedId },
      { queue: 'r', priority: 2, state: 'two' },
    );
    const after = await tasks.findOneAndReplace(
      { _id: insertedId },
      { queue: 'r', priority: 3, state: 'three' },
      { returnDocument: 'after' },
    );

    expect(before).toEqual({ _id: insertedId, queue: 'r', priority: 1, state: 'one', payload: 'x' });
    expect(after).toEqual({ _id: insertedId, queue: 'r', priority: 3, state: 'three' });
  });

  it('when findOneAndReplace upserts, then the replacement is inserted and returned', async () => {
    const tasks = conn.db.collection<Task>('fam_replace_upsert');

    const doc = await tasks.findOneAndReplace(
      { queue: 'ru' },
      { queue: 'ru', priority: 7, state: 'new' },
      { upsert: true, returnDocument: 'after' },
    );

    expect(doc).toMatchObject({ queue: 'ru', priority: 7, state: 'new' });
    expect(doc?._id).toBeInstanceOf(ObjectId);
    expect(await tasks.countDocuments({ queue: 'ru' })).toBe(1);
  });
});

describe('unique indexes', () => {
  interface User {
    _id?: ObjectId;
    email?: string | null;
    name: string;
  }

  it('when a duplicate _id is inserted, then it fails with E11000 on the _id_ index', async () => {
    const coll = conn.db.collection<{ _id: string; v: number }>('uniq_id');
    await coll.insertOne({ _id: 'dup', v: 1 });

    const error = await serverErrorOf(coll.insertOne({ _id: 'dup', v: 2 }));

    expectDuplicateKey(error, {
      namespace: ns('uniq_id'),
      indexName: '_id_',
      keyPattern: { _id: 1 },
      keyValue: { _id: 'dup' },
    });
    expect(await coll.findOne({ _id: 'dup' })).toEqual({ _id: 'dup', v: 1 });
  });

  it('when insertOne duplicates a single-field unique key, then it fails with the real duplicate-key error shape', async () => {
    const users = conn.db.collection<User>('uniq_single');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'a@x.io', name: 'A' });

    const error = await serverErrorOf(users.insertOne({ email: 'a@x.io', name: 'B' }));

    expectDuplicateKey(error, {
      namespace: ns('uniq_single'),
      indexName: 'email_1',
      keyPattern: { email: 1 },
      keyValue: { email: 'a@x.io' },
    });
    expect(await users.countDocuments({})).toBe(1);
    expect(await users.findOne({ email: 'a@x.io' })).toMatchObject({ name: 'A' });
  });

  it('when a compound unique key is duplicated, then it fails with the compound keyPattern and keyValue, while a partial overlap is allowed', async () => {
    const pages = conn.db.collection('uniq_compound');
    await pages.createIndex({ tenant: 1, slug: 1 }, { unique: true });
    await pages.insertOne({ tenant: 't1', slug: 'home' });
    await pages.insertOne({ tenant: 't2', slug: 'home' });

    const error = await serverErrorOf(pages.insertOne({ tenant: 't1', slug: 'home' }));

    expectDuplicateKey(error, {
      namespace: ns('uniq_compound'),
      indexName: 'tenant_1_slug_1',
      keyPattern: { tenant: 1, slug: 1 },
      keyValue: { tenant: 't1', slug: 'home' },
    });
    expect(await pages.countDocuments({})).toBe(2);
  });

  it('when an ordered insertMany hits a duplicate, then it stops there: writeErrors has its index and insertedCount counts the ones before', async () => {
    const users = conn.db.collection<User>('uniq_many_ordered');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'taken@x.io', name: 'existing' });

    const error = await bulkErrorOf(
      users.insertMany(
        [
          { email: 'one@x.io', name: '1' },
          { email: 'taken@x.io', name: '2' },
          { email: 'three@x.io', name: '3' },
        ],
        { ordered: true },
      ),
    );

    expect(error.code).toBe(11000);
    const writeErrors = writeErrorsOf(error);
    expect(writeErrors).toHaveLength(1);
    expect(writeErrors[0]?.index).toBe(1);
    expect(writeErrors[0]?.code).toBe(11000);
    expect(writeErrors[0]?.errmsg).toMatch(/^E11000 duplicate key error/);
    expect(error.insertedCount).toBe(1);
    const emails = (await users.find({}).toArray()).map((u) => u.email).sort();
    expect(emails).toEqual(['one@x.io', 'taken@x.io']);
  });

  it('when an unordered insertMany hits duplicates, then every other document still goes in', async () => {
    const users = conn.db.collection<User>('uniq_many_unordered');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'taken@x.io', name: 'existing' });

    const error = await bulkErrorOf(
      users.insertMany(
        [
          { email: 'taken@x.io', name: '0' },
          { email: 'one@x.io', name: '1' },
          { email: 'one@x.io', name: '2' },
          { email: 'three@x.io', name: '3' },
        ],
        { ordered: false },
      ),
    );

    expect(error.code).toBe(11000);
    const writeErrors = writeErrorsOf(error);
    expect(writeErrors.map((e) => e.index).sort()).toEqual([0, 2]);
    expect(writeErrors.every((e) => e.code === 11000)).toBe(true);
    expect(error.insertedCount).toBe(2);
    const names = (await users.find({}).toArray()).map((u) => u.name).sort();
    expect(names).toEqual(['1', '3', 'existing']);
  });

  it('when updateOne would make a duplicate, then it fails with E11000 and the document keeps its old value', async () => {
    const users = conn.db.collection<User>('uniq_update');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertMany([
      { email: 'a@x.io', name: 'A' },
      { email: 'b@x.io', name: 'B' },
    ]);

    const error = await serverErrorOf(users.updateOne({ name: 'B' }, { $set: { email: 'a@x.io' } }));

    expectDuplicateKey(error, {
      namespace: ns('uniq_update'),
      indexName: 'email_1',
      keyPattern: { email: 1 },
      keyValue: { email: 'a@x.io' },
    });
    expect(await users.findOne({ name: 'B' })).toMatchObject({ email: 'b@x.io' });
  });

  it('when a findOneAndUpdate upsert would insert a duplicate, then it fails with E11000 and nothing is inserted', async () => {
    const users = conn.db.collection<User & { userId?: string }>('uniq_fam_upsert');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ userId: 'u1', email: 'taken@x.io', name: 'first' });

    const error = await serverErrorOf(
      users.findOneAndUpdate(
        { userId: 'u2' },
        { $set: { email: 'taken@x.io', name: 'second' } },
        { upsert: true, returnDocument: 'after' },
      ),
    );

    expectDuplicateKey(error, {
      namespace: ns('uniq_fam_upsert'),
      indexName: 'email_1',
      keyPattern: { email: 1 },
      keyValue: { email: 'taken@x.io' },
    });
    expect(await users.countDocuments({})).toBe(1);
  });

  it('when two documents both lack a field with a plain unique index, then the second is a duplicate of null', async () => {
    const users = conn.db.collection<User>('uniq_missing');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ name: 'no email 1' });

    const error = await serverErrorOf(users.insertOne({ name: 'no email 2' }));

    expectDuplicateKey(error, {
      namespace: ns('uniq_missing'),
      indexName: 'email_1',
      keyPattern: { email: 1 },
      keyValue: { email: null },
    });
  });

  it('when a unique index is created over existing duplicates, then index creation fails with 11000 and no index is left', async () => {
    const users = conn.db.collection<User>('uniq_build');
    await users.insertMany([
      { email: 'same@x.io', name: '1' },
      { email: 'same@x.io', name: '2' },
    ]);

    const error = await serverErrorOf(users.createIndex({ email: 1 }, { unique: true }));

    expect(error.code).toBe(11000);
    expect(await users.indexExists('email_1')).toBe(false);
  });

  it('when the unique index is sparse (as mongoose emits it), then many documents may lack the field but values and explicit nulls must be unique', async () => {
    const users = conn.db.collection<User>('uniq_sparse');
    await users.createIndex({ email: 1 }, { unique: true, sparse: true });
    await users.insertMany([{ name: 'none 1' }, { name: 'none 2' }, { email: 'a@x.io', name: 'A' }]);

    const duplicateValue = await serverErrorOf(users.insertOne({ email: 'a@x.io', name: 'A2' }));
    await users.insertOne({ email: null, name: 'null 1' });
    const duplicateNull = await serverErrorOf(users.insertOne({ email: null, name: 'null 2' }));

    expectDuplicateKey(duplicateValue, {
      namespace: ns('uniq_sparse'),
      indexName: 'email_1',
      keyPattern: { email: 1 },
      keyValue: { email: 'a@x.io' },
    });
    expect(duplicateNull.code).toBe(11000);
    expect(duplicateNull.keyValue).toEqual({ email: null });
    expect(await users.countDocuments({})).toBe(4);
  });

  it('when the unique index is partial on string values, then missing and null values repeat freely but strings must be unique', async () => {
    const users = conn.db.collection<User>('uniq_partial_type');
    await users.createIndex(
      { email: 1 },
      { unique: true, partialFilterExpression: { email: { $type: 'string' } } },
    );
    await users.insertMany([
      { name: 'missing 1' },
      { name: 'missing 2' },
      { email: null, name: 'null 1' },
      { email: null, name: 'null 2' },
      { email: 'a@x.io', name: 'A' },
    ]);

    const error = await serverErrorOf(users.insertOne({ email: 'a@x.io', name: 'A2' }));

    expectDuplicateKey(error, {
      namespace: ns('uniq_partial_type'),
      indexName: 'email_1',
      keyPattern: { email: 1 },
      keyValue: { email: 'a@x.io' },
    });
    expect(await users.countDocuments({})).toBe(5);
  });

  it('when the unique index is partial on a flag, then only flagged documents conflict, including one updated into the filter', async () => {
    const subs = conn.db.collection<{ _id?: ObjectId; userId: string; active: boolean; n: number }>(
      'uniq_partial_flag',
    );
    await subs.createIndex({ userId: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await subs.insertMany([
      { userId: 'u1', active: false, n: 1 },
      { userId: 'u1', active: false, n: 2 },
      { userId: 'u1', active: true, n: 3 },
    ]);

    const insertError = await serverErrorOf(subs.insertOne({ userId: 'u1', active: true, n: 4 }));
    const updateError = await serverErrorOf(subs.updateOne({ n: 1 }, { $set: { active: true } }));

    expect(insertError.code).toBe(11000);
    expect(insertError.keyPattern).toEqual({ userId: 1 });
    expect(insertError.keyValue).toEqual({ userId: 'u1' });
    expect(updateError.code).toBe(11000);
    expect(await subs.countDocuments({ active: true })).toBe(1);
    expect(await subs.countDocuments({})).toBe(3);
  });
});

describe('bulkWrite', () => {
  it('when an ordered bulkWrite mixes every kind of operation, then the counts and the final state are right', async () => {
    const coll = conn.db.collection<{ _id: string; v: number; tag?: string }>('bulk_ordered');
    await coll.insertMany([
      { _id: 'a', v: 1, tag: 'x' },
      { _id: 'b', v: 2, tag: 'x' },
      { _id: 'c', v: 3, tag: 'y' },
      { _id: 'd', v: 4, tag: 'y' },
    ]);

    const result = await coll.bulkWrite(
      [
        { insertOne: { document: { _id: 'e', v: 5 } } },
        { insertOne: { document: { _id: 'f', v: 6 } } },
        { updateOne: { filter: { _id: 'a' }, update: { $set: { v: 10 } } } },
        { updateMany: { filter: { tag: 'x' }, update: { $inc: { v: 100 } } } },
        { replaceOne: { filter: { _id: 'c' }, replacement: { v: 30 } } },
        { deleteOne: { filter: { _id: 'd' } } },
        { deleteMany: { filter: { v: { $in: [5, 6] } } } },
        { updateOne: { filter: { _id: 'g' }, update: { $set: { v: 7 } }, upsert: true } },
      ],
      { ordered: true },
    );

    expect(result.insertedCount).toBe(2);
    expect(result.matchedCount).toBe(4);
    expect(result.modifiedCount).toBe(4);
    expect(result.deletedCount).toBe(3);
    expect(result.upsertedCount).toBe(1);
    expect(result.upsertedIds).toEqual({ 7: 'g' });
    const all = await coll.find({}).sort({ _id: 1 }).toArray();
    expect(all).toEqual([
      { _id: 'a', v: 110, tag: 'x' },
      { _id: 'b', v: 102, tag: 'x' },
      { _id: 'c', v: 30 },
      { _id: 'g', v: 7 },
    ]);
  });

  it('when an ordered bulkWrite hits an error, then the operations after it are not applied', async () => {
    const coll = conn.db.collection<{ _id: string; v: number }>('bulk_ordered_error');
    await coll.insertOne({ _id: 'a', v: 1 });

    const error = await bulkErrorOf(
      coll.bulkWrite(
        [
          { insertOne: { document: { _id: 'b', v: 2 } } },
          { insertOne: { document: { _id: 'a', v: 3 } } },
          { updateOne: { filter: { _id: 'b' }, update: { $set: { v: 20 } } } },
        ],
        { ordered: true },
      ),
    );

    expect(writeErrorsOf(error).map((e) => e.index)).toEqual([1]);
    expect(error.result.insertedCount).toBe(1);
    expect(error.result.matchedCount).toBe(0);
    expect(await coll.findOne({ _id: 'b' })).toEqual({ _id: 'b', v: 2 });
  });

  it('when an unordered bulkWrite hits an error, then every other operation is still applied', async () => {
    const coll = conn.db.collection<{ _id: string; v: number }>('bulk_unordered_error');
    await coll.insertOne({ _id: 'a', v: 1 });

    const error = await bulkErrorOf(
      coll.bulkWrite(
        [
          { insertOne: { document: { _id: 'a', v: 9 } } },
          { insertOne: { document: { _id: 'b', v: 2 } } },
          { updateOne: { filter: { _id: 'a' }, update: { $set: { v: 10 } } } },
          { deleteOne: { filter: { _id: 'zzz' } } },
        ],
        { ordered: false },
      ),
    );

    expect(writeErrorsOf(error).map((e) => e.index)).toEqual([0]);
    expect(error.result.insertedCount).toBe(1);
    expect(error.result.matchedCount).toBe(1);
    expect(error.result.modifiedCount).toBe(1);
    expect(error.result.deletedCount).toBe(0);
    const all = await coll.find({}).sort({ _id: 1 }).toArray();
    expect(all).toEqual([
      { _id: 'a', v: 10 },
      { _id: 'b', v: 2 },
    ]);
  });
});

describe('concurrent writes', () => {
  it('when 200 $inc updates on one document run concurrently, then the counter is exactly 200', async () => {
    const coll = conn.db.collection<{ _id: string; n: number }>('concurrent_inc');
    await coll.insertOne({ _id: 'counter', n: 0 });

    const results = await Promise.all(
      range(200).map(() => coll.updateOne({ _id: 'counter' }, { $inc: { n: 1 } })),
    );

    expect(results.every((r) => r.modifiedCount === 1)).toBe(true);
    expect(await coll.findOne({ _id: 'counter' })).toEqual({ _id: 'counter', n: 200 });
  });

  it('when 50 concurrent upserts target one key under a unique index, then one document exists with all 50 increments', async () => {
    const coll = conn.db.collection<{ _id?: ObjectId; key: string; n?: number }>('concurrent_upsert');
    await coll.createIndex({ key: 1 }, { unique: true });

    await Promise.all(
      range(50).map(() => coll.updateOne({ key: 'k' }, { $inc: { n: 1 } }, { upsert: true })),
    );

    const docs = await coll.find({ key: 'k' }).toArray();
    expect(docs).toHaveLength(1);
    expect(docs[0]?.n).toBe(50);
  });

  it('when concurrent inserts use distinct ids, then every one is stored', async () => {
    const coll = conn.db.collection<{ _id: number }>('concurrent_insert');

    await Promise.all(range(100).map((i) => coll.insertOne({ _id: i })));

    expect(await coll.countDocuments({})).toBe(100);
    const ids = (await coll.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(ids).toEqual(range(100));
  });
});

describe('compound index prefixes', () => {
  it('when equality covers only the leading fields of a compound index, then every matching document is found, also after updates', async () => {
    const coll = conn.db.collection<{
      _id: number;
      shop: string;
      status: string;
      tags: string[];
      at: number;
    }>('prefix_lookup');
    await coll.createIndex({ shop: 1, status: 1, at: 1 });
    await coll.createIndex({ tags: 1, shop: 1 });
    await coll.insertMany([
      { _id: 1, shop: 'a', status: 'open', tags: ['x', 'y'], at: 3 },
      { _id: 2, shop: 'a', status: 'done', tags: ['y'], at: 1 },
      { _id: 3, shop: 'b', status: 'open', tags: ['x'], at: 2 },
      { _id: 4, shop: 'a', status: 'open', tags: [], at: 2 },
    ]);

    const byShop = await coll.find({ shop: 'a' }).sort({ _id: 1 }).toArray();
    const byShopStatus = await coll.find({ shop: 'a', status: 'open' }).sort({ at: 1 }).toArray();
    const byTag = await coll.find({ tags: 'x' }).sort({ _id: 1 }).toArray();
    await coll.updateOne({ _id: 2 }, { $set: { status: 'open' } });
    await coll.updateOne({ _id: 1 }, { $set: { shop: 'b' } });
    const afterUpdates = await coll.find({ shop: 'a', status: 'open' }).sort({ _id: 1 }).toArray();
    const movedShop = await coll.find({ shop: 'b', status: 'open' }).sort({ _id: 1 }).toArray();

    expect(byShop.map((d) => d._id)).toEqual([1, 2, 4]);
    expect(byShopStatus.map((d) => d._id)).toEqual([4, 1]);
    expect(byTag.map((d) => d._id)).toEqual([1, 3]);
    expect(afterUpdates.map((d) => d._id)).toEqual([2, 4]);
    expect(movedShop.map((d) => d._id)).toEqual([1, 3]);
  });
});
