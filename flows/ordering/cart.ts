/**
 * The cart: lines with quantities and exact money arithmetic, the messages that show it, quantities
 * as customers type them, and reconciling the cart with the catalog at checkout. Pure functions over
 * JSON data; every operation returns a new cart, so a machine can `assign` the result directly.
 *
 * Money is integer minor units end to end (cents; yen for 0-decimal currencies; fils for 3-decimal
 * ones), so sums are exact; only `formatMoney`, passed in, turns them into text.
 */
import type { ListRow, OutboundMessage, ReplyButton } from '../../src/core/vocabulary.js';
import type { CatalogItemView, CatalogView } from './catalog.js';
import { ids } from './ids.js';
import type { CartAction } from './ids.js';
import { pageOf } from './paging.js';
import { clampText, label, normaliseForMatch, truncate, uniqueTitles } from './text.js';
import type { FormatMoney } from './text.js';
import { pageNote } from './catalog.js';
import { t } from '../../src/language/i18n.js';
import type { Language } from '../../src/language/languages.js';

/** The most of one item a cart holds: two digits to type, and a guard against "1000000" typos. */
export const MAX_QUANTITY = 99;

export interface CartLine {
  itemId: string;
  /** The item's name when it was added (or at the last `reconcile`), shown even if the item is gone. */
  name: string;
  /** Price per unit in minor units, as of adding or the last `reconcile`. */
  unitPriceMinor: number;
  /** 1 to `MAX_QUANTITY`. */
  quantity: number;
}

export interface Cart {
  lines: CartLine[];
}

const BODY_LIMIT = 1024;
const BODY_NAME_MAX = 60;

function checkQuantity(quantity: number, min: number): void {
  if (!Number.isInteger(quantity) || quantity < min || quantity > MAX_QUANTITY) {
    throw new RangeError(`quantity must be a whole number from ${min} to ${MAX_QUANTITY}`);
  }
}

function checkPrice(priceMinor: number): void {
  if (!Number.isSafeInteger(priceMinor) || priceMinor < 0) {
    throw new RangeError('price must be a non-negative safe integer of minor units');
  }
}

/** A cart with no lines. */
export function clear(): Cart {
  return { lines: [] };
}

/**
 * The cart with `quantity` more of `item`: added to its line when the item is already there (one
 * line per item; the line takes the item's current name and price), capped at `MAX_QUANTITY`.
 * Throws RangeError for a quantity outside 1–99 or a price that is not a non-negative safe integer:
 * those are bugs in the caller (`parseQuantity` only yields 1–99), not customer input.
 */
export function addLine(
  cart: Cart,
  item: Pick<CatalogItemView, 'id' | 'name' | 'priceMinor'>,
  quantity: number,
): Cart {
  checkQuantity(quantity, 1);
  checkPrice(item.priceMinor);
  const existing = cart.lines.find((line) => line.itemId === item.id);
  if (existing === undefined) {
    return {
      lines: [...cart.lines, { itemId: item.id, name: item.name, unitPriceMinor: item.priceMinor, quantity }],
    };
  }
  return {
    lines: cart.lines.map((line) =>
      line.itemId === item.id
        ? {
            itemId: item.id,
            name: item.name,
            unitPriceMinor: item.priceMinor,
            quantity: Math.min(MAX_QUANTITY, line.quantity + quantity),
          }
        : line,
    ),
  };
}

/**
 * The cart with the line of `itemId` set to `quantity`; 0 removes the line. Unknown ids leave the
 * cart as it is (the line may have been removed by a tap on an older message). Throws RangeError
 * outside 0–99.
 */
export function setQuantity(cart: Cart, itemId: string, quantity: number): Cart {
  checkQuantity(quantity, 0);
  if (quantity === 0) return removeLine(cart, itemId);
  return { lines: cart.lines.map((line) => (line.itemId === itemId ? { ...line, quantity } : line)) };
}

/** The cart without the line of `itemId` (unchanged when there is none). */
export function removeLine(cart: Cart, itemId: string): Cart {
  return { lines: cart.lines.filter((line) => line.itemId !== itemId) };
}

function safe(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${what} is beyond exact integer arithmetic (Number.MAX_SAFE_INTEGER)`);
  }
  return value;
}

/**
 * Unit price × quantity, exactly. Throws RangeError when the price or the quantity is invalid, or
 * the product is not a safe integer: then a double could no longer hold it exactly, and a wrong
 * total is worse than no total.
 */
export function lineTotal(line: CartLine): number {
  checkPrice(line.unitPriceMinor);
  checkQuantity(line.quantity, 1);
  return safe(line.unitPriceMinor * line.quantity, 'line total');
}

/**
 * The sum of the line totals in minor units, exactly: integers below 2^53 add exactly in doubles,
 * and every partial sum is checked. Throws RangeError as `lineTotal` does, or when the sum is not
 * a safe integer.
 */
export function cartTotal(cart: Cart): number {
  let total = 0;
  for (const line of cart.lines) total = safe(total + lineTotal(line), 'cart total');
  return total;
}

/** How many units the cart holds in all (2 Margheritas and a Cola: 3). */
export function itemCount(cart: Cart): number {
  return cart.lines.reduce((sum, line) => sum + line.quantity, 0);
}

/** "2 × Margherita — €19.00": what the customer reads for one line. */
export function lineText(line: CartLine, currency: string, formatMoney: FormatMoney): string {
  return `${line.quantity} × ${label(line.name, BODY_NAME_MAX)} — ${formatMoney(lineTotal(line), currency)}`;
}

/**
 * Lines as text, as many as fit in `budget` characters; the rest summed up as "…and N more".
 * Why: a 40-line cart would break the 1024-character body, and the total matters more than line 40.
 */
function linesWithin(language: Language, lines: readonly string[], budget: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const rest = lines.length - i - 1;
    const reserve = rest > 0 ? 24 : 0;
    if (used + line.length + 1 + reserve > budget) {
      kept.push(t(language, 'ordering:cart.andMore', { count: lines.length - i }));
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept.join('\n');
}

function emptyCart(language: Language): OutboundMessage {
  return {
    type: 'reply.buttons',
    text: t(language, 'ordering:cart.empty'),
    buttons: [{ id: ids.cart('add'), title: t(language, 'ordering:cart.seeMenu.button') }],
  };
}

/**
 * The cart for the customer: one line per item ("2 × Margherita — €19.00"), the total, and buttons
 * *Add more* (`cart:add`), *Checkout* (`cart:checkout`) and *Clear cart* (`cart:clear`); the body says
 * that typing *change* edits a line (see `cartTextAction`, `cartEditMessage`). An empty cart gets a
 * message with one *See menu* button instead. Texts in `language`. Throws RangeError as `cartTotal` does.
 */
export function cartMessage(
  language: Language,
  cart: Cart,
  currency: string,
  formatMoney: FormatMoney,
  /** The business's minimum order, said under the total (flows/ordering/terms.ts). */
  terms?: string,
  /** Said instead of the total while a delivery fee may apply: the items' sum and the fee (terms.ts). */
  itemsLine?: string,
): OutboundMessage {
  if (cart.lines.length === 0) return emptyCart(language);
  const totalLine =
    itemsLine ?? t(language, 'ordering:cart.total', { total: formatMoney(cartTotal(cart), currency) });
  const total = terms ? `${totalLine}\n${terms}` : totalLine;
  const head = t(language, 'ordering:cart.head', { count: itemCount(cart) });
  const hint = t(language, 'ordering:cart.hint');
  const budget = BODY_LIMIT - head.length - total.length - hint.length - 6;
  const lines = linesWithin(
    language,
    cart.lines.map((line) => lineText(line, currency, formatMoney)),
    budget,
  );
  return {
    type: 'reply.buttons',
    text: clampText(`${head}\n${lines}\n\n${total}\n\n${hint}`, BODY_LIMIT),
    buttons: [
      { id: ids.cart('add'), title: t(language, 'ordering:cart.add.button') },
      { id: ids.cart('checkout'), title: t(language, 'ordering:cart.checkout.button') },
      { id: ids.cart('clear'), title: t(language, 'ordering:cart.clear.button') },
    ],
  };
}

/**
 * After an item went into the cart: what was added, the cart so far, and the next steps as buttons
 * *Add more* / *View cart* / *Checkout* (the issue's order). Mentions the cap when the line is full.
 */
export function addedMessage(
  language: Language,
  cart: Cart,
  itemId: string,
  currency: string,
  formatMoney: FormatMoney,
): OutboundMessage {
  const line = cart.lines.find((l) => l.itemId === itemId);
  const added =
    line === undefined
      ? ''
      : t(language, 'ordering:added.line', {
          quantity: line.quantity,
          name: label(line.name, BODY_NAME_MAX),
        }) +
        (line.quantity === MAX_QUANTITY
          ? ` ${t(language, 'ordering:added.cap', { max: MAX_QUANTITY })}`
          : '') +
        '\n';
  const sofar = t(language, 'ordering:added.cart', {
    count: itemCount(cart),
    total: formatMoney(cartTotal(cart), currency),
  });
  return {
    type: 'reply.buttons',
    text: `${added}${sofar}`,
    buttons: [
      { id: ids.cart('add'), title: t(language, 'ordering:cart.add.button') },
      { id: ids.cart('view'), title: t(language, 'ordering:cart.view.button') },
      { id: ids.cart('checkout'), title: t(language, 'ordering:cart.checkout.button') },
    ],
  };
}

/**
 * Which line to change: the cart's lines as buttons (up to three) or a list (ids `line:<itemId>`,
 * "More…" rows `lines:<page>`), each with its quantity and line total. The body numbers them, so a
 * typed number works with `pickShown`. An empty cart gets the empty-cart message.
 */
export function cartEditMessage(
  language: Language,
  cart: Cart,
  currency: string,
  formatMoney: FormatMoney,
  page = 1,
): OutboundMessage {
  if (cart.lines.length === 0) return emptyCart(language);
  const intro = t(language, 'ordering:edit.question');
  if (cart.lines.length <= 3) {
    const titles = uniqueTitles(
      cart.lines.map((line) => line.name),
      20,
    );
    const buttons: ReplyButton[] = cart.lines.map((line, i) => ({
      id: ids.line(line.itemId),
      title: titles[i] ?? label(line.name, 20),
    }));
    const lines = cart.lines.map((line, i) => `${i + 1}. ${lineText(line, currency, formatMoney)}`);
    return { type: 'reply.buttons', text: clampText(`${intro}\n${lines.join('\n')}`, BODY_LIMIT), buttons };
  }
  const shown = pageOf(cart.lines, page);
  const rows: ListRow[] = shown.entries.map((line) => ({
    id: ids.line(line.itemId),
    title: label(line.name, 24),
    description: truncate(
      `${line.quantity} × ${formatMoney(line.unitPriceMinor, currency)} = ${formatMoney(lineTotal(line), currency)}`,
      72,
    ),
  }));
  const bodyLines = shown.entries.map((line) => lineText(line, currency, formatMoney));
  if (shown.next !== undefined) {
    const more = t(language, 'ordering:browse.more.row');
    rows.push({ id: ids.lines(shown.next), title: more });
    bodyLines.push(more);
  }
  const head = t(language, 'ordering:edit.list', { page: pageNote(language, shown.page, shown.pages) });
  return {
    type: 'reply.list',
    text: clampText(`${head}\n${bodyLines.map((l, i) => `${i + 1}. ${l}`).join('\n')}`, BODY_LIMIT),
    button: t(language, 'ordering:edit.button'),
    sections: [{ title: t(language, 'ordering:edit.row'), rows }],
  };
}

/** Why a typed quantity was not accepted; each has its own hint in `quantityMessage`. */
export type QuantityError = 'not-a-number' | 'too-small' | 'too-large';

export type QuantityResult = { ok: true; quantity: number } | { ok: false; reason: QuantityError };

/** Number words 0–10 in English, Spanish, Portuguese, French and German, after `normaliseForMatch`. */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map(
  (
    [
      [0, ['zero', 'cero', 'null']],
      [1, ['one', 'uno', 'una', 'un', 'um', 'uma', 'une', 'eins', 'ein', 'eine']],
      [2, ['two', 'dos', 'dois', 'duas', 'deux', 'zwei', 'zwo']],
      [3, ['three', 'tres', 'trois', 'drei']],
      [4, ['four', 'cuatro', 'quatro', 'quatre', 'vier']],
      [5, ['five', 'cinco', 'cinq', 'funf', 'fuenf']],
      [6, ['six', 'seis', 'sechs']],
      [7, ['seven', 'siete', 'sete', 'sept', 'sieben']],
      [8, ['eight', 'ocho', 'oito', 'huit', 'acht']],
      [9, ['nine', 'nueve', 'nove', 'neuf', 'neun']],
      [10, ['ten', 'diez', 'dez', 'dix', 'zehn']],
    ] as const
  ).flatMap(([value, words]) => words.map((word): [string, number] => [word, value])),
);

/**
 * A quantity as a customer types it: digits ("2", " 3 ", "x2", "2x") or a number word from one to ten
 * in the five languages ("two", "dos", "deux", "zwei", "dois"). Anything else is refused with a reason,
 * so the re-ask can say what to fix: "0" and "-1" are `too-small` (unless `allowZero`, for editing a
 * line, where 0 removes it), "100" is `too-large`, and "2.5", "1e9", "lots" are `not-a-number`.
 */
export function parseQuantity(text: string, options: { allowZero?: boolean } = {}): QuantityResult {
  if (text.length > 32) return { ok: false, reason: 'not-a-number' };
  const typed = text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .trim()
    .replace(/^[x×]\s*(?=[+-]?\d)/, '')
    .replace(/(?<=\d)\s*[x×]$/, '')
    .replace(/[.!]+$/, '');
  let value: number | undefined;
  const digits = /^([+-]?)(\d+)$/.exec(typed);
  if (digits !== null) {
    const [, sign, number = ''] = digits;
    const significant = number.replace(/^0+/, '');
    if (significant.length === 0) value = 0;
    else if (sign === '-') return { ok: false, reason: 'too-small' };
    else if (significant.length > 2) return { ok: false, reason: 'too-large' };
    else value = Number(significant);
  } else {
    value = NUMBER_WORDS.get(typed);
  }
  if (value === undefined) return { ok: false, reason: 'not-a-number' };
  const min = options.allowZero === true ? 0 : 1;
  if (value < min) return { ok: false, reason: 'too-small' };
  if (value > MAX_QUANTITY) return { ok: false, reason: 'too-large' };
  return { ok: true, quantity: value };
}

function quantityHint(language: Language, error: QuantityError): string {
  if (error === 'not-a-number') return t(language, 'ordering:quantity.notANumber');
  if (error === 'too-small') return t(language, 'ordering:quantity.tooSmall');
  return t(language, 'ordering:quantity.tooLarge', { max: MAX_QUANTITY });
}

/**
 * "How many?" for an item, with buttons 1 / 2 / 3 (ids `qty:<n>`) and a typed 1–99 accepted. After a
 * refused answer, pass its `error`: the message starts with the hint for that reason, so the
 * customer learns what to fix instead of seeing the same question again. With `editing`, the third
 * button is *Remove* (`qty:0`) and the text says so. Texts in `language`.
 */
export function quantityMessage(
  language: Language,
  item: { name: string; priceMinor: number },
  currency: string,
  formatMoney: FormatMoney,
  options: { error?: QuantityError; editing?: boolean } = {},
): OutboundMessage {
  const name = label(item.name, BODY_NAME_MAX);
  const price = formatMoney(item.priceMinor, currency);
  const editing = options.editing === true;
  let hint = options.error === undefined ? '' : `${quantityHint(language, options.error)}\n`;
  if (editing && options.error === 'too-small')
    hint = `${t(language, 'ordering:quantity.tooSmallEditing')}\n`;
  const question = t(language, editing ? 'ordering:quantity.questionEditing' : 'ordering:quantity.question', {
    name,
    price,
    max: MAX_QUANTITY,
  });
  const buttons: ReplyButton[] = editing
    ? [
        { id: ids.quantity(1), title: '1' },
        { id: ids.quantity(2), title: '2' },
        { id: ids.quantity(0), title: t(language, 'ordering:quantity.remove.button') },
      ]
    : [1, 2, 3].map((n) => ({ id: ids.quantity(n), title: String(n) }));
  return { type: 'reply.buttons', text: `${hint}${question}`, buttons };
}

/**
 * Typed words for the cart's buttons, in the five languages, after `normaliseForMatch`: the buttons'
 * own titles in every language (`ordering:cart.*.button`) and the words people use for them.
 */
const CART_WORDS: ReadonlyMap<string, CartAction> = new Map(
  (
    [
      [
        'add',
        [
          ...['add', 'add more', 'more', 'anadir', 'anadir mas', 'agregar', 'agregar mas', 'mas'],
          ...['adicionar', 'adicionar mais', 'mais', 'ajouter', 'ajouter encore', 'ajouter plus'],
          ...['mehr', 'mehr hinzufugen', 'mehr hinzufuegen', 'hinzufugen', 'hinzufuegen'],
        ],
      ],
      [
        'view',
        [
          ...['cart', 'view cart', 'my cart', 'carrito', 'ver carrito', 'mi carrito', 'carrinho'],
          ...['ver carrinho', 'meu carrinho', 'panier', 'voir le panier', 'mon panier', 'warenkorb'],
          ...['warenkorb ansehen', 'mein warenkorb'],
        ],
      ],
      [
        'checkout',
        [
          ...['checkout', 'check out', 'pay', 'pagar', 'finalizar', 'finalizar pedido', 'finalizar compra'],
          ...['payer', 'commander', 'passer commande', 'kasse', 'zur kasse', 'bezahlen'],
        ],
      ],
      [
        'clear',
        [
          ...['clear', 'clear cart', 'empty cart', 'vaciar', 'vaciar carrito', 'esvaziar'],
          ...['esvaziar carrinho', 'vider', 'vider le panier', 'leeren', 'warenkorb leeren'],
        ],
      ],
      [
        'edit',
        [
          ...['change', 'edit', 'remove', 'cambiar', 'quitar', 'modificar', 'alterar', 'remover'],
          ...['modifier', 'changer', 'andern', 'aendern', 'entfernen', 'bearbeiten'],
        ],
      ],
    ] as const
  ).flatMap(([action, words]) => words.map((word): [string, CartAction] => [word, action])),
);

/**
 * The cart action a whole typed message asks for ("checkout", "pagar", "change"), if it is one; for
 * customers who type instead of tapping the cart's buttons. Whole-message only, like the global
 * commands, so "change my address" is not a cart edit.
 */
export function cartTextAction(text: string): CartAction | undefined {
  if (text.length > 40) return undefined;
  return CART_WORDS.get(normaliseForMatch(text));
}

/** What changed about one cart line between adding it and checking out. */
export type CartChange =
  | { kind: 'price'; itemId: string; name: string; from: number; to: number }
  /** The business marked the item unavailable (sold out); the line was dropped. */
  | { kind: 'unavailable'; itemId: string; name: string }
  /** The item is no longer in the catalog at all; the line was dropped. */
  | { kind: 'removed'; itemId: string; name: string };

/**
 * The cart as the catalog stands now, for checkout: current prices and names applied, lines of
 * unavailable or deleted items dropped, and what changed, in cart order, to tell the customer
 * (`changesMessage`). The issue: price or availability changes made during a conversation apply at
 * checkout, and the customer is told. The first catalog item with a line's id counts, as in browsing.
 */
export function reconcile(cart: Cart, catalog: CatalogView): { cart: Cart; changes: CartChange[] } {
  const lines: CartLine[] = [];
  const changes: CartChange[] = [];
  for (const line of cart.lines) {
    const item = catalog.items.find((candidate) => candidate.id === line.itemId);
    if (item === undefined) {
      changes.push({ kind: 'removed', itemId: line.itemId, name: line.name });
    } else if (!item.available) {
      changes.push({ kind: 'unavailable', itemId: item.id, name: item.name });
    } else {
      checkPrice(item.priceMinor);
      if (item.priceMinor !== line.unitPriceMinor) {
        changes.push({
          kind: 'price',
          itemId: item.id,
          name: item.name,
          from: line.unitPriceMinor,
          to: item.priceMinor,
        });
      }
      lines.push({ ...line, name: item.name, unitPriceMinor: item.priceMinor });
    }
  }
  return { cart: { lines }, changes };
}

/** Changes listed in `changesMessage` before the rest are summed up: the text stays short. */
const MAX_CHANGES_LISTED = 10;

/**
 * The changes from `reconcile` in words for the customer ("Margherita now costs €10.00 (was
 * €9.50)."), to say before the checkout summary, in `language`; undefined when nothing changed, so
 * there is nothing to say.
 */
export function changesMessage(
  language: Language,
  changes: readonly CartChange[],
  currency: string,
  formatMoney: FormatMoney,
): string | undefined {
  if (changes.length === 0) return undefined;
  const lines = changes.slice(0, MAX_CHANGES_LISTED).map((change) => {
    const name = label(change.name, BODY_NAME_MAX);
    switch (change.kind) {
      case 'price':
        return t(
          language,
          change.to > change.from ? 'ordering:changes.priceUp' : 'ordering:changes.priceDown',
          {
            name,
            to: formatMoney(change.to, currency),
            from: formatMoney(change.from, currency),
          },
        );
      case 'unavailable':
        return t(language, 'ordering:changes.unavailable', { name });
      case 'removed':
        return t(language, 'ordering:changes.removed', { name });
    }
  });
  const rest = changes.length - MAX_CHANGES_LISTED;
  if (rest > 0) lines.push(t(language, 'ordering:changes.more', { count: rest }));
  return `${t(language, 'ordering:changes.head')}\n${lines.join('\n')}`;
}
