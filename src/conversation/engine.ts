import { randomUUID } from 'node:crypto';
import type { Collection, Document } from 'mongodb';
import type { Logger } from 'pino';
import { days } from '../core/time.js';
import { CustomerIdentities } from '../customers/identity.js';
import { isDuplicateKey } from '../db/errors.js';
import { bulkUpdates } from '../db/group-commit.js';
import type { ConversationDoc } from '../db/models/conversation.model.js';
import type { InboxEntry, InboxPayload } from '../db/models/inbox.model.js';
import { INBOX_RETENTION_DAYS, inboxContext, nextArrival } from '../db/models/inbox.model.js';
import { noMetrics } from '../metrics.js';
import type { Counters, Metrics } from '../metrics.js';
import { DEFAULT_INBOX_RETRY, exhausted, retryDelayMs } from './retry.js';
import type { InboxRetryPolicy } from './retry.js';
import { LeaseLostError, MessageStep } from './step.js';
import type { HandoffRecorder, StaffCommand, StepDeps } from './step.js';
import type { SystemEvent } from '../core/vocabulary.js';

/**
 * The engine's options: what handling one message needs (`StepDeps`, src/conversation/step.ts), with the
 * parts the engine fills in itself optional, and the engine's own knobs.
 */
export interface EngineOptions extends Omit<
  StepDeps,
  'identities' | 'staffCommand' | 'customerRetentionMs' | 'idleTtlMs' | 'owner' | 'handoffs'
> {
  /** The staff inbox: the customer's messages during a handoff are kept there (src/handoff/). */
  handoffs?: HandoffRecorder;
  /** Resolves staff numbers to their chats; one is made from `models` and `pepper` when not given. */
  identities?: CustomerIdentities;
  /** Staff commands from a business's admin numbers, answered instead of the flow (`StaffCommand`). */
  staffCommand?: StaffCommand;
  /** A customer's record is deleted this long after their last message. Default 365 days. */
  customerRetentionMs?: number;
  /** Conversations worked on at once by this process. */
  concurrency?: number;
  /** How long a process may hold a conversation before another may take it over (crash recovery). */
  leaseMs?: number;
  /** How often the database is swept for waiting messages, stale claims and passed deadlines. */
  sweepIntervalMs?: number;
  /** Idle conversations expire after this long. */
  idleTtlMs?: number;
  /** Backoff between attempts at a message that failed, and when it is parked (src/conversation/retry.ts). */
  retry?: InboxRetryPolicy;
  /** Where retries, parked and recovered messages are counted (`inbox.*`). */
  counters?: Counters;
  /** Production metrics: each sweep's duration. */
  metrics?: Metrics;
  /**
   * Polls the inbox for new messages this often (a `worker` process, whose messages are stored by other
   * processes: nobody tells it about them). Absent: only the sweep finds work stored elsewhere.
   */
  pollMs?: number;
}

/** How a failed attempt ended for the drain loop: go on with the next message, or stop this drain. */
type AfterFailure = 'next' | 'stop';

/**
 * Runs conversations: one customer's messages strictly one at a time and in arrival order, different
 * customers in parallel, also across processes. A process takes a conversation with a lease (an expiring
 * owner field on the conversation document); a crashed holder's lease runs out and another process resumes
 * its messages. Each message is handled by src/conversation/step.ts (restore the flow's snapshot, run the
 * event, store the replies in the outbox, save the snapshot with a version check, send, mark done); this
 * module claims messages, retries or parks the ones that failed, and sweeps for waiting work. Memory stays
 * bounded: beyond a fixed number of waiting conversations, work waits in MongoDB for the sweep.
 */
export class ConversationEngine {
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly active = new Map<string, { again: boolean }>();
  private readonly waiting = new Set<string>();
  /**
   * Conversations that may hold a `processing` entry nobody works on: putting a failed message back failed
   * (database down), a drain failed where its claim was unknown, or the sweep saw an old claim. The next holder
   * of the lease in this process returns such claims to the queue; the sweep schedules these conversations.
   */
  private readonly suspect = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly concurrency: number;
  private readonly maxWaiting: number;
  private readonly leaseMs: number;
  private readonly idleTtlMs: number;
  private readonly retry: InboxRetryPolicy;
  private timer: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = true;

  /** Handles one message of a conversation this process holds. */
  private readonly step: MessageStep;
  /**
   * The driver's collections, for the per-message claims and lease writes: one round trip each without
   * mongoose's query building and casting (these collections have no timestamps or defaults to add).
   */
  private readonly inbox: Collection<InboxEntry>;
  private readonly conversations: Collection<ConversationDoc>;
  /** Leases let go by every conversation at once go in one bulk write (src/db/group-commit.ts). */
  private readonly conversationUpdate: ReturnType<typeof bulkUpdates<ConversationDoc>>;

  constructor(private readonly o: EngineOptions) {
    this.concurrency = o.concurrency ?? 32;
    this.maxWaiting = this.concurrency * 256;
    this.leaseMs = o.leaseMs ?? 30_000;
    this.idleTtlMs = o.idleTtlMs ?? days(7);
    this.retry = o.retry ?? DEFAULT_INBOX_RETRY;
    this.inbox = o.models.Inbox.collection as unknown as Collection<InboxEntry>;
    this.conversations = o.models.Conversation.collection as unknown as Collection<ConversationDoc>;
    this.conversationUpdate = bulkUpdates(this.conversations);
    this.step = new MessageStep({
      models: o.models,
      directory: o.directory,
      deliver: o.deliver,
      logger: o.logger,
      pepper: o.pepper,
      sealer: o.sealer,
      identities: o.identities ?? new CustomerIdentities({ models: o.models, pepper: o.pepper }),
      privacy: o.privacy,
      flowFor: o.flowFor,
      staffCommand: o.staffCommand,
      handoffs: o.handoffs,
      markRead: o.markRead,
      customerRetentionMs: o.customerRetentionMs ?? days(365),
      idleTtlMs: this.idleTtlMs,
      owner: this.owner,
    });
  }

  /** Starts the periodic sweep; the first one resumes whatever was pending when the last process stopped. */
  start(): void {
    this.stopped = false;
    const sweep = () => void (this.o.metrics ?? noMetrics).sweep('conversation', () => this.sweep());
    this.timer = setInterval(sweep, this.o.sweepIntervalMs ?? 2_000);
    this.timer.unref();
    sweep();
    if (this.o.pollMs !== undefined) {
      this.poller = setInterval(() => void this.poll(), this.o.pollMs);
      this.poller.unref();
    }
  }

  /**
   * Schedules the conversations with messages waiting (not waiting out a backoff) that this process is not
   * already working on: one indexed query for whatever arrived since the last poll, in arrival order.
   */
  async poll(): Promise<void> {
    if (this.stopped || this.polling) return;
    // Only what this process can start now: with conversations already waiting for a free slot, the poll
    // would read the same entries again and again (the sweep still finds the rest).
    if (this.waiting.size > 0) return;
    const room = 2 * this.concurrency - this.active.size;
    if (room <= 0) return;
    this.polling = true;
    try {
      // `retryAt: null` (never failed, the field unset) is a filter the schema's type does not spell.
      // Not the conversations this process works on now: their drains find their own messages, and they
      // must not fill the limit and keep other conversations waiting for the sweep.
      const fresh: Document = {
        status: 'pending',
        retryAt: null,
        customerRef: { $nin: [...this.active.keys()] },
      };
      const open = await this.inbox
        .find(fresh, { projection: { _id: 0, customerRef: 1 } })
        .sort({ status: 1, receivedAt: 1 })
        .limit(room)
        .toArray();
      for (const { customerRef } of open) {
        if (!this.active.has(customerRef)) this.schedule(customerRef);
      }
    } catch (err) {
      this.o.logger.error({ err }, 'inbox poll failed');
    } finally {
      this.polling = false;
    }
  }

  /** Work for these conversations was just stored. */
  enqueue(customerRefs: Iterable<string>): void {
    for (const ref of customerRefs) this.schedule(ref);
  }

  /** Messages (or system events) waiting in memory or being handled. */
  get backlog(): number {
    return this.waiting.size + this.active.size;
  }

  /** Stops taking work and waits for the conversations being handled (graceful shutdown). */
  async drain(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.poller) clearInterval(this.poller);
    this.waiting.clear();
    while (this.running.size > 0) await Promise.allSettled(Array.from(this.running));
  }

  /** Hands a conversation back to the bot after a handoff ("resume"). False if there is no such conversation. */
  resume(phoneNumberId: string, ref: string): Promise<boolean> {
    return this.signal(phoneNumberId, ref, 'system.resume');
  }

  /**
   * Queues a system event for a conversation, behind its waiting messages: `system.resume` hands it back to
   * the bot, `system.taken` tells it a staff member took it (src/handoff/). False if there is no such
   * conversation.
   */
  async signal(phoneNumberId: string, ref: string, type: 'system.resume' | 'system.taken'): Promise<boolean> {
    const exists = await this.o.models.Conversation.exists({ _id: ref, phoneNumberId }).exec();
    if (!exists) return false;
    const name = type === 'system.resume' ? 'resume' : 'taken';
    await this.insertSystemEvent(phoneNumberId, ref, `${name}:${ref}:${randomUUID()}`, { type }, new Date());
    this.schedule(ref);
    return true;
  }

  /**
   * What the operator needs to see of the queue: entries waiting (of them, those waiting out a backoff),
   * being handled, and parked as failed. Counts only.
   */
  async inboxCounts(): Promise<Record<string, number>> {
    const { Inbox } = this.o.models;
    const [pending, retrying, processing, failed] = await Promise.all([
      Inbox.countDocuments({ status: 'pending' }).exec(),
      Inbox.countDocuments({ status: 'pending', retryAt: { $gt: new Date() } }).exec(),
      Inbox.countDocuments({ status: 'processing' }).exec(),
      Inbox.countDocuments({ status: 'failed' }).exec(),
    ]);
    return {
      'inbox.now.pending': pending,
      'inbox.now.retrying': retrying,
      'inbox.now.processing': processing,
      'inbox.now.failed': failed,
    };
  }

  /**
   * Finds waiting messages whose backoff has passed, claims abandoned by dead processes or by failures that
   * could not be undone, and deadlines that have passed.
   */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    // First, and without the database: these are retried also while every query below fails.
    this.enqueue([...this.suspect]);
    const { Inbox, Conversation } = this.o.models;
    try {
      const now = new Date();
      const due = await Conversation.find(
        { deadlineAt: { $lte: now } },
        { _id: 1, phoneNumberId: 1, deadlineAt: 1 },
      )
        .limit(500)
        .lean()
        .exec();
      for (const conv of due) {
        if (!conv.deadlineAt) continue;
        const id = `timeout:${conv._id}:${conv.deadlineAt.getTime()}`;
        await this.insertSystemEvent(
          conv.phoneNumberId,
          conv._id,
          id,
          { type: 'system.timeout' },
          conv.deadlineAt,
        );
      }
      const room = this.maxWaiting - this.waiting.size;
      if (room <= 0) return;
      const stale = new Date(now.getTime() - this.leaseMs * 2);
      const open = await Inbox.find(
        {
          $or: [
            // `retryAt: null` also matches entries without the field (never failed).
            { status: 'pending', retryAt: null },
            { status: 'pending', retryAt: { $lte: now } },
            { status: 'processing', claimedAt: { $lt: stale } },
          ],
        },
        { customerRef: 1, status: 1 },
      )
        .sort({ receivedAt: 1 })
        .limit(Math.min(room, 2_000))
        .lean()
        .exec();
      for (const entry of open) if (entry.status === 'processing') this.suspect.add(entry.customerRef);
      this.enqueue(new Set(open.map((entry) => entry.customerRef)));
    } catch (err) {
      this.o.logger.error({ err }, 'conversation sweep failed');
    }
  }

  private async insertSystemEvent(
    phoneNumberId: string,
    ref: string,
    id: string,
    event: SystemEvent,
    at: Date,
  ): Promise<void> {
    const now = new Date();
    try {
      await this.o.models.Inbox.create({
        _id: id,
        phoneNumberId,
        customerRef: ref,
        sentAt: at,
        receivedAt: now,
        arrival: nextArrival(),
        status: 'pending',
        kind: 'system',
        sealed: this.o.sealer.seal({ event } satisfies InboxPayload, inboxContext(id)),
        attempts: 0,
        expiresAt: new Date(now.getTime() + days(INBOX_RETENTION_DAYS)),
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // already stored (the same deadline or resume, seen twice)
    }
  }

  private schedule(ref: string): void {
    if (this.stopped) return;
    const active = this.active.get(ref);
    if (active) {
      active.again = true;
      return;
    }
    if (this.active.size >= this.concurrency) {
      if (this.waiting.size < this.maxWaiting) this.waiting.add(ref);
      return;
    }
    this.active.set(ref, { again: false });
    const task = this.drainConversation(ref)
      .catch((err: unknown) => {
        // Where it failed is unknown: a claim may have been applied without its answer arriving.
        this.suspect.add(ref);
        this.o.logger.error({ err, conversation: ref.slice(0, 12) }, 'conversation failed');
      })
      .finally(() => {
        this.running.delete(task);
        const state = this.active.get(ref);
        this.active.delete(ref);
        if (state?.again) this.schedule(ref);
        const next = this.waiting.values().next();
        if (!next.done) {
          this.waiting.delete(next.value);
          this.schedule(next.value);
        }
      });
    this.running.add(task);
  }

  /** Takes the conversation's lease, handles its waiting messages in order, lets the lease go. */
  private async drainConversation(ref: string): Promise<void> {
    const { Conversation, Inbox } = this.o.models;
    const acquired = await this.acquire(ref);
    if (!acquired) return; // Another process holds it; the sweep brings it back if that process dies.
    let conv = acquired.conversation;
    let leaseUntil = acquired.leaseUntil;
    const log = this.o.logger.child({ conversation: ref.slice(0, 12) });
    try {
      // A dead holder's lease ran out, or an earlier failure here could not be undone: whatever was claimed
      // for this conversation before this lease was taken is abandoned (only the lease holder works on it).
      // Not on every drain: the hot path stays one claim and one update per message.
      if (acquired.tookOver || this.suspect.has(ref)) await this.recoverClaims(ref, acquired.at, log);
      for (;;) {
        if (this.stopped) break;
        const entry = await this.inbox.findOneAndUpdate(
          { customerRef: ref, status: 'pending' },
          { $set: { status: 'processing', claimedAt: new Date() }, $inc: { attempts: 1 } },
          { sort: { sentAt: 1, arrival: 1 }, returnDocument: 'after' },
        );
        if (!entry) {
          // Scheduled with nothing waiting (e.g. again, while an erasure deleted this conversation and its
          // messages): a document just made for nothing would keep the customer's key, so it goes.
          if (acquired.created && conv.version === 0) {
            await Conversation.deleteOne({ _id: ref, version: 0, 'lease.owner': this.owner }).exec();
          }
          break;
        }
        if (entry.retryAt && entry.retryAt.getTime() > Date.now()) {
          // Its backoff has not passed (woken by a newer message): nothing of this conversation goes first.
          await this.putBack(entry, { $inc: { attempts: -1 } }, entry.retryAt);
          break;
        }
        if (entry.attempts > this.retry.maxAttempts) {
          // Claimed that often and never finished (e.g. it kills the process): given up on, visibly.
          await this.park(entry, 'TooManyAttempts', log);
          continue;
        }
        try {
          const handled = await this.step.handle(entry, conv);
          if (!handled) {
            // The customer's data was erased, this conversation with it. Only a message that arrived since
            // starts a fresh one: taking the lease again for nothing would re-create the conversation
            // document under the customer's key.
            const more = await Inbox.exists({ customerRef: ref, status: 'pending' }).exec();
            const state = this.active.get(ref);
            if (state) state.again = more !== null;
            return;
          }
          conv = handled;
        } catch (err) {
          if ((await this.afterFailure(entry, err, log)) === 'stop') return;
        }
        if (leaseUntil - Date.now() < this.leaseMs / 2) {
          leaseUntil = Date.now() + this.leaseMs;
          const renewed = await this.renew(ref, leaseUntil);
          if (!renewed) return; // Lost to another process: it continues from the saved state.
        }
      }
    } finally {
      await this.conversationUpdate({ _id: ref, 'lease.owner': this.owner }, { $unset: { lease: 1 } }).catch(
        (err: unknown) => log.error({ err }, 'could not release the conversation lease'),
      );
    }
  }

  /**
   * A failed attempt: the message goes back to the queue with a backoff (and the conversation's later
   * messages wait behind it), or is parked as `failed` after the last attempt. A lost lease puts it back at
   * once for the new holder. If even that write fails (database down), the claim stays and the conversation is
   * marked suspect: this process's next drain of it returns the claim to the queue.
   */
  private async afterFailure(entry: InboxEntry, err: unknown, log: Logger): Promise<AfterFailure> {
    const error = err instanceof Error ? err.name : 'unknown error';
    const leaseLost = err instanceof LeaseLostError;
    const parked = !leaseLost && exhausted(entry.attempts, this.retry);
    log.error({ err, attempts: entry.attempts, parked }, 'handling a message failed');
    try {
      if (leaseLost) {
        await this.putBack(entry, { $set: { error } });
        return 'stop';
      }
      if (parked) {
        await this.park(entry, error, log);
        return 'next';
      }
      const retryAt = new Date(Date.now() + retryDelayMs(entry.attempts, this.retry));
      await this.putBack(entry, { $set: { error, retryAt } }, retryAt);
      this.o.counters?.add('inbox.retry_scheduled');
      return 'stop'; // The sweep brings it back when its backoff has passed.
    } catch (resetErr) {
      this.suspect.add(entry.customerRef);
      this.o.counters?.add('inbox.reset_failed');
      log.error({ err: resetErr }, 'could not put a failed message back; retried when the database answers');
      return 'stop';
    }
  }

  /**
   * Returns a message this drain claimed to `pending` (only if the claim is still ours). With `holdUntil`,
   * the conversation's later waiting messages get the same `retryAt`, so the sweep does not wake the
   * conversation for them before the first is due.
   */
  private async putBack(
    entry: InboxEntry,
    update: { $set?: Partial<InboxEntry>; $inc?: { attempts: number } },
    holdUntil?: Date,
  ): Promise<void> {
    const { Inbox } = this.o.models;
    await Inbox.updateOne(
      { _id: entry._id, status: 'processing', claimedAt: entry.claimedAt },
      { ...update, $set: { ...update.$set, status: 'pending' }, $unset: { claimedAt: 1 } },
    ).exec();
    if (holdUntil) {
      await Inbox.updateMany(
        { customerRef: entry.customerRef, status: 'pending', retryAt: null },
        { $set: { retryAt: holdUntil } },
      ).exec();
    }
  }

  /** Gives up on a message: `failed`, with the error's name, counted; the operator sees it in the metrics. */
  private async park(entry: InboxEntry, error: string, log: Logger): Promise<void> {
    await this.o.models.Inbox.updateOne(
      { _id: entry._id, status: 'processing', claimedAt: entry.claimedAt },
      { $set: { status: 'failed', error }, $unset: { claimedAt: 1, retryAt: 1 } },
    ).exec();
    this.o.counters?.add('inbox.parked');
    log.error({ attempts: entry.attempts, error }, 'message parked as failed after its last attempt');
  }

  /** Returns claims made before `since` (when this lease was taken) to the queue. */
  private async recoverClaims(ref: string, since: Date, log: Logger): Promise<void> {
    const reset = await this.o.models.Inbox.updateMany(
      { customerRef: ref, status: 'processing', claimedAt: { $not: { $gte: since } } },
      { $set: { status: 'pending' }, $unset: { claimedAt: 1 } },
    ).exec();
    this.suspect.delete(ref);
    if (reset.modifiedCount > 0) {
      this.o.counters?.add('inbox.recovered', reset.modifiedCount);
      log.warn({ count: reset.modifiedCount }, 'abandoned messages returned to the queue');
    }
  }

  /**
   * Takes the conversation's lease (creating the conversation document on first contact). Null when a live
   * lease is held by another process. `tookOver` when an expired lease of another process was replaced;
   * `created` when the document was just made; `at` when the lease was taken.
   */
  private async acquire(ref: string): Promise<{
    conversation: ConversationDoc;
    leaseUntil: number;
    tookOver: boolean;
    created: boolean;
    at: Date;
  } | null> {
    const now = new Date();
    const lease = { owner: this.owner, until: new Date(now.getTime() + this.leaseMs) };
    const fresh = {
      phoneNumberId: '',
      version: 0,
      processed: [] as string[],
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + this.idleTtlMs),
    };
    let before: ConversationDoc | null;
    try {
      // `lease: null` (no lease, or the field unset) is a filter the schema's type does not spell.
      const takeable: Document = {
        _id: ref,
        $or: [{ lease: null }, { 'lease.until': { $lt: now } }, { 'lease.owner': this.owner }],
      };
      before = await this.conversations.findOneAndUpdate(
        takeable,
        { $set: { lease }, $setOnInsert: fresh },
        { upsert: true, returnDocument: 'before' },
      );
    } catch (err) {
      if (isDuplicateKey(err)) return null; // held by another process
      throw err;
    }
    const conversation: ConversationDoc = before ? { ...before, lease } : { _id: ref, ...fresh, lease };
    const tookOver = before?.lease?.owner !== undefined && before.lease.owner !== this.owner;
    return { conversation, leaseUntil: lease.until.getTime(), tookOver, created: before === null, at: now };
  }

  private async renew(ref: string, until: number): Promise<boolean> {
    const result = await this.o.models.Conversation.updateOne(
      { _id: ref, 'lease.owner': this.owner },
      { $set: { 'lease.until': new Date(until) } },
    ).exec();
    return result.matchedCount > 0;
  }
}
