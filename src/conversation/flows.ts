import { AsyncLocalStorage } from 'node:async_hooks';
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
  TextInterpretation,
  TrackedOrders,
} from '../../flows/root.flow.js';
import { cartTotal, lineTotal } from '../../flows/ordering/cart.js';
import { formatMoney } from '../../flows/ordering/money.js';
import type { Assistant } from '../ai/assistant.js';
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
  /** AI replies (src/ai/): answers `none` unless the business enabled AI and an endpoint is configured. */
  ai: Pick<Assistant, 'interpret'>;
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

/** The effects the root flow invokes, bound to one business, one customer and the message's sender. */
export interface RootEffects {
  loadCatalog(): Promise<OrderingCatalog>;
  placeOrder(input: PlaceOrderRequest): Promise<{ orderNumber: string }>;
  recentOrders(): Promise<TrackedOrders>;
  cancelPlacedOrder(input: { orderNumber: string }): Promise<void>;
  privacyAccess(): Promise<AccessAnswer>;
  offerErasure(input: { otherPerson: boolean }): Promise<ErasureOffer>;
  decideErasure(input: { token: string; confirm: boolean }): Promise<ErasureDecision>;
  setOptOut(input: { optedOut: boolean }): Promise<void>;
  loadProfile(): Promise<ProfileView>;
  applyCorrection(input: CorrectionRequest): Promise<void>;
  interpretText(input: { text: string }): Promise<TextInterpretation>;
  setAiPreference(input: { noAi: boolean }): Promise<void>;
}

/**
 * The effects of the step being run. The machine is provided once, with actors that call whatever this
 * holds: building a machine per message (`provide` per customer) re-derived every state's transitions each
 * time and cost more CPU per message than all the database work together.
 */
const stepEffects = new AsyncLocalStorage<RootEffects>();

function current(): RootEffects {
  const effects = stepEffects.getStore();
  if (!effects) throw new Error('root flow effect invoked outside a step');
  return effects;
}

const rootMachine = rootFlow.provide({
  actors: {
    loadCatalog: fromPromise<OrderingCatalog, void>(() => current().loadCatalog()),
    placeOrder: fromPromise<{ orderNumber: string }, PlaceOrderRequest>(({ input }) =>
      current().placeOrder(input),
    ),
    recentOrders: fromPromise<TrackedOrders, void>(() => current().recentOrders()),
    cancelPlacedOrder: fromPromise<void, { orderNumber: string }>(({ input }) =>
      current().cancelPlacedOrder(input),
    ),
    privacyAccess: fromPromise<AccessAnswer, void>(() => current().privacyAccess()),
    offerErasure: fromPromise<ErasureOffer, { otherPerson: boolean }>(({ input }) =>
      current().offerErasure(input),
    ),
    decideErasure: fromPromise<ErasureDecision, { token: string; confirm: boolean }>(({ input }) =>
      current().decideErasure(input),
    ),
    setOptOut: fromPromise<void, { optedOut: boolean }>(({ input }) => current().setOptOut(input)),
    loadProfile: fromPromise<ProfileView, void>(() => current().loadProfile()),
    applyCorrection: fromPromise<void, CorrectionRequest>(({ input }) => current().applyCorrection(input)),
    interpretText: fromPromise<TextInterpretation, { text: string }>(({ input }) =>
      current().interpretText(input),
    ),
    setAiPreference: fromPromise<void, { noAi: boolean }>(({ input }) => current().setAiPreference(input)),
  },
});

/**
 * The root flow's effects for one customer of one business: the catalog as it is now, placing the order,
 * the customer's recent orders, and their privacy requests. `sender` is the verified sender of the message
 * being handled: the only possible subject of a privacy request.
 */
export function rootEffects(
  business: BusinessData,
  customerRef: string,
  deps: FlowDeps,
  sender?: CustomerIdentity,
): RootEffects {
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
    },
    async recentOrders() {
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
    },
    async cancelPlacedOrder(input) {
      await deps.orders.cancelByCustomer(business.phoneNumberId, customerRef, Number(input.orderNumber));
    },
    async privacyAccess() {
      return { messages: (await privacy.access(business, customerRef)).messages };
    },
    offerErasure: (input) => privacy.offerErasure(business, customerRef, input.otherPerson),
    decideErasure: (input) =>
      privacy.decideErasure(business, customerRef, input.token, input.confirm, sender),
    async setOptOut(input) {
      await privacy.setOptOut(business, customerRef, input.optedOut);
    },
    async loadProfile() {
      const profile = await privacy.readProfile(customerRef);
      return { ...(profile.name ? { name: profile.name } : {}), addresses: profile.addresses };
    },
    applyCorrection: (input) => privacy.applyCorrection(business, customerRef, input),
    async interpretText(input) {
      const result = await deps.ai.interpret({
        business,
        customerRef,
        text: input.text,
        // The name as the customer's profile has it (their correction wins over WhatsApp's), and only
        // read when the business lets names go to the AI provider.
        customerName:
          business.aiReplies && business.aiIncludeName
            ? (await privacy.readProfile(customerRef)).name
            : undefined,
      });
      if (result.kind !== 'order') return result;
      // What the customer is shown: names and prices from the catalog, never from the model.
      const lines = result.lines.flatMap((line) => {
        const item = business.catalog.find((i) => i.id === line.itemId && i.available);
        return item ? [{ ...line, name: item.name, unitPriceMinor: item.priceMinor }] : [];
      });
      return lines.length > 0 ? { kind: 'order', lines, currency: business.currency } : { kind: 'none' };
    },
    setAiPreference: (input) => privacy.setAiPreference(business, customerRef, input.noAi),
  };
}

/**
 * The root flow as the runner drives it for one customer of one business: the shared machine, with this
 * customer's effects bound for the duration of each step.
 */
export function rootFlowDefinition(
  business: BusinessData,
  customerRef: string,
  deps: FlowDeps,
  sender?: CustomerIdentity,
): FlowDefinition<RootInput> {
  const effects = rootEffects(business, customerRef, deps, sender);
  return {
    id: rootFlowId,
    version: rootVersion,
    machine: rootMachine,
    around: (step) => stepEffects.run(effects, step),
    input: (restarted) => ({
      businessName: business.name,
      handoffMinutes: deps.handoffMinutes,
      abandonedCartHours: deps.abandonedCartHours,
      restarted,
    }),
  };
}
