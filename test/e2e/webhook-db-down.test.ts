/**
 * The database goes away under a running bot: the webhook must not acknowledge what it could not store
 * (Meta only retries non-200 answers) and must say so quickly (a bounded wait, not the driver's 10 s server
 * selection), readiness must say so while liveness stays up, and the metrics still answer. Needs the
 * embedded server, which this file can stop; against MONGODB_URI it is skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid, statusUpdate } from '../helpers/payloads.js';
import { configureBusiness, metrics, sendsFor } from '../helpers/webhook.js';

let t: TestBot;
let databaseStopped = false;
const PNID = newPhoneNumberId();

beforeAll(async () => {
  t = await startTestBot('webhook-db-down');
  await configureBusiness(t, PNID, 'Casa Caída');
});
afterAll(async () => {
  if (!databaseStopped) {
    await t.close();
    return;
  }
  // t.close() would first try to drop the database and wait out server selection; skip straight to closing.
  await t.bot.close();
  await t.graph.close();
  await t.db.close();
});

describe('webhook with the database down', () => {
  it('when the database stops under the bot, then signed message and status POSTs get 503, /readyz 503, /healthz 200', async (ctx) => {
    ctx.skip(t.db.kind !== 'embedded', 'only the embedded server can be stopped from the test');
    // Arrange: the bot works, then the database goes away.
    const warmUp = await t.postWebhook(inboundText({ phoneNumberId: PNID, waId: newWaId() }, 'first'));
    expect(warmUp.status).toBe(200);
    await t.settled();
    expect(sendsFor(t, PNID)).toHaveLength(1);
    await t.db.close();
    databaseStopped = true;
    const wamid = newWamid();

    // Act: all at once, so whatever waits for the database shares the wait.
    const [webhook, status, ready, health, counted] = await Promise.all([
      t.postWebhook(inboundText({ phoneNumberId: PNID, waId: newWaId(), wamid }, 'second')),
      t.postWebhook(statusUpdate(PNID, newWamid(), 'delivered')),
      fetch(`${t.bot.url}/readyz`),
      fetch(`${t.bot.url}/healthz`),
      metrics(t),
    ]);

    // Assert (soft: every outcome is reported, not only the first that differs)
    expect(health.status).toBe(200);
    expect(ready.status).toBe(503);
    expect.soft(webhook.status).toBe(503);
    expect.soft(status.status).toBe(503);
    expect.soft(await webhook.text()).toContain('DATABASE_UNAVAILABLE');
    expect.soft(t.bot.counters.get('webhook.store_failed')).toBe(2);
    expect.soft(t.bot.counters.get('webhook.received')).toBe(1);
    // The operator still gets the counters; the queue's gauges, read from the database, are reported missing.
    expect.soft(counted['webhook.received']).toBe(1);
    expect.soft(counted['metrics.gauge_unavailable']).toBe(1);
    expect.soft(counted['inbox.now.pending']).toBeUndefined();
    expect(sendsFor(t, PNID)).toHaveLength(1);
  });
});
