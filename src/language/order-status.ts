import type { OrderStatus } from '../core/order-status.js';

/**
 * How an order's status reads inside a sentence to the customer ("Order 12 is being prepared"). One table
 * for the chat, the status notices and the erasure offer (issue 14 moves it into the message catalogue).
 */
export const ORDER_STATUS_PHRASE: Record<OrderStatus, string> = {
  placed: 'placed',
  confirmed: 'confirmed',
  preparing: 'being prepared',
  ready: 'ready',
  out_for_delivery: 'on its way',
  completed: 'completed',
  cancelled: 'cancelled',
};

/** The same status as a label staff read in the portal and the admin API's texts. */
export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  placed: 'Placed',
  confirmed: 'Confirmed',
  preparing: 'Preparing',
  ready: 'Ready',
  out_for_delivery: 'Out for delivery',
  completed: 'Completed',
  cancelled: 'Cancelled',
};
