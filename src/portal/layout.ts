import type { Request, Response } from 'express';
import type { BusinessData } from '../businesses/schema.js';
import type { PortalSession } from '../db/models/portal-session.model.js';
import { escapeHtml as esc } from '../http/escape-html.js';
import { csrfField, textOf } from './forms.js';

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem 2rem;color:#1a1a1a}' +
  'header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;border-bottom:1px solid #ccc}' +
  'nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0}' +
  'table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}' +
  'label{display:block;font-weight:600}input,select,textarea,button{font:inherit}' +
  'input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #1a5fb4;outline-offset:2px}' +
  '.error{color:#a51d2d}.message{background:#e8f3e8;border-left:4px solid #26a269;padding:.5rem}' +
  '.problem{background:#fbeaea;border-left:4px solid #a51d2d;padding:.5rem}.warn{background:#fff4ce;border-left:4px solid #c88800;padding:.5rem}fieldset{margin:1rem 0}' +
  '.hint{display:block;color:#555;font-size:.9em}.day{display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));gap:.5rem 1rem}.day .wide{grid-column:1/-1}input,select,textarea{max-width:100%;box-sizing:border-box}' +
  '.inline{display:inline}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}' +
  '.thread{list-style:none;padding:0;display:flex;flex-direction:column;gap:.5rem}.bubble{max-width:80%;padding:.5rem .75rem;border-radius:.75rem;background:#f0f0f0;white-space:pre-wrap;overflow-wrap:anywhere}' +
  '.bubble.out{align-self:flex-end;background:#dcf0dc}.bubble small{display:block;color:#555}.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}' +
  'textarea{width:100%;box-sizing:border-box}.badge{display:inline-block;padding:0 .4rem;border-radius:.5rem;background:#1a5fb4;color:#fff;font-size:.85em}' +
  '.live{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}#live-status{font-size:.9rem;color:#555}' +
  '#live-status[data-state=live]{color:#26a269}[aria-pressed=true]{background:#e8f3e8}' +
  'button.primary{background:#1a5fb4;color:#fff;border:1px solid #1a5fb4;border-radius:.3rem;padding:.5rem 1.25rem}' +
  'ul.cards{list-style:none;padding:0}.card{border:1px solid #ccc;border-radius:.4rem;margin:.5rem 0;padding:.25rem .75rem}.card h3{margin:.4rem 0}.card p{margin:.4rem 0}.card .actions a{display:inline-block;padding:.3rem .75rem;border:1px solid #1a5fb4;border-radius:.3rem}' +
  '.nowrap{white-space:nowrap}details{margin:1rem 0}summary{cursor:pointer;font-weight:600}' +
  '.done{margin-top:2rem;padding-top:.5rem;border-top:1px solid #ccc}.done h2{font-size:1.1rem;margin:.5rem 0 0}' +
  // A wide table scrolls inside its box at a phone's width instead of the whole page.
  '.scroll{overflow-x:auto;max-width:100%;position:relative}' +
  'tr.not-sent td{background:#fdf3f3}@media (max-width:40rem){table.stack thead{display:none}' +
  'table.stack tr{display:block;border-bottom:1px solid #ddd;padding:.3rem 0}table.stack td{display:block;border:0;padding:.1rem .4rem}' +
  // A table of cards: each row boxed, its values labelled, empty ones left out, actions big enough to tap.
  'table.cards,table.cards tbody{display:block}table.cards tr{border:1px solid #ccc;border-radius:.4rem;margin:.5rem 0;padding:.5rem}' +
  'table.cards td[data-label]::before{content:attr(data-label) ": ";font-weight:600}table.cards td[data-label]:empty{display:none}' +
  'table.cards td.actions a{display:inline-block;padding:.4rem .75rem;margin:.4rem .5rem 0 0;border:1px solid #1a5fb4;border-radius:.3rem}' +
  // On a phone the header stays short: the pages in one row that scrolls sideways (the day's pages first),
  // its right end fading out to show there is more.
  'header{gap:.25rem .75rem}header>p{margin:.5rem 0 0}nav{max-width:100%;overflow-x:auto;-webkit-mask-image:linear-gradient(90deg,#000 85%,transparent);mask-image:linear-gradient(90deg,#000 85%,transparent)}' +
  'nav ul{flex-wrap:nowrap;gap:.25rem;margin:.25rem 0}nav li a{display:inline-block;white-space:nowrap;padding:.4rem .5rem}' +
  'header form{margin-bottom:.5rem}}';

export interface PageOptions {
  title: string;
  /** The page's heading as HTML when it needs markup (escaped by the caller); else the escaped title. */
  heading?: string;
  body: string;
  /** The signed-in nav (business links, sign-out form); absent on the sign-in page. */
  nav?: string;
  status?: number;
  /**
   * The live-event kinds (src/live/events.ts) this page refreshes on, comma-separated: `<main data-live>`.
   * The client script then fetches the page again on such an event and swaps each `[data-live-region]`.
   */
  live?: string;
}

/**
 * A whole page: no third parties, never cached, not framed, not indexed. The one script is the portal's own
 * (/portal/assets/live.js, on signed-in pages): live updates and the sound / notification switch.
 */
export function sendPage(res: Response, options: PageOptions): void {
  res
    .status(options.status ?? 200)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on the portal's own form
      // posts, which the origin check then refuses; other sites still get no referrer.
      'Referrer-Policy': 'same-origin',
      'X-Robots-Tag': 'noindex, nofollow',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy':
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
    })
    .send(
      '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">' +
        `<title>${esc(options.title)} · polus-bot portal</title><style>${STYLE}</style></head><body>` +
        `<header><p><strong>polus-bot portal</strong></p>${options.nav ?? ''}</header>` +
        `<main id="main"${options.live ? ` data-live="${esc(options.live)}"` : ''}>` +
        `<h1 data-testid="page-title">${options.heading ?? esc(options.title)}</h1>${options.body}` +
        (options.live
          ? '<div id="live-announce" class="visually-hidden" aria-live="polite" data-testid="live-announce"></div>'
          : '') +
        `</main>${options.nav ? '<script src="/portal/assets/live.js" defer></script>' : ''}</body></html>`,
    );
}

/** What a page says after a redirect (`?msg=`): only these texts, so a link cannot make the portal say anything. */
const MESSAGES: Record<string, string> = {
  'signed-out': 'You have signed out.',
  'session-ended': 'Your session has ended. Please sign in again.',
  'ai-on': 'AI replies are now on: an AI phrases the replies to customers.',
  'ai-on-no-endpoint':
    'AI replies are switched on, but no AI endpoint is configured: customers get the standard replies.',
  'ai-on-no-budget':
    'AI replies are switched on, but the daily AI budget is 0: customers get the standard replies.',
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
  'settings-saved': 'Saved.',
};

/** The confirmation a redirect asked for (`?msg=`), or nothing. */
export const messageBlock = (req: Request): string => {
  const text = MESSAGES[textOf(req.query.msg)];
  return text ? `<p class="message" role="status" data-testid="message">${esc(text)}</p>` : '';
};

/** A form's problems as one alert, or nothing when there are none. */
export const problemBlock = (problems: string[]): string =>
  problems.length === 0
    ? ''
    : `<div class="problem" role="alert" data-testid="problem"><ul>${problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></div>`;

/** The signed-in header: the pages this session may open, who is signed in, and the sign-out form. */
export function nav(session: PortalSession, business?: BusinessData): string {
  const links: string[] = [];
  if (session.actor.kind === 'operator')
    links.push('<li><a href="/portal/businesses" data-testid="nav-businesses">Businesses</a></li>');
  if (business) {
    const base = `/portal/b/${esc(business.phoneNumberId)}`;
    // Only the pages of what the business offers (a business without an offering takes orders, as before);
    // the appointments set-up stays reachable from Settings.
    const offers = business.offering?.offers ?? ['ordering'];
    const ordering = offers.includes('ordering');
    const appointments = offers.includes('appointments');
    links.push(
      `<li><a href="${base}" data-testid="nav-overview">Overview</a></li>`,
      ...(ordering ? [`<li><a href="${base}/orders" data-testid="nav-orders">Orders</a></li>`] : []),
      `<li><a href="${base}/inbox" data-testid="nav-inbox">Inbox</a></li>`,
      ...(appointments
        ? [`<li><a href="${base}/appointments" data-testid="nav-appointments">Appointments</a></li>`]
        : []),
      ...(ordering ? [`<li><a href="${base}/catalog" data-testid="nav-catalog">Catalog</a></li>`] : []),
      `<li><a href="${base}/faq" data-testid="nav-faq">FAQ</a></li>`,
      `<li><a href="${base}/settings" data-testid="nav-settings">Settings</a></li>`,
      `<li><a href="${base}/templates" data-testid="nav-templates">Templates</a></li>`,
      `<li><a href="${base}/notices" data-testid="nav-notices">Notices</a></li>`,
      `<li><a href="${base}/privacy" data-testid="nav-privacy">Privacy requests</a></li>`,
      `<li><a href="${base}/access-log" data-testid="nav-access-log">Access log</a></li>`,
    );
  }
  const who = session.actor.kind === 'operator' ? 'operator' : `key ${session.actor.id}`;
  // Shown by the script (nothing to switch without it); the status fills in on pages with live updates.
  const live = business
    ? '<div class="live"><span id="live-status" role="status" data-testid="live-status" hidden></span>' +
      '<button type="button" id="live-alerts" aria-pressed="false" data-testid="live-alerts" hidden>' +
      '🔔 Sound / notifications</button></div>'
    : '';
  return (
    `<nav aria-label="Portal"><ul>${links.join('')}</ul></nav>${live}` +
    `<form method="post" action="/portal/sign-out" class="inline"><span>Signed in as ${esc(who)}</span> ` +
    `${csrfField(session)}<button type="submit" id="sign-out" data-testid="sign-out">Sign out</button></form>`
  );
}
