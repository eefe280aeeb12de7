import { createSession } from 'better-sse';
import express from 'express';
import type { Router } from 'express';
import type { SessionGuard } from '../portal/session-guard.js';
import { LIVE_JS } from './client.js';
import type { LiveHub } from './hub.js';

export interface LiveRouteOptions {
  /** Comment lines that keep proxies from closing a quiet stream (15 s). */
  keepAliveMs?: number;
  /** How often an open stream checks that its portal session still exists (60 s). */
  recheckMs?: number;
}

/**
 * The portal's live updates: `GET /portal/assets/live.js` (the client script) and `GET /portal/b/:pnid/live`,
 * a server-sent event stream (better-sse) of the business's events as `event: <kind>` with `{kind, ref}`.
 * The stream is for a signed-in session that may see the business (a key only its own: 403); without a
 * session it is a 401, not a redirect, since an EventSource cannot follow one to a sign-in page. A signed-out
 * or expired session ends its stream within `recheckMs`; the hub's close ends every stream at shutdown.
 */
export function liveRouter(guard: SessionGuard, hub: LiveHub, options: LiveRouteOptions = {}): Router {
  const router = express.Router();
  const recheckMs = options.recheckMs ?? 60_000;

  router.get('/portal/assets/live.js', (_req, res) => {
    res
      .set({
        'Content-Type': 'application/javascript; charset=utf-8',
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(LIVE_JS);
  });

  router.get('/portal/b/:pnid/live', async (req, res) => {
    const found = await guard.sessionOf(req);
    if (!found) {
      res
        .status(401)
        .set('Cache-Control', 'no-store')
        .type('text/plain')
        .send('Sign in to the portal again.');
      return;
    }
    const business = await guard.businessFor(req, found.session);
    if (hub.closed) {
      res.status(503).set('Cache-Control', 'no-store').type('text/plain').send('Shutting down.');
      return;
    }
    const session = await createSession(req, res, {
      keepAlive: options.keepAliveMs ?? 15_000,
      retry: 3_000,
      trustClientEventId: false,
      headers: { 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' },
    });
    if (!session.isConnected) return;
    const unsubscribe = hub.subscribe(business.phoneNumberId, {
      event: ({ kind, ref }) => {
        if (session.isConnected) session.push({ kind, ref }, kind);
      },
      close: () => res.end(),
    });
    const recheck = setInterval(() => {
      guard
        .sessionOf(req)
        .then((still) => {
          if (!still) res.end();
        })
        .catch(() => undefined);
    }, recheckMs);
    recheck.unref();
    session.once('disconnected', () => {
      clearInterval(recheck);
      unsubscribe();
    });
  });

  return router;
}
