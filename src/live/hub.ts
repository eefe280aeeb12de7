import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { LIVE_EVENT_RETENTION_MS } from '../db/models/live-event.model.js';
import type { LIVE_EVENT_KINDS, LiveEventModel, LiveEventRecord } from '../db/models/live-event.model.js';
import type { LiveEvent, LiveKind, LivePublisher } from './events.js';

/** The model's kinds and the shared interface's are the same set (a compile-time check). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _kindsAgree: Same<(typeof LIVE_EVENT_KINDS)[number], LiveKind> = true;

/** One open live stream: its events, and the end of the process. */
export interface LiveSubscriber {
  /** An event for the business it subscribed to. */
  event(event: LiveEvent): void;
  /** The hub is closing (the process shuts down): end the stream now, so it does not hold the drain. */
  close(): void;
}

export interface LiveHubDeps {
  LiveEvent: LiveEventModel;
  logger: Logger;
  /** How often the collection is read while someone watches (500 ms). */
  pollMs?: number;
  /**
   * How far back each read starts (5 s): events whose ids sort before the newest one seen (another
   * process's clock a little behind, or the same second with a smaller random part) are still read.
   */
  overlapMs?: number;
  now?: () => number;
}

/** Events read per query; a busier window is read in several queries. */
const BATCH = 200;

/**
 * Live events across processes. `publish` inserts into `live_events` and hands the event to this process's
 * subscribers at once; every process polls the collection every `pollMs` while at least one of its browsers
 * watches, and hands what other processes published to its subscribers of that business.
 *
 * Why polling and not change streams: change streams need a replica set (the embedded server has none, nor
 * has a single-node MongoDB), while an indexed `_id` range query works on all of them. Why a window: an
 * ObjectId starts with its creator's clock in seconds and then random bytes, so ids from two processes are
 * not in insertion order; each read starts `overlapMs` back and skips ids it has already handed out. A
 * process whose clock lags the reader's by more than the overlap can have its events missed (keep clocks in
 * sync: NTP); the page still shows them on its next refresh.
 */
export class LiveHub implements LivePublisher {
  private readonly subscribers = new Map<string, Set<LiveSubscriber>>();
  /** Ids handed out within the window (hex → ms of the id's time), so an overlapping read skips them. */
  private readonly seen = new Map<string, number>();
  private readonly pollMs: number;
  private readonly overlapMs: number;
  private readonly now: () => number;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private closing = false;

  constructor(private readonly deps: LiveHubDeps) {
    this.pollMs = deps.pollMs ?? 500;
    this.overlapMs = deps.overlapMs ?? 5_000;
    this.now = deps.now ?? Date.now;
  }

  /** Stores the event for every process, and tells this process's subscribers now. */
  async publish(event: LiveEvent): Promise<void> {
    const at = new Date(this.now());
    const created = await this.deps.LiveEvent.create({
      business: event.business,
      kind: event.kind,
      ref: event.ref,
      at,
      expiresAt: new Date(at.getTime() + LIVE_EVENT_RETENTION_MS),
    });
    this.deliver(created.toObject<LiveEventRecord>());
  }

  /** Hears a business's events until the returned function is called; a closed hub ends it at once. */
  subscribe(business: string, subscriber: LiveSubscriber): () => void {
    if (this.closing) {
      subscriber.close();
      return () => undefined;
    }
    let set = this.subscribers.get(business);
    if (!set) this.subscribers.set(business, (set = new Set()));
    set.add(subscriber);
    this.running ??= this.run();
    return () => {
      const current = this.subscribers.get(business);
      if (!current?.delete(subscriber)) return;
      if (current.size === 0) this.subscribers.delete(business);
    };
  }

  /** How many streams this process serves. */
  get watching(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /** Whether this process is reading the collection (only while a stream is open). */
  get polling(): boolean {
    return this.running !== undefined;
  }

  get closed(): boolean {
    return this.closing;
  }

  /** Ends every stream and stops polling; resolves once no read is in flight (before the database closes). */
  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.subscribers.values()].flatMap((set) => [...set]);
    this.subscribers.clear();
    for (const subscriber of all) {
      try {
        subscriber.close();
      } catch (err) {
        this.deps.logger.warn({ err }, 'live stream did not close cleanly');
      }
    }
    this.wake?.();
    await this.running;
  }

  /** Polls while anyone watches; a failed read is logged and tried again on the next tick. */
  private async run(): Promise<void> {
    try {
      while (this.subscribers.size > 0 && !this.closing) {
        try {
          await this.read();
        } catch (err) {
          this.deps.logger.warn({ err }, 'reading live events failed');
        }
        await this.sleep();
      }
    } finally {
      this.running = undefined;
    }
  }

  private sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      timer.unref();
      this.wake = done;
    });
  }

  /** One read: the window's events for the businesses watched here, oldest first, skipping those seen. */
  private async read(): Promise<void> {
    const floorMs = this.now() - this.overlapMs;
    let after = Types.ObjectId.createFromTime(Math.floor(floorMs / 1000));
    const businesses = [...this.subscribers.keys()];
    for (;;) {
      const batch = await this.deps.LiveEvent.find({ _id: { $gt: after }, business: { $in: businesses } })
        .sort({ _id: 1 })
        .limit(BATCH)
        .lean<LiveEventRecord[]>()
        .exec();
      for (const record of batch) this.deliver(record);
      const last = batch.at(-1);
      if (!last || batch.length < BATCH || this.closing) break;
      after = last._id;
    }
    // Ids older than the window can no longer come back: forget them.
    for (const [id, ms] of this.seen) if (ms < floorMs - 1_000) this.seen.delete(id);
  }

  private deliver(record: LiveEventRecord): void {
    // Nobody watches here: nothing to hand out, nothing to remember (the map is pruned only while polling).
    if (this.subscribers.size === 0) return;
    const id = record._id.toHexString();
    if (this.seen.has(id)) return;
    this.seen.set(id, record._id.getTimestamp().getTime());
    const event: LiveEvent = { business: record.business, kind: record.kind, ref: record.ref };
    for (const subscriber of this.subscribers.get(record.business) ?? []) {
      try {
        subscriber.event(event);
      } catch (err) {
        this.deps.logger.warn({ err, kind: event.kind }, 'a live stream refused an event');
      }
    }
  }
}
