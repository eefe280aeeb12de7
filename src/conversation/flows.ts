import { chooseLanguage } from '../language/choose.js';
import { isLanguage, languageOfLocale } from '../language/languages.js';
import type { Language } from '../language/languages.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { fromPromise } from 'xstate';
import type { StateValue } from 'xstate';
import { rootActors, rootConcerns, rootFlow, rootFlowId, rootVersion } from '../../flows/root.flow.js';
import type { RegisteredConcern } from '../../flows/registry.js';
import type { RootContext, RootInput } from '../../flows/root.flow.js';
import type { BusinessData } from '../businesses/schema.js';
import { aiEffects } from './effects/ai.js';
import { bookingEffects } from './effects/booking.js';
import { effectContext } from './effects/context.js';
import type { EffectContext, EffectsOf, FlowDeps } from './effects/context.js';
import { orderingEffects } from './effects/ordering.js';
import { privacyEffects } from './effects/privacy.js';
import { trackingEffects } from './effects/tracking.js';
import type { FlowDefinition, StepKey } from './runner.js';
import type { CustomerIdentity } from '../core/vocabulary.js';
import type { Offering, OfferingSettings } from '../core/booking.js';

export type { FlowDeps } from './effects/context.js';

/** The effects the root flow invokes, bound to one business, one customer and the message's sender. */
export type RootEffects = EffectsOf<typeof rootActors>;

/**
 * Each concern's effects (src/conversation/effects/<concern>.ts), by the concern's id: a concern added to
 * flows/registry.ts is refused by the compiler until its line is here, with functions for all its actors.
 */
const concernEffects: {
  [C in RegisteredConcern as C['id']]: (ctx: EffectContext) => EffectsOf<C['actors']>;
} = {
  ordering: orderingEffects,
  tracking: trackingEffects,
  privacy: privacyEffects,
  ai: aiEffects,
  booking: bookingEffects,
};

/** Every concern's effects, for one step. */
const effectFactories = Object.values(concernEffects) as Array<(ctx: EffectContext) => object>;

/** One object holding every concern's effects for this step (built once per step, on the hot path). */
const effectsOf = (ctx: EffectContext): RootEffects => {
  const all = {};
  for (const effects of effectFactories) Object.assign(all, effects(ctx));
  return all as RootEffects;
};

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

/** Each actor the flows declare calls the effect of the same name for the step being run. */
const rootMachine = rootFlow.provide({
  actors: Object.fromEntries(
    (Object.keys(rootActors) as Array<keyof RootEffects>).map((name) => [
      name,
      fromPromise<unknown, unknown>(({ input }) =>
        (current()[name] as (input: unknown) => Promise<unknown>)(input),
      ),
    ]),
  ),
});

/**
 * The root flow's effects for one customer of one business: the catalog as it is now, placing the order,
 * the customer's recent orders, their privacy requests and what an AI makes of their text. `sender` is the
 * verified sender of the message being handled: the only possible subject of a privacy request. Given the
 * step's key, the effects that record something (an order, a correction, an opt-out or opt-in, an erasure
 * offer or decision, an access request) are keyed on it, so running the same step again finds them done
 * and returns the same result. The others are idempotent by what they write: a cancellation finds the order
 * cancelled (a final status), the AI preference is a plain set, a saved address is deduplicated.
 */
export function rootEffects(
  business: BusinessData,
  customerRef: string,
  deps: FlowDeps,
  sender?: CustomerIdentity,
  step?: StepKey,
): RootEffects {
  return effectsOf(effectContext(business, customerRef, deps, sender, step));
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
    concerns: rootConcerns,
    machine: rootMachine,
    // Effects made for each run of the step, so a run that starts over counts effect positions afresh.
    around: (run) => stepEffects.run(rootEffects(business, customerRef, deps, sender, step), run),
    input: (restarted, now, facts) => ({
      businessName: business.name,
      handoffMinutes: deps.handoffMinutes,
      abandonedCartHours: deps.abandonedCartHours,
      restarted,
      now,
      language: isLanguage(facts.language) ? facts.language : languageOfLocale(business.locale),
      staffLanguage: languageOfLocale(business.locale),
      // A language the customer chose survives a restart of the conversation (a changed flow version).
      ...chosenInput(facts.chosen),
      ...offeringOf(business),
    }),
    stepFacts: (event, stored, text, at) => ({
      language: chooseLanguage(
        text ?? (event.type === 'user.text' ? event.text : undefined),
        stored?.language,
        languageOfLocale(business.locale),
        { dataEntry: typingData(at, stored) },
      ),
      staffLanguage: languageOfLocale(business.locale),
      // What the business offers, read at each step: a change in the portal shows in the next menu.
      ...offeringOf(business),
    }),
  };
}

/**
 * What the business offers in chat and its own words (`business.offering`, src/core/booking.ts); a business
 * without it offers ordering, as every business did before appointments. Read loosely until the business
 * schema carries `offering` (issue 18, the booking configuration): then this reads the typed field.
 */
function offeringOf(business: BusinessData): Pick<RootInput, 'offers' | 'nouns'> {
  const offering = (business as { offering?: Partial<OfferingSettings> | null }).offering;
  const offers = (offering?.offers ?? []).filter(
    (offer): offer is Offering => offer === 'ordering' || offer === 'appointments',
  );
  return {
    offers: offers.length > 0 ? offers : ['ordering'],
    ...(offering?.serviceNoun || offering?.itemNoun
      ? {
          nouns: {
            ...(offering.serviceNoun ? { service: offering.serviceNoun } : {}),
            ...(offering.itemNoun ? { item: offering.itemNoun } : {}),
          },
        }
      : {}),
  };
}

/** The customer's earlier choice as the runner kept it (`facts.chosen`), for a conversation that restarts. */
function chosenInput(chosen: unknown): { chosen?: { language: Language } } {
  const language = (chosen as { language?: unknown } | null | undefined)?.language;
  return isLanguage(language) ? { chosen: { language } } : {};
}

/**
 * Whether the stored conversation waits for data (an address, a name: the `data-entry` tag), which must not
 * change its language. A state the machine no longer has is not data entry.
 */
function typingData(at: unknown, context: Readonly<Record<string, unknown>> | undefined): boolean {
  if (at === undefined || context === undefined) return false;
  try {
    return rootMachine
      .resolveState({ value: at as StateValue, context: context as unknown as RootContext })
      .hasTag('data-entry');
  } catch {
    return false;
  }
}
