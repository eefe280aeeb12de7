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
  /** False while the business cannot sell it (sold out): the menu hides it, the item stays in the catalog. */
  available: boolean;
}
