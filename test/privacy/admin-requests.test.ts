/**
 * The business's privacy requests through the admin API, end to end: the list (operator token, query
 * checks, requests made in the chat, newest first, nothing that identifies the customer), and requests the
 * business received outside the chat: a copy of the data (access) and an erasure carried out at once, which
 * removes the customer's data at that business only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/db/models/order.model.js';
import { PERSONAL_DATA } from '../../src/privacy/data-map.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { conversationId } from '../helpers/engine.js';
import { sampleOrder } from '../helpers/orders.js';
import { inboundText, newPhoneNumberId, newWaId } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ field: string; message: string }> };
}

interface RequestView {
  id: string;
  type: string;
  status: string;
  channel: string;
  confirmationCode: string;
  receivedAt: string;
  dueAt: string;
  overdue: boolean;
  completedAt?: string;
  receipt?: {
    lines: Array<{ collection: string; deleted: number; anonymised: number; kept: number; basis?: string }>;
    scan: { collections: number; documents: number; findings: Array<{ collection: string; field: string }> };
    sha256: string;
  };
}

interface ExportBody {
  controller: { name: string; whatsappPhoneNumberId: string };
  subject: { whatsappId?: string; name?: string };
  orders: Array<{ orderNumber: string; deliveryAddress?: unknown }>;
  request: { id: string; confirmationCode: string };
}

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot('privacy-admin');
});
afterAll(async () => {
  await t.close();
});

const path = (pnid: string, query = '') => `/admin/businesses/${pnid}/privacy-requests${query}`;

async function say(phoneNumberId: string, waId: string, text: string, name = 'Test Customer'): Promise<void> {
  const res = await t.postWebhook(inboundText({ phoneNumberId, waId, name }, text));
  expect(res.status).toBe(200);
  await t.settled();
}

async function errorOf(res: Response): Promise<ErrorBody['error']> {
  return ((await res.json()) as ErrorBody).error;
}

async function list(pnid: string, query = ''): Promise<RequestView[]> {
  const res = await t.admin('GET', path(pnid, query));
  expect(res.status).toBe(200);
  return ((await res.json()) as { requests: RequestView[] }).requests;
}

describe('GET /admin/businesses/:id/privacy-requests', () => {
  it('requires the operator token', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    for (const token of [null, 'wrong-token-0123456789abcdef', '']) {
      const res = await t.admin('GET', path(pnid), undefined, token);
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe('UNAUTHORIZED');
    }
    const res = await t.admin('POST', path(pnid), { type: 'access', customer: `+${newWaId()}` }, null);
    expect(res.status).toBe(401);
  });

  it('refuses a bad query naming the field, and answers 404 for an unknown business', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    const cases: Array<[string, string]> = [
      ['?status=done', 'status'],
      ['?type=delete', 'type'],
      ['?limit=0', 'limit'],
      ['?limit=500', 'limit'],
      ['?limit=ten', 'limit'],
      ['?before=yesterday', 'before'],
      ['?customer=123', 'customer'],
    ];
    for (const [query, field] of cases) {
      const res = await t.admin('GET', path(pnid, query));
      expect(res.status, query).toBe(400);
      const error = await errorOf(res);
      expect(error.code, query).toBe('VALIDATION_FAILED');
      expect(
        error.fields?.map((f) => f.field),
        query,
      ).toContain(field);
      expect(error.message, query).toContain(field);
    }
    const unknown = await t.admin('GET', path(newPhoneNumberId()));
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('NOT_FOUND');
    const badId = await t.admin('GET', path('not-a-number'));
    expect(badId.status).toBe(400);
    expect((await errorOf(badId)).message).toContain('phoneNumberId');
  });

  it('lists the requests customers made in the chat, newest first, with nothing that identifies them', async () => {
    const pnid = newPhoneNumberId();
    const other = newPhoneNumberId();
    await configureBusiness(t, pnid, 'Casa Privada');
    await configureBusiness(t, other, 'Otra Casa');
    const waId = newWaId();
    await say(pnid, waId, 'hi', 'Octavia Brightwater');
    await say(pnid, waId, 'what data do you have on me');
    await say(pnid, waId, 'delete my data');
    // The same person at another business: never in this business's list.
    await say(other, waId, 'hi');
    await say(other, waId, 'what data do you have on me');

    const res = await t.admin('GET', path(pnid));
    expect(res.status).toBe(200);
    const text = await res.text();
    const requests = (JSON.parse(text) as { requests: RequestView[] }).requests;
    expect(requests.map((r) => [r.type, r.status, r.channel])).toEqual([
      ['erasure', 'awaiting_confirmation', 'chat'],
      ['access', 'completed', 'chat'],
    ]);
    const [erasure, access] = requests as [RequestView, RequestView];
    expect(Date.parse(erasure.receivedAt)).toBeGreaterThan(Date.parse(access.receivedAt));
    expect(Date.parse(erasure.dueAt) - Date.parse(erasure.receivedAt)).toBe(30 * 24 * 60 * 60 * 1000);
    expect(erasure.overdue).toBe(false);
    expect(access.completedAt).toBeDefined();
    for (const r of requests) {
      expect(r.id).toMatch(/^pr_/);
      expect(r.confirmationCode).toMatch(/^[A-Za-z0-9]+$/);
    }
    const ref = conversationId(pnid, waId);
    for (const secret of [waId, ref, 'Octavia', 'subjectKey', 'identifiers', 'TokenHash', 'lease']) {
      expect(text).not.toContain(secret);
    }

    expect((await list(pnid, '?type=access')).map((r) => r.id)).toEqual([access.id]);
    expect((await list(pnid, '?status=awaiting_confirmation')).map((r) => r.id)).toEqual([erasure.id]);
    expect((await list(pnid, '?limit=1')).map((r) => r.id)).toEqual([erasure.id]);
    expect((await list(pnid, `?before=${encodeURIComponent(erasure.receivedAt)}`)).map((r) => r.id)).toEqual([
      access.id,
    ]);
    expect((await list(other)).map((r) => r.type)).toEqual(['access']);
    expect((await list(other)).map((r) => r.id)).not.toContain(access.id);
  });
});

describe('POST /admin/businesses/:id/privacy-requests', () => {
  /** A business with two customers who wrote to it, one of them with a delivery order; the first also wrote to another business. */
  async function setUp() {
    const pnid = newPhoneNumberId();
    const elsewhere = newPhoneNumberId();
    await configureBusiness(t, pnid, 'Casa Pedidos');
    await configureBusiness(t, elsewhere, 'Casa Vecina');
    const waId = newWaId();
    const neighbour = newWaId();
    await say(pnid, waId, 'hi', 'Philippa Marchbanks');
    await say(pnid, neighbour, 'hi', 'Rosalind Featherstone');
    await say(elsewhere, waId, 'hi', 'Philippa Marchbanks');
    const ref = conversationId(pnid, waId);
    const order = await t.bot.orders.placeOrder(
      sampleOrder(pnid, ref, { fulfilment: 'delivery', note: 'Ring twice' }),
    );
    return { pnid, elsewhere, waId, neighbour, ref, order };
  }

  it('answers an access request with 201 and the export', async () => {
    const { pnid, waId } = await setUp();
    const res = await t.admin('POST', path(pnid), { type: 'access', customer: `+${waId}` });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { request: RequestView; export: ExportBody };
    expect(body.request).toMatchObject({ type: 'access', status: 'completed', channel: 'admin' });
    expect(body.export.controller).toEqual({ name: 'Casa Pedidos', whatsappPhoneNumberId: pnid });
    expect(body.export.subject.whatsappId).toBe(waId);
    expect(body.export.subject.name).toBe('Philippa Marchbanks');
    expect(body.export.orders).toHaveLength(1);
    expect(body.export.orders[0]?.deliveryAddress).toBeDefined();
    expect(body.export.request).toEqual({
      id: body.request.id,
      confirmationCode: body.request.confirmationCode,
    });
    const listed = await list(pnid, '?type=access');
    expect(listed.map((r) => [r.id, r.channel, r.status])).toEqual([[body.request.id, 'admin', 'completed']]);
    // The number without "+" names the same customer.
    const again = await t.admin('POST', path(pnid), { type: 'access', customer: waId });
    expect(((await again.json()) as { export: ExportBody }).export.subject.whatsappId).toBe(waId);
  });

  it('carries out an erasure at once: 201, completed with a receipt, the data gone at that business only', async () => {
    const { pnid, elsewhere, waId, neighbour, ref, order } = await setUp();
    const { models } = t.bot;
    expect(await models.Customer.countDocuments({ _id: ref })).toBe(1);
    expect(await models.Inbox.countDocuments({ customerRef: ref })).toBeGreaterThan(0);
    expect(await models.Outbox.countDocuments({ customerRef: ref })).toBeGreaterThan(0);
    const sendsBefore = t.graph.requests.length;

    const res = await t.admin('POST', path(pnid), { type: 'erasure', customer: `+${waId}` });
    expect(res.status).toBe(201);
    const text = await res.text();
    const { request } = JSON.parse(text) as { request: RequestView };
    expect(request).toMatchObject({ type: 'erasure', status: 'completed', channel: 'admin', overdue: false });
    expect(request.completedAt).toBeDefined();
    expect(request.receipt?.scan.findings).toEqual([]);
    expect(request.receipt?.scan.collections).toBeGreaterThan(0);
    expect(request.receipt?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(request.receipt?.lines.map((l) => l.collection)).toEqual(PERSONAL_DATA.map((e) => e.collection));
    const line = (name: string) => request.receipt?.lines.find((l) => l.collection === name);
    expect(line('customers')).toMatchObject({ deleted: 1, anonymised: 0 });
    expect(line('conversations')).toMatchObject({ deleted: 1 });
    expect(line('inbox')?.deleted).toBeGreaterThan(0);
    expect(line('outbox')?.deleted).toBeGreaterThan(0);
    expect(line('orders')).toMatchObject({ deleted: 0, anonymised: 1, kept: 1 });
    for (const secret of [waId, ref, 'Philippa', 'Ring twice', 'Rua das Flores'])
      expect(text).not.toContain(secret);

    // Gone at this business: profile, conversation, messages; the order kept without the person.
    expect(await models.Customer.countDocuments({ _id: ref })).toBe(0);
    expect(await models.Conversation.countDocuments({ _id: ref })).toBe(0);
    expect(await models.Inbox.countDocuments({ customerRef: ref })).toBe(0);
    expect(await models.Outbox.countDocuments({ customerRef: ref })).toBe(0);
    expect(await models.Order.countDocuments({ customerRef: ref })).toBe(0);
    const kept = await models.Order.findById(order._id).lean<Order>().exec();
    expect(kept?.customerRef).toMatch(/^anon:/);
    expect(kept?.deliveryAddress).toBeUndefined();
    expect(kept?.note).toBeUndefined();
    expect(kept?.totalMinor).toBe(475);
    expect((await models.Suppression.findById(ref).lean().exec())?.reason).toBe('erased');
    // An erasure asked through the business is answered by the business: nothing is sent in the chat.
    expect(t.graph.requests.length).toBe(sendsBefore);
    const stored = await models.PrivacyRequest.findById(request.id).lean().exec();
    expect(stored?.identifiers).toBeUndefined();
    expect(stored?.lease).toBeUndefined();

    // Untouched: the other customer here, and the same person at the other business.
    const neighbourRef = conversationId(pnid, neighbour);
    expect(await models.Customer.countDocuments({ _id: neighbourRef })).toBe(1);
    expect(await models.Conversation.countDocuments({ _id: neighbourRef })).toBe(1);
    const elsewhereRef = conversationId(elsewhere, waId);
    expect(await models.Customer.findById(elsewhereRef).lean().exec()).toMatchObject({ waId });
    expect(await models.Inbox.countDocuments({ customerRef: elsewhereRef })).toBeGreaterThan(0);

    // Listed with its receipt; an access request afterwards finds nothing left but the requests.
    expect((await list(pnid, '?type=erasure')).map((r) => [r.id, r.status])).toEqual([
      [request.id, 'completed'],
    ]);
    const after = await t.admin('POST', path(pnid), { type: 'access', customer: `+${waId}` });
    const exported = ((await after.json()) as { export: ExportBody }).export;
    expect(exported.subject.whatsappId).toBeUndefined();
    expect(exported.orders).toEqual([]);
  });

  it('refuses a bad body naming the field, and answers 404 for an unknown business', async () => {
    const pnid = newPhoneNumberId();
    await configureBusiness(t, pnid);
    const waId = newWaId();
    const cases: Array<[unknown, string]> = [
      [{ type: 'delete', customer: `+${waId}` }, 'type'],
      [{ type: 'correction', customer: `+${waId}` }, 'type'],
      [{ customer: `+${waId}` }, 'type'],
      [{ type: 'access' }, 'customer'],
      [{ type: 'access', customer: 'Maria' }, 'customer'],
      [{ type: 'access', customer: '12' }, 'customer'],
      [{ type: 'access', customer: `+${waId}`, reason: 'asked by e-mail' }, 'reason'],
      [[], 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await t.admin('POST', path(pnid), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.fields?.map((f) => f.field).join(' '), JSON.stringify(body)).toContain(field);
    }
    const notJson = await t.admin('POST', path(pnid), '{"type":');
    expect(notJson.status).toBe(400);
    const unknown = await t.admin('POST', path(newPhoneNumberId()), {
      type: 'erasure',
      customer: `+${waId}`,
    });
    expect(unknown.status).toBe(404);
    expect(await t.bot.models.PrivacyRequest.countDocuments({ phoneNumberId: pnid })).toBe(0);
  });
});
