import type { OfferingNoun } from '../../src/core/booking.js';
import type { OutboundMessage } from '../../src/core/vocabulary.js';
import { t } from '../../src/language/i18n.js';
import type { Language } from '../../src/language/languages.js';
import type { BusinessNouns } from '../setup.js';
import { pageOf, ROWS_PER_LIST } from '../ordering/paging.js';

/**
 * The booking concern's contract with its effects (src/conversation/effects/booking.ts), and the messages it
 * builds from them. Every view arrives already worded: titles in the customer's language, times on the
 * business's clock (the effects use a maintained time-zone library); the flow never reads a clock or a zone.
 */

/** A service as offered in chat (`bookingServices`). */
export interface BookingServiceView {
  id: string;
  /** Its name in the customer's language (≤ 24 characters are shown on a list row). */
  title: string;
  /** Duration and price, worded ("45 min · €30"). */
  description?: string;
  /** Other names it is known by (its name in other languages, the business's synonyms), for typed matching. */
  names?: string[];
  /** At most two questions asked before the summary, in the customer's language. */
  intake?: BookingIntakeView[];
}

/** An intake question, worded. Answers are kept to `maxLength` characters (default 200, at most 500). */
export interface BookingIntakeView {
  id: string;
  question: string;
  maxLength?: number;
}

/** A day with free slots (`bookingDays`): the date on the business's clock, and its words ("Tue 3 Dec"). */
export interface BookingDayView {
  date: string;
  title: string;
  /** "6 free times". */
  description?: string;
}

/** A free time (`bookingTimes`), or a nearest free time offered when one was taken (`title` then says the day too). */
export interface BookingTimeView {
  /** The instant, UTC ISO: what `bookingBook` is given back. */
  start: string;
  /** "10:30" for a time of the chosen day; "Wed 4 Dec, 10:30" for an alternative. */
  title: string;
  /** Inside the business's cancellation cut-off: once booked, it cannot be moved or cancelled in chat. */
  fixed?: boolean;
}

/** A staff member who can perform the service (`bookingStaff`): offered only when there are two or more. */
export interface BookingStaffView {
  id: string;
  title: string;
}

/** What `bookingBook` is asked: the slot, the staff member if one was chosen, the answers, the one being moved. */
export interface BookingRequest {
  serviceId: string;
  start: string;
  resourceId?: string;
  intake?: Record<string, string>;
  /** Rescheduling: the appointment the new one replaces, released only when this one is booked. */
  rescheduleOf?: string;
}

/**
 * What `bookingBook` answers: booked (its number and a one-line summary in the customer's language), or the
 * slot was taken meanwhile by someone else (the nearest free times, possibly none).
 */
export type BookingOutcome =
  | { status: 'booked'; number: string; summary: string }
  | { status: 'taken'; alternatives: BookingTimeView[] };

/** One of the customer's upcoming appointments (`myAppointments`). */
export interface AppointmentItemView {
  id: string;
  /** "Tue 3 Dec, 10:30 · Cleaning" (≤ 24 characters are shown on a list row). */
  title: string;
  /** The service, for rescheduling through the same path. */
  serviceId: string;
  /** Before the business's cancellation cut-off. */
  cancellable: boolean;
  movable: boolean;
}

/** The customer's upcoming appointments: a text listing them (or saying there are none), and the items. */
export interface MyAppointmentsView {
  text: string;
  items: AppointmentItemView[];
}

/**
 * What `appointmentOf` answers for a reminder's button: the customer's own appointment, still booked and not
 * over (as an item of *My appointments*, with its time in words: "Tue 8 Dec at 10:00"), or `gone` for one
 * that is cancelled, past, someone else's, or never was.
 */
export type AppointmentLookup =
  { status: 'open'; appointment: AppointmentItemView & { when: string } } | { status: 'gone' };

/** What a reminder's button asks for (flows/booking.flow.ts). */
export type ReminderAction = 'confirm' | 'move' | 'cancel';

/** What `cancelAppointment` answers: cancelled, or past the cut-off. */
export interface CancelOutcome {
  status: 'cancelled' | 'too_late';
}

/** Row ids: what a tap sends back. */
export const IDS = {
  service: 'booking.service:',
  more: 'booking.more:',
  mine: 'booking.mine',
  day: 'booking.day:',
  time: 'booking.time:',
  staff: 'booking.staff:',
  anyone: 'booking.staff',
  appointment: 'booking.appt:',
  confirm: 'booking.confirm',
  change: 'booking.change',
  drop: 'booking.drop',
  move: 'booking.move',
  cancel: 'booking.cancel',
  cancelYes: 'booking.cancel.yes',
  cancelNo: 'booking.cancel.no',
  menu: 'cmd.menu',
} as const;

/** WhatsApp's limits on a list row (Meta). */
const ROW_TITLE = 24;
const ROW_DESCRIPTION = 72;

const fit = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

interface Row {
  id: string;
  title: string;
  description?: string;
}

const row = (id: string, title: string, description?: string): Row => ({
  id,
  title: fit(title, ROW_TITLE),
  ...(description ? { description: fit(description, ROW_DESCRIPTION) } : {}),
});

/** A list message: `notice` first when there is one, then the prompt. */
function list(text: string, notice: string | undefined, button: string, rows: Row[]): OutboundMessage {
  return {
    type: 'reply.list',
    text: notice ? `${notice}\n\n${text}` : text,
    button,
    sections: [{ rows: rows.slice(0, ROWS_PER_LIST) }],
  };
}

/** The business's word for what is booked, in `language` (its own, else the catalogue's). */
export function nounOf(language: Language, nouns: BusinessNouns | undefined): OfferingNoun {
  return (
    nouns?.service?.[language] ?? {
      one: t(language, 'booking:noun.one'),
      other: t(language, 'booking:noun.other'),
    }
  );
}

/**
 * The services, a page at a time: nine and *More…* while more follow, and *My appointments* always last
 * (so a page holds at most eight services and the two extra rows).
 */
export function servicesMessage(
  language: Language,
  nouns: BusinessNouns | undefined,
  services: readonly BookingServiceView[],
  page: number,
  notice?: string,
): OutboundMessage {
  const noun = nounOf(language, nouns);
  const perPage = ROWS_PER_LIST - 2;
  const pages = Math.max(1, Math.ceil(services.length / perPage));
  const current = Math.min(Math.max(1, page), pages);
  const shown = services.slice((current - 1) * perPage, current * perPage);
  const rows = [
    ...shown.map((service) => row(`${IDS.service}${service.id}`, service.title, service.description)),
    ...(current < pages ? [row(`${IDS.more}${current + 1}`, t(language, 'booking:more.row'))] : []),
    row(IDS.mine, t(language, 'booking:mine.row'), t(language, 'booking:mine.rowDescription')),
  ];
  return list(
    t(language, 'booking:services.prompt', { noun: noun.one, nouns: noun.other }),
    notice,
    t(language, 'booking:services.button'),
    rows,
  );
}

export function daysMessage(
  language: Language,
  service: string,
  days: readonly BookingDayView[],
  notice?: string,
): OutboundMessage {
  return list(
    t(language, 'booking:days.prompt', { service }),
    notice,
    t(language, 'booking:days.button'),
    days.slice(0, ROWS_PER_LIST).map((day) => row(`${IDS.day}${day.date}`, day.title, day.description)),
  );
}

/** The times of a day, paged (nine and *More…* while more follow). */
export function timesMessage(
  language: Language,
  service: string,
  day: string,
  times: readonly BookingTimeView[],
  page: number,
  notice?: string,
): OutboundMessage {
  const shown = pageOf(times, page);
  return list(
    t(language, 'booking:times.prompt', { service, day }),
    notice,
    t(language, 'booking:times.button'),
    [
      ...shown.entries.map((time) => row(`${IDS.time}${time.start}`, time.title)),
      ...(shown.next ? [row(`${IDS.more}${shown.next}`, t(language, 'booking:more.row'))] : []),
    ],
  );
}

export function staffMessage(
  language: Language,
  staff: readonly BookingStaffView[],
  notice?: string,
): OutboundMessage {
  return list(t(language, 'booking:staff.prompt'), notice, t(language, 'booking:staff.button'), [
    ...staff.slice(0, ROWS_PER_LIST - 1).map((member) => row(`${IDS.staff}${member.id}`, member.title)),
    row(IDS.anyone, t(language, 'booking:staff.any.row')),
  ]);
}

export function alternativesMessage(
  language: Language,
  alternatives: readonly BookingTimeView[],
  notice?: string,
): OutboundMessage {
  return list(
    t(language, 'booking:taken'),
    notice,
    t(language, 'booking:times.button'),
    alternatives.map((time) => row(`${IDS.time}${time.start}`, time.title)),
  );
}

export function mineMessage(language: Language, mine: MyAppointmentsView, notice?: string): OutboundMessage {
  return list(
    t(language, 'booking:mine.prompt', { text: mine.text }),
    notice,
    t(language, 'booking:mine.button'),
    mine.items.map((item) => row(`${IDS.appointment}${item.id}`, item.title)),
  );
}

/** Buttons under a text (1 to 3, each ≤ 20 characters: the catalogue's `button` keys are). */
export function buttons(
  text: string,
  notice: string | undefined,
  options: ReadonlyArray<{ id: string; title: string }>,
): OutboundMessage {
  return {
    type: 'reply.buttons',
    text: notice ? `${notice}\n\n${text}` : text,
    buttons: options.slice(0, 3).map((option) => ({ ...option })),
  };
}

/** The id after `prefix` of a tap on a row or button, else undefined. */
export function tapped(event: { type: string; id?: string }, prefix: string): string | undefined {
  if ((event.type !== 'user.list' && event.type !== 'user.button') || typeof event.id !== 'string')
    return undefined;
  return event.id.startsWith(prefix) ? event.id.slice(prefix.length) : undefined;
}

/** Longest intake answer kept: the question's own limit, never more than 500 (src/core/booking.ts). */
export function intakeLimit(question: BookingIntakeView): number {
  return Math.min(Math.max(1, question.maxLength ?? 200), 500);
}
