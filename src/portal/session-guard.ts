import type { Request, Response } from 'express';
import type { Actor } from '../admin/auth.js';
import type { BusinessDirectory } from '../businesses/directory.js';
import { phoneNumberIdParam } from '../businesses/schema.js';
import type { BusinessData } from '../businesses/schema.js';
import type { PortalSession } from '../db/models/portal-session.model.js';
import type { Counters } from '../metrics.js';
import { readCookies, SESSION_COOKIE } from './cookies.js';
import { checkOrigin, sessionTokenMatches } from './csrf.js';
import { PortalError } from './error-page.js';
import { csrfForm, readForm } from './forms.js';
import type { PortalSessions } from './sessions.js';

/** What every page asks before it answers: who is signed in, may they post this form, may they see this business. */
export interface SessionGuard {
  /** The live session of the request's cookie, or null; names the caller on the request log line. */
  sessionOf(req: Request): Promise<{ id: string; session: PortalSession } | null>;
  /** The session of a page, or a redirect to the sign-in page (null: the page answers nothing more). */
  requireSession(req: Request, res: Response): Promise<PortalSession | null>;
  /** Refuses (403) a POST another site's page sent, by its `Origin` header. */
  checkOrigin(req: Request): void;
  /** Like requireSession, for a POST: also checks the origin and the form's CSRF token (403 otherwise). */
  requirePost(req: Request, res: Response): Promise<PortalSession | null>;
  /** The business of the path (`:pnid`), if the session may see it: 403 for another business's key, 404 unknown. */
  businessFor(req: Request, session: PortalSession): Promise<BusinessData>;
}

/** The guard of the portal's pages, over the stored sessions (src/portal/sessions.ts). */
export function sessionGuard(deps: {
  sessions: PortalSessions;
  directory: BusinessDirectory;
  counters: Counters;
  publicBaseUrl: string;
}): SessionGuard {
  const publicOrigin = new URL(deps.publicBaseUrl).origin;

  async function sessionOf(req: Request): Promise<{ id: string; session: PortalSession } | null> {
    const id = readCookies(req)[SESSION_COOKIE];
    const session = await deps.sessions.find(id);
    if (!session || !id) return null;
    const actor: Actor =
      session.actor.kind === 'operator'
        ? { kind: 'operator' }
        : { kind: 'key', id: session.actor.id, phoneNumberId: session.actor.phoneNumberId };
    req.actor = actor; // the request log line names the caller (never a token)
    return { id, session };
  }

  async function requireSession(req: Request, res: Response): Promise<PortalSession | null> {
    const found = await sessionOf(req);
    if (!found) {
      res.redirect(303, '/portal/sign-in?msg=session-ended');
      return null;
    }
    return found.session;
  }

  async function requirePost(req: Request, res: Response): Promise<PortalSession | null> {
    checkOrigin(req, publicOrigin);
    const session = await requireSession(req, res);
    if (!session) return null;
    if (!sessionTokenMatches(readForm(csrfForm, req.body)._csrf, session)) {
      deps.counters.add('portal.csrf_refused');
      throw new PortalError(
        403,
        'This form has expired or was not sent from the portal. Reload the page and try again.',
      );
    }
    return session;
  }

  async function businessFor(req: Request, session: PortalSession): Promise<BusinessData> {
    const parsed = phoneNumberIdParam.safeParse(req.params.pnid);
    if (!parsed.success) throw new PortalError(404, 'No such business.');
    if (session.actor.kind === 'key' && session.actor.phoneNumberId !== parsed.data) {
      throw new PortalError(403, 'Your key belongs to another business.');
    }
    const business = await deps.directory.get(parsed.data);
    if (!business) throw new PortalError(404, 'No such business.');
    return business;
  }

  return {
    sessionOf,
    requireSession,
    checkOrigin: (req) => checkOrigin(req, publicOrigin),
    requirePost,
    businessFor,
  };
}
