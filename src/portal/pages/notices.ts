import express from 'express';
import type { Router } from 'express';
import type { BusinessData } from '../../businesses/schema.js';
import { DAY_MS } from '../../core/time.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import { NOTICE_LOG_DAYS } from '../../outbox/notice-log.js';
import type { NoticeRow } from '../../outbox/notice-log.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { nav, sendPage } from '../layout.js';
import { businessZone, cancelledByCustomer, placedText, zoneNote } from '../order-parts.js';
import { noStaffNumbers, noStaffNumbersBlock } from '../staff-numbers.js';

const AUDIENCE: Record<NoticeRow['audience'], string> = { customer: 'Customer', staff: 'Staff' };

/**
 * The staff events of the last days (new orders, requests for a person, customers' own cancellations) read
 * from the orders and handoffs themselves, for a business with no staff number: no alert was made, so
 * the outbox has no record of them, yet staff must see they happened and that nobody was told.
 */
async function unalertedStaffEvents(
  portal: Portal,
  business: BusinessData,
  now: number,
): Promise<NoticeRow[]> {
  const since = new Date(now - NOTICE_LOG_DAYS * DAY_MS);
  const orders = await portal.deps.desk.between(business.phoneNumberId, since, new Date(now + 1));
  const handoffs = (await portal.deps.handoffs?.openedSince(business.phoneNumberId, since)) ?? [];
  const notSent = { audience: 'staff' as const, outcome: 'Not sent: no staff numbers', problem: true };
  const rows: NoticeRow[] = [];
  for (const order of orders) {
    const n = order.orderNumber;
    rows.push({ ...notSent, id: `order-placed:${n}`, at: order.placedAt, kind: `New order ${n}` });
    const cancelled = order.statusHistory.at(-1);
    if (cancelledByCustomer(order) && cancelled)
      rows.push({
        ...notSent,
        id: `order-cancelled:${n}`,
        at: cancelled.at,
        kind: `Order ${n} cancelled by the customer`,
      });
  }
  for (const h of handoffs)
    rows.push({ ...notSent, id: `handoff:${h.id}`, at: h.at, kind: 'A customer asked for a person' });
  return rows;
}

/**
 * "Notices": what the business's bot sent on its own initiative in the last days (customers' order status
 * notices, staff alerts, template replies) and what became of each, in words: sent, sent by template,
 * not sent and why (outside the 24-hour window with no template mapped, rejected by Meta, opted out…).
 * Never a message's text. Staff alerts are always visible here, even when none reached a staff number.
 */
export function noticesPage(portal: Portal): Router {
  const router = express.Router();

  router.get('/portal/b/:pnid/notices', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const read = portal.deps.notices;
    if (!read) throw new PortalError(404, 'The notices page is not set up on this server.');
    const now = portal.now();
    const sent = await read(business.phoneNumberId, now);
    const rows = noStaffNumbers(business)
      ? [...sent, ...(await unalertedStaffEvents(portal, business, now))].sort(
          (a, b) => b.at.getTime() - a.at.getTime(),
        )
      : sent;
    const zone = businessZone(business);
    const base = `/portal/b/${esc(business.phoneNumberId)}`;
    const problems = rows.filter((r) => r.problem).length;
    const items = rows
      .map(
        (r) =>
          `<tr data-testid="notice-row"${r.problem ? ' class="not-sent"' : ''}>` +
          `<td><time datetime="${r.at.toISOString()}">${esc(placedText(r.at, zone, now))}</time></td>` +
          `<td>${esc(r.kind)}</td><td><span class="visually-hidden">To: </span>${esc(AUDIENCE[r.audience])}</td>` +
          `<td data-testid="notice-outcome">${r.problem ? '<strong>' : ''}${esc(r.outcome)}${r.problem ? '</strong>' : ''}</td></tr>`,
      )
      .join('');
    sendPage(res, {
      title: 'Notices and alerts',
      nav: nav(session, business),
      live: 'order.updated,order.placed,order.cancelled,handoff.opened',
      body:
        noStaffNumbersBlock(business) +
        `<p>Messages the bot sent on its own of the last ${NOTICE_LOG_DAYS} days: order status notices to customers and alerts to your staff numbers. ` +
        'Outside the 24-hour window after a person last wrote, WhatsApp delivers only approved templates: ' +
        `<a href="${base}/templates">map your templates</a> so these still arrive.</p>` +
        (noStaffNumbers(business)
          ? '<p>Staff events (new orders, requests for a person, customers’ cancellations) are listed too, as “not sent”.</p>'
          : '') +
        `<div id="notices" data-live-region>` +
        (rows.length === 0
          ? '<p data-testid="notices-empty">Nothing in the last 7 days.</p>'
          : `<p data-testid="notices-summary">${rows.length} message${rows.length === 1 ? '' : 's'}; ` +
            `${problems === 0 ? 'all sent or on their way' : `<strong>${problems} not sent</strong>`}.</p>` +
            `<table class="stack" data-testid="notices"><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">To</th><th scope="col">Outcome</th></tr></thead>` +
            `<tbody>${items}</tbody></table>`) +
        '</div>' +
        zoneNote(zone),
    });
  });

  return router;
}
