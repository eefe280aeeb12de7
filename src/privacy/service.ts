import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { conversationContext } from '../db/models/conversation.model.js';
import type { Logger } from 'pino';
import type { DeliveryAddress, ErasureOffer, OpenOrderOutcome } from '../../flows/root.flow.js';
import type { BusinessData } from '../businesses/schema.js';
import type { CustomerIdentity } from '../conversation/types.js';
import type { Customer, CustomerProfile } from '../db/models/customer.model.js';
import { MAX_SAVED_ADDRESSES } from '../db/models/customer.model.js';
import { isDuplicateKey } from '../db/errors.js';
import type { Models } from '../db/models/index.js';
import type { HandoverContact, Order } from '../db/models/order.model.js';
import { handoverContext } from '../db/models/order.model.js';
import type { OutboxEntry } from '../db/models/outbox.model.js';
import type {
  ErasureStep,
  PrivacyChannel,
  PrivacyReceipt,
  PrivacyRequest,
  PrivacyRequestStatus,
  PrivacyRequestType,
  ReceiptLine,
} from '../db/models/privacy-request.model.js';
import { PRIVACY_REQUEST_RETENTION_DAYS } from '../db/models/privacy-request.model.js';
import type { Deliver, KnownRecipient } from '../outbox/sender.js';
import { outboxRecord } from '../outbox/record.js';
import { OPEN_ORDER_STATUSES } from '../orders/service.js';
import { DATA_MAP, PERSONAL_DATA, createdBy } from './data-map.js';
import type { ErasureContext } from './data-map.js';
import { dataExportSchema } from './export.js';
import { hashedWamid } from './refs.js';
import { findIdentifiers } from './scan.js';
import { CustomerIdentities } from '../customers/identity.js';
import type { Sealer } from './sealing.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** GDPR Art. 12(3): answer within one month. */
const DUE_DAYS = 30;
/** A *Delete my data* button works for this long, once. */
const CONFIRM_TOKEN_MS = 24 * 60 * 60 * 1000;
/** The chat receipt of an erasure is kept only as long as delivery needs. */
const RECEIPT_REPLY_MS = 48 * 60 * 60 * 1000;
const SOFTWARE = 'polus-bot privacy/1';
/** The prefix of a keyed hash that stands in for a wamid on a record that must not keep the id itself. */
const HASHED_WAMID = 'hmac:';
/** A finished order keeps its delivery address and note this long (questions, complaints), then drops them. */
export const ORDER_CONTACT_DAYS = 30;
/** How often the retention sweep for order contact details runs. */
const RETENTION_SWEEP_MS = 60 * 60 * 1000;

/** The identifiers an erasure needs to verify itself and to answer; sealed on the request while it runs. */
interface SubjectIdentifiers {
  waId?: string;
  userId?: string;
  name?: string;
  lastInboundAt?: string;
}

export interface PrivacyServiceDeps {
  models: Models;
  sealer: Sealer;
  pepper: string;
  deliver: Deliver;
  logger: Logger;
  publicBaseUrl: string;
  /** Whether an AI endpoint is configured at all (businesses must still switch AI on). */
  llmConfigured: boolean;
  now?: () => number;
  leaseMs?: number;
  /** Resolves staff numbers to their chats; one is made from `models` and `pepper` when not given. */
  identities?: CustomerIdentities;
}

export const profileContext = (ref: string) => `customer:${ref}`;
const identifiersContext = (id: string) => `privacy_request:${id}`;
const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * `DSR` and ten characters of an alphabet without look-alikes (0/O, 1/I/L): purely alphanumeric, as Meta's
 * callback wants, and easy to read out or type (about 49 bits: a reference, not a secret).
 */
function confirmationCode(): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const bytes = randomBytes(10);
  let code = '';
  for (const byte of bytes) code += alphabet[byte % alphabet.length];
  return `DSR${code}`;
}

function addressText(address: DeliveryAddress): string {
  if (address.text) return address.text;
  return `shared location (${address.latitude?.toFixed(5)}, ${address.longitude?.toFixed(5)})`;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Data subject requests for one business's customers (the business is the controller): see, correct,
 * erase, opt out; the Meta data deletion callback; and the admin's view. The subject is always the verified
 * sender of a signed webhook, scoped to the receiving business: nothing here takes a subject from text.
 */
export class PrivacyService {
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly now: () => number;
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private lastRetentionSweep = 0;

  private readonly identities: CustomerIdentities;

  constructor(private readonly d: PrivacyServiceDeps) {
    this.identities = d.identities ?? new CustomerIdentities({ models: d.models, pepper: d.pepper });
    this.now = d.now ?? Date.now;
    this.leaseMs = d.leaseMs ?? 60_000;
  }

  // ---------------------------------------------------------------- profile

  async readProfile(ref: string): Promise<CustomerProfile> {
    const doc = await this.d.models.Customer.findById(ref, { profile: 1 })
      .lean<Pick<Customer, 'profile'>>()
      .exec();
    return this.openProfile(ref, doc?.profile);
  }

  openProfile(ref: string, sealed: string | undefined): CustomerProfile {
    if (!sealed) return { addresses: [] };
    return this.d.sealer.open<CustomerProfile>(sealed, profileContext(ref));
  }

  sealProfile(ref: string, profile: CustomerProfile): string {
    return this.d.sealer.seal(profile, profileContext(ref));
  }

  private async writeProfile(ref: string, profile: CustomerProfile): Promise<void> {
    await this.d.models.Customer.updateOne(
      { _id: ref },
      { $set: { profile: this.sealProfile(ref, profile) } },
    ).exec();
  }

  /** WhatsApp's profile name, unless the customer corrected their name (theirs then wins). */
  async noteProfileName(ref: string, sealed: string | undefined, name: string): Promise<void> {
    const profile = this.openProfile(ref, sealed);
    if (profile.nameCorrected || profile.name === name) return;
    await this.writeProfile(ref, { ...profile, name });
  }

  /** A delivery address just used: first in the saved list, without duplicates. */
  async saveAddress(ref: string, address: DeliveryAddress): Promise<void> {
    const profile = await this.readProfile(ref);
    const key = JSON.stringify(address);
    const addresses = [address, ...profile.addresses.filter((a) => JSON.stringify(a) !== key)].slice(
      0,
      MAX_SAVED_ADDRESSES,
    );
    await this.writeProfile(ref, { ...profile, addresses });
  }

  // ---------------------------------------------------------------- requests

  /**
   * The open request of this type for this subject, or a new one. The partial unique index on open requests
   * makes this safe across processes: the loser of a race reads the winner's. With a `stepKey` (a chat
   * step's effect, see `PrivacyRequest.stepKey`), the request that step already opened or took over comes
   * first, whatever its status: a step run again after a failure sees its own request, completed or not.
   */
  async openRequest(
    type: PrivacyRequestType,
    phoneNumberId: string,
    subjectKey: string,
    channel: PrivacyChannel,
    extra: Partial<PrivacyRequest> = {},
    stepKey?: string,
  ): Promise<{ request: PrivacyRequest; created: boolean }> {
    const { PrivacyRequest } = this.d.models;
    const mine = await this.requestOfStep(stepKey);
    if (mine) return { request: mine, created: false };
    const existing = await PrivacyRequest.findOne({ phoneNumberId, subjectKey, type, open: true })
      .lean<PrivacyRequest>()
      .exec();
    if (existing) {
      if (!stepKey) return { request: existing, created: false };
      // This step takes the open request over: a retry of it must find this one.
      await PrivacyRequest.updateOne(
        { _id: existing._id },
        { $set: { stepKey }, $unset: { appliedTo: 1 } },
      ).exec();
      const { appliedTo: _earlier, ...taken } = existing;
      return { request: { ...taken, stepKey }, created: false };
    }
    const receivedAt = new Date(this.now());
    const request: PrivacyRequest = {
      _id: `pr_${randomBytes(12).toString('base64url')}`,
      type,
      phoneNumberId,
      subjectKey,
      channel,
      status: 'received',
      open: true,
      confirmationCode: confirmationCode(),
      receivedAt,
      dueAt: new Date(receivedAt.getTime() + DUE_DAYS * DAY_MS),
      steps: [],
      attempts: 0,
      expiresAt: new Date(receivedAt.getTime() + PRIVACY_REQUEST_RETENTION_DAYS * DAY_MS),
      ...(stepKey ? { stepKey } : {}),
      ...extra,
    };
    try {
      await PrivacyRequest.create(request);
      this.d.logger.info(
        { requestId: request._id, type, channel, phoneNumberId },
        'privacy request received',
      );
      return { request, created: true };
    } catch (err) {
      if ((err as { code?: unknown }).code !== 11000) throw err;
      const winner =
        (await this.requestOfStep(stepKey)) ??
        (await PrivacyRequest.findOne({ phoneNumberId, subjectKey, type, open: true })
          .lean<PrivacyRequest>()
          .exec());
      if (!winner) throw err;
      return { request: winner, created: false };
    }
  }

  /** The request a chat step's effect opened, decided or took over, if any. */
  private async requestOfStep(stepKey: string | undefined): Promise<PrivacyRequest | null> {
    if (!stepKey) return null;
    return this.d.models.PrivacyRequest.findOne({ stepKey }).lean<PrivacyRequest>().exec();
  }

  /** Records a request that was answered on the spot (access, correction, opt-out, opt-in). */
  private async complete(id: string, extra: Partial<PrivacyRequest> = {}): Promise<void> {
    await this.d.models.PrivacyRequest.updateOne(
      { _id: id },
      { $set: { status: 'completed', completedAt: new Date(this.now()), ...extra }, $unset: { open: 1 } },
    ).exec();
  }

  async list(
    phoneNumberId: string,
    filter: { status?: PrivacyRequestStatus; type?: PrivacyRequestType; limit: number; before?: Date },
  ): Promise<PrivacyRequest[]> {
    return this.d.models.PrivacyRequest.find(
      {
        phoneNumberId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.before ? { receivedAt: { $lt: filter.before } } : {}),
      },
      { identifiers: 0, confirmTokenHash: 0, statusTokenHash: 0, lease: 0 },
    )
      .sort({ receivedAt: -1 })
      .limit(filter.limit)
      .lean<PrivacyRequest[]>()
      .exec();
  }

  // ---------------------------------------------------------------- access

  /** Everything this business holds about the customer, as the versioned export (export.ts). */
  async buildExport(
    business: BusinessData,
    ref: string,
    request: Pick<PrivacyRequest, '_id' | 'confirmationCode'>,
  ) {
    const { Customer, Order, Conversation, Inbox, Outbox, PrivacyRequest, Suppression, AiCall } =
      this.d.models;
    const pnid = business.phoneNumberId;
    const [customer, orders, conversation, inbox, outbox, requests, suppression, aiCalls] = await Promise.all(
      [
        Customer.findOne({ _id: ref, phoneNumberId: pnid }).lean<Customer>().exec(),
        Order.find({ customerRef: ref, phoneNumberId: pnid }).sort({ placedAt: -1 }).lean<Order[]>().exec(),
        Conversation.findOne({ _id: ref, phoneNumberId: pnid }).lean().exec(),
        Inbox.find({ customerRef: ref, phoneNumberId: pnid }, { sealed: 0 })
          .sort({ receivedAt: 1 })
          .lean()
          .exec(),
        Outbox.find({ customerRef: ref, phoneNumberId: pnid, audience: 'customer' }, { sealedMessage: 0 })
          .sort({ createdAt: 1 })
          .lean<OutboxEntry[]>()
          .exec(),
        PrivacyRequest.find({ subjectKey: ref, phoneNumberId: pnid })
          .sort({ receivedAt: 1 })
          .lean<PrivacyRequest[]>()
          .exec(),
        Suppression.findById(ref).lean().exec(),
        AiCall.find({ customerRef: ref, phoneNumberId: pnid }).sort({ at: 1 }).lean().exec(),
      ],
    );
    const profile = this.openProfile(ref, customer?.profile);
    let conversationView = null;
    if (conversation?.sealedSnapshot) {
      const snapshot = this.d.sealer.open<{
        value?: unknown;
        context?: {
          order?: { cart?: { lines?: Array<{ itemId: string; name: string; quantity: number }> } };
        };
      }>(conversation.sealedSnapshot, conversationContext(ref));
      conversationView = {
        state: stateName(snapshot.value),
        cart: (snapshot.context?.order?.cart?.lines ?? []).map((l) => ({
          itemId: l.itemId,
          name: l.name,
          quantity: l.quantity,
        })),
        ...(conversation.updatedAt ? { updatedAt: conversation.updatedAt.toISOString() } : {}),
        ...(conversation.expiresAt ? { deletedAfter: conversation.expiresAt.toISOString() } : {}),
      };
    }
    // Checked against the published schema before it leaves: a field added here but not there fails loudly.
    return dataExportSchema.parse({
      schema: 'polus-bot.data-export' as const,
      version: 1 as const,
      generatedAt: new Date(this.now()).toISOString(),
      request: { id: request._id, confirmationCode: request.confirmationCode },
      controller: { name: business.name, whatsappPhoneNumberId: pnid },
      subject: {
        ...(customer?.waId ? { whatsappId: customer.waId } : {}),
        ...(customer?.userId ? { userId: customer.userId } : {}),
        ...(profile.name
          ? {
              name: profile.name,
              nameSource: profile.nameCorrected ? ('you' as const) : ('whatsapp-profile' as const),
            }
          : {}),
        savedAddresses: profile.addresses,
        ...(customer?.createdAt ? { firstContact: customer.createdAt.toISOString() } : {}),
        ...(customer?.lastInboundAt ? { lastMessage: customer.lastInboundAt.toISOString() } : {}),
        ...(customer?.expiresAt ? { profileDeletedAfter: customer.expiresAt.toISOString() } : {}),
      },
      preferences: {
        optedOut: suppression?.reason === 'opted-out',
        aiReplies: business.aiReplies && this.d.llmConfigured ? ('on' as const) : ('off' as const),
        noAi: customer?.noAi === true,
      },
      aiCalls: aiCalls.map((call) => ({
        at: call.at.toISOString(),
        purpose: call.purpose,
        model: call.model,
        outcome: call.outcome,
        promptTokens: call.promptTokens,
        completionTokens: call.completionTokens,
      })),
      orders: orders.map((o) => ({
        orderNumber: o.orderNumber,
        placedAt: o.placedAt.toISOString(),
        status: o.status,
        currency: o.currency,
        totalMinor: o.totalMinor,
        fulfilment: o.fulfilment,
        items: o.items.map((i) => ({
          itemId: i.itemId,
          name: i.name,
          quantity: i.quantity,
          unitPriceMinor: i.unitPriceMinor,
          lineTotalMinor: i.lineTotalMinor,
        })),
        ...(o.deliveryAddress ? { deliveryAddress: { ...o.deliveryAddress } } : {}),
        ...(o.note ? { note: o.note } : {}),
        statusHistory: o.statusHistory.map((h) => ({ status: h.status, at: h.at.toISOString(), by: h.by })),
        ...(o.retainUntil ? { keptUntil: o.retainUntil.toISOString() } : {}),
      })),
      conversation: conversationView,
      messages: {
        received: inbox.map((m) => ({
          id: m._id,
          receivedAt: m.receivedAt.toISOString(),
          status: m.status,
          textStored: false,
        })),
        sent: outbox.map((m) => ({
          createdAt: m.createdAt.toISOString(),
          status: m.status,
          textStored: m.status === 'pending' || m.status === 'sending' || m.status === 'retrying',
          deliveries: m.deliveries.map((d) => ({ status: d.status, at: d.at.toISOString() })),
        })),
      },
      privacyRequests: requests.map(requestSummary),
      processing: PERSONAL_DATA.map((entry) => ({
        collection: entry.collection,
        holds: entry.holds,
        purpose: entry.purpose,
        retention: entry.retention.period,
      })),
      recipients: this.recipients(business),
    });
  }

  private recipients(business: BusinessData): string[] {
    return [
      `${business.name}, who decides how your data is used (the controller)`,
      'WhatsApp / Meta Platforms, which carries the messages (Meta keeps message content for up to 30 days)',
      'The hosting provider running this service and its database, on the business’s behalf',
      business.aiReplies && this.d.llmConfigured
        ? 'The AI provider this business enabled, which phrases some replies (never your phone number or address)'
        : 'No AI provider: AI replies are off for this business',
    ];
  }

  /**
   * "What data do you have on me?": a readable summary with what the law requires an answer to say
   * (purposes, retention, recipients, rights) and the complete export as a JSON document, both for the
   * chat that asked. Recorded as a completed access request.
   */
  async access(
    business: BusinessData,
    ref: string,
    channel: PrivacyChannel = 'chat',
    options: { stepKey?: string } = {},
  ) {
    const { request } = await this.openRequest(
      'access',
      business.phoneNumberId,
      ref,
      channel,
      {},
      options.stepKey,
    );
    const data = await this.buildExport(business, ref, request);
    if (request.status !== 'completed') await this.complete(request._id);
    const lines: string[] = [
      `*Your data with ${business.name}* (request ${request.confirmationCode})`,
      '',
      '*Profile*',
      `• WhatsApp number: ${data.subject.whatsappId ? `+${data.subject.whatsappId}` : '(not stored)'}`,
      `• Name: ${data.subject.name ?? '(none)'}${data.subject.nameSource === 'whatsapp-profile' ? ' (from your WhatsApp profile)' : ''}`,
      `• Saved addresses: ${data.subject.savedAddresses.length === 0 ? 'none' : data.subject.savedAddresses.map(addressText).join('; ')}`,
      `• Messages you did not ask for: ${data.preferences.optedOut ? 'stopped (you sent *stop*)' : 'order updates on'}`,
      `• AI-written replies: ${data.preferences.noAi ? 'never for you (you said *no AI*)' : data.preferences.aiReplies === 'on' ? `on at this business (${data.aiCalls.length} AI call(s) about your messages; type *no AI* to refuse)` : 'off at this business'}`,
      '',
      `*Orders* (${data.orders.length})`,
      ...data.orders
        .slice(0, 5)
        .map(
          (o) =>
            `• ${o.orderNumber}, ${o.placedAt.slice(0, 10)}, ${o.status}, ${o.items.length} item(s)${o.deliveryAddress ? ', with delivery address' : ''}${o.note ? ', with a note' : ''}`,
        ),
      ...(data.orders.length > 5 ? [`• …and ${data.orders.length - 5} more in the file`] : []),
      '',
      '*Conversation*',
      data.conversation
        ? `• In progress (${data.conversation.state})${data.conversation.cart.length > 0 ? `, cart with ${data.conversation.cart.length} item(s)` : ''}; no message history is kept`
        : '• None in progress; no message history is kept',
      `• Records of messages: ${data.messages.received.length} received, ${data.messages.sent.length} sent, ${data.messages.sent.reduce((n, m) => n + m.deliveries.length, 0)} delivery statuses (ids and times; texts are deleted once handled)`,
      '',
      `*Privacy requests* (${data.privacyRequests.length})`,
      ...data.privacyRequests
        .slice(-5)
        .map((r) => `• ${r.receivedAt.slice(0, 10)} ${r.type}: ${r.status} (${r.confirmationCode})`),
      '',
      '*Why and how long*',
      ...PERSONAL_DATA.map((e) => `• ${e.collection}: ${e.purpose} Kept: ${e.retention.period}.`),
      '',
      '*Who receives it*',
      ...data.recipients.map((r) => `• ${r}`),
      '',
      '*Your rights*',
      '• Correct your name or addresses: type *correct my data*.',
      '• Delete your data: type *delete my data*.',
      '• Stop messages you did not ask for: type *stop*.',
      `• Complain to your data protection authority if you think we got it wrong.`,
      '',
      'The complete copy follows as a file (JSON, described at docs/data-export.schema.json).',
    ];
    const json = JSON.stringify(data, null, 2);
    return {
      request: { ...request, status: 'completed' as const, completedAt: new Date(this.now()) },
      code: request.confirmationCode,
      export: data,
      messages: [
        { type: 'reply.text' as const, text: lines.join('\n') },
        {
          type: 'reply.document' as const,
          filename: `my-data-${day(new Date(this.now()))}.json`,
          caption: `Your data with ${business.name} (${request.confirmationCode})`,
          content: { base64: Buffer.from(json, 'utf8').toString('base64'), mimeType: 'application/json' },
        },
      ],
    };
  }

  // ---------------------------------------------------------------- correction

  /**
   * Changes the customer's name or one saved address, recorded as a completed correction request. With the
   * chat step's `stepKey`, once: a retried step finds its request completed, or finds the profile already
   * rewritten since the change was computed (`PrivacyRequest.appliedTo`), so a removal or a replacement by
   * position is never applied to the list a second time.
   */
  async applyCorrection(
    business: BusinessData,
    ref: string,
    change: { field: 'name'; value: string } | { field: 'address'; index: number; value?: DeliveryAddress },
    options: { stepKey?: string } = {},
  ): Promise<void> {
    const { request } = await this.openRequest(
      'correction',
      business.phoneNumberId,
      ref,
      'chat',
      {},
      options.stepKey,
    );
    const fields = [change.field === 'name' ? 'profile.name' : 'profile.addresses'];
    if (request.status === 'completed') return;
    const stored = await this.d.models.Customer.findById(ref, { profile: 1 })
      .lean<Pick<Customer, 'profile'>>()
      .exec();
    const before = sha256(stored?.profile ?? '');
    if (request.appliedTo !== undefined && request.appliedTo !== before) {
      // An earlier run of this step wrote the profile (every write seals it anew), then stopped.
      await this.complete(request._id, { fields });
      return;
    }
    const profile = this.openProfile(ref, stored?.profile);
    let next: CustomerProfile;
    if (change.field === 'name') {
      next = { ...profile, name: change.value, nameCorrected: true };
    } else {
      if (change.index < 0 || change.index >= profile.addresses.length) {
        throw new Error('no saved address at that position');
      }
      const addresses = [...profile.addresses];
      if (change.value) addresses[change.index] = change.value;
      else addresses.splice(change.index, 1);
      next = { ...profile, addresses };
    }
    if (options.stepKey) {
      await this.d.models.PrivacyRequest.updateOne(
        { _id: request._id },
        { $set: { appliedTo: before } },
      ).exec();
    }
    await this.writeProfile(ref, next);
    await this.complete(request._id, { fields });
  }

  // ---------------------------------------------------------------- opt-out

  /**
   * "stop" / "start": the suppression set or lifted, recorded as a completed request. With the chat step's
   * `stepKey`, a retried step finds its request and does not record a second one.
   */
  async setOptOut(
    business: BusinessData,
    ref: string,
    optedOut: boolean,
    channel: PrivacyChannel = 'chat',
    options: { stepKey?: string } = {},
  ) {
    const { Suppression } = this.d.models;
    const { request } = await this.openRequest(
      optedOut ? 'opt-out' : 'opt-in',
      business.phoneNumberId,
      ref,
      channel,
      {},
      options.stepKey,
    );
    if (request.status === 'completed') {
      return {
        ...request,
        status: 'completed' as const,
        completedAt: request.completedAt ?? new Date(this.now()),
      };
    }
    if (optedOut) {
      await Suppression.updateOne(
        { _id: ref },
        {
          $set: {
            phoneNumberId: business.phoneNumberId,
            reason: 'opted-out',
            createdAt: new Date(this.now()),
          },
          $unset: { expiresAt: 1 },
        },
        { upsert: true },
      ).exec();
    } else {
      await Suppression.deleteOne({ _id: ref, reason: 'opted-out' }).exec();
    }
    await this.complete(request._id);
    return { ...request, status: 'completed' as const, completedAt: new Date(this.now()) };
  }

  /** "No AI" (or "AI is fine"): kept on the customer's record, respected even when the business uses AI. */
  async setAiPreference(business: BusinessData, ref: string, noAi: boolean): Promise<void> {
    await this.d.models.Customer.updateOne(
      { _id: ref, phoneNumberId: business.phoneNumberId },
      noAi ? { $set: { noAi: true } } : { $unset: { noAi: 1 } },
    ).exec();
    this.d.logger.info({ phoneNumberId: business.phoneNumberId, noAi }, 'customer AI preference set');
  }

  // ---------------------------------------------------------------- erasure

  /**
   * "Delete my data": the explanation of what is deleted and what is kept (and why, until when), with a
   * fresh single-use token for the *Delete my data* button. A repeated request returns the open one (same
   * code); its earlier buttons stop working, so only the latest explanation can be confirmed.
   */
  async offerErasure(
    business: BusinessData,
    ref: string,
    otherPerson: boolean,
    options: { stepKey?: string } = {},
  ): Promise<ErasureOffer> {
    const { request } = await this.openRequest(
      'erasure',
      business.phoneNumberId,
      ref,
      'chat',
      {},
      options.stepKey,
    );
    if (request.status === 'in_progress') {
      return {
        kind: 'in-progress',
        text: `Your data is being deleted right now (request ${request.confirmationCode}). I will confirm here when it is done.`,
      };
    }
    // A retried step offers the very token its first run stored with the replies (the buttons the customer
    // gets): derived from the step's key with the pepper, so it is as unguessable as a random one.
    const token = options.stepKey
      ? createHmac('sha256', this.d.pepper)
          .update(`erasure-token\u0000${request._id}\u0000${options.stepKey}`)
          .digest('base64url')
          .slice(0, 24)
      : randomBytes(18).toString('base64url');
    await this.d.models.PrivacyRequest.updateOne(
      { _id: request._id, status: { $in: ['received', 'awaiting_confirmation'] } },
      {
        $set: {
          status: 'awaiting_confirmation',
          confirmTokenHash: sha256(token),
          confirmTokenExpiresAt: new Date(this.now() + CONFIRM_TOKEN_MS),
        },
      },
    ).exec();
    const [orders, open] = await Promise.all([
      this.d.models.Order.countDocuments({ customerRef: ref, phoneNumberId: business.phoneNumberId }).exec(),
      this.d.models.Order.find(
        { customerRef: ref, phoneNumberId: business.phoneNumberId, status: { $in: OPEN_ORDER_STATUSES } },
        { orderNumber: 1, status: 1 },
      )
        .sort({ placedAt: 1 })
        .lean<Array<Pick<Order, 'orderNumber' | 'status'>>>()
        .exec(),
    ]);
    // What the erasure will do to each open order (the data map's order step decides the same way).
    const openOrders: OpenOrderOutcome[] = open.map((o) => ({
      orderNumber: o.orderNumber,
      status: o.status as OpenOrderOutcome['status'],
      outcome: o.status === 'placed' ? 'cancel' : 'handover',
    }));
    const years = business.orderRetentionYears;
    const text = [
      ...(otherPerson
        ? [
            'I can only act on the data of the WhatsApp number writing here, never on someone else’s: they must ask from their own number.',
            '',
          ]
        : []),
      `*Delete your data with ${business.name}?* (request ${request.confirmationCode})`,
      '',
      '*Deleted:* your profile (WhatsApp number, name, saved addresses), this conversation and any cart, the records of your messages and their delivery statuses, and your opt-out settings.',
      orders > 0
        ? `*Kept, anonymised:* your ${orders} order(s) — items, amounts, dates and order number only, with no name, phone, address or chat text — for ${years} years, because the business must keep accounting records.`
        : '*Kept:* nothing about orders (you have none).',
      '*Kept:* a record of this request (code, dates and counts, no personal data) for 3 years, to show it was done.',
      '',
      'WhatsApp (Meta) keeps its own copy of messages for up to 30 days. This cannot be undone.',
    ].join('\n');
    return { kind: 'offer', text, token, openOrders };
  }

  /**
   * A tap on *Delete my data* (confirm) or *Keep my data*. Only the latest token of this subject's open
   * request at this business works, once: the compare-and-set on the awaiting status makes a replayed or
   * stale tap do nothing. A repeat of the same tap while the job runs (a retried message) finds it running.
   */
  async decideErasure(
    business: BusinessData,
    ref: string,
    token: string,
    confirm: boolean,
    sender: CustomerIdentity | undefined,
    options: { stepKey?: string } = {},
  ): Promise<{ kind: 'confirmed'; requestId: string } | { kind: 'cancelled' } | { kind: 'stale' }> {
    const { PrivacyRequest } = this.d.models;
    const now = new Date(this.now());
    // This tap, handled again after a failure: the decision it made stands (not "stale"). A finished
    // erasure deleted the message with the rest, so that message can only be a redelivery: it is stale.
    const decided = await this.requestOfStep(options.stepKey);
    if (decided?.type === 'erasure' && decided.subjectKey === ref) {
      if (decided.status === 'cancelled') return { kind: 'cancelled' };
      if (decided.status === 'in_progress') return { kind: 'confirmed', requestId: decided._id };
    }
    const byStep = options.stepKey ? { stepKey: options.stepKey } : {};
    const filter = {
      phoneNumberId: business.phoneNumberId,
      subjectKey: ref,
      type: 'erasure' as const,
      confirmTokenHash: sha256(token),
    };
    if (!confirm) {
      const res = await PrivacyRequest.updateOne(
        { ...filter, status: 'awaiting_confirmation' },
        {
          $set: { status: 'cancelled', completedAt: now, ...byStep },
          $unset: { open: 1, confirmTokenHash: 1 },
        },
      ).exec();
      return res.modifiedCount > 0 ? { kind: 'cancelled' } : { kind: 'stale' };
    }
    const profile = await this.readProfile(ref);
    const customer = await this.d.models.Customer.findById(ref, { lastInboundAt: 1 }).lean().exec();
    const identifiers: SubjectIdentifiers = {
      ...(sender?.waId ? { waId: sender.waId } : {}),
      ...(sender?.userId ? { userId: sender.userId } : {}),
      ...(profile.name ? { name: profile.name } : {}),
      lastInboundAt: (customer?.lastInboundAt ?? now).toISOString(),
    };
    const taken = await PrivacyRequest.findOneAndUpdate(
      { ...filter, status: 'awaiting_confirmation', confirmTokenExpiresAt: { $gt: now } },
      {
        $set: {
          status: 'in_progress',
          confirmedAt: now,
          lease: { owner: this.owner, until: new Date(now.getTime() + this.leaseMs) },
          ...byStep,
        },
      },
      { returnDocument: 'after' },
    )
      .lean<PrivacyRequest>()
      .exec();
    if (taken) {
      await PrivacyRequest.updateOne(
        { _id: taken._id },
        { $set: { identifiers: this.d.sealer.seal(identifiers, identifiersContext(taken._id)) } },
      ).exec();
      this.d.logger.info({ requestId: taken._id }, 'erasure confirmed');
      return { kind: 'confirmed', requestId: taken._id };
    }
    // The same tap handled again after a crash: the job is under way (or resumes from the sweep).
    const running = await PrivacyRequest.findOne({ ...filter, status: 'in_progress' })
      .lean<PrivacyRequest>()
      .exec();
    if (running) return { kind: 'confirmed', requestId: running._id };
    return { kind: 'stale' };
  }

  /**
   * Runs (or resumes) a confirmed erasure: each data map step in order, recorded as it finishes, under a
   * lease so one process runs it; then the verification scan, the receipt, the chat reply with the code,
   * and the sealed identifiers are wiped. Safe to call again at any point: finished steps are skipped.
   */
  async runErasure(requestId: string): Promise<PrivacyRequest | null> {
    const { PrivacyRequest } = this.d.models;
    const now = new Date(this.now());
    const request = await PrivacyRequest.findOneAndUpdate(
      {
        _id: requestId,
        status: 'in_progress',
        $or: [{ lease: null }, { 'lease.until': { $lt: now } }, { 'lease.owner': this.owner }],
      },
      {
        $set: { lease: { owner: this.owner, until: new Date(now.getTime() + this.leaseMs) } },
        // The first run's start: what exists by then is erased, what comes later is a new contact.
        $min: { startedAt: now },
        $inc: { attempts: 1 },
      },
      { returnDocument: 'after' },
    )
      .lean<PrivacyRequest>()
      .exec();
    if (!request) return null;
    const log = this.d.logger.child({ requestId });
    const identifiers = request.identifiers
      ? this.d.sealer.open<SubjectIdentifiers>(request.identifiers, identifiersContext(request._id))
      : {};
    const ctx: ErasureContext = {
      models: this.d.models,
      phoneNumberId: request.phoneNumberId,
      subjectKey: request.subjectKey,
      requestId,
      now,
      since: request.startedAt ?? now,
      sealHandover: (orderId) => {
        const contact: HandoverContact = {
          ...(identifiers.name ? { name: identifiers.name } : {}),
          ...(identifiers.waId ? { waId: identifiers.waId } : {}),
          ...(identifiers.userId ? { userId: identifiers.userId } : {}),
        };
        if (Object.keys(contact).length === 0) return undefined;
        return this.d.sealer.seal(contact, handoverContext(orderId));
      },
    };
    const done = new Set(request.steps.map((s) => s.name));
    for (const entry of PERSONAL_DATA) {
      if (done.has(entry.collection) || !entry.erase) continue;
      const outcome = await entry.erase(ctx);
      const step: ErasureStep = {
        name: entry.collection,
        done: true,
        count: outcome.deleted + outcome.anonymised,
        at: new Date(this.now()),
        collection: entry.collection,
        deleted: outcome.deleted,
        anonymised: outcome.anonymised,
        kept: outcome.kept,
        ...(outcome.basis ? { basis: outcome.basis } : {}),
        ...(outcome.keptUntil ? { keptUntil: outcome.keptUntil } : {}),
        ...(outcome.cancelledOrders ? { cancelledOrders: outcome.cancelledOrders } : {}),
        ...(outcome.handoverOrders ? { handoverOrders: outcome.handoverOrders } : {}),
      };
      const recorded = await PrivacyRequest.updateOne(
        { _id: requestId, 'lease.owner': this.owner, 'steps.name': { $ne: entry.collection } },
        {
          $push: { steps: step },
          $set: { 'lease.until': new Date(this.now() + this.leaseMs) },
        },
      ).exec();
      if (recorded.matchedCount === 0) {
        log.warn({ step: entry.collection }, 'erasure lease lost; another process continues');
        return null;
      }
      request.steps.push(step);
      log.info(
        { step: entry.collection, deleted: outcome.deleted, anonymised: outcome.anonymised },
        'erasure step done',
      );
    }
    const scan = await this.verify(request, identifiers, ctx.since);
    const lines: ReceiptLine[] = request.steps.map((s) => ({
      collection: s.name,
      deleted: s.deleted,
      anonymised: s.anonymised,
      kept: s.kept,
      ...(s.basis ? { basis: s.basis } : {}),
      ...(s.keptUntil ? { keptUntil: s.keptUntil } : {}),
      ...(s.cancelledOrders?.length ? { cancelledOrders: s.cancelledOrders } : {}),
      ...(s.handoverOrders?.length ? { handoverOrders: s.handoverOrders } : {}),
    }));
    await this.tellStaffOfCancellations(request, lines);
    const body = { requestId, phoneNumberId: request.phoneNumberId, lines, scan, software: SOFTWARE };
    const receipt: PrivacyReceipt = {
      lines,
      scan,
      software: SOFTWARE,
      sha256: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
    };
    const failed = scan.findings.length > 0;
    if (failed) {
      log.error(
        { findings: scan.findings, phoneNumberId: request.phoneNumberId },
        'ERASURE VERIFICATION FAILED: customer identifiers remain after erasure',
      );
    }
    await this.sendErasureReply(request, identifiers, lines, failed);
    await PrivacyRequest.updateOne(
      { _id: requestId, 'lease.owner': this.owner },
      {
        $set: {
          status: failed ? 'failed' : 'completed',
          completedAt: new Date(this.now()),
          receipt,
          ...(failed
            ? {
                failure: `identifiers found in ${scan.findings.map((f) => `${f.collection}.${f.field}`).join(', ')}`,
              }
            : {}),
        },
        // The identifiers stay sealed on a failed request, for the retry after the cause is fixed.
        $unset: { open: 1, lease: 1, confirmTokenHash: 1, ...(failed ? {} : { identifiers: 1 }) },
      },
    ).exec();
    log.info({ status: failed ? 'failed' : 'completed', sha256: receipt.sha256 }, 'erasure finished');
    return PrivacyRequest.findById(requestId).lean<PrivacyRequest>().exec();
  }

  /** Erasures confirmed but not finished (a crashed process): resumed at start-up and by the sweep. */
  async resumePending(): Promise<number> {
    const now = new Date(this.now());
    const pending = await this.d.models.PrivacyRequest.find(
      {
        type: 'erasure',
        status: 'in_progress',
        $or: [{ lease: null }, { 'lease.until': { $lt: now } }],
      },
      { _id: 1 },
    )
      .limit(50)
      .lean()
      .exec();
    let resumed = 0;
    for (const { _id } of pending) {
      this.d.logger.info({ requestId: _id }, 'resuming an interrupted erasure');
      if (await this.runErasure(_id)) resumed += 1;
    }
    return resumed;
  }

  /**
   * Retention of the one personal field orders keep in clear: the delivery address and note of a completed
   * or cancelled order are removed ORDER_CONTACT_DAYS after its last change, at once for an order whose
   * customer's data was erased (with its sealed handover contact). The order itself stays (accounting).
   */
  async expireOrderContacts(): Promise<number> {
    const before = new Date(this.now() - ORDER_CONTACT_DAYS * DAY_MS);
    const res = await this.d.models.Order.updateMany(
      {
        status: { $in: ['completed', 'cancelled'] },
        // An order kept for its handover after the customer's erasure keeps nothing once finished (the
        // status change removes it; this catches a change that did not).
        $and: [
          { $or: [{ updatedAt: { $lt: before } }, { erasure: 'handover' }] },
          {
            $or: [
              { deliveryAddress: { $exists: true } },
              { note: { $exists: true } },
              { handoverContact: { $exists: true } },
            ],
          },
        ],
      },
      { $unset: { deliveryAddress: 1, note: 1, handoverContact: 1 } },
    ).exec();
    if (res.modifiedCount > 0)
      this.d.logger.info({ orders: res.modifiedCount }, 'order contact details expired');
    return res.modifiedCount;
  }

  start(intervalMs: number): void {
    const tick = () => {
      void this.resumePending().catch((err: unknown) => this.d.logger.error({ err }, 'erasure sweep failed'));
      if (this.now() - this.lastRetentionSweep < RETENTION_SWEEP_MS) return;
      this.lastRetentionSweep = this.now();
      void this.expireOrderContacts().catch((err: unknown) =>
        this.d.logger.error({ err }, 'order retention sweep failed'),
      );
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * The verification scan: every collection in the database (mapped or not), in this business's scope,
   * for the subject's key (outside the request and tombstone) and for their identifiers — wa_id with and
   * without "+", user id, name — outside the fields kept anonymised. Reports field paths, never values.
   */
  async verify(
    request: Pick<PrivacyRequest, 'phoneNumberId' | 'subjectKey'>,
    identifiers: SubjectIdentifiers,
    since: Date = new Date(this.now()),
  ): Promise<PrivacyReceipt['scan']> {
    const db = this.d.models.Customer.db.db;
    if (!db) throw new Error('database not connected');
    const needles = [
      identifiers.waId,
      identifiers.waId ? `+${identifiers.waId}` : undefined,
      identifiers.userId,
      request.subjectKey,
    ].filter((n): n is string => typeof n === 'string' && n.length > 0);
    const name =
      identifiers.name && identifiers.name.trim().length >= 3 ? identifiers.name.trim() : undefined;
    const byCollection = new Map(DATA_MAP.map((e) => [e.collection, e]));
    const findings: Array<{ collection: string; field: string }> = [];
    let collections = 0;
    let documents = 0;
    const names = (await db.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((n) => !n.startsWith('system.'));
    for (const collection of names) {
      const entry = byCollection.get(collection);
      if (entry && !entry.personal) continue;
      collections += 1;
      // In the business's scope, and only what existed when the erasure was confirmed (later records are a
      // new contact: the customer wrote again).
      const cursor = db.collection(collection).find({
        ...(request.phoneNumberId && entry ? { phoneNumberId: request.phoneNumberId } : {}),
        ...(entry?.createdField ? createdBy(entry.createdField, since) : {}),
      });
      for await (const doc of cursor) {
        documents += 1;
        const allowed = entry?.subjectKeyAllowed ? new Set(entry.subjectFields) : new Set<string>();
        const hits = findIdentifiers(doc, {
          needles,
          name,
          skip: new Set(entry?.keptFields ?? []),
          allowKeyIn: allowed,
          subjectKey: request.subjectKey,
        });
        for (const field of hits) {
          if (!findings.some((f) => f.collection === collection && f.field === field))
            findings.push({ collection, field });
        }
      }
    }
    return { collections, documents, findings };
  }

  /**
   * Tells the business's staff numbers which open orders the erasure cancelled, so nobody prepares them.
   * One outbox record per number under a key of the request, so a resumed run finds them instead of
   * sending twice; sent like any staff notice (a number outside its 24-hour window gets none).
   */
  private async tellStaffOfCancellations(request: PrivacyRequest, lines: ReceiptLine[]): Promise<void> {
    const cancelled = lines.find((l) => l.collection === 'orders')?.cancelledOrders ?? [];
    if (cancelled.length === 0 || !request.phoneNumberId) return;
    const business = await this.d.models.Business.findOne(
      { phoneNumberId: request.phoneNumberId },
      { adminNumbers: 1 },
    )
      .lean<{ adminNumbers?: string[] }>()
      .exec();
    const numbers = business?.adminNumbers ?? [];
    if (numbers.length === 0) return;
    const text =
      `Order(s) ${cancelled.join(', ')} cancelled: the customer deleted their data before you started them. ` +
      'Please do not prepare them.';
    const inboundWamid = `privacy:${request._id}:cancelled`;
    const createdAt = new Date(this.now());
    const staffRefs = await this.identities.staffRefs(request.phoneNumberId, numbers);
    const records = numbers.map((_number, seq) =>
      outboxRecord(this.d.sealer, {
        phoneNumberId: request.phoneNumberId,
        customerRef: staffRefs[seq] ?? '',
        audience: 'staff',
        inboundWamid,
        seq,
        message: { type: 'reply.text', text },
        createdAt,
      }),
    );
    try {
      await this.d.models.Outbox.insertMany(records, { ordered: false, lean: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const pending = await this.d.models.Outbox.find({ inboundWamid, status: 'pending' })
      .sort({ seq: 1 })
      .lean<OutboxEntry[]>()
      .exec();
    for (const entry of pending) await this.d.deliver(entry);
  }

  private async sendErasureReply(
    request: PrivacyRequest,
    identifiers: SubjectIdentifiers,
    lines: ReceiptLine[],
    failed: boolean,
  ): Promise<void> {
    if (request.channel !== 'chat' || (!identifiers.waId && !identifiers.userId)) return;
    const deleted = lines.reduce((n, l) => n + l.deleted, 0);
    const orders = lines.find((l) => l.collection === 'orders');
    const text = failed
      ? [
          `We deleted your data, but a final check found something left behind (request *${request.confirmationCode}*).`,
          'The team has been alerted and will finish the deletion; you do not need to do anything.',
        ].join('\n')
      : [
          `✅ *Your data has been deleted.* Confirmation code: *${request.confirmationCode}*`,
          `Deleted: ${deleted} record(s) — profile, saved addresses, conversation, message and delivery records.`,
          orders && orders.anonymised > 0
            ? `Kept, anonymised: ${orders.anonymised} order(s) (items, amounts, dates, order number; no name, phone, address or chat)${orders.keptUntil ? ` until ${day(orders.keptUntil)}` : ''}, for the business’s accounting.`
            : 'No orders were kept.',
          ...(orders?.cancelledOrders?.length
            ? [
                `Cancelled: order(s) ${orders.cancelledOrders.join(', ')}, which the business had not started; the business has been told.`,
              ]
            : []),
          ...(orders?.handoverOrders?.length
            ? [
                `Still on its way: order(s) ${orders.handoverOrders.join(', ')}. Only what the handover needs (the delivery address and note, your name and number, sealed) is kept until it is completed or cancelled, then deleted too.`,
              ]
            : []),
          'Kept: the record of this request (code, dates, counts; no personal data) for 3 years.',
          'If you write to us again, we start from scratch.',
        ].join('\n');
    const recipient: KnownRecipient = {
      waId: identifiers.waId,
      userId: identifiers.userId,
      lastInboundAt: identifiers.lastInboundAt ? new Date(identifiers.lastInboundAt) : new Date(this.now()),
    };
    const record = outboxRecord(this.d.sealer, {
      phoneNumberId: request.phoneNumberId,
      // Not the subject key: the erased customer's key stays only on the request and the tombstone. The
      // recipient is given to the sender below, so the record needs no link to the (deleted) customer.
      customerRef: `privacy:${request._id}`,
      audience: 'customer',
      inboundWamid: `privacy:${request._id}`,
      seq: 0,
      message: { type: 'reply.text', text },
      createdAt: new Date(this.now()),
      retentionMs: RECEIPT_REPLY_MS,
      // The customer record is gone: a retry by the outbox dispatcher finds the recipient on the record
      // (sealed, removed once settled), and Meta's ids are kept only as keyed hashes.
      recipient,
      hashWamids: true,
    });
    let entry: OutboxEntry | null = record;
    try {
      await this.d.models.Outbox.insertMany([record], { lean: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      entry = await this.d.models.Outbox.findOne({ inboundWamid: record.inboundWamid, seq: 0 })
        .lean<OutboxEntry>()
        .exec();
    }
    if (!entry) return;
    if (entry.status === 'pending') await this.d.deliver(entry, recipient);
    // Also on a resumed run: a crash between the send and this step left the ids as they came.
    await this.forgetWamids(entry._id);
  }

  /**
   * Meta's wamids are base64 of the customer's number: the receipt's record keeps only keyed hashes of
   * them (still unique per message), never the ids themselves, for the time it is kept.
   */
  private async forgetWamids(id: OutboxEntry['_id']): Promise<void> {
    const sent = await this.d.models.Outbox.findById(id, { wamids: 1 })
      .lean<Pick<OutboxEntry, 'wamids'>>()
      .exec();
    const raw = (sent?.wamids ?? []).filter((w) => !w.startsWith(HASHED_WAMID));
    if (raw.length === 0) return;
    const hashed = sent?.wamids.map((w) => (w.startsWith(HASHED_WAMID) ? w : hashedWamid(this.d.pepper, w)));
    await this.d.models.Outbox.updateOne({ _id: id }, { $set: { wamids: hashed } }).exec();
  }

  /** Opens a confirmed erasure at once, for a request the business verified itself (admin API). */
  async eraseForBusiness(business: BusinessData, ref: string, identifiers: SubjectIdentifiers) {
    const { request } = await this.openRequest('erasure', business.phoneNumberId, ref, 'admin');
    const now = new Date(this.now());
    await this.d.models.PrivacyRequest.updateOne(
      { _id: request._id, status: { $in: ['received', 'awaiting_confirmation'] } },
      {
        $set: {
          status: 'in_progress',
          confirmedAt: now,
          identifiers: this.d.sealer.seal(identifiers, identifiersContext(request._id)),
        },
        $unset: { confirmTokenHash: 1 },
      },
    ).exec();
    return (await this.runErasure(request._id)) ?? request;
  }

  // ---------------------------------------------------------------- Meta callback

  /** The status page token of a request: derived from the pepper, so it is reproducible but never stored. */
  statusToken(requestId: string): string {
    return createHmac('sha256', this.d.pepper).update(`status\u0000${requestId}`).digest('base64url');
  }

  statusUrl(requestId: string): string {
    return `${this.d.publicBaseUrl}/data-deletion/status/${this.statusToken(requestId)}`;
  }

  /**
   * Meta's data deletion callback for an app-scoped Facebook user id. This service stores no Facebook user
   * ids (customers are known by WhatsApp number, staff by number), so nothing is linked to it: the request
   * is recorded as completed with nothing deleted, and its status page says how customers delete their
   * data in the chat. Idempotent per user id: a repeated callback gets the same code and URL.
   */
  async metaDeletion(appScopedUserId: string): Promise<{ url: string; confirmationCode: string }> {
    const subjectKey = createHmac('sha256', this.d.pepper)
      .update(`meta-asid\u0000${appScopedUserId}`)
      .digest('base64url');
    const existing = await this.d.models.PrivacyRequest.findOne({ subjectKey, channel: 'meta-callback' })
      .lean<PrivacyRequest>()
      .exec();
    if (existing) return { url: this.statusUrl(existing._id), confirmationCode: existing.confirmationCode };
    // One id per user id (keyed, like the subject key): concurrent callbacks (Meta retries) collide on it
    // instead of each creating a record with its own code, or failing once the first is completed.
    const id = `pr_${createHmac('sha256', this.d.pepper).update(`meta-request\u0000${appScopedUserId}`).digest('base64url').slice(0, 16)}`;
    let request: PrivacyRequest;
    try {
      ({ request } = await this.openRequest('erasure', '', subjectKey, 'meta-callback', { _id: id }));
    } catch (err) {
      if ((err as { code?: unknown }).code !== 11000) throw err;
      const winner = await this.d.models.PrivacyRequest.findById(id).lean<PrivacyRequest>().exec();
      if (!winner) throw err;
      return { url: this.statusUrl(winner._id), confirmationCode: winner.confirmationCode };
    }
    const receipt: PrivacyReceipt = {
      lines: [],
      scan: { collections: 0, documents: 0, findings: [] },
      software: SOFTWARE,
      sha256: createHash('sha256')
        .update(JSON.stringify({ requestId: request._id, lines: [] }))
        .digest('hex'),
    };
    await this.complete(request._id, { receipt, statusTokenHash: sha256(this.statusToken(request._id)) });
    return { url: this.statusUrl(request._id), confirmationCode: request.confirmationCode };
  }

  async byStatusToken(token: string): Promise<PrivacyRequest | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    return this.d.models.PrivacyRequest.findOne({ statusTokenHash: sha256(token) })
      .lean<PrivacyRequest>()
      .exec();
  }

  /**
   * Whether a customer's message belongs to an erased past: signed at or before the latest message an
   * erasure of this customer removed. Meta redelivers unacknowledged webhooks for days, and the erasure
   * deleted the inbox records that would have caught the duplicate; such a message is dropped unanswered.
   */
  async erasedMessage(refs: string | readonly string[], sentAt: Date): Promise<boolean> {
    const ids = typeof refs === 'string' ? [refs] : [...new Set(refs)];
    const found = await this.d.models.Suppression.find(
      { _id: { $in: ids } },
      { reason: 1, createdAt: 1, erasedUpTo: 1 },
    )
      .lean()
      .exec();
    return found.some((s) => {
      const upTo = s.erasedUpTo ?? (s.reason === 'erased' ? s.createdAt : undefined);
      return upTo !== undefined && sentAt.getTime() <= upTo.getTime();
    });
  }

  /** Whether a message the customer did not ask for may go out (after "stop", or an erasure, it may not). */
  async suppressed(ref: string, createdAt: Date): Promise<'opted-out' | 'erased' | undefined> {
    const s = await this.d.models.Suppression.findById(ref).lean().exec();
    if (!s) return undefined;
    if (s.reason === 'opted-out') return 'opted-out';
    return createdAt <= s.createdAt ? 'erased' : undefined;
  }
}

/** A request as the customer (export) and the business (admin API) see it: no keys, tokens or identifiers. */
export function requestSummary(r: PrivacyRequest) {
  return {
    id: r._id,
    type: r.type,
    status: r.status,
    channel: r.channel,
    confirmationCode: r.confirmationCode,
    receivedAt: r.receivedAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    ...(r.completedAt ? { completedAt: r.completedAt.toISOString() } : {}),
  };
}

/** "ordering.checkout.address" from XState's nested state value (the export, the simulator's state view). */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    return key ? `${key}${inner === undefined ? '' : `.${stateName(inner)}`}` : 'unknown';
  }
  return 'unknown';
}
