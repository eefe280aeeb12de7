import express from 'express';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { businessView } from '../../businesses/directory.js';
import { currencyDigits, fromMinorUnits } from '../../core/money.js';
import type { BusinessData } from '../../businesses/schema.js';
import { WEEKDAYS } from '../../db/models/business.model.js';
import type { OpeningInterval, Weekday } from '../../db/models/business.model.js';
import type { PortalSession } from '../../db/models/portal-session.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import { formatDate } from '../../language/dates.js';
import { LANGUAGE_NAMES, LANGUAGES } from '../../language/languages.js';
import { aiStatus } from '../ai-status.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import {
  control,
  csrfField,
  WEEKDAY_NAMES,
  formCheckbox,
  formText,
  FormInvalid,
  mapIssues,
  readForm,
} from '../forms.js';
import { messageBlock, nav, problemBlock, sendPage } from '../layout.js';

/**
 * A business's settings: name, language and time zone; opening hours with dated exceptions; pickup,
 * delivery, fee and minimum order; what the bot says when closed; AI and persona; staff numbers (the
 * operator edits them, a key only sees them). One form per section, each saved on its own through the
 * settings service (audited), refused with its problems next to its fields.
 */

/** Time zones offered in the list; any other IANA zone can be typed. */
const COMMON_ZONES = [
  'Europe/Madrid',
  'Atlantic/Canary',
  'Europe/Lisbon',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Rome',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Mexico_City',
  'America/Bogota',
  'America/Sao_Paulo',
  'America/Argentina/Buenos_Aires',
  'UTC',
];

/** The page's sections: each one form, saved at `…/settings/<section>`, shown again alone when refused. */
type Section = 'business' | 'hours' | 'exceptions' | 'ordering' | 'closed' | 'ai' | 'staff';

/** A refused form as it is shown again: what was typed, problems by field, and those of no one field. */
interface FormState {
  section: Section;
  values: Record<string, string>;
  errors: Record<string, string>;
  general: string[];
}

const text = formText;
const businessForm = z.object({ name: text, locale: text, timeZone: text, timeZoneOther: text });
const hoursForm = z.object({
  useHours: formCheckbox,
  ...Object.fromEntries(
    WEEKDAYS.flatMap((d) => [
      [`${d}-closed`, formCheckbox],
      [`${d}-open`, text],
      [`${d}-close`, text],
      [`${d}-open2`, text],
      [`${d}-close2`, text],
    ]),
  ),
});
const exceptionForm = z.object({ date: text, closedAllDay: formCheckbox, open: text, close: text });
const orderingForm = z.object({
  pickup: formCheckbox,
  delivery: formCheckbox,
  deliveryFee: text,
  freeDeliveryOver: text,
  minimumOrder: text,
});
const closedForm = z.object({ closedMessage: text, preOrders: formCheckbox });
const aiForm = z.object({ aiReplies: formCheckbox, persona: text });
const staffForm = z.object({ adminNumbers: text });

/** '9:30' → '09:30' (a browser without a time picker sends what was typed); anything else as typed. */
const clock = (value: string): string => {
  const trimmed = value.trim();
  return /^\d:\d\d$/.test(trimmed) ? `0${trimmed}` : trimmed;
};

/** An amount typed in major units ('2,50', '2.5'): its number, or a problem; empty is `empty`. */
function parseAmount(value: string, empty: number | null): { amount: number | null; problem?: string } {
  const typed = value.trim().replace(',', '.');
  if (typed === '') return { amount: empty };
  if (!/^\d+(\.\d+)?$/.test(typed)) return { amount: 0, problem: 'must be an amount such as 2.50' };
  return { amount: Number(typed) };
}

const checkbox = (id: string, name: string, label: string, checked: boolean, error?: string): string =>
  `<p><input type="checkbox" id="${id}" name="${name}" data-testid="${id}"${checked ? ' checked' : ''}` +
  `${error ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''}> <label for="${id}" class="inline">${esc(label)}</label>` +
  (error ? ` <span class="error" id="${id}-error" data-testid="${id}-error">${esc(error)}</span>` : '') +
  '</p>';

/** An amount in minor units as the form shows it, in major units with the currency's decimals ('2.50'). */
const money = (minor: number | undefined, business: BusinessData): string =>
  minor === undefined
    ? ''
    : fromMinorUnits(minor, business.currency).toFixed(currencyDigits(business.currency));

/** Each section's form values as stored: what a form shows when it was not just refused. */
function storedValues(business: BusinessData, section: Section): Record<string, string> {
  const view = businessView(business);
  switch (section) {
    case 'business':
      return { name: view.name, locale: view.locale, timeZone: view.timeZone, timeZoneOther: view.timeZone };
    case 'hours': {
      // Hours switched off are still shown (greyed), so switching them on again gives back the same week.
      const values: Record<string, string> = {
        useHours: view.openingHours && !view.openingHoursOff ? 'on' : '',
      };
      for (const day of WEEKDAYS) {
        const hours = view.openingHours?.[day] ?? [];
        values[`${day}-closed`] = view.openingHours && hours.length === 0 ? 'on' : '';
        values[`${day}-open`] = hours[0]?.open ?? '';
        values[`${day}-close`] = hours[0]?.close ?? '';
        values[`${day}-open2`] = hours[1]?.open ?? '';
        values[`${day}-close2`] = hours[1]?.close ?? '';
      }
      return values;
    }
    case 'exceptions':
      return { date: '', closedAllDay: 'on', open: '', close: '' };
    case 'ordering':
      return {
        pickup: view.fulfilment.pickup ? 'on' : '',
        delivery: view.fulfilment.delivery ? 'on' : '',
        deliveryFee: money(business.deliveryFeeMinor ?? 0, business),
        freeDeliveryOver: money(business.freeDeliveryOverMinor, business),
        minimumOrder: money(business.minimumOrderMinor ?? 0, business),
      };
    case 'closed':
      return { closedMessage: view.closedMessage, preOrders: view.preOrders ? 'on' : '' };
    case 'ai':
      return { aiReplies: view.aiReplies ? 'on' : '', persona: view.persona };
    case 'staff':
      return { adminNumbers: view.adminNumbers.map((n) => `+${n}`).join('\n') };
  }
}

function settingsPage(
  req: Request,
  res: Response,
  portal: Portal,
  session: PortalSession,
  business: BusinessData,
  state?: FormState,
): void {
  const base = `/portal/b/${esc(business.phoneNumberId)}/settings`;
  const valuesOf = (section: Section) =>
    state?.section === section ? state.values : storedValues(business, section);
  const errorsOf = (section: Section) => (state?.section === section ? state.errors : {});
  const problems = (section: Section) => (state?.section === section ? problemBlock(state.general) : '');
  const form = (section: Section, title: string, body: string, button = 'Save') =>
    `<section aria-labelledby="${section}-heading" id="${section}"><h2 id="${section}-heading">${esc(title)}</h2>` +
    problems(section) +
    `<form method="post" action="${base}/${section}" data-testid="${section}-form">${csrfField(session)}${body}` +
    `<p><button type="submit" data-testid="${section}-save">${esc(button)}</button></p></form></section>`;
  const currency = business.currency;

  // Business: name, language, time zone.
  const b = valuesOf('business');
  const be = errorsOf('business');
  const zone = b.timeZone ?? 'UTC';
  const common = COMMON_ZONES.includes(zone);
  const locales = [...LANGUAGES] as string[];
  if (b.locale && !locales.includes(b.locale)) locales.push(b.locale);
  const businessSection = form(
    'business',
    'Business',
    control({
      id: 'name',
      label: 'Name',
      error: be.name,
      html: (a) => `<input ${a} name="name" required maxlength="100" value="${esc(b.name)}">`,
    }) +
      control({
        id: 'locale',
        label: 'Language of the bot and of staff notices',
        error: be.locale,
        html: (a) =>
          `<select ${a} name="locale">${locales
            .map(
              (l) =>
                `<option value="${esc(l)}"${l === b.locale ? ' selected' : ''}>${esc(LANGUAGE_NAMES[l as keyof typeof LANGUAGE_NAMES] ?? l)}</option>`,
            )
            .join('')}</select>`,
      }) +
      control({
        id: 'timeZone',
        label: 'Time zone',
        error: be.timeZone,
        html: (a) =>
          `<select ${a} name="timeZone">${COMMON_ZONES.map(
            (z) =>
              `<option value="${esc(z)}"${z === zone ? ' selected' : ''}>${esc(z.replace(/_/g, ' '))}</option>`,
          ).join(
            '',
          )}<option value="other"${common ? '' : ' selected'}>Other (type it below)</option></select>`,
      }) +
      control({
        id: 'timeZoneOther',
        label: 'Other time zone',
        hint: 'An IANA name such as America/Lima; used when "Other" is chosen above.',
        error: be.timeZoneOther,
        html: (a) =>
          `<input ${a} name="timeZoneOther" value="${esc(common ? '' : (b.timeZoneOther ?? zone))}" autocomplete="off">`,
      }),
  );

  // Opening hours, a row per weekday.
  const h = valuesOf('hours');
  const he = errorsOf('hours');
  const time = (id: string, label: string) =>
    `<span><label for="${id}">${esc(label)}</label><input type="time" id="${id}" name="${id}" data-testid="${id}" value="${esc(h[id])}"` +
    `${he[id] ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''}></span>`;
  const dayRows = WEEKDAYS.map((day) => {
    const error = [he[`${day}-open`], he[`${day}-close`], he[`${day}-open2`], he[`${day}-close2`]]
      .filter(Boolean)
      .join(' ');
    const errorId = he[`${day}-open`]
      ? `${day}-open`
      : he[`${day}-close`]
        ? `${day}-close`
        : he[`${day}-open2`]
          ? `${day}-open2`
          : `${day}-close2`;
    return (
      `<fieldset class="day" data-testid="day-${day}"><legend>${WEEKDAY_NAMES[day]}</legend>` +
      `<span class="wide"><input type="checkbox" id="${day}-closed" name="${day}-closed" data-testid="${day}-closed"${h[`${day}-closed`] === 'on' ? ' checked' : ''}> <label for="${day}-closed" class="inline">Closed</label></span>` +
      time(`${day}-open`, 'Opens') +
      time(`${day}-close`, 'Closes') +
      time(`${day}-open2`, 'Opens again') +
      time(`${day}-close2`, 'Closes again') +
      (error
        ? `<span class="error wide" id="${errorId}-error" data-testid="${day}-error">${esc(error)}</span>`
        : '') +
      '</fieldset>'
    );
  }).join('');
  const hoursSection = form(
    'hours',
    'Opening hours',
    // Unticked, the days look switched off (greyed) but stay editable; :has() follows the box without script.
    '<style>#hours form:has(#useHours:not(:checked)) .day{opacity:.55;background:#f4f4f4}</style>' +
      (h.useHours !== 'on' && business.openingHours
        ? '<p class="hint" data-testid="hours-off">The opening hours are switched off: the bot treats the business as always open. The hours below are kept; tick the box to use them again.</p>'
        : '') +
      `<p class="hint">Times in ${esc(zone.replace(/_/g, ' '))}. A closing time before the opening time ends the next day (20:00 to 02:00). The second opening is optional.</p>` +
      checkbox(
        'useHours',
        'useHours',
        'Use these opening hours (unticked: always open; the hours below are kept for later)',
        h.useHours === 'on',
        he.useHours,
      ) +
      dayRows,
  );

  // Exceptions: the list with a remove link each (confirmed on its own page), and the add form.
  const ex = valuesOf('exceptions');
  const exe = errorsOf('exceptions');
  const exceptions = (business.closedDays ?? [])
    .map(
      (d) =>
        `<li data-testid="exception-${esc(d.date)}">${esc(formatDate('en', `${d.date}T12:00:00Z`))}: ` +
        `${d.hours.length === 0 ? 'closed all day' : d.hours.map((i) => `${esc(i.open)}–${esc(i.close)}`).join(', ')} ` +
        `<a href="${base}/exceptions/${esc(d.date)}/remove" data-testid="remove-exception-${esc(d.date)}">Remove<span class="visually-hidden"> the exception of ${esc(d.date)}</span></a></li>`,
    )
    .join('');
  const exceptionsSection = form(
    'exceptions',
    'Exceptions (holidays, special hours)',
    (exceptions ? `<ul data-testid="exceptions">${exceptions}</ul>` : '<p>No exceptions.</p>') +
      '<h3>Add an exception</h3>' +
      control({
        id: 'date',
        label: 'Date',
        error: exe.date,
        html: (a) => `<input type="date" ${a} name="date" required value="${esc(ex.date)}">`,
      }) +
      checkbox('closedAllDay', 'closedAllDay', 'Closed all day', ex.closedAllDay === 'on', exe.closedAllDay) +
      control({
        id: 'exception-open',
        label: 'Or open from',
        error: exe.open,
        html: (a) => `<input type="time" ${a} name="open" value="${esc(ex.open)}">`,
      }) +
      control({
        id: 'exception-close',
        label: 'Until',
        error: exe.close,
        html: (a) => `<input type="time" ${a} name="close" value="${esc(ex.close)}">`,
      }),
    'Add exception',
  );

  // Ordering: fulfilment, fee, threshold, minimum.
  const o = valuesOf('ordering');
  const oe = errorsOf('ordering');
  const amountControl = (id: string, label: string, hint?: string) =>
    control({
      id,
      label: `${label} (${currency})`,
      error: oe[id],
      ...(hint ? { hint } : {}),
      html: (a) => `<input ${a} name="${id}" inputmode="decimal" value="${esc(o[id])}">`,
    });
  const orderingSection = form(
    'ordering',
    'Ordering',
    `<fieldset${oe.fulfilment ? ' aria-describedby="fulfilment-error"' : ''}><legend>How customers get their order</legend>` +
      checkbox('pickup', 'pickup', 'Pickup at the shop', o.pickup === 'on') +
      checkbox('delivery', 'delivery', 'Delivery', o.delivery === 'on') +
      (oe.fulfilment
        ? `<span class="error" id="fulfilment-error" data-testid="fulfilment-error">${esc(oe.fulfilment)}</span>`
        : '') +
      '</fieldset>' +
      amountControl('deliveryFee', 'Delivery fee', '0 for free delivery.') +
      amountControl('freeDeliveryOver', 'Free delivery from', 'Leave empty if the fee always applies.') +
      amountControl('minimumOrder', 'Minimum order', '0 for none.'),
  );

  // Closed behaviour.
  const c = valuesOf('closed');
  const ce = errorsOf('closed');
  const closedSection = form(
    'closed',
    'When closed',
    control({
      id: 'closedMessage',
      label: 'What the bot says when closed (optional)',
      hint: 'Empty: "We\'re closed now; we open …" in the customer\'s language. The next opening is added either way.',
      error: ce.closedMessage,
      html: (a) =>
        `<textarea ${a} name="closedMessage" rows="3" maxlength="500">${esc(c.closedMessage)}</textarea>`,
    }) +
      checkbox(
        'preOrders',
        'preOrders',
        'Take orders while closed, to prepare at the next opening',
        c.preOrders === 'on',
        ce.preOrders,
      ),
  );

  // AI and persona, with the honest status.
  const ai = valuesOf('ai');
  const aie = errorsOf('ai');
  const aiSection = form(
    'ai',
    'AI replies and persona',
    `<p data-testid="ai-status" role="status"><strong>${esc(aiStatus(business, portal.deps.aiConfigured ?? false))}</strong></p>` +
      checkbox(
        'aiReplies',
        'aiReplies',
        'Let an AI phrase replies to customers',
        ai.aiReplies === 'on',
        aie.aiReplies,
      ) +
      control({
        id: 'persona',
        label: 'Persona: how the AI should sound (tone only, no facts)',
        error: aie.persona,
        html: (a) => `<textarea ${a} name="persona" rows="3" maxlength="500">${esc(ai.persona)}</textarea>`,
      }),
  );

  // Staff numbers: the operator edits them; a key only sees them.
  const st = valuesOf('staff');
  const ste = errorsOf('staff');
  const staffSection =
    session.actor.kind === 'operator'
      ? form(
          'staff',
          'Staff numbers',
          control({
            id: 'adminNumbers',
            label: 'WhatsApp numbers of the staff, one per line',
            hint: 'International format, e.g. +34600111222. They receive notices and may send commands.',
            error: ste.adminNumbers,
            html: (a) => `<textarea ${a} name="adminNumbers" rows="4">${esc(st.adminNumbers)}</textarea>`,
          }),
        )
      : '<section aria-labelledby="staff-heading" id="staff"><h2 id="staff-heading">Staff numbers</h2>' +
        (business.adminNumbers.length > 0
          ? `<ul data-testid="staff-numbers">${business.adminNumbers.map((n) => `<li>+${esc(n)}</li>`).join('')}</ul>`
          : '<p data-testid="staff-numbers">No staff numbers.</p>') +
        '<p>Only the operator can change them.</p></section>';

  sendPage(res, {
    title: `Settings · ${business.name}`,
    status: state ? 400 : 200,
    nav: nav(session, business),
    body:
      messageBlock(req) +
      // The appointments set-up is reachable here too (the nav hides Appointments when none are offered).
      `<p data-testid="settings-appointments">Appointments: <a href="/portal/b/${esc(business.phoneNumberId)}/appointments/setup">set up →</a></p>` +
      businessSection +
      hoursSection +
      exceptionsSection +
      orderingSection +
      closedSection +
      aiSection +
      staffSection,
  });
}

/** The openings a day's fields give, and the day's own problems (a time with no partner). */
function dayOpenings(
  values: Record<string, string>,
  day: Weekday,
): { hours: OpeningInterval[]; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  if (values[`${day}-closed`] === 'on') return { hours: [], problems };
  const hours: OpeningInterval[] = [];
  for (const suffix of ['', '2']) {
    const open = clock(values[`${day}-open${suffix}`] ?? '');
    const close = clock(values[`${day}-close${suffix}`] ?? '');
    if (!open && !close) continue;
    if (!open) problems[`${day}-open${suffix}`] = 'needs an opening time too';
    else if (!close) problems[`${day}-close${suffix}`] = 'needs a closing time too';
    hours.push({ open: open || '00:00', close: close || '00:01' });
  }
  if (hours.length === 0) problems[`${day}-open`] = 'enter the hours, or tick Closed';
  return { hours, problems };
}

/** A setting path of the hours → the form field it belongs to (`openingHours.mon.1.close` → `mon-close2`). */
function hoursField(path: PropertyKey[]): string | undefined {
  const [top, day, index, part] = path;
  if (top !== 'openingHours' || typeof day !== 'string') return undefined;
  const suffix = index === 1 ? '2' : '';
  return `${day}-${part === 'close' ? 'close' : 'open'}${suffix}`;
}

/** The settings page and one save route per section. */
export function settingsPages(portal: Portal): Router {
  const router = express.Router();

  router.get('/portal/b/:pnid/settings', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    settingsPage(req, res, portal, session, await portal.businessFor(req, session));
  });

  /**
   * One section's save: the form read as typed, its own problems, then the configuration change checked
   * as a whole; a refusal shows the page again with the problems next to the fields.
   */
  function save<T extends Record<string, unknown>>(
    section: Section,
    schema: z.ZodObject<z.ZodRawShape>,
    build: (
      form: T,
      business: BusinessData,
      session: PortalSession,
    ) => {
      change: (input: Record<string, unknown>) => Record<string, unknown>;
      problems?: Record<string, string>;
      fieldOf: (path: PropertyKey[]) => string | undefined;
    },
  ) {
    router.post(`/portal/b/:pnid/settings/${section}`, portal.form, async (req, res) => {
      const session = await portal.requirePost(req, res);
      if (!session) return;
      const business = await portal.businessFor(req, session);
      const typed = readForm(schema, req.body) as T;
      const values = Object.fromEntries(
        Object.entries(typed).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 'on' : '') : String(v)]),
      );
      try {
        const { change, problems = {}, fieldOf } = build(typed, business, session);
        const invalid = mapIssues(fieldOf, problems);
        if (Object.keys(problems).length > 0) portal.refuse(business, change, invalid);
        await portal.write(session, business, change, invalid);
      } catch (err) {
        if (!(err instanceof FormInvalid)) throw err;
        settingsPage(req, res, portal, session, business, {
          section,
          values,
          errors: err.fields,
          general: err.general,
        });
        return;
      }
      portal.deps.counters.add('portal.settings_saved');
      res.redirect(303, `/portal/b/${business.phoneNumberId}/settings?msg=settings-saved#${section}`);
    });
  }

  save<z.output<typeof businessForm>>('business', businessForm, (form) => {
    const other = form.timeZone === 'other';
    const timeZone = other ? form.timeZoneOther.trim() : form.timeZone;
    const problems: Record<string, string> = {};
    if (other && !timeZone) problems.timeZoneOther = 'type a time zone such as America/Lima';
    return {
      change: (input) => ({ ...input, name: form.name, locale: form.locale, timeZone: timeZone || 'UTC' }),
      problems,
      fieldOf: (path) => {
        if (path[0] === 'timeZone') return other ? 'timeZoneOther' : 'timeZone';
        return path[0] === 'name' || path[0] === 'locale' ? path[0] : undefined;
      },
    };
  });

  save<Record<string, string | boolean>>('hours', hoursForm, (form) => {
    const values = Object.fromEntries(
      Object.entries(form).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 'on' : '') : v]),
    );
    const problems: Record<string, string> = {};
    const week: Record<string, OpeningInterval[]> = {};
    for (const day of WEEKDAYS) {
      const { hours, problems: own } = dayOpenings(values, day);
      week[day] = hours;
      Object.assign(problems, own);
    }
    if (form.useHours !== true) {
      // Switched off: always open, but the week is kept for switching it on again. The hours as edited are
      // kept when they are whole; otherwise the stored ones stay (switching off is never refused).
      const edited = Object.keys(problems).length === 0 && Object.values(week).some((d) => d.length > 0);
      return {
        change: (input) => ({
          ...input,
          ...(edited ? { openingHours: week } : {}),
          openingHoursOff: true,
        }),
        fieldOf: () => undefined,
      };
    }
    return {
      change: (input) => ({ ...input, openingHours: week, openingHoursOff: false }),
      problems,
      fieldOf: hoursField,
    };
  });

  save<z.output<typeof exceptionForm>>('exceptions', exceptionForm, (form, business) => {
    const problems: Record<string, string> = {};
    const date = form.date.trim();
    if (!date) problems.date = 'choose a date';
    else if ((business.closedDays ?? []).some((d) => d.date === date))
      problems.date = 'already has an exception: remove it first';
    const open = clock(form.open);
    const close = clock(form.close);
    if (!form.closedAllDay && (!open || !close))
      problems[open ? 'close' : 'open'] = 'enter both times, or tick Closed all day';
    const hours = form.closedAllDay || !open || !close ? [] : [{ open, close }];
    const index = (business.closedDays ?? []).length;
    return {
      change: (input) => ({
        ...input,
        closedDays: [...((input.closedDays as unknown[]) ?? []), { date: date || '2000-01-01', hours }],
      }),
      problems,
      fieldOf: (path) => {
        if (path[0] !== 'closedDays' || path[1] !== index) return undefined;
        if (path[2] === 'date') return 'date';
        return path[4] === 'close' ? 'close' : 'open';
      },
    };
  });

  save<z.output<typeof orderingForm>>('ordering', orderingForm, (form) => {
    const problems: Record<string, string> = {};
    const fee = parseAmount(form.deliveryFee, 0);
    const over = parseAmount(form.freeDeliveryOver, null);
    const minimum = parseAmount(form.minimumOrder, 0);
    if (fee.problem) problems.deliveryFee = fee.problem;
    if (over.problem) problems.freeDeliveryOver = over.problem;
    if (minimum.problem) problems.minimumOrder = minimum.problem;
    return {
      change: (input) => ({
        ...input,
        fulfilment: { pickup: form.pickup, delivery: form.delivery },
        deliveryFee: fee.amount ?? 0,
        freeDeliveryOver: over.amount,
        minimumOrder: minimum.amount ?? 0,
      }),
      problems,
      fieldOf: (path) =>
        ['fulfilment', 'deliveryFee', 'freeDeliveryOver', 'minimumOrder'].includes(String(path[0]))
          ? String(path[0])
          : undefined,
    };
  });

  save<z.output<typeof closedForm>>('closed', closedForm, (form) => ({
    change: (input) => ({ ...input, closedMessage: form.closedMessage, preOrders: form.preOrders }),
    fieldOf: (path) => (path[0] === 'closedMessage' || path[0] === 'preOrders' ? path[0] : undefined),
  }));

  save<z.output<typeof aiForm>>('ai', aiForm, (form) => ({
    change: (input) => ({ ...input, aiReplies: form.aiReplies, persona: form.persona }),
    fieldOf: (path) => (path[0] === 'aiReplies' || path[0] === 'persona' ? path[0] : undefined),
  }));

  save<z.output<typeof staffForm>>('staff', staffForm, (form, _business, session) => {
    if (session.actor.kind !== 'operator')
      throw new PortalError(403, 'Only the operator can change the staff numbers.');
    const numbers = form.adminNumbers
      .split(/[\r\n]+/)
      .map((n) => n.trim())
      .filter(Boolean);
    return {
      change: (input) => ({ ...input, adminNumbers: numbers }),
      fieldOf: (path) => (path[0] === 'adminNumbers' ? 'adminNumbers' : undefined),
    };
  });

  // Removing an exception: asked first on a page of its own (no scripts in the portal), then posted.
  router.get('/portal/b/:pnid/settings/exceptions/:date/remove', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const day = (business.closedDays ?? []).find((d) => d.date === req.params.date);
    if (!day) throw new PortalError(404, 'No such exception.');
    const base = `/portal/b/${esc(business.phoneNumberId)}/settings`;
    sendPage(res, {
      title: `Remove an exception · ${business.name}`,
      nav: nav(session, business),
      body:
        `<p>Remove the exception of <strong>${esc(formatDate('en', `${day.date}T12:00:00Z`))}</strong>? ` +
        'That day then has its usual weekly hours.</p>' +
        `<form method="post" action="${base}/exceptions/${esc(day.date)}/remove" data-testid="remove-exception-form">${csrfField(session)}` +
        `<p><button type="submit" data-testid="confirm-remove">Remove the exception</button> <a href="${base}#exceptions">Keep it</a></p></form>`,
    });
  });

  router.post('/portal/b/:pnid/settings/exceptions/:date/remove', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const date = String(req.params.date);
    await portal.write(
      session,
      business,
      (input) => ({
        ...input,
        closedDays: ((input.closedDays as Array<{ date: string }>) ?? []).filter((d) => d.date !== date),
      }),
      mapIssues(() => undefined),
    );
    res.redirect(303, `/portal/b/${business.phoneNumberId}/settings?msg=settings-saved#exceptions`);
  });

  return router;
}
