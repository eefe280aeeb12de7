/**
 * Two app instances on one database, as when the bot is scaled out: both `startBot`s run in this process
 * against the same test database (same name) and send to one Graph stub. Webhook deliveries alternate
 * between them, so consecutive messages of a customer land on different instances while another may still
 * hold the conversation. Every message must be answered exactly once, and each customer's messages handled
 * and answered in the order they were sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDoc } from '../../src/db/models/conversation.model.js';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import {
  answeredIndex,
  conversationId,
  errorLogs,
  repliesTo,
  settledAcross,
  startSecondInstance,
  TEN_MESSAGES,
} from '../helpers/engine.js';
import type { ExtraInstance } from '../helpers/engine.js';
import { newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { configureBusiness, sendsFor } from '../helpers/webhook.js';

const CUSTOMERS = 20;
const LEASE_MS = 5_000;

let a: TestBot;
let b: ExtraInstance;

beforeAll(async () => {
  a = await startTestBot('engine-instances', { env: { LOG_LEVEL: 'info' }, bot: { leaseMs: LEASE_MS } });
  b = await startSecondInstance(a, { leaseMs: LEASE_MS });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('two instances on one database', () => {
  it('when 200 messages from 20 customers alternate between two instances, then each is answered once, in order', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(a, pnid, 'Casa Escala');
    const customers = Array.from({ length: CUSTOMERS }, () => ({
      waId: newWaId(),
      wamids: TEN_MESSAGES.map(() => newWamid()),
    }));
    const posters = [(body: object) => a.postWebhook(body), (body: object) => b.postWebhook(body)];

    // Each customer's messages one after another (the next once the last is acknowledged), on alternating
    // instances; the twenty customers at once.
    const statuses = await Promise.all(
      customers.map(async (customer, c) => {
        const answers: number[] = [];
        for (const [index, message] of TEN_MESSAGES.entries()) {
          const post = posters[(c + index) % 2];
          const body = message.body({
            phoneNumberId: pnid,
            waId: customer.waId,
            wamid: customer.wamids[index] ?? '',
          });
          answers.push(post ? (await post(body)).status : 0);
        }
        return answers;
      }),
    );

    expect(statuses.flat()).toEqual(Array.from({ length: CUSTOMERS * TEN_MESSAGES.length }, () => 200));
    await settledAcross(a.bot.models, [a.bot, b.bot], 25_000);
    const allWamids = customers.flatMap((c) => c.wamids);
    const inbox = await a.bot.models.Inbox.find({ _id: { $in: allWamids } }, { status: 1 })
      .lean()
      .exec();
    expect(inbox).toHaveLength(allWamids.length);
    expect(inbox.filter((e) => e.status !== 'done')).toEqual([]);
    // Exactly once: one outbox record per message (each of these messages has one reply), one request each.
    const records = await a.bot.models.Outbox.find({ inboundWamid: { $in: allWamids } })
      .lean<OutboxEntry[]>()
      .exec();
    expect(records).toHaveLength(allWamids.length);
    expect(new Set(records.map((r) => r.inboundWamid)).size).toBe(allWamids.length);
    expect(records.filter((r) => r.seq !== 0 || r.status !== 'sent' || r.attempts !== 1)).toEqual([]);
    expect(sendsFor(a, pnid)).toHaveLength(records.length);

    for (const customer of customers) {
      // Replies at the stub in the order of the messages; the conversation applied them in that order.
      const replies = repliesTo(a.graph.requests, pnid, customer.waId);
      expect(replies.map(answeredIndex)).toEqual(TEN_MESSAGES.map((_, i) => i));
      const conversation = await a.bot.models.Conversation.findById(conversationId(pnid, customer.waId))
        .lean<ConversationDoc>()
        .exec();
      expect(conversation?.processed).toEqual(customer.wamids);
      expect(conversation?.version).toBe(TEN_MESSAGES.length);
      expect(conversation?.lease).toBeUndefined();
    }
    // Both instances did part of the work, and neither logged an error.
    expect(a.bot.counters.get('outbox.sent')).toBeGreaterThan(0);
    expect(b.bot.counters.get('outbox.sent')).toBeGreaterThan(0);
    expect(a.bot.counters.get('outbox.sent') + b.bot.counters.get('outbox.sent')).toBe(records.length);
    expect(errorLogs(a.logs)).toEqual([]);
    expect(errorLogs(b.logs)).toEqual([]);
  }, 30_000);
});
