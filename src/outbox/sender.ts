import type { Logger } from 'pino';
import type { OutboundMessage } from '../conversation/types.js';
import type { CustomerModel } from '../db/models/customer.model.js';
import type { OutboxEntry, OutboxModel } from '../db/models/outbox.model.js';
import type { Sealer } from '../privacy/sealing.js';
import { outboxContext } from './record.js';
import { WhatsAppApiError, WhatsAppError } from '../whatsapp/errors.js';
import type { WhatsAppClient } from '../whatsapp/client.js';

/** WhatsApp's customer-service window: free-form replies only within 24 h of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface SenderDeps {
  Outbox: OutboxModel;
  Customer: CustomerModel;
  client: WhatsAppClient;
  /** False when no access token is configured (development without credentials): nothing is attempted. */
  canSend: boolean;
  /** Opens the sealed message text (src/privacy/sealing.ts). */
  sealer: Sealer;
  /**
   * Why a message the customer did not ask for must not go out (they sent "stop", or erased their data
   * after it was scheduled), if it must not.
   */
  suppressed?: (customerRef: string, createdAt: Date) => Promise<string | undefined>;
  logger: Logger;
  now?: () => number;
}

export type DeliveryOutcome = 'sent' | 'failed' | 'skipped' | 'not-pending';

/** What the caller already knows of the recipient (from the message being answered), saving a lookup. */
export interface KnownRecipient {
  waId?: string | undefined;
  userId?: string | undefined;
  lastInboundAt: Date;
}

/**
 * Sends one stored outbound record, at most once: the record is claimed (pending → sending) before the
 * request, and the outcome (Meta's wamids, or the error code, or why it was not attempted) is written on it.
 */
export function createSender(deps: SenderDeps) {
  const now = deps.now ?? Date.now;

  /** A final status: the text is no longer needed and is removed with it. */
  async function finish(id: OutboxEntry['_id'], update: Record<string, unknown>): Promise<void> {
    await deps.Outbox.updateOne({ _id: id }, { $set: update, $unset: { sealedMessage: 1 } }).exec();
  }

  /** Marks a still-pending record skipped (and drops its text); false when it was no longer pending. */
  async function skip(id: OutboxEntry['_id'], skippedReason: string): Promise<boolean> {
    const res = await deps.Outbox.updateOne(
      { _id: id, status: 'pending' },
      { $set: { status: 'skipped', skippedReason }, $unset: { sealedMessage: 1 } },
    ).exec();
    return res.modifiedCount > 0;
  }

  return async function deliver(entry: OutboxEntry, known?: KnownRecipient): Promise<DeliveryOutcome> {
    const log = deps.logger.child({
      outboxId: String(entry._id),
      inboundWamid: entry.inboundWamid,
      seq: entry.seq,
    });
    if (entry.unsolicited && deps.suppressed) {
      const reason = await deps.suppressed(entry.customerRef, entry.createdAt);
      if (reason) {
        const skipped = await skip(entry._id, reason);
        log.info({ skippedReason: reason }, 'message not sent: the customer asked not to get it');
        return skipped ? 'skipped' : 'not-pending';
      }
    }
    if (!entry.sealedMessage) {
      await skip(entry._id, 'no-message');
      return 'skipped';
    }
    const message = deps.sealer.open<OutboundMessage>(entry.sealedMessage, outboxContext(entry._id));
    const customer = known ?? (await deps.Customer.findById(entry.customerRef).lean().exec());
    if (!customer || (!customer.waId && !customer.userId)) {
      // A staff number that never wrote to the bot has no open window: only a template could reach it.
      const skippedReason = entry.audience === 'staff' ? 'outside-24h-window' : 'no-recipient';
      await skip(entry._id, skippedReason);
      log.warn(
        { skippedReason, audience: entry.audience },
        'reply not sent: no open conversation with the recipient',
      );
      return 'skipped';
    }
    const outsideWindow =
      message.type !== 'reply.template' && now() - customer.lastInboundAt.getTime() > SERVICE_WINDOW_MS;
    const skippedReason = outsideWindow
      ? 'outside-24h-window'
      : !deps.canSend
        ? 'whatsapp-not-configured'
        : undefined;
    if (skippedReason) {
      const skipped = await skip(entry._id, skippedReason);
      log.info({ skippedReason }, 'reply not attempted');
      return skipped ? 'skipped' : 'not-pending';
    }
    const claimed = await deps.Outbox.findOneAndUpdate(
      { _id: entry._id, status: 'pending' },
      { $set: { status: 'sending' }, $inc: { attempts: 1 } },
    ).exec();
    if (!claimed) return 'not-pending';
    const recipient =
      customer.userId && !customer.waId ? { userId: customer.userId } : { waId: customer.waId };
    try {
      const { wamids } = await deps.client.send(entry.phoneNumberId, recipient, message);
      await finish(entry._id, { status: 'sent', wamids, sentAt: new Date(now()) });
      log.debug({ wamids }, 'reply sent');
      return 'sent';
    } catch (err) {
      const error =
        err instanceof WhatsAppApiError
          ? { code: err.code, title: err.title, httpStatus: err.httpStatus }
          : { title: err instanceof WhatsAppError ? err.name : 'unexpected error' };
      const sentWamids = err instanceof WhatsAppError ? [...err.sentWamids] : [];
      await finish(entry._id, { status: 'failed', error, wamids: sentWamids });
      log.warn(
        {
          code: error.code,
          httpStatus: 'httpStatus' in error ? error.httpStatus : undefined,
          kind: error.title,
        },
        'reply failed',
      );
      return 'failed';
    }
  };
}

export type Deliver = ReturnType<typeof createSender>;
