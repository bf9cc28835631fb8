import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TransactionKind } from '../../../../core/transactions/schema.ts';
import type { RowPage, TransactionRow } from '../../../engine/row-store.ts';
import { DateField } from '../../app/DateField.tsx';
import { useDesk } from '../../app/desk-context.tsx';
import { useFormat } from '../../app/use-format.ts';
import { useWorkspaceData } from '../../app/workspace-data.tsx';
import { DataGrid, type RowBlockRequest, type RowSource } from '../../grid/DataGrid.tsx';
import type { GridColumn, TotalRow } from '../../grid/columns.ts';
import { FILTER_SCALE_DIGITS } from '../../grid/money.ts';
import { REVIEW_NS } from '../../grid/texts.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import type { ColumnFilter } from '../../../engine/row-store.ts';

/** The view whose queries supersede each other in the engine worker. */
const VIEW = 'transactions';

/**
 * Every transaction of the period in one grid, with exact per-currency totals pinned under it.
 * The rows stay in the engine worker (a million of them would freeze the page here): the grid
 * asks for the block on screen with the period, search, sort and column filters, and each answer
 * brings the filtered count and the exact totals (core/money DecimalSums, in the worker).
 */
export function TransactionsScreen({ query }: ScreenProps) {
  const { t } = useTranslation();
  const { t: tGrid } = useTranslation(REVIEW_NS);
  const { display } = useDesk();
  const format = useFormat();
  const { queryRows, rowsVersion } = useWorkspaceData();
  const [from, setFrom] = useState(query.get('from') ?? '');
  const [to, setTo] = useState(query.get('to') ?? '');
  const [search, setSearch] = useState(query.get('q') ?? '');
  const [page, setPage] = useState<RowPage | null>(null);
  const [busy, setBusy] = useState(0);
  const ids = { from: useId(), to: useId(), search: useId() };

  const kindLabels = useMemo(() => Object.fromEntries(TransactionKind.options.map((kind) => [kind, t(`kind.${kind}`)])), [t]);
  // The quick filter finds a day as the grid shows it, in the chosen date style.
  const dateFormat = useMemo(() => ({ locale: display.locale, dateStyle: display.dateStyle }), [display.locale, display.dateStyle]);
  // Only the newest answer is shown: an older block arriving late would show another filter's count.
  const asked = useRef(0);
  const getRows = useCallback(
    async (request: RowBlockRequest) => {
      const seq = ++asked.current;
      setBusy((n) => n + 1);
      try {
        const answer = await queryRows(VIEW, { from, to, search, quickFilter: request.quickFilter, kindLabels, dateFormat, filterModel: request.filterModel as Record<string, ColumnFilter>, sortModel: request.sortModel, startRow: request.startRow, endRow: request.endRow, scaleDigits: FILTER_SCALE_DIGITS });
        if (seq === asked.current) setPage(answer);
        return { rows: answer.rows, count: answer.count };
      } finally {
        setBusy((n) => n - 1);
      }
    },
    [queryRows, from, to, search, kindLabels, dateFormat],
  );
  const source = useMemo<RowSource<TransactionRow>>(() => ({ getRows, version: JSON.stringify([rowsVersion, from, to, search, kindLabels, dateFormat]) }), [getRows, rowsVersion, from, to, search, kindLabels, dateFormat]);

  const totals = useMemo<TotalRow[]>(
    () => (page?.totals ?? []).map((total) => ({ kind: 'total', label: t('transactions.totalRow', { currency: total.currency, count: format.count(total.count) }), currency: total.currency, count: total.count, amounts: { amount: total.amount } })),
    [page, t, format],
  );
  const columns = useMemo<GridColumn<TransactionRow>[]>(
    () => [
      { id: 'date', header: t('transactions.date'), kind: 'date', value: (r) => r.date, width: 170, display: (value) => (value === null ? '' : format.date(value)) },
      { id: 'kind', header: t('transactions.kind'), kind: 'text', value: (r) => r.kind, width: 90, display: (value) => (value === null ? '' : t(`kind.${value}`)) },
      { id: 'amount', header: t('money.amount'), kind: 'amount', value: (r) => r.amount, currency: (r) => r.currency, width: 130 },
      { id: 'currency', header: t('money.currency'), kind: 'text', value: (r) => r.currency, width: 100 },
      { id: 'source', header: t('transactions.source'), kind: 'text', value: (r) => r.source, width: 100 },
      { id: 'account', header: t('transactions.account'), kind: 'text', value: (r) => r.account, width: 180 },
      { id: 'partner', header: t('transactions.partner'), kind: 'text', value: (r) => r.partner, width: 100 },
      { id: 'reference', header: t('transactions.reference'), kind: 'text', value: (r) => r.reference, width: 160 },
      { id: 'description', header: t('transactions.description'), kind: 'text', value: (r) => r.description, flex: 1, width: 140 },
    ],
    [t, format],
  );
  const rowId = useCallback((r: TransactionRow) => r.id, []);
  const span = page?.span ?? null;

  return (
    <>
      <h1>{t('transactions.title')}</h1>
      <div className="toolbar" role="search">
        <div className="field">
          <DateField id={ids.from} label={t('transactions.from')} value={from} min={span?.from} max={span?.to} optional="start" locale={display.locale} onChange={setFrom} testId="period-from" />
        </div>
        <div className="field">
          <DateField id={ids.to} label={t('transactions.to')} value={to} min={span?.from} max={span?.to} optional="end" locale={display.locale} onChange={setTo} testId="period-to" />
        </div>
        <div className="field">
          <label htmlFor={ids.search}>{t('transactions.search')}</label>
          <input id={ids.search} type="search" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="transactions-search" />
        </div>
        <p className="field muted" role="status" data-testid="transactions-count" aria-busy={busy > 0}>
          {page === null ? tGrid('common.loading') : t('transactions.rows', { count: page.count, shown: format.count(page.count) })}
        </p>
        {busy > 0 && page !== null ? (
          <p className="field muted" data-testid="transactions-busy">
            {tGrid('grid.busy')}
          </p>
        ) : null}
      </div>
      {page !== null && page.count === 0 ? <p className="muted">{t('transactions.empty')}</p> : null}
      <div className="grid-box tall">
        <DataGrid<TransactionRow> label={t('transactions.title')} columns={columns} source={source} rowId={rowId} totals={totals} locale={display.locale} numberFormat={display.numberFormat} testId="transactions-grid" />
      </div>
    </>
  );
}
