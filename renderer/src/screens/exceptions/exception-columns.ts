import type { TFunction } from 'i18next';
import { EXCEPTION_STATUSES, SEVERITIES } from '../../../../core/exceptions/model.ts';
import type { ExceptionDoc } from '../../../../core/sync/documents.ts';
import type { GridColumn } from '../../grid/columns.ts';
import type { ExceptionRow } from './exception-rows.ts';

/**
 * The exceptions grid's columns. Severity and status sort by rank, shown translated; the title is
 * `titleOf`'s (the analyst's language, so the quick filter finds what is shown); the assignee is
 * edited in the grid (undo/redo applies) and persisted through `onAssign`.
 */
export function exceptionColumns(t: TFunction, onAssign: (row: ExceptionRow, assignee: string | null) => void, titleOf: (doc: ExceptionDoc) => string): GridColumn<ExceptionRow>[] {
  return [
    { id: 'title', header: t('exceptions.columns.title'), kind: 'text', value: (row) => titleOf(row.doc), flex: 3, pinned: 'left', width: 320 },
    { id: 'amount', header: t('exceptions.columns.amount'), kind: 'amount', value: (row) => row.doc.amountAtRisk?.amount ?? null, currency: (row) => row.doc.amountAtRisk?.currency ?? null, width: 150 },
    { id: 'severity', header: t('exceptions.columns.severity'), kind: 'text', value: (row) => row.doc.severity, order: SEVERITIES, display: (value) => (value === null ? '' : t(`severity.${value}`)), cellClass: (value) => (value === null ? undefined : `sd-sev-cell sd-sev-${value}`), width: 110 },
    { id: 'type', header: t('exceptions.columns.type'), kind: 'text', value: (row) => row.doc.type, display: (value) => (value === null ? '' : t(`exceptionType.${value}`)), width: 160 },
    { id: 'currency', header: t('exceptions.columns.currency'), kind: 'text', value: (row) => row.doc.amountAtRisk?.currency ?? null, width: 90 },
    { id: 'partner', header: t('exceptions.columns.partner'), kind: 'text', value: (row) => row.doc.partnerId, width: 100 },
    { id: 'period', header: t('exceptions.columns.period'), kind: 'text', value: (row) => row.doc.period, width: 95 },
    { id: 'status', header: t('exceptions.columns.status'), kind: 'text', value: (row) => row.doc.status, order: EXCEPTION_STATUSES, display: (value) => (value === null ? '' : t(`status.${value}`)), width: 120 },
    {
      id: 'assignee',
      header: t('exceptions.columns.assignee'),
      kind: 'text',
      value: (row) => row.assignee,
      width: 130,
      editor: {
        kind: 'text',
        set: (row, value) => {
          const next = value === null || value.trim() === '' ? null : value.trim();
          if (next === row.assignee) return false;
          row.assignee = next;
          onAssign(row, next);
          return true;
        },
      },
    },
    { id: 'age', header: t('exceptions.columns.age'), kind: 'count', value: (row) => String(row.ageDays), width: 100 },
    { id: 'conflicts', header: t('exceptions.columns.conflicts'), kind: 'count', value: (row) => String(row.doc.conflicts.length), width: 100 },
  ];
}
