import type { bookingActors } from '../../../flows/booking.flow.js';
import type { EffectContext, EffectsOf } from './context.js';

/**
 * Booking's effects: not wired yet (the slot engine and the appointment store are being written beside
 * this). Each one fails, so a conversation that reaches booking hears the step's "could not" line and the
 * menu instead of a silent hang; the main menu shows booking only to businesses that offer appointments.
 */
export function bookingEffects(_ctx: EffectContext): EffectsOf<typeof bookingActors> {
  const notWired = (): Promise<never> => Promise.reject(new Error('booking effects: not wired'));
  return {
    bookingServices: notWired,
    bookingDays: notWired,
    bookingTimes: notWired,
    bookingStaff: notWired,
    bookingBook: notWired,
    myAppointments: notWired,
    cancelAppointment: notWired,
  };
}
