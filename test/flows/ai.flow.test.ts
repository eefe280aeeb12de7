import { describe, expect, it } from 'vitest';
import { edgesFrom, pathProblems, problemsOf, reachableIn } from './graph/invariants.js';
import { transition } from 'xstate';
import { rootFlow } from '../../flows/root.flow.js';
import type { Cart } from '../../flows/ordering/cart.js';
import type { FlowDeps } from '../../src/conversation/flows.js';
import type { BusinessData } from '../../src/businesses/schema.js';
import type { PrivacyService } from '../../src/privacy/service.js';
import type { FlowEvent } from '../../src/core/vocabulary.js';
import {
  GREETING,
  chat,
  contextOf,
  customerMessages,
  describeEvent,
  describeState,
  emittedBy,
  paths,
  pizzeria,
  texts,
  valueOf,
} from './graph/invariants.js';
import { AI_ANSWER, CATALOGS, button, text } from './graph/samples.js';

/** AI interpretation: answers, order proposals and the "no AI" choice (flows/ai.flow.ts). */
describe('ai flow paths', () => {
  it('when every ai state is reached by its shortest path, then each step keeps the invariants', () => {
    expect(pathProblems(['ai'])).toEqual([]);
  });

  it('when every sample event is sent in every reachable ai state, then each transition keeps the invariants', () => {
    const problems = edgesFrom(['ai']).flatMap(({ before, event, after, emitted }) =>
      problemsOf(before, event, after, emitted),
    );

    expect(problems).toEqual([]);
  });

  it('when the graph is explored, then exactly the expected ai states are reachable', () => {
    expect(reachableIn(['ai'])).toEqual(
      [
        '{"ai":"interpreting"}',
        '{"ai":"interpreting"} cart',
        '{"ai":"interpreting"} deadline',
        '{"ai":"interpreting"} deadline cart',
        '{"ai":"interpreting"} misunderstood=1',
        '{"ai":"interpreting"} misunderstood=1 cart',
        '{"ai":"interpreting"} misunderstood=1 deadline',
        '{"ai":"interpreting"} misunderstood=1 deadline cart',
        '{"ai":"interpreting"} notice',
        '{"ai":"preference"} ai=off',
        '{"ai":"preference"} ai=on',
        '{"ai":"preference"} cart ai=off',
        '{"ai":"preference"} cart ai=on',
        '{"ai":"preference"} deadline ai=off',
        '{"ai":"preference"} deadline ai=on',
        '{"ai":"preference"} deadline cart ai=off',
        '{"ai":"preference"} deadline cart ai=on',
        '{"ai":"proposal"} cart proposal=1',
        '{"ai":"proposal"} cart proposal=2',
        '{"ai":"proposal"} deadline cart proposal=1',
        '{"ai":"proposal"} deadline cart proposal=2',
        '{"ai":"proposal"} deadline proposal=1',
        '{"ai":"proposal"} deadline proposal=2',
        '{"ai":"proposal"} proposal=1',
        '{"ai":"proposal"} proposal=2',
      ].sort(),
    );
  });

  it('when accepted AI lines are added and the menu changed since the proposal, then exactly those still on offer are added, at the new prices', () => {
    // The graph offers REPRICED at checkout only (see `eventsFor`); here every catalog meets every accepted proposal.
    const loading = paths.filter(
      ({ state }) =>
        state.matches({ ordering: 'loading' }) && (state.context.ordering.pending?.length ?? 0) > 0,
    );
    expect(loading.map(({ state }) => describeState(state)).sort()).toEqual([
      '{"ordering":"loading"} cart catalog=base pending=1',
      '{"ordering":"loading"} cart catalog=base pending=2',
      '{"ordering":"loading"} deadline cart catalog=base pending=1',
      '{"ordering":"loading"} deadline cart catalog=base pending=2',
      '{"ordering":"loading"} deadline catalog=sold-out pending=1',
      '{"ordering":"loading"} deadline catalog=sold-out pending=2',
      '{"ordering":"loading"} pending=1',
      '{"ordering":"loading"} pending=2',
    ]);
    const problems: string[] = [];
    const carts: string[] = [];
    for (const { state } of loading) {
      const [id] = Object.keys(state.children);
      for (const catalog of Object.values(CATALOGS)) {
        const event = { type: `xstate.done.actor.${id}`, output: catalog } as unknown as FlowEvent;
        const [after, actions] = transition(rootFlow, state, event);
        problems.push(...problemsOf(state, event, after, emittedBy(actions)));
        if (state.context.ordering.cart.lines.length === 0) {
          carts.push(
            `${describeEvent(event)}: ${after.context.ordering.cart.lines.map((l) => `${l.quantity} ${l.itemId} ${l.unitPriceMinor}`).join(', ')}`,
          );
        }
      }
    }

    expect(problems).toEqual([]);
    // Into an empty cart, by catalog (each once per proposal of one and of two lines).
    expect(carts.sort()).toEqual(
      [
        'xstate.done.actor.0.root.ordering.loading base: 2 margherita 900',
        'xstate.done.actor.0.root.ordering.loading base: 1 diavola 1100, 3 coke 250',
        'xstate.done.actor.0.root.ordering.loading repriced: 2 margherita 950',
        'xstate.done.actor.0.root.ordering.loading repriced: 1 diavola 1100',
        'xstate.done.actor.0.root.ordering.loading sold-out: ',
        'xstate.done.actor.0.root.ordering.loading sold-out: ',
        'xstate.done.actor.0.root.ordering.loading base: 2 margherita 900',
        'xstate.done.actor.0.root.ordering.loading base: 1 diavola 1100, 3 coke 250',
        'xstate.done.actor.0.root.ordering.loading repriced: 2 margherita 950',
        'xstate.done.actor.0.root.ordering.loading repriced: 1 diavola 1100',
        'xstate.done.actor.0.root.ordering.loading sold-out: ',
        'xstate.done.actor.0.root.ordering.loading sold-out: ',
      ].sort(),
    );
  });
});

describe('ai flow examples', () => {
  it('when the first message is a question an AI answers, then the greeting with the answer comes first, then the menu', async () => {
    const asked: string[] = [];
    const send = chat({
      ai: {
        interpret: ({ text: typed }) => {
          asked.push(typed);
          return Promise.resolve({ kind: 'answer', text: AI_ANSWER });
        },
      },
    });

    const result = await send(text('when are you open?'));

    expect(asked).toEqual(['when are you open?']);
    expect(valueOf(result)).toBe('menu');
    expect(result.emitted).toHaveLength(2);
    expect(result.emitted[0]).toEqual({ type: 'reply.text', text: `${GREETING}\n\n${AI_ANSWER}` });
    expect(result.emitted[1]).toMatchObject({ type: 'reply.list', button: 'Options' });
  });

  it('when an AI reads an order from typed text, then nothing is added before *Add to cart*, and then exactly its lines at the prices of the moment', async () => {
    let current = pizzeria(9);
    const interpret = () =>
      Promise.resolve({ kind: 'order' as const, lines: [{ itemId: 'margherita', quantity: 2 }] });
    const directory = { get: () => Promise.resolve(current) } as unknown as FlowDeps['directory'];
    const send = chat({ ai: { interpret }, directory }, current);

    const proposed = await send(text('a couple of margheritas please'));

    expect(valueOf(proposed)).toEqual({ ai: 'proposal' });
    expect(customerMessages(proposed.emitted)).toEqual([
      {
        type: 'reply.buttons',
        text: `${GREETING}\nI understood this order:\n• 2 × Margherita (€9.00 each)\nAdd it to your cart?`,
        buttons: [
          { id: 'ai.cart.yes', title: 'Add to cart' },
          { id: 'ai.cart.no', title: 'No, thanks' },
        ],
      },
    ]);
    expect(contextOf(proposed).ordering).toMatchObject({ cart: { lines: [] } });
    expect(proposed.deadline).toBeUndefined();

    current = pizzeria(9.5);
    const accepted = await send(button('ai.cart.yes', 'Add to cart'));

    expect(valueOf(accepted)).toEqual({ ordering: 'cart' });
    expect((contextOf(accepted).ordering as { cart: Cart }).cart.lines).toEqual([
      { itemId: 'margherita', name: 'Margherita', unitPriceMinor: 950, quantity: 2 },
    ]);
    expect(customerMessages(accepted.emitted)).toHaveLength(1);
    expect(texts(accepted)[0]).toContain('Margherita');
    expect(texts(accepted)[0]).not.toContain('no longer available');
    expect(accepted.deadline).toBeDefined();
  });

  it('when the customer answers an AI proposal with "no", then nothing is added and the menu says so', async () => {
    const interpret = () =>
      Promise.resolve({ kind: 'order' as const, lines: [{ itemId: 'coke', quantity: 3 }] });
    const send = chat({ ai: { interpret } }, pizzeria(9));
    await send(text('3 cokes'));

    const result = await send(text('no'));

    expect(valueOf(result)).toBe('menu');
    expect(result.emitted).toHaveLength(1);
    expect(result.emitted[0]).toMatchObject({ type: 'reply.list' });
    expect(texts(result)[0]).toContain('OK, nothing was added.');
    expect(contextOf(result).ordering).toMatchObject({ cart: { lines: [] } });
    expect((contextOf(result).ordering as { pending?: unknown }).pending).toBeUndefined();
  });

  it.each([
    { event: { type: 'privacy.noAi' } as const, noAi: true, says: 'no AI will write replies to you' },
    { event: { type: 'privacy.aiOk' } as const, noAi: false, says: 'replies to you may be phrased by AI' },
  ])(
    'when the customer sends $event.type, then noAi: $noAi is saved and the reply says "$says"',
    async ({ event, noAi, says }) => {
      const saved: Array<{ ref: string; noAi: boolean }> = [];
      const privacy = {
        setAiPreference: (_business: BusinessData, ref: string, value: boolean) => {
          saved.push({ ref, noAi: value });
          return Promise.resolve();
        },
      } as unknown as PrivacyService;
      const send = chat({ privacy });
      await send(text('hi'));

      const result = await send(event);

      expect(saved).toEqual([{ ref: 'customer-ref', noAi }]);
      expect(valueOf(result)).toBe('idle');
      expect(result.emitted).toHaveLength(1);
      expect(texts(result)[0]).toContain(says);
      expect((contextOf(result).ai as { choice?: unknown }).choice).toBeUndefined();
    },
  );
});

describe('ai flow in the customer’s language', () => {
  const interpret = () =>
    Promise.resolve({ kind: 'order' as const, lines: [{ itemId: 'margherita', quantity: 2 }] });

  it('when an AI reads an order typed in Spanish, then the proposal and its buttons are in Spanish, and tapping adds the lines', async () => {
    const send = chat({ ai: { interpret } }, pizzeria(9));

    const proposed = await send(text('quiero un par de margheritas por favor'));

    expect(valueOf(proposed)).toEqual({ ai: 'proposal' });
    const [message] = customerMessages(proposed.emitted);
    expect(message).toMatchObject({
      type: 'reply.buttons',
      buttons: [
        { id: 'ai.cart.yes', title: 'Añadir al carrito' },
        { id: 'ai.cart.no', title: 'No, gracias' },
      ],
    });
    expect((message as { text: string }).text).toMatch(
      /\nHe entendido este pedido:\n• 2 × Margherita \(€9\.00 c\/u\)\n¿Lo añado a tu carrito\?$/,
    );

    const accepted = await send(button('ai.cart.yes', 'Añadir al carrito'));

    expect(valueOf(accepted)).toEqual({ ordering: 'cart' });
    expect((contextOf(accepted).ordering as { cart: Cart }).cart.lines).toEqual([
      { itemId: 'margherita', name: 'Margherita', unitPriceMinor: 900, quantity: 2 },
    ]);
  });

  it('when a Spanish-speaking customer answers the proposal with "no", then they are told in Spanish nothing was added', async () => {
    const send = chat({ ai: { interpret } }, pizzeria(9));
    await send(text('quiero un par de margheritas por favor'));

    const result = await send(text('no'));

    expect(valueOf(result)).toBe('menu');
    expect(texts(result)[0]).toContain('Vale, no he añadido nada.');
  });

  it('when a German-speaking customer reads a proposal, then it is in German', async () => {
    const send = chat({ ai: { interpret } }, pizzeria(9));

    const proposed = await send(text('ich möchte ein paar margheritas bitte'));

    expect(texts(proposed)[0]).toContain(
      'Ich habe diese Bestellung verstanden:\n• 2 × Margherita (je €9.00)\nIn den Warenkorb legen?',
    );
  });

  it('when a Spanish-speaking customer says "no AI", then the confirmation is in Spanish and names the Spanish way back', async () => {
    const privacy = { setAiPreference: () => Promise.resolve() } as unknown as PrivacyService;
    const send = chat({ privacy });
    await send(text('hola'));

    const result = await send({ type: 'privacy.noAi' });

    expect(texts(result)).toEqual([
      'Hecho: aquí ninguna IA te escribirá respuestas, aunque el negocio la use. Escribe *IA está bien* si cambias de opinión.',
    ]);
  });

  it('when saving the AI choice of a French-speaking customer fails, then the apology is in French', async () => {
    const privacy = {
      setAiPreference: () => Promise.reject(new Error('database down')),
    } as unknown as PrivacyService;
    const send = chat({ privacy });
    await send(text('bonjour'));

    const result = await send({ type: 'privacy.aiOk' });

    expect(texts(result)[0]).toContain('Désolé, renvoyez votre message dans un instant.');
  });
});
