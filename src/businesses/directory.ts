import type { BusinessModel } from '../db/models/business.model.js';
import { DEFAULT_ORDER_RETENTION_YEARS } from '../db/models/business.model.js';
import { fromMinorUnits } from '../core/money.js';
import type { BusinessData } from './schema.js';

/**
 * How long a configuration is served from memory. Short, because it is how long another process may go on
 * using a changed setting (an AI switch, a catalog); long enough that a busy business costs one read per
 * process every few seconds rather than one per message.
 */
export const DIRECTORY_CACHE_MS = 5_000;

/** Defaults of the settings added after the first businesses were stored (as the schema has them). */
const SETTING_DEFAULTS: Pick<
  BusinessData,
  | 'catalog'
  | 'faq'
  | 'adminNumbers'
  | 'aiReplies'
  | 'locale'
  | 'orderRetentionYears'
  | 'persona'
  | 'aiDisclosure'
  | 'aiIncludeName'
  | 'aiDailyTokenBudget'
  | 'timeZone'
  | 'closedDays'
  | 'closedMessage'
  | 'preOrders'
  | 'deliveryFeeMinor'
  | 'minimumOrderMinor'
> = {
  catalog: [],
  faq: [],
  adminNumbers: [],
  aiReplies: false,
  locale: 'en',
  orderRetentionYears: DEFAULT_ORDER_RETENTION_YEARS,
  persona: '',
  aiDisclosure: '',
  aiIncludeName: false,
  aiDailyTokenBudget: 50_000,
  timeZone: 'UTC',
  closedDays: [],
  closedMessage: '',
  preOrders: false,
  deliveryFeeMinor: 0,
  minimumOrderMinor: 0,
};

/**
 * Business configurations by phone number id, cached briefly in memory: every webhook needs one, and a
 * database round trip per message would halve intake throughput. Writes through this directory (and
 * src/businesses/settings.ts) drop the cached entry at once; another process sees a change within
 * DIRECTORY_CACHE_MS.
 */
export class BusinessDirectory {
  private readonly cache = new Map<string, { value: BusinessData | null; until: number }>();

  constructor(private readonly Business: BusinessModel) {}

  async get(phoneNumberId: string): Promise<BusinessData | null> {
    const cached = this.cache.get(phoneNumberId);
    if (cached && cached.until > Date.now()) return cached.value;
    const doc = await this.Business.findOne({ phoneNumberId }, { _id: 0, __v: 0, createdAt: 0, updatedAt: 0 })
      .lean<Partial<BusinessData>>()
      .exec();
    // A record stored before a setting existed reads with that setting's default (a lean read has none):
    // an old AI-enabled business must still have a token budget and a disclosure line.
    const value = doc ? ({ ...SETTING_DEFAULTS, ...doc } as BusinessData) : null;
    this.cache.set(phoneNumberId, { value, until: Date.now() + DIRECTORY_CACHE_MS });
    return value;
  }

  /**
   * Creates or replaces a whole configuration; reports which. Not audited: the admin API and the staff
   * commands write through BusinessSettings (src/businesses/settings.ts), which records AI settings changes.
   */
  async put(data: BusinessData): Promise<{ created: boolean }> {
    const result = await this.Business.replaceOne({ phoneNumberId: data.phoneNumberId }, data, {
      upsert: true,
      runValidators: true,
    }).exec();
    this.cache.delete(data.phoneNumberId);
    return { created: result.upsertedCount > 0 };
  }

  invalidate(phoneNumberId: string): void {
    this.cache.delete(phoneNumberId);
  }
}

/** The admin API's view of a business: prices back in major units, as they were entered. */
export function businessView(business: BusinessData) {
  return {
    phoneNumberId: business.phoneNumberId,
    name: business.name,
    currency: business.currency,
    catalog: business.catalog.map(({ priceMinor, ...item }) => ({
      ...item,
      price: fromMinorUnits(priceMinor, business.currency),
    })),
    fulfilment: business.fulfilment,
    adminNumbers: business.adminNumbers,
    aiReplies: business.aiReplies,
    locale: business.locale,
    faq: business.faq,
    orderRetentionYears: business.orderRetentionYears ?? DEFAULT_ORDER_RETENTION_YEARS,
    persona: business.persona ?? '',
    aiDisclosure: business.aiDisclosure ?? '',
    aiIncludeName: business.aiIncludeName ?? false,
    aiDailyTokenBudget: business.aiDailyTokenBudget ?? 50_000,
    timeZone: business.timeZone ?? 'UTC',
    openingHours: business.openingHours ?? null,
    openingHoursOff: business.openingHoursOff ?? false,
    closedDays: business.closedDays ?? [],
    closedMessage: business.closedMessage ?? '',
    preOrders: business.preOrders ?? false,
    deliveryFee: fromMinorUnits(business.deliveryFeeMinor ?? 0, business.currency),
    freeDeliveryOver:
      business.freeDeliveryOverMinor === undefined
        ? null
        : fromMinorUnits(business.freeDeliveryOverMinor, business.currency),
    minimumOrder: fromMinorUnits(business.minimumOrderMinor ?? 0, business.currency),
    wabaId: business.wabaId ?? null,
    booking: business.booking
      ? {
          ...business.booking,
          services: business.booking.services.map(({ priceMinor, ...service }) => ({
            ...service,
            ...(priceMinor !== undefined ? { price: fromMinorUnits(priceMinor, business.currency) } : {}),
          })),
        }
      : null,
    offering: business.offering ?? null,
  };
}
