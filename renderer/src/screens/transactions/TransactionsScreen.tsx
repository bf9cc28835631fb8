import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';
import { useDesk } from '../../app/desk-context.tsx';
import { useFormat } from '../../app/use-format.ts';
import { useWorkspaceData } from '../../app/workspace-data.tsx';
import { DataGrid } from '../../grid/DataGrid.tsx';
import type { GridColumn } from '../../grid/columns.ts';
import { totalsByCurrency } from '../../grid/totals.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import { dayOf, inPeriod, spanOf } from './period.ts';

/** Every transaction of the period in one grid, with exact per-currency totals pinned under it. */
export function TransactionsScreen({ query }: ScreenProps) {
  const { t } = useTranslation();
  const { display } = useDesk();
  const format = useFormat();
  const { transactions } = useWorkspaceData();
  const span = useMemo(() => spanOf(transactions), [transactions]);
  const [from, setFrom] = useState(query.get('from') ?? '');
  const [to, setTo] = useState(query.get('to') ?? '');
  const [search, setSearch] = useState(query.get('q') ?? '');
  const ids = { from: useId(), to: useId(), search: useId() };

  const rows = useMemo(() => inPeriod(transactions, from, to, search), [transactions, from, to, search]);
  const totals = useMemo(
    () => totalsByCurrency(rows, { label: (currency) => t('transactions.totalRow', { currency, count: format.count(rows.filter((r) => r.currency === currency).length) }), currency: (r) => r.currency, amounts: { amount: (r) => r.amount } }),
    [rows, t, format],
  );
  const columns = useMemo<GridColumn<CanonicalTransaction>[]>(
    () => [
      { id: 'date', header: t('transactions.date'), kind: 'date', value: dayOf, width: 200, display: (value) => (value === null ? '' : format.date(value)) },
      { id: 'kind', header: t('transactions.kind'), kind: 'text', value: (r) => r.kind, width: 120, display: (value) => (value === null ? '' : t(`kind.${value}`)) },
      { id: 'amount', header: t('money.amount'), kind: 'amount', value: (r) => r.amount, currency: (r) => r.currency, width: 150 },
      { id: 'currency', header: t('money.currency'), kind: 'text', value: (r) => r.currency, width: 100 },
      { id: 'source', header: t('transactions.source'), kind: 'text', value: (r) => r.source.format, width: 120 },
      { id: 'account', header: t('transactions.account'), kind: 'text', value: (r) => r.account, width: 150 },
      { id: 'partner', header: t('transactions.partner'), kind: 'text', value: (r) => r.partnerId, width: 120 },
      { id: 'reference', header: t('transactions.reference'), kind: 'text', value: (r) => r.references.externalId ?? r.references.bankReference, width: 170 },
      { id: 'description', header: t('transactions.description'), kind: 'text', value: (r) => r.description, flex: 1, width: 260 },
    ],
    [t, format],
  );

  return (
    <>
      <h1>{t('transactions.title')}</h1>
      <div className="toolbar" role="search">
        <div className="field">
          <label htmlFor={ids.from}>{t('transactions.from')}</label>
          <input id={ids.from} type="date" value={from} min={span?.from} max={span?.to} onChange={(e) => setFrom(e.target.value)} data-testid="period-from" />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>{t('transactions.to')}</label>
          <input id={ids.to} type="date" value={to} min={span?.from} max={span?.to} onChange={(e) => setTo(e.target.value)} data-testid="period-to" />
        </div>
        <div className="field">
          <label htmlFor={ids.search}>{t('transactions.search')}</label>
          <input id={ids.search} type="search" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="transactions-search" />
        </div>
        <p className="field muted" role="status" data-testid="transactions-count">
          {t('transactions.rows', { count: rows.length })}
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{t('transactions.empty')}</p>
      ) : (
        <div className="grid-box tall">
          <DataGrid<CanonicalTransaction> label={t('transactions.title')} columns={columns} rows={rows} rowId={(r) => r.id} totals={totals} locale={display.locale} numberFormat={display.numberFormat} testId="transactions-grid" />
        </div>
      )}
    </>
  );
}
