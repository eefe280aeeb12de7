import type { orderingActors } from '../../../flows/ordering.flow.js';
import { cartTotal, lineTotal } from '../../../flows/ordering/cart.js';
import { openingState } from '../../businesses/hours.js';
import type { BusinessData } from '../../businesses/schema.js';
import { deliveryFeeFor } from '../../core/charges.js';
import type { OrderTerms } from '../../core/charges.js';
import type { EffectContext, EffectsOf } from './context.js';

/** The business's delivery fee and minimum order, as the flow and the order service read them. */
export function termsOf(business: BusinessData): OrderTerms {
  return {
    deliveryFeeMinor: business.deliveryFeeMinor ?? 0,
    ...(business.freeDeliveryOverMinor !== undefined
      ? { freeDeliveryOverMinor: business.freeDeliveryOverMinor }
      : {}),
    minimumOrderMinor: business.minimumOrderMinor ?? 0,
  };
}

/**
 * Ordering's effects: the catalog as it is now (with the customer's saved addresses when the business
 * delivers), and placing the order, keyed on the step so a step run again finds its order placed.
 */
export function orderingEffects({
  business,
  customerRef,
  deps,
  keyOf,
  savedAddresses,
}: EffectContext): EffectsOf<typeof orderingActors> {
  const { privacy } = deps;
  const now = deps.now ?? Date.now;
  return {
    async loadCatalog() {
      const latest = (await deps.directory.get(business.phoneNumberId)) ?? business;
      const saved = latest.fulfilment.delivery ? await savedAddresses() : [];
      // Open or closed is decided here, in the business's time zone; the flow only reads the fact.
      const hours = openingState(latest, now());
      return {
        items: latest.catalog,
        currency: latest.currency,
        fulfilment: latest.fulfilment,
        ...(saved.length > 0 ? { savedAddresses: saved } : {}),
        open: {
          now: hours.open,
          ...(hours.next ? { next: hours.next } : {}),
          preOrders: latest.preOrders ?? false,
          ...(latest.closedMessage ? { message: latest.closedMessage } : {}),
        },
        terms: termsOf(latest),
      };
    },
    async placeOrder(input) {
      const sourceKey = keyOf('placeOrder');
      // The fee is the business's as it is now (server side), not whatever the conversation last showed.
      const latest = (await deps.directory.get(business.phoneNumberId)) ?? business;
      const terms = termsOf(latest);
      const items = cartTotal(input.cart);
      // Placed while closed (only possible when the business takes orders for later): marked for the kitchen.
      const hours = openingState(latest, now());
      const order = await deps.orders.placeOrder({
        ...(sourceKey ? { sourceKey } : {}),
        phoneNumberId: business.phoneNumberId,
        customerRef,
        currency: business.currency,
        items: input.cart.lines.map((line) => ({ ...line, lineTotalMinor: lineTotal(line) })),
        totalMinor: items + deliveryFeeFor(items, input.fulfilment, terms),
        terms,
        fulfilment: input.fulfilment,
        ...(input.fulfilment === 'delivery' && input.address ? { deliveryAddress: input.address } : {}),
        ...(input.note ? { note: input.note } : {}),
        ...(!hours.open && hours.next ? { preOrderFor: new Date(hours.next.at) } : {}),
        retentionYears: business.orderRetentionYears,
      });
      // Offered again at the next delivery order; the customer can correct or remove it in chat.
      if (input.fulfilment === 'delivery' && input.address)
        await privacy.saveAddress(customerRef, input.address);
      const { next } = hours;
      return {
        orderNumber: String(order.orderNumber),
        ...(!hours.open && next
          ? { preOrder: { date: next.date, time: next.time, daysAhead: next.daysAhead } }
          : {}),
      };
    },
  };
}
