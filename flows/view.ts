import { isLanguage } from '../src/language/languages.js';
import type { Language } from '../src/language/languages.js';

/**
 * What a stored conversation shows from outside the machine (the customer's data export, the simulator's
 * state line): where it is and what is in the cart. Written here, beside the machines, so the shape of a
 * snapshot (the ordering concern's slice) is known in one place; callers pass the opened snapshot as it is.
 */

/** One line of the cart as shown outside the flow. */
export interface CartLineView {
  itemId: string;
  name: string;
  quantity: number;
}

export interface ConversationView {
  /** "ordering.checkout.address" from XState's nested state value. */
  state: string;
  cart: CartLineView[];
  /** The language the conversation is in, when it has one. */
  language?: Language;
}

/** "ordering.checkout.address" from XState's nested state value. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    return key ? `${key}${inner === undefined ? '' : `.${stateName(inner)}`}` : 'unknown';
  }
  return 'unknown';
}

interface StoredShape {
  value?: unknown;
  context?: { language?: unknown; ordering?: { cart?: { lines?: Array<Partial<CartLineView>> } } };
}

/** The view of a persisted snapshot (JSON as the runner stores it). */
export function conversationView(snapshot: unknown): ConversationView {
  const stored = (snapshot ?? {}) as StoredShape;
  return {
    state: stateName(stored.value),
    cart: (stored.context?.ordering?.cart?.lines ?? []).map((l) => ({
      itemId: String(l.itemId ?? ''),
      name: String(l.name ?? ''),
      quantity: Number(l.quantity ?? 0),
    })),
    ...(isLanguage(stored.context?.language) ? { language: stored.context.language } : {}),
  };
}
