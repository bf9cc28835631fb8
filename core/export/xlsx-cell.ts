import { isFormulaLike } from './csv-cell.ts';

/**
 * Cells of every XLSX the project writes (statements in node/, grids in the renderer). Excel
 * stores a number as an IEEE double written in decimal; exceljs writes String(Number(text)). A
 * decimal becomes a numeric cell only when that round trip gives back exactly the same decimal
 * (up to trailing zeros), which holds for every amount of at most 15 significant digits; a longer
 * one is written as text, so no cell ever shows a value the source does not hold.
 */

/** Trailing zeros of the fraction and a bare point removed: "12.50" -> "12.5", "3.00" -> "3". */
function normalizedDecimal(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** The number a cell may hold for this decimal string, or null when a double cannot show it exactly. */
export function exactNumberOf(text: string): number | null {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  const value = Number(text);
  const expected = normalizedDecimal(text).replace(/^-0$/, '0');
  return Number.isFinite(value) && String(value) === expected ? value : null;
}

/** Excel number format showing a currency's minor digits with grouping: 2 -> "#,##0.00", 0 -> "#,##0". */
export function xlsxNumberFormat(digits: number): string {
  return digits === 0 ? '#,##0' : `#,##0.${'0'.repeat(digits)}`;
}

/** A text cell with the same formula neutralization as CSV (exceljs never writes a string as a formula, but a re-save as CSV might). */
export function xlsxTextCell(value: string): string {
  return isFormulaLike(value) ? `'${value}` : value;
}
