import { describe, expect, it } from 'vitest';
import {
  MAX_ORDER_PARTS,
  looksLikeOrder,
  readOrder,
  splitOrder,
} from '../../../flows/ordering/quantities.js';
import type { CatalogView } from '../../../flows/ordering/catalog.js';
import { matchItem } from '../../../flows/ordering/catalog.js';
import { demoBusinessData } from '../../../src/businesses/demo.js';

/** The demo business's menu as the flow loads it: its synonyms included ("coke", "cuatro quesos"…). */
const DEMO: CatalogView = { items: demoBusinessData().catalog, currency: 'EUR' };

/** The same menu without synonyms: what plural endings and typos must manage on their own. */
const PLAIN: CatalogView = {
  ...DEMO,
  items: DEMO.items.map(({ synonyms: _synonyms, ...item }) => item),
};

const lines = (catalog: CatalogView, text: string) => readOrder(catalog, text).lines;

describe('splitOrder', () => {
  it.each([
    ['2 diavola', [{ quantity: 2, phrase: 'diavola' }]],
    ['2 diavolla', [{ quantity: 2, phrase: 'diavolla' }]],
    ['una margarita', [{ quantity: 1, phrase: 'margarita', wording: 'article' }]],
    [
      'dos margaritas y una cola',
      [
        { quantity: 2, phrase: 'margaritas', wording: 'word' },
        { quantity: 1, phrase: 'cola', joiner: 'y' },
      ],
    ],
    ['2x cola', [{ quantity: 2, phrase: 'cola' }]],
    ['cola x2', [{ quantity: 2, phrase: 'cola' }]],
    [
      'three margheritas and a coke',
      [
        { quantity: 3, phrase: 'margheritas' },
        { quantity: 1, phrase: 'coke', joiner: 'and' },
      ],
    ],
    ['deux margherita', [{ quantity: 2, phrase: 'margherita' }]],
    ['zwei cola', [{ quantity: 2, phrase: 'cola' }]],
    [
      'helo can i get 2 margarita and a coke pls',
      [
        { quantity: 2, phrase: 'margarita' },
        { quantity: 1, phrase: 'coke' },
      ],
    ],
    [
      'Hola, quiero 2 margaritas y una cola por favor',
      [
        { quantity: 2, phrase: 'margaritas' },
        { quantity: 1, phrase: 'cola' },
      ],
    ],
    ['2 margherita, cola', [{ quantity: 2, phrase: 'margherita' }, { phrase: 'cola' }]],
    [
      '2 margherita 3 cola',
      [
        { quantity: 2, phrase: 'margherita' },
        { quantity: 3, phrase: 'cola' },
      ],
    ],
    [
      'um café e duas águas',
      [
        { quantity: 1, phrase: 'cafe' },
        { quantity: 2, phrase: 'aguas', joiner: 'e' },
      ],
    ],
    ['une margherita et deux cocas', [{ quantity: 1 }, { quantity: 2, phrase: 'cocas', joiner: 'et' }]],
    [
      'ein Wasser und zwei Cola',
      [
        { quantity: 1, phrase: 'wasser' },
        { quantity: 2, joiner: 'und' },
      ],
    ],
  ])('when the customer writes %j, then its parts are read with their quantities', (text, expected) => {
    expect(splitOrder(text)).toMatchObject(expected);
  });

  it.each([
    ['2', 'a number alone'],
    ['hola', 'a greeting'],
    ['I want 3', 'a quantity with no item'],
    ['10€', 'a price'],
    ['€9.50', 'a price with its sign first'],
    ['', 'nothing'],
  ])('when the customer writes %j (%s), then no item is read', (text) => {
    expect(splitOrder(text)).toEqual([]);
  });

  it('when an item follows a comma without a quantity, then it has none of its own', () => {
    expect(splitOrder('2 margherita, cola')[1]).toEqual({ phrase: 'cola', whole: 'cola' });
  });

  it('when prices follow an item, then they are not quantities', () => {
    expect(splitOrder('margherita 10€')).toEqual([{ phrase: 'margherita', whole: 'margherita' }]);
    expect(splitOrder('9.50 margherita')[0]?.quantity).toBeUndefined();
  });

  it('when numbers are 0 or over 99, then they are no quantity', () => {
    expect(splitOrder('0 cola')[0]?.quantity).toBeUndefined();
    expect(splitOrder('150 cola')[0]?.quantity).toBeUndefined();
    expect(splitOrder('99 cola')[0]?.quantity).toBe(99);
  });

  it('when a message lists many items or is very long, then the reading is bounded', () => {
    const many = Array.from({ length: 30 }, (_, i) => `${(i % 9) + 1} cola`).join(', ');
    expect(splitOrder(many)).toHaveLength(MAX_ORDER_PARTS);
    expect(splitOrder(`2 cola ${'x'.repeat(400)}`)).toEqual([]);
  });
});

describe('readOrder', () => {
  it.each([
    ['2 diavola', [{ itemId: 'diavola', quantity: 2 }]],
    ['2 diavolla', [{ itemId: 'diavola', quantity: 2 }]],
    ['una margarita', [{ itemId: 'margherita', quantity: 1 }]],
    [
      'dos margaritas y una cola',
      [
        { itemId: 'margherita', quantity: 2 },
        { itemId: 'cola', quantity: 1 },
      ],
    ],
    ['2x cola', [{ itemId: 'cola', quantity: 2 }]],
    [
      'three margheritas and a coke',
      [
        { itemId: 'margherita', quantity: 3 },
        { itemId: 'cola', quantity: 1 },
      ],
    ],
    ['deux margherita', [{ itemId: 'margherita', quantity: 2 }]],
    ['zwei cola', [{ itemId: 'cola', quantity: 2 }]],
    [
      'helo can i get 2 margarita and a coke pls',
      [
        { itemId: 'margherita', quantity: 2 },
        { itemId: 'cola', quantity: 1 },
      ],
    ],
    ['dos cuatro quesos', [{ itemId: 'quattro', quantity: 2 }]],
    ['deux quatre fromages', [{ itemId: 'quattro', quantity: 2 }]],
    ['ein stilles Wasser', [{ itemId: 'water', quantity: 1 }]],
  ])('when the customer writes %j, then the demo menu gives those lines', (text, expected) => {
    expect(lines(DEMO, text)).toEqual(expected);
  });

  it('when a number word starts an item name, then it is the name and not a quantity', () => {
    const reading = readOrder(DEMO, 'cuatro quesos');
    expect(reading.lines).toEqual([{ itemId: 'quattro', quantity: 1 }]);
    expect(reading.quantified).toBe(false);
  });

  it('when the menu has no synonyms, then plural endings and typos still find the item', () => {
    expect(lines(PLAIN, 'dos margaritas')).toEqual([{ itemId: 'margherita', quantity: 2 }]);
    expect(lines(PLAIN, 'zwei Colas')).toEqual([{ itemId: 'cola', quantity: 2 }]);
    expect(lines(PLAIN, '2 coke')).toEqual([]);
  });

  it('when some parts name nothing on the menu, then the others are read and those words kept', () => {
    const reading = readOrder(DEMO, '2 margherita y 3 hawaii');
    expect(reading.lines).toEqual([{ itemId: 'margherita', quantity: 2 }]);
    expect(reading.unknown).toEqual(['hawaii']);
  });

  it('when an item is sold out, then it is not read', () => {
    const soldOut = { ...DEMO, items: DEMO.items.map((i) => ({ ...i, available: i.id !== 'cola' })) };
    expect(readOrder(soldOut, '2 cola').unknown).toEqual(['cola']);
  });

  it('when "and" is part of an item name, then the name is kept whole', () => {
    const menu: CatalogView = {
      currency: 'EUR',
      items: [
        { id: 'fish', name: 'Fish and chips', priceMinor: 900, available: true },
        { id: 'cola', name: 'Cola', priceMinor: 250, available: true },
      ],
    };
    expect(lines(menu, '2 fish and chips and a cola')).toEqual([
      { itemId: 'fish', quantity: 2 },
      { itemId: 'cola', quantity: 1 },
    ]);
  });

  it('when a category is named instead of an item, then it is given', () => {
    expect(readOrder(DEMO, 'quiero pedir una pizza')).toMatchObject({ lines: [], category: 'Pizza' });
  });

  it.each(['2', 'hola', 'I want 3', '10€'])('when the customer writes %j, then nothing is read', (text) => {
    expect(readOrder(DEMO, text)).toEqual({ lines: [], unknown: [], quantified: false });
  });
});

describe('synonyms in matchItem', () => {
  it.each([
    ['coke', 'cola'],
    ['Coca-Cola', 'cola'],
    ['refresco', 'cola'],
    ['agua', 'water'],
    ['Wasser', 'water'],
    ['quatre fromages', 'quattro'],
    ['vier Käse', 'quattro'],
  ])('when the customer types %j, then the demo menu finds %s', (text, id) => {
    const match = matchItem(DEMO, text);
    expect(match.kind === 'one' && match.item.id).toBe(id);
  });

  it('when the item has no synonyms, then "coke" does not find Cola', () => {
    expect(matchItem(PLAIN, 'coke').kind).toBe('none');
  });
});

describe('looksLikeOrder', () => {
  it.each([
    'helo can i get 2 margarita and a coke pls',
    'hola quiero 2 margaritas y una cola',
    'quiero pedir una pizza',
    'I want to order',
    'je voudrais commander',
    'ich möchte bestellen',
    '2 diavola',
    // Items after an article, and nothing else (issue 16: "una diavola" at the menu was not understood).
    'una diavola',
    'Una diavola por favor',
    'hola, una margarita y una cola',
    'a margherita',
    'ein Wasser bitte',
  ])('when the customer writes %j, then it reads as an order', (text) => {
    expect(looksLikeOrder(text)).toBe(true);
  });

  it.each([
    'hola',
    'hi',
    '2',
    'I want 3',
    'table for 2',
    'tengo una pregunta',
    'where is my order?',
    'When are you open?',
    '10€',
    'a couple of margheritas please',
    'quiero un par de margheritas por favor',
    'una pregunta?',
    '¿una pregunta?',
    'tengo una duda sobre un pedido',
    'es una pena que no tengáis terraza',
  ])('when the customer writes %j, then it is not taken for an order', (text) => {
    expect(looksLikeOrder(text)).toBe(false);
  });
});
