import { t } from '../../../src/language/i18n.js';
import { describe, expect, it } from 'vitest';
import {
  availableItems,
  browseMessage,
  categories,
  clarifyMessage,
} from '../../../flows/ordering/catalog.js';
import type { CatalogView } from '../../../flows/ordering/catalog.js';
import {
  addLine,
  addedMessage,
  cartEditMessage,
  cartMessage,
  clear,
  quantityMessage,
} from '../../../flows/ordering/cart.js';
import { parseChoiceId, pickShown, shownIds } from '../../../flows/ordering/ids.js';
import type { OutboundMessage } from '../../../src/core/vocabulary.js';
import { validateOutbound } from '../../../src/whatsapp/messages.js';
import { catalogOf, generatedCatalog, intlMoney, item, walkBrowse } from './fixtures.js';

function expectValid(message: OutboundMessage): void {
  expect(() => validateOutbound(message)).not.toThrow();
}

function bodyOf(message: OutboundMessage): string {
  return message.type === 'reply.text' || message.type === 'reply.buttons' || message.type === 'reply.list'
    ? message.text
    : '';
}

/** Catalogs that stress every limit: 100-character names (the schema's maximum) and beyond, emoji, newlines. */
function longNamesCatalog(count: number): CatalogView {
  return catalogOf(
    Array.from({ length: count }, (_, i) =>
      item({
        name: `${i % 2 === 0 ? '🍕'.repeat(30) : 'Extraordinarily\nlong artisanal pizza name '.repeat(6)}${i}`,
        priceMinor: 123_456_789 + i,
        category: `${'A category whose name goes on and on '.repeat(4).slice(0, 98)}${i % 4}`,
        description: 'A description of five hundred characters. '.repeat(12),
      }),
    ),
    'BHD',
  );
}

describe('browseMessage', () => {
  it.each([
    [0, 0],
    [1, 0],
    [1, 3],
    [3, 0],
    [3, 2],
    [4, 0],
    [4, 3],
    [10, 0],
    [10, 4],
    [11, 0],
    [11, 3],
    [35, 0],
    [35, 1],
    [35, 4],
    [35, 12],
  ])(
    'when a catalog has %i available items in %i categories, then every message reached is valid and offers each item once',
    (count, categoryCount) => {
      const catalog = generatedCatalog(count, categoryCount);

      const { messages, offeredItemIds } = walkBrowse(catalog);

      messages.forEach(expectValid);
      const expected = availableItems(catalog).map((i) => i.id);
      expect([...offeredItemIds].sort()).toEqual([...expected].sort());
    },
  );

  it.each([1, 3, 4, 10, 11, 35])(
    'when names, categories and descriptions are very long (%i items), then every message reached is valid',
    (count) => {
      const { messages, offeredItemIds } = walkBrowse(longNamesCatalog(count));

      messages.forEach(expectValid);
      expect(new Set(offeredItemIds).size).toBe(count);
    },
  );

  it('when the catalog is empty, then a helpful text is shown instead of a menu', () => {
    const message = browseMessage('en', catalogOf([]), {}, intlMoney);

    expect(message).toEqual({ type: 'reply.text', text: t('en', 'ordering:browse.empty') });
    expectValid(message);
  });

  it('when every item is unavailable, then it is treated as an empty catalog', () => {
    const catalog = catalogOf([item({ name: 'Margherita', available: false })]);

    expect(browseMessage('en', catalog, {}, intlMoney)).toEqual({
      type: 'reply.text',
      text: t('en', 'ordering:browse.empty'),
    });
  });

  it('when there are 3 available items, then they are reply buttons with prices in the body', () => {
    const catalog = catalogOf([
      item({ name: 'Margherita', priceMinor: 950, description: 'Tomato, mozzarella, basil' }),
      item({ name: 'Diavola', priceMinor: 1100 }),
      item({ name: 'Tiramisù', priceMinor: 550 }),
      item({ name: 'Calzone', available: false }),
    ]);

    const message = browseMessage('en', catalog, {}, intlMoney);

    expect(message.type).toBe('reply.buttons');
    expect(bodyOf(message)).toContain('1. Margherita — €9.50');
    expect(bodyOf(message)).toContain('Tomato, mozzarella, basil');
    expect(bodyOf(message)).toContain('3. Tiramisù — €5.50');
    expect(bodyOf(message)).not.toContain('Calzone');
  });

  it('when there are 4 to 10 items in several categories, then one list has a section per category', () => {
    const catalog = catalogOf([
      item({ name: 'Margherita', category: 'Pizza' }),
      item({ name: 'Cola', category: 'Drinks' }),
      item({ name: 'Diavola', category: 'Pizza' }),
      item({ name: 'Tiramisù', category: 'Dessert' }),
    ]);

    const message = browseMessage('en', catalog, {}, intlMoney);

    expect(message.type).toBe('reply.list');
    if (message.type !== 'reply.list') return;
    expect(message.sections.map((s) => [s.title, s.rows.map((r) => r.title)])).toEqual([
      ['Pizza', ['Margherita', 'Diavola']],
      ['Drinks', ['Cola']],
      ['Dessert', ['Tiramisù']],
    ]);
    expect(message.text).toMatch(/1\. Margherita.*\n2\. Diavola.*\n3\. Cola.*\n4\. Tiramisù/);
  });

  it('when there are more than 10 items in several categories, then categories with counts come first', () => {
    const catalog = generatedCatalog(11, 3);

    const message = browseMessage('en', catalog, {}, intlMoney);

    expect(message.type).toBe('reply.buttons');
    expect(shownIds(message)).toEqual(['cat:Section 1', 'cat:Section 2', 'cat:Section 3']);
    expect(bodyOf(message)).toContain('1. Section 1 (4)');
  });

  it('when a category has more than 10 items, then pages of 9 end in a More… row and the last page holds up to 10', () => {
    const catalog = generatedCatalog(28, 0);

    const first = browseMessage('en', catalog, {}, intlMoney);
    const last = browseMessage('en', catalog, { page: 3 }, intlMoney);

    expect(first.type === 'reply.list' && first.sections[0]?.rows.at(-1)).toEqual({
      id: 'more::2',
      title: 'More…',
    });
    expect(shownIds(first)).toHaveLength(10);
    expect(bodyOf(first)).toContain('page 1 of 3');
    expect(bodyOf(first)).toContain('10. More…');
    expect(shownIds(last)).toHaveLength(28 - 18);
    expect(shownIds(last).some((id) => id.startsWith('more:'))).toBe(false);
    expect(browseMessage('en', catalog, { page: 99 }, intlMoney)).toEqual(last);
  });

  it('when a category page is asked for, then its items show with "more:<category>:<page>" paging', () => {
    const catalog = generatedCatalog(40, 2);

    const message = browseMessage('en', catalog, { category: 'Section 1' }, intlMoney);

    expect(shownIds(message).at(-1)).toBe('more:Section 1:2');
    expect(parseChoiceId('more:Section 1:2')).toEqual({ kind: 'more', category: 'Section 1', page: 2 });
    expect(bodyOf(message)).toContain('*Section 1*');
  });

  it('when a category no longer exists, then the top of the menu is shown and the customer told', () => {
    const catalog = generatedCatalog(35, 4);

    const message = browseMessage(
      'en',
      catalog,
      { category: 'Gone', notice: 'Added: 2 × Dish 1.' },
      intlMoney,
    );

    expect(bodyOf(message)).toMatch(
      /^Added: 2 × Dish 1\.\nThat part of the menu is not available any more\./,
    );
    expect(shownIds(message)[0]).toBe('cat:Section 1');
  });

  it('when items have no category among others that do, then they are grouped under Other', () => {
    const catalog = catalogOf([
      item({ name: 'Margherita', category: 'Pizza' }),
      item({ name: 'Bread' }),
      item({ name: 'Olives' }),
      item({ name: 'Diavola', category: 'Pizza' }),
    ]);

    expect(categories(catalog)).toEqual(['Pizza', 'Other']);
  });

  it('when two items share an id, then only the first is offered, so row ids stay unique', () => {
    const catalog = catalogOf([
      item({ id: 'dup', name: 'First' }),
      item({ id: 'dup', name: 'Second' }),
      item({ name: 'Third' }),
      item({ name: 'Fourth' }),
    ]);

    const message = browseMessage('en', catalog, {}, intlMoney);

    expectValid(message);
    expect(bodyOf(message)).not.toContain('Second');
  });

  it('when 3 items have the same long name, then the buttons still have different titles', () => {
    const name = 'Pizza of the day with extra cheese';
    const catalog = catalogOf([item({ name }), item({ name }), item({ name })]);

    const message = browseMessage('en', catalog, {}, intlMoney);

    expectValid(message);
    expect(message.type === 'reply.buttons' && message.buttons.map((b) => b.title)).toEqual([
      'Pizza of the day wi…',
      'Pizza of the da… (2)',
      'Pizza of the da… (3)',
    ]);
  });

  it('when a row title is cut, then it ends in "…" and the description keeps the price within 72 characters', () => {
    const catalog = catalogOf(
      Array.from({ length: 5 }, (_, i) =>
        item({
          name: `Quattro formaggi con tartufo nero ${i}`,
          priceMinor: 2450,
          description: 'x '.repeat(100),
        }),
      ),
    );

    const message = browseMessage('en', catalog, {}, intlMoney);

    expect(message.type).toBe('reply.list');
    if (message.type !== 'reply.list') return;
    const row = message.sections[0]?.rows[0];
    expect(row?.title).toBe('Quattro formaggi con ta…');
    expect(row?.description?.startsWith('€24.50 · x x')).toBe(true);
    expect(row?.description?.length).toBeLessThanOrEqual(72);
    expect(row?.description?.endsWith('…')).toBe(true);
  });

  it('when every number in a body is typed, then it picks the row shown at that position', () => {
    for (const options of [{}, { category: 'Section 2' }, { category: 'Section 2', page: 2 }]) {
      const message = browseMessage('en', generatedCatalog(35, 2), options, intlMoney);
      const shown = shownIds(message);
      shown.forEach((id, i) => {
        expect(bodyOf(message)).toContain(`\n${i + 1}. `);
        expect(pickShown(`${i + 1}`, shown)).toBe(id);
      });
    }
  });

  it('when the menu goes through JSON, then it is the same message', () => {
    const message = browseMessage('en', generatedCatalog(35, 4), { category: 'Section 3' }, intlMoney);

    expect(JSON.parse(JSON.stringify(message))).toEqual(message);
  });
});

describe('every ordering message for very long names', () => {
  it('when long-named items go through quantity, added, cart, edit and clarify messages, then all are valid', () => {
    const catalog = longNamesCatalog(12);
    let cart = clear();
    for (const entry of catalog.items) {
      expectValid(quantityMessage('en', entry, catalog.currency, intlMoney));
      expectValid(
        quantityMessage('en', entry, catalog.currency, intlMoney, { editing: true, error: 'too-large' }),
      );
      cart = addLine(cart, entry, 99);
      expectValid(addedMessage('en', cart, entry.id, catalog.currency, intlMoney));
      expectValid(cartMessage('en', cart, catalog.currency, intlMoney));
      expectValid(cartEditMessage('en', cart, catalog.currency, intlMoney, 2));
    }
    expectValid(
      clarifyMessage('en', catalog.items.slice(0, 3), { currency: 'BHD', formatMoney: intlMoney, total: 12 }),
    );
  });
});

describe('clarifyMessage', () => {
  it('when there are candidates, then they are buttons with item ids and numbered prices in the body', () => {
    const margherita = item({ name: 'Pizza Margherita', priceMinor: 950 });
    const diavola = item({ name: 'Pizza Diavola', priceMinor: 1100 });

    const message = clarifyMessage('en', [margherita, diavola], { currency: 'EUR', formatMoney: intlMoney });

    expectValid(message);
    expect(shownIds(message)).toEqual([`item:${margherita.id}`, `item:${diavola.id}`]);
    expect(bodyOf(message)).toContain('1. Pizza Margherita — €9.50\n2. Pizza Diavola — €11.00');
  });

  it('when more items matched than fit, then only 3 are shown and the customer is asked for more of the name', () => {
    const candidates = Array.from({ length: 5 }, (_, i) => item({ name: `Pizza ${i}` }));

    const message = clarifyMessage('en', candidates, { total: 5 });

    expect(shownIds(message)).toHaveLength(3);
    expect(bodyOf(message)).toContain('5 items match');
  });

  it('when there are no candidates, then it asks again in text instead of sending an empty button message', () => {
    const message = clarifyMessage('en', []);

    expect(message.type).toBe('reply.text');
    expectValid(message);
  });
});
