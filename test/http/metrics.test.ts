/**
 * `GET /metrics`: Prometheus's text format for the scraper's token or the operator's, counting what the whole
 * bot did (webhook, engine, outbox, Graph API) against the embedded database and the loopback Graph stand-in,
 * and never naming a customer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ignoredKindLabel, PrometheusMetrics } from '../../src/metrics/prometheus.js';
import { TEST_ADMIN_TOKEN, startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { configureBusiness, sendsFor } from '../helpers/webhook.js';
import { fixture as graphFixture } from '../whatsapp/fixtures.js';

const METRICS_TOKEN = 'test-metrics-token-0123456789abcdef0123';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('metrics-endpoint', {
    env: { METRICS_TOKEN },
    // A send that failed for a passing reason is tried again at once, not after seconds.
    bot: { outboxRetry: { baseMs: 10, maxMs: 20 } },
  });
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

function scrape(token: string | null = METRICS_TOKEN): Promise<Response> {
  return fetch(
    `${t.bot.url}/metrics`,
    token === null ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
}

async function scrapeText(): Promise<string> {
  const res = await scrape();
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one sample (`name{labels} value`), 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return 0;
}

/** Posts one customer text to a new business and waits until the bot handled it. */
async function customerWrites(
  pnid: string,
  customer: { waId: string; wamid: string; name: string },
): Promise<void> {
  const res = await t.postWebhook(inboundText({ phoneNumberId: pnid, ...customer }, 'hola'));
  expect(res.status).toBe(200);
  await t.settled();
}

describe('GET /metrics authentication', () => {
  it('when no token or a wrong one is given, then 401 with the same body, and no metrics', async () => {
    const missing = await scrape(null);
    const wrong = await scrape('not-the-metrics-token-0123456789abcdef');
    const notBearer = await fetch(`${t.bot.url}/metrics`, { headers: { authorization: METRICS_TOKEN } });

    expect([missing.status, wrong.status, notBearer.status]).toEqual([401, 401, 401]);
    const bodies = [await missing.text(), await wrong.text(), await notBearer.text()];
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).not.toContain('polus_');
  });

  it('when METRICS_TOKEN or the operator token is given, then 200 in the Prometheus text format', async () => {
    for (const token of [METRICS_TOKEN, TEST_ADMIN_TOKEN]) {
      const res = await scrape(token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await res.text()).toContain('# TYPE polus_webhook_acks_total counter');
    }
  });

  it('when a scrape is made, then the token is in no log line', async () => {
    const from = t.logs.length;
    await scrapeText();
    expect(t.logs.slice(from).join('\n')).not.toContain(METRICS_TOKEN);
  });
});

describe('GET /metrics content', () => {
  it('when a customer writes and is answered, then acks, reply latency and Graph latency move, and no customer id appears', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    const customer = { waId: newWaId(), wamid: newWamid(), name: 'Zelda Quintanilla' };
    const before = await scrapeText();

    await customerWrites(pnid, customer);

    expect(sendsFor(t, pnid).length).toBeGreaterThan(0);
    const after = await scrapeText();
    const grew = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(grew('polus_webhook_acks_total', { outcome: 'ok' })).toBe(1);
    expect(grew('polus_webhook_messages_accepted_total')).toBe(1);
    expect(grew('polus_webhook_to_reply_seconds_count')).toBe(1);
    expect(grew('polus_graph_request_duration_seconds_count', { operation: 'send' })).toBeGreaterThan(0);
    expect(grew('polus_outbox_deliveries_total', { outcome: 'sent' })).toBeGreaterThan(0);
    for (const id of [customer.waId, customer.wamid, customer.name, pnid]) expect(after).not.toContain(id);
  });

  it('when the same message arrives again, then it counts as a duplicate and starts no second clock', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    const customer = { waId: newWaId(), wamid: newWamid(), name: 'Duplicated' };
    await customerWrites(pnid, customer);
    const before = await scrapeText();

    await customerWrites(pnid, customer);

    const after = await scrapeText();
    expect(sample(after, 'polus_webhook_duplicate_messages_total')).toBe(
      sample(before, 'polus_webhook_duplicate_messages_total') + 1,
    );
    expect(sample(after, 'polus_webhook_to_reply_seconds_count')).toBe(
      sample(before, 'polus_webhook_to_reply_seconds_count'),
    );
  });

  it('when a webhook is unsigned or not Meta JSON, then its ack is counted as bad-signature or bad-payload', async () => {
    const before = await scrapeText();

    expect((await t.postWebhook({ object: 'whatsapp_business_account' }, { signature: null })).status).toBe(
      401,
    );
    expect((await t.postWebhook('not json')).status).toBe(400);
    expect((await t.postWebhook({ object: 'something-else' })).status).toBe(400);

    const after = await scrapeText();
    const grew = (outcome: string) =>
      sample(after, 'polus_webhook_acks_total', { outcome }) -
      sample(before, 'polus_webhook_acks_total', { outcome });
    expect(grew('bad-signature')).toBe(1);
    expect(grew('bad-payload')).toBe(2);
    expect(grew('ok')).toBe(0);
  });

  it('when Graph refuses a send with 131047, then the error shows under its code and the record as given up', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    const before = await scrapeText();
    t.graph.enqueue({ status: 400, body: graphFixture('error-outside-window.json') });

    await customerWrites(pnid, { waId: newWaId(), wamid: newWamid(), name: 'Late Customer' });

    const after = await scrapeText();
    const labels = { operation: 'send', code: '131047' };
    expect(sample(after, 'polus_graph_errors_total', labels)).toBe(
      sample(before, 'polus_graph_errors_total', labels) + 1,
    );
    const gaveUp = { outcome: 'failed', reason: '131047' };
    expect(sample(after, 'polus_outbox_given_up_total', gaveUp)).toBe(
      sample(before, 'polus_outbox_given_up_total', gaveUp) + 1,
    );
  });

  it('when Graph answers 130429 on every quick retry, then each is counted under its code and the outbox retry by reason', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    const before = await scrapeText();
    // The test bot's client tries three times within a call; then the outbox schedules a retry.
    const limited = { status: 400, body: graphFixture('error-rate-limit.json') };
    t.graph.enqueue(limited, limited, limited);

    await customerWrites(pnid, { waId: newWaId(), wamid: newWamid(), name: 'Busy Hour' });

    const after = await scrapeText();
    const labels = { operation: 'send', code: '130429' };
    expect(sample(after, 'polus_graph_errors_total', labels)).toBe(
      sample(before, 'polus_graph_errors_total', labels) + 3,
    );
    expect(sample(after, 'polus_outbox_retries_total', { reason: '130429' })).toBe(
      sample(before, 'polus_outbox_retries_total', { reason: '130429' }) + 1,
    );
  });

  it('when scraped, then the inbox backlog, the sweeps and the process metrics are there', async () => {
    await t.settled();
    const text = await scrapeText();

    for (const state of ['pending', 'retrying', 'handling', 'failed']) {
      expect(text).toMatch(new RegExp(`^polus_inbox_backlog_messages\\{state="${state}"\\} \\d+$`, 'm'));
    }
    expect(sample(text, 'polus_sweep_duration_seconds_count', { sweep: 'conversation' })).toBeGreaterThan(0);
    expect(sample(text, 'polus_sweep_duration_seconds_count', { sweep: 'outbox' })).toBeGreaterThan(0);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('PrometheusMetrics', () => {
  it('when the database does not answer, then the scrape ends without the backlog and counts the failure', async () => {
    const metrics = new PrometheusMetrics({
      inboxCounts: () => new Promise<Record<string, number>>(() => undefined),
      collectTimeoutMs: 20,
    });

    const text = await metrics.registry.metrics();

    expect(text).not.toMatch(/^polus_inbox_backlog_messages\{/m);
    expect(sample(text, 'polus_metrics_collect_failures_total', { source: 'inbox' })).toBe(1);
  });

  it('when two instances count, then each has its own registry', async () => {
    const a = new PrometheusMetrics();
    const b = new PrometheusMetrics();

    a.webhookAnswered(200);

    expect(sample(await a.registry.metrics(), 'polus_webhook_acks_total', { outcome: 'ok' })).toBe(1);
    expect(sample(await b.registry.metrics(), 'polus_webhook_acks_total', { outcome: 'ok' })).toBe(0);
  });

  it('when ignored kinds carry words from the payload, then the label keeps only a bounded prefix', () => {
    expect(ignoredKindLabel('reaction')).toBe('reaction');
    expect(ignoredKindLabel('message:malformed')).toBe('message:malformed');
    expect(ignoredKindLabel('status:something-new')).toBe('status:other');
    expect(ignoredKindLabel('field:user_preferences')).toBe('field:other');
    expect(ignoredKindLabel('system:customer_changed_number')).toBe('system:other');
    expect(ignoredKindLabel('anything else')).toBe('other');
  });

  it('when Meta sends ever new error codes, then the code label stops growing at its bound', async () => {
    const metrics = new PrometheusMetrics();

    for (let code = 1; code <= 200; code += 1) {
      metrics.graphRequest({ operation: 'send', seconds: 0.01, httpStatus: 400, code });
    }

    const series = (await metrics.registry.metrics())
      .split('\n')
      .filter((line) => line.startsWith('polus_graph_errors_total{'));
    expect(series.length).toBeLessThanOrEqual(65);
    expect(sample(await metrics.registry.metrics(), 'polus_graph_errors_total', { code: 'other' })).toBe(136);
  });
});

describe('METRICS_TOKEN', () => {
  const base = { NODE_ENV: 'test', ADMIN_TOKEN: TEST_ADMIN_TOKEN };

  it('when it is shorter than 32 characters, then the configuration is refused naming it', () => {
    expect(() => loadConfig({ ...base, METRICS_TOKEN: 'short' }, generated())).toThrow(/METRICS_TOKEN/);
  });

  it('when it is absent or long enough, then it is read as given', () => {
    expect(loadConfig(base, generated()).metricsToken).toBeUndefined();
    expect(loadConfig({ ...base, METRICS_TOKEN }, generated()).metricsToken).toBe(METRICS_TOKEN);
  });
});

/** Development secrets, so loadConfig needs only the variables under test. */
function generated() {
  return {
    WHATSAPP_APP_SECRET: 'generated-app-secret-0123456789',
    WHATSAPP_VERIFY_TOKEN: 'generated-verify',
    PRIVACY_PEPPER: 'generated-pepper-0123456789abcdef0123456789',
    DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  };
}
