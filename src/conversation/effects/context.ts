import type { PromiseActorLogic } from 'xstate';
import type { Assistant } from '../../ai/assistant.js';
import type { BusinessDirectory } from '../../businesses/directory.js';
import type { BusinessData } from '../../businesses/schema.js';
import type { AppointmentNotices } from '../../appointments/notices.js';
import type { AppointmentStore } from '../../appointments/store.js';
import type { OrderService } from '../../orders/service.js';
import type { PrivacyService } from '../../privacy/service.js';
import type { StepKey } from '../runner.js';
import type { CustomerIdentity } from '../../core/vocabulary.js';
import type { SavedAddress } from '../../db/models/customer.model.js';

/** The services the flows' effects use, passed down from main.ts (src/bot.ts). */
export interface FlowDeps {
  directory: BusinessDirectory;
  orders: OrderService;
  /** Appointments (src/appointments/store.ts): booking in chat; absent in tests that do not book. */
  appointments?: AppointmentStore;
  /** Tells the staff of a booking, move or cancellation in chat, and sends the customer the calendar file. */
  appointmentNotices?: Pick<AppointmentNotices, 'tell'>;
  privacy: PrivacyService;
  /** AI replies (src/ai/): answers `none` unless the business enabled AI and an endpoint is configured. */
  ai: Pick<Assistant, 'interpret'>;
  handoffMinutes: number;
  abandonedCartHours: number;
  /** The clock opening hours are read against (tests set it); Date.now otherwise. */
  now?: () => number;
}

/**
 * What one step's effects are bound to: one business, one customer, the message's verified sender (the
 * only possible subject of a privacy request), and the keys that make each recording effect happen once.
 */
export interface EffectContext {
  business: BusinessData;
  customerRef: string;
  deps: FlowDeps;
  sender: CustomerIdentity | undefined;
  /** The idempotency key of this call of effect `name` in this step; undefined without a step key. */
  keyOf: (name: string) => string | undefined;
  /** `keyOf(name)` as the `{ stepKey }` option the services take (empty without a step key). */
  keyed: (name: string) => { stepKey?: string };
  /** The customer's saved delivery addresses (src/customers/profiles.ts). */
  savedAddresses: () => Promise<SavedAddress[]>;
}

/**
 * The functions a concern's actors stand for (`flows/<concern>.flow.ts` declares them once, as
 * `notProvided<Output, Input>` placeholders): each takes the actor's input and resolves to its output.
 */
export type EffectsOf<TActors> = {
  [K in keyof TActors]: TActors[K] extends PromiseActorLogic<infer TOutput, infer TInput>
    ? (input: TInput) => Promise<TOutput>
    : never;
};

/**
 * The idempotency key of each effect a step performs: the step's key, the effect's name, and its position
 * among this step's calls of that effect (`…:placeOrder`, `…:placeOrder:1`). Undefined without a step key
 * (unit tests that drive the flow without the engine): the effects then act on every call.
 */
export function effectContext(
  business: BusinessData,
  customerRef: string,
  deps: FlowDeps,
  sender: CustomerIdentity | undefined,
  step: StepKey | undefined,
): EffectContext {
  const calls = new Map<string, number>();
  const keyOf = (name: string): string | undefined => {
    if (!step) return undefined;
    const n = calls.get(name) ?? 0;
    calls.set(name, n + 1);
    return n === 0 ? `${step.key}:${name}` : `${step.key}:${name}:${n}`;
  };
  return {
    business,
    customerRef,
    deps,
    sender,
    keyOf,
    keyed: (name) => {
      const stepKey = keyOf(name);
      return stepKey ? { stepKey } : {};
    },
    // As the step read them, until an effect that records something ran (every one is keyed, and one may
    // change them: an order saves its address, a correction edits them); then from the record.
    savedAddresses: async () =>
      step?.savedAddresses && calls.size === 0
        ? step.savedAddresses()
        : (await deps.privacy.readProfile(customerRef)).addresses,
  };
}
