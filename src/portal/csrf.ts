import type { Request, Response } from 'express';
import { HOUR_MS, SECOND_MS } from '../core/time.js';
import type { PortalSession } from '../db/models/portal-session.model.js';
import { sameSecret } from '../security.js';
import { readCookies, setCookie, SIGN_IN_COOKIE } from './cookies.js';
import { PortalError } from './error-page.js';
import { randomToken } from './sessions.js';

/**
 * A POST from another site is refused when the browser says so (`Origin`), whatever the token. Accepted: the
 * request's own origin and the configured public one (behind a proxy they differ).
 */
export function checkOrigin(req: Request, publicOrigin: string): void {
  const origin = req.get('origin');
  if (origin === undefined) return;
  const own = `${req.protocol}://${req.get('host') ?? ''}`;
  if (origin !== own && origin !== publicOrigin) {
    throw new PortalError(403, 'This form was sent from another site and was refused.');
  }
}

/** Whether a signed-in form carried its session's synchronizer token (compared in constant time). */
export const sessionTokenMatches = (sent: string, session: PortalSession): boolean =>
  sameSecret(sent, session.csrf);

/**
 * A fresh token for the sign-in form, set in a cookie for an hour and returned for the form's hidden field
 * (double submit: before sign-in there is no session to bind a token to).
 */
export function issueSignInToken(req: Request, res: Response, options: { production: boolean }): string {
  const token = randomToken();
  setCookie(req, res, options, SIGN_IN_COOKIE, token, HOUR_MS / SECOND_MS);
  return token;
}

/** Whether the sign-in form's token is the one its cookie holds; false when the cookie is gone. */
export function signInTokenMatches(req: Request, sent: string): boolean {
  const expected = readCookies(req)[SIGN_IN_COOKIE] ?? '';
  return expected !== '' && sameSecret(sent, expected);
}
