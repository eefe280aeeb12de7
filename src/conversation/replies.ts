import { t } from '../language/i18n.js';
import { languageOfLocale } from '../language/languages.js';
import type { BusinessData } from '../businesses/schema.js';
import type { CustomerIdentities } from '../customers/identity.js';
import { isDuplicateKey } from '../db/errors.js';
import { GroupCommit } from '../db/group-commit.js';
import type { InboxEntry, InboxPayload } from '../db/models/inbox.model.js';
import type { OutboxEntry, OutboxModel } from '../db/models/outbox.model.js';
import { outboxRecord } from '../outbox/record.js';
import type { TemplateFallback } from '../outbox/record.js';
import type { Sealer } from '../core/sealing.js';
import type { FlowEmitted, OutboundMessage } from '../core/vocabulary.js';

/** What storing a step's replies needs: the outbox, the sealer, and the staff numbers' chats. */
export interface ReplyDeps {
  Outbox: OutboxModel;
  sealer: Sealer;
  identities: CustomerIdentities;
  /** Stores records with other steps' (`outboxInserts`); absent: one `insertMany` per step. */
  inserts?: GroupCommit<OutboxEntry, boolean>;
}

/**
 * Group commit of outbox records across conversations (src/db/group-commit.ts): the replies of every step
 * that finishes while a store is in flight go in one unordered `insertMany`. Each record comes back `true`
 * when it was stored before (unique inbound wamid + position: a retried step); any other failure fails the
 * batch, and each step in it is retried as after its own failed insert.
 */
export function outboxInserts(Outbox: OutboxModel): GroupCommit<OutboxEntry, boolean> {
  return new GroupCommit(async (docs) => {
    const existed = docs.map(() => false);
    try {
      await Outbox.insertMany(docs, { ordered: false, lean: true });
    } catch (err) {
      // Judged by the per-document errors only: a batch error whose first failure is a duplicate but which
      // failed other records for another reason is an error, not a retry.
      const { writeErrors } = err as { writeErrors?: unknown[] };
      if (!writeErrors?.length || !isDuplicateKey({ writeErrors })) throw err;
      for (const failure of writeErrors) {
        const { index } = failure as { index?: unknown };
        if (typeof index !== 'number' || index < 0 || index >= docs.length) throw err;
        existed[index] = true;
      }
    }
    return existed;
  }, 500);
}

/**
 * A step's output as outbox records, tied to the inbound message and their position: replies to the
 * customer, and one notice per staff number of the business (`notify.staff`), which names the customer and
 * how to hand the chat back. Returns the records when this call stored all of them, undefined when some
 * already existed (a retried message finds the replies it stored before: unique inbound wamid + position).
 */
export async function storeReplies(
  d: ReplyDeps,
  entry: InboxEntry,
  business: BusinessData,
  emitted: FlowEmitted[],
  sender?: InboxPayload['customer'],
): Promise<OutboxEntry[] | undefined> {
  // Staff are the business's own people: they are told which customer, and how to hand the chat back.
  const who = sender?.waId ?? sender?.userId;
  const staffLanguage = languageOfLocale(business.locale);
  const customerLine = who
    ? `\n${t(staffLanguage, 'staff:notice.customer', { customer: sender?.waId ? `+${who}` : who })}`
    : '';
  const now = new Date();
  const docs: OutboxEntry[] = [];
  const add = (
    ref: string,
    message: OutboundMessage,
    audience: 'customer' | 'staff',
    fallback?: TemplateFallback,
  ) =>
    docs.push(
      outboxRecord(d.sealer, {
        phoneNumberId: entry.phoneNumberId,
        customerRef: ref,
        audience,
        inboundWamid: entry._id,
        seq: docs.length,
        message,
        // A reply to a passed deadline or a resume was not asked for: "stop" silences it.
        unsolicited: audience === 'customer' && entry.kind === 'system',
        createdAt: now,
        ...(fallback ? { fallback } : {}),
      }),
    );
  for (const item of emitted) {
    if (item.type === 'effect.erase') continue;
    if (item.type === 'notify.staff') {
      const staffRefs = await d.identities.staffRefs(business.phoneNumberId, business.adminNumbers);
      for (const [i, staffRef] of staffRefs.entries()) {
        const resume =
          who && item.handoff ? ` ${t(staffLanguage, 'staff:notice.resume', { customer: who })}` : '';
        // Outside the staff number's window (or when it never wrote) the alert's template reaches it.
        const waId = business.adminNumbers[i];
        const fallback: TemplateFallback | undefined = item.template && {
          ...item.template,
          language: staffLanguage,
          ...(waId ? { to: { waId } } : {}),
        };
        add(
          staffRef,
          { type: 'reply.text', text: `${item.text}${customerLine}${resume}` },
          'staff',
          fallback,
        );
      }
    } else {
      add(entry.customerRef, item, 'customer');
    }
  }
  if (docs.length === 0) return docs;
  if (d.inserts) {
    const existed = await d.inserts.submit(docs);
    return existed.some(Boolean) ? undefined : docs;
  }
  try {
    await d.Outbox.insertMany(docs, { ordered: false, lean: true });
    return docs;
  } catch (err) {
    // Judged by the per-document errors only: a batch error whose first failure is a duplicate but which
    // failed other records for another reason is an error, not a retry.
    const { writeErrors } = err as { writeErrors?: unknown[] };
    if (!writeErrors?.length || !isDuplicateKey({ writeErrors })) throw err;
    return undefined;
  }
}
