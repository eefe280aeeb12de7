/**
 * The template registry end to end: the account id set by the operator only, a sync from a loopback Graph
 * stand-in serving two pages of message_templates, a status webhook that pauses a variant, mappings checked
 * against the templates, the resolver's language choice and misses, a template's opt-out button reaching the
 * opt-out, and the portal page (render, CSRF, a mapping saved).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_BUTTON_PAYLOADS } from '../../src/templates/purposes.js';
import { startTestBot, TEST_ACCESS_TOKEN, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { csrfOf, PortalClient } from '../helpers/portal-client.js';
import { configureBusiness } from '../helpers/webhook.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/whatsapp/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

const WABA = '109876543210001';
let t: TestBot;
let pnid: string;
let keyToken: string;

const values = { orderNumber: '1042', status: 'ready', businessName: 'Casa Plantilla' };

beforeAll(async () => {
  t = await startTestBot('templates');
  pnid = newPhoneNumberId();
  await configureBusiness(t, pnid, 'Casa Plantilla');
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'templates' });
  keyToken = ((await res.json()) as { key: string }).key;
});
afterAll(async () => {
  await t.close();
});

async function syncTwoPages(): Promise<Response> {
  t.graph.reset();
  t.graph.enqueue(
    { body: fixture('message-templates-page-1.json') },
    { body: fixture('message-templates-page-2.json') },
  );
  return t.admin('POST', `/admin/businesses/${pnid}/templates/sync`);
}

describe('templates', () => {
  it('when a business key sets the account id, then it is refused; the operator sets it', async () => {
    const refused = await t.admin('PATCH', `/admin/businesses/${pnid}`, { wabaId: WABA }, keyToken);
    expect(refused.status).toBe(403);
    const bad = await t.admin('PATCH', `/admin/businesses/${pnid}`, { wabaId: 'abc' });
    expect(bad.status).toBe(400);
    const ok = await t.admin('PATCH', `/admin/businesses/${pnid}`, { wabaId: WABA });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { wabaId: string }).wabaId).toBe(WABA);
  });

  it('when synced, then both pages are read with the token and the after cursor, and stored', async () => {
    const res = await syncTwoPages();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ count: 4, skipped: 0 });
    const [first, second] = t.graph.requests;
    expect(first?.method).toBe('GET');
    expect(first?.path).toMatch(new RegExp(`^/v[\\d.]+/${WABA}/message_templates$`));
    expect(first?.headers.authorization).toBe(`Bearer ${TEST_ACCESS_TOKEN}`);
    expect(first?.query.get('fields')).toContain('components');
    expect(first?.query.get('after')).toBeNull();
    expect(second?.query.get('after')).toBe('QVFIUnBKcE5nZAmt');
    expect(t.graph.requests).toHaveLength(2);
    const listed = await t.admin('GET', `/admin/businesses/${pnid}/templates`, undefined, keyToken);
    const body = (await listed.json()) as {
      templates: Array<{
        name: string;
        language: string;
        status: string;
        parameters: string[];
        unsupported?: string;
      }>;
      lastSync: { count: number };
    };
    expect(body.lastSync.count).toBe(4);
    const en = body.templates.find((x) => x.name === 'order_update' && x.language === 'en_US');
    expect(en?.parameters).toEqual(['1', '2', '3']);
    expect(body.templates.find((x) => x.name === 'spring_offer')?.unsupported).toContain('header');
  });

  it('when a mapping does not fit the template, then it is refused in words; a fitting one is saved', async () => {
    const wrong = await t.admin('PUT', `/admin/businesses/${pnid}/template-mappings`, {
      mappings: [{ purpose: 'order.status', template: 'order_update', parameters: ['orderNumber'] }],
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('has 3 placeholder(s), but 1 value(s) were chosen');
    const badButton = await t.admin('PUT', `/admin/businesses/${pnid}/template-mappings`, {
      mappings: [
        {
          purpose: 'order.status',
          template: 'order_update',
          parameters: ['orderNumber', 'status', 'businessName'],
          buttons: ['track', 'track'],
        },
      ],
    });
    expect(badButton.status).toBe(400);
    expect(await badButton.text()).toContain('not a quick-reply button');
    const ok = await t.admin(
      'PUT',
      `/admin/businesses/${pnid}/template-mappings`,
      {
        mappings: [
          {
            purpose: 'order.status',
            template: 'order_update',
            parameters: ['orderNumber', 'status', 'businessName'],
            buttons: ['track', '', 'optout'],
          },
          {
            purpose: 'staff.newOrder',
            template: 'staff_new_order',
            parameters: ['orderNumber', 'items', 'total', 'fulfilment'],
          },
        ],
      },
      keyToken,
    );
    expect(ok.status).toBe(200);
  });

  it('when resolved, then the customer’s variant, else the business’s language, with parameters and payloads', async () => {
    const es = await t.bot.templates.resolve(pnid, 'order.status', 'es', values);
    expect(es).toEqual({
      ok: true,
      choice: {
        name: 'order_update',
        language: 'es',
        bodyParameters: ['1042', 'ready', 'Casa Plantilla'],
        buttonPayloads: [TEMPLATE_BUTTON_PAYLOADS.track, '', TEMPLATE_BUTTON_PAYLOADS.optout],
      },
    });
    const de = await t.bot.templates.resolve(pnid, 'order.status', 'de', values);
    expect(de.ok && de.choice.language).toBe('en_US');
    expect(await t.bot.templates.resolve(pnid, 'order.status', 'en', { orderNumber: '1' })).toEqual({
      ok: false,
      miss: 'missing-value',
    });
    expect(await t.bot.templates.resolve(pnid, 'staff.handoff', 'en', values)).toEqual({
      ok: false,
      miss: 'no-mapping',
    });
    expect(await t.bot.templates.resolve(pnid, 'staff.newOrder', 'en', values)).toEqual({
      ok: false,
      miss: 'not-approved',
    });
  });

  it('when Meta pauses a variant by webhook, then the registry says so and the resolver falls back', async () => {
    const res = await t.postWebhook(fixture('template-status-update.json'));
    expect(res.status).toBe(200);
    const paused = await t.bot.models.Template.findOne({
      phoneNumberId: pnid,
      name: 'order_update',
      language: 'es',
    })
      .lean()
      .exec();
    expect(paused?.status).toBe('PAUSED');
    expect(paused?.reason).toBe('LOW_QUALITY_SCORE');
    const es = await t.bot.templates.resolve(pnid, 'order.status', 'es', values);
    expect(es.ok && es.choice.language).toBe('en_US');
  });

  it('when the customer taps the opt-out button of a template, then they are opted out', async () => {
    const waId = newWaId();
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550100123', phone_number_id: pnid },
                contacts: [{ profile: { name: 'Ana' }, wa_id: waId }],
                messages: [
                  {
                    from: waId,
                    id: newWamid(),
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    type: 'button',
                    button: { payload: TEMPLATE_BUTTON_PAYLOADS.optout, text: 'Stop updates' },
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    expect((await t.postWebhook(body)).status).toBe(200);
    await t.settled();
    expect(await t.bot.models.Suppression.countDocuments({ phoneNumberId: pnid, reason: 'opted-out' })).toBe(
      1,
    );
  });

  it('when Meta refuses the token, then the sync fails in words and the last sync says so', async () => {
    t.graph.reset();
    t.graph.enqueue({
      status: 401,
      body: { error: { message: 'Error validating access token', type: 'OAuthException', code: 190 } },
    });
    const res = await t.admin('POST', `/admin/businesses/${pnid}/templates/sync`);
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('access token');
    const templates = await t.bot.models.Template.countDocuments({ phoneNumberId: pnid });
    expect(templates).toBe(4); // a failed sync keeps what was there
  });

  it('when the portal page is opened and a mapping saved, then statuses show in words and CSRF is required', async () => {
    await syncTwoPages();
    const operator = new PortalClient(t.bot.url);
    expect((await operator.signIn(TEST_ADMIN_TOKEN)).status).toBe(303);
    const page = `/portal/b/${pnid}/templates`;
    const shown = await operator.get(page);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('data-testid="last-sync"');
    expect(shown.text).toContain('Last sync');
    expect(shown.text).toContain('Waiting for Meta’s review');
    expect(shown.text).toContain('data-testid="purpose-staff-handoff"');
    const forged = await operator.request('POST', `${page}/map/order.status`, {
      _csrf: 'forged',
      template: '',
    });
    expect(forged.status).toBe(403);
    const refused = await operator.submit(page, `${page}/map/order.status`, {
      template: 'order_update',
      p0: 'orderNumber',
      p1: '',
      p2: 'businessName',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Choose a value for each placeholder');
    const saved = await operator.submit(page, `${page}/map/order.status`, {
      template: 'order_update',
      p0: 'orderNumber',
      p1: 'status',
      p2: 'businessName',
      b0: 'menu',
    });
    expect(saved.status).toBe(303);
    const setup = await t.bot.templates.setup(pnid);
    expect(setup.mappings.find((m) => m.purpose === 'order.status')?.buttons).toEqual(['menu', '', '']);
    const key = new PortalClient(t.bot.url);
    await key.signIn(keyToken);
    const keyPage = await key.get(page);
    expect(keyPage.text).not.toContain('name="wabaId"');
    const keyPost = await key.request('POST', `${page}/account`, {
      _csrf: csrfOf(keyPage.text),
      wabaId: '123456',
    });
    expect(keyPost.status).toBe(403);
  });
});
