import express from 'express';
import type { Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AdminAuth } from '../admin/auth.js';
import { customerParam, parseOrThrow } from '../http/validation.js';
import type { BusinessDirectory } from '../businesses/directory.js';
import type { CustomerIdentities } from '../customers/identity.js';
import { phoneNumberIdParam } from '../businesses/schema.js';
import type { BusinessData } from '../businesses/schema.js';
import { PRIVACY_REQUEST_STATUSES } from '../db/models/privacy-request.model.js';
import type { PrivacyRequestStatus } from '../db/models/privacy-request.model.js';
import { AppError } from '../errors.js';
import type { Counters } from '../metrics.js';
import type { AddressLimits } from '../rate-limit.js';
import { MINUTE_MS } from '../core/time.js';
import { escapeHtml } from '../http/escape-html.js';
import { otherLanguages, pageLanguage } from '../http/page-language.js';
import { formatDate } from '../language/dates.js';
import { t } from '../language/i18n.js';
import type { MessageKey } from '../language/i18n.js';
import { LANGUAGE_NAMES } from '../language/languages.js';
import type { Language } from '../language/languages.js';
import { requestView } from './request-view.js';
import type { PrivacyService } from './service.js';
import { SignedRequestError, verifySignedRequest } from './signed-request.js';

export interface PrivacyRoutesDeps {
  privacy: PrivacyService;
  directory: BusinessDirectory;
  counters: Counters;
  logger: Logger;
  appSecret: string;
  /** The admin routes' authentication: the operator, or the business's own API keys. */
  auth: AdminAuth;
  pepper: string;
  /** Finds the customer a business names by either of their ids (src/customers/identity.ts). */
  identities: Pick<CustomerIdentities, 'lookup'>;
  /** Shown on /data-deletion for requests by e-mail. */
  contactEmail: string | undefined;
  /** Per-address limits shared by every process (src/rate-limit.ts). */
  limits: AddressLimits;
  now?: () => number;
}

/** The pages' own stylesheet: readable on a phone (390 px) and on a desktop, no fonts or images to load. */
const STYLE =
  '*{box-sizing:border-box}' +
  'body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:40rem;margin:0 auto;padding:.75rem 1.25rem 3rem;color:#1a1a1a;background:#fff;-webkit-text-size-adjust:100%}' +
  'nav{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:0 1rem;font-size:.875rem;padding-bottom:.5rem;border-bottom:1px solid #e6e6e6}' +
  'nav a{color:#555;text-decoration:none;padding:.375rem 0}' +
  'nav a:hover,nav a:focus-visible{color:#0b57d0;text-decoration:underline}' +
  'h1{font-size:1.625rem;line-height:1.25;margin:1.5rem 0 1rem;letter-spacing:-.01em}' +
  'h2{font-size:1.125rem;line-height:1.3;margin:2rem 0 .5rem}' +
  'p,li{overflow-wrap:break-word}' +
  'ul{padding-left:1.25rem;margin:.5rem 0}' +
  'li{margin:.625rem 0}' +
  'li::marker{color:#888}' +
  'a{color:#0b57d0}' +
  'code{font:.9375em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f2f2f2;padding:.0625rem .3rem;border-radius:4px;word-break:break-all}';

/**
 * A plain page in `language`: no scripts, no third parties, not indexed, no referrer, never cached. Its
 * language links point at the same address with `?lang=` (relative, so a status page's token is never
 * written into the page a second time).
 */
function page(res: Response, language: Language, title: string, body: string): void {
  const links = otherLanguages(language)
    .map(
      (other) =>
        `<a href="?lang=${other}" hreflang="${other}" lang="${other}">${escapeHtml(LANGUAGE_NAMES[other])}</a>`,
    )
    .join('');
  res
    .status(200)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Language': language,
      Vary: 'Accept-Language',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex, nofollow',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
      'X-Content-Type-Options': 'nosniff',
    })
    .send(
      `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow">` +
        `<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
        `<body><header><nav aria-label="${escapeHtml(t(language, 'pages:layout.languages'))}">${links}</nav></header>` +
        `<main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    );
}

/**
 * A text of the pages namespace as HTML: the catalogue's own markup kept, every value HTML-escaped before
 * it is filled in.
 */
function html(language: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  const escaped = Object.fromEntries(Object.entries(values).map(([name, v]) => [name, escapeHtml(v)]));
  return t(language, key, escaped);
}

/** The language a visitor reads a page in: `?lang=`, else the browser's languages, else English. */
const languageOf = (req: Request): Language => pageLanguage(req.query.lang, req.get('accept-language'));

const STATUS_KEYS: Record<PrivacyRequestStatus, MessageKey> = {
  received: 'pages:status.state.received',
  awaiting_confirmation: 'pages:status.state.awaitingConfirmation',
  in_progress: 'pages:status.state.inProgress',
  completed: 'pages:status.state.completed',
  failed: 'pages:status.state.failed',
  cancelled: 'pages:status.state.cancelled',
};

const listQuery = z.strictObject({
  status: z.enum(PRIVACY_REQUEST_STATUSES).optional(),
  type: z.enum(['access', 'correction', 'erasure', 'opt-out', 'opt-in']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ error: 'must be an ISO date-time' }).optional(),
});

/** A request the business received outside the chat (e-mail, letter), executed on its behalf. */
const adminRequestBody = z.strictObject({
  type: z.enum(['access', 'erasure', 'opt-out']),
  customer: customerParam,
});

/**
 * Privacy routes: Meta's data deletion callback and its status page, the public deletion instructions,
 * and the business's privacy requests (operator token or the business's own API key).
 */
export function privacyRouter(deps: PrivacyRoutesDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  // The status pages and the callback must not be brute-forced: 30 calls a minute per address, together.
  const limited = deps.limits({
    name: 'privacy',
    limit: 30,
    windowMs: MINUTE_MS,
    refuse: (_req, _res, next) =>
      next(new AppError('RATE_LIMITED', 'too many requests; try again in a minute')),
  });

  router.post(
    '/meta/data-deletion',
    limited,
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 }),
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      let userId: string;
      try {
        userId = verifySignedRequest(body.signed_request, deps.appSecret, now());
      } catch (err) {
        if (!(err instanceof SignedRequestError)) throw err;
        deps.counters.add('privacy.meta_callback.refused');
        req.log.warn({ reason: err.message }, 'meta data deletion callback refused');
        throw new AppError('VALIDATION_FAILED', `invalid signed_request: ${err.message}`);
      }
      const answer = await deps.privacy.metaDeletion(userId);
      deps.counters.add('privacy.meta_callback.accepted');
      res.json({ url: answer.url, confirmation_code: answer.confirmationCode });
    },
  );

  // A known and an unknown token get the same status code and the same page, field for field: the answer
  // must not tell someone trying tokens which ones exist.
  router.get('/data-deletion/status/:token', limited, async (req, res) => {
    const language = languageOf(req);
    const request = await deps.privacy.byStatusToken(String(req.params.token));
    const nothingLinked = request?.channel === 'meta-callback';
    // A status this page has no words for (one added later) is shown as it is stored.
    const statusKey: MessageKey | undefined = request ? STATUS_KEYS[request.status] : undefined;
    const status = request
      ? statusKey
        ? t(language, statusKey)
        : request.status
      : t(language, 'pages:status.notFound');
    page(
      res,
      language,
      t(language, 'pages:status.title'),
      `<p>${html(language, 'pages:status.code', { code: request ? request.confirmationCode : '-' })}</p>` +
        `<p>${html(language, 'pages:status.receivedOn', { date: request ? formatDate(language, request.receivedAt) : '-' })}</p>` +
        `<p>${html(language, 'pages:status.status', { status })}</p>` +
        (nothingLinked ? `<p>${html(language, 'pages:status.nothingLinked')}</p>` : '') +
        `<p>${html(language, 'pages:status.howTo', { href: `/data-deletion?lang=${language}` })}</p>`,
    );
  });

  router.get('/data-deletion', (req, res) => {
    const language = languageOf(req);
    const item = (key: MessageKey, values?: Record<string, string>) =>
      `<li>${html(language, key, values)}</li>`;
    page(
      res,
      language,
      t(language, 'pages:deletion.title'),
      `<p>${html(language, 'pages:deletion.intro')}</p>` +
        `<h2>${html(language, 'pages:deletion.ways.heading')}</h2><ul>` +
        item('pages:deletion.ways.chat') +
        item('pages:deletion.ways.meta') +
        (deps.contactEmail ? item('pages:deletion.ways.email', { email: deps.contactEmail }) : '') +
        `</ul><h2>${html(language, 'pages:deletion.kept.heading')}</h2><ul>` +
        item('pages:deletion.kept.orders') +
        item('pages:deletion.kept.record') +
        item('pages:deletion.kept.whatsapp') +
        '</ul>',
    );
  });

  // The business's privacy requests, for the operator and the business's own keys.
  const allowed = deps.auth.business;
  const base = '/admin/businesses/:phoneNumberId/privacy-requests';
  async function business(req: Request): Promise<BusinessData> {
    const id = parseOrThrow(phoneNumberIdParam, req.params.phoneNumberId, 'phoneNumberId');
    const found = await deps.directory.get(id);
    if (!found) throw new AppError('NOT_FOUND', `no business with phone number id ${id}`);
    return found;
  }

  router.get(base, allowed, async (req, res) => {
    const query = parseOrThrow(listQuery, req.query, 'query');
    const found = await business(req);
    const requests = await deps.privacy.list(found.phoneNumberId, {
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.type ? { type: query.type } : {}),
      ...(query.before ? { before: new Date(query.before) } : {}),
    });
    res.json({ requests: requests.map((r) => requestView(r, now())) });
  });

  router.post(base, allowed, express.json({ limit: '4kb', type: () => true }), async (req, res) => {
    const body = parseOrThrow(adminRequestBody, req.body, 'body');
    const found = await business(req);
    // Either id finds the customer, also one first seen by the other; an erasure scans for both.
    const { ref, ids } = await deps.identities.lookup(found.phoneNumberId, body.customer);
    deps.counters.add(`privacy.admin.${body.type}`);
    if (body.type === 'access') {
      const answer = await deps.privacy.access(found, ref, 'admin');
      res.status(201).json({ request: requestView(answer.request, now()), export: answer.export });
      return;
    }
    if (body.type === 'opt-out') {
      const request = await deps.privacy.setOptOut(found, ref, true, 'admin');
      res.status(201).json({ request: requestView(request, now()) });
      return;
    }
    const profile = await deps.privacy.readProfile(ref);
    const request = await deps.privacy.eraseForBusiness(found, ref, {
      ...(ids.waId ? { waId: ids.waId } : {}),
      ...(ids.userId ? { userId: ids.userId } : {}),
      ...(profile.name ? { name: profile.name } : {}),
    });
    res.status(201).json({ request: requestView(request, now()) });
  });

  return router;
}
