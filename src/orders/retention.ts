import type { Logger } from 'pino';
import { DAY_MS, HOUR_MS } from '../core/time.js';
import type { OrderModel } from '../db/models/order.model.js';

/** A finished order keeps its delivery address and note this long (questions, complaints), then drops them. */
export const ORDER_CONTACT_DAYS = 30;
/** How often the retention sweep for order contact details runs. */
const RETENTION_SWEEP_MS = HOUR_MS;

export interface OrderRetentionDeps {
  Order: OrderModel;
  logger: Logger;
  now?: () => number;
}

/**
 * Retention of the one personal field orders keep in clear, with its own hourly sweep. The order itself
 * stays for the business's accounting period (its TTL); only the contact details go early.
 */
export class OrderRetention {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly d: OrderRetentionDeps) {
    this.now = d.now ?? Date.now;
  }

  /**
   * The delivery address and note of a completed or cancelled order are removed ORDER_CONTACT_DAYS after
   * its last change, at once for an order whose customer's data was erased (with its sealed handover
   * contact). Returns how many orders lost them.
   */
  async expireOrderContacts(): Promise<number> {
    const before = new Date(this.now() - ORDER_CONTACT_DAYS * DAY_MS);
    const res = await this.d.Order.updateMany(
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

  /** Runs the sweep now and then every hour, in any process (the update is idempotent). */
  start(): void {
    this.stop();
    const tick = () => {
      void this.expireOrderContacts().catch((err: unknown) =>
        this.d.logger.error({ err }, 'order retention sweep failed'),
      );
    };
    this.timer = setInterval(tick, RETENTION_SWEEP_MS);
    this.timer.unref();
    tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
