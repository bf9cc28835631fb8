import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecimalSums, canonicalMinorUnits } from './decimal-sums.ts';
import { add, money, zero } from './money.ts';

/** Today's reference: core/money's decimal.js add(), one amount after the other. */
function decimalJsSum(amounts: readonly string[], currency: string): string {
  return amounts.reduce((running, amount) => add(running, money(amount, currency)), zero(currency)).amount;
}

function fastSum(amounts: readonly string[], currency: string): string {
  const sums = new DecimalSums(currency, 1);
  for (const amount of amounts) sums.add(0, amount);
  return sums.total(0);
}

const digitString = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((digits) => digits.join(''));
/** Canonical decimal strings: 0 or a non-zero-led integer of up to 22 digits, no fraction or up to 6 decimals (beyond every tested currency's digits). */
const decimalText = fc
  .tuple(fc.boolean(), fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom(...'123456789'), digitString(0, 21)).map(([head, tail]) => head + tail)), fc.option(digitString(1, 6), { nil: undefined }))
  .map(([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}`);
/** Amounts with at most the currency's decimals (the hot path), some with trailing zeros beyond them. */
const amountOf = (digits: number) =>
  fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.nat(2))
    .map(([negative, minor, zeros]) => {
      const text = minor.toString().padStart(digits + 1, '0');
      const body = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
      const padded = zeros > 0 ? `${body}${digits === 0 ? '.' : ''}${'0'.repeat(zeros)}` : body;
      return `${negative ? '-' : ''}${padded}`;
    });
const currencies = [['JPY', 0], ['EUR', 2], ['KWD', 3]] as const;

describe('DecimalSums', () => {
  it('adds a hand-worked column exactly', () => {
    // 1234.50 - 0.10 + 0.20 + 0.005 - 1234.605 = 0.000 -> "0.00"; as doubles 1234.5 - 0.1 + 0.2 is 1234.6000000000001.
    expect(fastSum(['1234.50', '-0.10', '0.20'], 'EUR')).toBe('1234.60');
    expect(fastSum(['1234.50', '-0.10', '0.20', '0.005', '-1234.605'], 'EUR')).toBe('0.00');
    // 2^53 = 9007199254740992 yen + 1 + 1 = 9007199254740994 (as doubles the two ones are lost).
    expect(fastSum(['9007199254740992', '1', '1'], 'JPY')).toBe('9007199254740994');
    // 12.345 + 0.001 = 12.346 KWD; an empty column is zero with the currency's digits.
    expect(fastSum(['12.345', '0.001'], 'KWD')).toBe('12.346');
    expect(fastSum([], 'KWD')).toBe('0.000');
    expect(fastSum([], 'JPY')).toBe('0');
  });

  it('equals the decimal.js sum on random decimal strings of every currency digit count', () => {
    for (const [currency, digits] of currencies) {
      fc.assert(
        fc.property(fc.array(fc.oneof(decimalText, amountOf(digits)), { maxLength: 60 }), (amounts) => {
          expect(fastSum(amounts, currency)).toBe(decimalJsSum(amounts, currency));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('equals the decimal.js sum past 2^53 minor units and back', () => {
    for (const [currency, digits] of currencies) {
      // Amounts near 2^53 / 4 minor units: a handful of them passes 2^53, negatives bring it back.
      const quarter = 2n ** 51n;
      const near = fc.tuple(fc.boolean(), fc.bigInt({ min: quarter - 1000n, max: quarter + 1000n })).map(([negative, minor]) => {
        const text = minor.toString();
        const body = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
        return negative ? `-${body}` : body;
      });
      fc.assert(
        fc.property(fc.array(fc.oneof(near, amountOf(digits)), { minLength: 5, maxLength: 40 }), (amounts) => {
          expect(fastSum(amounts, currency)).toBe(decimalJsSum(amounts, currency));
        }),
        { numRuns: 200 },
      );
    }
  });

  it('throws the same error as money() for a text that is not a canonical decimal', () => {
    for (const text of ['1,5', '01', '1.', '.5', '', '-', '1e3', ' 1']) {
      expect(canonicalMinorUnits(text, 2)).toBeNull();
      expect(() => fastSum([text], 'EUR')).toThrow(expect.objectContaining({ code: 'amount_not_decimal' }));
    }
  });

  it('reads a canonical text into minor units, leaving extra significant decimals to decimal.js', () => {
    expect(canonicalMinorUnits('-1234.5', 2)).toBe(-123450);
    expect(canonicalMinorUnits('7.000', 0)).toBe(7);
    expect(canonicalMinorUnits('-0.00', 2)).toBe(0);
    expect(canonicalMinorUnits('0.005', 2)).toBeNull();
    expect(canonicalMinorUnits('123456789012345678.9', 2)).toBe(12345678901234567890n);
  });
});
