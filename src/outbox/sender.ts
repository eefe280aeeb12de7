import type { Collection } from 'mongodb';
import type { Logger } from 'pino';
import type { OutboundMessage } from '../core/vocabulary.js';
import { HOUR_MS } from '../core/time.js';
import { bulkUpdates } from '../db/group-commit.js';
import type { CustomerModel } from '../db/models/customer.model.js';
import { OPEN_OUTBOX_STATUSES } from '../db/models/outbox.model.js';
import type { OutboxEntry, OutboxModel } from '../db/models/outbox.model.js';
import type { Sealer } from '../core/sealing.js';
import { noMetrics } from '../metrics.js';
import type { Metrics } from '../metrics.js';
import { outboxContext, outboxFallbackContext, outboxRecipientContext } from './record.js';
import type { TemplateFallback } from './record.js';
import { DEFAULT_LANGUAGE, isLanguage } from '../language/languages.js';
import { noTemplates } from '../templates/types.js';
import type { TemplateMiss, TemplateResolver } from '../templates/types.js';
import { templateErrorMeaning } from '../whatsapp/template-errors.js';
import { WhatsAppApiError, WhatsAppError, WhatsAppNetworkError } from '../whatsapp/errors.js';
import type { WhatsAppClient } from '../whatsapp/client.js';
import { splitOutbound } from '../whatsapp/messages.js';

/** WhatsApp's customer-service window: free-form replies only within 24 h of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * HOUR_MS;

/**
 * When a reply that failed for a passing reason is tried again. Meta's `Retry-After` wins; otherwise
 * `min(maxMs, baseMs * 2^(attempt-1))`, of which a random half to all is waited (jitter, so a recovering
 * Graph API is not hit by every waiting reply at once).
 */
export interface OutboxRetryPolicy {
  /** Default 5 000 ms. */
  baseMs: number;
  /** Default 300 000 ms (5 minutes). */
  maxMs: number;
  /**
   * How long a record found `sending` (its process died, or its answer was lost) waits for a status webhook
   * with its id before it is sent again. Must exceed the longest call of the client (timeout × attempts).
   * Counted from the later of the claim and this sender's start: Meta retries a status webhook the bot was
   * down for, and it can only arrive once a process runs again. Default 60 000 ms.
   */
  graceMs: number;
}

export const DEFAULT_OUTBOX_RETRY: Readonly<OutboxRetryPolicy> = {
  baseMs: 5_000,
  maxMs: 300_000,
  graceMs: 60_000,
};

export interface SenderDeps {
  Outbox: OutboxModel;
  Customer: CustomerModel;
  client: WhatsAppClient;
  /** False when no access token is configured (development without credentials): nothing is attempted. */
  canSend: boolean;
  /** Opens the sealed message text (src/privacy/sealing.ts). */
  sealer: Sealer;
  /**
   * Why a message the customer did not ask for must not go out (they sent "stop", or erased their data
   * after it was scheduled), if it must not. The bot passes src/outbox/suppression.ts `suppressionCheck`.
   */
  suppressed?: (customerRef: string, createdAt: Date) => Promise<string | undefined>;
  logger: Logger;
  retry?: Partial<OutboxRetryPolicy>;
  now?: () => number;
  /** Jitter source in [0, 1); `Math.random` by default. */
  random?: () => number;
  /**
   * The keyed hash stored instead of Meta's ids on a record marked `hashWamids` (the erasure receipt: a
   * wamid encodes the customer's number). Without it such a record keeps no ids at all.
   */
  hashWamid?: (wamid: string) => string;
  /**
   * The business's approved template for a record's fallback (src/templates/), when the recipient's
   * 24-hour window is closed. `noTemplates` by default: such a record is skipped, with the miss recorded.
   */
  templates?: TemplateResolver;
  /** Production metrics: retries by reason, records given up on by reason. */
  metrics?: Metrics;
}

/**
 * What one delivery did: `sent`; final without sending (`failed` permanent error, `skipped` never
 * attempted, `expired` the window closed while retrying); left for the outbox dispatcher (`retrying` after a
 * transient error, `queued` behind an earlier reply to the same customer, `waiting` for a retry time or for
 * the status webhook of a send in flight); `not-pending` when someone else changed the record first.
 */
export type DeliveryOutcome =
  'sent' | 'failed' | 'skipped' | 'expired' | 'retrying' | 'queued' | 'waiting' | 'not-pending';

/** Outcomes after which the record needs nothing more from anyone. */
export const FINAL_OUTCOMES: ReadonlySet<DeliveryOutcome> = new Set(['sent', 'failed', 'skipped', 'expired']);

/** What the caller already knows of the recipient (from the message being answered), saving a lookup. */
export interface KnownRecipient {
  waId?: string | undefined;
  userId?: string | undefined;
  lastInboundAt: Date;
}

/**
 * Exactly the state a caller read: status and attempt count. Every claim increments `attempts`, so an
 * update with this filter fails when anyone else moved the record on in between.
 */
const observed = (entry: OutboxEntry) => ({ _id: entry._id, status: entry.status, attempts: entry.attempts });

/**
 * Sends one stored outbound record, at most once per claim: the record is claimed (→ `sending`, attempts
 * + 1, `claimedAt`) by a conditional update before the request, and the outcome is written on it. The
 * request carries the record's id in `biz_opaque_callback_data`, so the status webhook Meta sends for it
 * confirms a send whose answer was lost (src/webhook/intake.ts). A transient error leaves the record
 * `retrying` with `nextAttemptAt` for the dispatcher (src/outbox/dispatcher.ts); a permanent one is final.
 * A reply never overtakes an earlier one to the same customer that is still open.
 */
export function createSender(deps: SenderDeps) {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const policy: OutboxRetryPolicy = { ...DEFAULT_OUTBOX_RETRY, ...deps.retry };
  const templates = deps.templates ?? noTemplates;
  const metrics = deps.metrics ?? noMetrics;
  // The driver's collection for what every send does (the order check, the claim, the settled state): one
  // round trip each without mongoose's query building and casting (the outbox has no timestamps to add).
  const outbox = deps.Outbox.collection as unknown as Collection<OutboxEntry>;
  // Sends confirmed by every conversation at once are marked `sent` in one bulk write (src/db/group-commit.ts).
  const markSent = bulkUpdates(outbox);
  // Statuses posted while no process ran (a kill -9, a restart) are retried by Meta once one runs again.
  const startedAt = now();

  /** Meta's ids as the record keeps them: as they are, or keyed hashes for a record marked `hashWamids`. */
  const keptIds = (entry: OutboxEntry, wamids: readonly string[]): string[] => {
    if (!entry.hashWamids) return [...wamids];
    return deps.hashWamid ? wamids.map(deps.hashWamid) : [];
  };

  /**
   * Whether a status webhook for a send made at `since` had its grace to arrive by `at`. Counted from this
   * sender's start at the earliest: statuses posted while no process ran arrive only once one runs again.
   */
  const graceOver = (since: Date, at: number): boolean =>
    at - Math.max(since.getTime(), startedAt) >= policy.graceMs;

  const backoff = (attempt: number): number =>
    Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1)) * (0.5 + random() / 2);

  /** Moves the record from the state read to a final one, dropping its text; false when it had moved on. */
  async function settle(entry: OutboxEntry, update: Record<string, unknown>): Promise<boolean> {
    const res = await outbox.updateOne(observed(entry), { $set: update, $unset: SETTLED_UNSET });
    if (res.modifiedCount > 0 && update.status !== 'sent')
      metrics.outboxGaveUp(String(update.status), settledReason(update));
    return res.modifiedCount > 0;
  }

  /** A record that was never tried is `skipped`; one already tried (or queued) `expired` with the reason. */
  async function giveUp(entry: OutboxEntry, reason: string, miss?: TemplateMiss): Promise<DeliveryOutcome> {
    const tried = entry.status !== 'pending';
    const done = await settle(entry, {
      ...(tried
        ? { status: 'expired', expiredReason: reason }
        : { status: 'skipped', skippedReason: reason }),
      ...(miss ? { templateMiss: miss } : {}),
    });
    return done ? (tried ? 'expired' : 'skipped') : 'not-pending';
  }

  /** True when an earlier reply to the same customer is still open: this one must wait behind it. */
  async function behindEarlier(entry: OutboxEntry): Promise<boolean> {
    const earlier = await outbox.findOne(
      {
        customerRef: entry.customerRef,
        phoneNumberId: entry.phoneNumberId,
        _id: { $ne: entry._id },
        status: { $in: OPEN_OUTBOX_STATUSES },
        $or: [
          { createdAt: { $lt: entry.createdAt } },
          { createdAt: entry.createdAt, inboundWamid: { $lt: entry.inboundWamid } },
          { createdAt: entry.createdAt, inboundWamid: entry.inboundWamid, seq: { $lt: entry.seq } },
        ],
      },
      { projection: { _id: 1 } },
    );
    return earlier !== null;
  }

  return async function deliver(entry: OutboxEntry, known?: KnownRecipient): Promise<DeliveryOutcome> {
    const log = deps.logger.child({
      outboxId: String(entry._id),
      inboundWamid: entry.inboundWamid,
      seq: entry.seq,
    });
    const started = now();
    if (entry.status === 'sending') {
      // Claimed before and never settled: a process died mid-send, or is still at it. Meta's status webhook
      // with the record's id confirms it within the grace; only after that is it sent again.
      // A process that has just started gives those posted while it was down the grace to arrive again.
      if (!graceOver(entry.claimedAt ?? entry.createdAt, started)) return 'waiting';
    } else if (entry.status === 'retrying') {
      if (entry.nextAttemptAt && entry.nextAttemptAt.getTime() > started) return 'waiting';
      // A send that got no answer may have reached Meta: the same grace as a record found `sending`.
      if (entry.unansweredAt && !graceOver(entry.unansweredAt, started)) return 'waiting';
    } else if (entry.status !== 'pending') {
      return 'not-pending';
    }
    if (entry.unsolicited && deps.suppressed) {
      const reason = await deps.suppressed(entry.customerRef, entry.createdAt);
      if (reason) {
        const done = await settle(entry, { status: 'skipped', skippedReason: reason });
        log.info({ skippedReason: reason }, 'message not sent: the customer asked not to get it');
        return done ? 'skipped' : 'not-pending';
      }
    }
    if (!entry.sealedMessage) {
      return (await settle(entry, { status: 'skipped', skippedReason: 'no-message' }))
        ? 'skipped'
        : 'not-pending';
    }
    let message = deps.sealer.open<OutboundMessage>(entry.sealedMessage, outboxContext(entry._id));
    const fallback = openFallback(deps.sealer, entry);
    // A retry reads the customer again: a message they sent since reopens the window. A record that names
    // its recipient itself (the erasure receipt, whose customer record is gone) needs no lookup.
    let customer =
      known && entry.status === 'pending'
        ? known
        : entry.sealedRecipient
          ? openRecipient(deps.sealer, entry)
          : await deps.Customer.findById(entry.customerRef).lean().exec();
    if ((!customer || (!customer.waId && !customer.userId)) && fallback?.to) {
      // A staff number that never wrote to the bot: no window, but its template can reach it.
      customer = { waId: fallback.to.waId, lastInboundAt: new Date(0) };
    }
    if (!customer || (!customer.waId && !customer.userId)) {
      // A staff number that never wrote to the bot has no open window: only a template could reach it.
      const skippedReason = entry.audience === 'staff' ? 'outside-24h-window' : 'no-recipient';
      const done = await settle(entry, { status: 'skipped', skippedReason });
      log.warn(
        { skippedReason, audience: entry.audience },
        'reply not sent: no open conversation with the recipient',
      );
      return done ? 'skipped' : 'not-pending';
    }
    // Outside the window a message the business started goes out as its approved template, if one maps.
    // The template replaces the text on the record when it is claimed: a retry sends the same template.
    let template: { name: string; language: string } | undefined;
    if (
      fallback &&
      message.type !== 'reply.template' &&
      started > customer.lastInboundAt.getTime() + SERVICE_WINDOW_MS
    ) {
      const language = isLanguage(fallback.language) ? fallback.language : DEFAULT_LANGUAGE;
      const found = await templates.resolve(entry.phoneNumberId, fallback.purpose, language, fallback.values);
      if (!found.ok) {
        const reason = entry.status === 'pending' ? 'outside-24h-window' : 'window-closed';
        const outcome = await giveUp(entry, reason, found.miss);
        log.info(
          { outcome, purpose: fallback.purpose, templateMiss: found.miss },
          'message not sent: the 24-hour window is closed and no approved template carries it',
        );
        return outcome;
      }
      const { name, language: code, bodyParameters, buttonPayloads } = found.choice;
      message = {
        type: 'reply.template',
        name,
        language: code,
        bodyParameters,
        ...(buttonPayloads ? { buttonPayloads } : {}),
      };
      template = { name, language: code };
    }
    // A template needs no window, but is not retried for longer than one either.
    const windowEnd =
      message.type === 'reply.template'
        ? entry.createdAt.getTime() + SERVICE_WINDOW_MS
        : customer.lastInboundAt.getTime() + SERVICE_WINDOW_MS;
    if (started > windowEnd && (message.type !== 'reply.template' || entry.status !== 'pending')) {
      const outcome = await giveUp(
        entry,
        entry.status === 'pending' ? 'outside-24h-window' : 'window-closed',
      );
      log.info({ outcome, attempts: entry.attempts }, 'reply not attempted: the 24-hour window is closed');
      return outcome;
    }
    if (!deps.canSend) {
      const done = await settle(entry, { status: 'skipped', skippedReason: 'whatsapp-not-configured' });
      log.info({ skippedReason: 'whatsapp-not-configured' }, 'reply not attempted');
      return done ? 'skipped' : 'not-pending';
    }
    if (await behindEarlier(entry)) {
      if (entry.status !== 'pending') return 'waiting';
      // The dispatcher sends it once the earlier ones are settled, in order.
      const res = await deps.Outbox.updateOne(observed(entry), {
        $set: { status: 'retrying', nextAttemptAt: new Date(started) },
      }).exec();
      log.debug('reply queued behind an earlier one to the same customer');
      return res.modifiedCount > 0 ? 'queued' : 'not-pending';
    }
    const claimed = await outbox.findOneAndUpdate(
      observed(entry),
      {
        $set: {
          status: 'sending',
          claimedAt: new Date(started),
          parts: splitOutbound(message).length,
          ...(template
            ? { template, sealedMessage: deps.sealer.seal(message, outboxContext(entry._id)) }
            : {}),
        },
        $inc: { attempts: 1 },
        $unset: { nextAttemptAt: 1, unansweredAt: 1 },
      },
      { returnDocument: 'after' },
    );
    if (!claimed) return 'not-pending';
    const recipient =
      customer.userId && !customer.waId ? { userId: customer.userId } : { waId: customer.waId };
    // Parts Meta accepted in an earlier try (reported on the error, or confirmed by a status webhook).
    const accepted = [...claimed.wamids];
    let sent: string[];
    try {
      ({ wamids: sent } = await deps.client.send(entry.phoneNumberId, recipient, message, {
        callbackData: String(entry._id),
        fromPart: accepted.length,
      }));
    } catch (err) {
      const meaning = err instanceof WhatsAppApiError ? templateErrorMeaning(err.code) : undefined;
      const error: NonNullable<OutboxEntry['error']> =
        err instanceof WhatsAppApiError
          ? { code: err.code, title: err.title, httpStatus: err.httpStatus, ...(meaning ? { meaning } : {}) }
          : { title: err instanceof WhatsAppError ? err.name : 'unexpected error' };
      const wamids = [...accepted, ...keptIds(claimed, err instanceof WhatsAppError ? err.sentWamids : [])];
      const logged = {
        code: error.code,
        httpStatus: error.httpStatus,
        kind: error.title,
        attempts: claimed.attempts,
      };
      const transient =
        (err instanceof WhatsAppApiError && err.retryable) || err instanceof WhatsAppNetworkError;
      if (!transient) {
        await settle(claimed, { status: 'failed', error, wamids });
        log.warn(logged, 'reply failed');
        return 'failed';
      }
      const at = now();
      let wait = err instanceof WhatsAppApiError ? (err.retryAfterMs ?? backoff(claimed.attempts)) : 0;
      if (err instanceof WhatsAppNetworkError) {
        // No answer may still mean Meta accepted it: its status webhook gets the grace to say so first.
        // A refused connection reached nobody.
        wait = Math.max(backoff(claimed.attempts), err.reason === 'ECONNREFUSED' ? 0 : policy.graceMs);
      }
      // At the window's end at the latest: then the dispatcher finds it closed (or reopened) and decides.
      const nextAttemptAt = new Date(Math.min(at + wait, Math.max(at, windowEnd)));
      const unanswered = err instanceof WhatsAppNetworkError && err.reason !== 'ECONNREFUSED';
      const res = await deps.Outbox.updateOne(observed(claimed), {
        $set: {
          status: 'retrying',
          error,
          wamids,
          nextAttemptAt,
          ...(unanswered ? { unansweredAt: new Date(at) } : {}),
        },
        $unset: { claimedAt: 1 },
      }).exec();
      if (res.modifiedCount > 0) metrics.outboxRetry(error);
      log.warn({ ...logged, retryInMs: nextAttemptAt.getTime() - at }, 'reply failed; it will be retried');
      return res.modifiedCount > 0 ? 'retrying' : 'not-pending';
    }
    // Meta has it. Not matched when the status webhook confirmed it first: it holds the same wamids. If this
    // write fails (database down) the record stays `sending`, never `failed`: the status webhook with its id
    // confirms it, or it is sent again after the grace.
    await markSent(observed(claimed), {
      $set: { status: 'sent', wamids: [...accepted, ...keptIds(claimed, sent)], sentAt: new Date(now()) },
      $unset: SETTLED_UNSET,
    });
    log.debug({ attempts: claimed.attempts }, 'reply sent');
    return 'sent';
  };
}

export type Deliver = ReturnType<typeof createSender>;

/** What a settled record no longer needs: its sealed texts and its retry bookkeeping. */
const SETTLED_UNSET = {
  sealedMessage: 1,
  sealedRecipient: 1,
  sealedFallback: 1,
  nextAttemptAt: 1,
  claimedAt: 1,
  unansweredAt: 1,
} as const;

/** Why a record was settled without being sent, as its update says: the reason written, else Meta's code. */
function settledReason(update: Record<string, unknown>): string {
  const reason = update.skippedReason ?? update.expiredReason;
  if (typeof reason === 'string') return reason;
  const error = update.error as OutboxEntry['error'] | undefined;
  if (error?.code !== undefined) return String(error.code);
  return error?.httpStatus !== undefined ? `http_${error.httpStatus}` : (error?.title ?? 'unknown');
}

/** The template fallback a record carries (sealed, bound to the record); undefined when none or unreadable. */
function openFallback(sealer: Sealer, entry: OutboxEntry): TemplateFallback | undefined {
  if (!entry.sealedFallback) return undefined;
  try {
    return sealer.open<TemplateFallback>(entry.sealedFallback, outboxFallbackContext(entry._id));
  } catch {
    return undefined;
  }
}

/** The recipient a record carries (sealed, bound to the record); undefined when it cannot be opened. */
function openRecipient(sealer: Sealer, entry: OutboxEntry): KnownRecipient | undefined {
  if (!entry.sealedRecipient) return undefined;
  try {
    const stored = sealer.open<{ waId?: string; userId?: string; lastInboundAt: string }>(
      entry.sealedRecipient,
      outboxRecipientContext(entry._id),
    );
    return { waId: stored.waId, userId: stored.userId, lastInboundAt: new Date(stored.lastInboundAt) };
  } catch {
    return undefined;
  }
}
