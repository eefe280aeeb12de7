import type { Logger } from 'pino';
import type { BusinessDirectory } from '../businesses/directory.js';
import type { BusinessData } from '../businesses/schema.js';
import type { OutboundMessage } from '../conversation/types.js';
import type { CustomerModel } from '../db/models/customer.model.js';
import type { InboxEntry, InboxModel } from '../db/models/inbox.model.js';
import type { OutboxEntry, OutboxModel } from '../db/models/outbox.model.js';
import { OUTBOX_RETENTION_DAYS } from '../db/models/outbox.model.js';
import type { Deliver } from '../outbox/sender.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Attempts before a message that keeps failing is parked as `failed` (visible, not retried forever). */
const MAX_ATTEMPTS = 5;
/** A message claimed longer ago than this by a process that died is picked up again. */
const STALE_CLAIM_MS = 60_000;

/** Decides the replies to one inbound message. Pure of I/O except through what it is given. */
export type ReplyHandler = (
  entry: InboxEntry,
  business: BusinessData,
) => Promise<OutboundMessage[]> | OutboundMessage[];

export interface ProcessorDeps {
  Inbox: InboxModel;
  Outbox: OutboxModel;
  Customer: CustomerModel;
  directory: BusinessDirectory;
  deliver: Deliver;
  handler: ReplyHandler;
  logger: Logger;
  /** Messages handled at once; the rest wait in the inbox collection, not in memory. */
  concurrency?: number;
  /** How often pending messages are looked for in the database (start-up, overflow, other processes). */
  sweepIntervalMs?: number;
}

/**
 * Works through the inbox: claims a pending message, records the customer's last-message time (the 24-hour
 * window), stores its replies in the outbox before sending them, sends, then marks the message done and
 * drops its content. The in-memory queue is bounded; anything beyond it stays `pending` in the database and
 * is found by the sweep, so overload costs latency, not memory, and a crash loses nothing.
 */
export class InboxProcessor {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly concurrency: number;
  private readonly maxQueue: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: ProcessorDeps) {
    this.concurrency = deps.concurrency ?? 16;
    this.maxQueue = this.concurrency * 64;
  }

  /** Starts the periodic sweep and resumes whatever was pending when the last process stopped. */
  start(): void {
    this.stopped = false;
    const interval = this.deps.sweepIntervalMs ?? 5_000;
    this.timer = setInterval(() => void this.sweep(), interval);
    this.timer.unref();
    void this.sweep();
  }

  /** Hands over newly stored messages; when the queue is full they wait in the database for the sweep. */
  enqueue(wamids: readonly string[]): void {
    for (const wamid of wamids) {
      if (this.stopped || this.queue.length >= this.maxQueue || this.queued.has(wamid)) continue;
      this.queue.push(wamid);
      this.queued.add(wamid);
    }
    this.pump();
  }

  /** Finds pending (or stale claimed) messages in the database, oldest first. */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    const room = this.maxQueue - this.queue.length;
    if (room <= 0) return;
    try {
      const stale = new Date(Date.now() - STALE_CLAIM_MS);
      const pending = await this.deps.Inbox.find(
        { $or: [{ status: 'pending' }, { status: 'processing', claimedAt: { $lt: stale } }] },
        { _id: 1 },
      )
        .sort({ receivedAt: 1 })
        .limit(room)
        .lean()
        .exec();
      this.enqueue(pending.map((p) => p._id));
    } catch (err) {
      this.deps.logger.error({ err }, 'inbox sweep failed');
    }
  }

  /** Stops taking work and waits for messages being handled (graceful shutdown). */
  async drain(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.queue.length = 0;
    this.queued.clear();
    while (this.inFlight.size > 0) await Promise.allSettled(Array.from(this.inFlight));
  }

  get pendingInMemory(): number {
    return this.queue.length + this.inFlight.size;
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.concurrency && this.queue.length > 0) {
      const wamid = this.queue.shift() as string;
      const task = this.process(wamid).finally(() => {
        this.inFlight.delete(task);
        this.queued.delete(wamid);
        this.pump();
      });
      this.inFlight.add(task);
    }
  }

  private async process(wamid: string): Promise<void> {
    const { Inbox, Outbox, Customer, logger } = this.deps;
    const log = logger.child({ wamid });
    const stale = new Date(Date.now() - STALE_CLAIM_MS);
    const entry = await Inbox.findOneAndUpdate(
      { _id: wamid, $or: [{ status: 'pending' }, { status: 'processing', claimedAt: { $lt: stale } }] },
      { $set: { status: 'processing', claimedAt: new Date() }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    )
      .lean<InboxEntry>()
      .exec()
      .catch((err: unknown) => {
        log.error({ err }, 'could not claim inbox entry');
        return null;
      });
    if (!entry) return;
    try {
      const business = await this.deps.directory.get(entry.phoneNumberId);
      if (!business) throw new Error('business no longer configured');
      await Customer.updateOne(
        { _id: entry.customerRef },
        {
          $max: { lastInboundAt: entry.sentAt },
          $set: { phoneNumberId: entry.phoneNumberId, ...entry.customer },
        },
        { upsert: true },
      ).exec();
      const replies = await this.deps.handler(entry, business);
      const now = new Date();
      const expiresAt = new Date(now.getTime() + OUTBOX_RETENTION_DAYS * DAY_MS);
      for (const [seq, message] of replies.entries()) {
        // Upsert on (inboundWamid, seq): a retried message finds the replies it already stored.
        await Outbox.updateOne(
          { inboundWamid: entry._id, seq },
          {
            $setOnInsert: {
              phoneNumberId: entry.phoneNumberId,
              customerRef: entry.customerRef,
              message,
              status: 'pending',
              wamids: [],
              attempts: 0,
              deliveries: [],
              createdAt: now,
              expiresAt,
            },
          },
          { upsert: true },
        ).exec();
      }
      const stored = await Outbox.find({ inboundWamid: entry._id, status: 'pending' })
        .sort({ seq: 1 })
        .lean<OutboxEntry[]>()
        .exec();
      for (const outbound of stored) await this.deps.deliver(outbound);
      await Inbox.updateOne(
        { _id: entry._id },
        { $set: { status: 'done' }, $unset: { event: 1, customer: 1, claimedAt: 1 } },
      ).exec();
    } catch (err) {
      const parked = entry.attempts >= MAX_ATTEMPTS;
      log.error({ err, attempts: entry.attempts, parked }, 'handling an inbound message failed');
      await Inbox.updateOne(
        { _id: entry._id },
        {
          $set: {
            status: parked ? 'failed' : 'pending',
            error: err instanceof Error ? err.message : 'unknown error',
          },
          $unset: { claimedAt: 1 },
        },
      )
        .exec()
        .catch((updateErr: unknown) => log.error({ err: updateErr }, 'could not record the failure'));
    }
  }
}
