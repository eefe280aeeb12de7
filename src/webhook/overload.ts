/**
 * Load shedding at the webhook (issue 17, "fair overload"): intake and replies share one process and one
 * database, and without bounds a flood of webhooks takes both. Two bounds keep the bot replying:
 *
 * - **The inbox backlog** (messages stored and not yet handled, `pending` including those waiting out a
 *   retry, across every process): above `INBOX_BACKLOG_LIMIT` a body with messages is answered 503 with
 *   `Retry-After` before anything is stored, so Meta delivers it again later and nothing is lost. Read as a
 *   count of at most `limit` index entries, at most every `maxAgeMs`, shared by every request meanwhile, plus
 *   the messages this process accepted since (the in-process estimate between counts).
 * - **Stores in flight** (`WEBHOOK_CONCURRENCY` per process): beyond it a body waits in a short queue; when
 *   the queue is full, or the wait would pass `maxWaitMs`, it is answered 503 with `Retry-After`.
 *
 * Both answer only after the signature was checked: a caller without the app secret learns nothing about the
 * bot's load (it gets 401 as always).
 */

/** `Retry-After` (seconds) when the inbox backlog is over its bound: it drains at the reply rate. */
export const BACKLOG_RETRY_AFTER_S = 30;
/** `Retry-After` (seconds) when every store slot is taken and the queue is full: slots free within the second. */
export const BUSY_RETRY_AFTER_S = 2;

/**
 * A counting semaphore with a bounded queue and a bounded wait. p-limit (in node_modules only as a dependency
 * of eslint, so absent in a production install) queues without bound and cannot time a waiter out; this is
 * the dozen lines the webhook needs.
 */
export class IntakeSlots {
  private inUse = 0;
  private readonly queue: Array<(granted: boolean) => void> = [];

  constructor(
    private readonly limit: number,
    private readonly maxQueued: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Stores running now. */
  get active(): number {
    return this.inUse;
  }

  /** Bodies waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * A slot: resolves true once one is held (call `release` exactly once after), false when the queue is full
   * or no slot freed within `maxWaitMs` (nothing to release then).
   */
  acquire(): Promise<boolean> {
    if (this.inUse < this.limit) {
      this.inUse += 1;
      return Promise.resolve(true);
    }
    if (this.queue.length >= this.maxQueued) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const grant = (granted: boolean): void => {
        clearTimeout(timer);
        resolve(granted);
      };
      const timer = setTimeout(() => {
        const index = this.queue.indexOf(grant);
        if (index >= 0) this.queue.splice(index, 1);
        resolve(false);
      }, this.maxWaitMs);
      this.queue.push(grant);
    });
  }

  /** Gives a slot back: to the first waiter, else to the pool. */
  release(): void {
    const next = this.queue.shift();
    if (next) next(true);
    else this.inUse = Math.max(0, this.inUse - 1);
  }
}

export interface BacklogOptions {
  /** Counts the backlog, reading at most `cap` entries (the answer is then `cap`). */
  count: (cap: number) => Promise<number>;
  /** At or above this many waiting messages, bodies with messages are refused. */
  limit: number;
  /** How old a count may be before the next request reads a new one. Default 500 ms. */
  maxAgeMs?: number;
  now?: () => number;
  /** A count that failed (the database is down): the store that follows fails on its own and answers 503. */
  onError?: (err: unknown) => void;
}

/** The inbox backlog as the webhook sees it: a shared, short-lived count plus what was accepted since. */
export class InboxBacklog {
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  /** The last count (plus acceptances since), or undefined when it could not be read. */
  private value: number | undefined;
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;

  constructor(private readonly o: BacklogOptions) {
    this.maxAgeMs = o.maxAgeMs ?? 500;
    this.now = o.now ?? Date.now;
  }

  /**
   * True when the backlog is at or above the limit. Reads a new count when the last is older than
   * `maxAgeMs` (one read for every request waiting on it); an unreadable backlog is not "over".
   */
  async over(): Promise<boolean> {
    if (this.now() - this.readAt >= this.maxAgeMs) await (this.reading ??= this.refresh());
    return this.value !== undefined && this.value >= this.o.limit;
  }

  /** Messages this process just stored: counted at once, until the next count includes them. */
  added(messages: number): void {
    if (this.value !== undefined) this.value += messages;
  }

  private async refresh(): Promise<void> {
    try {
      this.value = await this.o.count(this.o.limit);
    } catch (err) {
      this.value = undefined;
      this.o.onError?.(err);
    } finally {
      this.readAt = this.now();
      this.reading = undefined;
    }
  }
}
