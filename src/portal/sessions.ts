import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../admin/auth.js';
import { HOUR_MS, MINUTE_MS } from '../core/time.js';
import type { ApiKeyModel } from '../db/models/api-key.model.js';
import type { PortalSession, PortalSessionModel } from '../db/models/portal-session.model.js';

/** A session unused for this long ends (idle expiry). */
export const PORTAL_IDLE_MS = 30 * MINUTE_MS;
/** A session ends this long after sign-in, however active. */
export const PORTAL_MAX_AGE_MS = 12 * HOUR_MS;
/** `lastSeenAt` is written at most this often per session (not one write per page). */
const TOUCH_EVERY_MS = MINUTE_MS;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A new random token: 256 bits, base64url. */
export const randomToken = () => randomBytes(32).toString('base64url');

/**
 * Portal sessions, stored in MongoDB (`portal_sessions`, TTL on `expiresAt`) so every process of the bot
 * knows them and a restart signs nobody out. The cookie carries a random id; only its hash is stored.
 */
export class PortalSessions {
  private readonly now: () => number;

  constructor(
    private readonly deps: { PortalSession: PortalSessionModel; ApiKey: ApiKeyModel; now?: () => number },
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** Starts a session for the actor: the id for the cookie, and the stored record. */
  async create(actor: Actor): Promise<{ id: string; session: PortalSession }> {
    const id = randomToken();
    const at = new Date(this.now());
    const session: PortalSession = {
      _id: sha256(id),
      actor:
        actor.kind === 'operator'
          ? { kind: 'operator' }
          : { kind: 'key', id: actor.id, phoneNumberId: actor.phoneNumberId },
      csrf: randomToken(),
      createdAt: at,
      lastSeenAt: at,
      expiresAt: this.expiry(at, at),
    };
    await this.deps.PortalSession.create(session);
    return { id, session };
  }

  /**
   * The live session a cookie names, or null: unknown, idle or too old, or signed in with a key that has
   * since been revoked (the session ends with it). Extends the idle expiry.
   */
  async find(id: string | undefined): Promise<PortalSession | null> {
    if (!id || id.length > 100) return null;
    const _id = sha256(id);
    const session = await this.deps.PortalSession.findOne({ _id }).lean<PortalSession>().exec();
    const now = this.now();
    if (!session || session.expiresAt.getTime() <= now) return null;
    if (session.actor.kind === 'key') {
      const key = await this.deps.ApiKey.findOne({ _id: session.actor.id, revokedAt: null }, { _id: 1 })
        .lean()
        .exec();
      if (!key) {
        await this.deps.PortalSession.deleteOne({ _id }).exec();
        return null;
      }
    }
    if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      const seen = new Date(now);
      session.lastSeenAt = seen;
      session.expiresAt = this.expiry(session.createdAt, seen);
      await this.deps.PortalSession.updateOne(
        { _id },
        { $set: { lastSeenAt: seen, expiresAt: session.expiresAt } },
      ).exec();
    }
    return session;
  }

  /** Ends a session (sign-out). */
  async destroy(id: string | undefined): Promise<void> {
    if (!id) return;
    await this.deps.PortalSession.deleteOne({ _id: sha256(id) }).exec();
  }

  private expiry(createdAt: Date, lastSeenAt: Date): Date {
    return new Date(Math.min(lastSeenAt.getTime() + PORTAL_IDLE_MS, createdAt.getTime() + PORTAL_MAX_AGE_MS));
  }
}
