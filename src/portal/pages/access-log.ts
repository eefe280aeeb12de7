import express from 'express';
import type { Router } from 'express';
import type { BusinessData } from '../../businesses/schema.js';
import type { AccessActor, AccessLogEntry, AccessWhat } from '../../db/models/access-log.model.js';
import { ACCESS_LOG_RETENTION_DAYS } from '../../db/models/access-log.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import type { Portal } from '../context.js';
import { textOf } from '../forms.js';
import { nav, sendPage } from '../layout.js';
import { businessZone, inZone, zoneNote } from '../order-parts.js';

/** Entries per page. */
const PAGE_SIZE = 50;

/** On a phone each view is a small card with its labels, not a table wider than the screen. */
const LOG_STYLE =
  '<style>@media (max-width:40rem){.log thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}' +
  '.log tr{display:block;border-bottom:1px solid #ddd;padding:.4rem 0}.log td{display:block;border:0;padding:.1rem 0}' +
  '.log td::before{content:attr(data-label) ": ";font-weight:600}}</style>';

/** What each kind of view showed, in words. */
const WHAT_LABEL: Record<AccessWhat, string> = {
  'order.customer': 'An order’s customer details (name, number, address)',
  'handoff.thread': 'An inbox conversation (the customer’s name and messages)',
  'handoff.list': 'The inbox list (names and masked numbers of the customers waiting)',
  'appointment.customer': 'An appointment’s customer details (name, number, intake answers)',
  'appointment.list': 'The calendar (names and masked numbers of the customers booked)',
};

/**
 * The business's access log: every view of a customer's details in the portal (an order's customer, an inbox
 * conversation, the inbox list), newest first, 50 a page: what was viewed, which order or conversation, when
 * (in the business's time zone) and who (the operator, or the business's key with its label). The log names
 * orders and conversations by reference only, never a customer; it is kept for a year.
 */
export function accessLogPage(portal: Portal): Router {
  const router = express.Router();
  const { deps } = portal;

  router.get('/portal/b/:pnid/access-log', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const pnid = business.phoneNumberId;
    const total = await deps.desk.accessLogSize(pnid);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(Math.max(Number.parseInt(textOf(req.query.page), 10) || 1, 1), pages);
    const [entries, keys] = await Promise.all([
      deps.desk.accessLog(pnid, PAGE_SIZE, (page - 1) * PAGE_SIZE),
      deps.keys.list(pnid),
    ]);
    const labels = new Map(keys.map((k) => [k._id, k.label]));
    const zone = businessZone(business);
    const base = `/portal/b/${esc(pnid)}/access-log`;
    const rows = entries.map((e) => row(business, e, zone, labels)).join('');
    sendPage(res, {
      title: `Access log · ${business.name}`,
      nav: nav(session, business),
      body:
        `<p>Every time someone opened a customer’s details in this portal: who, what and when. Kept for ${ACCESS_LOG_RETENTION_DAYS} days.</p>` +
        `<p>${zoneNote(zone)}</p>` +
        (rows
          ? `${LOG_STYLE}<table class="log" data-testid="access-log"><caption>${total} ${total === 1 ? 'view' : 'views'}, newest first</caption>` +
            '<thead><tr><th scope="col">When</th><th scope="col">What was viewed</th><th scope="col">Which</th><th scope="col">Who</th></tr></thead>' +
            `<tbody>${rows}</tbody></table>`
          : '<p data-testid="access-log-empty">Nobody has opened a customer’s details yet.</p>') +
        (pages > 1
          ? `<p data-testid="access-log-pages">Page ${page} of ${pages}` +
            (page > 1 ? ` · <a href="${base}?page=${page - 1}" rel="prev">Newer</a>` : '') +
            (page < pages ? ` · <a href="${base}?page=${page + 1}" rel="next">Older</a>` : '') +
            '</p>'
          : ''),
    });
  });

  return router;
}

/** One view: when, what in words, a link to the order or conversation, and who. */
function row(business: BusinessData, e: AccessLogEntry, zone: string, labels: Map<string, string>): string {
  const base = `/portal/b/${esc(business.phoneNumberId)}`;
  const which =
    e.what === 'order.customer'
      ? `<a href="${base}/orders/${encodeURIComponent(e.ref)}">Order ${esc(e.ref)}</a>`
      : e.what === 'handoff.thread'
        ? `<a href="${base}/inbox/${encodeURIComponent(e.ref)}">Conversation ${esc(e.ref.slice(0, 8))}</a>`
        : e.what === 'appointment.customer'
          ? `<a href="${base}/appointments/${encodeURIComponent(e.ref)}">Appointment ${esc(e.ref)}</a>`
          : e.what === 'appointment.list'
            ? `<a href="${base}/appointments">Calendar</a>`
            : `<a href="${base}/inbox">Inbox</a>`;
  return (
    `<tr data-testid="access-${esc(e._id)}">` +
    `<td data-label="When"><time datetime="${esc(e.at.toISOString())}">${esc(inZone(e.at, zone).toFormat('d LLL yyyy, HH:mm'))}</time></td>` +
    `<td data-label="What">${esc(WHAT_LABEL[e.what] ?? 'A customer’s details')}</td>` +
    `<td data-label="Which">${which}</td><td data-label="Who">${esc(actorText(e.actor, labels))}</td></tr>`
  );
}

/** "Operator", or the key as the portal names it with its label: "Key “front desk” (ab12…)". */
function actorText(actor: AccessActor, labels: Map<string, string>): string {
  if (actor.kind === 'operator') return 'Operator';
  const label = labels.get(actor.id);
  return label ? `Key “${label}” (${actor.id})` : `Key ${actor.id}`;
}
