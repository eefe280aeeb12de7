import type { Collection } from 'mongodb';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { BusinessDirectory } from '../businesses/directory.js';
import type { Sealer } from '../core/sealing.js';
import { days } from '../core/time.js';
import type { TemplateStatusUpdate } from '../core/templates.js';
import type { StatusUpdate } from '../core/vocabulary.js';
import type { InboxEntry, InboxModel, InboxPayload } from '../db/models/inbox.model.js';
import { INBOX_RETENTION_DAYS, inboxContext, nextArrival } from '../db/models/inbox.model.js';
import type { OutboxModel, OutboxStatus } from '../db/models/outbox.model.js';
import type { CustomerIdentities } from '../customers/identity.js';
import { GroupCommit } from '../db/group-commit.js';
import type { ParsedWebhook } from './parse.js';

/** What the webhook did with one body: counted, never logged with content. */
export interface IntakeResult {
  /** Messages stored for the first time, with the conversation each belongs to. */
  accepted: Array<{ wamid: string; customerRef: string }>;
  /** Phone number ids in this body that are not configured businesses. */
  unknownPhoneNumberIds: string[];
  duplicates: number;
  unknownBusiness: number;
  statuses: number;
  ignored: number;
}

export interface IntakeDeps {
  Inbox: InboxModel;
  Outbox: OutboxModel;
  directory: BusinessDirectory;
  pepper: string;
  /** One reference per customer, whichever of their ids a message carries (src/customers/identity.ts). */
  identities: Pick<CustomerIdentities, 'resolveSenders'>;
  /** Seals each message and its sender's ids at rest until the message is handled. */
  sealer: Sealer;
  logger: Logger;
  /** Stores messages together with other bodies' (`messageIntake`); absent: each body on its own. */
  messages?: GroupCommit<ParsedWebhook['messages'][number], StoredMessage>;
  /** Applies template status changes to the template registry (src/templates/registry.ts `applyStatus`). */
  templateStatus: (updates: readonly TemplateStatusUpdate[]) => Promise<unknown>;
}

/**
 * Makes a webhook body durable before it is acknowledged: each message for a configured business is
 * inserted into the inbox under its wamid (a redelivery fails with E11000 and is counted as a duplicate,
 * never checked first), each status lands on its outbound record, and each template status change on the
 * template registry. Throws when the database fails, so
 * the route answers 5xx and Meta retries.
 */
export async function recordWebhook(
  parsed: ParsedWebhook,
  deps: IntakeDeps,
  now = new Date(),
): Promise<IntakeResult> {
  const result: IntakeResult = {
    accepted: [],
    unknownPhoneNumberIds: [],
    duplicates: 0,
    unknownBusiness: 0,
    statuses: 0,
    ignored: parsed.ignored.length,
  };
  const known = new Map<string, boolean>();
  for (const id of new Set(parsed.messages.map((m) => m.phoneNumberId))) {
    const configured = (await deps.directory.get(id)) !== null;
    known.set(id, configured);
    if (!configured) result.unknownPhoneNumberIds.push(id);
  }
  const forKnown = parsed.messages.filter((message) => known.get(message.phoneNumberId));
  result.unknownBusiness = parsed.messages.length - forKnown.length;
  const stored = deps.messages
    ? await deps.messages.submit(forKnown)
    : await storeMessages(deps, forKnown, now);
  stored.forEach((outcome, index) => {
    if (outcome.duplicate) result.duplicates += 1;
    else result.accepted.push({ wamid: forKnown[index]?.wamid ?? '', customerRef: outcome.customerRef });
  });
  if (parsed.statuses.length > 0) {
    // First the echoes of our own ids: they confirm sends whose answer the bot never saw (a crash mid-send),
    // so the record carries the wamid before the status below is matched by it.
    for (const status of parsed.statuses) await confirmSend(deps.Outbox, status);
    await deps.Outbox.bulkWrite(
      parsed.statuses.map((status) => {
        const errorCode = status.errors[0]?.code;
        const delivery = {
          status: status.status,
          at: new Date(status.timestamp),
          ...(errorCode !== undefined ? { errorCode } : {}),
        };
        return {
          updateOne: {
            filter: { wamids: status.wamid },
            update: {
              // $addToSet: a redelivered status webhook adds nothing.
              $addToSet: { deliveries: delivery },
              ...(status.status === 'failed'
                ? {
                    $set: {
                      status: 'failed',
                      error: { code: errorCode, title: status.errors[0]?.title ?? 'failed' },
                    },
                  }
                : {}),
            },
          },
        };
      }),
      { ordered: false },
    );
    result.statuses = parsed.statuses.length;
  }
  // Before the acknowledgement, like statuses: a failed write answers 5xx and Meta sends the change again.
  if (parsed.templateStatus.length > 0) await deps.templateStatus(parsed.templateStatus);
  return result;
}

/** One stored message: the conversation it belongs to, and whether it was stored before (a redelivery). */
export interface StoredMessage {
  customerRef: string;
  duplicate: boolean;
}

/** The messages a webhook body carries, as parsed. */
type InboundMessages = ParsedWebhook['messages'];

/**
 * Stores messages (of one body, or of every body that arrived together: `messageIntake`) in the inbox: one
 * alias read for all their senders, one `insertMany`. Each is stored under its wamid: a redelivery fails
 * with E11000 and comes back as `duplicate`, never checked first.
 */
export async function storeMessages(
  deps: Pick<IntakeDeps, 'Inbox' | 'identities' | 'sealer'>,
  messages: InboundMessages,
  now = new Date(),
): Promise<StoredMessage[]> {
  if (messages.length === 0) return [];
  const expiresAt = new Date(now.getTime() + days(INBOX_RETENTION_DAYS));
  const refs = await deps.identities.resolveSenders(messages);
  const docs: InboxEntry[] = messages.map((message, index) => ({
    _id: message.wamid,
    phoneNumberId: message.phoneNumberId,
    customerRef: refs[index] as string,
    sentAt: new Date(message.timestamp),
    receivedAt: now,
    arrival: nextArrival(),
    status: 'pending',
    kind: 'user',
    sealed: deps.sealer.seal(
      {
        event: message.event,
        customer: {
          ...(message.customer.waId ? { waId: message.customer.waId } : {}),
          ...(message.customer.userId ? { userId: message.customer.userId } : {}),
          ...(message.customer.profileName ? { profileName: message.customer.profileName } : {}),
        },
      } satisfies InboxPayload,
      inboxContext(message.wamid),
    ),
    ...(message.contextWamid ? { contextWamid: message.contextWamid } : {}),
    attempts: 0,
    expiresAt,
  }));
  const failed = new Set<number>();
  try {
    // The driver directly: one round trip, and mongoose's per-document casting is not needed here.
    await (deps.Inbox.collection as unknown as Collection<InboxEntry>).insertMany(docs, { ordered: false });
  } catch (err) {
    const indexes = duplicateIndexes(err, docs.length);
    if (!indexes) throw err;
    for (const index of indexes) failed.add(index);
  }
  return docs.map((doc, index) => ({ customerRef: doc.customerRef, duplicate: failed.has(index) }));
}

/**
 * Group commit of messages across webhook bodies (src/db/group-commit.ts): bodies that arrive while a store
 * is in flight are stored together in the next one, each acknowledged once its own messages are durable. A
 * batch that fails fails every body in it (each answers 5xx, and Meta delivers them again).
 */
export function messageIntake(
  deps: Pick<IntakeDeps, 'Inbox' | 'identities' | 'sealer'>,
): GroupCommit<InboundMessages[number], StoredMessage> {
  return new GroupCommit((messages) => storeMessages(deps, messages), 500);
}

const OBJECT_ID = /^[0-9a-f]{24}$/;

/**
 * A status webhook carrying an outbox record's id (`biz_opaque_callback_data`) proves Meta accepted that
 * part of the reply: its wamid is added to the record, and a record still `sending` (or `retrying` after a
 * lost answer) whose every part is accounted for becomes `sent`, so it is never sent again.
 */
async function confirmSend(Outbox: OutboxModel, status: StatusUpdate): Promise<void> {
  if (!status.callbackData || !OBJECT_ID.test(status.callbackData)) return;
  const _id = new Types.ObjectId(status.callbackData);
  const unconfirmed: OutboxStatus[] = ['sending', 'retrying'];
  const open = { _id, phoneNumberId: status.phoneNumberId, status: { $in: unconfirmed } };
  const record = await Outbox.findOneAndUpdate(
    open,
    { $addToSet: { wamids: status.wamid } },
    { returnDocument: 'after', projection: { wamids: 1, parts: 1 } },
  )
    .lean<{ wamids: string[]; parts?: number }>()
    .exec();
  if (!record || status.status === 'failed' || record.wamids.length < (record.parts ?? 1)) return;
  await Outbox.updateOne(open, {
    $set: { status: 'sent', sentAt: new Date(status.timestamp) },
    $unset: { sealedMessage: 1, sealedFallback: 1, nextAttemptAt: 1, claimedAt: 1, unansweredAt: 1 },
  }).exec();
}

/**
 * The batch positions that failed only because they were already stored (E11000), or undefined when
 * anything else went wrong. Duck-typed: mongoose may bring its own copy of the driver's error classes.
 */
function duplicateIndexes(err: unknown, attempted: number): number[] | undefined {
  if (typeof err !== 'object' || err === null || !('writeErrors' in err)) return undefined;
  const raw = err.writeErrors;
  const list: unknown[] = Array.isArray(raw) ? raw : [raw];
  // A lost connection also fails as a bulk write error, with no write errors: that is not "all duplicates".
  if (list.length === 0) return undefined;
  const inserted = (err as { result?: { insertedCount?: unknown } }).result?.insertedCount;
  if (typeof inserted !== 'number' || inserted + list.length !== attempted) return undefined;
  const indexes: number[] = [];
  for (const item of list) {
    const { code, index } = (item ?? {}) as { code?: unknown; index?: unknown };
    if (code !== 11000 || typeof index !== 'number') return undefined;
    indexes.push(index);
  }
  return indexes;
}
