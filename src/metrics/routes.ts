import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Registry } from 'prom-client';
import { AppError } from '../errors.js';
import { bearerToken, sameSecret } from '../security.js';

export interface MetricsRouteDeps {
  /** The running bot's registry (src/metrics/prometheus.ts). */
  registry: Registry;
  /** The operator token (ADMIN_TOKEN). */
  adminToken: string;
  /** A token that reads the metrics only (METRICS_TOKEN), for the scraper; absent: the operator token only. */
  metricsToken: string | undefined;
}

/**
 * `GET /metrics`: Prometheus's text format, for `Authorization: Bearer <METRICS_TOKEN>` or the operator
 * token, compared in constant time; anything else gets the same 401. Not rate-limited: a scraper calls it
 * every few seconds, and a scrape costs four counts on the inbox, bounded in time.
 */
export function metricsRouter(deps: MetricsRouteDeps): Router {
  const router = express.Router();
  router.get('/metrics', async (req: Request, res: Response, next: NextFunction) => {
    const given = bearerToken(req.get('authorization')) ?? '';
    // Both compared every time, so the answer's timing does not tell which token was close.
    const asScraper = deps.metricsToken !== undefined && sameSecret(given, deps.metricsToken);
    const asOperator = sameSecret(given, deps.adminToken);
    if (!asScraper && !asOperator) {
      next(new AppError('UNAUTHORIZED', 'a valid "Authorization: Bearer <token>" header is required'));
      return;
    }
    const body = await deps.registry.metrics();
    res
      .status(200)
      .set('content-type', deps.registry.contentType)
      .set('cache-control', 'no-store')
      .send(body);
  });
  return router;
}
