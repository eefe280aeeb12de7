import { aiConcern } from './ai.flow.js';
import { bookingConcern } from './booking.flow.js';
import { orderingConcern } from './ordering.flow.js';
import { privacyConcern } from './privacy.flow.js';
import { trackingConcern } from './tracking.flow.js';

/**
 * The conversation's concerns, in menu order: the only wiring a new flow needs (flows/<id>.flow.ts exports
 * `<id>Concern = defineConcern({ … })`; add it here). The root composes each one's actors, actions and
 * guards, states, context slice and version, menu row and typed words from this list (flows/root.flow.ts),
 * and src/conversation/flows.ts then asks, by type, for the concern's effects.
 */
export const concerns = [
  orderingConcern,
  trackingConcern,
  privacyConcern,
  aiConcern,
  bookingConcern,
] as const;

/** A concern of the list, by type. */
export type RegisteredConcern = (typeof concerns)[number];
