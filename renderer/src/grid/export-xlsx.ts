import { exactNumberOf, xlsxNumberFormat, xlsxTextCell } from '../../../core/export/xlsx-cell.ts';
import { isCurrencyCode, minorUnitsOf } from '../../../core/money/index.ts';
import { cellCurrency, cellText, isTotalRow, type GridColumn, type TotalRow } from './columns.ts';

/**
 * A grid as an XLSX workbook through exceljs (loaded on first use: it is large). Amounts are
 * numeric cells with their currency's number format when a double holds them exactly (core's
 * exactNumberOf), else text; counts are numbers; total rows are bold.
 */
export async function gridXlsx<T>(sheetName: string, columns: readonly GridColumn<T>[], rows: readonly (T | TotalRow)[], createdAt: Date): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'SettleDesk';
  workbook.created = createdAt;
  workbook.modified = createdAt;
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.addRow(columns.map((column) => column.header)).font = { bold: true };
  for (const row of rows) {
    const added = sheet.addRow([]);
    columns.forEach((column, index) => {
      const cell = added.getCell(index + 1);
      const text = cellText(column, row);
      if (text === null) return;
      const number = column.kind === 'amount' || column.kind === 'count' ? exactNumberOf(text) : null;
      if (number === null) {
        cell.value = xlsxTextCell(text);
        return;
      }
      cell.value = number;
      const currency = cellCurrency(column, row);
      if (column.kind === 'amount' && currency !== null && isCurrencyCode(currency)) cell.numFmt = xlsxNumberFormat(minorUnitsOf(currency));
    });
    if (isTotalRow(row)) added.font = { bold: true };
  }
  columns.forEach((column, index) => {
    sheet.getColumn(index + 1).width = column.kind === 'text' ? 28 : 16;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
