/**
 * What customers type at the main menu instead of tapping (issue 16, a walkthrough of the chat): a question
 * that names an option in so many words ("¿dónde está mi pedido?", "can I see the menu?"), and an order typed
 * there ("una diavola", "2 margaritas"), open or closed, through the real runner.
 */
import { describe, expect, it } from 'vitest';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import { rootFlowDefinition } from '../../src/conversation/flows.js';
import { runStep } from '../../src/conversation/runner.js';
import type { StepResult, StoredFlow } from '../../src/conversation/runner.js';
import { t } from '../../src/language/i18n.js';
import { toFlowEvent } from '../../src/language/intents.js';
import type { Language } from '../../src/language/languages.js';
import type { OrderDraft } from '../../flows/root.flow.js';
import { fakeFlowDeps } from '../helpers/flows.js';
import { customerMessages } from './graph/invariants.js';

/** A pizzeria in Madrid; with `closedNow`, open Tuesdays 12:00–16:00 only (and it is Saturday). */
function business(options: { closedNow?: boolean; preOrders?: boolean } = {}) {
  return toBusinessData(
    '100000000000516',
    businessInput.parse({
      name: 'Menu Test',
      currency: 'EUR',
      locale: 'es',
      timeZone: 'Europe/Madrid',
      catalog: [
        { id: 'margherita', name: 'Margherita', price: 9.5, synonyms: ['margarita'] },
        { id: 'diavola', name: 'Diavola', price: 11 },
      ],
      ...(options.closedNow ? { openingHours: { tue: [{ open: '12:00', close: '16:00' }] } } : {}),
      ...(options.preOrders ? { preOrders: true } : {}),
    }),
  );
}

/** Saturday 5 December 2026, 11:00 in Madrid. */
const SATURDAY = Date.parse('2026-12-05T10:00:00Z');

/** One customer: each message typed, as the webhook hands it on; the reply's text and where the chat is. */
function customer(data = business()) {
  const flow = rootFlowDefinition(data, 'customer-ref', fakeFlowDeps(data, { now: () => SATURDAY }));
  let stored: StoredFlow | null = null;
  let last: StepResult | undefined;
  return {
    async say(text: string): Promise<string> {
      last = await runStep(flow, stored, toFlowEvent({ type: 'user.text', text }));
      stored = { flowId: flow.id, flowVersion: flow.version, snapshot: last.snapshot };
      return customerMessages(last.emitted)
        .map((m) => ('text' in m ? m.text : ''))
        .join('\n')
        .replace(/\u00a0/g, ' ');
    },
    get state(): unknown {
      return last?.snapshot.value;
    },
    get cart(): Array<[string, number]> {
      const ordering = (last?.snapshot.context as { ordering?: OrderDraft } | undefined)?.ordering;
      return (ordering?.cart.lines ?? []).map((line) => [line.itemId, line.quantity]);
    },
  };
}

const HELLO: Record<Language, string> = { en: 'hello', es: 'hola', pt: 'olá', fr: 'bonjour', de: 'hallo' };

const TRACK: Array<[Language, string]> = [
  ['es', '¿dónde está mi pedido?'],
  ['es', '¿cómo va mi pedido?'],
  ['es', 'donde esta mi pedido'],
  ['en', 'where is my order?'],
  ['en', "where's my food"],
  ['pt', 'cadê meu pedido?'],
  ['pt', 'onde está o meu pedido?'],
  ['fr', 'où en est ma commande ?'],
  ['de', 'Wo bleibt meine Bestellung?'],
];

const BROWSE: Array<[Language, string]> = [
  ['en', 'can I see the menu?'],
  ['en', 'show me the menu'],
  ['es', 'quiero ver el menú por favor'],
  ['es', '¿me enseñáis la carta?'],
  ['pt', 'posso ver o cardápio?'],
  ['fr', 'je voudrais voir la carte'],
  ['de', 'Kann ich die Speisekarte sehen?'],
];

describe('a question at the main menu that names an option', () => {
  it.each(TRACK)(
    'when a %s customer asks %j at the menu, then their orders are shown',
    async (language, text) => {
      const c = customer();
      await c.say(HELLO[language]);

      const reply = await c.say(text);

      expect(reply).toContain(t(language, 'tracking:orders.none'));
      expect(reply).not.toContain(t(language, 'root:notUnderstood'));
    },
  );

  it.each(TRACK)(
    'when a %s customer first writes %j, then their orders are shown',
    async (language, text) => {
      const reply = await customer().say(text);

      expect(reply).toContain(t(language, 'tracking:orders.none'));
    },
  );

  it.each(BROWSE)(
    'when a %s customer asks %j at the menu, then the menu of dishes is shown',
    async (language, text) => {
      const c = customer();
      await c.say(HELLO[language]);

      const reply = await c.say(text);

      expect(c.state).toEqual({ ordering: 'browsing' });
      expect(reply).not.toContain(t(language, 'root:notUnderstood'));
    },
  );

  it.each(BROWSE)('when a %s customer first writes %j, then the menu of dishes is shown', async (_, text) => {
    const c = customer();

    await c.say(text);

    expect(c.state).toEqual({ ordering: 'browsing' });
  });

  it('when a customer orders at the menu in words, then it is an order, not the menu of dishes', async () => {
    const c = customer();
    await c.say('hola');

    await c.say('quiero una margarita');

    expect(c.state).toEqual({ ordering: 'cart' });
    expect(c.cart).toEqual([['margherita', 1]]);
  });
});

describe('an order typed at the main menu', () => {
  it('when the business is open and a dish is typed with an article, then it is in the cart', async () => {
    const c = customer();
    await c.say('hola');

    const reply = await c.say('una diavola');

    expect(c.state).toEqual({ ordering: 'cart' });
    expect(c.cart).toEqual([['diavola', 1]]);
    expect(reply).toContain('Diavola');
  });

  it('when an article names nothing on the menu, then it is "not understood" as before', async () => {
    const c = customer();
    await c.say('hola');

    const reply = await c.say('una pregunta');

    expect(c.state).toBe('menu');
    expect(reply).toContain(t('es', 'root:notUnderstood'));
  });

  it.each(['una diavola', '2 margaritas'])(
    'when the business is closed (no orders for later) and %j is typed at the menu, then the answer is the one a tap on *Pedir* gets',
    async (text) => {
      const tapped = customer(business({ closedNow: true }));
      await tapped.say('hola');
      const closedAnswer = await tapped.say('1');
      expect(closedAnswer).toContain('Ahora estamos cerrados; abrimos el martes a las 12:00.');

      const c = customer(business({ closedNow: true }));
      await c.say('hola');
      const reply = await c.say(text);

      expect(reply).toBe(closedAnswer);
      expect(c.state).toBe('menu');
      expect(c.cart).toEqual([]);
    },
  );

  it('when the business is closed and the first message is an order, then the greeting says when it opens', async () => {
    const c = customer(business({ closedNow: true }));

    const reply = await c.say('2 margaritas');

    expect(reply).toContain(t('es', 'root:greeting', { business: 'Menu Test' }));
    expect(reply).toContain('Ahora estamos cerrados; abrimos el martes a las 12:00.');
    expect(c.state).toBe('menu');
    expect(c.cart).toEqual([]);
  });

  it('when closed but taking orders for later, then a typed order goes on as a pre-order, with the closed line', async () => {
    const c = customer(business({ closedNow: true, preOrders: true }));
    await c.say('hola');

    const reply = await c.say('2 margaritas');

    expect(c.state).toEqual({ ordering: 'cart' });
    expect(c.cart).toEqual([['margherita', 2]]);
    expect(reply).toContain('Ahora estamos cerrados; abrimos el martes a las 12:00.');
    expect(reply).toContain(t('es', 'ordering:closed.preOrder'));
  });
});
