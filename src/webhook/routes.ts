import express from 'express';
import type { RequestHandler, Response, Router } from 'express';
import type { Collection } from 'mongodb';
import type { Logger } from 'pino';
import { databaseWaitMs, withinDatabaseWait } from '../db/connection.js';
import { AppError } from '../errors.js';
import { sameSecret } from '../security.js';
import type { Counters, Metrics } from '../metrics.js';
import { noMetrics } from '../metrics.js';
import type { IntakeDeps, IntakeResult } from './intake.js';
import { messageIntake, recordWebhook } from './intake.js';
import type { InboxEntry } from '../db/models/inbox.model.js';
import { BACKLOG_RETRY_AFTER_S, BUSY_RETRY_AFTER_S, InboxBacklog, IntakeSlots } from './overload.js';
import { parseWebhook } from './parse.js';
import { verifySignature } from './signature.js';

export interface WebhookDeps extends IntakeDeps {
  appSecret: string;
  verifyToken: string;
  counters: Counters;
  /** Production metrics (`GET /metrics`): acks by outcome, duplicates, ignored kinds, reply clocks. */
  metrics?: Metrics;
  logger: Logger;
  /** Called after the acknowledgement with the wamids stored for the first time. */
  onAccepted: (accepted: IntakeResult['accepted']) => void;
  /** How long the durable write may take before the POST answers 503 (default: `databaseWaitMs`). */
  storeWaitMs?: number;
  /** Load shedding (src/webhook/overload.ts). Absent: no bound (unit tests of other concerns). */
  intake?: IntakeLimits;
}

/** The webhook's bounds under load: WEBHOOK_CONCURRENCY and INBOX_BACKLOG_LIMIT, and the waits around them. */
export interface IntakeLimits {
  /** Bodies stored at once by this process; more wait in a queue. */
  concurrency: number;
  /** At or above this many messages waiting in the inbox (all processes), bodies with messages get 503. */
  backlogLimit: number;
  /** Bodies that may wait for a store slot (default: `concurrency`); beyond, 503 at once. */
  maxQueued?: number;
  /** How long a body may wait for a slot before it gets 503 (default 1 000 ms: the answer stays within 2 s). */
  maxWaitMs?: number;
  /** How old the backlog count may be (default 500 ms). */
  backlogMaxAgeMs?: number;
  now?: () => number;
}

/** How long the backlog count may take before it is taken as unknown (then the store decides). */
const BACKLOG_COUNT_WAIT_MS = 1_000;

/** Meta's payloads can be up to 3 MB (body-parser's default would be 100 kB). */
const BODY_LIMIT = '3mb';

/**
 * `GET /webhook` answers Meta's verification handshake; `POST /webhook` verifies the signature over the raw
 * bytes before anything is parsed, stores every message durably, answers 200, then hands the new ones on.
 */
export function webhookRouter(deps: WebhookDeps): Router {
  const router = express.Router();
  const metrics = deps.metrics ?? noMetrics;
  const limits = deps.intake;
  const slots = limits
    ? new IntakeSlots(limits.concurrency, limits.maxQueued ?? limits.concurrency, limits.maxWaitMs ?? 1_000)
    : undefined;
  // `pending` covers the messages waiting out a retry too (they carry `retryAt`); served by {status, receivedAt}.
  const inbox = deps.Inbox.collection as unknown as Collection<InboxEntry>;
  const backlog = limits
    ? new InboxBacklog({
        count: (cap) =>
          withinDatabaseWait(
            inbox.countDocuments({ status: 'pending' }, { limit: cap }),
            BACKLOG_COUNT_WAIT_MS,
          ),
        limit: limits.backlogLimit,
        ...(limits.backlogMaxAgeMs !== undefined ? { maxAgeMs: limits.backlogMaxAgeMs } : {}),
        ...(limits.now ? { now: limits.now } : {}),
        onError: (err) => deps.logger.warn({ err }, 'inbox backlog unreadable: webhooks not shed by it'),
      })
    : undefined;
  // Bodies arriving while a store is in flight are stored together in the next (one alias read, one insert).
  const intakeDeps: IntakeDeps = { ...deps, messages: deps.messages ?? messageIntake(deps) };
  /** Answers that shed load (counted as `overloaded`, not as an error). */
  const shed = new WeakSet<Response>();
  const overloaded = (res: Response, reason: 'backlog' | 'busy'): void => {
    shed.add(res);
    deps.counters.add(`webhook.overloaded.${reason}`);
    res
      .status(503)
      .set('Retry-After', String(reason === 'backlog' ? BACKLOG_RETRY_AFTER_S : BUSY_RETRY_AFTER_S))
      .json({ error: { code: 'OVERLOADED', message: 'the bot is busy; Meta will retry' } });
  };

  router.get('/webhook', (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (
      mode === 'subscribe' &&
      typeof token === 'string' &&
      sameSecret(token, deps.verifyToken) &&
      typeof challenge === 'string'
    ) {
      deps.counters.add('webhook.verify.ok');
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    deps.counters.add('webhook.verify.refused');
    res.sendStatus(403);
  });

  // Counted on the answer, whatever gave it (the body limit, the signature, the database): every ack outcome.
  const countAck: RequestHandler = (_req, res, next) => {
    res.once('finish', () => metrics.webhookAnswered(res.statusCode, shed.has(res)));
    next();
  };
  const release = (): void => slots?.release();
  router.post('/webhook', countAck);
  router.post('/webhook', express.raw({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    const receivedAt = Date.now();
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = verifySignature(raw, req.get('x-hub-signature-256'), deps.appSecret);
    if (!signature.ok) {
      deps.counters.add(`webhook.signature.${signature.reason}`);
      throw new AppError('WEBHOOK_BAD_SIGNATURE', 'invalid or missing X-Hub-Signature-256');
    }
    if (signature.via === 'escaped') deps.counters.add('webhook.signature.escaped');
    if (!req.is('application/json'))
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'expected application/json');
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new AppError('BAD_JSON', 'body is not valid JSON', { cause: err });
    }
    const parsed = parseWebhook(body);
    // Shed only after the signature (a caller without the secret learns nothing of the load) and only bodies
    // with messages: statuses and template changes add nothing to the backlog, and a status confirming a send
    // is what keeps a reply from being sent twice, so they are stored whatever the backlog.
    if (backlog && parsed.messages.length > 0 && (await backlog.over())) {
      overloaded(res, 'backlog');
      return;
    }
    if (slots && !(await slots.acquire())) {
      overloaded(res, 'busy');
      return;
    }
    let result;
    // The slot is held until the write settles, not until the wait below gives up: a slow database must
    // not let more writes pile onto it.
    const recording = recordWebhook(parsed, intakeDeps);
    if (slots) void recording.then(release, release);
    try {
      // Bounded: with the database unreachable the driver would wait out its server selection (10 s) before
      // failing, while Meta wants a quick answer. A write that lands after the 503 is safe: the engine's sweep
      // finds the stored message, and Meta's redelivery of it is counted as a duplicate and acknowledged.
      result = await withinDatabaseWait(recording, deps.storeWaitMs ?? databaseWaitMs(deps.Inbox.db));
    } catch (err) {
      deps.counters.add('webhook.store_failed');
      throw new AppError('DATABASE_UNAVAILABLE', 'could not store the webhook; Meta will retry', {
        cause: err,
      });
    }
    backlog?.added(result.accepted.length);
    res.sendStatus(200);

    const { counters } = deps;
    counters.add('webhook.received');
    counters.add('webhook.messages.accepted', result.accepted.length);
    counters.add('webhook.messages.duplicate', result.duplicates);
    counters.add('webhook.messages.unknown_business', result.unknownBusiness);
    counters.add('webhook.statuses', result.statuses);
    counters.add('webhook.errors', parsed.errors.length);
    counters.add('webhook.template_status', parsed.templateStatus.length);
    for (const item of parsed.ignored) counters.add(`webhook.ignored.${item.kind}`);
    metrics.webhookStored({
      accepted: result.accepted.map((a) => a.wamid),
      duplicates: result.duplicates,
      ignored: parsed.ignored,
      receivedAt,
    });
    if (result.unknownBusiness > 0) {
      deps.logger.info(
        {
          phoneNumberIds: result.unknownPhoneNumberIds,
          count: result.unknownBusiness,
        },
        'messages for a phone number id that is not a configured business: acknowledged, not processed',
      );
    }
    for (const item of parsed.ignored)
      deps.logger.info({ kind: item.kind, wamid: item.wamid }, 'webhook item ignored');
    for (const error of parsed.errors)
      deps.logger.warn({ code: error.code, title: error.title }, 'WhatsApp reported an error');
    deps.onAccepted(result.accepted);
  });

  return router;
}
