import type { Request, Response } from 'express';

/** The session cookie: a random id whose hash names the stored session (src/portal/sessions.ts). */
export const SESSION_COOKIE = 'portal_session';
/** Holds the sign-in form's CSRF token (double submit) until there is a session to bind one to. */
export const SIGN_IN_COOKIE = 'portal_signin';

/** The request's cookies by name. The portal reads only its own, which hold base64url: nothing to decode. */
export function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (name) out[name] = part.slice(at + 1).trim();
  }
  return out;
}

/**
 * Sets a portal cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), scoped to
 * /portal, and `Secure` in production or whenever the request came over https.
 */
export function setCookie(
  req: Request,
  res: Response,
  options: { production: boolean },
  name: string,
  value: string,
  maxAgeSeconds: number,
): void {
  const secure = options.production || req.secure ? '; Secure' : '';
  res.append(
    'Set-Cookie',
    `${name}=${value}; Path=/portal; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`,
  );
}

/** Ends a portal cookie at once (sign-out, or the sign-in token once a session exists). */
export function clearCookie(res: Response, name: string): void {
  res.append('Set-Cookie', `${name}=; Path=/portal; HttpOnly; SameSite=Strict; Max-Age=0`);
}
