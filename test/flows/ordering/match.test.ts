import { describe, expect, it } from 'vitest';
import type { CatalogItemView, ItemMatch } from '../../../flows/ordering/catalog.js';
import { browseMessage, matchCategory, matchItem } from '../../../flows/ordering/catalog.js';
import { parseChoiceId, pickShown, shownIds } from '../../../flows/ordering/ids.js';
import { MAX_QUERY_LENGTH, boundedDistance, typoBudget } from '../../../flows/ordering/match.js';
import { catalogOf, generatedCatalog, intlMoney, item } from './fixtures.js';

function menu() {
  const margherita = item({ name: 'Margherita', priceMinor: 950, category: 'Pizza' });
  const diavola = item({ name: 'Diavola', priceMinor: 1100, category: 'Pizza' });
  const quattro = item({ name: 'Quattro formaggi', priceMinor: 1200, category: 'Pizza' });
  const tiramisu = item({ name: 'Tiramisù', priceMinor: 550, category: 'Dessert' });
  const cola = item({ name: 'Cola', priceMinor: 250, category: 'Drinks' });
  const soldOut = item({ name: 'Calzone', priceMinor: 1300, category: 'Pizza', available: false });
  const catalog = catalogOf([margherita, diavola, quattro, tiramisu, cola, soldOut]);
  return { catalog, margherita, diavola, quattro, tiramisu, cola, soldOut };
}

function one(match: ItemMatch): string | undefined {
  return match.kind === 'one' ? match.item.name : undefined;
}

function candidateNames(match: ItemMatch): string[] {
  return match.kind === 'ambiguous' ? match.candidates.map((c: CatalogItemView) => c.name) : [];
}

describe('matchItem by name', () => {
  it.each([
    ['Margherita', 'Margherita'],
    ['margherita', 'Margherita'],
    ['margarita', 'Margherita'],
    ['MARGHERITA!', 'Margherita'],
    ['tiramisu', 'Tiramisù'],
    ['TIRAMISÙ', 'Tiramisù'],
    ['DIAVOLA', 'Diavola'],
    ['diavloa', 'Diavola'],
    ['diavila', 'Diavola'],
    ['quat', 'Quattro formaggi'],
    ['quattro', 'Quattro formaggi'],
    ['quattroformaggi', 'Quattro formaggi'],
    ['quatro formagi', 'Quattro formaggi'],
    ['formaggi', 'Quattro formaggi'],
    ['a margherita please', 'Margherita'],
    ['  cola ', 'Cola'],
  ])('when "%s" is typed, then it matches %s', (typed, expected) => {
    const { catalog } = menu();

    expect(one(matchItem(catalog, typed))).toBe(expected);
  });

  it.each(['xyz', 'sushi', 'c', '', '   ', '!!!', 'pizza please with a side of fries and a milkshake'])(
    'when "%s" is typed, then nothing matches',
    (typed) => {
      const { catalog } = menu();

      expect(matchItem(catalog, typed)).toEqual({ kind: 'none' });
    },
  );

  it('when a short name has one typo, then it does not match (3 letters leave no room for typos)', () => {
    const catalog = catalogOf([item({ name: 'Tea' }), item({ name: 'Pie' })]);

    expect(matchItem(catalog, 'tee')).toEqual({ kind: 'none' });
    expect(one(matchItem(catalog, 'TEA'))).toBe('Tea');
  });

  it('when a name has one typo more than its budget, then it does not match', () => {
    const { catalog } = menu();

    expect(matchItem(catalog, 'dxavxla')).toEqual({ kind: 'none' });
    expect(matchItem(catalog, 'mxrgxrxta')).toEqual({ kind: 'none' });
  });
});

describe('matchItem ambiguity', () => {
  it('when "pizza" is typed and several names contain it, then the first 3 are candidates and the total is told', () => {
    const catalog = catalogOf([
      item({ name: 'Pizza Margherita' }),
      item({ name: 'Pizza Diavola' }),
      item({ name: 'Cola' }),
      item({ name: 'Pizza Bianca' }),
      item({ name: 'Pizza Marinara' }),
    ]);

    const match = matchItem(catalog, 'pizza');

    expect(match.kind).toBe('ambiguous');
    expect(candidateNames(match)).toEqual(['Pizza Margherita', 'Pizza Diavola', 'Pizza Bianca']);
    expect(match.kind === 'ambiguous' && match.total).toBe(4);
  });

  it('when two names are one typo apart and the text is one typo from both, then both are candidates', () => {
    const catalog = catalogOf([item({ name: 'Bianca' }), item({ name: 'Bianco' }), item({ name: 'Rosso' })]);

    expect(candidateNames(matchItem(catalog, 'biancu'))).toEqual(['Bianca', 'Bianco']);
  });

  it('when two names are one typo apart and one is typed exactly, then that one matches', () => {
    const catalog = catalogOf([item({ name: 'Bianca' }), item({ name: 'Bianco' })]);

    expect(one(matchItem(catalog, 'bianco'))).toBe('Bianco');
  });

  it('when a full name is typed and a longer name contains it, then the exact name wins', () => {
    const catalog = catalogOf([item({ name: 'Cola Zero' }), item({ name: 'Cola' })]);

    expect(one(matchItem(catalog, 'cola'))).toBe('Cola');
  });

  it('when two items have the same name, then both are candidates', () => {
    const catalog = catalogOf([item({ name: 'Coke' }), item({ name: 'Coke' })]);

    expect(candidateNames(matchItem(catalog, 'coke'))).toEqual(['Coke', 'Coke']);
  });

  it('when one typo is closer to one name than another, then the closer name matches', () => {
    const catalog = catalogOf([item({ name: 'Margherita' }), item({ name: 'Margarina' })]);

    expect(one(matchItem(catalog, 'margherita'))).toBe('Margherita');
    expect(one(matchItem(catalog, 'margheritta'))).toBe('Margherita');
  });
});

describe('matchItem and availability', () => {
  it('when an unavailable item is typed exactly, then it is not matched', () => {
    const { catalog } = menu();

    expect(matchItem(catalog, 'Calzone')).toEqual({ kind: 'none' });
  });

  it('when only an unavailable item is one typo away, then nothing matches', () => {
    const { catalog } = menu();

    expect(matchItem(catalog, 'calzon')).toEqual({ kind: 'none' });
  });

  it('when an ambiguous word also names an unavailable item, then it is not among the candidates', () => {
    const catalog = catalogOf([
      item({ name: 'Pizza Margherita' }),
      item({ name: 'Pizza Calzone', available: false }),
      item({ name: 'Pizza Diavola' }),
    ]);

    expect(candidateNames(matchItem(catalog, 'pizza'))).toEqual(['Pizza Margherita', 'Pizza Diavola']);
  });
});

describe('matchItem by number', () => {
  it('when a number is typed, then it is the item at that position of the last list shown', () => {
    const { catalog } = menu();
    const shown = shownIds(browseMessage('en', catalog, {}, intlMoney));

    expect(one(matchItem(catalog, '1', shown))).toBe('Margherita');
    expect(one(matchItem(catalog, ' 3 ', shown))).toBe('Quattro formaggi');
    expect(one(matchItem(catalog, '#4', shown))).toBe('Tiramisù');
    expect(one(matchItem(catalog, '5.', shown))).toBe('Cola');
  });

  it('when a number is out of range or nothing was shown, then nothing matches', () => {
    const { catalog } = menu();
    const shown = shownIds(browseMessage('en', catalog, {}, intlMoney));

    expect(matchItem(catalog, '6', shown)).toEqual({ kind: 'none' });
    expect(matchItem(catalog, '0', shown)).toEqual({ kind: 'none' });
    expect(matchItem(catalog, '2')).toEqual({ kind: 'none' });
  });

  it('when the item at that position became unavailable since it was shown, then nothing matches', () => {
    const { catalog, diavola } = menu();
    const shown = shownIds(browseMessage('en', catalog, {}, intlMoney));
    const now = {
      ...catalog,
      items: catalog.items.map((i) => (i.id === diavola.id ? { ...i, available: false } : i)),
    };

    expect(matchItem(now, '2', shown)).toEqual({ kind: 'none' });
  });

  it('when the number points at a category row, then it is no item, and pickShown gives the category', () => {
    const catalog = generatedCatalog(35, 4);
    const shown = shownIds(browseMessage('en', catalog, {}, intlMoney));

    expect(matchItem(catalog, '2', shown)).toEqual({ kind: 'none' });
    expect(parseChoiceId(pickShown('2', shown) ?? '')).toEqual({ kind: 'category', category: 'Section 2' });
  });

  it('when the list shown was a category page, then numbers count from that page', () => {
    const catalog = generatedCatalog(35, 1);
    const shown = shownIds(browseMessage('en', catalog, { page: 2 }, intlMoney));

    expect(one(matchItem(catalog, '1', shown))).toBe('Dish 10');
  });
});

describe('matchCategory', () => {
  it('when a category is typed with a typo or accents, then it matches', () => {
    const catalog = catalogOf([
      item({ name: 'Margherita', category: 'Pizza' }),
      item({ name: 'Tiramisù', category: 'Desserts' }),
      item({ name: 'Cola', category: 'Bebidas' }),
    ]);

    expect(matchCategory(catalog, 'desert')).toEqual({ kind: 'one', category: 'Desserts' });
    expect(matchCategory(catalog, 'BEBIDAS')).toEqual({ kind: 'one', category: 'Bebidas' });
    expect(matchCategory(catalog, 'sushi')).toEqual({ kind: 'none' });
  });
});

describe('matching cost is bounded', () => {
  it('when a 10,000-character text is typed, then matching answers at once with no match, even if it repeats a name', () => {
    const catalog = generatedCatalog(500, 10);
    catalog.items.push(item({ name: 'Margherita' }));
    const text = 'margherita '.repeat(1_000).slice(0, 10_000);

    // Work is bounded by refusing texts over MAX_QUERY_LENGTH before any distance is computed (timing
    // itself belongs in a benchmark, not in a test).
    const match = matchItem(catalog, text, ['item:x']);

    expect(text.length).toBeGreaterThan(MAX_QUERY_LENGTH);
    expect(match).toEqual({ kind: 'none' });
  });

  it('when a 200-character text meets 500 items of 100-character names, then it answers with at most three candidates', () => {
    const catalog = catalogOf(
      Array.from({ length: 500 }, (_, i) =>
        item({ name: `${'Pizza con tanti ingredienti '.repeat(4).slice(0, 96)}${i}` }),
      ),
    );
    const text = 'pizza con tanti ingredienti '.repeat(8).slice(0, 200);

    const match = matchItem(catalog, text);

    if (match.kind === 'ambiguous') expect(match.candidates.length).toBeLessThanOrEqual(3);
    else expect(['one', 'none']).toContain(match.kind);
  });
});

describe('boundedDistance', () => {
  it.each([
    ['diavola', 'diavola', 0],
    ['diavloa', 'diavola', 1],
    ['margarita', 'margherita', 2],
    ['abc', 'xyz', 3],
    ['', 'ab', 2],
    ['🍕a', '🍕b', 1],
  ])('when "%s" and "%s" are compared with room for 3, then the distance is %i', (a, b, expected) => {
    expect(boundedDistance(a, b, 3)).toBe(expected);
  });

  it('when the distance exceeds the bound, then it returns bound + 1', () => {
    expect(boundedDistance('margherita', 'marinara', 1)).toBe(2);
    expect(boundedDistance('a'.repeat(100), 'b'.repeat(100), 2)).toBe(3);
  });

  it('when lengths grow, then the typo budget is 0 below 4 letters, 1 up to 7 and 2 from 8', () => {
    expect([3, 4, 7, 8, 20].map(typoBudget)).toEqual([0, 1, 1, 2, 2]);
  });
});
