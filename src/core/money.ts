/**
 * Money for people, from exact integer minor units: the number of decimals comes from ISO 4217 via Intl
 * (EUR 2, JPY 0, BHD 3). Pure (Intl is part of the language), so flows, the portal, the admin API and the
 * order service share this one copy instead of each rounding its own way.
 */

/** How many decimals a currency has (EUR 2, JPY 0, BHD 3), from Intl; 2 when Intl does not say. */
export function currencyDigits(currency: string): number {
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    DIGITS.set(currency, digits);
  }
  return digits;
}

/**
 * Formatters and decimals per currency (and locale), made once: building an `Intl.NumberFormat` costs far
 * more than formatting with it, and every menu and cart line formats prices. Bounded by the currencies and
 * languages a deployment uses; an unknown currency throws before anything is kept.
 */
const DIGITS = new Map<string, number>();
const FORMATS = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}`;
  let format = FORMATS.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    if (FORMATS.size < 1_000) FORMATS.set(key, format);
  }
  return format;
}

/** Minor units (1250) to major units (12.5), rounded to the currency's decimals. */
export function fromMinorUnits(minor: number, currency: string): number {
  const digits = currencyDigits(currency);
  return Number((minor / 10 ** digits).toFixed(digits));
}

/** A price for people, in the business's locale: `€12.50`, `¥1,200`. */
export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  return moneyFormat(locale, currency).format(fromMinorUnits(minor, currency));
}

/** Whether a code is an ISO 4217 currency this runtime knows: a business's settings are checked with it. */
export function isKnownCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  return Intl.supportedValuesOf('currency').includes(code);
}

/**
 * Major units (as typed by a person: 12.5) to minor units (1250), or undefined when the amount has more
 * decimals than the currency allows (12.345 EUR) or is not a finite, non-negative number.
 */
export function toMinorUnits(amount: number, currency: string): number | undefined {
  if (!Number.isFinite(amount) || amount < 0) return undefined;
  const scaled = amount * 10 ** currencyDigits(currency);
  const minor = Math.round(scaled);
  if (!Number.isSafeInteger(minor)) return undefined;
  // Accept only amounts the currency can represent: binary noise (0.1 + 0.2, 4.35) is within a few ulps of
  // an integer, a decimal too many (12.345 EUR, 1234567.891 EUR) is not.
  if (Math.abs(scaled - minor) > Math.max(1, scaled) * 8 * Number.EPSILON) return undefined;
  return minor === 0 ? 0 : minor;
}
