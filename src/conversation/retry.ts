/**
 * When a message whose handling failed is tried again, and when it is given up on. The inbox keeps the time
 * (`retryAt`), so the schedule holds across processes and restarts; this module only computes it.
 */
export interface InboxRetryPolicy {
  /** Attempts before a message that keeps failing is parked as `failed` (counted, listed, never retried). */
  readonly maxAttempts: number;
  /** Wait after the first failure; it doubles with each further failure. */
  readonly baseDelayMs: number;
  /** The longest wait between two attempts. */
  readonly maxDelayMs: number;
}

/**
 * Eight attempts over about four minutes (2 s, 4 s, 8 s … 128 s, each with jitter): a database failover or a
 * short outage is ridden out, a message that fails for a reason of its own stops within minutes.
 */
export const DEFAULT_INBOX_RETRY: InboxRetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 2_000,
  maxDelayMs: 10 * 60_000,
};

/**
 * The wait before attempt `failedAttempts + 1`: exponential (base × 2^(n−1)), capped, with "equal jitter"
 * (half fixed, half random), so a burst of messages that failed together does not come back together while
 * none is retried sooner than half its step. `random` returns a number in [0, 1).
 */
export function retryDelayMs(
  failedAttempts: number,
  policy: InboxRetryPolicy,
  random: () => number = Math.random,
): number {
  const step = Math.max(0, Math.floor(failedAttempts) - 1);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(step, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** True when a message that failed its `attempts`th attempt is given up on (parked as `failed`). */
export function exhausted(attempts: number, policy: InboxRetryPolicy): boolean {
  return attempts >= policy.maxAttempts;
}
