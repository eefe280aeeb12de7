import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/**
 * One customer's conversation with one business: the persisted XState snapshot of its flow, and the
 * lease that keeps one process at a time working on it. No message history is kept here.
 */
export interface ConversationDoc {
  /** The customer reference (privacy/refs.ts): business + customer, hashed. */
  _id: string;
  phoneNumberId: string;
  flowId?: string;
  flowVersion?: number;
  /**
   * `actor.getPersistedSnapshot()`, sealed (src/privacy/sealing.ts, bound to `conversation:<_id>`): it
   * holds what the customer typed mid-flow (an address, a note, a corrected name).
   */
  sealedSnapshot?: string;
  /** Incremented by every save; a save with a stale version fails (optimistic concurrency). */
  version: number;
  /** Recent inbound wamids whose flow step is saved: a retried message is not applied twice. */
  processed: string[];
  lease?: { owner: string; until: Date };
  /** When the flow's pending deadline passes, the sweeper sends it `system.timeout`. */
  deadlineAt?: Date;
  lastInboundAt?: Date;
  /** When this conversation began (absent on conversations stored before it was recorded). */
  createdAt?: Date;
  updatedAt: Date;
  /** Idle conversations expire (TTL): the next message starts a fresh one. */
  expiresAt: Date;
}

const conversationSchema = new Schema<ConversationDoc>(
  {
    _id: { type: String, required: true },
    phoneNumberId: { type: String, required: true },
    flowId: String,
    flowVersion: Number,
    sealedSnapshot: String,
    version: { type: Number, default: 0 },
    processed: { type: [String], default: [] },
    lease: { owner: String, until: Date },
    deadlineAt: Date,
    lastInboundAt: Date,
    createdAt: Date,
    updatedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'conversations', versionKey: false },
);
conversationSchema.index({ deadlineAt: 1 }, { sparse: true });
conversationSchema.index({ phoneNumberId: 1 });
conversationSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** The sealing context of a conversation's snapshot: bound to its document, so it opens nowhere else. */
export const conversationContext = (id: string): string => `conversation:${id}`;

export type ConversationModel = Model<ConversationDoc>;

export function conversationModel(connection: Connection): ConversationModel {
  return (
    connection.models.Conversation ?? connection.model<ConversationDoc>('Conversation', conversationSchema)
  );
}
