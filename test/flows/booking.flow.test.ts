import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import type { AnyActorLogic } from 'xstate';
import { rootFlow } from '../../flows/root.flow.js';
import type { RootInput } from '../../flows/root.flow.js';
import type {
  AppointmentLookup,
  BookingOutcome,
  BookingRequest,
  BookingServiceView,
  MyAppointmentsView,
} from '../../flows/booking.flow.js';
import type { FlowEmitted, FlowEvent, OutboundMessage } from '../../src/core/vocabulary.js';
import { t } from '../../src/language/i18n.js';
import { LANGUAGES } from '../../src/language/languages.js';
import type { Language } from '../../src/language/languages.js';
import { validateOutbound } from '../../src/whatsapp/messages.js';
import { toFlowEvent } from '../../src/language/intents.js';
import { pathProblems, reachableIn } from './graph/invariants.js';
import {
  BOOKING_DAY,
  BOOKING_START,
  BOOKING_ALTERNATIVE,
  button,
  input,
  list,
  text,
} from './graph/samples.js';

/** Booking in chat (flows/booking.flow.ts), driven with stub effects in each of the five languages. */

const SERVICES: BookingServiceView[] = [
  {
    id: 'cleaning',
    title: 'Dental cleaning',
    description: '45 min',
    names: ['limpieza dental'],
    intake: [{ id: 'reason', question: 'Q-REASON', maxLength: 10 }],
  },
  { id: 'checkup', title: 'Check-up', description: '30 min' },
];
const DAY = { date: BOOKING_DAY, title: 'D-FRI' };
const TIME = { start: BOOKING_START, title: '09:00' };
const ALTERNATIVE = { start: BOOKING_ALTERNATIVE, title: 'ALT-0930' };
const APPOINTMENT = { id: 'a1', title: 'APPT-A1', serviceId: 'cleaning', cancellable: true, movable: true };
/** The reminder's appointment, the customer's own and open; and the same past the cancellation cut-off. */
const OPEN: AppointmentLookup = { status: 'open', appointment: { ...APPOINTMENT, when: 'WHEN-A1' } };
const FIXED: AppointmentLookup = {
  status: 'open',
  appointment: { ...APPOINTMENT, when: 'WHEN-A1', cancellable: false, movable: false },
};
/** A reminder's button as WhatsApp delivers it (an interactive reply or a template's quick reply). */
const reminderTap = (id: string) => toFlowEvent({ type: 'user.button', id, title: 'Confirm' });

interface Stubs {
  staff?: Array<{ id: string; title: string }>;
  /** What each `bookingBook` call answers, in turn. */
  outcomes?: BookingOutcome[];
  cancel?: 'cancelled' | 'too_late';
  /** What `appointmentOf` answers for a reminder's button. */
  lookup?: AppointmentLookup;
  /** What `bookingTimes` answers (default: one time, 09:00). */
  times?: Array<{ start: string; title: string; fixed?: boolean }>;
}

/** A conversation with stub effects: each step's messages, and every request the effects were given. */
function conversation(language: Language, stubs: Stubs = {}, extra: Partial<RootInput> = {}) {
  const calls: Array<{ actor: string; input: unknown }> = [];
  const outcomes = [...(stubs.outcomes ?? [{ status: 'booked', number: 'A-1', summary: 'S-1' }])];
  const stub = <T>(actor: string, answer: (input: unknown) => T) =>
    fromPromise<T, unknown>(({ input }) => {
      calls.push({ actor, input });
      return Promise.resolve(answer(input));
    });
  const actors: Record<string, AnyActorLogic> = {
    bookingServices: stub('bookingServices', () => SERVICES),
    bookingDays: stub('bookingDays', () => [DAY]),
    bookingTimes: stub('bookingTimes', () => stubs.times ?? [TIME]),
    bookingStaff: stub('bookingStaff', () => stubs.staff ?? []),
    bookingBook: stub('bookingBook', () => outcomes.shift() ?? outcomes[0]),
    myAppointments: stub('myAppointments', (): MyAppointmentsView => ({
      text: 'MINE-TEXT',
      items: [APPOINTMENT],
    })),
    cancelAppointment: stub('cancelAppointment', () => ({ status: stubs.cancel ?? 'cancelled' })),
    appointmentOf: stub('appointmentOf', () => stubs.lookup ?? OPEN),
  };
  const actor = createActor(rootFlow.provide({ actors }), {
    input: { ...input, language, ...extra },
  });
  let said: OutboundMessage[] = [];
  actor.on('*', (emitted: FlowEmitted) => {
    if (emitted.type.startsWith('reply.')) said.push(emitted as OutboundMessage);
  });
  actor.start();
  const send = async (event: FlowEvent) => {
    said = [];
    actor.send(event);
    await waitFor(actor, (s) => s.hasTag('awaiting-input'));
    for (const message of said) validateOutbound(message);
    const last = said.at(-1);
    return { said, last, value: actor.getSnapshot().value, text: last && 'text' in last ? last.text : '' };
  };
  const rows = (message: OutboundMessage | undefined) =>
    message?.type === 'reply.list' ? message.sections.flatMap((s) => s.rows.map((r) => r.id)) : [];
  const buttonIds = (message: OutboundMessage | undefined) =>
    message?.type === 'reply.buttons' ? message.buttons.map((b) => b.id) : [];
  return { send, calls, rows, buttonIds };
}

describe.each(LANGUAGES)('booking in chat (%s)', (language) => {
  const l = language;

  it('when a customer picks a service, a day, a time, a staff member and answers the question, then the summary is confirmed and booked', async () => {
    const { send, calls, rows, buttonIds } = conversation(l, {
      staff: [
        { id: 'ana', title: 'Ana' },
        { id: 'ben', title: 'Ben' },
      ],
    });
    await send(text('hi'));
    const services = await send(list('menu.book'));
    expect(services.value).toEqual({ booking: 'service' });
    expect(services.text).toBe(t(l, 'booking:services.prompt', { nouns: t(l, 'booking:noun.other') }));
    expect(rows(services.last)).toEqual([
      'booking.service:cleaning',
      'booking.service:checkup',
      'booking.mine',
    ]);

    const days = await send(list('booking.service:cleaning'));
    expect(days.text).toBe(t(l, 'booking:days.prompt', { service: 'Dental cleaning' }));
    const times = await send(list(`booking.day:${BOOKING_DAY}`));
    expect(times.text).toBe(t(l, 'booking:times.prompt', { service: 'Dental cleaning', day: 'D-FRI' }));
    const staff = await send(list(`booking.time:${BOOKING_START}`));
    expect(staff.value).toEqual({ booking: 'staff' });
    expect(rows(staff.last)).toEqual(['booking.staff:ana', 'booking.staff:ben', 'booking.staff']);
    const question = await send(list('booking.staff:ana'));
    expect(question.text).toBe('Q-REASON');
    const summary = await send(text('a very long answer indeed'));
    expect(summary.text).toBe(
      t(l, 'booking:summary.withStaff', {
        service: 'Dental cleaning',
        when: t(l, 'booking:when', { day: 'D-FRI', time: '09:00' }),
        staff: 'Ana',
      }),
    );
    expect(buttonIds(summary.last)).toEqual(['booking.confirm', 'booking.change', 'booking.drop']);

    const booked = await send(button('booking.confirm'));
    expect(booked.value).toBe('menu');
    expect(booked.text).toContain(t(l, 'booking:booked', { number: 'A-1', summary: 'S-1' }));
    expect(calls.find((c) => c.actor === 'bookingBook')?.input).toEqual({
      serviceId: 'cleaning',
      start: BOOKING_START,
      resourceId: 'ana',
      // Kept to the question's limit (10 characters).
      intake: { reason: 'a very lon' },
      language: l,
    } satisfies BookingRequest & { language: Language });
  });

  it('when the time is taken meanwhile, then the nearest free times are offered and one of them is booked', async () => {
    const { send, calls, rows } = conversation(l, {
      outcomes: [
        { status: 'taken', alternatives: [ALTERNATIVE] },
        { status: 'booked', number: 'A-2', summary: 'S-2' },
      ],
    });
    await send(list('menu.book'));
    await send(list('booking.service:checkup'));
    await send(list(`booking.day:${BOOKING_DAY}`));
    const summary = await send(list(`booking.time:${BOOKING_START}`));
    expect(summary.value).toEqual({ booking: 'summary' });
    const taken = await send(text(t(l, 'booking:summary.confirm.button')));
    expect(taken.value).toEqual({ booking: 'taken' });
    expect(taken.text).toBe(t(l, 'booking:taken'));
    expect(rows(taken.last)).toEqual([`booking.time:${BOOKING_ALTERNATIVE}`]);
    const again = await send(list(`booking.time:${BOOKING_ALTERNATIVE}`));
    expect(again.text).toBe(t(l, 'booking:summary.text', { service: 'Check-up', when: 'ALT-0930' }));
    const booked = await send(button('booking.confirm'));
    expect(booked.text).toContain(t(l, 'booking:booked', { number: 'A-2', summary: 'S-2' }));
    expect(
      calls.filter((c) => c.actor === 'bookingBook').map((c) => (c.input as BookingRequest).start),
    ).toEqual([BOOKING_START, BOOKING_ALTERNATIVE]);
  });

  it('when the customer taps Change at the summary, then the days are shown again; Cancel books nothing', async () => {
    const { send, calls } = conversation(l);
    await send(list('menu.book'));
    await send(list('booking.service:checkup'));
    await send(list(`booking.day:${BOOKING_DAY}`));
    await send(list(`booking.time:${BOOKING_START}`));
    const changed = await send(button('booking.change'));
    expect(changed.value).toEqual({ booking: 'day' });
    await send(list(`booking.day:${BOOKING_DAY}`));
    await send(list(`booking.time:${BOOKING_START}`));
    const dropped = await send(button('booking.drop'));
    expect(dropped.value).toBe('menu');
    expect(dropped.text).toContain(t(l, 'booking:summary.notBooked'));
    expect(calls.some((c) => c.actor === 'bookingBook')).toBe(false);
  });

  it('when the customer opens My appointments and cancels one, then they are asked first and it is cancelled', async () => {
    const { send, calls, rows, buttonIds } = conversation(l);
    await send(list('menu.book'));
    const mine = await send(list('booking.mine'));
    expect(mine.text).toBe(t(l, 'booking:mine.prompt', { text: 'MINE-TEXT' }));
    expect(rows(mine.last)).toEqual(['booking.appt:a1']);
    const chosen = await send(list('booking.appt:a1'));
    expect(buttonIds(chosen.last)).toEqual(['booking.move', 'booking.cancel', 'cmd.menu']);
    const asked = await send(button('booking.cancel'));
    expect(asked.text).toBe(t(l, 'booking:cancel.confirm', { title: 'APPT-A1' }));
    expect(calls.some((c) => c.actor === 'cancelAppointment')).toBe(false);
    const done = await send(button('booking.cancel.yes'));
    expect(done.text).toContain(t(l, 'booking:cancel.done', { title: 'APPT-A1' }));
    expect(calls.find((c) => c.actor === 'cancelAppointment')?.input).toEqual({ id: 'a1' });
  });

  it('when the customer reschedules, then the same path runs and the booking names the appointment it replaces', async () => {
    const { send, calls } = conversation(l, {
      outcomes: [{ status: 'booked', number: 'A-3', summary: 'S-3' }],
    });
    await send(list('menu.book'));
    await send(list('booking.mine'));
    await send(list('booking.appt:a1'));
    const days = await send(button('booking.move'));
    expect(days.value).toEqual({ booking: 'day' });
    expect(days.text).toContain(t(l, 'booking:reschedule.intro'));
    expect(days.text).toContain(t(l, 'booking:days.prompt', { service: 'Dental cleaning' }));
    await send(list(`booking.day:${BOOKING_DAY}`));
    await send(list(`booking.time:${BOOKING_START}`));
    await send(text('ok'));
    const moved = await send(button('booking.confirm'));
    expect(moved.text).toContain(t(l, 'booking:moved', { number: 'A-3', summary: 'S-3' }));
    expect(calls.find((c) => c.actor === 'bookingBook')?.input).toMatchObject({
      serviceId: 'cleaning',
      rescheduleOf: 'a1',
    });
    // The old appointment is released by the booking itself, never cancelled on its own.
    expect(calls.some((c) => c.actor === 'cancelAppointment')).toBe(false);
  });

  it('when the customer types a service name with a typo, then it is picked as a catalogue name would be', async () => {
    const { send } = conversation(l);
    await send(list('menu.book'));
    const days = await send(text('dental claening'));
    expect(days.value).toEqual({ booking: 'day' });
    const none = conversation(l);
    await none.send(list('menu.book'));
    const again = await none.send(text('xylophone repair'));
    expect(again.value).toEqual({ booking: 'service' });
    expect(again.text).toContain(t(l, 'booking:services.notFound'));
  });

  it('when the customer asks for the menu in the middle of booking, then the menu is shown and nothing is booked', async () => {
    const { send, calls } = conversation(l);
    await send(list('menu.book'));
    await send(list('booking.service:checkup'));
    const menu = await send({ type: 'command.menu' });
    expect(menu.value).toBe('menu');
    const tracking = conversation(l);
    await tracking.send(list('menu.book'));
    await tracking.send(list('booking.service:checkup'));
    await tracking.send(list(`booking.day:${BOOKING_DAY}`));
    const cancelled = await tracking.send({ type: 'command.cancel' });
    expect(cancelled.value).toBe('menu');
    expect(calls.some((c) => c.actor === 'bookingBook')).toBe(false);
  });
});

describe('booking started again', () => {
  it('when the customer picks Book an appointment while rescheduling, then the new booking moves nothing', async () => {
    const { send, calls } = conversation('en');
    await send(list('menu.book'));
    await send(list('booking.mine'));
    await send(list('booking.appt:a1'));
    await send(button('booking.move'));
    const again = await send(list('menu.book'));
    expect(again.value).toEqual({ booking: 'service' });
    await send(list('booking.service:checkup'));
    await send(list(`booking.day:${BOOKING_DAY}`));
    await send(list(`booking.time:${BOOKING_START}`));
    await send(button('booking.confirm'));
    const request = calls.find((c) => c.actor === 'bookingBook')?.input as BookingRequest;
    expect(request.serviceId).toBe('checkup');
    expect(request.rescheduleOf).toBeUndefined();
  });
});

describe('what the business offers', () => {
  const menuRows = async (extra: Partial<RootInput>) => {
    const { send, rows } = conversation('en', {}, extra);
    return { rows: rows((await send(text('hi'))).last), send };
  };

  it('when a business offers ordering only, then the menu has no booking row and booking words do not pick it', async () => {
    const { rows, send } = await menuRows({ offers: ['ordering'] });
    expect(rows).toEqual(['menu.order', 'menu.track', 'menu.privacy', 'menu.human', 'menu.language']);
    expect((await send(list('menu.book'))).value).not.toEqual({ booking: 'service' });
  });

  it('when a business offers appointments only, then booking comes first, ordering and tracking are hidden, and the rows are numbered as shown', async () => {
    const { rows, send } = await menuRows({ offers: ['appointments'] });
    expect(rows).toEqual(['menu.book', 'menu.privacy', 'menu.human', 'menu.language']);
    const shown = conversation('en', {}, { offers: ['appointments'] });
    const menu = await shown.send(text('hi'));
    expect(menu.text).toContain(`1. ${t('en', 'booking:menu.row')}`);
    expect(menu.text).toContain(`3. ${t('en', 'root:menu.human.row')}`);
    expect((await send(text('1'))).value).toEqual({ booking: 'service' });
    expect((await shown.send(text('2'))).value).toEqual({ privacy: 'menu' });
  });

  it('when a business offers both, then ordering comes first and booking second, a person still at 4', async () => {
    const { rows, send } = await menuRows({ offers: ['ordering', 'appointments'] });
    expect(rows).toEqual([
      'menu.order',
      'menu.book',
      'menu.track',
      'menu.human',
      'menu.privacy',
      'menu.language',
    ]);
    expect((await send(text('2'))).value).toEqual({ booking: 'service' });
  });

  it('when the business has its own word, then the booking texts use it', async () => {
    const { send } = conversation(
      'es',
      {},
      { nouns: { service: { es: { one: 'tratamiento', other: 'tratamientos' } } } },
    );
    const services = await send(list('menu.book'));
    expect(services.text).toBe(t('es', 'booking:services.prompt', { nouns: 'tratamientos' }));
  });
});

describe('booking flow paths', () => {
  it('when every booking state is reached by its shortest path, then each step keeps the invariants', () => {
    expect(pathProblems(['booking'])).toEqual([]);
  });

  it('when the graph is explored, then every booking step is reachable', () => {
    const steps = new Set(reachableIn(['booking']).map((state) => state.split(' ')[0]));
    expect([...steps].sort()).toEqual(
      [
        'appointment',
        'cancelling',
        'confirmCancel',
        'confirming',
        'day',
        'intake',
        'loading',
        'loadingDays',
        'loadingMine',
        'loadingStaff',
        'loadingTimes',
        'mine',
        'moving',
        'reminded',
        'service',
        'staff',
        'summary',
        'taken',
        'time',
      ].map((step) => `{"booking":"${step}"}`),
    );
  });
});

describe.each(['en', 'es', 'de'] as const)('a reminder’s buttons (%s)', (l) => {
  it('when the customer taps Confirm in the middle of booking, then they are thanked with the time and see the menu', async () => {
    const { send, calls } = conversation(l);
    await send(list('menu.book'));
    await send(list('booking.service:checkup'));
    const thanked = await send(reminderTap('appt.confirm:a1'));
    expect(thanked.value).toBe('menu');
    expect(thanked.text).toContain(t(l, 'booking:reminder.confirmed', { when: 'WHEN-A1' }));
    expect(thanked.text).toContain(t(l, 'root:menu.intro'));
    expect(calls.find((c) => c.actor === 'appointmentOf')?.input).toEqual({
      id: 'a1',
      language: l,
      confirming: true,
    });
    expect(calls.some((c) => c.actor === 'bookingBook' || c.actor === 'cancelAppointment')).toBe(false);
  });

  it('when the customer taps Reschedule (in a new conversation), then the reschedule path runs for that appointment', async () => {
    const { send, calls } = conversation(l, {
      outcomes: [{ status: 'booked', number: 'A-4', summary: 'S-4' }],
    });
    const days = await send(reminderTap('appt.move:a1'));
    expect(days.value).toEqual({ booking: 'day' });
    expect(days.text).toContain(t(l, 'booking:reschedule.intro'));
    expect(days.text).toContain(t(l, 'booking:days.prompt', { service: 'Dental cleaning' }));
    // No greeting first: the tap is answered as it is.
    expect(days.said.map((m) => ('text' in m ? m.text : '')).join('\n')).not.toContain(
      t(l, 'root:greeting', { business: input.businessName }),
    );
    await send(list(`booking.day:${BOOKING_DAY}`));
    await send(list(`booking.time:${BOOKING_START}`));
    await send(text('ok'));
    const moved = await send(button('booking.confirm'));
    expect(moved.text).toContain(t(l, 'booking:moved', { number: 'A-4', summary: 'S-4' }));
    expect(calls.find((c) => c.actor === 'bookingBook')?.input).toMatchObject({
      serviceId: 'cleaning',
      rescheduleOf: 'a1',
    });
  });

  it('when the customer taps Cancel from the menu, then they are asked first, and Yes cancels that appointment', async () => {
    const { send, calls, buttonIds } = conversation(l);
    await send(text('hi'));
    const asked = await send(reminderTap('appt.cancel:a1'));
    expect(asked.value).toEqual({ booking: 'confirmCancel' });
    expect(asked.text).toBe(t(l, 'booking:cancel.confirm', { title: 'APPT-A1' }));
    expect(buttonIds(asked.last)).toEqual(['booking.cancel.yes', 'booking.cancel.no']);
    expect(calls.some((c) => c.actor === 'cancelAppointment')).toBe(false);
    const done = await send(button('booking.cancel.yes'));
    expect(done.text).toContain(t(l, 'booking:cancel.done', { title: 'APPT-A1' }));
    expect(calls.find((c) => c.actor === 'cancelAppointment')?.input).toEqual({ id: 'a1' });
  });

  it('when the tap names an appointment that is gone, forged or someone else’s, then it is said to be no longer open', async () => {
    const { send, calls } = conversation(l, { lookup: { status: 'gone' } });
    await send(text('hi'));
    for (const id of ['appt.cancel:forged', 'appt.move:a1', 'appt.confirm:someone-elses']) {
      const gone = await send(reminderTap(id));
      expect(gone.value).toBe('menu');
      expect(gone.text).toContain(t(l, 'booking:reminder.gone'));
      expect(gone.text).not.toContain(t(l, 'booking:reminder.confirmed', { when: '' }).slice(0, 10));
    }
    expect(
      calls.filter((c) => c.actor === 'appointmentOf').map((c) => (c.input as { id: string }).id),
    ).toEqual(['forged', 'a1', 'someone-elses']);
    expect(calls.some((c) => c.actor === 'cancelAppointment' || c.actor === 'bookingBook')).toBe(false);
  });

  it('when the appointment is past its cut-off, then Cancel and Reschedule say it can no longer be changed here and offer a person', async () => {
    const { send, calls, rows } = conversation(l, { lookup: FIXED });
    for (const id of ['appt.cancel:a1', 'appt.move:a1']) {
      const fixed = await send(reminderTap(id));
      expect(fixed.value).toBe('menu');
      expect(fixed.text).toContain(
        t(l, 'booking:appointment.fixed', { title: 'APPT-A1', person: t(l, 'root:menu.human.row') }),
      );
      expect(rows(fixed.last)).toContain('menu.human');
    }
    // Confirming is still welcome.
    const thanked = await send(reminderTap('appt.confirm:a1'));
    expect(thanked.text).toContain(t(l, 'booking:reminder.confirmed', { when: 'WHEN-A1' }));
    expect(calls.some((c) => c.actor === 'cancelAppointment' || c.actor === 'bookingBook')).toBe(false);
  });
});

describe('a reminder’s button at the edge', () => {
  const tap = (id: string) => ({ type: 'user.button' as const, id, title: 'Cancel' });
  it('when a tap carries a reminder id, then it becomes the appointment event; a malformed id stays a plain tap', () => {
    expect(toFlowEvent(tap('appt.confirm:6751f0c2a1b2c3d4e5f60718'))).toEqual({
      type: 'appointment.confirm',
      id: '6751f0c2a1b2c3d4e5f60718',
    });
    expect(toFlowEvent(tap('appt.move:a1'))).toEqual({ type: 'appointment.move', id: 'a1' });
    expect(toFlowEvent(tap('appt.cancel:a1'))).toEqual({ type: 'appointment.cancel', id: 'a1' });
    expect(toFlowEvent(tap('appt.cancel:'))).toMatchObject({ type: 'user.button' });
    expect(toFlowEvent(tap('appt.cancel:a b{}'))).toMatchObject({ type: 'user.button' });
    // Typed, it is only text.
    expect(toFlowEvent({ type: 'user.text', text: 'appt.cancel:a1' })).toMatchObject({ type: 'user.text' });
  });

  it('when a staff choice is asked, then the effect is given the chosen time, so only those free then are offered', async () => {
    const { send, calls } = conversation('en');
    await send(list('menu.book'));
    await send(list('booking.service:checkup'));
    await send(list(`booking.day:${BOOKING_DAY}`));
    await send(list(`booking.time:${BOOKING_START}`));
    expect(calls.find((c) => c.actor === 'bookingStaff')?.input).toEqual({
      serviceId: 'checkup',
      start: BOOKING_START,
      language: 'en',
    });
  });
});

describe.each(['en', 'es'] as const)('booking in chat, typed and late (%s)', (l) => {
  it('when the customer types a listed time, then it is taken as if tapped; an unlisted one gets the list again', async () => {
    const { send, calls } = conversation(l);
    await send(text('hi'));
    await send(list('menu.book'));
    await send(list('booking.service:checkup'));
    await send(list(`booking.day:${BOOKING_DAY}`));
    const wrong = await send(text('10:30'));
    expect(wrong.value).toEqual({ booking: 'time' });
    const summary = await send(text('9.00'));
    expect(summary.value).toEqual({ booking: 'summary' });
    expect(calls.filter((c) => c.actor === 'bookingStaff').at(-1)?.input).toMatchObject({
      start: BOOKING_START,
    });
  });

  it('when the time is inside the cancellation cut-off, then the summary says it cannot be changed in chat', async () => {
    const { send } = conversation(l, { times: [{ ...TIME, fixed: true }] });
    await send(text('hi'));
    await send(list('menu.book'));
    await send(list('booking.service:checkup'));
    await send(list(`booking.day:${BOOKING_DAY}`));
    const summary = await send(list(`booking.time:${BOOKING_START}`));
    expect(summary.text).toContain(t(l, 'booking:summary.fixed', { person: t(l, 'root:menu.human.row') }));
  });

  it('when a move is cancelled at its summary, then the customer hears the appointment stays, not that nothing was booked', async () => {
    const { send } = conversation(l);
    await send(text('hi'));
    await send(list('menu.book'));
    await send(list('booking.mine'));
    await send(list('booking.appt:a1'));
    await send(button('booking.move'));
    await send(list(`booking.day:${BOOKING_DAY}`));
    await send(list(`booking.time:${BOOKING_START}`));
    const summary = await send(text('because'));
    expect(summary.value).toEqual({ booking: 'summary' });
    const dropped = await send(button('booking.drop'));
    expect(dropped.value).toBe('menu');
    expect(dropped.text).toContain(t(l, 'booking:cancel.kept'));
    expect(dropped.text).not.toContain(t(l, 'booking:summary.notBooked'));
  });

  it('when a row of an earlier list is tapped at the menu, then the customer hears that option has passed, with the menu', async () => {
    const { send } = conversation(l);
    await send(text('hi'));
    const stale = await send(list(`booking.day:${BOOKING_DAY}`));
    expect(stale.value).toBe('menu');
    expect(stale.text).toContain(t(l, 'root:staleTap'));
    expect(stale.text).not.toContain(t(l, 'root:notUnderstood'));
  });

  it('when the customer asks for their appointments at the menu, then they are listed at once', async () => {
    const { send, rows } = conversation(l);
    await send(text('hi'));
    const mine = await send(text(l === 'es' ? 'mis citas' : 'my appointments'));
    expect(mine.value).toEqual({ booking: 'mine' });
    expect(rows(mine.last)).toEqual(['booking.appt:a1']);
    const booking = await send(text(l === 'es' ? 'quiero pedir cita' : 'book an appointment'));
    expect(booking.value).toEqual({ booking: 'service' });
  });
});
