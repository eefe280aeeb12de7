import express from 'express';
import type { Router } from 'express';
import { z } from 'zod';
import { escapeHtml as esc } from '../../http/escape-html.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { csrfField, formText, generalProblems, readForm } from '../forms.js';
import { messageBlock, nav, sendPage } from '../layout.js';

const aiForm = z.object({ aiReplies: formText });

/** A business's overview: the AI replies switch with its recent history, and what the business has set up. */
export function overviewPage(portal: Portal): Router {
  const router = express.Router();

  router.get('/portal/b/:pnid', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const base = `/portal/b/${esc(business.phoneNumberId)}`;
    const changes = await portal.deps.settings.changes(business.phoneNumberId, {
      limit: 5,
      field: 'aiReplies',
    });
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
    // Orders still to be handled, whenever placed: refreshed live as orders arrive and move on.
    const open = (await portal.deps.orders.openOrdersSince(business.phoneNumberId, new Date(0), 1)).total;
    sendPage(res, {
      title: business.name,
      nav: nav(session, business),
      live: 'order.placed,order.updated',
      body:
        messageBlock(req) +
        '<section aria-labelledby="ai-heading"><h2 id="ai-heading">AI replies</h2>' +
        `<p data-testid="ai-status">AI replies are <strong>${on ? 'on' : 'off'}</strong>.</p>` +
        `<form method="post" action="${base}/ai" data-testid="ai-form">${csrfField(session)}` +
        `<input type="hidden" name="aiReplies" value="${on ? 'off' : 'on'}">` +
        `<button type="submit" id="ai-toggle" data-testid="ai-toggle">Switch AI replies ${on ? 'off' : 'on'}</button></form>` +
        (history ? `<h3>Recent switches</h3><ul data-testid="ai-history">${history}</ul>` : '') +
        '</section>' +
        `<section aria-labelledby="summary-heading" id="summary-live" data-live-region><h2 id="summary-heading">Summary</h2><ul>` +
        `<li data-testid="open-orders"><a href="${base}/orders">${open === 1 ? '1 open order' : `${open} open orders`}</a></li>` +
        `<li>${business.catalog.length} catalog items (<a href="${base}/catalog">edit</a>)</li>` +
        `<li>${business.faq.length} FAQ entries (<a href="${base}/faq">edit</a>)</li>` +
        `<li><a href="${base}/orders">Orders</a> · <a href="${base}/privacy">Privacy requests</a></li></ul></section>`,
    });
  });

  router.post('/portal/b/:pnid/ai', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const wanted = readForm(aiForm, req.body).aiReplies;
    if (wanted !== 'on' && wanted !== 'off') throw new PortalError(400, 'Choose on or off.');
    await portal.write(
      session,
      business,
      (input) => ({ ...input, aiReplies: wanted === 'on' }),
      generalProblems,
    );
    portal.deps.counters.add('portal.ai_switched');
    res.redirect(303, `/portal/b/${business.phoneNumberId}?msg=ai-${wanted}`);
  });

  return router;
}
