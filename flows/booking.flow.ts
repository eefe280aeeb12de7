import { asksForOwnAppointments } from '../src/language/intents.js';
import { defineConcern } from './concerns.js';
import type { Menu } from './menu.js';
import { t } from '../src/language/i18n.js';
import type { Language } from '../src/language/languages.js';
import { base, notProvided, outputOf } from './setup.js';
import type { GuardArgs } from './setup.js';
import { matchNames } from './ordering/match.js';
import {
  alternativesMessage,
  buttons,
  daysMessage,
  IDS,
  intakeLimit,
  mineMessage,
  nounOf,
  servicesMessage,
  staffMessage,
  tapped,
  timesMessage,
} from './booking/views.js';
import type {
  AppointmentItemView,
  AppointmentLookup,
  BookingDayView,
  BookingOutcome,
  BookingRequest,
  BookingServiceView,
  BookingStaffView,
  BookingTimeView,
  CancelOutcome,
  MyAppointmentsView,
  ReminderAction,
} from './booking/views.js';
import type { FlowEvent } from '../src/core/vocabulary.js';

export type * from './booking/views.js';

/** Bump whenever the booking states or its context slice change shape: only booking restarts. */
export const bookingVersion = 2;

/** At most this many intake questions are asked (src/core/booking.ts). */
const MAX_INTAKE = 2;

/**
 * Booking's own state: the views as last shown (with the language they were worded in), and what the
 * customer chose so far. Ids and ISO strings only, so it survives the snapshot's JSON round trip.
 */
export interface BookingSlice {
  language?: Language;
  services?: BookingServiceView[];
  /** The page of the list being shown (services or times). */
  page?: number;
  service?: { id: string; title: string };
  days?: BookingDayView[];
  day?: { date: string; title: string };
  times?: BookingTimeView[];
  /** The chosen time is inside the cancellation cut-off: the summary says it cannot be changed in chat. */
  fixed?: boolean;
  /** Booking was opened by asking for one's own appointments ("mis citas"): they are shown first. */
  mineFirst?: boolean;
  start?: string;
  /** The chosen time in words ("Tue 3 Dec at 10:30"), for the summary. */
  when?: string;
  staff?: BookingStaffView[];
  resource?: { id: string; title: string };
  /** Intake answers by question id, and the number of questions answered. */
  answers?: Record<string, string>;
  alternatives?: BookingTimeView[];
  appointments?: AppointmentItemView[];
  /** *My appointments* as last worded. */
  mineText?: string;
  /** The appointment picked from *My appointments*. */
  appointment?: AppointmentItemView;
  /** Rescheduling: the appointment the new booking replaces. */
  rescheduleOf?: string;
  /** A reminder's button tapped: what it asks for (the appointment's id is only the tap's word for it). */
  reminder?: ReminderAction;
}

declare module './setup.js' {
  interface RootContext {
    booking: BookingSlice;
  }
}

export const bookingInitial = (): BookingSlice => ({});

/**
 * The effects booking invokes (supplied by src/conversation/effects/booking.ts). Inputs and outputs are plain,
 * already-worded views (flows/booking/views.ts): the effects word times on the business's clock in `language`.
 * - `bookingServices`: the active services, in the customer's language.
 * - `bookingDays`: the next days with a free slot for the service (and staff member), at most ten.
 * - `bookingTimes`: the free times of that day (paged here).
 * - `bookingStaff`: who can perform it, when the business lets customers choose; fewer than two: no question.
 * - `bookingBook`: one conditional write; `taken` with the nearest free times when someone was faster.
 * - `myAppointments`: the customer's upcoming appointments.
 * - `cancelAppointment`: cancels one before the cut-off, else `too_late`.
 * - `appointmentOf`: the appointment a reminder's button names, if it is the customer's own and still open.
 * - `bookingStaff` is given the chosen time: only those free then are offered.
 */
export const bookingActors = {
  bookingServices: notProvided<BookingServiceView[], { language: Language }>('bookingServices'),
  bookingDays: notProvided<BookingDayView[], { serviceId: string; resourceId?: string; language: Language }>(
    'bookingDays',
  ),
  bookingTimes: notProvided<
    BookingTimeView[],
    { serviceId: string; date: string; resourceId?: string; language: Language }
  >('bookingTimes'),
  bookingStaff: notProvided<BookingStaffView[], { serviceId: string; start: string; language: Language }>(
    'bookingStaff',
  ),
  bookingBook: notProvided<BookingOutcome, BookingRequest & { language: Language }>('bookingBook'),
  myAppointments: notProvided<MyAppointmentsView, { language: Language }>('myAppointments'),
  cancelAppointment: notProvided<CancelOutcome, { id: string }>('cancelAppointment'),
  appointmentOf: notProvided<AppointmentLookup, { id: string; language: Language; confirming?: boolean }>(
    'appointmentOf',
  ),
};

const booking = base(bookingActors);

type Args = GuardArgs;

/** The service a tap names, among those shown (never a forged or stale id). */
function tappedService({ context, event }: Args): BookingServiceView | undefined {
  const id = tapped(event, IDS.service);
  return id === undefined ? undefined : context.booking.services?.find((service) => service.id === id);
}

/** The service typed text names, matched as the catalogue matches dish names. */
function typedService({ context, event }: Args) {
  if (event.type !== 'user.text') return undefined;
  return matchNames(
    context.booking.services ?? [],
    (service) => [service.title, ...(service.names ?? [])],
    event.text,
  );
}

function tappedDay({ context, event }: Args): BookingDayView | undefined {
  const date = tapped(event, IDS.day);
  return date === undefined ? undefined : context.booking.days?.find((day) => day.date === date);
}

function tappedTime(context: Args['context'], event: Args['event'], among: BookingTimeView[] | undefined) {
  if (event.type === 'user.text') return typedTime(event.text, among ?? []);
  const start = tapped(event, IDS.time);
  return start === undefined ? undefined : among?.find((time) => time.start === start);
}

/** A typed clock time ("11:30", "11.30", "11h30", "9:00 am") naming exactly one of the times listed. */
const CLOCK = /^\s*(\d{1,2})\s*[:.h]\s*(\d{2})\s*(am|pm|a\.m\.|p\.m\.|h)?\s*$/i;
function typedTime(text: string, among: readonly BookingTimeView[]): BookingTimeView | undefined {
  const typed = CLOCK.exec(text);
  if (!typed) return undefined;
  const [, hours = '', minutes = '', half = ''] = typed;
  const meridiem = half.toLowerCase().replace(/\./g, '');
  const wanted = `${Number(hours)}:${minutes}`;
  const found = among.filter((time) => {
    const shown = CLOCK.exec(time.title.replace(/\u202f|\u00a0/g, ' '));
    if (!shown) return false;
    const [, h = '', m = '', p = ''] = shown;
    const shownMeridiem = p.toLowerCase().replace(/\./g, '');
    return (
      `${Number(h)}:${m}` === wanted && (meridiem === '' || meridiem === 'h' || meridiem === shownMeridiem)
    );
  });
  return found.length === 1 ? found[0] : undefined;
}

function tappedStaff({ context, event }: Args): BookingStaffView | undefined {
  const id = tapped(event, IDS.staff);
  return id === undefined ? undefined : context.booking.staff?.find((member) => member.id === id);
}

function tappedAppointment({ context, event }: Args): AppointmentItemView | undefined {
  const id = tapped(event, IDS.appointment);
  return id === undefined ? undefined : context.booking.appointments?.find((item) => item.id === id);
}

/** The next intake question not yet answered, if any. */
function nextQuestion(context: Args['context']) {
  const service = context.booking.services?.find((s) => s.id === context.booking.service?.id);
  const asked = Object.keys(context.booking.answers ?? {}).length;
  return (service?.intake ?? []).slice(0, MAX_INTAKE)[asked];
}

const person = (language: Language) => t(language, 'root:menu.human.row');

/** The button of a reminder an event is a tap on (src/language/intents.ts makes these of `appt.<action>:<id>`). */
function reminderTap(event: FlowEvent): { action: ReminderAction; id: string } | undefined {
  switch (event.type) {
    case 'appointment.confirm':
      return { action: 'confirm', id: event.id };
    case 'appointment.move':
      return { action: 'move', id: event.id };
    case 'appointment.cancel':
      return { action: 'cancel', id: event.id };
    default:
      return undefined;
  }
}

/** The appointment `appointmentOf` found open, if it did. */
function found(event: Args['event']) {
  const lookup = outputOf<AppointmentLookup>(event);
  return lookup.status === 'open' ? lookup.appointment : undefined;
}

/** Booking's named actions and guards, for the root to compose (`base(…).extend(bookingImpl)`). */
export const bookingImpl = {
  actions: {
    /** A new booking (from the menu): nothing kept from an earlier one. */
    bookingStart: booking.assign({
      booking: ({ event }) =>
        event.type === 'user.text' && asksForOwnAppointments(event.text) ? { mineFirst: true } : {},
    }),
    bookingRememberServices: booking.assign({
      booking: ({ context, event }) => ({
        ...context.booking,
        services: outputOf<BookingServiceView[]>(event),
        language: context.language,
        page: 1,
        // Used once, by the transition that took these services.
        mineFirst: undefined,
      }),
    }),
    bookingSayNoServices: booking.assign({
      notice: ({ context }) => t(context.language, 'booking:services.none'),
      booking: () => ({}),
    }),
    bookingSayServicesFailed: booking.assign({
      notice: ({ context }) =>
        t(context.language, 'booking:services.failed', {
          nouns: nounOf(context.language, context.nouns).other,
        }),
      booking: () => ({}),
    }),
    bookingShowServices: booking.enqueueActions(({ context, enqueue }) => {
      enqueue.emit(
        servicesMessage(
          context.language,
          context.nouns,
          context.booking.services ?? [],
          context.booking.page ?? 1,
          context.notice,
        ),
      );
      enqueue.assign({ notice: undefined });
    }),
    bookingNextPage: booking.assign({
      booking: ({ context, event }) => ({
        ...context.booking,
        page: Number(tapped(event, IDS.more)) || 1,
      }),
    }),
    bookingTakeService: booking.assign({
      booking: ({ context, event }) => {
        const args = { context, event };
        const match = typedService(args);
        const service = tappedService(args) ?? (match?.kind === 'one' ? match.value : undefined);
        return {
          ...context.booking,
          service: service ? { id: service.id, title: service.title } : undefined,
          answers: {},
          resource: undefined,
        };
      },
    }),
    /** Typed text that names no service, or several: said with the list again. */
    bookingSayNoMatch: booking.assign({
      notice: ({ context, event }) => {
        const match = typedService({ context, event });
        return match?.kind === 'ambiguous'
          ? t(context.language, 'booking:services.several', {
              names: match.candidates.map((service) => service.title).join(', '),
            })
          : t(context.language, 'booking:services.notFound');
      },
    }),
    bookingSayPickFromList: booking.assign({
      notice: ({ context }) => t(context.language, 'booking:pick.fromList'),
    }),
    bookingSayPickButton: booking.assign({
      notice: ({ context }) => t(context.language, 'booking:pick.buttons'),
    }),
    bookingRememberDays: booking.assign({
      booking: ({ context, event }) => ({ ...context.booking, days: outputOf<BookingDayView[]>(event) }),
    }),
    bookingSayNoDays: booking.assign({
      notice: ({ context }) =>
        t(context.language, 'booking:days.none', { service: context.booking.service?.title ?? '' }),
    }),
    bookingShowDays: booking.enqueueActions(({ context, enqueue }) => {
      enqueue.emit(
        daysMessage(
          context.language,
          context.booking.service?.title ?? '',
          context.booking.days ?? [],
          context.notice,
        ),
      );
      enqueue.assign({ notice: undefined });
    }),
    bookingTakeDay: booking.assign({
      booking: ({ context, event }) => {
        const day = tappedDay({ context, event });
        return { ...context.booking, day: day && { date: day.date, title: day.title } };
      },
    }),
    bookingRememberTimes: booking.assign({
      booking: ({ context, event }) => ({
        ...context.booking,
        times: outputOf<BookingTimeView[]>(event),
        page: 1,
      }),
    }),
    bookingSayDayFull: booking.assign({ notice: ({ context }) => t(context.language, 'booking:times.none') }),
    bookingShowTimes: booking.enqueueActions(({ context, enqueue }) => {
      enqueue.emit(
        timesMessage(
          context.language,
          context.booking.service?.title ?? '',
          context.booking.day?.title ?? '',
          context.booking.times ?? [],
          context.booking.page ?? 1,
          context.notice,
        ),
      );
      enqueue.assign({ notice: undefined });
    }),
    bookingTakeTime: booking.assign({
      booking: ({ context, event }) => {
        const time = tappedTime(context, event, context.booking.times);
        return {
          ...context.booking,
          start: time?.start,
          fixed: time?.fixed === true,
          when: time
            ? t(context.language, 'booking:when', { day: context.booking.day?.title ?? '', time: time.title })
            : undefined,
        };
      },
    }),
    bookingRememberStaff: booking.assign({
      booking: ({ context, event }) => ({ ...context.booking, staff: outputOf<BookingStaffView[]>(event) }),
    }),
    bookingShowStaff: booking.enqueueActions(({ context, enqueue }) => {
      enqueue.emit(staffMessage(context.language, context.booking.staff ?? [], context.notice));
      enqueue.assign({ notice: undefined });
    }),
    bookingTakeStaff: booking.assign({
      booking: ({ context, event }) => {
        const member = tappedStaff({ context, event });
        return { ...context.booking, resource: member && { id: member.id, title: member.title } };
      },
    }),
    bookingAsk: booking.enqueueActions(({ context, enqueue }) => {
      const question = nextQuestion(context);
      if (!question) return;
      enqueue.emit({
        type: 'reply.text',
        text: context.notice ? `${context.notice}\n\n${question.question}` : question.question,
      });
      enqueue.assign({ notice: undefined });
    }),
    /** The answer to the question asked, kept to its limit (bounded: never the whole of a pasted text). */
    bookingTakeAnswer: booking.assign({
      booking: ({ context, event }) => {
        const question = nextQuestion(context);
        if (!question || event.type !== 'user.text') return context.booking;
        return {
          ...context.booking,
          answers: {
            ...context.booking.answers,
            [question.id]: event.text.trim().slice(0, intakeLimit(question)),
          },
        };
      },
    }),
    bookingShowSummary: booking.enqueueActions(({ context, enqueue }) => {
      const { language } = context;
      const values = {
        service: context.booking.service?.title ?? '',
        when: context.booking.when ?? '',
        staff: context.booking.resource?.title ?? '',
      };
      const text = t(
        language,
        context.booking.resource ? 'booking:summary.withStaff' : 'booking:summary.text',
        values,
      );
      enqueue.emit(
        buttons(
          // Inside the cut-off: said before confirming, not discovered when trying to change it.
          context.booking.fixed
            ? `${text}\n\n${t(language, 'booking:summary.fixed', { person: t(language, 'root:menu.human.row') })}`
            : text,
          context.notice,
          [
            { id: IDS.confirm, title: t(language, 'booking:summary.confirm.button') },
            { id: IDS.change, title: t(language, 'booking:summary.change.button') },
            { id: IDS.drop, title: t(language, 'booking:summary.cancel.button') },
          ],
        ),
      );
      enqueue.assign({ notice: undefined });
    }),
    bookingNotBooked: booking.assign({
      // Cancelling a move keeps the appointment it would have replaced: said so, not "nothing was booked".
      notice: ({ context }) =>
        t(
          context.language,
          context.booking.rescheduleOf ? 'booking:cancel.kept' : 'booking:summary.notBooked',
        ),
      booking: () => ({}),
    }),
    /** Booked (or moved): said with the menu; the effect tells the staff and sends the calendar file. */
    bookingBooked: booking.assign({
      notice: ({ context, event }) => {
        const outcome = outputOf<BookingOutcome>(event);
        const values =
          outcome.status === 'booked'
            ? { number: outcome.number, summary: outcome.summary }
            : { number: '', summary: '' };
        return t(context.language, context.booking.rescheduleOf ? 'booking:moved' : 'booking:booked', values);
      },
      booking: () => ({}),
    }),
    bookingRememberAlternatives: booking.assign({
      booking: ({ context, event }) => {
        const outcome = outputOf<BookingOutcome>(event);
        return { ...context.booking, alternatives: outcome.status === 'taken' ? outcome.alternatives : [] };
      },
    }),
    bookingSayTakenNone: booking.assign({
      notice: ({ context }) => t(context.language, 'booking:taken.none'),
    }),
    bookingShowAlternatives: booking.enqueueActions(({ context, enqueue }) => {
      enqueue.emit(alternativesMessage(context.language, context.booking.alternatives ?? [], context.notice));
      enqueue.assign({ notice: undefined });
    }),
    bookingTakeAlternative: booking.assign({
      booking: ({ context, event }) => {
        const time = tappedTime(context, event, context.booking.alternatives);
        return { ...context.booking, start: time?.start, when: time?.title, alternatives: undefined };
      },
    }),
    bookingSayBookFailed: booking.assign({
      notice: ({ context }) => t(context.language, 'booking:book.failed'),
      booking: () => ({}),
    }),
    bookingRememberMine: booking.assign({
      booking: ({ event }) => {
        const mine = outputOf<MyAppointmentsView>(event);
        return { appointments: mine.items, mineText: mine.text };
      },
    }),
    bookingSayMine: booking.assign({
      notice: ({ event }) => outputOf<MyAppointmentsView>(event).text,
      booking: () => ({}),
    }),
    bookingSayMineFailed: booking.assign({
      notice: ({ context }) => t(context.language, 'booking:mine.failed'),
      booking: () => ({}),
    }),
    bookingShowMine: booking.enqueueActions(({ context, enqueue }) => {
      enqueue.emit(
        mineMessage(
          context.language,
          { text: context.booking.mineText ?? '', items: context.booking.appointments ?? [] },
          context.notice,
        ),
      );
      enqueue.assign({ notice: undefined });
    }),
    bookingTakeAppointment: booking.assign({
      booking: ({ context, event }) => ({
        ...context.booking,
        appointment: tappedAppointment({ context, event }),
      }),
    }),
    bookingShowAppointment: booking.enqueueActions(({ context, enqueue }) => {
      const { language } = context;
      const item = context.booking.appointment;
      enqueue.emit(
        buttons(t(language, 'booking:appointment.prompt', { title: item?.title ?? '' }), context.notice, [
          ...(item?.movable ? [{ id: IDS.move, title: t(language, 'booking:appointment.move.button') }] : []),
          ...(item?.cancellable
            ? [{ id: IDS.cancel, title: t(language, 'booking:appointment.cancel.button') }]
            : []),
          { id: IDS.menu, title: t(language, 'booking:appointment.menu.button') },
        ]),
      );
      enqueue.assign({ notice: undefined });
    }),
    bookingSayFixed: booking.assign({
      notice: ({ context }) =>
        t(context.language, 'booking:appointment.fixed', {
          title: context.booking.appointment?.title ?? '',
          person: person(context.language),
        }),
      booking: () => ({}),
    }),
    /** Rescheduling: the same path for the same service; the old appointment stays until the new one is booked. */
    bookingStartMove: booking.assign({
      booking: ({ context }) => {
        const item = context.booking.appointment;
        return item
          ? { service: { id: item.serviceId, title: item.title }, rescheduleOf: item.id, answers: {} }
          : {};
      },
      notice: ({ context }) => t(context.language, 'booking:reschedule.intro'),
    }),
    /** The service's list (for its name and intake questions) when rescheduling. */
    bookingRememberServiceOf: booking.assign({
      booking: ({ context, event }) => {
        const services = outputOf<BookingServiceView[]>(event);
        const service = services.find((s) => s.id === context.booking.service?.id);
        return {
          ...context.booking,
          services,
          language: context.language,
          ...(service ? { service: { id: service.id, title: service.title } } : {}),
        };
      },
    }),
    bookingAskCancel: booking.emit(({ context }) =>
      buttons(
        t(context.language, 'booking:cancel.confirm', { title: context.booking.appointment?.title ?? '' }),
        undefined,
        [
          { id: IDS.cancelYes, title: t(context.language, 'booking:cancel.yes.button') },
          { id: IDS.cancelNo, title: t(context.language, 'booking:cancel.no.button') },
        ],
      ),
    ),
    bookingKept: booking.assign({
      notice: ({ context }) => t(context.language, 'booking:cancel.kept'),
      booking: () => ({}),
    }),
    bookingForget: booking.assign({ booking: () => ({}) }),
    bookingCancelled: booking.assign({
      notice: ({ context, event }) =>
        t(
          context.language,
          outputOf<CancelOutcome>(event).status === 'cancelled'
            ? 'booking:cancel.done'
            : 'booking:cancel.tooLate',
          { title: context.booking.appointment?.title ?? '', person: person(context.language) },
        ),
      booking: () => ({}),
    }),
    bookingSayCancelFailed: booking.assign({
      notice: ({ context }) => t(context.language, 'booking:cancel.failed'),
      booking: () => ({}),
    }),
    /** A reminder's button: what it asks for, kept while its appointment is looked up. */
    bookingTakeReminder: booking.assign({
      booking: ({ event }) => {
        const tap = reminderTap(event);
        return tap ? { reminder: tap.action } : {};
      },
    }),
    /** The reminder's appointment, found open: the one moved or cancelled from here on. */
    bookingTakeReminded: booking.assign({
      booking: ({ context, event }) => {
        const item = found(event);
        return item
          ? {
              ...context.booking,
              appointment: {
                id: item.id,
                title: item.title,
                serviceId: item.serviceId,
                cancellable: item.cancellable,
                movable: item.movable,
              },
            }
          : context.booking;
      },
    }),
    /** "Thank you for confirming. See you on Tue 8 Dec at 10:00.", said with the menu. */
    bookingSayConfirmed: booking.assign({
      notice: ({ context, event }) =>
        t(context.language, 'booking:reminder.confirmed', { when: found(event)?.when ?? '' }),
      booking: () => ({}),
    }),
    /** A reminder's button for an appointment cancelled, over, someone else's, or never booked. */
    bookingSayGone: booking.assign({
      notice: ({ context }) => t(context.language, 'booking:reminder.gone'),
      booking: () => ({}),
    }),
    bookingSayReminderFailed: booking.assign({
      notice: ({ context }) => t(context.language, 'booking:reminder.failed'),
      booking: () => ({}),
    }),
  },
  guards: {
    bookingNoServices: ({ event }: Args) => outputOf<BookingServiceView[]>(event).length === 0,
    bookingMineFirst: ({ context }: Args) => context.booking.mineFirst === true,
    bookingTappedService: (args: Args) => tappedService(args) !== undefined,
    bookingTypedService: (args: Args) => typedService(args)?.kind === 'one',
    bookingTappedMore: ({ event }: Args) => tapped(event, IDS.more) !== undefined,
    bookingTappedMine: ({ event }: Args) => tapped(event, IDS.mine) === '',
    bookingNoDays: ({ event }: Args) => outputOf<BookingDayView[]>(event).length === 0,
    bookingTappedDay: (args: Args) => tappedDay(args) !== undefined,
    bookingNoTimes: ({ event }: Args) => outputOf<BookingTimeView[]>(event).length === 0,
    bookingTappedTime: ({ context, event }: Args) =>
      tappedTime(context, event, context.booking.times) !== undefined,
    bookingStaffChoice: ({ event }: Args) => outputOf<BookingStaffView[]>(event).length > 1,
    bookingTappedStaff: (args: Args) => tappedStaff(args) !== undefined,
    bookingTappedAnyone: ({ event }: Args) => tapped(event, IDS.anyone) === '',
    bookingQuestionLeft: ({ context }: Args) => nextQuestion(context) !== undefined,
    bookingBooked: ({ event }: Args) => outputOf<BookingOutcome>(event).status === 'booked',
    bookingAlternatives: ({ event }: Args) => {
      const outcome = outputOf<BookingOutcome>(event);
      return outcome.status === 'taken' && outcome.alternatives.length > 0;
    },
    bookingTappedAlternative: ({ context, event }: Args) =>
      tappedTime(context, event, context.booking.alternatives) !== undefined,
    bookingNoAppointments: ({ event }: Args) => outputOf<MyAppointmentsView>(event).items.length === 0,
    bookingTappedAppointment: (args: Args) => tappedAppointment(args) !== undefined,
    bookingTappedFixed: (args: Args) => {
      const item = tappedAppointment(args);
      return item !== undefined && !item.cancellable && !item.movable;
    },
    bookingMovable: ({ context, event }: Args) =>
      context.booking.appointment?.movable === true && tapped(event, IDS.move) === '',
    bookingCancellable: ({ context, event }: Args) =>
      context.booking.appointment?.cancellable === true && tapped(event, IDS.cancel) === '',
    bookingReminderGone: ({ event }: Args) => found(event) === undefined,
    bookingReminderConfirm: ({ context }: Args) => context.booking.reminder === 'confirm',
    bookingReminderMove: ({ context, event }: Args) =>
      context.booking.reminder === 'move' && found(event)?.movable === true,
    bookingReminderCancel: ({ context, event }: Args) =>
      context.booking.reminder === 'cancel' && found(event)?.cancellable === true,
  },
};

/**
 * Booking in chat: service → day → time → staff member (when there is a choice) → intake questions →
 * summary (*Confirm* / *Change* / *Cancel*) → booked, or the nearest free times when someone was faster;
 * *My appointments*: move (the same path) or cancel (asked first). Menu commands work from every step
 * (the root's `on`); menu choices typed or tapped are taken wherever a list waits.
 */
const bookingStates = ({ choices }: Menu) => {
  /** What a list step does with anything that is not its answer: a menu choice, else the list again. */
  const otherwise = (again: string, say: 'bookingSayPickFromList' | 'bookingSayPickButton') => ({
    'user.list': [...choices, { target: again, reenter: true, actions: say }],
    'user.button': [...choices, { target: again, reenter: true, actions: say }],
    'user.text': [...choices, { target: again, reenter: true, actions: say }],
    'user.location': { target: again, reenter: true, actions: say },
    'user.media': { target: again, reenter: true, actions: say },
    'user.unsupported': { target: again, reenter: true, actions: say },
  });
  const pickFromList = (again: string) => otherwise(again, 'bookingSayPickFromList');
  return booking.extend(bookingImpl).createStateConfig({
    id: 'booking',
    initial: 'loading',
    entry: 'bookingStart',
    states: {
      loading: {
        invoke: {
          src: 'bookingServices',
          input: ({ context }) => ({ language: context.language }),
          onDone: [
            // "Mis citas": the customer's appointments at once (the services are kept for a reschedule).
            { guard: 'bookingMineFirst', target: 'loadingMine', actions: 'bookingRememberServices' },
            { guard: 'bookingNoServices', target: '#root.menu', actions: 'bookingSayNoServices' },
            { target: 'service', actions: 'bookingRememberServices' },
          ],
          onError: { target: '#root.menu', actions: 'bookingSayServicesFailed' },
        },
      },
      service: {
        tags: 'awaiting-input',
        entry: 'bookingShowServices',
        on: {
          ...pickFromList('service'),
          'user.list': [
            { guard: 'bookingTappedService', target: 'loadingDays', actions: 'bookingTakeService' },
            { guard: 'bookingTappedMore', target: 'service', reenter: true, actions: 'bookingNextPage' },
            { guard: 'bookingTappedMine', target: 'loadingMine' },
            ...choices,
            { target: 'service', reenter: true, actions: 'bookingSayPickFromList' },
          ],
          'user.button': [
            { guard: 'bookingTappedService', target: 'loadingDays', actions: 'bookingTakeService' },
            ...choices,
            { target: 'service', reenter: true, actions: 'bookingSayPickFromList' },
          ],
          // A service's name typed (tolerant of typos, as dish names are); else a menu choice; else the list.
          'user.text': [
            { guard: 'bookingTypedService', target: 'loadingDays', actions: 'bookingTakeService' },
            ...choices,
            { target: 'service', reenter: true, actions: 'bookingSayNoMatch' },
          ],
        },
      },
      loadingDays: {
        invoke: {
          src: 'bookingDays',
          input: ({ context }) => ({
            serviceId: context.booking.service?.id ?? '',
            ...(context.booking.resource ? { resourceId: context.booking.resource.id } : {}),
            language: context.language,
          }),
          onDone: [
            { guard: 'bookingNoDays', target: 'service', actions: 'bookingSayNoDays' },
            { target: 'day', actions: 'bookingRememberDays' },
          ],
          onError: { target: '#root.menu', actions: 'bookingSayBookFailed' },
        },
      },
      day: {
        tags: 'awaiting-input',
        entry: 'bookingShowDays',
        on: {
          ...pickFromList('day'),
          'user.list': [
            { guard: 'bookingTappedDay', target: 'loadingTimes', actions: 'bookingTakeDay' },
            ...choices,
            { target: 'day', reenter: true, actions: 'bookingSayPickFromList' },
          ],
        },
      },
      loadingTimes: {
        invoke: {
          src: 'bookingTimes',
          input: ({ context }) => ({
            serviceId: context.booking.service?.id ?? '',
            date: context.booking.day?.date ?? '',
            ...(context.booking.resource ? { resourceId: context.booking.resource.id } : {}),
            language: context.language,
          }),
          onDone: [
            { guard: 'bookingNoTimes', target: 'loadingDays', actions: 'bookingSayDayFull' },
            { target: 'time', actions: 'bookingRememberTimes' },
          ],
          onError: { target: '#root.menu', actions: 'bookingSayBookFailed' },
        },
      },
      time: {
        tags: 'awaiting-input',
        entry: 'bookingShowTimes',
        on: {
          ...pickFromList('time'),
          'user.list': [
            { guard: 'bookingTappedTime', target: 'loadingStaff', actions: 'bookingTakeTime' },
            { guard: 'bookingTappedMore', target: 'time', reenter: true, actions: 'bookingNextPage' },
            ...choices,
            { target: 'time', reenter: true, actions: 'bookingSayPickFromList' },
          ],
          // "11:30" typed while the list shows 11:30.
          'user.text': [
            { guard: 'bookingTappedTime', target: 'loadingStaff', actions: 'bookingTakeTime' },
            ...choices,
            { target: 'time', reenter: true, actions: 'bookingSayPickFromList' },
          ],
        },
      },
      loadingStaff: {
        invoke: {
          src: 'bookingStaff',
          input: ({ context }) => ({
            serviceId: context.booking.service?.id ?? '',
            start: context.booking.start ?? '',
            language: context.language,
          }),
          onDone: [
            { guard: 'bookingStaffChoice', target: 'staff', actions: 'bookingRememberStaff' },
            { target: 'asking' },
          ],
          // Without the list nobody is chosen: the business takes the first free one.
          onError: { target: 'asking' },
        },
      },
      staff: {
        tags: 'awaiting-input',
        entry: 'bookingShowStaff',
        on: {
          ...pickFromList('staff'),
          'user.list': [
            { guard: 'bookingTappedStaff', target: 'asking', actions: 'bookingTakeStaff' },
            { guard: 'bookingTappedAnyone', target: 'asking' },
            ...choices,
            { target: 'staff', reenter: true, actions: 'bookingSayPickFromList' },
          ],
        },
      },
      /** The service's intake questions, one at a time, then the summary. */
      asking: {
        always: [{ guard: 'bookingQuestionLeft', target: 'intake' }, { target: 'summary' }],
      },
      /** What the customer types here is their answer (data: it never changes the conversation's language). */
      intake: {
        tags: ['awaiting-input', 'data-entry'],
        entry: 'bookingAsk',
        on: {
          'user.text': { target: 'asking', actions: 'bookingTakeAnswer' },
          'user.list': [...choices, { target: 'intake', reenter: true }],
          'user.button': [...choices, { target: 'intake', reenter: true }],
          'user.location': { target: 'intake', reenter: true },
          'user.media': { target: 'intake', reenter: true },
          'user.unsupported': { target: 'intake', reenter: true },
        },
      },
      summary: {
        tags: 'awaiting-input',
        entry: 'bookingShowSummary',
        on: {
          ...otherwise('summary', 'bookingSayPickButton'),
          'user.button': [
            { guard: { type: 'tappedOrSaid', params: IDS.confirm }, target: 'confirming' },
            { guard: { type: 'tappedOrSaid', params: IDS.change }, target: 'loadingDays' },
            {
              guard: { type: 'tappedOrSaid', params: IDS.drop },
              target: '#root.menu',
              actions: 'bookingNotBooked',
            },
            ...choices,
            { target: 'summary', reenter: true, actions: 'bookingSayPickButton' },
          ],
          // A typed yes confirms (as at the order's summary); a typed no books nothing.
          'user.text': [
            { guard: { type: 'tappedOrSaid', params: 'order.confirm' }, target: 'confirming' },
            {
              guard: { type: 'tappedOrSaid', params: IDS.drop },
              target: '#root.menu',
              actions: 'bookingNotBooked',
            },
            ...choices,
            { target: 'summary', reenter: true, actions: 'bookingSayPickButton' },
          ],
        },
      },
      confirming: {
        invoke: {
          src: 'bookingBook',
          input: ({ context }) => ({
            serviceId: context.booking.service?.id ?? '',
            start: context.booking.start ?? '',
            ...(context.booking.resource ? { resourceId: context.booking.resource.id } : {}),
            ...(context.booking.answers && Object.keys(context.booking.answers).length > 0
              ? { intake: context.booking.answers }
              : {}),
            ...(context.booking.rescheduleOf ? { rescheduleOf: context.booking.rescheduleOf } : {}),
            language: context.language,
          }),
          onDone: [
            { guard: 'bookingBooked', target: '#root.menu', actions: 'bookingBooked' },
            { guard: 'bookingAlternatives', target: 'taken', actions: 'bookingRememberAlternatives' },
            { target: 'loadingDays', actions: 'bookingSayTakenNone' },
          ],
          onError: { target: '#root.menu', actions: 'bookingSayBookFailed' },
        },
      },
      /** Someone was faster: the nearest free times; one tapped goes to the summary again. */
      taken: {
        tags: 'awaiting-input',
        entry: 'bookingShowAlternatives',
        on: {
          ...pickFromList('taken'),
          'user.list': [
            { guard: 'bookingTappedAlternative', target: 'summary', actions: 'bookingTakeAlternative' },
            ...choices,
            { target: 'taken', reenter: true, actions: 'bookingSayPickFromList' },
          ],
        },
      },
      loadingMine: {
        invoke: {
          src: 'myAppointments',
          input: ({ context }) => ({ language: context.language }),
          onDone: [
            { guard: 'bookingNoAppointments', target: '#root.menu', actions: 'bookingSayMine' },
            { target: 'mine', actions: 'bookingRememberMine' },
          ],
          onError: { target: '#root.menu', actions: 'bookingSayMineFailed' },
        },
      },
      mine: {
        tags: 'awaiting-input',
        entry: 'bookingShowMine',
        on: {
          ...pickFromList('mine'),
          'user.list': [
            // One that can no longer be moved or cancelled here: said with the menu, a person offered.
            {
              guard: 'bookingTappedFixed',
              target: '#root.menu',
              actions: ['bookingTakeAppointment', 'bookingSayFixed'],
            },
            { guard: 'bookingTappedAppointment', target: 'appointment', actions: 'bookingTakeAppointment' },
            ...choices,
            { target: 'mine', reenter: true, actions: 'bookingSayPickFromList' },
          ],
        },
      },
      appointment: {
        tags: 'awaiting-input',
        entry: 'bookingShowAppointment',
        on: {
          ...otherwise('appointment', 'bookingSayPickButton'),
          'user.button': [
            { guard: 'bookingMovable', target: 'moving', actions: 'bookingStartMove' },
            { guard: 'bookingCancellable', target: 'confirmCancel' },
            ...choices,
            { target: 'appointment', reenter: true, actions: 'bookingSayPickButton' },
          ],
        },
      },
      /** Rescheduling: the services again (for the name and intake questions), then the days. */
      moving: {
        invoke: {
          src: 'bookingServices',
          input: ({ context }) => ({ language: context.language }),
          onDone: { target: 'loadingDays', actions: 'bookingRememberServiceOf' },
          onError: { target: '#root.menu', actions: 'bookingSayServicesFailed' },
        },
      },
      /** "Cancel your appointment Tue 3 Dec, 10:30?": only *Yes, cancel* (or a typed yes) cancels it. */
      confirmCancel: {
        tags: 'awaiting-input',
        entry: 'bookingAskCancel',
        on: {
          'user.button': [
            { guard: { type: 'tappedOrSaid', params: IDS.cancelYes }, target: 'cancelling' },
            {
              guard: { type: 'tappedOrSaid', params: IDS.cancelNo },
              target: '#root.menu',
              actions: 'bookingKept',
            },
            ...choices.map((choice) => ({ ...choice, actions: ['bookingForget', 'understood'] as const })),
            { target: '#root.menu', actions: 'bookingForget' },
          ],
          'user.text': [
            { guard: { type: 'tappedOrSaid', params: IDS.cancelYes }, target: 'cancelling' },
            {
              guard: { type: 'tappedOrSaid', params: IDS.cancelNo },
              target: '#root.menu',
              actions: 'bookingKept',
            },
            ...choices.map((choice) => ({ ...choice, actions: ['bookingForget', 'understood'] as const })),
            { target: '#root.confused', actions: 'bookingForget' },
          ],
          'user.list': [
            ...choices.map((choice) => ({ ...choice, actions: ['bookingForget', 'understood'] as const })),
            { target: '#root.menu', actions: 'bookingForget' },
          ],
          'user.location': { target: '#root.menu', actions: 'bookingForget' },
          'user.media': { target: '#root.menu', actions: 'bookingForget' },
          'user.unsupported': { target: '#root.menu', actions: 'bookingForget' },
        },
      },
      cancelling: {
        invoke: {
          src: 'cancelAppointment',
          input: ({ context }) => ({ id: context.booking.appointment?.id ?? '' }),
          onDone: { target: '#root.menu', actions: 'bookingCancelled' },
          onError: { target: '#root.menu', actions: 'bookingSayCancelFailed' },
        },
      },
      /**
       * A reminder's button, from any step (the concern's `on`): its appointment looked up as the customer's
       * own and still open, then *Confirm* thanks, *Reschedule* takes the path of *My appointments* →
       * *Reschedule*, *Cancel* asks first; past the cut-off, a person is offered; a stale or forged id is said
       * to be no longer open. Each with the menu.
       */
      reminded: {
        entry: 'bookingTakeReminder',
        invoke: {
          src: 'appointmentOf',
          // A *Confirm* tap is noted on the appointment (once) by the lookup that finds it open.
          input: ({ context, event }) => ({
            id: reminderTap(event)?.id ?? '',
            language: context.language,
            ...(reminderTap(event)?.action === 'confirm' ? { confirming: true } : {}),
          }),
          onDone: [
            { guard: 'bookingReminderGone', target: '#root.menu', actions: 'bookingSayGone' },
            { guard: 'bookingReminderConfirm', target: '#root.menu', actions: 'bookingSayConfirmed' },
            {
              guard: 'bookingReminderMove',
              target: 'moving',
              actions: ['bookingTakeReminded', 'bookingStartMove'],
            },
            { guard: 'bookingReminderCancel', target: 'confirmCancel', actions: 'bookingTakeReminded' },
            { target: '#root.menu', actions: ['bookingTakeReminded', 'bookingSayFixed'] },
          ],
          onError: { target: '#root.menu', actions: 'bookingSayReminderFailed' },
        },
      },
    },
  });
};

/** A reminder's buttons, answered from any step (the root's `on`): booking's `reminded` step decides. */
const reminderTaps = {
  'appointment.confirm': { target: '.booking.reminded', actions: 'understood' },
  'appointment.move': { target: '.booking.reminded', actions: 'understood' },
  'appointment.cancel': { target: '.booking.reminded', actions: 'understood' },
} as const;

/** "Book an appointment": shown where the business offers appointments. */
export const bookingConcern = defineConcern({
  id: 'booking',
  version: bookingVersion,
  actors: bookingActors,
  impl: bookingImpl,
  states: bookingStates,
  initial: bookingInitial,
  on: reminderTaps,
  menu: {
    row: { id: 'menu.book', title: 'booking:menu.row', description: 'booking:menu.rowDescription' },
    words: ['book', 'appointment', 'appointments', 'cita', 'citas', 'agendar', 'rendez-vous', 'termin'],
    help: 'booking:menu.help',
    // "Quiero pedir cita", "mis citas", "I'd like to book an appointment": booking.
    asks: 'book',
    // Picked again from inside (mid-booking, or mid-reschedule): a new booking, nothing kept from the last.
    reenter: true,
    offer: 'appointments',
    // A business offering only appointments has it first.
    lead: true,
  },
});
