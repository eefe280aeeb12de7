import { describe, expect, it } from 'vitest';
import type { Cart, CartLine } from '../../../flows/ordering/cart.js';
import {
  addLine,
  addedMessage,
  cartEditMessage,
  cartMessage,
  cartTextAction,
  cartTotal,
  changesMessage,
  clear,
  itemCount,
  lineTotal,
  MAX_QUANTITY,
  parseQuantity,
  quantityMessage,
  reconcile,
  removeLine,
  setQuantity,
} from '../../../flows/ordering/cart.js';
import { parseChoiceId, pickShown, shownIds } from '../../../flows/ordering/ids.js';
import type { FormatMoney } from '../../../flows/ordering/text.js';
import { formatMoney } from '../../../src/core/money.js';
import type { OutboundMessage } from '../../../src/core/vocabulary.js';
import { validateOutbound } from '../../../src/whatsapp/messages.js';
import { catalogOf, intlMoney, item, uniqueId } from './fixtures.js';

function line(unitPriceMinor: number, quantity: number, name = 'Dish'): CartLine {
  return { itemId: uniqueId(), name, unitPriceMinor, quantity };
}

function bigTotal(cart: Cart): bigint {
  return cart.lines.reduce((sum, l) => sum + BigInt(l.unitPriceMinor) * BigInt(l.quantity), 0n);
}

/** A small deterministic generator (mulberry32): random-looking carts that are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expectValid(message: OutboundMessage): void {
  expect(() => validateOutbound(message)).not.toThrow();
}

/** Prices in minor units that are classic floating-point traps as decimals: 0.1, 0.2, 1.005, 4.35, 0.07… */
const TRICKY_PRICES = [
  0, 1, 2, 3, 7, 10, 20, 30, 99, 100, 101, 435, 999, 1005, 1015, 1099, 4350, 9999, 12345, 99_999,
];

describe('cartTotal', () => {
  it('when every tricky price is bought in every quantity from 1 to 99, then line and cart totals equal BigInt arithmetic', () => {
    let checked = 0;
    for (const price of TRICKY_PRICES) {
      for (let quantity = 1; quantity <= MAX_QUANTITY; quantity += 1) {
        const single = line(price, quantity);
        expect(BigInt(lineTotal(single))).toBe(BigInt(price) * BigInt(quantity));
        const cart: Cart = { lines: [single, line(10, quantity), line(20, MAX_QUANTITY + 1 - quantity)] };
        expect(BigInt(cartTotal(cart))).toBe(bigTotal(cart));
        checked += 1;
      }
    }
    expect(checked).toBe(TRICKY_PRICES.length * MAX_QUANTITY);
  });

  it('when 2,000 random carts with prices up to 10^11 minor units are summed, then each total equals BigInt arithmetic', () => {
    const next = random(20_240_601);
    for (let run = 0; run < 2_000; run += 1) {
      const lines = Array.from({ length: 1 + Math.floor(next() * 12) }, () =>
        line(Math.floor(next() * 1e11), 1 + Math.floor(next() * MAX_QUANTITY)),
      );
      const cart: Cart = { lines };
      expect(BigInt(cartTotal(cart))).toBe(bigTotal(cart));
    }
  });

  it('when 0.10 and 0.20 are added, then the total is exactly 0.30 and shows as €0.30', () => {
    const cart: Cart = { lines: [line(10, 1), line(20, 1)] };

    expect(cartTotal(cart)).toBe(30);
    expect(intlMoney(cartTotal(cart), 'EUR')).toBe('€0.30');
  });

  it('when the cart is empty, then the total is 0', () => {
    expect(cartTotal(clear())).toBe(0);
  });

  it('when a line total would pass Number.MAX_SAFE_INTEGER, then it throws instead of rounding', () => {
    const largestExact = Math.floor(Number.MAX_SAFE_INTEGER / MAX_QUANTITY);

    expect(lineTotal(line(largestExact, MAX_QUANTITY))).toBe(largestExact * MAX_QUANTITY);
    expect(() => lineTotal(line(largestExact + 1, MAX_QUANTITY))).toThrow(RangeError);
  });

  it('when the sum of safe line totals would pass Number.MAX_SAFE_INTEGER, then it throws', () => {
    const half = Math.ceil(Number.MAX_SAFE_INTEGER / 2);
    const cart: Cart = { lines: [line(half, 1), line(half, 1)] };

    expect(() => cartTotal(cart)).toThrow(RangeError);
  });

  it('when a line holds a fractional, negative or unsafe price, or a bad quantity, then it throws', () => {
    expect(() => cartTotal({ lines: [line(9.5, 1)] })).toThrow(RangeError);
    expect(() => cartTotal({ lines: [line(-1, 1)] })).toThrow(RangeError);
    expect(() => cartTotal({ lines: [line(2 ** 53, 1)] })).toThrow(RangeError);
    expect(() => cartTotal({ lines: [line(100, 0)] })).toThrow(RangeError);
    expect(() => cartTotal({ lines: [line(100, 1.5)] })).toThrow(RangeError);
  });
});

describe('currencies with 0 and 3 decimals', () => {
  it('when yen (0 decimals) are summed, then the total is exact and shows without decimals', () => {
    let cart = addLine(clear(), item({ name: 'Ramen', priceMinor: 1200 }), 3);
    cart = addLine(cart, item({ name: 'Gyoza', priceMinor: 480 }), 2);

    expect(cartTotal(cart)).toBe(4560);
    const message = cartMessage('en', cart, 'JPY', intlMoney);
    expect(message.type === 'reply.buttons' && message.text).toContain('3 × Ramen — ¥3,600');
    expect(message.type === 'reply.buttons' && message.text).toContain('Total: ¥4,560');
    expectValid(message);
  });

  it('when Bahraini dinars (3 decimals) at 1.005 are bought 3 times, then the total is exactly BHD 3.015', () => {
    let cart = addLine(clear(), item({ name: 'Karak tea', priceMinor: 1005 }), 3);
    cart = addLine(cart, item({ name: 'Samosa', priceMinor: 250 }), 1);

    expect(cartTotal(cart)).toBe(3265);
    const message = cartMessage('en', cart, 'BHD', intlMoney);
    // Intl puts a no-break space between the code and the amount.
    const text = message.type === 'reply.buttons' ? message.text.replace(/\u00a0/g, ' ') : '';
    expect(text).toContain('3 × Karak tea — BHD 3.015');
    expect(text).toContain('Total: BHD 3.265');
  });

  it('when every tricky price and quantity is formatted in EUR, JPY and BHD, then the text shows the exact BigInt amount', () => {
    for (const [currency, digits] of [
      ['EUR', 2],
      ['JPY', 0],
      ['BHD', 3],
    ] as const) {
      for (const price of TRICKY_PRICES) {
        for (const quantity of [1, 3, 7, 33, 99]) {
          const total = BigInt(lineTotal(line(price, quantity)));
          const scale = 10n ** BigInt(digits);
          const fraction = digits === 0 ? '' : `.${(total % scale).toString().padStart(digits, '0')}`;
          const expected = `${(total / scale).toLocaleString('en')}${fraction}`;
          expect(intlMoney(Number(total), currency)).toContain(expected);
        }
      }
    }
  });

  it('when the project formatMoney is passed, then it fits the FormatMoney parameter and formats the same', () => {
    const fromSource: FormatMoney = formatMoney;
    const cart = addLine(clear(), item({ name: 'Cola', priceMinor: 250 }), 2);

    expect(cartMessage('en', cart, 'EUR', fromSource)).toEqual(cartMessage('en', cart, 'EUR', intlMoney));
  });
});

describe('addLine, setQuantity, removeLine, clear', () => {
  it('when the same item is added twice, then it has one line with the quantities summed', () => {
    const pizza = item({ name: 'Margherita', priceMinor: 950 });

    const cart = addLine(addLine(clear(), pizza, 2), pizza, 3);

    expect(cart.lines).toEqual([{ itemId: pizza.id, name: 'Margherita', unitPriceMinor: 950, quantity: 5 }]);
  });

  it('when adding would pass 99, then the line stops at 99', () => {
    const pizza = item({ name: 'Margherita' });

    const cart = addLine(addLine(clear(), pizza, 60), pizza, 60);

    expect(cart.lines[0]?.quantity).toBe(MAX_QUANTITY);
  });

  it('when an item is added again after a price change, then the line takes the new price', () => {
    const pizza = item({ name: 'Margherita', priceMinor: 950 });

    const cart = addLine(addLine(clear(), pizza, 1), { ...pizza, priceMinor: 1000 }, 1);

    expect(cart.lines[0]).toMatchObject({ unitPriceMinor: 1000, quantity: 2 });
  });

  it('when an operation runs, then the cart passed in is not changed', () => {
    const pizza = item({ name: 'Margherita' });
    const before = addLine(clear(), pizza, 1);
    const snapshot = JSON.stringify(before);

    addLine(before, pizza, 2);
    setQuantity(before, pizza.id, 5);
    removeLine(before, pizza.id);

    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('when a quantity is set, then that line changes; when it is set to 0, then the line is removed', () => {
    const pizza = item({ name: 'Margherita' });
    const cola = item({ name: 'Cola' });
    const cart = addLine(addLine(clear(), pizza, 1), cola, 1);

    expect(setQuantity(cart, pizza.id, 7).lines.map((l) => l.quantity)).toEqual([7, 1]);
    expect(setQuantity(cart, pizza.id, 0).lines.map((l) => l.itemId)).toEqual([cola.id]);
  });

  it('when a line is removed or the cart cleared, then it is gone; unknown ids change nothing', () => {
    const pizza = item({ name: 'Margherita' });
    const cart = addLine(clear(), pizza, 2);

    expect(removeLine(cart, pizza.id).lines).toEqual([]);
    expect(removeLine(cart, 'no-such-item')).toEqual(cart);
    expect(setQuantity(cart, 'no-such-item', 3)).toEqual(cart);
    expect(clear()).toEqual({ lines: [] });
  });

  it('when a quantity outside the allowed range is given, then it throws', () => {
    const pizza = item({ name: 'Margherita' });

    expect(() => addLine(clear(), pizza, 0)).toThrow(RangeError);
    expect(() => addLine(clear(), pizza, 100)).toThrow(RangeError);
    expect(() => addLine(clear(), pizza, 1.5)).toThrow(RangeError);
    expect(() => setQuantity(clear(), pizza.id, -1)).toThrow(RangeError);
    expect(() => addLine(clear(), { ...pizza, priceMinor: 9.5 }, 1)).toThrow(RangeError);
  });

  it('when a cart goes through JSON, then it is the same cart', () => {
    const cart = addLine(clear(), item({ name: 'Tiramisù', priceMinor: 550 }), 2);

    expect(JSON.parse(JSON.stringify(cart))).toEqual(cart);
  });
});

describe('parseQuantity', () => {
  it.each([
    ['2', 2],
    [' 3 ', 3],
    ['1', 1],
    ['99', 99],
    ['07', 7],
    ['x2', 2],
    ['2x', 2],
    ['4.', 4],
    ['two', 2],
    ['Two', 2],
    ['dos', 2],
    ['deux', 2],
    ['zwei', 2],
    ['dois', 2],
    ['três', 3],
    ['fünf', 5],
    ['six', 6],
    ['sete', 7],
    ['huit', 8],
    ['nueve', 9],
    ['ten', 10],
    ['dix', 10],
    ['zehn', 10],
  ])('when "%s" is typed, then the quantity is %i', (typed, expected) => {
    expect(parseQuantity(typed)).toEqual({ ok: true, quantity: expected });
  });

  it('when a number word from one to ten is typed in any of the five languages, then it is accepted', () => {
    const words: Record<string, string[]> = {
      en: ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'],
      es: ['uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez'],
      pt: ['um', 'dois', 'três', 'quatro', 'cinco', 'seis', 'sete', 'oito', 'nove', 'dez'],
      fr: ['un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix'],
      de: ['eins', 'zwei', 'drei', 'vier', 'fünf', 'sechs', 'sieben', 'acht', 'neun', 'zehn'],
    };
    for (const list of Object.values(words)) {
      list.forEach((word, i) => expect(parseQuantity(word)).toEqual({ ok: true, quantity: i + 1 }));
    }
  });

  it.each([
    ['0', 'too-small'],
    ['-1', 'too-small'],
    ['zero', 'too-small'],
    ['100', 'too-large'],
    ['1000000', 'too-large'],
    ['99999999999999999999999', 'too-large'],
    ['1e9', 'not-a-number'],
    ['2.5', 'not-a-number'],
    ['2,5', 'not-a-number'],
    ['lots', 'not-a-number'],
    ['', 'not-a-number'],
    ['two pizzas and a cola', 'not-a-number'],
    ['NaN', 'not-a-number'],
    ['Infinity', 'not-a-number'],
  ])('when "%s" is typed, then it is refused as %s', (typed, reason) => {
    expect(parseQuantity(typed)).toEqual({ ok: false, reason });
  });

  it('when zero is allowed (editing a line), then "0" is accepted and "-1" still refused', () => {
    expect(parseQuantity('0', { allowZero: true })).toEqual({ ok: true, quantity: 0 });
    expect(parseQuantity('-1', { allowZero: true })).toEqual({ ok: false, reason: 'too-small' });
  });

  it('when a 10,000-character text is typed, then it is refused at once', () => {
    expect(parseQuantity('9'.repeat(10_000))).toEqual({ ok: false, reason: 'not-a-number' });
  });
});

describe('quantityMessage', () => {
  const pizza = item({ name: 'Margherita', priceMinor: 950 });

  it('when asking, then buttons 1/2/3 carry qty ids and the text names the item, price and range', () => {
    const message = quantityMessage('en', pizza, 'EUR', intlMoney);

    expectValid(message);
    expect(shownIds(message).map(parseChoiceId)).toEqual(
      [1, 2, 3].map((quantity) => ({ kind: 'quantity', quantity })),
    );
    expect(message.type === 'reply.buttons' && message.text).toMatch(/Margherita.*€9\.50.*1 to 99/);
  });

  it.each([
    ['not-a-number', 'just a number'],
    ['too-small', 'smallest quantity is 1'],
    ['too-large', 'most I can take of one item is 99'],
  ] as const)('when re-asking after %s, then the text starts with the hint', (error, hint) => {
    const message = quantityMessage('en', pizza, 'EUR', intlMoney, { error });

    expectValid(message);
    expect(message.type === 'reply.buttons' && message.text.split('\n')[0]).toContain(hint);
  });

  it('when editing a line, then one button removes it (qty:0)', () => {
    const message = quantityMessage('en', pizza, 'EUR', intlMoney, { editing: true, error: 'too-small' });

    expectValid(message);
    expect(shownIds(message)).toContain('qty:0');
    expect(message.type === 'reply.buttons' && message.text).toContain('Remove');
  });
});

describe('cartMessage', () => {
  it('when the cart has lines, then it lists "2 × Margherita — €19.00", the total and Add more / Checkout / Clear', () => {
    let cart = addLine(clear(), item({ name: 'Margherita', priceMinor: 950 }), 2);
    cart = addLine(cart, item({ name: 'Tiramisù', priceMinor: 550 }), 1);

    const message = cartMessage('en', cart, 'EUR', intlMoney);

    expectValid(message);
    expect(message.type).toBe('reply.buttons');
    if (message.type !== 'reply.buttons') return;
    expect(message.text).toContain('2 × Margherita — €19.00');
    expect(message.text).toContain('1 × Tiramisù — €5.50');
    expect(message.text).toContain('Total: €24.50');
    expect(message.buttons.map((b) => b.title)).toEqual(['Add more', 'Checkout', 'Clear cart']);
    expect(message.buttons.map((b) => parseChoiceId(b.id))).toEqual([
      { kind: 'cart', action: 'add' },
      { kind: 'cart', action: 'checkout' },
      { kind: 'cart', action: 'clear' },
    ]);
  });

  it('when the cart is empty, then it says so with a See menu button', () => {
    const message = cartMessage('en', clear(), 'EUR', intlMoney);

    expectValid(message);
    expect(message.type === 'reply.buttons' && message.text).toContain('empty');
    expect(shownIds(message)).toEqual(['cart:add']);
  });

  it('when the cart has 60 lines with 100-character names, then the body stays within 1024 characters and keeps the total', () => {
    let cart = clear();
    for (let i = 0; i < 60; i += 1) {
      cart = addLine(
        cart,
        item({ name: `${'Very long dish name '.repeat(5).slice(0, 95)} ${i}`, priceMinor: 999 }),
        99,
      );
    }

    const message = cartMessage('en', cart, 'EUR', intlMoney);

    expectValid(message);
    expect(message.type === 'reply.buttons' && message.text).toMatch(/…and \d+ more/);
    expect(message.type === 'reply.buttons' && message.text).toContain(
      `Total: ${intlMoney(60 * 99 * 999, 'EUR')}`,
    );
  });
});

describe('addedMessage and cartEditMessage', () => {
  it('when an item was added, then the next steps are Add more / View cart / Checkout', () => {
    const pizza = item({ name: 'Margherita', priceMinor: 950 });
    const cart = addLine(clear(), pizza, 2);

    const message = addedMessage('en', cart, pizza.id, 'EUR', intlMoney);

    expectValid(message);
    expect(message.type === 'reply.buttons' && message.buttons.map((b) => b.title)).toEqual([
      'Add more',
      'View cart',
      'Checkout',
    ]);
    expect(message.type === 'reply.buttons' && message.text).toContain('2 × Margherita');
  });

  it('when the line reached 99, then the message says 99 is the most', () => {
    const pizza = item({ name: 'Margherita' });
    const cart = addLine(addLine(clear(), pizza, 90), pizza, 20);

    const message = addedMessage('en', cart, pizza.id, 'EUR', intlMoney);

    expect(message.type === 'reply.buttons' && message.text).toContain('99 is the most');
  });

  it('when editing carts of 0 to 25 lines, then every page is valid and every line can be picked by tap or number', () => {
    for (const size of [0, 1, 3, 4, 10, 11, 25]) {
      let cart = clear();
      for (let i = 0; i < size; i += 1)
        cart = addLine(cart, item({ name: `Dish ${i}`, priceMinor: 100 + i }), 1 + i);
      const picked = new Set<string>();
      for (let page = 1, guard = 0; guard < 10; guard += 1) {
        const message = cartEditMessage('en', cart, 'EUR', intlMoney, page);
        expectValid(message);
        const shown = shownIds(message);
        let next: number | undefined;
        shown.forEach((id, i) => {
          expect(pickShown(String(i + 1), shown)).toBe(id);
          const choice = parseChoiceId(id);
          if (choice?.kind === 'line') picked.add(choice.itemId);
          if (choice?.kind === 'lines') next = choice.page;
        });
        if (next === undefined) break;
        page = next;
      }
      expect(picked.size).toBe(size);
    }
  });
});

describe('cartTextAction', () => {
  it.each([
    ['checkout', 'checkout'],
    ['Pagar', 'checkout'],
    ['add more', 'add'],
    ['Añadir', 'add'],
    ['panier', 'view'],
    ['vaciar', 'clear'],
    ['change', 'edit'],
    ['ändern', 'edit'],
  ] as const)('when "%s" is typed, then the action is %s', (typed, action) => {
    expect(cartTextAction(typed)).toBe(action);
  });

  it('when the words are part of a longer message, then it is no cart action', () => {
    expect(cartTextAction('change my address please')).toBeUndefined();
    expect(cartTextAction('x'.repeat(10_000))).toBeUndefined();
  });
});

describe('reconcile and changesMessage', () => {
  function setup() {
    const pizza = item({ name: 'Margherita', priceMinor: 950 });
    const tiramisu = item({ name: 'Tiramisù', priceMinor: 550 });
    const cola = item({ name: 'Cola', priceMinor: 250 });
    const water = item({ name: 'Still water', priceMinor: 180 });
    let cart = addLine(clear(), pizza, 2);
    cart = addLine(cart, tiramisu, 1);
    cart = addLine(cart, cola, 3);
    cart = addLine(cart, water, 1);
    return { pizza, tiramisu, cola, water, cart };
  }

  it('when nothing changed, then the cart is the same and there is nothing to say', () => {
    const { pizza, tiramisu, cola, water, cart } = setup();

    const result = reconcile(cart, catalogOf([pizza, tiramisu, cola, water]));

    expect(result).toEqual({ cart, changes: [] });
    expect(changesMessage('en', result.changes, 'EUR', intlMoney)).toBeUndefined();
  });

  it('when a price went up, one went down, one item is sold out and one deleted, then the cart and changes say so', () => {
    const { pizza, tiramisu, cola, water, cart } = setup();
    const now = catalogOf([
      { ...pizza, priceMinor: 1000 },
      { ...tiramisu, available: false },
      { ...water, priceMinor: 150 },
    ]);

    const result = reconcile(cart, now);

    expect(result.cart.lines).toEqual([
      { itemId: pizza.id, name: 'Margherita', unitPriceMinor: 1000, quantity: 2 },
      { itemId: water.id, name: 'Still water', unitPriceMinor: 150, quantity: 1 },
    ]);
    expect(result.changes).toEqual([
      { kind: 'price', itemId: pizza.id, name: 'Margherita', from: 950, to: 1000 },
      { kind: 'unavailable', itemId: tiramisu.id, name: 'Tiramisù' },
      { kind: 'removed', itemId: cola.id, name: 'Cola' },
      { kind: 'price', itemId: water.id, name: 'Still water', from: 180, to: 150 },
    ]);
    expect(cartTotal(result.cart)).toBe(2150);
    const text = changesMessage('en', result.changes, 'EUR', intlMoney) ?? '';
    expect(text).toContain('Margherita went up: now €10.00 (was €9.50)');
    expect(text).toContain('Still water went down: now €1.50 (was €1.80)');
    expect(text).toContain('Tiramisù is not available right now');
    expect(text).toContain('Cola is no longer on the menu');
    expectValid({ type: 'reply.text', text });
  });

  it('when the business renamed an item, then the line takes the new name without a change notice', () => {
    const { pizza, cart } = setup();

    const result = reconcile(
      { lines: cart.lines.slice(0, 1) },
      catalogOf([{ ...pizza, name: 'Pizza Margherita' }]),
    );

    expect(result.cart.lines[0]?.name).toBe('Pizza Margherita');
    expect(result.changes).toEqual([]);
  });

  it('when every item is gone, then the cart is empty and the empty cart message is shown', () => {
    const { cart } = setup();

    const result = reconcile(cart, catalogOf([]));

    expect(result.cart.lines).toEqual([]);
    expect(result.changes.map((c) => c.kind)).toEqual(['removed', 'removed', 'removed', 'removed']);
    expectValid(cartMessage('en', result.cart, 'EUR', intlMoney));
  });

  it('when there are 30 changes, then the message lists 10 and sums up the rest', () => {
    const changes = Array.from({ length: 30 }, (_, i) => ({
      kind: 'removed' as const,
      itemId: `x${i}`,
      name: `Dish ${i}`,
    }));

    const text = changesMessage('en', changes, 'EUR', intlMoney) ?? '';

    expect(text).toContain('…and 20 more changes');
    expectValid({ type: 'reply.text', text });
  });
});

describe('itemCount', () => {
  it('when lines hold 2 and 3 units, then the count is 5', () => {
    expect(itemCount({ lines: [line(1, 2), line(1, 3)] })).toBe(5);
  });
});
