/**
 * A signed message timestamp far in the future (`999999999999`, the year 33658) must not set retention
 * clocks: the parser clamps a message's timestamp to a day past the server's clock, and the customer record
 * built from it expires within the configured retention of now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FUTURE_TIMESTAMP_MS, parseWebhook } from '../../src/webhook/parse.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { inboundText, newPhoneNumberId, newWaId, nowSeconds } from '../helpers/payloads.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const FAR_FUTURE = '999999999999';

describe('parseWebhook: message timestamps', () => {
  const phoneNumberId = newPhoneNumberId();
  const customer = { phoneNumberId, waId: newWaId() };
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);

  it('when a timestamp is far in the future, then it is clamped to a day past now', () => {
    const body = inboundText({ ...customer, timestamp: FAR_FUTURE }, 'hi');
    const [message] = parseWebhook(body, now).messages;
    expect(message?.timestamp).toBe(now + MAX_FUTURE_TIMESTAMP_MS);
  });

  it('when a timestamp is an hour ahead (clock skew), then it is kept as sent', () => {
    const ahead = Math.floor(now / 1000) + 3600;
    const body = inboundText({ ...customer, timestamp: String(ahead) }, 'hi');
    expect(parseWebhook(body, now).messages[0]?.timestamp).toBe(ahead * 1000);
  });

  it('when a timestamp is in the past, then it is kept as sent', () => {
    const past = Math.floor(now / 1000) - 86_400 * 3;
    const body = inboundText({ ...customer, timestamp: String(past) }, 'hi');
    expect(parseWebhook(body, now).messages[0]?.timestamp).toBe(past * 1000);
  });
});

describe('retention clocks of a message with a far-future timestamp', () => {
  let t: TestBot;
  const phoneNumberId = newPhoneNumberId();

  beforeAll(async () => {
    t = await startTestBot('future-timestamp', { env: { CUSTOMER_RETENTION_DAYS: '30' } });
    const put = await t.admin('PUT', `/admin/businesses/${phoneNumberId}`, {
      name: 'Casa Futuro',
      currency: 'EUR',
      catalog: [{ id: 'a', name: 'Coffee', price: 1.2 }],
    });
    if (put.status !== 201) throw new Error(`business not created: ${put.status}`);
  });
  afterAll(async () => {
    await t.close();
  });

  it('when the signed timestamp is 999999999999, then the inbox and customer clocks start at most a day ahead', async () => {
    const before = Date.now();
    const res = await t.postWebhook(
      inboundText({ phoneNumberId, waId: newWaId(), timestamp: FAR_FUTURE }, 'hi'),
    );
    expect(res.status).toBe(200);
    await t.settled();
    const after = Date.now();

    const inbox = await t.bot.models.Inbox.findOne({ phoneNumberId }).lean().exec();
    expect(inbox?.sentAt.getTime()).toBeGreaterThanOrEqual(before + MAX_FUTURE_TIMESTAMP_MS);
    expect(inbox?.sentAt.getTime()).toBeLessThanOrEqual(after + MAX_FUTURE_TIMESTAMP_MS);

    const customer = await t.bot.models.Customer.findOne({ phoneNumberId }).lean().exec();
    expect(customer?.expiresAt).toBeDefined();
    expect(customer?.expiresAt?.getTime()).toBeLessThanOrEqual(after + MAX_FUTURE_TIMESTAMP_MS + 30 * DAY_MS);
    expect(customer?.lastInboundAt.getTime()).toBeLessThanOrEqual(after + MAX_FUTURE_TIMESTAMP_MS);
  });

  it('when the timestamp is now, then the customer clock starts from it unchanged', async () => {
    const sent = nowSeconds();
    const res = await t.postWebhook(inboundText({ phoneNumberId, waId: newWaId(), timestamp: sent }, 'hi'));
    expect(res.status).toBe(200);
    await t.settled();
    const inboxes = await t.bot.models.Inbox.find({ phoneNumberId }).lean().exec();
    expect(inboxes.map((i) => i.sentAt.getTime())).toContain(Number(sent) * 1000);
  });
});
