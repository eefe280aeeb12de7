import { conversationView as conversationViewOf } from '../../flows/view.js';
import type { BusinessData } from '../businesses/schema.js';
import type { CustomerProfiles } from '../customers/profiles.js';
import type { Customer, SavedAddress } from '../db/models/customer.model.js';
import { conversationContext } from '../db/models/conversation.model.js';
import type { Models } from '../db/models/index.js';
import type { Order } from '../db/models/order.model.js';
import type { OutboxEntry } from '../db/models/outbox.model.js';
import type { PrivacyChannel, PrivacyRequest } from '../db/models/privacy-request.model.js';
import { personalData } from './data-map.js';
import type { RetentionSettings } from './data-map.js';
import { dataExportSchema } from './export.js';
import type { PrivacyRequests } from './requests.js';
import { requestSummary } from './requests.js';
import type { Sealer } from '../core/sealing.js';

function addressText(address: SavedAddress): string {
  if (address.text) return address.text;
  return `shared location (${address.latitude?.toFixed(5)}, ${address.longitude?.toFixed(5)})`;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** Where a conversation is, in the customer's words: the machine's state names are for the export only. */
const PLACES: Readonly<Record<string, string>> = {
  ordering: 'placing an order',
  ai: 'placing an order',
  tracking: 'looking at your orders',
  privacy: 'about your data',
  handoff: 'with a person from the team',
};

function conversationPlace(state: string): string {
  return PLACES[state.split('.')[0] ?? ''] ?? 'at the menu';
}

export interface PrivacyAccessDeps {
  models: Models;
  sealer: Sealer;
  requests: PrivacyRequests;
  profiles: CustomerProfiles;
  /** Whether an AI endpoint is configured at all (businesses must still switch AI on). */
  llmConfigured: boolean;
  retention?: RetentionSettings;
  now: () => number;
}

/**
 * The right of access (GDPR Art. 15): everything one business holds about a customer, as a readable summary
 * for the chat and as the versioned export (export.ts), recorded in the request ledger.
 */
export class PrivacyAccess {
  constructor(private readonly d: PrivacyAccessDeps) {}

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
    const profile = this.d.profiles.open(ref, customer?.profile);
    let conversationView = null;
    if (conversation?.sealedSnapshot) {
      const view = conversationViewOf(
        this.d.sealer.open<unknown>(conversation.sealedSnapshot, conversationContext(ref)),
      );
      conversationView = {
        state: view.state,
        cart: view.cart,
        ...(conversation.updatedAt ? { updatedAt: conversation.updatedAt.toISOString() } : {}),
        ...(conversation.expiresAt ? { deletedAfter: conversation.expiresAt.toISOString() } : {}),
      };
    }
    // Checked against the published schema before it leaves: a field added here but not there fails loudly.
    return dataExportSchema.parse({
      schema: 'polus-bot.data-export' as const,
      version: 1 as const,
      generatedAt: new Date(this.d.now()).toISOString(),
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
      processing: personalData(this.d.retention).map((entry) => ({
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
  async answer(
    business: BusinessData,
    ref: string,
    channel: PrivacyChannel = 'chat',
    options: { stepKey?: string } = {},
  ) {
    const { request } = await this.d.requests.open(
      'access',
      business.phoneNumberId,
      ref,
      channel,
      {},
      options.stepKey,
    );
    const data = await this.buildExport(business, ref, request);
    if (request.status !== 'completed') await this.d.requests.complete(request._id);
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
        ? `• In progress (${conversationPlace(data.conversation.state)})${data.conversation.cart.length > 0 ? `, cart with ${data.conversation.cart.length} item(s)` : ''}; no message history is kept`
        : '• None in progress; no message history is kept',
      `• Records of messages: ${data.messages.received.length} received, ${data.messages.sent.length} sent, ${data.messages.sent.reduce((n, m) => n + m.deliveries.length, 0)} delivery statuses (ids and times; texts are deleted once handled)`,
      '',
      `*Privacy requests* (${data.privacyRequests.length})`,
      ...data.privacyRequests
        .slice(-5)
        .map((r) => `• ${r.receivedAt.slice(0, 10)} ${r.type}: ${r.status} (${r.confirmationCode})`),
      '',
      '*Why and how long*',
      ...personalData(this.d.retention).map(
        (e) => `• ${e.collection}: ${e.purpose} Kept: ${e.retention.period}.`,
      ),
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
      request: { ...request, status: 'completed' as const, completedAt: new Date(this.d.now()) },
      code: request.confirmationCode,
      export: data,
      messages: [
        { type: 'reply.text' as const, text: lines.join('\n') },
        {
          type: 'reply.document' as const,
          filename: `my-data-${day(new Date(this.d.now()))}.json`,
          caption: `Your data with ${business.name} (${request.confirmationCode})`,
          content: { base64: Buffer.from(json, 'utf8').toString('base64'), mimeType: 'application/json' },
        },
      ],
    };
  }
}
