import { describe, expect, it } from 'vitest';
import { AMOUNT_FORMATS } from '../../../core/money/index.ts';
import { compareDecimal, decimalOfScaled, displayAmount, scaledFromInput, scaledOf } from './money.ts';

describe('grid money', () => {
  it('shows the currency digits and the locale grouping, never rounding', () => {
    expect(displayAmount('1234567.5', 'EUR', 'en')).toBe('1,234,567.50');
    expect(displayAmount('-1234567', 'KRW', 'en')).toBe('-1,234,567');
    expect(displayAmount('12.345', 'KWD', 'de')).toBe('12,345');
    expect(displayAmount('1.2', 'KWD', 'en')).toBe('1.200');
    // An unrounded base keeps every digit it has.
    expect(displayAmount('10.005', 'EUR', 'en')).toBe('10.005');
    expect(displayAmount(null, 'EUR', 'en')).toBe('');
  });

  it('sorts exactly where floats cannot tell amounts apart', () => {
    // As doubles both are 9007199254740992: a float sort calls them equal.
    expect(compareDecimal('9007199254740993.01', '9007199254740992.99')).toBe(1);
    expect(compareDecimal('0.1', '0.10')).toBe(0);
    expect(compareDecimal('-5', '3')).toBe(-1);
    expect(compareDecimal(null, '-100')).toBe(-1);
    const sorted = ['10.00', '9.99', '-0.01', '100'].sort(compareDecimal);
    expect(sorted).toEqual(['-0.01', '9.99', '10.00', '100']);
  });

  it('filters on exact scaled integers read from the analyst\'s own format', () => {
    expect(scaledFromInput('1,234.5', AMOUNT_FORMATS.en)).toBe(scaledOf('1234.50'));
    expect(scaledFromInput('1.234,5', AMOUNT_FORMATS.de)).toBe(scaledOf('1234.5'));
    expect(scaledFromInput('abc', AMOUNT_FORMATS.en)).toBeNull();
    // 0.1 + 0.2 and 0.3 are one value here (as doubles they differ).
    expect(scaledOf('0.3')).toBe(scaledOf('0.1')! + scaledOf('0.2')!);
    expect(decimalOfScaled(scaledOf('-12.5'))).toBe('-12.5');
  });
});
