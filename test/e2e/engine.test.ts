/**
 * The conversation engine end to end, through the real webhook and the loopback Graph API: one customer's
 * messages answered one at a time in order, redeliveries answered once, the handoff to a person (staff
 * notice, silence, resume, timeout) and a stored conversation of another flow version. Assertions read
 * the stub's requests and the conversation, inbox and outbox documents.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationDoc } from '../../src/db/models/conversation.model.js';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import { RESTART_NOTICE } from '../../src/conversation/runner.js';
import { rootVersion } from '../../flows/root.flow.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import type { RecordedRequest } from '../helpers/graph-stub.js';
import {
  conversationId,
  errorLogs,
  MENU_TAIL,
  repliesTo,
  replyKind,
  sendsTo,
  waitUntil,
} from '../helpers/engine.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid, nowSeconds } from '../helpers/payloads.js';
import { combine, configureBusiness, sendBody } from '../helpers/webhook.js';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('engine', { bot: { sweepIntervalMs: 200 } });
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

async function conversationOf(phoneNumberId: string, waId: string): Promise<ConversationDoc | null> {
  return t.bot.models.Conversation.findById(conversationId(phoneNumberId, waId))
    .lean<ConversationDoc>()
    .exec();
}

/** The ids of the rows of an interactive list the Graph stub received. */
function listRowIds(request: RecordedRequest): string[] {
  const { interactive } = sendBody(request) as {
    interactive?: { type?: string; action?: { sections?: Array<{ rows?: Array<{ id?: string }> }> } };
  };
  if (interactive?.type !== 'list') return [];
  return (interactive.action?.sections ?? []).flatMap((section) =>
    (section.rows ?? []).map((row) => row.id ?? ''),
  );
}

/** The rows of the "My data & privacy" menu (typed *3* or tapped at the main menu). */
const PRIVACY_ROWS = ['pv.access', 'pv.correct', 'pv.erase', 'pv.stop', 'pv.start'];

async function outboxFor(inboundWamid: string): Promise<OutboxEntry[]> {
  return t.bot.models.Outbox.find({ inboundWamid }).sort({ seq: 1 }).lean<OutboxEntry[]>().exec();
}

/** Posts one text and expects the acknowledgement; returns its wamid. */
async function say(phoneNumberId: string, waId: string, text: string): Promise<string> {
  const wamid = newWamid();
  const res = await t.postWebhook(inboundText({ phoneNumberId, waId, wamid }, text));
  expect(res.status).toBe(200);
  return wamid;
}

/** A new business and customer, configured. */
async function newChat(adminNumbers: string[] = []): Promise<{ pnid: string; waId: string }> {
  const pnid = newPhoneNumberId();
  if (adminNumbers.length === 0) await configureBusiness(t, pnid, 'Casa Engine');
  else {
    const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
      name: 'Casa Engine',
      currency: 'EUR',
      catalog: [{ id: 'coffee', name: 'Coffee', price: 1.2 }],
      adminNumbers,
    });
    expect(res.status).toBe(201);
  }
  return { pnid, waId: newWaId() };
}

describe('one customer, several messages', () => {
  it('when three quick messages are posted without waiting, then they are answered one by one in their order', async () => {
    const { pnid, waId } = await newChat();
    // Meta's timestamps give the order (seconds apart, as Meta writes them); the posts race each other.
    const messages = [
      { wamid: newWamid(), text: 'hi', timestamp: nowSeconds(-2) },
      { wamid: newWamid(), text: 'gibberish', timestamp: nowSeconds(-1) },
      { wamid: newWamid(), text: '3', timestamp: nowSeconds(0) },
    ];

    const answers = await Promise.all(
      messages.map((m) =>
        t.postWebhook(
          inboundText({ phoneNumberId: pnid, waId, wamid: m.wamid, timestamp: m.timestamp }, m.text),
        ),
      ),
    );

    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await t.settled();
    const replies = repliesTo(t.graph.requests, pnid, waId);
    expect(replies.map(replyKind)).toEqual(['greeting', 'notUnderstood', 'privacy']);
    expect(replies[0]).toContain('*Casa Engine*');
    // The greeting and the apology come with the main menu; *3* opens the privacy menu instead.
    expect(replies.map((reply) => reply.endsWith(MENU_TAIL))).toEqual([true, true, false]);
    const sends = sendsTo(t.graph.requests, pnid, waId);
    expect(sends.map((r) => sendBody(r).type)).toEqual(['interactive', 'interactive', 'interactive']);
    expect(sends[2] && listRowIds(sends[2])).toEqual(PRIVACY_ROWS);
    const conversation = await conversationOf(pnid, waId);
    expect(conversation?.processed).toEqual(messages.map((m) => m.wamid));
    expect(conversation?.lease).toBeUndefined();
  });

  it('when one webhook body carries three messages of a customer from the same second, then they are answered in the body order', async () => {
    const { pnid, waId } = await newChat();
    const second = nowSeconds();
    // Wamids are opaque: these sort against the body order, so only the body can give the order.
    const base = newWamid();
    const messages = [
      { wamid: `${base}c`, text: 'hi' },
      { wamid: `${base}b`, text: 'gibberish' },
      { wamid: `${base}a`, text: '3' },
    ];
    const body = combine(
      ...messages.map((m) =>
        inboundText({ phoneNumberId: pnid, waId, wamid: m.wamid, timestamp: second }, m.text),
      ),
    );

    const res = await t.postWebhook(body);

    expect(res.status).toBe(200);
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId).map(replyKind)).toEqual([
      'greeting',
      'notUnderstood',
      'privacy',
    ]);
    expect((await conversationOf(pnid, waId))?.processed).toEqual(messages.map((m) => m.wamid));
  });

  it('when the same message is delivered three times at once, then it is answered once', async () => {
    const { pnid, waId } = await newChat();
    const wamid = newWamid();
    const body = inboundText({ phoneNumberId: pnid, waId, wamid }, 'hi');

    const answers = await Promise.all([t.postWebhook(body), t.postWebhook(body), t.postWebhook(body)]);

    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await t.settled();
    // Anything queued by a duplicate would have been handled by now; wait one sweep more to be sure.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId).map(replyKind)).toEqual(['greeting']);
    const records = await outboxFor(wamid);
    expect(records.map((r) => [r.seq, r.status])).toEqual([[0, 'sent']]);
    expect((await conversationOf(pnid, waId))?.processed).toEqual([wamid]);
  });
});

describe('handoff to a person', () => {
  it('when a customer asks for a person, then staff are told, the bot stays quiet, and resume brings it back', async () => {
    const adminWithWindow = newWaId();
    const adminNeverWrote = newWaId();
    const { pnid, waId } = await newChat([adminWithWindow, adminNeverWrote]);
    // The first admin number writes to the bot, which opens its 24-hour window.
    await say(pnid, adminWithWindow, 'hi');
    await t.settled();
    t.graph.reset();

    const handoffWamid = await say(pnid, waId, '4');
    await t.settled();

    const toCustomer = repliesTo(t.graph.requests, pnid, waId);
    expect(toCustomer.map(replyKind)).toEqual(['handoff']);
    expect(toCustomer[0]).toContain('*Casa Engine*');
    expect(repliesTo(t.graph.requests, pnid, adminWithWindow).map(replyKind)).toEqual(['staffNotice']);
    // Staff are told which customer, and the command that hands the chat back.
    expect(repliesTo(t.graph.requests, pnid, adminWithWindow)[0]).toContain(
      `\nCustomer: +${waId}. When done, send: /resume ${waId}`,
    );
    expect(repliesTo(t.graph.requests, pnid, adminNeverWrote)).toEqual([]);
    const records = await outboxFor(handoffWamid);
    expect(records.map((r) => [r.seq, r.audience, r.customerRef, r.status])).toEqual([
      [0, 'customer', conversationId(pnid, waId), 'sent'],
      [1, 'staff', conversationId(pnid, adminWithWindow), 'sent'],
      [2, 'staff', conversationId(pnid, adminNeverWrote), 'skipped'],
    ]);
    const inHandoff = await conversationOf(pnid, waId);
    expect(inHandoff?.deadlineAt).toBeInstanceOf(Date);

    // While a person has the chat, the bot says nothing.
    t.graph.reset();
    const quiet = [await say(pnid, waId, 'hello?'), await say(pnid, waId, 'anyone there')];
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId)).toEqual([]);
    for (const wamid of quiet) expect(await outboxFor(wamid)).toEqual([]);
    expect((await conversationOf(pnid, waId))?.processed.slice(-2)).toEqual(quiet);

    const resumed = await t.admin('POST', `/admin/businesses/${pnid}/conversations/${waId}/resume`);

    expect(resumed.status).toBe(202);
    await t.settled();
    const back = repliesTo(t.graph.requests, pnid, waId);
    expect(back.map(replyKind)).toEqual(['resumed']);
    expect(back[0]?.endsWith(MENU_TAIL)).toBe(true);
    expect((await conversationOf(pnid, waId))?.deadlineAt).toBeUndefined();

    t.graph.reset();
    await say(pnid, waId, '2');
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId).map(replyKind)).toEqual(['tracking']);
  });

  it('when an admin number never wrote to the bot, then its staff notice is skipped as outside the 24-hour window', async () => {
    const adminNeverWrote = newWaId();
    const { pnid, waId } = await newChat([adminNeverWrote]);

    const wamid = await say(pnid, waId, '4');

    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId)).toHaveLength(1);
    expect(repliesTo(t.graph.requests, pnid, adminNeverWrote)).toEqual([]);
    const notice = (await outboxFor(wamid)).find((r) => r.audience === 'staff');
    expect(notice?.customerRef).toBe(conversationId(pnid, adminNeverWrote));
    expect(notice?.status).toBe('skipped');
    // Its number is known (adminNumbers); what stops the send is WhatsApp's 24-hour rule.
    expect(notice?.skippedReason).toBe('outside-24h-window');
    expect(notice?.attempts).toBe(0);
  });

  it('when resume names a customer the business never talked to, then 404 and nothing is sent', async () => {
    const { pnid } = await newChat();
    const stranger = newWaId();

    const res = await t.admin('POST', `/admin/businesses/${pnid}/conversations/${stranger}/resume`);

    expect(res.status).toBe(404);
    expect(await conversationOf(pnid, stranger)).toBeNull();
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, stranger)).toEqual([]);
  });

  it('when resume is called without the operator token, then 401 and the conversation stays with staff', async () => {
    const { pnid, waId } = await newChat();
    await say(pnid, waId, 'human');
    await t.settled();
    t.graph.reset();

    const res = await t.admin(
      'POST',
      `/admin/businesses/${pnid}/conversations/${waId}/resume`,
      undefined,
      null,
    );

    expect(res.status).toBe(401);
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId)).toEqual([]);
    expect((await conversationOf(pnid, waId))?.deadlineAt).toBeInstanceOf(Date);
  });

  it('when nobody answers before the handoff deadline, then the sweep hands the customer back to the bot', async () => {
    const { pnid, waId } = await newChat();
    await say(pnid, waId, '4');
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId)).toHaveLength(1);
    t.graph.reset();
    const past = new Date(Date.now() - 60_000);

    const moved = await t.bot.models.Conversation.updateOne(
      { _id: conversationId(pnid, waId) },
      { $set: { deadlineAt: past } },
    ).exec();

    expect(moved.modifiedCount).toBe(1);
    await waitUntil(() => repliesTo(t.graph.requests, pnid, waId).length > 0, 'the timeout reply', 5_000);
    await t.settled();
    const replies = repliesTo(t.graph.requests, pnid, waId);
    expect(replies.map(replyKind)).toEqual(['timedOut']);
    expect(replies[0]?.endsWith(MENU_TAIL)).toBe(true);
    expect((await conversationOf(pnid, waId))?.deadlineAt).toBeUndefined();
    // The bot is back: the next message gets an answer.
    t.graph.reset();
    await say(pnid, waId, '3');
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId).map(replyKind)).toEqual(['privacy']);
    expect(sendsTo(t.graph.requests, pnid, waId).map(listRowIds)).toEqual([PRIVACY_ROWS]);
  });
});

describe('stored conversations of another flow version', () => {
  it('when the stored flow version differs, then the next reply is the restart notice, then the greeting', async () => {
    const { pnid, waId } = await newChat();
    await say(pnid, waId, 'hi');
    await t.settled();
    t.graph.reset();
    const changed = await t.bot.models.Conversation.updateOne(
      { _id: conversationId(pnid, waId) },
      { $set: { flowVersion: rootVersion + 1 } },
    ).exec();
    expect(changed.modifiedCount).toBe(1);
    const logsBefore = t.logs.length;

    const wamid = await say(pnid, waId, 'hello again');

    await t.settled();
    const replies = repliesTo(t.graph.requests, pnid, waId);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toBe(RESTART_NOTICE);
    expect(replyKind(replies[1] ?? '')).toBe('greeting');
    expect(replies[1]?.endsWith(MENU_TAIL)).toBe(true);
    expect((await outboxFor(wamid)).map((r) => [r.seq, r.status])).toEqual([
      [0, 'sent'],
      [1, 'sent'],
    ]);
    expect((await t.bot.models.Inbox.findById(wamid).lean().exec())?.status).toBe('done');
    const conversation = await conversationOf(pnid, waId);
    expect(conversation?.flowVersion).toBe(rootVersion);
    expect(errorLogs(t.logs.slice(logsBefore))).toEqual([]);
    // The fresh conversation continues normally.
    t.graph.reset();
    await say(pnid, waId, '2');
    await t.settled();
    expect(repliesTo(t.graph.requests, pnid, waId).map(replyKind)).toEqual(['tracking']);
  });
});
