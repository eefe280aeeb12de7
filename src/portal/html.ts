import type { Response } from 'express';

/** Escapes text for HTML content and attribute values (double-quoted). */
export const esc = (value: string | number | undefined): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem 2rem;color:#1a1a1a}' +
  'header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;border-bottom:1px solid #ccc}' +
  'nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0}' +
  'table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}' +
  'label{display:block;font-weight:600}input,select,textarea,button{font:inherit}' +
  'input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #1a5fb4;outline-offset:2px}' +
  '.error{color:#a51d2d}.message{background:#e8f3e8;border-left:4px solid #26a269;padding:.5rem}' +
  '.problem{background:#fbeaea;border-left:4px solid #a51d2d;padding:.5rem}fieldset{margin:1rem 0}' +
  '.inline{display:inline}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}';

export interface PageOptions {
  title: string;
  body: string;
  /** The signed-in nav (business links, sign-out form); absent on the sign-in page. */
  nav?: string;
  status?: number;
}

/** A whole page: no scripts, no third parties, never cached, not framed, not indexed. */
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
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
    })
    .send(
      '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">' +
        `<title>${esc(options.title)} · polus-bot portal</title><style>${STYLE}</style></head><body>` +
        `<header><p><strong>polus-bot portal</strong></p>${options.nav ?? ''}</header>` +
        `<main id="main"><h1 data-testid="page-title">${esc(options.title)}</h1>${options.body}</main></body></html>`,
    );
}
