import { describe, expect, it } from 'vitest';
import { conversationView, stateName } from '../../flows/view.js';

describe('conversation view', () => {
  it('when the state is nested, then its name joins the levels', () => {
    expect(stateName({ ordering: { checkout: 'address' } })).toBe('ordering.checkout.address');
    expect(stateName('menu')).toBe('menu');
    expect(stateName(undefined)).toBe('unknown');
  });

  it('when the ordering slice holds a cart, then its lines are shown without the rest of the context', () => {
    const view = conversationView({
      value: { ordering: 'browsing' },
      context: {
        ordering: { cart: { lines: [{ itemId: 'cola', name: 'Cola', quantity: 2, priceMinor: 150 }] } },
        privacy: { token: 'secret' },
      },
    });
    expect(view).toEqual({
      state: 'ordering.browsing',
      cart: [{ itemId: 'cola', name: 'Cola', quantity: 2 }],
    });
  });

  it('when the conversation has a language, then the view says it; an unknown one is left out', () => {
    expect(conversationView({ value: 'menu', context: { language: 'es' } }).language).toBe('es');
    expect(conversationView({ value: 'menu', context: { language: 'xx' } })).not.toHaveProperty('language');
  });

  it('when there is no cart, then the cart is empty', () => {
    expect(conversationView({ value: 'menu', context: {} }).cart).toEqual([]);
  });
});
