/**
 * What the customer and the business's staff are told about an appointment, through the outbox, once per
 * appointment and event: each notice is an outbox record under a synthetic inbound id
 * (`appointment:<id>:<event>` for the customer, `…:staff` for the staff numbers), so a repeat (a retried
 * request, a second process, a crash and a rerun) finds the records instead of adding more, and the sender
 * (src/outbox/sender.ts) sends each at most once, within the 24-hour window or by template.
 *
 * Who hears what follows who made the change: staff booking or moving an appointment tell the customer
 * ("We booked you …") and send the calendar file; a customer booking in the chat gets the calendar file and
 * the staff are told; a cancellation by the business tells the customer, one by the customer tells the staff.
 * A cancellation also sends the customer a cancelling calendar file when a calendar file was sent for the
 * appointment before (it is in their calendar). The customer reads the service in their language (the
 * business's current service, translated); the staff read the name stored with the appointment.
 * An erasure's cancellations are told by the erasure (src/privacy/erasure-notices.ts).
 */
import { DateTime } from 'luxon';
import type { Service } from '../core/booking.js';
import { itemIn } from '../core/catalog.js';
import type { Sealer } from '../core/sealing.js';
import type { OutboundMessage } from '../core/vocabulary.js';
import type { CustomerIdentities } from '../customers/identity.js';
import { isDuplicateKey } from '../db/errors.js';
import type { Appointment } from '../db/models/appointment.model.js';
import type { Business } from '../db/models/business.model.js';
import type { Customer } from '../db/models/customer.model.js';
import type { Models } from '../db/models/index.js';
import type { OutboxEntry } from '../db/models/outbox.model.js';
import { t } from '../language/i18n.js';
import { DEFAULT_LANGUAGE, isLanguage, languageOfLocale } from '../language/languages.js';
import type { Language } from '../language/languages.js';
import { outboxRecord } from '../outbox/record.js';
import type { TemplateFallback } from '../outbox/record.js';
import type { Deliver } from '../outbox/sender.js';
import type { StaffAppointmentEvent } from './desk.js';
import { appointmentNumberText } from './store.js';
import { appointmentIcs } from './ics.js';

/** What happened to an appointment. `moved`: the appointment named is the new one (`rescheduledFrom`). */
export type AppointmentEvent = 'booked' | 'moved' | 'cancelled';

/**
 * The MIME type the calendar file is uploaded with. Meta's Cloud API accepts documents of a few types only
 * (text/plain, PDF, Office; "Supported media types", https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types);
 * `text/calendar` is not among them. The file goes as text/plain with its `.ics` name, and the WhatsApp
 * client picks the file's icon and the app that opens it by that extension ("Document messages",
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/document-messages:
 * `filename` … "The WhatsApp client will use an appropriate file type icon based on the extension").
 */
export const ICS_UPLOAD_MIME = 'text/plain';

/** How far back a moved appointment's calendar identity is followed (moves of one booking). */
const MAX_CHAIN = 50;

export interface AppointmentNoticesDeps {
  models: Pick<Models, 'Appointment' | 'Business' | 'Customer' | 'Outbox'>;
  /** Seals the notices at rest (src/core/sealing.ts). */
  sealer: Sealer;
  /** Sends a stored outbox record (src/outbox/sender.ts): the 24-hour window, templates, at most once. */
  deliver: Deliver;
  /** Where each staff number's chat is (src/customers/identity.ts). */
  identities: Pick<CustomerIdentities, 'staffRefs'>;
  now: () => number;
}

type BusinessInfo = Pick<Business, 'name' | 'locale' | 'adminNumbers' | 'timeZone'> & {
  booking?: { services?: Service[] };
};

/** One appointment of a booking's chain of moves: the first was booked, each later one moved it. */
interface ChainLink {
  id: string;
  /** Absent when the appointment is no longer stored. */
  bookedBy?: Appointment['bookedBy'];
}

/** A notice's position of the calendar file: behind the business's text when the business made the change. */
const fileSeq = (fromBusiness: boolean): number => (fromBusiness ? 1 : 0);

/**
 * The service's name as the customer reads it: the business's current service (by id) in `language`, its
 * translation where the business wrote one; else the name stored with the appointment.
 */
export function serviceNameIn(
  appointment: Pick<Appointment, 'serviceId' | 'serviceName'>,
  services: readonly Service[] | undefined,
  language: Language,
): string {
  const service = services?.find((s) => s.id === appointment.serviceId);
  if (!service) return appointment.serviceName;
  return itemIn({ ...service, priceMinor: service.priceMinor ?? 0, available: true }, language).name;
}

/**
 * An appointment's time as a person reads it in `language` on the business's clock (an IANA zone): "Tue,
 * Mar 3, 10:30 AM", "mar, 3 mar, 10:30". Luxon turns the instant into the zone's wall time (daylight saving
 * included); Intl words it.
 */
export function appointmentWhen(language: Language, when: Date, timeZone: string): string {
  return DateTime.fromJSDate(when, { zone: timeZone }).setLocale(language).toLocaleString({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
  });
}

/** The calendar file of an appointment, as the document message that carries it. */
export function calendarDocument(
  appointment: Pick<
    Appointment,
    '_id' | 'appointmentNumber' | 'serviceName' | 'resourceName' | 'start' | 'end'
  >,
  business: { name: string; timeZone: string },
  language: Language,
  stamp: Date,
  /** For a moved appointment: the first appointment of the chain and how many moves since (the event's identity). */
  chain: { firstId: string; moves: number } = { firstId: String(appointment._id), moves: 0 },
  /** A cancelling file (the event's next SEQUENCE), for an appointment whose file the customer has. */
  cancelled = false,
): Extract<OutboundMessage, { type: 'reply.document' }> {
  const number = appointmentNumberText(appointment.appointmentNumber);
  const text = appointmentIcs({
    id: chain.firstId,
    sequence: cancelled ? chain.moves + 1 : chain.moves,
    start: appointment.start,
    end: appointment.end,
    summary: `${appointment.serviceName} · ${business.name}`,
    cancelled,
    description: t(language, 'appointments:ics.description', {
      number,
      resource: appointment.resourceName,
    }),
    stamp,
  });
  return {
    type: 'reply.document',
    filename: t(language, 'appointments:ics.filename', { number }),
    caption: t(language, cancelled ? 'appointments:ics.cancelCaption' : 'appointments:ics.caption', {
      service: appointment.serviceName,
      when: appointmentWhen(language, appointment.start, business.timeZone),
    }),
    content: { base64: Buffer.from(text, 'utf8').toString('base64'), mimeType: ICS_UPLOAD_MIME },
  };
}

/** How long after the customer's own booking its calendar file is due (behind the step's reply). */
const FILE_AFTER_REPLY_MS = 1_000;

export class AppointmentNotices {
  constructor(private readonly d: AppointmentNoticesDeps) {}

  /**
   * Tells whoever must hear of `event` on the appointment `appointmentId` (see the file's comment). Safe to
   * call again for the same event: the records are found, and only those still pending are sent.
   */
  async tell(phoneNumberId: string, appointmentId: string, event: AppointmentEvent): Promise<void> {
    const { Appointment, Business } = this.d.models;
    const appointment = await Appointment.findOne({ _id: appointmentId, phoneNumberId })
      .lean<Appointment>()
      .exec();
    if (!appointment) return;
    // Told late (a retry): a booking since cancelled is not announced, a cancellation only once it is one.
    if ((event === 'cancelled') !== (appointment.status === 'cancelled')) return;
    // The old appointment of a move is cancelled by it: the move's notice (on the new one) tells of it.
    if (event === 'cancelled' && appointment.rescheduledTo) return;
    const business = await Business.findOne(
      { phoneNumberId },
      { name: 1, locale: 1, adminNumbers: 1, timeZone: 1, 'booking.services': 1 },
    )
      .lean<BusinessInfo>()
      .exec();
    if (!business) return;
    const by = event === 'cancelled' ? appointment.cancelledBy : appointment.bookedBy;
    if (by === 'customer') await this.tellStaff(appointment, business, event);
    else if (by === 'staff') await this.tellCustomer(appointment, business, event, true);
    // The customer's own booking or move: its calendar file; their cancellation: the file that removes it.
    if (by === 'customer') await this.tellCustomer(appointment, business, event, false);
  }

  /**
   * The portal's and the admin API's hook (src/appointments/desk.ts `NotifyStaffChange`): staff booked, moved
   * or cancelled an appointment; for a move, the new appointment tells of it.
   */
  staffChange(event: StaffAppointmentEvent): Promise<void> {
    return this.tell(event.appointment.phoneNumberId, event.appointment.id, event.kind);
  }

  /**
   * The customer's notice (when the business made the change: `fromBusiness`; outside the 24-hour window by
   * the `appointment.notice` template) and, for a booking or a move, the calendar file; for a cancellation,
   * the cancelling file if a calendar file was sent before. Nothing for an appointment whose customer's data
   * was erased.
   */
  private async tellCustomer(
    appointment: Appointment,
    business: BusinessInfo,
    event: AppointmentEvent,
    fromBusiness: boolean,
  ): Promise<void> {
    if (appointment.anonymisedAt) return;
    const language = await this.customerLanguage(appointment.customerRef);
    const timeZone = business.timeZone ?? 'UTC';
    const service = serviceNameIn(appointment, business.booking?.services, language);
    const values = {
      number: appointmentNumberText(appointment.appointmentNumber),
      service,
      resource: appointment.resourceName,
      when: appointmentWhen(language, appointment.start, timeZone),
      business: business.name,
    };
    const messages: Array<{ message: OutboundMessage; fallback?: TemplateFallback }> = [];
    if (fromBusiness) {
      const key =
        event === 'booked'
          ? 'appointments:notice.bookedByStaff'
          : event === 'moved'
            ? 'appointments:notice.movedByStaff'
            : 'appointments:notice.cancelledByBusiness';
      messages.push({
        message: { type: 'reply.text', text: t(language, key, values) },
        fallback: {
          purpose: 'appointment.notice',
          language,
          values: {
            businessName: business.name,
            appointmentNumber: values.number,
            what: service,
            when: values.when,
            change: t(language, `appointments:notice.change.${event}`),
          },
        },
      });
    }
    const chain = await this.chainOf(appointment);
    const cancelling = event === 'cancelled';
    if (!cancelling || (await this.fileSent(chain.links))) {
      messages.push({
        message: calendarDocument(
          { ...appointment, serviceName: service },
          { name: business.name, timeZone },
          language,
          new Date(this.d.now()),
          chain,
          cancelling,
        ),
      });
    }
    if (messages.length === 0) return;
    const inboundWamid = `appointment:${String(appointment._id)}:${event}`;
    // The customer's own booking in chat: the file follows the step's "Booked!" reply, stored after this. It
    // is stored a moment later in the customer's order and left to the dispatcher (`retrying`, due then), so
    // the sender finds the reply first and sends the file behind it.
    const later = fromBusiness ? 0 : FILE_AFTER_REPLY_MS;
    const createdAt = new Date(this.d.now() + later);
    const records = messages.map(({ message, fallback }, seq) => ({
      ...outboxRecord(this.d.sealer, {
        phoneNumberId: appointment.phoneNumberId,
        customerRef: appointment.customerRef,
        audience: 'customer',
        inboundWamid,
        seq,
        message,
        // The business's change was not asked for in this chat: "stop" silences it. The customer's own
        // booking's calendar file answers their confirmation.
        unsolicited: fromBusiness,
        createdAt,
        ...(fallback ? { fallback } : {}),
      }),
      ...(later > 0 ? { status: 'retrying' as const, nextAttemptAt: createdAt } : {}),
    }));
    await this.storeAndSend(inboundWamid, records);
  }

  /** One notice per staff number, in the business's language; a cancellation by its alert template. */
  private async tellStaff(
    appointment: Appointment,
    business: BusinessInfo,
    event: AppointmentEvent,
  ): Promise<void> {
    const numbers = business.adminNumbers ?? [];
    if (numbers.length === 0) return;
    const language = languageOfLocale(business.locale);
    const timeZone = business.timeZone ?? 'UTC';
    const number = appointmentNumberText(appointment.appointmentNumber);
    const values = {
      number,
      service: appointment.serviceName,
      resource: appointment.resourceName,
      when: appointmentWhen(language, appointment.start, timeZone),
    };
    let text: string;
    if (event === 'moved') {
      const previous = appointment.rescheduledFrom
        ? await this.d.models.Appointment.findById(appointment.rescheduledFrom, { start: 1 })
            .lean<Pick<Appointment, 'start'>>()
            .exec()
        : null;
      text = t(language, 'appointments:staff.moved', {
        ...values,
        previous: previous ? appointmentWhen(language, previous.start, timeZone) : '—',
      });
    } else {
      text = t(
        language,
        event === 'booked' ? 'appointments:staff.booked' : 'appointments:staff.cancelled',
        values,
      );
    }
    const inboundWamid = `appointment:${String(appointment._id)}:${event}:staff`;
    const createdAt = new Date(this.d.now());
    const staffRefs = await this.d.identities.staffRefs(appointment.phoneNumberId, numbers);
    const records = numbers.map((waId, seq) => {
      // Outside a staff number's window: the cancellation alert's template (its one value is the number), or
      // the booking alert's (number, service, when) for a booking or a move.
      const fallback: TemplateFallback =
        event === 'cancelled'
          ? { purpose: 'staff.cancellation', language, values: { orderNumber: number }, to: { waId } }
          : {
              purpose: 'staff.booking',
              language,
              values: { appointmentNumber: number, service: values.service, when: values.when },
              to: { waId },
            };
      return outboxRecord(this.d.sealer, {
        phoneNumberId: appointment.phoneNumberId,
        customerRef: staffRefs[seq] ?? '',
        audience: 'staff',
        inboundWamid,
        seq,
        message: { type: 'reply.text', text },
        createdAt,
        fallback,
      });
    });
    await this.storeAndSend(inboundWamid, records);
  }

  /** Stores the records (a repeat finds them: unique inbound id + position), then sends those pending. */
  private async storeAndSend(inboundWamid: string, records: OutboxEntry[]): Promise<void> {
    if (records.length === 0) return;
    const { Outbox } = this.d.models;
    try {
      await Outbox.insertMany(records, { ordered: false, lean: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const pending = await Outbox.find({ inboundWamid, status: 'pending' })
      .sort({ seq: 1 })
      .lean<OutboxEntry[]>()
      .exec();
    for (const entry of pending) await this.d.deliver(entry);
  }

  /**
   * The first appointment a moved one descends from, how many moves lie between (at most MAX_CHAIN), and the
   * chain's appointments, first to last.
   */
  private async chainOf(
    appointment: Appointment,
  ): Promise<{ firstId: string; moves: number; links: ChainLink[] }> {
    const links: ChainLink[] = [{ id: String(appointment._id), bookedBy: appointment.bookedBy }];
    let previous = appointment.rescheduledFrom;
    while (previous && links.length <= MAX_CHAIN) {
      const doc = await this.d.models.Appointment.findById(previous, { rescheduledFrom: 1, bookedBy: 1 })
        .lean<Pick<Appointment, 'rescheduledFrom' | 'bookedBy'>>()
        .exec();
      // One gone (anonymised and removed): still the chain's first known id, as its files had it.
      links.unshift({ id: String(previous), ...(doc ? { bookedBy: doc.bookedBy } : {}) });
      previous = doc?.rescheduledFrom;
    }
    return { firstId: links[0]!.id, moves: links.length - 1, links };
  }

  /**
   * Whether a calendar file of the booking reached the customer: the file of its booking or of one of its
   * moves (the notice's last message: behind the business's text when the business made the change) was sent.
   */
  private async fileSent(links: readonly ChainLink[]): Promise<boolean> {
    const found = await this.d.models.Outbox.exists({
      audience: 'customer',
      status: 'sent',
      $or: links.map((link, i) => ({
        inboundWamid: `appointment:${link.id}:${i === 0 ? 'booked' : 'moved'}`,
        seq: fileSeq(link.bookedBy === 'staff'),
      })),
    }).exec();
    return found !== null;
  }

  /** The language the customer's conversation last used (their customer record); English when unknown. */
  private async customerLanguage(customerRef: string): Promise<Language> {
    const customer = await this.d.models.Customer.findById(customerRef, { language: 1 })
      .lean<Pick<Customer, 'language'>>()
      .exec();
    return isLanguage(customer?.language) ? customer.language : DEFAULT_LANGUAGE;
  }
}
