import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';
import { CATALOG_LANGUAGES } from '../../core/catalog.js';
import type { CatalogItem, CatalogItemText } from '../../core/catalog.js';
import { BOOKING_WEEKDAYS } from '../../core/booking.js';
import type {
  BookingConfig,
  IntakeQuestion,
  OfferingNoun,
  OfferingSettings,
  Resource,
  Service,
  WorkException,
  WorkInterval,
} from '../../core/booking.js';

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

/** One opening of a day, local 'HH:mm' times; a `close` at or before `open` ends on the next day (20:00–02:00). */
export interface OpeningInterval {
  open: string;
  close: string;
}

/** The weekdays of a week's opening hours, Monday first (luxon's weekday numbers 1–7 in this order). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A week's opening hours: the openings of each weekday; an empty list is a closed day. */
export type WeeklyHours = Record<Weekday, OpeningInterval[]>;

/** A date ('YYYY-MM-DD', the business's time zone) with hours of its own: none is closed all day. */
export interface ClosedDay {
  date: string;
  hours: OpeningInterval[];
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
  // The hours and order terms below are optional: records and fixtures from before they existed read as
  // always open, UTC, no fee and no minimum (src/businesses/directory.ts fills the defaults on read).
  /** IANA time zone of the business ('Europe/Madrid'): its opening hours and its dates are read in it. */
  timeZone?: string;
  /** The week's opening hours; absent: always open (as every business was before hours existed). */
  openingHours?: WeeklyHours;
  /**
   * The opening hours are switched off (always open) but kept, so switching them on again gives back the
   * same week; absent or false: the hours, when there are any, apply.
   */
  openingHoursOff?: boolean;
  /** Dates whose hours differ from the week's (holidays, special hours). */
  closedDays?: ClosedDay[];
  /** What the bot says when ordering starts while closed; empty: the catalogue's text. */
  closedMessage?: string;
  /** Whether orders are taken while closed, to be prepared at the next opening. */
  preOrders?: boolean;
  /** Delivery fee in minor units (0: free delivery). */
  deliveryFeeMinor?: number;
  /** Orders whose items reach this (minor units) are delivered free; absent: the fee always applies. */
  freeDeliveryOverMinor?: number;
  /** Items' total (minor units) below which checkout is refused; 0: no minimum. */
  minimumOrderMinor?: number;
  /** The WhatsApp Business Account id (digits) whose message templates the business uses; absent: none synced. */
  wabaId?: string;
  /** Appointments: services, resources, hours and the booking window (src/core/booking.ts); absent: none taken. */
  booking?: BookingConfig;
  /** What the main menu offers (ordering, appointments) and the business's words for it; absent: ordering only. */
  offering?: OfferingSettings;
  createdAt: Date;
  updatedAt: Date;
}

/** An item's texts in one language (src/core/catalog.ts); absent fields read as the item's own. */
const catalogItemTextSchema = new Schema<CatalogItemText>(
  { name: String, description: String, category: String },
  { _id: false },
);

const catalogItemSchema = new Schema<CatalogItem>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    priceMinor: { type: Number, required: true, min: 0, validate: Number.isSafeInteger },
    category: String,
    description: String,
    // Absent rather than [] when the item has none: an item reads back as it was written.
    synonyms: { type: [String], default: undefined },
    retailerId: String,
    // `default: undefined` keeps items written before translations existed (and items without any) as they were.
    translations: {
      type: new Schema(
        Object.fromEntries(
          CATALOG_LANGUAGES.map((language) => [
            language,
            { type: catalogItemTextSchema, default: undefined },
          ]),
        ),
        { _id: false },
      ),
      default: undefined,
    },
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

const intervalSchema = new Schema<OpeningInterval>(
  { open: { type: String, required: true }, close: { type: String, required: true } },
  { _id: false },
);
const weeklyHoursSchema = new Schema<WeeklyHours>(
  Object.fromEntries(WEEKDAYS.map((day) => [day, { type: [intervalSchema], default: [] }])),
  { _id: false },
);
const closedDaySchema = new Schema<ClosedDay>(
  { date: { type: String, required: true }, hours: { type: [intervalSchema], default: [] } },
  { _id: false },
);
const minorAmount = { type: Number, min: 0, validate: Number.isSafeInteger };

// Appointments (src/core/booking.ts). Optional fields are `default: undefined`: a configuration reads back
// as it was written, without empty lists it never had.
const workIntervalSchema = new Schema<WorkInterval>(
  { start: { type: String, required: true }, end: { type: String, required: true } },
  { _id: false },
);
const workExceptionSchema = new Schema<WorkException>(
  {
    date: { type: String, required: true },
    intervals: { type: [workIntervalSchema], default: [] },
    note: String,
  },
  { _id: false },
);
const resourceSchema = new Schema<Resource>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, enum: ['staff', 'room', 'equipment'], required: true },
    capacity: { type: Number, required: true, min: 1, max: 50 },
    week: {
      type: new Schema(
        Object.fromEntries(
          BOOKING_WEEKDAYS.map((day) => [day, { type: [workIntervalSchema], default: undefined }]),
        ),
        { _id: false },
      ),
      required: true,
    },
    exceptions: { type: [workExceptionSchema], default: undefined },
    active: { type: Boolean, default: true },
  },
  { _id: false },
);
const languageMap = <T>(schema: Schema<T>) => ({
  type: new Schema(
    Object.fromEntries(CATALOG_LANGUAGES.map((language) => [language, { type: schema, default: undefined }])),
    { _id: false },
  ),
  default: undefined,
});
const intakeQuestionSchema = new Schema<IntakeQuestion>(
  {
    id: { type: String, required: true },
    text: { type: String, required: true },
    translations: {
      type: new Schema(Object.fromEntries(CATALOG_LANGUAGES.map((language) => [language, String])), {
        _id: false,
      }),
      default: undefined,
    },
    maxLength: Number,
    flowId: String,
  },
  { _id: false },
);
const serviceSchema = new Schema<Service>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    description: String,
    translations: languageMap(catalogItemTextSchema),
    synonyms: { type: [String], default: undefined },
    durationMinutes: { type: Number, required: true, min: 5, max: 720 },
    bufferMinutes: { type: Number, min: 0 },
    priceMinor: minorAmount,
    resourceIds: { type: [String], required: true },
    remindersMinutes: { type: [Number], default: undefined },
    intake: { type: [intakeQuestionSchema], default: undefined },
    active: { type: Boolean, default: true },
  },
  { _id: false },
);
const bookingConfigSchema = new Schema<BookingConfig>(
  {
    services: { type: [serviceSchema], default: [] },
    resources: { type: [resourceSchema], default: [] },
    exceptions: { type: [workExceptionSchema], default: undefined },
    earliestMinutes: { type: Number, required: true, min: 0 },
    latestDays: { type: Number, required: true, min: 1 },
    slotStepMinutes: { type: Number, required: true, min: 5 },
    cancelCutoffMinutes: { type: Number, required: true, min: 0 },
    remindersMinutes: { type: [Number], default: [] },
    chooseStaff: { type: Boolean, default: true },
    retentionYears: Number,
  },
  { _id: false },
);
const offeringNounSchema = new Schema<OfferingNoun>(
  { one: { type: String, required: true }, other: { type: String, required: true } },
  { _id: false },
);
const offeringSchema = new Schema<OfferingSettings>(
  {
    offers: { type: [String], enum: ['ordering', 'appointments'], required: true },
    serviceNoun: languageMap(offeringNounSchema),
    itemNoun: languageMap(offeringNounSchema),
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
    timeZone: { type: String, default: 'UTC' },
    openingHours: { type: weeklyHoursSchema, default: undefined },
    openingHoursOff: { type: Boolean, default: undefined },
    closedDays: { type: [closedDaySchema], default: [] },
    closedMessage: { type: String, default: '' },
    preOrders: { type: Boolean, default: false },
    deliveryFeeMinor: { ...minorAmount, default: 0 },
    freeDeliveryOverMinor: { ...minorAmount, default: undefined },
    minimumOrderMinor: { ...minorAmount, default: 0 },
    wabaId: { type: String, default: undefined },
    booking: { type: bookingConfigSchema, default: undefined },
    offering: { type: offeringSchema, default: undefined },
  },
  { collection: 'businesses', timestamps: true },
);

export type BusinessModel = Model<Business>;

export function businessModel(connection: Connection): BusinessModel {
  return connection.models.Business ?? connection.model<Business>('Business', businessSchema);
}
