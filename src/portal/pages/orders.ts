import express from 'express';
import type { Request, Response, Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { BusinessData } from '../../businesses/schema.js';
import { currencyDigits, fromMinorUnits } from '../../core/money.js';
import { ORDER_STATUSES } from '../../core/order-status.js';
import type { OrderStatus } from '../../core/order-status.js';
import type { PortalSession } from '../../db/models/portal-session.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import { ORDER_STATUS_LABEL } from '../../language/order-status.js';
import { DESK_MAX_ORDERS } from '../../orders/desk.js';
import { customerNotice, OrderNotFoundError, OrderTransitionError } from '../../orders/service.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { csrfField, formText, readForm, textOf } from '../forms.js';
import { messageBlock, nav, problemBlock, sendPage } from '../layout.js';
import {
  businessZone,
  fulfilmentBlock,
  inZone,
  itemsBlock,
  noteBlock,
  preOrderBlock,
  ORDER_STYLE,
  orderBase,
  orderHeading,
  statusButtons,
  zoneNote,
} from '../order-parts.js';

const statusForm = z.object({ status: formText, confirm: formText, back: formText });

const isOrderStatus = (value: string): value is OrderStatus =>
  (ORDER_STATUSES as readonly string[]).includes(value);

/** The list's views: today's orders, the ones still to be handled (the default), or all. */
const VIEWS = { today: 'Today', open: 'Open', all: 'All' } as const;
type View = keyof typeof VIEWS;
const isView = (value: string): value is View => value in VIEWS;

/** The longest range one CSV export covers. */
const MAX_EXPORT_DAYS = 366;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use dates like 2026-03-31.');
const exportRange = z.object({ from: day, to: day }).superRefine((range, ctx) => {
  const from = DateTime.fromISO(range.from, { zone: 'UTC' });
  const to = DateTime.fromISO(range.to, { zone: 'UTC' });
  if (!from.isValid || !to.isValid) {
    ctx.addIssue({ code: 'custom', message: 'One of the dates does not exist.' });
    return;
  }
  if (from > to) ctx.addIssue({ code: 'custom', message: 'The first day must not be after the last day.' });
  else if (to.diff(from, 'days').days + 1 > MAX_EXPORT_DAYS)
    ctx.addIssue({ code: 'custom', message: `Export at most ${MAX_EXPORT_DAYS} days at a time.` });
});

/**
 * A CSV cell a spreadsheet must not run as a formula: text that starts with `=`, `+`, `-`, `@` or a control
 * character gets a leading apostrophe (OWASP "CSV injection").
 */
const cell = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/**
 * The business's orders, newest first, 50 a page: views for today and open orders, a status filter, each
 * order with its items, note and fulfilment and a button per next status; the CSV export of a date range.
 * The customer's name, number and address are on the order's own page (order-detail.ts), which records
 * each view.
 */
export function ordersPage(portal: Portal): Router {
  const router = express.Router();
  const { deps } = portal;

  async function render(
    req: Request,
    res: Response,
    session: PortalSession,
    business: BusinessData,
    refusal?: string,
    status = 200,
  ): Promise<void> {
    const base = orderBase(business);
    const zone = businessZone(business);
    const now = portal.now();
    const wanted = textOf(req.query.status);
    const filter = isOrderStatus(wanted) ? wanted : undefined;
    const viewParam = textOf(req.query.view);
    const view: View = isView(viewParam) ? viewParam : filter ? 'all' : 'open';
    const pageNumber = Math.min(Math.max(Number.parseInt(textOf(req.query.page), 10) || 1, 1), 100_000);
    const today = DateTime.fromMillis(now, { zone }).startOf('day');
    const page = await deps.desk.list(business.phoneNumberId, {
      limit: 50,
      page: pageNumber,
      ...(filter ? { status: filter } : {}),
      open: view === 'open',
      ...(view === 'today' ? { since: today.toJSDate(), until: today.plus({ days: 1 }).toJSDate() } : {}),
    });
    const query = (changes: { view?: View; status?: string; page?: number }): string => {
      const params = new URLSearchParams();
      params.set('view', changes.view ?? view);
      const s = 'status' in changes ? changes.status : filter;
      if (s) params.set('status', s);
      if (changes.page && changes.page > 1) params.set('page', String(changes.page));
      return esc(`${base}?${params.toString()}`);
    };
    const views = (Object.keys(VIEWS) as View[])
      .map(
        (v) =>
          `<li><a href="${query({ view: v, status: '' })}" data-testid="view-${v}"${v === view ? ' aria-current="page"' : ''}>${VIEWS[v]}</a></li>`,
      )
      .join('');
    const options = ['' as const, ...ORDER_STATUSES]
      .map(
        (s) =>
          `<option value="${s}"${s === (filter ?? '') ? ' selected' : ''}>${esc(s ? ORDER_STATUS_LABEL[s] : 'Any status')}</option>`,
      )
      .join('');
    const cards = page.orders
      .map((order) => {
        const n = order.orderNumber;
        return (
          `<li class="order" data-testid="order-${n}">` +
          `<h2>${orderHeading(order, zone, now, `${base}/${n}`)}</h2>` +
          itemsBlock(order) +
          noteBlock(order) +
          preOrderBlock(order, zone) +
          fulfilmentBlock(order, false) +
          `<p><a href="${base}/${n}" data-testid="order-${n}-details">Customer and address</a> · ` +
          `<a href="${base}/${n}/ticket" data-testid="order-${n}-ticket">Kitchen ticket</a></p>` +
          statusButtons(order, session, business, 'list') +
          '</li>'
        );
      })
      .join('');
    const pages = Math.max(1, Math.ceil(page.total / page.limit));
    const monthAgo = today.minus({ days: 30 }).toISODate() ?? '';
    const todayIso = today.toISODate() ?? '';
    sendPage(res, {
      title: `Orders · ${business.name}`,
      status,
      nav: nav(session, business),
      live: 'order.placed,order.updated,order.cancelled',
      body:
        ORDER_STYLE +
        messageBlock(req) +
        (refusal ? problemBlock([refusal]) : '') +
        `<nav aria-label="Which orders"><ul class="views">${views}</ul></nav>` +
        '<div class="tools">' +
        `<form method="get" action="${base}" data-testid="orders-filter"><input type="hidden" name="view" value="${view}">` +
        `<label for="status-filter">Status</label>` +
        `<select id="status-filter" name="status" data-testid="status-filter">${options}</select> <button type="submit">Show</button></form>` +
        '</div>' +
        `<p>${zoneNote(zone)}</p>` +
        `<div id="orders-live" data-live-region>` +
        (cards
          ? `<p data-testid="orders-count">${page.total} ${page.total === 1 ? 'order' : 'orders'}, newest first</p><ul class="orders" data-testid="orders">${cards}</ul>`
          : '<p data-testid="orders-none">No orders here.</p>') +
        '</div>' +
        `<p>Page ${page.page} of ${pages}` +
        (page.page > 1 ? ` · <a href="${query({ page: page.page - 1 })}">Newer</a>` : '') +
        (page.page < pages ? ` · <a href="${query({ page: page.page + 1 })}">Older</a>` : '') +
        '</p>' +
        // The export is for the back office, after the shift: below the orders, not between staff and them.
        `<form method="get" action="${base}.csv" data-testid="orders-export"><fieldset><legend>Export to CSV</legend>` +
        `<label for="export-from">From</label><input type="date" id="export-from" name="from" value="${monthAgo}" required> ` +
        `<label for="export-to">To</label><input type="date" id="export-to" name="to" value="${todayIso}" required> ` +
        '<button type="submit" data-testid="orders-export-submit">Download CSV</button></fieldset></form>',
    });
  }

  router.get('/portal/b/:pnid/orders', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    await render(req, res, session, await portal.businessFor(req, session));
  });

  /** The orders placed on the days `from`–`to` (the business's days), as CSV; no customer details. */
  router.get('/portal/b/:pnid/orders.csv', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const parsed = exportRange.safeParse({ from: textOf(req.query.from), to: textOf(req.query.to) });
    if (!parsed.success) {
      const messages = [...new Set(parsed.error.issues.map((i) => i.message))];
      throw new PortalError(400, `The orders could not be exported: ${messages.join(' ')}`);
    }
    const zone = businessZone(business);
    const from = DateTime.fromISO(parsed.data.from, { zone }).startOf('day');
    const to = DateTime.fromISO(parsed.data.to, { zone }).plus({ days: 1 }).startOf('day');
    const orders = await deps.desk.between(business.phoneNumberId, from.toJSDate(), to.toJSDate());
    if (orders.length > DESK_MAX_ORDERS)
      throw new PortalError(400, `More than ${DESK_MAX_ORDERS} orders in that range: choose fewer days.`);
    const csv = stringify(
      orders.map((o) => [
        o.orderNumber,
        inZone(o.placedAt, zone).toFormat('yyyy-MM-dd HH:mm'),
        ORDER_STATUS_LABEL[o.status],
        o.fulfilment === 'delivery' ? 'Delivery' : 'Pickup',
        cell(o.items.map((l) => `${l.quantity} × ${l.name}`).join('; ')),
        // With the currency's decimals ("21.50", "1500" for yen), as a spreadsheet and an accountant expect.
        fromMinorUnits(o.totalMinor, o.currency).toFixed(currencyDigits(o.currency)),
        o.currency,
      ]),
      {
        header: true,
        columns: ['Number', `Placed (${zone})`, 'Status', 'Fulfilment', 'Items', 'Total', 'Currency'],
        // A byte-order mark, so a spreadsheet reads "Café" as UTF-8.
        bom: true,
      },
    );
    deps.counters.add('portal.orders.exported');
    res
      .status(200)
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="orders-${parsed.data.from}-to-${parsed.data.to}.csv"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(csv);
  });

  router.post('/portal/b/:pnid/orders/:orderNumber/status', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const raw = String(req.params.orderNumber);
    const form = readForm(statusForm, req.body);
    const to = form.status;
    if (!/^\d{1,15}$/.test(raw)) throw new PortalError(404, 'No such order.');
    if (!isOrderStatus(to)) throw new PortalError(400, 'Choose a status.');
    const base = orderBase(business);
    const back = form.back === 'order' ? `${base}/${raw}` : base;
    if (to === 'cancelled' && form.confirm !== 'yes') {
      const order = await deps.orders.findOrder(business.phoneNumberId, Number(raw));
      if (!order) throw new PortalError(404, 'No such order.');
      sendPage(res, {
        title: `Cancel order ${order.orderNumber}?`,
        nav: nav(session, business),
        body:
          ORDER_STYLE +
          `<p>The customer will be told that order ${order.orderNumber} is cancelled. This cannot be undone.</p>` +
          itemsBlock(order) +
          `<div class="actions"><form method="post" action="${base}/${order.orderNumber}/status" class="inline">${csrfField(session)}` +
          `<input type="hidden" name="status" value="cancelled"><input type="hidden" name="confirm" value="yes">` +
          `<input type="hidden" name="back" value="${form.back === 'order' ? 'order' : 'list'}">` +
          `<button type="submit" class="danger" data-testid="confirm-cancel">Yes, cancel order ${order.orderNumber}</button></form>` +
          `<a class="button" href="${esc(back)}" data-testid="keep-order">No, keep it</a></div>`,
      });
      return;
    }
    try {
      const result = await deps.orders.changeStatus(business.phoneNumberId, Number(raw), to, 'business');
      deps.counters.add(result.changed ? 'portal.order.status_changed' : 'portal.order.status_unchanged');
      res.redirect(
        303,
        `${back}?msg=${result.changed ? `order-updated-${customerNotice(result)}` : 'order-unchanged'}`,
      );
    } catch (err) {
      if (err instanceof OrderNotFoundError) throw new PortalError(404, 'No such order.');
      if (err instanceof OrderTransitionError) {
        deps.counters.add('portal.order.status_refused');
        await render(req, res, session, business, `Order ${raw}: ${err.message}`, 409);
        return;
      }
      throw err;
    }
  });

  return router;
}
