/**
 * A question about their order that only the business can answer, often the reply to a notice the business
 * sent from the portal ("¿por qué lo habéis cancelado?"): a person is offered at once, in the customer's
 * language, never "I'm still not sure what you need" (issue 16).
 */
import { describe, expect, it } from 'vitest';
import { toFlowEvent } from '../../src/language/intents.js';
import { t } from '../../src/language/i18n.js';
import type { Language } from '../../src/language/languages.js';
import { chat, customerMessages, valueOf } from './graph/invariants.js';
import { BUSINESS_NAME } from './graph/samples.js';

const typed = (text: string) => toFlowEvent({ type: 'user.text', text });

/** The offer of a person, as the customer sees it in `language` (after `before`, a greeting, if any). */
function offer(language: Language, before?: string) {
  const text = t(language, 'root:orderQuestion', {
    business: BUSINESS_NAME,
    person: t(language, 'root:stuck.person.button'),
  });
  return {
    type: 'reply.buttons',
    text: before ? `${before}\n\n${text}` : text,
    buttons: [
      { id: 'stuck.menu', title: t(language, 'root:stuck.options.button') },
      { id: 'menu.human', title: t(language, 'root:stuck.person.button') },
    ],
  };
}

const QUESTIONS: Array<[Language, string, string]> = [
  ['es', 'hola', '¿por qué lo habéis cancelado?'],
  ['es', 'hola', 'por que cancelaron mi pedido'],
  ['en', 'hello', 'why was my order cancelled?'],
  ['pt', 'olá', 'por que cancelaram o meu pedido?'],
  ['fr', 'bonjour', 'pourquoi ma commande a été annulée ?'],
  ['de', 'hallo', 'Warum wurde meine Bestellung storniert?'],
];

describe('a question about the order that only the business can answer', () => {
  it.each(QUESTIONS)(
    'when a %s customer at the menu asks %j, then a person is offered at once, in their language',
    async (language, hello, question) => {
      const send = chat();
      await send(typed(hello));

      const result = await send(typed(question));

      expect(customerMessages(result.emitted)).toEqual([offer(language)]);
      expect(valueOf(result)).toBe('personOffered');
    },
  );

  it('when the question is the first message (the conversation had expired), then the greeting and the offer come together', async () => {
    const send = chat();

    const result = await send(typed('¿por qué lo habéis cancelado?'));

    expect(customerMessages(result.emitted)).toEqual([
      offer('es', t('es', 'root:greeting', { business: BUSINESS_NAME })),
    ]);
  });

  it('when the customer was already stuck, then the question still gets the offer, not "still not sure"', async () => {
    const send = chat();
    await send(typed('hola'));
    await send(typed('blablá'));
    const stuck = await send(typed('xyz xyz'));
    expect(valueOf(stuck)).toBe('stuck');

    const result = await send(typed('¿por qué lo habéis cancelado?'));

    expect(customerMessages(result.emitted)).toEqual([offer('es')]);
  });

  it('when the customer taps the person button, then a person takes over', async () => {
    const send = chat();
    await send(typed('hola'));
    await send(typed('¿por qué lo habéis cancelado?'));

    const result = await send(
      toFlowEvent({ type: 'user.button', id: 'menu.human', title: t('es', 'root:stuck.person.button') }),
    );

    expect(valueOf(result)).toBe('handoff');
  });
});
