import { DateTime, IANAZone } from 'luxon';
import { conversationView as conversationViewOf } from '../../flows/view.js';
import type { BusinessData } from '../businesses/schema.js';
import type { CustomerProfiles } from '../customers/profiles.js';
import type { Customer } from '../db/models/customer.model.js';
import { conversationContext } from '../db/models/conversation.model.js';
import type { Models } from '../db/models/index.js';
import type { Order } from '../db/models/order.model.js';
import { intakeContext } from '../db/models/appointment.model.js';
import type { Appointment } from '../db/models/appointment.model.js';
import type { OutboxEntry } from '../db/models/outbox.model.js';
import type { PrivacyChannel, PrivacyRequest } from '../db/models/privacy-request.model.js';
import { personalData } from './data-map.js';
import type { RetentionSettings, StatedPeriod } from './data-map.js';
import { dataExportSchema } from './export.js';
import {
  addressText,
  conversationLines,
  orderStatusWords,
  preferenceLines,
  profileLines,
  renderExportDocument,
  requestStatusWords,
  requestTypeWords,
} from './export-document.js';
import type { PrivacyRequests } from './requests.js';
import { requestSummary } from './requests.js';
import type { Sealer } from '../core/sealing.js';
import { DEFAULT_RETENTION } from '../config.js';
import { handoffMessageContext } from '../db/models/handoff.model.js';
import type { Handoff } from '../db/models/handoff.model.js';
import { formatDate } from '../language/dates.js';
import { t } from '../language/i18n.js';
import type { MessageKey } from '../language/i18n.js';
import { languageOfLocale } from '../language/languages.js';
import type { Language } from '../language/languages.js';

/**
 * The time zone dates are shown in to this business's customers: the business's own (its settings), UTC when
 * none is set or the stored name is not a zone this runtime knows (formatting must not fail an export).
 */
function timeZoneOf(business: BusinessData): string {
  const zone = business.timeZone;
  return zone && IANAZone.isValidZone(zone) ? zone : 'UTC';
}

/** The calendar day of `at` in `zone`, as a file name carries it ("2026-12-03"). */
const day = (at: Date, zone: string): string => DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd');

/** A number of days as a person reads it: whole years as years ("1 year", "3 years"), otherwise days. */
function days(language: Language, n: number): string {
  return n >= 365 && n % 365 === 0
    ? t(language, 'privacy:duration.years', { count: n / 365 })
    : t(language, 'privacy:duration.days', { count: n });
}

/** A period of the data map (`StatedPeriod`) in words, in `language`, with the business's order retention. */
function periodText(language: Language, period: StatedPeriod, orderYears: number): string {
  if (period === 'business-order-retention')
    return t(language, 'privacy:duration.years', { count: orderYears });
  if ('hours' in period) return t(language, 'privacy:duration.hours', { count: period.hours });
  return days(language, period.days);
}

/**
 * What the customer is told about each personal entry of the data map, in its order, in `language`: what it
 * holds, why, and for how long, with the periods the configuration and the models' TTLs give, and the same
 * in one line for the chat and the readable document. No collection, field or file names: a person reads it.
 */
export function processingTexts(
  language: Language,
  retention: RetentionSettings = DEFAULT_RETENTION,
  orderYears: number,
) {
  return personalData(retention).map((entry) => {
    const { told } = entry;
    if (!told) throw new Error(`no customer wording for the personal data in ${entry.collection}`);
    const periods = Object.fromEntries(
      Object.entries(told.periods).map(([name, period]) => [name, periodText(language, period, orderYears)]),
    );
    return {
      collection: entry.collection,
      holds: t(language, told.holds),
      purpose: t(language, told.purpose),
      retention: t(language, told.retention, periods),
      line: t(language, told.line, periods),
    };
  });
}

/** The plain "why and how long" line of each personal collection of the data map, in its order. */
export function retentionLines(
  language: Language,
  retention: RetentionSettings = DEFAULT_RETENTION,
  orderYears: number,
): string[] {
  return processingTexts(language, retention, orderYears).map((text) => text.line);
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

  /**
   * Everything this business holds about the customer, as the versioned export (export.ts). Its texts for
   * people (what is kept, why, how long; who receives it) are in `language`, the business's by default;
   * machine values (collection names, statuses, dates, amounts) are as stored.
   */
  async buildExport(
    business: BusinessData,
    ref: string,
    request: Pick<PrivacyRequest, '_id' | 'confirmationCode'>,
    language: Language = languageOfLocale(business.locale),
  ) {
    const { Customer, Order, Conversation, Inbox, Outbox, PrivacyRequest, Suppression, AiCall, Handoff } =
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
    const handoffs = await Handoff.find({ customerRef: ref, phoneNumberId: pnid })
      .sort({ openedAt: 1 })
      .lean<Handoff[]>()
      .exec();
    const appointments = await this.d.models.Appointment.find({ customerRef: ref, phoneNumberId: pnid })
      .sort({ start: 1 })
      .lean<Appointment[]>()
      .exec();
    const profile = this.d.profiles.open(ref, customer?.profile);
    let conversationView = null;
    if (conversation?.sealedSnapshot) {
      const view = conversationViewOf(
        this.d.sealer.open<unknown>(conversation.sealedSnapshot, conversationContext(ref)),
      );
      conversationView = {
        state: view.state,
        cart: view.cart,
        ...(view.language ? { language: view.language } : {}),
        ...(conversation.updatedAt ? { updatedAt: conversation.updatedAt.toISOString() } : {}),
        ...(conversation.expiresAt ? { deletedAfter: conversation.expiresAt.toISOString() } : {}),
      };
    }
    // Checked against the published schema before it leaves: a field added here but not there fails loudly.
    return dataExportSchema.parse({
      schema: 'polus-bot.data-export' as const,
      version: 1 as const,
      generatedAt: new Date(this.d.now()).toISOString(),
      language,
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
      appointments: appointments.map((a) => ({
        number: `A-${a.appointmentNumber}`,
        service: a.serviceName,
        with: a.resourceName,
        start: a.start.toISOString(),
        end: a.end.toISOString(),
        status: a.status,
        currency: a.currency,
        ...(a.priceMinor !== undefined ? { priceMinor: a.priceMinor } : {}),
        bookedBy: a.bookedBy,
        ...(a.cancelledBy ? { cancelledBy: a.cancelledBy } : {}),
        ...(a.intake
          ? { intake: this.d.sealer.open<Record<string, string>>(a.intake, intakeContext(a._id)) }
          : {}),
        keptUntil: a.retainUntil.toISOString(),
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
      handoffs: handoffs.map((h) => ({
        status: h.status,
        language: h.language,
        openedAt: h.openedAt.toISOString(),
        ...(h.takenAt ? { takenAt: h.takenAt.toISOString() } : {}),
        ...(h.endedAt ? { endedAt: h.endedAt.toISOString() } : {}),
        deletedAfter: h.expiresAt.toISOString(),
        messages: h.messages.map((m) => ({
          from: m.direction === 'in' ? ('you' as const) : ('staff' as const),
          text: this.d.sealer.open<string>(m.sealedText, handoffMessageContext(h._id, m.id)),
          at: m.at.toISOString(),
        })),
      })),
      privacyRequests: requests.map(requestSummary),
      processing: processingTexts(language, this.d.retention, business.orderRetentionYears).map(
        ({ collection, holds, purpose, retention }) => ({ collection, holds, purpose, retention }),
      ),
      // The chat's lines without their list bullet: a JSON array is already a list.
      recipients: this.recipientLines(business, language).map((line) => line.replace(/^•\s*/u, '')),
    });
  }

  /** Who receives the data, one bulleted line each, in the customer's language. */
  private recipientLines(business: BusinessData, language: Language): string[] {
    return [
      t(language, 'privacy:recipient.controller', { business: business.name }),
      t(language, 'privacy:recipient.meta'),
      t(language, 'privacy:recipient.hosting'),
      t(
        language,
        business.aiReplies && this.d.llmConfigured ? 'privacy:recipient.ai' : 'privacy:recipient.noAi',
      ),
    ];
  }

  /**
   * "What data do you have on me?": three messages for the chat that asked, in `options.language` (the
   * conversation's; the business's own by default): a summary with what the law requires an answer to say
   * (purposes, retention, recipients, rights), the whole export as a PDF a person reads
   * (export-document.ts), and the complete export as a JSON document for computers. Recorded as a
   * completed access request.
   */
  async answer(
    business: BusinessData,
    ref: string,
    channel: PrivacyChannel = 'chat',
    options: { stepKey?: string; language?: Language } = {},
  ) {
    const language = options.language ?? languageOfLocale(business.locale);
    const { request } = await this.d.requests.open(
      'access',
      business.phoneNumberId,
      ref,
      channel,
      {},
      options.stepKey,
    );
    const data = await this.buildExport(business, ref, request, language);
    if (request.status !== 'completed') await this.d.requests.complete(request._id);
    const L = (key: MessageKey, values: Record<string, string | number> = {}) => t(language, key, values);
    const timeZone = timeZoneOf(business);
    const { subject } = data;
    const retention = retentionLines(language, this.d.retention, business.orderRetentionYears);
    const recipients = this.recipientLines(business, language);
    const lines: string[] = [
      L('privacy:summary.title', { business: business.name, code: request.confirmationCode }),
      '',
      L('privacy:summary.profile'),
      ...profileLines(data, language),
      subject.savedAddresses.length === 0
        ? L('privacy:summary.noAddresses')
        : L('privacy:summary.addresses', {
            addresses: subject.savedAddresses.map((a) => addressText(a, language)).join('; '),
          }),
      ...preferenceLines(data, language),
      '',
      L('privacy:summary.orders', { total: data.orders.length }),
      ...data.orders.slice(0, 5).map((o) =>
        L('privacy:summary.order', {
          number: o.orderNumber,
          date: formatDate(language, o.placedAt, timeZone),
          status: orderStatusWords(language, o.status),
          // Items as the cart counted them: 2 Margherita and a Cola are 3 items, not 2 lines.
          count: o.items.reduce((n, i) => n + i.quantity, 0),
          details:
            (o.deliveryAddress ? L('privacy:summary.withAddress') : '') +
            (o.note ? L('privacy:summary.withNote') : ''),
        }),
      ),
      ...(data.orders.length > 5 ? [L('privacy:summary.moreOrders', { total: data.orders.length - 5 })] : []),
      '',
      L('privacy:summary.conversation'),
      ...conversationLines(data, language),
      '',
      L('privacy:summary.requests', { total: data.privacyRequests.length }),
      ...data.privacyRequests.slice(-5).map((r) =>
        L('privacy:summary.request', {
          date: formatDate(language, r.receivedAt, timeZone),
          type: requestTypeWords(language, r.type),
          status: requestStatusWords(language, r.status),
          code: r.confirmationCode,
        }),
      ),
      '',
      L('privacy:summary.why'),
      ...retention,
      '',
      L('privacy:summary.recipients'),
      ...recipients,
      '',
      L('privacy:summary.rights'),
      '',
      L('privacy:summary.file'),
    ];
    const pdf = await renderExportDocument({ data, language, retention, recipients, timeZone });
    const json = JSON.stringify(data, null, 2);
    return {
      request: { ...request, status: 'completed' as const, completedAt: new Date(this.d.now()) },
      code: request.confirmationCode,
      export: data,
      messages: [
        { type: 'reply.text' as const, text: lines.join('\n') },
        {
          type: 'reply.document' as const,
          filename: `my-data-${day(new Date(this.d.now()), timeZone)}.pdf`,
          caption: t(language, 'privacy:document.caption', {
            business: business.name,
            code: request.confirmationCode,
          }),
          content: { base64: pdf.toString('base64'), mimeType: 'application/pdf' },
        },
        {
          type: 'reply.document' as const,
          filename: `my-data-${day(new Date(this.d.now()), timeZone)}.json`,
          caption: t(language, 'privacy:access.caption', {
            business: business.name,
            code: request.confirmationCode,
          }),
          content: { base64: Buffer.from(json, 'utf8').toString('base64'), mimeType: 'application/json' },
        },
      ],
    };
  }
}
