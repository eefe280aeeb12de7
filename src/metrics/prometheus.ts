/**
 * The production metrics, in Prometheus's text format through prom-client (`GET /metrics`,
 * src/metrics/routes.ts). One registry per running bot, never prom-client's global one: tests start several
 * bots in one process, and each must count only its own. No label ever holds a customer's identifier (wa_id,
 * user id, wamid) or the business's phone number id: labels are operations, outcomes, reasons and Meta's error
 * codes, each capped to a fixed number of values.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { withinDatabaseWait } from '../db/connection.js';
import type { Metrics } from '../metrics.js';
import type { GraphRequestReport } from '../whatsapp/client.js';

/**
 * How `POST /webhook` was answered: 200, a refused signature, a body that is not Meta's (4xx), a 503 shedding
 * load (Meta retries it later; src/webhook/overload.ts), or another 5xx.
 */
type WebhookAck = 'ok' | 'bad-signature' | 'bad-payload' | 'overloaded' | 'error';
const WEBHOOK_ACKS: readonly WebhookAck[] = ['ok', 'bad-signature', 'bad-payload', 'overloaded', 'error'];

/** The webhook answer's HTTP status as a `WebhookAck`. */
function webhookAck(status: number, overloaded: boolean): WebhookAck {
  if (overloaded) return 'overloaded';
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401 || status === 403) return 'bad-signature';
  return status >= 500 ? 'error' : 'bad-payload';
}

/** Kinds of ignored webhook items taken as they are (src/webhook/parse.ts); others by their prefix. */
const IGNORED_KINDS: ReadonlySet<string> = new Set([
  'message:malformed',
  'message:no-sender',
  'reaction',
  'status:malformed',
  'error:malformed',
  'template-status:malformed',
]);

/**
 * An ignored item's kind as a label with a bounded set of values: `system:<type>`, `status:<status>` and
 * `field:<name>` carry words from the payload, so only their prefix is kept.
 */
export function ignoredKindLabel(kind: string): string {
  if (IGNORED_KINDS.has(kind)) return kind;
  const prefix = kind.split(':', 1)[0] ?? '';
  return prefix === 'system' || prefix === 'status' || prefix === 'field' ? `${prefix}:other` : 'other';
}

/**
 * Keeps a label to at most `max` distinct values: the first ones seen, then `other`. For values that are
 * bounded in practice but come from outside (Meta's error codes, reasons written on records).
 */
class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(value);
    return value;
  }
}

/** A failure as a label: Meta's error code, else the HTTP status (`http_502`), else `network`. */
function errorLabel(error: { code?: number | undefined; httpStatus?: number | undefined }): string {
  if (error.code !== undefined) return String(error.code);
  return error.httpStatus !== undefined ? `http_${error.httpStatus}` : 'network';
}

export interface PrometheusOptions {
  /** The inbox's counts now (src/conversation/engine.ts `inboxCounts`), read on each scrape. */
  inboxCounts?: () => Promise<Record<string, number>>;
  /** How long a scrape waits for the database before leaving the backlog out. Default 1 000 ms. */
  collectTimeoutMs?: number;
  /** Messages whose reply clock runs at once; beyond this the oldest is dropped. Default 10 000. */
  maxOpenClocks?: number;
  now?: () => number;
}

/** The inbox's statuses as `inboxCounts` names them, and the `state` label each becomes. */
const BACKLOG_STATES: ReadonlyArray<[string, string]> = [
  ['inbox.now.pending', 'pending'],
  ['inbox.now.retrying', 'retrying'],
  ['inbox.now.processing', 'handling'],
  ['inbox.now.failed', 'failed'],
];

/** Seconds, from a fast local step to a reply that waited out Meta's retries. */
const REPLY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const GRAPH_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SWEEP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The bot's Prometheus metrics: counters and histograms fed through the `Metrics` port, the inbox backlog read
 * from the database on each scrape (bounded by a short wait, so a database outage does not hang the scrape),
 * and Node's process metrics (CPU, memory, event loop lag, GC) from `collectDefaultMetrics`.
 *
 * The webhook→reply clock starts when a message is stored for the first time and stops when Meta accepts the
 * first reply to it, both in this process: a reply sent by another process (after a crash, or with two
 * processes) is not measured, and a message that gets no reply leaves its clock until it is pushed out.
 */
export class PrometheusMetrics implements Metrics {
  /** This bot's registry: `GET /metrics` serves `registry.metrics()`. */
  readonly registry = new Registry();
  private readonly now: () => number;
  private readonly maxOpenClocks: number;
  /** Reply clocks: wamid → receipt (epoch ms), in receipt order. In memory only, never a label. */
  private readonly clocks = new Map<string, number>();
  private readonly errorCodes = new BoundedLabel(64);
  private readonly retryReasons = new BoundedLabel(64);
  private readonly gaveUpReasons = new BoundedLabel(32);
  /** Outcomes, operations: words from the code, bounded all the same. */
  private readonly outcomes = new BoundedLabel(64);
  private readonly sweeps = new BoundedLabel(16);

  private readonly acks: Counter<'outcome'>;
  private readonly accepted: Counter;
  private readonly duplicates: Counter;
  private readonly ignored: Counter<'kind'>;
  private readonly replyLatency: Histogram;
  private readonly graphLatency: Histogram<'operation'>;
  private readonly graphErrors: Counter<'operation' | 'code'>;
  private readonly deliveries: Counter<'outcome'>;
  private readonly retries: Counter<'reason'>;
  private readonly gaveUp: Counter<'outcome' | 'reason'>;
  private readonly aiCalls: Counter<'outcome'>;
  private readonly sweepDuration: Histogram<'sweep'>;

  constructor(options: PrometheusOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxOpenClocks = options.maxOpenClocks ?? 10_000;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.acks = new Counter({
      name: 'polus_webhook_acks_total',
      help: 'POST /webhook answers by outcome (ok, bad-signature, bad-payload, overloaded, error).',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of WEBHOOK_ACKS) this.acks.inc({ outcome }, 0);
    this.accepted = new Counter({
      name: 'polus_webhook_messages_accepted_total',
      help: 'Inbound messages stored for the first time.',
      registers,
    });
    this.duplicates = new Counter({
      name: 'polus_webhook_duplicate_messages_total',
      help: 'Inbound messages Meta delivered again (already stored): acknowledged, not handled twice.',
      registers,
    });
    this.ignored = new Counter({
      name: 'polus_webhook_ignored_items_total',
      help: 'Webhook items acknowledged without handling, by kind (system notices, malformed items, reactions).',
      labelNames: ['kind'],
      registers,
    });
    this.replyLatency = new Histogram({
      name: 'polus_webhook_to_reply_seconds',
      help: 'From an inbound message stored by the webhook to its first reply accepted by Meta (same process).',
      buckets: REPLY_BUCKETS,
      registers,
    });
    this.graphLatency = new Histogram({
      name: 'polus_graph_request_duration_seconds',
      help: 'Graph API HTTP requests by operation (send, uploadMedia, markRead), each attempt on its own.',
      labelNames: ['operation'],
      buckets: GRAPH_BUCKETS,
      registers,
    });
    this.graphErrors = new Counter({
      name: 'polus_graph_errors_total',
      help: "Graph API requests that failed, by operation and Meta's error code (http_<status> or network without one).",
      labelNames: ['operation', 'code'],
      registers,
    });
    this.deliveries = new Counter({
      name: 'polus_outbox_deliveries_total',
      help: 'Outbox delivery attempts by outcome (sent, retrying, queued, waiting, failed, skipped, expired …).',
      labelNames: ['outcome'],
      registers,
    });
    this.retries = new Counter({
      name: 'polus_outbox_retries_total',
      help: "Sends scheduled again after a passing failure, by reason (Meta's error code, http_<status>, network).",
      labelNames: ['reason'],
      registers,
    });
    this.gaveUp = new Counter({
      name: 'polus_outbox_given_up_total',
      help: 'Outbox records settled without being sent (failed, skipped, expired), by reason.',
      labelNames: ['outcome', 'reason'],
      registers,
    });
    this.aiCalls = new Counter({
      name: 'polus_ai_calls_total',
      help: 'Calls to the AI provider by outcome (answer, order, unknown, invalid, timeout, error).',
      labelNames: ['outcome'],
      registers,
    });
    this.sweepDuration = new Histogram({
      name: 'polus_sweep_duration_seconds',
      help: 'How long each run of a periodic sweep took (conversation, outbox).',
      labelNames: ['sweep'],
      buckets: SWEEP_BUCKETS,
      registers,
    });
    const { inboxCounts } = options;
    if (inboxCounts) {
      const timeoutMs = options.collectTimeoutMs ?? 1_000;
      // One read per scrape, shared by the gauge and the failure count (prom-client collects them together).
      let failures = 0;
      let reading: Promise<Record<string, number> | undefined> | undefined;
      const read = () =>
        (reading ??= withinDatabaseWait(inboxCounts(), timeoutMs)
          .catch(() => {
            failures += 1;
            return undefined;
          })
          .finally(() => setImmediate(() => (reading = undefined))));
      new Gauge({
        name: 'polus_inbox_backlog_messages',
        help: 'Inbox messages by state, read on each scrape: pending (of them retrying: waiting out a backoff), handling, failed (parked).',
        labelNames: ['state'],
        registers,
        async collect() {
          const counts = await read();
          if (!counts) this.reset();
          else for (const [name, state] of BACKLOG_STATES) this.set({ state }, counts[name] ?? 0);
        },
      });
      new Counter({
        name: 'polus_metrics_collect_failures_total',
        help: 'Scrapes that could not read the inbox backlog from the database in time (it is left out).',
        labelNames: ['source'],
        registers,
        async collect() {
          await read();
          this.reset();
          this.inc({ source: 'inbox' }, failures);
        },
      });
    }
  }

  webhookAnswered(status: number, overloaded = false): void {
    this.acks.inc({ outcome: webhookAck(status, overloaded) });
  }

  webhookStored(stored: Parameters<Metrics['webhookStored']>[0]): void {
    this.accepted.inc(stored.accepted.length);
    this.duplicates.inc(stored.duplicates);
    for (const item of stored.ignored) this.ignored.inc({ kind: ignoredKindLabel(item.kind) });
    for (const wamid of stored.accepted) {
      this.clocks.set(wamid, stored.receivedAt);
      if (this.clocks.size > this.maxOpenClocks) {
        const oldest = this.clocks.keys().next();
        if (!oldest.done) this.clocks.delete(oldest.value);
      }
    }
  }

  delivered(inboundWamid: string, outcome: string): void {
    this.deliveries.inc({ outcome: this.outcomes.of(outcome) });
    if (outcome !== 'sent') return;
    const receivedAt = this.clocks.get(inboundWamid);
    if (receivedAt === undefined) return;
    this.clocks.delete(inboundWamid);
    this.replyLatency.observe(Math.max(0, this.now() - receivedAt) / 1000);
  }

  outboxRetry(error: { code?: number | undefined; httpStatus?: number | undefined }): void {
    this.retries.inc({ reason: this.retryReasons.of(errorLabel(error)) });
  }

  outboxGaveUp(outcome: string, reason: string): void {
    this.gaveUp.inc({ outcome: this.outcomes.of(outcome), reason: this.gaveUpReasons.of(reason) });
  }

  graphRequest(report: GraphRequestReport): void {
    const operation = this.outcomes.of(report.operation);
    this.graphLatency.observe({ operation }, report.seconds);
    const ok = report.httpStatus !== undefined && report.httpStatus >= 200 && report.httpStatus < 300;
    if (!ok) this.graphErrors.inc({ operation, code: this.errorCodes.of(errorLabel(report)) });
  }

  aiCall(outcome: string): void {
    this.aiCalls.inc({ outcome: this.outcomes.of(outcome) });
  }

  async sweep<T>(name: string, run: () => Promise<T>): Promise<T> {
    const end = this.sweepDuration.startTimer({ sweep: this.sweeps.of(name) });
    try {
      return await run();
    } finally {
      end();
    }
  }
}
