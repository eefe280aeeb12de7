import { OPEN_STATUSES } from '../db/models/privacy-request.model.js';
import type { PrivacyRequest } from '../db/models/privacy-request.model.js';
import { requestSummary } from './service.js';

/**
 * What the admin API and the portal show of a request: no subject key, no token hashes, no sealed identifiers.
 * Its own module so the privacy routes and the portal's privacy page share it without importing each other.
 */
export function requestView(r: PrivacyRequest, now: number) {
  return {
    ...requestSummary(r),
    overdue: (OPEN_STATUSES as readonly string[]).includes(r.status) && r.dueAt.getTime() < now,
    ...(r.confirmedAt ? { confirmedAt: r.confirmedAt.toISOString() } : {}),
    ...(r.fields ? { fields: r.fields } : {}),
    ...(r.receipt
      ? {
          receipt: {
            lines: r.receipt.lines.map((l) => ({
              collection: l.collection,
              deleted: l.deleted,
              anonymised: l.anonymised,
              kept: l.kept,
              ...(l.basis ? { basis: l.basis } : {}),
              ...(l.keptUntil ? { keptUntil: l.keptUntil.toISOString() } : {}),
            })),
            scan: r.receipt.scan,
            sha256: r.receipt.sha256,
          },
        }
      : {}),
    ...(r.failure ? { failure: r.failure } : {}),
  };
}
