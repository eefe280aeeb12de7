import express from 'express';
import type { Request, Response, Router } from 'express';
import { DateTime } from 'luxon';
import { freeDays, slotsOn } from '../../appointments/slots.js';
import type { BusyInterval } from '../../appointments/slots.js';
import type { BusinessData } from '../../businesses/schema.js';
import { BOOKING_DEFAULTS, BOOKING_WEEKDAYS } from '../../core/booking.js';
import type {
  BookingConfig,
  BookingWeekday,
  IntakeQuestion,
  Resource,
  Service,
  WorkException,
  WorkInterval,
} from '../../core/booking.js';
import { currencyDigits, fromMinorUnits } from '../../core/money.js';
import type { PortalSession } from '../../db/models/portal-session.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import { LANGUAGE_NAMES, LANGUAGES, languageOfLocale } from '../../language/languages.js';
import type { Language } from '../../language/languages.js';
import type { ConfigChange, Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { control, csrfField, FormInvalid, mapIssues, textOf, WEEKDAY_NAMES } from '../forms.js';
import { messageBlock, nav, problemBlock, sendPage } from '../layout.js';
import { businessZone } from '../order-parts.js';

/**
 * Appointments set-up: what the business offers (ordering, appointments, both) and its word for a service;
 * its services and resources (each edited on a page of its own, removed after a confirmation page); the
 * booking rules; business-wide holidays. Every form is written through the settings service (audited) and
 * checked by the same schema as the admin API, its problems shown next to the fields with what was typed.
 * Each service shows its next free times, computed by the slot engine (src/appointments/slots.ts).
 */

/** The bookings that already take a service's resources (the appointment store's, when one is wired in). */
export type BusyOf = (
  business: BusinessData,
  service: Service,
  now: Date,
) => Promise<readonly BusyInterval[]>;

export interface BookingSetupOptions {
  busy?: BusyOf;
}

const KIND_NAMES: Record<Resource['kind'], string> = {
  staff: 'Staff member',
  room: 'Room',
  equipment: 'Equipment',
};
const HOURS_HINT = 'Such as 09:00–13:00, 15:00–19:00; empty: not worked that day.';

/** A form as typed: every field a string ('on' for a ticked box), whatever the browser sent. */
type Values = Record<string, string>;

function valuesOf(body: unknown): Values {
  const values: Values = {};
  if (body && typeof body === 'object')
    for (const [k, v] of Object.entries(body as Record<string, unknown>))
      if (k !== '_csrf') values[k] = textOf(v);
  return values;
}

/** A refused form shown again: what was typed, problems by field, and those of no one field. */
interface FormState {
  form: string;
  values: Values;
  errors: Record<string, string>;
  general: string[];
}

// ---------------------------------------------------------------------------------------------- parsing

/** "09:00–13:00, 15:00–19:00" → intervals (the schema checks the times), or what is wrong with the text. */
export function parseIntervals(text: string): { intervals: WorkInterval[]; problem?: string } {
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const intervals: WorkInterval[] = [];
  for (const part of parts) {
    const match = /^(\d{1,2}[:.]\d{2})\s*(?:–|—|-|to)\s*(\d{1,2}[:.]\d{2})$/.exec(part);
    if (!match?.[1] || !match[2])
      return { intervals, problem: `"${part}" is not a time range such as 09:00–13:00` };
    const clock = (t: string) => t.replace('.', ':').padStart(5, '0');
    intervals.push({ start: clock(match[1]), end: clock(match[2]) });
  }
  return { intervals };
}

const intervalsText = (intervals: readonly WorkInterval[] | undefined): string =>
  (intervals ?? []).map((i) => `${i.start}–${i.end}`).join(', ');

/** "2026-12-24" (absent all day) or "2026-12-24 10:00–14:00" per line → exceptions, keeping notes by date. */
function parseExceptions(
  text: string,
  before: readonly WorkException[] = [],
): { exceptions: WorkException[]; problem?: string } {
  const exceptions: WorkException[] = [];
  for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
    if (!line) continue;
    const [date = '', ...rest] = line.split(/\s+/);
    const hours = rest.join(' ').replace(/^(absent|closed|off)$/i, '');
    const { intervals, problem } = parseIntervals(hours);
    if (problem) return { exceptions, problem: `${date}: ${problem}` };
    const note = before.find((e) => e.date === date)?.note;
    exceptions.push({ date, intervals, ...(note ? { note } : {}) });
  }
  return { exceptions };
}

const exceptionsText = (exceptions: readonly WorkException[] | undefined): string =>
  (exceptions ?? [])
    .map((e) => `${e.date} ${e.intervals.length ? intervalsText(e.intervals) : 'absent'}`)
    .join('\n');

/** A number as typed ('1,5' too); undefined when empty, NaN when it is no number. */
function numberOf(text: string | undefined): number | undefined {
  const typed = (text ?? '').trim().replace(',', '.');
  if (typed === '') return undefined;
  return /^\d+(\.\d+)?$/.test(typed) ? Number(typed) : NaN;
}

/** Hours typed as "24, 2" → minutes; undefined when empty. */
function remindersOf(text: string): { minutes?: number[]; problem?: string } {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim().replace(/h$/i, ''))
    .filter(Boolean);
  if (parts.length === 0) return {};
  const minutes: number[] = [];
  for (const part of parts) {
    const hours = numberOf(part);
    if (hours === undefined || Number.isNaN(hours))
      return { problem: 'write hours before the appointment, such as 24, 2' };
    minutes.push(Math.round(hours * 60));
  }
  return { minutes };
}

const hoursText = (minutes: readonly number[] | undefined): string =>
  (minutes ?? []).map((m) => String(Math.round((m / 60) * 100) / 100)).join(', ');

/** A new id from a name: lower-case letters and digits, unique among `taken`. */
function idFrom(name: string, taken: readonly string[], fallback: string): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || fallback;
  let id = base === 'new' ? `${base}-1` : base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * What a number out of the schema's range means in the units the form asks for (the schema counts minutes;
 * the form asks hours where people think in hours).
 */
const RANGES: Record<string, string> = {
  earliestHours: 'must be between 0 and 720 hours',
  latestDays: 'must be between 1 and 365 days',
  slotStep: 'must be between 5 and 240 minutes',
  cancelHours: 'must be between 0 and 720 hours',
  reminders: 'each must be between 0.1 and 168 hours (a week)',
  buffer: 'must be between 0 and 720 minutes',
};

/** A range refused by the schema, said in the units the form asks for ("must be between 1 and 365 days"). */
const inFormUnits = (field: string, message: string): string =>
  RANGES[field] && /^Too (big|small)/.test(message) ? RANGES[field] : message;

type Input = Record<string, unknown>;
const bookingOf = (input: Input): Input => (input.booking as Input | null) ?? { services: [], resources: [] };
const listOf = (booking: Input, key: 'services' | 'resources'): Input[] => (booking[key] as Input[]) ?? [];

// ------------------------------------------------------------------------------------------- rendering

const input = (
  id: string,
  label: string,
  values: Values,
  errors: Record<string, string>,
  extra = '',
  hint?: string,
): string =>
  control({
    id,
    label,
    error: errors[id],
    ...(hint ? { hint } : {}),
    html: (a) => `<input ${a} name="${id}" value="${esc(values[id])}"${extra}>`,
  });

const checkbox = (id: string, label: string, values: Values, errors: Record<string, string> = {}): string =>
  `<p><input type="checkbox" id="${id}" name="${id}" data-testid="${id}"${values[id] === 'on' ? ' checked' : ''}` +
  `${errors[id] ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''}> <label for="${id}" class="inline">${esc(label)}</label>` +
  (errors[id]
    ? ` <span class="error" id="${id}-error" data-testid="${id}-error">${esc(errors[id])}</span>`
    : '') +
  '</p>';

const baseOf = (business: BusinessData) => `/portal/b/${esc(business.phoneNumberId)}/appointments/setup`;
const baseLanguage = (business: BusinessData): Language => languageOfLocale(business.locale);
const otherLanguages = (business: BusinessData): Language[] =>
  LANGUAGES.filter((l) => l !== baseLanguage(business));

const money = (minor: number | undefined, business: BusinessData): string =>
  minor === undefined
    ? ''
    : fromMinorUnits(minor, business.currency).toFixed(currencyDigits(business.currency));

/** "Next free: Tue 8 Dec 10:00, 10:15, 10:30", computed with the slot engine (busy: `busyOf`), or why there is none. */
export async function nextFreeLine(
  business: BusinessData,
  booking: BookingConfig,
  service: Service,
  now: Date,
  busyOf: BusyOf,
): Promise<string> {
  if (!service.active) return 'Not offered now.';
  const timeZone = business.timeZone ?? 'UTC';
  const query = {
    config: booking,
    timeZone,
    serviceId: service.id,
    now,
    busy: await busyOf(business, service, now),
  };
  const [day] = freeDays(query, { limit: 1 });
  if (!day) return 'No free time in the booking window: check the hours of its resources.';
  const slots = slotsOn(query, day.date).slice(0, 3);
  const at = (iso: string) => DateTime.fromISO(iso, { zone: timeZone }).setLocale('en-GB');
  const first = slots[0];
  if (!first) return 'No free time in the booking window.';
  return `Next free: ${at(first.start).toFormat('ccc d LLL')} ${slots.map((s) => at(s.start).toFormat('HH:mm')).join(', ')}`;
}

function stored(business: BusinessData): BookingConfig {
  return (
    business.booking ?? {
      services: [],
      resources: [],
      ...BOOKING_DEFAULTS,
      remindersMinutes: [...BOOKING_DEFAULTS.remindersMinutes],
    }
  );
}

function offeringValues(business: BusinessData): Values {
  const offers = business.offering?.offers ?? ['ordering'];
  const values: Values = {
    ordering: offers.includes('ordering') ? 'on' : '',
    appointments: offers.includes('appointments') ? 'on' : '',
  };
  for (const l of LANGUAGES) {
    values[`noun-${l}-one`] = business.offering?.serviceNoun?.[l]?.one ?? '';
    values[`noun-${l}-other`] = business.offering?.serviceNoun?.[l]?.other ?? '';
  }
  return values;
}

function rulesValues(booking: BookingConfig): Values {
  return {
    earliestHours: String(Math.round((booking.earliestMinutes / 60) * 100) / 100),
    latestDays: String(booking.latestDays),
    slotStep: String(booking.slotStepMinutes),
    cancelHours: String(Math.round((booking.cancelCutoffMinutes / 60) * 100) / 100),
    reminders: hoursText(booking.remindersMinutes),
    chooseStaff: booking.chooseStaff ? 'on' : '',
  };
}

async function setupPage(
  req: Request,
  res: Response,
  session: PortalSession,
  business: BusinessData,
  busyOf: BusyOf,
  now: Date,
  state?: FormState,
  /** A warning after saving (escaped HTML), shown in the holidays section. */
  holidayWarning = '',
): Promise<void> {
  const base = baseOf(business);
  const booking = stored(business);
  const mine = (form: string) => state?.form === form;
  const section = (id: string, title: string, body: string) =>
    `<section aria-labelledby="${id}-heading" id="${id}"><h2 id="${id}-heading">${esc(title)}</h2>${body}</section>`;
  const form = (id: string, body: string, button: string) =>
    (mine(id) ? problemBlock(state?.general ?? []) : '') +
    `<form method="post" action="${base}/${id}" data-testid="${id}-form">${csrfField(session)}${body}` +
    `<p><button type="submit" data-testid="${id}-save">${esc(button)}</button></p></form>`;

  // What the business offers, and its word for a service in each language.
  const o = mine('offering') && state ? state.values : offeringValues(business);
  const oe = mine('offering') && state ? state.errors : {};
  const nounRow = (l: Language) =>
    `<fieldset><legend>${esc(LANGUAGE_NAMES[l])}</legend>` +
    input(`noun-${l}-one`, 'One (singular)', o, oe, ' maxlength="30"') +
    input(`noun-${l}-other`, 'Several (plural)', o, oe, ' maxlength="30"') +
    '</fieldset>';
  const offeringSection = section(
    'offering',
    'What you offer in chat',
    form(
      'offering',
      `<fieldset${oe.offers ? ' aria-describedby="offers-error"' : ''}><legend>The chat menu offers</legend>` +
        checkbox('ordering', 'Ordering (the catalog)', o) +
        checkbox('appointments', 'Appointments', o) +
        (oe.offers
          ? `<span class="error" id="offers-error" data-testid="offers-error">${esc(oe.offers)}</span>`
          : '') +
        '</fieldset>' +
        '<p class="hint">Your word for what customers book ("treatment", "service"); empty: the bot\'s own word.</p>' +
        nounRow(baseLanguage(business)) +
        `<details${otherLanguages(business).some((l) => oe[`noun-${l}-one`] || oe[`noun-${l}-other`]) ? ' open' : ''}><summary>Other languages</summary>` +
        otherLanguages(business).map(nounRow).join('') +
        '</details>',
      'Save',
    ),
  );

  // Services, each with its next free times.
  const resourceName = (id: string) => booking.resources.find((r) => r.id === id)?.name ?? id;
  const serviceCards = await Promise.all(
    booking.services.map(
      async (s) =>
        `<li class="card" data-testid="service-${esc(s.id)}"><h3>${esc(s.name)}${s.active ? '' : ' <span class="badge">not offered</span>'}</h3>` +
        `<p>${s.durationMinutes} min${s.bufferMinutes ? ` + ${s.bufferMinutes} min buffer` : ''} · ` +
        `${s.priceMinor === undefined ? 'price on request' : s.priceMinor === 0 ? 'free' : `${esc(money(s.priceMinor, business))} ${esc(business.currency)}`} · ` +
        `${esc(s.resourceIds.map(resourceName).join(', '))}</p>` +
        `<p data-testid="preview-${esc(s.id)}"><strong>${esc(await nextFreeLine(business, booking, s, now, busyOf))}</strong></p>` +
        `<p class="actions"><a href="${base}/services/${esc(s.id)}" data-testid="edit-service-${esc(s.id)}">Edit<span class="visually-hidden"> ${esc(s.name)}</span></a>` +
        `<a href="${base}/services/${esc(s.id)}/remove" data-testid="remove-service-${esc(s.id)}">Remove<span class="visually-hidden"> ${esc(s.name)}</span></a></p></li>`,
    ),
  );
  const servicesSection = section(
    'services',
    'Services',
    (serviceCards.length ? `<ul class="cards">${serviceCards.join('')}</ul>` : '<p>No services yet.</p>') +
      (booking.resources.length
        ? `<p><a href="${base}/services/new" data-testid="add-service">Add a service</a></p>`
        : '<p>Add a resource first: every service needs someone or something to perform it.</p>'),
  );

  // Resources.
  const resourceCards = booking.resources.map(
    (r) =>
      `<li class="card" data-testid="resource-${esc(r.id)}"><h3>${esc(r.name)}${r.active ? '' : ' <span class="badge">not taking bookings</span>'}</h3>` +
      `<p>${esc(KIND_NAMES[r.kind])}${r.capacity > 1 ? ` · ${r.capacity} at a time` : ''}</p>` +
      `<p>${
        BOOKING_WEEKDAYS.filter((d) => (r.week[d] ?? []).length > 0)
          .map((d) => `${WEEKDAY_NAMES[d].slice(0, 3)} ${esc(intervalsText(r.week[d]))}`)
          .join(' · ') || 'No weekly hours.'
      }</p>` +
      (booking.services.some((s) => s.resourceIds.includes(r.id))
        ? ''
        : `<p class="hint" data-testid="unused-${esc(r.id)}">Not used by any service yet: ${booking.services.length ? 'edit a service to add it' : 'add a service to use it'}.</p>`) +
      `<p class="actions"><a href="${base}/resources/${esc(r.id)}" data-testid="edit-resource-${esc(r.id)}">Edit<span class="visually-hidden"> ${esc(r.name)}</span></a>` +
      `<a href="${base}/resources/${esc(r.id)}/remove" data-testid="remove-resource-${esc(r.id)}">Remove<span class="visually-hidden"> ${esc(r.name)}</span></a></p></li>`,
  );
  const resourcesSection = section(
    'resources',
    'Staff, rooms and equipment',
    (mine('resources') ? problemBlock(state?.general ?? []) : '') +
      (resourceCards.length
        ? `<ul class="cards">${resourceCards.join('')}</ul>`
        : '<p>No resources yet.</p>') +
      `<p><a href="${base}/resources/new" data-testid="add-resource">Add a staff member, room or equipment</a></p>`,
  );

  // Booking rules.
  const r = mine('rules') && state ? state.values : rulesValues(booking);
  const re = mine('rules') && state ? state.errors : {};
  const rulesSection = section(
    'rules',
    'Booking rules',
    form(
      'rules',
      input('earliestHours', 'Earliest booking (hours ahead)', r, re, ' inputmode="decimal" required') +
        input('latestDays', 'Latest booking (days ahead)', r, re, ' inputmode="numeric" required') +
        input(
          'slotStep',
          'Start times every (minutes)',
          r,
          re,
          ' inputmode="numeric" required',
          'Such as 15: 10:00, 10:15, 10:30.',
        ) +
        input(
          'cancelHours',
          'Customers may cancel or move up to (hours before)',
          r,
          re,
          ' inputmode="decimal" required',
        ) +
        input(
          'reminders',
          'Reminders (hours before)',
          r,
          re,
          '',
          'Up to 3, such as 24, 2. Empty: no reminders.',
        ) +
        checkbox('chooseStaff', 'Customers choose the staff member', r, re),
      'Save rules',
    ),
  );

  // Business-wide holidays.
  const h = mine('holidays') && state ? state.values : { date: '', hours: '', note: '' };
  const he = mine('holidays') && state ? state.errors : {};
  const holidays = (booking.exceptions ?? [])
    .map(
      (e) =>
        `<li data-testid="holiday-${esc(e.date)}">${esc(DateTime.fromISO(e.date).setLocale('en-GB').toFormat('ccc d LLL yyyy'))}: ` +
        `${e.intervals.length ? esc(intervalsText(e.intervals)) : 'closed'}${e.note ? ` (${esc(e.note)})` : ''} ` +
        `<a href="${base}/holidays/${esc(e.date)}/remove" data-testid="remove-holiday-${esc(e.date)}">Remove<span class="visually-hidden"> ${esc(e.date)}</span></a></li>`,
    )
    .join('');
  const holidaysSection = section(
    'holidays',
    'Holidays and special days',
    holidayWarning +
      (holidays ? `<ul data-testid="holidays">${holidays}</ul>` : '<p>No holidays.</p>') +
      form(
        'holidays',
        control({
          id: 'date',
          label: 'Date',
          error: he.date,
          html: (a) => `<input type="date" ${a} name="date" required value="${esc(h.date)}">`,
        }) +
          input('hours', 'Hours that day (empty: closed)', h, he, '', 'Such as 10:00–14:00.') +
          input('note', 'Note (staff only)', h, he, ' maxlength="200"'),
        'Add the day',
      ),
  );

  sendPage(res, {
    title: `Appointments set-up · ${business.name}`,
    status: state ? 400 : 200,
    nav: nav(session, business),
    body:
      messageBlock(req) +
      `<p class="hint">Times in ${esc((business.timeZone ?? 'UTC').replace(/_/g, ' '))} (change it in <a href="/portal/b/${esc(business.phoneNumberId)}/settings#business">Settings</a>).</p>` +
      offeringSection +
      servicesSection +
      resourcesSection +
      rulesSection +
      holidaysSection,
  });
}

function serviceValues(business: BusinessData, service: Service | undefined): Values {
  const values: Values = {
    name: service?.name ?? '',
    description: service?.description ?? '',
    duration: service ? String(service.durationMinutes) : '30',
    buffer: service?.bufferMinutes ? String(service.bufferMinutes) : '',
    price: money(service?.priceMinor, business),
    reminders: hoursText(service?.remindersMinutes),
    q1: service?.intake?.[0]?.text ?? '',
    q2: service?.intake?.[1]?.text ?? '',
    active: !service || service.active ? 'on' : '',
  };
  const resources = stored(business).resources;
  // A new service of a business with one resource is that resource's: ticked already.
  for (const r of resources)
    values[`res-${r.id}`] = (service ? service.resourceIds.includes(r.id) : resources.length === 1)
      ? 'on'
      : '';
  for (const l of otherLanguages(business)) {
    values[`${l}-name`] = service?.translations?.[l]?.name ?? '';
    values[`${l}-description`] = service?.translations?.[l]?.description ?? '';
  }
  return values;
}

/** How the service form's fields read in a sentence ("The duration must be …"). */
const SERVICE_FIELD_NAMES: Record<string, string> = {
  name: 'The name',
  description: 'The description',
  duration: 'The duration',
  buffer: 'The buffer',
  price: 'The price',
  reminders: 'The reminders',
  q1: 'The question',
  q2: 'The second question',
};

/**
 * The service form's problems as sentences for a receptionist: the schema's and the form's own terse words
 * ("must name at least one resource") become "Choose at least one resource who can do this service.".
 */
export function serviceProblems(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fields)) {
    if (field === 'resources') out[field] = 'Choose at least one resource who can do this service.';
    else if (field === 'name' && /empty/.test(message)) out[field] = 'Give the service a name.';
    else if (field === 'reminders' && /^write hours/.test(message))
      out[field] = 'Write the hours before the appointment, such as 24, 2.';
    else {
      const subject = SERVICE_FIELD_NAMES[field] ?? (field.endsWith('-name') ? 'The name' : 'This');
      const text = /^[a-z]/.test(message) ? `${subject} ${message}` : message;
      out[field] = /[.!?]$/.test(text) ? text : `${text}.`;
    }
  }
  return out;
}

function servicePage(
  res: Response,
  session: PortalSession,
  business: BusinessData,
  service: Service | undefined,
  state?: FormState,
): void {
  const base = baseOf(business);
  const v = state?.values ?? serviceValues(business, service);
  const e = state?.errors ?? {};
  const booking = stored(business);
  const action = `${base}/services/${service ? esc(service.id) : 'new'}`;
  const lang = (l: Language) =>
    `<fieldset><legend>${esc(LANGUAGE_NAMES[l])}</legend>` +
    input(`${l}-name`, 'Name', v, e, ' maxlength="100"') +
    input(`${l}-description`, 'Description', v, e, ' maxlength="500"') +
    '</fieldset>';
  sendPage(res, {
    title: `${service ? `Edit ${service.name}` : 'Add a service'} · ${business.name}`,
    status: state ? 400 : 200,
    nav: nav(session, business),
    body:
      problemBlock(state?.general ?? []) +
      `<form method="post" action="${action}" data-testid="service-form">${csrfField(session)}` +
      input('name', `Name (${LANGUAGE_NAMES[baseLanguage(business)]})`, v, e, ' required maxlength="100"') +
      control({
        id: 'description',
        label: 'Description (optional)',
        error: e.description,
        html: (a) =>
          `<textarea ${a} name="description" rows="2" maxlength="500">${esc(v.description)}</textarea>`,
      }) +
      input('duration', 'Duration (minutes)', v, e, ' inputmode="numeric" required') +
      input(
        'buffer',
        'Buffer after it (minutes, optional)',
        v,
        e,
        ' inputmode="numeric"',
        'Kept free after each appointment, e.g. to clean the room.',
      ) +
      input(
        'price',
        `Price (${business.currency}, optional)`,
        v,
        e,
        ' inputmode="decimal"',
        'Empty: "price on request".',
      ) +
      `<fieldset${e.resources ? ' aria-describedby="resources-error"' : ''}><legend>Who or what can perform it</legend>` +
      booking.resources.map((r) => checkbox(`res-${r.id}`, r.name, v)).join('') +
      (e.resources
        ? `<span class="error" id="resources-error" data-testid="resources-error">${esc(e.resources)}</span>`
        : '') +
      '</fieldset>' +
      input(
        'reminders',
        'Reminders (hours before, optional)',
        v,
        e,
        '',
        `Such as 24, 2. Empty: the business's (${hoursText(booking.remindersMinutes) || 'none'}).`,
      ) +
      input(
        'q1',
        'Question before booking (optional)',
        v,
        e,
        ' maxlength="300"',
        'Such as "Reason for the visit?". Keep it short.',
      ) +
      input('q2', 'Second question (optional)', v, e, ' maxlength="300"') +
      checkbox('active', 'Offered to customers', v, e) +
      `<details${otherLanguages(business).some((l) => e[`${l}-name`] || e[`${l}-description`]) ? ' open' : ''}><summary>Other languages</summary>` +
      '<p class="hint">Optional: empty fields read as the name and description above.</p>' +
      otherLanguages(business).map(lang).join('') +
      '</details>' +
      `<p class="actions"><button type="submit" class="primary" data-testid="service-save">${service ? 'Save the service' : 'Add the service'}</button> <a href="${base}#services">Back</a></p></form>`,
  });
}

function resourceValues(resource: Resource | undefined): Values {
  const values: Values = {
    name: resource?.name ?? '',
    kind: resource?.kind ?? 'staff',
    capacity: String(resource?.capacity ?? 1),
    active: !resource || resource.active ? 'on' : '',
    exceptions: exceptionsText(resource?.exceptions),
  };
  for (const d of BOOKING_WEEKDAYS) values[`week-${d}`] = intervalsText(resource?.week[d]);
  return values;
}

function resourcePage(
  res: Response,
  session: PortalSession,
  business: BusinessData,
  resource: Resource | undefined,
  state?: FormState,
): void {
  const base = baseOf(business);
  const v = state?.values ?? resourceValues(resource);
  const e = state?.errors ?? {};
  const action = `${base}/resources/${resource ? esc(resource.id) : 'new'}`;
  sendPage(res, {
    title: `${resource ? `Edit ${resource.name}` : 'Add a resource'} · ${business.name}`,
    status: state ? 400 : 200,
    nav: nav(session, business),
    body:
      problemBlock(state?.general ?? []) +
      `<form method="post" action="${action}" data-testid="resource-form">${csrfField(session)}` +
      input(
        'name',
        'Name',
        v,
        e,
        ' required maxlength="100"',
        'As customers read it, such as "Dr. Ana Ruiz" or "Room 2".',
      ) +
      control({
        id: 'kind',
        label: 'Kind',
        error: e.kind,
        html: (a) =>
          `<select ${a} name="kind">${(Object.keys(KIND_NAMES) as Resource['kind'][])
            .map(
              (k) => `<option value="${k}"${v.kind === k ? ' selected' : ''}>${esc(KIND_NAMES[k])}</option>`,
            )
            .join('')}</select>`,
      }) +
      input(
        'capacity',
        'Appointments at the same time',
        v,
        e,
        ' inputmode="numeric" required',
        'Usually 1; a room with 3 chairs: 3.',
      ) +
      `<fieldset><legend>Weekly hours</legend><p class="hint">${esc(HOURS_HINT)}</p>` +
      BOOKING_WEEKDAYS.map((d) =>
        input(`week-${d}`, WEEKDAY_NAMES[d], v, e, ' size="32" autocomplete="off"'),
      ).join('') +
      '</fieldset>' +
      control({
        id: 'exceptions',
        label: 'Absences and special days (optional)',
        hint: 'One a line: "2026-12-24 absent" or "2026-12-31 09:00–13:00".',
        error: e.exceptions,
        html: (a) => `<textarea ${a} name="exceptions" rows="3">${esc(v.exceptions)}</textarea>`,
      }) +
      checkbox('active', 'Takes new bookings', v, e) +
      `<p class="actions"><button type="submit" class="primary" data-testid="resource-save">${resource ? 'Save' : 'Add'}</button> <a href="${base}#resources">Back</a></p></form>`,
  });
}

/** A confirmation page before removing something (the portal has no script to ask). */
function confirmPage(
  res: Response,
  session: PortalSession,
  business: BusinessData,
  options: { title: string; question: string; action: string; button: string; back: string },
): void {
  sendPage(res, {
    title: `${options.title} · ${business.name}`,
    nav: nav(session, business),
    body:
      `<p>${options.question}</p>` +
      `<form method="post" action="${options.action}" data-testid="confirm-form">${csrfField(session)}` +
      `<p class="actions"><button type="submit" data-testid="confirm-remove">${esc(options.button)}</button> <a href="${options.back}">Keep it</a></p></form>`,
  });
}

// ---------------------------------------------------------------------------------------------- routes

export function bookingSetupPages(portal: Portal, options: BookingSetupOptions = {}): Router {
  const router = express.Router();
  const busyOf: BusyOf = options.busy ?? (() => Promise.resolve([]));
  const path = '/portal/b/:pnid/appointments/setup';
  const done = (res: Response, business: BusinessData, anchor: string) =>
    res.redirect(303, `/portal/b/${business.phoneNumberId}/appointments/setup?msg=settings-saved#${anchor}`);

  /** Writes a change; a refusal (own problems or the schema's) is shown by `show`. */
  async function save(
    business: BusinessData,
    session: PortalSession,
    change: ConfigChange,
    own: Record<string, string>,
    fieldOf: (path: PropertyKey[]) => string | undefined,
    show: (err: FormInvalid) => Promise<void> | void,
  ): Promise<boolean> {
    const invalid = mapIssues(fieldOf, own, inFormUnits);
    try {
      if (Object.keys(own).length > 0) portal.refuse(business, change, invalid);
      await portal.write(session, business, change, invalid);
      portal.deps.counters.add('portal.settings_saved');
      return true;
    } catch (err) {
      if (!(err instanceof FormInvalid)) throw err;
      await show(err);
      return false;
    }
  }

  router.get(path, async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    await setupPage(
      req,
      res,
      session,
      business,
      busyOf,
      new Date(portal.now()),
      undefined,
      await holidayWarningOf(business, textOf(req.query.holiday)),
    );
  });

  /**
   * After a holiday was added (`?holiday=` its date): the appointments that day it leaves booked (closed all
   * day: all of them; shorter hours: those outside them), with a link to that day in the calendar. The
   * holiday does not cancel them: staff move or cancel each, and the customer is told.
   */
  async function holidayWarningOf(business: BusinessData, date: string): Promise<string> {
    const store = portal.deps.appointments;
    const day = (stored(business).exceptions ?? []).find((e) => e.date === date);
    if (!store || !day) return '';
    const zone = businessZone(business);
    const from = DateTime.fromISO(day.date, { zone });
    if (!from.isValid) return '';
    const list = await store.forRange(
      business.phoneNumberId,
      from.toJSDate(),
      from.plus({ days: 1 }).toJSDate(),
    );
    const hhmm = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('HH:mm');
    const outside = list.filter(
      (a) =>
        a.status === 'booked' && !day.intervals.some((i) => i.start <= hhmm(a.start) && hhmm(a.end) <= i.end),
    );
    if (outside.length === 0) return '';
    const calendar = `/portal/b/${esc(business.phoneNumberId)}/appointments?date=${esc(day.date)}`;
    const count = outside.length === 1 ? '1 appointment' : `${outside.length} appointments`;
    return (
      `<p class="warn" role="status" data-testid="holiday-warning">${count} on ${esc(from.toFormat('ccc d LLL'))} ` +
      `${outside.length === 1 ? 'stays' : 'stay'} booked: <a href="${calendar}">move or cancel ${outside.length === 1 ? 'it' : 'them'} in the calendar</a>.</p>`
    );
  }

  router.post(`${path}/offering`, portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const v = valuesOf(req.body);
    const offers = (['ordering', 'appointments'] as const).filter((o) => v[o] === 'on');
    const serviceNoun: Record<string, { one: string; other: string }> = {};
    for (const l of LANGUAGES) {
      const one = (v[`noun-${l}-one`] ?? '').trim();
      const other = (v[`noun-${l}-other`] ?? '').trim();
      if (one || other) serviceNoun[l] = { one, other };
    }
    const change: ConfigChange = (input) => {
      const offering = (input.offering as Input | null) ?? {};
      return {
        ...input,
        // Turning appointments on starts an empty configuration with the defaults.
        booking: input.booking ?? (offers.includes('appointments') ? { services: [], resources: [] } : null),
        offering: {
          ...offering,
          offers,
          ...(Object.keys(serviceNoun).length ? { serviceNoun } : { serviceNoun: undefined }),
        },
      };
    };
    const ok = await save(
      business,
      session,
      change,
      {},
      (p) => {
        if (p[0] !== 'offering') return undefined;
        if (p[1] === 'offers') return 'offers';
        if (p[1] === 'serviceNoun') return `noun-${String(p[2])}-${p[3] === 'other' ? 'other' : 'one'}`;
        return undefined;
      },
      (err) =>
        setupPage(req, res, session, business, busyOf, new Date(portal.now()), {
          form: 'offering',
          values: v,
          errors: err.fields,
          general: err.general,
        }),
    );
    if (ok) done(res, business, 'offering');
  });

  router.post(`${path}/rules`, portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const v = valuesOf(req.body);
    const own: Record<string, string> = {};
    const num = (field: string, scale: number): number => {
      const n = numberOf(v[field]);
      if (n === undefined || Number.isNaN(n)) {
        own[field] = 'must be a number';
        return 0;
      }
      return Math.round(n * scale);
    };
    const earliestMinutes = num('earliestHours', 60);
    const latestDays = num('latestDays', 1);
    const slotStepMinutes = num('slotStep', 1);
    const cancelCutoffMinutes = num('cancelHours', 60);
    const reminders = remindersOf(v.reminders ?? '');
    if (reminders.problem) own.reminders = reminders.problem;
    const fields: Record<string, string> = {
      earliestMinutes: 'earliestHours',
      latestDays: 'latestDays',
      slotStepMinutes: 'slotStep',
      cancelCutoffMinutes: 'cancelHours',
      remindersMinutes: 'reminders',
      chooseStaff: 'chooseStaff',
    };
    const ok = await save(
      business,
      session,
      (input) => ({
        ...input,
        booking: {
          ...bookingOf(input),
          earliestMinutes,
          latestDays,
          slotStepMinutes,
          cancelCutoffMinutes,
          remindersMinutes: reminders.minutes ?? [],
          chooseStaff: v.chooseStaff === 'on',
        },
      }),
      own,
      (p) => (p[0] === 'booking' ? fields[String(p[1])] : undefined),
      (err) =>
        setupPage(req, res, session, business, busyOf, new Date(portal.now()), {
          form: 'rules',
          values: v,
          errors: err.fields,
          general: err.general,
        }),
    );
    if (ok) done(res, business, 'rules');
  });

  router.post(`${path}/holidays`, portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const v = valuesOf(req.body);
    const own: Record<string, string> = {};
    const date = (v.date ?? '').trim();
    const existing = stored(business).exceptions ?? [];
    if (!date) own.date = 'choose a date';
    else if (existing.some((e) => e.date === date)) own.date = 'is already listed: remove it first';
    const { intervals, problem } = parseIntervals(v.hours ?? '');
    if (problem) own.hours = problem;
    const note = (v.note ?? '').trim();
    const index = existing.length;
    const ok = await save(
      business,
      session,
      (input) => {
        const booking = bookingOf(input);
        const list = (booking.exceptions as Input[] | undefined) ?? [];
        return {
          ...input,
          booking: {
            ...booking,
            exceptions: [...list, { date: date || '2000-01-01', intervals, ...(note ? { note } : {}) }],
          },
        };
      },
      own,
      (p) => {
        if (p[0] !== 'booking' || p[1] !== 'exceptions' || p[2] !== index) return undefined;
        return p[3] === 'date' ? 'date' : p[3] === 'note' ? 'note' : 'hours';
      },
      (err) =>
        setupPage(req, res, session, business, busyOf, new Date(portal.now()), {
          form: 'holidays',
          values: v,
          errors: err.fields,
          general: err.general,
        }),
    );
    if (ok)
      res.redirect(
        303,
        `/portal/b/${business.phoneNumberId}/appointments/setup?msg=settings-saved&holiday=${encodeURIComponent(date)}#holidays`,
      );
  });

  router.get(`${path}/holidays/:date/remove`, async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const day = (stored(business).exceptions ?? []).find((e) => e.date === req.params.date);
    if (!day) throw new PortalError(404, 'No such holiday.');
    const base = baseOf(business);
    confirmPage(res, session, business, {
      title: 'Remove a holiday',
      question: `Remove <strong>${esc(day.date)}</strong>? Customers can then book that day as on any other.`,
      action: `${base}/holidays/${esc(day.date)}/remove`,
      button: 'Remove the holiday',
      back: `${base}#holidays`,
    });
  });

  router.post(`${path}/holidays/:date/remove`, portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const date = String(req.params.date);
    await portal.write(
      session,
      business,
      (input) => {
        const booking = bookingOf(input);
        const list = ((booking.exceptions as Input[] | undefined) ?? []).filter((e) => e.date !== date);
        return { ...input, booking: { ...booking, exceptions: list } };
      },
      mapIssues(() => undefined),
    );
    done(res, business, 'holidays');
  });

  // Services: add and edit on a page of their own.
  const findService = (business: BusinessData, id: string): Service => {
    const service = stored(business).services.find((s) => s.id === id);
    if (!service) throw new PortalError(404, 'No such service.');
    return service;
  };

  router.get(`${path}/services/new`, async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    servicePage(res, session, await portal.businessFor(req, session), undefined);
  });
  router.get(`${path}/services/:id`, async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    servicePage(res, session, business, findService(business, String(req.params.id)));
  });

  const saveService = async (req: Request, res: Response, id: string | undefined) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const before = id ? findService(business, id) : undefined;
    const v = valuesOf(req.body);
    const booking = stored(business);
    const own: Record<string, string> = {};
    const duration = numberOf(v.duration);
    if (duration === undefined || Number.isNaN(duration)) own.duration = 'must be a number of minutes';
    const buffer = numberOf(v.buffer);
    if (Number.isNaN(buffer)) own.buffer = 'must be a number of minutes';
    const price = numberOf(v.price);
    if (Number.isNaN(price)) own.price = 'must be an amount such as 25.00';
    const reminders = remindersOf(v.reminders ?? '');
    if (reminders.problem) own.reminders = reminders.problem;
    const resourceIds = booking.resources.filter((r) => v[`res-${r.id}`] === 'on').map((r) => r.id);
    const intake: IntakeQuestion[] = (['q1', 'q2'] as const).flatMap((q, i) => {
      const text = (v[q] ?? '').trim();
      if (!text) return [];
      const earlier = before?.intake?.[i];
      // The question's translations and form stay while its text is unchanged.
      return [earlier && earlier.text === text ? earlier : { id: q, text }];
    });
    const translations: Record<string, { name?: string; description?: string }> = {
      ...(before?.translations ?? {}),
    };
    for (const l of otherLanguages(business)) {
      const name = (v[`${l}-name`] ?? '').trim();
      const description = (v[`${l}-description`] ?? '').trim();
      const { category } = before?.translations?.[l] ?? {};
      if (name || description || category)
        translations[l] = {
          ...(name ? { name } : {}),
          ...(description ? { description } : {}),
          ...(category ? { category } : {}),
        };
      else delete translations[l];
    }
    const serviceId =
      before?.id ??
      idFrom(
        v.name ?? '',
        booking.services.map((s) => s.id),
        'service',
      );
    const index = before ? booking.services.findIndex((s) => s.id === before.id) : booking.services.length;
    const service = {
      id: serviceId,
      name: v.name ?? '',
      ...((v.description ?? '').trim() ? { description: v.description } : {}),
      ...(Object.keys(translations).length ? { translations } : {}),
      ...(before?.synonyms ? { synonyms: before.synonyms } : {}),
      durationMinutes: duration !== undefined && !Number.isNaN(duration) ? duration : 30,
      ...(buffer !== undefined && !Number.isNaN(buffer) ? { bufferMinutes: buffer } : {}),
      ...(price !== undefined && !Number.isNaN(price) ? { price } : {}),
      resourceIds,
      ...(reminders.minutes ? { remindersMinutes: reminders.minutes } : {}),
      ...(intake.length ? { intake } : {}),
      active: v.active === 'on',
    };
    const fields: Record<string, string> = {
      name: 'name',
      description: 'description',
      durationMinutes: 'duration',
      bufferMinutes: 'buffer',
      price: 'price',
      resourceIds: 'resources',
      remindersMinutes: 'reminders',
    };
    const ok = await save(
      business,
      session,
      (input) => {
        const b = bookingOf(input);
        const services = [...listOf(b, 'services')];
        services[index] = service;
        return { ...input, booking: { ...b, services } };
      },
      own,
      (p) => {
        if (p[0] !== 'booking' || p[1] !== 'services' || p[2] !== index) return undefined;
        if (p[3] === 'intake') return typeof p[4] === 'number' ? `q${p[4] + 1}` : 'q1';
        if (p[3] === 'translations')
          return `${String(p[4])}-${p[5] === 'description' ? 'description' : 'name'}`;
        return fields[String(p[3])];
      },
      (err) =>
        servicePage(res, session, business, before, {
          form: 'service',
          values: v,
          errors: serviceProblems(err.fields),
          general: err.general,
        }),
    );
    if (ok) done(res, business, 'services');
  };
  router.post(`${path}/services/new`, portal.form, (req, res) => saveService(req, res, undefined));
  router.post(`${path}/services/:id`, portal.form, (req, res) =>
    saveService(req, res, String(req.params.id)),
  );

  router.get(`${path}/services/:id/remove`, async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const service = findService(business, String(req.params.id));
    const base = baseOf(business);
    confirmPage(res, session, business, {
      title: 'Remove a service',
      question: `Remove the service <strong>${esc(service.name)}</strong>? Customers can no longer book it. To pause it instead, edit it and untick "Offered to customers".`,
      action: `${base}/services/${esc(service.id)}/remove`,
      button: 'Remove the service',
      back: `${base}#services`,
    });
  });
  router.post(`${path}/services/:id/remove`, portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const id = String(req.params.id);
    await portal.write(
      session,
      business,
      (input) => {
        const b = bookingOf(input);
        return { ...input, booking: { ...b, services: listOf(b, 'services').filter((s) => s.id !== id) } };
      },
      mapIssues(() => undefined),
    );
    done(res, business, 'services');
  });

  // Resources.
  const findResource = (business: BusinessData, id: string): Resource => {
    const resource = stored(business).resources.find((r) => r.id === id);
    if (!resource) throw new PortalError(404, 'No such resource.');
    return resource;
  };
  router.get(`${path}/resources/new`, async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    resourcePage(res, session, await portal.businessFor(req, session), undefined);
  });
  router.get(`${path}/resources/:id`, async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    resourcePage(res, session, business, findResource(business, String(req.params.id)));
  });

  const saveResource = async (req: Request, res: Response, id: string | undefined) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const before = id ? findResource(business, id) : undefined;
    const v = valuesOf(req.body);
    const booking = stored(business);
    const own: Record<string, string> = {};
    const week: Partial<Record<BookingWeekday, WorkInterval[]>> = {};
    for (const d of BOOKING_WEEKDAYS) {
      const { intervals, problem } = parseIntervals(v[`week-${d}`] ?? '');
      if (problem) own[`week-${d}`] = problem;
      if (intervals.length) week[d] = intervals;
    }
    const capacity = numberOf(v.capacity);
    if (capacity === undefined || Number.isNaN(capacity)) own.capacity = 'must be a number';
    const exceptions = parseExceptions(v.exceptions ?? '', before?.exceptions);
    if (exceptions.problem) own.exceptions = exceptions.problem;
    const index = before ? booking.resources.findIndex((r) => r.id === before.id) : booking.resources.length;
    const resource = {
      id:
        before?.id ??
        idFrom(
          v.name ?? '',
          booking.resources.map((r) => r.id),
          'resource',
        ),
      name: v.name ?? '',
      kind: v.kind ?? '',
      capacity: capacity !== undefined && !Number.isNaN(capacity) ? capacity : 1,
      week,
      ...(exceptions.exceptions.length ? { exceptions: exceptions.exceptions } : {}),
      active: v.active === 'on',
    };
    const ok = await save(
      business,
      session,
      (input) => {
        const b = bookingOf(input);
        const resources = [...listOf(b, 'resources')];
        resources[index] = resource;
        return { ...input, booking: { ...b, resources } };
      },
      own,
      (p) => {
        if (p[0] !== 'booking' || p[1] !== 'resources' || p[2] !== index) return undefined;
        if (p[3] === 'week') return `week-${String(p[4])}`;
        if (p[3] === 'exceptions') return 'exceptions';
        return ['name', 'kind', 'capacity'].includes(String(p[3])) ? String(p[3]) : undefined;
      },
      (err) =>
        resourcePage(res, session, business, before, {
          form: 'resource',
          values: v,
          errors: err.fields,
          general: err.general,
        }),
    );
    if (ok) done(res, business, 'resources');
  };
  router.post(`${path}/resources/new`, portal.form, (req, res) => saveResource(req, res, undefined));
  router.post(`${path}/resources/:id`, portal.form, (req, res) =>
    saveResource(req, res, String(req.params.id)),
  );

  router.get(`${path}/resources/:id/remove`, async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const resource = findResource(business, String(req.params.id));
    const using = stored(business).services.filter((s) => s.resourceIds.includes(resource.id));
    const base = baseOf(business);
    confirmPage(res, session, business, {
      title: 'Remove a resource',
      question:
        `Remove <strong>${esc(resource.name)}</strong>?` +
        (using.length
          ? ` It is then taken out of ${using.map((s) => `<strong>${esc(s.name)}</strong>`).join(', ')}.`
          : '') +
        ' To pause it instead, edit it and untick "Takes new bookings".',
      action: `${base}/resources/${esc(resource.id)}/remove`,
      button: 'Remove',
      back: `${base}#resources`,
    });
  });
  router.post(`${path}/resources/:id/remove`, portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const id = String(req.params.id);
    await portal
      .write(
        session,
        business,
        (input) => {
          const b = bookingOf(input);
          return {
            ...input,
            booking: {
              ...b,
              resources: listOf(b, 'resources').filter((r) => r.id !== id),
              services: listOf(b, 'services').map((s) => ({
                ...s,
                resourceIds: ((s.resourceIds as string[]) ?? []).filter((r) => r !== id),
              })),
            },
          };
        },
        // A service left with no resource is refused by the schema: said in words on the setup page.
        (issues) =>
          new FormInvalid(
            {},
            issues.map((i) =>
              i.path[3] === 'resourceIds'
                ? 'A service would be left with no one to perform it: give it another resource first, or remove it.'
                : i.message,
            ),
          ),
      )
      .catch(async (err: unknown) => {
        if (!(err instanceof FormInvalid)) throw err;
        await setupPage(req, res, session, business, busyOf, new Date(portal.now()), {
          form: 'resources',
          values: {},
          errors: {},
          general: Array.from(new Set(err.general)),
        });
        return 'refused' as const;
      });
    if (!res.headersSent) done(res, business, 'resources');
  });

  return router;
}
