import { describe, expect, it } from 'vitest';
import {
  currencyDigits,
  formatMoney,
  fromMinorUnits,
  isKnownCurrency,
  toMinorUnits,
} from '../../src/core/money.js';

/** `123.45` as a person types it and JSON.parse reads it, from an integer count of minor units. */
function typed(minor: number, digits: number): number {
  if (digits === 0) return Number(String(minor));
  const whole = Math.floor(minor / 10 ** digits);
  const fraction = String(minor % 10 ** digits).padStart(digits, '0');
  return Number(`${whole}.${fraction}`);
}

describe('currencyDigits', () => {
  it('when asked about EUR, JPY and BHD, then it gives the ISO 4217 decimals 2, 0 and 3', () => {
    expect(currencyDigits('EUR')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('BHD')).toBe(3);
    expect(currencyDigits('USD')).toBe(2);
  });
});

describe('isKnownCurrency', () => {
  it('when given ISO 4217 codes, then they are known; near misses are not', () => {
    expect(isKnownCurrency('EUR')).toBe(true);
    expect(isKnownCurrency('BHD')).toBe(true);
    expect(isKnownCurrency('EURO')).toBe(false);
    expect(isKnownCurrency('eur')).toBe(false);
    expect(isKnownCurrency('XYZ')).toBe(false);
    expect(isKnownCurrency('')).toBe(false);
  });
});

describe('toMinorUnits / fromMinorUnits', () => {
  it('when every cent from 0.00 to 99.99 EUR is converted, then each gives its exact integer and back', () => {
    const wrong: string[] = [];
    for (let cents = 0; cents < 10_000; cents += 1) {
      const amount = typed(cents, 2);
      const minor = toMinorUnits(amount, 'EUR');
      const back = fromMinorUnits(cents, 'EUR');
      if (minor !== cents || back !== amount) wrong.push(`${amount} → ${minor} → ${back}`);
    }
    expect(wrong).toEqual([]);
  });

  it('when every fils from 0.000 to 19.999 BHD is converted, then each gives its exact integer and back', () => {
    const wrong: string[] = [];
    for (let fils = 0; fils < 20_000; fils += 1) {
      const amount = typed(fils, 3);
      const minor = toMinorUnits(amount, 'BHD');
      const back = fromMinorUnits(fils, 'BHD');
      if (minor !== fils || back !== amount) wrong.push(`${amount} → ${minor} → ${back}`);
    }
    expect(wrong).toEqual([]);
  });

  it('when whole yen from 0 to 19 999 are converted, then each is its own minor amount', () => {
    const wrong: number[] = [];
    for (let yen = 0; yen < 20_000; yen += 1) {
      if (toMinorUnits(yen, 'JPY') !== yen || fromMinorUnits(yen, 'JPY') !== yen) wrong.push(yen);
    }
    expect(wrong).toEqual([]);
  });

  it('when amounts carry binary floating-point noise, then the intended minor amount comes out', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(toMinorUnits(0.1 + 0.2, 'EUR')).toBe(30);
    expect(toMinorUnits(1.1 + 2.2, 'EUR')).toBe(330);
    expect(toMinorUnits(4.35, 'EUR')).toBe(435); // 4.35 * 100 = 434.99999999999994
    expect(toMinorUnits(1.15, 'EUR')).toBe(115); // 1.15 * 100 = 114.99999999999999
    expect(toMinorUnits(1.005, 'BHD')).toBe(1005); // 1.005 * 1000 = 1004.9999999999999
    expect(toMinorUnits(9.5, 'EUR')).toBe(950);
    expect(toMinorUnits(1200, 'JPY')).toBe(1200);
    expect(toMinorUnits(1.234, 'BHD')).toBe(1234);
  });

  it('when an amount has more decimals than the currency allows, then the result is undefined', () => {
    expect(toMinorUnits(1.005, 'EUR')).toBeUndefined(); // the classic: 1.005 is not a cent amount
    expect(toMinorUnits(9.999, 'EUR')).toBeUndefined();
    expect(toMinorUnits(0.001, 'EUR')).toBeUndefined();
    expect(toMinorUnits(12.345, 'EUR')).toBeUndefined();
    expect(toMinorUnits(0.5, 'JPY')).toBeUndefined();
    expect(toMinorUnits(1199.99, 'JPY')).toBeUndefined();
    expect(toMinorUnits(1.2345, 'BHD')).toBeUndefined();
    expect(toMinorUnits(0.0001, 'BHD')).toBeUndefined();
  });

  it('when a large amount has a decimal too many, then it is still refused, not silently rounded', () => {
    // 1 234 567.891 EUR is not a cent amount whatever its size; accepting it would store 1 234 567.89.
    expect(toMinorUnits(1_234_567.891, 'EUR')).toBeUndefined();
    expect(toMinorUnits(123_456.7891, 'BHD')).toBeUndefined();
    expect(toMinorUnits(12_345_678.5, 'JPY')).toBeUndefined();
    // The same amounts at the currency's precision are fine.
    expect(toMinorUnits(1_234_567.89, 'EUR')).toBe(123_456_789);
    expect(toMinorUnits(123_456.789, 'BHD')).toBe(123_456_789);
  });

  it('when the amount is negative, NaN or infinite, then the result is undefined', () => {
    for (const currency of ['EUR', 'JPY', 'BHD']) {
      expect(toMinorUnits(-1, currency)).toBeUndefined();
      expect(toMinorUnits(-0.01, currency)).toBeUndefined();
      expect(toMinorUnits(Number.NaN, currency)).toBeUndefined();
      expect(toMinorUnits(Number.POSITIVE_INFINITY, currency)).toBeUndefined();
      expect(toMinorUnits(Number.NEGATIVE_INFINITY, currency)).toBeUndefined();
    }
  });

  it('when the amount is negative zero, then it is stored as plain zero (no "-€0.00" later)', () => {
    expect(Object.is(toMinorUnits(-0, 'EUR'), 0)).toBe(true);
    expect(formatMoney(toMinorUnits(-0, 'EUR') ?? 1, 'EUR')).toBe('€0.00');
  });

  it('when amounts are large, then results are safe integers or undefined, never imprecise numbers', () => {
    expect(toMinorUnits(Number.MAX_SAFE_INTEGER, 'JPY')).toBe(Number.MAX_SAFE_INTEGER);
    expect(toMinorUnits(90_071_992_547_409.91, 'EUR')).toBe(Number.MAX_SAFE_INTEGER);
    expect(toMinorUnits(123_456_789_012.34, 'EUR')).toBe(12_345_678_901_234);
    expect(toMinorUnits(Number.MAX_SAFE_INTEGER, 'EUR')).toBeUndefined();
    expect(toMinorUnits(1e17, 'EUR')).toBeUndefined();
    expect(toMinorUnits(Number.MAX_VALUE, 'BHD')).toBeUndefined();
    for (let exponent = 0; exponent <= 20; exponent += 1) {
      for (const currency of ['EUR', 'JPY', 'BHD']) {
        const minor = toMinorUnits(10 ** exponent, currency);
        if (minor !== undefined) expect(Number.isSafeInteger(minor)).toBe(true);
      }
    }
  });
});

describe('formatMoney', () => {
  it('when formatting minor units, then people see the amount in the currency and locale', () => {
    expect(formatMoney(1250, 'EUR')).toBe('€12.50');
    expect(formatMoney(950, 'EUR')).toBe('€9.50');
    expect(formatMoney(1200, 'JPY')).toBe('¥1,200');
    expect(formatMoney(1234, 'BHD')).toBe('BHD\u00a01.234');
    expect(formatMoney(1250, 'EUR', 'es')).toBe('12,50\u00a0€');
    expect(formatMoney(123_456_789, 'EUR')).toBe('€1,234,567.89');
  });

  it('when a price round-trips through minor units, then its formatting matches the typed amount', () => {
    for (const cents of [0, 1, 10, 99, 100, 101, 435, 999, 1005, 9999]) {
      expect(formatMoney(cents, 'EUR')).toBe(`€${typed(cents, 2).toFixed(2)}`);
    }
  });
});
