import type { FlowEvent, NativeOrderItem, OutboundMessage } from '../../src/core/vocabulary.js';
import type { DeliveryAddress } from './address.js';
import { addressText, coordinates } from './address.js';
import { MAX_QUANTITY, addLine, cartTextAction, clear, lineText } from './cart.js';
import type { Cart, QuantityError } from './cart.js';
import { browseMessage, findAvailableItem, matchCategory, matchItem } from './catalog.js';
import { itemIn } from '../../src/core/catalog.js';
import type { CatalogItemView, CatalogView } from './catalog.js';
import { parseChoiceId, pickShown } from './ids.js';
import type { Choice } from './ids.js';
import { formatMoney } from '../../src/core/money.js';
import { t } from '../../src/language/i18n.js';
import type { Language } from '../../src/language/languages.js';
import { notProvided } from '../setup.js';
import type { FormatMoney } from './text.js';
import { normaliseForMatch, truncate } from './text.js';
import { readOrder } from './quantities.js';
import { boundedDistance, typoBudget } from './match.js';
import type { OrderTerms } from '../../src/core/charges.js';
import type { OpeningFact } from './terms.js';
import { orderTotal, summaryFeeText } from './terms.js';

/**
 * What the ordering steps decide from and say: the order being put together, what a tap or typed text
 * means while ordering, and the messages that depend on the whole draft (browse, summary, address).
 */

/** The business's menu as the ordering steps need it (loaded by the `loadCatalog` actor from src/). */
export interface OrderingCatalog extends CatalogView {
  fulfilment: { pickup: boolean; delivery: boolean };
  /** The customer's saved delivery addresses, offered at the address step. */
  savedAddresses?: DeliveryAddress[];
  /** Whether the business is open now (from its hours, in src/); absent: open. */
  open?: OpeningFact;
  /** Delivery fee and minimum order; absent: none. */
  terms?: OrderTerms;
}

/** What `placeOrder` receives: the cart at the prices shown, and how the customer wants it. */
export interface PlaceOrderRequest {
  cart: Cart;
  fulfilment: 'pickup' | 'delivery';
  address?: DeliveryAddress;
  note?: string;
}

/** The order being put together. Prices are those shown when each line was added, refreshed at checkout. */
export interface OrderDraft {
  cart: Cart;
  catalog?: OrderingCatalog;
  /** Ids of the rows/buttons of the last menu message, so a typed number means what the customer saw. */
  shown: string[];
  category?: string;
  page?: number;
  /** The item whose quantity is being asked, and whether it is a change to a cart line. */
  itemId?: string;
  editing?: boolean;
  quantityError?: QuantityError;
  candidates?: CatalogItemView[];
  fulfilment?: 'pickup' | 'delivery';
  address?: DeliveryAddress;
  note?: string;
  /** What changed in price or availability since the items were added (said at the summary). */
  changes?: string;
  /** Lines the customer accepted from an AI proposal, added once the catalog is loaded. */
  pending?: Array<{ itemId: string; quantity: number }>;
  /** An order typed at the greeting or the main menu ("2 margaritas y una cola"), read once the catalog is loaded. */
  typed?: string;
  /**
   * A typed text that read as an order but named nothing on the menu ("3 cokes" where there is no such
   * name): handed back to the root as it was typed, which this time does not give it to ordering again.
   */
  declined?: string;
  /** A native catalogue order (the customer's WhatsApp cart), read into the cart once the catalog is loaded. */
  native?: NativeOrderItem[];
}

export const emptyDraft = (): OrderDraft => ({ cart: clear(), shown: [] });

/** Items read from one typed message ("2 diavola y una cola"), and the words that named none. */
export interface TypedOrder {
  lines: Array<{ itemId: string; quantity: number }>;
  unknown: string[];
}

/** What a tap or a typed text means while ordering. */
export type Decision =
  | Choice
  | ({ kind: 'order' } & TypedOrder)
  | { kind: 'ambiguous'; candidates: CatalogItemView[] }
  | { kind: 'unknown' }
  | { kind: 'unavailable' };

const NO_CATALOG: OrderingCatalog = {
  items: [],
  currency: 'EUR',
  fulfilment: { pickup: true, delivery: false },
};

/** Prices as the customer reads them in `language` (`9,50 €` in Spanish, `€9.50` in English). */
export function moneyIn(language: Language): FormatMoney {
  return (minor, currency) => formatMoney(minor, currency, language);
}

/**
 * What a tap or typed text means. `language` is the conversation's: it names the uncategorised section
 * ("Other", "Otros"…) a typed category is matched against.
 */
export function decide(draft: OrderDraft, event: FlowEvent, language: Language = 'en'): Decision {
  const catalog = draft.catalog ?? NO_CATALOG;
  if (event.type === 'user.list' || event.type === 'user.button') {
    const choice = parseChoiceId(event.id);
    if (!choice) return { kind: 'unknown' };
    // A tap on an old message may name an item that is gone or sold out: never trust it.
    if (choice.kind === 'item' && !findAvailableItem(catalog, choice.itemId)) return { kind: 'unavailable' };
    return choice;
  }
  if (event.type !== 'user.text') return { kind: 'unknown' };
  const action = cartTextAction(event.text);
  if (action) return { kind: 'cart', action };
  const picked = pickShown(event.text, draft.shown);
  if (picked) return decide(draft, { type: 'user.list', id: picked, title: '' }, language);
  // Quantities with items ("2 diavola", "dos margaritas y una cola"), or several items at once; one item
  // without a quantity ("diavola") is picked below, and its quantity asked.
  const reading = readOrder(catalog, event.text, language);
  if (reading.lines.length > 0 && (reading.quantified || reading.lines.length > 1))
    return { kind: 'order', lines: reading.lines, unknown: reading.unknown };
  const category = matchCategory(catalog, event.text, language);
  if (category.kind === 'one') return { kind: 'category', category: category.category };
  const match = matchItem(catalog, event.text, draft.shown);
  if (match.kind === 'one') return { kind: 'item', itemId: match.item.id };
  if (match.kind === 'ambiguous') return { kind: 'ambiguous', candidates: match.candidates };
  return { kind: 'unknown' };
}

/** The cart with the typed lines added at the catalog's prices (a line whose item is gone is skipped). */
export function addTyped(draft: OrderDraft, lines: TypedOrder['lines']): OrderDraft['cart'] {
  let cart = draft.cart;
  for (const line of lines) {
    const item = draft.catalog ? findAvailableItem(draft.catalog, line.itemId) : undefined;
    if (item) cart = addLine(cart, item, Math.min(line.quantity, MAX_QUANTITY));
  }
  return cart;
}

/** Words of a typed order listed as not found, and how much of each: enough to recognise, never a wall. */
const NOT_FOUND_LISTED = 5;
const NOT_FOUND_WORDS_MAX = 40;

/** "I couldn't find these on the menu: "hawaii", "calzone"." in `language`, for the words that named nothing. */
export function notFoundText(language: Language, words: readonly string[]): string {
  const listed = words
    .slice(0, NOT_FOUND_LISTED)
    .map((word) => `"${truncate(word, NOT_FOUND_WORDS_MAX)}"`)
    .join(', ');
  return t(language, 'ordering:order.notFound', {
    words: words.length > NOT_FOUND_LISTED ? `${listed}…` : listed,
  });
}

export function browseFor(language: Language, draft: OrderDraft, notice?: string): OutboundMessage {
  return browseMessage(
    language,
    draft.catalog ?? NO_CATALOG,
    {
      ...(draft.category ? { category: draft.category } : {}),
      ...(draft.page ? { page: draft.page } : {}),
      ...(notice ? { notice } : {}),
    },
    moneyIn(language),
  );
}

export function currentItem(draft: OrderDraft): CatalogItemView | undefined {
  if (!draft.itemId) return undefined;
  const line = draft.cart.lines.find((l) => l.itemId === draft.itemId);
  const item = draft.catalog ? findAvailableItem(draft.catalog, draft.itemId) : undefined;
  if (item) return item;
  return line
    ? { id: line.itemId, name: line.name, priceMinor: line.unitPriceMinor, available: true }
    : undefined;
}

/**
 * The cart as the customer reads it in `language`: each line named as its item is in the loaded catalog's
 * translation, else as the line was added. Only for showing: the draft's lines (and the order placed from
 * them, and the staff's notice) keep the business's own names, which its kitchen knows.
 */
export function shownCart(draft: OrderDraft, language: Language): Cart {
  const items = draft.catalog?.items ?? [];
  return {
    lines: draft.cart.lines.map((line) => {
      const item = items.find((candidate) => candidate.id === line.itemId);
      return item === undefined ? line : { ...line, name: itemIn(item, language).name };
    }),
  };
}

/** The draft's currency: the loaded catalog's, else euros. */
export const currencyOf = (draft: OrderDraft): string => draft.catalog?.currency ?? 'EUR';

/** How the order reaches the customer, for the summary: pickup, or delivery to the address. */
function fulfilmentText(language: Language, draft: OrderDraft): string {
  if (draft.fulfilment !== 'delivery') return t(language, 'ordering:summary.pickup');
  if (draft.address && !draft.address.text)
    return t(language, 'ordering:summary.deliveryToLocation', coordinates(draft.address));
  return t(language, 'ordering:summary.delivery', { address: addressText(draft.address, language) });
}

/** The checkout summary in `language`: changes, lines, total, pickup or delivery, note, and Confirm / Edit / Cancel. */
export function summaryMessage(language: Language, draft: OrderDraft, notice?: string): OutboundMessage {
  const currency = currencyOf(draft);
  const money = moneyIn(language);
  const lines = shownCart(draft, language)
    .lines.map((line) => `• ${lineText(line, currency, money)}`)
    .join('\n');
  const question = t(language, 'ordering:summary.question');
  const text = [
    notice,
    draft.changes,
    t(language, 'ordering:summary.title'),
    lines,
    summaryFeeText(language, draft, currency, money),
    t(language, 'ordering:cart.total', { total: money(orderTotal(draft), currency) }),
    fulfilmentText(language, draft),
    draft.note ? t(language, 'ordering:summary.note', { note: draft.note }) : undefined,
    question,
  ]
    .filter((part): part is string => Boolean(part))
    .join('\n');
  return {
    type: 'reply.buttons',
    text: text.length > 1024 ? `${text.slice(0, 1000)}…\n${question}` : text,
    buttons: [
      { id: 'order.confirm', title: t(language, 'ordering:summary.confirm.button') },
      { id: 'order.edit', title: t(language, 'ordering:summary.edit.button') },
      { id: 'order.cancel', title: t(language, 'ordering:summary.cancel.button') },
    ],
  };
}

/** The address step's question: with a list of the saved addresses to tap when there are any. */
export function addressQuestion(language: Language, saved: DeliveryAddress[] | undefined): OutboundMessage {
  const question = t(language, 'ordering:address.question');
  if (!saved || saved.length === 0) return { type: 'reply.text', text: question };
  return {
    type: 'reply.list',
    text: `${question}\n${t(language, 'ordering:address.saved')}`,
    button: t(language, 'ordering:address.saved.button'),
    sections: [
      {
        title: t(language, 'ordering:address.saved.row'),
        rows: saved.slice(0, 10).map((address, index) => ({
          id: `addr.saved:${index}`,
          title: t(language, 'ordering:address.entry.row', { number: index + 1 }),
          description: addressText(address, language).slice(0, 72),
        })),
      },
    ],
  };
}

/** The saved address a tapped `addr.saved:<n>` row names, if it is still among those loaded. */
export function pickedSavedAddress(draft: OrderDraft, event: FlowEvent): DeliveryAddress | undefined {
  if (event.type !== 'user.list') return undefined;
  const match = /^addr\.saved:(\d)$/.exec(event.id);
  return match ? draft.catalog?.savedAddresses?.[Number(match[1])] : undefined;
}

/**
 * "no", "none", "no note" (and the same in the other languages, the *No note* button's title among
 * them) mean no note.
 */
export const NO_NOTE =
  /^(no|none|nope|no note|nothing|n\/a|-|nada|ninguna|ninguno|sin nota|nao|não|nenhuma|sem nota|sem observação|sem observacao|non|rien|aucune|pas de note|sans note|nein|keine|nichts|keine notiz|ohne notiz)\.?$/i;

/** Pickup and delivery as customers type them in the five languages (the buttons' titles among them). */
const PICKUP_WORDS = new Set([
  ...['pickup', 'pick up', 'collect', 'collection', 'takeaway', 'take away'],
  ...['recoger', 'recogida', 'para recoger', 'para llevar', 'retirar', 'retiro'],
  ...['retirada', 'emporter', 'a emporter', 'retrait', 'abholen', 'abholung', 'selbst abholen'],
]);
const DELIVERY_WORDS = new Set([
  ...['delivery', 'deliver', 'home delivery', 'entrega', 'a domicilio', 'domicilio', 'envio'],
  ...['entrega a domicilio', 'entregar', 'livraison', 'en livraison', 'livrer', 'lieferung', 'liefern'],
]);

/** Whether `typed` is one of `words` give or take a typo or two ("pikup", "delivry", "recojer"). */
function nearly(typed: string, words: ReadonlySet<string>): boolean {
  for (const word of words) {
    const budget = typoBudget(Math.min(typed.length, word.length));
    if (budget > 0 && boundedDistance(typed, word, budget) <= budget) return true;
  }
  return false;
}

/**
 * The fulfilment a whole typed message names ("Pickup", "recoger", "À emporter", "Lieferung"), if any;
 * small typos are forgiven ("pikup", "delivey") unless the word is as near to both choices.
 */
export function saidFulfilment(text: string): 'pickup' | 'delivery' | undefined {
  if (text.length > 40) return undefined;
  const typed = normaliseForMatch(text);
  if (PICKUP_WORDS.has(typed)) return 'pickup';
  if (DELIVERY_WORDS.has(typed)) return 'delivery';
  const pickup = nearly(typed, PICKUP_WORDS);
  const delivery = nearly(typed, DELIVERY_WORDS);
  if (pickup === delivery) return undefined;
  return pickup ? 'pickup' : 'delivery';
}

/**
 * What placing gives back: the order's number and, for an order placed while the business was closed (it
 * takes orders for later), its next opening, local to the business.
 */
export interface PlacedOrder {
  orderNumber: string;
  preOrder?: { date: string; time: string; daysAhead: number };
}

/** The effects ordering invokes (supplied by src/conversation/effects/ordering.ts). */
export const orderingActors = {
  loadCatalog: notProvided<OrderingCatalog, void>('loadCatalog'),
  placeOrder: notProvided<PlacedOrder, PlaceOrderRequest>('placeOrder'),
};
