import ExcelJS from 'exceljs';
import { STATEMENT_LINE_HEADER as LINE_HEADER, statementLineRows, statementLinesCsv } from '../../core/export/statement-lines.ts';
import { exactNumberOf, xlsxNumberFormat as numberFormat, xlsxTextCell as textCell } from '../../core/export/xlsx-cell.ts';
import type { Statement, StatementTotals } from '../../core/settlement/index.ts';

/**
 * A statement's lines as CSV and XLSX for the partner's spreadsheet. Amounts come only from the
 * statement's decimal strings.
 *
 * CSV: every cell through core/export/csv-cell.ts (formula-like text is quote-prefixed; plain
 * signed decimals stay numbers).
 *
 * XLSX: an amount is a real numeric cell with a number format of the currency's digits. Excel
 * stores a number as an IEEE double written in decimal; exceljs writes String(Number(text)). We
 * write a number only when that round trip gives back exactly the statement's decimal (up to
 * trailing zeros), which holds for every amount of at most 15 significant digits; a longer one
 * (an exact pre-rounding base such as 19.233135523931267755165) is written as text, so no cell
 * ever shows a value the statement does not hold. Text cells get the same formula neutralization
 * as CSV, although exceljs never writes a string as a formula.
 */
export { exactNumberOf };

export { statementLinesCsv };

const AMOUNT_COLUMNS = new Set(['base_exact', 'base']);
const COUNT_COLUMNS = new Set(['transactions', 'late_transactions', 'agreement_version']);

const TOTALS_ORDER: readonly (keyof StatementTotals)[] = ['grossBase', 'shareEarned', 'platformSplit', 'platformFeeInSplit', 'mgTopUp', 'mgRecouped', 'capReduction', 'shareOwed', 'feesCharged', 'feesNet', 'vatOnFees', 'advanceRecouped', 'carryIn', 'withholdingTax', 'carryOut', 'writtenOff', 'platformRetained', 'payable'];

function setCell(cell: ExcelJS.Cell, text: string, kind: 'amount' | 'count' | 'text', format: string): void {
  const number = kind === 'text' ? null : exactNumberOf(text);
  if (number === null) {
    cell.value = textCell(text);
    return;
  }
  cell.value = number;
  if (kind === 'amount') cell.numFmt = format;
}

/** The lines (and the totals on a second sheet) as an XLSX workbook. */
export async function statementLinesXlsx(statement: Statement, createdAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'SettleDesk';
  workbook.created = createdAt;
  workbook.modified = createdAt;
  const format = numberFormat(statement.currencyDigits);
  const lines = workbook.addWorksheet('Lines');
  lines.addRow([...LINE_HEADER]).font = { bold: true };
  for (const row of statementLineRows(statement)) {
    const added = lines.addRow([]);
    row.forEach((text, index) => {
      const name = LINE_HEADER[index] ?? '';
      // base_exact is in the settlement currency but unrounded: it keeps its own digits (General format).
      setCell(added.getCell(index + 1), text, AMOUNT_COLUMNS.has(name) ? 'amount' : COUNT_COLUMNS.has(name) ? 'count' : 'text', name === 'base_exact' ? 'General' : format);
    });
  }
  lines.columns.forEach((column) => {
    column.width = 16;
  });
  const totals = workbook.addWorksheet('Totals');
  totals.addRow(['field', 'amount', 'currency']).font = { bold: true };
  for (const field of TOTALS_ORDER) {
    const added = totals.addRow([field]);
    setCell(added.getCell(2), statement.totals[field], 'amount', format);
    added.getCell(3).value = statement.settlementCurrency;
  }
  totals.getColumn(1).width = 22;
  totals.getColumn(2).width = 16;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
