/**
 * The portal's orders pages end to end: the whole bot on a random port, real HTTP with a cookie jar (a
 * browser without JavaScript). The list, an order's own page with the customer's details (each view in the
 * access log), one-click status changes, the kitchen ticket, the CSV export and the dashboard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessData } from '../../src/businesses/schema.js';
import type { AccessLogEntry } from '../../src/db/models/access-log.model.js';
import { businessZone, placedText } from '../../src/portal/order-parts.js';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { conversationId, repliesTo } from '../helpers/engine.js';
import { sampleOrder } from '../helpers/orders.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { PortalClient } from '../helpers/portal-client.js';
import { configureBusiness } from '../helpers/webhook.js';

describe('portal orders', () => {
  let t: TestBot;
  let pnid: string;
  let other: string;
  let key: { id: string; key: string };
  let c: PortalClient;

  /** A customer who wrote in (so their record with name and number exists), and their reference. */
  async function customer(business: string, name: string): Promise<{ waId: string; ref: string }> {
    const waId = newWaId();
    const res = await t.postWebhook(
      inboundText({ phoneNumberId: business, waId, wamid: newWamid(), name }, 'hi'),
    );
    expect(res.status).toBe(200);
    await t.settled();
    return { waId, ref: conversationId(business, waId) };
  }

  beforeAll(async () => {
    t = await startTestBot('portal-orders');
    pnid = newPhoneNumberId();
    other = newPhoneNumberId();
    await configureBusiness(t, pnid, 'Casa Pedidos');
    await configureBusiness(t, other, 'Otra Casa');
    const made = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'orders' });
    key = (await made.json()) as { id: string; key: string };
    c = new PortalClient(t.bot.url);
    expect((await c.signIn(key.key)).status).toBe(303);
  });
  afterAll(async () => {
    await t.close();
  });

  it('when staff open the list, then items, note and fulfilment show, but no customer details; the order page shows them and records the view', async () => {
    const { waId, ref } = await customer(pnid, 'María José Núñez');
    const order = await t.bot.orders.placeOrder(
      sampleOrder(pnid, ref, {
        fulfilment: 'delivery',
        deliveryAddress: { text: 'Calle Almendro 41, Sevilla', latitude: 37.3891, longitude: -5.9845 },
        note: 'no basil',
      }),
    );
    const n = order.orderNumber;

    const list = await c.get(`/portal/b/${pnid}/orders`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(`data-testid="order-${n}"`);
    expect(list.text).toContain('<strong>2 ×</strong> Coffee');
    expect(list.text).toContain('€2.40');
    expect(list.text).toContain('<strong>Note:</strong> no basil');
    expect(list.text).toContain('<strong>Delivery</strong>');
    for (const secret of [waId, ref, 'María', 'Almendro']) expect(list.text).not.toContain(secret);
    expect(await t.bot.models.AccessLog.countDocuments({ phoneNumberId: pnid })).toBe(0);

    const page = await c.get(`/portal/b/${pnid}/orders/${n}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('María José Núñez');
    // One "placed", in a sentence: "Order 1003 · placed at 13:29 · Placed" was the old "Placed 13:29 Placed".
    expect(page.text).toMatch(
      new RegExp(
        `<h2><span>Order ${n} · placed at <time [^>]+>\\d\\d:\\d\\d</time></span> <span class="status`,
      ),
    );
    expect(page.text).toContain(`href="tel:+${waId}"`);
    expect(page.text).toContain('Calle Almendro 41, Sevilla');
    expect(page.text).toContain(
      'href="https://www.openstreetmap.org/?mlat=37.389100&amp;mlon=-5.984500#map=18/37.389100/-5.984500"',
    );
    const log = await t.bot.models.AccessLog.find({ phoneNumberId: pnid }).lean<AccessLogEntry[]>().exec();
    expect(log).toMatchObject([
      { actor: { kind: 'key', id: key.id }, what: 'order.customer', ref: String(n) },
    ]);
    // Who and which order, never the customer or the key itself.
    const stored = JSON.stringify(log);
    for (const secret of [waId, ref, 'María', key.key]) expect(stored).not.toContain(secret);
  });

  it('when an order number belongs to another business, then its page, ticket and status change are 404', async () => {
    const { ref } = await customer(other, 'Otro Cliente');
    // The other business gets more orders than this one, so its newest number is not one of ours.
    const ours = await t.bot.models.Order.countDocuments({ phoneNumberId: pnid });
    let theirs = 0;
    for (let i = 0; i <= ours + 1; i += 1)
      theirs = (await t.bot.orders.placeOrder(sampleOrder(other, ref))).orderNumber;
    expect(await t.bot.orders.findOrder(pnid, theirs)).toBeNull();
    const orders = `/portal/b/${pnid}/orders`;

    expect((await c.get(`${orders}/${theirs}`)).status).toBe(404);
    expect((await c.get(`${orders}/${theirs}/ticket`)).status).toBe(404);
    expect((await c.submit(orders, `${orders}/${theirs}/status`, { status: 'confirmed' })).status).toBe(404);
    expect((await c.get(`${orders}/not-a-number`)).status).toBe(404);
    expect((await t.bot.orders.findOrder(other, theirs))?.status).toBe('placed');
    // And a key never reaches the other business's pages at all.
    expect((await c.get(`/portal/b/${other}/orders/${theirs}`)).status).toBe(403);
  });

  it('when staff click a next status, then it changes in one click; a cancellation asks first and only a confirmed one cancels', async () => {
    const { waId, ref } = await customer(pnid, 'Cliente Rápido');
    t.graph.reset();
    const order = await t.bot.orders.placeOrder(sampleOrder(pnid, ref));
    const n = order.orderNumber;
    const orders = `/portal/b/${pnid}/orders`;

    const list = await c.get(orders);
    expect(list.text).toContain(`data-testid="order-${n}-to-confirmed"`);
    expect(list.text).toContain(`data-testid="order-${n}-to-cancelled"`);
    // The shortcut to ready is there, but skipped steps in between are not buttons of their own.
    expect(list.text).toContain(`data-testid="order-${n}-to-ready"`);
    expect(list.text).not.toContain(`data-testid="order-${n}-to-preparing"`);
    expect(list.text).toMatch(new RegExp(`class="primary" data-testid="order-${n}-to-confirmed"`));

    const confirmed = await c.submit(orders, `${orders}/${n}/status`, { status: 'confirmed', back: 'order' });
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe(`${orders}/${n}?msg=order-updated-sent`);
    expect(repliesTo(t.graph.requests, pnid, waId)).toEqual([`Your order ${n} is confirmed.`]);
    const after = await c.get(confirmed.location ?? '');
    expect(after.text).toContain(`data-testid="order-${n}-to-preparing"`);

    const asked = await c.submit(orders, `${orders}/${n}/status`, { status: 'cancelled' });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain(`Cancel order ${n}?`);
    expect(asked.text).toContain('data-testid="confirm-cancel"');
    expect((await t.bot.orders.findOrder(pnid, n))?.status).toBe('confirmed');

    const cancelled = await c.submit(orders, `${orders}/${n}/status`, {
      status: 'cancelled',
      confirm: 'yes',
    });
    expect(cancelled.status).toBe(303);
    expect(cancelled.location).toBe(`${orders}?msg=order-updated-sent`);
    expect((await t.bot.orders.findOrder(pnid, n))?.status).toBe('cancelled');
    // Filters: a cancelled order is not open; it is among all orders and today's.
    expect((await c.get(`${orders}?view=open`)).text).not.toContain(`data-testid="order-${n}"`);
    expect((await c.get(`${orders}?view=all`)).text).toContain(`data-testid="order-${n}"`);
    expect((await c.get(`${orders}?view=today`)).text).toContain(`data-testid="order-${n}"`);
    expect((await c.get(`${orders}?status=cancelled`)).text).toContain(`data-testid="order-${n}"`);
  });

  it('when staff click "Mark ready" on a placed order, then it is ready in one click and the customer gets one notice, of ready', async () => {
    const { waId, ref } = await customer(pnid, 'Cliente Listo');
    const order = await t.bot.orders.placeOrder(sampleOrder(pnid, ref));
    const n = order.orderNumber;
    const orders = `/portal/b/${pnid}/orders`;
    t.graph.reset();

    const ready = await c.submit(orders, `${orders}/${n}/status`, { status: 'ready' });

    expect(ready.status).toBe(303);
    expect(ready.location).toBe(`${orders}?msg=order-updated-sent`);
    const saved = await t.bot.orders.findOrder(pnid, n);
    expect(saved?.statusHistory.map((h) => h.status)).toEqual(['placed', 'ready']);
    expect(repliesTo(t.graph.requests, pnid, waId)).toEqual([`Your order ${n} is ready for pickup.`]);
    // Ready: the next step is completing it; neither the shortcut nor cancelling is offered any more.
    const list = await c.get(orders);
    expect(list.text).toMatch(new RegExp(`class="primary" data-testid="order-${n}-to-completed"`));
    expect(list.text).not.toContain(`data-testid="order-${n}-to-ready"`);
    expect(list.text).not.toContain(`data-testid="order-${n}-to-cancelled"`);
    // Never backwards.
    const back = await c.submit(orders, `${orders}/${n}/status`, { status: 'confirmed' });
    expect(back.status).toBe(409);
    expect((await t.bot.orders.findOrder(pnid, n))?.status).toBe('ready');
  });

  it('when staff open the kitchen ticket, then it shows the items, note and fulfilment with print rules, and no customer details', async () => {
    const { waId, ref } = await customer(pnid, 'Ticket Persona');
    const order = await t.bot.orders.placeOrder(
      sampleOrder(pnid, ref, {
        fulfilment: 'delivery',
        note: 'extra hot',
        deliveryAddress: { text: 'Rua Secreta 9' },
        preOrderFor: new Date('2026-12-08T11:00:00Z'),
      }),
    );
    // Placed while closed: the kitchen sees when to start on it, on the list and on the ticket.
    const list = await c.get(`/portal/b/${pnid}/orders?view=all`);
    expect(list.text).toMatch(
      new RegExp(
        `data-testid="order-${order.orderNumber}-preorder"><strong>Pre-order:</strong>[^<]*<time[^>]*>Tue 8 Dec, \\d\\d:00</time>`,
      ),
    );
    const ticket = await c.get(`/portal/b/${pnid}/orders/${order.orderNumber}/ticket`);
    expect(ticket.status).toBe(200);
    expect(ticket.text).toContain('@media print');
    expect(ticket.text).toContain('<strong>DELIVERY</strong>');
    expect(ticket.text).toContain('<strong>Note:</strong> extra hot');
    expect(ticket.text).toContain('<strong>1 ×</strong> Croissant');
    expect(ticket.text).toContain(`data-testid="order-${order.orderNumber}-preorder"`);
    for (const secret of [waId, 'Ticket Persona', 'Rua Secreta']) expect(ticket.text).not.toContain(secret);
  });

  it('when a CSV range is invalid, then a clear error page; a valid one lists the orders with accents and commas quoted', async () => {
    const csv = `/portal/b/${pnid}/orders.csv`;
    for (const [query, message] of [
      ['from=2026-03-10&to=2026-03-01', 'The first day must not be after the last day.'],
      ['from=2025-01-01&to=2026-03-01', 'Export at most 366 days at a time.'],
      ['from=2026-02-30&to=2026-03-01', 'One of the dates does not exist.'],
      ['from=yesterday&to=2026-03-01', 'Use dates like 2026-03-31.'],
      ['', 'Use dates like 2026-03-31.'],
    ] as const) {
      const res = await c.get(`${csv}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.text, query).toContain(message);
    }

    const { waId, ref } = await customer(pnid, 'Señora Exportación');
    const order = await t.bot.orders.placeOrder(
      sampleOrder(pnid, ref, {
        items: [
          {
            itemId: 'cafe',
            name: 'Café con leche, grande',
            unitPriceMinor: 180,
            quantity: 2,
            lineTotalMinor: 360,
          },
          { itemId: 'evil', name: '=HYPERLINK("x")', unitPriceMinor: 100, quantity: 1, lineTotalMinor: 100 },
        ],
        totalMinor: 460,
        note: 'sin azúcar',
      }),
    );
    const day = order.placedAt.toISOString().slice(0, 10);
    const res = await fetch(`${t.bot.url}${csv}?from=${day}&to=${day}`, {
      headers: { cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="orders-${day}-to-${day}.csv"`);
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(body.startsWith('\ufeffNumber,Placed (UTC),Status,Fulfilment,Items,Total,Currency\n')).toBe(true);
    const placed = order.placedAt.toISOString().slice(0, 16).replace('T', ' ');
    expect(body).toContain(
      `${order.orderNumber},${placed},Placed,Pickup,"2 × Café con leche, grande; 1 × =HYPERLINK(""x"")",4.60,EUR\n`,
    );
    for (const secret of [waId, 'Señora', 'sin azúcar']) expect(body).not.toContain(secret);
  });

  it('when orders were placed today, then the dashboard shows their count, revenue without cancelled ones, open orders and a chart', async () => {
    const business = newPhoneNumberId();
    await configureBusiness(t, business, 'Casa Panel');
    const { ref } = await customer(business, 'Panel Cliente');
    await t.bot.orders.placeOrder(sampleOrder(business, ref));
    await t.bot.orders.placeOrder(sampleOrder(business, ref, { fulfilment: 'delivery' }));
    const gone = await t.bot.orders.placeOrder(sampleOrder(business, ref));
    await t.bot.orders.changeStatus(business, gone.orderNumber, 'cancelled', 'business');
    const operator = new PortalClient(t.bot.url);
    await operator.signIn(TEST_ADMIN_TOKEN);

    const page = await operator.get(`/portal/b/${business}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong data-testid="today-orders">3</strong>');
    expect(page.text).toContain('<span data-testid="today-cancelled">(1 cancelled)</span>');
    expect(page.text).toContain('revenue today (without cancelled orders)');
    expect(page.text).toContain('<strong data-testid="today-revenue">€9.50</strong>');
    expect(page.text).toContain('<strong data-testid="open-orders">2</strong>');
    expect(page.text).toMatch(/<svg class="chart"[^>]*role="img"[^>]*aria-labelledby="per-hour-heading"/);
    const cells = [...page.text.matchAll(/<tr><th scope="row">[^<]+<\/th><td>(\d+)<\/td><\/tr>/g)];
    expect(cells.reduce((sum, m) => sum + Number(m[1]), 0)).toBe(3);
    expect(page.text.match(/<rect /g)?.length).toBe(cells.length);
  });
});

describe('order times', () => {
  const business = { phoneNumberId: '1', name: 'x' } as unknown as BusinessData;

  it('when the business has a time zone, then times are in it; without one or with an unknown one, UTC', () => {
    expect(businessZone({ ...business, timeZone: 'Europe/Madrid' })).toBe('Europe/Madrid');
    expect(businessZone({ ...business, timeZone: 'Mars/Olympus' })).toBe('UTC');
    expect(businessZone(business)).toBe('UTC');
    const at = new Date('2026-07-01T21:30:00Z');
    expect(placedText(at, 'Europe/Madrid', at.getTime())).toBe('23:30');
    expect(placedText(at, 'UTC', Date.parse('2026-07-02T09:00:00Z'))).toBe('Wed 1 Jul, 21:30');
  });
});
