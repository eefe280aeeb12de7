/**
 * The portal's live stream over real HTTP (the whole bot on a random port): who may open it (a session, and
 * only for a business it may see), what an order placed sends down it (`event: order.placed` with the kind
 * and the order number, nothing else), the client script and the page markers, and a shutdown that ends
 * open streams instead of waiting out the drain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_JS } from '../../src/live/client.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { PortalClient } from '../helpers/portal-client.js';
import { sampleOrder } from '../helpers/orders.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;
let pnid: string;
let other: string;
let portal: PortalClient;

beforeAll(async () => {
  // A drain far longer than the test's timeout: a stream that held the shutdown would fail the last test.
  t = await startTestBot('live-routes', { bot: { shutdownDrainMs: 120_000 } });
  pnid = newPhoneNumberId();
  other = newPhoneNumberId();
  await configureBusiness(t, pnid, 'Casa Viva');
  await configureBusiness(t, other, 'Otra Casa');
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'live' });
  const { key } = (await res.json()) as { key: string };
  portal = new PortalClient(t.bot.url);
  expect((await portal.signIn(key)).status).toBe(303);
});
afterAll(async () => {
  await t?.close();
});

const cookie = (): string => [...portal.jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** The complete events in a stream's text: `event:` and parsed `data:` of each block. */
function eventsIn(text: string): Array<{ event: string; data: unknown }> {
  return text
    .split('\n\n')
    .slice(0, -1)
    .flatMap((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trimStart();
      const data = field('data');
      return data === undefined
        ? []
        : [{ event: field('event') ?? 'message', data: JSON.parse(data) as unknown }];
    });
}

/** Opens the stream as the signed-in key; reads text until `done` matches it. */
async function openStream(path: string, abort: AbortController) {
  const res = await fetch(`${t.bot.url}${path}`, {
    headers: { cookie: cookie(), accept: 'text/event-stream' },
    signal: abort.signal,
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    res,
    text: () => text,
    async until(done: RegExp): Promise<string> {
      while (!done.test(text)) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`stream ended before ${String(done)}: ${text}`);
        text += decoder.decode(chunk.value, { stream: true });
      }
      return text;
    },
    /** Resolves when the server ends the stream. */
    async ended(): Promise<void> {
      for (;;) if ((await reader.read()).done) return;
    },
  };
}

describe('GET /portal/b/:id/live', () => {
  it('when there is no session, then it is 401, not a redirect', async () => {
    const res = await fetch(`${t.bot.url}/portal/b/${pnid}/live`, { redirect: 'manual' });
    expect(res.status).toBe(401);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).not.toContain('event-stream');
  });

  it('when a key asks for another business’s stream, then it is refused', async () => {
    const res = await fetch(`${t.bot.url}/portal/b/${other}/live`, { headers: { cookie: cookie() } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).not.toContain('event-stream');
    await res.body?.cancel();
  });

  it('when an order is placed, then its business’s stream gets `event: order.placed` with the kind and number only', async () => {
    const abort = new AbortController();
    const stream = await openStream(`/portal/b/${pnid}/live`, abort);
    try {
      expect(stream.res.status).toBe(200);
      expect(stream.res.headers.get('content-type')).toContain('text/event-stream');
      expect(stream.res.headers.get('cache-control')).toContain('no-store');
      await stream.until(/retry: ?3000/);
      expect(t.bot.live.watching).toBe(1);

      // Another business's order first: it must not appear on this stream.
      await t.bot.orders.placeOrder(sampleOrder(other, `ref-${newWaId()}`));
      const order = await t.bot.orders.placeOrder(
        sampleOrder(pnid, `ref-${newWaId()}`, { fulfilment: 'delivery', note: 'no basil' }),
      );
      const text = await stream.until(/event: ?order\.placed\n[^]*\n\n/);
      expect(eventsIn(text)).toEqual([
        { event: 'order.placed', data: { kind: 'order.placed', ref: String(order.orderNumber) } },
      ]);
      expect(text).not.toMatch(/basil|Rua das Flores|ref-/);

      await t.bot.orders.changeStatus(pnid, order.orderNumber, 'confirmed', 'business');
      const more = await stream.until(/event: ?order\.updated\n[^]*\n\n/);
      expect(eventsIn(more).at(-1)).toEqual({
        event: 'order.updated',
        data: { kind: 'order.updated', ref: String(order.orderNumber) },
      });
    } finally {
      abort.abort();
    }
    await expect.poll(() => t.bot.live.watching).toBe(0);
  });

  it('when the customer cancels their order, then the stream gets `event: order.cancelled` with the number only, and the card says who cancelled', async () => {
    const abort = new AbortController();
    const stream = await openStream(`/portal/b/${pnid}/live`, abort);
    try {
      await stream.until(/retry: ?3000/);
      const ref = `ref-${newWaId()}`;
      const order = await t.bot.orders.placeOrder(sampleOrder(pnid, ref, { note: 'sin gluten' }));
      await t.bot.orders.cancelByCustomer(pnid, ref, order.orderNumber);
      const text = await stream.until(/event: ?order\.cancelled\n[^]*\n\n/);
      expect(eventsIn(text).at(-1)).toEqual({
        event: 'order.cancelled',
        data: { kind: 'order.cancelled', ref: String(order.orderNumber) },
      });
      expect(text).not.toMatch(/gluten|ref-/);
      // The client turns it into words with the number (and a staff cancellation stays "order.updated").
      expect(LIVE_JS).toContain("'Order ' + ref + ' was cancelled by the customer'");
      for (const view of ['all', 'today']) {
        const page = await portal.get(`/portal/b/${pnid}/orders?view=${view}`);
        expect(page.text).toContain(
          `data-testid="order-${order.orderNumber}-current">Cancelled by the customer</span>`,
        );
      }
    } finally {
      abort.abort();
    }
    await expect.poll(() => t.bot.live.watching).toBe(0);
  });

  it('serves the client script, and marks the orders page for live refreshes under a CSP that allows it', async () => {
    const js = await fetch(`${t.bot.url}/portal/assets/live.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('application/javascript');
    expect(await js.text()).toBe(LIVE_JS);
    const page = await fetch(`${t.bot.url}/portal/b/${pnid}/orders`, { headers: { cookie: cookie() } });
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<main id="main" data-live="order.placed,order.updated,order.cancelled">');
    expect(html).toContain('data-live-region');
    expect(html).toContain('<script src="/portal/assets/live.js" defer></script>');
  });

  it('when the bot shuts down, then open streams end at once rather than holding the drain', async () => {
    const abort = new AbortController();
    const stream = await openStream(`/portal/b/${pnid}/live`, abort);
    await stream.until(/retry: ?3000/);
    const ended = stream.ended();
    await t.bot.close();
    await ended;
    expect(t.bot.live.closed).toBe(true);
    expect(t.bot.live.watching).toBe(0);
  });
});
