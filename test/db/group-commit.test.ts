import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/db/group-commit.js';

/** A batch writer whose calls are held until released, recording each batch it got. */
function heldWriter(fail?: (items: number[]) => boolean) {
  const batches: number[][] = [];
  const waiting: Array<() => void> = [];
  const run = (items: number[]): Promise<string[]> => {
    batches.push(items);
    return new Promise((resolve, reject) => {
      waiting.push(() =>
        fail?.(items)
          ? reject(new Error(`batch ${items.join(',')} failed`))
          : resolve(items.map((i) => `r${i}`)),
      );
    });
  };
  const releaseNext = async (): Promise<void> => {
    while (waiting.length === 0) await new Promise((resolve) => setImmediate(resolve));
    waiting.shift()?.();
  };
  return { batches, run, releaseNext };
}

describe('group commit', () => {
  it('when writes are asked for in the same turn, then they leave as one batch and each caller gets its own results', async () => {
    const writer = heldWriter();
    const commit = new GroupCommit(writer.run);
    const calls = [commit.submit([1]), commit.submit([2, 3]), commit.submit([4])];
    await writer.releaseNext();
    expect(await Promise.all(calls)).toEqual([['r1'], ['r2', 'r3'], ['r4']]);
    expect(writer.batches).toEqual([[1, 2, 3, 4]]);
  });

  it('when a batch is in flight, then the writes asked for meanwhile wait for it and leave as one batch', async () => {
    const writer = heldWriter();
    const commit = new GroupCommit(writer.run);
    const first = commit.submit([1]);
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is now in flight
    const later = [commit.submit([2]), commit.submit([3]), commit.submit([4, 5])];
    await writer.releaseNext();
    expect(await first).toEqual(['r1']);
    await writer.releaseNext();
    expect(await Promise.all(later)).toEqual([['r2'], ['r3'], ['r4', 'r5']]);
    expect(writer.batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('when a batch fails, then every caller in it is refused and the next batch still runs', async () => {
    const writer = heldWriter((items) => items.includes(2));
    const commit = new GroupCommit(writer.run);
    const first = commit.submit([1]);
    await new Promise((resolve) => setImmediate(resolve));
    const failing = [commit.submit([2]), commit.submit([3])];
    await writer.releaseNext();
    await expect(first).resolves.toEqual(['r1']);
    await writer.releaseNext();
    await expect(failing[0]).rejects.toThrow('batch 2,3 failed');
    await expect(failing[1]).rejects.toThrow('batch 2,3 failed');
    const after = commit.submit([6]);
    await writer.releaseNext();
    await expect(after).resolves.toEqual(['r6']);
  });

  it('when more is waiting than one batch takes, then it leaves in batches of at most that many items', async () => {
    const writer = heldWriter();
    const commit = new GroupCommit(writer.run, 3);
    const first = commit.submit([0]);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [commit.submit([1, 2]), commit.submit([3]), commit.submit([4, 5])];
    for (let i = 0; i < 3; i += 1) await writer.releaseNext();
    await first;
    await Promise.all(rest);
    expect(writer.batches).toEqual([[0], [1, 2, 3], [4, 5]]);
  });
});
