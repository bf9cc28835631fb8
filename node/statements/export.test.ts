import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { HAND, handStatement } from './fixtures.test-support.ts';
import { exactNumberOf, statementLinesCsv, statementLinesXlsx } from './export.ts';

describe('statement lines as CSV', () => {
  it('writes one row per line with the exact decimal strings and neutralizes formula text', () => {
    const csv = statementLinesCsv(handStatement('=HYPERLINK("http://evil","x")'));
    const rows = csv.split('\r\n').filter((line) => line.length > 0);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^partner_id,period_start,period_end,/);
    // The EUR line: 100.00 + 50.00 - 20.00 = 130.00; the JPY line 1000 / 160 = 6.25.
    expect(rows[1]).toContain(',EUR,3,0,130,130.00,EUR,exact,');
    expect(rows[2]).toContain(`,JPY,1,0,${HAND.jpyBase},${HAND.jpyBase},EUR,exact,`);
    expect(rows[1]).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
  });
});

describe('statement lines as XLSX', () => {
  it('holds amounts as numeric cells with the currency format, read back equal to the decimals', async () => {
    const workbook = new ExcelJS.Workbook();
    const bytes = await statementLinesXlsx(handStatement('=cmd|calc'), new Date('2026-02-01T00:00:00Z'));
    // exceljs declares its own Buffer (an ArrayBuffer): hand it exactly the workbook's bytes.
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const lines = workbook.getWorksheet('Lines');
    const header = (lines?.getRow(1).values as unknown[]).slice(1);
    const base = header.indexOf('base') + 1;
    const product = header.indexOf('product_id') + 1;
    const euro = lines?.getRow(2);
    expect(euro?.getCell(base).value).toBe(130);
    expect(euro?.getCell(base).numFmt).toBe('#,##0.00');
    expect(lines?.getRow(3).getCell(base).value).toBe(6.25);
    expect(euro?.getCell(product).value).toBe("'=cmd|calc");
    const totals = workbook.getWorksheet('Totals');
    const payable = totals?.getRows(2, 18)?.find((row) => row.getCell(1).value === 'payable');
    expect(payable?.getCell(2).value).toBe(95.08);
    expect(payable?.getCell(2).numFmt).toBe('#,##0.00');
  });

  it('writes a number only when the double shows the decimal exactly, else text', () => {
    expect(exactNumberOf('95.08')).toBe(95.08);
    expect(exactNumberOf('-0.30')).toBe(-0.3);
    expect(exactNumberOf('1348711')).toBe(1348711);
    expect(exactNumberOf('19.233135523931267755165')).toBeNull();
    expect(exactNumberOf('12345678901234567.89')).toBeNull();
    expect(exactNumberOf('=1+1')).toBeNull();
  });
});
