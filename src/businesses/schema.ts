import { z } from 'zod';
import { isKnownCurrency, toMinorUnits } from '../core/money.js';
import type { CatalogItem, CatalogItemText, CatalogLanguage } from '../core/catalog.js';
import { DEFAULT_ORDER_RETENTION_YEARS } from '../db/models/business.model.js';
import { FAQ_LANGUAGES } from '../db/models/business.model.js';
import { IANAZone } from 'luxon';
import { checkHours } from './hours.js';
import { WEEKDAYS } from '../db/models/business.model.js';
import type { ClosedDay, OpeningInterval, WeeklyHours } from '../db/models/business.model.js';
import type { Business, FaqEntry, FaqLanguage, FaqText } from '../db/models/business.model.js';
import type { Language } from '../language/languages.js';
import { BOOKING_DEFAULTS, BOOKING_WEEKDAYS } from '../core/booking.js';
import type {
  BookingConfig,
  IntakeQuestion,
  OfferingSettings,
  Resource,
  Service,
  WorkException,
  WorkInterval,
} from '../core/booking.js';

/** Digits only, 7–15 of them (E.164 without the plus): how WhatsApp writes a wa_id. */
const phoneNumber = z
  .string()
  .transform((s) => s.replace(/[\s().-]/g, '').replace(/^\+/, ''))
  .pipe(
    z.string().regex(/^[1-9]\d{6,14}$/, 'must be a phone number in international format, e.g. +34600111222'),
  );

/** True when two object types have the same field names (optional ones included). */
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;

/** What an admin writes for one item: the catalog item (src/core/catalog.ts) with its price in major units. */
export type CatalogItemInput = Omit<CatalogItem, 'priceMinor'> & { price: number };

/** Synonyms per item, and characters per synonym: short words a customer types, not descriptions. */
export const MAX_SYNONYMS = 20;
export const MAX_SYNONYM_LENGTH = 40;

/**
 * Other names of an item, as customers type them: each trimmed, 1–40 characters, at most 20; repeats
 * (ignoring case) are dropped so the list stays what the business meant.
 */
const synonymsInput = z
  .array(
    z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_SYNONYM_LENGTH, `each synonym must be at most ${MAX_SYNONYM_LENGTH} characters`),
  )
  .max(MAX_SYNONYMS, `at most ${MAX_SYNONYMS} synonyms per item`)
  .transform((words) => {
    const seen = new Set<string>();
    return words.filter((word) => {
      const key = word.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });

/**
 * An item's texts in one language, bounded as the base fields are; blank fields are dropped (they would
 * read as the base text anyway), and a language left with none is not stored (`toBusinessData`).
 */
const catalogItemText = z
  .strictObject({
    name: z.string().trim().max(100).optional(),
    description: z.string().trim().max(500).optional(),
    category: z.string().trim().max(100).optional(),
  })
  .transform((text) => ({
    ...(text.name ? { name: text.name } : {}),
    ...(text.description ? { description: text.description } : {}),
    ...(text.category ? { category: text.category } : {}),
  })) satisfies z.ZodType<CatalogItemText, unknown>;

/** Translations by language: only the bot's languages (an unknown one is refused by name). */
const catalogTranslations = z.strictObject({
  en: catalogItemText.optional(),
  es: catalogItemText.optional(),
  pt: catalogItemText.optional(),
  fr: catalogItemText.optional(),
  de: catalogItemText.optional(),
}) satisfies z.ZodType<Partial<Record<CatalogLanguage, CatalogItemText>>, unknown>;
/** The catalogue's languages are the bot's: a language added to one list and not the other fails to compile. */
const _sameCatalogLanguages: [CatalogLanguage] extends [Language]
  ? [Language] extends [CatalogLanguage]
    ? true
    : false
  : false = true;

/** The business's own id of an item, a service, a resource or a question. */
const ownId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"');

/** Checked against `CatalogItemInput`: a field added to the catalog item fails to compile until it is here. */
const catalogItemInput = z.strictObject({
  id: ownId,
  name: z.string().trim().min(1, 'must not be empty').max(100),
  price: z.number().nonnegative('must not be negative'),
  category: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(500).optional(),
  synonyms: synonymsInput.optional(),
  /** Meta's `product_retailer_id` ("content id") of the item in the linked commerce catalogue. */
  retailerId: z.string().trim().min(1).max(100).optional(),
  translations: catalogTranslations.optional(),
  available: z.boolean().default(true),
}) satisfies z.ZodType<CatalogItemInput, unknown>;
/** And no field more or less: an optional field added to the catalog item must be accepted here too. */
const _sameCatalogFields: SameKeys<z.output<typeof catalogItemInput>, CatalogItemInput> = true;

/** A question in one language: its text, its answer, and up to 10 other ways customers ask it. */
const faqText = z.strictObject({
  question: z.string().trim().min(1).max(300),
  answer: z.string().trim().min(1).max(1000),
  phrasings: z.array(z.string().trim().min(1).max(100)).max(10).optional(),
}) satisfies z.ZodType<FaqText, unknown>;

const faqLanguage = z.enum(FAQ_LANGUAGES, 'must be one of en, es, pt, fr, de');

/**
 * One FAQ entry: `question`/`answer` in its own `language` (absent: the business's locale language, as in
 * entries written before languages existed), and the same question in other languages. A translation in
 * the entry's own language is refused: it would never be shown.
 */
const faqEntry = faqText
  .extend({
    language: faqLanguage.optional(),
    translations: z
      .strictObject({
        en: faqText.optional(),
        es: faqText.optional(),
        pt: faqText.optional(),
        fr: faqText.optional(),
        de: faqText.optional(),
      })
      .optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.language && entry.translations?.[entry.language]) {
      ctx.addIssue({
        code: 'custom',
        path: ['translations', entry.language],
        message: "is the question's own language: write it in question and answer",
      });
    }
  }) satisfies z.ZodType<FaqEntry, unknown>;
/** The FAQ's languages are the bot's: a language added to one list and not the other fails to compile. */
const _sameFaqLanguages: [FaqLanguage] extends [Language]
  ? [Language] extends [FaqLanguage]
    ? true
    : false
  : false = true;

const localeTag = z.string().refine((tag) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}, 'must be a language tag such as en, es or pt-BR');

/** A local time of day, 'HH:mm' on a 24-hour clock. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 09:30 or 21:00');

/** One opening; a close at or before the open means the next day (20:00–02:00), equal times are refused. */
const openingInterval = z
  .strictObject({ open: clockTime, close: clockTime })
  .refine((i) => i.open !== i.close, {
    message: 'must close at another time than it opens',
    path: ['close'],
  }) satisfies z.ZodType<OpeningInterval, unknown>;

const dayHours = z.array(openingInterval).max(6);

const weeklyHours = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayHours.default([])])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodDefault<typeof dayHours>
  >,
) satisfies z.ZodType<WeeklyHours, unknown>;

/** A calendar date 'YYYY-MM-DD' that exists (no 2026-02-30). */
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-12-24')
  .refine((d) => {
    const parsed = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(d);
  }, 'must be a date that exists');

const closedDay = z.strictObject({ date: calendarDate, hours: dayHours.default([]) }) satisfies z.ZodType<
  ClosedDay,
  unknown
>;

/** An amount of money as people type it (major units: 2.5); its decimals are checked against the currency. */
const amount = z.number().nonnegative('must not be negative').max(1_000_000);

// Appointments (src/core/booking.ts): what an admin writes, checked field by field here and as a whole in
// `bookingInput` (unique ids, services naming existing resources).

/** The end of a working interval may also be 24:00 (until midnight). */
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const WORK_END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const workEnd = z.string().regex(WORK_END, 'must be a time such as 18:30 or 24:00');

const workInterval = z
  .strictObject({ start: clockTime, end: workEnd })
  // One problem per field: the order is checked only when both times are well formed.
  .refine((i) => !(CLOCK.test(i.start) && WORK_END.test(i.end)) || i.start < i.end, {
    message: 'must end after it starts',
    path: ['end'],
  }) satisfies z.ZodType<WorkInterval, unknown>;

/** A day's working intervals: at most 6, none overlapping another (sorted by start on the way in). */
const workDay = z
  .array(workInterval)
  .max(6, 'at most 6 intervals a day')
  .superRefine((intervals, ctx) => {
    const order = intervals.map((interval, index) => ({ interval, index }));
    order.sort((a, b) => a.interval.start.localeCompare(b.interval.start));
    order.forEach((current, i) => {
      const previous = order[i - 1];
      if (previous && previous.interval.end > current.interval.start)
        ctx.addIssue({
          code: 'custom',
          path: [current.index, 'start'],
          message: 'overlaps another interval of the day',
        });
    });
  })
  .transform((intervals) => [...intervals].sort((a, b) => a.start.localeCompare(b.start)));

const weeklyWork = z.strictObject(
  Object.fromEntries(BOOKING_WEEKDAYS.map((day) => [day, workDay.optional()])) as Record<
    (typeof BOOKING_WEEKDAYS)[number],
    z.ZodOptional<typeof workDay>
  >,
);

const workException = z.strictObject({
  date: calendarDate,
  intervals: workDay.default([]),
  note: z.string().trim().max(200).optional(),
}) satisfies z.ZodType<WorkException, unknown>;

/** Exceptions by date: at most a year of them, each date once. */
const workExceptions = z
  .array(workException)
  .max(366)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((exception, index) => {
      if (seen.has(exception.date))
        ctx.addIssue({ code: 'custom', path: [index, 'date'], message: 'is listed twice' });
      seen.add(exception.date);
    });
  });

const resourceInput = z.strictObject({
  id: ownId,
  name: z.string().trim().min(1, 'must not be empty').max(100),
  kind: z.enum(['staff', 'room', 'equipment'], 'must be one of staff, room, equipment').default('staff'),
  capacity: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(50, 'must be at most 50')
    .default(1),
  week: weeklyWork,
  exceptions: workExceptions.optional(),
  active: z.boolean().default(true),
}) satisfies z.ZodType<Resource, unknown>;

/** Minutes before an appointment that reminders go out: up to 3, from 5 minutes to 7 days. */
const remindersInput = z
  .array(
    z
      .number()
      .int('must be whole minutes')
      .min(5)
      .max(7 * 24 * 60),
  )
  .max(3, 'at most 3 reminders')
  .transform((minutes) => Array.from(new Set(minutes)).sort((a, b) => b - a));

const intakeQuestionInput = z.strictObject({
  id: ownId,
  text: z.string().trim().min(1, 'must not be empty').max(300),
  translations: z
    .strictObject({
      en: z.string().trim().min(1).max(300).optional(),
      es: z.string().trim().min(1).max(300).optional(),
      pt: z.string().trim().min(1).max(300).optional(),
      fr: z.string().trim().min(1).max(300).optional(),
      de: z.string().trim().min(1).max(300).optional(),
    })
    .optional(),
  maxLength: z.number().int().min(1).max(500, 'must be at most 500').optional(),
  flowId: z
    .string()
    .regex(/^\d{5,20}$/, 'must be the numeric id of a WhatsApp Flow')
    .optional(),
}) satisfies z.ZodType<IntakeQuestion, unknown>;

/** What an admin writes for one service: the service (src/core/booking.ts) with its price in major units. */
export type ServiceInput = Omit<Service, 'priceMinor'> & { price?: number };

const serviceInput = z.strictObject({
  id: ownId,
  name: z.string().trim().min(1, 'must not be empty').max(100),
  description: z.string().trim().max(500).optional(),
  translations: catalogTranslations.optional(),
  synonyms: synonymsInput.optional(),
  durationMinutes: z
    .number()
    .int('must be whole minutes')
    .min(5, 'must be at least 5 minutes')
    .max(720, 'must be at most 720 minutes (12 hours)'),
  bufferMinutes: z.number().int('must be whole minutes').min(0).max(720).optional(),
  price: amount.optional(),
  resourceIds: z.array(ownId).min(1, 'must name at least one resource').max(50),
  remindersMinutes: remindersInput.optional(),
  intake: z.array(intakeQuestionInput).max(2, 'at most 2 intake questions per service').optional(),
  active: z.boolean().default(true),
}) satisfies z.ZodType<ServiceInput, unknown>;
const _sameServiceFields: SameKeys<z.output<typeof serviceInput>, ServiceInput> = true;

/** What an admin writes for the booking configuration: every setting but the lists has a default. */
export type BookingInput = Omit<BookingConfig, 'services'> & { services: ServiceInput[] };

const bookingInput = z
  .strictObject({
    services: z.array(serviceInput).max(100).default([]),
    resources: z.array(resourceInput).max(50).default([]),
    exceptions: workExceptions.optional(),
    earliestMinutes: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 60)
      .default(BOOKING_DEFAULTS.earliestMinutes),
    latestDays: z.number().int().min(1).max(365).default(BOOKING_DEFAULTS.latestDays),
    slotStepMinutes: z.number().int().min(5).max(240).default(BOOKING_DEFAULTS.slotStepMinutes),
    cancelCutoffMinutes: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 60)
      .default(BOOKING_DEFAULTS.cancelCutoffMinutes),
    remindersMinutes: remindersInput.default([...BOOKING_DEFAULTS.remindersMinutes]),
    chooseStaff: z.boolean().default(BOOKING_DEFAULTS.chooseStaff),
    retentionYears: z.number().int().min(1).max(30).optional(),
  })
  .superRefine((booking, ctx) => {
    const resourceIds = new Set<string>();
    booking.resources.forEach((resource, index) => {
      if (resourceIds.has(resource.id))
        ctx.addIssue({ code: 'custom', path: ['resources', index, 'id'], message: 'duplicate resource id' });
      resourceIds.add(resource.id);
    });
    const serviceIds = new Set<string>();
    booking.services.forEach((service, index) => {
      if (serviceIds.has(service.id))
        ctx.addIssue({ code: 'custom', path: ['services', index, 'id'], message: 'duplicate service id' });
      serviceIds.add(service.id);
      service.resourceIds.forEach((id, r) => {
        if (!resourceIds.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['services', index, 'resourceIds', r],
            message: `names no resource of the business (${id})`,
          });
      });
      const questionIds = new Set<string>();
      (service.intake ?? []).forEach((question, q) => {
        if (questionIds.has(question.id))
          ctx.addIssue({
            code: 'custom',
            path: ['services', index, 'intake', q, 'id'],
            message: 'duplicate question id',
          });
        questionIds.add(question.id);
      });
    });
  }) satisfies z.ZodType<BookingInput, unknown>;

const offeringNoun = z.strictObject({
  one: z.string().trim().min(1, 'must not be empty').max(30),
  other: z.string().trim().min(1, 'must not be empty').max(30),
});
const offeringNouns = z
  .strictObject({
    en: offeringNoun.optional(),
    es: offeringNoun.optional(),
    pt: offeringNoun.optional(),
    fr: offeringNoun.optional(),
    de: offeringNoun.optional(),
  })
  .optional();

const offeringInput = z.strictObject({
  offers: z
    .array(z.enum(['ordering', 'appointments'], 'must be ordering or appointments'))
    .min(1, 'must offer at least one of ordering or appointments')
    .refine((offers) => new Set(offers).size === offers.length, 'must name each offer once'),
  serviceNoun: offeringNouns,
  itemNoun: offeringNouns,
}) satisfies z.ZodType<OfferingSettings, unknown>;

/**
 * Each configuration field once, without defaults: the whole configuration of PUT (below, with defaults)
 * and the partial update of PATCH (`businessPatch`) are built from the same checks.
 */
const fields = {
  name: z.string().trim().min(1, 'must not be empty').max(100),
  currency: z.string().refine(isKnownCurrency, 'must be an ISO 4217 currency code such as EUR or USD'),
  catalog: z.array(catalogItemInput).max(500),
  fulfilment: z
    .strictObject({ pickup: z.boolean(), delivery: z.boolean() })
    .refine((f) => f.pickup || f.delivery, 'at least one of pickup or delivery must be offered'),
  adminNumbers: z.array(phoneNumber).max(20),
  aiReplies: z.boolean(),
  locale: localeTag,
  faq: z.array(faqEntry).max(100),
  /** Years orders are kept for the business's accounting (anonymised after an erasure request). */
  orderRetentionYears: z.number().int('must be a whole number of years').min(1).max(30),
  /** The tone the AI should use; never facts (those come from the catalog and FAQ). */
  persona: z.string().trim().max(500),
  /** A line added to AI-written replies; empty for none. */
  aiDisclosure: z.string().trim().max(100),
  /** Whether the customer's WhatsApp name may be sent to the AI provider. */
  aiIncludeName: z.boolean(),
  /** Tokens per UTC day; 0 turns AI replies off in effect. */
  aiDailyTokenBudget: z.number().int().min(0).max(10_000_000),
  /** IANA time zone: opening hours and the business's dates are read in it. */
  timeZone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'must be a time zone such as Europe/Madrid'),
  /** The week's opening hours; null (or absent) for always open. */
  openingHours: weeklyHours.nullable(),
  /** True: the hours are kept but switched off (always open). */
  openingHoursOff: z.boolean(),
  closedDays: z.array(closedDay).max(100),
  closedMessage: z.string().trim().max(500),
  preOrders: z.boolean(),
  /** In major units, like catalog prices. */
  deliveryFee: amount,
  /** Items' total (major units) from which delivery is free; null for never. */
  freeDeliveryOver: amount.nullable(),
  minimumOrder: amount,
  /** The WhatsApp Business Account id whose templates the business uses (Meta's numeric id); null for none. */
  wabaId: z
    .string()
    .trim()
    .regex(/^\d{5,20}$/, 'must be the numeric WhatsApp Business Account id')
    .nullable(),
  /** Appointments: services, resources, hours, window; null (or absent) for none. */
  booking: bookingInput.nullable(),
  /** What the main menu offers and the business's words for it; null (or absent) for ordering only. */
  offering: offeringInput.nullable(),
};

/** The body of `PUT /admin/businesses/:phoneNumberId`: a whole business configuration. */
export const businessInput = z
  .strictObject({
    name: fields.name,
    currency: fields.currency,
    catalog: fields.catalog.default([]),
    fulfilment: fields.fulfilment.default({ pickup: true, delivery: false }),
    adminNumbers: fields.adminNumbers.default([]),
    aiReplies: fields.aiReplies.default(false),
    locale: fields.locale.default('en'),
    faq: fields.faq.default([]),
    orderRetentionYears: fields.orderRetentionYears.default(DEFAULT_ORDER_RETENTION_YEARS),
    persona: fields.persona.default(''),
    aiDisclosure: fields.aiDisclosure.default(''),
    aiIncludeName: fields.aiIncludeName.default(false),
    aiDailyTokenBudget: fields.aiDailyTokenBudget.default(50_000),
    timeZone: fields.timeZone.default('UTC'),
    openingHours: fields.openingHours.default(null),
    openingHoursOff: fields.openingHoursOff.default(false),
    closedDays: fields.closedDays.default([]),
    closedMessage: fields.closedMessage.default(''),
    preOrders: fields.preOrders.default(false),
    deliveryFee: fields.deliveryFee.default(0),
    freeDeliveryOver: fields.freeDeliveryOver.default(null),
    minimumOrder: fields.minimumOrder.default(0),
    wabaId: fields.wabaId.default(null),
    booking: fields.booking.default(null),
    offering: fields.offering.default(null),
  })
  .superRefine((input, ctx) => {
    if (input.offering?.offers.includes('appointments') && !input.booking)
      ctx.addIssue({
        code: 'custom',
        path: ['offering', 'offers'],
        message: 'offers appointments: set booking (services and resources) too',
      });
    input.booking?.services.forEach((service, index) => {
      if (
        service.price !== undefined &&
        isKnownCurrency(input.currency) &&
        toMinorUnits(service.price, input.currency) === undefined
      )
        ctx.addIssue({
          code: 'custom',
          path: ['booking', 'services', index, 'price'],
          message: `has more decimals than ${input.currency} allows`,
        });
    });
    checkHours(input.openingHours, input.closedDays, { addIssue: (issue) => ctx.addIssue({ ...issue }) });
    for (const key of ['deliveryFee', 'freeDeliveryOver', 'minimumOrder'] as const) {
      const value = input[key];
      if (
        value !== null &&
        isKnownCurrency(input.currency) &&
        toMinorUnits(value, input.currency) === undefined
      )
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `has more decimals than ${input.currency} allows`,
        });
    }
    const seen = new Set<string>();
    const retailerIds = new Set<string>();
    input.catalog.forEach((item, index) => {
      if (seen.has(item.id))
        ctx.addIssue({ code: 'custom', path: ['catalog', index, 'id'], message: 'duplicate item id' });
      seen.add(item.id);
      // A native order names items by retailer id: two items with one id would make it ambiguous.
      if (item.retailerId !== undefined) {
        if (retailerIds.has(item.retailerId))
          ctx.addIssue({
            code: 'custom',
            path: ['catalog', index, 'retailerId'],
            message: 'duplicate Meta catalogue retailer id',
          });
        retailerIds.add(item.retailerId);
      }
      // Decimals are checked only for a known currency and a valid price: one problem per field.
      if (
        isKnownCurrency(input.currency) &&
        item.price >= 0 &&
        toMinorUnits(item.price, input.currency) === undefined
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['catalog', index, 'price'],
          message: `has more decimals than ${input.currency} allows`,
        });
      }
    });
  });

/**
 * The body of `PATCH /admin/businesses/:phoneNumberId`: any of the fields, each checked as PUT checks it;
 * an unknown field is refused by name. What depends on two fields (prices against the currency, duplicate
 * item ids) is checked on the merged configuration with `businessInput`.
 */
export const businessPatch = z.strictObject({
  name: fields.name.optional(),
  currency: fields.currency.optional(),
  catalog: fields.catalog.optional(),
  fulfilment: fields.fulfilment.optional(),
  adminNumbers: fields.adminNumbers.optional(),
  aiReplies: fields.aiReplies.optional(),
  locale: fields.locale.optional(),
  faq: fields.faq.optional(),
  orderRetentionYears: fields.orderRetentionYears.optional(),
  persona: fields.persona.optional(),
  aiDisclosure: fields.aiDisclosure.optional(),
  aiIncludeName: fields.aiIncludeName.optional(),
  aiDailyTokenBudget: fields.aiDailyTokenBudget.optional(),
  timeZone: fields.timeZone.optional(),
  openingHours: fields.openingHours.optional(),
  openingHoursOff: fields.openingHoursOff.optional(),
  closedDays: fields.closedDays.optional(),
  closedMessage: fields.closedMessage.optional(),
  preOrders: fields.preOrders.optional(),
  deliveryFee: fields.deliveryFee.optional(),
  freeDeliveryOver: fields.freeDeliveryOver.optional(),
  minimumOrder: fields.minimumOrder.optional(),
  wabaId: fields.wabaId.optional(),
  booking: fields.booking.optional(),
  offering: fields.offering.optional(),
});

export type BusinessPatch = z.infer<typeof businessPatch>;

export type BusinessInput = z.infer<typeof businessInput>;

/** Phone number ids are Meta's numeric ids; the demo business uses one too. */
export const phoneNumberIdParam = z
  .string()
  .regex(/^\d{5,20}$/, 'must be the numeric WhatsApp phone number id');

export type BusinessData = Omit<Business, 'createdAt' | 'updatedAt'>;

/** The translations that say something, or nothing: an item reads back without empty languages. */
function translationsOf(
  translations: CatalogItem['translations'],
): Pick<CatalogItem, 'translations'> | Record<string, never> {
  const kept = Object.entries(translations ?? {}).filter(([, text]) => text && Object.keys(text).length > 0);
  return kept.length > 0 ? { translations: Object.fromEntries(kept) } : {};
}

export function toBusinessData(phoneNumberId: string, input: BusinessInput): BusinessData {
  return {
    phoneNumberId,
    name: input.name,
    currency: input.currency,
    catalog: input.catalog.map((item): CatalogItem => ({
      id: item.id,
      name: item.name,
      priceMinor: toMinorUnits(item.price, input.currency) ?? 0,
      ...(item.category ? { category: item.category } : {}),
      ...(item.description ? { description: item.description } : {}),
      ...(item.synonyms && item.synonyms.length > 0 ? { synonyms: item.synonyms } : {}),
      ...(item.retailerId ? { retailerId: item.retailerId } : {}),
      ...translationsOf(item.translations),
      available: item.available,
    })),
    fulfilment: input.fulfilment,
    adminNumbers: Array.from(new Set(input.adminNumbers)),
    aiReplies: input.aiReplies,
    locale: Intl.getCanonicalLocales(input.locale)[0] ?? 'en',
    faq: input.faq,
    orderRetentionYears: input.orderRetentionYears,
    persona: input.persona,
    aiDisclosure: input.aiDisclosure,
    aiIncludeName: input.aiIncludeName,
    aiDailyTokenBudget: input.aiDailyTokenBudget,
    timeZone: input.timeZone,
    ...(input.openingHours ? { openingHours: input.openingHours } : {}),
    ...(input.openingHours && input.openingHoursOff ? { openingHoursOff: true } : {}),
    closedDays: [...input.closedDays].sort((a, b) => a.date.localeCompare(b.date)),
    closedMessage: input.closedMessage,
    preOrders: input.preOrders,
    deliveryFeeMinor: toMinorUnits(input.deliveryFee, input.currency) ?? 0,
    ...(input.freeDeliveryOver !== null
      ? { freeDeliveryOverMinor: toMinorUnits(input.freeDeliveryOver, input.currency) ?? 0 }
      : {}),
    minimumOrderMinor: toMinorUnits(input.minimumOrder, input.currency) ?? 0,
    ...(input.wabaId !== null ? { wabaId: input.wabaId } : {}),
    ...(input.booking ? { booking: toBookingConfig(input.booking, input.currency) } : {}),
    ...(input.offering ? { offering: input.offering } : {}),
  };
}

/** The booking configuration as stored: prices in minor units, empty optional lists left out. */
export function toBookingConfig(input: BookingInput, currency: string): BookingConfig {
  return {
    ...input,
    services: input.services.map(({ price, translations, synonyms, ...service }): Service => ({
      ...service,
      ...translationsOf(translations),
      ...(synonyms && synonyms.length > 0 ? { synonyms } : {}),
      ...(price !== undefined ? { priceMinor: toMinorUnits(price, currency) ?? 0 } : {}),
    })),
    ...(input.exceptions
      ? { exceptions: [...input.exceptions].sort((a, b) => a.date.localeCompare(b.date)) }
      : {}),
  };
}
