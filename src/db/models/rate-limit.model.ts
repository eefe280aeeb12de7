import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/**
 * One client's hits in one fixed window of one per-address limit (src/rate-limit.ts), shared by every
 * process of the bot. The client is named by a keyed hash of its network address, never the address itself.
 */
export interface RateLimitHits {
  /** `<limit name>:<HMAC-SHA256(pepper, address)>`. */
  _id: string;
  hits: number;
  /** When the window ends and the count starts again (TTL; also checked on every read). */
  resetAt: Date;
}

const rateLimitSchema = new Schema<RateLimitHits>(
  {
    _id: { type: String, required: true },
    hits: { type: Number, required: true },
    resetAt: { type: Date, required: true },
  },
  { collection: 'rate_limits', versionKey: false },
);
rateLimitSchema.index({ resetAt: 1 }, { expireAfterSeconds: 0 });

export type RateLimitModel = Model<RateLimitHits>;

export function rateLimitModel(connection: Connection): RateLimitModel {
  return connection.models.RateLimit ?? connection.model<RateLimitHits>('RateLimit', rateLimitSchema);
}
