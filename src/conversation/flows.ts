import { fromPromise } from 'xstate';
import { rootFlow, rootFlowId, rootVersion } from '../../flows/root.flow.js';
import type {
  AccessAnswer,
  CorrectionRequest,
  ErasureDecision,
  ErasureOffer,
  OrderingCatalog,
  PlaceOrderRequest,
  ProfileView,
  RootInput,
  TrackedOrders,
} from '../../flows/root.flow.js';
import { cartTotal, lineTotal } from '../../flows/ordering/cart.js';
import { formatMoney } from '../../flows/ordering/money.js';
import type { BusinessDirectory } from '../businesses/directory.js';
import type { BusinessData } from '../businesses/schema.js';
import type { OrderService } from '../orders/service.js';
import type { PrivacyService } from '../privacy/service.js';
import type { FlowDefinition } from './runner.js';
import type { CustomerIdentity } from './types.js';

export interface FlowDeps {
  directory: BusinessDirectory;
  orders: OrderService;
  privacy: PrivacyService;
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
 * supplied here: the catalog as it is now, placing the order, the customer's recent orders, and their
 * privacy requests. `sender` is the verified sender of the message being handled: the only possible
 * subject of a privacy request.
 */
export function rootFlowDefinition(
  business: BusinessData,
  customerRef: string,
  deps: FlowDeps,
  sender?: CustomerIdentity,
): FlowDefinition<RootInput> {
  const { privacy } = deps;
  const machine = rootFlow.provide({
    actors: {
      loadCatalog: fromPromise<OrderingCatalog, void>(async () => {
        const current = (await deps.directory.get(business.phoneNumberId)) ?? business;
        const saved = current.fulfilment.delivery ? (await privacy.readProfile(customerRef)).addresses : [];
        return {
          items: current.catalog,
          currency: current.currency,
          fulfilment: current.fulfilment,
          ...(saved.length > 0 ? { savedAddresses: saved } : {}),
        };
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
          retentionYears: business.orderRetentionYears,
        });
        // Offered again at the next delivery order; the customer can correct or remove it in chat.
        if (input.fulfilment === 'delivery' && input.address)
          await privacy.saveAddress(customerRef, input.address);
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
      privacyAccess: fromPromise<AccessAnswer, void>(async () => ({
        messages: (await privacy.access(business, customerRef)).messages,
      })),
      offerErasure: fromPromise<ErasureOffer, { otherPerson: boolean }>(({ input }) =>
        privacy.offerErasure(business, customerRef, input.otherPerson),
      ),
      decideErasure: fromPromise<ErasureDecision, { token: string; confirm: boolean }>(({ input }) =>
        privacy.decideErasure(business, customerRef, input.token, input.confirm, sender),
      ),
      setOptOut: fromPromise<void, { optedOut: boolean }>(async ({ input }) => {
        await privacy.setOptOut(business, customerRef, input.optedOut);
      }),
      loadProfile: fromPromise<ProfileView, void>(async () => {
        const profile = await privacy.readProfile(customerRef);
        return { ...(profile.name ? { name: profile.name } : {}), addresses: profile.addresses };
      }),
      applyCorrection: fromPromise<void, CorrectionRequest>(({ input }) =>
        privacy.applyCorrection(business, customerRef, input),
      ),
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
