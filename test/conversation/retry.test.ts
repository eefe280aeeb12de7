import { describe, expect, it } from 'vitest';
import { DEFAULT_INBOX_RETRY, exhausted, retryDelayMs } from '../../src/conversation/retry.js';

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('retryDelayMs', () => {
  it('when the jitter draws its extremes, then each wait lies between half and all of a doubling step', () => {
    const low = [1, 2, 3, 4].map((n) => retryDelayMs(n, policy, () => 0));
    const high = [1, 2, 3, 4].map((n) => retryDelayMs(n, policy, () => 0.999_999));

    expect(low).toEqual([50, 100, 200, 400]);
    expect(high).toEqual([100, 200, 400, 800]);
  });

  it('when failures pile up, then the wait stops growing at the cap (also for absurd counts)', () => {
    expect(retryDelayMs(5, policy, () => 0.999_999)).toBe(1_000);
    expect(retryDelayMs(500, policy, () => 0.999_999)).toBe(1_000);
    expect(retryDelayMs(500, policy, () => 0)).toBe(500);
  });

  it('when many messages fail together, then their waits are spread, not equal', () => {
    const waits = new Set(Array.from({ length: 20 }, () => retryDelayMs(3, policy)));

    expect(waits.size).toBeGreaterThan(1);
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(200);
      expect(wait).toBeLessThanOrEqual(400);
    }
  });
});

describe('exhausted', () => {
  it('when the last allowed attempt failed, then the message is given up on, not before', () => {
    expect([1, 2, 3, 4, 5].map((n) => exhausted(n, policy))).toEqual([false, false, false, true, true]);
  });

  it('when nothing is configured, then a message is tried several times over minutes, not forever', () => {
    const total = Array.from({ length: DEFAULT_INBOX_RETRY.maxAttempts - 1 }, (_, i) =>
      retryDelayMs(i + 1, DEFAULT_INBOX_RETRY, () => 0.999_999),
    ).reduce((a, b) => a + b, 0);

    expect(DEFAULT_INBOX_RETRY.maxAttempts).toBeGreaterThan(3);
    expect(total).toBeGreaterThan(60_000);
    expect(total).toBeLessThan(30 * 60_000);
  });
});
