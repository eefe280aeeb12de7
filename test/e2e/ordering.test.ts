/**
 * Ordering in chat, end to end through the real webhook and the loopback Graph API: a pickup order by taps
 * only, a delivery order by typed answers (with a typo'd dish name), a delivery to a shared location,
 * cancelling mid-way, tracking, the business moving an order on, and bad input (a forged tap, refused
 * quantities, a 10,000-character message). Each customer message is posted, the bot is left to settle,
 * then the new sends to that customer are read; the Order collection and the stored cart are checked too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDoc } from '../../src/db/models/conversation.model.js';
import type { Order } from '../../src/db/models/order.model.js';
import { openSnapshot, startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { chatWith, from, only } from '../helpers/chat.js';
import type { Chat as BaseChat } from '../helpers/chat.js';
import { conversationId, errorLogs, MENU_TAIL, repliesTo, waitUntil } from '../helpers/engine.js';
import { inboundText, newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { sendText } from '../helpers/webhook.js';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('ordering');
});
afterAll(async () => {
  await t.close();
});

/** The demo pizzeria's menu: six items in three categories, so the menu is one list of item rows. */
const CATALOG = [
  { id: 'margherita', name: 'Margherita', price: 9.5, category: 'Pizza', description: 'Tomato, mozzarella' },
  { id: 'diavola', name: 'Diavola', price: 11, category: 'Pizza' },
  { id: 'quattro', name: 'Quattro formaggi', price: 12, category: 'Pizza' },
  { id: 'tiramisu', name: 'Tiramisù', price: 5.5, category: 'Dessert' },
  { id: 'cola', name: 'Cola', price: 2.5, category: 'Drinks' },
  { id: 'water', name: 'Still water', price: 1.8, category: 'Drinks' },
];
const ITEM_ROWS = [
  'item:margherita',
  'item:diavola',
  'item:quattro',
  'item:tiramisu',
  'item:cola',
  'item:water',
];

const MENU_INTRO = 'Here is our menu. Tap *See menu*, or type a number or a name';
const QTY_MARGHERITA = 'How many *Margherita* (€9.50 each)? Tap a number, or type one from 1 to 99.';
const QTY_COLA = 'How many *Cola* (€2.50 each)? Tap a number, or type one from 1 to 99.';
const FULFILMENT = 'Pickup or delivery?';
const ADDRESS = 'Where should we deliver? Type the address, or share a location (📎 → Location).';
const NOTE = 'Anything we should know (allergies, doorbell…)? Type a note, or tap *No note*.';
const PLACED_TAIL = "We'll let you know here when it moves along. Choose *Track my order* to see it.";

/** One customer of one business (with its admin number), and how many of the sends to them were read. */
interface Chat extends BaseChat {
  admin: string;
}

/** A new business (the menu above, pickup and delivery, one admin number) and a new customer. */
async function newChat(): Promise<Chat> {
  const pnid = newPhoneNumberId();
  const admin = newWaId();
  const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
    name: 'Pizzeria Prueba',
    currency: 'EUR',
    catalog: CATALOG,
    fulfilment: { pickup: true, delivery: true },
    adminNumbers: [admin],
  });
  expect(res.status).toBe(201);
  return { pnid, waId: newWaId(), admin, seen: 0 };
}

const { post, say, tapButton, tapRow, shareLocation } = chatWith(() => t);

async function ordersOf(pnid: string): Promise<Order[]> {
  return t.bot.models.Order.find({ phoneNumberId: pnid }).sort({ orderNumber: 1 }).lean<Order[]>().exec();
}

/** The cart stored in the customer's conversation, as `itemId × quantity` pairs. */
async function cartOf(chat: Chat): Promise<Array<[string, number]>> {
  const doc = await t.bot.models.Conversation.findById(conversationId(chat.pnid, chat.waId))
    .lean<ConversationDoc>()
    .exec();
  const snapshot = openSnapshot(doc) as
    | { context?: { ordering?: { cart?: { lines?: Array<{ itemId: string; quantity: number }> } } } }
    | undefined;
  const lines = snapshot?.context?.ordering?.cart?.lines;
  if (!lines) throw new Error('no cart in the stored conversation');
  return lines.map((line) => [line.itemId, line.quantity]);
}

/** Types a whole pickup order of one Cola (no note) and returns its number. */
async function placeColaForPickup(chat: Chat): Promise<number> {
  expect(await say(chat, '1')).toHaveLength(1);
  expect(await say(chat, 'cola')).toEqual([QTY_COLA]);
  expect(await say(chat, '1')).toHaveLength(1);
  expect(await say(chat, 'checkout')).toEqual([FULFILMENT]);
  expect(await say(chat, 'pickup')).toEqual([NOTE]);
  expect(only(await tapButton(chat, 'order.nonote', 'No note')).text).toContain('*Total: €2.50*');
  const placed = await say(chat, 'yes');
  const [order] = await ordersOf(chat.pnid);
  if (!order) throw new Error('no order placed');
  expect(placed).toHaveLength(1);
  expect(placed[0]).toMatch(new RegExp(`^✅ Order \\*${order.orderNumber}\\* placed: €2\\.50\\.`));
  return order.orderNumber;
}

describe('placing an order', () => {
  it('when a customer orders for pickup by taps only, then the order is stored exactly, they get its number and the staff are told', async () => {
    const chat = await newChat();
    // The admin number writes first, which opens its 24-hour window for the staff notice.
    const adminChat: Chat = { pnid: chat.pnid, waId: chat.admin, admin: chat.admin, seen: 0 };
    expect(await say(adminChat, 'hi')).toHaveLength(1);

    expect((await say(chat, 'hi'))[0]).toMatch(/^Hi! Welcome to \*Pizzeria Prueba\*/);
    const menu = only(await tapRow(chat, 'menu.order', 'Order'));
    expect(menu.text.startsWith(MENU_INTRO)).toBe(true);
    expect(menu.text).toContain('1. Margherita — €9.50');
    expect(menu.ids).toEqual(ITEM_ROWS);

    expect(only(await tapRow(chat, 'item:margherita', 'Margherita'))).toEqual({
      text: QTY_MARGHERITA,
      ids: ['qty:1', 'qty:2', 'qty:3'],
    });
    expect(only(await tapButton(chat, 'qty:2', '2'))).toEqual({
      text: 'Added: 2 × Margherita.\nYour cart: 2 items, €19.00.',
      ids: ['cart:add', 'cart:view', 'cart:checkout'],
    });
    expect(only(await tapButton(chat, 'cart:add', 'Add more')).ids).toEqual(ITEM_ROWS);
    expect(only(await tapRow(chat, 'item:cola', 'Cola')).text).toBe(QTY_COLA);
    expect(only(await tapButton(chat, 'qty:3', '3')).text).toBe(
      'Added: 3 × Cola.\nYour cart: 5 items, €26.50.',
    );
    expect(only(await tapButton(chat, 'cart:checkout', 'Checkout'))).toEqual({
      text: FULFILMENT,
      ids: ['order.pickup', 'order.delivery'],
    });
    expect(only(await tapButton(chat, 'order.pickup', 'Pickup'))).toEqual({
      text: NOTE,
      ids: ['order.nonote'],
    });
    expect(only(await tapButton(chat, 'order.nonote', 'No note'))).toEqual({
      text:
        '*Your order*\n• 2 × Margherita — €19.00\n• 3 × Cola — €7.50\n*Total: €26.50*\n' +
        'Pickup at the shop\nShall I place it?',
      ids: ['order.confirm', 'order.edit', 'order.cancel'],
    });
    expect(await ordersOf(chat.pnid)).toEqual([]);

    const placed = only(await tapButton(chat, 'order.confirm', 'Confirm'));

    const orders = await ordersOf(chat.pnid);
    expect(orders).toHaveLength(1);
    const order = orders[0] as Order;
    expect(order).toMatchObject({
      orderNumber: 1001,
      status: 'placed',
      fulfilment: 'pickup',
      currency: 'EUR',
      totalMinor: 2650,
      items: [
        { itemId: 'margherita', name: 'Margherita', unitPriceMinor: 950, quantity: 2, lineTotalMinor: 1900 },
        { itemId: 'cola', name: 'Cola', unitPriceMinor: 250, quantity: 3, lineTotalMinor: 750 },
      ],
      customerRef: conversationId(chat.pnid, chat.waId),
    });
    expect(order.deliveryAddress).toBeUndefined();
    expect(order.note).toBeUndefined();
    expect(order.statusHistory.map((c) => [c.status, c.by])).toEqual([['placed', 'customer']]);
    expect(placed.text).toBe(
      `✅ Order *1001* placed: €26.50. ${PLACED_TAIL}\n\nWhat would you like to do? Tap *Options*, or type a number.\n` +
        '1. Order\n2. Track my order\n3. My data & privacy\n4. Talk to a person\n5. 🌐 Language',
    );
    expect(placed.ids).toEqual(['menu.order', 'menu.track', 'menu.privacy', 'menu.human', 'menu.language']);
    const staff = repliesTo(t.graph.requests, chat.pnid, chat.admin);
    // The staff are told who ordered (the business's own customer), not how to resume (no handoff here).
    expect(staff.slice(1)).toEqual([
      `New order 1001: 2× Margherita, 3× Cola; €26.50; pickup.\nCustomer: +${chat.waId}.`,
    ]);
    // The cart is empty again.
    expect(await cartOf(chat)).toEqual([]);
  });

  it('when a customer types every answer (a typo in the dish, a note, "yes"), then a delivery order with the address is stored', async () => {
    const chat = await newChat();

    const menu = await say(chat, '1');
    expect(menu).toHaveLength(1);
    expect(menu[0]?.startsWith(MENU_INTRO)).toBe(true);
    expect(await say(chat, 'margarita')).toEqual([QTY_MARGHERITA]);
    expect(await say(chat, '2')).toEqual(['Added: 2 × Margherita.\nYour cart: 2 items, €19.00.']);
    expect(await say(chat, 'checkout')).toEqual([FULFILMENT]);
    expect(await say(chat, 'delivery')).toEqual([ADDRESS]);
    expect(await say(chat, '  Rua das Flores 12, 2º, Lisboa  ')).toEqual([NOTE]);
    expect(await say(chat, 'Ring twice, please')).toEqual([
      '*Your order*\n• 2 × Margherita — €19.00\n*Total: €19.00*\nDelivery to Rua das Flores 12, 2º, Lisboa\n' +
        'Note: Ring twice, please\nShall I place it?',
    ]);

    const placed = await say(chat, 'yes');

    expect(placed).toHaveLength(1);
    expect(placed[0]?.startsWith(`✅ Order *1001* placed: €19.00. ${PLACED_TAIL}`)).toBe(true);
    expect(placed[0]?.endsWith(MENU_TAIL)).toBe(true);
    const orders = await ordersOf(chat.pnid);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      orderNumber: 1001,
      status: 'placed',
      fulfilment: 'delivery',
      deliveryAddress: { text: 'Rua das Flores 12, 2º, Lisboa' },
      note: 'Ring twice, please',
      totalMinor: 1900,
      items: [
        { itemId: 'margherita', name: 'Margherita', unitPriceMinor: 950, quantity: 2, lineTotalMinor: 1900 },
      ],
    });
    // The admin number never wrote to the bot: its notice is stored but cannot be sent.
    expect(repliesTo(t.graph.requests, chat.pnid, chat.admin)).toEqual([]);
  });

  it('when a customer shares a location as the delivery address, then its coordinates are stored', async () => {
    const chat = await newChat();
    await say(chat, '1');
    expect(await say(chat, 'cola')).toEqual([QTY_COLA]);
    await say(chat, '2');
    await say(chat, 'checkout');
    expect(only(await tapButton(chat, 'order.delivery', 'Delivery')).text).toBe(ADDRESS);

    expect(await shareLocation(chat, { latitude: 38.7077507, longitude: -9.1365919 })).toEqual([NOTE]);
    expect(only(await tapButton(chat, 'order.nonote', 'No note')).text).toBe(
      '*Your order*\n• 2 × Cola — €5.00\n*Total: €5.00*\n' +
        'Delivery to the shared location (38.70775, -9.13659)\nShall I place it?',
    );
    expect(only(await tapButton(chat, 'order.confirm', 'Confirm')).text).toMatch(/^✅ Order \*1001\* placed/);

    const orders = await ordersOf(chat.pnid);
    expect(orders).toHaveLength(1);
    expect(orders[0]?.fulfilment).toBe('delivery');
    expect(orders[0]?.deliveryAddress).toEqual({ latitude: 38.7077507, longitude: -9.1365919 });
    expect(orders[0]?.totalMinor).toBe(500);
  });

  it('when a customer shares a location with an address, then both the coordinates and the address are stored', async () => {
    const chat = await newChat();
    await say(chat, '1');
    await say(chat, 'water');
    await say(chat, '1');
    await say(chat, 'checkout');
    await say(chat, 'delivery');

    expect(
      await shareLocation(chat, { latitude: -33.8567844, longitude: 151.213108, address: 'Bennelong Point' }),
    ).toEqual([NOTE]);
    expect(only(await tapButton(chat, 'order.nonote', 'No note')).text).toContain(
      'Delivery to Bennelong Point\n',
    );
    await say(chat, 'yes');

    const [order] = await ordersOf(chat.pnid);
    expect(order?.deliveryAddress).toEqual({
      text: 'Bennelong Point',
      latitude: -33.8567844,
      longitude: 151.213108,
    });
  });
});

describe('cancelling and tracking', () => {
  it('when a customer cancels mid-way and says yes, then no order is placed and the cart is empty next time', async () => {
    const chat = await newChat();
    await say(chat, '1');
    await say(chat, 'cola');
    expect(await say(chat, '2')).toEqual(['Added: 2 × Cola.\nYour cart: 2 items, €5.00.']);
    await say(chat, 'checkout');
    expect(await cartOf(chat)).toEqual([['cola', 2]]);

    const asked = only(await post(chat, inboundText(from(chat), 'cancel')));
    expect(asked).toEqual({
      text: 'Cancel this order and empty your cart?',
      ids: ['order.cancel.yes', 'order.cancel.no'],
    });
    const cancelled = await say(chat, 'yes');

    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]?.startsWith('Your order was cancelled and the cart emptied.\n\n')).toBe(true);
    expect(cancelled[0]?.endsWith(MENU_TAIL)).toBe(true);
    expect(await ordersOf(chat.pnid)).toEqual([]);
    expect(await cartOf(chat)).toEqual([]);

    expect((await say(chat, '1'))[0]?.startsWith(MENU_INTRO)).toBe(true);
    expect(only(await post(chat, inboundText(from(chat), 'cart')))).toEqual({
      text: 'Your cart is empty. Tap *See menu* to add something.',
      ids: ['cart:add'],
    });
    // Checking out an empty cart goes back to the menu instead of asking pickup or delivery.
    const empty = await say(chat, 'checkout');
    expect(empty).toHaveLength(1);
    expect(empty[0]?.startsWith(`Your cart is empty now.\n\n${MENU_INTRO}`)).toBe(true);
    expect(await ordersOf(chat.pnid)).toEqual([]);
  });

  it('when a customer cancels but then keeps the order, then the cart is shown unchanged', async () => {
    const chat = await newChat();
    await say(chat, '1');
    await say(chat, 'cola');
    await say(chat, '2');
    await say(chat, 'cancel');

    const kept = only(await tapButton(chat, 'order.cancel.no', 'No, keep it'));

    expect(kept.text.startsWith('Your cart (2 items):\n2 × Cola — €5.00\n\n*Total: €5.00*')).toBe(true);
    expect(kept.ids).toEqual(['cart:add', 'cart:checkout', 'cart:clear']);
    expect(await cartOf(chat)).toEqual([['cola', 2]]);
  });

  /** A date and time as English writes it ("May 1, 2025, 2:05 PM"), in UTC (the business sets no zone). */
  const DAY = new Intl.DateTimeFormat('en', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
  });

  it('when a customer chooses "2" after ordering, then their order is listed with a button to cancel it', async () => {
    const chat = await newChat();
    const orderNumber = await placeColaForPickup(chat);
    const [order] = await ordersOf(chat.pnid);

    const tracked = await say(chat, '2');

    expect(tracked).toHaveLength(1);
    expect(tracked[0]).toBe(
      `Your recent orders:\n• Order *${orderNumber}*: placed, €2.50, ${order ? DAY.format(order.placedAt) : ''}` +
        '\n\nAn order can be cancelled here until the business confirms it.',
    );
  });

  it('when the customer taps Cancel order on a placed order, then it is cancelled and the business sees it', async () => {
    const chat = await newChat();
    const orderNumber = await placeColaForPickup(chat);
    await say(chat, '2');

    const asked = (
      await tapButton(chat, `order.cancelPlaced:${orderNumber}`, `Cancel order ${orderNumber}`)
    ).map(sendText);
    expect(asked.join('\n')).toContain(`Cancel order *${orderNumber}*`);
    const replies = (await tapButton(chat, 'order.cancelPlaced.yes', 'Yes, cancel')).map(sendText);

    expect(replies[0]).toContain(`Order *${orderNumber}* is cancelled.`);
    expect((await ordersOf(chat.pnid))[0]?.status).toBe('cancelled');
  });

  it('when the business confirmed the order before the tap, then it is not cancelled and the customer is told why', async () => {
    const chat = await newChat();
    const orderNumber = await placeColaForPickup(chat);
    await say(chat, '2');
    const confirmed = await t.admin('PATCH', `/admin/businesses/${chat.pnid}/orders/${orderNumber}`, {
      status: 'confirmed',
    });
    expect(confirmed.status).toBe(200);

    const asked = (
      await tapButton(chat, `order.cancelPlaced:${orderNumber}`, `Cancel order ${orderNumber}`)
    ).map(sendText);
    expect(asked.join('\n')).toContain(`Cancel order *${orderNumber}*`);
    const replies = (await tapButton(chat, 'order.cancelPlaced.yes', 'Yes, cancel')).map(sendText);

    expect(replies.join('\n')).toContain('can no longer be cancelled');
    expect((await ordersOf(chat.pnid))[0]?.status).toBe('confirmed');
  });

  it('when the business moves an order to preparing, then the customer is told with the order number', async () => {
    const chat = await newChat();
    const orderNumber = await placeColaForPickup(chat);
    const path = `/admin/businesses/${chat.pnid}/orders/${orderNumber}`;

    const confirmed = await t.admin('PATCH', path, { status: 'confirmed' });
    expect(confirmed.status).toBe(200);
    const preparing = await t.admin('PATCH', path, { status: 'preparing' });
    expect(preparing.status).toBe(200);
    expect(((await preparing.json()) as { order: { status: string } }).order.status).toBe('preparing');
    // The status table only goes forward: back to confirmed is refused, and nothing is said.
    const back = await t.admin('PATCH', path, { status: 'confirmed' });
    expect(back.status).toBe(409);

    const expected = [
      `Your order ${orderNumber} is confirmed.`,
      `Your order ${orderNumber} is being prepared.`,
    ];
    await waitUntil(
      () => repliesTo(t.graph.requests, chat.pnid, chat.waId).length >= chat.seen + 2,
      'the two status notices',
    );
    expect(repliesTo(t.graph.requests, chat.pnid, chat.waId).slice(chat.seen)).toEqual(expected);
    const [order] = await ordersOf(chat.pnid);
    expect(order?.status).toBe('preparing');
    expect(order?.statusHistory.map((c) => [c.status, c.by])).toEqual([
      ['placed', 'customer'],
      ['confirmed', 'business'],
      ['preparing', 'business'],
    ]);
  });
});

describe('bad input while ordering', () => {
  it('when a tap names an item that does not exist, then the customer is told and the cart is unchanged', async () => {
    const chat = await newChat();
    await say(chat, '1');
    await say(chat, 'cola');
    await say(chat, '1');
    expect(await cartOf(chat)).toEqual([['cola', 1]]);

    const forged = only(await tapRow(chat, 'item:nope', 'Nope'));

    expect(forged.text.startsWith(`Sorry, that item is not available any more.\n\n${MENU_INTRO}`)).toBe(true);
    expect(forged.ids).toEqual(ITEM_ROWS);
    expect(await cartOf(chat)).toEqual([['cola', 1]]);
    expect(await ordersOf(chat.pnid)).toEqual([]);
  });

  it('when a quantity is 0, -1, 1e9 or "lots", then the question is asked again with a hint, and 2 then works', async () => {
    const chat = await newChat();
    await say(chat, '1');
    expect(only(await tapRow(chat, 'item:margherita', 'Margherita')).text).toBe(QTY_MARGHERITA);

    const smallest = `The smallest quantity is 1.\n${QTY_MARGHERITA}`;
    const number = `Please send just a number, like 2.\n${QTY_MARGHERITA}`;
    expect(only(await post(chat, inboundText(from(chat), '0')))).toEqual({
      text: smallest,
      ids: ['qty:1', 'qty:2', 'qty:3'],
    });
    expect(await say(chat, '-1')).toEqual([smallest]);
    expect(await say(chat, '1e9')).toEqual([number]);
    expect(await say(chat, 'lots')).toEqual([number]);
    expect(await say(chat, '100')).toEqual([`The most I can take of one item is 99.\n${QTY_MARGHERITA}`]);
    expect(await cartOf(chat)).toEqual([]);

    expect(await say(chat, '2')).toEqual(['Added: 2 × Margherita.\nYour cart: 2 items, €19.00.']);
    expect(await cartOf(chat)).toEqual([['margherita', 2]]);
  });

  it('when a 10,000-character message arrives while browsing, then it is answered and ordering goes on', async () => {
    const chat = await newChat();
    await say(chat, '1');
    await say(chat, 'cola');
    await say(chat, '1');
    await say(chat, 'add');
    const logIndex = t.logs.length;

    const long = await say(chat, 'margherita '.repeat(1000).slice(0, 10_000));

    expect(long).toHaveLength(1);
    expect(
      long[0]?.startsWith(
        "I couldn't find that on the menu. Tap an option, or type a dish's name or number.\n\n" + MENU_INTRO,
      ),
    ).toBe(true);
    expect(errorLogs(t.logs.slice(logIndex))).toEqual([]);
    expect(await cartOf(chat)).toEqual([['cola', 1]]);
    expect(await say(chat, 'tiramisu')).toEqual([
      'How many *Tiramisù* (€5.50 each)? Tap a number, or type one from 1 to 99.',
    ]);
  });
});
