/**
 * Fault injection for the conversation engine's end-to-end tests: makes one write of one conversation fail
 * once, as a database error or a crash would, at a point between a step's effects and its saved snapshot.
 * It wraps the model methods the engine calls (the models object is shared by the running bot), so the
 * real engine, flow and effects run; only that one write throws.
 */
import type { Models } from '../../src/db/models/index.js';

/**
 * Where the step fails: storing its replies in the outbox (the effects ran, no reply is stored), or saving
 * the conversation's snapshot (effects ran and replies are stored, the conversation does not move on).
 */
export type FaultPoint = 'outbox-insert' | 'snapshot-save';

export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

export interface FaultInjector {
  /** The next write at `point` for this conversation (its customer reference) fails, once. */
  arm(point: FaultPoint, conversation: string): void;
  /** Faults that fired so far (a test checks its fault really happened). */
  readonly fired: number;
  /** Puts the model methods back. */
  restore(): void;
}

export function injectFaults(models: Models): FaultInjector {
  const { Conversation, Outbox } = models;
  const armed = new Map<FaultPoint, string>();
  let fired = 0;
  const fire = (point: FaultPoint, conversation: unknown): void => {
    if (conversation === undefined || armed.get(point) !== conversation) return;
    armed.delete(point);
    fired += 1;
    throw new InjectedFault(`injected fault at ${point}`);
  };

  const updateOne = Object.getOwnPropertyDescriptor(Conversation, 'updateOne');
  // The methods as found (mongoose's own, inherited), called below with their model as `this`.
  const saveSnapshot = Reflect.get(Conversation, 'updateOne') as (...args: unknown[]) => unknown;
  Conversation.updateOne = function (...args: unknown[]): unknown {
    const filter = args[0] as { _id?: unknown; version?: unknown } | undefined;
    // The snapshot save is the update conditioned on the version read (lease writes have no version).
    if (filter?.version !== undefined) fire('snapshot-save', filter._id);
    return Reflect.apply(saveSnapshot, Conversation, args);
  } as unknown as typeof Conversation.updateOne;

  // The engine saves snapshots of every conversation finishing at once in one bulk write on the collection:
  // a batch holding the armed conversation's save fails as a whole, as a failed write of it would.
  const collection = Conversation.collection as unknown as Record<string, unknown>;
  const bulkWrite = Object.getOwnPropertyDescriptor(collection, 'bulkWrite');
  const bulkSave = Reflect.get(collection, 'bulkWrite') as (...args: unknown[]) => unknown;
  collection.bulkWrite = function (...args: unknown[]): unknown {
    const ops = args[0] as Array<{ updateOne?: { filter?: { _id?: unknown; version?: unknown } } }>;
    for (const op of Array.isArray(ops) ? ops : []) {
      const filter = op.updateOne?.filter;
      if (filter?.version !== undefined) fire('snapshot-save', filter._id);
    }
    return Reflect.apply(bulkSave, collection, args);
  };

  const insertMany = Object.getOwnPropertyDescriptor(Outbox, 'insertMany');
  const insertOutbox = Reflect.get(Outbox, 'insertMany') as (...args: unknown[]) => unknown;
  Outbox.insertMany = function (...args: unknown[]): unknown {
    const docs = args[0];
    const mine = Array.isArray(docs)
      ? (docs as Array<{ customerRef?: unknown }>).find(
          (doc) => doc.customerRef === armed.get('outbox-insert'),
        )
      : undefined;
    // Replies to the customer and notices to the staff go in one insert: it fails as a whole.
    if (mine) fire('outbox-insert', mine.customerRef);
    return Reflect.apply(insertOutbox, Outbox, args);
  } as unknown as typeof Outbox.insertMany;

  return {
    arm: (point, conversation) => armed.set(point, conversation),
    get fired() {
      return fired;
    },
    restore() {
      if (updateOne) Object.defineProperty(Conversation, 'updateOne', updateOne);
      else Reflect.deleteProperty(Conversation, 'updateOne');
      if (bulkWrite) Object.defineProperty(collection, 'bulkWrite', bulkWrite);
      else Reflect.deleteProperty(collection, 'bulkWrite');
      if (insertMany) Object.defineProperty(Outbox, 'insertMany', insertMany);
      else Reflect.deleteProperty(Outbox, 'insertMany');
    },
  };
}
