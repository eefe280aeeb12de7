/**
 * The appointment store on the embedded database (or MONGODB_URI) through mongoose: booking, a slot taken,
 * capacity, rescheduling that keeps the old slot until the new one is stored, cancelling with a cut-off, one
 * booking per step key, a booking interrupted between its writes, intake sealed at rest.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppointmentStore, CLAIM_HOLD_MS } from '../../src/appointments/store.js';
import type { BookInput, BookingResource } from '../../src/appointments/store.js';
import { createModels } from '../../src/db/models/index.js';
import type { Models } from '../../src/db/models/index.js';
import type { LiveEvent } from '../../src/live/events.js';
import { DATA_MAP } from '../../src/privacy/data-map.js';
import { testSealer } from '../helpers/bot.js';
import { useTestDatabase } from '../helpers/mongo.js';
import type { TestDatabase } from '../helpers/mongo.js';
import { newPhoneNumberId } from '../helpers/payloads.js';

const MIN = 60_000;
const logger = pino({ level: 'silent' });
const sealer = testSealer();

let testDb: TestDatabase;
let connection: Connection;
let models: Models;

beforeAll(async () => {
  testDb = await useTestDatabase('appointments-store');
  connection = await mongoose.createConnection(testDb.uri, { dbName: testDb.dbName }).asPromise();
  models = createModels(connection);
  await Promise.all([models.Appointment.init(), models.SlotClaim.init(), models.Counter.init()]);
});
afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await testDb.close();
});

/** A store whose clock the test sets (the time is data, never waited for). */
function storeAt(now: { ms: number }, events: LiveEvent[] = [], m: Models = models): AppointmentStore {
  return new AppointmentStore({
    models: m,
    sealer,
    logger,
    clock: () => now.ms,
    live: { publish: (e) => Promise.resolve(void events.push(e)) },
  });
}

const T0 = Date.parse('2030-03-04T09:00:00Z');
const ana: BookingResource = { id: 'ana', name: 'Dr. Ana', capacity: 1 };
const luis: BookingResource = { id: 'luis', name: 'Dr. Luis', capacity: 1 };
const newKey = (): string => `step-${randomBytes(6).toString('hex')}`;

function booking(pnid: string, overrides: Partial<BookInput> = {}): BookInput {
  const start = overrides.start ?? new Date(T0 + 2 * 24 * 60 * MIN);
  return {
    phoneNumberId: pnid,
    customerRef: `ref-${randomBytes(6).toString('hex')}`,
    service: { id: 'check', name: 'Check-up', priceMinor: 4500 },
    resourceCandidates: [ana],
    start,
    end: new Date(start.getTime() + 30 * MIN),
    bufferMinutes: 10,
    currency: 'EUR',
    key: newKey(),
    bookedBy: 'customer',
    remindersMinutes: [1440, 120],
    ...overrides,
  };
}

function booked(result: Awaited<ReturnType<AppointmentStore['book']>>) {
  if (result.status !== 'booked') throw new Error(`expected booked, got ${result.status}`);
  return result.appointment;
}

describe('AppointmentStore.book', () => {
  it('when a slot is free, then it is booked with a number, reminders, a sealed intake and a live event', async () => {
    const pnid = newPhoneNumberId();
    const events: LiveEvent[] = [];
    const store = storeAt({ ms: T0 }, events);
    const a = booked(await store.book(booking(pnid, { intake: { reason: 'Toothache, lower left' } })));
    expect(a).toMatchObject({ number: 'A-1001', status: 'booked', resourceId: 'ana', priceMinor: 4500 });
    const raw = await models.Appointment.findById(a.id).lean().exec();
    expect(raw?.reminders.map((r) => r.at.getTime())).toEqual([
      a.start.getTime() - 1440 * MIN,
      a.start.getTime() - 120 * MIN,
    ]);
    expect(raw?.intake).toBeDefined();
    expect(JSON.stringify(raw)).not.toContain('Toothache');
    expect(await store.intakeOf(pnid, a.id)).toEqual({ reason: 'Toothache, lower left' });
    expect(raw?.bufferEnd.getTime()).toBe(a.end.getTime() + 10 * MIN);
    expect(events).toEqual([{ business: pnid, kind: 'appointment.booked', ref: a.id }]);
    expect(await store.get(pnid, 'A-1001')).toMatchObject({ id: a.id });
  });

  it('when the slot, or its buffer, overlaps a booked one on the only resource, then it is taken', async () => {
    const pnid = newPhoneNumberId();
    const store = storeAt({ ms: T0 });
    const first = booked(await store.book(booking(pnid)));
    expect((await store.book(booking(pnid))).status).toBe('taken');
    // 09:00–09:30 + 10 min buffer: 09:35 overlaps the buffer, 09:40 does not.
    const at = (min: number) => new Date(first.start.getTime() + min * MIN);
    expect((await store.book(booking(pnid, { start: at(35), end: at(65) }))).status).toBe('taken');
    expect((await store.book(booking(pnid, { start: at(40), end: at(70) }))).status).toBe('booked');
    // An earlier one whose own buffer would reach into the first: taken.
    expect((await store.book(booking(pnid, { start: at(-35), end: at(-5) }))).status).toBe('taken');
  });

  it('when the first resource is taken, then the next candidate gets it', async () => {
    const pnid = newPhoneNumberId();
    const store = storeAt({ ms: T0 });
    booked(await store.book(booking(pnid)));
    const second = booked(await store.book(booking(pnid, { resourceCandidates: [ana, luis] })));
    expect(second.resourceId).toBe('luis');
    expect((await store.book(booking(pnid, { resourceCandidates: [ana, luis] }))).status).toBe('taken');
  });

  it('when a resource has capacity 2, then two overlapping bookings fit and a third is taken', async () => {
    const pnid = newPhoneNumberId();
    const store = storeAt({ ms: T0 });
    const room: BookingResource = { id: 'room', name: 'Room 1', capacity: 2 };
    const start = new Date(T0 + 3 * 24 * 60 * MIN);
    const at = (min: number) => new Date(start.getTime() + min * MIN);
    booked(
      await store.book(booking(pnid, { resourceCandidates: [room], start, end: at(30), bufferMinutes: 0 })),
    );
    booked(
      await store.book(
        booking(pnid, { resourceCandidates: [room], start: at(30), end: at(60), bufferMinutes: 0 }),
      ),
    );
    // 09:15–09:45 overlaps each of them once: two at any moment, capacity 2.
    booked(
      await store.book(
        booking(pnid, { resourceCandidates: [room], start: at(15), end: at(45), bufferMinutes: 0 }),
      ),
    );
    const third = await store.book(
      booking(pnid, { resourceCandidates: [room], start: at(20), end: at(25), bufferMinutes: 0 }),
    );
    expect(third.status).toBe('taken');
    expect(await store.busy(pnid, start, at(60))).toHaveLength(3);
  });

  it('when the same step books twice (also at the same time), then one appointment exists and one number was used', async () => {
    const pnid = newPhoneNumberId();
    const store = storeAt({ ms: T0 });
    const input = booking(pnid);
    const [a, b] = await Promise.all([store.book(input), store.book(input)]);
    const again = await store.book(input);
    expect(booked(a).id).toBe(booked(b).id);
    expect(booked(again).id).toBe(booked(a).id);
    expect(await models.Appointment.countDocuments({ phoneNumberId: pnid }).exec()).toBe(1);
  });
});

describe('AppointmentStore reschedule', () => {
  it('when moved, then the old slot stays taken until the new one is booked, is released after, and the answers move with it', async () => {
    const pnid = newPhoneNumberId();
    const events: LiveEvent[] = [];
    const store = storeAt({ ms: T0 }, events);
    const old = booked(await store.book(booking(pnid, { intake: { reason: 'Sensitive tooth' } })));
    const customerRef = (await models.Appointment.findById(old.id).lean().exec())?.customerRef ?? '';
    const later = new Date(old.start.getTime() + 15 * MIN);

    // The new time is taken by someone else: the old appointment is untouched.
    const blocker = booked(
      await store.book(
        booking(pnid, {
          resourceCandidates: [luis],
          start: later,
          end: new Date(later.getTime() + 30 * MIN),
        }),
      ),
    );
    const refused = await store.book(
      booking(pnid, {
        customerRef,
        rescheduleOf: old.id,
        resourceCandidates: [luis],
        start: later,
        end: new Date(later.getTime() + 30 * MIN),
      }),
    );
    expect(refused.status).toBe('taken');
    expect((await store.get(pnid, old.id))?.status).toBe('booked');
    expect((await store.book(booking(pnid))).status).toBe('taken');
    await store.cancel(pnid, blocker.id, { by: 'staff', now: new Date(T0) });

    // Moving by 15 minutes on the same resource overlaps itself: allowed.
    const moved = booked(
      await store.book(
        booking(pnid, {
          customerRef,
          rescheduleOf: old.id,
          start: later,
          end: new Date(later.getTime() + 30 * MIN),
        }),
      ),
    );
    const oldNow = await models.Appointment.findById(old.id).lean().exec();
    expect(oldNow).toMatchObject({ status: 'cancelled', cancelledBy: 'customer' });
    expect(String(oldNow?.rescheduledTo)).toBe(moved.id);
    expect(events.at(-1)).toEqual({ business: pnid, kind: 'appointment.moved', ref: moved.id });
    // What the customer answered comes with the move.
    expect(await store.intakeOf(pnid, moved.id)).toEqual({ reason: 'Sensitive tooth' });
    // The old start (09:00) is free again, the new time is not.
    const free = booking(pnid, { end: new Date(old.start.getTime() + 15 * MIN), bufferMinutes: 0 });
    expect((await store.book(free)).status).toBe('booked');
    expect(
      (await store.book(booking(pnid, { start: later, end: new Date(later.getTime() + 5 * MIN) }))).status,
    ).toBe('taken');
  });
});

describe('AppointmentStore.cancel', () => {
  it('when a customer cancels before the cut-off, then it is cancelled and the slot is free; after it, too late', async () => {
    const pnid = newPhoneNumberId();
    const events: LiveEvent[] = [];
    const store = storeAt({ ms: T0 }, events);
    const a = booked(await store.book(booking(pnid)));
    const b = booked(await store.book(booking(pnid, { resourceCandidates: [luis] })));
    const dayBefore = new Date(a.start.getTime() - 1441 * MIN);
    const hourBefore = new Date(a.start.getTime() - 60 * MIN);

    expect(await store.cancel(pnid, b.id, { by: 'customer', cutoffMinutes: 1440, now: hourBefore })).toEqual({
      status: 'too_late',
    });
    expect((await store.cancel(pnid, b.id, { by: 'staff', now: hourBefore })).status).toBe('cancelled');

    const done = await store.cancel(pnid, a.id, { by: 'customer', cutoffMinutes: 1440, now: dayBefore });
    expect(done).toMatchObject({ status: 'cancelled', appointment: { cancelledBy: 'customer' } });
    expect(events.filter((e) => e.kind === 'appointment.cancelled').map((e) => e.ref)).toEqual([b.id, a.id]);
    expect(await models.SlotClaim.countDocuments({ phoneNumberId: pnid }).exec()).toBe(0);
    expect((await store.book(booking(pnid))).status).toBe('booked');
    expect((await store.cancel(pnid, a.id, { by: 'customer', now: dayBefore })).status).toBe('cancelled');
    expect((await store.cancel(newPhoneNumberId(), a.id, { by: 'staff', now: dayBefore })).status).toBe(
      'not_found',
    );
  });

  it('when no-show or completed is marked, then it is no longer upcoming and cannot be cancelled', async () => {
    const pnid = newPhoneNumberId();
    const now = { ms: T0 };
    const store = storeAt(now);
    const input = booking(pnid);
    const a = booked(await store.book(input));
    expect(await store.upcomingOf(input.customerRef, pnid, new Date(T0))).toHaveLength(1);
    // Before the start the customer may still come: refused, nothing changed.
    expect((await store.markNoShow(pnid, a.number)).status).toBe('too_early');
    expect((await store.get(pnid, a.number))?.status).toBe('booked');
    now.ms = a.start.getTime();
    expect((await store.markNoShow(pnid, a.number)).status).toBe('changed');
    expect((await store.markCompleted(pnid, a.id)).status).toBe('not_booked');
    expect(await store.upcomingOf(input.customerRef, pnid, new Date(T0))).toHaveLength(0);
    expect((await store.cancel(pnid, a.id, { by: 'staff', now: new Date(T0) })).status).toBe('too_late');
    expect(
      (await store.forRange(pnid, new Date(T0), new Date(T0 + 7 * 24 * 60 * MIN))).map((v) => v.status),
    ).toEqual(['no_show']);
  });
});

describe('AppointmentStore.confirmByCustomer', () => {
  it('when the customer confirms their own booked appointment, then it is noted once and the portal hears it; anyone else is refused', async () => {
    const pnid = newPhoneNumberId();
    const events: LiveEvent[] = [];
    const store = storeAt({ ms: T0 }, events);
    const a = booked(await store.book(booking(pnid)));
    const customerRef = (await models.Appointment.findById(a.id).lean().exec())?.customerRef ?? '';
    expect(await store.confirmByCustomer(pnid, a.id, 'someone-else')).toBe(false);
    expect(await store.confirmByCustomer(pnid, a.id, customerRef)).toBe(true);
    expect(await store.confirmByCustomer(pnid, a.id, customerRef)).toBe(false);
    expect((await store.get(pnid, a.id))?.confirmedAt?.getTime()).toBe(T0);
    expect(events.filter((e) => e.kind === 'appointment.confirmed')).toEqual([
      { business: pnid, kind: 'appointment.confirmed', ref: a.id },
    ]);
    await store.cancel(pnid, a.id, { by: 'staff', now: new Date(T0) });
    const other = booked(await store.book(booking(pnid, { key: 'second' })));
    await store.cancel(pnid, other.id, { by: 'staff', now: new Date(T0) });
    expect(await store.confirmByCustomer(pnid, other.id, customerRef)).toBe(false);
  });
});

describe('AppointmentStore crash safety', () => {
  /** Models whose appointment insert fails once: the process "dies" after its claims were written. */
  function crashingModels(): Models {
    const Appointment = new Proxy(models.Appointment, {
      get(target, prop) {
        if (prop === 'create') return () => Promise.reject(new Error('process killed'));
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    return { ...models, Appointment };
  }

  it('when a booking dies between its claims and its appointment, then the slot is free once the hold lapses, and its retry books it', async () => {
    const pnid = newPhoneNumberId();
    const now = { ms: T0 };
    const crashed = booking(pnid);
    await expect(storeAt(now, [], crashingModels()).book(crashed)).rejects.toThrow('process killed');
    expect(await models.SlotClaim.countDocuments({ phoneNumberId: pnid }).exec()).toBeGreaterThan(0);

    const store = storeAt(now);
    // Within the hold: the interrupted booking may still be finishing.
    expect((await store.book(booking(pnid))).status).toBe('taken');
    // Its own retry (same key) finds its claims and books.
    const retried = booked(await store.book(crashed));
    expect(await store.cancel(pnid, retried.id, { by: 'staff', now: new Date(T0) })).toMatchObject({
      status: 'cancelled',
    });

    // Dies again, and nobody retries: after the hold another customer gets the slot.
    await expect(storeAt(now, [], crashingModels()).book(booking(pnid))).rejects.toThrow('process killed');
    expect((await store.book(booking(pnid))).status).toBe('taken');
    now.ms += CLAIM_HOLD_MS + 1;
    expect((await store.book(booking(pnid))).status).toBe('booked');
  });

  it('when a booking pauses past its hold and another takes its claims, then the paused one is told taken and only the other is booked', async () => {
    const pnid = newPhoneNumberId();
    let resume: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (resume = resolve));
    let reachedStore: () => void = () => undefined;
    const stored = new Promise<void>((resolve) => (reachedStore = resolve));
    const Appointment = new Proxy(models.Appointment, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop);
        if (typeof value !== 'function') return value;
        const bound = (value as (...a: unknown[]) => unknown).bind(target);
        if (prop !== 'create') return bound;
        return async (...args: unknown[]) => {
          reachedStore();
          await gate;
          return bound(...args);
        };
      },
    });
    const slow = booking(pnid);
    const paused = storeAt({ ms: T0 }, [], { ...models, Appointment }).book(slow);
    await stored;
    const other = booked(await storeAt({ ms: T0 + CLAIM_HOLD_MS + 1 }).book(booking(pnid)));
    resume();

    expect(await paused).toEqual({ status: 'taken' });
    const live = await models.Appointment.find({ phoneNumberId: pnid, status: 'booked' }).lean().exec();
    expect(live.map((a) => String(a._id))).toEqual([other.id]);
    expect(await storeAt({ ms: T0 }).book(slow)).toEqual({ status: 'taken' });
  });

  it('when a cancellation dies before releasing its claims, then the slot can be booked anyway', async () => {
    const pnid = newPhoneNumberId();
    const store = storeAt({ ms: T0 });
    const a = booked(await store.book(booking(pnid)));
    // The status write happened, the release did not.
    await models.Appointment.updateOne(
      { _id: a.id },
      { $set: { status: 'cancelled', cancelledBy: 'customer' } },
    ).exec();
    expect(await models.SlotClaim.countDocuments({ appointmentId: a.id }).exec()).toBeGreaterThan(0);
    expect((await store.book(booking(pnid))).status).toBe('booked');
  });
});

describe('appointments in the data map', () => {
  it('when a customer is erased, then a future appointment is cancelled and its slot released, and every one is anonymised without intake', async () => {
    const pnid = newPhoneNumberId();
    const store = storeAt({ ms: T0 });
    const customerRef = `ref-${randomBytes(6).toString('hex')}`;
    const past = booked(
      await store.book(
        booking(pnid, {
          customerRef,
          start: new Date(T0 - 60 * MIN),
          end: new Date(T0 - 30 * MIN),
          intake: { q: 'old answer' },
        }),
      ),
    );
    await store.markCompleted(pnid, past.id);
    const future = booked(await store.book(booking(pnid, { customerRef, intake: { q: 'Back pain' } })));
    const entry = DATA_MAP.find((e) => e.model === 'Appointment');
    if (!entry?.erase) throw new Error('appointments have no erasure handler');
    const ctx = {
      models,
      phoneNumberId: pnid,
      subjectKey: customerRef,
      requestId: 'r1',
      now: new Date(T0),
      since: new Date(T0),
    };

    const outcome = await entry.erase(ctx);

    expect(outcome).toMatchObject({ anonymised: 2, kept: 2, cancelledAppointments: [future.number] });
    const left = await models.Appointment.find({ phoneNumberId: pnid }).lean().exec();
    expect(left.map((a) => a.customerRef).filter((r) => r === customerRef)).toEqual([]);
    expect(left.every((a) => a.intake === undefined && a.sourceKey === undefined && a.anonymisedAt)).toBe(
      true,
    );
    expect(left.find((a) => String(a._id) === future.id)).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'erasure',
    });
    expect(left.find((a) => String(a._id) === past.id)?.status).toBe('completed');
    expect((await store.book(booking(pnid))).status).toBe('booked');
    expect(await entry.erase(ctx)).toMatchObject({ anonymised: 0 });
  });
});
