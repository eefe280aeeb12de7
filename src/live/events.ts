/**
 * Live portal events: what happened (a kind) and to what (an id), for one business. Producers (orders, the
 * staff inbox) publish; the portal's open pages hear about it within a second and fetch what changed. An event
 * never carries personal data: a page shows what it shows only after its own session and business checks.
 */
export type LiveKind =
  | 'handoff.opened'
  | 'handoff.message'
  | 'handoff.updated'
  | 'order.placed'
  | 'order.updated'
  /** The customer cancelled their own order from chat (a change by staff is `order.updated`). */
  | 'order.cancelled'
  /** An appointment was booked (chat or staff); `ref` is its id. */
  | 'appointment.booked'
  /** An appointment was cancelled (by the customer, staff or an erasure); `ref` is its id. */
  | 'appointment.cancelled'
  /** An appointment was moved (rescheduled): `ref` is the new appointment's id. */
  | 'appointment.moved'
  /** The customer confirmed an appointment (a reminder's *Confirm*); `ref` is its id. */
  | 'appointment.confirmed';

export interface LiveEvent {
  business: string /* phoneNumberId */;
  kind: LiveKind;
  ref: string /* id, never personal data */;
}

export interface LivePublisher {
  publish(event: LiveEvent): Promise<void>;
}

export const noLive: LivePublisher = { publish: async () => {} };

/** Every kind, in one list (the model's enum, the stream's event names, the client's filter). */
export const LIVE_KINDS = [
  'handoff.opened',
  'handoff.message',
  'handoff.updated',
  'order.placed',
  'order.updated',
  'order.cancelled',
  'appointment.booked',
  'appointment.cancelled',
  'appointment.moved',
  'appointment.confirmed',
] as const satisfies readonly LiveKind[];
