import express from 'express';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { actorLabel } from '../../admin/auth.js';
import type { Actor } from '../../admin/auth.js';
import { MINUTE_MS, SECOND_MS } from '../../core/time.js';
import { sameSecret } from '../../security.js';
import type { Portal } from '../context.js';
import { clearCookie, readCookies, SESSION_COOKIE, SIGN_IN_COOKIE, setCookie } from '../cookies.js';
import { issueSignInToken, signInTokenMatches } from '../csrf.js';
import { PortalError } from '../error-page.js';
import { field, formText, hiddenToken, readForm } from '../forms.js';
import { messageBlock, problemBlock, sendPage } from '../layout.js';
import { PORTAL_MAX_AGE_MS } from '../sessions.js';

const signInForm = z.object({ _csrf: formText, token: formText.transform((t) => t.trim()) });

/**
 * Sign-in and sign-out. The operator signs in with ADMIN_TOKEN (every business), a business with one of its
 * API keys (its own business only). Failed sign-ins are limited per client address; a new session id at
 * every sign-in (no fixation).
 */
export function signInPages(portal: Portal): Router {
  const router = express.Router();
  const { deps } = portal;
  const limit = deps.signInLimit ?? { failures: 5, windowMs: 15 * MINUTE_MS };
  // Counts failed sign-ins only (answers of 400 and above); once over, even the right token waits.
  const signInLimited = deps.limits({
    name: 'portal-sign-in',
    limit: limit.failures,
    windowMs: limit.windowMs,
    onlyFailures: true,
    refuse: (_req, _res, next, wait) => {
      deps.counters.add('portal.signin.limited');
      next(
        new PortalError(
          429,
          `Too many failed sign-ins from your address. Try again in ${Math.ceil(wait / 60)} minutes.`,
        ),
      );
    },
  });

  router.get('/portal', async (req, res) => {
    const found = await portal.sessionOf(req);
    if (!found) res.redirect(303, '/portal/sign-in');
    else if (found.session.actor.kind === 'operator') res.redirect(303, '/portal/businesses');
    else res.redirect(303, `/portal/b/${found.session.actor.phoneNumberId}`);
  });

  function signInPage(req: Request, res: Response, status: number, problem?: string): void {
    const token = issueSignInToken(req, res, deps);
    sendPage(res, {
      title: 'Sign in',
      status,
      body:
        messageBlock(req) +
        (problem ? problemBlock([problem]) : '') +
        '<form method="post" action="/portal/sign-in" id="sign-in-form" data-testid="sign-in-form">' +
        hiddenToken(token) +
        field({
          id: 'token',
          name: 'token',
          label: 'Business API key or operator token',
          type: 'password',
          required: true,
          extra: ' autocomplete="off" spellcheck="false"',
        }) +
        '<p><button type="submit" id="sign-in" data-testid="sign-in-submit">Sign in</button></p></form>' +
        '<p>Your key is sent only with this form; it is never shown again or kept in the page address.</p>',
    });
  }

  router.get('/portal/sign-in', async (req, res) => {
    if (await portal.sessionOf(req)) {
      res.redirect(303, '/portal');
      return;
    }
    signInPage(req, res, 200);
  });

  router.post('/portal/sign-in', signInLimited, portal.form, async (req, res) => {
    portal.checkOrigin(req);
    const body = readForm(signInForm, req.body);
    if (!signInTokenMatches(req, body._csrf)) {
      throw new PortalError(403, 'The sign-in form has expired. Reload the page and try again.');
    }
    let actor: Actor | undefined;
    if (body.token && sameSecret(body.token, deps.adminToken)) actor = { kind: 'operator' };
    else if (body.token) {
      const key = await deps.keys.verify(body.token);
      if (key) actor = { kind: 'key', id: key._id, phoneNumberId: key.phoneNumberId };
    }
    if (!actor) {
      const failures = (req as Request & { rateLimit?: { used?: number } }).rateLimit?.used;
      deps.counters.add('portal.signin.refused');
      req.log.warn({ failures }, 'portal sign-in refused');
      signInPage(req, res, 401, 'That key or token is not valid, or has been revoked.');
      return;
    }
    // A fresh session id at every sign-in (no fixation); a session this browser had before ends.
    await deps.sessions.destroy(readCookies(req)[SESSION_COOKIE]);
    const { id } = await deps.sessions.create(actor);
    req.actor = actor;
    clearCookie(res, SIGN_IN_COOKIE);
    setCookie(req, res, deps, SESSION_COOKIE, id, Math.floor(PORTAL_MAX_AGE_MS / SECOND_MS));
    deps.counters.add('portal.signin');
    req.log.info({ actor: actorLabel(actor) }, 'portal sign-in');
    res.redirect(303, '/portal');
  });

  router.post('/portal/sign-out', portal.form, async (req, res) => {
    const session = await portal.requirePost(req, res);
    if (!session) return;
    await deps.sessions.destroy(readCookies(req)[SESSION_COOKIE]);
    clearCookie(res, SESSION_COOKIE);
    res.redirect(303, '/portal/sign-in?msg=signed-out');
  });

  return router;
}
