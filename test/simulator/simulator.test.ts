/**
 * The local WhatsApp simulator over real HTTP: customer messages go through /sim/api → the bot's own signed
 * POST /webhook; the bot's replies go through the real WhatsApp client to the built-in Graph sink
 * (/sim/graph), which reports sent/delivered/read back through /webhook. Production mode hides all of it.
 */
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PHONE_NUMBER_ID } from '../../src/businesses/demo.js';
import { loadConfig } from '../../src/config.js';
import { FORMAT_JS } from '../../src/simulator/page.js';
import type { SimMessage } from '../../src/simulator/store.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newWaId } from '../helpers/payloads.js';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('simulator', {
    env: { SIMULATOR: 'on' },
    bot: { seedDemo: true, simulatorStatusDelaysMs: [5, 15, 30] },
  });
});
afterAll(async () => {
  await t.close();
});

type ChatMessage = SimMessage & { document?: SimMessage['document'] & { url?: string } };

function simApi(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${t.bot.url}/sim/api${path}`, {
    method,
    ...(body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
  });
}

async function chat(waId: string, pnid = DEMO_PHONE_NUMBER_ID): Promise<ChatMessage[]> {
  const res = await simApi('GET', `/chat?phoneNumberId=${pnid}&waId=${waId}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: ChatMessage[] }).messages;
}

/** Polls the chat until `done` holds (the bot replies and the status webhooks arrive asynchronously). */
async function chatUntil(
  waId: string,
  done: (messages: ChatMessage[]) => boolean,
  timeoutMs = 8_000,
): Promise<ChatMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = await chat(waId);
    if (done(messages)) return messages;
    if (Date.now() > deadline) throw new Error(`chat not as expected: ${JSON.stringify(messages, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const outbound = (messages: ChatMessage[]) => messages.filter((m) => m.direction === 'out');
const inbound = (messages: ChatMessage[]) => messages.filter((m) => m.direction === 'in');

async function say(waId: string, message: Record<string, unknown>, name = 'Zebedee Quintessa') {
  const res = await simApi('POST', '/messages', {
    phoneNumberId: DEMO_PHONE_NUMBER_ID,
    waId,
    name,
    message,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { wamid: string; webhookStatus: number };
}

describe('the simulator in local mode', () => {
  it('lists the businesses, including the demo one', async () => {
    const res = await simApi('GET', '/businesses');
    expect(res.status).toBe(200);
    const { businesses } = (await res.json()) as {
      businesses: Array<{ phoneNumberId: string; name: string }>;
    };
    expect(businesses).toContainEqual({ phoneNumberId: DEMO_PHONE_NUMBER_ID, name: 'Polus Pizzeria (demo)' });
  });

  it('when a customer says hi, the real client sends the greeting to the sink, and the chat shows it read after the status webhooks', async () => {
    const waId = newWaId();
    const sent = await say(waId, { type: 'text', text: 'hi' });
    expect(sent.webhookStatus).toBe(200);
    const messages = await chatUntil(waId, (m) => outbound(m).some((o) => o.status === 'read'));
    const [greeting] = outbound(messages);
    expect(greeting?.text).toMatch(/^Hi! Welcome to \*Polus Pizzeria \(demo\)\*/);
    expect(greeting?.kind).toBe('list');
    expect(greeting?.list?.sections.flatMap((s) => s.rows.map((r) => r.id))).toContain('menu.order');
    expect(greeting?.id).toMatch(/^wamid\./);
    // The customer's own message: shown first, and read once the bot marked it read.
    expect(messages[0]).toMatchObject({ id: sent.wamid, direction: 'in', kind: 'text', text: 'hi' });
    // Nothing went to the configured Graph address: the sink got it, through the bot's own client.
    expect(t.graph.requests).toHaveLength(0);
    // The bot recorded the status webhooks on its outbox record.
    const record = await t.bot.models.Outbox.findOne({ wamids: greeting?.id }).lean().exec();
    expect(record?.status).toBe('sent');
    expect(record?.deliveries.map((d) => d.status)).toEqual(['sent', 'delivered', 'read']);

    // A tap on the list row is a real list_reply: the catalog's menu comes back.
    await say(waId, { type: 'list', id: 'menu.order', title: 'Order' });
    const after = await chatUntil(waId, (m) => outbound(m).length >= 2);
    const menu = outbound(after)[1];
    expect(menu?.text).toContain('Here is our menu');
    expect(after.find((m) => m.kind === 'list_reply')?.reply).toEqual({ id: 'menu.order', title: 'Order' });

    // The state endpoint reads the sealed snapshot.
    const state = (await (
      await simApi('GET', `/state?phoneNumberId=${DEMO_PHONE_NUMBER_ID}&waId=${waId}`)
    ).json()) as { state: string; cart: unknown[]; language: string | null };
    expect(state.state).toMatch(/^ordering/);
    expect(state.cart).toEqual([]);
    // The conversation's language, which the page shows beside the state.
    expect(state.language).toBe('en');
    // The customer's messages turn read (blue ticks): the bot's mark-as-read calls reached the sink.
    const read = await chatUntil(waId, (m) => inbound(m).every((x) => x.status === 'read'));
    expect(inbound(read)).toHaveLength(2);

    // A button tap on the quantity question.
    await say(waId, { type: 'list', id: 'item:cola', title: 'Cola' });
    const qty = outbound(await chatUntil(waId, (m) => outbound(m).length >= 3))[2];
    expect(qty?.buttons?.map((b) => b.id)).toEqual(['qty:1', 'qty:2', 'qty:3']);
    await say(waId, { type: 'button', id: 'qty:2', title: '2' });
    const added = outbound(await chatUntil(waId, (m) => outbound(m).length >= 4))[3];
    expect(added?.text).toContain('Added: 2 × Cola.');
    const cart = (await (
      await simApi('GET', `/state?phoneNumberId=${DEMO_PHONE_NUMBER_ID}&waId=${waId}`)
    ).json()) as { cart: unknown[] };
    expect(cart.cart).toEqual([{ itemId: 'cola', name: 'Cola', quantity: 2 }]);
  });

  it('when the last message is delivered again, the bot does not answer twice', async () => {
    const waId = newWaId();
    await say(waId, { type: 'text', text: 'hi' });
    await chatUntil(waId, (m) => outbound(m).length === 1);
    await t.settled();
    const res = await simApi('POST', '/again', { phoneNumberId: DEMO_PHONE_NUMBER_ID, waId });
    expect(res.status).toBe(200);
    // The page's "delivered again" note: the bot had this wamid already, so its 200 was the dedupe.
    expect(await res.json()).toMatchObject({ webhookStatus: 200, duplicate: true });
    await t.settled();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(outbound(await chat(waId))).toHaveLength(1);
    // A chat with nothing to deliver again says so.
    const none = await simApi('POST', '/again', { phoneNumberId: DEMO_PHONE_NUMBER_ID, waId: newWaId() });
    expect(none.status).toBe(404);
  });

  it('when the customer asks what data the bot has, both export documents (PDF and JSON) can be downloaded', async () => {
    const waId = newWaId();
    await say(waId, { type: 'text', text: 'what data do you have on me' });
    const messages = await chatUntil(
      waId,
      (m) => outbound(m).filter((o) => o.kind === 'document').length === 2,
    );
    const [readable, doc] = outbound(messages).filter((o) => o.kind === 'document');
    expect(readable?.document?.filename).toMatch(/^my-data-\d{4}-\d\d-\d\d\.pdf$/);
    expect(readable?.document?.url).toMatch(/^\/sim\/api\/media\/\d+$/);
    const pdf = await fetch(`${t.bot.url}${readable?.document?.url}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    expect(doc?.document?.filename).toMatch(/^my-data-\d{4}-\d\d-\d\d\.json$/);
    expect(doc?.document?.url).toMatch(/^\/sim\/api\/media\/\d+$/);
    const res = await fetch(`${t.bot.url}${doc?.document?.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const exported = (await res.json()) as { schema: string; subject: { whatsappId?: string } };
    expect(exported.schema).toBe('polus-bot.data-export');
    expect(exported.subject.whatsappId).toBe(waId);
    expect((await fetch(`${t.bot.url}/sim/api/media/123`)).status).toBe(404);
  });

  it('shares a location as a real location message', async () => {
    const waId = newWaId();
    await say(waId, { type: 'location', latitude: 40.4, longitude: -3.7, name: 'Home' });
    const messages = await chatUntil(waId, (m) => outbound(m).length >= 1);
    expect(messages[0]?.location).toEqual({ latitude: 40.4, longitude: -3.7, name: 'Home' });
  });

  it('sends what the attach menu offers as Meta shapes: voice note, image, reaction, native order, form reply', async () => {
    const waId = newWaId();
    await say(waId, { type: 'text', text: 'hi' });
    await chatUntil(waId, (m) => outbound(m).length >= 1);

    // The catalogue the order picker offers: only items with a Meta retailer id, at our prices.
    const catalog = (await (
      await simApi('GET', `/catalog?phoneNumberId=${DEMO_PHONE_NUMBER_ID}`)
    ).json()) as {
      items: Array<{ retailerId: string; name: string; price: number }>;
    };
    expect(catalog.items).toContainEqual({
      retailerId: 'SKU-COLA',
      name: 'Cola',
      price: 2.5,
      available: true,
    });
    expect(catalog.items.map((i) => i.name)).not.toContain('Tiramisù');

    // A reaction shows under the bot's latest message; the bot does not answer it.
    const greeting = outbound(await chat(waId))[0];
    expect((await say(waId, { type: 'reaction', emoji: '👍' })).webhookStatus).toBe(200);
    expect((await chat(waId)).find((m) => m.id === greeting?.id)?.reaction).toBe('👍');

    // A native order becomes the cart (the parser read the order shape, the flow mapped the retailer ids).
    await say(waId, { type: 'order', items: [{ retailerId: 'SKU-COLA', quantity: 2 }] });
    const afterOrder = await chatUntil(waId, (m) => outbound(m).length >= 2);
    expect(afterOrder.some((m) => m.kind === 'order')).toBe(true);
    const cart = (await (
      await simApi('GET', `/state?phoneNumberId=${DEMO_PHONE_NUMBER_ID}&waId=${waId}`)
    ).json()) as { state: string; cart: unknown[] };
    expect(cart.cart).toEqual([{ itemId: 'cola', name: 'Cola', quantity: 2 }]);
    expect(outbound(afterOrder)[1]?.text).toContain('2 × Cola');

    // A form reply (an nfm_reply) where none is wanted: thanked, and the step's question again.
    await say(waId, { type: 'form', response: { street: 'Calle Mayor 5', city: 'Madrid' } });
    const afterForm = await chatUntil(waId, (m) => outbound(m).length >= 4);
    expect(outbound(afterForm)[2]?.text).toBe('Thanks, received.');

    // A voice note and a photo: real media messages with made-up ids, each answered.
    for (const message of [{ type: 'audio' }, { type: 'image', caption: 'my pizza' }]) {
      const before = outbound(await chat(waId)).length;
      expect((await say(waId, message)).webhookStatus).toBe(200);
      await chatUntil(waId, (m) => outbound(m).length > before);
    }
    expect((await chat(waId)).map((m) => m.kind)).toEqual(expect.arrayContaining(['audio', 'image', 'form']));
  });

  it('refuses a reaction in a chat with no bot message to react to', async () => {
    const res = await simApi('POST', '/messages', {
      phoneNumberId: DEMO_PHONE_NUMBER_ID,
      waId: newWaId(),
      message: { type: 'reaction', emoji: '👍' },
    });
    expect(res.status).toBe(404);
  });

  it('refuses invalid input with the fields named', async () => {
    const res = await simApi('POST', '/messages', {
      phoneNumberId: DEMO_PHONE_NUMBER_ID,
      waId: 'not-a-number',
      message: { type: 'text', text: '' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: Array<{ field: string }> } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['waId', 'message.text']));
  });

  it('serves the page and its script with a strict CSP, and escapes untrusted text before formatting it', async () => {
    const page = await fetch(`${t.bot.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    for (const id of ['business', 'name', 'phone', 'chat', 'text', 'again', 'show-state', 'lat', 'lon']) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('<script src="/sim/app.js"></script>');
    // A favicon, linked and served (no 404 for the browser's own /favicon.ico either).
    expect(html).toContain('<link rel="icon" href="/favicon.svg"');
    for (const icon of ['/favicon.svg', '/favicon.ico']) {
      const res = await fetch(`${t.bot.url}${icon}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('image/svg+xml');
      expect(await res.text()).toContain('<svg');
    }
    const script = await fetch(`${t.bot.url}/sim/app.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('function format(text)');

    // The formatter exactly as served, run in a fresh context (no DOM needed).
    const format = runInNewContext(`${FORMAT_JS}\nformat;`) as (text: string) => string;
    expect(format('*bold* _it_ ~gone~')).toBe('<strong>bold</strong> <em>it</em> <del>gone</del>');
    expect(format('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(format('*<img src=x onerror=alert(1)>*')).toBe(
      '<strong>&lt;img src=x onerror=alert(1)&gt;</strong>',
    );
    expect(format('a"b\'c&d')).toBe('a&quot;b&#39;c&amp;d');

    // The API hands untrusted text back as data, unchanged; only the page renders it (escaped).
    const waId = newWaId();
    await say(waId, { type: 'text', text: '<script>alert(1)</script>' });
    const [mine] = await chat(waId);
    expect(mine?.text).toBe('<script>alert(1)</script>');
    await t.settled();
  });

  it('keeps the customer number, name and text out of the logs', async () => {
    const before = t.logs.length;
    const waId = '447700900987';
    await say(waId, { type: 'text', text: 'pineapple xylophone' }, 'Zebedee Quintessa');
    await chatUntil(waId, (m) => outbound(m).some((o) => o.status === 'read'));
    await t.settled();
    const lines = t.logs.slice(before).join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of ['447700900987', '7700900987', 'Zebedee', 'Quintessa', 'pineapple', 'xylophone']) {
      expect(lines).not.toContain(secret);
    }
  });
});

describe('the simulator in production', () => {
  it('is off unless explicitly enabled, and its routes answer 404', async () => {
    const base = {
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://127.0.0.1:1',
      PUBLIC_BASE_URL: 'https://bot.example.com',
      PRIVACY_CONTACT_EMAIL: 'privacy@example.com',
      WHATSAPP_APP_SECRET: 'x'.repeat(32),
      WHATSAPP_VERIFY_TOKEN: 'y'.repeat(16),
      WHATSAPP_ACCESS_TOKEN: 'z'.repeat(16),
      ADMIN_TOKEN: 'a'.repeat(32),
      PRIVACY_PEPPER: 'p'.repeat(40),
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    };
    expect(loadConfig(base).simulator.enabled).toBe(false);
    expect(loadConfig({ ...base, SIMULATOR: 'on' }).simulator.enabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }, { ...base }).simulator.enabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', SIMULATOR: 'off' }, { ...base }).simulator.enabled).toBe(
      false,
    );
    expect(
      loadConfig({ NODE_ENV: 'development', WHATSAPP_API_BASE_URL: 'http://127.0.0.1:9' }, { ...base })
        .simulator.enabled,
    ).toBe(false);
    expect(() => loadConfig({ ...base, SIMULATOR: 'yes' })).toThrow(/SIMULATOR must be on or off/);

    const prod = await startTestBot('simulator-prod', {
      env: {
        NODE_ENV: 'production',
        PUBLIC_BASE_URL: 'https://bot.example.com',
        PRIVACY_CONTACT_EMAIL: 'privacy@example.com',
      },
    });
    try {
      expect(prod.bot.simulator).toBeUndefined();
      const checks: Array<[string, string]> = [
        ['GET', '/'],
        ['GET', '/sim/app.js'],
        ['GET', '/sim/api/businesses'],
        ['GET', `/sim/api/chat?phoneNumberId=${DEMO_PHONE_NUMBER_ID}&waId=34600111222`],
        ['POST', '/sim/api/messages'],
        ['POST', '/sim/graph/v24.0/100000000000001/messages'],
        ['POST', '/sim/graph/v24.0/100000000000001/media'],
      ];
      for (const [method, path] of checks) {
        const res = await fetch(`${prod.bot.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 404`);
      }
    } finally {
      await prod.close();
    }
  });
});
