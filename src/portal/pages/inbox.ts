import express from 'express';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { BusinessData } from '../../businesses/schema.js';
import type { PortalSession } from '../../db/models/portal-session.model.js';
import type { HandoffEnd, HandoffStatus } from '../../db/models/handoff.model.js';
import { MAX_REPLY_CHARS, newReplyId } from '../../handoff/service.js';
import type {
  HandoffActionResult,
  HandoffService,
  HandoffSummary,
  HandoffThread,
  ReplyOutcome,
} from '../../handoff/service.js';
import { escapeHtml as esc } from '../../http/escape-html.js';
import type { Portal } from '../context.js';
import { PortalError } from '../error-page.js';
import { csrfField, formText, readForm, textOf } from '../forms.js';
import { nav, sendPage } from '../layout.js';
import { businessZone, placedText, zoneNote } from '../order-parts.js';

/** What the inbox refreshes on, live (src/live/). */
const LIVE = 'handoff.opened,handoff.message,handoff.updated';

const STATUS_LABEL: Record<HandoffStatus, string> = {
  waiting: 'Waiting for a person',
  taken: 'Taken: a person is answering',
  returned: 'Handed back to the bot',
  closed: 'Closed',
};

/** How an ended conversation ended, by who ended it (the status alone would say "handed back" for all). */
const END_LABEL: Record<HandoffEnd, string> = {
  'customer-cancelled': 'The customer went back to the bot',
  left: 'The customer went back to the bot',
  'staff-returned': 'Handed back by staff',
  'staff-closed': 'Closed by staff',
  timeout: 'Timed out: nobody answered in time, the bot took over',
};

/** The confirmations and refusals a redirect may show (`?msg=`): only these texts. */
const MESSAGES: Record<string, { text: string; problem?: boolean }> = {
  taken: { text: 'You took this conversation. The customer was told a person has joined.' },
  'reply-sent': { text: 'Reply sent.' },
  'reply-queued': {
    text: 'Reply stored; it is waiting to be sent (it goes out in order, retried if needed).',
  },
  'reply-failed': { text: 'WhatsApp refused the reply. It was not delivered.', problem: true },
  'reply-not-sent': {
    text: 'The reply was not sent: sending is not set up, or the customer asked not to get messages.',
    problem: true,
  },
  'reply-outside-window': {
    text: 'Not sent: the customer last wrote more than 24 hours ago, so only an approved template can reach them.',
    problem: true,
  },
  'reply-no-template': {
    text: 'Not sent: no approved template is mapped for a staff reply. Map one on the templates page.',
    problem: true,
  },
  'reply-not-taken': { text: 'Take the conversation before replying.', problem: true },
  'reply-empty': { text: 'Write a reply first.', problem: true },
  'reply-too-long': { text: `A reply can have at most ${MAX_REPLY_CHARS} characters.`, problem: true },
  'handed-back': { text: 'The conversation is back with the bot; the customer was told.' },
  closed: { text: 'Conversation closed. The bot answers the customer’s next message.' },
  'not-waiting': { text: 'Someone already took this conversation.', problem: true },
  'not-open': { text: 'This conversation has already ended.', problem: true },
};

/** A handoff id in a path: the keyed hash the service makes (base64url). */
const HANDOFF_ID = /^[A-Za-z0-9_-]{16,64}$/;
/** A reply form's id: a UUID made when the form was shown. */
const REPLY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const replyForm = z.object({ text: formText, replyId: formText, menuButton: formText });
const templateForm = z.object({ replyId: formText });

/** "5 min", "2 h 10 min", "3 days": how long ago, for the list. */
export function waitingFor(since: Date, now: number): string {
  const minutes = Math.max(0, Math.floor((now - since.getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

/** "just now", "5 min ago". */
const ago = (since: Date, now: number): string => {
  const text = waitingFor(since, now);
  return text === 'just now' ? text : `${text} ago`;
};

/** A language's name in English ("Spanish"), never its code. */
const languageName = (code: string): string =>
  new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;

/** A time as staff read it, in the business's time zone: "14:05" today, "Mon 3 Mar, 14:05" another day. */
const when = (at: Date, zone: string, now: number): string => placedText(at, zone, now);

const who = (h: HandoffSummary): string =>
  h.customer.name
    ? `${esc(h.customer.name)} <small>(${esc(h.customer.masked)})</small>`
    : esc(h.customer.masked);

function notice(req: Request): string {
  const m = MESSAGES[textOf(req.query.msg)];
  if (!m) return '';
  return m.problem
    ? `<p class="problem" role="alert" data-testid="problem">${esc(m.text)}</p>`
    : `<p class="message" role="status" data-testid="message">${esc(m.text)}</p>`;
}

/**
 * A customer's media message gets a *Show* link that fetches it on demand (pages/inbox-media.ts), by the
 * media id kept beside the text: never read from the text, which the customer wrote. None where there is no
 * media source (the simulator's Graph sink keeps no media).
 */
const withShowLink = (escaped: string, thread: string, mediaId: string | undefined): string =>
  mediaId
    ? `${escaped} (<a href="${thread}/media/${esc(encodeURIComponent(mediaId))}" target="_blank" rel="noopener">Show</a>)`
    : escaped;

/**
 * The staff inbox: the business's conversations waiting for a person or taken by one, newest activity
 * first; one conversation's messages, with Take, a reply form (through the outbox; replaced by a notice
 * outside the customer's 24-hour window), Hand back to the bot and Close (after a confirmation page).
 */
export function inboxPages(portal: Portal): Router {
  const router = express.Router();
  const { deps } = portal;

  const service = (): HandoffService => {
    if (!deps.handoffs) throw new PortalError(404, 'The inbox is not set up on this server.');
    return deps.handoffs;
  };

  const handoffId = (req: Request): string => {
    const id = String(req.params.handoffId);
    if (!HANDOFF_ID.test(id)) throw new PortalError(404, 'No such conversation.');
    return id;
  };

  const base = (business: BusinessData) => `/portal/b/${esc(business.phoneNumberId)}/inbox`;

  router.get('/portal/b/:pnid/inbox', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const list = await service().list(business.phoneNumberId);
    // The list shows the customers' names and masked numbers: the view is recorded first, when there is any.
    if (list.length > 0)
      await portal.deps.desk.record(business.phoneNumberId, session.actor, 'handoff.list', 'inbox');
    const now = portal.now();
    const rows = list
      .map(
        (h) =>
          `<tr data-testid="handoff-${esc(h.id)}"><td>${who(h)}</td>` +
          `<td data-testid="handoff-${esc(h.id)}-status">${esc(STATUS_LABEL[h.status])}` +
          (h.unanswered > 0
            ? ` <span class="badge" aria-label="${h.unanswered} unanswered">${h.unanswered}</span>`
            : '') +
          `</td><td>${esc(waitingFor(h.openedAt, now))}<br><small>last message ${esc(ago(h.lastActivityAt, now))}</small></td>` +
          `<td><a href="${base(business)}/${esc(h.id)}" data-testid="open-${esc(h.id)}">Open<span class="visually-hidden"> the conversation</span></a></td></tr>`,
      )
      .join('');
    sendPage(res, {
      title: `Inbox · ${business.name}`,
      nav: nav(session, business),
      live: LIVE,
      body:
        notice(req) +
        '<p>Customers who asked to talk to a person. Take a conversation to answer it here; hand it back to the bot when you are done.</p>' +
        `<div data-live-region id="inbox-list">` +
        (rows
          ? `<table data-testid="handoffs"><caption>${list.length} open, newest activity first</caption><thead><tr><th scope="col">Customer</th><th scope="col">State</th><th scope="col">Waiting</th><th scope="col"><span class="visually-hidden">Open</span></th></tr></thead><tbody>${rows}</tbody></table>`
          : '<p data-testid="inbox-empty">Nobody is waiting for a person.</p>') +
        '</div>',
    });
  });

  function threadBody(session: PortalSession, business: BusinessData, h: HandoffThread, now: number): string {
    const url = `${base(business)}/${esc(h.id)}`;
    const open = h.status === 'waiting' || h.status === 'taken';
    const zone = businessZone(business);
    const bubbles = h.messages
      .map(
        (m) =>
          `<li class="bubble ${m.direction}" data-testid="bubble-${m.direction}">` +
          `<small>${m.direction === 'in' ? 'Customer' : 'You'} · <time datetime="${m.at.toISOString()}">${esc(when(m.at, zone, now))}</time></small>` +
          `${m.direction === 'in' ? withShowLink(esc(m.text), url, deps.media ? m.mediaId : undefined) : esc(m.text)}</li>`,
      )
      .join('');
    const facts =
      `<p data-testid="thread-status"><strong>${esc(!open && h.endReason ? END_LABEL[h.endReason] : STATUS_LABEL[h.status])}</strong> · asked ${esc(when(h.openedAt, zone, now))} (${esc(ago(h.openedAt, now))})` +
      (h.takenAt ? ` · taken ${esc(when(h.takenAt, zone, now))}` : '') +
      (h.endedAt ? ` · ended ${esc(when(h.endedAt, zone, now))}` : '') +
      ` · writes in ${esc(languageName(h.language))}<br>${zoneNote(zone)}</p>`;
    let reply = '';
    if (h.status === 'waiting') {
      reply =
        `<form method="post" action="${url}/take" data-testid="take-form">${csrfField(session)}` +
        '<p>Take the conversation to answer it: the customer is told a person has joined, and the bot will not hand it back on its own.</p>' +
        '<button type="submit" data-testid="take">Take</button></form>';
    } else if (h.status === 'taken' && !h.windowOpen) {
      const closed =
        '<p class="problem" role="status" data-testid="window-closed">The customer last wrote more than 24 hours ago: WhatsApp allows only an approved template now, not a free reply.</p>';
      reply = h.replyTemplate
        ? closed +
          `<form method="post" action="${url}/template" data-testid="template-form">${csrfField(session)}` +
          `<input type="hidden" name="replyId" value="${newReplyId()}">` +
          `<p>Send the approved template <strong>${esc(h.replyTemplate)}</strong>: it asks the customer to write back; once they do, you can reply freely.</p>` +
          '<button type="submit" data-testid="template-send">Send the approved template</button></form>'
        : closed +
          `<p data-testid="no-template">No approved template is mapped for a staff reply. <a href="/portal/b/${esc(business.phoneNumberId)}/templates">Map one on the templates page</a>, or hand the conversation back to the bot, or close it.</p>`;
    } else if (h.status === 'taken') {
      reply =
        `<form method="post" action="${url}/reply" data-testid="reply-form">${csrfField(session)}` +
        `<input type="hidden" name="replyId" value="${newReplyId()}">` +
        `<p><label for="reply-text">Reply to the customer</label><textarea id="reply-text" name="text" rows="4" maxlength="${MAX_REPLY_CHARS}" required data-testid="reply-text"></textarea></p>` +
        '<p><input type="checkbox" id="reply-menu" name="menuButton" value="on" data-testid="reply-menu"> <label for="reply-menu" class="inline">Add a ‘Show options’ button to this reply (tapping it after you hand back opens the bot’s menu)</label></p>' +
        '<div class="actions"><button type="submit" class="primary" data-testid="reply-send">Send</button></div></form>';
    }
    // Ending the conversation is apart from the reply form (its own section, below a rule, plain buttons), so
    // a tap meant for Send cannot hand the customer back on a phone.
    const actions = open
      ? `<section class="done" aria-labelledby="done-heading"><h2 id="done-heading">When you are done</h2>` +
        '<ul class="hint" data-testid="done-explained">' +
        '<li><strong>Hand back to the bot</strong>: the bot still has work to do (an order, a question): the customer is told they are back with it.</li>' +
        '<li><strong>Close</strong>: the matter is settled and recorded as closed by staff; the customer is told the same, and the bot answers their next message.</li></ul>' +
        `<div class="actions"><form method="post" action="${url}/hand-back" class="inline" data-testid="hand-back-form">${csrfField(session)}<button type="submit" data-testid="hand-back">Hand back to the bot</button></form>` +
        `<a href="${url}/close" data-testid="close">Close…</a></div></section>`
      : '';
    return (
      facts +
      `<div data-live-region id="thread">` +
      (bubbles
        ? `<ol class="thread" data-testid="thread" aria-label="Messages">${bubbles}</ol>`
        : '<p data-testid="thread-empty">No messages yet since the customer asked for a person.</p>') +
      '</div>' +
      reply +
      actions +
      `<p><a href="${base(business)}">Back to the inbox</a></p>`
    );
  }

  router.get('/portal/b/:pnid/inbox/:handoffId', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const h = await service().get(business.phoneNumberId, handoffId(req));
    if (!h) throw new PortalError(404, 'No such conversation.');
    // The customer's name and messages are shown: the view is recorded first (a view that cannot be
    // recorded shows nothing).
    await portal.deps.desk.record(business.phoneNumberId, session.actor, 'handoff.thread', h.id);
    // Blue ticks for the customer: a person has read their messages. Not awaited: cosmetic, never throws.
    void portal.deps.markHandoffSeen?.(business.phoneNumberId, h.id);
    sendPage(res, {
      title: `Conversation with ${h.customer.name ?? h.customer.masked}`,
      nav: nav(session, business),
      live: LIVE,
      body: notice(req) + threadBody(session, business, h, portal.now()),
    });
  });

  /** The confirmation before closing: the bot answers the customer's next message. */
  router.get('/portal/b/:pnid/inbox/:handoffId/close', async (req, res) => {
    const session = await portal.requireSession(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const h = await service().get(business.phoneNumberId, handoffId(req));
    if (!h) throw new PortalError(404, 'No such conversation.');
    const url = `${base(business)}/${esc(h.id)}`;
    sendPage(res, {
      title: 'Close this conversation?',
      nav: nav(session, business),
      body:
        `<p>Close the conversation with ${who(h)}? The customer is told they are back with the automated assistant, which answers their next message.</p>` +
        `<form method="post" action="${url}/close" class="actions" data-testid="close-form">${csrfField(session)}` +
        `<button type="submit" data-testid="close-confirm">Close the conversation</button> <a href="${url}">Cancel</a></form>`,
    });
  });

  /** After an action: back to the conversation with its outcome. */
  const after = (res: Response, business: BusinessData, id: string, msg: string) =>
    res.redirect(303, `/portal/b/${business.phoneNumberId}/inbox/${id}?msg=${msg}`);

  const actionMsg = (result: HandoffActionResult, done: string): string => {
    if (result === 'not-found') throw new PortalError(404, 'No such conversation.');
    return result === 'done' ? done : result;
  };

  router.post('/portal/b/:pnid/inbox/:handoffId/take', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const id = handoffId(req);
    const result = await service().take(business.phoneNumberId, id);
    deps.counters.add(`portal.handoff.take_${result.replace('-', '_')}`);
    after(res, business, id, actionMsg(result, 'taken'));
  });

  router.post('/portal/b/:pnid/inbox/:handoffId/reply', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const id = handoffId(req);
    const form = readForm(replyForm, req.body);
    if (!REPLY_ID.test(form.replyId)) throw new PortalError(400, 'The form could not be read.');
    const outcome: ReplyOutcome = await service().reply(business.phoneNumberId, id, form.replyId, form.text, {
      showOptions: form.menuButton === 'on',
    });
    if (outcome === 'not-found') throw new PortalError(404, 'No such conversation.');
    deps.counters.add(`portal.handoff.reply_${outcome.replace(/-/g, '_')}`);
    after(res, business, id, `reply-${outcome}`);
  });

  router.post('/portal/b/:pnid/inbox/:handoffId/template', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const id = handoffId(req);
    const form = readForm(templateForm, req.body);
    if (!REPLY_ID.test(form.replyId)) throw new PortalError(400, 'The form could not be read.');
    const outcome = await service().sendTemplate(business.phoneNumberId, id, form.replyId);
    if (outcome === 'not-found') throw new PortalError(404, 'No such conversation.');
    deps.counters.add(`portal.handoff.template_${outcome.replace(/-/g, '_')}`);
    after(res, business, id, `reply-${outcome}`);
  });

  router.post('/portal/b/:pnid/inbox/:handoffId/hand-back', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const id = handoffId(req);
    const result = await service().handBack(business.phoneNumberId, id);
    deps.counters.add(`portal.handoff.hand_back_${result.replace('-', '_')}`);
    after(res, business, id, actionMsg(result, 'handed-back'));
  });

  router.post('/portal/b/:pnid/inbox/:handoffId/close', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    const business = await portal.businessFor(req, session);
    const id = handoffId(req);
    const result = await service().close(business.phoneNumberId, id);
    deps.counters.add(`portal.handoff.close_${result.replace('-', '_')}`);
    after(res, business, id, actionMsg(result, 'closed'));
  });

  return router;
}
