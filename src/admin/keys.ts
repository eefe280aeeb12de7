import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { days } from '../core/time.js';
import type { ApiKey, ApiKeyModel } from '../db/models/api-key.model.js';
import { REVOKED_KEY_RETENTION_DAYS } from '../db/models/api-key.model.js';
import { sameSecret } from '../security.js';

/** `lastUsedAt` is written at most this often per key (one write a minute, not one per request). */
const TOUCH_EVERY_MS = 60_000;
/** Active keys per business: enough for a till, a website and a few integrations. */
export const MAX_ACTIVE_KEYS = 20;

/**
 * A business API key as presented: `pk_<id>_<secret>`, the id 16 hex digits (64 random bits, public), the
 * secret 43 base64url characters (256 random bits, shown once).
 */
const KEY_PATTERN = /^pk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
export const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** Compared against when no key has the presented id, so that both cases take the same work. */
const NO_KEY_HASH = sha256('no such key');

export class TooManyKeysError extends Error {
  override name = 'TooManyKeysError';
}

/** What the admin API shows of a key: never the secret or its hash. */
export function keyView(key: ApiKey) {
  return {
    id: key._id,
    label: key.label,
    createdAt: key.createdAt.toISOString(),
    ...(key.lastUsedAt ? { lastUsedAt: key.lastUsedAt.toISOString() } : {}),
    ...(key.revokedAt ? { revokedAt: key.revokedAt.toISOString() } : {}),
  };
}

/**
 * Business API keys: made by the operator for one business, shown once, stored as the SHA-256 of their
 * secret; a key grants the admin API for its own business only (src/admin/auth.ts).
 */
export class ApiKeys {
  private readonly now: () => number;

  constructor(private readonly deps: { ApiKey: ApiKeyModel; logger: Logger; now?: () => number }) {
    this.now = deps.now ?? Date.now;
  }

  /** A new key for the business: the stored record, and the key itself (the only time it exists outside the caller). */
  async create(phoneNumberId: string, label: string): Promise<{ record: ApiKey; key: string }> {
    const active = await this.deps.ApiKey.countDocuments({ phoneNumberId, revokedAt: null }).exec();
    if (active >= MAX_ACTIVE_KEYS) {
      throw new TooManyKeysError(
        `a business may have at most ${MAX_ACTIVE_KEYS} active keys; revoke one before creating another`,
      );
    }
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const record: ApiKey = {
      _id: id,
      phoneNumberId,
      secretHash: sha256(secret),
      label,
      createdAt: new Date(this.now()),
    };
    await this.deps.ApiKey.create(record);
    this.deps.logger.info({ phoneNumberId, keyId: id }, 'api key created');
    return { record, key: `pk_${id}_${secret}` };
  }

  /** The business's keys, newest first, revoked ones included until their record expires. */
  async list(phoneNumberId: string): Promise<ApiKey[]> {
    return this.deps.ApiKey.find({ phoneNumberId }).sort({ createdAt: -1 }).lean<ApiKey[]>().exec();
  }

  /**
   * Revokes a key of this business at once (the next request with it is refused); repeating it changes
   * nothing. Null when the business has no key with that id.
   */
  async revoke(phoneNumberId: string, id: string): Promise<ApiKey | null> {
    const at = new Date(this.now());
    const revoked = await this.deps.ApiKey.findOneAndUpdate(
      { _id: id, phoneNumberId, revokedAt: null },
      { $set: { revokedAt: at, expiresAt: new Date(at.getTime() + days(REVOKED_KEY_RETENTION_DAYS)) } },
      { returnDocument: 'after' },
    )
      .lean<ApiKey>()
      .exec();
    if (revoked) {
      this.deps.logger.info({ phoneNumberId, keyId: id }, 'api key revoked');
      return revoked;
    }
    return this.deps.ApiKey.findOne({ _id: id, phoneNumberId }).lean<ApiKey>().exec();
  }

  /**
   * The active key a presented token is, or null: not of the key format, no such key, a wrong secret, or
   * revoked. The secret's hash is compared in constant time.
   */
  async verify(token: string): Promise<ApiKey | null> {
    const match = KEY_PATTERN.exec(token);
    if (!match?.[1] || !match[2]) return null;
    const id = match[1];
    const stored = await this.deps.ApiKey.findOne({ _id: id }).lean<ApiKey>().exec();
    const matches = sameSecret(sha256(match[2]), stored?.secretHash ?? NO_KEY_HASH);
    if (!stored || !matches || stored.revokedAt) return null;
    const now = this.now();
    if (!stored.lastUsedAt || now - stored.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
      await this.deps.ApiKey.updateOne(
        { _id: id, revokedAt: null },
        { $set: { lastUsedAt: new Date(now) } },
      ).exec();
    }
    return stored;
  }
}
