/**
 * Business-initiated messages outside the 24-hour window (issue 16): an order status notice or a staff alert
 * goes out as the business's approved template through the real sender and WhatsApp client, against the
 * loopback Graph stand-in; with no template mapped it is skipped with the reason, and the portal's notices
 * page says so; a template error from Meta (132001) is recorded with its meaning and not retried.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BusinessData } from '../../src/businesses/schema.js';
import { storeReplies } from '../../src/conversation/replies.js';
import { CustomerIdentities } from '../../src/customers/identity.js';
import type { InboxEntry } from '../../src/db/models/inbox.model.js';
import type { OutboxEntry } from '../../src/db/models/outbox.model.js';
import { orderStatusPhrase } from '../../src/language/order-status.js';
import { SERVICE_WINDOW_MS, createSender } from '../../src/outbox/sender.js';
import { graphErrorBody } from '../../src/simulator/fake-graph.js';
import type { TemplatePurpose, TemplateResolver } from '../../src/templates/types.js';
import { createWhatsAppClient } from '../../src/whatsapp/client.js';
import { TEST_ACCESS_TOKEN, TEST_PEPPER, startTestBot, testSealer } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { conversationId } from '../helpers/engine.js';
import { PortalClient } from '../helpers/portal-client.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { configureBusiness, sendBody, sendsFor } from '../helpers/webhook.js';
import { customerOutsideWindow as outsideWindow } from '../helpers/window.js';

/** Businesses whose templates are "mapped" in the stub resolver, and every question it was asked. */
const mapped = new Set<string>();
const asked: Array<{
  pnid: string;
  purpose: TemplatePurpose;
  language: string;
  values: Record<string, string>;
}> = [];
/** A stand-in for the template registry (h16a builds the real one): one template per purpose, values in order. */
const templates: TemplateResolver = {
  resolve: (pnid, purpose, language, values) => {
    asked.push({ pnid, purpose, language, values });
    if (!mapped.has(pnid)) return Promise.resolve({ ok: false, miss: 'no-mapping' });
    const order: Record<TemplatePurpose, string[]> = {
      'order.status': ['orderNumber', 'status', 'businessName'],
      'staff.newOrder': ['orderNumber', 'items', 'total', 'fulfilment'],
      'staff.handoff': ['businessName'],
      'staff.cancellation': ['orderNumber'],
      'staff.reply': ['businessName'],
      reminder: [],
      'staff.booking': ['appointmentNumber', 'service', 'when'],
      'appointment.notice': ['businessName', 'appointmentNumber', 'what', 'when', 'change'],
    };
    return Promise.resolve({
      ok: true,
      choice: {
        name: purpose.replace('.', '_').toLowerCase(),
        language,
        bodyParameters: order[purpose].map((k) => values[k] ?? ''),
      },
    });
  },
};

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('outbox-templates', { bot: { templates } });
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.graph.reset();
});

/** A business and a Spanish-speaking customer whose last message is 25 hours old, with order 1001 placed. */
async function customerOutsideWindow(name: string, withTemplates: boolean) {
  const pnid = newPhoneNumberId();
  const waId = newWaId();
  await configureBusiness(t, pnid, name);
  if (withTemplates) mapped.add(pnid);
  const ref = await outsideWindow(t, pnid, waId);
  return { pnid, waId, ref };
}

async function notice(pnid: string): Promise<OutboxEntry> {
  const record = await t.bot.models.Outbox.findOne({
    phoneNumberId: pnid,
    inboundWamid: { $regex: '^order:' },
  })
    .lean<OutboxEntry>()
    .exec();
  if (!record) throw new Error('no notice stored');
  return record;
}

async function noticesPage(pnid: string): Promise<string> {
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'notices' });
  expect(res.status).toBe(201);
  const { key } = (await res.json()) as { key: string };
  const c = new PortalClient(t.bot.url);
  expect((await c.signIn(key)).status).toBe(303);
  const page = await c.get(`/portal/b/${pnid}/notices`);
  expect(page.status).toBe(200);
  return page.text;
}

describe('order status notice outside the 24-hour window', () => {
  it('when a status changes 25 hours after the customer last wrote and a template maps, then the template goes out with the number, the status in Spanish and the business name', async () => {
    const { pnid, waId } = await customerOutsideWindow('Casa Plantillas', true);

    const res = await t.admin('PATCH', `/admin/businesses/${pnid}/orders/1001`, { status: 'confirmed' });

    expect(res.status).toBe(200);
    const sends = sendsFor(t, pnid);
    expect(sends).toHaveLength(1);
    const status = orderStatusPhrase('es', 'confirmed');
    expect(status).not.toBe(orderStatusPhrase('en', 'confirmed'));
    expect(sendBody(sends[0]!)).toMatchObject({
      to: `+${waId}`,
      type: 'template',
      template: {
        name: 'order_status',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: '1001' },
              { type: 'text', text: status },
              { type: 'text', text: 'Casa Plantillas' },
            ],
          },
        ],
      },
    });
    const record = await notice(pnid);
    expect(record).toMatchObject({
      status: 'sent',
      attempts: 1,
      templatePurpose: 'order.status',
      template: { name: 'order_status', language: 'es' },
    });
    // Settled: neither the text nor the template's values stay on the record.
    expect(record).not.toHaveProperty('sealedMessage');
    expect(record).not.toHaveProperty('sealedFallback');
    expect(await noticesPage(pnid)).toContain('Sent by template “order_status”');
  });

  it('when no template maps, then nothing is sent, the record says why and the notices page shows it was not sent', async () => {
    const { pnid } = await customerOutsideWindow('Casa Sin Plantillas', false);

    const res = await t.admin('PATCH', `/admin/businesses/${pnid}/orders/1001`, { status: 'confirmed' });

    expect(res.status).toBe(200);
    expect(sendsFor(t, pnid)).toEqual([]);
    expect(asked.filter((a) => a.pnid === pnid).map((a) => [a.purpose, a.language])).toEqual([
      ['order.status', 'es'],
    ]);
    expect(await notice(pnid)).toMatchObject({
      status: 'skipped',
      skippedReason: 'outside-24h-window',
      templateMiss: 'no-mapping',
      templateNeeded: true,
    });
    const html = await noticesPage(pnid);
    expect(html).toContain('Order status notice: confirmed');
    expect(html).toContain('Not sent: outside the 24-hour window and no template is mapped');
    expect(html).not.toContain('Sent by template');
  });

  it('when Meta answers 132001 (no such template in that language), then the record keeps the code and its meaning and is not retried', async () => {
    const { pnid } = await customerOutsideWindow('Casa Error', true);
    t.graph.enqueue({
      status: 404,
      body: graphErrorBody(132001, '(#132001) Template name does not exist in the translation', 'AbCdEf'),
    });

    const res = await t.admin('PATCH', `/admin/businesses/${pnid}/orders/1001`, { status: 'confirmed' });

    expect(res.status).toBe(200);
    expect(sendsFor(t, pnid)).toHaveLength(1);
    const record = await notice(pnid);
    expect(record).toMatchObject({
      status: 'failed',
      attempts: 1,
      template: { name: 'order_status', language: 'es' },
      error: { code: 132001, meaning: expect.stringContaining('does not exist in that language') as string },
    });
    expect(record).not.toHaveProperty('nextAttemptAt');
    expect(await noticesPage(pnid)).toContain(
      'Template “order_status” rejected by Meta: the template does not exist in that language',
    );
  });
});

describe('staff alert outside the window', () => {
  it('when a new order is announced to a staff number that never wrote to the bot, then its template reaches that number', async () => {
    const pnid = newPhoneNumberId();
    const staffWaId = newWaId();
    const put = await t.admin('PUT', `/admin/businesses/${pnid}`, {
      name: 'Casa Alertas',
      currency: 'EUR',
      catalog: [{ id: 'coffee', name: 'Coffee', price: 1.2 }],
      adminNumbers: [staffWaId],
    });
    expect([200, 201]).toContain(put.status);
    mapped.add(pnid);
    const business = { phoneNumberId: pnid, adminNumbers: [staffWaId], locale: 'en' } as BusinessData;
    const entry = { _id: newWamid(), phoneNumberId: pnid, customerRef: 'c-1', kind: 'user' } as InboxEntry;
    const identities = new CustomerIdentities({
      models: t.bot.models,
      pepper: TEST_PEPPER,
      retentionMs: 86_400_000,
    });
    const stored = await storeReplies(
      { Outbox: t.bot.models.Outbox, sealer: testSealer(), identities },
      entry,
      business,
      [
        {
          type: 'notify.staff',
          text: 'New order 1001',
          template: {
            purpose: 'staff.newOrder',
            values: { orderNumber: '1001', items: '2× Coffee', total: '€2.40', fulfilment: 'Pickup' },
          },
        },
      ],
    );
    const deliver = createSender({
      Outbox: t.bot.models.Outbox,
      Customer: t.bot.models.Customer,
      client: createWhatsAppClient({
        baseUrl: t.graph.url,
        apiVersion: t.config.whatsapp.apiVersion,
        accessToken: TEST_ACCESS_TOKEN,
      }),
      canSend: true,
      sealer: testSealer(),
      logger: pino({ level: 'silent' }),
      templates,
    });

    expect(stored).toHaveLength(1);
    expect(await deliver(stored![0]!)).toBe('sent');

    const [send] = sendsFor(t, pnid);
    expect(send && sendBody(send)).toMatchObject({
      to: `+${staffWaId}`,
      type: 'template',
      template: {
        name: 'staff_neworder',
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: ['1001', '2× Coffee', '€2.40', 'Pickup'].map((text) => ({ type: 'text', text })),
          },
        ],
      },
    });
    const record = await t.bot.models.Outbox.findById(stored![0]!._id).lean<OutboxEntry>().exec();
    expect(record).toMatchObject({ audience: 'staff', status: 'sent', templatePurpose: 'staff.newOrder' });
  });
});

describe('staff reply from the inbox outside the window', () => {
  /** A customer who asked for a person, taken by staff, whose last message is now 25 hours old. */
  async function takenOutsideWindow(withTemplates: boolean) {
    const pnid = newPhoneNumberId();
    const waId = newWaId();
    await configureBusiness(t, pnid, 'Casa Respuesta');
    if (withTemplates) mapped.add(pnid);
    expect(
      (await t.postWebhook(inboundText({ phoneNumberId: pnid, waId, wamid: newWamid() }, '4'))).status,
    ).toBe(200);
    await t.settled();
    const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'inbox' });
    const { key } = (await res.json()) as { key: string };
    const c = new PortalClient(t.bot.url);
    expect((await c.signIn(key)).status).toBe(303);
    const inbox = await c.get(`/portal/b/${pnid}/inbox`);
    const id = /data-testid="handoff-([A-Za-z0-9_-]+)"/.exec(inbox.text)?.[1];
    if (!id) throw new Error('no handoff in the inbox');
    const thread = `/portal/b/${pnid}/inbox/${id}`;
    expect((await c.submit(thread, `${thread}/take`, {})).status).toBe(303);
    await t.settled();
    await t.bot.models.Customer.updateOne(
      { _id: conversationId(pnid, waId) },
      { $set: { lastInboundAt: new Date(Date.now() - SERVICE_WINDOW_MS - 3_600_000) } },
    ).exec();
    t.graph.reset();
    return { pnid, waId, c, thread };
  }

  it('when a template maps, then Send offers it and sends the approved template', async () => {
    const { pnid, waId, c, thread } = await takenOutsideWindow(true);
    const page = await c.get(thread);
    expect(page.text).toContain('data-testid="template-form"');
    expect(page.text).toContain('Send the approved template');
    const replyId = /name="replyId" value="([0-9a-f-]{36})"/.exec(page.text)?.[1] ?? '';

    const sent = await c.submit(thread, `${thread}/template`, { replyId });

    expect(sent.status).toBe(303);
    expect(sent.location).toContain('msg=reply-sent');
    const [send] = sendsFor(t, pnid);
    expect(send && sendBody(send)).toMatchObject({
      to: `+${waId}`,
      type: 'template',
      template: {
        name: 'staff_reply',
        components: [{ type: 'body', parameters: [{ text: 'Casa Respuesta' }] }],
      },
    });
  });

  it('when no template maps, then the page says so and links to the templates page', async () => {
    const { pnid, c, thread } = await takenOutsideWindow(false);
    const page = await c.get(thread);
    expect(page.text).not.toContain('data-testid="template-form"');
    expect(page.text).toContain('No approved template is mapped for a staff reply');
    expect(page.text).toContain(`href="/portal/b/${pnid}/templates"`);
  });
});
