import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRecord, isFormulaLike } from './csv-cell.ts';

describe('csvCell', () => {
  it('neutralizes every cell a spreadsheet would evaluate', () => {
    for (const formula of ['=1+1', '=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '-', '+', '-12.50)', '--1', '-1e5', '=', '@']) {
      expect(isFormulaLike(formula), formula).toBe(true);
      expect(csvCell(formula).startsWith(`"'`), formula).toBe(true);
    }
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('leaves plain amounts and ordinary text as they are', () => {
    for (const amount of ['-12.50', '+3', '1000', '0.001', '-0']) expect(csvCell(amount)).toBe(amount);
    expect(csvCell('Studio Nord')).toBe('Studio Nord');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('quotes delimiters, quotes and line breaks per RFC 4180', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('a record reads back with the same amounts and the text behind one quote', () => {
    const record = csvRecord(['tx-1', '-12.50', '=cmd|/C calc!A0', 'Refund, partial', '+7']);
    const [row] = Papa.parse<string[]>(record, { header: false }).data;
    // Hand-written expectation: amounts unchanged, the formula kept as text behind a quote.
    expect(row).toEqual(['tx-1', '-12.50', "'=cmd|/C calc!A0", 'Refund, partial', '+7']);
  });
});
