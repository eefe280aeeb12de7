/**
 * The business's own access log in the portal, and times on the business's clock: the whole bot on a random
 * port, real HTTP with a cookie jar. A business in Europe/Madrid sees 14:05 for 13:05 UTC in winter in an
 * inbox conversation and in its access log; every view of a customer's details (an order's customer, an inbox
 * conversation, the inbox list with names) is listed newest first, 50 a page, in words, with who viewed it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { conversationId, repliesTo } from '../helpers/engine.js';
import { sampleOrder } from '../helpers/orders.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { PortalClient } from '../helpers/portal-client.js';

/** 13:05 UTC on a winter day: 14:05 in Madrid (CET, UTC+1). */
const WINTER = new Date('2026-01-15T13:05:00Z');

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('portal-access-log');
});
afterAll(async () => {
  await t.close();
});

/** A business in Madrid, signed in with its own key labelled "front desk". */
async function madridBusiness(): Promise<{ pnid: string; c: PortalClient; keyId: string }> {
  const pnid = newPhoneNumberId();
  const put = await t.admin('PUT', `/admin/businesses/${pnid}`, {
    name: 'Casa Madrid',
    currency: 'EUR',
    timeZone: 'Europe/Madrid',
    catalog: [{ id: 'coffee', name: 'Coffee', price: 1.2 }],
  });
  expect([200, 201]).toContain(put.status);
  const made = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'front desk' });
  expect(made.status).toBe(201);
  const key = (await made.json()) as { id: string; key: string };
  const c = new PortalClient(t.bot.url);
  expect((await c.signIn(key.key)).status).toBe(303);
  return { pnid, c, keyId: key.id };
}

async function say(pnid: string, waId: string, text: string, name?: string): Promise<void> {
  const res = await t.postWebhook(
    inboundText({ phoneNumberId: pnid, waId, wamid: newWamid(), ...(name ? { name } : {}) }, text),
  );
  expect(res.status).toBe(200);
  await t.settled();
}

describe('times on the business’s clock', () => {
  it('when a Madrid business opens a conversation whose message came at 13:05 UTC in winter, then it reads 14:05', async () => {
    const { pnid, c } = await madridBusiness();
    const waId = newWaId();
    await say(pnid, waId, '4');
    await say(pnid, waId, 'Is the terrace open?');
    const handoff = await t.bot.models.Handoff.findOne({ phoneNumberId: pnid }).exec();
    if (!handoff) throw new Error('no handoff');
    handoff.openedAt = WINTER;
    for (const m of handoff.messages) m.at = WINTER;
    await handoff.save();

    const page = await c.get(`/portal/b/${pnid}/inbox/${handoff._id}`);

    expect(page.status).toBe(200);
    expect(page.text).toContain('Is the terrace open?');
    expect(page.text).toMatch(/<time datetime="2026-01-15T13:05:00.000Z">[^<]*14:05<\/time>/);
    expect(page.text).toMatch(/asked [^<]*14:05/);
    expect(page.text).not.toMatch(/13:05(?!:00\.000Z)/);
    expect(page.text).toContain('Times in Europe/Madrid');
  });

  it('when a customer of a Madrid business asks for their data, then an order placed at 23:30 UTC is dated the next day, as in Madrid', async () => {
    const { pnid } = await madridBusiness();
    const waId = newWaId();
    await say(pnid, waId, 'hi');
    const order = await t.bot.orders.placeOrder(sampleOrder(pnid, conversationId(pnid, waId)));
    await t.bot.models.Order.updateOne(
      { _id: order._id },
      { $set: { placedAt: new Date('2026-01-15T23:30:00Z') } },
    ).exec();
    t.graph.reset();

    await say(pnid, waId, 'what data do you have on me?');

    const replies = repliesTo(t.graph.requests, pnid, waId).join('\n');
    expect(replies).toContain(`• ${order.orderNumber}, Jan 16, 2026,`);
    expect(replies).not.toContain('Jan 15, 2026');
  });

  it('when a Madrid business lists a privacy request received at 23:30 UTC, then it shows the next day, as in Madrid', async () => {
    const { pnid, c } = await madridBusiness();
    const made = await t.admin('POST', `/admin/businesses/${pnid}/privacy-requests`, {
      type: 'opt-out',
      customer: `+${newWaId()}`,
    });
    expect(made.status).toBe(201);
    const { request } = (await made.json()) as { request: { confirmationCode: string } };
    await t.bot.models.PrivacyRequest.updateOne(
      { phoneNumberId: pnid, confirmationCode: request.confirmationCode },
      { $set: { receivedAt: new Date('2026-01-15T23:30:00Z') } },
    ).exec();

    const page = await c.get(`/portal/b/${pnid}/privacy`);

    const row = new RegExp(`data-testid="privacy-${request.confirmationCode}">(.*?)</tr>`).exec(
      page.text,
    )?.[1];
    expect(row).toContain('<td>16 Jan 2026</td>');
    expect(row).not.toContain('2026-01-15');
  });
});

describe('the access log page', () => {
  it('when staff view an order’s customer, an inbox conversation and the inbox list, then the log lists each in words, newest first, on the business’s clock, with the key', async () => {
    const { pnid, c, keyId } = await madridBusiness();
    const waId = newWaId();
    await say(pnid, waId, 'hi', 'María José');
    const order = await t.bot.orders.placeOrder(sampleOrder(pnid, conversationId(pnid, waId)));
    expect((await c.get(`/portal/b/${pnid}/inbox`)).text).toContain('Nobody is waiting');
    // An empty inbox list shows nobody: no record.
    expect(await t.bot.models.AccessLog.countDocuments({ phoneNumberId: pnid })).toBe(0);

    expect((await c.get(`/portal/b/${pnid}/orders/${order.orderNumber}`)).status).toBe(200);
    await say(pnid, waId, '4', 'María José');
    const list = await c.get(`/portal/b/${pnid}/inbox`);
    expect(list.text).toContain('María José'); // the list shows the name: a view of customer details
    const id = /data-testid="handoff-([A-Za-z0-9_-]+)"/.exec(list.text)?.[1] ?? '';
    // A live refresh of the list or the conversation a moment later is the same view: one entry per ten minutes.
    expect((await c.get(`/portal/b/${pnid}/inbox`)).status).toBe(200);
    expect((await c.get(`/portal/b/${pnid}/inbox/${id}`)).status).toBe(200);
    expect((await c.get(`/portal/b/${pnid}/inbox/${id}`)).status).toBe(200);
    const recorded = await t.bot.models.AccessLog.find({ phoneNumberId: pnid }).sort({ at: 1 }).lean().exec();
    expect(recorded.map((r) => [r.what, r.ref])).toEqual([
      ['order.customer', String(order.orderNumber)],
      ['handoff.list', 'inbox'],
      ['handoff.thread', id],
    ]);
    // The order view happened at 13:05 UTC in winter.
    await t.bot.models.AccessLog.updateOne({ _id: recorded[0]?._id }, { $set: { at: WINTER } }).exec();

    const page = await c.get(`/portal/b/${pnid}/access-log`);

    expect(page.status).toBe(200);
    const rows = [...page.text.matchAll(/<tr data-testid="access-[^"]+">(.*?)<\/tr>/g)].map(
      (m) => m[1] ?? '',
    );
    // Newest first: this visit to the log is not a view of a customer (not recorded).
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('An inbox conversation (the customer’s name and messages)');
    expect(rows[0]).toContain(`href="/portal/b/${pnid}/inbox/${id}"`);
    expect(rows[1]).toContain('The inbox list');
    expect(rows[2]).toContain('An order’s customer details');
    expect(rows[2]).toContain(`>Order ${order.orderNumber}</a>`);
    expect(rows[2]).toContain('15 Jan 2026, 14:05');
    for (const r of rows) expect(r).toContain(`Key “front desk” (${keyId})`);
    for (const raw of ['order.customer', 'handoff.thread', 'handoff.list', waId, 'María'])
      expect(page.text).not.toContain(raw);
    expect(page.text).toContain('data-testid="nav-access-log"');
  });

  it('when the log has 60 entries, then it shows 50 a page, newest first, and another business’s key cannot open it', async () => {
    const { pnid, c } = await madridBusiness();
    const start = Date.parse('2026-03-01T09:00:00Z');
    await t.bot.models.AccessLog.insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        _id: `entry-${String(i).padStart(2, '0')}`,
        phoneNumberId: pnid,
        actor: { kind: 'operator' },
        what: 'order.customer',
        ref: String(1000 + i),
        at: new Date(start + i * 60_000),
        expiresAt: new Date(start + 400 * 86_400_000),
      })),
    );

    const first = await c.get(`/portal/b/${pnid}/access-log`);
    const second = await c.get(`/portal/b/${pnid}/access-log?page=2`);
    const other = await madridBusiness();
    const foreign = await other.c.get(`/portal/b/${pnid}/access-log`);

    const refs = (html: string) => [...html.matchAll(/>Order (\d+)<\/a>/g)].map((m) => Number(m[1]));
    expect(refs(first.text)).toEqual(Array.from({ length: 50 }, (_, i) => 1059 - i));
    expect(refs(second.text)).toEqual(Array.from({ length: 10 }, (_, i) => 1009 - i));
    expect(first.text).toContain('Page 1 of 2');
    expect(first.text).toContain(`href="/portal/b/${pnid}/access-log?page=2"`);
    expect(second.text).toContain('Operator');
    expect(foreign.status).toBeGreaterThanOrEqual(403);
    expect(foreign.text).not.toContain('Order 1059');
  });
});
