import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';
import type { CatalogItem } from '../../core/catalog.js';

/** The catalog item lives in the ground floor (src/core/catalog.ts); re-exported for the model's importers. */
export type { CatalogItem };

/** Years orders are kept when the business sets none: accounting law's usual period. */
export const DEFAULT_ORDER_RETENTION_YEARS = 10;

/**
 * The languages an FAQ entry may be written in: the bot's (src/language/languages.ts, which this floor may
 * not import; src/businesses/schema.ts fails to compile when the two lists differ).
 */
export const FAQ_LANGUAGES = ['en', 'es', 'pt', 'fr', 'de'] as const;
export type FaqLanguage = (typeof FAQ_LANGUAGES)[number];

/** A question and its answer in one language, with other ways customers ask it ("opening hours", "horario"). */
export interface FaqText {
  question: string;
  answer: string;
  phrasings?: string[];
}

/**
 * One question a business answers itself. `question` and `answer` are in the entry's own `language` (absent
 * in entries stored before languages existed: the business's locale language); `translations` hold the
 * same question in other languages, so a customer is answered in theirs.
 */
export interface FaqEntry extends FaqText {
  language?: FaqLanguage;
  translations?: Partial<Record<FaqLanguage, FaqText>>;
}

export interface Business {
  /** Meta's phone number id of the business's WhatsApp number: the routing key of every webhook. */
  phoneNumberId: string;
  name: string;
  /** ISO 4217 code. */
  currency: string;
  catalog: CatalogItem[];
  fulfilment: { pickup: boolean; delivery: boolean };
  /** WhatsApp numbers of the business's staff (digits only): they receive notifications and may send commands. */
  adminNumbers: string[];
  /** Whether an AI may phrase replies for this business's customers. Off unless the business turns it on. */
  aiReplies: boolean;
  /** BCP 47 tag for the bot's wording, e.g. `en`, `es`, `pt-BR`. */
  locale: string;
  faq: FaqEntry[];
  /** How long orders are kept (anonymised once the customer erases their data): accounting law. */
  orderRetentionYears: number;
  /** How the AI should sound when it phrases replies ("friendly, short, uses emoji"): no facts, just tone. */
  persona: string;
  /** A line added to AI-written replies (e.g. "🤖 Written by our AI assistant"); empty for none. */
  aiDisclosure: string;
  /** Whether the customer's WhatsApp name may be sent to the AI provider. Off unless the business turns it on. */
  aiIncludeName: boolean;
  /** Tokens the AI may use per day (UTC) for this business; past it, deterministic replies are used. */
  aiDailyTokenBudget: number;
  createdAt: Date;
  updatedAt: Date;
}

const catalogItemSchema = new Schema<CatalogItem>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    priceMinor: { type: Number, required: true, min: 0, validate: Number.isSafeInteger },
    category: String,
    description: String,
    // Absent rather than [] when the item has none: an item reads back as it was written.
    synonyms: { type: [String], default: undefined },
    available: { type: Boolean, default: true },
  },
  { _id: false },
);

// `default: undefined` keeps entries written before phrasings and translations existed as they were.
const faqTextFields = {
  question: String,
  answer: String,
  phrasings: { type: [String], default: undefined },
};
const faqTextSchema = new Schema<FaqText>(faqTextFields, { _id: false });
const faqEntrySchema = new Schema<FaqEntry>(
  {
    ...faqTextFields,
    language: { type: String, enum: FAQ_LANGUAGES },
    translations: {
      type: new Schema(
        Object.fromEntries(
          FAQ_LANGUAGES.map((language) => [language, { type: faqTextSchema, default: undefined }]),
        ),
        { _id: false },
      ),
      default: undefined,
    },
  },
  { _id: false },
);

const businessSchema = new Schema<Business>(
  {
    phoneNumberId: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    currency: { type: String, required: true },
    catalog: { type: [catalogItemSchema], default: [] },
    fulfilment: {
      pickup: { type: Boolean, default: true },
      delivery: { type: Boolean, default: false },
    },
    adminNumbers: { type: [String], default: [] },
    aiReplies: { type: Boolean, default: false },
    locale: { type: String, default: 'en' },
    faq: { type: [faqEntrySchema], default: [] },
    orderRetentionYears: { type: Number, default: DEFAULT_ORDER_RETENTION_YEARS, min: 1, max: 30 },
    persona: { type: String, default: '' },
    aiDisclosure: { type: String, default: '' },
    aiIncludeName: { type: Boolean, default: false },
    aiDailyTokenBudget: { type: Number, default: 50_000, min: 0 },
  },
  { collection: 'businesses', timestamps: true },
);

export type BusinessModel = Model<Business>;

export function businessModel(connection: Connection): BusinessModel {
  return connection.models.Business ?? connection.model<Business>('Business', businessSchema);
}
