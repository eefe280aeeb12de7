/**
 * Booking in chat end to end through the real webhook, engine, slot engine, store and loopback Graph API: a
 * Spanish customer books a service, hears "¡Cita reservada!", the staff number is told, and the calendar file
 * arrives after the reply; then the customer sees it under "mis citas" and cancels it, and its time is free
 * again for the next customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { chatWith, choiceIds, only } from '../helpers/chat.js';
import type { Chat } from '../helpers/chat.js';
import { waitUntil } from '../helpers/engine.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { sendsFor } from '../helpers/webhook.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot('booking-chat', { bot: { sweepIntervalMs: 100 } });
});
afterAll(async () => {
  await t.close();
});

const { say, sayAll, tapButton, tapRow } = chatWith(() => t);
const allDay = [{ start: '00:00', end: '24:00' }];
const staffNumber = newWaId();

async function clinic(): Promise<string> {
  const pnid = newPhoneNumberId();
  const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
    name: 'Clínica Prueba',
    currency: 'EUR',
    locale: 'es-ES',
    timeZone: 'Europe/Madrid',
    adminNumbers: [staffNumber],
    offering: { offers: ['appointments'] },
    booking: {
      // Open around the clock, one chair: whenever the test runs there are free times, and one booking
      // takes a time away from everyone.
      earliestMinutes: 0,
      services: [
        { id: 'limpieza', name: 'Limpieza dental', durationMinutes: 30, price: 40, resourceIds: ['ana'] },
      ],
      resources: [
        {
          id: 'ana',
          name: 'Dra. Ana Ruiz',
          week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
        },
      ],
    },
  });
  expect(res.status).toBe(201);
  return pnid;
}

const prefixed = (ids: string[], prefix: string) => ids.filter((id) => id.startsWith(prefix));

describe('booking in chat', () => {
  it('when a Spanish customer books, then the reply, the staff alert is stored and the calendar file arrives after the reply, and a cancel frees the time', async () => {
    const pnid = await clinic();
    const chat: Chat = { pnid, waId: newWaId(), seen: 0 };

    const [welcome] = await say(chat, 'hola');
    expect(welcome).toMatch(/Pedir cita/);
    const services = only(await tapRow(chat, 'menu.book'));
    expect(services.text).toMatch(/reservar/);
    expect(services.ids).toContain('booking.service:limpieza');

    const days = only(await tapRow(chat, 'booking.service:limpieza'));
    // A later day than today: its times cannot pass while the test runs.
    const firstDay = prefixed(days.ids, 'booking.day:').at(-1);
    expect(firstDay).toBeDefined();
    const times = only(await tapRow(chat, firstDay as string));
    const firstTime = prefixed(times.ids, 'booking.time:')[0] as string;
    expect(firstTime).toBeDefined();
    const summary = only(await tapRow(chat, firstTime));
    expect(summary.text).toMatch(/Limpieza dental/);
    expect(summary.ids).toEqual(['booking.confirm', 'booking.change', 'booking.drop']);

    const booked = only(await tapButton(chat, 'booking.confirm'));
    expect(booked.text).toMatch(/¡Cita reservada! Tu cita \*A-\d+\*/);
    const stored = await t.bot.models.Appointment.findOne({ phoneNumberId: pnid }).lean().exec();
    expect(stored?.status).toBe('booked');
    expect(stored?.start.toISOString()).toBe(firstTime.slice('booking.time:'.length));

    // The staff number hears of it; the calendar file follows the reply (sent by the dispatcher after it).
    const sends = () => sendsFor(t, pnid);
    await waitUntil(
      () => sends().some((r) => (r.json as { type?: string }).type === 'document'),
      'the calendar file to be sent',
    );
    const toCustomer = sends().filter((r) => (r.json as { to?: string }).to === `+${chat.waId}`);
    const replyAt = toCustomer.findIndex((r) => JSON.stringify(r.json).includes('Cita reservada'));
    const fileAt = toCustomer.findIndex((r) => (r.json as { type?: string }).type === 'document');
    expect(replyAt).toBeGreaterThanOrEqual(0);
    expect(fileAt).toBeGreaterThan(replyAt);
    // The staff number never wrote: its alert is stored for it, to go by the booking alert's template.
    const alert = await t.bot.models.Outbox.findOne({ phoneNumberId: pnid, audience: 'staff' }).lean().exec();
    expect(alert?.inboundWamid).toBe(`appointment:${String(stored?._id)}:booked:staff`);
    chat.seen = toCustomer.length;

    // "mis citas" lists it; cancelling asks first, then frees the time for the next customer.
    const mine = only(await sayAll(chat, 'mis citas'));
    expect(mine.text).toMatch(/A-\d+/);
    const appointmentRow = prefixed(mine.ids, 'booking.appt:')[0] as string;
    const actions = only(await tapRow(chat, appointmentRow));
    expect(actions.ids).toContain('booking.cancel');
    const ask = only(await tapButton(chat, 'booking.cancel'));
    expect(ask.ids).toEqual(['booking.cancel.yes', 'booking.cancel.no']);
    const done = only(await tapButton(chat, 'booking.cancel.yes'));
    expect(done.text).toMatch(/anulada/);
    expect((await t.bot.models.Appointment.findById(stored?._id).lean().exec())?.status).toBe('cancelled');
    // The calendar has the event: a file cancelling it (same UID) follows the reply.
    const documents = () =>
      sends().filter((r) => {
        const json = r.json as { to?: string; type?: string };
        return json.to === `+${chat.waId}` && json.type === 'document';
      });
    await waitUntil(() => documents().length === 2, 'the cancelling calendar file to be sent');
    const afterCancel = sends().filter((r) => (r.json as { to?: string }).to === `+${chat.waId}`);
    const cancelReplyAt = afterCancel.findIndex((r) => JSON.stringify(r.json).includes('anulada'));
    expect(afterCancel.indexOf(documents()[1]!)).toBeGreaterThan(cancelReplyAt);
    const files = t.graph.requests
      .filter((r) => r.path.endsWith(`/${pnid}/media`))
      .map((r) => r.files.file?.data.toString('utf8') ?? '');
    expect(files.at(-1)).toContain('METHOD:CANCEL\r\n');
    expect(files.at(-1)).toContain(`UID:${String(stored?._id)}@polus-bot\r\n`);

    const next: Chat = { pnid, waId: newWaId(), seen: 0 };
    await say(next, 'hola');
    await tapRow(next, 'menu.book');
    await tapRow(next, 'booking.service:limpieza');
    const again = choiceIds((await tapRow(next, firstDay as string))[0]);
    expect(again).toContain(firstTime);
  });
});
