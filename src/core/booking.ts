/**
 * Appointments, written once: the business's booking configuration (what it offers, its services and
 * resources, their hours and exceptions, the booking window and cancellation cut-off, reminders), the slots
 * computed from it, and an appointment as stored. Plain types, so the ground floor imports nothing: the
 * database model stores them, src/businesses/schema.ts checks the admin's input against them, src/appointments/
 * computes slots and books them, and flows/booking.flow.ts reads the views it is given.
 */
import type { CatalogLanguage, CatalogItemText } from './catalog.js';

/** What a business offers in chat: the main menu shows ordering, appointments, or both. */
export type Offering = 'ordering' | 'appointments';

/** A business's own word for what it sells per language ("dish", "service", "treatment"): singular and plural. */
export interface OfferingNoun {
  one: string;
  other: string;
}

/** A time of day on the business's clock, "HH:mm" (24 h). */
export type ClockTime = string;

/** One interval of a working day, on the business's clock: `start` before `end`, both "HH:mm". */
export interface WorkInterval {
  start: ClockTime;
  end: ClockTime;
}

/** Weekday keys, Monday first (ISO weekday 1…7), as the opening hours use them. */
export const BOOKING_WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type BookingWeekday = (typeof BOOKING_WEEKDAYS)[number];

/** A resource's working hours per weekday; a missing or empty day is not worked. */
export type WeeklyWork = Partial<Record<BookingWeekday, WorkInterval[]>>;

/**
 * An exception to the weekly hours on one date ("YYYY-MM-DD" on the business's clock): a holiday or absence
 * (`intervals` empty: nothing bookable that day) or different hours that day (the intervals replace the week's).
 * On the business (`BookingConfig.exceptions`) it applies to every resource; on a resource, to that one.
 */
export interface WorkException {
  date: string;
  intervals: WorkInterval[];
  /** The business's own note ("Christmas", "training"): staff-facing, never shown to customers. */
  note?: string;
}

/** Who or what performs a service: a staff member, a room, a chair. */
export interface Resource {
  /** The business's own id: letters, digits, `_` or `-`, 1–64. */
  id: string;
  /** As customers and staff read it ("Dr. Ana Ruiz", "Room 2"). */
  name: string;
  kind: 'staff' | 'room' | 'equipment';
  /** How many appointments it takes at the same time (a room with 3 chairs: 3). At least 1. */
  capacity: number;
  week: WeeklyWork;
  exceptions?: WorkException[];
  /** False while it takes no new bookings (existing ones stay). */
  active: boolean;
}

/** An optional question asked before confirming a booking ("Reason for the visit?"), kept minimal. */
export interface IntakeQuestion {
  id: string;
  /** The question in the business's language, and in others. */
  text: string;
  translations?: Partial<Record<CatalogLanguage, string>>;
  /** Longest answer kept, in characters (default 200, at most 500). */
  maxLength?: number;
  /** A WhatsApp Flow that asks it as a form, where the business has one (the Flow's id). */
  flowId?: string;
}

/** One service of a business's booking catalogue. */
export interface Service {
  /** The business's own id: letters, digits, `_` or `-`, 1–64. */
  id: string;
  name: string;
  description?: string;
  /** Name and description per language, as catalogue items have them. */
  translations?: Partial<Record<CatalogLanguage, CatalogItemText>>;
  /** Other words customers type for it ("cleaning" for "Dental hygiene"), matched as catalogue synonyms are. */
  synonyms?: string[];
  /** How long the appointment takes, in minutes (5–720). */
  durationMinutes: number;
  /** Minutes kept free after it (cleaning the room): not bookable, not shown. Default 0. */
  bufferMinutes?: number;
  /** Price in the currency's minor units; absent: no price is shown ("price on request"). */
  priceMinor?: number;
  /** The resources that can perform it (ids); a booking takes one of them. */
  resourceIds: string[];
  /** Reminders before the appointment, in minutes (e.g. [1440, 120] for 24 h and 2 h). Default: the business's. */
  remindersMinutes?: number[];
  /** At most 2 questions asked before confirming. */
  intake?: IntakeQuestion[];
  /** False while it is not offered (existing bookings stay). */
  active: boolean;
}

/** A business's appointments configuration: absent on a business that does not take bookings. */
export interface BookingConfig {
  services: Service[];
  resources: Resource[];
  /** Holidays and special days for every resource. */
  exceptions?: WorkException[];
  /** Earliest booking, minutes from now (default 120: two hours ahead). */
  earliestMinutes: number;
  /** Latest booking, days ahead (default 60). */
  latestDays: number;
  /** Slot starts are on this grid, in minutes from the start of each working interval (default 15). */
  slotStepMinutes: number;
  /** A customer may cancel or move an appointment up to this many minutes before it (default 1440: a day). */
  cancelCutoffMinutes: number;
  /** Reminders before each appointment unless a service sets its own, in minutes (default [1440, 120]). */
  remindersMinutes: number[];
  /** Whether the customer may choose a staff member (else the first free one is taken). Default true. */
  chooseStaff: boolean;
  /** Years appointments are kept after they took place, then anonymised (default: the order retention). */
  retentionYears?: number;
}

/** The business's offering settings: what the main menu shows and the business's own words for it. */
export interface OfferingSettings {
  /** At least one; absent on the business: ordering only (as every business before appointments). */
  offers: Offering[];
  /** Per language, the word for what is booked ("service", "treatment"); absent: the catalogue's default word. */
  serviceNoun?: Partial<Record<CatalogLanguage, OfferingNoun>>;
  /** Per language, the word for what is ordered ("dish", "product"); absent: the catalogue's default word. */
  itemNoun?: Partial<Record<CatalogLanguage, OfferingNoun>>;
}

/**
 * A bookable slot: an instant (UTC, ISO) and the resources free for it. `end` includes the service's
 * duration, not its buffer.
 */
export interface Slot {
  start: string;
  end: string;
  /** The resources that could take it, in the order a booking tries them. */
  resourceIds: string[];
}

/** A day with free slots, on the business's clock. */
export interface FreeDay {
  /** "YYYY-MM-DD" on the business's clock. */
  date: string;
  /** How many slots are free that day (for "Tue 3 Dec · 6 free"). */
  free: number;
}

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'completed', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Who made the last change to an appointment: the customer in chat, or staff (portal, admin API). */
export type AppointmentActor = 'customer' | 'staff' | 'erasure' | 'system';

/** An appointment as the store returns it (src/appointments/). Times are instants. */
export interface AppointmentView {
  id: string;
  /** Short, per business, what customers and staff say ("A-1042"). */
  number: string;
  phoneNumberId: string;
  serviceId: string;
  /** The service's name when booked (the catalogue may change later). */
  serviceName: string;
  resourceId: string;
  resourceName: string;
  start: Date;
  end: Date;
  status: AppointmentStatus;
  priceMinor?: number;
  currency: string;
  /** Booked by staff on the customer's behalf (a phone call). */
  bookedBy: AppointmentActor;
  cancelledBy?: AppointmentActor;
  /** The customer confirmed they will come (a reminder's *Confirm*). */
  confirmedAt?: Date;
}

/** The defaults a business gets when it turns appointments on without saying more. */
export const BOOKING_DEFAULTS = {
  earliestMinutes: 120,
  latestDays: 60,
  slotStepMinutes: 15,
  cancelCutoffMinutes: 1440,
  remindersMinutes: [1440, 120],
  chooseStaff: true,
} as const satisfies Omit<BookingConfig, 'services' | 'resources' | 'exceptions' | 'retentionYears'>;

/**
 * Prefixes of the reminder's button ids, each followed by the appointment's id (`appt.confirm:<id>`): the
 * reminder (src/appointments/reminders.ts) sends them, the booking machine answers them.
 */
export const APPOINTMENT_BUTTONS = {
  confirm: 'appt.confirm:',
  move: 'appt.move:',
  cancel: 'appt.cancel:',
} as const;
