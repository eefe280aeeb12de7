/**
 * Conformance: numbers keep the BSON type they were stored with (int32, int64, double, decimal128) across
 * insert, update ($set, $inc, $mul with mongod's promotion rules), find, aggregation and, for the embedded
 * server, the journal round trip. Read with `promoteValues: false`, so the driver hands back the BSON types
 * as they came over the wire. Runs unchanged against a real MongoDB (set MONGODB_URI).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal128, Double, Int32, Long, MongoClient } from 'mongodb';
import type { Document } from 'mongodb';
import { startEmbeddedServer } from '../../../src/db/embedded/index.js';
import { conformanceDatabase, serverErrorOf } from './conformance-helpers.js';

const EMBEDDED = !process.env.MONGODB_URI;
const RAW = { promoteValues: false } as const;

const conn = conformanceDatabase('conformance-types');

/** `{ field: [BSON type name, value as a string] }` for each numeric field, as read back raw. */
function typesOf(doc: Document | null): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const [key, value] of Object.entries(doc ?? {})) {
    if (key === '_id') continue;
    const tagged = value as { _bsontype?: string; toString(): string };
    out[key] = [tagged._bsontype ?? typeof value, tagged.toString()];
  }
  return out;
}

const SAMPLE = {
  i: new Int32(5),
  l: Long.fromNumber(5),
  d: new Double(5),
  f: new Double(2.5),
  m: Decimal128.fromString('5.10'),
  big: Long.fromString('9007199254740993'),
};

const SAMPLE_TYPES = {
  i: ['Int32', '5'],
  l: ['Long', '5'],
  d: ['Double', '5'],
  f: ['Double', '2.5'],
  m: ['Decimal128', '5.10'],
  big: ['Long', '9007199254740993'],
};

describe('numeric types as stored', () => {
  it('when int32, int64, double and decimal values are inserted, then find gives each back with its own type', async () => {
    const coll = conn.db.collection('types_insert');
    await coll.insertOne({ _id: 1 as never, ...SAMPLE });

    expect(typesOf(await coll.findOne({ _id: 1 as never }, RAW))).toEqual(SAMPLE_TYPES);
    const bigints = await coll.findOne({ _id: 1 as never }, { useBigInt64: true });
    expect(bigints?.l).toBe(5n);
    expect(bigints?.big).toBe(9007199254740993n);
  });

  it('when a filter compares numbers of different types, then they match by value and keep their types', async () => {
    const coll = conn.db.collection('types_filter');
    await coll.insertOne({ _id: 1 as never, ...SAMPLE });

    const byLong = await coll.findOne({ l: 5, d: Long.fromNumber(5), i: new Double(5) }, RAW);
    const byRange = await coll.find({ l: { $gte: 4, $lt: 6 } }, RAW).toArray();

    expect(typesOf(byLong)).toEqual(SAMPLE_TYPES);
    expect(byRange).toHaveLength(1);
  });

  it('when a find projects fields, then the projected numbers keep their types', async () => {
    const coll = conn.db.collection('types_projection');
    await coll.insertOne({ _id: 1 as never, ...SAMPLE });

    const doc = await coll.findOne({ _id: 1 as never }, { ...RAW, projection: { l: 1, d: 1 } });

    expect(typesOf(doc)).toEqual({ l: ['Long', '5'], d: ['Double', '5'] });
  });

  it('when $set writes an int64 and a round double, then they are stored as int64 and double', async () => {
    const coll = conn.db.collection('types_set');
    await coll.insertOne({ _id: 1 as never, x: 1 });

    await coll.updateOne({ _id: 1 as never }, { $set: { x: Long.fromNumber(7), y: new Double(3) } });

    expect(typesOf(await coll.findOne({ _id: 1 as never }, RAW))).toEqual({
      x: ['Long', '7'],
      y: ['Double', '3'],
    });
  });

  it('when $inc and $mul combine types, then the result follows mongod promotion (int+int=int, overflow to long, long wins over int, double wins)', async () => {
    const coll = conn.db.collection('types_inc');
    await coll.insertOne({
      _id: 1 as never,
      ii: new Int32(1),
      overflow: new Int32(2147483647),
      li: Long.fromNumber(1),
      il: new Int32(1),
      id: new Int32(1),
      dl: new Double(1),
      ml: Long.fromNumber(3),
      md: new Int32(3),
    });

    await coll.updateOne(
      { _id: 1 as never },
      {
        $inc: {
          ii: new Int32(2),
          overflow: new Int32(1),
          li: new Int32(2),
          il: Long.fromNumber(2),
          id: new Double(2),
          dl: Long.fromNumber(2),
          newLong: Long.fromNumber(4),
        },
        $mul: { ml: new Int32(2), md: new Double(2), newZero: new Double(7) },
      },
    );

    expect(typesOf(await coll.findOne({ _id: 1 as never }, RAW))).toEqual({
      ii: ['Int32', '3'],
      overflow: ['Long', '2147483648'],
      li: ['Long', '3'],
      il: ['Long', '3'],
      id: ['Double', '3'],
      dl: ['Double', '3'],
      ml: ['Long', '6'],
      md: ['Double', '6'],
      newLong: ['Long', '4'],
      newZero: ['Double', '0'],
    });
  });

  it('when $inc would overflow int64, then it fails with BadValue (2) and the value is unchanged', async () => {
    const coll = conn.db.collection('types_inc_overflow');
    await coll.insertOne({ _id: 1 as never, n: Long.MAX_VALUE });

    const error = await serverErrorOf(coll.updateOne({ _id: 1 as never }, { $inc: { n: 1 } }));

    expect(error.code).toBe(2);
    expect(typesOf(await coll.findOne({ _id: 1 as never }, RAW))).toEqual({
      n: ['Long', '9223372036854775807'],
    });
  });

  it('when $inc is given a non-numeric operand, then it fails with TypeMismatch (14)', async () => {
    const coll = conn.db.collection('types_inc_text');
    await coll.insertOne({ _id: 1 as never, n: 1 });

    const error = await serverErrorOf(coll.updateOne({ _id: 1 as never }, { $inc: { n: 'one' as never } }));

    expect(error.code).toBe(14);
  });

  it('when an aggregation matches, sorts and projects, then the numbers keep their types', async () => {
    const coll = conn.db.collection('types_aggregate');
    await coll.insertMany([
      { _id: 1 as never, ...SAMPLE },
      { _id: 2 as never, ...SAMPLE, l: Long.fromNumber(6) },
    ]);

    const docs = await coll
      .aggregate(
        [{ $match: { l: { $gte: 5 } } }, { $sort: { l: -1 } }, { $project: { l: 1, d: 1, i: 1 } }],
        RAW,
      )
      .toArray();

    expect(docs.map(typesOf)).toEqual([
      { l: ['Long', '6'], d: ['Double', '5'], i: ['Int32', '5'] },
      { l: ['Long', '5'], d: ['Double', '5'], i: ['Int32', '5'] },
    ]);
  });

  it('when findOneAndUpdate returns the new document, then its numbers keep their types', async () => {
    const coll = conn.db.collection('types_find_and_modify');
    await coll.insertOne({ _id: 1 as never, n: Long.fromNumber(1), d: new Double(1) });

    const doc = await coll.findOneAndUpdate(
      { _id: 1 as never },
      { $inc: { n: 1, d: 1 } },
      { ...RAW, returnDocument: 'after' },
    );

    expect(typesOf(doc)).toEqual({ n: ['Long', '2'], d: ['Double', '2'] });
  });
});

describe.skipIf(!EMBEDDED)('numeric types across a restart (embedded journal)', () => {
  it('when the server restarts on its data directory, then every number comes back with its type', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polus-types-'));
    try {
      const first = await startEmbeddedServer({ port: 0, dataDir: dir });
      const writer = new MongoClient(first.uri);
      await writer.connect();
      const coll = writer.db('types').collection('journal');
      await coll.insertOne({ _id: 1 as never, ...SAMPLE });
      await coll.updateOne({ _id: 1 as never }, { $inc: { l: new Int32(1), d: new Int32(1) } });
      await writer.close();
      await first.close();

      const second = await startEmbeddedServer({ port: 0, dataDir: dir });
      const reader = new MongoClient(second.uri);
      await reader.connect();
      const doc = await reader
        .db('types')
        .collection('journal')
        .findOne({ _id: 1 as never }, RAW);
      await reader.close();
      await second.close();

      expect(typesOf(doc)).toEqual({ ...SAMPLE_TYPES, l: ['Long', '6'], d: ['Double', '6'] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
