import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Request, Response, Router } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { AppointmentDesk, CustomerLabel, DeskBusiness } from '../../appointments/desk.js';
import { StaffBookingError } from '../../appointments/desk.js';
import type { AppointmentStore } from '../../appointments/store.js';
import type { BusinessData } from '../../businesses/schema.js';
import type { AppointmentStatus, AppointmentView, Resource } from '../../core/booking.js';
import { formatMoney } from '../../core/money.js';
import type { PortalSession } from '../../db/models/portal-session.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { csrfField, formText, readForm, textOf } from '../forms.js';
import { nav, problemBlock, sendPage } from '../layout.js';
import { businessZone, zoneNote } from '../order-parts.js';

const STATUS_LABEL: Record<AppointmentStatus, string> = {
  booked: 'Booked',
  cancelled: 'Cancelled',
  completed: 'Completed',
  no_show: 'No-show',
};

const BY_LABEL = {
  customer: 'the customer',
  staff: 'staff',
  erasure: 'an erasure',
  system: 'the bot',
} as const;

/** The page's own confirmations after a redirect (`?done=`): only these texts. */
const DONE: Record<string, string> = {
  booked: 'Appointment booked.',
  moved: 'Appointment moved; the old time is free again.',
  cancelled: 'Appointment cancelled.',
  no_show: 'Marked as a no-show.',
  completed: 'Marked as completed.',
};

const CAL_STYLE =
  '<style>.cal{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem;margin:1rem 0}' +
  '.cal.week{grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.5rem}.cal section{border:1px solid #ddd;border-radius:6px;padding:.5rem;min-width:0}.cal h2{font-size:1.1rem;margin:.25rem 0 .5rem}' +
  '.cal ol{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}.appt{border-left:4px solid #2b6cb0;background:#f4f8fc;padding:.4rem .6rem;border-radius:4px;overflow-wrap:anywhere}' +
  '.appt a{font-weight:600}.appt.cancelled{border-color:#999;background:#f5f5f5;opacity:.8}.appt.no_show{border-color:#c53030}.appt.completed{border-color:#2f855a}' +
  '.badge.cancelled{background:#5e5e5e}.badge.completed{background:#26734d}.badge.no_show{background:#a51d2d}.daybar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}' +
  '.daybar form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}.slots{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0}' +
  '.facts{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}.facts dd{margin:0;overflow-wrap:anywhere}</style>';

const dateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const bookForm = z.object({
  service: formText,
  date: formText,
  start: formText,
  resource: formText,
  phone: formText,
  name: formText,
  key: formText,
  /** What the free times on the page were listed for (`listingOf`): a time is booked only for that. */
  listed: formText,
  /** "Show free times" in the same form: lists the chosen service's times, books nothing. */
  show: formText,
});
const bookChecked = z.object({
  service: z.string().min(1, 'Choose a service.'),
  date: dateText.or(z.literal('')),
  start: z.string().min(1, 'Choose a free time.'),
  resource: z.string(),
  phone: z
    .string()
    .trim()
    .min(1, 'Enter the customer’s WhatsApp number.')
    .max(40, 'That number is too long.'),
  name: z.string().trim().max(80, 'Keep the name under 80 characters.'),
  key: z.string().regex(/^[0-9a-f-]{36}$/, 'The form expired: please try again.'),
});
const actionForm = z.object({
  confirm: formText,
  start: formText,
  resource: formText,
  key: formText,
  date: formText,
  listed: formText,
  show: formText,
});

/** What a page's free times were listed for: a posted time counts only for the same service, day and resource. */
const listingOf = (service: string, date: string, resource: string): string =>
  `${service}|${date}|${resource}`;

/**
 * The appointment calendar: a day per resource (default today on the business's clock) or a week of one
 * resource; an appointment's own page with its customer and intake answers (each view recorded in the
 * access log) and the staff's actions (cancel, move, no-show, completed); and booking on a customer's behalf.
 */

/** Free times as radio buttons on the business's clock, `chosen` checked; ids and test ids start with `prefix`. */
function timeChoices(
  slots: ReadonlyArray<{ start: string }>,
  zone: string,
  chosen: string,
  prefix: string,
): string {
  return slots
    .map((slot, i) => {
      const time = DateTime.fromISO(slot.start, { zone }).toFormat('HH:mm');
      const checked = slot.start === chosen ? ' checked' : '';
      return `<li><input type="radio" id="${prefix}-${i}" name="start" value="${esc(slot.start)}"${checked} required> <label for="${prefix}-${i}" class="inline" data-testid="${prefix}-${esc(time)}">${esc(time)}</label></li>`;
    })
    .join('');
}
export function calendarPages(portal: Portal): Router {
  const router = express.Router();
  const { deps } = portal;

  function tools(): { store: AppointmentStore; desk: AppointmentDesk } {
    if (!deps.appointments || !deps.appointmentDesk)
      throw new PortalError(404, 'Appointments are not set up on this server.');
    return { store: deps.appointments, desk: deps.appointmentDesk };
  }

  // Only appointment numbers ("A-1042") are this router's: other paths under /appointments (the setup page)
  // pass on to the router that answers them.
  router.param('number', (_req, _res, next, value: string) => {
    if (/^A-\d{1,15}$/i.test(value)) next();
    else next('route');
  });

  const base = (business: BusinessData): string => `/portal/b/${esc(business.phoneNumberId)}/appointments`;
  const deskBusiness = (business: BusinessData): DeskBusiness => ({
    phoneNumberId: business.phoneNumberId,
    booking: business.booking,
    timeZone: businessZone(business),
    currency: business.currency,
  });
  const resourcesOf = (business: BusinessData): Resource[] => business.booking?.resources ?? [];

  function dayOf(req: Request, zone: string): DateTime {
    const wanted = textOf(req.query.date);
    const parsed = dateText.safeParse(wanted).success ? DateTime.fromISO(wanted, { zone }) : undefined;
    return (parsed?.isValid ? parsed : DateTime.fromMillis(portal.now(), { zone })).startOf('day');
  }

  function card(
    a: AppointmentView,
    label: CustomerLabel | undefined,
    zone: string,
    href: string,
    withDay = false,
  ): string {
    const start = DateTime.fromJSDate(a.start, { zone });
    const end = DateTime.fromJSDate(a.end, { zone });
    const who = label
      ? label.name
        ? `${esc(label.name)} <small>(${esc(label.masked)})</small>`
        : esc(label.masked)
      : '';
    return (
      `<li class="appt ${a.status}" data-testid="appt-${esc(a.number)}">` +
      `<a href="${href}/${esc(a.number)}">${withDay ? `${esc(start.toFormat('ccc d LLL'))} ` : ''}` +
      `${esc(start.toFormat('HH:mm'))}–${esc(end.toFormat('HH:mm'))}</a> ` +
      `<span class="badge ${a.status}" data-testid="appt-${esc(a.number)}-status">${STATUS_LABEL[a.status]}</span>` +
      (a.status === 'booked' && a.confirmedAt
        ? ` <span class="badge completed" data-testid="appt-${esc(a.number)}-confirmed">Confirmed</span>`
        : '') +
      '<br>' +
      `${esc(a.serviceName)}${who ? `<br>${who}` : ''}</li>`
    );
  }

  async function labelsFor(session: PortalSession, business: BusinessData, list: AppointmentView[]) {
    const { desk } = tools();
    // The calendar shows customers' names and masked numbers: the view is recorded first, when there is any.
    if (list.length > 0)
      await deps.desk.record(business.phoneNumberId, session.actor, 'appointment.list', 'calendar');
    return desk.labels(business.phoneNumberId, list);
  }

  router.get('/portal/b/:pnid/appointments', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const { store } = tools();
    const zone = businessZone(business);
    const day = dayOf(req, zone);
    const href = base(business);
    const week = textOf(req.query.view) === 'week';
    const resources = resourcesOf(business);
    const chosen = resources.find((r) => r.id === textOf(req.query.resource)) ?? resources[0];
    const from = week ? day.startOf('week') : day;
    const to = week ? from.plus({ weeks: 1 }) : day.plus({ days: 1 });
    const list = await store.forRange(
      business.phoneNumberId,
      from.toJSDate(),
      to.toJSDate(),
      week ? chosen?.id : undefined,
    );
    const labels = await labelsFor(session, business, list);
    const link = (d: DateTime, v = week ? 'week' : 'day'): string => {
      const params = new URLSearchParams({ date: d.toISODate() ?? '' });
      if (v === 'week') {
        params.set('view', 'week');
        if (chosen) params.set('resource', chosen.id);
      }
      return esc(`${href}?${params.toString()}`);
    };
    const step = week ? { weeks: 1 } : { days: 1 };
    // A holiday of the whole business (an exception with no hours): said on its day; its bookings stay.
    const closed = (d: DateTime): string => {
      const holiday = business.booking?.exceptions?.find(
        (e) => e.date === d.toISODate() && e.intervals.length === 0,
      );
      return holiday
        ? `<p class="warn" data-testid="closed-${d.toISODate() ?? ''}">Closed (holiday)${holiday.note ? `: ${esc(holiday.note)}` : ''}</p>`
        : '';
    };
    const columns = week
      ? [...Array(7).keys()].map((i) => {
          const d = from.plus({ days: i });
          const items = list.filter((a) => DateTime.fromJSDate(a.start, { zone }).hasSame(d, 'day'));
          return (
            `<section data-testid="day-${d.toISODate()}"><h2><a href="${link(d, 'day')}">${esc(d.toFormat('ccc d LLL'))}</a></h2>${closed(d)}` +
            (items.length
              ? `<ol>${items.map((a) => card(a, labels.get(a.id), zone, href)).join('')}</ol>`
              : '<p class="muted">Nothing booked.</p>') +
            '</section>'
          );
        })
      : resources.map((r) => {
          const items = list.filter((a) => a.resourceId === r.id);
          return (
            `<section data-testid="resource-${esc(r.id)}"><h2>${esc(r.name)}</h2>` +
            (items.length
              ? `<ol>${items.map((a) => card(a, labels.get(a.id), zone, href)).join('')}</ol>`
              : '<p class="muted">Nothing booked.</p>') +
            '</section>'
          );
        });
    // Appointments of resources no longer configured still show, under their own name.
    const orphans = week ? [] : list.filter((a) => !resources.some((r) => r.id === a.resourceId));
    if (orphans.length)
      columns.push(
        `<section data-testid="resource-other"><h2>Other</h2><ol>${orphans.map((a) => card(a, labels.get(a.id), zone, href)).join('')}</ol></section>`,
      );
    const resourceSelect = week
      ? `<label for="cal-resource">Resource</label><select id="cal-resource" name="resource" data-testid="cal-resource">${resources
          .map(
            (r) =>
              `<option value="${esc(r.id)}"${r.id === chosen?.id ? ' selected' : ''}>${esc(r.name)}</option>`,
          )
          .join('')}</select><input type="hidden" name="view" value="week">`
      : '';
    const done = DONE[textOf(req.query.done)];
    sendPage(res, {
      title: week
        ? `Week of ${from.toFormat('d LLL yyyy')}${chosen ? ` · ${chosen.name}` : ''}`
        : `Appointments · ${day.toFormat('cccc d LLLL yyyy')}`,
      nav: nav(session, business),
      live: 'appointment.booked,appointment.cancelled,appointment.moved,appointment.confirmed',
      body:
        CAL_STYLE +
        (done ? `<p class="message" role="status" data-testid="message">${esc(done)}</p>` : '') +
        (business.booking
          ? ''
          : `<p data-testid="cal-no-setup">This business does not take appointments yet: <a href="${esc(`${href}/setup`)}">set up its services and resources</a> first.</p>`) +
        '<div class="daybar">' +
        `<a class="button" href="${link(from.minus(step))}" data-testid="cal-prev">← ${week ? 'Previous week' : 'Previous day'}</a>` +
        `<a class="button" href="${link(DateTime.fromMillis(portal.now(), { zone }).startOf('day'))}" data-testid="cal-today">Today</a>` +
        `<a class="button" href="${link(from.plus(step))}" data-testid="cal-next">${week ? 'Next week' : 'Next day'} →</a>` +
        `<form method="get" action="${href}" data-testid="cal-pick"><label for="cal-date">Day</label>` +
        `<input type="date" id="cal-date" name="date" value="${esc(day.toISODate() ?? '')}" data-testid="cal-date">${resourceSelect}` +
        '<button type="submit">Show</button></form>' +
        (week
          ? `<a href="${link(day, 'day')}" data-testid="cal-day-view">Day view</a>`
          : `<a href="${esc(`${href}?view=week&date=${day.toISODate() ?? ''}`)}" data-testid="cal-week-view">Week view</a>`) +
        ` <a class="button primary" href="${esc(`${href}/new?date=${day.toISODate() ?? ''}`)}" data-testid="cal-new">Book for a customer</a>` +
        ` <a href="${esc(`${href}/setup`)}" data-testid="cal-setup">Services and hours</a>` +
        '</div>' +
        `<p>${zoneNote(zone)}</p>` +
        (week ? '' : closed(day)) +
        `<div id="calendar-live" data-live-region><div class="cal${week ? ' week' : ''}" data-testid="calendar">${columns.join('')}</div>` +
        `<p data-testid="cal-count">${list.length} ${list.length === 1 ? 'appointment' : 'appointments'}</p></div>`,
    });
  });

  async function renderNew(
    req: Request,
    res: Response,
    session: PortalSession,
    business: BusinessData,
    values: z.output<typeof bookForm>,
    problems: string[] = [],
    status = 200,
  ): Promise<void> {
    const { desk } = tools();
    const zone = businessZone(business);
    const href = base(business);
    const services = (business.booking?.services ?? []).filter((s) => s.active);
    const service = services.find((s) => s.id === values.service) ?? services[0];
    const date = dateText.safeParse(values.date).success
      ? values.date
      : (DateTime.fromMillis(portal.now(), { zone }).toISODate() ?? '');
    const resources = resourcesOf(business).filter((r) => service?.resourceIds.includes(r.id));
    const resource = resources.find((r) => r.id === values.resource);
    const slots = service
      ? await desk.freeSlots(deskBusiness(business), service.id, date, { resourceId: resource?.id })
      : [];
    const key = /^[0-9a-f-]{36}$/.test(values.key) ? values.key : randomUUID();
    const times = timeChoices(slots, zone, values.start, 'slot');
    sendPage(res, {
      title: 'Book for a customer',
      status,
      nav: nav(session, business),
      body:
        CAL_STYLE +
        problemBlock(problems) +
        `<p><a href="${esc(`${href}?date=${date}`)}">Back to the calendar</a></p>` +
        // One form: the service, day and resource posted are the ones booked. "Show free times" lists their
        // times (nothing booked); a time listed for another choice is not booked (see the post).
        `<form method="post" action="${href}/new" data-testid="new-book">${csrfField(session)}` +
        `<input type="hidden" name="key" value="${esc(key)}"><input type="hidden" name="listed" value="${esc(listingOf(service?.id ?? '', date, resource?.id ?? ''))}">` +
        '<fieldset><legend>1. What and when</legend>' +
        `<label for="new-service">Service</label><select id="new-service" name="service" data-testid="new-service">${services
          .map(
            (s) =>
              `<option value="${esc(s.id)}"${s.id === service?.id ? ' selected' : ''}>${esc(s.name)} (${s.durationMinutes} min${s.priceMinor !== undefined ? `, ${esc(formatMoney(s.priceMinor, business.currency))}` : ''})</option>`,
          )
          .join('')}</select>` +
        `<label for="new-date">Day</label><input type="date" id="new-date" name="date" value="${esc(date)}" data-testid="new-date">` +
        `<label for="new-resource">Staff member or room</label><select id="new-resource" name="resource" data-testid="new-resource"><option value="">Anyone free</option>${resources
          .map(
            (r) =>
              `<option value="${esc(r.id)}"${r.id === resource?.id ? ' selected' : ''}>${esc(r.name)}</option>`,
          )
          .join('')}</select>` +
        ' <button type="submit" name="show" value="1" formnovalidate data-testid="new-show">Show free times</button></fieldset>' +
        `<fieldset><legend>2. Free time${service ? ` for ${esc(service.name)}` : ''} on ${esc(DateTime.fromISO(date, { zone }).toFormat('ccc d LLL'))}</legend>` +
        (times
          ? `<ul class="slots" data-testid="new-slots">${times}</ul>`
          : '<p data-testid="new-no-slots">No free time that day: choose another day.</p>') +
        '</fieldset><fieldset><legend>3. Customer</legend>' +
        `<label for="new-phone">WhatsApp number</label><input type="tel" id="new-phone" name="phone" value="${esc(values.phone)}" autocomplete="off" placeholder="+34 611 11 11 11" required data-testid="new-phone">` +
        `<label for="new-name">Name (optional)</label><input type="text" id="new-name" name="name" value="${esc(values.name)}" autocomplete="off" maxlength="80" data-testid="new-name">` +
        '<p class="muted"><small>A booking by phone keeps the customer’s number and name so the bot can remind them; they can see and delete it from WhatsApp.</small></p>' +
        `</fieldset><button type="submit" class="primary" data-testid="new-submit"${times ? '' : ' disabled'}>Book</button></form>`,
    });
  }

  router.get('/portal/b/:pnid/appointments/new', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    await renderNew(req, res, session, business, readForm(bookForm, req.query));
  });

  router.post('/portal/b/:pnid/appointments/new', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const { desk } = tools();
    const values = readForm(bookForm, req.body);
    // The times on the page were listed for one service, day and resource: a time is booked only for the
    // same choice. Otherwise (the service switched after listing, or "Show free times") the chosen one's
    // times are listed, the rest of the input kept.
    const chosen = business.booking?.services.find((s) => s.id === values.service && s.active);
    if (
      chosen &&
      (values.show || values.listed !== listingOf(values.service, values.date, values.resource))
    ) {
      const switched = values.listed.split('|')[0] !== values.service;
      const day = dateText.safeParse(values.date).success
        ? DateTime.fromISO(values.date).toFormat('ccc d LLL')
        : '';
      await renderNew(
        req,
        res,
        session,
        business,
        { ...values, start: '' },
        values.show ? [] : [`Times for ${chosen.name}${switched || !day ? '' : ` on ${day}`}: choose one.`],
        values.show ? 200 : 409,
      );
      return;
    }
    const checked = bookChecked.safeParse(values);
    if (!checked.success) {
      await renderNew(
        req,
        res,
        session,
        business,
        values,
        [...new Set(checked.error.issues.map((i) => i.message))],
        400,
      );
      return;
    }
    const start = new Date(checked.data.start);
    try {
      if (Number.isNaN(start.getTime())) throw new StaffBookingError('start', 'Choose a free time.');
      const customerRef = await desk.customerFor(
        business.phoneNumberId,
        checked.data.phone,
        checked.data.name || undefined,
      );
      const result = await desk.book(deskBusiness(business), {
        serviceId: checked.data.service,
        start,
        resourceId: checked.data.resource || undefined,
        customerRef,
        key: checked.data.key,
      });
      if (result.status === 'taken')
        throw new StaffBookingError('start', 'That time was just taken: choose another.');
      deps.counters.add('portal.appointment.booked');
      res.redirect(303, `${base(business)}/${result.appointment.number}?done=booked`);
    } catch (err) {
      if (!(err instanceof StaffBookingError)) throw err;
      await renderNew(
        req,
        res,
        session,
        business,
        { ...values, ...(err.field === 'start' ? { start: '' } : {}) },
        [err.message],
        409,
      );
    }
  });

  async function appointmentOf(req: Request, business: BusinessData): Promise<AppointmentView> {
    const { store } = tools();
    const ref = String(req.params.number);
    const found = /^A-\d{1,15}$/i.test(ref) ? await store.get(business.phoneNumberId, ref) : null;
    if (!found) throw new PortalError(404, 'No such appointment.');
    return found;
  }

  router.get('/portal/b/:pnid/appointments/:number', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const { store, desk } = tools();
    const a = await appointmentOf(req, business);
    const zone = businessZone(business);
    const href = base(business);
    // Recorded before it is read: a view that could not be recorded shows nothing.
    await deps.desk.record(business.phoneNumberId, session.actor, 'appointment.customer', a.number);
    const [customer, intake, moves] = await Promise.all([
      desk.customerOf(business.phoneNumberId, a.id),
      store.intakeOf(business.phoneNumberId, a.id),
      desk.movesOf(business.phoneNumberId, a.id),
    ]);
    const moveLink = (words: string, number: string, testid: string): string =>
      `<br><span data-testid="${testid}">${words} <a href="${href}/${esc(number)}" class="nowrap">${esc(number)}</a></span>`;
    const start = DateTime.fromJSDate(a.start, { zone });
    const end = DateTime.fromJSDate(a.end, { zone });
    const service = business.booking?.services.find((s) => s.id === a.serviceId);
    const questions = new Map((service?.intake ?? []).map((q) => [q.id, q.text]));
    const answers = intake
      ? `<dl class="facts" data-testid="appt-intake">${Object.entries(intake)
          .map(([id, answer]) => `<dt>${esc(questions.get(id) ?? 'Answer')}</dt><dd>${esc(answer)}</dd>`)
          .join('')}</dl>`
      : '<p class="muted">No intake answers.</p>';
    const number = customer.number;
    const isBooked = a.status === 'booked';
    const started = a.start.getTime() <= portal.now();
    const post = (action: string, label: string, testid: string, cls = ''): string =>
      `<form method="post" action="${href}/${esc(a.number)}/${action}" class="inline">${csrfField(session)}` +
      `<button type="submit"${cls ? ` class="${cls}"` : ''} data-testid="${testid}">${label}</button></form>`;
    const done = DONE[textOf(req.query.done)];
    sendPage(res, {
      title: `Appointment ${a.number}`,
      heading: `Appointment <span class="nowrap">${esc(a.number)}</span>`,
      nav: nav(session, business),
      body:
        CAL_STYLE +
        (done ? `<p class="message" role="status" data-testid="message">${esc(done)}</p>` : '') +
        `<p><a href="${esc(`${href}?date=${start.toISODate() ?? ''}`)}">Back to the calendar</a></p>` +
        `<dl class="facts" data-testid="appt-facts"><dt>Status</dt><dd><span class="badge ${a.status}" data-testid="appt-status">${STATUS_LABEL[a.status]}</span>` +
        `${a.cancelledBy && !moves.to ? ` (by ${BY_LABEL[a.cancelledBy]})` : ''}` +
        (a.status === 'booked' && a.confirmedAt
          ? ` · <span data-testid="appt-confirmed">confirmed by the customer ${esc(DateTime.fromJSDate(a.confirmedAt, { zone }).toFormat('ccc d LLL, HH:mm'))}</span>`
          : '') +
        (moves.to ? moveLink('Moved to', moves.to, 'appt-moved-to') : '') +
        (moves.from ? moveLink('Moved from', moves.from, 'appt-moved-from') : '') +
        '</dd>' +
        `<dt>When</dt><dd>${esc(start.toFormat('cccc d LLLL yyyy, HH:mm'))}–${esc(end.toFormat('HH:mm'))}</dd>` +
        `<dt>Service</dt><dd>${esc(a.serviceName)}${a.priceMinor !== undefined ? ` · ${esc(formatMoney(a.priceMinor, a.currency))}` : ''}</dd>` +
        `<dt>With</dt><dd>${esc(a.resourceName)}</dd><dt>Booked by</dt><dd>${BY_LABEL[a.bookedBy]}</dd></dl>` +
        `<section aria-labelledby="cust-h"><h2 id="cust-h">Customer</h2>` +
        (customer.name || number
          ? `<dl class="facts" data-testid="appt-customer">${customer.name ? `<dt>Name</dt><dd>${esc(customer.name)}</dd>` : ''}` +
            (number
              ? `<dt>WhatsApp</dt><dd>${number.startsWith('+') ? `<a href="tel:${esc(number)}">${esc(number)}</a>` : esc(number)}</dd>`
              : '') +
            '</dl>'
          : '<p data-testid="appt-customer">The customer’s name and number are no longer kept.</p>') +
        `<h3>Intake answers</h3>${answers}` +
        '<p class="muted"><small>Each view of these details is recorded in the business’s access log.</small></p></section>' +
        (isBooked
          ? '<div class="actions">' +
            `<a class="button" href="${href}/${esc(a.number)}/move" data-testid="appt-move">Move…</a>` +
            post('cancel', 'Cancel…', 'appt-cancel', 'danger') +
            // Only once it has started (the customer may still come), and asked first, as Cancel is.
            (started ? post('no-show', 'Mark no-show…', 'appt-no-show') : '') +
            (started ? post('completed', 'Mark completed', 'appt-completed') : '') +
            '</div>'
          : '') +
        `<p>${zoneNote(zone)}</p>`,
    });
  });

  router.post('/portal/b/:pnid/appointments/:number/cancel', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const { desk } = tools();
    const a = await appointmentOf(req, business);
    const href = base(business);
    const form = readForm(actionForm, req.body);
    if (form.confirm !== 'yes') {
      const start = DateTime.fromJSDate(a.start, { zone: businessZone(business) });
      sendPage(res, {
        title: `Cancel appointment ${a.number}?`,
        nav: nav(session, business),
        body:
          `<p>${esc(a.serviceName)} with ${esc(a.resourceName)}, ${esc(start.toFormat('cccc d LLLL, HH:mm'))}. ` +
          'The customer will be told it is cancelled, and the time becomes free. This cannot be undone.</p>' +
          `<div class="actions"><form method="post" action="${href}/${esc(a.number)}/cancel" class="inline">${csrfField(session)}` +
          '<input type="hidden" name="confirm" value="yes">' +
          `<button type="submit" class="danger" data-testid="confirm-cancel">Yes, cancel ${esc(a.number)}</button></form>` +
          `<a class="button" href="${href}/${esc(a.number)}" data-testid="keep-appt">No, keep it</a></div>`,
      });
      return;
    }
    const result = await desk.cancel(business.phoneNumberId, a.id);
    if (result.status === 'not_found') throw new PortalError(404, 'No such appointment.');
    if (result.status === 'too_late')
      throw new PortalError(409, 'This appointment has already taken place or was marked a no-show.');
    deps.counters.add('portal.appointment.cancelled');
    res.redirect(303, `${href}/${a.number}?done=cancelled`);
  });

  for (const [action, to] of [
    ['no-show', 'no_show'],
    ['completed', 'completed'],
  ] as const) {
    router.post(`/portal/b/:pnid/appointments/:number/${action}`, portal.form, async (req, res) => {
      const session = await portal.requirePost(req, res);
      if (!session) return;
      const business = await portal.businessFor(req, session);
      const { store } = tools();
      const a = await appointmentOf(req, business);
      if (to === 'completed' && a.start.getTime() > portal.now())
        throw new PortalError(409, 'An appointment can be marked completed only once it has started.');
      if (to === 'no_show' && a.status === 'booked' && a.start.getTime() > portal.now())
        throw new PortalError(409, 'An appointment can be marked a no-show only once it has started.');
      if (to === 'no_show' && a.status === 'booked' && readForm(actionForm, req.body).confirm !== 'yes') {
        const href = base(business);
        const start = DateTime.fromJSDate(a.start, { zone: businessZone(business) });
        sendPage(res, {
          title: `Mark ${a.number} a no-show?`,
          heading: `Mark <span class="nowrap">${esc(a.number)}</span> a no-show?`,
          nav: nav(session, business),
          body:
            `<p>${esc(a.serviceName)} with ${esc(a.resourceName)}, ${esc(start.toFormat('cccc d LLLL, HH:mm'))}. ` +
            'The customer did not come: the appointment is recorded as a no-show. This cannot be undone.</p>' +
            `<div class="actions"><form method="post" action="${href}/${esc(a.number)}/no-show" class="inline">${csrfField(session)}` +
            '<input type="hidden" name="confirm" value="yes">' +
            `<button type="submit" class="danger" data-testid="confirm-no-show">Yes, mark ${esc(a.number)} a no-show</button></form>` +
            `<a class="button" href="${href}/${esc(a.number)}" data-testid="keep-appt">No, go back</a></div>`,
        });
        return;
      }
      const result =
        to === 'no_show'
          ? await store.markNoShow(business.phoneNumberId, a.id)
          : await store.markCompleted(business.phoneNumberId, a.id);
      if (result.status === 'not_found') throw new PortalError(404, 'No such appointment.');
      if (result.status === 'too_early')
        throw new PortalError(409, 'An appointment can be marked a no-show only once it has started.');
      if (result.status === 'not_booked')
        throw new PortalError(
          409,
          `This appointment is ${STATUS_LABEL[result.appointment.status].toLowerCase()}: it cannot be changed.`,
        );
      deps.counters.add(`portal.appointment.${to}`);
      res.redirect(303, `${base(business)}/${a.number}?done=${to}`);
    });
  }

  async function renderMove(
    req: Request,
    res: Response,
    session: PortalSession,
    business: BusinessData,
    a: AppointmentView,
    values: z.output<typeof actionForm>,
    problems: string[] = [],
    status = 200,
  ): Promise<void> {
    const { desk } = tools();
    const zone = businessZone(business);
    const href = base(business);
    const date = dateText.safeParse(values.date).success
      ? values.date
      : (DateTime.fromJSDate(a.start, { zone }).toISODate() ?? '');
    const service = business.booking?.services.find((s) => s.id === a.serviceId);
    const resources = resourcesOf(business).filter((r) => service?.resourceIds.includes(r.id));
    const resource = resources.find((r) => r.id === values.resource);
    const slots = await desk.freeSlots(deskBusiness(business), a.serviceId, date, {
      resourceId: resource?.id,
      ignore: a.id,
    });
    const key = /^[0-9a-f-]{36}$/.test(values.key) ? values.key : randomUUID();
    const times = timeChoices(slots, zone, values.start, 'mslot');
    sendPage(res, {
      title: `Move appointment ${a.number}`,
      status,
      nav: nav(session, business),
      body:
        CAL_STYLE +
        problemBlock(problems) +
        `<p>Now: ${esc(DateTime.fromJSDate(a.start, { zone }).toFormat('cccc d LLLL, HH:mm'))} with ${esc(a.resourceName)}. ` +
        'It keeps this time until the new one is booked; the customer is told.</p>' +
        // One form, as for a booking: the day and resource posted are the ones the time is booked for.
        `<form method="post" action="${href}/${esc(a.number)}/move" data-testid="move-book">${csrfField(session)}` +
        `<input type="hidden" name="key" value="${esc(key)}"><input type="hidden" name="listed" value="${esc(listingOf(a.serviceId, date, resource?.id ?? ''))}">` +
        '<label for="move-date">Day</label>' +
        `<input type="date" id="move-date" name="date" value="${esc(date)}" data-testid="move-date">` +
        `<label for="move-resource">Staff member or room</label><select id="move-resource" name="resource" data-testid="move-resource"><option value="">Anyone free</option>${resources
          .map(
            (r) =>
              `<option value="${esc(r.id)}"${r.id === resource?.id ? ' selected' : ''}>${esc(r.name)}</option>`,
          )
          .join(
            '',
          )}</select> <button type="submit" name="show" value="1" formnovalidate data-testid="move-show">Show free times</button>` +
        (times
          ? `<ul class="slots" data-testid="move-slots">${times}</ul>`
          : '<p data-testid="move-no-slots">No free time that day: choose another day.</p>') +
        `<div class="actions"><button type="submit" class="primary" data-testid="move-submit"${times ? '' : ' disabled'}>Move here</button>` +
        `<a class="button" href="${href}/${esc(a.number)}">Keep it as it is</a></div></form>`,
    });
  }

  router.get('/portal/b/:pnid/appointments/:number/move', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const a = await appointmentOf(req, business);
    if (a.status !== 'booked') throw new PortalError(409, 'Only a booked appointment can be moved.');
    await renderMove(req, res, session, business, a, readForm(actionForm, req.query));
  });

  router.post('/portal/b/:pnid/appointments/:number/move', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const { desk } = tools();
    const a = await appointmentOf(req, business);
    const values = readForm(actionForm, req.body);
    if (a.status !== 'booked') throw new PortalError(409, 'Only a booked appointment can be moved.');
    if (values.show || values.listed !== listingOf(a.serviceId, values.date, values.resource)) {
      const day = dateText.safeParse(values.date).success
        ? DateTime.fromISO(values.date).toFormat('ccc d LLL')
        : '';
      await renderMove(
        req,
        res,
        session,
        business,
        a,
        { ...values, start: '' },
        values.show ? [] : [`Times for ${a.serviceName}${day ? ` on ${day}` : ''}: choose one.`],
        values.show ? 200 : 409,
      );
      return;
    }
    const start = new Date(values.start);
    try {
      if (!values.start || Number.isNaN(start.getTime()))
        throw new StaffBookingError('start', 'Choose a free time.');
      if (!/^[0-9a-f-]{36}$/.test(values.key))
        throw new StaffBookingError('start', 'The form expired: please try again.');
      const result = await desk.move(deskBusiness(business), a.id, {
        start,
        resourceId: values.resource || undefined,
        key: values.key,
      });
      if (result.status === 'taken')
        throw new StaffBookingError('start', 'That time was just taken: choose another.');
      deps.counters.add('portal.appointment.moved');
      res.redirect(303, `${base(business)}/${result.appointment.number}?done=moved`);
    } catch (err) {
      if (!(err instanceof StaffBookingError)) throw err;
      await renderMove(req, res, session, business, a, { ...values, start: '' }, [err.message], 409);
    }
  });

  return router;
}
