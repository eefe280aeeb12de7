/**
 * Money for people, from exact integer minor units: the number of decimals comes from ISO 4217 via Intl
 * (EUR 2, JPY 0, BHD 3). Pure (Intl is part of the language), so flows and src share this one copy.
 */
export function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

export function fromMinorUnits(minor: number, currency: string): number {
  const digits = currencyDigits(currency);
  return Number((minor / 10 ** digits).toFixed(digits));
}

/** A price for people, in the business's locale: `€12.50`, `¥1,200`. */
export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
    fromMinorUnits(minor, currency),
  );
}
