import { formatMoney } from '../../core/money.js';
import type { trackingActors } from '../../../flows/tracking.flow.js';
import { ORDER_STATUS_PHRASE } from '../../language/order-status.js';
import type { EffectContext, EffectsOf } from './context.js';

/** Tracking's effects: the customer's recent orders, and cancelling one the business has not confirmed. */
export function trackingEffects({
  business,
  customerRef,
  deps,
}: EffectContext): EffectsOf<typeof trackingActors> {
  return {
    async recentOrders() {
      const orders = await deps.orders.recentOrdersOf(customerRef, business.phoneNumberId, 5);
      if (orders.length === 0) return { text: "You haven't placed any orders here yet.", cancellable: [] };
      const lines = orders.map(
        (order) =>
          `• Order *${order.orderNumber}*: ${ORDER_STATUS_PHRASE[order.status]}, ` +
          `${formatMoney(order.totalMinor, order.currency)}, ${order.placedAt.toISOString().slice(0, 10)}`,
      );
      return {
        text: `Your recent orders:\n${lines.join('\n')}`,
        cancellable: orders
          .filter((order) => order.status === 'placed')
          .map((order) => String(order.orderNumber)),
      };
    },
    async cancelPlacedOrder(input) {
      // Once by the order's own state: `cancelled` is final, and a repeat finds it cancelled and writes nothing.
      await deps.orders.cancelByCustomer(business.phoneNumberId, customerRef, Number(input.orderNumber));
    },
  };
}
