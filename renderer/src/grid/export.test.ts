import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AMOUNT_FORMATS } from '../../../core/money/index.ts';
import type { TotalRow } from './columns.ts';
import { rowsToTsv } from './copy.ts';
import { csvBytes, gridCsv } from './export-csv.ts';
import { gridXlsx } from './export-xlsx.ts';
import { LINE_COLUMNS, LINES } from './grid-test-rows.test-support.ts';

const TOTAL: TotalRow = { kind: 'total', label: 'Total EUR', currency: 'EUR', count: 3, amounts: { amount: '1234.60' } };

describe('grid copy and export', () => {
  it('copies rows as TSV a spreadsheet reads as numbers and never as formulas', () => {
    const text = rowsToTsv(LINE_COLUMNS, LINES.slice(0, 2), AMOUNT_FORMATS.en);
    expect(text.split('\n')).toEqual([
      'Id\tMemo\tAmount\tCurrency\tCount',
      'a\t\'=HYPERLINK("http://x","pay")\t1234.50\tEUR\t2',
      'b\trefund late\t-0.10\tEUR\t1',
    ]);
    // A German desk pastes into a German spreadsheet: decimal comma, no grouping.
    expect(rowsToTsv(LINE_COLUMNS, [LINES[0]!], AMOUNT_FORMATS.de).split('\n')[1]).toContain('\t1234,50\t');
  });

  it('exports CSV through core\'s neutralizer, with exact amounts and a total row', () => {
    const csv = gridCsv(LINE_COLUMNS, [...LINES, TOTAL]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('Id,Memo,Amount,Currency,Count');
    expect(lines[1]).toBe('a,"\'=HYPERLINK(""http://x"",""pay"")",1234.50,EUR,2');
    expect(lines[2]).toBe('b,refund\tlate,-0.10,EUR,1');
    expect(lines[4]).toBe('d,"\'@SUM(A1)",0.20,EUR,1');
    expect(lines[5]).toBe(',,1234.60,,');
    expect([...csvBytes('x').slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('exports XLSX with numeric amounts in the currency\'s number format', async () => {
    const bytes = await gridXlsx('Lines', LINE_COLUMNS, [...LINES, TOTAL], new Date('2026-04-01T00:00:00Z'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const sheet = book.getWorksheet('Lines');
    expect(sheet).toBeDefined();
    const row = (index: number) => sheet!.getRow(index);
    expect(row(2).getCell(3).value).toBe(1234.5);
    expect(row(2).getCell(3).numFmt).toBe('#,##0.00');
    expect(row(4).getCell(3).value).toBe(1500);
    expect(row(4).getCell(3).numFmt).toBe('#,##0');
    expect(row(2).getCell(2).value).toBe('\'=HYPERLINK("http://x","pay")');
    expect(row(2).getCell(5).value).toBe(2);
    expect(row(6).getCell(3).value).toBe(1234.6);
    expect(row(6).font?.bold).toBe(true);
  });
});
