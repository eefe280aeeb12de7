import type { Logger } from 'pino';
import type { Models } from '../db/models/index.js';

/** What marking a message read needs from the WhatsApp client (`markRead`, without "typing…"). */
export type MarkRead = (phoneNumberId: string, wamid: string) => Promise<void>;

/** Marks the customer's latest message of an open handoff read; never throws (a failure is logged, ids only). */
export type MarkHandoffSeen = (phoneNumberId: string, handoffId: string) => Promise<void>;

/**
 * Issue 16: a staff member opening a handoff conversation in the portal marks the customer's latest message
 * read (blue ticks; Meta marks the earlier ones with it), without "typing…": a person is reading, not the
 * bot answering. Only for a handoff still open (waiting or taken), and only with a message the inbox still
 * knows (inbound records expire after days). Cosmetic: a failure changes nothing for the page.
 */
export function handoffSeenMarker(d: {
  models: Pick<Models, 'Handoff' | 'Inbox'>;
  markRead: MarkRead;
  logger: Logger;
}): MarkHandoffSeen {
  return async (phoneNumberId, handoffId) => {
    try {
      const handoff = await d.models.Handoff.findOne(
        { _id: handoffId, phoneNumberId, status: { $in: ['waiting', 'taken'] } },
        { customerRef: 1 },
      )
        .lean<{ customerRef: string }>()
        .exec();
      if (!handoff) return;
      const latest = await d.models.Inbox.findOne(
        { customerRef: handoff.customerRef, phoneNumberId, kind: 'user' },
        { _id: 1 },
      )
        // Meta's timestamps are whole seconds: two messages in one second are told apart by arrival.
        .sort({ sentAt: -1, arrival: -1 })
        .lean<{ _id: string }>()
        .exec();
      if (latest) await d.markRead(phoneNumberId, latest._id);
    } catch (err) {
      d.logger.warn(
        { handoff: handoffId.slice(0, 12), code: (err as { code?: unknown }).code },
        'marking a handoff conversation read failed',
      );
    }
  };
}
