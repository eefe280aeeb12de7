/**
 * The local WhatsApp simulator, mounted by createApp only when `config.simulator.enabled` (never by default
 * in production, where `/`, `/sim/api/*` and `/sim/graph/*` then fall through to the 404 handler):
 * `GET /` the web page, `GET /sim/app.js` its script, `/sim/api` the JSON API, `/sim/graph` the Graph sink.
 */
import express from 'express';
import type { Router } from 'express';
import { simulatorApiRouter } from './api.js';
import type { SimulatorApiDeps } from './api.js';
import { SIMULATOR_HTML, SIMULATOR_JS } from './page.js';
import { graphSinkRouter } from './sink.js';
import type { SinkDeps } from './sink.js';
import { SimulatorStore } from './store.js';

export { SimulatorStore } from './store.js';

/** The access token the client uses against the sink when WHATSAPP_ACCESS_TOKEN is unset. */
export const SIMULATOR_ACCESS_TOKEN = 'simulator-local-access-token';

export type SimulatorDeps = Omit<SimulatorApiDeps, 'store'> &
  Pick<SinkDeps, 'accessToken' | 'statusDelaysMs'> & { store?: SimulatorStore };

const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // Only the page's own script: bot or user text that slipped through escaping could not run.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
};

export function simulatorRouter(deps: SimulatorDeps): Router {
  const store = deps.store ?? new SimulatorStore();
  const router = express.Router();
  router.get('/', (_req, res) => {
    res.set(PAGE_HEADERS).type('html').send(SIMULATOR_HTML);
  });
  router.get('/sim/app.js', (_req, res) => {
    res.set(PAGE_HEADERS).type('application/javascript').send(SIMULATOR_JS);
  });
  router.use('/sim/api', simulatorApiRouter({ ...deps, store }));
  router.use(
    '/sim/graph',
    graphSinkRouter({
      store,
      accessToken: deps.accessToken,
      appSecret: deps.appSecret,
      selfUrl: deps.selfUrl,
      logger: deps.logger,
      ...(deps.statusDelaysMs ? { statusDelaysMs: deps.statusDelaysMs } : {}),
    }),
  );
  return router;
}
