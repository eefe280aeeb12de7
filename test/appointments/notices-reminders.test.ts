/**
 * Appointment notices and reminders through the real outbox sender and WhatsApp client, against the loopback
 * Graph stand-in, on the embedded database: one notice per appointment and event however often it is asked
 * for, the calendar file uploaded and sent as a document, a reminder fired once by two sweeps racing and not
 * again by a new sweep after a "restart", and the business's `reminder` template outside the 24-hour window.
 * Time is data: the sweeps and the store get their clocks from the test.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppointmentNotices } from '../../src/appointments/notices.js';
import { ReminderSweep } from '../../src/appointments/reminders.js';
import { AppointmentRetention } from '../../src/appointments/retention.js';
import { AppointmentStore } from '../../src/appointments/store.js';
import type { BookInput } from '../../src/appointments/store.js';
import type { AppointmentView } from '../../src/core/booking.js';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import { noticeKind } from '../../src/outbox/notice-log.js';
import { SERVICE_WINDOW_MS, createSender } from '../../src/outbox/sender.js';
import type { Deliver } from '../../src/outbox/sender.js';
import type { TemplatePurpose, TemplateResolver } from '../../src/templates/types.js';
import { createWhatsAppClient } from '../../src/whatsapp/client.js';
import { testSealer } from '../helpers/bot.js';
import { startGraphStub } from '../helpers/graph-stub.js';
import type { GraphStub, RecordedRequest } from '../helpers/graph-stub.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { sendBody } from '../helpers/webhook.js';
import type { GraphSend } from '../helpers/webhook.js';

const MIN = 60_000;
const logger = pino({ level: 'silent' });
const sealer = testSealer();
/** 4 March 2030, 09:00 UTC: 10:00 in Madrid. */
const START = Date.parse('2030-03-04T09:00:00Z');

/** Every business's templates are "mapped": one per purpose, its values in this order. */
const templates: TemplateResolver = {
  resolve: (_pnid, purpose, language, values) => {
    const order: Partial<Record<TemplatePurpose, string[]>> = {
      reminder: ['businessName', 'when', 'what'],
      'staff.cancellation': ['orderNumber'],
      'staff.booking': ['appointmentNumber', 'service', 'when'],
      'appointment.notice': ['businessName', 'appointmentNumber', 'what', 'when', 'change'],
    };
    return Promise.resolve({
      ok: true,
      choice: { name: purpose, language, bodyParameters: (order[purpose] ?? []).map((k) => values[k] ?? '') },
    });
  },
};

let testDb: TestDatabase;
let connection: Connection;
let models: Models;
let graph: GraphStub;
let deliver: Deliver;

beforeAll(async () => {
  testDb = await useTestDatabase('appointments-notices');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
  await Promise.all(
    [models.Appointment, models.SlotClaim, models.Counter, models.Outbox, models.Business].map((m) =>
      m.init(),
    ),
  );
  graph = await startGraphStub();
  deliver = createSender({
    Outbox: models.Outbox,
    Customer: models.Customer,
    client: createWhatsAppClient({ baseUrl: graph.url, apiVersion: 'v25.0', accessToken: 'test-token' }),
    canSend: true,
    sealer,
    logger,
    templates,
  });
});
afterAll(async () => {
  await graph.close();
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await testDb.close();
});

/** A Madrid clinic with one staff number, and a Spanish-speaking customer who last wrote `sinceMs` ago. */
async function clinic(sinceMs = 0) {
  const pnid = newPhoneNumberId();
  const waId = newWaId();
  const staff = newWaId();
  const ref = `cust-${randomBytes(6).toString('hex')}`;
  await models.Business.create({
    phoneNumberId: pnid,
    name: 'Clínica Sol',
    currency: 'EUR',
    locale: 'es-ES',
    timeZone: 'Europe/Madrid',
    adminNumbers: [staff],
  });
  await models.Customer.create({
    _id: ref,
    phoneNumberId: pnid,
    waId,
    language: 'es',
    lastInboundAt: new Date(Date.now() - sinceMs),
  });
  return { pnid, waId, staff, ref };
}

async function book(
  pnid: string,
  ref: string,
  overrides: Partial<BookInput> = {},
  now = START - 2 * 24 * 60 * MIN,
): Promise<AppointmentView> {
  const store = new AppointmentStore({ models, sealer, logger, clock: () => now });
  const res = await store.book({
    phoneNumberId: pnid,
    customerRef: ref,
    service: { id: 'check', name: 'Revisión' },
    resourceCandidates: [{ id: 'ana', name: 'Dra. Ana', capacity: 1 }],
    start: new Date(START),
    end: new Date(START + 30 * MIN),
    bufferMinutes: 0,
    currency: 'EUR',
    key: `step-${randomBytes(6).toString('hex')}`,
    bookedBy: 'customer',
    remindersMinutes: [60],
    ...overrides,
  });
  if (res.status !== 'booked') throw new Error(`booking: ${res.status}`);
  return res.appointment;
}

const notices = () =>
  new AppointmentNotices({
    models,
    sealer,
    deliver,
    identities: { staffRefs: (_pnid, numbers) => Promise.resolve(numbers.map((n) => `staff-${n}`)) },
    now: () => START - 2 * 24 * 60 * MIN,
  });

const sweepAt = (ms: number) => new ReminderSweep({ models, sealer, deliver, logger, now: () => ms });

/** A send's JSON, with the fields of documents, templates and buttons these tests read. */
type Send = GraphSend & {
  document?: { filename?: string; caption?: string };
  template?: { name?: string; components?: Array<{ parameters?: Array<{ text?: string }> }> };
  interactive?: { action?: { buttons?: Array<{ reply: { id: string } }> } };
};
const body = (r: RecordedRequest): Send => sendBody(r);

const sendsTo = (pnid: string, waId: string): RecordedRequest[] =>
  graph.requests.filter(
    (r) => r.path.endsWith(`/${pnid}/messages`) && sendBody(r).to?.replace('+', '') === waId,
  );

/** The calendar files uploaded for the business, oldest first, as text. */
const uploads = (pnid: string): string[] =>
  graph.requests
    .filter((r) => r.path.endsWith(`/${pnid}/media`))
    .map((r) => r.files.file?.data.toString('utf8') ?? '');

/** The clinic offers its check-up with an English name: what an English-speaking customer reads. */
async function translateService(pnid: string): Promise<void> {
  await models.Business.updateOne(
    { phoneNumberId: pnid },
    {
      $set: {
        booking: {
          services: [
            {
              id: 'check',
              name: 'Revisión',
              translations: { en: { name: 'Check-up' } },
              durationMinutes: 30,
              resourceIds: ['ana'],
              active: true,
            },
          ],
          resources: [],
          earliestMinutes: 0,
          latestDays: 60,
          slotStepMinutes: 15,
          cancelCutoffMinutes: 0,
          remindersMinutes: [],
          chooseStaff: true,
        },
      },
    },
  ).exec();
}

/** What the outbox dispatcher does with the customer's own calendar file once it is due (after the reply). */
async function dispatchDue(inboundWamid: string): Promise<void> {
  await models.Outbox.updateMany(
    { inboundWamid, status: 'retrying' },
    { $set: { status: 'pending' } },
  ).exec();
  for (const entry of await records(inboundWamid)) await deliver(entry);
}

const records = (prefix: string) =>
  models.Outbox.find({ inboundWamid: { $regex: `^${prefix}` } })
    .lean<OutboxEntry[]>()
    .exec();

describe('appointment notices', () => {
  it('when staff book for a customer and the notice is asked for twice, then the customer gets one text on the Madrid clock and one calendar file', async () => {
    const { pnid, waId, ref } = await clinic();
    const a = await book(pnid, ref, { bookedBy: 'staff', remindersMinutes: [] });

    await notices().tell(pnid, a.id, 'booked');
    await notices().tell(pnid, a.id, 'booked');

    const stored = await records(`appointment:${a.id}:booked`);
    expect(stored).toHaveLength(2);
    // The portal's notices page names them (src/outbox/notice-log.ts).
    expect(noticeKind(stored[0]!)).toBe('Appointment notice: booked');
    const sends = sendsTo(pnid, waId).map(body);
    expect(sends.map((s) => s.type)).toEqual(['text', 'document']);
    expect(sends[0]?.text?.body).toContain('Te reservamos Revisión con Dra. Ana');
    expect(sends[0]?.text?.body).toContain('10:00');
    expect(sends[1]?.document?.filename).toBe(`cita-${a.number}.ics`);
    const upload = graph.requests.find((r) => r.path.endsWith(`/${pnid}/media`));
    const file = upload?.files.file;
    expect(file?.filename).toBe(`cita-${a.number}.ics`);
    expect(file?.data.toString('utf8')).toContain('DTSTART:20300304T090000Z\r\n');
    expect(await records(`appointment:${a.id}:booked:staff`)).toHaveLength(0);
  });

  it('when the customer cancels and the notice is asked for twice, then each staff number gets one notice, by the cancellation template outside its window', async () => {
    const { pnid, waId, staff, ref } = await clinic();
    const a = await book(pnid, ref, { remindersMinutes: [] });
    const store = new AppointmentStore({ models, sealer, logger, clock: () => START - 2 * 24 * 60 * MIN });
    await store.cancel(pnid, a.id, { by: 'customer', now: new Date(START - 2 * 24 * 60 * MIN) });

    await Promise.all([notices().tell(pnid, a.id, 'cancelled'), notices().tell(pnid, a.id, 'cancelled')]);

    const staffRecords = await records(`appointment:${a.id}:cancelled`);
    expect(staffRecords.map((r) => [r.audience, r.templatePurpose])).toEqual([
      ['staff', 'staff.cancellation'],
    ]);
    const [send] = sendsTo(pnid, staff).map(body);
    expect(send?.template?.name).toBe('staff.cancellation');
    expect(sendsTo(pnid, waId)).toHaveLength(0);
  });
  it('when staff move an appointment, then the customer is told the new time and the calendar file updates the same event (first UID, SEQUENCE 1)', async () => {
    const { pnid, waId, ref } = await clinic();
    const first = await book(pnid, ref, { remindersMinutes: [] });
    const moved = await book(pnid, ref, {
      bookedBy: 'staff',
      rescheduleOf: first.id,
      start: new Date(START + 60 * MIN),
      end: new Date(START + 90 * MIN),
      remindersMinutes: [],
    });

    await notices().tell(pnid, moved.id, 'moved');
    await notices().tell(pnid, first.id, 'cancelled');

    const sends = sendsTo(pnid, waId).map(body);
    expect(sends.map((x) => x.type)).toEqual(['text', 'document']);
    expect(sends[0]?.text?.body).toContain(`Tu cita ${moved.number} de Revisión se ha cambiado`);
    expect(sends[0]?.text?.body).toContain('11:00');
    const upload = graph.requests.find(
      (r) => r.path.endsWith(`/${pnid}/media`) && r.files.file?.filename === `cita-${moved.number}.ics`,
    );
    const ics = upload?.files.file?.data.toString('utf8') ?? '';
    expect(ics).toContain(`UID:${first.id}@polus-bot\r\n`);
    expect(ics).toContain('SEQUENCE:1\r\n');
    expect(ics).toContain('DTSTART:20300304T100000Z\r\n');
  });

  it('when staff cancel an appointment whose calendar file the customer got, then the customer gets the notice and a file cancelling the same event (next SEQUENCE)', async () => {
    const { pnid, waId, ref } = await clinic();
    const a = await book(pnid, ref, { bookedBy: 'staff', remindersMinutes: [] });
    await notices().tell(pnid, a.id, 'booked');
    const store = new AppointmentStore({ models, sealer, logger });
    await store.cancel(pnid, a.id, { by: 'staff', now: new Date(START - 2 * 24 * 60 * MIN) });

    await notices().tell(pnid, a.id, 'cancelled');
    await notices().tell(pnid, a.id, 'cancelled');

    const sends = sendsTo(pnid, waId).map(body);
    expect(sends.map((x) => x.type)).toEqual(['text', 'document', 'text', 'document']);
    expect(sends[2]?.text?.body).toContain(`cancelar tu cita ${a.number} de Revisión`);
    const [booked, cancelling] = uploads(pnid);
    expect(booked).toContain('METHOD:PUBLISH\r\n');
    expect(cancelling).toContain('METHOD:CANCEL\r\n');
    expect(cancelling).toContain('STATUS:CANCELLED\r\n');
    expect(cancelling).toContain(`UID:${a.id}@polus-bot\r\n`);
    expect(cancelling).toContain('SEQUENCE:1\r\n');
  });

  it("when the customer cancels in the chat after their moved booking's file was sent, then a cancelling file follows with the first UID and SEQUENCE 2", async () => {
    const { pnid, ref } = await clinic();
    const first = await book(pnid, ref, { remindersMinutes: [] });
    const moved = await book(pnid, ref, {
      rescheduleOf: first.id,
      start: new Date(START + 60 * MIN),
      end: new Date(START + 90 * MIN),
      remindersMinutes: [],
    });
    await notices().tell(pnid, moved.id, 'moved');
    await dispatchDue(`appointment:${moved.id}:moved`);
    const store = new AppointmentStore({ models, sealer, logger });
    await store.cancel(pnid, moved.id, { by: 'customer', now: new Date(START - 2 * 24 * 60 * MIN) });

    await notices().tell(pnid, moved.id, 'cancelled');
    await dispatchDue(`appointment:${moved.id}:cancelled`);

    const customer = (await records(`appointment:${moved.id}:cancelled`)).filter(
      (r) => r.audience === 'customer',
    );
    expect(customer.map((r) => [r.seq, r.status])).toEqual([[0, 'sent']]);
    const cancelling = uploads(pnid).at(-1) ?? '';
    expect(cancelling).toContain('METHOD:CANCEL\r\n');
    expect(cancelling).toContain(`UID:${first.id}@polus-bot\r\n`);
    expect(cancelling).toContain('SEQUENCE:2\r\n');
  });

  it('when staff book a customer who last wrote 25 hours ago and then cancel, then both notices go as the appointment.notice template and no cancelling file follows a file that was not sent', async () => {
    const { pnid, waId, ref } = await clinic(SERVICE_WINDOW_MS + 60 * MIN);
    const a = await book(pnid, ref, { bookedBy: 'staff', remindersMinutes: [] });
    await notices().tell(pnid, a.id, 'booked');
    const store = new AppointmentStore({ models, sealer, logger });
    await store.cancel(pnid, a.id, { by: 'staff', now: new Date(START - 2 * 24 * 60 * MIN) });

    await notices().tell(pnid, a.id, 'cancelled');

    const sends = sendsTo(pnid, waId).map(body);
    expect(sends.map((x) => x.template?.name)).toEqual(['appointment.notice', 'appointment.notice']);
    const params = sends.map((x) => x.template?.components?.[0]?.parameters?.map((p) => p.text));
    expect(params[0]).toEqual([
      'Clínica Sol',
      a.number,
      'Revisión',
      expect.stringContaining('10:00'),
      'reservada',
    ]);
    expect(params[1]?.[4]).toBe('cancelada');
    const booked = await records(`appointment:${a.id}:booked`);
    expect(booked.map((r) => [r.templatePurpose, r.status])).toEqual([
      ['appointment.notice', 'sent'],
      [undefined, 'skipped'],
    ]);
    expect(await records(`appointment:${a.id}:cancelled`)).toHaveLength(1);
    expect(noticeKind(booked[0]!)).toBe('Appointment notice: booked');
  });

  it("when the service has an English name and the customer speaks English, then the customer reads it in English and the staff in the business's Spanish", async () => {
    const { pnid, waId, staff, ref } = await clinic();
    await translateService(pnid);
    await models.Customer.updateOne({ _id: ref }, { $set: { language: 'en' } }).exec();
    const byStaff = await book(pnid, ref, { bookedBy: 'staff', remindersMinutes: [] });
    const byCustomer = await book(pnid, ref, {
      start: new Date(START + 60 * MIN),
      end: new Date(START + 90 * MIN),
      remindersMinutes: [],
    });

    await notices().tell(pnid, byStaff.id, 'booked');
    await notices().tell(pnid, byCustomer.id, 'booked');
    await dispatchDue(`appointment:${byCustomer.id}:booked`);

    const sends = sendsTo(pnid, waId).map(body);
    expect(sends.map((x) => x.type)).toEqual(['text', 'document', 'document']);
    expect(sends[0]?.text?.body).toContain('We booked you for Check-up with Dra. Ana');
    expect(sends[1]?.document?.caption).toContain('Check-up');
    expect(sends[2]?.document?.caption).toContain('Check-up');
    for (const ics of uploads(pnid)) {
      expect(ics).toContain('SUMMARY:Check-up · Clínica Sol\r\n');
      expect(ics).not.toContain('Revisión');
    }
    const [alert] = sendsTo(pnid, staff).map(body);
    expect(alert?.template?.components?.[0]?.parameters?.[1]?.text).toBe('Revisión');
  });
});

describe('appointment reminders', () => {
  it('when two sweeps race for a due reminder and a new sweep runs after a restart, then the customer gets one reminder with Confirm / Reschedule / Cancel', async () => {
    const { pnid, waId, ref } = await clinic();
    const a = await book(pnid, ref);
    const now = START - 30 * MIN;

    const [first, second] = await Promise.all([sweepAt(now).sweep(), sweepAt(now).sweep()]);
    const again = await sweepAt(now + MIN).sweep();

    // The sweeps look at every business: this is the only appointment with a reminder due so far.
    expect(first.sent + second.sent).toBe(1);
    expect(again.sent).toBe(0);
    expect(await records(`appointment:${a.id}:reminder:`)).toHaveLength(1);
    const sends = sendsTo(pnid, waId).map(body);
    expect(sends).toHaveLength(1);
    expect(sends[0]?.interactive?.action?.buttons?.map((b) => b.reply.id)).toEqual([
      `appt.confirm:${a.id}`,
      `appt.move:${a.id}`,
      `appt.cancel:${a.id}`,
    ]);
    const stored = await models.Appointment.findById(a.id).lean().exec();
    expect(stored?.reminders.map((r) => r.sentAt?.getTime())).toEqual([now]);
  });

  it('when a sweep dies after claiming a reminder and before sending it, then a new sweep does not fire it again and the outbox sends the stored one once', async () => {
    const { pnid, waId, ref } = await clinic();
    const a = await book(pnid, ref, { start: new Date(START + 120 * MIN), end: new Date(START + 150 * MIN) });
    const now = START + 90 * MIN;
    const dying = new ReminderSweep({
      models,
      sealer,
      deliver: () => Promise.reject(new Error('process killed')),
      logger,
      now: () => now,
    });

    await dying.sweep();
    const restarted = await sweepAt(now + MIN).sweep();
    const [pending] = await records(`appointment:${a.id}:reminder:`);
    // What the outbox dispatcher does with a pending record after its grace.
    expect(await deliver(pending!)).toBe('sent');

    expect(restarted.sent).toBe(0);
    expect(await records(`appointment:${a.id}:reminder:`)).toHaveLength(1);
    expect(sendsTo(pnid, waId)).toHaveLength(1);
  });

  it('when the customer last wrote 25 hours ago, then the reminder goes out as the reminder template with business, time and service', async () => {
    const { pnid, waId, ref } = await clinic(SERVICE_WINDOW_MS + 60 * MIN);
    await book(pnid, ref);

    await sweepAt(START - 30 * MIN).sweep();

    const [send] = sendsTo(pnid, waId).map(body);
    expect(send?.type).toBe('template');
    expect(send?.template?.name).toBe('reminder');
    const params = send?.template?.components?.[0]?.parameters?.map((p) => p.text);
    expect(params?.[0]).toBe('Clínica Sol');
    expect(params?.[1]).toContain('10:00');
    expect(params?.[2]).toBe('Revisión');
  });

  it('when the appointment was cancelled, or has begun by the time the sweep runs, then no reminder is sent', async () => {
    const { pnid, waId, ref } = await clinic();
    const cancelled = await book(pnid, ref);
    const begun = await book(pnid, ref, {
      start: new Date(START + 60 * MIN),
      end: new Date(START + 90 * MIN),
    });
    const store = new AppointmentStore({ models, sealer, logger });
    await store.cancel(pnid, cancelled.id, { by: 'staff', now: new Date(START - 2 * 24 * 60 * MIN) });

    const result = await sweepAt(START + 61 * MIN).sweep();

    expect(result).toEqual({ sent: 0, skipped: 1 });
    expect(sendsTo(pnid, waId)).toHaveLength(0);
    expect((await models.Appointment.findById(begun.id).lean().exec())?.reminders[0]?.sentAt).toBeDefined();
  });
});

describe('appointment retention', () => {
  it('when a business shortens its appointment retention, then its stored appointments are re-dated once', async () => {
    const { pnid, ref } = await clinic();
    const a = await book(pnid, ref, { remindersMinutes: [], retentionYears: 10 });
    await models.Business.updateOne(
      { phoneNumberId: pnid },
      { $set: { 'booking.retentionYears': 2 } },
    ).exec();
    const retention = new AppointmentRetention({ models, logger });

    const first = await retention.align();
    const second = await retention.align();

    expect(first).toBeGreaterThanOrEqual(1);
    expect(second).toBe(0);
    const stored = await models.Appointment.findById(a.id).lean().exec();
    expect(stored?.retainUntil.toISOString()).toBe('2032-03-04T09:30:00.000Z');
  });
});
