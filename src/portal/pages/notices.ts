import express from 'express';
import type { Router } from 'express';
import { escapeHtml as esc } from '../../http/escape-html.js';
import { NOTICE_LOG_DAYS } from '../../outbox/notice-log.js';
import type { NoticeRow } from '../../outbox/notice-log.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { nav, sendPage } from '../layout.js';
import { businessZone, placedText, zoneNote } from '../order-parts.js';

const AUDIENCE: Record<NoticeRow['audience'], string> = { customer: 'Customer', staff: 'Staff number' };

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
    const rows = await read(business.phoneNumberId, now);
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
        `<p>Messages the bot sent on its own of the last ${NOTICE_LOG_DAYS} days: order status notices to customers and alerts to your staff numbers. ` +
        'Outside the 24-hour window after a person last wrote, WhatsApp delivers only approved templates: ' +
        `<a href="${base}/templates">map your templates</a> so these still arrive.</p>` +
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
