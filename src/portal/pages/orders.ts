import express from 'express';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { formatMoney } from '../../core/money.js';
import type { BusinessData } from '../../businesses/schema.js';
import { ORDER_STATUSES } from '../../core/order-status.js';
import type { OrderStatus } from '../../core/order-status.js';
import type { OrderErasure } from '../../db/models/order.model.js';
import type { PortalSession } from '../../db/models/portal-session.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import { ORDER_STATUS_LABEL } from '../../language/order-status.js';
import {
  allowedNext,
  customerNotice,
  OrderNotFoundError,
  OrderTransitionError,
} from '../../orders/service.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { csrfField, formText, readForm, textOf } from '../forms.js';
import { messageBlock, nav, problemBlock, sendPage } from '../layout.js';

/** What a customer's erasure did to an order that was open (src/privacy/data-map.ts). */
const ERASURE_LABELS: Record<OrderErasure, string> = {
  cancelled: 'Cancelled because the customer deleted their data',
  handover:
    'The customer deleted their data: the address and contact are kept only until this order is completed (see the orders API)',
};

const statusForm = z.object({ status: formText });

const isOrderStatus = (value: string): value is OrderStatus =>
  (ORDER_STATUSES as readonly string[]).includes(value);

/** The business's orders, newest first, 50 a page, with a status filter and a status change per order. */
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
    const base = `/portal/b/${esc(business.phoneNumberId)}/orders`;
    const wanted = textOf(req.query.status);
    const filter = isOrderStatus(wanted) ? wanted : undefined;
    const pageNumber = Math.min(Math.max(Number.parseInt(textOf(req.query.page), 10) || 1, 1), 100_000);
    const page = await deps.orders.listOrders(business.phoneNumberId, {
      limit: 50,
      page: pageNumber,
      ...(filter ? { status: filter } : {}),
    });
    const options = ['' as const, ...ORDER_STATUSES]
      .map(
        (s) =>
          `<option value="${s}"${s === (filter ?? '') ? ' selected' : ''}>${esc(s ? ORDER_STATUS_LABEL[s] : 'All')}</option>`,
      )
      .join('');
    const rows = page.orders
      .map((order) => {
        const next = allowedNext(order, 'business');
        const items = order.items.map((l) => `${l.quantity} × ${esc(l.name)}`).join('<br>');
        const change =
          next.length === 0
            ? '—'
            : `<form method="post" action="${base}/${order.orderNumber}/status" data-testid="order-${order.orderNumber}-form">${csrfField(session)}` +
              `<label for="order-${order.orderNumber}-status">New status for order ${order.orderNumber}</label>` +
              `<select id="order-${order.orderNumber}-status" name="status" data-testid="order-${order.orderNumber}-status">` +
              next.map((s) => `<option value="${s}">${esc(ORDER_STATUS_LABEL[s])}</option>`).join('') +
              `</select> <button type="submit" data-testid="order-${order.orderNumber}-submit">Change</button></form>`;
        return (
          `<tr data-testid="order-${order.orderNumber}"><td>${order.orderNumber}</td>` +
          `<td>${esc(order.placedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</td>` +
          `<td data-testid="order-${order.orderNumber}-current">${esc(ORDER_STATUS_LABEL[order.status])}${order.erasure ? `<br><small data-testid="order-${order.orderNumber}-erasure">${esc(ERASURE_LABELS[order.erasure])}</small>` : ''}</td>` +
          `<td>${items}</td><td>${esc(formatMoney(order.totalMinor, order.currency))}</td>` +
          `<td>${esc(order.fulfilment)}</td><td>${change}</td></tr>`
        );
      })
      .join('');
    const pages = Math.max(1, Math.ceil(page.total / page.limit));
    const query = (p: number) => `?${filter ? `status=${filter}&amp;` : ''}page=${p}`;
    sendPage(res, {
      title: `Orders · ${business.name}`,
      status,
      nav: nav(session, business),
      live: 'order.placed,order.updated',
      body:
        messageBlock(req) +
        (refusal ? problemBlock([refusal]) : '') +
        `<form method="get" action="${base}" data-testid="orders-filter"><label for="status-filter">Status</label>` +
        `<select id="status-filter" name="status" data-testid="status-filter">${options}</select> <button type="submit">Show</button></form>` +
        `<div id="orders-live" data-live-region>${
          rows
            ? `<table data-testid="orders"><caption>${page.total} orders, newest first</caption><thead><tr><th scope="col">Number</th><th scope="col">Placed</th><th scope="col">Status</th><th scope="col">Items</th><th scope="col">Total</th><th scope="col">Fulfilment</th><th scope="col">Change status</th></tr></thead><tbody>${rows}</tbody></table>`
            : '<p>No orders.</p>'
        }</div>` +
        `<p>Page ${page.page} of ${pages}` +
        (page.page > 1 ? ` · <a href="${base}${query(page.page - 1)}">Newer</a>` : '') +
        (page.page < pages ? ` · <a href="${base}${query(page.page + 1)}">Older</a>` : '') +
        '</p>',
    });
  }

  router.get('/portal/b/:pnid/orders', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    await render(req, res, session, await portal.businessFor(req, session));
  });

  router.post('/portal/b/:pnid/orders/:orderNumber/status', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const raw = String(req.params.orderNumber);
    const to = readForm(statusForm, req.body).status;
    if (!/^\d{1,15}$/.test(raw)) throw new PortalError(404, 'No such order.');
    if (!isOrderStatus(to)) throw new PortalError(400, 'Choose a status.');
    try {
      const result = await deps.orders.changeStatus(business.phoneNumberId, Number(raw), to, 'business');
      deps.counters.add(result.changed ? 'portal.order.status_changed' : 'portal.order.status_unchanged');
      res.redirect(
        303,
        `/portal/b/${business.phoneNumberId}/orders?msg=${result.changed ? `order-updated-${customerNotice(result)}` : 'order-unchanged'}`,
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
