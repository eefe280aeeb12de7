import { currencyDigits } from '../../flows/ordering/money.js';

export { currencyDigits, formatMoney, fromMinorUnits } from '../../flows/ordering/money.js';

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
