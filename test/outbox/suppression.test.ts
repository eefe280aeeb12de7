/**
 * The sender's suppression check on the embedded database (or MONGODB_URI): after "stop" nothing unsolicited
 * goes out, after an erasure nothing scheduled before its tombstone, and a customer on no list is not held.
 */
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import { suppressionCheck } from '../../src/outbox/suppression.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';

let testDb: TestDatabase;
let connection: Connection;
let models: Models;

beforeAll(async () => {
  testDb = await useTestDatabase('outbox-suppression');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
  await models.Suppression.init();
});
afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await testDb.close();
});

describe('suppressionCheck', () => {
  const at = new Date('2025-03-01T12:00:00Z');
  const before = new Date(at.getTime() - 1_000);
  const after = new Date(at.getTime() + 1_000);

  it('when the customer is on no list, then nothing is held', async () => {
    expect(await suppressionCheck(models.Suppression)('ref-none', before)).toBeUndefined();
  });

  it('when the customer sent "stop", then every unsolicited message is held, whenever it was made', async () => {
    await models.Suppression.create({
      _id: 'ref-stop',
      phoneNumberId: 'p',
      reason: 'opted-out',
      createdAt: at,
    });
    const check = suppressionCheck(models.Suppression);
    expect(await check('ref-stop', before)).toBe('opted-out');
    expect(await check('ref-stop', after)).toBe('opted-out');
  });

  it('when the customer erased their data, then only messages made up to the erasure are held', async () => {
    await models.Suppression.create({
      _id: 'ref-erased',
      phoneNumberId: 'p',
      reason: 'erased',
      createdAt: at,
    });
    const check = suppressionCheck(models.Suppression);
    expect(await check('ref-erased', before)).toBe('erased');
    expect(await check('ref-erased', at)).toBe('erased');
    expect(await check('ref-erased', after)).toBeUndefined();
  });
});
