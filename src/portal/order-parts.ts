import { DateTime, IANAZone } from 'luxon';
import type { BusinessData } from '../businesses/schema.js';
import { formatMoney } from '../core/money.js';
import type { DeliveryAddress, Order, OrderErasure, OrderStatus } from '../db/models/order.model.js';
import type { PortalSession } from '../db/models/portal-session.model.js';
import { escapeHtml as esc } from '../http/escape-html.js';
import { ORDER_STATUS_LABEL } from '../language/order-status.js';
import { allowedNext, nextStep } from '../orders/service.js';
import { csrfField } from './forms.js';

/**
 * The parts the order pages share (the list, an order's own page, its kitchen ticket, the export and the
 * dashboard): the business's time zone, times, items, fulfilment and the one-click status buttons.
 */

/**
 * The business's IANA time zone, UTC until one is set (the settings page adds `timeZone`). Every order
 * time in the portal goes through here, so a business in Madrid sees Madrid times.
 */
export function businessZone(business: BusinessData): string {
  const zone = (business as BusinessData & { timeZone?: unknown }).timeZone;
  return typeof zone === 'string' && IANAZone.isValidZone(zone) ? zone : 'UTC';
}

/** A moment in the business's time zone. */
export const inZone = (at: Date, zone: string): DateTime => DateTime.fromJSDate(at, { zone });

/** "14:05" today, "Mon 3 Mar, 14:05" on another day, in the business's time zone. */
export function placedText(at: Date, zone: string, now: number): string {
  const when = inZone(at, zone);
  const today = DateTime.fromMillis(now, { zone });
  return when.hasSame(today, 'day')
    ? when.toFormat('HH:mm')
    : when.toFormat(when.hasSame(today, 'year') ? 'ccc d LLL, HH:mm' : 'd LLL yyyy, HH:mm');
}

/** The zone's name as shown next to times ("Europe/Madrid", "UTC"). */
export const zoneNote = (zone: string): string =>
  `<small class="muted">Times in ${esc(zone === 'UTC' ? 'UTC (set a time zone in the settings)' : zone)}</small>`;

/** What a customer's erasure did to an order that was open (src/privacy/data-map.ts). */
export const ERASURE_LABELS: Record<OrderErasure, string> = {
  cancelled: 'Cancelled because the customer deleted their data',
  handover:
    'The customer deleted their data: the address and contact are kept only until this order is completed',
};

/** What each one-click status button says. */
const ACTION_LABEL: Record<OrderStatus, string> = {
  placed: 'Placed',
  confirmed: 'Confirm',
  preparing: 'Start preparing',
  ready: 'Mark ready',
  out_for_delivery: 'Out for delivery',
  completed: 'Complete',
  cancelled: 'Cancel order…',
};

export const orderBase = (business: BusinessData): string =>
  `/portal/b/${esc(business.phoneNumberId)}/orders`;

/** The order's lines with quantities and prices, and its total. */
export function itemsBlock(order: Order): string {
  const lines = order.items
    .map(
      (l) =>
        `<li><span><strong>${l.quantity} ×</strong> ${esc(l.name)}</span>` +
        `<span>${esc(formatMoney(l.lineTotalMinor, order.currency))}</span></li>`,
    )
    .join('');
  // The fee is part of the total: shown, so the lines add up.
  const fee = order.deliveryFeeMinor
    ? `<li><span>Delivery fee</span><span>${esc(formatMoney(order.deliveryFeeMinor, order.currency))}</span></li>`
    : '';
  return (
    `<ul class="items" data-testid="order-${order.orderNumber}-items">${lines}${fee}` +
    `<li class="total"><span>Total</span><span>${esc(formatMoney(order.totalMinor, order.currency))}</span></li></ul>`
  );
}

/** The customer's note ("no basil"), or nothing. */
export const noteBlock = (order: Order): string =>
  order.note
    ? `<p class="note" data-testid="order-${order.orderNumber}-note"><strong>Note:</strong> ${esc(order.note)}</p>`
    : '';

/** An order placed while the business was closed: when the kitchen should start on it. */
export const preOrderBlock = (order: Order, zone: string): string =>
  order.preOrderFor
    ? `<p class="note" data-testid="order-${order.orderNumber}-preorder"><strong>Pre-order:</strong> placed while closed, ` +
      `to prepare when you open (<time datetime="${esc(order.preOrderFor.toISOString())}">` +
      `${esc(inZone(order.preOrderFor, zone).toFormat('ccc d LLL, HH:mm'))}</time>)</p>`
    : '';

/** A shared location's map link (OpenStreetMap: a link, nothing embedded or loaded). */
export function mapLink(address: DeliveryAddress): string {
  if (address.latitude === undefined || address.longitude === undefined) return '';
  const lat = address.latitude.toFixed(6);
  const lon = address.longitude.toFixed(6);
  return (
    `<a href="https://www.openstreetmap.org/?mlat=${lat}&amp;mlon=${lon}#map=18/${lat}/${lon}" ` +
    `rel="noopener noreferrer" target="_blank" data-testid="map-link">Open the shared location on a map</a>`
  );
}

/**
 * Pickup or delivery; with `withAddress`, the delivery address and the map link of a shared location (a
 * customer's details: only on the order's own page, whose view is recorded).
 */
export function fulfilmentBlock(order: Order, withAddress: boolean): string {
  if (order.fulfilment === 'pickup') return '<p class="fulfilment"><strong>Pickup</strong></p>';
  const address = order.deliveryAddress;
  if (!withAddress || !address) return '<p class="fulfilment"><strong>Delivery</strong></p>';
  return (
    `<p class="fulfilment" data-testid="order-${order.orderNumber}-address"><strong>Delivery to:</strong> ` +
    (address.text ? esc(address.text) : 'a shared location') +
    (address.latitude !== undefined ? `<br>${mapLink(address)}` : '') +
    '</p>'
  );
}

/** Who cancelled a cancelled order, when it was the customer (from chat): staff must not miss it. */
export const cancelledByCustomer = (order: Pick<Order, 'status' | 'statusHistory'>): boolean =>
  order.status === 'cancelled' && order.statusHistory.at(-1)?.by === 'customer';

/** The status as a label, with who cancelled and what an erasure did to the order. */
export const statusBlock = (order: Order): string =>
  `<span class="status status-${esc(order.status)}" data-testid="order-${order.orderNumber}-current">${esc(
    cancelledByCustomer(order) ? 'Cancelled by the customer' : ORDER_STATUS_LABEL[order.status],
  )}</span>` +
  (order.erasure
    ? ` <small data-testid="order-${order.orderNumber}-erasure">${esc(ERASURE_LABELS[order.erasure])}</small>`
    : '');

/**
 * An order's heading: "Order 1003 · placed at 13:29", then the status badge (another day: "placed on Mon 3 Mar, 13:29").
 * With `href`, the number links to the order's own page.
 */
export function orderHeading(order: Order, zone: string, now: number, href?: string): string {
  const n = order.orderNumber;
  const when = placedText(order.placedAt, zone, now);
  const number = href ? `<a href="${href}">Order ${n}</a>` : `Order ${n}`;
  return (
    `<span>${number} · placed ${/^\d/.test(when) ? 'at' : 'on'} ` +
    `<time datetime="${esc(order.placedAt.toISOString())}">${esc(when)}</time></span> ${statusBlock(order)}`
  );
}

/**
 * The order's buttons: its next step as the primary one, "Mark ready" as a one-click shortcut while the
 * order is before ready, "Complete" once it is ready, and "Cancel order…" while cancelling is allowed (it
 * asks for confirmation first). `back` is where the change returns to: the list or the order's own page.
 */
export function statusButtons(
  order: Order,
  session: PortalSession,
  business: BusinessData,
  back: 'list' | 'order',
): string {
  const allowed = allowedNext(order, 'business');
  const step = nextStep(order);
  const offered = allowed.filter(
    (s) => s === step || s === 'ready' || s === 'completed' || s === 'cancelled',
  );
  if (offered.length === 0) return '';
  const action = `${orderBase(business)}/${order.orderNumber}/status`;
  const buttons = offered
    .map(
      (s) =>
        `<form method="post" action="${action}" class="inline">${csrfField(session)}` +
        `<input type="hidden" name="status" value="${s}"><input type="hidden" name="back" value="${back}">` +
        `<button type="submit" class="${s === 'cancelled' ? 'danger' : s === step ? 'primary' : 'shortcut'}" data-testid="order-${order.orderNumber}-to-${s}" ` +
        `aria-label="${esc(`${ACTION_LABEL[s].replace('…', '')} order ${order.orderNumber}`)}">${esc(ACTION_LABEL[s])}</button></form>`,
    )
    .join(' ');
  return `<div class="actions" data-testid="order-${order.orderNumber}-actions">${buttons}</div>`;
}

/** The few rules the order pages add to the portal's stylesheet (allowed by its CSP: inline styles). */
export const ORDER_STYLE =
  '<style>.orders{list-style:none;padding:0;display:grid;gap:1rem}' +
  '.order{border:1px solid #ccc;border-radius:.4rem;padding:.75rem;overflow-wrap:anywhere}' +
  '.order h2,.order h3{margin:0 0 .25rem;font-size:1.15rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline}' +
  '.items{list-style:none;padding:0;margin:.5rem 0}.items li{display:flex;justify-content:space-between;gap:1rem}' +
  '.items .total{border-top:1px solid #ddd;font-weight:600}.note{background:#fff4ce;padding:.25rem .5rem;margin:.5rem 0}' +
  '.status{background:#e6eef8;border-radius:1rem;padding:0 .5rem;font-size:.9rem}' +
  '.status-cancelled{background:#fbeaea}.status-completed{background:#e8f3e8}.muted{color:#555}' +
  '.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.5rem}' +
  '.actions button,.button{padding:.5rem .9rem;border-radius:.3rem;border:1px solid #1a5fb4;background:#fff;color:#1a5fb4;cursor:pointer;text-decoration:none;display:inline-block}' +
  '.actions .primary{background:#1a5fb4;color:#fff}.danger{border-color:#a51d2d!important;color:#a51d2d!important;background:#fff}' +
  '.views{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}.views a[aria-current]{font-weight:700;text-decoration:none}' +
  '.tools{display:flex;flex-wrap:wrap;gap:1rem;align-items:end}.tools form{margin:0}</style>';
