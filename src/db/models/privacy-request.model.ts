import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

export const PRIVACY_REQUEST_TYPES = ['access', 'correction', 'erasure', 'opt-out', 'opt-in'] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];

export const PRIVACY_REQUEST_STATUSES = [
  'received',
  'awaiting_confirmation',
  'in_progress',
  'completed',
  'failed',
  'cancelled',
] as const;
export type PrivacyRequestStatus = (typeof PRIVACY_REQUEST_STATUSES)[number];
/** Statuses of a request still being handled: a repeated request returns it instead of opening another. */
export const OPEN_STATUSES: readonly PrivacyRequestStatus[] = [
  'received',
  'awaiting_confirmation',
  'in_progress',
];

export type PrivacyChannel = 'chat' | 'meta-callback' | 'admin';

/** Per-collection outcome of an erasure, as the receipt shows it. No values, only counts. */
export interface ReceiptLine {
  collection: string;
  deleted: number;
  anonymised: number;
  kept: number;
  /** Why what was kept is kept, and until when. */
  basis?: string;
  keptUntil?: Date;
  /** Orders: open orders the business had not started, cancelled by the erasure (order numbers). */
  cancelledOrders?: number[];
  /** Orders: open orders under way, kept with what their handover needs until finished (order numbers). */
  handoverOrders?: number[];
  /** Appointments: future ones cancelled by the erasure (their numbers, "A-1042"). */
  cancelledAppointments?: string[];
}

export interface PrivacyReceipt {
  lines: ReceiptLine[];
  /** The verification scan: collections scanned, and where an identifier was still found (field paths only). */
  scan: { collections: number; documents: number; findings: Array<{ collection: string; field: string }> };
  software: string;
  /** SHA-256 of the receipt's canonical JSON, for the business's accountability records. */
  sha256: string;
}

/**
 * One step of an erasure (one collection), recorded as it finishes, so a crashed job resumes after the last
 * one done. Counts are the run's that finished the step (a step re-run after a crash counts what was left).
 */
export interface ErasureStep extends ReceiptLine {
  name: string;
  done: boolean;
  /** Records deleted or anonymised. */
  count: number;
  at?: Date;
}

/**
 * A data subject request, handled for one business (the controller). Holds no personal data: the subject
 * is `subjectKey` (the customer's keyed hash, privacy/refs.ts), and the identifiers an erasure needs to
 * verify itself and to answer are sealed in `identifiers` only while it runs, then removed.
 */
export interface PrivacyRequest {
  /** `pr_` + random. */
  _id: string;
  type: PrivacyRequestType;
  /** The business the request is addressed to; empty for a Meta callback (app-wide, no business). */
  phoneNumberId: string;
  subjectKey: string;
  channel: PrivacyChannel;
  status: PrivacyRequestStatus;
  /** Present while the request is open: with the unique index, one open request per subject and type. */
  open?: boolean;
  /** Short, alphanumeric, given to the customer (and to Meta): `DSRXXXXXXXXXX`. */
  confirmationCode: string;
  /** SHA-256 of the single-use confirmation token carried by the *Delete* button. */
  confirmTokenHash?: string;
  confirmTokenExpiresAt?: Date;
  /** SHA-256 of the status page token (Meta callback); the token itself is never stored. */
  statusTokenHash?: string;
  receivedAt: Date;
  /** received + 30 days (GDPR Art. 12(3): one month). */
  dueAt: Date;
  confirmedAt?: Date;
  /** When the erasure job first ran: records created later are a new contact, not erased or scanned. */
  startedAt?: Date;
  completedAt?: Date;
  /** Field names a correction changed (never their values). */
  fields?: string[];
  steps: ErasureStep[];
  /** Sealed identifiers ({ waId, userId, name }) an erasure needs until it finishes. */
  identifiers?: string;
  /** The process working on the erasure, until when (a crashed worker's lease runs out; another resumes). */
  lease?: { owner: string; until: Date };
  attempts: number;
  receipt?: PrivacyReceipt;
  /** What went wrong (no personal data), when status is `failed`. */
  failure?: string;
  /**
   * The chat step that last acted on this request: its idempotency key (a keyed hash of the inbound message
   * id and the effect; src/conversation/flows.ts). Unique: the step run again after a failure finds the
   * request it opened or decided, instead of opening another or finding its own decision stale.
   */
  stepKey?: string;
  /**
   * A correction only: SHA-256 of the sealed profile the change was computed from, written before the
   * profile is. A retried step that finds the stored profile different knows its change is in (the sealed
   * value changes with every write) and does not apply it twice. A hash of ciphertext: no personal data.
   */
  appliedTo?: string;
  /**
   * An erasure asked for in chat: the language of the conversation (`en`, `es`…), in which the receipt is
   * written after the conversation itself is deleted. A language code, not personal data.
   */
  language?: string;
  /** Requests and receipts are kept three years (accountability), then deleted (TTL). */
  expiresAt: Date;
}

export const PRIVACY_REQUEST_RETENTION_DAYS = 3 * 365;

const receiptLineFields = {
  collection: String,
  deleted: Number,
  anonymised: Number,
  kept: Number,
  basis: String,
  keptUntil: Date,
  cancelledOrders: { type: [Number], default: undefined },
  handoverOrders: { type: [Number], default: undefined },
  cancelledAppointments: { type: [String], default: undefined },
};

const receiptSchema = new Schema<PrivacyReceipt>(
  {
    lines: [new Schema<ReceiptLine>(receiptLineFields, { _id: false, suppressReservedKeysWarning: true })],
    scan: {
      collections: Number,
      documents: Number,
      findings: [
        new Schema({ collection: String, field: String }, { _id: false, suppressReservedKeysWarning: true }),
      ],
    },
    software: String,
    sha256: String,
  },
  { _id: false },
);

const privacyRequestSchema = new Schema<PrivacyRequest>(
  {
    _id: { type: String, required: true },
    type: { type: String, enum: PRIVACY_REQUEST_TYPES, required: true },
    phoneNumberId: { type: String, default: '' },
    subjectKey: { type: String, required: true },
    channel: { type: String, enum: ['chat', 'meta-callback', 'admin'], required: true },
    status: { type: String, enum: PRIVACY_REQUEST_STATUSES, required: true },
    open: Boolean,
    confirmationCode: { type: String, required: true },
    confirmTokenHash: String,
    confirmTokenExpiresAt: Date,
    statusTokenHash: String,
    receivedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    confirmedAt: Date,
    startedAt: Date,
    completedAt: Date,
    fields: { type: [String], default: undefined },
    steps: {
      type: [
        new Schema<ErasureStep>(
          { name: String, done: Boolean, count: Number, at: Date, ...receiptLineFields },
          { _id: false, suppressReservedKeysWarning: true },
        ),
      ],
      default: [],
    },
    identifiers: String,
    lease: { owner: String, until: Date },
    attempts: { type: Number, default: 0 },
    receipt: { type: receiptSchema, required: false },
    failure: String,
    stepKey: String,
    appliedTo: String,
    language: String,
    expiresAt: { type: Date, required: true },
  },
  { collection: 'privacy_requests', versionKey: false },
);
privacyRequestSchema.index(
  { phoneNumberId: 1, subjectKey: 1, type: 1 },
  { unique: true, partialFilterExpression: { open: true } },
);
privacyRequestSchema.index({ phoneNumberId: 1, receivedAt: -1 });
privacyRequestSchema.index({ stepKey: 1 }, { unique: true, sparse: true });
privacyRequestSchema.index({ subjectKey: 1 });
privacyRequestSchema.index({ confirmTokenHash: 1 }, { sparse: true });
privacyRequestSchema.index({ statusTokenHash: 1 }, { sparse: true });
privacyRequestSchema.index({ confirmationCode: 1 });
privacyRequestSchema.index({ status: 1, 'lease.until': 1 });
privacyRequestSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type PrivacyRequestModel = Model<PrivacyRequest>;

export function privacyRequestModel(connection: Connection): PrivacyRequestModel {
  return (
    connection.models.PrivacyRequest ??
    connection.model<PrivacyRequest>('PrivacyRequest', privacyRequestSchema)
  );
}
