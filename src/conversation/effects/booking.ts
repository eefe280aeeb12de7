import type { bookingActors } from '../../../flows/booking.flow.js';
import type {
  AppointmentItemView,
  BookingDayView,
  BookingServiceView,
  BookingTimeView,
} from '../../../flows/booking/views.js';
import { freeDays, nearestFree, slotsOn } from '../../appointments/slots.js';
import type { SlotQuery } from '../../appointments/slots.js';
import type { AppointmentView, BookingConfig, Resource, Service } from '../../core/booking.js';
import { itemIn } from '../../core/catalog.js';
import { formatMoney } from '../../core/money.js';
import { formatDayName, formatTimeOfDay } from '../../language/dates.js';
import { t } from '../../language/i18n.js';
import type { Language } from '../../language/languages.js';
import type { BusinessData } from '../../businesses/schema.js';
import type { EffectContext, EffectsOf } from './context.js';

/** Days with free times offered at once (a list holds ten rows). */
const DAYS_SHOWN = 10;
/** Nearest free times offered when the one chosen was just taken. */
const ALTERNATIVES = 5;
/** How far back and ahead the bookings are read for a slot search: the booking window and a day's margin. */
const DAY_MS = 86_400_000;

/** The business's booking configuration, or an error the flow turns into its "could not" line. */
function configOf(business: BusinessData): BookingConfig {
  if (!business.booking) throw new Error('this business takes no bookings');
  return business.booking;
}

function serviceOf(config: BookingConfig, id: string): Service {
  const service = config.services.find((s) => s.id === id && s.active);
  if (!service) throw new Error('no such service');
  return service;
}

/** A service's name and description in the customer's language (its translation, else its own). */
function serviceText(service: Service, language: Language): { name: string; description?: string } {
  const text = itemIn({ ...service, priceMinor: service.priceMinor ?? 0, available: true }, language);
  return { name: text.name, ...(text.description ? { description: text.description } : {}) };
}

/**
 * Booking's effects: the business's services, free days and times computed from its configuration and the
 * bookings stored (src/appointments/slots.ts, on the business's clock through luxon), booking by one
 * conditional write (src/appointments/store.ts), and the customer's own appointments. Times are worded here
 * in the customer's language and the business's time zone; the flow only shows them.
 */
export function bookingEffects({
  business,
  customerRef,
  deps,
  keyOf,
}: EffectContext): EffectsOf<typeof bookingActors> {
  const now = deps.now ?? Date.now;
  const zone = business.timeZone ?? 'UTC';
  const store = () => {
    if (!deps.appointments) throw new Error('appointments are not set up in this process');
    return deps.appointments;
  };
  const tellQuietly = async (id: string, event: 'booked' | 'moved' | 'cancelled'): Promise<void> => {
    try {
      await deps.appointmentNotices?.tell(business.phoneNumberId, id, event);
    } catch {
      // The booking stands; the notice records, if stored, are sent by the outbox dispatcher.
    }
  };
  const latest = async (): Promise<BusinessData> =>
    (await deps.directory.get(business.phoneNumberId)) ?? business;

  /** What a slot search needs: the configuration, the clock, and the bookings of the window. */
  const query = async (config: BookingConfig, serviceId: string, resourceId?: string): Promise<SlotQuery> => {
    const at = now();
    const busy = await store().busy(
      business.phoneNumberId,
      new Date(at - DAY_MS),
      new Date(at + (config.latestDays + 1) * DAY_MS),
    );
    return {
      config,
      timeZone: zone,
      serviceId,
      now: new Date(at),
      busy,
      ...(resourceId ? { preferredResourceId: resourceId } : {}),
    };
  };

  /** Inside the cut-off: once booked, the customer cannot move or cancel it in chat (said before confirming). */
  const fixed = (config: BookingConfig, start: string): boolean =>
    new Date(start).getTime() - now() < config.cancelCutoffMinutes * 60_000;
  const time = (language: Language, start: string, config: BookingConfig): BookingTimeView => ({
    start,
    title: formatTimeOfDay(language, new Date(start), zone),
    ...(fixed(config, start) ? { fixed: true } : {}),
  });
  /** The calendar date (YYYY-MM-DD) of an instant on the business's clock. */
  const dayIn = (at: Date): string => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(at);
  const dayAndTime = (language: Language, start: Date): string =>
    t(language, 'booking:when', {
      day: formatDayName(language, start, zone),
      time: formatTimeOfDay(language, start, zone),
    });

  /** An appointment as *My appointments* lists it: changeable here only before the cancellation cut-off. */
  const item = (
    a: AppointmentView,
    config: BookingConfig | undefined,
    at: number,
    language: Language,
  ): AppointmentItemView => {
    const changeable = a.start.getTime() - at >= (config?.cancelCutoffMinutes ?? 0) * 60_000;
    return {
      id: a.id,
      title: `${formatDayName(language, a.start, zone)} ${formatTimeOfDay(language, a.start, zone)}`,
      serviceId: a.serviceId,
      cancellable: changeable,
      movable: changeable && config?.services.some((s) => s.id === a.serviceId && s.active) === true,
    };
  };

  return {
    async bookingServices({ language }) {
      const config = configOf(await latest());
      return config.services
        .filter((service) => service.active)
        .map((service): BookingServiceView => {
          const text = serviceText(service, language);
          const price =
            service.priceMinor !== undefined
              ? formatMoney(service.priceMinor, business.currency, language)
              : undefined;
          return {
            id: service.id,
            title: text.name,
            description:
              service.priceMinor === 0
                ? t(language, 'booking:service.durationFree', { minutes: service.durationMinutes })
                : price
                  ? t(language, 'booking:service.durationPrice', { minutes: service.durationMinutes, price })
                  : t(language, 'booking:service.duration', { minutes: service.durationMinutes }),
            // Typed names: its own, each translation's, and the business's other words for it.
            names: [
              service.name,
              ...Object.values(service.translations ?? {}).flatMap((tr) => (tr.name ? [tr.name] : [])),
              ...(service.synonyms ?? []),
            ],
            ...(service.intake?.length
              ? {
                  intake: service.intake.map((question) => ({
                    id: question.id,
                    question: question.translations?.[language] ?? question.text,
                    ...(question.maxLength !== undefined ? { maxLength: question.maxLength } : {}),
                  })),
                }
              : {}),
          };
        });
    },
    async bookingDays({ serviceId, resourceId, language }) {
      const config = configOf(await latest());
      serviceOf(config, serviceId);
      const days = freeDays(await query(config, serviceId, resourceId), { limit: DAYS_SHOWN });
      return days.map((day): BookingDayView => ({
        date: day.date,
        // A calendar date: its weekday and day are the same read at noon UTC.
        title: formatDayName(language, new Date(`${day.date}T12:00:00Z`), 'UTC'),
        description: t(language, 'booking:days.free', { count: day.free }),
      }));
    },
    async bookingTimes({ serviceId, date, resourceId, language }) {
      const config = configOf(await latest());
      serviceOf(config, serviceId);
      return slotsOn(await query(config, serviceId, resourceId), date).map((slot) =>
        time(language, slot.start, config),
      );
    },
    async bookingStaff({ serviceId, start, language: _language }) {
      const config = configOf(await latest());
      if (!config.chooseStaff) return [];
      const service = serviceOf(config, serviceId);
      const staff = service.resourceIds
        .map((id) => config.resources.find((r) => r.id === id))
        .filter((r): r is Resource => r !== undefined && r.active && r.kind === 'staff');
      if (staff.length < 2) return [];
      // Only those free at the chosen time: the slot's resources, as the slot engine computes them now.
      const at = new Date(start);
      if (Number.isNaN(at.getTime())) return [];
      const slot = slotsOn(await query(config, service.id), dayIn(at)).find(
        (s) => s.start === at.toISOString(),
      );
      const free = new Set(slot?.resourceIds ?? []);
      const offered = staff.filter((r) => free.has(r.id));
      return offered.length >= 2 ? offered.map((r) => ({ id: r.id, title: r.name })) : [];
    },
    async bookingBook(input) {
      const data = await latest();
      const config = configOf(data);
      const service = serviceOf(config, input.serviceId);
      const start = new Date(input.start);
      // The slot as it is now (never a time the customer's list showed but the configuration no longer has).
      const search = await query(config, service.id, input.resourceId);
      const slot = slotsOn(search, dayIn(start)).find((s) => s.start === start.toISOString());
      const alternatives = (): BookingTimeView[] =>
        nearestFree(search, start, ALTERNATIVES).map((s) => ({
          start: s.start,
          title: dayAndTime(input.language, new Date(s.start)),
          ...(fixed(config, s.start) ? { fixed: true } : {}),
        }));
      if (!slot) return { status: 'taken', alternatives: alternatives() };
      const candidates = slot.resourceIds
        .map((id) => config.resources.find((r) => r.id === id))
        .filter((r): r is Resource => r !== undefined)
        .map((r) => ({ id: r.id, name: r.name, capacity: r.capacity }));
      const key = keyOf('bookingBook') ?? `${customerRef}:${input.serviceId}:${input.start}`;
      const result = await store().book({
        phoneNumberId: business.phoneNumberId,
        customerRef,
        service: { id: service.id, name: service.name, priceMinor: service.priceMinor },
        resourceCandidates: candidates,
        start,
        end: new Date(start.getTime() + service.durationMinutes * 60_000),
        bufferMinutes: service.bufferMinutes ?? 0,
        currency: data.currency,
        intake: input.intake,
        key,
        bookedBy: 'customer',
        rescheduleOf: input.rescheduleOf,
        remindersMinutes: service.remindersMinutes ?? config.remindersMinutes,
        retentionYears: config.retentionYears ?? data.orderRetentionYears,
      });
      if (result.status !== 'booked') return { status: 'taken', alternatives: alternatives() };
      const { appointment } = result;
      // Staff hear of it; the customer gets the calendar file after this step's reply. Once per appointment
      // and event (a step run again finds the records), and a failure here does not undo the booking.
      await tellQuietly(appointment.id, input.rescheduleOf ? 'moved' : 'booked');
      const when = dayAndTime(input.language, appointment.start);
      const name = serviceText(service, input.language).name;
      // Who they will see, when it is a person (a room or a chair is not named).
      const withStaff = config.resources.some((r) => r.id === appointment.resourceId && r.kind === 'staff');
      return {
        status: 'booked',
        number: appointment.number,
        summary: withStaff
          ? t(input.language, 'booking:booked.summaryWithStaff', {
              service: name,
              when,
              staff: appointment.resourceName,
            })
          : t(input.language, 'booking:booked.summary', { service: name, when }),
      };
    },
    async myAppointments({ language }) {
      const data = await latest();
      const config = data.booking;
      const at = now();
      const mine = await store().upcomingOf(customerRef, business.phoneNumberId, new Date(at));
      if (mine.length === 0) return { text: t(language, 'booking:mine.none'), items: [] };
      const serviceName = (id: string, fallback: string): string => {
        const service = config?.services.find((s) => s.id === id);
        return service ? serviceText(service, language).name : fallback;
      };
      return {
        text: t(language, 'booking:mine.list', {
          lines: mine
            .map((a) =>
              t(language, 'booking:mine.line', {
                number: a.number,
                when: dayAndTime(language, a.start),
                service: serviceName(a.serviceId, a.serviceName),
              }),
            )
            .join('\n'),
        }),
        items: mine.map((a) => item(a, config, at, language)),
      };
    },
    async appointmentOf({ id, language, confirming }) {
      const config = (await latest()).booking;
      const at = now();
      // Only the sender's own, booked and not over: upcomingOf reads by this customer and this business, so
      // an id of someone else's appointment (or a forged one) is simply not among them.
      const mine = await store().upcomingOf(customerRef, business.phoneNumberId, new Date(at));
      const appointment = mine.find((a) => a.id === id);
      if (!appointment) return { status: 'gone' };
      // The staff see it confirmed in the calendar; a second tap changes nothing.
      if (confirming) await store().confirmByCustomer(business.phoneNumberId, id, customerRef);
      return {
        status: 'open',
        appointment: {
          ...item(appointment, config, at, language),
          when: dayAndTime(language, appointment.start),
        },
      };
    },
    async cancelAppointment({ id }) {
      const config = (await latest()).booking;
      const result = await store().cancel(business.phoneNumberId, id, {
        by: 'customer',
        customerRef,
        now: new Date(now()),
        ...(config ? { cutoffMinutes: config.cancelCutoffMinutes } : {}),
      });
      if (result.status === 'cancelled') {
        await tellQuietly(id, 'cancelled');
        return { status: 'cancelled' };
      }
      if (result.status === 'too_late') return { status: 'too_late' };
      throw new Error('no such appointment');
    },
  };
}
