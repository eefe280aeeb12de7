/**
 * Conformance: options that change an answer are either honoured as mongod honours them or refused with an
 * error, never ignored. Cases from MongoDB's CRUD documentation and specification tests (collation, `let`,
 * `$merge`, `$out`, `hint`, unknown fields). Runs unchanged against a real MongoDB (set MONGODB_URI); the
 * tests that pin a refusal of something mongod supports run against the embedded server only.
 */
import { describe, expect, it } from 'vitest';
import { conformanceDatabase, serverErrorOf } from './conformance-helpers.js';

const EMBEDDED = !process.env.MONGODB_URI;
const CASELESS = { locale: 'en', strength: 2 };

const conn = conformanceDatabase('conformance-options');

interface Named {
  _id: number;
  name: string;
  n?: number;
}

describe('collation', () => {
  it('when find has a case-insensitive collation (strength 2), then it matches regardless of case, also by _id and in $in', async () => {
    const coll = conn.db.collection<Named>('coll_find');
    await coll.insertMany([
      { _id: 1, name: 'ping' },
      { _id: 2, name: 'PING' },
      { _id: 3, name: 'pong' },
    ]);

    const byName = await coll.find({ name: 'Ping' }, { collation: CASELESS }).sort({ _id: 1 }).toArray();
    const byIn = await coll.find({ name: { $in: ['PONG'] } }, { collation: CASELESS }).toArray();
    const byNe = await coll.countDocuments({ name: { $ne: 'ping' } }, { collation: CASELESS });
    const binary = await coll.find({ name: 'Ping' }).toArray();

    expect(byName.map((d) => d._id)).toEqual([1, 2]);
    expect(byIn.map((d) => d._id)).toEqual([3]);
    expect(byNe).toBe(1);
    expect(binary).toEqual([]);
  });

  it('when update and delete have a case-insensitive collation, then they act on the documents that match under it', async () => {
    const coll = conn.db.collection<Named>('coll_write');
    await coll.insertMany([
      { _id: 1, name: 'cafe', n: 0 },
      { _id: 2, name: 'CAFE', n: 0 },
      { _id: 3, name: 'bar', n: 0 },
    ]);

    const updated = await coll.updateMany({ name: 'Cafe' }, { $inc: { n: 1 } }, { collation: CASELESS });
    const deleted = await coll.deleteOne({ name: 'BAR' }, { collation: CASELESS });

    expect(updated.modifiedCount).toBe(2);
    expect(deleted.deletedCount).toBe(1);
    expect(await coll.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, name: 'cafe', n: 1 },
      { _id: 2, name: 'CAFE', n: 1 },
    ]);
  });

  it('when a sort has a locale collation, then strings sort in that locale order, not by code point', async () => {
    const coll = conn.db.collection<Named>('coll_sort');
    await coll.insertMany([
      { _id: 1, name: 'b' },
      { _id: 2, name: 'B' },
      { _id: 3, name: 'a' },
    ]);

    const sorted = await coll
      .find({}, { collation: { locale: 'en' } })
      .sort({ name: 1, _id: 1 })
      .toArray();
    const binary = await coll.find({}).sort({ name: 1 }).toArray();

    expect(sorted.map((d) => d.name)).toEqual(['a', 'b', 'B']);
    expect(binary.map((d) => d.name)).toEqual(['B', 'a', 'b']);
  });

  it('when an aggregation has a case-insensitive collation, then its $match matches regardless of case', async () => {
    const coll = conn.db.collection<Named>('coll_aggregate');
    await coll.insertMany([
      { _id: 1, name: 'Menu' },
      { _id: 2, name: 'menu' },
      { _id: 3, name: 'order' },
    ]);

    const docs = await coll
      .aggregate<Named>([{ $match: { name: 'MENU' } }, { $sort: { _id: 1 } }], { collation: CASELESS })
      .toArray();

    expect(docs.map((d) => d._id)).toEqual([1, 2]);
  });

  it.skipIf(!EMBEDDED)(
    'when a collation asks for what the embedded server does not implement (strength 1, numericOrdering), then it is refused with InvalidOptions (72)',
    async () => {
      const coll = conn.db.collection<Named>('coll_refused');
      await coll.insertOne({ _id: 1, name: 'é' });

      const strength1 = await serverErrorOf(
        coll.find({ name: 'e' }, { collation: { locale: 'fr', strength: 1 } }).toArray(),
      );
      const numeric = await serverErrorOf(
        coll.find({}, { collation: { locale: 'en', numericOrdering: true } }).toArray(),
      );
      const range = await serverErrorOf(coll.find({ name: { $gt: 'a' } }, { collation: CASELESS }).toArray());

      expect([strength1.code, numeric.code, range.code]).toEqual([72, 72, 72]);
    },
  );
});

describe('let variables', () => {
  it('when find, update and delete filters use $expr with $$vars from let, then the variables are visible', async () => {
    const coll = conn.db.collection<Named>('let_filters');
    await coll.insertMany([
      { _id: 1, name: 'a', n: 1 },
      { _id: 2, name: 'b', n: 2 },
      { _id: 3, name: 'c', n: 3 },
    ]);

    const found = await coll.find({ $expr: { $eq: ['$n', '$$target'] } }, { let: { target: 2 } }).toArray();
    const updated = await coll.updateOne(
      { $expr: { $eq: ['$name', '$$which'] } },
      { $set: { n: 20 } },
      { let: { which: 'b' } },
    );
    const deleted = await coll.deleteMany({ $expr: { $gte: ['$n', '$$floor'] } }, { let: { floor: 3 } });

    expect(found.map((d) => d._id)).toEqual([2]);
    expect(updated.modifiedCount).toBe(1);
    expect(deleted.deletedCount).toBe(2);
    expect(await coll.find().toArray()).toEqual([{ _id: 1, name: 'a', n: 1 }]);
  });

  it('when findOneAndUpdate uses let in its query, then the variable is visible', async () => {
    const coll = conn.db.collection<Named>('let_find_and_modify');
    await coll.insertMany([
      { _id: 1, name: 'a', n: 1 },
      { _id: 2, name: 'b', n: 2 },
    ]);

    const before = await coll.findOneAndUpdate(
      { $expr: { $eq: ['$n', '$$target'] } },
      { $set: { name: 'z' } },
      { let: { target: 2 } },
    );

    expect(before?._id).toBe(2);
  });
});

describe('$merge and $out', () => {
  it('when an aggregation ends in $merge, then the target collection receives the results (insert new, merge matched)', async () => {
    const source = conn.db.collection<Named>('merge_source');
    const target = conn.db.collection<Named & { extra?: boolean }>('merge_target');
    await source.insertMany([
      { _id: 1, name: 'a', n: 1 },
      { _id: 2, name: 'b', n: 2 },
    ]);
    await target.insertOne({ _id: 1, name: 'old', extra: true });

    const passed = await source.aggregate([{ $merge: { into: 'merge_target' } }]).toArray();

    expect(passed).toEqual([]);
    expect(await target.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, name: 'a', extra: true, n: 1 },
      { _id: 2, name: 'b', n: 2 },
    ]);
  });

  it('when $merge says replace and discard, then matched documents are replaced and new ones are dropped', async () => {
    const source = conn.db.collection<Named>('merge_source_2');
    const target = conn.db.collection<Named & { extra?: boolean }>('merge_target_2');
    await source.insertMany([
      { _id: 1, name: 'a' },
      { _id: 2, name: 'b' },
    ]);
    await target.insertOne({ _id: 1, name: 'old', extra: true });

    await source
      .aggregate([{ $merge: { into: 'merge_target_2', whenMatched: 'replace', whenNotMatched: 'discard' } }])
      .toArray();

    expect(await target.find().toArray()).toEqual([{ _id: 1, name: 'a' }]);
  });

  it('when $merge says whenMatched fail and a document matches, then the aggregation fails with a duplicate key error', async () => {
    const source = conn.db.collection<Named>('merge_source_3');
    await source.insertOne({ _id: 1, name: 'a' });
    await conn.db.collection<Named>('merge_target_3').insertOne({ _id: 1, name: 'old' });

    const error = await serverErrorOf(
      source.aggregate([{ $merge: { into: 'merge_target_3', whenMatched: 'fail' } }]).toArray(),
    );

    expect(error.code).toBe(11000);
  });

  it('when $out or $merge is not the last stage, then the aggregation fails with 40601', async () => {
    const source = conn.db.collection<Named>('merge_source_4');
    await source.insertOne({ _id: 1, name: 'a' });

    const error = await serverErrorOf(source.aggregate([{ $out: 'somewhere' }, { $match: {} }]).toArray());

    expect(error.code).toBe(40601);
  });

  it('when an aggregation ends in $out, then the target holds exactly the results', async () => {
    const source = conn.db.collection<Named>('out_source');
    await source.insertMany([
      { _id: 1, name: 'a', n: 1 },
      { _id: 2, name: 'b', n: 2 },
    ]);
    await conn.db.collection('out_target').insertOne({ _id: 9 as never });

    await source.aggregate([{ $match: { n: { $gte: 2 } } }, { $out: 'out_target' }]).toArray();

    expect(await conn.db.collection('out_target').find().toArray()).toEqual([{ _id: 2, name: 'b', n: 2 }]);
  });
});

describe('hint and unknown options', () => {
  it('when a hint names an existing index, then the query answers as without it; an unknown index fails with BadValue (2)', async () => {
    const coll = conn.db.collection<Named>('hint_coll');
    await coll.createIndex({ name: 1 });
    await coll.insertMany([
      { _id: 1, name: 'a' },
      { _id: 2, name: 'b' },
    ]);

    const hinted = await coll.find({ name: 'b' }, { hint: { name: 1 } }).toArray();
    const byName = await coll.find({ name: 'b' }, { hint: 'name_1' }).toArray();
    const error = await serverErrorOf(coll.find({}, { hint: 'no_such_index' }).toArray());

    expect(hinted).toEqual([{ _id: 2, name: 'b' }]);
    expect(byName).toEqual(hinted);
    expect(error.code).toBe(2);
  });

  it('when a command carries a field mongod does not know, then it fails with 40415 (unknown field)', async () => {
    const error = await serverErrorOf(conn.db.command({ find: 'hint_coll', filter: {}, bogusOption: 1 }));
    const statement = await serverErrorOf(
      conn.db.command({ delete: 'hint_coll', deletes: [{ q: {}, limit: 0, bogus: true }] }),
    );

    expect(error.code).toBe(40415);
    expect(statement.code).toBe(40415);
  });

  it('when a write asks for w: 2 on a standalone, then it fails with BadValue (2)', async () => {
    const error = await serverErrorOf(
      conn.db.command({ insert: 'wc_coll', documents: [{ _id: 1 }], writeConcern: { w: 2 } }),
    );

    expect(error.code).toBe(2);
  });

  it.skipIf(!EMBEDDED)(
    'when a collection is created with a validator or a cap, then the embedded server refuses it with InvalidOptions (72) instead of ignoring it',
    async () => {
      const validator = await serverErrorOf(
        conn.db.createCollection('validated', { validator: { name: { $type: 'string' } } }),
      );
      const capped = await serverErrorOf(conn.db.createCollection('capped', { capped: true, size: 4096 }));

      expect([validator.code, capped.code]).toEqual([72, 72]);
    },
  );

  it('when the driver sends its usual session and concern fields, then the command still works', async () => {
    const coll = conn.db.collection<Named>('plumbing');
    const session = conn.client.startSession();
    try {
      await coll.insertOne({ _id: 1, name: 'a' }, { session, writeConcern: { w: 'majority', j: true } });
      const found = await coll
        .find({}, { session, readConcern: { level: 'local' }, comment: 'c', maxTimeMS: 5000 })
        .toArray();
      expect(found).toEqual([{ _id: 1, name: 'a' }]);
    } finally {
      await session.endSession();
    }
  });
});
