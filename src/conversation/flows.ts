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
import type { FlowDefinition, StepKey } from './runner.js';
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
 * The idempotency key of each effect a step performs: the step's key, the effect's name, and its position
 * among this step's calls of that effect (`…:placeOrder`, `…:placeOrder:1`). Undefined without a step key
 * (unit tests that drive the flow without the engine): the effects then act on every call.
 */
function effectKeys(step: StepKey | undefined): (name: keyof RootEffects) => string | undefined {
  const calls = new Map<string, number>();
  return (name) => {
    if (!step) return undefined;
    const n = calls.get(name) ?? 0;
    calls.set(name, n + 1);
    return n === 0 ? `${step.key}:${name}` : `${step.key}:${name}:${n}`;
  };
}

/**
 * The root flow's effects for one customer of one business: the catalog as it is now, placing the order,
 * the customer's recent orders, and their privacy requests. `sender` is the verified sender of the message
 * being handled: the only possible subject of a privacy request. Given the step's key, the effects that
 * record something (an order, a correction, an opt-out or opt-in, an erasure offer or decision, an access
 * request) are keyed on it, so running the same step again finds them done and returns the same result.
 * The others are idempotent by what they write: a cancellation finds the order cancelled (a final status),
 * the AI preference is a plain set, a saved address is deduplicated.
 */
export function rootEffects(
  business: BusinessData,
  customerRef: string,
  deps: FlowDeps,
  sender?: CustomerIdentity,
  step?: StepKey,
): RootEffects {
  const { privacy } = deps;
  const keyOf = effectKeys(step);
  const keyed = (name: keyof RootEffects) => {
    const stepKey = keyOf(name);
    return stepKey ? { stepKey } : {};
  };
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
      // Once by the order's own state: `cancelled` is final, and a repeat finds it cancelled and writes nothing.
      await deps.orders.cancelByCustomer(business.phoneNumberId, customerRef, Number(input.orderNumber));
    },
    async privacyAccess() {
      return {
        messages: (await privacy.access(business, customerRef, 'chat', keyed('privacyAccess'))).messages,
      };
    },
    offerErasure: (input) =>
      privacy.offerErasure(business, customerRef, input.otherPerson, keyed('offerErasure')),
    decideErasure: (input) =>
      privacy.decideErasure(
        business,
        customerRef,
        input.token,
        input.confirm,
        sender,
        keyed('decideErasure'),
      ),
    async setOptOut(input) {
      await privacy.setOptOut(business, customerRef, input.optedOut, 'chat', keyed('setOptOut'));
    },
    async loadProfile() {
      const profile = await privacy.readProfile(customerRef);
      return { ...(profile.name ? { name: profile.name } : {}), addresses: profile.addresses };
    },
    applyCorrection: (input) =>
      privacy.applyCorrection(business, customerRef, input, keyed('applyCorrection')),
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
  step?: StepKey,
): FlowDefinition<RootInput> {
  return {
    id: rootFlowId,
    version: rootVersion,
    machine: rootMachine,
    // Effects made for each run of the step, so a run that starts over counts effect positions afresh.
    around: (run) => stepEffects.run(rootEffects(business, customerRef, deps, sender, step), run),
    input: (restarted) => ({
      businessName: business.name,
      handoffMinutes: deps.handoffMinutes,
      abandonedCartHours: deps.abandonedCartHours,
      restarted,
    }),
  };
}
