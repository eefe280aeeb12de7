import { describe, expect, it } from 'vitest';
import type { AnyBulkWriteOperation } from 'mongodb';
import { outboxInserts } from '../../src/conversation/replies.js';
import { checkedUpdates, GroupCommit } from '../../src/db/group-commit.js';
import type { OutboxEntry, OutboxModel } from '../../src/db/models/outbox.model.js';

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

describe('group commit: a batch that never settles', () => {
  it('when a batch hangs past the timeout, then its callers are refused and the next batch still runs', async () => {
    let calls = 0;
    const commit = new GroupCommit<number, number>(
      (items) => {
        calls += 1;
        // The first batch never settles (a stuck write); the next answers at once.
        return calls === 1 ? new Promise<number[]>(() => undefined) : Promise.resolve(items);
      },
      10,
      50,
    );
    await expect(commit.submit([1])).rejects.toThrow('did not settle within 50 ms');
    await expect(commit.submit([2])).resolves.toEqual([2]);
  });
});

interface Doc {
  _id: string;
  v: number;
}

describe('checked updates', () => {
  /** A stand-in collection: the bulk write matches only the updates `matches` allows; `find` returns `docs`. */
  function collection(
    matches: (filter: { _id: string }) => boolean,
    docs: Array<{ _id: string; v: number }>,
  ) {
    const reads: unknown[] = [];
    return {
      reads,
      bulkWrite: (ops: AnyBulkWriteOperation<Doc>[]) =>
        Promise.resolve({
          matchedCount: ops.filter(
            (op) => 'updateOne' in op && matches(op.updateOne.filter as { _id: string }),
          ).length,
        }),
      find: (filter: unknown) => {
        reads.push(filter);
        return { toArray: () => Promise.resolve(docs) };
      },
    };
  }

  it('when every update of a batch matches, then each caller hears true without a read', async () => {
    const c = collection(() => true, []);
    const save = checkedUpdates<Doc>(c);
    const results = await Promise.all(
      ['a', 'b'].map((id) =>
        save({ id, filter: { _id: id }, update: { $inc: { v: 1 } }, applied: () => false }),
      ),
    );
    expect(results).toEqual([true, true]);
    expect(c.reads).toEqual([]);
  });

  it('when one update of a batch did not match, then the documents are read back and each caller is told by its own check', async () => {
    const c = collection(
      (filter) => filter._id === 'a',
      [
        { _id: 'a', v: 2 },
        { _id: 'b', v: 7 },
      ],
    );
    const save = checkedUpdates<Doc>(c);
    const results = await Promise.all([
      save({ id: 'a', filter: { _id: 'a' }, update: { $set: { v: 2 } }, applied: (doc) => doc.v === 2 }),
      save({ id: 'b', filter: { _id: 'b' }, update: { $set: { v: 2 } }, applied: (doc) => doc.v === 2 }),
      save({ id: 'gone', filter: { _id: 'gone' }, update: { $set: { v: 2 } }, applied: () => true }),
    ]);
    expect(results).toEqual([true, false, false]);
    expect(c.reads).toHaveLength(1);
  });
});

describe('outbox inserts grouped across steps', () => {
  it('when some records of a batch were stored before, then only their steps hear it; any other failure fails the batch', async () => {
    let failure: (Error & { writeErrors: unknown[] }) | undefined;
    const Outbox = {
      insertMany: () => (failure ? Promise.reject(failure) : Promise.resolve([])),
    } as unknown as OutboxModel;
    const inserts = outboxInserts(Outbox);
    const record = (n: number) => ({ seq: n }) as unknown as OutboxEntry;

    failure = Object.assign(new Error('bulk write'), { writeErrors: [{ code: 11000, index: 1 }] });
    const [first, second] = await Promise.all([
      inserts.submit([record(0)]),
      inserts.submit([record(1), record(2)]),
    ]);
    expect(first).toEqual([false]);
    expect(second).toEqual([true, false]);

    failure = Object.assign(new Error('bulk write'), {
      writeErrors: [
        { code: 11000, index: 0 },
        { code: 121, index: 1 },
      ],
    });
    await expect(inserts.submit([record(3), record(4)])).rejects.toBe(failure);
  });
});
