/**
 * The record of processing (src/privacy/data-map.ts) against the models that really exist: every model is
 * mapped (and the guard provably fails when one is not), every personal collection has an erasure, every
 * TTL retention has its TTL index, and the retention defaults asked for by issue 6 hold where the records
 * are written (inbox and outbox 30 days, privacy requests 3 years, orders placedAt + orderRetentionYears).
 */
import mongoose, { Schema } from 'mongoose';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessInput } from '../../src/businesses/schema.js';
import type { BusinessDirectory } from '../../src/businesses/directory.js';
import { AI_CALL_RETENTION_DAYS } from '../../src/db/models/ai-call.model.js';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import { INBOX_RETENTION_DAYS } from '../../src/db/models/inbox.model.js';
import { OUTBOX_RETENTION_DAYS } from '../../src/db/models/outbox.model.js';
import { PRIVACY_REQUEST_RETENTION_DAYS } from '../../src/db/models/privacy-request.model.js';
import { ERASURE_TOMBSTONE_DAYS } from '../../src/db/models/suppression.model.js';
import { OrderService } from '../../src/orders/service.js';
import { outboxRecord } from '../../src/outbox/record.js';
import { DATA_MAP, PERSONAL_DATA, unmappedModels } from '../../src/privacy/data-map.js';
import { PrivacyService } from '../../src/privacy/service.js';
import { CustomerIdentities } from '../../src/customers/identity.js';
import { recordWebhook } from '../../src/webhook/intake.js';
import { testSealer } from '../helpers/bot.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';
import { sampleOrder } from '../helpers/orders.js';
import { newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const logger = pino({ level: 'silent' });
const sealer = testSealer();

let testDb: TestDatabase;
let connection: Connection;
let models: Models;

beforeAll(async () => {
  testDb = await useTestDatabase('privacy-data-map');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
  await Promise.all(Object.values(models).map((model) => model.init()));
});
afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await testDb.close();
});

const modelOf = (entry: (typeof DATA_MAP)[number]) =>
  models[entry.model] as unknown as mongoose.Model<unknown>;

/** The schema's TTL indexes: field → expireAfterSeconds. */
function ttlIndexes(model: mongoose.Model<unknown>): Map<string, number> {
  const ttl = new Map<string, number>();
  for (const [fields, options] of model.schema.indexes()) {
    const seconds = (options as { expireAfterSeconds?: number }).expireAfterSeconds;
    const keys = Object.keys(fields);
    if (seconds !== undefined && keys.length === 1 && keys[0]) ttl.set(keys[0], seconds);
  }
  return ttl;
}

const addYears = (date: Date, years: number) => {
  const next = new Date(date);
  next.setUTCFullYear(next.getUTCFullYear() + years);
  return next;
};

describe('DATA_MAP covers every model', () => {
  it('when createModels registers its models, then each one has exactly one data-map entry, and nothing else does', () => {
    const registered = Object.keys(models).sort();
    const mapped = DATA_MAP.map((entry) => entry.model as string);
    expect([...mapped].sort()).toEqual(registered);
    expect(new Set(mapped).size).toBe(mapped.length);
    expect(new Set(DATA_MAP.map((e) => e.collection)).size).toBe(DATA_MAP.length);
  });

  it('when the models are registered, then each mongoose model name is its createModels key', () => {
    for (const [key, model] of Object.entries(models)) expect(model.modelName).toBe(key);
  });

  it('when createModels has run on a connection, then no model on it is unmapped', () => {
    expect(connection.modelNames().sort()).toEqual(Object.keys(models).sort());
    expect(unmappedModels(connection)).toEqual([]);
  });

  it('when a model without an entry is registered, then the guard reports it by name', async () => {
    // A connection of its own (never opened): the throwaway model does not leak into the other tests.
    const scratch = mongoose.createConnection();
    try {
      createModels(scratch);
      expect(unmappedModels(scratch)).toEqual([]);
      scratch.model('LoyaltyPoints', new Schema({ customerRef: String, points: Number }));
      scratch.model('AuditTrail', new Schema({ at: Date }));
      expect(unmappedModels(scratch)).toEqual(['AuditTrail', 'LoyaltyPoints']);
    } finally {
      await scratch.close();
    }
  });

  it('when the entries name their collections, then they are the models’ real collection names', () => {
    for (const entry of DATA_MAP) {
      expect({ model: entry.model, collection: modelOf(entry).collection.collectionName }).toEqual({
        model: entry.model,
        collection: entry.collection,
      });
    }
  });

  it('when the database is listed after init, then every mapped collection exists', async () => {
    const names = (await connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    for (const entry of DATA_MAP) expect(names).toContain(entry.collection);
  });
});

describe('DATA_MAP entries', () => {
  it('when an entry can hold personal data, then it has an erasure handler and subject fields in its schema', () => {
    expect(PERSONAL_DATA.length).toBeGreaterThan(0);
    for (const entry of DATA_MAP.filter((e) => e.personal)) {
      expect(typeof entry.erase, `${entry.model}.erase`).toBe('function');
      expect(entry.subjectFields.length, `${entry.model}.subjectFields`).toBeGreaterThan(0);
      for (const field of [...entry.subjectFields, ...(entry.keptFields ?? [])]) {
        expect(modelOf(entry).schema.path(field), `${entry.model}.${field}`).toBeDefined();
      }
    }
  });

  it('when an entry holds no personal data, then it has no erasure, no subject fields, and a stated basis', () => {
    for (const entry of DATA_MAP.filter((e) => !e.personal)) {
      expect(entry.erase, entry.model).toBeUndefined();
      expect(entry.subjectFields, entry.model).toEqual([]);
      expect(entry.retention.period.length).toBeGreaterThan(0);
    }
  });

  it('when PERSONAL_DATA is read, then it is the personal entries in erasure order, the suppression first', () => {
    expect(PERSONAL_DATA).toEqual(DATA_MAP.filter((e) => e.personal));
    expect(PERSONAL_DATA[0]?.model).toBe('Suppression');
  });

  it('when every entry is described, then holds, purpose and retention period are non-empty', () => {
    for (const entry of DATA_MAP) {
      expect(entry.holds.trim(), entry.model).not.toBe('');
      expect(entry.purpose.trim(), entry.model).not.toBe('');
      expect(entry.retention.period.trim(), entry.model).not.toBe('');
    }
  });

  it('when an entry keeps data by TTL, then its schema has a TTL index on that field, expiring at the date', () => {
    const ttlEntries = DATA_MAP.filter((e) => e.retention.kind === 'ttl');
    // Every personal collection expires by TTL; some without personal data do too (api_keys, settings_changes).
    for (const entry of PERSONAL_DATA) expect(entry.retention.kind, entry.model).toBe('ttl');
    for (const entry of ttlEntries) {
      if (entry.retention.kind !== 'ttl') continue;
      const ttl = ttlIndexes(modelOf(entry));
      expect(ttl.get(entry.retention.field), `${entry.model}.${entry.retention.field}`).toBe(0);
      expect(modelOf(entry).schema.path(entry.retention.field)?.instance).toBe('Date');
    }
  });

  it('when an entry limits its erasure to records made by the job, then its created field is a date in its schema', () => {
    const dated = DATA_MAP.filter((e) => e.createdField !== undefined);
    expect(dated.map((e) => [e.model, e.createdField])).toContainEqual(['AiCall', 'at']);
    for (const entry of dated) {
      expect(modelOf(entry).schema.path(entry.createdField ?? '')?.instance, entry.model).toBe('Date');
    }
  });

  it('when the indexes are built, then the database has the TTL indexes the schemas declare', async () => {
    for (const entry of DATA_MAP) {
      if (entry.retention.kind !== 'ttl') continue;
      const indexes = await modelOf(entry).collection.indexes();
      const field = entry.retention.field;
      const ttl = indexes.find((index) => Object.keys(index.key).join() === field);
      expect(ttl?.expireAfterSeconds, `${entry.collection}.${field}`).toBe(0);
    }
  });

  it('when a schema has a TTL index, then the data map states it (no undocumented expiry)', () => {
    for (const entry of DATA_MAP) {
      const ttl = ttlIndexes(modelOf(entry));
      const stated = entry.retention.kind === 'ttl' ? [entry.retention.field] : [];
      expect([...ttl.keys()], entry.model).toEqual(stated);
    }
  });
});

describe('retention defaults (issue 6)', () => {
  it('when the constants are read, then inbox and outbox keep 30 days, requests 3 years, tombstones 30 days, AI calls 1 year', () => {
    expect(INBOX_RETENTION_DAYS).toBe(30);
    expect(OUTBOX_RETENTION_DAYS).toBe(30);
    expect(PRIVACY_REQUEST_RETENTION_DAYS).toBe(3 * 365);
    expect(ERASURE_TOMBSTONE_DAYS).toBe(30);
    expect(AI_CALL_RETENTION_DAYS).toBe(365);
  });

  it('when the data map states the periods, then they agree with the constants', () => {
    const period = (model: string) => DATA_MAP.find((e) => e.model === model)?.retention.period ?? '';
    expect(period('Inbox')).toContain(`${INBOX_RETENTION_DAYS} days`);
    expect(period('Outbox')).toContain(`${OUTBOX_RETENTION_DAYS} days`);
    expect(period('PrivacyRequest')).toContain('3 years');
    expect(period('Order')).toContain('10 years');
    expect(period('Suppression')).toContain(`${ERASURE_TOMBSTONE_DAYS} days`);
    expect(period('AiCall')).toBe('1 year');
  });

  it('when a webhook message is recorded, then its inbox record expires 30 days after it was received', async () => {
    const phoneNumberId = newPhoneNumberId();
    const wamid = newWamid();
    const now = new Date('2026-03-10T09:30:00.000Z');
    const directory = { get: () => Promise.resolve({ phoneNumberId }) } as unknown as BusinessDirectory;
    const result = await recordWebhook(
      {
        messages: [
          {
            wamid,
            phoneNumberId,
            customer: { waId: newWaId(), profileName: 'Zelda' },
            timestamp: now.getTime() - 1000,
            event: { type: 'user.text', text: 'hi' },
          },
        ],
        statuses: [],
        ignored: [],
        errors: [],
        templateStatus: [],
      },
      {
        Inbox: models.Inbox,
        Outbox: models.Outbox,
        directory,
        pepper: 'p'.repeat(32),
        identities: new CustomerIdentities({ models, pepper: 'p'.repeat(32) }),
        sealer,
        logger,
        templateStatus: () => Promise.resolve(),
      },
      now,
    );
    expect(result.accepted).toHaveLength(1);
    const stored = await models.Inbox.findById(wamid).lean().exec();
    expect(stored?.expiresAt.getTime()).toBe(now.getTime() + 30 * DAY_MS);
  });

  it('when a reply is put in the outbox, then its record expires 30 days after it was created', async () => {
    const createdAt = new Date('2026-03-10T09:30:00.000Z');
    const record = outboxRecord(sealer, {
      phoneNumberId: newPhoneNumberId(),
      customerRef: 'ref',
      audience: 'customer',
      inboundWamid: newWamid(),
      seq: 0,
      message: { type: 'reply.text', text: 'Hello' },
      createdAt,
    });
    await models.Outbox.create(record);
    const stored = await models.Outbox.findById(record._id).lean().exec();
    expect(stored?.expiresAt.getTime()).toBe(createdAt.getTime() + 30 * DAY_MS);
  });

  it('when a privacy request is opened, then it is kept 3 years (1095 days) after it was received', async () => {
    const now = Date.parse('2026-03-10T09:30:00.000Z');
    const privacy = new PrivacyService({
      models,
      sealer,
      pepper: 'p'.repeat(32),
      deliver: () => Promise.reject(new Error('not used')),
      logger,
      publicBaseUrl: 'http://localhost',
      llmConfigured: false,
      now: () => now,
    });
    const { request, created } = await privacy.openRequest(
      'access',
      newPhoneNumberId(),
      'subject-key',
      'chat',
    );
    expect(created).toBe(true);
    const stored = await models.PrivacyRequest.findById(request._id).lean().exec();
    expect(stored?.receivedAt.getTime()).toBe(now);
    expect(stored?.expiresAt.getTime()).toBe(now + 3 * 365 * DAY_MS);
  });

  it('when a business gives no order retention, then it is 10 years, in the admin input and in the model', () => {
    const parsed = businessInput.parse({ name: 'Café', currency: 'EUR', catalog: [] });
    expect(parsed.orderRetentionYears).toBe(10);
    const business = new models.Business({
      phoneNumberId: newPhoneNumberId(),
      name: 'Café',
      currency: 'EUR',
    });
    expect(business.orderRetentionYears).toBe(10);
    expect(() =>
      businessInput.parse({ name: 'Café', currency: 'EUR', catalog: [], orderRetentionYears: 0 }),
    ).toThrow();
  });

  describe('orders', () => {
    const placedAt = new Date('2026-03-10T09:30:00.000Z');
    const orders = () =>
      new OrderService({
        Order: models.Order,
        Counter: models.Counter,
        Outbox: models.Outbox,
        Customer: models.Customer,
        sealer,
        deliver: () => Promise.reject(new Error('not used')),
        logger,
        now: () => placedAt.getTime(),
      });

    it('when an order is placed without a retention, then it is kept until placedAt + 10 years', async () => {
      const order = await orders().placeOrder(sampleOrder(newPhoneNumberId(), 'ref-a'));
      expect(order.placedAt).toEqual(placedAt);
      expect(order.retainUntil).toEqual(addYears(placedAt, 10));
      expect(order.retainUntil?.toISOString()).toBe('2036-03-10T09:30:00.000Z');
      const stored = await models.Order.findById(order._id).lean().exec();
      expect(stored?.retainUntil).toEqual(new Date('2036-03-10T09:30:00.000Z'));
    });

    it.each([1, 6, 30])(
      'when the business keeps orders %i years, then the order is kept until placedAt + that many years',
      async (years) => {
        const order = await orders().placeOrder(
          sampleOrder(newPhoneNumberId(), 'ref-b', { retentionYears: years }),
        );
        expect(order.retainUntil).toEqual(addYears(placedAt, years));
      },
    );
  });
});
