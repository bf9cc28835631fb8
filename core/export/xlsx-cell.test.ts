import { describe, expect, it } from 'vitest';
import { exactNumberOf, xlsxNumberFormat, xlsxTextCell } from './xlsx-cell.ts';

describe('xlsx cells', () => {
  it('writes a decimal as a number only when the double shows it exactly', () => {
    expect(exactNumberOf('1234.50')).toBe(1234.5);
    expect(exactNumberOf('-0.30')).toBe(-0.3);
    // 17 significant digits: the nearest double is 12345678901234568, not the decimal.
    expect(exactNumberOf('12345678901234567')).toBeNull();
    expect(exactNumberOf('1e3')).toBeNull();
  });

  it('formats the currency digits and neutralizes formula text', () => {
    expect(xlsxNumberFormat(0)).toBe('#,##0');
    expect(xlsxNumberFormat(3)).toBe('#,##0.000');
    expect(xlsxTextCell('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(xlsxTextCell('-12.50')).toBe('-12.50');
  });
});
