import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';

export type AiCallOutcome = 'answer' | 'order' | 'unknown' | 'invalid' | 'timeout' | 'error';

/**
 * One call to the AI provider, for the business's transparency and the daily budget: who it was for (the
 * customer's keyed reference, so it can be shown in their export and erased with their data), when, why,
 * which model, how many tokens, and what came of it. Never the prompt or the reply.
 */
export interface AiCall {
  _id: Types.ObjectId;
  phoneNumberId: string;
  customerRef: string;
  at: Date;
  purpose: 'interpret';
  model: string;
  promptTokens: number;
  completionTokens: number;
  outcome: AiCallOutcome;
  durationMs: number;
  expiresAt: Date;
}

export const AI_CALL_RETENTION_DAYS = 365;

const aiCallSchema = new Schema<AiCall>(
  {
    phoneNumberId: { type: String, required: true },
    customerRef: { type: String, required: true },
    at: { type: Date, required: true },
    purpose: { type: String, enum: ['interpret'], required: true },
    model: { type: String, required: true },
    promptTokens: { type: Number, default: 0 },
    completionTokens: { type: Number, default: 0 },
    outcome: {
      type: String,
      enum: ['answer', 'order', 'unknown', 'invalid', 'timeout', 'error'],
      required: true,
    },
    durationMs: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'ai_calls', versionKey: false },
);
aiCallSchema.index({ phoneNumberId: 1, at: -1 });
aiCallSchema.index({ customerRef: 1 });
aiCallSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type AiCallModel = Model<AiCall>;

export function aiCallModel(connection: Connection): AiCallModel {
  return connection.models.AiCall ?? connection.model<AiCall>('AiCall', aiCallSchema);
}
