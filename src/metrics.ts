import type { GraphRequestReport } from './whatsapp/client.js';

/**
 * In-process counters of what the bot received and did (webhooks, duplicates, ignored kinds, sends), plus
 * gauges read when asked (e.g. how many inbox entries wait, are being handled, or were parked as failed).
 * Numbers only, never content; the operator reads them at `GET /admin/metrics`.
 */
export class Counters {
  private readonly values = new Map<string, number>();
  private readonly gauges: Array<() => Promise<Record<string, number>>> = [];

  add(name: string, by = 1): void {
    if (by !== 0) this.values.set(name, (this.values.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.values.get(name) ?? 0;
  }

  /** Counters only, sorted by name. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.values.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /**
   * Adds a source of current values (read from the database on each report). A source that fails (the
   * database is down) is left out of that report and counted as `metrics.gauge_unavailable`.
   */
  addGauges(read: () => Promise<Record<string, number>>): void {
    this.gauges.push(read);
  }

  /** The counters and the gauges' current values, sorted by name. */
  async report(): Promise<Record<string, number>> {
    const merged = new Map(this.values);
    let unavailable = 0;
    for (const read of this.gauges) {
      try {
        for (const [name, value] of Object.entries(await read())) merged.set(name, value);
      } catch {
        unavailable += 1;
      }
    }
    if (unavailable > 0) merged.set('metrics.gauge_unavailable', unavailable);
    return Object.fromEntries([...merged.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/**
 * What the bot tells the production metrics (`GET /metrics`, src/metrics/prometheus.ts), from the few places
 * where things happen. Counts, durations and bounded kinds only: a customer's wamid may be passed (the reply
 * clock is keyed on it in memory) but never becomes a label. `noMetrics` by default, so a unit under test
 * needs none.
 */
export interface Metrics {
  /** `POST /webhook` answered with `status`; `overloaded` when it was a 503 shedding load (src/webhook/overload.ts). */
  webhookAnswered(status: number, overloaded?: boolean): void;
  /**
   * An acknowledged webhook: the wamids stored for the first time (their reply clock starts at `receivedAt`,
   * epoch ms), duplicates, and the kinds of items ignored.
   */
  webhookStored(stored: {
    accepted: readonly string[];
    duplicates: number;
    ignored: ReadonlyArray<{ kind: string }>;
    receivedAt: number;
  }): void;
  /** One delivery attempt of an outbox record answering `inboundWamid` ended with `outcome` (`sent` stops its clock). */
  delivered(inboundWamid: string, outcome: string): void;
  /** A send failed for a passing reason and was scheduled again. */
  outboxRetry(error: { code?: number | undefined; httpStatus?: number | undefined }): void;
  /** A record was settled for good without being sent (`failed`, `skipped`, `expired`), and why. */
  outboxGaveUp(outcome: string, reason: string): void;
  /** One Graph API request: its duration, and its error code when Meta refused. */
  graphRequest(report: GraphRequestReport): void;
  /** A call to the AI provider ended with `outcome` (src/db/models/ai-call.model.ts `AiCallOutcome`). */
  aiCall(outcome: string): void;
  /** Runs one sweep (`conversation`, `outbox` …) and records how long it took. */
  sweep<T>(name: string, run: () => Promise<T>): Promise<T>;
}

/** Records nothing: the default wherever no metrics are wired (unit tests). */
export const noMetrics: Metrics = {
  webhookAnswered: () => undefined,
  webhookStored: () => undefined,
  delivered: () => undefined,
  outboxRetry: () => undefined,
  outboxGaveUp: () => undefined,
  graphRequest: () => undefined,
  aiCall: () => undefined,
  sweep: (_name, run) => run(),
};
