import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Connection } from 'mongoose';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { serializeError } from './log.js';
import { actorLabel, adminAuth } from './admin/auth.js';
import { ApiKeys } from './admin/keys.js';
import { adminRouter } from './admin/routes.js';
import type { AdminDeps } from './admin/routes.js';
import type { BusinessDirectory } from './businesses/directory.js';
import { BusinessSettings } from './businesses/settings.js';
import type { Config } from './config.js';
import { databaseWaitMs, withinDatabaseWait } from './db/connection.js';
import type { Models } from './db/models/index.js';
import { AppError } from './errors.js';
import type { Counters } from './metrics.js';
import { ordersRouter } from './orders/routes.js';
import { portalRouter } from './portal/routes.js';
import { PortalSessions } from './portal/sessions.js';
import type { OrderService } from './orders/service.js';
import { privacyRouter } from './privacy/routes.js';
import type { Sealer } from './privacy/sealing.js';
import type { PrivacyService } from './privacy/service.js';
import { simulatorRouter } from './simulator/index.js';
import type { SimulatorDeps } from './simulator/index.js';
import { WebhookPayloadError } from './webhook/parse.js';
import { webhookRouter } from './webhook/routes.js';
import type { WebhookDeps } from './webhook/routes.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  connection: Connection;
  models: Models;
  directory: BusinessDirectory;
  counters: Counters;
  /** Receives the newly stored messages after each acknowledgement. */
  onAccepted: WebhookDeps['onAccepted'];
  /** Hands a conversation back to the bot after a handoff; false when there is none. */
  resumeConversation: AdminDeps['resumeConversation'];
  /** Orders (src/orders/): the admin API lists them and changes their status. */
  orders: OrderService;
  /** Seals inbound messages at rest (src/privacy/sealing.ts). */
  sealer: Sealer;
  /** Privacy requests: the Meta callback, the deletion pages, the admin list. */
  privacy: PrivacyService;
  /** The local WhatsApp simulator's page, API and Graph sink; absent (their routes 404) unless enabled. */
  simulator?: Pick<SimulatorDeps, 'store' | 'accessToken' | 'selfUrl' | 'statusDelaysMs'>;
}

/**
 * The path for a log line: without its query (`GET /webhook?hub.verify_token=…` must not log the token) and
 * without the capability in a status page link (`/data-deletion/status/<token>` grants reading the status).
 */
function pathOnly(url: string | undefined): string {
  const path = (url ?? '').split('?', 1)[0] ?? '';
  return path.replace(/^\/data-deletion\/status\/[^/]+/, '/data-deletion/status/:token');
}

/**
 * Builds the Express app without listening (fastify's build/listen split), so tests run it on port 0.
 * Every route's failure reaches one error handler that answers from the AppError catalogue.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const keys = new ApiKeys({ ApiKey: deps.models.ApiKey, logger: deps.logger });
  // One authentication for every admin route: the operator token, or a business's own API key.
  const auth = adminAuth({ adminToken: deps.config.adminToken, keys });
  const settings = new BusinessSettings({
    Business: deps.models.Business,
    SettingsChange: deps.models.SettingsChange,
    directory: deps.directory,
    logger: deps.logger,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', 1);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Plain functions, not pino's wrapped ones: pino-http wraps them itself, and double wrapping lost the
      // status code and turned errors into "(not an Error)".
      wrapSerializers: false,
      serializers: {
        req: (req: { id?: unknown; method?: string; originalUrl?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          url: pathOnly(req.originalUrl ?? req.url),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
      // Who called an admin route (`operator` or `key:<id>`, never a token), on its completion line.
      customProps: (req) => (req.actor ? { actor: actorLabel(req.actor) } : {}),
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // The simulator page polls its chat several times a second: those lines would drown the rest.
      autoLogging: {
        ignore: (req) =>
          req.url === '/healthz' ||
          req.url === '/readyz' ||
          (req.method === 'GET' && (req.url ?? '').startsWith('/sim/api/chat?')),
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      // Bounded like the webhook's write: an unreachable database answers 503 at once, not after 10 s.
      await withinDatabaseWait(
        Promise.resolve(deps.connection.db?.admin().ping()),
        databaseWaitMs(deps.connection),
      );
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });

  if (deps.simulator) {
    // Local mode only (config.simulator): GET /, /sim/api, /sim/graph. It posts to /webhook like Meta, signed.
    app.use(
      simulatorRouter({
        ...deps.simulator,
        models: deps.models,
        sealer: deps.sealer,
        pepper: deps.config.privacyPepper,
        appSecret: deps.config.whatsapp.appSecret,
        logger: deps.logger,
      }),
    );
  }
  app.use(
    webhookRouter({
      appSecret: deps.config.whatsapp.appSecret,
      verifyToken: deps.config.whatsapp.verifyToken,
      Inbox: deps.models.Inbox,
      Outbox: deps.models.Outbox,
      directory: deps.directory,
      pepper: deps.config.privacyPepper,
      sealer: deps.sealer,
      counters: deps.counters,
      logger: deps.logger,
      onAccepted: deps.onAccepted,
    }),
  );
  // Meta's deletion callback, the public deletion pages, and the business's privacy requests (admin).
  app.use(
    privacyRouter({
      privacy: deps.privacy,
      directory: deps.directory,
      counters: deps.counters,
      logger: deps.logger,
      appSecret: deps.config.whatsapp.appSecret,
      auth,
      pepper: deps.config.privacyPepper,
      contactEmail: deps.config.privacy.contactEmail,
    }),
  );
  app.use(
    adminRouter({
      auth,
      keys,
      directory: deps.directory,
      settings,
      counters: deps.counters,
      pepper: deps.config.privacyPepper,
      resumeConversation: deps.resumeConversation,
    }),
  );
  // Orders: GET/PATCH /admin/businesses/:phoneNumberId/orders…, the operator or the business's own key.
  app.use(
    ordersRouter({
      auth,
      directory: deps.directory,
      orders: deps.orders,
      counters: deps.counters,
    }),
  );

  // The business portal (src/portal/): server-rendered pages under /portal, sessions in MongoDB, CSRF tokens.
  app.use(
    portalRouter({
      sessions: new PortalSessions({ PortalSession: deps.models.PortalSession, ApiKey: deps.models.ApiKey }),
      keys,
      adminToken: deps.config.adminToken,
      Business: deps.models.Business,
      directory: deps.directory,
      settings,
      orders: deps.orders,
      privacy: deps.privacy,
      counters: deps.counters,
      logger: deps.logger,
      production: deps.config.env === 'production',
      publicBaseUrl: deps.config.publicBaseUrl,
    }),
  );

  // An unknown admin path is a 404 only for a valid credential: to anyone else, every /admin path is a 401.
  app.use('/admin', auth.any);
  app.use((_req, _res, next) => next(new AppError('NOT_FOUND', 'no such route')));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const error = toAppError(err);
    if (!error.operational || error.status >= 500) {
      req.log.error({ err: error.cause ?? err, code: error.code }, 'request failed');
    }
    if (res.headersSent) return;
    res.status(error.status).json({
      error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) },
    });
  });
  return app;
}

interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' &&
    err !== null &&
    'type' in err &&
    'status' in err &&
    typeof err.type === 'string'
  );
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof WebhookPayloadError)
    return new AppError('WEBHOOK_BAD_PAYLOAD', err.message, { cause: err });
  if (isBodyParserError(err)) {
    if (err.type === 'entity.too.large')
      return new AppError('PAYLOAD_TOO_LARGE', 'request body is too large', { cause: err });
    if (err.type === 'entity.parse.failed')
      return new AppError('BAD_JSON', 'body is not valid JSON', { cause: err });
    if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported body encoding', { cause: err });
    }
    return new AppError('BAD_JSON', 'the request body could not be read', { cause: err });
  }
  return new AppError('INTERNAL', 'internal error', { cause: err, operational: false });
}
