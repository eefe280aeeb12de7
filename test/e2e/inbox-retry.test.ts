/**
 * What the engine does with a message whose handling fails, through the whole bot: it is tried again with
 * backoff, the customer's later messages wait behind it, and after the last attempt it is parked as `failed`,
 * counted and shown in `GET /admin/metrics`. A claim nobody works on any more (its process died and no other
 * process took over a lease) goes back to the queue.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboxEntry, InboxPayload } from '../../src/db/models/inbox.model.js';
import { inboxContext, INBOX_RETENTION_DAYS, nextArrival } from '../../src/db/models/inbox.model.js';
import { startTestBot, testSealer } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { freshWamid } from '../helpers/graph-stub.js';
import { conversationId, REPLY, repliesTo, waitUntil } from '../helpers/engine.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { configureBusiness, metrics } from '../helpers/webhook.js';

const RETRY = { maxAttempts: 3, baseDelayMs: 40, maxDelayMs: 160 };
const PNID = newPhoneNumberId();
let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('inbox-retry', { bot: { sweepIntervalMs: 100, leaseMs: 1_000, inboxRetry: RETRY } });
  await configureBusiness(t, PNID, 'Casa Reintento');
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

/** Stores a customer message straight into the inbox, as the webhook would (or with a broken payload). */
async function storeMessage(
  waId: string,
  options: { sentAt: Date; sealed?: string; status?: 'pending' | 'processing'; claimedAt?: Date },
): Promise<string> {
  const wamid = newWamid();
  const payload: InboxPayload = { event: { type: 'user.text', text: 'hi' }, customer: { waId } };
  const now = new Date();
  await t.bot.models.Inbox.create({
    _id: wamid,
    phoneNumberId: PNID,
    customerRef: conversationId(PNID, waId),
    sentAt: options.sentAt,
    receivedAt: now,
    arrival: nextArrival(),
    status: options.status ?? 'pending',
    kind: 'user',
    sealed: options.sealed ?? testSealer().seal(payload, inboxContext(wamid)),
    attempts: options.status === 'processing' ? 1 : 0,
    ...(options.claimedAt ? { claimedAt: options.claimedAt } : {}),
    expiresAt: new Date(now.getTime() + INBOX_RETENTION_DAYS * 24 * 60 * 60 * 1000),
  } satisfies InboxEntry);
  return wamid;
}

async function inboxEntry(wamid: string): Promise<InboxEntry | null> {
  return t.bot.models.Inbox.findById(wamid).lean<InboxEntry>().exec();
}

describe('inbox retries', () => {
  it('when a message fails every attempt, then it is retried, parked as failed after the last, counted, and the next message of that customer is answered after it', async () => {
    // Arrange: an unreadable message (its sealed payload is broken), then a good one from the same customer.
    const waId = newWaId();
    const before = await metrics(t);
    const broken = await storeMessage(waId, {
      sentAt: new Date(Date.now() - 5_000),
      sealed: 'not-a-sealed-value',
    });
    let brokenStatusAtReply: string | undefined;
    t.graph.enqueue(async () => {
      brokenStatusAtReply = (await inboxEntry(broken))?.status;
      return { body: { messaging_product: 'whatsapp', messages: [{ id: freshWamid() }] } };
    });

    // Act
    const posted = await t.postWebhook(inboundText({ phoneNumberId: PNID, waId, wamid: newWamid() }, 'hi'));
    await waitUntil(
      () => repliesTo(t.graph.requests, PNID, waId).length > 0,
      'the reply to the good message',
    );
    await t.settled();

    // Assert
    expect(posted.status).toBe(200);
    const parked = await inboxEntry(broken);
    expect(parked).toMatchObject({ status: 'failed', attempts: RETRY.maxAttempts });
    expect(parked?.error).toMatch(/^\w+$/);
    expect(parked?.claimedAt).toBeUndefined();
    expect(
      await t.bot.models.Outbox.countDocuments({ status: 'sent', customerRef: conversationId(PNID, waId) }),
    ).toBe(1);
    expect(brokenStatusAtReply).toBe('failed');
    expect(repliesTo(t.graph.requests, PNID, waId).map((r) => r.startsWith(REPLY.greeting))).toEqual([true]);
    const after = await metrics(t);
    expect((after['inbox.parked'] ?? 0) - (before['inbox.parked'] ?? 0)).toBe(1);
    expect((after['inbox.retry_scheduled'] ?? 0) - (before['inbox.retry_scheduled'] ?? 0)).toBe(
      RETRY.maxAttempts - 1,
    );
    expect(after['inbox.now.failed']).toBe(await t.bot.models.Inbox.countDocuments({ status: 'failed' }));
    expect(after['inbox.now.failed']).toBeGreaterThanOrEqual(1);
    expect(after['inbox.now.processing']).toBe(0);
  });

  it('when a message was left processing by a process that is gone and no lease was taken over, then the sweep returns it to the queue and it is answered once', async () => {
    // Arrange: claimed an hour ago, the conversation's lease free (as after a failed reset and a restart).
    const waId = newWaId();
    const before = await metrics(t);
    const stranded = await storeMessage(waId, {
      sentAt: new Date(Date.now() - 60_000),
      status: 'processing',
      claimedAt: new Date(Date.now() - 60 * 60_000),
    });

    // Act: nothing but the sweep.
    await waitUntil(
      () => repliesTo(t.graph.requests, PNID, waId).length > 0,
      'the reply to the stranded message',
    );
    await t.settled();

    // Assert
    expect(await inboxEntry(stranded)).toMatchObject({ status: 'done', attempts: 2 });
    expect(repliesTo(t.graph.requests, PNID, waId)).toHaveLength(1);
    const after = await metrics(t);
    expect((after['inbox.recovered'] ?? 0) - (before['inbox.recovered'] ?? 0)).toBe(1);
  });
});
