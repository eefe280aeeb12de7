import { describe, expect, it } from 'vitest';
import { ids, parseChoiceId, pickShown, shownIds } from '../../../flows/ordering/ids.js';
import type { Choice } from '../../../flows/ordering/ids.js';

describe('parseChoiceId', () => {
  it.each<[string, Choice]>([
    [ids.item('margherita'), { kind: 'item', itemId: 'margherita' }],
    [ids.category('Pizza: the classics'), { kind: 'category', category: 'Pizza: the classics' }],
    [ids.more('Pizza: the classics', 3), { kind: 'more', category: 'Pizza: the classics', page: 3 }],
    [ids.more(undefined, 2), { kind: 'more', page: 2 }],
    [ids.quantity(0), { kind: 'quantity', quantity: 0 }],
    [ids.quantity(3), { kind: 'quantity', quantity: 3 }],
    [ids.cart('checkout'), { kind: 'cart', action: 'checkout' }],
    [ids.line('cola'), { kind: 'line', itemId: 'cola' }],
    [ids.lines(2), { kind: 'lines', page: 2 }],
  ])('when the id is "%s", then it decodes to its choice', (id, choice) => {
    expect(parseChoiceId(id)).toEqual(choice);
  });

  it.each([
    '',
    'item:',
    'cat:',
    'menu.order',
    'more:Pizza',
    'more:Pizza:0',
    'more:Pizza:x',
    'qty:100',
    'qty:-1',
    'cart:pay',
    'lines:0',
    'zzz:1',
  ])('when the id is "%s", then it is not an ordering choice', (id) => {
    expect(parseChoiceId(id)).toBeUndefined();
  });

  it('when a category name is longer than 150 characters, then its ids stay within Meta row id limits', () => {
    const name = 'n'.repeat(500);

    expect(ids.category(name).length).toBeLessThanOrEqual(200);
    expect(ids.more(name, 9999).length).toBeLessThanOrEqual(200);
  });
});

describe('shownIds and pickShown', () => {
  it('when a list has two sections, then ids come in display order and typed numbers pick them', () => {
    const shown = shownIds({
      type: 'reply.list',
      text: 'Menu',
      button: 'See menu',
      sections: [
        { title: 'Pizza', rows: [{ id: 'item:a', title: 'A' }] },
        {
          title: 'Drinks',
          rows: [
            { id: 'item:b', title: 'B' },
            { id: 'item:c', title: 'C' },
          ],
        },
      ],
    });

    expect(shown).toEqual(['item:a', 'item:b', 'item:c']);
    expect(['1', ' 2 ', '#3', '3.'].map((typed) => pickShown(typed, shown))).toEqual([
      'item:a',
      'item:b',
      'item:c',
      'item:c',
    ]);
  });

  it('when the text is not a position in range, then nothing is picked', () => {
    const shown = ['item:a'];

    expect(
      ['0', '2', '-1', 'one', '1.5', '1'.repeat(20), ''].map((typed) => pickShown(typed, shown)),
    ).toEqual(Array.from({ length: 7 }, () => undefined));
  });

  it('when the message is text, then nothing was shown', () => {
    expect(shownIds({ type: 'reply.text', text: 'Hello' })).toEqual([]);
  });
});
