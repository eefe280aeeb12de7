import type { CustomerModel } from '../db/models/customer.model.js';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isKnownCurrency } from '../core/money.js';
import { deliveryFeeFor, NO_TERMS, shortOfMinimum } from '../core/charges.js';
import type { OrderTerms } from '../core/charges.js';
import type { CounterModel } from '../db/models/counter.model.js';
import { handoverContext } from '../db/models/order.model.js';
import type {
  DeliveryAddress,
  Fulfilment,
  HandoverContact,
  Order,
  OrderLine,
  OrderModel,
  OrderStatus,
  StatusActor,
  StatusChange,
} from '../db/models/order.model.js';
import type { OutboxModel } from '../db/models/outbox.model.js';
import { isDuplicateKey } from '../db/errors.js';
import { DAY_MS } from '../core/time.js';
import { notifyCustomer } from './notices.js';
import type { NotificationOutcome } from './notices.js';
import type { Deliver } from '../outbox/sender.js';
import type { Sealer } from '../core/sealing.js';
import { noLive } from '../live/events.js';
import type { LiveEvent, LivePublisher } from '../live/events.js';

export { customerNotice, statusNotice } from './notices.js';
export type { CustomerNotice, NotificationOutcome } from './notices.js';

/** Order numbers start here, so the first order is 1001 (see `Order.orderNumber` for why). */
export const FIRST_ORDER_NUMBER = 1001;
/** How many times a placement looks for a free number after a clash (a counter reset or restored). */
const NUMBER_ATTEMPTS = 5;
/** A notice for a change older than this is not re-created by a repeated request (its record may have expired). */
const RENOTIFY_WITHIN_MS = DAY_MS;

/** Statuses of an order the business still has to handle (not completed, not cancelled). */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = [
  'placed',
  'confirmed',
  'preparing',
  'ready',
  'out_for_delivery',
];

/**
 * Which status may follow which when the business (or the bot) changes an order. Forward only, so a
 * status happens at most once per order (its notice's outbox id relies on that); `completed` and
 * `cancelled` are final. Before `ready`, the business may skip steps (a coffee is ready before anyone
 * clicks "Confirm"): the customer is told the status reached, once. Cancelling stays possible only
 * before `ready`.
 */
const NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ['confirmed', 'preparing', 'ready', 'cancelled'],
  confirmed: ['preparing', 'ready', 'cancelled'],
  preparing: ['ready', 'cancelled'],
  ready: ['out_for_delivery', 'completed'],
  out_for_delivery: ['completed'],
  completed: [],
  cancelled: [],
};

/**
 * The statuses `by` may move this order to next. `out_for_delivery` only exists for delivery orders; a
 * customer may only cancel, and only while the business has not yet confirmed (after that, food may be
 * cooking: they have to ask the business).
 */
export function allowedNext(order: Pick<Order, 'status' | 'fulfilment'>, by: StatusActor): OrderStatus[] {
  if (by === 'customer') return order.status === 'placed' ? ['cancelled'] : [];
  return NEXT[order.status].filter((s) => s !== 'out_for_delivery' || order.fulfilment === 'delivery');
}

/**
 * The one next step for the business, without skipping (placed → confirmed → preparing → ready → out for
 * delivery or completed); undefined for a final status. The portal's primary button.
 */
export function nextStep(order: Pick<Order, 'status' | 'fulfilment'>): OrderStatus | undefined {
  return allowedNext(order, 'business').find((s) => s !== 'cancelled');
}

/** An order that does not add up or is incomplete; `problems` name the fields (`items.1.lineTotalMinor …`). */
export class OrderInputError extends Error {
  override name = 'OrderInputError';
  constructor(readonly problems: string[]) {
    super(`invalid order: ${problems.join('; ')}`);
  }
}

export class OrderNotFoundError extends Error {
  override name = 'OrderNotFoundError';
  constructor(
    readonly phoneNumberId: string,
    readonly orderNumber: number,
  ) {
    super(`no order ${orderNumber} at business ${phoneNumberId}`);
  }
}

/**
 * A status change that was refused. `reason` says why: the table does not allow `from → to`
 * (`not-allowed`), or another request changed the order between our read and our write
 * (`changed-concurrently`: `from` is then the status the other request set, `expected` the one we read).
 */
export class OrderTransitionError extends Error {
  override name = 'OrderTransitionError';
  constructor(
    readonly orderNumber: number,
    readonly from: OrderStatus,
    readonly to: OrderStatus,
    readonly allowed: readonly OrderStatus[],
    readonly reason: 'not-allowed' | 'changed-concurrently',
    readonly expected?: OrderStatus,
  ) {
    const allowedText = allowed.length > 0 ? allowed.join(', ') : `none (${from} is final)`;
    super(
      reason === 'not-allowed'
        ? `cannot change order ${orderNumber} from ${from} to ${to}; allowed: ${allowedText}`
        : `order ${orderNumber} was changed from ${expected ?? '?'} to ${from} by another request at the same time, ` +
            `so ${to} was not applied; check the order and try again (allowed from ${from}: ${allowedText})`,
    );
  }
}

const safeMinor = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const placeOrderInput = z
  .strictObject({
    phoneNumberId: z.string().min(1),
    customerRef: z.string().min(1),
    currency: z.string().refine(isKnownCurrency, 'must be an ISO 4217 currency code'),
    items: z
      .array(
        z.strictObject({
          itemId: z.string().min(1),
          name: z.string().trim().min(1),
          unitPriceMinor: safeMinor,
          quantity: z.number().int().min(1).max(10_000),
          lineTotalMinor: safeMinor,
        }),
      )
      .min(1, 'an order needs at least one item')
      .max(100),
    totalMinor: safeMinor,
    /** Years the order is kept (the business's accounting retention); default 10. */
    retentionYears: z.number().int().min(1).max(30).default(10),
    fulfilment: z.enum(['pickup', 'delivery']),
    deliveryAddress: z
      .strictObject({
        text: z.string().trim().min(1).max(500).optional(),
        latitude: z.number().min(-90).max(90).optional(),
        longitude: z.number().min(-180).max(180).optional(),
      })
      .refine(
        (a) => a.text !== undefined || (a.latitude !== undefined && a.longitude !== undefined),
        'needs a text or both latitude and longitude',
      )
      .optional(),
    note: z.string().trim().max(500).optional(),
    preOrderFor: z.date().optional(),
    sourceKey: z.string().min(1).max(200).optional(),
    terms: z
      .strictObject({
        deliveryFeeMinor: safeMinor,
        freeDeliveryOverMinor: safeMinor.optional(),
        minimumOrderMinor: safeMinor,
      })
      .optional(),
  })
  .superRefine((order, ctx) => {
    let sum = 0;
    order.items.forEach((line, index) => {
      // Integers only: a product beyond 2^53 would be rounded, so it is refused rather than stored wrong.
      const expected = line.unitPriceMinor * line.quantity;
      if (!Number.isSafeInteger(expected) || line.lineTotalMinor !== expected) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'lineTotalMinor'],
          message: `must be unitPriceMinor × quantity (${expected})`,
        });
      }
      sum += line.lineTotalMinor;
    });
    // The fee is computed here from the business's terms, never taken from the caller.
    const terms = order.terms ?? NO_TERMS;
    const fee = deliveryFeeFor(sum, order.fulfilment, terms);
    if (!Number.isSafeInteger(sum) || order.totalMinor !== sum + fee) {
      ctx.addIssue({
        code: 'custom',
        path: ['totalMinor'],
        message:
          fee > 0
            ? `must be the sum of the lines plus the delivery fee (${sum} + ${fee})`
            : `must be the sum of the lines (${sum})`,
      });
    }
    if (shortOfMinimum(sum, terms) > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['items'],
        message: `add up to less than the minimum order (${terms.minimumOrderMinor})`,
      });
    }
    if (order.fulfilment === 'delivery' && !order.deliveryAddress) {
      ctx.addIssue({ code: 'custom', path: ['deliveryAddress'], message: 'is required for delivery' });
    }
    if (order.fulfilment === 'pickup' && order.deliveryAddress) {
      ctx.addIssue({ code: 'custom', path: ['deliveryAddress'], message: 'is only for delivery orders' });
    }
  });

/** What the ordering flow hands over when the customer confirms: prices as they are at this moment. */
export interface PlaceOrderInput {
  phoneNumberId: string;
  customerRef: string;
  currency: string;
  items: readonly OrderLine[];
  totalMinor: number;
  fulfilment: Fulfilment;
  deliveryAddress?: DeliveryAddress | undefined;
  note?: string | undefined;
  /** Placed while closed: the business's next opening (see `Order.preOrderFor`). */
  preOrderFor?: Date | undefined;
  /** The business's `orderRetentionYears`: the order is deleted (TTL) that long after it was placed. */
  retentionYears?: number | undefined;
  /**
   * The business's delivery fee and minimum order as they are now: `totalMinor` must be the lines plus the
   * fee they give, and the lines must reach the minimum. Absent: no fee, no minimum.
   */
  terms?: OrderTerms | undefined;
  /**
   * The placing step's idempotency key (see `Order.sourceKey`): placing again with the same key returns the
   * order already placed, with its number, and takes no new number.
   */
  sourceKey?: string | undefined;
}

export interface ListOrdersOptions {
  status?: OrderStatus | undefined;
  /** 1–100. */
  limit: number;
  /** 1-based. */
  page: number;
}

export interface OrderPage {
  orders: Order[];
  page: number;
  limit: number;
  /** Orders matching the filter, on all pages. */
  total: number;
}

export interface StatusChangeResult {
  order: Order;
  /** False when the order already had that status (a repeated request): nothing was written. */
  changed: boolean;
  /** The customer's notice, for a change by the business or the bot; null when there is none. */
  notification: NotificationOutcome | null;
}

export interface OrderServiceDeps {
  Order: OrderModel;
  Counter: CounterModel;
  Outbox: OutboxModel;
  /** The customers' records: the language their status notices go out in. */
  Customer: CustomerModel;
  /** Seals the notices' text at rest (src/privacy/sealing.ts). */
  sealer: Sealer;
  /** Sends a stored outbox record (src/outbox/sender.ts): respects the 24-hour window, sends at most once. */
  deliver: Deliver;
  logger: Logger;
  /** Tells the portal's open pages about new and changed orders (src/live/); nothing by default. */
  live?: LivePublisher;
  /** The business's name, for its status template outside the 24-hour window (src/orders/notices.ts). */
  businessName?: (phoneNumberId: string) => Promise<string | undefined>;
  now?: () => number;
}

function addYears(date: Date, years: number): Date {
  const next = new Date(date);
  next.setUTCFullYear(next.getUTCFullYear() + years);
  return next;
}

/**
 * Orders: placing them with a number unique per business, listing them, and moving them through their
 * statuses. Every status change is one conditional write on the status that was read, so of two requests
 * racing on one order only one can win; the other is refused rather than applied to a state it never saw.
 * A change by the business is announced to the customer through the outbox, at most once.
 */
export class OrderService {
  private readonly now: () => number;
  private readonly live: LivePublisher;

  constructor(private readonly deps: OrderServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.live = deps.live ?? noLive;
  }

  /** Tells the portal; a failure is logged (ids only) and never fails the order. */
  private async announce(event: LiveEvent): Promise<void> {
    try {
      await this.live.publish(event);
    } catch (err) {
      this.deps.logger.warn(
        { err, phoneNumberId: event.business, kind: event.kind, orderNumber: event.ref },
        'live portal event not published',
      );
    }
  }

  /**
   * Stores a confirmed cart as an order with status `placed`. Throws OrderInputError when a line total is
   * not `unitPriceMinor × quantity`, the total is not the sum of the lines, an amount is not an exact
   * integer, or the address does not fit the fulfilment: an order is accounting data, so it must add up.
   * With a `sourceKey`, a repeat (the chat step run again after a failure) returns the order that key
   * placed, without taking a number: the order is looked up before the counter moves. Only two runs of the
   * same step at the same moment (a lease lost mid-step) can both take a number; the loser's number is then
   * skipped, and it returns the winner's order.
   */
  async placeOrder(input: PlaceOrderInput): Promise<Order> {
    const parsed = placeOrderInput.safeParse(input);
    if (!parsed.success) {
      throw new OrderInputError(
        parsed.error.issues.map(
          (issue) => `${issue.path.map(String).join('.') || '(order)'} ${issue.message}`,
        ),
      );
    }
    const data = parsed.data;
    const placed = await this.placedBy(data.sourceKey);
    if (placed) return placed;
    for (let attempt = 1; ; attempt += 1) {
      const orderNumber = await this.nextOrderNumber(data.phoneNumberId);
      const at = new Date(this.now());
      try {
        const created = await this.deps.Order.create({
          phoneNumberId: data.phoneNumberId,
          customerRef: data.customerRef,
          orderNumber,
          items: data.items,
          totalMinor: data.totalMinor,
          deliveryFeeMinor: deliveryFeeFor(
            data.items.reduce((sum, line) => sum + line.lineTotalMinor, 0),
            data.fulfilment,
            data.terms ?? NO_TERMS,
          ),
          currency: data.currency,
          fulfilment: data.fulfilment,
          ...(data.deliveryAddress ? { deliveryAddress: data.deliveryAddress } : {}),
          ...(data.note ? { note: data.note } : {}),
          ...(data.preOrderFor ? { preOrderFor: data.preOrderFor } : {}),
          status: 'placed',
          statusHistory: [{ status: 'placed', at, by: 'customer' }],
          placedAt: at,
          updatedAt: at,
          retainUntil: addYears(at, data.retentionYears),
          ...(data.sourceKey ? { sourceKey: data.sourceKey } : {}),
        });
        this.deps.logger.info(
          { phoneNumberId: data.phoneNumberId, orderNumber, lines: data.items.length },
          'order placed',
        );
        await this.announce({ business: data.phoneNumberId, kind: 'order.placed', ref: String(orderNumber) });
        return created.toObject<Order>();
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Placed by a twin run of the same step meanwhile: its order is the one.
        const twin = await this.placedBy(data.sourceKey);
        if (twin) return twin;
        if (attempt >= NUMBER_ATTEMPTS) throw err;
        // The number is taken: the counter is behind the orders (reset, or restored from an older backup).
        await this.catchUpCounter(data.phoneNumberId);
      }
    }
  }

  /** The order a placing step already placed, if any. */
  private async placedBy(sourceKey: string | undefined): Promise<Order | null> {
    if (!sourceKey) return null;
    return this.deps.Order.findOne({ sourceKey }).lean<Order>().exec();
  }

  /** One page of a business's orders, newest first, optionally of one status. */
  async listOrders(phoneNumberId: string, options: ListOrdersOptions): Promise<OrderPage> {
    const filter = { phoneNumberId, ...(options.status ? { status: options.status } : {}) };
    const [orders, total] = await Promise.all([
      this.deps.Order.find(filter)
        .sort({ placedAt: -1, orderNumber: -1 })
        .skip((options.page - 1) * options.limit)
        .limit(options.limit)
        .lean<Order[]>()
        .exec(),
      this.deps.Order.countDocuments(filter).exec(),
    ]);
    return { orders, page: options.page, limit: options.limit, total };
  }

  /**
   * A business's orders still to be handled (placed, confirmed, preparing, ready, out for delivery) that
   * were placed since `since`, oldest first (the order the kitchen works in): at most `limit`, and how many
   * there are in all.
   */
  async openOrdersSince(
    phoneNumberId: string,
    since: Date,
    limit: number,
  ): Promise<{ orders: Order[]; total: number }> {
    const filter = { phoneNumberId, status: { $in: OPEN_ORDER_STATUSES }, placedAt: { $gte: since } };
    const [orders, total] = await Promise.all([
      this.deps.Order.find(filter).sort({ placedAt: 1, orderNumber: 1 }).limit(limit).lean<Order[]>().exec(),
      this.deps.Order.countDocuments(filter).exec(),
    ]);
    return { orders, total };
  }

  /** A customer's latest orders at one business, newest first ("where is my order?"). */
  async recentOrdersOf(customerRef: string, phoneNumberId: string, limit: number): Promise<Order[]> {
    return this.deps.Order.find({ customerRef, phoneNumberId })
      .sort({ placedAt: -1 })
      .limit(limit)
      .lean<Order[]>()
      .exec();
  }

  /**
   * The customer's name and number on an order kept for its handover after their erasure (the business's
   * one way left to reach them at the door); undefined for every other order.
   */
  handoverContact(order: Pick<Order, '_id' | 'handoverContact'>): HandoverContact | undefined {
    if (!order.handoverContact) return undefined;
    return this.deps.sealer.open<HandoverContact>(order.handoverContact, handoverContext(order._id));
  }

  async findOrder(phoneNumberId: string, orderNumber: number): Promise<Order | null> {
    return this.deps.Order.findOne({ phoneNumberId, orderNumber }).lean<Order>().exec();
  }

  /**
   * Moves an order to `to` for the business (admin API) or the bot, and tells the customer. Repeating a
   * change that is already in effect writes nothing and sends nothing new (a retried request), but finishes
   * a notice an earlier attempt stored and did not get to send. Throws OrderNotFoundError, or
   * OrderTransitionError when the table refuses the change or another request changed the order first.
   */
  async changeStatus(
    phoneNumberId: string,
    orderNumber: number,
    to: OrderStatus,
    by: Exclude<StatusActor, 'customer'>,
  ): Promise<StatusChangeResult> {
    const { order, changed } = await this.transition({ phoneNumberId, orderNumber }, to, by);
    const last = order.statusHistory.at(-1);
    // An order kept after its customer's erasure has no one to tell: no notice is made for it.
    const notify =
      last !== undefined &&
      last.status === order.status &&
      last.by !== 'customer' &&
      !order.anonymisedAt &&
      (changed || this.now() - last.at.getTime() < RENOTIFY_WITHIN_MS);
    const notification = notify ? await notifyCustomer({ ...this.deps, now: this.now }, order, last) : null;
    return { order, changed, notification };
  }

  /**
   * The customer cancels their own order from chat: allowed only while it is `placed`, and only for an
   * order of theirs (an order number of another customer is "not found"). No notice is stored: the chat
   * flow answers the customer itself.
   */
  async cancelByCustomer(
    phoneNumberId: string,
    customerRef: string,
    orderNumber: number,
  ): Promise<StatusChangeResult> {
    const { order, changed } = await this.transition(
      { phoneNumberId, orderNumber, customerRef },
      'cancelled',
      'customer',
    );
    return { order, changed, notification: null };
  }

  private async transition(
    filter: { phoneNumberId: string; orderNumber: number; customerRef?: string },
    to: OrderStatus,
    by: StatusActor,
  ): Promise<{ order: Order; changed: boolean }> {
    const { Order } = this.deps;
    const current = await Order.findOne(filter).lean<Order>().exec();
    if (!current) throw new OrderNotFoundError(filter.phoneNumberId, filter.orderNumber);
    if (current.status === to) return { order: current, changed: false };
    const allowed = allowedNext(current, by);
    if (!allowed.includes(to)) {
      throw new OrderTransitionError(current.orderNumber, current.status, to, allowed, 'not-allowed');
    }
    const at = new Date(this.now());
    const change: StatusChange = { status: to, at, by };
    // An order kept for its handover after the customer's erasure: once finished, what the handover
    // needed (address, note, the sealed contact) goes with the change.
    const handedOver = current.erasure === 'handover' && (to === 'completed' || to === 'cancelled');
    // The filter on the status we read is the lock: a request that read the same status and wrote first wins.
    const updated = await Order.findOneAndUpdate(
      { ...filter, status: current.status },
      {
        $set: { status: to, updatedAt: at },
        $push: { statusHistory: change },
        ...(handedOver ? { $unset: { deliveryAddress: 1, note: 1, handoverContact: 1 } } : {}),
      },
      { returnDocument: 'after' },
    )
      .lean<Order>()
      .exec();
    if (updated) {
      this.deps.logger.info(
        {
          phoneNumberId: current.phoneNumberId,
          orderNumber: current.orderNumber,
          fromStatus: current.status,
          to,
          by,
        },
        'order status changed',
      );
      // A customer's own cancellation has its own kind, so open pages can say who cancelled which order.
      await this.announce({
        business: current.phoneNumberId,
        kind: to === 'cancelled' && by === 'customer' ? 'order.cancelled' : 'order.updated',
        ref: String(current.orderNumber),
      });
      return { order: updated, changed: true };
    }
    const latest = await Order.findOne(filter).lean<Order>().exec();
    if (!latest) throw new OrderNotFoundError(filter.phoneNumberId, filter.orderNumber);
    // The same change made by a twin request: the outcome the caller wanted, already in effect.
    if (latest.status === to) return { order: latest, changed: false };
    throw new OrderTransitionError(
      latest.orderNumber,
      latest.status,
      to,
      allowedNext(latest, by),
      'changed-concurrently',
      current.status,
    );
  }

  /** The next number for a business: one atomic `$inc` (the upsert creates the counter on first use). */
  private async nextOrderNumber(phoneNumberId: string): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const counter = await this.deps.Counter.findOneAndUpdate(
          { _id: `order:${phoneNumberId}` },
          { $inc: { seq: 1 } },
          { upsert: true, returnDocument: 'after' },
        )
          .lean()
          .exec();
        if (!counter) throw new Error('counter upsert returned nothing');
        return FIRST_ORDER_NUMBER - 1 + counter.seq;
      } catch (err) {
        // Two first-ever upserts can race to insert the counter; the loser just increments the winner's.
        if (!isDuplicateKey(err) || attempt >= NUMBER_ATTEMPTS) throw err;
      }
    }
  }

  /** Moves the counter past the highest number in use, so the next allocation is free. */
  private async catchUpCounter(phoneNumberId: string): Promise<void> {
    const highest = await this.deps.Order.findOne({ phoneNumberId }, { orderNumber: 1 })
      .sort({ orderNumber: -1 })
      .lean<Pick<Order, 'orderNumber'>>()
      .exec();
    if (!highest) return;
    await this.deps.Counter.updateOne(
      { _id: `order:${phoneNumberId}` },
      { $max: { seq: highest.orderNumber - FIRST_ORDER_NUMBER + 1 } },
      { upsert: true },
    ).exec();
  }
}
