import type { CustomerIdentities } from '../customers/identity.js';
import type { Models } from '../db/models/index.js';
import type { OutboxEntry } from '../db/models/outbox.model.js';
import type { PrivacyRequest, ReceiptLine } from '../db/models/privacy-request.model.js';
import { isDuplicateKey } from '../db/errors.js';
import { HOUR_MS } from '../core/time.js';
import { outboxRecord } from '../outbox/record.js';
import type { Deliver, KnownRecipient } from '../outbox/sender.js';
import type { SubjectIdentifiers } from './erasure-verify.js';
import { hashedWamid } from '../core/identity.js';
import type { Sealer } from '../core/sealing.js';
import { formatDate } from '../language/dates.js';
import { t } from '../language/i18n.js';
import { DEFAULT_LANGUAGE, isLanguage, languageOfLocale } from '../language/languages.js';

/** The chat receipt of an erasure is kept only as long as delivery needs. */
const RECEIPT_REPLY_MS = 48 * HOUR_MS;
/** The prefix of a keyed hash that stands in for a wamid on a record that must not keep the id itself. */
const HASHED_WAMID = 'hmac:';

export interface ErasureNoticesDeps {
  models: Pick<Models, 'Business' | 'Outbox'>;
  sealer: Sealer;
  pepper: string;
  deliver: Deliver;
  /** Resolves staff numbers to their chats. */
  identities: CustomerIdentities;
  now: () => number;
}

/**
 * What an erasure says when it is done: the receipt to the customer's chat (with the confirmation code) and
 * the notice to the business's staff about the open orders and future appointments it cancelled. Each is one
 * outbox record under a key of the request, so a resumed erasure finds it instead of sending twice.
 */
export class ErasureNotices {
  constructor(private readonly d: ErasureNoticesDeps) {}

  /**
   * Tells the business's staff numbers which open orders the erasure cancelled, so nobody prepares them.
   * One outbox record per number under a key of the request, so a resumed run finds them instead of
   * sending twice; sent like any staff notice (a number outside its 24-hour window gets the business's
   * `staff.cancellation` template when one is mapped).
   */
  async tellStaffOfCancellations(request: PrivacyRequest, lines: ReceiptLine[]): Promise<void> {
    const cancelled = lines.find((l) => l.collection === 'orders')?.cancelledOrders ?? [];
    const appointments = lines.find((l) => l.collection === 'appointments')?.cancelledAppointments ?? [];
    if ((cancelled.length === 0 && appointments.length === 0) || !request.phoneNumberId) return;
    const business = await this.d.models.Business.findOne(
      { phoneNumberId: request.phoneNumberId },
      { adminNumbers: 1, locale: 1 },
    )
      .lean<{ adminNumbers?: string[]; locale?: string }>()
      .exec();
    const numbers = business?.adminNumbers ?? [];
    if (numbers.length === 0) return;
    // In the business's language, like every staff notice (the customer's language is theirs alone).
    const language = languageOfLocale(business?.locale);
    const list = (items: readonly (string | number)[]) =>
      new Intl.ListFormat(language, { type: 'conjunction' }).format(items.map(String));
    const text = [
      ...(cancelled.length > 0
        ? [t(language, 'staff:notice.erasureCancelled', { count: cancelled.length, orders: list(cancelled) })]
        : []),
      ...(appointments.length > 0
        ? [
            t(language, 'appointments:erasure.staff', {
              count: appointments.length,
              appointments: list(appointments),
            }),
          ]
        : []),
    ].join('\n');
    const inboundWamid = `privacy:${request._id}:cancelled`;
    const createdAt = new Date(this.d.now());
    const staffRefs = await this.d.identities.staffRefs(request.phoneNumberId, numbers);
    // The cancellation alert's one value: the order and appointment numbers together.
    const orderNumbers = list([...cancelled, ...appointments]);
    const records = numbers.map((number, seq) =>
      outboxRecord(this.d.sealer, {
        phoneNumberId: request.phoneNumberId,
        customerRef: staffRefs[seq] ?? '',
        audience: 'staff',
        inboundWamid,
        seq,
        message: { type: 'reply.text', text },
        createdAt,
        // Outside the staff number's window (or when it never wrote): the cancellation alert's template.
        fallback: {
          purpose: 'staff.cancellation',
          language,
          values: { orderNumber: orderNumbers },
          to: { waId: number },
        },
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

  /**
   * The customer's receipt in the chat that asked (a chat request with a known sender only): what was
   * deleted, what is kept and until when, or that a final check failed and the team will finish it.
   */
  async sendReceipt(
    request: PrivacyRequest,
    identifiers: SubjectIdentifiers,
    lines: ReceiptLine[],
    failed: boolean,
  ): Promise<void> {
    if (request.channel !== 'chat' || (!identifiers.waId && !identifiers.userId)) return;
    const deleted = lines.reduce((n, l) => n + l.deleted, 0);
    const orders = lines.find((l) => l.collection === 'orders');
    // The language the customer confirmed in, kept on the request: their conversation is gone by now.
    const language = isLanguage(request.language) ? request.language : DEFAULT_LANGUAGE;
    const code = request.confirmationCode;
    const cancelled = orders?.cancelledOrders ?? [];
    const handover = orders?.handoverOrders ?? [];
    const appointments = lines.find((l) => l.collection === 'appointments')?.cancelledAppointments ?? [];
    const text = failed
      ? t(language, 'privacy:receipt.failed', { code })
      : [
          t(language, 'privacy:receipt.done', { code }),
          t(language, 'privacy:receipt.deleted', { count: deleted }),
          orders && orders.anonymised > 0
            ? orders.keptUntil
              ? t(language, 'privacy:receipt.keptOrdersUntil', {
                  count: orders.anonymised,
                  date: formatDate(language, orders.keptUntil),
                })
              : t(language, 'privacy:receipt.keptOrders', { count: orders.anonymised })
            : t(language, 'privacy:receipt.noOrders'),
          ...(cancelled.length
            ? [
                t(language, 'privacy:receipt.cancelled', {
                  count: cancelled.length,
                  orders: cancelled.join(', '),
                }),
              ]
            : []),
          ...(appointments.length
            ? [
                t(language, 'appointments:erasure.receipt', {
                  count: appointments.length,
                  appointments: appointments.join(', '),
                }),
              ]
            : []),
          ...(handover.length
            ? [
                t(language, 'privacy:receipt.handover', {
                  count: handover.length,
                  orders: handover.join(', '),
                }),
              ]
            : []),
          t(language, 'privacy:receipt.keptRequest'),
          t(language, 'privacy:receipt.fresh'),
        ].join('\n');
    const recipient: KnownRecipient = {
      waId: identifiers.waId,
      userId: identifiers.userId,
      lastInboundAt: identifiers.lastInboundAt ? new Date(identifiers.lastInboundAt) : new Date(this.d.now()),
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
      createdAt: new Date(this.d.now()),
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
}
