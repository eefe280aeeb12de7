/**
 * Replies under Graph API faults, end to end: transient errors (429 with Retry-After, 500) are retried by
 * the outbox dispatcher until they go out, exactly once and in each customer's order; permanent ones are
 * final at once; a window that closes while retrying expires the reply; a record found `sending` after a
 * crash is confirmed by the status webhook echoing its id, or sent again once after the grace; so is one
 * whose send timed out, the grace counted from a restart at the earliest. The Graph stub posts status
 * webhooks as Meta does. Backoff, grace and sweep are shortened so this takes seconds.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import { outboxRecord } from '../../src/outbox/record.js';
import { createSender } from '../../src/outbox/sender.js';
import { createWhatsAppClient } from '../../src/whatsapp/client.js';
import { startTestBot, testSealer } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { freshWamid } from '../helpers/graph-stub.js';
import type { RecordedRequest, StubResponse } from '../helpers/graph-stub.js';
import {
  inboundText,
  newPhoneNumberId,
  newWaId,
  newWamid,
  nowSeconds,
  statusUpdate,
} from '../helpers/payloads.js';
import { configureBusiness, sendBody, sendsFor } from '../helpers/webhook.js';
import { fixture as graphFixture } from '../whatsapp/fixtures.js';

const GRACE_MS = 600;
let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('outbox-retry', {
    graphEcho: true,
    bot: { sweepIntervalMs: 100, outboxRetry: { baseMs: 50, maxMs: 200, graceMs: GRACE_MS } },
  });
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds, or fails with `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const callbackOf = (request: RecordedRequest): string | undefined =>
  (request.json as { biz_opaque_callback_data?: string } | undefined)?.biz_opaque_callback_data;

/** Meta accepting a send. */
const accepted = (): StubResponse => ({
  body: { messaging_product: 'whatsapp', contacts: [], messages: [{ id: freshWamid() }] },
});

async function recordsOf(phoneNumberId: string): Promise<OutboxEntry[]> {
  return t.bot.models.Outbox.find({ phoneNumberId })
    .sort({ createdAt: 1, inboundWamid: 1, seq: 1 })
    .lean<OutboxEntry[]>()
    .exec();
}

describe('outbox retries', () => {
  it.each([
    {
      name: '429 with Retry-After',
      failure: (): StubResponse => ({
        status: 429,
        headers: { 'retry-after': '1' },
        body: graphFixture('error-rate-limit.json'),
      }),
    },
    {
      name: '500',
      failure: (): StubResponse => ({
        status: 500,
        body: { error: { message: 'An unknown error occurred', code: 1, type: 'OAuthException' } },
      }),
    },
  ])(
    'when Graph answers $name for a while, then every reply goes out exactly once, per customer in order',
    async ({ failure }) => {
      const pnid = newPhoneNumberId();
      await configureBusiness(t, pnid);
      let failing = true;
      /** Callback ids of the sends Meta accepted, in the order it accepted them. */
      const delivered: string[] = [];
      // Only this test's business number fails, for as long as the test says (however slow the machine).
      t.graph.setFallback((request) => {
        if (!request.path.endsWith(`/${pnid}/messages`)) return undefined;
        if (failing) return failure();
        delivered.push(callbackOf(request) ?? 'none');
        return accepted();
      });
      const customers = [newWaId(), newWaId(), newWaId()];

      // Two messages per customer, the second after the first was handled (its reply waiting to retry).
      for (const text of ['hi', 'menu']) {
        for (const waId of customers) {
          const res = await t.postWebhook(
            inboundText({ phoneNumberId: pnid, waId, wamid: newWamid() }, text),
          );
          expect(res.status).toBe(200);
        }
        await t.settled();
      }
      const waiting = await recordsOf(pnid);
      expect(waiting.length).toBeGreaterThanOrEqual(customers.length * 2);
      // Each is waiting to retry, or caught mid-retry by the dispatcher; none went out or gave up.
      expect(waiting.every((r) => r.status === 'retrying' || r.status === 'sending')).toBe(true);
      expect(waiting.some((r) => r.status === 'retrying')).toBe(true);
      expect(delivered).toEqual([]);
      failing = false;

      await until('every reply sent', async () => (await recordsOf(pnid)).every((r) => r.status === 'sent'));
      const records = await recordsOf(pnid);
      const ids = records.map((r) => String(r._id));
      expect([...delivered].sort()).toEqual([...ids].sort());
      for (const ref of new Set(records.map((r) => r.customerRef))) {
        const mine = records.filter((r) => r.customerRef === ref).map((r) => String(r._id));
        expect(delivered.filter((id) => mine.includes(id))).toEqual(mine);
      }
      expect(records.every((r) => r.wamids.length === 1 && r.sealedMessage === undefined)).toBe(true);
    },
  );

  it('when Graph answers 131047, then the reply fails at once and no sweep sends it again', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    t.graph.setFallback((request) =>
      request.path.endsWith(`/${pnid}/messages`)
        ? { status: 400, body: graphFixture('error-outside-window.json') }
        : undefined,
    );

    await t.postWebhook(inboundText({ phoneNumberId: pnid, waId: newWaId(), wamid: newWamid() }, 'hi'));
    await t.settled();
    await sleep(GRACE_MS + 300);

    expect(sendsFor(t, pnid)).toHaveLength(1);
    const [record] = await recordsOf(pnid);
    expect(record?.status).toBe('failed');
    expect(record?.error?.code).toBe(131047);
    expect(record?.attempts).toBe(1);
  });

  it('when the 24-hour window closes while a reply is retrying, then it is expired with the reason', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    const broken = (): StubResponse => ({ status: 500, body: '<html>down</html>' });
    t.graph.setFallback((request) => (request.path.endsWith(`/${pnid}/messages`) ? broken() : undefined));

    // The customer wrote 23 h 59 min 58 s ago: the window closes in about two seconds.
    await t.postWebhook(
      inboundText(
        { phoneNumberId: pnid, waId: newWaId(), wamid: newWamid(), timestamp: nowSeconds(-(24 * 3600 - 2)) },
        'hi',
      ),
    );
    await t.settled();

    await until('the reply expired', async () =>
      (await recordsOf(pnid)).every((r) => r.status === 'expired'),
    );
    const records = await recordsOf(pnid);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(record.expiredReason).toBe('window-closed');
      expect(record.error?.httpStatus).toBe(500);
      expect(record.sealedMessage).toBeUndefined();
    }
    expect(sendsFor(t, pnid).length).toBeGreaterThan(1);
  });
});

describe('a send cut off by a crash', () => {
  /** A customer who just wrote, answered; then a reply left `sending` as a process killed mid-send leaves it. */
  async function strandedSend(
    state: Partial<OutboxEntry> = { status: 'sending', attempts: 1, claimedAt: new Date() },
  ): Promise<{ pnid: string; waId: string; record: OutboxEntry }> {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    const waId = newWaId();
    const wamid = newWamid();
    await t.postWebhook(inboundText({ phoneNumberId: pnid, waId, wamid }, 'hi'));
    await t.settled();
    await t.graph.echoed();
    const inbox = await t.bot.models.Inbox.findById(wamid).lean().exec();
    if (!inbox) throw new Error('inbox entry missing');
    const record: OutboxEntry = {
      ...outboxRecord(testSealer(), {
        phoneNumberId: pnid,
        customerRef: inbox.customerRef,
        audience: 'customer',
        inboundWamid: `crash-${newWamid()}`,
        seq: 0,
        message: { type: 'reply.text', text: 'Your order is ready' },
        createdAt: new Date(),
      }),
      status: 'sending',
      attempts: 1,
      parts: 1,
      ...state,
    };
    await t.bot.models.Outbox.insertMany([record], { lean: true });
    t.graph.reset();
    return { pnid, waId, record };
  }

  it('when the status webhook with its id arrives, then it is marked sent with the wamid and never sent again', async () => {
    const { pnid, waId, record } = await strandedSend();
    const wamid = freshWamid();

    const res = await t.postWebhook(statusUpdate(pnid, wamid, 'sent', undefined, waId, String(record._id)));
    await sleep(GRACE_MS + 400);

    expect(res.status).toBe(200);
    const stored = await t.bot.models.Outbox.findById(record._id).lean<OutboxEntry>().exec();
    expect(stored?.status).toBe('sent');
    expect(stored?.wamids).toEqual([wamid]);
    expect(stored?.deliveries.map((d) => d.status)).toEqual(['sent']);
    expect(stored?.sealedMessage).toBeUndefined();
    expect(sendsFor(t, pnid)).toHaveLength(0);
  });

  it('when no status arrives within the grace, then it is sent again once', async () => {
    const { pnid, waId, record } = await strandedSend();

    await until('the reply re-sent', async () => {
      const stored = await t.bot.models.Outbox.findById(record._id).lean<OutboxEntry>().exec();
      return stored?.status === 'sent';
    });
    await t.graph.echoed();
    await sleep(GRACE_MS + 300);

    const sends = sendsFor(t, pnid);
    expect(sends).toHaveLength(1);
    expect(callbackOf(sends[0]!)).toBe(String(record._id));
    expect(sendBody(sends[0]!).to).toBe(`+${waId}`);
    const stored = await t.bot.models.Outbox.findById(record._id).lean<OutboxEntry>().exec();
    expect(stored?.attempts).toBe(2);
    expect(stored?.wamids).toHaveLength(1);
    // The stub's echo landed on it too.
    expect(stored?.deliveries.map((d) => d.status)).toEqual(['sent', 'delivered']);
  });

  it('when a send timed out and the bot was down longer than the grace, then it waits the grace from the restart before it is sent again', async () => {
    // An hour ahead on the sender's clock, out of reach of the running bot's sweep.
    const timedOutAt = Date.now() + 3_600_000;
    const { pnid, record } = await strandedSend({
      status: 'retrying',
      attempts: 1,
      error: { title: 'WhatsAppNetworkError' },
      nextAttemptAt: new Date(timedOutAt + GRACE_MS),
      unansweredAt: new Date(timedOutAt),
    });
    // A process that starts long after the timeout: Meta retries the status it could not post only now.
    let clock = timedOutAt + 10 * GRACE_MS;
    const deliver = createSender({
      Outbox: t.bot.models.Outbox,
      Customer: t.bot.models.Customer,
      client: createWhatsAppClient({
        baseUrl: t.graph.url,
        apiVersion: t.config.whatsapp.apiVersion,
        accessToken: 'test-token',
      }),
      canSend: true,
      sealer: testSealer(),
      logger: pino({ level: 'silent' }),
      retry: { graceMs: GRACE_MS },
      now: () => clock,
    });
    const stored = async () => {
      const found = await t.bot.models.Outbox.findById(record._id).lean<OutboxEntry>().exec();
      if (!found) throw new Error('outbox record missing');
      return found;
    };

    clock += 1;
    const justStarted = await deliver(await stored());
    clock += GRACE_MS - 2;
    const nearlyGrace = await deliver(await stored());
    clock += 1;
    const afterGrace = await deliver(await stored());

    expect([justStarted, nearlyGrace, afterGrace]).toEqual(['waiting', 'waiting', 'sent']);
    const sends = sendsFor(t, pnid);
    expect(sends.map(callbackOf)).toEqual([String(record._id)]);
    const sent = await stored();
    expect(sent.attempts).toBe(2);
    expect(sent.unansweredAt).toBeUndefined();
  });
});
