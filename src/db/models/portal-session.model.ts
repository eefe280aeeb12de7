import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/**
 * A signed-in session of the business portal (src/portal/). The cookie holds a random session id; only its
 * SHA-256 is stored (`_id`), so a copy of the database grants no session. Holds no customer data and never
 * the key or token used to sign in: the actor is the operator or a business API key by its id.
 */
export interface PortalSession {
  /** Hex SHA-256 of the session id in the cookie. */
  _id: string;
  actor: { kind: 'operator' } | { kind: 'key'; id: string; phoneNumberId: string };
  /** The synchronizer token every form of this session posts back (CSRF). */
  csrf: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** The earlier of `lastSeenAt` + idle timeout and `createdAt` + maximum age (TTL; also checked on read). */
  expiresAt: Date;
}

const portalSessionSchema = new Schema<PortalSession>(
  {
    _id: { type: String, required: true },
    actor: {
      _id: false,
      kind: { type: String, enum: ['operator', 'key'], required: true },
      id: String,
      phoneNumberId: String,
    },
    csrf: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'portal_sessions', versionKey: false },
);
portalSessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type PortalSessionModel = Model<PortalSession>;

export function portalSessionModel(connection: Connection): PortalSessionModel {
  return (
    connection.models.PortalSession ?? connection.model<PortalSession>('PortalSession', portalSessionSchema)
  );
}
