import { fromPromise } from 'xstate';
import { rootFlow, rootFlowId, rootVersion } from '../../flows/root.flow.js';
import type { OrderingCatalog, PlaceOrderRequest, RootInput, TrackedOrders } from '../../flows/root.flow.js';
import { cartTotal, lineTotal } from '../../flows/ordering/cart.js';
import { formatMoney } from '../../flows/ordering/money.js';
import type { BusinessDirectory } from '../businesses/directory.js';
import type { BusinessData } from '../businesses/schema.js';
import type { OrderService } from '../orders/service.js';
import type { FlowDefinition } from './runner.js';

export interface FlowDeps {
  directory: BusinessDirectory;
  orders: OrderService;
  handoffMinutes: number;
  abandonedCartHours: number;
}

const STATUS_WORDS: Record<string, string> = {
  placed: 'placed',
  confirmed: 'confirmed',
  preparing: 'being prepared',
  ready: 'ready',
  out_for_delivery: 'on its way',
  completed: 'completed',
  cancelled: 'cancelled',
};

/**
 * The root flow as the runner drives it for one customer of one business, with the effects it invokes
 * supplied here: the catalog as it is now, placing the order, and the customer's recent orders.
 */
export function rootFlowDefinition(
  business: BusinessData,
  customerRef: string,
  deps: FlowDeps,
): FlowDefinition<RootInput> {
  const machine = rootFlow.provide({
    actors: {
      loadCatalog: fromPromise<OrderingCatalog, void>(async () => {
        const current = (await deps.directory.get(business.phoneNumberId)) ?? business;
        return { items: current.catalog, currency: current.currency, fulfilment: current.fulfilment };
      }),
      placeOrder: fromPromise<{ orderNumber: string }, PlaceOrderRequest>(async ({ input }) => {
        const order = await deps.orders.placeOrder({
          phoneNumberId: business.phoneNumberId,
          customerRef,
          currency: business.currency,
          items: input.cart.lines.map((line) => ({ ...line, lineTotalMinor: lineTotal(line) })),
          totalMinor: cartTotal(input.cart),
          fulfilment: input.fulfilment,
          ...(input.fulfilment === 'delivery' && input.address ? { deliveryAddress: input.address } : {}),
          ...(input.note ? { note: input.note } : {}),
        });
        return { orderNumber: String(order.orderNumber) };
      }),
      recentOrders: fromPromise<TrackedOrders, void>(async () => {
        const orders = await deps.orders.recentOrdersOf(customerRef, business.phoneNumberId, 5);
        if (orders.length === 0) return { text: "You haven't placed any orders here yet.", cancellable: [] };
        const lines = orders.map(
          (order) =>
            `• Order *${order.orderNumber}*: ${STATUS_WORDS[order.status] ?? order.status}, ` +
            `${formatMoney(order.totalMinor, order.currency)}, ${order.placedAt.toISOString().slice(0, 10)}`,
        );
        return {
          text: `Your recent orders:\n${lines.join('\n')}`,
          cancellable: orders
            .filter((order) => order.status === 'placed')
            .map((order) => String(order.orderNumber)),
        };
      }),
      cancelPlacedOrder: fromPromise<void, { orderNumber: string }>(async ({ input }) => {
        await deps.orders.cancelByCustomer(business.phoneNumberId, customerRef, Number(input.orderNumber));
      }),
    },
  });
  return {
    id: rootFlowId,
    version: rootVersion,
    machine,
    input: (restarted) => ({
      businessName: business.name,
      handoffMinutes: deps.handoffMinutes,
      abandonedCartHours: deps.abandonedCartHours,
      restarted,
    }),
  };
}
