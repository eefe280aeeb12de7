/**
 * Appointments stored, and never booked twice: not by two customers tapping the same slot at once, not by two
 * processes of the bot, not by one chat step run twice.
 *
 * The lock is the slot claim (src/db/models/slot-claim.model.ts): one document per seat of a resource per
 * 5-minute bucket, its `_id` the key. A booking inserts a claim for every bucket its time and buffer cover
 * (one unordered insert per seat; a bucket whose seat is taken tries the next seat), then stores the
 * appointment, then confirms its claims. A bucket that finds no seat loses the resource: the booking
 * removes what it inserted and tries the next resource, and with none left the slot is `taken`. No
 * transaction: every step is one conditional write that MongoDB makes atomic on one document.
 *
 * Crash safety: a claim carries `holdUntil` (a short hold while its appointment is being stored; the buffer's
 * end once confirmed). A booking that meets a claim whose hold has lapsed and whose appointment was never
 * stored, or whose appointment was cancelled, takes it over with a write conditional on what it read; so an
 * interrupted booking blocks its slot for two minutes at most, and a crash between a cancellation and its
 * release blocks nothing. A retry with the same key finds its own claims (the appointment's id is derived
 * from the key) and its appointment, and books once.
 */
import type { Logger } from 'pino';
import type { Types } from 'mongoose';
import { z } from 'zod';
import type { AppointmentActor, AppointmentView } from '../core/booking.js';
import { isKnownCurrency } from '../core/money.js';
import { MINUTE_MS } from '../core/time.js';
import type { Sealer } from '../core/sealing.js';
import { isDuplicateKey } from '../db/errors.js';
import { appointmentIdFor, intakeContext } from '../db/models/appointment.model.js';
import type { Appointment, AppointmentModel } from '../db/models/appointment.model.js';
import { DEFAULT_ORDER_RETENTION_YEARS } from '../db/models/business.model.js';
import type { CounterModel } from '../db/models/counter.model.js';
import { CLAIM_BUCKET_MS, claimBuckets, claimId } from '../db/models/slot-claim.model.js';
import type { SlotClaim, SlotClaimModel } from '../db/models/slot-claim.model.js';
import { noLive } from '../live/events.js';
import type { LiveEvent, LivePublisher } from '../live/events.js';

/** Appointment numbers start here ("A-1001"), as order numbers do. */
export const FIRST_APPOINTMENT_NUMBER = 1001;
/** How long a claim is held for an appointment not yet stored; then another booking may take it over. */
export const CLAIM_HOLD_MS = 2 * MINUTE_MS;
const NUMBER_ATTEMPTS = 5;

/** A resource a booking may take, in the order it is tried. */
export interface BookingResource {
  id: string;
  name: string;
  /** Appointments it takes at once (its seats); at least 1. */
  capacity: number;
}

export interface BookInput {
  phoneNumberId: string;
  customerRef: string;
  service: { id: string; name: string; priceMinor?: number | undefined };
  /** The resources that could take it (the slot's `resourceIds`, or the one the customer chose), in order. */
  resourceCandidates: readonly BookingResource[];
  start: Date;
  /** `start` + the service's duration. */
  end: Date;
  bufferMinutes: number;
  currency: string;
  /** The intake answers by question id: sealed before they are stored. */
  intake?: Record<string, string> | undefined;
  /** The booking step's idempotency key: the same key books once. */
  key: string;
  bookedBy: AppointmentActor;
  /** The id of the appointment this one replaces: cancelled only once this one is booked. */
  rescheduleOf?: string | undefined;
  /** Minutes before the start a reminder is due (the service's or the business's); past ones are skipped. */
  remindersMinutes?: readonly number[] | undefined;
  /** Years the appointment is kept after it took place (the business's setting); default the order retention. */
  retentionYears?: number | undefined;
}

export type BookResult =
  | { status: 'booked'; appointment: AppointmentView }
  /** Every seat of every candidate is taken for some part of the time. */
  | { status: 'taken' }
  /** `rescheduleOf` names no booked appointment of this customer at this business. */
  | { status: 'not_found' };

export type CancelResult =
  | { status: 'cancelled'; appointment: AppointmentView }
  /** A customer past the cut-off, or an appointment already completed or marked a no-show. */
  | { status: 'too_late' }
  | { status: 'not_found' };

export type MarkResult =
  | { status: 'changed'; appointment: AppointmentView }
  | { status: 'not_booked'; appointment: AppointmentView }
  /** A no-show marked before the appointment's start: the customer may still come. */
  | { status: 'too_early'; appointment: AppointmentView }
  | { status: 'not_found' };

/** A time a resource is not free, for the slot engine: `end` is the buffer's end. */
export interface BusyTime {
  resourceId: string;
  start: Date;
  end: Date;
}

export interface AppointmentStoreDeps {
  models: { Appointment: AppointmentModel; SlotClaim: SlotClaimModel; Counter: CounterModel };
  /** Seals the intake answers at rest (src/core/sealing.ts). */
  sealer: Sealer;
  logger: Logger;
  /** Epoch ms; the clock by default. */
  clock?: () => number;
  /** Tells the portal's open pages (src/live/); nothing by default. */
  live?: LivePublisher;
}

const bookInput = z.object({
  phoneNumberId: z.string().min(1),
  customerRef: z.string().min(1),
  service: z.object({
    id: z.string().min(1),
    name: z.string().min(1),
    priceMinor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  }),
  resourceCandidates: z
    .array(
      z.object({
        id: z.string().min(1),
        name: z.string().min(1),
        capacity: z.number().int().min(1).max(100),
      }),
    )
    .min(1),
  start: z.date(),
  end: z.date(),
  bufferMinutes: z.number().int().min(0).max(720),
  currency: z.string().refine(isKnownCurrency, 'must be an ISO 4217 currency code'),
  intake: z.record(z.string(), z.string().max(500)).optional(),
  key: z.string().min(1).max(200),
  bookedBy: z.enum(['customer', 'staff', 'erasure', 'system']),
  rescheduleOf: z
    .string()
    .regex(/^[0-9a-f]{24}$/)
    .optional(),
  remindersMinutes: z.array(z.number().int().positive()).max(5).optional(),
  retentionYears: z.number().int().min(1).max(30).optional(),
});

function addYears(date: Date, years: number): Date {
  const next = new Date(date);
  next.setUTCFullYear(next.getUTCFullYear() + years);
  return next;
}

/** The number as customers and staff say it. */
export const appointmentNumberText = (n: number): string => `A-${n}`;

export function appointmentView(doc: Appointment): AppointmentView {
  return {
    id: String(doc._id),
    number: appointmentNumberText(doc.appointmentNumber),
    phoneNumberId: doc.phoneNumberId,
    serviceId: doc.serviceId,
    serviceName: doc.serviceName,
    resourceId: doc.resourceId,
    resourceName: doc.resourceName,
    start: doc.start,
    end: doc.end,
    status: doc.status,
    ...(doc.priceMinor !== undefined ? { priceMinor: doc.priceMinor } : {}),
    currency: doc.currency,
    bookedBy: doc.bookedBy,
    ...(doc.cancelledBy ? { cancelledBy: doc.cancelledBy } : {}),
    ...(doc.confirmedAt ? { confirmedAt: doc.confirmedAt } : {}),
  };
}

/** The appointment being moved: its claims may be lent to the new one, and given back if that fails. */
type Borrowable = Pick<Appointment, '_id' | 'bufferEnd'>;

const isObjectIdText = (s: string): boolean => /^[0-9a-f]{24}$/.test(s);

export class AppointmentStore {
  private readonly clock: () => number;
  private readonly live: LivePublisher;

  constructor(private readonly deps: AppointmentStoreDeps) {
    this.clock = deps.clock ?? Date.now;
    this.live = deps.live ?? noLive;
  }

  /**
   * Books one appointment on the first candidate resource with a free seat for its whole time and buffer.
   * The same `key` again returns what the first run booked. With `rescheduleOf`, the old appointment keeps
   * its slot until the new one is stored and confirmed, then it is cancelled and its slot released; the new
   * time may overlap the old (moving by a quarter of an hour).
   */
  async book(input: BookInput): Promise<BookResult> {
    const data = bookInput.parse(input);
    if (data.end <= data.start) throw new Error('an appointment must end after it starts');
    const { Appointment } = this.deps.models;
    const id = appointmentIdFor(data.phoneNumberId, data.key);
    const done = await Appointment.findById(id).lean<Appointment>().exec();
    if (done) {
      // This step booked already; unless that booking lost its slot while being stored (then it was taken).
      const lost = done.status === 'cancelled' && done.cancelledBy === 'system';
      return lost ? { status: 'taken' } : { status: 'booked', appointment: appointmentView(done) };
    }

    let old: Appointment | null = null;
    if (data.rescheduleOf) {
      old = await Appointment.findOne({
        _id: data.rescheduleOf,
        phoneNumberId: data.phoneNumberId,
        status: 'booked',
        ...(data.bookedBy === 'customer' ? { customerRef: data.customerRef } : {}),
      })
        .lean<Appointment>()
        .exec();
      if (!old) return { status: 'not_found' };
      // A move keeps what the customer answered before, unless new answers come with it.
      if (!data.intake && old.intake) {
        data.intake = this.deps.sealer.open<Record<string, string>>(old.intake, intakeContext(old._id));
      }
    }

    const bufferEnd = new Date(data.end.getTime() + data.bufferMinutes * MINUTE_MS);
    const buckets = claimBuckets(data.start, bufferEnd);
    for (const resource of data.resourceCandidates) {
      const claimed = await this.claim(
        data.phoneNumberId,
        resource,
        buckets,
        id,
        bufferEnd,
        old ?? undefined,
      );
      if (!claimed) continue;
      const stored = await this.store(id, data, resource, bufferEnd, old?._id);
      if (stored.twin) return { status: 'booked', appointment: appointmentView(stored.appointment) };
      if (!(await this.confirm(data.phoneNumberId, resource, buckets, id, bufferEnd, old ?? undefined))) {
        // Its claims were taken over while it was being stored (a pause longer than the hold): it lost.
        await this.setCancelled(stored.appointment, 'system');
        this.deps.logger.warn(
          { phoneNumberId: data.phoneNumberId, appointmentId: String(id) },
          'appointment lost its slot while being stored',
        );
        return { status: 'taken' };
      }
      const appointment = appointmentView(stored.appointment);
      this.deps.logger.info(
        {
          phoneNumberId: data.phoneNumberId,
          appointmentId: appointment.id,
          number: appointment.number,
          resourceId: resource.id,
          ...(old ? { rescheduledFrom: String(old._id) } : {}),
        },
        'appointment booked',
      );
      if (old) {
        await this.setCancelled(old, data.bookedBy, id);
        await this.announce({ business: data.phoneNumberId, kind: 'appointment.moved', ref: appointment.id });
      } else {
        await this.announce({
          business: data.phoneNumberId,
          kind: 'appointment.booked',
          ref: appointment.id,
        });
      }
      return { status: 'booked', appointment };
    }
    return { status: 'taken' };
  }

  /**
   * Cancels an appointment and releases its slot. A customer may cancel only before the cut-off (`cutoffMinutes`
   * before the start; staff any time); cancelling again answers `cancelled` and writes nothing.
   */
  async cancel(
    phoneNumberId: string,
    id: string,
    options: { by: AppointmentActor; cutoffMinutes?: number; now: Date; customerRef?: string },
  ): Promise<CancelResult> {
    if (!isObjectIdText(id)) return { status: 'not_found' };
    const current = await this.deps.models.Appointment.findOne({
      _id: id,
      phoneNumberId,
      ...(options.customerRef ? { customerRef: options.customerRef } : {}),
    })
      .lean<Appointment>()
      .exec();
    if (!current) return { status: 'not_found' };
    if (current.status === 'cancelled') return { status: 'cancelled', appointment: appointmentView(current) };
    if (current.status !== 'booked') return { status: 'too_late' };
    if (
      options.by === 'customer' &&
      options.cutoffMinutes !== undefined &&
      current.start.getTime() - options.now.getTime() < options.cutoffMinutes * MINUTE_MS
    ) {
      return { status: 'too_late' };
    }
    const cancelled = await this.setCancelled(current, options.by);
    if (!cancelled) return this.cancel(phoneNumberId, id, options);
    await this.announce({ business: phoneNumberId, kind: 'appointment.cancelled', ref: id });
    return { status: 'cancelled', appointment: appointmentView(cancelled) };
  }

  /** A customer's booked appointments at one business that have not ended, soonest first. */
  async upcomingOf(customerRef: string, phoneNumberId: string, now: Date): Promise<AppointmentView[]> {
    const docs = await this.deps.models.Appointment.find({
      customerRef,
      phoneNumberId,
      status: 'booked',
      end: { $gt: now },
    })
      .sort({ start: 1 })
      .lean<Appointment[]>()
      .exec();
    return docs.map(appointmentView);
  }

  /** The times resources are taken between `from` and `to` (buffers included), for the slot engine. */
  async busy(phoneNumberId: string, from: Date, to: Date): Promise<BusyTime[]> {
    const docs = await this.deps.models.Appointment.find(
      { phoneNumberId, status: { $ne: 'cancelled' }, start: { $lt: to }, bufferEnd: { $gt: from } },
      { resourceId: 1, start: 1, bufferEnd: 1 },
    )
      .sort({ start: 1 })
      .lean<Pick<Appointment, 'resourceId' | 'start' | 'bufferEnd'>[]>()
      .exec();
    return docs.map((d) => ({ resourceId: d.resourceId, start: d.start, end: d.bufferEnd }));
  }

  /** Every appointment (any status) starting between `from` and `to`, optionally of one resource: the calendar. */
  async forRange(
    phoneNumberId: string,
    from: Date,
    to: Date,
    resourceId?: string,
  ): Promise<AppointmentView[]> {
    const docs = await this.deps.models.Appointment.find({
      phoneNumberId,
      ...(resourceId ? { resourceId } : {}),
      start: { $gte: from, $lt: to },
    })
      .sort({ start: 1, appointmentNumber: 1 })
      .lean<Appointment[]>()
      .exec();
    return docs.map(appointmentView);
  }

  /** One appointment by its id or its number ("A-1042" or "1042"). */
  async get(phoneNumberId: string, ref: string): Promise<AppointmentView | null> {
    const doc = await this.find(phoneNumberId, ref);
    return doc ? appointmentView(doc) : null;
  }

  /** The intake answers of an appointment, opened (staff view); undefined when it has none. */
  async intakeOf(phoneNumberId: string, id: string): Promise<Record<string, string> | undefined> {
    const doc = await this.find(phoneNumberId, id);
    if (!doc?.intake) return undefined;
    return this.deps.sealer.open<Record<string, string>>(doc.intake, intakeContext(doc._id));
  }

  /** Staff: the customer did not come. Keeps the slot (it is past or under way); refused before the start. */
  async markNoShow(phoneNumberId: string, ref: string): Promise<MarkResult> {
    const current = await this.find(phoneNumberId, ref);
    if (!current) return { status: 'not_found' };
    if (current.status === 'booked' && current.start.getTime() > this.clock())
      return { status: 'too_early', appointment: appointmentView(current) };
    return this.mark(phoneNumberId, ref, 'no_show');
  }

  /** Staff: the appointment took place. */
  /**
   * The customer confirmed they will come (a reminder's *Confirm*): noted once on their own booked
   * appointment, and the portal's open pages hear it. False when it is not theirs or no longer booked.
   */
  async confirmByCustomer(phoneNumberId: string, id: string, customerRef: string): Promise<boolean> {
    if (!isObjectIdText(id)) return false;
    const at = new Date(this.clock());
    const res = await this.deps.models.Appointment.updateOne(
      { _id: id, phoneNumberId, customerRef, status: 'booked', confirmedAt: { $exists: false } },
      { $set: { confirmedAt: at, updatedAt: at } },
    ).exec();
    if (res.modifiedCount > 0)
      await this.announce({ business: phoneNumberId, kind: 'appointment.confirmed', ref: id });
    return res.modifiedCount > 0;
  }

  markCompleted(phoneNumberId: string, ref: string): Promise<MarkResult> {
    return this.mark(phoneNumberId, ref, 'completed');
  }

  private async mark(phoneNumberId: string, ref: string, to: 'no_show' | 'completed'): Promise<MarkResult> {
    const current = await this.find(phoneNumberId, ref);
    if (!current) return { status: 'not_found' };
    const updated = await this.deps.models.Appointment.findOneAndUpdate(
      { _id: current._id, status: 'booked' },
      { $set: { status: to, updatedAt: new Date(this.clock()) } },
      { returnDocument: 'after' },
    )
      .lean<Appointment>()
      .exec();
    if (updated) return { status: 'changed', appointment: appointmentView(updated) };
    const latest = await this.find(phoneNumberId, ref);
    if (!latest) return { status: 'not_found' };
    return latest.status === to
      ? { status: 'changed', appointment: appointmentView(latest) }
      : { status: 'not_booked', appointment: appointmentView(latest) };
  }

  private async find(phoneNumberId: string, ref: string): Promise<Appointment | null> {
    const { Appointment } = this.deps.models;
    if (isObjectIdText(ref))
      return Appointment.findOne({ _id: ref, phoneNumberId }).lean<Appointment>().exec();
    const number = /^(?:A-)?(\d{1,15})$/i.exec(ref.trim())?.[1];
    if (!number) return null;
    return Appointment.findOne({ phoneNumberId, appointmentNumber: Number(number) })
      .lean<Appointment>()
      .exec();
  }

  /**
   * Takes a seat of `resource` for every bucket, or nothing. Claims of this appointment already there (a
   * retry, a twin run) count as taken; claims of `borrowFrom` (the appointment being moved) are taken over and
   * given back if the resource is lost.
   */
  private async claim(
    phoneNumberId: string,
    resource: BookingResource,
    buckets: readonly number[],
    id: Types.ObjectId,
    bufferEnd: Date,
    borrowFrom: Borrowable | undefined,
  ): Promise<boolean> {
    const { SlotClaim } = this.deps.models;
    const now = this.clock();
    const holdUntil = new Date(now + CLAIM_HOLD_MS);
    const borrowed: string[] = [];
    let pending = [...buckets];
    for (let seat = 0; seat < resource.capacity && pending.length > 0; seat += 1) {
      const docs: SlotClaim[] = pending.map((at) => ({
        _id: claimId(phoneNumberId, resource.id, seat, at),
        phoneNumberId,
        resourceId: resource.id,
        seat,
        at: new Date(at),
        appointmentId: id,
        holdUntil,
        expiresAt: new Date(Math.max(at + CLAIM_BUCKET_MS, bufferEnd.getTime())),
      }));
      const clashes = await this.insertClaims(docs);
      const next: number[] = [];
      const lastSeat = seat === resource.capacity - 1;
      for (const index of clashes) {
        // On the last seat one bucket lost loses the resource: the rest need not be contested.
        if (lastSeat && next.length > 0) break;
        const doc = docs[index];
        if (!doc) continue;
        const outcome = await this.contest(doc, id, borrowFrom, now);
        if (outcome === 'lost') next.push(doc.at.getTime());
        if (outcome === 'borrowed') borrowed.push(doc._id);
      }
      pending = next;
    }
    if (pending.length === 0) return true;
    await SlotClaim.deleteMany({
      appointmentId: id,
      resourceId: resource.id,
      _id: { $nin: borrowed },
    }).exec();
    if (borrowFrom && borrowed.length > 0) {
      await SlotClaim.updateMany(
        { _id: { $in: borrowed }, appointmentId: id },
        { $set: { appointmentId: borrowFrom._id, holdUntil: borrowFrom.bufferEnd } },
      ).exec();
    }
    return false;
  }

  /** Inserts claims; the indexes of those whose key was already taken. */
  private async insertClaims(docs: SlotClaim[]): Promise<number[]> {
    try {
      await this.deps.models.SlotClaim.insertMany(docs, { ordered: false, lean: true });
      return [];
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
      return list.map((w) => (w as { index: number }).index);
    }
  }

  /**
   * A claim that was already there: ours (a retry), borrowed from the appointment being moved, taken over
   * because nobody holds it any more (an interrupted booking's, or a cancelled appointment's), or lost.
   */
  private async contest(
    wanted: SlotClaim,
    id: Types.ObjectId,
    borrowFrom: Borrowable | undefined,
    now: number,
  ): Promise<'ours' | 'borrowed' | 'lost'> {
    const { SlotClaim, Appointment } = this.deps.models;
    const existing = await SlotClaim.findById(wanted._id).lean<SlotClaim>().exec();
    if (!existing) {
      // Released between our insert and our read: try once more.
      return (await this.insertClaims([wanted])).length === 0 ? 'ours' : 'lost';
    }
    if (existing.appointmentId.equals(id)) return 'ours';
    const takeOver = async (): Promise<boolean> => {
      const res = await SlotClaim.updateOne(
        { _id: existing._id, appointmentId: existing.appointmentId, holdUntil: existing.holdUntil },
        { $set: { appointmentId: id, holdUntil: wanted.holdUntil, expiresAt: wanted.expiresAt } },
      ).exec();
      return res.modifiedCount === 1;
    };
    if (borrowFrom && existing.appointmentId.equals(borrowFrom._id))
      return (await takeOver()) ? 'borrowed' : 'lost';
    const owner = await Appointment.findById(existing.appointmentId, { status: 1 })
      .lean<Pick<Appointment, 'status'>>()
      .exec();
    const dead = owner ? owner.status === 'cancelled' : existing.holdUntil.getTime() < now;
    if (!dead) return 'lost';
    this.deps.logger.info(
      {
        phoneNumberId: existing.phoneNumberId,
        resourceId: existing.resourceId,
        owner: owner ? 'cancelled' : 'never stored',
      },
      'slot claim taken over',
    );
    return (await takeOver()) ? 'ours' : 'lost';
  }

  /**
   * Marks the claims as the stored appointment's for good (held until its buffer ends) and checks none was
   * taken over meanwhile; any missing is claimed again. False when the slot was lost.
   */
  private async confirm(
    phoneNumberId: string,
    resource: BookingResource,
    buckets: readonly number[],
    id: Types.ObjectId,
    bufferEnd: Date,
    borrowFrom: Borrowable | undefined,
  ): Promise<boolean> {
    const { SlotClaim } = this.deps.models;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await SlotClaim.updateMany({ appointmentId: id }, { $set: { holdUntil: bufferEnd } }).exec();
      const held = await SlotClaim.distinct('at', { appointmentId: id, resourceId: resource.id }).exec();
      if (held.length >= buckets.length) return true;
      if (!(await this.claim(phoneNumberId, resource, buckets, id, bufferEnd, borrowFrom))) return false;
    }
    return false;
  }

  /** Stores the appointment (claims held); a twin run of the same key may have stored it first. */
  private async store(
    id: Types.ObjectId,
    data: z.infer<typeof bookInput>,
    resource: BookingResource,
    bufferEnd: Date,
    rescheduledFrom: Types.ObjectId | undefined,
  ): Promise<{ appointment: Appointment; twin: boolean }> {
    const { Appointment } = this.deps.models;
    const at = new Date(this.clock());
    const reminders = [...new Set(data.remindersMinutes ?? [])]
      .map((m) => new Date(data.start.getTime() - m * MINUTE_MS))
      .filter((when) => when.getTime() > at.getTime())
      .sort((a, b) => a.getTime() - b.getTime())
      .map((when) => ({ at: when }));
    for (let attempt = 1; ; attempt += 1) {
      const appointmentNumber = await this.nextNumber(data.phoneNumberId);
      try {
        const created = await Appointment.create({
          _id: id,
          phoneNumberId: data.phoneNumberId,
          customerRef: data.customerRef,
          appointmentNumber,
          serviceId: data.service.id,
          serviceName: data.service.name,
          resourceId: resource.id,
          resourceName: resource.name,
          start: data.start,
          end: data.end,
          bufferEnd,
          status: 'booked',
          ...(data.service.priceMinor !== undefined ? { priceMinor: data.service.priceMinor } : {}),
          currency: data.currency,
          bookedBy: data.bookedBy,
          ...(data.intake && Object.keys(data.intake).length > 0
            ? { intake: this.deps.sealer.seal(data.intake, intakeContext(id)) }
            : {}),
          reminders,
          sourceKey: data.key,
          ...(rescheduledFrom ? { rescheduledFrom } : {}),
          createdAt: at,
          updatedAt: at,
          retainUntil: addYears(data.end, data.retentionYears ?? DEFAULT_ORDER_RETENTION_YEARS),
        });
        return { appointment: created.toObject<Appointment>(), twin: false };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const twin = await Appointment.findById(id).lean<Appointment>().exec();
        if (twin) return { appointment: twin, twin: true };
        if (attempt >= NUMBER_ATTEMPTS) throw err;
        await this.catchUpCounter(data.phoneNumberId);
      }
    }
  }

  /** Cancels a booked appointment (conditional on `booked`) and releases its claims; null if it was not booked. */
  private async setCancelled(
    appointment: Pick<Appointment, '_id'>,
    by: AppointmentActor,
    rescheduledTo?: Types.ObjectId,
  ): Promise<Appointment | null> {
    const at = new Date(this.clock());
    const updated = await this.deps.models.Appointment.findOneAndUpdate(
      { _id: appointment._id, status: 'booked' },
      {
        $set: {
          status: 'cancelled',
          cancelledBy: by,
          cancelledAt: at,
          updatedAt: at,
          ...(rescheduledTo ? { rescheduledTo } : {}),
        },
      },
      { returnDocument: 'after' },
    )
      .lean<Appointment>()
      .exec();
    // Released after the status: a crash in between leaves claims a booking may take over (owner cancelled).
    await this.deps.models.SlotClaim.deleteMany({ appointmentId: appointment._id }).exec();
    if (updated) {
      this.deps.logger.info(
        { phoneNumberId: updated.phoneNumberId, appointmentId: String(updated._id), by },
        'appointment cancelled',
      );
    }
    return updated;
  }

  private async announce(event: LiveEvent): Promise<void> {
    try {
      await this.live.publish(event);
    } catch (err) {
      this.deps.logger.warn(
        { err, phoneNumberId: event.business, kind: event.kind, appointmentId: event.ref },
        'live portal event not published',
      );
    }
  }

  private async nextNumber(phoneNumberId: string): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const counter = await this.deps.models.Counter.findOneAndUpdate(
          { _id: `appointment:${phoneNumberId}` },
          { $inc: { seq: 1 } },
          { upsert: true, returnDocument: 'after' },
        )
          .lean()
          .exec();
        if (!counter) throw new Error('counter upsert returned nothing');
        return FIRST_APPOINTMENT_NUMBER - 1 + counter.seq;
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= NUMBER_ATTEMPTS) throw err;
      }
    }
  }

  private async catchUpCounter(phoneNumberId: string): Promise<void> {
    const highest = await this.deps.models.Appointment.findOne({ phoneNumberId }, { appointmentNumber: 1 })
      .sort({ appointmentNumber: -1 })
      .lean<Pick<Appointment, 'appointmentNumber'>>()
      .exec();
    if (!highest) return;
    await this.deps.models.Counter.updateOne(
      { _id: `appointment:${phoneNumberId}` },
      { $max: { seq: highest.appointmentNumber - FIRST_APPOINTMENT_NUMBER + 1 } },
      { upsert: true },
    ).exec();
  }
}
