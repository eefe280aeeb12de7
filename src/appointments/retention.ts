/**
 * How long appointments are kept: each carries `retainUntil` (its end + the business's years), on which a
 * TTL index deletes it (src/db/models/appointment.model.ts). The years are fixed when it is booked; this
 * sweep keeps them following the business's setting when the business changes it (`booking.retentionYears`,
 * else its order retention), so a shorter period applies to what is already stored too.
 *
 * Cheap when nothing changed: per business one read of a marker (`counters/appointment-retention:<pnid>`,
 * the years last applied). On a change every appointment of that business is re-dated (one conditional write
 * each, in bulk), then the marker is set; a crash in between re-dates again on the next run (idempotent),
 * and two processes doing it at once write the same dates.
 */
import type { Logger } from 'pino';
import { HOUR_MS } from '../core/time.js';
import type { Appointment } from '../db/models/appointment.model.js';
import { DEFAULT_ORDER_RETENTION_YEARS } from '../db/models/business.model.js';
import type { Business } from '../db/models/business.model.js';
import type { Models } from '../db/models/index.js';

const SWEEP_MS = HOUR_MS;
const BULK = 500;

/** The years a business keeps appointments after they took place. */
export function appointmentRetentionYears(
  business: Pick<Business, 'orderRetentionYears'> & { booking?: { retentionYears?: number } | undefined },
): number {
  return business.booking?.retentionYears ?? business.orderRetentionYears ?? DEFAULT_ORDER_RETENTION_YEARS;
}

/** `date` + `years` calendar years (UTC), as the store dates a new appointment. */
export function retainUntil(end: Date, years: number): Date {
  const next = new Date(end);
  next.setUTCFullYear(next.getUTCFullYear() + years);
  return next;
}

const markerId = (phoneNumberId: string): string => `appointment-retention:${phoneNumberId}`;

export interface AppointmentRetentionDeps {
  models: Pick<Models, 'Appointment' | 'Business' | 'Counter'>;
  logger: Logger;
}

export class AppointmentRetention {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly d: AppointmentRetentionDeps) {}

  /** Re-dates the appointments of every business whose retention changed; how many were re-dated. */
  async align(): Promise<number> {
    const { Business, Counter } = this.d.models;
    const businesses = await Business.find(
      { booking: { $exists: true } },
      { phoneNumberId: 1, orderRetentionYears: 1, 'booking.retentionYears': 1 },
    )
      .lean<Array<Pick<Business, 'phoneNumberId' | 'orderRetentionYears' | 'booking'>>>()
      .exec();
    let changed = 0;
    for (const business of businesses) {
      const years = appointmentRetentionYears(business);
      const marker = await Counter.findById(markerId(business.phoneNumberId)).lean().exec();
      if (marker?.seq === years) continue;
      changed += await this.redate(business.phoneNumberId, years);
      await Counter.updateOne(
        { _id: markerId(business.phoneNumberId) },
        { $set: { seq: years } },
        { upsert: true },
      ).exec();
    }
    return changed;
  }

  private async redate(phoneNumberId: string, years: number): Promise<number> {
    const { Appointment } = this.d.models;
    let changed = 0;
    let ops: Parameters<typeof Appointment.bulkWrite>[0] = [];
    const flush = async () => {
      if (ops.length === 0) return;
      const res = await Appointment.bulkWrite(ops, { ordered: false });
      changed += res.modifiedCount;
      ops = [];
    };
    const cursor = Appointment.find({ phoneNumberId }, { end: 1, retainUntil: 1 })
      .lean<Pick<Appointment, '_id' | 'end' | 'retainUntil'>>()
      .cursor();
    for await (const doc of cursor) {
      const until = retainUntil(doc.end, years);
      if (until.getTime() === doc.retainUntil.getTime()) continue;
      ops.push({
        updateOne: {
          filter: { _id: doc._id, retainUntil: doc.retainUntil },
          update: { $set: { retainUntil: until } },
        },
      });
      if (ops.length >= BULK) await flush();
    }
    await flush();
    if (changed > 0)
      this.d.logger.info({ phoneNumberId, appointments: changed, years }, 'appointment retention applied');
    return changed;
  }

  /** Runs now and then hourly. */
  start(): void {
    this.stop();
    const tick = () => {
      void this.align().catch((err: unknown) =>
        this.d.logger.error({ err }, 'appointment retention sweep failed'),
      );
    };
    this.timer = setInterval(tick, SWEEP_MS);
    this.timer.unref();
    tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
