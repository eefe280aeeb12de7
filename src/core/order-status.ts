/** Where an order is in its life; see src/orders/service.ts for which change may follow which. */
export const ORDER_STATUSES = [
  'placed',
  'confirmed',
  'preparing',
  'ready',
  'out_for_delivery',
  'completed',
  'cancelled',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses of an order that is still open: placed or under way. */
export type OpenOrderStatus = Exclude<OrderStatus, 'completed' | 'cancelled'>;
