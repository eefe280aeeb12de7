import { formatMoney } from '../../core/money.js';
import type { trackingActors } from '../../../flows/tracking.flow.js';
import { formatDateTime } from '../../language/dates.js';
import { t } from '../../language/i18n.js';
import { orderStatusPhrase } from '../../language/order-status.js';
import type { EffectContext, EffectsOf } from './context.js';

/** Items a cancellation's confirmation names before "…". */
const SUMMARY_ITEMS = 3;

/** Tracking's effects: the customer's recent orders, and cancelling one the business has not confirmed. */
export function trackingEffects({
  business,
  customerRef,
  deps,
}: EffectContext): EffectsOf<typeof trackingActors> {
  return {
    async recentOrders({ language }) {
      const orders = await deps.orders.recentOrdersOf(customerRef, business.phoneNumberId, 5);
      if (orders.length === 0) return { text: t(language, 'tracking:orders.none'), cancellable: [] };
      const lines = orders.map((order) =>
        t(language, 'tracking:orders.line', {
          number: order.orderNumber,
          status: orderStatusPhrase(language, order.status),
          total: formatMoney(order.totalMinor, order.currency, language),
          // When it was placed, as the customer's language writes it, on the business's clock (its zone).
          date: formatDateTime(language, order.placedAt, business.timeZone ?? 'UTC'),
        }),
      );
      const cancellable = orders.filter((order) => order.status === 'placed');
      return {
        text: t(language, 'tracking:orders.list', { lines: lines.join('\n') }),
        cancellable: cancellable.map((order) => String(order.orderNumber)),
        // What the confirmation names ("2× Margherita, €19.00"): the first items, and the total.
        summaries: Object.fromEntries(
          cancellable.map((order) => {
            const items = (order.items ?? []).map((line) => `${line.quantity}× ${line.name}`);
            const shown = items.length > SUMMARY_ITEMS ? [...items.slice(0, SUMMARY_ITEMS), '…'] : items;
            const total = formatMoney(order.totalMinor, order.currency, language);
            return [String(order.orderNumber), [...shown, total].join(', ')];
          }),
        ),
      };
    },
    async cancelPlacedOrder(input) {
      // Once by the order's own state: `cancelled` is final, and a repeat finds it cancelled and writes nothing.
      await deps.orders.cancelByCustomer(business.phoneNumberId, customerRef, Number(input.orderNumber));
    },
  };
}
