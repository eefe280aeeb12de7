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
import { AppError } from '../errors.js';
import type { Counters } from '../metrics.js';
import type { AddressLimits } from '../rate-limit.js';
import { MINUTE_MS } from '../core/time.js';
import { escapeHtml } from '../http/escape-html.js';
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

/** A plain page: no scripts, no third parties, not indexed, no referrer, never cached. */
function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex, nofollow',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
      'X-Content-Type-Options': 'nosniff',
    })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow">` +
        `<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.5rem}code{background:#f2f2f2;padding:0 .25rem}</style>` +
        `</head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    );
}

const STATUS_WORDS: Record<string, string> = {
  received: 'Received: we are working on it.',
  awaiting_confirmation: 'Waiting for your confirmation in the chat.',
  in_progress: 'In progress: your data is being deleted.',
  completed: 'Completed.',
  failed: 'Not finished yet: a check found data left behind, and the team has been alerted.',
  cancelled: 'Cancelled at your request: nothing was deleted.',
};

/** What the status page says for a token it does not know (mistyped, expired, or not recorded yet). */
const NO_REQUEST =
  'No request found for this link, or it is still being recorded. Check that you copied the whole link, or try again later.';

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
    const request = await deps.privacy.byStatusToken(String(req.params.token));
    const nothingLinked = request?.channel === 'meta-callback';
    page(
      res,
      200,
      'Data deletion request',
      `<p>Confirmation code: <code>${request ? escapeHtml(request.confirmationCode) : '-'}</code></p>` +
        `<p>Received: ${request ? request.receivedAt.toISOString().slice(0, 10) : '-'}</p>` +
        `<p>Status: <strong>${escapeHtml(request ? (STATUS_WORDS[request.status] ?? request.status) : NO_REQUEST)}</strong></p>` +
        (nothingLinked
          ? '<p>This service keeps no data linked to your Facebook account, so there was nothing to delete. ' +
            'If you chatted with a business on WhatsApp, write <em>delete my data</em> in that chat to delete what that business holds about you.</p>'
          : '') +
        '<p>See <a href="/data-deletion">how to delete your data</a>.</p>',
    );
  });

  router.get('/data-deletion', (_req, res) => {
    const email = deps.contactEmail
      ? `<li><strong>By e-mail:</strong> write to <a href="mailto:${escapeHtml(deps.contactEmail)}">${escapeHtml(deps.contactEmail)}</a> from any address, naming the business and your WhatsApp number. We pass it to the business, which carries it out and answers within one month.</li>`
      : '';
    page(
      res,
      200,
      'How to delete your data',
      '<p>Businesses use this service to take orders and answer customers on WhatsApp. Each business decides about its own customers’ data; a request to one business never touches another’s.</p>' +
        '<h2>Ways to ask</h2><ul>' +
        '<li><strong>In the WhatsApp chat</strong> with the business: write <em>delete my data</em> (or <em>borra mis datos</em>, <em>apague meus dados</em>, <em>supprimer mes données</em>, <em>meine Daten löschen</em>). The bot explains what is deleted and kept, asks you to confirm with a button, and answers with a confirmation code. Write <em>what data do you have on me</em> to get a copy first.</li>' +
        '<li><strong>Through Facebook / Meta:</strong> removing this app in your Facebook settings sends us a deletion request; you get a confirmation code and a status link.</li>' +
        email +
        '</ul><h2>What is kept, and why</h2><ul>' +
        '<li>Orders, anonymised: items, amounts, dates and order number, with no name, phone, address or chat, for as long as accounting law requires (10 years unless the business set otherwise).</li>' +
        '<li>A record of your request (code, dates, counts; no personal data) for 3 years, to show it was done.</li>' +
        '<li>WhatsApp (Meta) keeps its own copy of messages for up to 30 days.</li></ul>',
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
