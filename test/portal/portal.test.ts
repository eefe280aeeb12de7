/**
 * The business portal end to end: the whole bot on a random port, real HTTP with fetch and a hand-kept
 * cookie jar (as a browser without JavaScript would), the loopback Graph API stub for customer notices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Business } from '../../src/db/models/business.model.js';
import type { SettingsChange } from '../../src/db/models/settings-change.model.js';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { conversationId, repliesTo } from '../helpers/engine.js';
import { sampleOrder } from '../helpers/orders.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

interface Answer {
  status: number;
  location: string | null;
  text: string;
  setCookies: string[];
}

/** A cookie-keeping HTTP client: what a browser does, minus JavaScript. */
class Client {
  readonly jar = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(
    method: 'GET' | 'POST',
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text(), setCookies };
  }

  get(path: string): Promise<Answer> {
    return this.request('GET', path);
  }

  /** Posts a form with the CSRF token of the page it came from. */
  async submit(page: string, action: string, fields: Record<string, string>): Promise<Answer> {
    const from = await this.get(page);
    return this.request('POST', action, { _csrf: csrfOf(from.text), ...fields });
  }

  async signIn(token: string): Promise<Answer> {
    const page = await this.get('/portal/sign-in');
    return this.request('POST', '/portal/sign-in', { _csrf: csrfOf(page.text), token });
  }
}

function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

async function newKey(t: TestBot, pnid: string): Promise<{ id: string; key: string }> {
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'portal' });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string };
}

describe('business portal', () => {
  let t: TestBot;
  let pnid: string;
  let other: string;
  let key: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestBot('portal');
    pnid = newPhoneNumberId();
    other = newPhoneNumberId();
    await configureBusiness(t, pnid, 'Casa Portal');
    await configureBusiness(t, other, 'Otra Casa');
    key = await newKey(t, pnid);
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs the operator in with ADMIN_TOKEN: a cookie session, then the list of businesses', async () => {
    const c = new Client(t.bot.url);
    const answer = await c.signIn(TEST_ADMIN_TOKEN);
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/portal');
    const session = answer.setCookies.find((line) => line.startsWith('portal_session='));
    expect(session).toMatch(/; Path=\/portal; HttpOnly; SameSite=Strict/);
    expect(session).not.toMatch(/Secure/); // plain http outside production
    expect((await c.get('/portal')).location).toBe('/portal/businesses');
    const list = await c.get('/portal/businesses');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`href="/portal/b/${pnid}"`);
    expect(list.text).toContain('Otra Casa');
    // The operator reaches any business.
    expect((await c.get(`/portal/b/${other}`)).status).toBe(200);
    // Nothing secret in the session store: the stored id is a hash of the cookie's.
    const stored = await t.bot.models.PortalSession.find({}).lean().exec();
    expect(JSON.stringify(stored)).not.toContain(c.jar.get('portal_session'));
    expect(JSON.stringify(stored)).not.toContain(TEST_ADMIN_TOKEN);
  });

  it('signs a business in with its API key, and only to its own business (403 for another)', async () => {
    const c = new Client(t.bot.url);
    expect((await c.signIn(key.key)).status).toBe(303);
    expect((await c.get('/portal')).location).toBe(`/portal/b/${pnid}`);
    expect((await c.get('/portal/businesses')).location).toBe(`/portal/b/${pnid}`);
    const own = await c.get(`/portal/b/${pnid}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('Casa Portal');
    expect((await c.get(`/portal/b/${other}`)).status).toBe(403);
    expect((await c.get(`/portal/b/${other}/orders`)).status).toBe(403);
    const post = await c.submit(`/portal/b/${pnid}`, `/portal/b/${other}/ai`, { aiReplies: 'on' });
    expect(post.status).toBe(403);
    const untouched = await t.bot.models.Business.findOne({ phoneNumberId: other }).lean<Business>().exec();
    expect(untouched?.aiReplies).toBe(false);
  });

  it('refuses a POST without the CSRF token, with a wrong one, or from another origin (403)', async () => {
    const c = new Client(t.bot.url);
    await c.signIn(key.key);
    const page = await c.get(`/portal/b/${pnid}`);
    const token = csrfOf(page.text);
    const action = `/portal/b/${pnid}/ai`;
    expect((await c.request('POST', action, { aiReplies: 'on' })).status).toBe(403);
    expect((await c.request('POST', action, { aiReplies: 'on', _csrf: `${token}x` })).status).toBe(403);
    const foreign = await c.request(
      'POST',
      action,
      { aiReplies: 'on', _csrf: token },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    // Another session's token does not fit this one.
    const d = new Client(t.bot.url);
    await d.signIn(key.key);
    const otherToken = csrfOf((await d.get(`/portal/b/${pnid}`)).text);
    expect((await c.request('POST', action, { aiReplies: 'on', _csrf: otherToken })).status).toBe(403);
    const stored = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(stored?.aiReplies).toBe(false);
  });

  it('switches AI replies through the settings service: audited with the key, then the operator', async () => {
    const c = new Client(t.bot.url);
    await c.signIn(key.key);
    const on = await c.submit(`/portal/b/${pnid}`, `/portal/b/${pnid}/ai`, { aiReplies: 'on' });
    expect(on.status).toBe(303);
    // No AI endpoint is configured in these tests: the page says what customers really get.
    expect(on.location).toBe(`/portal/b/${pnid}?msg=ai-on-no-endpoint`);
    const after = (await c.get(on.location ?? '')).text;
    expect(after).toContain(
      'AI replies are switched on, but no AI endpoint is configured: customers get the standard replies.',
    );
    expect(after).toContain(
      'AI replies: <strong>On, but no AI endpoint is configured: customers get the standard replies.</strong>',
    );
    expect(after).not.toContain('AI replies are now on');
    const business = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(business?.aiReplies).toBe(true);

    const op = new Client(t.bot.url);
    await op.signIn(TEST_ADMIN_TOKEN);
    expect((await op.submit(`/portal/b/${pnid}`, `/portal/b/${pnid}/ai`, { aiReplies: 'off' })).status).toBe(
      303,
    );
    const changes = await t.bot.models.SettingsChange.find({ phoneNumberId: pnid, field: 'aiReplies' })
      .sort({ at: 1 })
      .lean<SettingsChange[]>()
      .exec();
    expect(changes.map((ch) => [ch.from, ch.to, ch.actor])).toEqual([
      [false, true, { kind: 'key', id: key.id }],
      [true, false, { kind: 'operator' }],
    ]);
  });

  it('edits the catalog: errors next to the field, valid items saved, business text escaped', async () => {
    const c = new Client(t.bot.url);
    await c.signIn(key.key);
    const catalog = `/portal/b/${pnid}/catalog`;
    const bad = await c.submit(catalog, catalog, { id: 'tea', name: '', price: 'cheap', available: 'on' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="new-item-price-error"[^>]*>must be a number/);
    expect(bad.text).toContain('id="new-item-name-error"');
    expect(bad.text).toContain('aria-invalid="true"');
    const tooPrecise = await c.submit(catalog, catalog, { id: 'tea', name: 'Tea', price: '1.234' });
    expect(tooPrecise.status).toBe(400);
    expect(tooPrecise.text).toMatch(/id="new-item-price-error"[^>]*>has more decimals than EUR allows/);

    const added = await c.submit(catalog, catalog, {
      id: 'tea',
      name: '<script>alert(1)</script>',
      price: '2,50',
      category: 'Drinks',
      available: 'on',
    });
    expect(added.status).toBe(303);
    const page = await c.get(catalog);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');

    const edit = `${catalog}/tea/edit`;
    expect((await c.get(edit)).text).toContain('value="2.5"');
    const badEdit = await c.submit(edit, `${catalog}/tea`, { id: 'coffee', name: 'Tea', price: '2.5' });
    expect(badEdit.status).toBe(400);
    expect(badEdit.text).toContain('duplicate item id');
    const saved = await c.submit(edit, `${catalog}/tea`, { id: 'tea', name: 'Green tea', price: '2.80' });
    expect(saved.status).toBe(303);
    let business = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(business?.catalog.find((i) => i.id === 'tea')).toMatchObject({
      name: 'Green tea',
      priceMinor: 280,
      available: false,
    });
    // Removal asks first, naming the item; the list only links to that page.
    expect((await c.get(catalog)).text).not.toContain(`action="${catalog}/tea/remove"`);
    const confirm = await c.get(`${catalog}/tea/remove`);
    expect(confirm.text).toContain('Remove Green tea?');
    expect(confirm.text).toContain('€2.80');
    expect((await c.get(`${catalog}/nope/remove`)).status).toBe(404);
    business = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(business?.catalog.map((i) => i.id)).toEqual(['coffee', 'tea']);
    expect((await c.submit(`${catalog}/tea/remove`, `${catalog}/tea/remove`, {})).status).toBe(303);
    business = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(business?.catalog.map((i) => i.id)).toEqual(['coffee']);

    const faq = `/portal/b/${pnid}/faq`;
    const badFaq = await c.submit(faq, faq, { question: 'Open on Sundays?', answer: '' });
    expect(badFaq.status).toBe(400);
    expect(badFaq.text).toContain('id="faq-new-answer-error"');
    expect((await c.submit(faq, faq, { question: 'Open on Sundays?', answer: 'Yes, 9–14.' })).status).toBe(
      303,
    );
    expect((await c.submit(faq, `${faq}/0`, { question: 'Sundays?', answer: 'Yes.' })).status).toBe(303);
    business = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(business?.faq).toEqual([{ question: 'Sundays?', answer: 'Yes.' }]);
  });

  it('edits an item\'s synonyms ("Also called"): comma-separated, stored as a list, shown escaped, bounded', async () => {
    const c = new Client(t.bot.url);
    await c.signIn(key.key);
    const catalog = `/portal/b/${pnid}/catalog`;
    const item = { id: 'cola', name: 'Cola', price: '2.50', available: 'on' };

    const tooLong = await c.submit(catalog, catalog, { ...item, synonyms: `coke, ${'x'.repeat(41)}` });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toMatch(
      /id="new-item-synonyms-error"[^>]*>each synonym must be at most 40 characters/,
    );
    expect(tooLong.text).toContain(`value="coke, ${'x'.repeat(41)}"`);

    const added = await c.submit(catalog, catalog, {
      ...item,
      synonyms: 'coke, , <b>coca</b> cola ,refresco',
    });
    expect(added.status).toBe(303);
    const business = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(business?.catalog.find((i) => i.id === 'cola')?.synonyms).toEqual([
      'coke',
      '<b>coca</b> cola',
      'refresco',
    ]);
    const page = await c.get(catalog);
    expect(page.text).toContain('<th scope="col">Also called</th>');
    expect(page.text).toContain('coke, &lt;b&gt;coca&lt;/b&gt; cola, refresco');
    expect(page.text).not.toContain('<b>coca</b>');
    expect((await c.get(`${catalog}/cola/edit`)).text).toContain(
      'value="coke, &lt;b&gt;coca&lt;/b&gt; cola, refresco"',
    );

    const cleared = await c.submit(`${catalog}/cola/edit`, `${catalog}/cola`, { ...item, synonyms: '' });
    expect(cleared.status).toBe(303);
    const after = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(after?.catalog.find((i) => i.id === 'cola')).not.toHaveProperty('synonyms');
    expect((await c.submit(catalog, `${catalog}/cola/remove`, {})).status).toBe(303);
  });

  it("edits an item's Meta catalogue retailer id: stored, shown in the edit form, a repeat refused by field", async () => {
    const c = new Client(t.bot.url);
    await c.signIn(key.key);
    const catalog = `/portal/b/${pnid}/catalog`;
    const cola = { id: 'cola', name: 'Cola', price: '2.50', available: 'on', retailerId: ' SKU-COLA ' };
    expect((await c.get(catalog)).text).toContain('Meta catalogue retailer id');

    expect((await c.submit(catalog, catalog, cola)).status).toBe(303);
    let business = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(business?.catalog.find((i) => i.id === 'cola')?.retailerId).toBe('SKU-COLA');
    expect((await c.get(`${catalog}/cola/edit`)).text).toContain('value="SKU-COLA"');

    const repeat = await c.submit(catalog, catalog, { ...cola, id: 'cola2', name: 'Cola 2' });
    expect(repeat.status).toBe(400);
    expect(repeat.text).toContain('duplicate Meta catalogue retailer id');

    expect(
      (await c.submit(`${catalog}/cola/edit`, `${catalog}/cola`, { ...cola, retailerId: '' })).status,
    ).toBe(303);
    business = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(business?.catalog.find((i) => i.id === 'cola')).not.toHaveProperty('retailerId');
    expect((await c.submit(catalog, `${catalog}/cola/remove`, {})).status).toBe(303);
  });

  it("edits an item's translations: one collapsible part per language, saved, shown again, refused by field, removed when emptied", async () => {
    const c = new Client(t.bot.url);
    await c.signIn(key.key);
    const catalog = `/portal/b/${pnid}/catalog`;
    const water = { id: 'water', name: 'Still water', price: '1.80', category: 'Drinks', available: 'on' };
    const form = (await c.get(catalog)).text;
    expect(form).toContain('<legend>Translations (optional)</legend>');
    expect(form).toMatch(
      /<details data-testid="new-item-tr-es"><summary>Español \(no translation\)<\/summary>/,
    );
    expect(form).toContain('<label for="new-item-tr-es-name">Name</label>');

    const tooLong = await c.submit(catalog, catalog, { ...water, 'tr-es-name': 'x'.repeat(101) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('<details data-testid="new-item-tr-es" open>');
    expect(tooLong.text).toContain('id="new-item-tr-es-name-error"');
    expect(tooLong.text).toContain(`value="${'x'.repeat(101)}"`);

    const added = await c.submit(catalog, catalog, {
      ...water,
      'tr-es-name': ' Agua sin gas ',
      'tr-es-category': 'Bebidas',
      'tr-fr-name': 'Eau <plate>',
      'tr-de-description': '',
    });
    expect(added.status).toBe(303);
    let business = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(business?.catalog.find((i) => i.id === 'water')?.translations).toEqual({
      es: { name: 'Agua sin gas', category: 'Bebidas' },
      fr: { name: 'Eau <plate>' },
    });
    const edit = (await c.get(`${catalog}/water/edit`)).text;
    expect(edit).toMatch(/<details data-testid="item-tr-es"><summary>Español \(translated\)<\/summary>/);
    expect(edit).toContain(
      'id="item-tr-es-name" name="tr-es-name" data-testid="item-tr-es-name" value="Agua sin gas"',
    );
    expect(edit).toContain('value="Eau &lt;plate&gt;"');
    expect(edit).not.toContain('Eau <plate>');

    // The edit form sends every language back: what it leaves empty is removed, the rest kept.
    const saved = await c.submit(`${catalog}/water/edit`, `${catalog}/water`, {
      ...water,
      'tr-es-name': 'Agua sin gas',
      'tr-es-category': 'Bebidas',
      'tr-fr-name': '',
    });
    expect(saved.status).toBe(303);
    business = await t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean<Business>().exec();
    expect(business?.catalog.find((i) => i.id === 'water')?.translations).toEqual({
      es: { name: 'Agua sin gas', category: 'Bebidas' },
    });

    const noToken = await c.request('POST', `${catalog}/water`, { ...water, 'tr-es-name': 'Agua' });
    expect(noToken.status).toBe(403);
    expect((await c.submit(catalog, `${catalog}/water/remove`, {})).status).toBe(303);
  });

  it('lists orders and changes a status: the customer is notified; a refused change is a message', async () => {
    const waId = newWaId();
    const res = await t.postWebhook(inboundText({ phoneNumberId: pnid, waId, wamid: newWamid() }, 'hi'));
    expect(res.status).toBe(200);
    await t.settled();
    t.graph.reset();
    const ref = conversationId(pnid, waId);
    const first = await t.bot.orders.placeOrder(sampleOrder(pnid, ref));
    const second = await t.bot.orders.placeOrder(sampleOrder(pnid, ref));

    const c = new Client(t.bot.url);
    await c.signIn(key.key);
    const orders = `/portal/b/${pnid}/orders`;
    const list = await c.get(orders);
    expect(list.status).toBe(200);
    expect(list.text.indexOf(`order-${second.orderNumber}"`)).toBeLessThan(
      list.text.indexOf(`order-${first.orderNumber}"`),
    );
    expect(list.text).not.toContain(waId);
    expect(list.text).not.toContain(ref);

    const changed = await c.submit(orders, `${orders}/${first.orderNumber}/status`, { status: 'confirmed' });
    expect(changed.status).toBe(303);
    expect(repliesTo(t.graph.requests, pnid, waId)).toEqual([
      `Your order ${first.orderNumber} is confirmed.`,
    ]);
    expect(changed.location).toBe(`${orders}?msg=order-updated-sent`);
    expect((await c.get(changed.location ?? '')).text).toContain(
      'Order status changed; the customer was sent a message about it.',
    );
    // The customer deleted their data while an order was under way: no message, and the page says so.
    await t.bot.models.Order.updateOne(
      { _id: second._id },
      { $set: { customerRef: 'anon:portal-test', anonymisedAt: new Date(), erasure: 'handover' } },
    );
    await c.submit(orders, `${orders}/${second.orderNumber}/status`, { status: 'confirmed' });
    const unnotified = await c.submit(orders, `${orders}/${second.orderNumber}/status`, {
      status: 'cancelled',
      confirm: 'yes',
    });
    expect(unnotified.location).toBe(`${orders}?msg=order-updated-customer-erased`);
    const after = await c.get(unnotified.location ?? '');
    expect(after.text).toContain('No one was notified: the customer deleted their data.');
    expect(repliesTo(t.graph.requests, pnid, waId)).toHaveLength(1);
    const filtered = await c.get(`${orders}?status=confirmed`);
    expect(filtered.text).toContain(`order-${first.orderNumber}"`);
    expect(filtered.text).not.toContain(`order-${second.orderNumber}"`);

    const refused = await c.submit(orders, `${orders}/${first.orderNumber}/status`, { status: 'placed' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('data-testid="problem"');
    expect(refused.text).toContain(`Order ${first.orderNumber}`);
  });

  it('lists privacy requests with their status and no customer identifiers', async () => {
    const waId = newWaId();
    const made = await t.admin('POST', `/admin/businesses/${pnid}/privacy-requests`, {
      type: 'opt-out',
      customer: `+${waId}`,
    });
    expect(made.status).toBe(201);
    const { request } = (await made.json()) as { request: { confirmationCode: string; status: string } };
    const c = new Client(t.bot.url);
    await c.signIn(key.key);
    const page = await c.get(`/portal/b/${pnid}/privacy`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`data-testid="privacy-${request.confirmationCode}"`);
    expect(page.text).toContain(request.status);
    expect(page.text).not.toContain(waId);
    expect(page.text).not.toContain(conversationId(pnid, waId));
  });

  it('signs out: the session ends and its cookie no longer opens a page', async () => {
    const c = new Client(t.bot.url);
    await c.signIn(key.key);
    const cookie = c.jar.get('portal_session');
    const out = await c.submit(`/portal/b/${pnid}`, '/portal/sign-out', {});
    expect(out.status).toBe(303);
    expect(out.location).toBe('/portal/sign-in?msg=signed-out');
    expect(out.setCookies.some((line) => /^portal_session=;.*Max-Age=0/.test(line))).toBe(true);
    const replay = await fetch(`${t.bot.url}/portal/b/${pnid}`, {
      redirect: 'manual',
      headers: { cookie: `portal_session=${cookie}` },
    });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/portal/sign-in?msg=session-ended');
  });
});

describe('business portal in production', () => {
  let t: TestBot;

  beforeAll(async () => {
    t = await startTestBot('portal-production', {
      env: {
        NODE_ENV: 'production',
        PUBLIC_BASE_URL: 'https://bot.example.com',
        PRIVACY_CONTACT_EMAIL: 'privacy@example.com',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('sets Secure cookies', async () => {
    const c = new Client(t.bot.url);
    const page = await c.get('/portal/sign-in');
    expect(page.setCookies[0]).toMatch(/; HttpOnly; SameSite=Strict; .*Secure/);
    const answer = await c.signIn(TEST_ADMIN_TOKEN);
    expect(answer.status).toBe(303);
    const session = answer.setCookies.find((line) => line.startsWith('portal_session='));
    expect(session).toMatch(/; Path=\/portal; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
  });

  it('refuses a wrong key, then rate-limits the address (429), logging nothing of the key', async () => {
    const c = new Client(t.bot.url);
    const wrong = 'pk_0123456789abcdef_thisIsNotTheRightSecretAtAllxxxxxxxxxxxxxxxxx';
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const answer = await c.signIn(wrong);
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('not valid');
      expect(answer.text).not.toContain(wrong);
    }
    const limited = await c.signIn(TEST_ADMIN_TOKEN); // even the right token waits
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many failed sign-ins');
    const logs = t.logs.join('\n');
    expect(logs).toContain('portal sign-in refused');
    expect(logs).not.toContain(wrong);
    expect(logs).not.toContain('thisIsNotTheRightSecret');
    expect(logs).not.toContain(TEST_ADMIN_TOKEN);
  });
});
