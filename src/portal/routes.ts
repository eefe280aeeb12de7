import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import { actorLabel, auditActor } from '../admin/auth.js';
import type { Actor } from '../admin/auth.js';
import type { ApiKeys } from '../admin/keys.js';
import { businessView } from '../businesses/directory.js';
import type { BusinessDirectory } from '../businesses/directory.js';
import { formatMoney } from '../businesses/money.js';
import { businessInput, phoneNumberIdParam, toBusinessData } from '../businesses/schema.js';
import type { BusinessData } from '../businesses/schema.js';
import { SettingsConflictError } from '../businesses/settings.js';
import type { BusinessSettings } from '../businesses/settings.js';
import type { BusinessModel } from '../db/models/business.model.js';
import { ORDER_STATUSES } from '../db/models/order.model.js';
import type { OrderErasure, OrderStatus } from '../db/models/order.model.js';
import type { PortalSession } from '../db/models/portal-session.model.js';
import { PRIVACY_REQUEST_STATUSES } from '../db/models/privacy-request.model.js';
import type { PrivacyRequestStatus } from '../db/models/privacy-request.model.js';
import type { Counters } from '../metrics.js';
import { allowedNext, customerNotice, OrderNotFoundError, OrderTransitionError } from '../orders/service.js';
import type { OrderService } from '../orders/service.js';
import { requestView } from '../privacy/request-view.js';
import type { PrivacyService } from '../privacy/service.js';
import type { AddressLimits } from '../rate-limit.js';
import { sameSecret } from '../security.js';
import { esc, sendPage } from './html.js';
import { randomToken } from './sessions.js';
import type { PortalSessions } from './sessions.js';

export interface PortalDeps {
  sessions: PortalSessions;
  keys: ApiKeys;
  adminToken: string;
  Business: BusinessModel;
  directory: BusinessDirectory;
  /** Every configuration write goes through here, so AI switches are audited with the actor. */
  settings: BusinessSettings;
  orders: OrderService;
  privacy: PrivacyService;
  counters: Counters;
  logger: Logger;
  /** Production: cookies are always `Secure` (also whenever the request came over https). */
  production: boolean;
  /** Its origin is accepted in `Origin` headers, besides the request's own. */
  publicBaseUrl: string;
  /** Per-address limits shared by every process (src/rate-limit.ts). */
  limits: AddressLimits;
  /** Failed sign-ins allowed per client address and window (default 5 per 15 minutes). */
  signInLimit?: { failures: number; windowMs: number };
  now?: () => number;
}

export const SESSION_COOKIE = 'portal_session';
/** Holds the sign-in form's CSRF token (double submit) until there is a session to bind one to. */
export const SIGN_IN_COOKIE = 'portal_signin';

/** An error page: the status and a message safe to show. */
class PortalError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A form that did not validate: problems by form field (`name`, `price`), and ones of no single field. */
class FormInvalid extends Error {
  constructor(
    readonly fields: Record<string, string>,
    readonly general: string[] = [],
  ) {
    super('invalid form');
  }
}

const MESSAGES: Record<string, string> = {
  'signed-out': 'You have signed out.',
  'session-ended': 'Your session has ended. Please sign in again.',
  'ai-on': 'AI replies are now on.',
  'ai-off': 'AI replies are now off.',
  'item-added': 'Item added.',
  'item-saved': 'Item saved.',
  'item-removed': 'Item removed.',
  'faq-added': 'Question added.',
  'faq-saved': 'Question saved.',
  'faq-removed': 'Question removed.',
  'order-updated': 'Order status changed.',
  'order-updated-sent': 'Order status changed; the customer was sent a message about it.',
  'order-updated-queued': 'Order status changed; the message to the customer is waiting to be sent.',
  'order-updated-customer-erased':
    'Order status changed. No one was notified: the customer deleted their data.',
  'order-updated-outside-24h-window':
    'Order status changed. The customer was not notified: their 24-hour window has closed, so only an approved template could reach them.',
  'order-updated-opted-out':
    'Order status changed. The customer was not notified: they asked not to get updates.',
  'order-updated-whatsapp-not-configured':
    'Order status changed. The customer was not notified: sending WhatsApp messages is not set up.',
  'order-updated-failed': 'Order status changed. The customer was not notified: sending the message failed.',
  'order-updated-not-sent': 'Order status changed. No message was sent to the customer.',
  'order-updated-none': 'Order status changed. No message was sent to the customer.',
  'order-unchanged': 'The order already had that status.',
};

const STATUS_LABELS: Record<string, string> = {
  placed: 'Placed',
  confirmed: 'Confirmed',
  preparing: 'Preparing',
  ready: 'Ready',
  out_for_delivery: 'Out for delivery',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

/** What a customer's erasure did to an order that was open (src/privacy/data-map.ts). */
const ERASURE_LABELS: Record<OrderErasure, string> = {
  cancelled: 'Cancelled because the customer deleted their data',
  handover:
    'The customer deleted their data: the address and contact are kept only until this order is completed (see the orders API)',
};

function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (name) out[name] = part.slice(at + 1).trim();
  }
  return out;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

const messageBlock = (req: Request): string => {
  const text = MESSAGES[str(req.query.msg)];
  return text ? `<p class="message" role="status" data-testid="message">${esc(text)}</p>` : '';
};

const problemBlock = (problems: string[]): string =>
  problems.length === 0
    ? ''
    : `<div class="problem" role="alert" data-testid="problem"><ul>${problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></div>`;

/** A labelled control with its error next to it (`aria-describedby`, `aria-invalid`). */
function field(options: {
  id: string;
  name: string;
  label: string;
  value?: string;
  error?: string | undefined;
  type?: 'text' | 'textarea' | 'checkbox' | 'password';
  checked?: boolean;
  required?: boolean;
  extra?: string;
}): string {
  const errorId = `${options.id}-error`;
  const aria = options.error ? ` aria-invalid="true" aria-describedby="${errorId}"` : '';
  const required = options.required ? ' required' : '';
  const error = options.error
    ? ` <span class="error" id="${errorId}" data-testid="${errorId}">${esc(options.error)}</span>`
    : '';
  const attrs = `id="${options.id}" name="${options.name}" data-testid="${options.id}"${aria}${required}${options.extra ?? ''}`;
  if (options.type === 'checkbox') {
    return `<p><input type="checkbox" ${attrs}${options.checked ? ' checked' : ''}> <label for="${options.id}" class="inline">${esc(options.label)}</label>${error}</p>`;
  }
  const control =
    options.type === 'textarea'
      ? `<textarea ${attrs} rows="3" cols="60">${esc(options.value)}</textarea>`
      : `<input type="${options.type ?? 'text'}" ${attrs} value="${esc(options.value)}">`;
  return `<p><label for="${options.id}">${esc(options.label)}</label>${control}${error}</p>`;
}

const csrfField = (session: PortalSession) =>
  `<input type="hidden" name="_csrf" value="${esc(session.csrf)}">`;

/**
 * The business portal: server-rendered pages under /portal for the operator (ADMIN_TOKEN: every business)
 * and a business (its API key: its own business only). Sessions in MongoDB behind an HttpOnly,
 * SameSite=Strict cookie; a synchronizer CSRF token on every form; sign-in failures rate-limited per
 * client address. No customer identifiers are shown, and nothing personal or secret goes in a URL.
 */
export function portalRouter(deps: PortalDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  const limit = deps.signInLimit ?? { failures: 5, windowMs: 15 * 60 * 1000 };
  // Counts failed sign-ins only (answers of 400 and above); once over, even the right token waits.
  const signInLimited = deps.limits({
    name: 'portal-sign-in',
    limit: limit.failures,
    windowMs: limit.windowMs,
    onlyFailures: true,
    refuse: (_req, _res, next, wait) => {
      deps.counters.add('portal.signin.limited');
      next(
        new PortalError(
          429,
          `Too many failed sign-ins from your address. Try again in ${Math.ceil(wait / 60)} minutes.`,
        ),
      );
    },
  });
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });
  const publicOrigin = new URL(deps.publicBaseUrl).origin;

  function setCookie(req: Request, res: Response, name: string, value: string, maxAgeSeconds: number) {
    const secure = deps.production || req.secure ? '; Secure' : '';
    res.append(
      'Set-Cookie',
      `${name}=${value}; Path=/portal; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`,
    );
  }

  /** A POST from another site is refused when the browser says so (`Origin`), whatever the token. */
  function checkOrigin(req: Request): void {
    const origin = req.get('origin');
    if (origin === undefined) return;
    const own = `${req.protocol}://${req.get('host') ?? ''}`;
    if (origin !== own && origin !== publicOrigin) {
      throw new PortalError(403, 'This form was sent from another site and was refused.');
    }
  }

  async function sessionOf(req: Request): Promise<{ id: string; session: PortalSession } | null> {
    const id = cookies(req)[SESSION_COOKIE];
    const session = await deps.sessions.find(id);
    if (!session || !id) return null;
    const actor: Actor =
      session.actor.kind === 'operator'
        ? { kind: 'operator' }
        : { kind: 'key', id: session.actor.id, phoneNumberId: session.actor.phoneNumberId };
    req.actor = actor; // the request log line names the caller (never a token)
    return { id, session };
  }

  /** The session of a page, or a redirect to the sign-in page (null). */
  async function requireSession(req: Request, res: Response): Promise<PortalSession | null> {
    const found = await sessionOf(req);
    if (!found) {
      res.redirect(303, '/portal/sign-in?msg=session-ended');
      return null;
    }
    return found.session;
  }

  /** Like requireSession, for a POST: also checks the origin and the form's CSRF token. */
  async function requirePost(req: Request, res: Response): Promise<PortalSession | null> {
    checkOrigin(req);
    const session = await requireSession(req, res);
    if (!session) return null;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!sameSecret(str(body._csrf), session.csrf)) {
      deps.counters.add('portal.csrf_refused');
      throw new PortalError(
        403,
        'This form has expired or was not sent from the portal. Reload the page and try again.',
      );
    }
    return session;
  }

  /** The business a page is about, if the session may see it: 403 for another business's key. */
  async function businessFor(req: Request, session: PortalSession): Promise<BusinessData> {
    const parsed = phoneNumberIdParam.safeParse(req.params.pnid);
    if (!parsed.success) throw new PortalError(404, 'No such business.');
    if (session.actor.kind === 'key' && session.actor.phoneNumberId !== parsed.data) {
      throw new PortalError(403, 'Your key belongs to another business.');
    }
    const business = await deps.directory.get(parsed.data);
    if (!business) throw new PortalError(404, 'No such business.');
    return business;
  }

  function nav(session: PortalSession, business?: BusinessData): string {
    const links: string[] = [];
    if (session.actor.kind === 'operator')
      links.push('<li><a href="/portal/businesses" data-testid="nav-businesses">Businesses</a></li>');
    if (business) {
      const base = `/portal/b/${esc(business.phoneNumberId)}`;
      links.push(
        `<li><a href="${base}" data-testid="nav-overview">Overview</a></li>`,
        `<li><a href="${base}/catalog" data-testid="nav-catalog">Catalog</a></li>`,
        `<li><a href="${base}/faq" data-testid="nav-faq">FAQ</a></li>`,
        `<li><a href="${base}/orders" data-testid="nav-orders">Orders</a></li>`,
        `<li><a href="${base}/privacy" data-testid="nav-privacy">Privacy requests</a></li>`,
      );
    }
    const who = session.actor.kind === 'operator' ? 'operator' : `key ${session.actor.id}`;
    return (
      `<nav aria-label="Portal"><ul>${links.join('')}</ul></nav>` +
      `<form method="post" action="/portal/sign-out" class="inline"><span>Signed in as ${esc(who)}</span> ` +
      `${csrfField(session)}<button type="submit" id="sign-out" data-testid="sign-out">Sign out</button></form>`
    );
  }

  /** A configuration write through the settings service (audited with the actor), refused as a form. */
  async function write(
    session: PortalSession,
    business: BusinessData,
    change: (input: Record<string, unknown>) => Record<string, unknown>,
    invalid: (issues: Array<{ path: PropertyKey[]; message: string }>) => FormInvalid,
  ): Promise<void> {
    const id = business.phoneNumberId;
    try {
      const result = await deps.settings.update(
        id,
        (current) => {
          if (!current) return null;
          const { phoneNumberId: _id, ...input } = businessView(current);
          const parsed = businessInput.safeParse(change(input));
          if (!parsed.success) throw invalid(parsed.error.issues);
          return toBusinessData(id, parsed.data);
        },
        auditActor(session.actor),
      );
      if (!result) throw new PortalError(404, 'No such business.');
    } catch (err) {
      if (err instanceof SettingsConflictError)
        throw new PortalError(409, 'The configuration kept changing meanwhile; try again.');
      throw err;
    }
  }

  /** A form with problems of its own (a price that is no number): all its other problems too, nothing written. */
  function refuse(
    business: BusinessData,
    change: (input: Record<string, unknown>) => Record<string, unknown>,
    invalid: (issues: Array<{ path: PropertyKey[]; message: string }>) => FormInvalid,
  ): never {
    const { phoneNumberId: _id, ...input } = businessView(business);
    const parsed = businessInput.safeParse(change(input));
    throw invalid(parsed.success ? [] : parsed.error.issues);
  }

  // ------------------------------------------------------------------ sign-in and sign-out

  router.get('/portal', async (req, res) => {
    const found = await sessionOf(req);
    if (!found) res.redirect(303, '/portal/sign-in');
    else if (found.session.actor.kind === 'operator') res.redirect(303, '/portal/businesses');
    else res.redirect(303, `/portal/b/${found.session.actor.phoneNumberId}`);
  });

  function signInPage(req: Request, res: Response, status: number, problem?: string): void {
    const token = randomToken();
    setCookie(req, res, SIGN_IN_COOKIE, token, 3600);
    sendPage(res, {
      title: 'Sign in',
      status,
      body:
        messageBlock(req) +
        (problem ? problemBlock([problem]) : '') +
        '<form method="post" action="/portal/sign-in" id="sign-in-form" data-testid="sign-in-form">' +
        `<input type="hidden" name="_csrf" value="${esc(token)}">` +
        field({
          id: 'token',
          name: 'token',
          label: 'Business API key or operator token',
          type: 'password',
          required: true,
          extra: ' autocomplete="off" spellcheck="false"',
        }) +
        '<p><button type="submit" id="sign-in" data-testid="sign-in-submit">Sign in</button></p></form>' +
        '<p>Your key is sent only with this form; it is never shown again or kept in the page address.</p>',
    });
  }

  router.get('/portal/sign-in', async (req, res) => {
    if (await sessionOf(req)) {
      res.redirect(303, '/portal');
      return;
    }
    signInPage(req, res, 200);
  });

  router.post('/portal/sign-in', signInLimited, form, async (req, res) => {
    checkOrigin(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const expected = cookies(req)[SIGN_IN_COOKIE] ?? '';
    if (!expected || !sameSecret(str(body._csrf), expected)) {
      throw new PortalError(403, 'The sign-in form has expired. Reload the page and try again.');
    }
    const token = str(body.token).trim();
    let actor: Actor | undefined;
    if (token && sameSecret(token, deps.adminToken)) actor = { kind: 'operator' };
    else if (token) {
      const key = await deps.keys.verify(token);
      if (key) actor = { kind: 'key', id: key._id, phoneNumberId: key.phoneNumberId };
    }
    if (!actor) {
      const failures = (req as Request & { rateLimit?: { used?: number } }).rateLimit?.used;
      deps.counters.add('portal.signin.refused');
      req.log.warn({ failures }, 'portal sign-in refused');
      signInPage(req, res, 401, 'That key or token is not valid, or has been revoked.');
      return;
    }
    // A fresh session id at every sign-in (no fixation); a session this browser had before ends.
    await deps.sessions.destroy(cookies(req)[SESSION_COOKIE]);
    const { id } = await deps.sessions.create(actor);
    req.actor = actor;
    res.append('Set-Cookie', `${SIGN_IN_COOKIE}=; Path=/portal; HttpOnly; SameSite=Strict; Max-Age=0`);
    setCookie(req, res, SESSION_COOKIE, id, Math.floor((12 * 60 * 60 * 1000) / 1000));
    deps.counters.add('portal.signin');
    req.log.info({ actor: actorLabel(actor) }, 'portal sign-in');
    res.redirect(303, '/portal');
  });

  router.post('/portal/sign-out', form, async (req, res) => {
    const session = await requirePost(req, res);
    if (!session) return;
    await deps.sessions.destroy(cookies(req)[SESSION_COOKIE]);
    res.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/portal; HttpOnly; SameSite=Strict; Max-Age=0`);
    res.redirect(303, '/portal/sign-in?msg=signed-out');
  });

  // ------------------------------------------------------------------ businesses

  router.get('/portal/businesses', async (req, res) => {
    const session = await requireSession(req, res);
    if (!session) return;
    if (session.actor.kind === 'key') {
      res.redirect(303, `/portal/b/${session.actor.phoneNumberId}`);
      return;
    }
    const businesses = await deps.Business.find({}, { _id: 0, phoneNumberId: 1, name: 1 })
      .sort({ name: 1 })
      .limit(1000)
      .lean<Array<{ phoneNumberId: string; name: string }>>()
      .exec();
    const rows = businesses
      .map(
        (b) =>
          `<li><a href="/portal/b/${esc(b.phoneNumberId)}" data-testid="business-${esc(b.phoneNumberId)}">${esc(b.name)}</a> (${esc(b.phoneNumberId)})</li>`,
      )
      .join('');
    sendPage(res, {
      title: 'Businesses',
      nav: nav(session),
      body: rows ? `<ul data-testid="business-list">${rows}</ul>` : '<p>No businesses yet.</p>',
    });
  });

  router.get('/portal/b/:pnid', async (req, res) => {
    const session = await requireSession(req, res);
    if (!session) return;
    const business = await businessFor(req, session);
    const base = `/portal/b/${esc(business.phoneNumberId)}`;
    const changes = await deps.settings.changes(business.phoneNumberId, { limit: 5, field: 'aiReplies' });
    const history = changes
      .map((c) => {
        const who =
          c.actor.kind === 'operator'
            ? 'operator'
            : c.actor.kind === 'key'
              ? `key ${c.actor.id}`
              : 'a staff number in the chat';
        return `<li>${esc(c.at.toISOString().slice(0, 16).replace('T', ' '))} UTC: ${c.to ? 'on' : 'off'} (${esc(who)})</li>`;
      })
      .join('');
    const on = business.aiReplies;
    sendPage(res, {
      title: business.name,
      nav: nav(session, business),
      body:
        messageBlock(req) +
        '<section aria-labelledby="ai-heading"><h2 id="ai-heading">AI replies</h2>' +
        `<p data-testid="ai-status">AI replies are <strong>${on ? 'on' : 'off'}</strong>.</p>` +
        `<form method="post" action="${base}/ai" data-testid="ai-form">${csrfField(session)}` +
        `<input type="hidden" name="aiReplies" value="${on ? 'off' : 'on'}">` +
        `<button type="submit" id="ai-toggle" data-testid="ai-toggle">Switch AI replies ${on ? 'off' : 'on'}</button></form>` +
        (history ? `<h3>Recent switches</h3><ul data-testid="ai-history">${history}</ul>` : '') +
        '</section>' +
        `<section aria-labelledby="summary-heading"><h2 id="summary-heading">Summary</h2><ul>` +
        `<li>${business.catalog.length} catalog items (<a href="${base}/catalog">edit</a>)</li>` +
        `<li>${business.faq.length} FAQ entries (<a href="${base}/faq">edit</a>)</li>` +
        `<li><a href="${base}/orders">Orders</a> · <a href="${base}/privacy">Privacy requests</a></li></ul></section>`,
    });
  });

  router.post('/portal/b/:pnid/ai', form, async (req, res) => {
    const session = await requirePost(req, res);
    if (!session) return;
    const business = await businessFor(req, session);
    const wanted = str((req.body as Record<string, unknown>).aiReplies);
    if (wanted !== 'on' && wanted !== 'off') throw new PortalError(400, 'Choose on or off.');
    await write(
      session,
      business,
      (input) => ({ ...input, aiReplies: wanted === 'on' }),
      (issues) =>
        new FormInvalid(
          {},
          issues.map((i) => i.message),
        ),
    );
    deps.counters.add('portal.ai_switched');
    res.redirect(303, `/portal/b/${business.phoneNumberId}?msg=ai-${wanted}`);
  });

  // ------------------------------------------------------------------ catalog

  interface ItemForm {
    id: string;
    name: string;
    price: string;
    category: string;
    description: string;
    available: boolean;
  }

  const itemFormOf = (body: Record<string, unknown>): ItemForm => ({
    id: str(body.id).trim(),
    name: str(body.name),
    price: str(body.price).trim(),
    category: str(body.category),
    description: str(body.description),
    available: body.available === 'on',
  });

  function itemInput(form: ItemForm): { item: Record<string, unknown>; problems: Record<string, string> } {
    const problems: Record<string, string> = {};
    const normalised = form.price.replace(',', '.');
    if (!/^\d+(\.\d+)?$/.test(normalised)) problems.price = 'must be a number such as 4.50';
    const item: Record<string, unknown> = {
      id: form.id,
      name: form.name,
      // A price that is no number is reported as such; 0 stands in so the other fields are still checked.
      price: problems.price ? 0 : Number(normalised),
      available: form.available,
      ...(form.category.trim() ? { category: form.category } : {}),
      ...(form.description.trim() ? { description: form.description } : {}),
    };
    return { item, problems };
  }

  function itemFields(prefix: string, form: ItemForm, errors: Record<string, string>, currency: string) {
    return (
      field({
        id: `${prefix}-id`,
        name: 'id',
        label: 'Item id (letters, digits, - and _)',
        value: form.id,
        error: errors.id,
        required: true,
      }) +
      field({
        id: `${prefix}-name`,
        name: 'name',
        label: 'Name',
        value: form.name,
        error: errors.name,
        required: true,
      }) +
      field({
        id: `${prefix}-price`,
        name: 'price',
        label: `Price (${currency})`,
        value: form.price,
        error: errors.price,
        required: true,
        extra: ' inputmode="decimal"',
      }) +
      field({
        id: `${prefix}-category`,
        name: 'category',
        label: 'Category (optional)',
        value: form.category,
        error: errors.category,
      }) +
      field({
        id: `${prefix}-description`,
        name: 'description',
        label: 'Description (optional)',
        value: form.description,
        error: errors.description,
        type: 'textarea',
      }) +
      field({
        id: `${prefix}-available`,
        name: 'available',
        label: 'Available',
        type: 'checkbox',
        checked: form.available,
        error: errors.available,
      })
    );
  }

  const emptyItem: ItemForm = { id: '', name: '', price: '', category: '', description: '', available: true };

  function catalogPage(
    req: Request,
    res: Response,
    session: PortalSession,
    business: BusinessData,
    addForm: { form: ItemForm; errors: Record<string, string>; general: string[] } = {
      form: emptyItem,
      errors: {},
      general: [],
    },
    status = 200,
  ): void {
    const base = `/portal/b/${esc(business.phoneNumberId)}/catalog`;
    const rows = business.catalog
      .map(
        (item) =>
          `<tr data-testid="item-${esc(item.id)}"><td>${esc(item.id)}</td><td>${esc(item.name)}</td>` +
          `<td>${esc(formatMoney(item.priceMinor, business.currency))}</td><td>${esc(item.category ?? '')}</td>` +
          `<td>${item.available ? 'yes' : 'no'}</td><td><a href="${base}/${esc(item.id)}/edit" data-testid="edit-${esc(item.id)}">Edit<span class="visually-hidden"> ${esc(item.name)}</span></a> ` +
          `<form method="post" action="${base}/${esc(item.id)}/remove" class="inline">${csrfField(session)}` +
          `<button type="submit" data-testid="remove-${esc(item.id)}" aria-label="Remove ${esc(item.name)}">Remove</button></form></td></tr>`,
      )
      .join('');
    sendPage(res, {
      title: `Catalog · ${business.name}`,
      status,
      nav: nav(session, business),
      body:
        messageBlock(req) +
        (rows
          ? `<table data-testid="catalog"><caption>Items</caption><thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Price</th><th scope="col">Category</th><th scope="col">Available</th><th scope="col">Actions</th></tr></thead><tbody>${rows}</tbody></table>`
          : '<p>The catalog is empty.</p>') +
        '<section aria-labelledby="add-heading"><h2 id="add-heading">Add an item</h2>' +
        problemBlock(addForm.general) +
        `<form method="post" action="${base}" data-testid="add-item-form">${csrfField(session)}` +
        itemFields('new-item', addForm.form, addForm.errors, business.currency) +
        '<p><button type="submit" id="add-item" data-testid="add-item">Add item</button></p></form></section>',
    });
  }

  function editPage(
    res: Response,
    session: PortalSession,
    business: BusinessData,
    originalId: string,
    state: { form: ItemForm; errors: Record<string, string>; general: string[] },
    status = 200,
  ): void {
    const base = `/portal/b/${esc(business.phoneNumberId)}/catalog`;
    sendPage(res, {
      title: `Edit item · ${business.name}`,
      status,
      nav: nav(session, business),
      body:
        problemBlock(state.general) +
        `<form method="post" action="${base}/${esc(originalId)}" data-testid="edit-item-form">${csrfField(session)}` +
        itemFields('item', state.form, state.errors, business.currency) +
        `<p><button type="submit" id="save-item" data-testid="save-item">Save</button> <a href="${base}">Cancel</a></p></form>`,
    });
  }

  /** zod issues of the whole configuration → the problems of the catalog item at `index`. */
  const itemInvalid =
    (index: number, own: Record<string, string>) =>
    (issues: Array<{ path: PropertyKey[]; message: string }>): FormInvalid => {
      const fields: Record<string, string> = { ...own };
      const general: string[] = [];
      for (const issue of issues) {
        const [top, at, name] = issue.path;
        if (top === 'catalog' && at === index && typeof name === 'string') fields[name] ??= issue.message;
        else general.push(`${issue.path.map(String).join('.') || 'catalog'}: ${issue.message}`);
      }
      return new FormInvalid(fields, general);
    };

  router.get('/portal/b/:pnid/catalog', async (req, res) => {
    const session = await requireSession(req, res);
    if (!session) return;
    catalogPage(req, res, session, await businessFor(req, session));
  });

  router.post('/portal/b/:pnid/catalog', form, async (req, res) => {
    const session = await requirePost(req, res);
    if (!session) return;
    const business = await businessFor(req, session);
    const itemForm = itemFormOf(req.body as Record<string, unknown>);
    const { item, problems } = itemInput(itemForm);
    try {
      const index = business.catalog.length;
      const change = (input: Record<string, unknown>) => ({
        ...input,
        catalog: [...(input.catalog as unknown[]), item],
      });
      if (Object.keys(problems).length > 0) refuse(business, change, itemInvalid(index, problems));
      await write(session, business, change, itemInvalid(index, problems));
    } catch (err) {
      if (!(err instanceof FormInvalid)) throw err;
      catalogPage(
        req,
        res,
        session,
        business,
        { form: itemForm, errors: err.fields, general: err.general },
        400,
      );
      return;
    }
    res.redirect(303, `/portal/b/${business.phoneNumberId}/catalog?msg=item-added`);
  });

  router.get('/portal/b/:pnid/catalog/:itemId/edit', async (req, res) => {
    const session = await requireSession(req, res);
    if (!session) return;
    const business = await businessFor(req, session);
    const item = businessView(business).catalog.find((i) => i.id === req.params.itemId);
    if (!item) throw new PortalError(404, 'No such item.');
    editPage(res, session, business, item.id, {
      form: {
        id: item.id,
        name: item.name,
        price: String(item.price),
        category: item.category ?? '',
        description: item.description ?? '',
        available: item.available,
      },
      errors: {},
      general: [],
    });
  });

  router.post('/portal/b/:pnid/catalog/:itemId', form, async (req, res) => {
    const session = await requirePost(req, res);
    if (!session) return;
    const business = await businessFor(req, session);
    const originalId = String(req.params.itemId);
    const itemForm = itemFormOf(req.body as Record<string, unknown>);
    const { item, problems } = itemInput(itemForm);
    try {
      const index = business.catalog.findIndex((i) => i.id === originalId);
      if (index < 0) throw new PortalError(404, 'No such item.');
      const change = (input: Record<string, unknown>) => {
        const catalog = [...(input.catalog as Array<{ id: string }>)];
        const at = catalog.findIndex((i) => i.id === originalId);
        if (at < 0) throw new PortalError(404, 'No such item.');
        catalog[at] = item as { id: string };
        return { ...input, catalog };
      };
      if (Object.keys(problems).length > 0) refuse(business, change, itemInvalid(index, problems));
      await write(session, business, change, itemInvalid(index, problems));
    } catch (err) {
      if (!(err instanceof FormInvalid)) throw err;
      editPage(
        res,
        session,
        business,
        originalId,
        { form: itemForm, errors: err.fields, general: err.general },
        400,
      );
      return;
    }
    res.redirect(303, `/portal/b/${business.phoneNumberId}/catalog?msg=item-saved`);
  });

  router.post('/portal/b/:pnid/catalog/:itemId/remove', form, async (req, res) => {
    const session = await requirePost(req, res);
    if (!session) return;
    const business = await businessFor(req, session);
    const itemId = String(req.params.itemId);
    await write(
      session,
      business,
      (input) => ({
        ...input,
        catalog: (input.catalog as Array<{ id: string }>).filter((i) => i.id !== itemId),
      }),
      (issues) =>
        new FormInvalid(
          {},
          issues.map((i) => i.message),
        ),
    );
    res.redirect(303, `/portal/b/${business.phoneNumberId}/catalog?msg=item-removed`);
  });

  // ------------------------------------------------------------------ FAQ

  function faqPage(
    req: Request,
    res: Response,
    session: PortalSession,
    business: BusinessData,
    failed?: {
      key: string;
      question: string;
      answer: string;
      errors: Record<string, string>;
      general: string[];
    },
    status = 200,
  ): void {
    const base = `/portal/b/${esc(business.phoneNumberId)}/faq`;
    const entry = (key: string, question: string, answer: string, label: string, action: string) => {
      const state = failed?.key === key ? failed : undefined;
      return (
        problemBlock(state?.general ?? []) +
        `<form method="post" action="${action}" data-testid="faq-form-${key}">${csrfField(session)}` +
        field({
          id: `faq-${key}-question`,
          name: 'question',
          label: 'Question',
          value: state?.question ?? question,
          error: state?.errors.question,
          required: true,
        }) +
        field({
          id: `faq-${key}-answer`,
          name: 'answer',
          label: 'Answer',
          value: state?.answer ?? answer,
          error: state?.errors.answer,
          type: 'textarea',
          required: true,
        }) +
        `<p><button type="submit" data-testid="faq-save-${key}">${esc(label)}</button></p></form>`
      );
    };
    const entries = business.faq
      .map(
        (f, index) =>
          `<fieldset data-testid="faq-${index}"><legend>Question ${index + 1}</legend>` +
          entry(String(index), f.question, f.answer, 'Save', `${base}/${index}`) +
          `<form method="post" action="${base}/${index}/remove">${csrfField(session)}` +
          `<button type="submit" data-testid="faq-remove-${index}">Remove question ${index + 1}</button></form></fieldset>`,
      )
      .join('');
    sendPage(res, {
      title: `FAQ · ${business.name}`,
      status,
      nav: nav(session, business),
      body:
        messageBlock(req) +
        (entries || '<p>No questions yet.</p>') +
        '<section aria-labelledby="faq-add-heading"><h2 id="faq-add-heading">Add a question</h2>' +
        entry('new', '', '', 'Add question', base) +
        '</section>',
    });
  }

  const faqInvalid =
    (index: number) =>
    (issues: Array<{ path: PropertyKey[]; message: string }>): FormInvalid => {
      const fields: Record<string, string> = {};
      const general: string[] = [];
      for (const issue of issues) {
        const [top, at, name] = issue.path;
        if (top === 'faq' && at === index && typeof name === 'string') fields[name] ??= issue.message;
        else general.push(issue.message);
      }
      return new FormInvalid(fields, general);
    };

  async function saveFaq(req: Request, res: Response, index: number | 'new'): Promise<void> {
    const session = await requirePost(req, res);
    if (!session) return;
    const business = await businessFor(req, session);
    const body = req.body as Record<string, unknown>;
    const entry = { question: str(body.question), answer: str(body.answer) };
    const at = index === 'new' ? business.faq.length : index;
    if (index !== 'new' && !business.faq[index]) throw new PortalError(404, 'No such question.');
    try {
      await write(
        session,
        business,
        (input) => {
          const faq = [...(input.faq as unknown[])];
          if (index === 'new') faq.push(entry);
          else if (index < faq.length) faq[index] = entry;
          else throw new PortalError(404, 'No such question.');
          return { ...input, faq };
        },
        faqInvalid(at),
      );
    } catch (err) {
      if (!(err instanceof FormInvalid)) throw err;
      faqPage(
        req,
        res,
        session,
        business,
        { key: String(index), ...entry, errors: err.fields, general: err.general },
        400,
      );
      return;
    }
    res.redirect(
      303,
      `/portal/b/${business.phoneNumberId}/faq?msg=${index === 'new' ? 'faq-added' : 'faq-saved'}`,
    );
  }

  const faqIndex = (req: Request): number => {
    const raw = String(req.params.index);
    if (!/^\d{1,3}$/.test(raw)) throw new PortalError(404, 'No such question.');
    return Number(raw);
  };

  router.get('/portal/b/:pnid/faq', async (req, res) => {
    const session = await requireSession(req, res);
    if (!session) return;
    faqPage(req, res, session, await businessFor(req, session));
  });
  router.post('/portal/b/:pnid/faq', form, (req, res) => saveFaq(req, res, 'new'));
  router.post('/portal/b/:pnid/faq/:index', form, (req, res) => saveFaq(req, res, faqIndex(req)));
  router.post('/portal/b/:pnid/faq/:index/remove', form, async (req, res) => {
    const session = await requirePost(req, res);
    if (!session) return;
    const business = await businessFor(req, session);
    const index = faqIndex(req);
    await write(
      session,
      business,
      (input) => ({ ...input, faq: (input.faq as unknown[]).filter((_f, i) => i !== index) }),
      (issues) =>
        new FormInvalid(
          {},
          issues.map((i) => i.message),
        ),
    );
    res.redirect(303, `/portal/b/${business.phoneNumberId}/faq?msg=faq-removed`);
  });

  // ------------------------------------------------------------------ orders

  async function ordersPage(
    req: Request,
    res: Response,
    session: PortalSession,
    business: BusinessData,
    refusal?: string,
    status = 200,
  ): Promise<void> {
    const base = `/portal/b/${esc(business.phoneNumberId)}/orders`;
    const wanted = str(req.query.status);
    const filter = (ORDER_STATUSES as readonly string[]).includes(wanted)
      ? (wanted as OrderStatus)
      : undefined;
    const pageNumber = Math.min(Math.max(Number.parseInt(str(req.query.page), 10) || 1, 1), 100_000);
    const page = await deps.orders.listOrders(business.phoneNumberId, {
      limit: 50,
      page: pageNumber,
      ...(filter ? { status: filter } : {}),
    });
    const options = ['', ...ORDER_STATUSES]
      .map(
        (s) =>
          `<option value="${s}"${s === (filter ?? '') ? ' selected' : ''}>${esc(s ? STATUS_LABELS[s] : 'All')}</option>`,
      )
      .join('');
    const rows = page.orders
      .map((order) => {
        const next = allowedNext(order, 'business');
        const items = order.items.map((l) => `${l.quantity} × ${esc(l.name)}`).join('<br>');
        const change =
          next.length === 0
            ? '—'
            : `<form method="post" action="${base}/${order.orderNumber}/status" data-testid="order-${order.orderNumber}-form">${csrfField(session)}` +
              `<label for="order-${order.orderNumber}-status">New status for order ${order.orderNumber}</label>` +
              `<select id="order-${order.orderNumber}-status" name="status" data-testid="order-${order.orderNumber}-status">` +
              next.map((s) => `<option value="${s}">${esc(STATUS_LABELS[s] ?? s)}</option>`).join('') +
              `</select> <button type="submit" data-testid="order-${order.orderNumber}-submit">Change</button></form>`;
        return (
          `<tr data-testid="order-${order.orderNumber}"><td>${order.orderNumber}</td>` +
          `<td>${esc(order.placedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</td>` +
          `<td data-testid="order-${order.orderNumber}-current">${esc(STATUS_LABELS[order.status] ?? order.status)}${order.erasure ? `<br><small data-testid="order-${order.orderNumber}-erasure">${esc(ERASURE_LABELS[order.erasure])}</small>` : ''}</td>` +
          `<td>${items}</td><td>${esc(formatMoney(order.totalMinor, order.currency))}</td>` +
          `<td>${esc(order.fulfilment)}</td><td>${change}</td></tr>`
        );
      })
      .join('');
    const pages = Math.max(1, Math.ceil(page.total / page.limit));
    const query = (p: number) => `?${filter ? `status=${filter}&amp;` : ''}page=${p}`;
    sendPage(res, {
      title: `Orders · ${business.name}`,
      status,
      nav: nav(session, business),
      body:
        messageBlock(req) +
        (refusal ? problemBlock([refusal]) : '') +
        `<form method="get" action="${base}" data-testid="orders-filter"><label for="status-filter">Status</label>` +
        `<select id="status-filter" name="status" data-testid="status-filter">${options}</select> <button type="submit">Show</button></form>` +
        (rows
          ? `<table data-testid="orders"><caption>${page.total} orders, newest first</caption><thead><tr><th scope="col">Number</th><th scope="col">Placed</th><th scope="col">Status</th><th scope="col">Items</th><th scope="col">Total</th><th scope="col">Fulfilment</th><th scope="col">Change status</th></tr></thead><tbody>${rows}</tbody></table>`
          : '<p>No orders.</p>') +
        `<p>Page ${page.page} of ${pages}` +
        (page.page > 1 ? ` · <a href="${base}${query(page.page - 1)}">Newer</a>` : '') +
        (page.page < pages ? ` · <a href="${base}${query(page.page + 1)}">Older</a>` : '') +
        '</p>',
    });
  }

  router.get('/portal/b/:pnid/orders', async (req, res) => {
    const session = await requireSession(req, res);
    if (!session) return;
    await ordersPage(req, res, session, await businessFor(req, session));
  });

  router.post('/portal/b/:pnid/orders/:orderNumber/status', form, async (req, res) => {
    const session = await requirePost(req, res);
    if (!session) return;
    const business = await businessFor(req, session);
    const raw = String(req.params.orderNumber);
    const to = str((req.body as Record<string, unknown>).status);
    if (!/^\d{1,15}$/.test(raw)) throw new PortalError(404, 'No such order.');
    if (!(ORDER_STATUSES as readonly string[]).includes(to)) throw new PortalError(400, 'Choose a status.');
    try {
      const result = await deps.orders.changeStatus(
        business.phoneNumberId,
        Number(raw),
        to as OrderStatus,
        'business',
      );
      deps.counters.add(result.changed ? 'portal.order.status_changed' : 'portal.order.status_unchanged');
      res.redirect(
        303,
        `/portal/b/${business.phoneNumberId}/orders?msg=${result.changed ? `order-updated-${customerNotice(result)}` : 'order-unchanged'}`,
      );
    } catch (err) {
      if (err instanceof OrderNotFoundError) throw new PortalError(404, 'No such order.');
      if (err instanceof OrderTransitionError) {
        deps.counters.add('portal.order.status_refused');
        await ordersPage(req, res, session, business, `Order ${raw}: ${err.message}`, 409);
        return;
      }
      throw err;
    }
  });

  // ------------------------------------------------------------------ privacy requests

  router.get('/portal/b/:pnid/privacy', async (req, res) => {
    const session = await requireSession(req, res);
    if (!session) return;
    const business = await businessFor(req, session);
    const wanted = str(req.query.status);
    const filter = (PRIVACY_REQUEST_STATUSES as readonly string[]).includes(wanted)
      ? (wanted as PrivacyRequestStatus)
      : undefined;
    const requests = await deps.privacy.list(business.phoneNumberId, {
      limit: 200,
      ...(filter ? { status: filter } : {}),
    });
    const date = (iso: string | undefined) => (iso ? esc(iso.slice(0, 10)) : '—');
    const rows = requests
      .map((r) => requestView(r, now()))
      .map(
        (r) =>
          `<tr data-testid="privacy-${esc(r.confirmationCode)}"><td>${esc(r.confirmationCode)}</td><td>${esc(r.type)}</td>` +
          `<td>${esc(r.status)}${r.overdue ? ' <strong>(overdue)</strong>' : ''}</td><td>${esc(r.channel)}</td>` +
          `<td>${date(r.receivedAt)}</td><td>${date(r.dueAt)}</td><td>${date(r.completedAt)}</td></tr>`,
      )
      .join('');
    const options = ['', ...PRIVACY_REQUEST_STATUSES]
      .map(
        (s) => `<option value="${s}"${s === (filter ?? '') ? ' selected' : ''}>${esc(s || 'All')}</option>`,
      )
      .join('');
    const base = `/portal/b/${esc(business.phoneNumberId)}/privacy`;
    sendPage(res, {
      title: `Privacy requests · ${business.name}`,
      nav: nav(session, business),
      body:
        '<p>Requests customers made about their data, newest first. Customers are not named here: the confirmation code is what they see.</p>' +
        `<form method="get" action="${base}"><label for="privacy-status">Status</label>` +
        `<select id="privacy-status" name="status" data-testid="privacy-filter">${options}</select> <button type="submit">Show</button></form>` +
        (rows
          ? `<table data-testid="privacy-requests"><caption>Privacy requests</caption><thead><tr><th scope="col">Code</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Channel</th><th scope="col">Received</th><th scope="col">Due</th><th scope="col">Completed</th></tr></thead><tbody>${rows}</tbody></table>`
          : '<p>No privacy requests.</p>'),
    });
  });

  // ------------------------------------------------------------------ errors

  router.use('/portal', (_req, _res, next) => next(new PortalError(404, 'No such page.')));
  router.use('/portal', (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let status = 500;
    let message = 'Something went wrong. Please try again.';
    if (err instanceof PortalError) ({ status, message } = err);
    else if (isBodyError(err)) {
      status = err.status === 413 ? 413 : 400;
      message = 'The form could not be read.';
    } else req.log.error({ err }, 'portal request failed');
    if (res.headersSent) return;
    sendPage(res, {
      title:
        status === 429
          ? 'Too many attempts'
          : status === 403
            ? 'Not allowed'
            : status === 404
              ? 'Not found'
              : 'Problem',
      status,
      body: `<p data-testid="error-message" role="alert">${esc(message)}</p><p><a href="/portal">Back to the portal</a></p>`,
    });
  });

  return router;
}

function isBodyError(err: unknown): err is { status: number; type: string } {
  return typeof err === 'object' && err !== null && 'type' in err && 'status' in err;
}
