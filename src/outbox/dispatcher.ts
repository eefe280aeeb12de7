import type { Logger } from 'pino';
import { noMetrics } from '../metrics.js';
import type { Metrics } from '../metrics.js';
import { OPEN_OUTBOX_STATUSES } from '../db/models/outbox.model.js';
import type { OutboxEntry, OutboxModel } from '../db/models/outbox.model.js';
import { DEFAULT_OUTBOX_RETRY, FINAL_OUTCOMES } from './sender.js';
import type { Deliver } from './sender.js';

export interface DispatcherDeps {
  Outbox: OutboxModel;
  deliver: Deliver;
  logger: Logger;
  /** The sender's grace for records found `sending` (OutboxRetryPolicy.graceMs). */
  graceMs?: number;
  /** Customers worked on at once per sweep. Default 8. */
  concurrency?: number;
  now?: () => number;
  /** Production metrics: each sweep's duration. */
  metrics?: Metrics;
}

/** Records looked at per sweep; the rest wait for the next one. */
const BATCH = 500;
/** Records sent for one customer per sweep, so one long queue does not hold the others up. */
const PER_CUSTOMER = 50;

/**
 * The outbox's sweep: every record that is due goes out again, in each customer's order, from whichever
 * process gets to it first (claims are conditional updates, src/outbox/sender.ts). Due are: `retrying`
 * records whose `nextAttemptAt` passed; `sending` records older than the grace (their process died and no
 * status webhook confirmed them); `pending` records older than the grace (their process died before the
 * first try). State lives in MongoDB only, so it survives restarts and is shared by every process.
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopped = true;
  private readonly graceMs: number;
  private readonly now: () => number;

  constructor(private readonly d: DispatcherDeps) {
    this.graceMs = d.graceMs ?? DEFAULT_OUTBOX_RETRY.graceMs;
    this.now = d.now ?? Date.now;
  }

  /** Sweeps now and then every `intervalMs`. */
  start(intervalMs: number): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
    void this.sweep();
  }

  /** Stops sweeping and waits for a sweep under way (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.current;
  }

  /** One sweep; a sweep still running is joined, not doubled. */
  sweep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.current ??= (this.d.metrics ?? noMetrics)
      .sweep('outbox', () => this.run())
      .catch((err: unknown) => this.d.logger.error({ err }, 'outbox sweep failed'))
      .finally(() => {
        this.current = undefined;
      });
    return this.current;
  }

  private async run(): Promise<void> {
    const now = new Date(this.now());
    const stale = new Date(now.getTime() - this.graceMs);
    const due = await this.d.Outbox.find(
      {
        $or: [
          { status: 'retrying', nextAttemptAt: { $lte: now } },
          { status: 'sending', claimedAt: { $lt: stale } },
          { status: 'sending', claimedAt: null, createdAt: { $lt: stale } },
          { status: 'pending', createdAt: { $lt: stale } },
        ],
      },
      { customerRef: 1, phoneNumberId: 1 },
    )
      .sort({ createdAt: 1 })
      .limit(BATCH)
      .lean()
      .exec();
    const customers = new Map<string, { customerRef: string; phoneNumberId: string }>();
    for (const r of due) customers.set(`${r.phoneNumberId}\u0000${r.customerRef}`, r);
    const queue = [...customers.values()];
    const workers = Array.from({ length: Math.min(this.d.concurrency ?? 8, queue.length) }, async () => {
      for (let next = queue.shift(); next && !this.stopped; next = queue.shift()) {
        await this.drainCustomer(next.customerRef, next.phoneNumberId);
      }
    });
    await Promise.all(workers);
  }

  /** Sends one customer's open records oldest first, stopping at the first that must still wait. */
  private async drainCustomer(customerRef: string, phoneNumberId: string): Promise<void> {
    for (let i = 0; i < PER_CUSTOMER && !this.stopped; i += 1) {
      const first = await this.d.Outbox.findOne({
        customerRef,
        phoneNumberId,
        status: { $in: OPEN_OUTBOX_STATUSES },
      })
        .sort({ createdAt: 1, inboundWamid: 1, seq: 1 })
        .lean<OutboxEntry>()
        .exec();
      if (!first) return;
      let outcome;
      try {
        outcome = await this.d.deliver(first);
      } catch (err) {
        this.d.logger.error({ err, outboxId: String(first._id) }, 'outbox retry failed');
        return;
      }
      // `not-pending`: another process moved it on; read the queue again.
      if (!FINAL_OUTCOMES.has(outcome) && outcome !== 'not-pending') return;
    }
  }
}
