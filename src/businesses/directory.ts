import type { BusinessModel } from '../db/models/business.model.js';
import { fromMinorUnits } from './money.js';
import type { BusinessData } from './schema.js';

const CACHE_MS = 30_000;

/**
 * Business configurations by phone number id, cached briefly in memory: every webhook needs one, and a
 * database round trip per message would halve intake throughput. Writes through this directory drop the
 * cached entry at once; another process sees a change within CACHE_MS.
 */
export class BusinessDirectory {
  private readonly cache = new Map<string, { value: BusinessData | null; until: number }>();

  constructor(private readonly Business: BusinessModel) {}

  async get(phoneNumberId: string): Promise<BusinessData | null> {
    const cached = this.cache.get(phoneNumberId);
    if (cached && cached.until > Date.now()) return cached.value;
    const doc = await this.Business.findOne({ phoneNumberId }, { _id: 0, __v: 0, createdAt: 0, updatedAt: 0 })
      .lean<BusinessData>()
      .exec();
    this.cache.set(phoneNumberId, { value: doc, until: Date.now() + CACHE_MS });
    return doc;
  }

  /** Creates or replaces a whole configuration; reports which. */
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
    orderRetentionYears: business.orderRetentionYears ?? 10,
    persona: business.persona ?? '',
    aiDisclosure: business.aiDisclosure ?? '',
    aiIncludeName: business.aiIncludeName ?? false,
    aiDailyTokenBudget: business.aiDailyTokenBudget ?? 50_000,
  };
}
