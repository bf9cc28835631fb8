import type { GridColumn } from '../../grid/columns.ts';
import { historyOn, type AgreementHistory, type HistoryOnDate, type StoredVersion } from './versions.ts';

/** One agreement in the Partners grid, as it stands on the date viewed. */
export interface PartnerRow {
  readonly id: string;
  readonly history: AgreementHistory;
  readonly onDate: HistoryOnDate;
  /** The version in force on the date, or (none started yet) the first scheduled one. */
  readonly shown: StoredVersion;
}

export function partnerRowOf(history: AgreementHistory, date: string): PartnerRow {
  const onDate = historyOn(history, date);
  return { id: history.agreementId, history, onDate, shown: onDate.inForce ?? onDate.scheduled[0] ?? history.latest };
}

/** The scheduled versions of a row, each with its start as `start` gives it. */
function scheduledText(row: PartnerRow, t: (key: string, values?: Record<string, unknown>) => string, start: (date: string) => string): string {
  return row.onDate.scheduled.map((each) => t('scheduledVersion', { version: each.agreement.version, from: start(each.agreement.effectiveFrom) })).join(', ');
}

/**
 * The Partners grid's columns (`t` in the partners namespace): dates shown in the desk's date
 * style (`formatDate`, useFormat's) over the ISO dates underneath, which sorting, copying and
 * exports keep, as the Transactions grid and Reconciliation's item columns do.
 */
export function partnerColumns(t: (key: string, values?: Record<string, unknown>) => string, formatDate: (value: string) => string): GridColumn<PartnerRow>[] {
  const iso = (date: string): string => date;
  return [
    { id: 'partner', header: t('columns.partner'), kind: 'text', value: (row) => row.history.partnerId, width: 100 },
    { id: 'agreement', header: t('columns.agreement'), kind: 'text', value: (row) => row.history.agreementId, width: 130 },
    { id: 'version', header: t('columns.version'), kind: 'count', value: (row) => String(row.shown.agreement.version), width: 100 },
    { id: 'from', header: t('columns.from'), kind: 'date', value: (row) => row.shown.agreement.effectiveFrom, display: (value) => (value === null ? '' : formatDate(value)), width: 140 },
    { id: 'to', header: t('columns.to'), kind: 'date', value: (row) => row.shown.agreement.effectiveTo, display: (value) => (value === null ? t('openEnded') : formatDate(value)), width: 130 },
    { id: 'currency', header: t('columns.currency'), kind: 'text', value: (row) => row.shown.agreement.settlementCurrency, width: 100 },
    { id: 'jurisdiction', header: t('columns.jurisdiction'), kind: 'text', value: (row) => row.shown.agreement.partnerJurisdiction, width: 110 },
    { id: 'status', header: t('columns.status'), kind: 'text', value: (row) => row.onDate.status, display: (value) => (value === null ? '' : t(`status.${value}`)), order: ['active', 'scheduled', 'ended'], width: 100 },
    { id: 'scheduled', header: t('columns.scheduled'), kind: 'text', value: (row) => scheduledText(row, t, iso), display: (_value, row) => scheduledText(row, t, formatDate), width: 170 },
    { id: 'versions', header: t('columns.versions'), kind: 'count', value: (row) => String(row.history.versions.length), width: 100 },
    { id: 'source', header: t('columns.source'), kind: 'text', value: (row) => row.shown.source, display: (value) => (value === null ? '' : t(`source.${value}`)), flex: 1, width: 140 },
  ];
}
