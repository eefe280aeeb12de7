import { randomUUID } from 'node:crypto';
import type { QueryFilter } from 'mongoose';
import type { Sealer } from '../core/sealing.js';
import { DAY_MS, MINUTE_MS } from '../core/time.js';
import { isDuplicateKey } from '../db/errors.js';
import { ACCESS_LOG_RETENTION_DAYS } from '../db/models/access-log.model.js';
import type { AccessActor, AccessLogEntry, AccessWhat } from '../db/models/access-log.model.js';
import type { Customer, CustomerProfile } from '../db/models/customer.model.js';
import type { Models } from '../db/models/index.js';
import { handoverContext } from '../db/models/order.model.js';
import type { HandoverContact, Order, OrderStatus } from '../db/models/order.model.js';
import { profileContext } from '../customers/profiles.js';
import { OPEN_ORDER_STATUSES } from './service.js';
import type { OrderPage } from './service.js';

/** Views of the inbox list by one actor within this window are one access-log entry. */
const LIST_VIEW_WINDOW_MS = 10 * MINUTE_MS;

/** The most orders one export or one day's dashboard reads: beyond it the range must be narrowed. */
export const DESK_MAX_ORDERS = 20_000;

/** Which orders the business's list shows. `since` and `until` bound `placedAt` (until exclusive). */
export interface DeskFilter {
  since?: Date;
  until?: Date;
  /** Only orders still to be handled. Ignored when `status` is given. */
  open?: boolean;
  status?: OrderStatus;
  /** 1–100. */
  limit: number;
  /** 1-based. */
  page: number;
}

/** The customer behind an order as the business needs them at the handover: their name and number. */
export interface CustomerDetails {
  name?: string;
  /** `+<number>` for a WhatsApp number, or the WhatsApp user id when that is all there is. */
  number?: string;
}

/** A day's figures for the dashboard: orders placed in the range, and every order still open. */
export interface DaySummary {
  /** Placed in the range, oldest first (placedAt, status, currency, total only). */
  orders: Pick<Order, 'placedAt' | 'status' | 'currency' | 'totalMinor'>[];
  /** Orders of any day still to be handled. */
  open: number;
}

export interface OrderDeskDeps {
  models: Pick<Models, 'Order' | 'Customer' | 'AccessLog'>;
  sealer: Sealer;
  now?: () => number;
}

/**
 * What the portal needs to run a shift on top of the order service: the orders list with its views, a date
 * range for the export, a day's figures, and the customer's name and number for one order. Every read of
 * a customer's details is recorded in the business's access log first: no record, no details.
 */
export class OrderDesk {
  private readonly now: () => number;

  constructor(private readonly d: OrderDeskDeps) {
    this.now = d.now ?? Date.now;
  }

  /** One page of a business's orders, newest first. */
  async list(phoneNumberId: string, filter: DeskFilter): Promise<OrderPage> {
    const query: QueryFilter<Order> = { phoneNumberId };
    if (filter.status) query.status = filter.status;
    else if (filter.open) query.status = { $in: OPEN_ORDER_STATUSES };
    if (filter.since || filter.until) {
      query.placedAt = {
        ...(filter.since ? { $gte: filter.since } : {}),
        ...(filter.until ? { $lt: filter.until } : {}),
      };
    }
    const [orders, total] = await Promise.all([
      this.d.models.Order.find(query)
        .sort({ placedAt: -1, orderNumber: -1 })
        .skip((filter.page - 1) * filter.limit)
        .limit(filter.limit)
        .lean<Order[]>()
        .exec(),
      this.d.models.Order.countDocuments(query).exec(),
    ]);
    return { orders, page: filter.page, limit: filter.limit, total };
  }

  /** Orders placed in `[from, to)`, oldest first, at most DESK_MAX_ORDERS + 1 (so a caller sees "too many"). */
  async between(phoneNumberId: string, from: Date, to: Date): Promise<Order[]> {
    return this.d.models.Order.find({ phoneNumberId, placedAt: { $gte: from, $lt: to } })
      .sort({ placedAt: 1, orderNumber: 1 })
      .limit(DESK_MAX_ORDERS + 1)
      .lean<Order[]>()
      .exec();
  }

  /** The figures of the dashboard for the day `[from, to)`. */
  async day(phoneNumberId: string, from: Date, to: Date): Promise<DaySummary> {
    const [orders, open] = await Promise.all([
      this.d.models.Order.find(
        { phoneNumberId, placedAt: { $gte: from, $lt: to } },
        { placedAt: 1, status: 1, currency: 1, totalMinor: 1 },
      )
        .sort({ placedAt: 1 })
        .limit(DESK_MAX_ORDERS)
        .lean<DaySummary['orders']>()
        .exec(),
      this.d.models.Order.countDocuments({ phoneNumberId, status: { $in: OPEN_ORDER_STATUSES } }).exec(),
    ]);
    return { orders, open };
  }

  /**
   * The customer's name and number for this order, after recording the view in the access log (who, which
   * order, when). From the sealed handover contact of an order kept after an erasure, otherwise from the
   * customer's record; empty when neither is there any more (an erased or expired customer).
   */
  async customerOf(order: Order, actor: AccessActor): Promise<CustomerDetails> {
    await this.record(order.phoneNumberId, actor, 'order.customer', String(order.orderNumber));
    if (order.handoverContact) {
      const contact = this.d.sealer.open<HandoverContact>(order.handoverContact, handoverContext(order._id));
      return detailsOf(contact.name, contact.waId, contact.userId);
    }
    if (order.anonymisedAt) return {};
    const customer = await this.d.models.Customer.findOne(
      { _id: order.customerRef, phoneNumberId: order.phoneNumberId },
      { waId: 1, userId: 1, profile: 1 },
    )
      .lean<Pick<Customer, '_id' | 'waId' | 'userId' | 'profile'>>()
      .exec();
    if (!customer) return {};
    const profile = customer.profile
      ? this.d.sealer.open<CustomerProfile>(customer.profile, profileContext(customer._id))
      : undefined;
    return detailsOf(profile?.name, customer.waId, customer.userId);
  }

  /** Records a view of a customer's details (an inbox conversation: the portal's inbox page calls this). */
  async record(phoneNumberId: string, actor: AccessActor, what: AccessWhat, ref: string): Promise<void> {
    const at = new Date(this.now());
    const who = actor.kind === 'key' ? `key:${actor.id}` : 'operator';
    // The inbox list and an open conversation refresh live on every new message: their views by one actor are
    // kept as one entry per ten minutes (a fixed id per window; the repeat insert is a duplicate key), so the
    // log stays readable. Each order page view is a deliberate click and is kept as it is.
    const coalesced = what === 'handoff.list' || what === 'handoff.thread' || what === 'appointment.list';
    const entry: AccessLogEntry = {
      _id: coalesced
        ? `${phoneNumberId}:${ref}:${who}:${Math.floor(at.getTime() / LIST_VIEW_WINDOW_MS)}`
        : randomUUID(),
      phoneNumberId,
      actor: actor.kind === 'key' ? { kind: 'key', id: actor.id } : { kind: 'operator' },
      what,
      ref,
      at,
      expiresAt: new Date(at.getTime() + ACCESS_LOG_RETENTION_DAYS * DAY_MS),
    };
    try {
      await this.d.models.AccessLog.create(entry);
    } catch (err) {
      if (!(coalesced && isDuplicateKey(err))) throw err;
    }
  }

  /** The business's access log entries, newest first: `limit` of them after the first `skip`. */
  async accessLog(phoneNumberId: string, limit: number, skip = 0): Promise<AccessLogEntry[]> {
    return this.d.models.AccessLog.find({ phoneNumberId })
      .sort({ at: -1, _id: -1 })
      .skip(skip)
      .limit(limit)
      .lean<AccessLogEntry[]>()
      .exec();
  }

  /** How many entries the business's access log holds (for its pages). */
  async accessLogSize(phoneNumberId: string): Promise<number> {
    return this.d.models.AccessLog.countDocuments({ phoneNumberId }).exec();
  }
}

function detailsOf(name?: string, waId?: string, userId?: string): CustomerDetails {
  const number = waId ? `+${waId}` : userId;
  return { ...(name ? { name } : {}), ...(number ? { number } : {}) };
}
