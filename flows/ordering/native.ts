/**
 * A native catalogue order (the cart a customer builds in WhatsApp from the business's Meta catalogue) read
 * against OUR catalogue: each line's retailer id mapped to an available item, at our price. Pure: the
 * catalogue is the one the ordering flow has just loaded.
 */
import type { NativeOrderItem } from '../../src/core/vocabulary.js';
import { toMinorUnits } from '../../src/core/money.js';
import { t } from '../../src/language/i18n.js';
import type { Language } from '../../src/language/languages.js';
import { MAX_QUANTITY, addLine, clear } from './cart.js';
import type { Cart } from './cart.js';
import { availableItems } from './catalog.js';
import type { CatalogView } from './catalog.js';
import type { FormatMoney } from './text.js';
import { truncate } from './text.js';

/** Lines of a native order read at most (Meta's cart holds fewer), and names listed as not available. */
export const MAX_NATIVE_LINES = 30;
const LISTED = 5;

/** What a native order becomes: the cart at our prices, and what the customer is told about the differences. */
export interface NativeReading {
  cart: Cart;
  /** Lines that named no available item: their name when we know the item (sold out), else the retailer id. */
  missing: string[];
  /** Items whose price here differs from Meta's: the name and our price, in minor units. */
  repriced: Array<{ name: string; priceMinor: number }>;
}

/**
 * The native order's lines as a fresh cart: an item matches when its `retailerId` is the line's (available
 * items only); the price is always ours, and a line whose Meta price (or currency) differs from ours is told.
 */
export function readNativeOrder(catalog: CatalogView, lines: readonly NativeOrderItem[]): NativeReading {
  const items = availableItems(catalog);
  let cart = clear();
  const missing: string[] = [];
  const repriced: NativeReading['repriced'] = [];
  for (const line of lines.slice(0, MAX_NATIVE_LINES)) {
    const item = items.find((candidate) => candidate.retailerId === line.retailerId);
    if (!item) {
      const known = catalog.items.find((candidate) => candidate.retailerId === line.retailerId);
      missing.push(known?.name ?? line.retailerId);
      continue;
    }
    cart = addLine(cart, item, Math.min(Math.max(1, Math.floor(line.quantity)), MAX_QUANTITY));
    const theirs =
      line.currency === catalog.currency ? toMinorUnits(line.itemPrice, line.currency) : undefined;
    if (theirs !== item.priceMinor && !repriced.some((r) => r.name === item.name))
      repriced.push({ name: item.name, priceMinor: item.priceMinor });
  }
  return { cart, missing, repriced };
}

/** What the customer is told about a native order's differences, in `language`; undefined when none. */
export function nativeNotice(
  language: Language,
  reading: NativeReading,
  currency: string,
  money: FormatMoney,
): string | undefined {
  const parts: string[] = [];
  if (reading.missing.length > 0) {
    const listed = reading.missing
      .slice(0, LISTED)
      .map((name) => `"${truncate(name, 40)}"`)
      .join(', ');
    parts.push(
      t(language, 'ordering:native.notAvailable', {
        items: reading.missing.length > LISTED ? `${listed}…` : listed,
      }),
    );
  }
  for (const { name, priceMinor } of reading.repriced.slice(0, LISTED))
    parts.push(t(language, 'ordering:native.priceHere', { item: name, price: money(priceMinor, currency) }));
  return parts.length > 0 ? parts.join('\n') : undefined;
}
