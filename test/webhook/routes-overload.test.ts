/**
 * `POST /webhook` under overload (src/webhook/overload.ts), through real HTTP against the embedded database:
 * over the inbox backlog bound or beyond the store slots, a correctly signed body is answered 503 with
 * `Retry-After` and nothing is stored (Meta delivers it again); a wrongly signed one is still 401. The route is
 * mounted on its own so the backlog's clock and a store that hangs can be driven by the test, not by time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { NextFunction, Request, Response as ExpressResponse } from 'express';
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoBusinessData } from '../../src/businesses/demo.js';
import { BusinessDirectory } from '../../src/businesses/directory.js';
import { CustomerIdentities } from '../../src/customers/identity.js';
import { createModels, initModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import { AppError } from '../../src/errors.js';
import { Counters } from '../../src/metrics.js';
import { PrometheusMetrics } from '../../src/metrics/prometheus.js';
import type { IntakeLimits, WebhookDeps } from '../../src/webhook/routes.js';
import { webhookRouter } from '../../src/webhook/routes.js';
import { signBody } from '../../src/webhook/signature.js';
import { startTestBot, TEST_APP_SECRET, TEST_PEPPER, testSealer } from '../helpers/bot.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';
import { configureBusiness } from '../helpers/webhook.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid, statusUpdate } from '../helpers/payloads.js';

let testDb: TestDatabase;
let connection: Connection;
let models: Models;
let directory: BusinessDirectory;
const PNID = newPhoneNumberId();
const servers: http.Server[] = [];

beforeAll(async () => {
  testDb = await useTestDatabase('webhook-overload');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
  await initModels(models);
  directory = new BusinessDirectory(models.Business);
  await directory.put({ ...demoBusinessData(), phoneNumberId: PNID, name: 'Casa Carga' });
});
// The backlog is the whole inbox's: each test starts from an empty one.
beforeEach(async () => {
  await models.Inbox.deleteMany({}).exec();
});
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await testDb.close();
});

interface Harness {
  post(body: object, signature?: string): Promise<Response>;
  metrics: PrometheusMetrics;
  counters: Counters;
}

/** `POST /webhook` alone on a loopback server, with the app's answer to errors (status from the catalogue). */
async function mount(intake: IntakeLimits, overrides: Partial<WebhookDeps> = {}): Promise<Harness> {
  const metrics = new PrometheusMetrics();
  const counters = new Counters();
  const app = express();
  app.use(
    webhookRouter({
      appSecret: TEST_APP_SECRET,
      verifyToken: 'unused-verify-token',
      Inbox: models.Inbox,
      Outbox: models.Outbox,
      directory,
      pepper: TEST_PEPPER,
      identities: new CustomerIdentities({ models, pepper: TEST_PEPPER }),
      sealer: testSealer(),
      counters,
      metrics,
      logger: pino({ level: 'silent' }),
      onAccepted: () => undefined,
      templateStatus: () => Promise.resolve(),
      intake,
      ...overrides,
    }),
  );
  app.use((err: unknown, _req: Request, res: ExpressResponse, _next: NextFunction) => {
    res.sendStatus(err instanceof AppError ? err.status : 500);
  });
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return {
    metrics,
    counters,
    post: (body, signature) => {
      const bytes = Buffer.from(JSON.stringify(body));
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signature ?? signBody(bytes, TEST_APP_SECRET),
        },
        body: bytes,
      });
    },
  };
}

function message(wamid = newWamid()): { wamid: string; body: object } {
  return { wamid, body: inboundText({ phoneNumberId: PNID, waId: newWaId(), wamid }, 'hola') };
}

async function stored(wamid: string): Promise<number> {
  return models.Inbox.countDocuments({ _id: wamid }).exec();
}

async function acks(metrics: PrometheusMetrics, outcome: string): Promise<number> {
  const values = (await metrics.registry.getSingleMetric('polus_webhook_acks_total')?.get())?.values ?? [];
  return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

/** Messages of another customer waiting out a retry: counted as backlog, never handled here (no engine). */
async function waitingMessages(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => newWamid());
  const now = new Date();
  await models.Inbox.collection.insertMany(
    ids.map((_id) => ({
      _id,
      phoneNumberId: PNID,
      customerRef: 'backlog-customer',
      status: 'pending',
      retryAt: new Date(now.getTime() + 3_600_000),
      receivedAt: now,
      sentAt: now,
      attempts: 1,
    })) as never,
  );
  return ids;
}

describe('POST /webhook over the inbox backlog bound', () => {
  it('when the backlog is at the bound, then 503 with Retry-After and nothing stored; once below, 200 and stored', async () => {
    let clock = 0;
    const t = await mount({ concurrency: 8, backlogLimit: 3, now: () => clock });
    const backlog = await waitingMessages(3);
    const first = message();

    const refused = await t.post(first.body);

    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await stored(first.wamid)).toBe(0);
    expect(await acks(t.metrics, 'overloaded')).toBe(1);
    expect(await acks(t.metrics, 'error')).toBe(0);
    expect(t.counters.get('webhook.overloaded.backlog')).toBe(1);

    // The backlog drains; the next count (the last is older than its 500 ms) sees it, and Meta's redelivery
    // of the same body is stored.
    await models.Inbox.deleteMany({ _id: { $in: backlog } }).exec();
    clock += 500;
    const again = await t.post(first.body);

    expect(again.status).toBe(200);
    expect(await stored(first.wamid)).toBe(1);
  });

  it('when the signature is wrong, then 401 whatever the load: nothing about it is told to the caller', async () => {
    const t = await mount({ concurrency: 8, backlogLimit: 1 });
    await waitingMessages(1);
    const { wamid, body } = message();

    const res = await t.post(body, `sha256=${'0'.repeat(64)}`);

    expect(res.status).toBe(401);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await stored(wamid)).toBe(0);
    expect(await acks(t.metrics, 'overloaded')).toBe(0);
    expect(await acks(t.metrics, 'bad-signature')).toBe(1);
  });

  it('when a body carries only statuses, then it is stored over the bound (it adds nothing to the backlog)', async () => {
    const t = await mount({ concurrency: 8, backlogLimit: 1 });
    await waitingMessages(1);
    const wamid = newWamid();
    const sentAt = new Date();
    const record = await models.Outbox.collection.insertOne({
      phoneNumberId: PNID,
      status: 'sent',
      wamids: [wamid],
      deliveries: [],
      createdAt: sentAt,
    });

    const res = await t.post(statusUpdate(PNID, wamid, 'delivered'));

    expect(res.status).toBe(200);
    const after = await models.Outbox.collection.findOne({ _id: record.insertedId });
    expect(after?.deliveries).toEqual([expect.objectContaining({ status: 'delivered' })]);
  });

  it('when this process stores messages up to the bound between two counts, then the next body is refused', async () => {
    const t = await mount({ concurrency: 8, backlogLimit: 2, now: () => 0 });
    const a = message();
    const b = message();
    const c = message();

    expect((await t.post(a.body)).status).toBe(200);
    expect((await t.post(b.body)).status).toBe(200);
    const res = await t.post(c.body);

    expect(res.status).toBe(503);
    expect(await stored(c.wamid)).toBe(0);
  });
});

describe('POST /webhook beyond its store slots', () => {
  it('when every slot is held by a store that has not finished and no body may wait, then 503 with Retry-After; once it finishes, 200', async () => {
    // The first body's store hangs in its sender lookup until the test lets it go.
    let letGo!: () => void;
    const hold = new Promise<void>((resolve) => (letGo = resolve));
    let entered!: () => void;
    const inStore = new Promise<void>((resolve) => (entered = resolve));
    const identities = new CustomerIdentities({ models, pepper: TEST_PEPPER });
    let calls = 0;
    const t = await mount(
      { concurrency: 1, maxQueued: 0, backlogLimit: 1_000 },
      {
        identities: {
          resolveSenders: async (senders) => {
            calls += 1;
            if (calls === 1) {
              entered();
              await hold;
            }
            return identities.resolveSenders(senders);
          },
        },
      },
    );
    const first = message();
    const second = message();

    const firstAnswer = t.post(first.body);
    await inStore;
    const busy = await t.post(second.body);
    const forged = await t.post(second.body, `sha256=${'1'.repeat(64)}`);

    expect(busy.status).toBe(503);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(forged.status).toBe(401);
    expect(await stored(second.wamid)).toBe(0);
    expect(t.counters.get('webhook.overloaded.busy')).toBe(1);
    expect(await acks(t.metrics, 'overloaded')).toBe(1);

    letGo();
    expect((await firstAnswer).status).toBe(200);
    const retried = await t.post(second.body);

    expect(retried.status).toBe(200);
    expect(await stored(first.wamid)).toBe(1);
    expect(await stored(second.wamid)).toBe(1);
  });
});

describe('the whole bot', () => {
  it('when INBOX_BACKLOG_LIMIT is reached, then its webhook answers 503 and stores nothing', async () => {
    const t = await startTestBot('webhook-overload-bot', { env: { INBOX_BACKLOG_LIMIT: '1' } });
    try {
      const pnid = newPhoneNumberId();
      await configureBusiness(t, pnid);
      // One message of another customer waiting out a retry: the engine leaves it for an hour.
      const now = new Date();
      await t.bot.models.Inbox.collection.insertOne({
        _id: newWamid(),
        phoneNumberId: pnid,
        customerRef: 'backlog-customer',
        status: 'pending',
        retryAt: new Date(now.getTime() + 3_600_000),
        receivedAt: now,
        sentAt: now,
        attempts: 1,
      } as never);
      const wamid = newWamid();

      const res = await t.postWebhook(inboundText({ phoneNumberId: pnid, waId: newWaId(), wamid }, 'hola'));

      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).not.toBeNull();
      expect(await t.bot.models.Inbox.countDocuments({ _id: wamid }).exec()).toBe(0);
    } finally {
      await t.close();
    }
  });
});
