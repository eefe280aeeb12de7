import type { AnyBulkWriteOperation, Document, Filter, UpdateFilter } from 'mongodb';
/**
 * Group commit: writes asked for while an earlier batch is in flight wait for it, then go together in one
 * call (one round trip, one bulk command), and each caller gets the results of its own items. Nothing is
 * added at low load: a write with nothing in flight leaves at once (after the current turn of the event
 * loop, so callers of the same turn share it). Under load, batches grow with the round trip, so commands
 * per item fall as the rate rises, which is what lets the database keep up.
 *
 * Written here rather than taken from a library: the known batching libraries (dataloader and the like)
 * batch reads per tick by key and cache; this needs "one batch in flight, the next collects meanwhile",
 * per-caller slices of the outcome, and a batch failing as a whole to every caller in it.
 */
export class GroupCommit<I, O> {
  private queue: Array<{ items: readonly I[]; resolve: (out: O[]) => void; reject: (err: unknown) => void }> =
    [];
  private inFlight = false;

  /**
   * `run` writes a batch and returns one result per item, in order; it throws when the batch failed as a
   * whole (every caller in it is refused with that error). `maxItems` bounds one batch.
   */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxItems = 1_000,
    /**
     * A batch that has not settled after this long fails for its callers (and the next batch goes): one
     * stuck write must not stall every later write of its kind. Safe, because each caller handles it as the
     * failure of its own write, which it retries (a write that lands late is found by its key then).
     */
    private readonly timeoutMs = 30_000,
  ) {}

  /** Writes `items` with whatever else is waiting; resolves with their results, in order. */
  submit(items: readonly I[]): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<O[]>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      if (!this.inFlight) {
        this.inFlight = true;
        queueMicrotask(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch: typeof this.queue = [];
      let count = 0;
      // At least one caller per batch, however many items it brings; then up to `maxItems` in all.
      while (this.queue.length > 0) {
        const next = this.queue[0];
        if (!next || (batch.length > 0 && count + next.items.length > this.maxItems)) break;
        batch.push(next);
        count += next.items.length;
        this.queue.shift();
      }
      const items = batch.flatMap((caller) => caller.items);
      try {
        const out = await withTimeout(this.run(items), this.timeoutMs);
        if (out.length !== items.length) throw new Error('group commit: one result per item expected');
        let at = 0;
        for (const caller of batch) {
          caller.resolve(out.slice(at, at + caller.items.length));
          at += caller.items.length;
        }
      } catch (err) {
        for (const caller of batch) caller.reject(err);
      }
    }
    this.inFlight = false;
  }
}

/** `work`, or a rejection once `ms` passed without it settling. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`group commit: the batch did not settle within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The part of a driver collection a bulk updater needs. */
interface BulkWritable<T extends Document> {
  bulkWrite(operations: AnyBulkWriteOperation<T>[], options: { ordered: false }): Promise<unknown>;
}

/**
 * Updates whose callers need no per-update result (marking a message done, letting a lease go), grouped
 * into one unordered `bulkWrite` per batch (`GroupCommit`). A failed batch fails every caller in it, who
 * handles it as the failure of their own update.
 */
export function bulkUpdates<T extends Document>(
  collection: BulkWritable<T>,
  maxItems = 500,
): (filter: Filter<T>, update: UpdateFilter<T>) => Promise<void> {
  const commit = new GroupCommit<AnyBulkWriteOperation<T>, undefined>(async (ops) => {
    await collection.bulkWrite(ops, { ordered: false });
    return ops.map(() => undefined);
  }, maxItems);
  return async (filter, update) => {
    await commit.submit([{ updateOne: { filter, update } }]);
  };
}

/** The part of a collection a checked bulk updater needs: the bulk write, and a read of what it wrote. */
interface CheckedWritable<T extends Document> {
  bulkWrite(
    operations: AnyBulkWriteOperation<T>[],
    options: { ordered: false },
  ): Promise<{ matchedCount: number }>;
  find(filter: Filter<T>): { toArray(): Promise<T[]> };
}

/** One conditional update and how to tell, from the document afterwards, that it was this update that applied. */
export interface CheckedUpdate<T extends Document> {
  id: unknown;
  filter: Filter<T>;
  update: UpdateFilter<T>;
  /** True when the document as it now is shows this update applied (e.g. its new version and owner). */
  applied: (doc: T) => boolean;
}

/**
 * Conditional updates whose callers need to know whether theirs matched (a save conditioned on the version
 * read), grouped into one unordered `bulkWrite` per batch. A bulk write reports only how many matched in
 * all: when that is every update, each caller gets `true`; otherwise the documents are read back and each
 * update's `applied` decides (one more round trip, only when some condition failed: a lost lease).
 */
export function checkedUpdates<T extends Document>(
  collection: CheckedWritable<T>,
  maxItems = 500,
): (update: CheckedUpdate<T>) => Promise<boolean> {
  const commit = new GroupCommit<CheckedUpdate<T>, boolean>(async (updates) => {
    const result = await collection.bulkWrite(
      updates.map(({ filter, update }) => ({ updateOne: { filter, update } })),
      { ordered: false },
    );
    if (result.matchedCount === updates.length) return updates.map(() => true);
    const ids = updates.map((u) => u.id);
    const docs = await collection.find({ _id: { $in: ids } } as Filter<T>).toArray();
    const byId = new Map(docs.map((doc) => [String(doc._id), doc]));
    return updates.map((u) => {
      const doc = byId.get(String(u.id));
      return doc !== undefined && u.applied(doc);
    });
  }, maxItems);
  return async (update) => {
    const [matched] = await commit.submit([update]);
    return matched === true;
  };
}
