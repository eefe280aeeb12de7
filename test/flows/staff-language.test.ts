import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { rootFlow } from '../../flows/root.flow.js';
import type { FlowEvent } from '../../src/core/vocabulary.js';
import { emittedBy } from './graph/invariants.js';
import { input, text } from './graph/samples.js';

/** The staff notices a step emits, for a business whose staff read `staffLanguage`. */
function staffNotices(staffLanguage: 'en' | 'es' | 'de', customerLanguage: 'en' | 'es', event: FlowEvent) {
  const [start] = initialTransition(rootFlow, { ...input, language: customerLanguage, staffLanguage });
  const [menu] = transition(rootFlow, start, text('hi'));
  const [, actions] = transition(rootFlow, menu, event);
  return emittedBy(actions).filter((m) => m.type === 'notify.staff');
}

describe('staff notices', () => {
  it('when a customer asks for a person, then the staff are told in the business language, not the customer’s', () => {
    expect(staffNotices('es', 'en', { type: 'command.human' })).toMatchObject([
      {
        text: 'Un cliente pidió hablar con una persona. Respóndele en el portal: Bandeja de entrada (este número no se puede usar desde la app de WhatsApp). Después devuelve allí la conversación al bot.',
      },
    ]);
    expect(staffNotices('en', 'es', { type: 'command.human' })[0]?.text).toMatch(
      /^A customer asked to talk to a person\. Answer them in the portal: Inbox/,
    );
    expect(staffNotices('de', 'es', { type: 'command.human' })[0]?.text).toMatch(/^Ein Kunde möchte/);
  });
});
