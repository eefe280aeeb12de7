import { t } from '../language/i18n.js';
import { DEFAULT_LANGUAGE, isLanguage } from '../language/languages.js';
import type { Language } from '../language/languages.js';
import { orderStatusPhrase } from '../language/order-status.js';
import type { Customer, CustomerModel } from '../db/models/customer.model.js';
import { isDuplicateKey } from '../db/errors.js';
import type { Order, StatusChange } from '../db/models/order.model.js';
import type { OutboxEntry, OutboxModel, OutboxStatus } from '../db/models/outbox.model.js';
import { outboxRecord } from '../outbox/record.js';
import type { Deliver } from '../outbox/sender.js';
import type { Sealer } from '../core/sealing.js';

/**
 * What the customer is told when the business moves their order on, in their language (the one their
 * conversation last used, kept on their customer record; English when unknown).
 */
export function statusNotice(
  order: Pick<Order, 'orderNumber' | 'status' | 'fulfilment'>,
  language: Language = DEFAULT_LANGUAGE,
): string {
  const values = { number: order.orderNumber };
  switch (order.status) {
    case 'placed':
      return t(language, 'orders:notice.placed', values);
    case 'confirmed':
      return t(language, 'orders:notice.confirmed', values);
    case 'preparing':
      return t(language, 'orders:notice.preparing', values);
    case 'out_for_delivery':
      return t(language, 'orders:notice.outForDelivery', values);
    case 'ready':
      return order.fulfilment === 'pickup'
        ? t(language, 'orders:notice.readyPickup', values)
        : t(language, 'orders:notice.readyDelivery', values);
    case 'completed':
      return t(language, 'orders:notice.completed', values);
    case 'cancelled':
      return t(language, 'orders:notice.cancelled', values);
  }
}

/**
 * The language the customer's conversation last used, from their customer record (src/conversation/step.ts
 * keeps it there); English when unknown. The record lives on the outbox's connection.
 */
async function customerLanguage(Customer: CustomerModel, customerRef: string): Promise<Language> {
  const customer = await Customer.findById(customerRef, { language: 1 })
    .lean<Pick<Customer, 'language'>>()
    .exec();
  return isLanguage(customer?.language) ? customer.language : DEFAULT_LANGUAGE;
}

/** What became of the customer's notice about a status change, read from its outbox record. */
export interface NotificationOutcome {
  outboxId: string;
  status: OutboxStatus;
  skippedReason?: string;
  /** The customer's 24-hour window was closed: only a template could have reached them. */
  templateNeeded: boolean;
}

/**
 * Whether the customer heard about a status change, in one word the portal and the API can show: only
 * `sent` means a message went out. `customer-erased`: the customer deleted their data, so there is no one
 * to tell; `none`: no notice was made (nothing changed).
 */
export type CustomerNotice =
  | 'sent'
  | 'queued'
  | 'customer-erased'
  | 'outside-24h-window'
  | 'opted-out'
  | 'whatsapp-not-configured'
  | 'failed'
  | 'not-sent'
  | 'none';

/** The one word for a status change's result: what the portal's banner and the admin API's answer say. */
export function customerNotice(result: {
  order: Pick<Order, 'anonymisedAt'>;
  notification: NotificationOutcome | null;
}): CustomerNotice {
  const n = result.notification;
  if (!n) return result.order.anonymisedAt ? 'customer-erased' : 'none';
  if (n.status === 'sent') return 'sent';
  if (n.status === 'pending' || n.status === 'sending') return 'queued';
  if (n.status === 'failed') return 'failed';
  switch (n.skippedReason) {
    case 'outside-24h-window':
    case 'opted-out':
    case 'whatsapp-not-configured':
      return n.skippedReason;
    case 'erased':
    case 'no-recipient':
      return 'customer-erased';
    default:
      return 'not-sent';
  }
}

/** What storing and sending a notice needs (the order service passes its own). */
export interface OrderNoticeDeps {
  Outbox: OutboxModel;
  /** Where the customer's language is kept (src/conversation/step.ts writes it). */
  Customer: CustomerModel;
  /** Seals the notice's text at rest (src/privacy/sealing.ts). */
  sealer: Sealer;
  /** Sends a stored outbox record (src/outbox/sender.ts): respects the 24-hour window, sends at most once. */
  deliver: Deliver;
  /** The business's name, a parameter of its status template (outside the 24-hour window). */
  businessName?: (phoneNumberId: string) => Promise<string | undefined>;
  now: () => number;
}

/**
 * Stores the notice for this status change in the outbox under a synthetic inbound id
 * (`order:<orderId>:<status>`, seq 0), so a repeat finds the record instead of adding a second one, then
 * hands it to the sender if it is still pending. When the customer's 24-hour window has closed the sender
 * sends the business's approved `order.status` template instead (number, status in words in the customer's
 * language, business name); with none mapped it skips it, and the record is marked `templateNeeded`, for
 * the business to see.
 */
export async function notifyCustomer(
  deps: OrderNoticeDeps,
  order: Order,
  change: StatusChange,
): Promise<NotificationOutcome> {
  const { Outbox } = deps;
  const inboundWamid = `order:${String(order._id)}:${change.status}`;
  const language = await customerLanguage(deps.Customer, order.customerRef);
  const createdAt = new Date(deps.now());
  const businessName = (await deps.businessName?.(order.phoneNumberId)) ?? '';
  const record = outboxRecord(deps.sealer, {
    phoneNumberId: order.phoneNumberId,
    customerRef: order.customerRef,
    audience: 'customer',
    inboundWamid,
    seq: 0,
    message: { type: 'reply.text', text: statusNotice(order, language) },
    // The business moved the order on: not an answer to the customer, so "stop" silences it.
    unsolicited: true,
    createdAt,
    fallback: {
      purpose: 'order.status',
      language,
      values: {
        orderNumber: String(order.orderNumber),
        status: orderStatusPhrase(language, order.status),
        businessName,
      },
    },
  });
  let entry: OutboxEntry | null = record;
  try {
    await Outbox.insertMany([record], { lean: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    entry = await Outbox.findOne({ inboundWamid, seq: 0 }).lean<OutboxEntry>().exec();
  }
  if (!entry) throw new Error(`outbox record ${inboundWamid} vanished`);
  if (entry.status === 'pending') {
    const outcome = await deps.deliver(entry);
    if (outcome === 'skipped') {
      await Outbox.updateOne(
        { _id: entry._id, status: 'skipped', skippedReason: 'outside-24h-window' },
        { $set: { templateNeeded: true } },
      ).exec();
    }
    entry = (await Outbox.findById(entry._id).lean<OutboxEntry>().exec()) ?? entry;
  }
  return {
    outboxId: String(entry._id),
    status: entry.status,
    ...(entry.skippedReason ? { skippedReason: entry.skippedReason } : {}),
    templateNeeded: entry.templateNeeded === true,
  };
}
