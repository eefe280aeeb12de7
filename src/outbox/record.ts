import { Types } from 'mongoose';
import type { OutboundMessage } from '../core/vocabulary.js';
import { days } from '../core/time.js';
import type { OutboxEntry } from '../db/models/outbox.model.js';
import { OUTBOX_RETENTION_DAYS } from '../db/models/outbox.model.js';
import type { Sealer } from '../core/sealing.js';
import type { TemplatePurpose } from '../templates/types.js';

/**
 * What carries a business-initiated message when the recipient's 24-hour window is closed: the purpose
 * (src/templates/ maps it to the business's approved template), the language wanted, and the values of the
 * template's parameters. `to` is a staff number with no customer record (it never wrote): the only way to
 * reach it. Sealed on the record: the values can be personal.
 */
export interface TemplateFallback {
  purpose: TemplatePurpose;
  language: string;
  values: Record<string, string>;
  to?: { waId: string };
}

export interface NewOutboxRecord {
  phoneNumberId: string;
  customerRef: string;
  audience: 'customer' | 'staff';
  inboundWamid: string;
  seq: number;
  message: OutboundMessage;
  /** Not a direct answer to the customer (a notice, a passed deadline): suppressed after "stop". */
  unsolicited?: boolean;
  createdAt: Date;
  /** How long the record is kept; default OUTBOX_RETENTION_DAYS. */
  retentionMs?: number;
  /**
   * Who to send it to, sealed on the record until it is settled: for a record whose customer record is gone
   * by the time a retry sends it (the erasure receipt).
   */
  recipient?: { waId?: string | undefined; userId?: string | undefined; lastInboundAt: Date };
  /** Keep keyed hashes of Meta's ids instead of the ids (they encode the number). */
  hashWamids?: boolean;
  /** The template that carries it outside the 24-hour window (a notice, a staff alert). */
  fallback?: TemplateFallback;
}

/** The sealing context of an outbox record's message: bound to the record, so it opens nowhere else. */
export const outboxContext = (id: OutboxEntry['_id']): string => `outbox:${String(id)}`;

/** The sealing context of the recipient a record carries. */
export const outboxRecipientContext = (id: OutboxEntry['_id']): string => `outbox-recipient:${String(id)}`;

/** The sealing context of a record's template fallback. */
export const outboxFallbackContext = (id: OutboxEntry['_id']): string => `outbox-fallback:${String(id)}`;

/** A pending outbox record with its message sealed (src/privacy/sealing.ts). */
export function outboxRecord(sealer: Sealer, fields: NewOutboxRecord): OutboxEntry {
  const _id = new Types.ObjectId();
  return {
    _id,
    phoneNumberId: fields.phoneNumberId,
    customerRef: fields.customerRef,
    audience: fields.audience,
    inboundWamid: fields.inboundWamid,
    seq: fields.seq,
    sealedMessage: sealer.seal(fields.message, outboxContext(_id)),
    ...(fields.unsolicited ? { unsolicited: true } : {}),
    ...(fields.recipient
      ? {
          sealedRecipient: sealer.seal(
            {
              ...(fields.recipient.waId ? { waId: fields.recipient.waId } : {}),
              ...(fields.recipient.userId ? { userId: fields.recipient.userId } : {}),
              lastInboundAt: fields.recipient.lastInboundAt.toISOString(),
            },
            outboxRecipientContext(_id),
          ),
        }
      : {}),
    ...(fields.hashWamids ? { hashWamids: true } : {}),
    ...(fields.fallback
      ? {
          templatePurpose: fields.fallback.purpose,
          sealedFallback: sealer.seal(fields.fallback, outboxFallbackContext(_id)),
        }
      : {}),
    status: 'pending',
    wamids: [],
    attempts: 0,
    deliveries: [],
    createdAt: fields.createdAt,
    expiresAt: new Date(fields.createdAt.getTime() + (fields.retentionMs ?? days(OUTBOX_RETENTION_DAYS))),
  };
}
