import type { NextFunction, Request, Response } from 'express';
import { escapeHtml as esc } from '../http/escape-html.js';
import { sendPage } from './layout.js';

/** An error page: the status and a message safe to show. Thrown by any page; rendered by `errorPage`. */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Any /portal path no page answered: the portal's own 404 page, not the JSON error of the API. */
export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new PortalError(404, 'No such page.'));
}

/**
 * The portal's error middleware: a PortalError shows its message, an unreadable form body a 400 or 413, and
 * anything else a generic page (logged, never shown: it may hold internals).
 */
export function errorPage(err: unknown, req: Request, res: Response, _next: NextFunction): void {
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
}

function isBodyError(err: unknown): err is { status: number; type: string } {
  return typeof err === 'object' && err !== null && 'type' in err && 'status' in err;
}
