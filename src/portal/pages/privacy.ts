import express from 'express';
import { DateTime } from 'luxon';
import type { Router } from 'express';
import { PRIVACY_REQUEST_STATUSES } from '../../db/models/privacy-request.model.js';
import type {
  PrivacyChannel,
  PrivacyRequestStatus,
  PrivacyRequestType,
} from '../../db/models/privacy-request.model.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import { requestView } from '../../privacy/request-view.js';
import type { Portal } from '../context.js';
import { textOf } from '../forms.js';
import { nav, sendPage } from '../layout.js';
import { businessZone } from '../order-parts.js';

const isRequestStatus = (value: string): value is PrivacyRequestStatus =>
  (PRIVACY_REQUEST_STATUSES as readonly string[]).includes(value);

/** Labels, never raw values. */
const STATUS_LABEL: Record<PrivacyRequestStatus, string> = {
  received: 'Received',
  awaiting_confirmation: 'Waiting for the customer to confirm',
  in_progress: 'In progress',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const TYPE_LABEL: Record<PrivacyRequestType, string> = {
  access: 'Copy of their data',
  correction: 'Correction',
  erasure: 'Deletion',
  'opt-out': 'No more messages',
  'opt-in': 'Messages again',
};
const CHANNEL_LABEL: Record<PrivacyChannel, string> = {
  chat: 'WhatsApp chat',
  'meta-callback': 'Meta (app removed)',
  admin: 'Operator',
};

/**
 * The privacy requests customers made of the business, newest first, by confirmation code: the customer is
 * never named here.
 */
export function privacyPage(portal: Portal): Router {
  const router = express.Router();

  router.get('/portal/b/:pnid/privacy', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const wanted = textOf(req.query.status);
    const filter = isRequestStatus(wanted) ? wanted : undefined;
    const requests = await portal.deps.privacy.list(business.phoneNumberId, {
      limit: 200,
      ...(filter ? { status: filter } : {}),
    });
    // Days on the business's clock, not UTC's.
    const zone = businessZone(business);
    const date = (iso: string | undefined) =>
      iso ? esc(DateTime.fromISO(iso, { zone }).toFormat('d LLL yyyy')) : '—';
    const rows = requests
      .map((r) => requestView(r, portal.now()))
      .map(
        (r) =>
          `<tr data-testid="privacy-${esc(r.confirmationCode)}"><td>${esc(r.confirmationCode)}</td><td>${esc(TYPE_LABEL[r.type])}</td>` +
          `<td>${esc(STATUS_LABEL[r.status])}${r.overdue ? ' <strong>(overdue)</strong>' : ''}</td><td>${esc(CHANNEL_LABEL[r.channel])}</td>` +
          `<td>${date(r.receivedAt)}</td><td>${date(r.dueAt)}</td><td>${date(r.completedAt)}</td></tr>`,
      )
      .join('');
    const options = ['' as const, ...PRIVACY_REQUEST_STATUSES]
      .map(
        (s) =>
          `<option value="${s}"${s === (filter ?? '') ? ' selected' : ''}>${esc(s ? STATUS_LABEL[s] : 'All')}</option>`,
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
          ? `<div class="scroll" role="region" aria-label="Privacy requests" tabindex="0"><table data-testid="privacy-requests"><caption>Privacy requests</caption><thead><tr><th scope="col">Code</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Channel</th><th scope="col">Received</th><th scope="col">Due</th><th scope="col">Completed</th></tr></thead><tbody>${rows}</tbody></table></div>`
          : '<p>No privacy requests.</p>'),
    });
  });

  return router;
}
