import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/** How long a revoked key's record is kept (its id stays explainable in the settings-change audit). */
export const REVOKED_KEY_RETENTION_DAYS = 90;

/**
 * A business's API key for the admin API (src/admin/keys.ts). The key itself (`pk_<id>_<secret>`) is shown
 * once when it is created; only the SHA-256 of its secret is stored, so a copy of the database grants
 * nothing. Holds no personal data.
 */
export interface ApiKey {
  /** The key id: public (it names the key in lists and in the audit), 16 hex digits. */
  _id: string;
  phoneNumberId: string;
  /** Hex SHA-256 of the secret part. A 256-bit random secret needs no salt or slow hash. */
  secretHash: string;
  /** What the business calls it ("till", "website"). */
  label: string;
  createdAt: Date;
  /** Updated at most once a minute. */
  lastUsedAt?: Date;
  revokedAt?: Date;
  /** Set on revocation: `revokedAt` + REVOKED_KEY_RETENTION_DAYS (TTL). Active keys have none. */
  expiresAt?: Date;
}

const apiKeySchema = new Schema<ApiKey>(
  {
    _id: { type: String, required: true },
    phoneNumberId: { type: String, required: true },
    secretHash: { type: String, required: true },
    label: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: Date,
    revokedAt: Date,
    expiresAt: Date,
  },
  { collection: 'api_keys', versionKey: false },
);
apiKeySchema.index({ phoneNumberId: 1, createdAt: -1 });
apiKeySchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type ApiKeyModel = Model<ApiKey>;

export function apiKeyModel(connection: Connection): ApiKeyModel {
  return connection.models.ApiKey ?? connection.model<ApiKey>('ApiKey', apiKeySchema);
}
