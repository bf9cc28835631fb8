import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { addMinor, fromMinorUnits, MinorUnitsError, sumMinor, toMinorUnits } from './minor.ts';

/** The decimal.js reference: the sum of decimal strings, exactly. */
function referenceSum(amounts: readonly string[]): string {
  return amounts.reduce((total, amount) => total.plus(amount), new Decimal(0)).toFixed();
}

const amountAt = (exponent: number, max: bigint) =>
  fc.bigInt({ min: -max, max }).map((minor) => fromMinorUnits(minor, exponent));

describe('integer minor units', () => {
  it.each([
    ['12.34', 2, 1234],
    ['-12.34', 2, -1234],
    ['12.3', 2, 1230],
    ['12', 2, 1200],
    ['0.005', 3, 5],
    ['-2700', 0, -2700],
    ['2700.000', 0, 2700],
    ['0', 2, 0],
    ['-0.00', 2, 0],
  ] as const)('%s at exponent %i is %d', (text, exponent, minor) => {
    expect(toMinorUnits(text, exponent)).toBe(minor);
  });

  it('moves to BigInt beyond the safe-integer range, exactly', () => {
    expect(toMinorUnits('90071992547409.93', 2)).toBe(9007199254740993n);
    expect(toMinorUnits('-123456789012345678901234.56', 2)).toBe(-12345678901234567890123456n);
    expect(fromMinorUnits(-12345678901234567890123456n, 2)).toBe('-123456789012345678901234.56');
  });

  it('refuses more decimals than the currency has, instead of rounding', () => {
    expect(() => toMinorUnits('1.005', 2)).toThrow(MinorUnitsError);
    expect(() => toMinorUnits('5.5', 0)).toThrow(MinorUnitsError);
    expect(() => toMinorUnits('1.2.3', 2)).toThrow(MinorUnitsError);
    expect(() => toMinorUnits('1e3', 2)).toThrow(MinorUnitsError);
    expect(() => toMinorUnits('', 2)).toThrow(MinorUnitsError);
  });

  it('formats minor units with the currency digits', () => {
    expect(fromMinorUnits(5, 2)).toBe('0.05');
    expect(fromMinorUnits(-5, 3)).toBe('-0.005');
    expect(fromMinorUnits(1234, 0)).toBe('1234');
    expect(fromMinorUnits(0, 2)).toBe('0.00');
  });

  it('writes a kept small amount the same as one made each time, on both sides of the kept range (131,072 minor units)', () => {
    const cases: [number | bigint, number, string][] = [
      [131_071, 2, '1310.71'],
      [131_072, 2, '1310.72'],
      [-131_071, 2, '-1310.71'],
      [-131_072, 2, '-1310.72'],
      [131_071n, 2, '1310.71'],
      [-0, 2, '0.00'],
      [7, 4, '0.0007'],
      [7, 5, '0.00007'],
      [-99, 0, '-99'],
      [1, 3, '0.001'],
    ];
    // Twice each: made, then read from its slot.
    for (const [minor, exponent, text] of [...cases, ...cases]) expect(fromMinorUnits(minor, exponent)).toBe(text);
  });

  it('addMinor spills to BigInt instead of losing a unit', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(addMinor(max, 1)).toBe(BigInt(max) + 1n);
    expect(addMinor(-max, -2)).toBe(-BigInt(max) - 2n);
    expect(addMinor(BigInt(max) + 1n, -2)).toBe(max - 1);
  });

  it.each([0, 2, 3, 4])('the fast path equals the decimal.js reference to the unit (exponent %i)', (exponent) => {
    fc.assert(
      fc.property(fc.array(amountAt(exponent, 10n ** 17n), { maxLength: 200 }), (amounts) => {
        const fast = fromMinorUnits(sumMinor(amounts.map((amount) => toMinorUnits(amount, exponent))), exponent);
        expect(new Decimal(fast).equals(referenceSum(amounts))).toBe(true);
      }),
    );
  });

  it('the fast path equals the reference on sums far past 2^53', () => {
    fc.assert(
      fc.property(fc.array(amountAt(2, 9n * 10n ** 15n), { minLength: 50, maxLength: 300 }), (amounts) => {
        const fast = sumMinor(amounts.map((amount) => toMinorUnits(amount, 2)));
        expect(fromMinorUnits(fast, 2)).toBe(new Decimal(referenceSum(amounts)).toFixed(2));
      }),
    );
  });

  it('toMinorUnits and fromMinorUnits round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (exponent, minor) => {
        expect(BigInt(toMinorUnits(fromMinorUnits(minor, exponent), exponent))).toBe(minor);
      }),
    );
  });
});
