import type { Models } from '../db/models/index.js';
import type { PrivacyReceipt, PrivacyRequest } from '../db/models/privacy-request.model.js';
import { DATA_MAP, createdBy } from './data-map.js';
import { findIdentifiers } from './scan.js';

/** The identifiers an erasure needs to verify itself and to answer; sealed on the request while it runs. */
export interface SubjectIdentifiers {
  waId?: string;
  userId?: string;
  name?: string;
  lastInboundAt?: string;
}

/**
 * The verification scan: every collection in the database (mapped or not), in this business's scope,
 * for the subject's key (outside the request and tombstone) and for their identifiers — wa_id with and
 * without "+", user id, name — outside the fields kept anonymised. Reports field paths, never values.
 */
export async function verifyErasure(
  models: Pick<Models, 'Customer'>,
  request: Pick<PrivacyRequest, 'phoneNumberId' | 'subjectKey'>,
  identifiers: SubjectIdentifiers,
  since: Date,
): Promise<PrivacyReceipt['scan']> {
  const db = models.Customer.db.db;
  if (!db) throw new Error('database not connected');
  const needles = [
    identifiers.waId,
    identifiers.waId ? `+${identifiers.waId}` : undefined,
    identifiers.userId,
    request.subjectKey,
  ].filter((n): n is string => typeof n === 'string' && n.length > 0);
  const name = identifiers.name && identifiers.name.trim().length >= 3 ? identifiers.name.trim() : undefined;
  const byCollection = new Map(DATA_MAP.map((e) => [e.collection, e]));
  const findings: Array<{ collection: string; field: string }> = [];
  let collections = 0;
  let documents = 0;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'));
  for (const collection of names) {
    const entry = byCollection.get(collection);
    if (entry && !entry.personal) continue;
    collections += 1;
    // In the business's scope, and only what existed when the erasure was confirmed (later records are a
    // new contact: the customer wrote again).
    const cursor = db.collection(collection).find({
      ...(request.phoneNumberId && entry ? { phoneNumberId: request.phoneNumberId } : {}),
      ...(entry?.createdField ? createdBy(entry.createdField, since) : {}),
    });
    for await (const doc of cursor) {
      documents += 1;
      const allowed = entry?.subjectKeyAllowed ? new Set(entry.subjectFields) : new Set<string>();
      const hits = findIdentifiers(doc, {
        needles,
        name,
        skip: new Set(entry?.keptFields ?? []),
        allowKeyIn: allowed,
        subjectKey: request.subjectKey,
      });
      for (const field of hits) {
        if (!findings.some((f) => f.collection === collection && f.field === field))
          findings.push({ collection, field });
      }
    }
  }
  return { collections, documents, findings };
}
