/**
 * The notices page and the overview for a business with no staff number: they say plainly that staff
 * alerts reach the portal only, and the notices page lists the staff events of the last 7 days (new
 * orders, requests for a person, customers' own cancellations) as not sent, read from the orders and
 * handoffs since no alert was ever stored. With a staff number, neither the warning nor those rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { sampleOrder } from '../helpers/orders.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { PortalClient } from '../helpers/portal-client.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;
let operator: PortalClient;

beforeAll(async () => {
  t = await startTestBot('portal-notices');
  operator = new PortalClient(t.bot.url);
  expect((await operator.signIn(TEST_ADMIN_TOKEN)).status).toBe(303);
});
afterAll(async () => {
  await t.close();
});

/** A business with one order cancelled by its customer, one order still placed, and one request for a person. */
async function businessWithEvents(): Promise<{ pnid: string; kept: number; cancelled: number }> {
  const pnid = newPhoneNumberId();
  await configureBusiness(t, pnid, 'Casa Avisos');
  const ref = `ref-${newWaId()}`;
  const kept = (await t.bot.orders.placeOrder(sampleOrder(pnid, ref))).orderNumber;
  const cancelled = (await t.bot.orders.placeOrder(sampleOrder(pnid, ref))).orderNumber;
  await t.bot.orders.cancelByCustomer(pnid, ref, cancelled);
  await t.bot.handoffs.opened({
    id: `h-${newWaId()}`,
    phoneNumberId: pnid,
    customerRef: ref,
    language: 'en',
    at: new Date(),
  });
  return { pnid, kept, cancelled };
}

const rowsOf = (html: string): string[] =>
  [...html.matchAll(/<tr data-testid="notice-row"[^>]*>([^]*?)<\/tr>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );

describe('no staff numbers', () => {
  it('when the business has none, then the notices page and the overview say so, and its staff events are listed as not sent', async () => {
    const { pnid, kept, cancelled } = await businessWithEvents();

    const notices = await operator.get(`/portal/b/${pnid}/notices`);
    expect(notices.status).toBe(200);
    expect(notices.text).toContain('data-testid="no-staff-numbers"');
    expect(notices.text).toContain(
      'new orders, handoffs and cancellations are shown here in the portal only, not sent to WhatsApp. The operator can add staff numbers in',
    );
    const rows = rowsOf(notices.text);
    for (const kind of [
      `New order ${kept}`,
      `New order ${cancelled}`,
      `Order ${cancelled} cancelled by the customer`,
      'A customer asked for a person',
    ])
      expect(
        rows.some((r) => r.includes(kind) && r.includes('Not sent: no staff numbers')),
        kind,
      ).toBe(true);
    expect(rows).toHaveLength(4);

    const overview = await operator.get(`/portal/b/${pnid}`);
    expect(overview.text).toContain('data-testid="no-staff-numbers"');
  });

  it('when the business has a staff number, then no warning and no made-up rows', async () => {
    const { pnid } = await businessWithEvents();
    const res = await t.admin('PATCH', `/admin/businesses/${pnid}`, { adminNumbers: ['34600111222'] });
    expect(res.status).toBe(200);

    const notices = await operator.get(`/portal/b/${pnid}/notices`);
    expect(notices.text).not.toContain('data-testid="no-staff-numbers"');
    expect(rowsOf(notices.text).some((r) => r.includes('no staff numbers'))).toBe(false);
    expect((await operator.get(`/portal/b/${pnid}`)).text).not.toContain('data-testid="no-staff-numbers"');
  });
});
