import { randomUUID } from 'node:crypto';
import { days, HOUR_MS } from '../core/time.js';
import type { ReplyButton, OutboundMessage } from '../core/vocabulary.js';
import type { Sealer } from '../core/sealing.js';
import { profileContext } from '../customers/profiles.js';
import { isDuplicateKey } from '../db/errors.js';
import type { Customer, CustomerModel, CustomerProfile } from '../db/models/customer.model.js';
import {
  HANDOFF_MESSAGES_KEPT,
  HANDOFF_RETENTION_DAYS,
  handoffMessageContext,
  OPEN_HANDOFF_STATUSES,
} from '../db/models/handoff.model.js';
import type { Handoff, HandoffEnd, HandoffModel, HandoffStatus } from '../db/models/handoff.model.js';
import type { OutboxEntry, OutboxModel } from '../db/models/outbox.model.js';
import { t } from '../language/i18n.js';
import { isLanguage } from '../language/languages.js';
import { noLive } from '../live/events.js';
import type { LiveKind, LivePublisher } from '../live/events.js';
import { outboxRecord } from '../outbox/record.js';
import type { Deliver, DeliveryOutcome } from '../outbox/sender.js';
import { DEFAULT_LANGUAGE } from '../language/languages.js';
import { noTemplates } from '../templates/types.js';
import type { TemplateChoice, TemplateResolver } from '../templates/types.js';

/** WhatsApp's customer-service window: free-form replies only within 24 h of the customer's last message. */
const WINDOW_MS = 24 * HOUR_MS;

/** How long a handoff is kept after its last activity. */
const RETENTION_MS = days(HANDOFF_RETENTION_DAYS);

/** The longest reply staff may write (WhatsApp's text limit). */
export const MAX_REPLY_CHARS = 4_096;

/** What the engine does for the service: tell the conversation it was taken, or hand it back to the bot. */
export type HandoffSignal = (
  phoneNumberId: string,
  customerRef: string,
  event: 'system.taken' | 'system.resume',
) => Promise<boolean>;

export interface HandoffServiceDeps {
  Handoff: HandoffModel;
  Outbox: OutboxModel;
  Customer: CustomerModel;
  sealer: Sealer;
  /** Sends a stored outbox record (src/outbox/sender.ts): in order, at most once, retried by the dispatcher. */
  deliver: Deliver;
  /** The engine's system events (late-bound: the engine is built after this service). */
  signal: HandoffSignal;
  live?: LivePublisher;
  /** The business's approved `staff.reply` template (src/templates/): a reply outside the 24-hour window. */
  templates?: TemplateResolver;
  /** The business's name, the `staff.reply` template's parameter. */
  businessName?: (phoneNumberId: string) => Promise<string | undefined>;
  now?: () => number;
}

/** How the portal shows who the customer is: the name they gave (or WhatsApp's), else a masked number. */
export interface CustomerLabel {
  name?: string;
  /** `+34 ••• ••12`, or `WhatsApp user` when only a user id is known. */
  masked: string;
}

export interface HandoffSummary {
  id: string;
  status: HandoffStatus;
  language: string;
  openedAt: Date;
  takenAt?: Date | undefined;
  lastActivityAt: Date;
  unanswered: number;
  customer: CustomerLabel;
}

export interface HandoffThreadMessage {
  id: string;
  direction: 'in' | 'out';
  text: string;
  at: Date;
  /** A customer's media message: the id staff can open it by. */
  mediaId?: string | undefined;
}

export interface HandoffThread extends HandoffSummary {
  endedAt?: Date | undefined;
  endReason?: HandoffEnd | undefined;
  messages: HandoffThreadMessage[];
  /** Whether the customer wrote in the last 24 hours: only then can a free-form reply reach them. */
  windowOpen: boolean;
  /** Outside the window: the approved template a staff reply can be sent as, when one maps. */
  replyTemplate?: string | undefined;
}

/** What a staff action came to. `not-open`: the handoff already ended (another staff member, the timeout). */
export type HandoffActionResult = 'done' | 'not-found' | 'not-open' | 'not-waiting';

/**
 * What became of a reply: `sent`; `queued` (waiting behind an earlier message, or retried); refused before
 * anything was stored: `outside-window` (a template is needed), `not-taken` (take it first), `not-found`,
 * `empty`, `too-long`; after it was stored: `failed` (WhatsApp refused it), `not-sent` (sending is off or the
 * customer opted out or was erased), `no-template` (outside the window, no approved template maps).
 */
export type ReplyOutcome =
  | 'sent'
  | 'queued'
  | 'outside-window'
  | 'not-taken'
  | 'not-found'
  | 'empty'
  | 'too-long'
  | 'failed'
  | 'not-sent'
  | 'no-template';

/** `+34 ••• ••12`: the country code's first digits and the last two, for the list; never the whole number. */
export function maskNumber(waId: string): string {
  const digits = waId.replace(/\D/g, '');
  if (digits.length < 6) return '+•••';
  return `+${digits.slice(0, 2)} ••• ••${digits.slice(-2)}`;
}

const isOpen = (status: HandoffStatus): boolean => OPEN_HANDOFF_STATUSES.includes(status);

/**
 * The staff inbox: conversations a customer handed to a person, and the messages exchanged while a person
 * has them (sealed). The conversation step records the customer's side (`opened`, `customerWrote`,
 * `ended`); the portal reads, takes, replies, hands back and closes. Replies go through the outbox like
 * every reply (unique per reply id, in order per customer, retried by the dispatcher); being taken and
 * handed back go to the conversation as system events, so the flow tells the customer in their language.
 */
export class HandoffService {
  private readonly now: () => number;
  private readonly live: LivePublisher;

  constructor(private readonly d: HandoffServiceDeps) {
    this.now = d.now ?? Date.now;
    this.live = d.live ?? noLive;
  }

  // ── The customer's side, from the conversation step ────────────────────────────────────────────────

  /**
   * The customer asked for a person: a `waiting` handoff, keyed by `id` (a keyed hash of the message that
   * asked, so a retried step finds it). An older one still open for the customer is ended first.
   */
  async opened(open: {
    id: string;
    phoneNumberId: string;
    customerRef: string;
    language: string;
    at: Date;
  }): Promise<void> {
    await this.d.Handoff.updateMany(
      {
        customerRef: open.customerRef,
        phoneNumberId: open.phoneNumberId,
        status: { $in: OPEN_HANDOFF_STATUSES },
        _id: { $ne: open.id },
      },
      this.ending('returned', 'left', open.at),
    ).exec();
    try {
      const res = await this.d.Handoff.updateOne(
        { _id: open.id },
        {
          $setOnInsert: {
            phoneNumberId: open.phoneNumberId,
            customerRef: open.customerRef,
            status: 'waiting',
            language: open.language,
            openedAt: open.at,
            lastActivityAt: open.at,
            unanswered: 0,
            messages: [],
            expiresAt: new Date(open.at.getTime() + RETENTION_MS),
          },
        },
        { upsert: true },
      ).exec();
      if (res.upsertedCount > 0) await this.publish(open.phoneNumberId, 'handoff.opened', open.id);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // two tries at once: the other made it
    }
  }

  /**
   * A message of the customer while a person has the conversation: kept (sealed) on their open handoff,
   * once per `messageId` (a retried step adds nothing). A conversation in handoff without a record (from
   * before the inbox existed) gets one.
   */
  async customerWrote(message: {
    messageId: string;
    phoneNumberId: string;
    customerRef: string;
    language: string;
    text: string;
    /** A photo, voice note…: Meta's media id, kept beside the text so staff can open it. */
    mediaId?: string | undefined;
    at: Date;
  }): Promise<void> {
    let open = await this.openFor(message.phoneNumberId, message.customerRef);
    if (!open) {
      await this.opened({ ...message, id: message.messageId });
      open = await this.openFor(message.phoneNumberId, message.customerRef);
      if (!open) return;
    }
    const added = await this.push(
      open._id,
      message.messageId,
      'in',
      message.text,
      message.at,
      { $inc: { unanswered: 1 } },
      undefined,
      message.mediaId,
    );
    if (added) await this.publish(message.phoneNumberId, 'handoff.message', open._id);
  }

  /** The conversation left the handoff (cancel, deadline, `/resume`, a privacy request): an open one ends. */
  async ended(end: {
    phoneNumberId: string;
    customerRef: string;
    reason: HandoffEnd;
    at: Date;
  }): Promise<void> {
    const open = await this.openFor(end.phoneNumberId, end.customerRef);
    if (!open) return;
    const res = await this.d.Handoff.updateOne(
      { _id: open._id, status: { $in: OPEN_HANDOFF_STATUSES } },
      this.ending('returned', end.reason, end.at),
    ).exec();
    if (res.modifiedCount > 0) await this.publish(end.phoneNumberId, 'handoff.updated', open._id);
  }

  // ── The staff's side, from the portal ─────────────────────────────────────────────────────────────

  /** The business's open handoffs, newest activity first (at most 200). */
  async list(phoneNumberId: string): Promise<HandoffSummary[]> {
    const open = await this.d.Handoff.find(
      { phoneNumberId, status: { $in: OPEN_HANDOFF_STATUSES } },
      { messages: 0 },
    )
      .sort({ lastActivityAt: -1 })
      .limit(200)
      .lean<Handoff[]>()
      .exec();
    const customers = await this.customers(open.map((h) => h.customerRef));
    const summaries = open.map((h) => this.summary(h, customers.get(h.customerRef)));
    return summaries;
  }

  /**
   * When the business's customers asked for a person since `since`, newest first (at most 300): ids and
   * times only, for the notices page's staff events when no staff number was alerted.
   */
  async openedSince(phoneNumberId: string, since: Date): Promise<Array<{ id: string; at: Date }>> {
    const rows = await this.d.Handoff.find({ phoneNumberId, openedAt: { $gte: since } }, { openedAt: 1 })
      .sort({ openedAt: -1 })
      .limit(300)
      .lean<Array<Pick<Handoff, '_id' | 'openedAt'>>>()
      .exec();
    return rows.map((h) => ({ id: h._id, at: h.openedAt }));
  }

  /** One handoff of the business with its messages opened; null when there is none (or another business's). */
  async get(phoneNumberId: string, id: string): Promise<HandoffThread | null> {
    const h = await this.d.Handoff.findOne({ _id: id, phoneNumberId }).lean<Handoff>().exec();
    if (!h) return null;
    const customer = (await this.customers([h.customerRef])).get(h.customerRef);
    return {
      ...this.summary(h, customer),
      endedAt: h.endedAt,
      endReason: h.endReason,
      messages: h.messages.map((m) => ({
        id: m.id,
        direction: m.direction,
        text: this.d.sealer.open<string>(m.sealedText, handoffMessageContext(h._id, m.id)),
        at: m.at,
        ...(m.mediaId ? { mediaId: m.mediaId } : {}),
      })),
      windowOpen: this.windowOpen(customer),
      ...(h.status === 'taken' && !this.windowOpen(customer)
        ? { replyTemplate: (await this.staffReplyTemplate(phoneNumberId, h.language))?.name }
        : {}),
    };
  }

  /**
   * The handoff a staff reply (`replyId`, the form's id) goes to and the key of its outbox record; or what
   * the reply already came to (a repeat of the same form), or why it cannot be sent (not found, not taken).
   */
  private async replyTarget(
    phoneNumberId: string,
    id: string,
    replyId: string,
  ): Promise<{ h: Handoff; inboundWamid: string } | ReplyOutcome> {
    const h = await this.d.Handoff.findOne({ _id: id, phoneNumberId }, { messages: 0 })
      .lean<Handoff>()
      .exec();
    if (!h) return 'not-found';
    const inboundWamid = `handoff:${h._id}:${replyId}`;
    const existing = await this.d.Outbox.findOne({ inboundWamid, seq: 0 }).lean<OutboxEntry>().exec();
    if (existing) return this.replyOutcome(existing);
    if (h.status !== 'taken') return 'not-taken';
    return { h, inboundWamid };
  }

  /**
   * Outside the customer's 24-hour window: the business's approved `staff.reply` template goes out
   * instead of a free reply (it invites the customer to write back, which reopens the window). Stored once
   * per `replyId`, in order, retried like any reply. `no-template` when none maps; nothing is stored then.
   */
  async sendTemplate(phoneNumberId: string, id: string, replyId: string): Promise<ReplyOutcome> {
    const ready = await this.replyTarget(phoneNumberId, id, replyId);
    if (typeof ready === 'string') return ready;
    const { h, inboundWamid } = ready;
    const businessName = (await this.d.businessName?.(phoneNumberId)) ?? '';
    const choice = await this.staffReplyTemplate(phoneNumberId, h.language, businessName);
    if (!choice) return 'no-template';
    const at = new Date(this.now());
    const record = outboxRecord(this.d.sealer, {
      phoneNumberId,
      customerRef: h.customerRef,
      audience: 'customer',
      inboundWamid,
      seq: 0,
      message: {
        type: 'reply.template',
        name: choice.name,
        language: choice.language,
        bodyParameters: choice.bodyParameters,
        ...(choice.buttonPayloads ? { buttonPayloads: choice.buttonPayloads } : {}),
      },
      createdAt: at,
      fallback: { purpose: 'staff.reply', language: h.language, values: { businessName } },
    });
    return this.storeAndSend(
      h,
      replyId,
      { ...record, template: { name: choice.name, language: choice.language } },
      `Approved template “${choice.name}” sent (it asks the customer to write back).`,
      at,
    );
  }

  /** A staff member takes a waiting handoff: no deadline hands it back now, and the customer is told. */
  async take(phoneNumberId: string, id: string): Promise<HandoffActionResult> {
    const at = new Date(this.now());
    const res = await this.d.Handoff.updateOne(
      { _id: id, phoneNumberId, status: 'waiting' },
      { $set: { status: 'taken', takenAt: at, lastActivityAt: at, expiresAt: this.expiry(at) } },
    ).exec();
    if (res.modifiedCount === 0) return this.refusal(phoneNumberId, id, 'not-waiting');
    const h = await this.d.Handoff.findById(id, { customerRef: 1 })
      .lean<Pick<Handoff, 'customerRef'>>()
      .exec();
    if (h) await this.d.signal(phoneNumberId, h.customerRef, 'system.taken');
    await this.publish(phoneNumberId, 'handoff.updated', id);
    return 'done';
  }

  /**
   * A reply from staff to the customer of a taken handoff, through the outbox: stored once per `replyId`
   * (a form sent twice sends once), behind anything still open for the customer, retried like any reply.
   * Refused, with nothing stored, when the customer's 24-hour window has closed.
   */
  async reply(
    phoneNumberId: string,
    id: string,
    replyId: string,
    text: string,
    options: { buttons?: ReplyButton[]; showOptions?: boolean } = {},
  ): Promise<ReplyOutcome> {
    const body = text.trim();
    if (body === '') return 'empty';
    if (body.length > MAX_REPLY_CHARS) return 'too-long';
    const ready = await this.replyTarget(phoneNumberId, id, replyId);
    if (typeof ready === 'string') return ready;
    const { h, inboundWamid } = ready;
    const customer = await this.d.Customer.findById(h.customerRef, { lastInboundAt: 1 })
      .lean<Pick<Customer, 'lastInboundAt'>>()
      .exec();
    if (!this.windowOpen(customer ?? undefined)) return 'outside-window';
    const at = new Date(this.now());
    const buttons = [
      ...(options.buttons ?? []),
      // The bot's own *Show options* button, in the customer's language: once handed back, a tap shows the menu.
      ...(options.showOptions
        ? [
            {
              id: 'stuck.menu',
              title: t(isLanguage(h.language) ? h.language : 'en', 'root:stuck.options.button'),
            },
          ]
        : []),
    ];
    const message: OutboundMessage =
      buttons.length > 0
        ? { type: 'reply.buttons', text: body, buttons }
        : { type: 'reply.text', text: body };
    const record = outboxRecord(this.d.sealer, {
      phoneNumberId,
      customerRef: h.customerRef,
      audience: 'customer',
      inboundWamid,
      seq: 0,
      message,
      createdAt: at,
    });
    return this.storeAndSend(h, replyId, record, body, at);
  }

  /**
   * A staff reply's outbox record stored once (a repeat of the same form finds the first and answers what it
   * came to), then added to the thread as `shown`, announced to open pages and handed to the sender.
   */
  private async storeAndSend(
    h: Handoff,
    replyId: string,
    record: OutboxEntry,
    shown: string,
    at: Date,
  ): Promise<ReplyOutcome> {
    try {
      await this.d.Outbox.insertMany([record], { lean: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const { inboundWamid } = record;
      const entry = await this.d.Outbox.findOne({ inboundWamid, seq: 0 }).lean<OutboxEntry>().exec();
      if (!entry) throw new Error(`outbox record ${inboundWamid} vanished`);
      return this.replyOutcome(entry);
    }
    await this.push(h._id, replyId, 'out', shown, at, { $set: { unanswered: 0 } }, String(record._id));
    await this.publish(h.phoneNumberId, 'handoff.message', h._id);
    return this.deliveryOutcome(await this.d.deliver(record));
  }

  /** Staff hand the conversation back to the bot: the customer is told, and the bot answers again. */
  handBack(phoneNumberId: string, id: string): Promise<HandoffActionResult> {
    return this.end(phoneNumberId, id, 'returned', 'staff-returned');
  }

  /** Staff close the handoff: done with it; the bot answers the customer's next message. */
  close(phoneNumberId: string, id: string): Promise<HandoffActionResult> {
    return this.end(phoneNumberId, id, 'closed', 'staff-closed');
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────────────

  private async end(
    phoneNumberId: string,
    id: string,
    status: 'returned' | 'closed',
    reason: HandoffEnd,
  ): Promise<HandoffActionResult> {
    const at = new Date(this.now());
    const h = await this.d.Handoff.findOneAndUpdate(
      { _id: id, phoneNumberId, status: { $in: OPEN_HANDOFF_STATUSES } },
      this.ending(status, reason, at),
      { projection: { customerRef: 1 } },
    )
      .lean<Pick<Handoff, 'customerRef'>>()
      .exec();
    if (!h) return this.refusal(phoneNumberId, id, 'not-open');
    // The flow leaves the handoff for the menu and tells the customer (the engine's resume path).
    await this.d.signal(phoneNumberId, h.customerRef, 'system.resume');
    await this.publish(phoneNumberId, 'handoff.updated', id);
    return 'done';
  }

  /** The update that ends an open handoff; the retention counts from now. */
  private ending(status: 'returned' | 'closed', reason: HandoffEnd, at: Date) {
    return {
      $set: { status, endReason: reason, endedAt: at, lastActivityAt: at, expiresAt: this.expiry(at) },
    };
  }

  private expiry(at: Date): Date {
    return new Date(at.getTime() + RETENTION_MS);
  }

  private async refusal(
    phoneNumberId: string,
    id: string,
    otherwise: 'not-waiting' | 'not-open',
  ): Promise<HandoffActionResult> {
    const h = await this.d.Handoff.findOne({ _id: id, phoneNumberId }, { status: 1 })
      .lean<Pick<Handoff, 'status'>>()
      .exec();
    if (!h) return 'not-found';
    return isOpen(h.status) ? otherwise : 'not-open';
  }

  private openFor(phoneNumberId: string, customerRef: string) {
    return this.d.Handoff.findOne(
      { customerRef, phoneNumberId, status: { $in: OPEN_HANDOFF_STATUSES } },
      { _id: 1, status: 1 },
    )
      .sort({ openedAt: -1 })
      .lean<Pick<Handoff, '_id' | 'status'>>()
      .exec();
  }

  /** Adds a message once (by id); moves the activity and the retention on. False when it was there. */
  private async push(
    handoffId: string,
    messageId: string,
    direction: 'in' | 'out',
    text: string,
    at: Date,
    extra: { $inc?: Record<string, number>; $set?: Record<string, unknown> },
    outboxId?: string,
    mediaId?: string,
  ): Promise<boolean> {
    const sealedText = this.d.sealer.seal(text, handoffMessageContext(handoffId, messageId));
    const res = await this.d.Handoff.updateOne(
      { _id: handoffId, 'messages.id': { $ne: messageId } },
      {
        $push: {
          messages: {
            $each: [
              {
                id: messageId,
                direction,
                sealedText,
                at,
                ...(outboxId ? { outboxId } : {}),
                ...(mediaId ? { mediaId } : {}),
              },
            ],
            $slice: -HANDOFF_MESSAGES_KEPT,
          },
        },
        $set: { lastActivityAt: at, expiresAt: this.expiry(at), ...extra.$set },
        ...(extra.$inc ? { $inc: extra.$inc } : {}),
      },
    ).exec();
    return res.modifiedCount > 0;
  }

  private async customers(refs: string[]): Promise<Map<string, Customer>> {
    if (refs.length === 0) return new Map();
    const docs = await this.d.Customer.find(
      { _id: { $in: [...new Set(refs)] } },
      { waId: 1, userId: 1, profile: 1, lastInboundAt: 1 },
    )
      .lean<Customer[]>()
      .exec();
    return new Map(docs.map((c) => [c._id, c]));
  }

  private label(ref: string, customer: Customer | undefined): CustomerLabel {
    let name: string | undefined;
    if (customer?.profile) {
      try {
        name = this.d.sealer.open<CustomerProfile>(customer.profile, profileContext(ref)).name;
      } catch {
        name = undefined; // an unreadable profile shows the number instead
      }
    }
    const masked = customer?.waId ? maskNumber(customer.waId) : 'WhatsApp user';
    return { ...(name ? { name } : {}), masked };
  }

  private summary(h: Handoff, customer: Customer | undefined): HandoffSummary {
    return {
      id: h._id,
      status: h.status,
      language: h.language,
      openedAt: h.openedAt,
      takenAt: h.takenAt,
      lastActivityAt: h.lastActivityAt,
      unanswered: h.unanswered,
      customer: this.label(h.customerRef, customer),
    };
  }

  /** The `staff.reply` template for the conversation's language, or undefined when none maps. */
  private async staffReplyTemplate(
    phoneNumberId: string,
    language: string,
    businessName?: string,
  ): Promise<TemplateChoice | undefined> {
    const name = businessName ?? (await this.d.businessName?.(phoneNumberId)) ?? '';
    const found = await (this.d.templates ?? noTemplates).resolve(
      phoneNumberId,
      'staff.reply',
      isLanguage(language) ? language : DEFAULT_LANGUAGE,
      { businessName: name },
    );
    return found.ok ? found.choice : undefined;
  }

  private windowOpen(customer: Pick<Customer, 'lastInboundAt'> | undefined): boolean {
    const last = customer?.lastInboundAt;
    return last !== undefined && this.now() - last.getTime() < WINDOW_MS;
  }

  private replyOutcome(entry: OutboxEntry): ReplyOutcome {
    switch (entry.status) {
      case 'sent':
        return 'sent';
      case 'failed':
        return 'failed';
      case 'skipped':
      case 'expired':
        return entry.skippedReason === 'outside-24h-window' || entry.expiredReason === 'window-closed'
          ? 'outside-window'
          : 'not-sent';
      default:
        return 'queued';
    }
  }

  private deliveryOutcome(outcome: DeliveryOutcome): ReplyOutcome {
    switch (outcome) {
      case 'sent':
        return 'sent';
      case 'failed':
        return 'failed';
      case 'skipped':
      case 'expired':
        return 'not-sent';
      default:
        return 'queued';
    }
  }

  private async publish(business: string, kind: LiveKind, ref: string): Promise<void> {
    try {
      await this.live.publish({ business, kind, ref });
    } catch {
      // Live updates are a convenience: the page shows the same on its next load.
    }
  }
}

/** A fresh id for a reply form: the form carries it, so sending the same form twice sends once. */
export const newReplyId = (): string => randomUUID();
