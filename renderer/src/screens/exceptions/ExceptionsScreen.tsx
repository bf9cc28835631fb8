import type { GridApi } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { failureSaid } from '../../app/failure-text.ts';
import { sayIn } from '../../app/use-said.ts';
import type { ExceptionDoc } from '../../../../core/sync/documents.ts';
import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';
import { useDesk } from '../../app/desk-context.tsx';
import type { ScreenProps } from '../../app/routes.tsx';
import type { TotalRow } from '../../grid/columns.ts';
import { DataGrid } from '../../grid/DataGrid.tsx';
import { GridToolbar } from '../../grid/GridToolbar.tsx';
import { ReasonDialog } from '../../grid/ReasonDialog.tsx';
import { ReviewProvider, useReview } from '../../grid/review-desk.tsx';
import { registerReviewTexts, REVIEW_NS } from '../../grid/texts.ts';
import { totalsByCurrency } from '../../grid/totals.ts';
import { useStream } from '../../grid/use-stream.ts';
import { useFormat } from '../../app/use-format.ts';
import { exceptionColumns } from './exception-columns.ts';
import { exceptionTitle } from './exception-title.ts';
import { ExceptionDetail } from './ExceptionDetail.tsx';
import { mergeRows, planBulk, rowsOf, targetOf, transactionRefs, type BulkAction, type ExceptionRow } from './exception-rows.ts';
import { EXCEPTION_TITLES_NS, registerExceptionTitleTexts } from './title-texts.ts';

registerReviewTexts();
registerExceptionTitleTexts();

function ExceptionsView() {
  const { t } = useTranslation(REVIEW_NS);
  const { t: tTitle } = useTranslation(EXCEPTION_TITLES_NS);
  const format = useFormat();
  const { display } = useDesk();
  const { desk, error, month } = useReview();
  const docs: readonly ExceptionDoc[] | null = useStream(desk?.exceptions$);
  const [showClosed, setShowClosed] = useState(false);
  const [quickFilter, setQuickFilter] = useState('');
  const [selected, setSelected] = useState<ExceptionRow[]>([]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [bulk, setBulk] = useState<BulkAction | null>(null);
  const [assignee, setAssignee] = useState('');
  const [status, setStatus] = useState('');
  const [api, setApi] = useState<GridApi<ExceptionRow | TotalRow> | null>(null);
  const rowsRef = useRef<ExceptionRow[]>([]);

  const rows = useMemo(() => {
    const next = mergeRows(rowsRef.current, rowsOf(docs ?? [], new Date().toISOString(), showClosed));
    rowsRef.current = next;
    return next;
  }, [docs, showClosed]);

  // Same rows updated in place: redraw their cells without handing the grid new data (keeps undo/redo).
  useEffect(() => {
    api?.refreshCells({ force: true });
  }, [api, docs]);

  const onAssign = useCallback(
    (row: ExceptionRow, next: string | null) => {
      if (desk === null) return;
      desk.assignException(row.doc.id, next).catch((failure: Error) => setStatus(sayIn(failureSaid(failure), t)));
    },
    [desk, t],
  );
  const columns = useMemo(() => exceptionColumns(t, onAssign, (doc) => exceptionTitle(doc, tTitle, format)), [t, onAssign, tTitle, format]);
  const totals = useMemo(
    () =>
      totalsByCurrency(rows, {
        label: (currency) => t('grid.total', { currency, count: rows.filter((row) => row.doc.amountAtRisk?.currency === currency).length }),
        currency: (row) => row.doc.amountAtRisk?.currency ?? null,
        amounts: { amount: (row) => row.doc.amountAtRisk?.amount ?? null },
      }),
    [rows, t],
  );
  const openDoc = docs?.find((doc) => doc.id === openId) ?? null;
  // The open exception's rows (its evidence), asked of the engine worker by id; the panel shows once they are here.
  const refs = openDoc === null ? null : transactionRefs(openDoc).join('\n');
  const [evidence, setEvidence] = useState<{ readonly refs: string; readonly byId: ReadonlyMap<string, CanonicalTransaction> } | null>(null);
  useEffect(() => {
    if (month === null || refs === null) return undefined;
    let live = true;
    const answer = (rows: readonly CanonicalTransaction[]) => live && setEvidence({ refs, byId: new Map(rows.map((tx) => [tx.id, tx])) });
    void month.rowsById(refs === '' ? [] : refs.split('\n')).then(answer, (failure: Error) => {
      answer([]);
      if (live) setStatus(t('common.failed', { message: failure.message }));
    });
    return () => {
      live = false;
    };
  }, [month, refs, t]);

  const applyBulk = async (reason: string) => {
    if (desk === null || bulk === null) return;
    const records = selected.map((row) => row.doc);
    const plan = planBulk(records, bulk, reason, desk.userId, new Date().toISOString());
    for (const id of plan.apply) {
      if (bulk === 'assign') await desk.assignException(id, assignee.trim() === '' ? null : assignee.trim(), reason === '' ? null : reason);
      else await desk.transitionException(id, { to: targetOf(bulk), reason });
    }
    const skipped = plan.skip.length === 0 ? '' : ` · ${t('exceptions.bulkSkipped', { count: plan.skip.length, ids: plan.skip.slice(0, 3).join(', ') })}`;
    setStatus(`${t('exceptions.bulkDone', { done: plan.apply.length })}${skipped}`);
    setBulk(null);
    api?.deselectAll();
  };

  const onCopied = useCallback((count: number | null) => setStatus(count === null ? t('grid.copyRefused') : count === 0 ? t('grid.copiedCell') : t('grid.copiedRows', { count })), [t]);

  if (error !== null && desk === null) return <p className="sd-error" role="alert">{t('common.failed', { message: error })}</p>;
  if (desk === null || docs === null) return <p>{t('common.loading')}</p>;

  return (
    <div className="sd-review" data-testid="exceptions-screen">
      <div className="sd-review-header">
        <h1>{t('exceptions.title')}</h1>
        <span className="sd-hint">{t('grid.rows', { shown: rows.length, total: docs.length })}</span>
        <label>
          <input type="checkbox" checked={showClosed} onChange={(event) => setShowClosed(event.target.checked)} /> {t('exceptions.showClosed')}
        </label>
        {error === null ? null : <span className="sd-error" role="alert">{error}</span>}
      </div>
      <p className="sd-hint">{t('grid.keyboardHint')}</p>
      <div className={openDoc === null ? 'sd-split' : 'sd-split sd-with-panel'}>
        <div className="sd-grid-box">
          <GridToolbar id="exceptions" api={api} columns={columns} totals={totals} exportName="exceptions" quickFilter={quickFilter} onQuickFilter={setQuickFilter} status={status} onStatus={setStatus}>
            <span className="sd-hint" aria-live="polite">{t('exceptions.selected', { count: selected.length })}</span>
            <button type="button" disabled={selected.length === 0} onClick={() => setBulk('assign')}>{t('exceptions.assign')}</button>
            <button type="button" disabled={selected.length === 0} onClick={() => setBulk('resolve')}>{t('exceptions.resolve')}</button>
            <button type="button" disabled={selected.length === 0} onClick={() => setBulk('waive')}>{t('exceptions.waive')}</button>
          </GridToolbar>
          {rows.length === 0 && docs.length === 0 ? <p>{t('exceptions.empty')}</p> : null}
          <DataGrid<ExceptionRow>
            label={t('exceptions.gridLabel')}
            testId="exceptions-grid"
            columns={columns}
            rows={rows}
            rowId={(row) => row.doc.id}
            totals={totals}
            locale={display.locale}
            numberFormat={display.numberFormat}
            quickFilter={quickFilter}
            multiSelect
            onSelectionChange={setSelected}
            onOpen={(row) => setOpenId(row.doc.id)}
            onCopied={onCopied}
            onReady={setApi}
            rowClass={(row) => (row.doc.conflicts.length > 0 ? 'sd-row-conflict' : row.doc.status === 'resolved' || row.doc.status === 'waived' ? 'sd-row-closed' : undefined)}
          />
        </div>
        {openDoc === null || month === null || evidence === null || evidence.refs !== refs ? null : <ExceptionDetail desk={desk} doc={openDoc} byId={evidence.byId} askReview={month.askReview} onClose={() => setOpenId(null)} />}
      </div>
      {bulk === null ? null : (
        <ReasonDialog
          title={t(`exceptions.bulkTitle.${bulk}`, { count: selected.length })}
          reasonRequired={bulk !== 'assign'}
          confirmLabel={t('common.apply')}
          onCancel={() => setBulk(null)}
          onConfirm={applyBulk}
        >
          {bulk === 'assign' ? (
            <label className="sd-field" htmlFor="bulk-assignee">
              <span>{t('exceptions.assignee')}</span>
              <input id="bulk-assignee" value={assignee} onChange={(event) => setAssignee(event.target.value)} />
            </label>
          ) : null}
        </ReasonDialog>
      )}
    </div>
  );
}

/** The exceptions grid: the analyst's main queue. */
export function ExceptionsScreen(_props: ScreenProps) {
  return (
    <ReviewProvider>
      <ExceptionsView />
    </ReviewProvider>
  );
}
