/**
 * A native catalogue order (the cart a customer builds in WhatsApp from the business's Meta catalogue) end to
 * end through the real webhook, parser, engine and loopback Graph API: it becomes the cart at our prices, the
 * differences are said in the customer's language, and checkout goes on as for any cart. A WhatsApp Flows
 * reply gives the delivery address; a broken one is answered, never a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/db/models/order.model.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { chatWith, from, only } from '../helpers/chat.js';
import type { Chat } from '../helpers/chat.js';
import { inboundMessage, newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { sendText } from '../helpers/webhook.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot('native-order');
});
afterAll(async () => {
  await t.close();
});

const { post, say, tapButton } = chatWith(() => t);

/** Our menu, with Meta's content ids on three items; Margherita costs more here than in Meta's catalogue. */
const CATALOG = [
  { id: 'margherita', name: 'Margherita', price: 10, retailerId: 'pizza-margherita' },
  { id: 'cola', name: 'Cola', price: 2.5, retailerId: 'cola-33' },
  { id: 'tiramisu', name: 'Tiramisù', price: 5.5, retailerId: 'tiramisu-1', available: false },
  { id: 'water', name: 'Still water', price: 1.8 },
];

async function newChat(): Promise<Chat> {
  const pnid = newPhoneNumberId();
  const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
    name: 'Pizzeria Prueba',
    currency: 'EUR',
    catalog: CATALOG,
    fulfilment: { pickup: true, delivery: true },
    adminNumbers: [newWaId()],
  });
  expect(res.status).toBe(201);
  return { pnid, waId: newWaId(), seen: 0 };
}

type Line = { product_retailer_id: string; quantity: number; item_price: number; currency: string };
const line = (id: string, quantity: number, price: number): Line => ({
  product_retailer_id: id,
  quantity,
  item_price: price,
  currency: 'EUR',
});
const order = (chat: Chat, lines: Line[]) =>
  post(
    chat,
    inboundMessage(from(chat), 'order', { order: { catalog_id: '1234567890123456', product_items: lines } }),
  );
const form = (chat: Chat, responseJson: string) =>
  post(
    chat,
    inboundMessage(from(chat), 'interactive', {
      interactive: {
        type: 'nfm_reply',
        nfm_reply: { name: 'flow', body: 'Sent', response_json: responseJson },
      },
    }),
  );

async function ordersOf(pnid: string): Promise<Order[]> {
  return t.bot.models.Order.find({ phoneNumberId: pnid }).lean<Order[]>().exec();
}

describe('native catalogue orders', () => {
  it('when a Spanish customer sends a WhatsApp cart, then it is the cart at our prices, the differences are said in Spanish, and it checks out to an order with a form address', async () => {
    const chat = await newChat();
    expect(await say(chat, 'hola')).toHaveLength(1);

    const cart = only(
      await order(chat, [
        line('pizza-margherita', 2, 9.5),
        line('cola-33', 1, 2.5),
        line('calzone-x', 1, 8),
        line('tiramisu-1', 1, 5.5),
      ]),
    );
    expect(cart.text).toContain('No disponible aquí: "calzone-x", "Tiramisù".');
    // Intl writes a no-break space before the euro sign.
    expect(cart.text).toMatch(/Margherita: el precio aquí es 10,00\s€\./u);
    expect(cart.text).not.toContain('Cola: el precio');
    expect(cart.text).toMatch(/\*Total: 22,50\s€\*/u);
    expect(cart.ids).toContain('cart:checkout');

    expect(sendText(only1(await tapButton(chat, 'cart:checkout', 'Finalizar')))).toMatch(
      /recoger|domicilio/i,
    );
    const askAddress = await tapButton(chat, 'order.delivery', 'A domicilio');
    expect(askAddress).toHaveLength(1);

    // A form without an address: thanked, and asked again.
    const thanked = (await form(chat, JSON.stringify({ flow_token: 'x', notes: 'hola' }))).map(sendText);
    expect(thanked[0]).toBe('Gracias, recibido.');
    expect(thanked).toHaveLength(2);
    // Broken JSON: a short answer, still at the address step.
    expect((await form(chat, '{"address": "Rua')).length).toBeGreaterThan(0);

    const note = await form(
      chat,
      JSON.stringify({ flow_token: 'x', street: 'Calle Mayor', number: '5', city: 'Madrid' }),
    );
    expect(note).toHaveLength(1);
    const summary = only(await tapButton(chat, 'order.nonote', 'Sin nota'));
    expect(summary.text).toContain('Calle Mayor 5, Madrid');
    expect(summary.text).toContain('2 × Margherita');
    await tapButton(chat, 'order.confirm', 'Confirmar');

    const [placed] = await ordersOf(chat.pnid);
    expect(placed?.items.map((l) => [l.itemId, l.quantity, l.unitPriceMinor])).toEqual([
      ['margherita', 2, 1000],
      ['cola', 1, 250],
    ]);
  });

  it('when a WhatsApp cart is the first message and names nothing we sell, then the customer is greeted and shown the menu, never a crash', async () => {
    const chat = await newChat();
    const sends = (await order(chat, [line('unknown-1', 1, 3)])).map(sendText);
    expect(sends.join('\n')).toMatch(/None of the items in your WhatsApp cart can be ordered here/);
    expect(await ordersOf(chat.pnid)).toEqual([]);
  });
});

function only1<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}
