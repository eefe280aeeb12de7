/**
 * Native catalogue orders and WhatsApp Flows replies in every reachable state of the composed machine: a
 * native order is taken to ordering from every waiting step (silence only while a person has the chat), a
 * form reply always gets an answer, and only the address step reads an address from one.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { rootFlow } from '../../flows/root.flow.js';
import { formAddress } from '../../flows/ordering/address.js';
import { nativeNotice, readNativeOrder } from '../../flows/ordering/native.js';
import { moneyIn } from '../../flows/ordering/steps.js';
import type { FlowEvent } from '../../src/core/vocabulary.js';
import {
  customerMessages,
  describeState,
  emittedBy,
  ended,
  invoking,
  paths,
  running,
} from './graph/invariants.js';
import { CATALOG, input } from './graph/samples.js';

const ORDER: FlowEvent = {
  type: 'user.order',
  catalogId: 'c1',
  items: [{ retailerId: 'sku-1', quantity: 2, itemPrice: 9.5, currency: 'EUR' }],
};
const FORM: FlowEvent = {
  type: 'user.form',
  name: 'flow',
  response: { street: 'Calle Mayor 5', city: 'Madrid' },
};
const NO_ADDRESS_FORM: FlowEvent = { type: 'user.form', response: { rating: 5 } };

/** Every settled state a stored conversation can be in. */
const settled = paths.map(({ state }) => state).filter((state) => !invoking(state) && !ended(state));

describe('native orders and form replies in every state', () => {
  it('when a native order arrives at any waiting step, then ordering loads its catalog to read it (a person having the chat: silence)', () => {
    const problems = settled.flatMap((state) => {
      const [after, actions] = transition(rootFlow, state, ORDER);
      if (state.matches('handoff'))
        return customerMessages(emittedBy(actions)).length === 0 && after.matches('handoff')
          ? []
          : [`${describeState(state)}: not silent in the handoff`];
      return after.matches({ ordering: 'importing' })
        ? []
        : [`${describeState(state)} → ${describeState(after)}`];
    });
    expect(settled.length).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });

  it('when a form reply arrives at any waiting step, then it is answered (an address at the address step is taken)', () => {
    const problems = settled.flatMap((state) => {
      if (state.matches('handoff')) return [];
      return [FORM, NO_ADDRESS_FORM].flatMap((event) => {
        const [after, actions] = transition(rootFlow, state, event);
        if (state.matches({ ordering: { checkout: 'address' } }) && event === FORM)
          return after.matches({ ordering: { checkout: 'note' } }) &&
            after.context.ordering.address?.text === 'Calle Mayor 5, Madrid'
            ? []
            : [`${describeState(state)}: the form's address was not taken`];
        const said = customerMessages(emittedBy(actions));
        return said.length > 0 || invoking(after) ? [] : [`${describeState(state)} + ${event.type}: silent`];
      });
    });
    expect(problems).toEqual([]);
  });
});

describe('a native order as the first message', () => {
  /** The first message is a native order naming the sample catalog's first item; ordering loads `catalog`. */
  function firstOrder(catalog: typeof CATALOG) {
    const [start] = initialTransition(rootFlow, input);
    const first = CATALOG.items[0];
    if (!first) throw new Error('the sample catalog has items');
    const withId = {
      ...catalog,
      items: catalog.items.map((i) => (i.id === first.id ? { ...i, retailerId: 'sku-1' } : i)),
    };
    const [importing, greeted] = transition(rootFlow, start, ORDER);
    const [actor] = running(importing);
    if (!actor) throw new Error('not loading the catalog');
    const [after, actions] = transition(rootFlow, importing, {
      type: `xstate.done.actor.${actor.id}`,
      output: withId,
    } as unknown as FlowEvent);
    return { after, said: customerMessages(emittedBy([...greeted, ...actions])) };
  }

  it('when the business is open, then the greeting and the cart with the item come in one message', () => {
    const { after, said } = firstOrder(CATALOG);
    expect(after.matches({ ordering: 'cart' })).toBe(true);
    expect(after.context.ordering.cart.lines.map((l) => [l.itemId, l.quantity])).toEqual([
      [CATALOG.items[0]?.id, 2],
    ]);
    expect(said).toHaveLength(1);
    expect('text' in said[0]! ? said[0].text : '').toMatch(/^Hi! Welcome to/);
  });

  it('when the business is closed and takes no orders for later, then the menu says when it opens and no cart is made', () => {
    const closed = { ...CATALOG, open: { now: false, preOrders: false } };
    const { after, said } = firstOrder(closed);
    expect(after.matches('menu')).toBe(true);
    expect(after.context.ordering.cart.lines).toEqual([]);
    expect(said.map((m) => ('text' in m ? m.text : '')).join('\n')).toMatch(/closed/i);
  });
});

describe('reading a native order', () => {
  const catalog = {
    currency: 'EUR',
    items: [
      { id: 'm', name: 'Margherita', priceMinor: 1000, available: true, retailerId: 'sku-m' },
      { id: 'c', name: 'Cola', priceMinor: 250, available: true, retailerId: 'sku-c' },
      { id: 't', name: 'Tiramisù', priceMinor: 550, available: false, retailerId: 'sku-t' },
    ],
  };

  it('when lines map, are sold out, are unknown or priced differently, then the cart has our prices and the Spanish notice says so', () => {
    const reading = readNativeOrder(catalog, [
      { retailerId: 'sku-m', quantity: 2, itemPrice: 9.5, currency: 'EUR' },
      { retailerId: 'sku-c', quantity: 150, itemPrice: 2.5, currency: 'EUR' },
      { retailerId: 'sku-t', quantity: 1, itemPrice: 5.5, currency: 'EUR' },
      { retailerId: 'sku-x', quantity: 1, itemPrice: 1, currency: 'EUR' },
    ]);
    expect(reading.cart.lines).toEqual([
      { itemId: 'm', name: 'Margherita', unitPriceMinor: 1000, quantity: 2 },
      { itemId: 'c', name: 'Cola', unitPriceMinor: 250, quantity: 99 },
    ]);
    expect(nativeNotice('es', reading, 'EUR', moneyIn('es'))?.replace(/\u00a0/g, ' ')).toBe(
      'No disponible aquí: "Tiramisù", "sku-x".\nMargherita: el precio aquí es 10,00 €.',
    );
  });

  it('when Meta priced in another currency, then our price is said', () => {
    const reading = readNativeOrder(catalog, [
      { retailerId: 'sku-c', quantity: 1, itemPrice: 2.5, currency: 'USD' },
    ]);
    expect(reading.repriced).toEqual([{ name: 'Cola', priceMinor: 250 }]);
  });
});

describe('an address from a form', () => {
  it.each([
    [{ address: '  Rua Augusta 100,  Lisboa ' }, 'Rua Augusta 100, Lisboa'],
    [
      { street: 'Calle Mayor', number: '5', postal_code: '28013', city: 'Madrid' },
      'Calle Mayor 5, 28013, Madrid',
    ],
    [{ street: 'Calle Mayor 5' }, undefined],
    [{ address: 'x' }, undefined],
    [{ address: 42 }, undefined],
  ])('%j reads as %j', (response, expected) => {
    expect(formAddress(response)).toBe(expected);
  });
});
