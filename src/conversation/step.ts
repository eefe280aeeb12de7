import type { Collection } from 'mongodb';
import type { Logger } from 'pino';
import type { BusinessDirectory } from '../businesses/directory.js';
import type { BusinessData } from '../businesses/schema.js';
import { possibleRefs } from '../customers/identity.js';
import type { CustomerIdentities } from '../customers/identity.js';
import { bulkUpdates, checkedUpdates } from '../db/group-commit.js';
import { conversationContext } from '../db/models/conversation.model.js';
import type { ConversationDoc } from '../db/models/conversation.model.js';
import { inboxContext } from '../db/models/inbox.model.js';
import type { InboxEntry, InboxPayload } from '../db/models/inbox.model.js';
import type { Models } from '../db/models/index.js';
import { OPEN_OUTBOX_STATUSES } from '../db/models/outbox.model.js';
import type { OutboxEntry } from '../db/models/outbox.model.js';
import type { Deliver } from '../outbox/sender.js';
import { stepRef } from '../core/identity.js';
import type { Sealer } from '../core/sealing.js';
import type { PrivacyService } from '../privacy/service.js';
import { toFlowEvent } from '../language/intents.js';
import { isLanguage } from '../language/languages.js';
import { outboxInserts, storeReplies } from './replies.js';
import type { ReplyDeps } from './replies.js';
import { runStep } from './runner.js';
import type { FlowDefinition, StepKey, StepResult, StoredFlow } from './runner.js';
import type { HandoffService } from '../handoff/service.js';
import type { HandoffEnd } from '../db/models/handoff.model.js';
import type {
  CustomerIdentity,
  FlowEvent,
  InboundEvent,
  OutboundMessage,
  SystemEvent,
} from '../core/vocabulary.js';

/** How many recent wamids a conversation remembers as applied. */
const PROCESSED_MEMORY = 20;

/**
 * The flow for a business's conversations; `sender` is the verified sender of the message handled, `step`
 * the key its effects are made idempotent with (a retried message finds them done).
 */
export type FlowFor = (
  business: BusinessData,
  customerRef: string,
  sender: CustomerIdentity | undefined,
  step: StepKey,
) => FlowDefinition<unknown>;

/**
 * Staff commands (`/ai on`, `/orders`, …): the replies when the message is one from an admin number of the
 * business, undefined otherwise. A message answered here skips the flow.
 */
export type StaffCommand = (
  business: BusinessData,
  sender: InboxPayload['customer'],
  event: InboxPayload['event'],
  wamid: string,
) => Promise<OutboundMessage[] | undefined>;

/**
 * Where the staff inbox learns what happens in a handoff (src/handoff/service.ts): it opened, the customer
 * wrote while a person has the chat, it ended. Each call is keyed on the message, so a retried step adds
 * nothing twice.
 */
export type HandoffRecorder = Pick<HandoffService, 'opened' | 'customerWrote' | 'ended'>;

/** What handling one message needs; the engine (src/conversation/engine.ts) passes its own options on. */
export interface StepDeps {
  models: Models;
  directory: BusinessDirectory;
  deliver: Deliver;
  logger: Logger;
  pepper: string;
  sealer: Sealer;
  identities: CustomerIdentities;
  privacy: PrivacyService;
  flowFor: FlowFor;
  staffCommand?: StaffCommand | undefined;
  /** The staff inbox; without it the customer's messages during a handoff are not kept. */
  handoffs?: HandoffRecorder | undefined;
  /** A customer's record is deleted this long after their last message. */
  customerRetentionMs: number;
  /** Idle conversations expire after this long. */
  idleTtlMs: number;
  /** The lease owner the engine holds conversations as: a snapshot is saved only under its lease. */
  owner: string;
  /**
   * Marks a customer's message read and shows "typing…" (src/whatsapp/client.ts `markRead`): called once
   * for a message the step answers, before its replies go out; never for one it ignores.
   */
  markRead?: ((phoneNumberId: string, wamid: string) => Promise<void>) | undefined;
}

/** The snapshot could not be saved: another process took the conversation. The message goes back at once. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

/** What the customer's record said when the message was noted. */
interface NotedCustomer {
  language: string | undefined;
  /** The sealed profile the record holds, read with it. */
  profile: string | undefined;
}

/** What running the flow left to do: the conversation as saved, replies to send, an erasure to run. */
interface FlowOutcome {
  next: ConversationDoc;
  fresh: OutboxEntry[] | undefined;
  erasure: string | undefined;
}

/**
 * One inbound message (or system event) for a conversation whose lease the engine holds: drop a redelivery
 * from before an erasure, note the customer, answer a staff command or run the flow step, save the sealed
 * snapshot under the lease, store and send the replies and staff notices (the outbox), run a confirmed
 * erasure, mark the message done. Safe to repeat after a crash at any point.
 */
export class MessageStep {
  private readonly replyDeps: ReplyDeps;
  /**
   * The driver's collection for the message marked done, every message: one round trip without mongoose's
   * query building and casting (the inbox has no timestamps or defaults to add).
   */
  private readonly inbox: Collection<InboxEntry>;
  /** Messages marked done by every conversation at once go in one bulk write (src/db/group-commit.ts). */
  private readonly inboxUpdate: ReturnType<typeof bulkUpdates<InboxEntry>>;
  /** Snapshots saved by every conversation at once go in one bulk write, each told whether its save applied. */
  private readonly saveConversation: ReturnType<typeof checkedUpdates<ConversationDoc>>;

  constructor(private readonly d: StepDeps) {
    this.replyDeps = {
      Outbox: d.models.Outbox,
      sealer: d.sealer,
      identities: d.identities,
      inserts: outboxInserts(d.models.Outbox),
    };
    this.inbox = d.models.Inbox.collection as unknown as Collection<InboxEntry>;
    this.inboxUpdate = bulkUpdates(this.inbox);
    // Through the model's collection getter each time: the step-effects tests fail this write by wrapping it.
    this.saveConversation = checkedUpdates({
      bulkWrite: (ops, options) =>
        (d.models.Conversation.collection as unknown as Collection<ConversationDoc>).bulkWrite(ops, options),
      find: (filter) =>
        (d.models.Conversation.collection as unknown as Collection<ConversationDoc>).find(filter),
    });
  }

  /**
   * One message, start to end. Returns the conversation as it is now stored; null when the message
   * confirmed an erasure: the job ran and this conversation no longer exists.
   */
  async handle(entry: InboxEntry, conv: ConversationDoc): Promise<ConversationDoc | null> {
    const { Conversation, Inbox } = this.d.models;
    const business = await this.d.directory.get(entry.phoneNumberId);
    const payload = entry.sealed
      ? this.d.sealer.open<InboxPayload>(entry.sealed, inboxContext(entry._id))
      : undefined;
    const userMessage = entry.kind === 'user';
    const applied = conv.processed.includes(entry._id);
    if (userMessage && !applied && (await this.fromErasedPast(entry, conv, payload))) {
      // A redelivery of a message from before the customer's erasure: answering it would re-create what
      // was erased. Its record goes too (it holds Meta's id, which encodes the number); the drain removes
      // the conversation document it took for nothing.
      await Inbox.deleteOne({ _id: entry._id, status: 'processing' }).exec();
      this.d.logger.info(
        { conversation: entry.customerRef.slice(0, 12) },
        'message from before an erasure dropped',
      );
      return conv;
    }
    let next = conv;
    /** Replies just stored by this attempt, sent from memory; undefined when they must be read back. */
    let fresh: OutboxEntry[] | undefined;
    let erasure: string | undefined;
    if (business && payload && !applied) {
      const customer = userMessage ? await this.noteCustomer(entry, payload) : undefined;
      // A staff command from one of the business's admin numbers (src/staff/commands.ts) is answered in this
      // chat without running the flow: the conversation stays as it was. Repeated after a crash, the command
      // changes nothing twice and finds the replies it stored.
      const staffReplies = userMessage
        ? await this.d.staffCommand?.(business, payload.customer, payload.event, entry._id)
        : undefined;
      if (staffReplies) {
        fresh = await storeReplies(this.replyDeps, entry, business, staffReplies);
      } else {
        ({ next, fresh, erasure } = await this.runFlow(entry, conv, business, payload, customer));
      }
    }
    this.markRead(entry, fresh);
    await this.sendOpen(entry, payload, fresh);
    if (erasure) {
      // Deletes this conversation, its messages (this one included) and the rest; replies with the code.
      await this.d.privacy.runErasure(erasure);
      // If this message was retried after an erasure that failed half-way, its conversation was made again
      // to handle it: it belongs to the erased past too.
      await Conversation.deleteOne({ _id: entry.customerRef, 'lease.owner': this.d.owner }).exec();
      await this.markDone(entry);
      return null;
    }
    await this.markDone(entry);
    return next;
  }

  /**
   * Blue ticks and "typing…" for a customer's message this attempt answered: only on the first attempt (a
   * retry after a crash may have done it already: at most once, it is cosmetic), only when a reply to the
   * customer was stored (a duplicate, a message during a handoff or a reaction get none). Not awaited: a
   * failure is logged (ids only) and changes nothing else.
   */
  private markRead(entry: InboxEntry, fresh: OutboxEntry[] | undefined): void {
    const mark = this.d.markRead;
    if (!mark || entry.kind !== 'user' || entry.attempts !== 1) return;
    if (!fresh?.some((reply) => reply.audience === 'customer' && reply.customerRef === entry.customerRef))
      return;
    mark(entry.phoneNumberId, entry._id).catch((err: unknown) => {
      this.d.logger.warn(
        { conversation: entry.customerRef.slice(0, 12), code: (err as { code?: unknown }).code },
        'marking a message read failed',
      );
    });
  }

  /**
   * Whether a user message not yet applied belongs to an erased past. Only a message signed before this
   * conversation began can (an erasure deletes the conversation): the tombstone read stays off the path of
   * an ongoing conversation.
   */
  private async fromErasedPast(
    entry: InboxEntry,
    conv: ConversationDoc,
    payload: InboxPayload | undefined,
  ): Promise<boolean> {
    if (conv.createdAt && entry.sentAt.getTime() > conv.createdAt.getTime()) return false;
    return this.d.privacy.erasedMessage(
      // The erasure removed the aliases: the redelivered message may resolve to another of the customer's
      // possible references than the erased one, so the tombstone is looked for under all.
      [
        entry.customerRef,
        ...(payload?.customer ? possibleRefs(this.d.pepper, entry.phoneNumberId, payload.customer) : []),
      ],
      entry.sentAt,
    );
  }

  /**
   * The customer's record: last message, retention, ids; a new one's profile starts with WhatsApp's name.
   * Returns what the record says of the customer's language, for the step to keep it current.
   */
  private async noteCustomer(entry: InboxEntry, payload: InboxPayload): Promise<NotedCustomer> {
    const { waId, userId, profileName } = payload.customer ?? {};
    const customer = await this.d.models.Customer.findOneAndUpdate(
      { _id: entry.customerRef },
      {
        $max: {
          lastInboundAt: entry.sentAt,
          expiresAt: new Date(entry.sentAt.getTime() + this.d.customerRetentionMs),
        },
        $set: {
          phoneNumberId: entry.phoneNumberId,
          ...(waId ? { waId } : {}),
          ...(userId ? { userId } : {}),
        },
        // A new customer's profile starts with WhatsApp's name, in the same round trip.
        ...(profileName
          ? {
              $setOnInsert: {
                profile: this.d.privacy.sealProfile(entry.customerRef, { name: profileName, addresses: [] }),
              },
            }
          : {}),
      },
      { upsert: true, returnDocument: 'after', projection: { profile: 1, language: 1 } },
    )
      .lean<{ profile?: string; language?: string }>()
      .exec();
    if (profileName) await this.d.privacy.noteProfileName(entry.customerRef, customer?.profile, profileName);
    return { language: customer?.language, profile: customer?.profile };
  }

  /**
   * Keeps the language the runner chose for this message on the customer's record, where what is sent
   * outside the conversation (an order's status notice) reads it. Written only when it changed.
   */
  private async noteLanguage(entry: InboxEntry, customer: NotedCustomer, result: StepResult): Promise<void> {
    const language = (result.snapshot.context as { language?: unknown } | undefined)?.language;
    if (!isLanguage(language) || language === customer.language) return;
    await this.d.models.Customer.updateOne({ _id: entry.customerRef }, { $set: { language } }).exec();
  }

  /**
   * Runs the event through the business's flow and stores what it emitted. A step that confirmed an erasure
   * saves no snapshot (the erasure deletes the conversation); any other saves it.
   */
  private async runFlow(
    entry: InboxEntry,
    conv: ConversationDoc,
    business: BusinessData,
    payload: InboxPayload,
    customer: NotedCustomer | undefined,
  ): Promise<FlowOutcome> {
    const userMessage = entry.kind === 'user';
    const sealedProfile = customer?.profile;
    const flow = this.d.flowFor(business, entry.customerRef, userMessage ? payload.customer : undefined, {
      key: stepRef(this.d.pepper, entry._id),
      // The profile came with the customer record (noteCustomer): an effect reading it needs no round trip.
      ...(customer
        ? {
            savedAddresses: () =>
              this.d.privacy.openProfile(entry.customerRef, sealedProfile).addresses ?? [],
          }
        : {}),
    });
    // The text goes along even when it reads as a command ("quiero hablar con una persona"), so the
    // conversation's language is taken from it too.
    const stored = this.storedFlow(conv);
    const event = toFlowEvent(
      payload.event.type === 'user.reaction' ? await this.noteReaction(entry, payload.event) : payload.event,
    );
    const result = await runStep(flow, stored, event, {
      ...(payload.event.type === 'user.text' ? { text: payload.event.text } : {}),
    });
    await this.noteHandoff(entry, payload, event, stored, result);
    const erasure = result.emitted.find((item) => item.type === 'effect.erase')?.requestId;
    // An erasure deletes the record: nothing is kept for a customer who is leaving.
    if (customer && !erasure) await this.noteLanguage(entry, customer, result);
    const fresh = await storeReplies(this.replyDeps, entry, business, result.emitted, payload.customer);
    const next = erasure ? conv : await this.saveSnapshot(entry, conv, flow, result);
    return { next, fresh, erasure };
  }

  /**
   * Records a reaction on the bot's message it reacts to (one of this customer's, found by Meta's id): the
   * emoji and when, or nothing when they removed it. The flow gets the record's id with the event.
   */
  private async noteReaction(
    entry: InboxEntry,
    event: Extract<InboundEvent, { type: 'user.reaction' }>,
  ): Promise<InboundEvent> {
    const filter = { wamids: event.messageWamid, customerRef: entry.customerRef };
    const update =
      event.emoji === ''
        ? { $unset: { reaction: 1 } }
        : { $set: { reaction: { emoji: event.emoji, at: entry.sentAt } } };
    const reacted = await this.d.models.Outbox.findOneAndUpdate(filter, update, { projection: { _id: 1 } })
      .lean<{ _id: unknown }>()
      .exec();
    return reacted ? { ...event, outboxId: String(reacted._id) } : event;
  }

  /**
   * Tells the staff inbox what this step did to a handoff: the conversation entered it (a new one, keyed
   * on this message), stayed in it with a message from the customer (kept, sealed, for the staff: the flow
   * itself ignores it), or left it (staff handed it back, the deadline, *cancel*, or anything else).
   */
  private async noteHandoff(
    entry: InboxEntry,
    payload: InboxPayload,
    event: FlowEvent,
    stored: StoredFlow,
    result: StepResult,
  ): Promise<void> {
    const handoffs = this.d.handoffs;
    if (!handoffs) return;
    const was = inHandoff(stored.snapshot);
    const is = inHandoff(result.snapshot);
    if (!was && !is) return;
    const base = { phoneNumberId: entry.phoneNumberId, customerRef: entry.customerRef, at: entry.sentAt };
    const language = (result.snapshot.context as { language?: unknown } | undefined)?.language;
    const spoken = typeof language === 'string' ? language : 'en';
    const key = stepRef(this.d.pepper, entry._id);
    if (!was) {
      await handoffs.opened({ ...base, id: key, language: spoken });
    } else if (is) {
      if (entry.kind !== 'user' || !isInbound(payload.event)) return;
      await handoffs.customerWrote({
        ...base,
        messageId: key,
        language: spoken,
        text: inboxText(payload.event),
        ...(payload.event.type === 'user.media' ? { mediaId: payload.event.mediaId } : {}),
      });
    } else {
      // The customer's own way out ("cancelar", "menu") is the last message of the thread: staff see why.
      if (entry.kind === 'user' && isInbound(payload.event))
        await handoffs.customerWrote({
          ...base,
          messageId: key,
          language: spoken,
          text: inboxText(payload.event),
        });
      await handoffs.ended({ ...base, reason: endReason(event) });
    }
  }

  /**
   * Saves the step's snapshot (sealed) with a version check under this process's lease, and remembers the
   * message as applied. Returns what the database now holds, without reading the snapshot back.
   */
  private async saveSnapshot(
    entry: InboxEntry,
    conv: ConversationDoc,
    flow: FlowDefinition<unknown>,
    result: StepResult,
  ): Promise<ConversationDoc> {
    const userMessage = entry.kind === 'user';
    const now = new Date();
    const deadlineAt = result.deadline ? new Date(result.deadline) : undefined;
    const sealedSnapshot = this.d.sealer.seal(result.snapshot, conversationContext(conv._id));
    // Grouped with the saves of the other conversations finishing now (one bulk write); applied when the
    // document shows this save: the next version, still under this process's lease, with this message.
    const version = conv.version + 1;
    const saved = await this.saveConversation({
      id: conv._id,
      filter: { _id: conv._id, version: conv.version, 'lease.owner': this.d.owner },
      update: {
        $set: {
          phoneNumberId: entry.phoneNumberId,
          flowId: flow.id,
          flowVersion: flow.version,
          sealedSnapshot,
          updatedAt: now,
          expiresAt: new Date(now.getTime() + this.d.idleTtlMs),
          ...(userMessage ? { lastInboundAt: entry.sentAt } : {}),
          ...(deadlineAt ? { deadlineAt } : {}),
        },
        ...(deadlineAt ? {} : { $unset: { deadlineAt: 1 } }),
        $inc: { version: 1 },
        $push: { processed: { $each: [entry._id], $slice: -PROCESSED_MEMORY } },
      },
      applied: (doc) =>
        doc.version === version && doc.lease?.owner === this.d.owner && doc.processed.includes(entry._id),
    });
    if (!saved) throw new LeaseLostError('the conversation changed under us (lease lost)');
    return {
      ...conv,
      phoneNumberId: entry.phoneNumberId,
      flowId: flow.id,
      flowVersion: flow.version,
      sealedSnapshot,
      version: conv.version + 1,
      processed: [...conv.processed, entry._id].slice(-PROCESSED_MEMORY),
      ...(userMessage ? { lastInboundAt: entry.sentAt } : {}),
      deadlineAt,
      updatedAt: now,
    };
  }

  /**
   * Sends the message's open replies. A retry after a crash finds its replies in any open state: one still
   * `sending` (the process died mid-send) waits, in the sender, for the status webhook with its id before it
   * is sent again; one that is `retrying` waits for its time. Whatever is left open, the outbox dispatcher
   * finishes.
   */
  private async sendOpen(
    entry: InboxEntry,
    payload: InboxPayload | undefined,
    fresh: OutboxEntry[] | undefined,
  ): Promise<void> {
    const userMessage = entry.kind === 'user';
    const pending =
      fresh && entry.attempts === 1
        ? fresh
        : await this.d.models.Outbox.find({
            inboundWamid: entry._id,
            status: { $in: OPEN_OUTBOX_STATUSES },
          })
            .sort({ seq: 1 })
            .lean<OutboxEntry[]>()
            .exec();
    // The message being answered names its sender: replies to them need no customer lookup.
    const known =
      payload?.customer && userMessage ? { ...payload.customer, lastInboundAt: entry.sentAt } : undefined;
    for (const outbound of pending) {
      const toSender = outbound.audience === 'customer' && outbound.customerRef === entry.customerRef;
      await this.d.deliver(outbound, toSender ? known : undefined);
    }
  }

  /** The message is handled: `done`, its sealed text dropped. */
  private async markDone(entry: InboxEntry): Promise<void> {
    await this.inboxUpdate(
      { _id: entry._id },
      { $set: { status: 'done' }, $unset: { sealed: 1, claimedAt: 1, error: 1, retryAt: 1 } },
    );
  }

  /** The stored conversation as the runner takes it; an unreadable one restarts with the notice. */
  private storedFlow(conv: ConversationDoc): StoredFlow {
    if (!conv.sealedSnapshot) return { flowId: conv.flowId, flowVersion: conv.flowVersion };
    try {
      return {
        flowId: conv.flowId,
        flowVersion: conv.flowVersion,
        snapshot: this.d.sealer.open<Record<string, unknown>>(
          conv.sealedSnapshot,
          conversationContext(conv._id),
        ),
      };
    } catch (err) {
      this.d.logger.warn(
        { err, conversation: conv._id.slice(0, 12) },
        'conversation state unreadable; restarting it',
      );
      return { flowId: 'unreadable', snapshot: { status: 'active' } };
    }
  }
}

/** Whether a stored or settled snapshot waits in the handoff (a person has the conversation). */
function inHandoff(snapshot: Record<string, unknown> | undefined): boolean {
  return snapshot?.status === 'active' && snapshot.value === 'handoff';
}

const isInbound = (event: InboundEvent | SystemEvent): event is InboundEvent =>
  event.type.startsWith('user.');

/** How staff see a photo, a voice note… in the inbox; the media id lets them fetch it from Meta on demand. */
const MEDIA_LABELS: Record<Extract<InboundEvent, { type: 'user.media' }>['mediaType'], string> = {
  audio: '🎤 voice note',
  image: '📷 photo',
  video: '🎬 video',
  document: '📄 document',
  sticker: '🏷️ sticker',
};

/** A customer's message as staff read it in the inbox (the portal's texts are English). */
export function inboxText(event: InboundEvent): string {
  switch (event.type) {
    case 'user.text':
      return event.text;
    case 'user.button':
    case 'user.list':
      return event.title;
    case 'user.location': {
      const place = [event.name, event.address].filter(Boolean).join(', ');
      return `[Location] ${place || `${event.latitude}, ${event.longitude}`}`;
    }
    case 'user.media':
      return `${MEDIA_LABELS[event.mediaType]}${event.caption ? ` ${event.caption}` : ''}`;
    case 'user.unsupported':
      return event.kind === 'contacts'
        ? '👤 contact'
        : event.kind === 'edit'
          ? '✏️ edited a message'
          : `[${event.kind}]`;
    case 'user.reaction':
      return event.emoji === '' ? 'removed a reaction' : `reacted ${event.emoji}`;
    case 'user.welcome':
      return '[opened the chat]';
    case 'user.order':
      return `[Order] ${event.items.map((i) => `${i.quantity}× ${i.retailerId}`).join(', ')}`;
    case 'user.form':
      return `[Form] ${Object.entries(event.response)
        .map(([field, value]) => `${field}: ${String(value)}`)
        .join(', ')}`;
  }
}

/** Why a conversation left the handoff, from the event that moved it. */
function endReason(event: FlowEvent): HandoffEnd {
  switch (event.type) {
    case 'system.timeout':
      return 'timeout';
    case 'system.resume':
      return 'staff-returned';
    case 'command.cancel':
    case 'command.menu':
      return 'customer-cancelled';
    default:
      return 'left';
  }
}
