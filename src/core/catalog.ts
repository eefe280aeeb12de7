/**
 * The languages an item may be translated into: the bot's (src/language/languages.ts, which this floor may not
 * import; src/businesses/schema.ts fails to compile when the two lists differ).
 */
export const CATALOG_LANGUAGES = ['en', 'es', 'pt', 'fr', 'de'] as const;
export type CatalogLanguage = (typeof CATALOG_LANGUAGES)[number];

/** An item's texts in one language; each absent field reads as the item's own (base) text. */
export interface CatalogItemText {
  name?: string;
  description?: string;
  category?: string;
}

/**
 * One item of a business's catalog, written once: the database model stores it, the admin input is checked
 * against it, and the ordering flow reads it. A plain type, so the ground floor imports nothing.
 */
export interface CatalogItem {
  /** The business's own id for the item: letters, digits, `_` or `-` (checked in src/businesses/schema.ts). */
  id: string;
  name: string;
  /** Exact price in the currency's minor units (cents; yen for a 0-decimal currency). */
  priceMinor: number;
  category?: string;
  description?: string;
  /**
   * Other words customers use for the item ("coke" for Cola, "cuatro quesos" for Quattro formaggi), in any
   * language: a typed order matches them as it matches the name. Bounded in src/businesses/schema.ts.
   */
  synonyms?: string[];
  /**
   * The item's "content id" in the business's Meta commerce catalogue (`product_retailer_id` in a native
   * `order` message): a native cart maps to our items by it. Absent: the item is not in Meta's catalogue.
   */
  retailerId?: string;
  /**
   * The item's name, description and category in other languages: a customer browsing in Spanish reads
   * "Agua sin gas" where the business wrote "Still water". The base fields stay the business's own wording
   * (what its staff and its orders read); absent: every customer reads the base texts.
   */
  translations?: Partial<Record<CatalogLanguage, CatalogItemText>>;
  /** False while the business cannot sell it (sold out): the menu hides it, the item stays in the catalog. */
  available: boolean;
}

/**
 * The item as a customer reading `language` sees it: name, description and category from its translation
 * into that language where the business wrote one, else the base text. Everything else (id, price,
 * synonyms, translations) is the item's own.
 */
export function itemIn<T extends CatalogItem>(item: T, language: CatalogLanguage): T {
  const text = item.translations?.[language];
  if (text === undefined) return item;
  return {
    ...item,
    ...(text.name ? { name: text.name } : {}),
    ...(text.description ? { description: text.description } : {}),
    ...(text.category ? { category: text.category } : {}),
  };
}

/** Every name of the item in the languages the business translated it into (not its base name). */
export function translatedNames(item: CatalogItem): string[] {
  return CATALOG_LANGUAGES.flatMap((language) => {
    const name = item.translations?.[language]?.name;
    return name ? [name] : [];
  });
}
