import express from 'express';
import type { Request, Router } from 'express';
import type { BusinessData } from '../../businesses/schema.js';
import type { Order } from '../../db/models/order.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import { ORDER_STATUS_LABEL } from '../../language/order-status.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { messageBlock, nav, sendPage } from '../layout.js';
import {
  businessZone,
  fulfilmentBlock,
  inZone,
  itemsBlock,
  noteBlock,
  preOrderBlock,
  ORDER_STYLE,
  orderBase,
  placedText,
  orderHeading,
  statusButtons,
  zoneNote,
} from '../order-parts.js';

/** Who changed a status, as the history says it. */
const BY_LABEL = { customer: 'the customer', business: 'the business', system: 'the bot' } as const;

/** The kitchen ticket's print rules: big items, nothing but the ticket on paper. */
const TICKET_STYLE =
  '<style>.ticket{max-width:26rem;border:1px dashed #999;padding:1rem;font-size:1.2rem}' +
  '.ticket h2{font-size:2rem;margin:0}.ticket .items li{font-size:1.5rem;line-height:1.3}' +
  '.ticket .note{font-size:1.4rem;border:2px solid #1a1a1a;background:none}' +
  '@media print{header,nav,.no-print,[data-testid="page-title"]{display:none!important}' +
  'body{max-width:none;margin:0;padding:0}.ticket{border:0;max-width:none;padding:0}}</style>';

/**
 * An order's own page, with the customer's name and number and the delivery address (each view recorded in
 * the business's access log), its status history and the one-click status buttons; and its printable
 * kitchen ticket (no customer details).
 */
export function orderDetailPages(portal: Portal): Router {
  const router = express.Router();
  const { deps } = portal;

  async function orderOf(req: Request, business: BusinessData): Promise<Order> {
    const raw = String(req.params.orderNumber);
    // Only this business's orders: another business's number is "no such order".
    const order = /^\d{1,15}$/.test(raw)
      ? await deps.orders.findOrder(business.phoneNumberId, Number(raw))
      : null;
    if (!order) throw new PortalError(404, 'No such order.');
    return order;
  }

  router.get('/portal/b/:pnid/orders/:orderNumber', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const order = await orderOf(req, business);
    const zone = businessZone(business);
    const now = portal.now();
    const n = order.orderNumber;
    const base = orderBase(business);
    // Recorded before it is read: a view that could not be recorded shows nothing.
    const customer = await deps.desk.customerOf(order, session.actor);
    const number = customer.number;
    const contact =
      customer.name || number
        ? `<dl class="contact" data-testid="order-${n}-customer">` +
          (customer.name ? `<dt>Name</dt><dd>${esc(customer.name)}</dd>` : '') +
          (number
            ? `<dt>WhatsApp</dt><dd>${number.startsWith('+') ? `<a href="tel:${esc(number)}">${esc(number)}</a>` : esc(number)}</dd>`
            : '') +
          '</dl>'
        : `<p data-testid="order-${n}-customer">The customer’s name and number are no longer kept.</p>`;
    const history = order.statusHistory
      .map(
        (c) =>
          `<li>${esc(placedText(c.at, zone, now))}: ${esc(ORDER_STATUS_LABEL[c.status])} (by ${BY_LABEL[c.by]})</li>`,
      )
      .join('');
    sendPage(res, {
      title: `Order ${n}`,
      nav: nav(session, business),
      body:
        ORDER_STYLE +
        '<style>.contact{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}.contact dd{margin:0}</style>' +
        messageBlock(req) +
        `<p><a href="${base}">Back to the orders</a> · <a href="${base}/${n}/ticket" data-testid="order-${n}-ticket">Kitchen ticket</a></p>` +
        `<article class="order" data-testid="order-${n}">` +
        `<h2>${orderHeading(order, zone, now)}</h2>` +
        itemsBlock(order) +
        noteBlock(order) +
        preOrderBlock(order, zone) +
        fulfilmentBlock(order, true) +
        `<section aria-labelledby="customer-heading"><h3 id="customer-heading">Customer</h3>${contact}` +
        '<p class="muted"><small>Each view of these details is recorded in the business’s access log.</small></p></section>' +
        statusButtons(order, session, business, 'order') +
        '</article>' +
        `<section aria-labelledby="history-heading"><h2 id="history-heading">History</h2><ul>${history}</ul><p>${zoneNote(zone)}</p></section>`,
    });
  });

  router.get('/portal/b/:pnid/orders/:orderNumber/ticket', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const order = await orderOf(req, business);
    const zone = businessZone(business);
    const n = order.orderNumber;
    sendPage(res, {
      title: `Kitchen ticket · order ${n}`,
      nav: nav(session, business),
      body:
        ORDER_STYLE +
        TICKET_STYLE +
        `<p class="no-print"><a href="${orderBase(business)}/${n}">Back to the order</a> · ` +
        'To print, use your browser’s Print command (Ctrl+P or ⌘P).</p>' +
        `<article class="ticket" data-testid="ticket">` +
        `<h2>Order ${n}</h2>` +
        `<p><strong>${order.fulfilment === 'delivery' ? 'DELIVERY' : 'PICKUP'}</strong> · ` +
        `${esc(inZone(order.placedAt, zone).toFormat('d LLL yyyy, HH:mm'))}${zone === 'UTC' ? ' UTC' : ''}</p>` +
        itemsBlock(order) +
        noteBlock(order) +
        preOrderBlock(order, zone) +
        `<p>${esc(business.name)}</p></article>`,
    });
  });

  return router;
}
