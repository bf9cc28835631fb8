import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount } from './format.ts';
import { AMOUNT_FORMATS, parseAmount, parseAmountOrThrow, type AmountFormat } from './parse.ts';

const ok = (value: string | null) => ({ ok: true, value });

describe('parseAmount on real-world text', () => {
  it.each([
    ['1234.56', 'plain', '1234.56'],
    ['1,234.56', 'en', '1234.56'],
    ['1.234,56', 'de', '1234.56'],
    ['1 234,56', 'fr', '1234.56'],
    ['1\u00a0234,56', 'fr', '1234.56'],
    ['1\u202f234\u202f567,8', 'fr', '1234567.8'],
    ["1'234.56", 'ch', '1234.56'],
    ['1234,56', 'plain-comma', '1234.56'],
    ['(12.00)', 'en', '-12.00'],
    ['( 12.00 )', 'en', '-12.00'],
    ['-12', 'plain', '-12'],
    ['12-', 'plain', '-12'],
    ['+12.5', 'plain', '12.5'],
    ['  7.10 ', 'plain', '7.10'],
    ['0007.10', 'plain', '7.10'],
    ['9,', 'plain-comma', '9'],
    [',5', 'plain-comma', '0.5'],
    ['-0.00', 'plain', '0.00'],
    ['1,000,000', 'en', '1000000'],
    ['99999999999999999999.99', 'plain', '99999999999999999999.99'],
  ] as const)('%j in %s is %s', (text, name, expected) => {
    expect(parseAmount(text, AMOUNT_FORMATS[name])).toEqual(ok(expected));
  });

  it.each([
    ['+1e3', 'plain', 'amount_exponent'],
    ['1E-2', 'plain', 'amount_exponent'],
    ['', 'plain', 'amount_empty'],
    ['   ', 'plain', 'amount_empty'],
    ['-', 'plain', 'amount_empty'],
    ['-(12.00)', 'en', 'amount_sign_ambiguous'],
    ['-12-', 'plain', 'amount_sign_ambiguous'],
    ['1,23.45', 'en', 'amount_grouping'],
    ['1234,56', 'en', 'amount_grouping'],
    ['1.234.5', 'de', 'amount_grouping'],
    ['1,234.56', 'plain', 'amount_grouping'],
    ['12.3.4', 'plain', 'amount_not_decimal'],
    ['$12.00', 'plain', 'amount_not_decimal'],
    ['12 EUR', 'plain', 'amount_not_decimal'],
    ['NaN', 'plain', 'amount_not_decimal'],
    ['Infinity', 'plain', 'amount_not_decimal'],
    ['0x1F', 'plain', 'amount_not_decimal'],
    ['.', 'plain', 'amount_not_decimal'],
    ['1'.repeat(65), 'plain', 'amount_too_long'],
  ] as const)('%j in %s is refused with %s', (text, name, code) => {
    const result = parseAmount(text, AMOUNT_FORMATS[name]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });

  it.each([
    ['x'.repeat(65), 'plain', 'amount_too_long', 'too_long', { max: '64' }, `amount "${'x'.repeat(20)}…": longer than 64 characters`],
    ['', 'plain', 'amount_empty', 'empty', {}, 'amount "": empty, expected a number'],
    [' - ', 'plain', 'amount_empty', 'lone_dash', {}, 'amount " - ": a lone "-", expected a number'],
    ['1E-2', 'plain', 'amount_exponent', 'exponent', {}, 'amount "1E-2": exponent notation is not accepted in amounts'],
    ['-(12.00)', 'en', 'amount_sign_ambiguous', 'sign_ambiguous', {}, 'amount "-(12.00)": more than one sign (minus, trailing minus or parentheses)'],
    ['12.5O', 'plain', 'amount_not_decimal', 'fraction_not_digits', { decimalSeparator: '.' }, 'amount "12.5O": expected digits after the decimal separator "."'],
    ['.', 'plain', 'amount_not_decimal', 'no_digits', {}, 'amount ".": no digits'],
    ['1,2,3', 'plain-comma', 'amount_not_decimal', 'decimal_twice', { decimalSeparator: ',' }, 'amount "1,2,3": more than one decimal separator ","'],
    ['1.234.5', 'de', 'amount_grouping', 'grouping', { decimalSeparator: ',', groupSeparators: '["."]' }, 'amount "1.234.5": digit grouping does not match the format (decimal separator ",", group separators ["."])'],
    ['$12.00', 'plain', 'amount_not_decimal', 'not_a_number', {}, 'amount "$12.00": expected a number such as 1234.56'],
  ] as const)('%j in %s is refused as %s, its cause %s with its values, said in words from them', (text, name, code, cause, values, message) => {
    expect(parseAmount(text, AMOUNT_FORMATS[name])).toEqual({ ok: false, code, cause, values, text: text.length > 64 ? `${text.slice(0, 20)}…` : text, message });
  });

  it('names the offending text in the message', () => {
    const result = parseAmount('12,34.5', AMOUNT_FORMATS.en);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('"12,34.5"');
  });

  it('handles empty cells and dashes per policy', () => {
    const zeroes: AmountFormat = { ...AMOUNT_FORMATS.en, emptyAs: 'zero', dashAs: 'zero' };
    const nulls: AmountFormat = { ...AMOUNT_FORMATS.en, emptyAs: 'null', dashAs: 'null' };
    expect(parseAmount('', zeroes)).toEqual(ok('0'));
    expect(parseAmount('-', zeroes)).toEqual(ok('0'));
    expect(parseAmount('', nulls)).toEqual(ok(null));
    expect(parseAmount(' - ', nulls)).toEqual(ok(null));
  });

  it('keeps every digit of amounts beyond float precision', () => {
    expect(parseAmount('9007199254740993.01', AMOUNT_FORMATS.plain)).toEqual(ok('9007199254740993.01'));
    expect(parseAmount('0.1000000000000000055511151231257827', AMOUNT_FORMATS.plain)).toEqual(ok('0.1000000000000000055511151231257827'));
  });

  it('parseAmountOrThrow carries the location', () => {
    expect(() => parseAmountOrThrow('abc', AMOUNT_FORMATS.plain, { file: 'a.csv', line: 7, column: 'Amount' })).toThrowError(
      expect.objectContaining({ code: 'amount_not_decimal', location: { file: 'a.csv', line: 7, column: 'Amount' } }),
    );
  });
});

describe('format and parse round-trip', () => {
  const canonicalDecimal = fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 24n }), fc.option(fc.stringMatching(/^\d{1,6}$/), { nil: undefined }))
    .map(([negative, integer, fraction]) => {
      const text = fraction === undefined ? `${integer}` : `${integer}.${fraction}`;
      return negative && /[1-9]/.test(text) ? `-${text}` : text;
    });

  it.each(Object.keys(AMOUNT_FORMATS) as (keyof typeof AMOUNT_FORMATS)[])('parse(format(x)) === x in %s', (name) => {
    fc.assert(
      fc.property(canonicalDecimal, (amount) => {
        expect(parseAmount(formatAmount(amount, AMOUNT_FORMATS[name]), AMOUNT_FORMATS[name])).toEqual(ok(amount));
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.constantFrom(...Object.values(AMOUNT_FORMATS)), (text, format) => {
        const result = parseAmount(text, format);
        if (result.ok && result.value !== null) expect(result.value).toMatch(/^-?\d+(\.\d+)?$/);
      }),
    );
  });
});
