/**
 * The webhook's load-shedding parts on their own (src/webhook/overload.ts): the store slots with their
 * bounded queue and bounded wait, and the inbox backlog read as a shared, short-lived count. No database, no
 * wall clock: the backlog's clock is a number the test moves, the queue's wait runs on fake timers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InboxBacklog, IntakeSlots } from '../../src/webhook/overload.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('IntakeSlots', () => {
  it('when every slot is taken, then a body waits in the queue and gets the slot freed by release', async () => {
    const slots = new IntakeSlots(1, 1, 60_000);
    expect(await slots.acquire()).toBe(true);

    const waiting = slots.acquire();
    expect(slots.waiting).toBe(1);
    slots.release();

    expect(await waiting).toBe(true);
    expect(slots.active).toBe(1);
    expect(slots.waiting).toBe(0);
    slots.release();
    expect(slots.active).toBe(0);
  });

  it('when the queue is full too, then the next body is refused at once', async () => {
    const slots = new IntakeSlots(1, 1, 60_000);
    await slots.acquire();
    const queued = slots.acquire();

    expect(await slots.acquire()).toBe(false);
    slots.release();
    expect(await queued).toBe(true);
  });

  it('when no slot frees within the wait, then the waiting body is refused and leaves the queue', async () => {
    vi.useFakeTimers();
    const slots = new IntakeSlots(1, 4, 1_000);
    await slots.acquire();
    const waiting = slots.acquire();

    await vi.advanceTimersByTimeAsync(1_000);

    expect(await waiting).toBe(false);
    expect(slots.waiting).toBe(0);
    // The slot freed later goes back to the pool, not to the body that gave up.
    slots.release();
    expect(slots.active).toBe(0);
  });
});

describe('InboxBacklog', () => {
  function backlogWith(counts: number[], limit = 10) {
    let clock = 0;
    const calls: number[] = [];
    const backlog = new InboxBacklog({
      count: (cap) => {
        calls.push(cap);
        const next = counts.shift();
        return next === undefined ? Promise.reject(new Error('database down')) : Promise.resolve(next);
      },
      limit,
      maxAgeMs: 500,
      now: () => clock,
    });
    return { backlog, calls, advance: (ms: number) => (clock += ms) };
  }

  it('when the count reaches the limit, then over; a new count is read only once the last is old', async () => {
    const { backlog, calls, advance } = backlogWith([10, 3]);

    expect(await backlog.over()).toBe(true);
    advance(499);
    expect(await backlog.over()).toBe(true);
    expect(calls).toEqual([10]); // one count, reading at most `limit` entries
    advance(1);

    expect(await backlog.over()).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it('when requests arrive while a count is read, then they share it', async () => {
    const { backlog, calls } = backlogWith([4]);

    const answers = await Promise.all([backlog.over(), backlog.over(), backlog.over()]);

    expect(answers).toEqual([false, false, false]);
    expect(calls).toHaveLength(1);
  });

  it('when this process stores messages between counts, then they count at once', async () => {
    const { backlog } = backlogWith([8]);
    expect(await backlog.over()).toBe(false);

    backlog.added(2);

    expect(await backlog.over()).toBe(true);
  });

  it('when the count fails, then the backlog is not taken as over (the store decides)', async () => {
    const { backlog } = backlogWith([]);

    expect(await backlog.over()).toBe(false);
    backlog.added(50);
    expect(await backlog.over()).toBe(false);
  });
});
