import { deliveryFeeFor, NO_TERMS, shortOfMinimum } from '../../src/core/charges.js';
import type { OrderTerms } from '../../src/core/charges.js';
import { t } from '../../src/language/i18n.js';
import type { Language } from '../../src/language/languages.js';
import { cartTotal } from './cart.js';
import type { Cart } from './cart.js';
// Types only from steps.ts, which imports this file: no cycle at run time.
import type { OrderDraft } from './steps.js';
import type { FormatMoney } from './text.js';

/**
 * What the business's settings change in ordering: whether it is open now (decided in src/ from its hours
 * and time zone, passed in with the catalog), the delivery fee and the minimum order. Pure: the facts come
 * in through `loadCatalog`'s output.
 */

/** Whether the business is open as the catalog was loaded, and its next opening in its own time zone. */
export interface OpeningFact {
  now: boolean;
  /** 'YYYY-MM-DD', 'HH:mm' (local to the business) and days from its today; absent: none within two weeks. */
  next?: { date: string; time: string; daysAhead: number };
  /** Whether orders are taken while closed. */
  preOrders: boolean;
  /** The business's own words for "we're closed" (its language); absent: the catalogue's. */
  message?: string;
}

/** The day of the next opening as the customer reads it: "today", "mañana", "Dienstag". */
function dayWord(language: Language, next: NonNullable<OpeningFact['next']>): string {
  if (next.daysAhead <= 1)
    return new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(next.daysAhead, 'day');
  return new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(`${next.date}T12:00:00Z`),
  );
}

/** The next opening as words for a text: `{ day: "mañana", time: "12:00" }`. */
export function openingWords(
  language: Language,
  next: NonNullable<OpeningFact['next']>,
): { day: string; time: string } {
  return { day: dayWord(language, next), time: next.time };
}

/** "We're closed now; we open tomorrow at 12:00." (or the business's own message with the opening). */
export function closedText(language: Language, open: OpeningFact): string {
  const next = open.next;
  const when = next ? { day: dayWord(language, next), time: next.time } : undefined;
  const relative = next !== undefined && next.daysAhead <= 1;
  const head = open.message
    ? [
        open.message,
        when ? t(language, relative ? 'ordering:closed.opens' : 'ordering:closed.opensOn', when) : undefined,
      ]
        .filter(Boolean)
        .join('\n')
    : when
      ? t(language, relative ? 'ordering:closed.now' : 'ordering:closed.nowOn', when)
      : t(language, 'ordering:closed.nowNoNext');
  return `${head}\n${t(language, open.preOrders ? 'ordering:closed.preOrder' : 'ordering:closed.later')}`;
}

export const termsOf = (draft: OrderDraft): OrderTerms => draft.catalog?.terms ?? NO_TERMS;

/** The fee of the draft as it stands (0 unless delivery is chosen). */
export const draftFee = (draft: OrderDraft): number =>
  deliveryFeeFor(cartTotal(draft.cart), draft.fulfilment ?? 'pickup', termsOf(draft));

/** What the customer pays: the items and, for delivery, the fee. */
export const orderTotal = (draft: OrderDraft): number => cartTotal(draft.cart) + draftFee(draft);

/**
 * The cart's total line while a delivery fee may still apply (the business delivers for a fee and pickup was
 * not chosen): the items' sum, not called a total, with what delivery costs beside it ("*Items: €2.50* ·
 * Delivery costs €3.00 (free from €20.00)"); undefined otherwise, and the cart says its plain total. The
 * summary, after the choice, says the fee and the total with it (see `summaryFeeText`).
 */
export function cartTotalText(
  language: Language,
  cart: Cart,
  draft: OrderDraft,
  currency: string,
  money: FormatMoney,
): string | undefined {
  const terms = termsOf(draft);
  if (!draft.catalog?.fulfilment.delivery || terms.deliveryFeeMinor <= 0 || draft.fulfilment === 'pickup')
    return undefined;
  const items = cartTotal(cart);
  const fee = money(terms.deliveryFeeMinor, currency);
  const over = terms.freeDeliveryOverMinor;
  const threshold = over === undefined ? '' : money(over, currency);
  const delivery =
    over !== undefined && items >= over
      ? t(language, 'ordering:terms.deliveryFree', { threshold })
      : over !== undefined
        ? t(language, 'ordering:terms.deliveryFreeOver', { fee, threshold })
        : t(language, 'ordering:terms.delivery', { fee });
  return `${t(language, 'ordering:cart.items', { items: money(items, currency) })} · ${delivery}`;
}

/** The cart's line about the minimum order when the cart is below it; undefined when there is nothing to say. */
export function cartTermsText(
  language: Language,
  cart: Cart,
  draft: OrderDraft,
  currency: string,
  money: FormatMoney,
): string | undefined {
  const terms = termsOf(draft);
  const short = shortOfMinimum(cartTotal(cart), terms);
  if (short <= 0) return undefined;
  return t(language, 'ordering:terms.minimum', {
    minimum: money(terms.minimumOrderMinor, currency),
    short: money(short, currency),
  });
}

/** The summary's delivery line: the fee, or that it is free from the threshold; undefined for pickup. */
export function summaryFeeText(
  language: Language,
  draft: OrderDraft,
  currency: string,
  money: FormatMoney,
): string | undefined {
  if (draft.fulfilment !== 'delivery') return undefined;
  const terms = termsOf(draft);
  if (terms.deliveryFeeMinor === 0) return undefined;
  const fee = draftFee(draft);
  if (fee > 0) return t(language, 'ordering:summary.deliveryFee', { fee: money(fee, currency) });
  return t(language, 'ordering:summary.deliveryFree', {
    threshold: money(terms.freeDeliveryOverMinor ?? 0, currency),
  });
}
