/**
 * What the portal's calendar and the admin API need on top of the appointment store: who each appointment's
 * customer is (a name and a masked number for the calendar, the whole number on the appointment's page), the
 * free times for a service on a day, and the staff's own writes (book on a customer's behalf, move, cancel),
 * each of which tells the customer through `notify` when it is plugged in.
 *
 * A booking by phone stores the customer. The receptionist types the number the caller gave; the identities
 * service resolves it to the customer's one reference without writing anything for a stranger (`lookup`).
 * When nobody with that number is known, the booking itself is the reason to keep them: a customer record is
 * created with the number and the name given (sealed, as a profile), with no message received
 * (`lastInboundAt` at the epoch, so no 24-hour window is open), and the aliases then point to it, so the
 * customer's first message in chat joins the same reference and finds the appointment. It is the same record
 * an erasure, the export and the retention sweep already cover.
 */
import type { AppointmentView, BookingConfig, Service, Slot } from '../core/booking.js';
import { DAY_MS } from '../core/time.js';
import type { Sealer } from '../core/sealing.js';
import { parseCustomerId } from '../customers/identity.js';
import type { CustomerIdentities } from '../customers/identity.js';
import { profileContext } from '../customers/profiles.js';
import { appointmentIdFor } from '../db/models/appointment.model.js';
import type { Appointment } from '../db/models/appointment.model.js';
import type { Customer, CustomerProfile } from '../db/models/customer.model.js';
import type { Models } from '../db/models/index.js';
import { maskNumber } from '../handoff/service.js';
import { slotsOn } from './slots.js';
import { appointmentNumberText, appointmentView } from './store.js';
import type { AppointmentStore, BookingResource, BookResult, CancelResult } from './store.js';

/** What staff did that the customer should hear about (bremind's AppointmentNotices plugs in here). */
export type StaffAppointmentEvent =
  | { kind: 'booked'; appointment: AppointmentView }
  | { kind: 'moved'; appointment: AppointmentView; previous: AppointmentView }
  | { kind: 'cancelled'; appointment: AppointmentView };

/** Tells the customer of a staff change; a failure is logged by the caller, never undoes the change. */
export type NotifyStaffChange = (event: StaffAppointmentEvent) => Promise<void>;

/** How the calendar names a customer: the name they gave (or WhatsApp's), else a masked number. */
export interface CustomerLabel {
  name?: string;
  masked: string;
}

/** The customer's name and whole number, for the appointment's own page (the view is recorded first). */
export interface AppointmentCustomer {
  name?: string;
  number?: string;
}

export interface AppointmentDeskDeps {
  store: AppointmentStore;
  models: Pick<Models, 'Appointment' | 'Customer'>;
  sealer: Sealer;
  identities: Pick<CustomerIdentities, 'lookup'>;
  /** How long a customer record lives after its last message (CUSTOMER_RETENTION_DAYS), for a phone booking. */
  customerRetentionMs: number;
  notify?: NotifyStaffChange;
  now?: () => number;
}

/** Why a staff booking or move was refused, in words the page and the API show. */
export class StaffBookingError extends Error {
  constructor(
    readonly field: 'service' | 'resource' | 'start' | 'phone' | 'appointment',
    message: string,
  ) {
    super(message);
  }
}

export type StaffBookResult = { status: 'booked'; appointment: AppointmentView } | { status: 'taken' };

/** The business's side the desk needs: its booking configuration, time zone and currency. */
export interface DeskBusiness {
  phoneNumberId: string;
  booking?: BookingConfig | undefined;
  timeZone?: string | undefined;
  currency: string;
}

export class AppointmentDesk {
  private readonly now: () => number;

  constructor(private readonly d: AppointmentDeskDeps) {
    this.now = d.now ?? Date.now;
  }

  /** Labels of the appointments' customers by appointment id (no access is recorded here: the caller does). */
  async labels(
    phoneNumberId: string,
    appointments: readonly AppointmentView[],
  ): Promise<Map<string, CustomerLabel>> {
    const out = new Map<string, CustomerLabel>();
    if (appointments.length === 0) return out;
    const docs = await this.d.models.Appointment.find(
      { _id: { $in: appointments.map((a) => a.id) }, phoneNumberId },
      { customerRef: 1, anonymisedAt: 1 },
    )
      .lean<Pick<Appointment, '_id' | 'customerRef' | 'anonymisedAt'>[]>()
      .exec();
    const refs = [...new Set(docs.filter((d) => !d.anonymisedAt).map((d) => d.customerRef))];
    const customers = await this.d.models.Customer.find(
      { _id: { $in: refs }, phoneNumberId },
      { waId: 1, profile: 1 },
    )
      .lean<Pick<Customer, '_id' | 'waId' | 'profile'>[]>()
      .exec();
    const byRef = new Map(customers.map((c) => [c._id, c]));
    for (const doc of docs) {
      const customer = doc.anonymisedAt ? undefined : byRef.get(doc.customerRef);
      const name = this.nameOf(customer);
      out.set(String(doc._id), {
        ...(name ? { name } : {}),
        masked: customer?.waId ? maskNumber(customer.waId) : 'WhatsApp user',
      });
    }
    return out;
  }

  /** The customer's name and number for one appointment; empty once erased or expired. */
  async customerOf(phoneNumberId: string, appointmentId: string): Promise<AppointmentCustomer> {
    const doc = await this.d.models.Appointment.findOne(
      { _id: appointmentId, phoneNumberId },
      { customerRef: 1, anonymisedAt: 1 },
    )
      .lean<Pick<Appointment, 'customerRef' | 'anonymisedAt'>>()
      .exec();
    if (!doc || doc.anonymisedAt) return {};
    const customer = await this.d.models.Customer.findOne(
      { _id: doc.customerRef, phoneNumberId },
      { waId: 1, userId: 1, profile: 1 },
    )
      .lean<Pick<Customer, '_id' | 'waId' | 'userId' | 'profile'>>()
      .exec();
    if (!customer) return {};
    const name = this.nameOf(customer);
    const number = customer.waId ? `+${customer.waId}` : customer.userId;
    return { ...(name ? { name } : {}), ...(number ? { number } : {}) };
  }

  /** The numbers of the appointment this one was moved from and the one it was moved to, when either. */
  async movesOf(phoneNumberId: string, appointmentId: string): Promise<{ from?: string; to?: string }> {
    const doc = await this.d.models.Appointment.findOne(
      { _id: appointmentId, phoneNumberId },
      { rescheduledFrom: 1, rescheduledTo: 1 },
    )
      .lean<Pick<Appointment, 'rescheduledFrom' | 'rescheduledTo'>>()
      .exec();
    const ids = [doc?.rescheduledFrom, doc?.rescheduledTo].filter((id) => id !== undefined);
    if (!doc || ids.length === 0) return {};
    const others = await this.d.models.Appointment.find(
      { _id: { $in: ids }, phoneNumberId },
      { appointmentNumber: 1 },
    )
      .lean<Pick<Appointment, '_id' | 'appointmentNumber'>[]>()
      .exec();
    const numberOf = (id: unknown): string | undefined => {
      const found = others.find((o) => String(o._id) === String(id));
      return found ? appointmentNumberText(found.appointmentNumber) : undefined;
    };
    const from = doc.rescheduledFrom ? numberOf(doc.rescheduledFrom) : undefined;
    const to = doc.rescheduledTo ? numberOf(doc.rescheduledTo) : undefined;
    return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  }

  /**
   * The free times of a service on one date (the business's clock), optionally on one resource. Staff may
   * book from now on (the customers' "earliest" window does not apply); `ignore` is an appointment being
   * moved, whose own time counts as free.
   */
  async freeSlots(
    business: DeskBusiness,
    serviceId: string,
    date: string,
    options: { resourceId?: string | undefined; ignore?: string | undefined } = {},
  ): Promise<Slot[]> {
    const config = business.booking;
    if (!config) return [];
    const now = new Date(this.now());
    // A day on any clock lies within a day and a half either side of its UTC midnight.
    const midnight = Date.parse(`${date}T00:00:00Z`);
    if (Number.isNaN(midnight)) return [];
    const from = new Date(midnight - 2 * DAY_MS);
    const to = new Date(midnight + 3 * DAY_MS);
    let busy = await this.d.store.busy(business.phoneNumberId, from, to);
    if (options.ignore) {
      const old = await this.d.models.Appointment.findOne(
        { _id: options.ignore, phoneNumberId: business.phoneNumberId },
        { resourceId: 1, start: 1, bufferEnd: 1 },
      )
        .lean<Pick<Appointment, 'resourceId' | 'start' | 'bufferEnd'>>()
        .exec();
      if (old) {
        let dropped = false;
        busy = busy.filter((b) => {
          const same =
            !dropped &&
            b.resourceId === old.resourceId &&
            b.start.getTime() === old.start.getTime() &&
            b.end.getTime() === old.bufferEnd.getTime();
          if (same) dropped = true;
          return !same;
        });
      }
    }
    return slotsOn(
      {
        config: { ...config, earliestMinutes: 0 },
        timeZone: business.timeZone ?? 'UTC',
        serviceId,
        now,
        busy,
        ...(options.resourceId ? { preferredResourceId: options.resourceId } : {}),
      },
      date,
    );
  }

  /**
   * The customer's reference for a number a caller gave, storing them when they are new (see the module
   * comment). Throws StaffBookingError('phone') for something that is no number.
   */
  async customerFor(phoneNumberId: string, phone: string, name?: string): Promise<string> {
    const parsed = parseCustomerId(phone);
    if (!parsed || !('waId' in parsed))
      throw new StaffBookingError(
        'phone',
        'Enter the customer’s WhatsApp number with its country code, such as +34 611 11 11 11.',
      );
    const found = await this.d.identities.lookup(phoneNumberId, parsed);
    if (found.known) return found.ref;
    const at = new Date(this.now());
    const profile: CustomerProfile = { ...(name ? { name } : {}), addresses: [] };
    await this.d.models.Customer.updateOne(
      { _id: found.ref },
      {
        $setOnInsert: {
          phoneNumberId,
          waId: parsed.waId,
          ...(name ? { profile: this.d.sealer.seal(profile, profileContext(found.ref)) } : {}),
          lastInboundAt: new Date(0),
          createdAt: at,
          updatedAt: at,
          expiresAt: new Date(at.getTime() + this.d.customerRetentionMs),
        },
      },
      { upsert: true },
    ).exec();
    // The record now holds the number: the lookup adopts it and writes the aliases.
    return (await this.d.identities.lookup(phoneNumberId, parsed)).ref;
  }

  /** Books on a customer's behalf (a phone call); `key` makes a repeated form post book once. */
  async book(
    business: DeskBusiness,
    input: {
      serviceId: string;
      start: Date;
      resourceId?: string | undefined;
      customerRef: string;
      key: string;
    },
  ): Promise<StaffBookResult> {
    const key = `staff:${input.key}`;
    const repeat = await this.booked(business.phoneNumberId, key);
    if (repeat) return repeat;
    const { service, candidates } = await this.slotFor(
      business,
      input.serviceId,
      input.start,
      input.resourceId,
    );
    const result = await this.d.store.book({
      ...this.bookingOf(business, service, candidates, input.start),
      customerRef: input.customerRef,
      key,
      bookedBy: 'staff',
    });
    return this.after(result, (appointment) => ({ kind: 'booked', appointment }));
  }

  /** Moves an appointment: the old time is released only once the new one is booked. */
  async move(
    business: DeskBusiness,
    ref: string,
    input: { start: Date; resourceId?: string | undefined; key: string },
  ): Promise<StaffBookResult> {
    const previous = await this.d.store.get(business.phoneNumberId, ref);
    const key = previous ? `staff-move:${previous.id}:${input.key}` : '';
    const repeat = previous ? await this.booked(business.phoneNumberId, key) : undefined;
    if (repeat) return repeat;
    if (!previous || previous.status !== 'booked')
      throw new StaffBookingError('appointment', 'Only a booked appointment can be moved.');
    const doc = await this.d.models.Appointment.findById(previous.id, { customerRef: 1 })
      .lean<Pick<Appointment, 'customerRef'>>()
      .exec();
    if (!doc) throw new StaffBookingError('appointment', 'Only a booked appointment can be moved.');
    const { service, candidates } = await this.slotFor(
      business,
      previous.serviceId,
      input.start,
      input.resourceId,
      previous.id,
    );
    const result = await this.d.store.book({
      ...this.bookingOf(business, service, candidates, input.start),
      customerRef: doc.customerRef,
      key,
      bookedBy: 'staff',
      rescheduleOf: previous.id,
    });
    if (result.status === 'not_found')
      throw new StaffBookingError('appointment', 'Only a booked appointment can be moved.');
    return this.after(result, (appointment) => ({ kind: 'moved', appointment, previous }));
  }

  /** Cancels on the business's side (any time); the customer is told when it was booked until now. */
  async cancel(phoneNumberId: string, ref: string): Promise<CancelResult> {
    const current = await this.d.store.get(phoneNumberId, ref);
    if (!current) return { status: 'not_found' };
    const result = await this.d.store.cancel(phoneNumberId, current.id, {
      by: 'staff',
      now: new Date(this.now()),
    });
    if (result.status === 'cancelled' && current.status === 'booked')
      await this.tell({ kind: 'cancelled', appointment: result.appointment });
    return result;
  }

  /** What an earlier run of the same form post booked (a double click, a retried request): answered again. */
  private async booked(phoneNumberId: string, key: string): Promise<StaffBookResult | undefined> {
    const doc = await this.d.models.Appointment.findById(appointmentIdFor(phoneNumberId, key))
      .lean<Appointment>()
      .exec();
    if (!doc || (doc.status === 'cancelled' && doc.cancelledBy === 'system')) return undefined;
    return { status: 'booked', appointment: appointmentView(doc) };
  }

  private nameOf(customer: Pick<Customer, '_id' | 'profile'> | undefined): string | undefined {
    if (!customer?.profile) return undefined;
    try {
      return this.d.sealer.open<CustomerProfile>(customer.profile, profileContext(customer._id)).name;
    } catch {
      return undefined; // an unreadable profile shows the number instead
    }
  }

  private async slotFor(
    business: DeskBusiness,
    serviceId: string,
    start: Date,
    resourceId: string | undefined,
    ignore?: string,
  ): Promise<{ service: Service; candidates: BookingResource[] }> {
    const config = business.booking;
    const service = config?.services.find((s) => s.id === serviceId && s.active);
    if (!config || !service) throw new StaffBookingError('service', 'Choose a service the business offers.');
    if (resourceId && !service.resourceIds.includes(resourceId))
      throw new StaffBookingError('resource', 'That staff member or room does not perform this service.');
    const zone = business.timeZone ?? 'UTC';
    const date = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(start);
    const slots = await this.freeSlots(business, serviceId, date, { resourceId, ignore });
    const slot = slots.find((s) => Date.parse(s.start) === start.getTime());
    if (!slot) throw new StaffBookingError('start', 'That time is not free any more: choose another.');
    const candidates = slot.resourceIds
      .map((id) => config.resources.find((r) => r.id === id))
      .filter((r) => r !== undefined)
      .map((r) => ({ id: r.id, name: r.name, capacity: r.capacity }));
    if (candidates.length === 0)
      throw new StaffBookingError('start', 'That time is not free any more: choose another.');
    return { service, candidates };
  }

  private bookingOf(business: DeskBusiness, service: Service, candidates: BookingResource[], start: Date) {
    return {
      phoneNumberId: business.phoneNumberId,
      service: {
        id: service.id,
        name: service.name,
        ...(service.priceMinor !== undefined ? { priceMinor: service.priceMinor } : {}),
      },
      resourceCandidates: candidates,
      start,
      end: new Date(start.getTime() + service.durationMinutes * 60_000),
      bufferMinutes: service.bufferMinutes ?? 0,
      currency: business.currency,
      remindersMinutes: service.remindersMinutes ?? business.booking?.remindersMinutes,
      retentionYears: business.booking?.retentionYears,
    };
  }

  private async after(
    result: BookResult,
    event: (appointment: AppointmentView) => StaffAppointmentEvent,
  ): Promise<StaffBookResult> {
    if (result.status !== 'booked') return { status: 'taken' };
    await this.tell(event(result.appointment));
    return result;
  }

  private async tell(event: StaffAppointmentEvent): Promise<void> {
    if (!this.d.notify) return;
    try {
      await this.d.notify(event);
    } catch {
      // The change stands; the notices' own log says what became of the message.
    }
  }
}
