import type { SuppressionModel } from '../db/models/suppression.model.js';

/** Why a message the customer did not ask for must not go out: they sent "stop", or erased their data. */
export type SuppressionReason = 'opted-out' | 'erased';

/** The sender's question before an unsolicited message (src/outbox/sender.ts `SenderDeps.suppressed`). */
export type SuppressionCheck = (
  customerRef: string,
  createdAt: Date,
) => Promise<SuppressionReason | undefined>;

/**
 * Reads the suppression list the privacy service writes (src/db/models/suppression.model.ts): after "stop"
 * nothing unsolicited goes out; after an erasure, nothing scheduled before it (its tombstone's time). The
 * sender reads the list itself, so it needs nothing from the privacy service, which sends its receipts
 * through the sender: the two are wired one after the other, without a late-bound reference.
 */
export function suppressionCheck(Suppression: SuppressionModel): SuppressionCheck {
  return async (customerRef, createdAt) => {
    const s = await Suppression.findById(customerRef).lean().exec();
    if (!s) return undefined;
    if (s.reason === 'opted-out') return 'opted-out';
    return createdAt <= s.createdAt ? 'erased' : undefined;
  };
}
