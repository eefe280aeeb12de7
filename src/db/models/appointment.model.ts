import { createHash } from 'node:crypto';
import { Schema, Types } from 'mongoose';
import type { Connection, Model } from 'mongoose';

import { APPOINTMENT_STATUSES } from '../../core/booking.js';
import type { AppointmentActor, AppointmentStatus } from '../../core/booking.js';

export { APPOINTMENT_STATUSES };
export type { AppointmentActor, AppointmentStatus };

const ACTORS = ['customer', 'staff', 'erasure', 'system'] as const satisfies readonly AppointmentActor[];

/** One reminder before the appointment: when it is due, and when the reminder sweep sent it (once). */
export interface AppointmentReminder {
  at: Date;
  sentAt?: Date;
}

/**
 * An appointment a customer (or staff on their behalf) booked with one business. As orders, the customer is
 * known only by `customerRef` (the keyed reference of src/customers/identity.ts), never by a number. Its
 * time is held against double booking by its slot claims (slot-claim.model.ts): the appointment says what
 * was booked, the claims are the lock.
 */
export interface Appointment {
  /**
   * Derived from the business and the booking step's key (`appointmentIdFor`), so two runs of one chat step
   * (or a retry after a crash) name the same appointment, and its slot claims point to it before it exists.
   */
  _id: Types.ObjectId;
  phoneNumberId: string;
  customerRef: string;
  /** Per business, from 1001, allocated with `$inc` on `counters/appointment:<phoneNumberId>`; shown "A-1042". */
  appointmentNumber: number;
  serviceId: string;
  /** The service's name when booked (the business may rename it later). */
  serviceName: string;
  resourceId: string;
  resourceName: string;
  start: Date;
  /** `start` + the service's duration. */
  end: Date;
  /** `end` + the service's buffer: the resource is not free before this. */
  bufferEnd: Date;
  status: AppointmentStatus;
  /** In the currency's minor units; absent: no price ("on request"). */
  priceMinor?: number;
  currency: string;
  bookedBy: AppointmentActor;
  cancelledBy?: AppointmentActor;
  cancelledAt?: Date;
  /** The intake answers (question id → answer), sealed, bound to `appointment-intake:<_id>`; never stored open. */
  intake?: string;
  /** When reminders are due, for the reminder sweep (which marks `sentAt` with one conditional write). */
  reminders: AppointmentReminder[];
  /** The booking step's idempotency key (a keyed hash; src/conversation/flows.ts). Removed at erasure. */
  sourceKey?: string;
  /** The appointment this one replaced (a reschedule), and the one that replaced it. */
  rescheduledFrom?: Types.ObjectId;
  rescheduledTo?: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
  /** `end` + the business's retention (TTL): then the record goes. */
  retainUntil: Date;
  /** Set when the customer's data was erased: `customerRef` is then a random token, intake gone. */
  anonymisedAt?: Date;
  /** When the customer confirmed they will come (a reminder's *Confirm*). */
  confirmedAt?: Date;
}

/** The sealing context of an appointment's intake answers: bound to it, so they open nowhere else. */
export const intakeContext = (id: Types.ObjectId | string): string => `appointment-intake:${String(id)}`;

/**
 * The id of the appointment a booking step makes: the first 12 bytes of SHA-256 over business and key. Two
 * runs of the same step agree on it without talking to each other, which is what lets their slot claims be
 * shared and the insert of the appointment be the one place where only one of them wins.
 */
export function appointmentIdFor(phoneNumberId: string, key: string): Types.ObjectId {
  const bytes = createHash('sha256').update(`appointment\0${phoneNumberId}\0${key}`).digest().subarray(0, 12);
  return new Types.ObjectId(bytes.toString('hex'));
}

const appointmentSchema = new Schema<Appointment>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    phoneNumberId: { type: String, required: true },
    customerRef: { type: String, required: true },
    appointmentNumber: { type: Number, required: true, validate: Number.isSafeInteger },
    serviceId: { type: String, required: true },
    serviceName: { type: String, required: true },
    resourceId: { type: String, required: true },
    resourceName: { type: String, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    bufferEnd: { type: Date, required: true },
    status: { type: String, enum: APPOINTMENT_STATUSES, required: true },
    priceMinor: { type: Number, min: 0, validate: Number.isSafeInteger },
    currency: { type: String, required: true },
    bookedBy: { type: String, enum: ACTORS, required: true },
    cancelledBy: { type: String, enum: ACTORS },
    cancelledAt: Date,
    intake: String,
    reminders: {
      type: [
        new Schema<AppointmentReminder>({ at: { type: Date, required: true }, sentAt: Date }, { _id: false }),
      ],
      default: [],
    },
    sourceKey: String,
    rescheduledFrom: Schema.Types.ObjectId,
    rescheduledTo: Schema.Types.ObjectId,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    retainUntil: { type: Date, required: true },
    anonymisedAt: Date,
    confirmedAt: Date,
  },
  { collection: 'appointments', versionKey: false },
);
// The number staff and customers say; the insert makes it unique.
appointmentSchema.index({ phoneNumberId: 1, appointmentNumber: 1 }, { unique: true });
// The calendar (per business, per resource) and the slot engine's busy times: by start.
appointmentSchema.index({ phoneNumberId: 1, start: 1 });
appointmentSchema.index({ phoneNumberId: 1, resourceId: 1, start: 1 });
// A customer's upcoming appointments ("my appointments").
appointmentSchema.index({ customerRef: 1, phoneNumberId: 1, start: 1 });
// The reminder sweep: booked appointments with a reminder due.
appointmentSchema.index({ status: 1, 'reminders.at': 1 });
appointmentSchema.index({ retainUntil: 1 }, { expireAfterSeconds: 0 });

export type AppointmentModel = Model<Appointment>;

export function appointmentModel(connection: Connection): AppointmentModel {
  return connection.models.Appointment ?? connection.model<Appointment>('Appointment', appointmentSchema);
}
