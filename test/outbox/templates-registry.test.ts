/**
 * The sending side through the real template registry (src/templates/registry.ts), not a stand-in: the
 * business's templates synced from the loopback Graph stand-in (fixtures from Meta's message_templates
 * reference, see test/fixtures/whatsapp/README.md), `order.status` mapped, and a status change 25 hours after
 * the customer last wrote goes out as the Spanish variant with the mapped parameters.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderStatusPhrase } from '../../src/language/order-status.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { configureBusiness, sendBody, sendsFor } from '../helpers/webhook.js';
import { customerOutsideWindow } from '../helpers/window.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/whatsapp/${name}`, import.meta.url), 'utf8'));

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot('outbox-templates-registry');
});
afterAll(async () => {
  await t.close();
});

it('when an order status changes 25 hours after the customer last wrote, then the mapped template goes out in their language through the registry', async () => {
  const pnid = newPhoneNumberId();
  const waId = newWaId();
  await configureBusiness(t, pnid, 'Casa Registro');
  expect((await t.admin('PATCH', `/admin/businesses/${pnid}`, { wabaId: '109876543210001' })).status).toBe(
    200,
  );
  t.graph.enqueue(
    { body: fixture('message-templates-page-1.json') },
    { body: fixture('message-templates-page-2.json') },
  );
  expect((await t.admin('POST', `/admin/businesses/${pnid}/templates/sync`)).status).toBe(200);
  const mapped = await t.admin('PUT', `/admin/businesses/${pnid}/template-mappings`, {
    mappings: [
      {
        purpose: 'order.status',
        template: 'order_update',
        parameters: ['orderNumber', 'status', 'businessName'],
      },
    ],
  });
  expect(mapped.status).toBe(200);
  await customerOutsideWindow(t, pnid, waId);

  const res = await t.admin('PATCH', `/admin/businesses/${pnid}/orders/1001`, { status: 'confirmed' });

  expect(res.status).toBe(200);
  const [send] = sendsFor(t, pnid);
  expect(send && sendBody(send)).toMatchObject({
    to: `+${waId}`,
    type: 'template',
    template: {
      name: 'order_update',
      language: { code: 'es' },
      components: [
        {
          type: 'body',
          parameters: ['1001', orderStatusPhrase('es', 'confirmed'), 'Casa Registro'].map((text) => ({
            type: 'text',
            text,
          })),
        },
      ],
    },
  });
});
