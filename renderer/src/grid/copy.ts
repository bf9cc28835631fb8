import { isFormulaLike } from '../../../core/export/csv-cell.ts';
import type { AmountFormat } from '../../../core/money/index.ts';
import { cellText, clipboardText, type GridColumn, type TotalRow } from './columns.ts';

/**
 * Copy on AG Grid Community (its clipboard module is Enterprise): the selected rows, or the
 * focused cell, as tab-separated text through the browser clipboard API. A cell a spreadsheet
 * would evaluate as a formula is quote-prefixed, as in our CSV exports: pasting must not run
 * "=HYPERLINK(...)" from a bank narrative.
 */
function tsvCell(text: string): string {
  const flat = text.replace(/[\t\r\n]+/g, ' ');
  return isFormulaLike(flat) ? `'${flat}` : flat;
}

/** Rows as TSV with a header line; columns in grid order. */
export function rowsToTsv<T>(columns: readonly GridColumn<T>[], rows: readonly (T | TotalRow)[], format: AmountFormat): string {
  const header = columns.map((column) => tsvCell(column.header)).join('\t');
  const body = rows.map((row) => columns.map((column) => tsvCell(clipboardText(column.kind, cellText(column, row), format))).join('\t'));
  return [header, ...body].join('\n');
}

/** One cell, without a header (Ctrl+C with no row selected). */
export function cellToTsv<T>(column: GridColumn<T>, row: T | TotalRow, format: AmountFormat): string {
  return tsvCell(clipboardText(column.kind, cellText(column, row), format));
}

/** Writes text to the system clipboard; false when the browser refuses (no permission, no focus). */
export async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
