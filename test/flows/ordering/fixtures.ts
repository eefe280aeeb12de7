/**
 * Shared test data for the ordering building blocks: a money formatter built on Intl (what the
 * runner would pass in), catalog builders, and a walker that reaches every message browsing can show.
 */
import type { CatalogItemView, CatalogView } from '../../../flows/ordering/catalog.js';
import { browseMessage } from '../../../flows/ordering/catalog.js';
import { parseChoiceId, shownIds } from '../../../flows/ordering/ids.js';
import type { FormatMoney } from '../../../flows/ordering/text.js';
import type { OutboundMessage } from '../../../src/core/vocabulary.js';

/**
 * Formats minor units exactly: the decimal string is built from the integer (no division in
 * floating point), and Intl formats that string with the currency's own number of decimals.
 */
export const intlMoney: FormatMoney = (minor, currency) => {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const units = BigInt(minor);
  const scale = 10n ** BigInt(digits);
  const whole = units / scale;
  const fraction = (units % scale).toString().padStart(digits, '0');
  const decimal = digits === 0 ? whole.toString() : `${whole}.${fraction}`;
  // Intl formats a decimal string exactly (ES2023 Intl.NumberFormat v3); the string is digits by construction.
  return format.format(decimal as `${number}`);
};

let nextId = 0;

/** A unique item id per call: tests never share records (testjavascript data isolation). */
export function uniqueId(prefix = 'item'): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

export function item(overrides: Partial<CatalogItemView> & { name: string }): CatalogItemView {
  return { id: uniqueId(), priceMinor: 1000, available: true, ...overrides };
}

export function catalogOf(items: CatalogItemView[], currency = 'EUR'): CatalogView {
  return { items, currency };
}

/**
 * `count` available items spread over `categories` categories (none when 0), with prices that
 * differ per item, plus an unavailable item that must never be shown.
 */
export function generatedCatalog(count: number, categories: number, currency = 'EUR'): CatalogView {
  const items = Array.from({ length: count }, (_, i) =>
    item({
      name: `Dish ${i + 1}`,
      priceMinor: 150 + i * 35,
      ...(categories > 0 ? { category: `Section ${(i % categories) + 1}` } : {}),
      ...(i % 3 === 0 ? { description: `House recipe number ${i + 1}` } : {}),
    }),
  );
  items.push(item({ name: 'Sold out special', category: 'Section 1', available: false }));
  return catalogOf(items, currency);
}

/**
 * Every message browsing can lead to from the top of the menu, following each category and "More…"
 * row, and the item ids offered along the way (in the order reached). Bounded, in case a bug loops.
 */
export function walkBrowse(
  catalog: CatalogView,
  formatMoney: FormatMoney = intlMoney,
): { messages: OutboundMessage[]; offeredItemIds: string[] } {
  const messages: OutboundMessage[] = [];
  const offeredItemIds: string[] = [];
  const queue: Array<{ category?: string; page?: number }> = [{}];
  const seen = new Set<string>();
  while (queue.length > 0 && messages.length < 500) {
    const options = queue.shift() ?? {};
    const key = JSON.stringify(options);
    if (seen.has(key)) continue;
    seen.add(key);
    const message = browseMessage('en', catalog, options, formatMoney);
    messages.push(message);
    for (const id of shownIds(message)) {
      const choice = parseChoiceId(id);
      if (choice?.kind === 'item') offeredItemIds.push(choice.itemId);
      else if (choice?.kind === 'category') queue.push({ category: choice.category });
      else if (choice?.kind === 'more') {
        queue.push(
          choice.category === undefined
            ? { page: choice.page }
            : { category: choice.category, page: choice.page },
        );
      } else throw new Error(`unexpected row id ${id}`);
    }
  }
  return { messages, offeredItemIds };
}
