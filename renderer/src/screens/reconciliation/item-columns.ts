import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';
import type { GridColumn } from '../../grid/columns.ts';

/** The columns of Reconciliation's unmatched items (both sides): the date shown in the desk's date style, filtered and sorted on the ISO date underneath. */
export function itemColumns(t: (key: string) => string, formatDate: (value: string) => string): GridColumn<CanonicalTransaction>[] {
  return [
    // Wide enough for the pinned totals' label ("Total EUR (12)") in the first column.
    { id: 'date', header: t('reconciliation.columns.date'), kind: 'date', value: (tx) => tx.occurredAt.slice(0, 10), width: 140, display: (value) => (value === null ? '' : formatDate(value)) },
    { id: 'amount', header: t('reconciliation.columns.amount'), kind: 'amount', value: (tx) => tx.amount, currency: (tx) => tx.currency, width: 130 },
    { id: 'currency', header: t('reconciliation.columns.currency'), kind: 'text', value: (tx) => tx.currency, width: 90 },
    { id: 'reference', header: t('reconciliation.columns.reference'), kind: 'text', value: (tx) => tx.references.externalId ?? tx.references.bankReference ?? tx.references.endToEndId ?? tx.id, width: 170 },
    { id: 'description', header: t('reconciliation.columns.description'), kind: 'text', value: (tx) => tx.description, flex: 1, width: 200 },
  ];
}
