/**
 * Builders for the order tests (test/orders/): an order that adds up, in any currency, for pickup or
 * delivery, with overrides for the case under test.
 */
import type { PlaceOrderInput } from '../../src/orders/service.js';

/**
 * Two coffees at 1.20 and one croissant at 2.35 (minor units): 2 × 120 + 1 × 235 = 475. A delivery order
 * gets an address.
 */
export function sampleOrder(
  phoneNumberId: string,
  customerRef: string,
  overrides: Partial<PlaceOrderInput> = {},
): PlaceOrderInput {
  const fulfilment = overrides.fulfilment ?? 'pickup';
  return {
    phoneNumberId,
    customerRef,
    currency: 'EUR',
    items: [
      { itemId: 'coffee', name: 'Coffee', unitPriceMinor: 120, quantity: 2, lineTotalMinor: 240 },
      { itemId: 'croissant', name: 'Croissant', unitPriceMinor: 235, quantity: 1, lineTotalMinor: 235 },
    ],
    totalMinor: 475,
    fulfilment,
    ...(fulfilment === 'delivery' ? { deliveryAddress: { text: 'Rua das Flores 12, 2º' } } : {}),
    ...overrides,
  };
}
