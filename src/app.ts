import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Connection } from 'mongoose';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { logPath, pathBusinessId, serializeError } from './log.js';
import { actorLabel, adminAuth } from './admin/auth.js';
import { ApiKeys } from './admin/keys.js';
import { adminRouter } from './admin/routes.js';
import type { AdminDeps } from './admin/routes.js';
import type { BusinessDirectory } from './businesses/directory.js';
import { BusinessSettings } from './businesses/settings.js';
import type { Config } from './config.js';
import { days } from './core/time.js';
import { CustomerIdentities } from './customers/identity.js';
import { databaseWaitMs, withinDatabaseWait } from './db/connection.js';
import type { Models } from './db/models/index.js';
import { AppError } from './errors.js';
import { LiveHub } from './live/hub.js';
import type { Counters } from './metrics.js';
import type { PrometheusMetrics } from './metrics/prometheus.js';
import { metricsRouter } from './metrics/routes.js';
import { ordersRouter } from './orders/routes.js';
import { OrderDesk } from './orders/desk.js';
import { portalRouter } from './portal/router.js';
import { recentNotices } from './outbox/notice-log.js';
import { PortalSessions } from './portal/sessions.js';
import type { HandoffService } from './handoff/service.js';
import type { OrderService } from './orders/service.js';
import { AppointmentDesk } from './appointments/desk.js';
import type { NotifyStaffChange } from './appointments/desk.js';
import { appointmentsRouter } from './appointments/routes.js';
import type { AppointmentStore } from './appointments/store.js';
import { privacyRouter } from './privacy/routes.js';
import { addressLimits } from './rate-limit.js';
import type { Sealer } from './core/sealing.js';
import type { PrivacyService } from './privacy/service.js';
import { TemplateRegistry, templateFetcherFor } from './templates/registry.js';
import { templatesRouter } from './templates/routes.js';
import { simulatorRouter } from './simulator/index.js';
import { FAVICON_SVG } from './simulator/page.js';
import type { SimulatorDeps } from './simulator/index.js';
import { WebhookPayloadError } from './webhook/parse.js';
import { webhookRouter } from './webhook/routes.js';
import type { WebhookDeps } from './webhook/routes.js';
import type { MarkHandoffSeen } from './handoff/read-receipt.js';
import type { MediaSource } from './whatsapp/media.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  connection: Connection;
  models: Models;
  directory: BusinessDirectory;
  /** The one customer-id resolver of the process; made from the config when not given. */
  identities?: CustomerIdentities;
  counters: Counters;
  /** Production metrics: `GET /metrics` serves its registry, the webhook reports to it. Absent: no /metrics. */
  prometheus?: PrometheusMetrics;
  /** Receives the newly stored messages after each acknowledgement. */
  onAccepted: WebhookDeps['onAccepted'];
  /** How old the webhook's inbox backlog count may be (default 500 ms; src/webhook/overload.ts). */
  backlogCountMs?: number;
  /** Hands a conversation back to the bot after a handoff; false when there is none. */
  resumeConversation: AdminDeps['resumeConversation'];
  /** Orders (src/orders/): the admin API lists them and changes their status. */
  orders: OrderService;
  /** Appointments (src/appointments/): the portal's calendar and booking on a customer's behalf. */
  appointments?: AppointmentStore;
  /** Tells a customer of a booking, move or cancellation made by staff (src/appointments/notices.ts). */
  appointmentNotify?: NotifyStaffChange;
  /** Seals inbound messages at rest (src/privacy/sealing.ts). */
  sealer: Sealer;
  /** Privacy requests: the Meta callback, the deletion pages, the admin list. */
  privacy: PrivacyService;
  /** The staff inbox (src/handoff/): the portal's inbox pages; absent, they say it is not set up. */
  handoffs?: HandoffService;
  /** Staff opening a handoff conversation mark the customer's latest message read (src/handoff/read-receipt.ts). */
  markHandoffSeen?: MarkHandoffSeen;
  /** Customers' media from the Graph API, for the inbox's *Show* (src/whatsapp/media.ts). */
  media?: MediaSource;
  /**
   * Live portal updates (src/live/): the process's one hub, which the bot also publishes through and closes at
   * shutdown. Made here when not given (it polls only while a page watches).
   */
  live?: LiveHub;
  /** The business's message templates and mappings (src/templates/); made from the config when not given. */
  templates?: TemplateRegistry;
  /** The local WhatsApp simulator's page, API and Graph sink; absent (their routes 404) unless enabled. */
  simulator?: Pick<SimulatorDeps, 'store' | 'accessToken' | 'selfUrl' | 'statusDelaysMs'>;
}

/**
 * Whether a request's completion line may name the business id of its path: the caller was authenticated (the
 * operator, or that business's own key or session) and the business was found. Not for a refused or unknown
 * one, where the id is whatever the caller typed (possibly a customer's number).
 */
function businessIdShown(req: Request): boolean {
  const status = req.res?.statusCode ?? 0;
  return req.actor !== undefined && status !== 401 && status !== 403 && status !== 404;
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
  // Per-address limits (portal sign-in, deletion status page): counted in MongoDB, shared by every process.
  const limits = addressLimits({
    RateLimit: deps.models.RateLimit,
    pepper: deps.config.privacyPepper,
    logger: deps.logger,
  });
  // Every lookup of a customer by number or user id, and the webhook's, resolve through one alias table.
  const identities =
    deps.identities ??
    new CustomerIdentities({
      models: deps.models,
      pepper: deps.config.privacyPepper,
      retentionMs: days(deps.config.privacy.customerRetentionDays),
    });
  // Templates: synced from Meta with the sends' token, kept current by the status webhooks, mapped per purpose.
  const templates =
    deps.templates ??
    new TemplateRegistry({
      Template: deps.models.Template,
      TemplateSetup: deps.models.TemplateSetup,
      directory: deps.directory,
      fetch: templateFetcherFor(deps.config.whatsapp),
      logger: deps.logger,
    });
  app.disable('x-powered-by');
  // TRUST_PROXY (default: nobody): otherwise any client could name its own address in X-Forwarded-For and
  // slip past the per-address limits.
  app.set('trust proxy', deps.config.trustProxy);
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
        // Never the path as sent: customer ids and tokens travel in paths (see logPath).
        req: (req: Request) => ({
          id: req.id,
          method: req.method,
          url: logPath(req.originalUrl ?? req.url),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
      // Who called an admin route (`operator` or `key:<id>`, never a token), on its completion line.
      // And which business, when the caller was let in and it exists (see businessIdShown).
      customProps: (req) => {
        if (!req.actor) return {};
        const business = businessIdShown(req) ? pathBusinessId(req.originalUrl ?? req.url) : undefined;
        return { actor: actorLabel(req.actor), ...(business ? { business } : {}) };
      },
      // In development a request that went well is a `debug` line (LOG_LEVEL=debug shows them): the
      // simulator's clicks would otherwise bury the few lines a person needs to read.
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : deps.config.env === 'development'
              ? 'debug'
              : 'info',
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

  if (deps.prometheus) {
    // For Prometheus: METRICS_TOKEN or the operator token.
    app.use(
      metricsRouter({
        registry: deps.prometheus.registry,
        adminToken: deps.config.adminToken,
        metricsToken: deps.config.metricsToken,
      }),
    );
  }
  // The tab's icon for every page (portal, privacy pages, simulator); browsers ask for /favicon.ico anyway.
  app.get(['/favicon.svg', '/favicon.ico'], (_req, res) => {
    res
      .set({ 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' })
      .type('image/svg+xml')
      .send(FAVICON_SVG);
  });
  if (deps.simulator) {
    // Local mode only (config.simulator): GET /, /sim/api, /sim/graph. It posts to /webhook like Meta, signed.
    app.use(
      simulatorRouter({
        ...deps.simulator,
        models: deps.models,
        sealer: deps.sealer,
        pepper: deps.config.privacyPepper,
        identities,
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
      identities,
      sealer: deps.sealer,
      counters: deps.counters,
      ...(deps.prometheus ? { metrics: deps.prometheus } : {}),
      logger: deps.logger,
      onAccepted: deps.onAccepted,
      templateStatus: (updates) => templates.applyStatus(updates),
      intake: {
        ...deps.config.intake,
        ...(deps.backlogCountMs !== undefined ? { backlogMaxAgeMs: deps.backlogCountMs } : {}),
      },
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
      identities,
      contactEmail: deps.config.privacy.contactEmail,
      limits,
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
      identities,
      resumeConversation: deps.resumeConversation,
    }),
  );
  // Templates: GET …/templates, POST …/templates/sync, GET/PUT …/template-mappings.
  app.use(templatesRouter({ auth, directory: deps.directory, templates, counters: deps.counters }));
  // Appointments: the calendar's reads and the staff's writes, shared by the admin API and the portal.
  const appointmentDesk = deps.appointments
    ? new AppointmentDesk({
        store: deps.appointments,
        models: deps.models,
        sealer: deps.sealer,
        identities,
        customerRetentionMs: days(deps.config.privacy.customerRetentionDays),
        ...(deps.appointmentNotify ? { notify: deps.appointmentNotify } : {}),
      })
    : undefined;
  // GET/POST/PATCH /admin/businesses/:phoneNumberId/appointments…, the operator or the business's own key.
  if (deps.appointments && appointmentDesk)
    app.use(
      appointmentsRouter({
        auth,
        directory: deps.directory,
        store: deps.appointments,
        desk: appointmentDesk,
        counters: deps.counters,
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
      ...(deps.appointments ? { appointments: deps.appointments } : {}),
      ...(appointmentDesk ? { appointmentDesk } : {}),
      desk: new OrderDesk({ models: deps.models, sealer: deps.sealer }),
      privacy: deps.privacy,
      ...(deps.handoffs ? { handoffs: deps.handoffs } : {}),
      notices: (phoneNumberId, now) => recentNotices(deps.models.Outbox, phoneNumberId, now),
      templates,
      ...(deps.markHandoffSeen ? { markHandoffSeen: deps.markHandoffSeen } : {}),
      ...(deps.media ? { media: deps.media } : {}),
      counters: deps.counters,
      logger: deps.logger,
      production: deps.config.env === 'production',
      publicBaseUrl: deps.config.publicBaseUrl,
      limits,
      aiConfigured: deps.config.llm.configured,
      live: deps.live ?? new LiveHub({ LiveEvent: deps.models.LiveEvent, logger: deps.logger }),
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
