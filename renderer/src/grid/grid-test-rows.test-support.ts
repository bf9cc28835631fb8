import type { GridColumn } from './columns.ts';

/** A small grid used by the grid tests: an id, a text that looks like a formula, an amount and its currency. */
export interface Line {
  readonly id: string;
  readonly memo: string;
  readonly amount: string;
  readonly currency: string;
  readonly count: number;
}

export const LINE_COLUMNS: readonly GridColumn<Line>[] = [
  { id: 'id', header: 'Id', kind: 'text', value: (row) => row.id },
  { id: 'memo', header: 'Memo', kind: 'text', value: (row) => row.memo },
  { id: 'amount', header: 'Amount', kind: 'amount', value: (row) => row.amount, currency: (row) => row.currency },
  { id: 'currency', header: 'Currency', kind: 'text', value: (row) => row.currency },
  { id: 'count', header: 'Count', kind: 'count', value: (row) => String(row.count) },
];

export const LINES: readonly Line[] = [
  { id: 'a', memo: '=HYPERLINK("http://x","pay")', amount: '1234.50', currency: 'EUR', count: 2 },
  { id: 'b', memo: 'refund\tlate', amount: '-0.10', currency: 'EUR', count: 1 },
  { id: 'c', memo: 'plain', amount: '1500', currency: 'KRW', count: 3 },
  { id: 'd', memo: '@SUM(A1)', amount: '0.20', currency: 'EUR', count: 1 },
];
