import { describe, expect, it } from 'vitest';
import { currencyCodes, isCurrencyCode, minorUnitsOf, UnknownCurrencyError } from './iso4217.ts';

function intlDigits(code: string): number | null {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? null;
  } catch {
    return null;
  }
}

describe('ISO 4217 minor units', () => {
  it.each([
    ['IQD', 3],
    ['HUF', 2],
    ['IDR', 2],
    ['COP', 2],
    ['MGA', 2],
  ])('%s has %i minor digits where Intl disagrees', (code, digits) => {
    expect(minorUnitsOf(code)).toBe(digits);
    expect(intlDigits(code)).not.toBe(digits);
  });

  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['EUR', 2],
    ['USD', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['TND', 3],
    ['CLF', 4],
    ['UYW', 4],
  ])('%s has %i minor digits', (code, digits) => {
    expect(minorUnitsOf(code)).toBe(digits);
  });

  it('rejects a made-up code that Intl accepts', () => {
    expect(intlDigits('ABC')).not.toBeNull();
    expect(() => minorUnitsOf('ABC')).toThrow(UnknownCurrencyError);
    try {
      minorUnitsOf('ABC');
    } catch (error) {
      expect((error as UnknownCurrencyError).code).toBe('currency_unknown');
      expect((error as Error).message).toContain('"ABC"');
    }
  });

  it('refuses metals, test codes, lower case and withdrawn codes', () => {
    for (const code of ['XAU', 'XAG', 'XTS', 'XXX', 'eur', 'EURO', '', 'DEM', 'HRK']) expect(isCurrencyCode(code)).toBe(false);
  });

  it('lists each active code once, all three upper-case letters', () => {
    const codes = currencyCodes();
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThan(150);
    for (const code of codes) expect(code).toMatch(/^[A-Z]{3}$/);
  });
});
