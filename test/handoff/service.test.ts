/**
 * The staff inbox's service on the embedded database (or MONGODB_URI): a handoff opened and written to by
 * the customer, taken, answered through the outbox (refused outside the 24-hour window), handed back and
 * closed; its messages sealed at rest, erased with the customer and listed in their export.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/core/vocabulary.js';
import { HOUR_MS } from '../../src/core/time.js';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import { HandoffService, maskNumber } from '../../src/handoff/service.js';
import type { LiveEvent } from '../../src/live/events.js';
import { createSender } from '../../src/outbox/sender.js';
import { DATA_MAP } from '../../src/privacy/data-map.js';
import { PrivacyService } from '../../src/privacy/service.js';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import type { WhatsAppClient } from '../../src/whatsapp/client.js';
import { testSealer } from '../helpers/bot.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';

let testDb: TestDatabase;
let connection: Connection;
let models: Models;
const logger = pino({ level: 'silent' });
const sealer = testSealer();
const sent: OutboundMessage[] = [];
const signals: string[] = [];
const live: LiveEvent[] = [];
const client: WhatsAppClient = {
  send: (_pnid, _recipient, message) => {
    sent.push(message);
    return Promise.resolve({ wamids: [`wamid.FAKE${randomBytes(6).toString('hex')}`] });
  },
  uploadMedia: () => Promise.reject(new Error('not used')),
  markRead: () => Promise.resolve(),
};
let handoffs: HandoffService;

beforeAll(async () => {
  testDb = await useTestDatabase('handoff-service');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
  await Promise.all(Object.values(models).map((model) => model.init()));
  handoffs = new HandoffService({
    Handoff: models.Handoff,
    Outbox: models.Outbox,
    Customer: models.Customer,
    sealer,
    deliver: createSender({
      Outbox: models.Outbox,
      Customer: models.Customer,
      client,
      canSend: true,
      sealer,
      logger,
    }),
    signal: (_pnid, ref, event) => {
      signals.push(`${event}:${ref}`);
      return Promise.resolve(true);
    },
    live: {
      publish: (event) => {
        live.push(event);
        return Promise.resolve();
      },
    },
  });
});
afterAll(async () => {
  await connection.close();
  await testDb.close();
});
beforeEach(() => {
  sent.length = 0;
  signals.length = 0;
  live.length = 0;
});

/** A customer who wrote `hoursAgo` ago, in a handoff that is open, with one message of theirs. */
async function openHandoff(hoursAgo = 0, text = 'Is the terrace open tonight?') {
  const phoneNumberId = newPhoneNumberId();
  const waId = newWaId();
  const customerRef = `ref-${randomBytes(8).toString('hex')}`;
  const at = new Date(Date.now() - hoursAgo * HOUR_MS);
  await models.Customer.create({
    _id: customerRef,
    phoneNumberId,
    waId,
    lastInboundAt: at,
    createdAt: at,
    expiresAt: new Date(at.getTime() + 365 * 24 * HOUR_MS),
  });
  const id = randomBytes(16).toString('base64url');
  await handoffs.opened({ id, phoneNumberId, customerRef, language: 'es', at });
  await handoffs.customerWrote({
    messageId: randomBytes(16).toString('base64url'),
    phoneNumberId,
    customerRef,
    language: 'es',
    text,
    at,
  });
  return { id, phoneNumberId, customerRef, waId };
}

describe('HandoffService', () => {
  it('when a customer writes during a handoff, then the inbox lists it with the message and staff are told live', async () => {
    const h = await openHandoff();

    const list = await handoffs.list(h.phoneNumberId);
    const thread = await handoffs.get(h.phoneNumberId, h.id);

    expect(list.map((s) => [s.id, s.status, s.unanswered])).toEqual([[h.id, 'waiting', 1]]);
    expect(list[0]?.customer).toEqual({ masked: maskNumber(h.waId) });
    expect(thread?.messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', 'Is the terrace open tonight?'],
    ]);
    expect(live.map((e) => e.kind)).toEqual(['handoff.opened', 'handoff.message']);
    // Another business sees nothing of it.
    expect(await handoffs.get(newPhoneNumberId(), h.id)).toBeNull();
  });

  it('when the same customer message is recorded twice (a retried step), then it is kept once', async () => {
    const h = await openHandoff();
    const message = {
      messageId: 'retried-step-key-0001',
      phoneNumberId: h.phoneNumberId,
      customerRef: h.customerRef,
      language: 'es',
      text: 'hola?',
      at: new Date(),
    };

    await handoffs.customerWrote(message);
    await handoffs.customerWrote(message);

    const thread = await handoffs.get(h.phoneNumberId, h.id);
    expect(thread?.messages.map((m) => m.text)).toEqual(['Is the terrace open tonight?', 'hola?']);
  });

  it('when staff take, reply and hand back, then the reply goes out once through the outbox and the bot is resumed', async () => {
    const h = await openHandoff();

    expect(await handoffs.reply(h.phoneNumberId, h.id, 'r-0', 'too early')).toBe('not-taken');
    expect(await handoffs.take(h.phoneNumberId, h.id)).toBe('done');
    expect(await handoffs.take(h.phoneNumberId, h.id)).toBe('not-waiting');
    const replyId = '0b6f2f0e-6b1c-4c38-9f3e-2b7c1a9d0e11';
    const first = await handoffs.reply(h.phoneNumberId, h.id, replyId, 'Yes, until 23:00!');
    const again = await handoffs.reply(h.phoneNumberId, h.id, replyId, 'Yes, until 23:00!');
    const back = await handoffs.handBack(h.phoneNumberId, h.id);

    expect([first, again, back]).toEqual(['sent', 'sent', 'done']);
    expect(sent).toEqual([{ type: 'reply.text', text: 'Yes, until 23:00!' }]);
    const records = await models.Outbox.find({ customerRef: h.customerRef }).lean<OutboxEntry[]>().exec();
    expect(records.map((r) => [r.inboundWamid, r.status])).toEqual([[`handoff:${h.id}:${replyId}`, 'sent']]);
    expect(signals).toEqual([`system.taken:${h.customerRef}`, `system.resume:${h.customerRef}`]);
    const thread = await handoffs.get(h.phoneNumberId, h.id);
    expect(thread?.status).toBe('returned');
    expect(thread?.endReason).toBe('staff-returned');
    expect(thread?.messages.map((m) => m.direction)).toEqual(['in', 'out']);
    expect(await handoffs.list(h.phoneNumberId)).toEqual([]);
    expect(await handoffs.close(h.phoneNumberId, h.id)).toBe('not-open');
  });

  it('when the customer last wrote more than 24 hours ago, then a reply is refused and nothing is stored or sent', async () => {
    const h = await openHandoff(25);
    await handoffs.take(h.phoneNumberId, h.id);

    const outcome = await handoffs.reply(
      h.phoneNumberId,
      h.id,
      '7d1f0c55-1111-4c38-9f3e-2b7c1a9d0e11',
      'Hello?',
    );

    expect(outcome).toBe('outside-window');
    expect(sent).toEqual([]);
    expect(await models.Outbox.countDocuments({ customerRef: h.customerRef }).exec()).toBe(0);
    expect((await handoffs.get(h.phoneNumberId, h.id))?.windowOpen).toBe(false);
  });

  it('when staff close it, then it is closed, the bot is resumed, and the retention counts from the close', async () => {
    const h = await openHandoff();

    expect(await handoffs.close(h.phoneNumberId, h.id)).toBe('done');

    const raw = await models.Handoff.findById(h.id).lean().exec();
    expect(raw?.status).toBe('closed');
    expect(raw?.endReason).toBe('staff-closed');
    expect(raw && raw.expiresAt.getTime() - (raw.endedAt?.getTime() ?? 0)).toBe(30 * 24 * HOUR_MS);
    expect(signals).toEqual([`system.resume:${h.customerRef}`]);
  });

  it('when messages are stored, then their text is sealed at rest', async () => {
    const secret = `allergic to walnuts ${randomBytes(4).toString('hex')}`;
    const h = await openHandoff(0, secret);

    const raw = await connection.db!.collection('handoffs').findOne({ _id: h.id as never });

    expect(JSON.stringify(raw)).not.toContain(secret);
    expect(JSON.stringify(raw)).not.toContain('walnuts');
    expect((raw?.messages as Array<{ sealedText: string }>)[0]?.sealedText).toMatch(/^s1\./);
  });

  it('when the customer is erased, then their handoffs go; when they ask for their data, the handoffs are in it', async () => {
    const h = await openHandoff(0, 'please call me back');
    const privacy = new PrivacyService({
      models,
      sealer,
      pepper: 'test-pepper-0123456789abcdef0123456789',
      deliver: () => Promise.resolve('sent'),
      logger,
      publicBaseUrl: 'http://127.0.0.1',
      llmConfigured: false,
    });
    const business = toBusinessData(
      h.phoneNumberId,
      businessInput.parse({ name: 'Casa Inbox', currency: 'EUR', catalog: [] }),
    );

    const data = await privacy.buildExport(business, h.customerRef, {
      _id: 'pr_x',
      confirmationCode: 'C0DE',
    });

    expect(data.handoffs.map((x) => [x.status, x.messages.map((m) => [m.from, m.text])])).toEqual([
      ['waiting', [['you', 'please call me back']]],
    ]);
    expect(data.processing.map((p) => p.collection)).toContain('handoffs');

    const entry = DATA_MAP.find((e) => e.model === 'Handoff');
    const now = new Date();
    const outcome = await entry?.erase?.({
      models,
      phoneNumberId: h.phoneNumberId,
      subjectKey: h.customerRef,
      requestId: 'pr_y',
      now,
      since: now,
    });

    expect(outcome?.deleted).toBe(1);
    expect(await models.Handoff.countDocuments({ customerRef: h.customerRef }).exec()).toBe(0);
  });
});
