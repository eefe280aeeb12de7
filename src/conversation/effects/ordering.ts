import type { orderingActors } from '../../../flows/ordering.flow.js';
import { cartTotal, lineTotal } from '../../../flows/ordering/cart.js';
import type { EffectContext, EffectsOf } from './context.js';

/**
 * Ordering's effects: the catalog as it is now (with the customer's saved addresses when the business
 * delivers), and placing the order, keyed on the step so a step run again finds its order placed.
 */
export function orderingEffects({
  business,
  customerRef,
  deps,
  keyOf,
}: EffectContext): EffectsOf<typeof orderingActors> {
  const { privacy } = deps;
  return {
    async loadCatalog() {
      const latest = (await deps.directory.get(business.phoneNumberId)) ?? business;
      const saved = latest.fulfilment.delivery ? (await privacy.readProfile(customerRef)).addresses : [];
      return {
        items: latest.catalog,
        currency: latest.currency,
        fulfilment: latest.fulfilment,
        ...(saved.length > 0 ? { savedAddresses: saved } : {}),
      };
    },
    async placeOrder(input) {
      const sourceKey = keyOf('placeOrder');
      const order = await deps.orders.placeOrder({
        ...(sourceKey ? { sourceKey } : {}),
        phoneNumberId: business.phoneNumberId,
        customerRef,
        currency: business.currency,
        items: input.cart.lines.map((line) => ({ ...line, lineTotalMinor: lineTotal(line) })),
        totalMinor: cartTotal(input.cart),
        fulfilment: input.fulfilment,
        ...(input.fulfilment === 'delivery' && input.address ? { deliveryAddress: input.address } : {}),
        ...(input.note ? { note: input.note } : {}),
        retentionYears: business.orderRetentionYears,
      });
      // Offered again at the next delivery order; the customer can correct or remove it in chat.
      if (input.fulfilment === 'delivery' && input.address)
        await privacy.saveAddress(customerRef, input.address);
      return { orderNumber: String(order.orderNumber) };
    },
  };
}
