import { createHmac } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { isDuplicateKey } from './db/errors.js';
import type { RateLimitModel } from './db/models/rate-limit.model.js';

/**
 * express-rate-limit's `Store` over our MongoDB connection (`rate_limits`): a fixed window per key, counted
 * with atomic `$inc`, so every process of the bot sees one count. Written here rather than taken from npm:
 * the one MongoDB store for express-rate-limit (rate-limit-mongo 2.3) depends on the mongodb driver 3.x
 * and opens its own connection; this one uses the bot's connection and driver 7.
 *
 * A window starts with the first hit and ends `windowMs` later; a TTL index removes ended windows, and
 * every read ignores one that ended but is not removed yet.
 */
export class MongoRateLimitStore implements Store {
  /** Counts live in the database: another instance of this store sees the same keys. */
  readonly localKeys = false;
  private windowMs = 60_000;
  private readonly now: () => number;

  constructor(
    private readonly deps: { RateLimit: RateLimitModel; now?: () => number },
    readonly prefix: string,
  ) {
    this.now = deps.now ?? Date.now;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const doc = await this.deps.RateLimit.findOne({
      _id: this.id(key),
      resetAt: { $gt: new Date(this.now()) },
    })
      .lean()
      .exec();
    return doc ? { totalHits: doc.hits, resetTime: doc.resetAt } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const _id = this.id(key);
    // Two steps, each atomic: count in the live window, or else start a new one. Two processes starting the
    // same window race on the upsert; the loser's insert fails on `_id` and it counts in the winner's window.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const now = this.now();
      const live = await this.deps.RateLimit.findOneAndUpdate(
        { _id, resetAt: { $gt: new Date(now) } },
        { $inc: { hits: 1 } },
        { returnDocument: 'after' },
      )
        .lean()
        .exec();
      if (live) return { totalHits: live.hits, resetTime: live.resetAt };
      try {
        const fresh = await this.deps.RateLimit.findOneAndUpdate(
          { _id, resetAt: { $lte: new Date(now) } },
          { $set: { hits: 1, resetAt: new Date(now + this.windowMs) } },
          { upsert: true, returnDocument: 'after' },
        )
          .lean()
          .exec();
        if (fresh) return { totalHits: fresh.hits, resetTime: fresh.resetAt };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    throw new Error('rate limit window kept changing under concurrent writes');
  }

  async decrement(key: string): Promise<void> {
    await this.deps.RateLimit.updateOne(
      { _id: this.id(key), resetAt: { $gt: new Date(this.now()) }, hits: { $gt: 0 } },
      { $inc: { hits: -1 } },
    ).exec();
  }

  async resetKey(key: string): Promise<void> {
    await this.deps.RateLimit.deleteOne({ _id: this.id(key) }).exec();
  }

  private id(key: string): string {
    return `${this.prefix}:${key}`;
  }
}

export interface AddressLimitOptions {
  /** Names the limit in the stored keys; limits with one name share their counts. */
  name: string;
  /** Requests (or, with `onlyFailures`, failed requests) allowed per address and window. */
  limit: number;
  windowMs: number;
  /** Count only requests answered with a status of 400 or more (sign-in failures). */
  onlyFailures?: boolean;
  /** Answers a refused request; `retryAfterSeconds` until the window ends. */
  refuse: (req: Request, res: Response, next: NextFunction, retryAfterSeconds: number) => void;
}

/** Makes per-address limits; each handler counts in MongoDB, shared by every process. */
export type AddressLimits = (options: AddressLimitOptions) => RequestHandler;

/**
 * Per-client-address limits with express-rate-limit and the MongoDB store above. The address is
 * `req.ip`, so TRUST_PROXY decides whether `X-Forwarded-For` counts; IPv6 addresses count per /56 as
 * express-rate-limit advises; the stored key is an HMAC of it with the privacy pepper, so the database holds
 * no client address.
 */
export function addressLimits(deps: {
  RateLimit: RateLimitModel;
  pepper: string;
  logger: Logger;
  now?: () => number;
}): AddressLimits {
  const store = { RateLimit: deps.RateLimit, ...(deps.now ? { now: deps.now } : {}) };
  const log = deps.logger.child({ component: 'rate-limit' });
  return (options) =>
    rateLimit({
      windowMs: options.windowMs,
      limit: options.limit,
      skipSuccessfulRequests: options.onlyFailures ?? false,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      store: new MongoRateLimitStore(store, options.name),
      keyGenerator: (req) =>
        createHmac('sha256', deps.pepper)
          .update(ipKeyGenerator(req.ip ?? 'unknown', 56))
          .digest('base64url'),
      // express-rate-limit has set Retry-After (and the RateLimit headers) by now.
      handler: (req, res, next) => {
        const info = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit;
        const ms = (info?.resetTime?.getTime() ?? Date.now() + options.windowMs) - Date.now();
        options.refuse(req, res, next, Math.max(1, Math.ceil(ms / 1000)));
      },
      // Its configuration warnings (an X-Forwarded-For header while TRUST_PROXY trusts nobody) go to our log.
      logger: {
        error: (err: unknown, message?: string) => log.error({ err }, message ?? 'rate limiter error'),
        warn: (err: unknown, message?: string) => log.warn({ err }, message ?? 'rate limiter warning'),
      },
    });
}
