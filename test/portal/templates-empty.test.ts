/**
 * The templates page of a business with no templates and no WhatsApp Business Account id: the
 * per-message forms wait behind a short explanation, and the disabled "Sync from Meta" says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newPhoneNumberId } from '../helpers/payloads.js';
import { PortalClient } from '../helpers/portal-client.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;
let pnid: string;
let key: PortalClient;
let operator: PortalClient;

beforeAll(async () => {
  t = await startTestBot('portal-templates-empty');
  pnid = newPhoneNumberId();
  await configureBusiness(t, pnid, 'Casa Sin Plantillas');
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'templates' });
  const { key: token } = (await res.json()) as { key: string };
  key = new PortalClient(t.bot.url);
  expect((await key.signIn(token)).status).toBe(303);
  operator = new PortalClient(t.bot.url);
  expect((await operator.signIn(TEST_ADMIN_TOKEN)).status).toBe(303);
});
afterAll(async () => {
  await t.close();
});

describe('templates page with nothing set up', () => {
  it('when there are no templates and no account id, then the forms wait behind an explanation and the disabled sync says why', async () => {
    const page = await key.get(`/portal/b/${pnid}/templates`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="no-templates"');
    // The forms are inside the closed <details>, not on the page's face.
    const details = page.text.indexOf('data-testid="mappings-hidden"');
    expect(details).toBeGreaterThan(-1);
    expect(page.text.indexOf('data-testid="purpose-order-status"')).toBeGreaterThan(details);
    expect(page.text).toMatch(/data-testid="sync" disabled aria-describedby="sync-off"/);
    expect(page.text).toContain(
      'Sync is not available yet: no WhatsApp Business Account id is set. The operator sets it; ask them to.',
    );
    // The operator is told to enter it; once set, the button works and the note goes.
    expect((await operator.get(`/portal/b/${pnid}/templates`)).text).toContain('Enter it above and save.');
    const res = await t.admin('PATCH', `/admin/businesses/${pnid}`, { wabaId: '109876543210001' });
    expect(res.status).toBe(200);
    const after = await key.get(`/portal/b/${pnid}/templates`);
    expect(after.text).not.toContain('data-testid="sync-off"');
    expect(after.text).toMatch(/data-testid="sync">Sync from Meta/);
  });
});
