/**
 * The catalog list at a phone's width: each item a card (the table's rows stacked by the stylesheet's
 * narrow-width rules), the name first and every value with its label, Edit and Remove… in the card itself
 * rather than in a column scrolled off-screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newPhoneNumberId } from '../helpers/payloads.js';
import { PortalClient } from '../helpers/portal-client.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;
let c: PortalClient;
let pnid: string;

beforeAll(async () => {
  t = await startTestBot('portal-catalog-cards');
  pnid = newPhoneNumberId();
  await configureBusiness(t, pnid, 'Casa Cartas');
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'catalog' });
  const { key } = (await res.json()) as { key: string };
  c = new PortalClient(t.bot.url);
  expect((await c.signIn(key)).status).toBe(303);
});
afterAll(async () => {
  await t.close();
});

describe('catalog list', () => {
  it('when the list is shown, then it is a table of cards: name first, labelled values, Edit and Remove… in each card', async () => {
    const page = await c.get(`/portal/b/${pnid}/catalog`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<table class="stack cards" data-testid="catalog">');
    const row = /<tr data-testid="item-coffee">([^]*?)<\/tr>/.exec(page.text)?.[1] ?? '';
    const cells = [...row.matchAll(/<td([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(cells[0]).toBe(' class="name"');
    expect(row).toContain('<td class="name"><strong>Coffee</strong></td>');
    for (const label of ['Price', 'Category', 'Also called', 'Available', 'Id'])
      expect(row).toContain(`data-label="${label}"`);
    expect(row).toMatch(/<td class="actions"><a href="[^"]+\/coffee\/edit"[^>]*>Edit/);
    expect(row).toMatch(/<a href="[^"]+\/coffee\/remove"[^>]*>Remove…/);
    // The narrow-width rules that make the rows cards (and hide empty values) are in the page's stylesheet.
    const narrow = page.text.slice(page.text.indexOf('@media (max-width:40rem)'));
    expect(narrow).toContain('table.cards tr{border:1px solid #ccc');
    expect(narrow).toContain('table.cards td[data-label]::before{content:attr(data-label)');
    expect(narrow).toContain('table.cards td[data-label]:empty{display:none}');
  });
});
