/**
 * A business's order terms: the delivery fee (free from a threshold) and the minimum order, in minor
 * units. Pure, so the ordering flow (what the customer is shown) and the order service (what is stored)
 * compute the same fee from the same function.
 */
export interface OrderTerms {
  /** 0: delivery is free. */
  deliveryFeeMinor: number;
  /** Items' total from which delivery is free; absent: the fee always applies. */
  freeDeliveryOverMinor?: number | undefined;
  /** Items' total below which an order is refused; 0: no minimum. */
  minimumOrderMinor: number;
}

/** No fee, no minimum: the terms of a business that set none. */
export const NO_TERMS: OrderTerms = { deliveryFeeMinor: 0, minimumOrderMinor: 0 };

/** The fee an order pays: only for delivery, and none once the items reach the free-delivery threshold. */
export function deliveryFeeFor(
  itemsMinor: number,
  fulfilment: 'pickup' | 'delivery',
  terms: OrderTerms,
): number {
  if (fulfilment !== 'delivery') return 0;
  if (terms.freeDeliveryOverMinor !== undefined && itemsMinor >= terms.freeDeliveryOverMinor) return 0;
  return terms.deliveryFeeMinor;
}

/** How much the items fall short of the minimum order (0 when it is met). */
export function shortOfMinimum(itemsMinor: number, terms: OrderTerms): number {
  return Math.max(0, terms.minimumOrderMinor - itemsMinor);
}
