import { ORDER_STATUSES } from '../core/order-status.js';
import type { OrderStatus } from '../core/order-status.js';
import { t } from './i18n.js';
import type { MessageKey } from './i18n.js';
import type { Language } from './languages.js';

/** Each status's phrase for the customer, in the catalogue (`orders:status.*`). */
const PHRASE: Record<OrderStatus, MessageKey> = {
  placed: 'orders:status.placed',
  confirmed: 'orders:status.confirmed',
  preparing: 'orders:status.preparing',
  ready: 'orders:status.ready',
  out_for_delivery: 'orders:status.outForDelivery',
  completed: 'orders:status.completed',
  cancelled: 'orders:status.cancelled',
};

/** Each status's label for staff, in the catalogue (`orders:label.*`). */
const LABEL: Record<OrderStatus, MessageKey> = {
  placed: 'orders:label.placed',
  confirmed: 'orders:label.confirmed',
  preparing: 'orders:label.preparing',
  ready: 'orders:label.ready',
  out_for_delivery: 'orders:label.outForDelivery',
  completed: 'orders:label.completed',
  cancelled: 'orders:label.cancelled',
};

/**
 * How an order's status reads inside a line to the customer ("Order 12: being prepared"), in their
 * language. The chat's order list and the erasure offer use it.
 */
export function orderStatusPhrase(language: Language, status: OrderStatus): string {
  return t(language, PHRASE[status]);
}

/** The same status as a label staff read (the portal, the admin API's texts), in their language. */
export function orderStatusLabel(language: Language, status: OrderStatus): string {
  return t(language, LABEL[status]);
}

function table(of: (language: Language, status: OrderStatus) => string): Record<OrderStatus, string> {
  return Object.fromEntries(ORDER_STATUSES.map((status) => [status, of('en', status)])) as Record<
    OrderStatus,
    string
  >;
}

/** The phrases in English, for the callers not yet speaking the customer's language. */
export const ORDER_STATUS_PHRASE: Record<OrderStatus, string> = table(orderStatusPhrase);

/** The labels in English, for the callers not yet speaking the staff's language. */
export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = table(orderStatusLabel);
