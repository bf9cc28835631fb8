import type { AmountFormat } from '../../../core/money/index.ts';
import { compareDecimal } from './money.ts';

/**
 * One column description serves the grid (columns-def.ts), the clipboard (copy.ts) and the
 * exports (export-csv.ts, export-xlsx.ts), so what is copied or exported is exactly what the
 * grid holds: canonical text, with amounts as decimal strings.
 */
export type ColumnKind = 'text' | 'amount' | 'count' | 'date';

export interface GridColumn<T> {
  readonly id: string;
  /** Already translated. */
  readonly header: string;
  readonly kind: ColumnKind;
  /** Canonical text: a decimal string for an amount, ISO for a date. */
  readonly value: (row: T) => string | null;
  /** An amount's currency (its digits); required for kind 'amount'. */
  readonly currency?: (row: T) => string | null;
  readonly width?: number;
  readonly flex?: number;
  readonly pinned?: 'left' | 'right';
  /**
   * Editable in the grid: `set` writes the new value into the row (the grid's own copy, so undo
   * and redo replay through it) and the screen persists it. Returns false to refuse the value.
   */
  readonly editor?: { readonly kind: 'text' | 'select'; readonly values?: readonly string[]; readonly set: (row: T, value: string | null) => boolean };
  /** For a coded text column (severity, status): sort by position in this list instead of alphabetically. */
  readonly order?: readonly string[];
  /** A CSS class for a body cell from its canonical value (severity chips, status colours). */
  readonly cellClass?: (value: string | null) => string | undefined;
  /** How the grid shows a value (a translated status); exports keep the canonical text. */
  readonly display?: (value: string | null, row: T) => string;
}

/**
 * A pinned bottom row: a label and exact totals per amount column, computed by totals.ts with
 * core/money (never the grid's aggregation, which sums floats and is Enterprise anyway).
 */
export interface TotalRow {
  readonly kind: 'total';
  readonly label: string;
  readonly currency: string;
  readonly amounts: Readonly<Record<string, string>>;
  readonly count: number;
}

export function isTotalRow(row: unknown): row is TotalRow {
  return typeof row === 'object' && row !== null && (row as { kind?: unknown }).kind === 'total' && 'amounts' in row;
}

/** A column's canonical text for a body row or a total row. */
export function cellText<T>(column: GridColumn<T>, row: T | TotalRow): string | null {
  if (!isTotalRow(row)) return column.value(row);
  if (column.kind === 'amount') return row.amounts[column.id] ?? null;
  return null;
}

export function cellCurrency<T>(column: GridColumn<T>, row: T | TotalRow): string | null {
  if (isTotalRow(row)) return row.currency;
  return column.currency?.(row) ?? null;
}

/** Exact ordering of two canonical values of a column. */
export function compareCells(kind: ColumnKind, a: string | null, b: string | null, order?: readonly string[]): number {
  if (order !== undefined) return order.indexOf(a ?? '') - order.indexOf(b ?? '');
  if (kind === 'amount') return compareDecimal(a, b);
  if (kind === 'count') return compareDecimal(a, b);
  const left = a ?? '';
  const right = b ?? '';
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A value as copied to the clipboard: amounts in the locale's decimal mark, no grouping, so a spreadsheet reads a number. */
export function clipboardText(kind: ColumnKind, value: string | null, format: AmountFormat): string {
  if (value === null) return '';
  if (kind === 'amount' && format.decimalSeparator === ',') return value.replace('.', ',');
  return value;
}
