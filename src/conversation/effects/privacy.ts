import type { privacyActors } from '../../../flows/privacy.flow.js';
import type { EffectContext, EffectsOf } from './context.js';

/**
 * Privacy's effects, for the verified sender only. Those that record something (an access request, an
 * erasure offer or decision, an opt-out or opt-in, a correction) are keyed on the step, so running the
 * same step again finds them done and returns the same result.
 */
export function privacyEffects({
  business,
  customerRef,
  deps,
  sender,
  keyed,
}: EffectContext): EffectsOf<typeof privacyActors> {
  const { privacy } = deps;
  return {
    async privacyAccess(input) {
      const options = { ...keyed('privacyAccess'), language: input.language };
      return { messages: (await privacy.access(business, customerRef, 'chat', options)).messages };
    },
    offerErasure: (input) =>
      privacy.offerErasure(business, customerRef, input.otherPerson, {
        ...keyed('offerErasure'),
        language: input.language,
      }),
    decideErasure: (input) =>
      privacy.decideErasure(business, customerRef, input.token, input.confirm, sender, {
        ...keyed('decideErasure'),
        language: input.language,
      }),
    async setOptOut(input) {
      await privacy.setOptOut(business, customerRef, input.optedOut, 'chat', keyed('setOptOut'));
    },
    async loadProfile() {
      const profile = await privacy.readProfile(customerRef);
      return { ...(profile.name ? { name: profile.name } : {}), addresses: profile.addresses };
    },
    applyCorrection: (input) =>
      privacy.applyCorrection(business, customerRef, input, keyed('applyCorrection')),
  };
}
