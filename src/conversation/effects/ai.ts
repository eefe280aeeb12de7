import type { aiActors } from '../../../flows/ai.flow.js';
import type { EffectContext, EffectsOf } from './context.js';

/** The AI concern's effects: what an AI makes of unrecognised text, and the customer's "no AI" choice. */
export function aiEffects({ business, customerRef, deps }: EffectContext): EffectsOf<typeof aiActors> {
  const { privacy } = deps;
  return {
    async interpretText(input) {
      const result = await deps.ai.interpret({
        business,
        customerRef,
        text: input.text,
        language: input.language,
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
    // A plain set: idempotent by what it writes.
    setAiPreference: (input) => privacy.setAiPreference(business, customerRef, input.noAi),
  };
}
