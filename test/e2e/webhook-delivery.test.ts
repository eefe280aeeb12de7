/**
 * From webhook to Graph request and back, end to end: batches, delivery statuses, the 24-hour window,
 * failed sends and BSUID-only senders. The whole bot runs against the embedded database (or MONGODB_URI)
 * and a loopback Graph stub; assertions read the stub's requests and the outbox records.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import {
  freshen,
  inboundText,
  newPhoneNumberId,
  newWaId,
  newWamid,
  nowSeconds,
  statusUpdate,
} from '../helpers/payloads.js';
import { configureBusiness, grew, metrics, sendBody, sendsFor, withNewWamids } from '../helpers/webhook.js';
import { fixtureTree, PHONE_NUMBER_ID } from '../webhook/fixtures.js';
import { fixture as graphFixture } from '../whatsapp/fixtures.js';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('webhook-delivery');
  // The shared fixtures' business number; tests posting fixtures rewrite the wamids so none share records.
  await configureBusiness(t, PHONE_NUMBER_ID, 'Casa Ana');
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

async function outboxFor(inboundWamid: string): Promise<OutboxEntry[]> {
  return t.bot.models.Outbox.find({ inboundWamid }).sort({ seq: 1 }).lean<OutboxEntry[]>().exec();
}

async function onlyOutbox(inboundWamid: string): Promise<OutboxEntry> {
  const records = await outboxFor(inboundWamid);
  expect(records).toHaveLength(1);
  return records[0]!;
}

describe('webhook batches', () => {
  it.each(['inbound-batch.json', 'inbound-batch-multi-change.json'] as const)(
    'when %s arrives, then each message is handled once and each customer gets one reply',
    async (name) => {
      const payload = freshen(fixtureTree(name));
      const wamids = withNewWamids(payload);
      expect(wamids).toHaveLength(2);
      const before = await metrics(t);

      const res = await t.postWebhook(payload);

      expect(res.status).toBe(200);
      await t.settled();
      const entries = await t.bot.models.Inbox.find({ _id: { $in: wamids } })
        .lean()
        .exec();
      expect(entries.map((e) => e.status)).toEqual(['done', 'done']);
      for (const wamid of wamids) expect(await outboxFor(wamid)).toHaveLength(1);
      const recipients = sendsFor(t, PHONE_NUMBER_ID).map((r) => sendBody(r).to);
      expect(recipients.sort()).toEqual(['+12025550143', '+447700900123']);
      expect(grew(before, await metrics(t), 'webhook.messages.accepted')).toBe(2);
    },
  );
});

/** Scripts the stub to accept the next send with a wamid the test knows, then gets a reply sent. */
async function replyWithKnownWamid(): Promise<{ pnid: string; inboundWamid: string; outWamid: string }> {
  const pnid = newPhoneNumberId();
  await configureBusiness(t, pnid);
  const waId = newWaId();
  const outWamid = `wamid.OUT${randomBytes(10).toString('hex')}`;
  t.graph.enqueue({
    body: {
      messaging_product: 'whatsapp',
      contacts: [{ input: `+${waId}`, wa_id: waId }],
      messages: [{ id: outWamid }],
    },
  });
  const inboundWamid = newWamid();
  const res = await t.postWebhook(
    inboundText({ phoneNumberId: pnid, waId, wamid: inboundWamid }, 'one coffee please'),
  );
  expect(res.status).toBe(200);
  await t.settled();
  return { pnid, inboundWamid, outWamid };
}

describe('status webhooks', () => {
  it('when delivered and read arrive (read twice), then each is recorded once and nothing is sent', async () => {
    const { pnid, inboundWamid, outWamid } = await replyWithKnownWamid();
    const sent = await onlyOutbox(inboundWamid);
    expect(sent.status).toBe('sent');
    expect(sent.wamids).toEqual([outWamid]);
    const read = statusUpdate(pnid, outWamid, 'read');

    const answers = [
      await t.postWebhook(statusUpdate(pnid, outWamid, 'delivered')),
      await t.postWebhook(read),
      await t.postWebhook(read),
    ];

    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const record = await onlyOutbox(inboundWamid);
    expect(record.deliveries.map((d) => d.status)).toEqual(['delivered', 'read']);
    expect(record.status).toBe('sent');
    expect(sendsFor(t, pnid)).toHaveLength(1);
    expect(t.graph.requests).toHaveLength(1);
  });

  it('when a failed status with 131047 arrives (twice), then the record is failed with code 131047, once', async () => {
    const { pnid, inboundWamid, outWamid } = await replyWithKnownWamid();
    const failed = statusUpdate(pnid, outWamid, 'failed', [{ code: 131047, title: 'Re-engagement message' }]);

    const first = await t.postWebhook(failed);
    const again = await t.postWebhook(failed);

    expect([first.status, again.status]).toEqual([200, 200]);
    const record = await onlyOutbox(inboundWamid);
    expect(record.status).toBe('failed');
    expect(record.error?.code).toBe(131047);
    expect(record.deliveries).toHaveLength(1);
    expect(record.deliveries[0]).toMatchObject({ status: 'failed', errorCode: 131047 });
    expect(t.graph.requests).toHaveLength(1);
  });

  it('when a status names a wamid the bot never sent, then 200 and no record appears', async () => {
    const pnid = newPhoneNumberId();
    const stranger = `wamid.OUT${randomBytes(10).toString('hex')}`;
    const outboxBefore = await t.bot.models.Outbox.countDocuments().exec();

    const res = await t.postWebhook(statusUpdate(pnid, stranger, 'delivered'));

    expect(res.status).toBe(200);
    expect(await t.bot.models.Outbox.countDocuments().exec()).toBe(outboxBefore);
    expect(t.graph.requests).toHaveLength(0);
  });
});

describe('the 24-hour customer-service window', () => {
  it('when a message is 25 hours old, then it is stored and handled but the reply is skipped, not sent', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    const wamid = newWamid();

    const res = await t.postWebhook(
      inboundText({ phoneNumberId: pnid, waId: newWaId(), wamid, timestamp: nowSeconds(-25 * 3600) }, 'hi'),
    );

    expect(res.status).toBe(200);
    await t.settled();
    const entry = await t.bot.models.Inbox.findById(wamid).lean().exec();
    expect(entry?.status).toBe('done');
    const record = await onlyOutbox(wamid);
    expect(record.status).toBe('skipped');
    expect(record.skippedReason).toBe('outside-24h-window');
    expect(record.attempts).toBe(0);
    expect(sendsFor(t, pnid)).toHaveLength(0);
  });
});

describe('outbound failures', () => {
  it('when Graph answers 429 then 500 then success, then the reply is delivered after three requests', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    const waId = newWaId();
    const wamid = newWamid();
    t.graph.enqueue(
      { status: 429, body: graphFixture('error-rate-limit.json') },
      {
        status: 500,
        body: { error: { message: 'An unknown error occurred', code: 1, type: 'OAuthException' } },
      },
    );

    const res = await t.postWebhook(inboundText({ phoneNumberId: pnid, waId, wamid }, 'are you open?'));

    expect(res.status).toBe(200);
    await t.settled();
    const sends = sendsFor(t, pnid);
    expect(sends).toHaveLength(3);
    expect(new Set(sends.map((r) => sendBody(r).to))).toEqual(new Set([`+${waId}`]));
    const record = await onlyOutbox(wamid);
    expect(record.status).toBe('sent');
    expect(record.wamids).toHaveLength(1);
    expect(record.error).toBeUndefined();
  });

  it('when Graph answers 400 with 131047, then exactly one request and the record is failed with 131047', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    const wamid = newWamid();
    t.graph.enqueue({ status: 400, body: graphFixture('error-outside-window.json') });

    const res = await t.postWebhook(inboundText({ phoneNumberId: pnid, waId: newWaId(), wamid }, 'hello?'));

    expect(res.status).toBe(200);
    await t.settled();
    // One sweep interval later nothing has retried it either.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sendsFor(t, pnid)).toHaveLength(1);
    const record = await onlyOutbox(wamid);
    expect(record.status).toBe('failed');
    expect(record.error?.code).toBe(131047);
    expect(record.error?.httpStatus).toBe(400);
    expect(record.wamids).toEqual([]);
    const entry = await t.bot.models.Inbox.findById(wamid).lean().exec();
    expect(entry?.status).toBe('done');
  });
});

describe('BSUID-only senders', () => {
  it('when a message has only from_user_id, then it is answered through `recipient`, not `to`', async () => {
    const payload = freshen(fixtureTree('inbound-text-bsuid.json'));
    const [wamid] = withNewWamids(payload);

    const res = await t.postWebhook(payload);

    expect(res.status).toBe(200);
    await t.settled();
    const sends = sendsFor(t, PHONE_NUMBER_ID);
    expect(sends).toHaveLength(1);
    const body = sendBody(sends[0]!);
    expect(body.recipient).toBe('US.13491208655300000001');
    expect(body).not.toHaveProperty('to');
    expect((await onlyOutbox(wamid!)).status).toBe('sent');
  });
});
