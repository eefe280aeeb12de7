import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/**
 * A named sequence (e.g. `order:<phoneNumberId>`), advanced with one atomic `$inc` + upsert: every caller
 * gets its own value, also across processes, without a read-modify-write race. Holds no personal data.
 */
export interface CounterDoc {
  _id: string;
  /** The last value handed out (the first `$inc` on a missing counter creates it at 1). */
  seq: number;
}

const counterSchema = new Schema<CounterDoc>(
  {
    _id: { type: String, required: true },
    // No default: an upsert's `$inc` creates it, and a default would conflict with that `$inc`.
    seq: { type: Number, required: true },
  },
  { collection: 'counters', versionKey: false },
);

export type CounterModel = Model<CounterDoc>;

export function counterModel(connection: Connection): CounterModel {
  return connection.models.Counter ?? connection.model<CounterDoc>('Counter', counterSchema);
}
