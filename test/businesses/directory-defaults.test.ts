/**
 * A business stored before a setting existed (no migration ran) must read with that setting's default:
 * an old AI-enabled record without `aiDailyTokenBudget` would otherwise never hit its budget, and one
 * without `aiDisclosure` would fail every AI reply.
 */
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessDirectory } from '../../src/businesses/directory.js';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';

let testDb: TestDatabase;
let connection: Connection;
let models: Models;

beforeAll(async () => {
  testDb = await useTestDatabase('directory-defaults');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
});
afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await testDb.close();
});

describe('business directory', () => {
  it('when a record predates the AI and retention settings, then it reads with their defaults and keeps its own values', async () => {
    await models.Business.collection.insertOne({
      phoneNumberId: '100000000000777',
      name: 'Old Café',
      currency: 'EUR',
      catalog: [{ id: 'cola', name: 'Cola', priceMinor: 200, available: true }],
      fulfilment: { pickup: true, delivery: false },
      aiReplies: true,
    });

    const business = await new BusinessDirectory(models.Business).get('100000000000777');

    expect(business).toMatchObject({
      name: 'Old Café',
      aiReplies: true,
      aiDailyTokenBudget: 50_000,
      aiDisclosure: '',
      aiIncludeName: false,
      persona: '',
      orderRetentionYears: 10,
      faq: [],
      adminNumbers: [],
      locale: 'en',
    });
    expect(business?.catalog).toHaveLength(1);
  });

  it('when no record exists, then it reads null', async () => {
    expect(await new BusinessDirectory(models.Business).get('100000000000778')).toBeNull();
  });
});
