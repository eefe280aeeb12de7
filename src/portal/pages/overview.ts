import express from 'express';
import type { Router } from 'express';
import { z } from 'zod';
import { DateTime } from 'luxon';
import type { BusinessData } from '../../businesses/schema.js';
import { formatMoney } from '../../core/money.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import type { DaySummary } from '../../orders/desk.js';
import { aiStatus, aiSwitchedMessage } from '../ai-status.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { csrfField, formText, generalProblems, readForm } from '../forms.js';
import { messageBlock, nav, sendPage } from '../layout.js';
import { businessZone, inZone, zoneNote } from '../order-parts.js';
import { noStaffNumbersBlock } from '../staff-numbers.js';

const aiForm = z.object({ aiReplies: formText });

/** A business's overview: the AI replies switch with its recent history, and what the business has set up. */
export function overviewPage(portal: Portal): Router {
  const router = express.Router();

  router.get('/portal/b/:pnid', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const base = `/portal/b/${esc(business.phoneNumberId)}`;
    const changes = await portal.deps.settings.changes(business.phoneNumberId, {
      limit: 5,
      field: 'aiReplies',
    });
    const zone = businessZone(business);
    const history = changes
      .map((c) => {
        const who =
          c.actor.kind === 'operator'
            ? 'operator'
            : c.actor.kind === 'key'
              ? `key ${c.actor.id}`
              : 'a staff number in the chat';
        return `<li><time datetime="${esc(c.at.toISOString())}">${esc(inZone(c.at, zone).toFormat('d LLL yyyy, HH:mm'))}</time>: ${c.to ? 'on' : 'off'} (${esc(who)})</li>`;
      })
      .join('');
    const today = DateTime.fromMillis(portal.now(), { zone }).startOf('day');
    const summary = await portal.deps.desk.day(
      business.phoneNumberId,
      today.toJSDate(),
      today.plus({ days: 1 }).toJSDate(),
    );
    const on = business.aiReplies;
    // Orders still to be handled, whenever placed: refreshed live as orders arrive and move on.
    const open = (await portal.deps.orders.openOrdersSince(business.phoneNumberId, new Date(0), 1)).total;
    sendPage(res, {
      title: business.name,
      nav: nav(session, business),
      live: 'order.placed,order.updated,order.cancelled',
      body:
        messageBlock(req) +
        noStaffNumbersBlock(business) +
        dashboard(business, summary, zone) +
        '<section aria-labelledby="ai-heading"><h2 id="ai-heading">AI replies</h2>' +
        `<p data-testid="ai-status">AI replies: <strong>${esc(aiStatus(business, portal.deps.aiConfigured ?? false))}</strong></p>` +
        `<form method="post" action="${base}/ai" data-testid="ai-form">${csrfField(session)}` +
        `<input type="hidden" name="aiReplies" value="${on ? 'off' : 'on'}">` +
        `<button type="submit" id="ai-toggle" data-testid="ai-toggle">Switch AI replies ${on ? 'off' : 'on'}</button></form>` +
        (history ? `<h3>Recent switches</h3><ul data-testid="ai-history">${history}</ul>` : '') +
        '</section>' +
        `<section aria-labelledby="summary-heading" id="summary-live" data-live-region><h2 id="summary-heading">Summary</h2><ul>` +
        `<li data-testid="open-orders"><a href="${base}/orders">${open === 1 ? '1 open order' : `${open} open orders`}</a></li>` +
        `<li>${business.catalog.length} catalog items (<a href="${base}/catalog">edit</a>)</li>` +
        `<li>${business.faq.length} FAQ entries (<a href="${base}/faq">edit</a>)</li>` +
        `<li><a href="${base}/orders">Orders</a> · <a href="${base}/privacy">Privacy requests</a></li>` +
        `<li><a href="${base}/notices" data-testid="notices-link">Notices and alerts of the last 7 days</a> (and which were not sent, and why)</li></ul></section>`,
    });
  });

  router.post('/portal/b/:pnid/ai', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const wanted = readForm(aiForm, req.body).aiReplies;
    if (wanted !== 'on' && wanted !== 'off') throw new PortalError(400, 'Choose on or off.');
    await portal.write(
      session,
      business,
      (input) => ({ ...input, aiReplies: wanted === 'on' }),
      generalProblems,
    );
    portal.deps.counters.add('portal.ai_switched');
    const msg = aiSwitchedMessage(
      { ...business, aiReplies: wanted === 'on' },
      portal.deps.aiConfigured ?? false,
    );
    res.redirect(303, `/portal/b/${business.phoneNumberId}?msg=${msg}`);
  });

  return router;
}

/** Width and height of the per-hour chart's drawing (it scales to the page's width). */
const CHART_W = 480;
const CHART_H = 160;
const AXIS = 18;

/**
 * Today's figures in the business's time zone: orders, revenue by currency (cancelled orders do not count),
 * orders still open (any day), and orders per hour as a bar chart drawn here as SVG, with the same numbers
 * as a table for screen readers and anyone who prefers one. Hand-written SVG: a chart library would be
 * larger than the chart, and the portal loads nothing from elsewhere.
 */
function dashboard(business: BusinessData, summary: DaySummary, zone: string): string {
  const base = `/portal/b/${esc(business.phoneNumberId)}/orders`;
  const revenue = new Map<string, number>();
  const perHour = Array.from({ length: 24 }, () => 0);
  for (const order of summary.orders) {
    const hour = inZone(order.placedAt, zone).hour;
    perHour[hour] = (perHour[hour] ?? 0) + 1;
    if (order.status !== 'cancelled')
      revenue.set(order.currency, (revenue.get(order.currency) ?? 0) + order.totalMinor);
  }
  const revenueText =
    revenue.size === 0
      ? formatMoney(0, business.currency)
      : [...revenue].map(([currency, minor]) => formatMoney(minor, currency)).join(' + ');
  const cancelled = summary.orders.filter((o) => o.status === 'cancelled').length;
  // The revenue leaves cancelled orders out: the count says how many, so the two figures agree.
  const cancelledText =
    cancelled > 0 ? ` <span data-testid="today-cancelled">(${cancelled} cancelled)</span>` : '';
  const most = Math.max(1, ...perHour);
  const slot = CHART_W / 24;
  const bars = perHour
    .map((count, hour) => {
      const h = Math.round(((CHART_H - AXIS) * count) / most);
      const x = (hour * slot + 2).toFixed(1);
      const label =
        hour % 3 === 0
          ? `<text x="${(hour * slot + slot / 2).toFixed(1)}" y="${CHART_H - 4}" text-anchor="middle" font-size="11">${hour}</text>`
          : '';
      return (
        (count > 0
          ? `<rect x="${x}" y="${CHART_H - AXIS - h}" width="${(slot - 4).toFixed(1)}" height="${h}" fill="#1a5fb4"><title>${hour}:00: ${count}</title></rect>`
          : '') + label
      );
    })
    .join('');
  const description = perHour.some((c) => c > 0)
    ? `Orders per hour today: ${perHour
        .map((c, h) => (c > 0 ? `${h}:00 ${c}` : ''))
        .filter(Boolean)
        .join(', ')}`
    : 'No orders yet today';
  const rows = perHour
    .map((c, h) => (c > 0 ? `<tr><th scope="row">${h}:00–${h}:59</th><td>${c}</td></tr>` : ''))
    .join('');
  return (
    '<style>.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem;list-style:none;padding:0}' +
    '.figures li{border:1px solid #ccc;border-radius:.4rem;padding:.5rem .75rem}.figures strong{display:block;font-size:1.5rem}' +
    '.chart{width:100%;height:auto;max-width:40rem}</style>' +
    '<section aria-labelledby="today-heading" data-testid="dashboard"><h2 id="today-heading">Today</h2>' +
    '<ul class="figures">' +
    `<li><strong data-testid="today-orders">${summary.orders.length}</strong> <a href="${base}?view=today">${summary.orders.length === 1 ? 'order' : 'orders'} today</a>${cancelledText}</li>` +
    `<li><strong data-testid="today-revenue">${esc(revenueText)}</strong> revenue today${cancelled > 0 ? ' (without cancelled orders)' : ''}</li>` +
    `<li><strong data-testid="open-orders">${summary.open}</strong> <a href="${base}?view=open">open orders</a></li></ul>` +
    `<h3 id="per-hour-heading">Orders per hour</h3>` +
    `<svg class="chart" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-labelledby="per-hour-heading" aria-describedby="per-hour-desc" data-testid="per-hour-chart">` +
    `<desc id="per-hour-desc">${esc(description)}</desc>` +
    `<line x1="0" y1="${CHART_H - AXIS}" x2="${CHART_W}" y2="${CHART_H - AXIS}" stroke="#888"/>${bars}</svg>` +
    (rows
      ? `<details><summary>Orders per hour as a table</summary><table data-testid="per-hour-table"><thead><tr><th scope="col">Hour</th><th scope="col">Orders</th></tr></thead><tbody>${rows}</tbody></table></details>`
      : '') +
    `<p>${zoneNote(zone)}</p></section>`
  );
}
