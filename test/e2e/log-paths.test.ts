/**
 * No customer identifier in any log line, request paths included: every admin, orders, privacy and portal
 * route, the deletion status page and the webhook are called with a customer's id (a number with and
 * without `+`, with spaces, a BSUID) in the path, the query and the body, by the operator, by the business's
 * own key, by another business's key, with a wrong token and with none; then the real log is scanned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logPath, pathBusinessId } from '../../src/log.js';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { inboundText, newPhoneNumberId } from '../helpers/payloads.js';
import { configureBusiness } from '../helpers/webhook.js';

const NUMBER = '34611111111';
const BSUID = 'ES.ZqXwVbKjHu';
/** The forms a customer id is typed in, raw (encoded when put in a path or query): every route gets these, */
const CUSTOMER_IDS = [`+${NUMBER}`, BSUID];
/** and the routes that take a customer in their path get these too. */
const MORE_CUSTOMER_IDS = [NUMBER, '+34 611 111 111'];
/** What must not appear in any line: the number's national part covers every spelling of it. */
const FORBIDDEN = ['611111111', '611 111 111', 'ZqXwVbKjHu'];

describe('logPath', () => {
  it.each([
    [
      '/admin/businesses/123456789012345/conversations/%2B34611111111/resume',
      '/admin/businesses/:phoneNumberId/conversations/:customer/resume',
    ],
    [
      '/admin/businesses/123456789012345/privacy-requests?customer=34611111111',
      '/admin/businesses/:phoneNumberId/privacy-requests',
    ],
    ['/data-deletion/status/abcDEF123', '/data-deletion/status/:token'],
    ['/admin/34611111111', '/admin/:param'],
    ['/portal/b/1234567/orders/12/status', '/portal/b/:phoneNumberId/orders/:orderNumber/status'],
    ['/webhook?hub.verify_token=x', '/webhook'],
    ['/ADMIN/businesses', '/:param/businesses'],
  ])('when the path is %s, then the log shows %s', (url, expected) => {
    expect(logPath(url)).toBe(expected);
  });

  it('when a path names a business, then its id is read only where a business id goes, in its form', () => {
    expect(pathBusinessId('/admin/businesses/123456789012345/keys')).toBe('123456789012345');
    expect(pathBusinessId('/portal/b/1234567?x=1')).toBe('1234567');
    expect(pathBusinessId('/admin/businesses/ES.ZqXwVbKjHu')).toBeUndefined();
    expect(pathBusinessId('/admin/metrics')).toBeUndefined();
  });
});

describe('log scan across every route with a customer id', () => {
  let t: TestBot;
  let pnid = '';
  let other = '';
  let key = '';
  let otherKey = '';
  const statuses = new Map<string, number>();

  /** A signed-in portal session's cookie and CSRF token for `token`. */
  async function portalSession(token: string): Promise<{ cookie: string; csrf: string }> {
    const page = await fetch(`${t.bot.url}/portal/sign-in`);
    const signInCookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const res = await fetch(`${t.bot.url}/portal/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: signInCookie },
      body: new URLSearchParams({ _csrf: csrf, token }).toString(),
    });
    const session = res.headers.getSetCookie().find((line) => line.startsWith('portal_session=')) ?? '';
    const cookie = session.split(';')[0] ?? '';
    const home = await fetch(`${t.bot.url}/portal/b/${pnid}`, { headers: { cookie } });
    const sessionCsrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? '';
    return { cookie, csrf: sessionCsrf };
  }

  async function call(
    label: string,
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown; cookie?: string; form?: Record<string, string> } = {},
  ): Promise<void> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie) headers.cookie = options.cookie;
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(`${t.bot.url}${path}`, { method, headers, redirect: 'manual', body });
    await res.arrayBuffer();
    statuses.set(label, res.status);
  }

  beforeAll(async () => {
    t = await startTestBot('log-paths');
    pnid = newPhoneNumberId();
    other = newPhoneNumberId();
    await configureBusiness(t, pnid, 'Casa Registro');
    await configureBusiness(t, other, 'Otra Casa');
    const made = async (id: string) => {
      const res = await t.admin('POST', `/admin/businesses/${id}/keys`, { label: 'logs' });
      return ((await res.json()) as { key: string }).key;
    };
    key = await made(pnid);
    otherKey = await made(other);
    // The customer exists: they wrote, so the resume and privacy routes find someone.
    const wrote = await t.postWebhook(inboundText({ phoneNumberId: pnid, waId: NUMBER, name: 'Zed' }, 'hi'));
    if (wrote.status !== 200) throw new Error(`webhook answered ${wrote.status}`);
    await t.settled();

    const callers: Array<[string, string | null]> = [
      ['operator', TEST_ADMIN_TOKEN],
      ['own key', key],
      ['other key', otherKey],
      ['wrong token', 'wrong-token-0123456789abcdef0123'],
    ];
    const operatorPortal = await portalSession(TEST_ADMIN_TOKEN);
    const keyPortal = await portalSession(key);
    const portals: Array<[string, { cookie: string; csrf: string }]> = [
      ['operator session', operatorPortal],
      ['key session', keyPortal],
      ['no session', { cookie: '', csrf: 'x' }],
    ];

    for (const raw of CUSTOMER_IDS) {
      const id = encodeURIComponent(raw);
      const q = `?customer=${id}&phone=${id}`;
      for (const [who, token] of callers) {
        const admin = (label: string, method: string, path: string, body?: unknown) =>
          call(`${who} ${raw} ${label}`, method, path, { token, ...(body !== undefined ? { body } : {}) });
        await admin('resume', 'POST', `/admin/businesses/${pnid}/conversations/${id}/resume`);
        await admin(
          'resume, customer as business',
          'POST',
          `/admin/businesses/${id}/conversations/${id}/resume`,
        );
        await admin('business', 'GET', `/admin/businesses/${pnid}${q}`);
        await admin('customer as business', 'GET', `/admin/businesses/${id}`);
        await admin('patch customer as business', 'PATCH', `/admin/businesses/${id}`, { aiReplies: false });
        await admin('put with customer number', 'PUT', `/admin/businesses/${pnid}`, {
          name: 'Casa Registro',
          currency: 'EUR',
          adminNumbers: [raw],
        });
        await admin('settings changes', 'GET', `/admin/businesses/${pnid}/settings-changes${q}`);
        await admin('keys', 'GET', `/admin/businesses/${pnid}/keys${q}`);
        await admin('revoke key', 'DELETE', `/admin/businesses/${pnid}/keys/${id}`);
        await admin('metrics', 'GET', `/admin/metrics${q}`);
        await admin('orders', 'GET', `/admin/businesses/${pnid}/orders${q}`);
        await admin('order', 'PATCH', `/admin/businesses/${pnid}/orders/${id}`, { status: 'preparing' });
        await admin('privacy requests', 'GET', `/admin/businesses/${pnid}/privacy-requests${q}`);
        await admin('access request', 'POST', `/admin/businesses/${pnid}/privacy-requests`, {
          type: 'access',
          customer: raw,
        });
        await admin('opt-out, customer as business', 'POST', `/admin/businesses/${id}/privacy-requests`, {
          type: 'opt-out',
          customer: raw,
        });
        await admin('unknown admin path', 'GET', `/admin/${id}/resume`);
      }
      for (const [who, session] of portals) {
        const portal = (label: string, method: string, path: string, form?: Record<string, string>) =>
          call(`${who} ${raw} ${label}`, method, path, {
            cookie: session.cookie,
            ...(form ? { form: { _csrf: session.csrf, ...form } } : {}),
          });
        await portal('business page, customer as business', 'GET', `/portal/b/${id}`);
        await portal('orders', 'GET', `/portal/b/${pnid}/orders${q}`);
        await portal('order status', 'POST', `/portal/b/${pnid}/orders/${id}/status`, {
          status: 'preparing',
        });
        await portal('catalog item', 'GET', `/portal/b/${pnid}/catalog/${id}/edit`);
        await portal('catalog save', 'POST', `/portal/b/${pnid}/catalog/${id}`, { name: raw, price: '1' });
        await portal('faq', 'POST', `/portal/b/${pnid}/faq/${id}`, { question: raw, answer: raw });
        await portal('privacy', 'GET', `/portal/b/${pnid}/privacy${q}`);
        await portal('unknown portal page', 'GET', `/portal/${id}`);
        await portal('sign-in', 'GET', `/portal/sign-in${q}`);
      }
      await call(`${raw} status page`, 'GET', `/data-deletion/status/${id}`);
      await call(`${raw} deletion page`, 'GET', `/data-deletion${q}`);
      await call(
        `${raw} verify`,
        'GET',
        `/webhook?hub.mode=subscribe&hub.verify_token=${id}&hub.challenge=${id}`,
      );
      await call(`${raw} webhook path`, 'POST', `/webhook/${id}`, { body: { from: raw } });
      await call(`${raw} unknown path`, 'GET', `/${id}${q}`);
    }
    for (const raw of MORE_CUSTOMER_IDS) {
      const id = encodeURIComponent(raw);
      for (const [who, token] of callers) {
        await call(`${who} ${raw} resume`, 'POST', `/admin/businesses/${pnid}/conversations/${id}/resume`, {
          token,
        });
        await call(`${who} ${raw} unknown admin path`, 'GET', `/admin/${id}`, { token });
      }
      await call(`${raw} status page`, 'GET', `/data-deletion/status/${id}`);
      await call(`${raw} unknown path`, 'GET', `/${id}`);
    }
    await t.settled();
  });

  afterAll(async () => {
    await t.close();
  });

  it('when the routes were driven, then authorised calls succeeded and refused ones were refused', () => {
    expect(statuses.get(`operator +${NUMBER} resume`)).toBe(202);
    expect(statuses.get(`own key ${NUMBER} resume`)).toBe(202);
    expect(statuses.get(`other key ${NUMBER} resume`)).toBe(403);
    expect(statuses.get(`wrong token ${NUMBER} resume`)).toBe(401);
    expect(statuses.get(`operator +${NUMBER} access request`)).toBe(201);
    expect([400, 404]).toContain(statuses.get(`operator +${NUMBER} customer as business`));
    expect(statuses.get(`operator session +${NUMBER} orders`)).toBe(200);
    expect(statuses.get(`key session ${BSUID} privacy`)).toBe(200);
    expect(statuses.get(`${NUMBER} status page`)).toBe(200);
  });

  it('when the log is scanned, then no line holds the customer id in any form', () => {
    const requestLines = t.logs.filter((line) => line.includes('"msg":"request'));
    expect(requestLines.length).toBeGreaterThanOrEqual(statuses.size);
    expect(t.logs.some((line) => line.includes('/conversations/:customer/resume'))).toBe(true);
    const leaks = t.logs.filter((line) => FORBIDDEN.some((value) => line.includes(value)));
    expect(leaks).toEqual([]);
  });

  it('when the business was found and the caller let in, then its id is named on the line, else not', () => {
    const resumeLines = t.logs
      .map(
        (line) =>
          JSON.parse(line) as {
            msg?: string;
            business?: string;
            res?: { statusCode?: number };
            req?: { url?: string };
          },
      )
      .filter(
        (line) =>
          line.msg === 'request completed' && line.req?.url?.endsWith('/conversations/:customer/resume'),
      );
    expect(resumeLines.some((line) => line.res?.statusCode === 202 && line.business === pnid)).toBe(true);
    for (const line of resumeLines) {
      if (line.res?.statusCode === 401 || line.res?.statusCode === 403 || line.res?.statusCode === 404) {
        expect(line.business).toBeUndefined();
      }
    }
  });
});
