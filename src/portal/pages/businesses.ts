import express from 'express';
import type { Router } from 'express';
import { escapeHtml as esc } from '../../http/escape-html.js';
import type { Portal } from '../context.js';
import { nav, sendPage } from '../layout.js';

/** The operator's list of businesses; a business's own session goes straight to its overview. */
export function businessesPage(portal: Portal): Router {
  const router = express.Router();

  router.get('/portal/businesses', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    if (session.actor.kind === 'key') {
      res.redirect(303, `/portal/b/${session.actor.phoneNumberId}`);
      return;
    }
    const businesses = await portal.deps.Business.find({}, { _id: 0, phoneNumberId: 1, name: 1 })
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

  return router;
}
