import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';
import { ITEM_COLUMNS } from '../../../engine/unmatched-items.ts';
import type { GridColumn } from '../../grid/columns.ts';

/**
 * The columns of Reconciliation's unmatched items (both sides): each column's text is the one the
 * engine worker sorts and filters on (ITEM_COLUMNS), the date shown in the desk's date style over
 * the ISO date underneath.
 */
export function itemColumns(t: (key: string) => string, formatDate: (value: string) => string): GridColumn<CanonicalTransaction>[] {
  const { textOf } = ITEM_COLUMNS;
  return [
    // Wide enough for the pinned totals' label ("Total EUR (12)") in the first column.
    { id: 'date', header: t('reconciliation.columns.date'), kind: 'date', value: textOf.date, width: 140, display: (value) => (value === null ? '' : formatDate(value)) },
    { id: 'amount', header: t('reconciliation.columns.amount'), kind: 'amount', value: textOf.amount, currency: (tx) => tx.currency, width: 130 },
    { id: 'currency', header: t('reconciliation.columns.currency'), kind: 'text', value: textOf.currency, width: 90 },
    { id: 'reference', header: t('reconciliation.columns.reference'), kind: 'text', value: textOf.reference, width: 170 },
    { id: 'description', header: t('reconciliation.columns.description'), kind: 'text', value: textOf.description, flex: 1, width: 200 },
  ];
}
