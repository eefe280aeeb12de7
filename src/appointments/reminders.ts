/**
 * Reminders before appointments, fired by a sweep exactly once across processes and restarts.
 *
 * Each appointment carries its reminders (`reminders: [{ at, sentAt? }]`, set when it is booked). The sweep
 * finds booked appointments with a reminder due and unsent, and for each such reminder:
 * 1. stores the reminder message in the outbox under `appointment:<id>:reminder:<at ms>` (unique with its
 *    position), so two sweeps that build it at once store one record;
 * 2. claims the reminder with ONE conditional write (`sentAt` unset → now, on a booked appointment); only the
 *    sweep whose write matched sends, the other moves on;
 * 3. hands the record to the sender, which sends it at most once: with Confirm / Reschedule / Cancel buttons
 *    inside the customer's 24-hour window, else as the business's `reminder` template.
 * A crash after 1 leaves the reminder unclaimed: the next sweep finds the record (1 is a no-op) and claims
 * it. A crash after 2 leaves the record pending, which the outbox dispatcher sends (src/outbox/dispatcher.ts).
 * A reminder whose appointment has begun is claimed and not sent; a cancelled appointment is not looked at.
 */
import type { Logger } from 'pino';
import { APPOINTMENT_BUTTONS } from '../core/booking.js';
import type { Sealer } from '../core/sealing.js';
import type { Appointment } from '../db/models/appointment.model.js';
import type { Business } from '../db/models/business.model.js';
import type { Customer } from '../db/models/customer.model.js';
import type { Models } from '../db/models/index.js';
import type { OutboxEntry } from '../db/models/outbox.model.js';
import { isDuplicateKey } from '../db/errors.js';
import { t } from '../language/i18n.js';
import { DEFAULT_LANGUAGE, isLanguage } from '../language/languages.js';
import type { Language } from '../language/languages.js';
import { outboxRecord } from '../outbox/record.js';
import type { Deliver } from '../outbox/sender.js';
import { appointmentWhen, serviceNameIn } from './notices.js';
import { appointmentNumberText } from './store.js';

/** The ids of the reminder's buttons, followed by the appointment's id: the booking machine handles them. */
const { confirm: REMINDER_CONFIRM, move: REMINDER_MOVE, cancel: REMINDER_CANCEL } = APPOINTMENT_BUTTONS;

/** Appointments looked at per sweep; the rest wait for the next. */
const BATCH = 100;

export interface ReminderSweepDeps {
  models: Pick<Models, 'Appointment' | 'Business' | 'Customer' | 'Outbox'>;
  sealer: Sealer;
  deliver: Deliver;
  logger: Logger;
  now?: () => number;
}

/** What one sweep did: reminders sent (handed to the sender), skipped (the appointment had begun). */
export interface SweepResult {
  sent: number;
  skipped: number;
}

export class ReminderSweep {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<SweepResult> | undefined;
  private stopped = true;

  constructor(private readonly d: ReminderSweepDeps) {
    this.now = d.now ?? Date.now;
  }

  /** Sweeps every `intervalMs` (only where the engine runs: not in a `web` process). */
  start(intervalMs: number): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.current;
  }

  /** One sweep; one still running is joined, not doubled. */
  sweep(): Promise<SweepResult> {
    this.current ??= this.run()
      .catch((err: unknown) => {
        this.d.logger.error({ err }, 'reminder sweep failed');
        return { sent: 0, skipped: 0 };
      })
      .finally(() => {
        this.current = undefined;
      });
    return this.current;
  }

  private async run(): Promise<SweepResult> {
    const now = new Date(this.now());
    const result: SweepResult = { sent: 0, skipped: 0 };
    const due = await this.d.models.Appointment.find({
      status: 'booked',
      reminders: { $elemMatch: { at: { $lte: now }, sentAt: { $exists: false } } },
    })
      .sort({ start: 1 })
      .limit(BATCH)
      .lean<Appointment[]>()
      .exec();
    const businesses = new Map<string, BusinessInfo | null>();
    for (const appointment of due) {
      for (const reminder of appointment.reminders) {
        if (reminder.sentAt || reminder.at > now) continue;
        if (!businesses.has(appointment.phoneNumberId)) {
          businesses.set(appointment.phoneNumberId, await this.business(appointment.phoneNumberId));
        }
        const outcome = await this.fire(
          appointment,
          reminder.at,
          businesses.get(appointment.phoneNumberId),
          now,
        );
        if (outcome) result[outcome] += 1;
      }
    }
    return result;
  }

  /** Fires one reminder if this sweep wins its claim; what it did, or undefined when another sweep won. */
  private async fire(
    appointment: Appointment,
    at: Date,
    business: BusinessInfo | null | undefined,
    now: Date,
  ): Promise<keyof SweepResult | undefined> {
    // Past the start (the sweep was down, or the reminder was set too late): no reminder of what began.
    if (now >= appointment.start || !business) {
      return (await this.claim(appointment, at, now)) ? 'skipped' : undefined;
    }
    const inboundWamid = `appointment:${String(appointment._id)}:reminder:${at.getTime()}`;
    const record = await this.reminderRecord(appointment, business, inboundWamid, now);
    try {
      await this.d.models.Outbox.insertMany([record], { lean: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    if (!(await this.claim(appointment, at, now))) return undefined;
    const entry = await this.d.models.Outbox.findOne({ inboundWamid, seq: 0 }).lean<OutboxEntry>().exec();
    if (entry?.status === 'pending') await this.d.deliver(entry);
    this.d.logger.info(
      { phoneNumberId: appointment.phoneNumberId, appointmentId: String(appointment._id) },
      'appointment reminder sent',
    );
    return 'sent';
  }

  /** The one conditional write that decides which sweep fires a reminder: `sentAt` unset → set. */
  private async claim(appointment: Appointment, at: Date, now: Date): Promise<boolean> {
    const res = await this.d.models.Appointment.updateOne(
      {
        _id: appointment._id,
        status: 'booked',
        reminders: { $elemMatch: { at, sentAt: { $exists: false } } },
      },
      { $set: { 'reminders.$.sentAt': now } },
    ).exec();
    return res.modifiedCount === 1;
  }

  private async reminderRecord(
    appointment: Appointment,
    business: BusinessInfo,
    inboundWamid: string,
    now: Date,
  ): Promise<OutboxEntry> {
    const language = await this.customerLanguage(appointment.customerRef);
    const timeZone = business.timeZone ?? 'UTC';
    const when = appointmentWhen(language, appointment.start, timeZone);
    // The service as the customer reads it (its translation), not the business's own name for it.
    const service = serviceNameIn(appointment, business.booking?.services, language);
    const id = String(appointment._id);
    return outboxRecord(this.d.sealer, {
      phoneNumberId: appointment.phoneNumberId,
      customerRef: appointment.customerRef,
      audience: 'customer',
      inboundWamid,
      seq: 0,
      message: {
        type: 'reply.buttons',
        text: t(language, 'appointments:reminder.text', {
          service,
          resource: appointment.resourceName,
          business: business.name,
          when,
          number: appointmentNumberText(appointment.appointmentNumber),
        }),
        buttons: [
          { id: `${REMINDER_CONFIRM}${id}`, title: t(language, 'appointments:reminder.button.confirm') },
          { id: `${REMINDER_MOVE}${id}`, title: t(language, 'appointments:reminder.button.move') },
          { id: `${REMINDER_CANCEL}${id}`, title: t(language, 'appointments:reminder.button.cancel') },
        ],
      },
      // Not an answer to anything the customer wrote: "stop" silences it.
      unsolicited: true,
      createdAt: now,
      // Outside the 24-hour window: the business's approved `reminder` template (src/templates/purposes.ts).
      fallback: {
        purpose: 'reminder',
        language,
        values: { businessName: business.name, when, what: service },
      },
    });
  }

  private async business(phoneNumberId: string): Promise<BusinessInfo | null> {
    return this.d.models.Business.findOne({ phoneNumberId }, { name: 1, timeZone: 1, 'booking.services': 1 })
      .lean<BusinessInfo>()
      .exec();
  }

  private async customerLanguage(customerRef: string): Promise<Language> {
    const customer = await this.d.models.Customer.findById(customerRef, { language: 1 })
      .lean<Pick<Customer, 'language'>>()
      .exec();
    return isLanguage(customer?.language) ? customer.language : DEFAULT_LANGUAGE;
  }
}

type BusinessInfo = Pick<Business, 'name' | 'timeZone' | 'booking'>;
