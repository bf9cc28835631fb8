import { csvRecord } from '../../../core/export/csv-cell.ts';
import { cellText, type GridColumn, type TotalRow } from './columns.ts';

/**
 * A grid as CSV for people: header first, CRLF line ends, every cell through core's csvCell
 * (formula-like text quote-prefixed, plain signed decimals kept as numbers), amounts as their
 * canonical decimal strings so the file re-imports with the same amounts.
 */
export function gridCsv<T>(columns: readonly GridColumn<T>[], rows: readonly (T | TotalRow)[]): string {
  const lines = [csvRecord(columns.map((column) => column.header))];
  for (const row of rows) lines.push(csvRecord(columns.map((column) => cellText(column, row) ?? '')));
  return lines.map((line) => `${line}\r\n`).join('');
}

/** UTF-8 with a byte order mark, so Excel opens Korean text correctly. */
export function csvBytes(text: string): Uint8Array {
  const body = new TextEncoder().encode(text);
  const bytes = new Uint8Array(body.length + 3);
  bytes.set([0xef, 0xbb, 0xbf]);
  bytes.set(body, 3);
  return bytes;
}
