/**
 * The ids of the rows and buttons the ordering messages show, and how a tap or a typed number turns
 * back into a choice. Ids carry names and item ids rather than positions, so a tap still means the
 * same thing when the business edits its catalog between the message and the tap.
 */
import type { OutboundMessage } from '../../src/core/vocabulary.js';

/**
 * Category names in ids are cut to this many characters, keeping row ids within Meta's 200.
 * The business schema allows 100-character category names, so this never cuts a real one.
 */
export const CATEGORY_REF_MAX = 150;

/** What the cart's buttons (and typed cart words) ask for. */
export type CartAction = 'add' | 'view' | 'checkout' | 'clear' | 'edit';

/** A tapped row or button of an ordering message, decoded. */
export type Choice =
  | { kind: 'item'; itemId: string }
  | { kind: 'category'; category: string }
  /** A "More…" row: the next page of a category's items, or of the categories when `category` is absent. */
  | { kind: 'more'; category?: string; page: number }
  | { kind: 'quantity'; quantity: number }
  | { kind: 'cart'; action: CartAction }
  /** A line of the cart, picked to change its quantity or remove it. */
  | { kind: 'line'; itemId: string }
  /** A "More…" row of the cart-editing list. */
  | { kind: 'lines'; page: number };

/** How a category is referred to in ids; see `CATEGORY_REF_MAX`. */
export function categoryRef(name: string): string {
  return name.slice(0, CATEGORY_REF_MAX);
}

export const ids = {
  item: (itemId: string): string => `item:${itemId}`,
  category: (name: string): string => `cat:${categoryRef(name)}`,
  /** `more:<category>:<page>`; an empty category means the next page of categories. */
  more: (category: string | undefined, page: number): string => `more:${categoryRef(category ?? '')}:${page}`,
  quantity: (quantity: number): string => `qty:${quantity}`,
  cart: (action: CartAction): string => `cart:${action}`,
  line: (itemId: string): string => `line:${itemId}`,
  lines: (page: number): string => `lines:${page}`,
} as const;

const CART_ACTIONS: readonly CartAction[] = ['add', 'view', 'checkout', 'clear', 'edit'];

function pageNumber(text: string): number | undefined {
  if (!/^\d{1,4}$/.test(text)) return undefined;
  const page = Number(text);
  return page >= 1 ? page : undefined;
}

/**
 * The choice a row or button id stands for, or undefined for ids these messages never produce (a
 * tap on an older message of another flow, say). Ids come from Meta's webhook, so they are
 * checked rather than trusted.
 */
export function parseChoiceId(id: string): Choice | undefined {
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  switch (prefix) {
    case 'item':
      return rest.length > 0 ? { kind: 'item', itemId: rest } : undefined;
    case 'cat':
      return rest.length > 0 ? { kind: 'category', category: rest } : undefined;
    case 'more': {
      const last = rest.lastIndexOf(':');
      const page = pageNumber(rest.slice(last + 1));
      if (last < 0 || page === undefined) return undefined;
      const category = rest.slice(0, last);
      return category.length > 0 ? { kind: 'more', category, page } : { kind: 'more', page };
    }
    case 'qty': {
      if (!/^\d{1,2}$/.test(rest)) return undefined;
      return { kind: 'quantity', quantity: Number(rest) };
    }
    case 'cart': {
      const action = CART_ACTIONS.find((known) => known === rest);
      return action === undefined ? undefined : { kind: 'cart', action };
    }
    case 'line':
      return rest.length > 0 ? { kind: 'line', itemId: rest } : undefined;
    case 'lines': {
      const page = pageNumber(rest);
      return page === undefined ? undefined : { kind: 'lines', page };
    }
    default:
      return undefined;
  }
}

/**
 * The row or button ids of a message, in the order the customer sees them (sections in order, rows
 * in order): what a typed "3" refers to. Store this in context next to the message you emit, and pass
 * it to `pickShown` / `matchItem` when the answer comes. Empty for text and other messages.
 */
export function shownIds(message: OutboundMessage): string[] {
  if (message.type === 'reply.buttons') return message.buttons.map((button) => button.id);
  if (message.type === 'reply.list')
    return message.sections.flatMap((section) => section.rows.map((r) => r.id));
  return [];
}

/**
 * The id at the position a customer typed ("3", "#3", "3."), counting from 1 in `shown`, or
 * undefined when the text is not such a number or is out of range. Why: the body of every ordering
 * list numbers its rows, so typing works where tapping does not (WhatsApp Web, some accessibility tools).
 */
export function pickShown(text: string, shown: readonly string[]): string | undefined {
  if (text.length > 16) return undefined;
  const position = /^#?\s*(\d{1,3})\s*[.)]?$/.exec(text.trim())?.[1];
  return position === undefined ? undefined : shown[Number(position) - 1];
}
