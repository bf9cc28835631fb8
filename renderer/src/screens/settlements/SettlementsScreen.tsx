import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunResult } from '../../../../core/settlement/index.ts';
import type { ApprovalEventDoc, ExceptionDoc, SettlementRunDoc, StatementDoc } from '../../../../core/sync/documents.ts';
import { useDesk } from '../../app/desk-context.tsx';
import { failureSaid } from '../../app/failure-text.ts';
import { useFormat } from '../../app/use-format.ts';
import { useSaid } from '../../app/use-said.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import type { GridColumn } from '../../grid/columns.ts';
import { DataGrid } from '../../grid/DataGrid.tsx';
import { ReviewProvider, useReview } from '../../grid/review-desk.tsx';
import type { ReviewDesk } from '../../grid/review-port.ts';
import { registerReviewTexts, REVIEW_NS } from '../../grid/texts.ts';
import { totalsByCurrency } from '../../grid/totals.ts';
import { useStream } from '../../grid/use-stream.ts';
import { periodOf, type SettleOutput } from '../../../engine/settle.ts';
import { startSettleWorker, type SettleWorkerClient } from '../../../engine/settle-client.ts';
import type { ApprovalRefusal } from '../../../desk/desk.ts';
import { exceptionTitle } from '../exceptions/exception-title.ts';
import { EXCEPTION_TITLES_NS, registerExceptionTitleTexts } from '../exceptions/title-texts.ts';
import { blockReason, unsettledWhy } from './block-reason.ts';
import { diffAgainst, statementOf, statusOf, type StatementStatus } from './run-period.ts';
import { runReferenceOf } from './desk-agreements.ts';
import { missingPairsOf } from './desk-rates.ts';
import { periodOptions } from './period-options.ts';
import { MonthSelect } from '../../app/DateField.tsx';
import { FxRates, useDeskRates } from './FxRates.tsx';
import { StatementPreview } from './StatementPreview.tsx';
import { registerSettlementTexts, SETTLEMENT_NS } from './texts.ts';

registerReviewTexts();
registerExceptionTitleTexts();
registerSettlementTexts();

/** The partners the last run on this page could not settle (no statement, only the reason). */
interface LastRun {
  readonly revision: number;
  readonly unsettled: SettleOutput['unsettled'];
}

interface StatementRow {
  readonly id: string;
  readonly partnerId: string;
  readonly doc: StatementDoc | null;
  readonly currency: string | null;
  readonly payable: string | null;
  readonly gross: string | null;
  readonly shareOwed: string | null;
  readonly fees: string | null;
  readonly lines: number;
  readonly status: StatementStatus;
  readonly why: string | null;
}

/** Approval events of every statement shown, by statement id. */
function useApprovals(desk: ReviewDesk | null, ids: readonly string[]): ReadonlyMap<string, readonly ApprovalEventDoc[]> {
  const [events, setEvents] = useState<ReadonlyMap<string, readonly ApprovalEventDoc[]>>(new Map());
  const key = ids.join('|');
  useEffect(() => {
    if (desk === null || key === '') return undefined;
    const subscriptions = key.split('|').map((id) => desk.approvals$(id).subscribe((docs) => setEvents((current) => new Map(current).set(id, docs))));
    return () => subscriptions.forEach((subscription) => subscription.unsubscribe());
  }, [desk, key]);
  return events;
}

function SettlementsView() {
  const { t } = useTranslation(REVIEW_NS);
  const { t: ts } = useTranslation(SETTLEMENT_NS);
  const { display, workspace, desk: fullDesk } = useDesk();
  const { desk, month } = useReview();
  const refusals: readonly ApprovalRefusal[] = useStream(fullDesk?.approvalRefusals$) ?? [];
  const refusedIds = useMemo(() => new Set(refusals.map((refusal) => refusal.id)), [refusals]);
  const runs: readonly SettlementRunDoc[] = useStream(desk?.settlementRuns$) ?? [];
  const exceptions: readonly ExceptionDoc[] = useStream(desk?.exceptions$) ?? [];
  const { t: tTitle } = useTranslation(EXCEPTION_TITLES_NS);
  const format = useFormat();
  const exceptionsById = useMemo(() => new Map(exceptions.map((doc) => [doc.id, doc])), [exceptions]);
  const sayBlock = useCallback((reasons: readonly string[]) => reasons.map((reason) => blockReason(reason, exceptionsById, t, (doc) => exceptionTitle(doc, tTitle, format))).join('; '), [exceptionsById, t, tTitle, format]);
  const defaultMonth = month?.firstPartnerMonth ?? '2026-03';
  const [period, setPeriod] = useState<string | null>(null);
  const chosen = period ?? defaultMonth;
  const [running, setRunning] = useState(false);
  // The run's status line: said again in the language of the moment. Counts with the desk's grouping.
  const { text: message, say } = useSaid(t);
  const [lastRun, setLastRun] = useState<LastRun | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const periodRuns = useMemo(() => runs.filter((run) => run.period === chosen).sort((a, b) => a.revision - b.revision), [runs, chosen]);
  const latest = periodRuns.at(-1) ?? null;
  const previous = periodRuns.length > 1 ? (periodRuns.at(-2) ?? null) : null;
  const latestStream = useMemo(() => (desk === null || latest === null ? null : desk.statements$(latest.id)), [desk, latest]);
  const previousStream = useMemo(() => (desk === null || previous === null ? null : desk.statements$(previous.id)), [desk, previous]);
  const statements: readonly StatementDoc[] = useStream(latestStream) ?? [];
  const previousStatements: readonly StatementDoc[] = useStream(previousStream) ?? [];
  const approvals = useApprovals(desk, statements.map((doc) => doc.id));
  // A team workspace settles with the rates imported on this desk; the demo month brings its own.
  const [deskRates, keepRates] = useDeskRates(workspace.id);
  // One settlement worker per run, stopped when the run ends or the screen goes (a month decoded in a worker nobody waits for is wasted memory).
  const settler = useRef<SettleWorkerClient | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      settler.current?.terminate();
      settler.current = null;
    };
  }, []);

  const run = async () => {
    if (fullDesk === null || month === null) return;
    setRunning(true);
    say('settlements.running');
    try {
      // The batches as the desk stores them (one text each), decoded in the settlement worker: the run records exactly what it used, and the server replays it.
      const batches = await fullDesk.loadStoredBatches();
      if (batches.length === 0) {
        say('noBatches', { ns: SETTLEMENT_NS });
        return;
      }
      const versions = await fullDesk.listAgreementVersions();
      // The desk's versions (a version saved on the Partners screen included): see desk-agreements.ts.
      const reference = await runReferenceOf(workspace.kind, versions, undefined, deskRates);
      const revision = (latest?.revision ?? 0) + 1;
      const blocking = exceptions.map(({ id, partnerId, severity, status, period: exceptionPeriod, title }) => ({ id, partnerId, severity, status, period: exceptionPeriod, title }));
      if (!mounted.current) return;
      const worker = startSettleWorker();
      settler.current = worker;
      let output: SettleOutput;
      try {
        output = await worker.settle({ runId: `run.${chosen}.r${revision}.${crypto.randomUUID().slice(0, 8)}`, month: chosen, revision, batches, reference, statesIn: {}, exceptions: blocking }, (progress) =>
          say('progress', { ns: SETTLEMENT_NS, done: format.count(progress.batchesDone), total: format.count(progress.batchesTotal), rows: format.count(progress.rows) }),
        );
      } finally {
        worker.terminate();
        if (settler.current === worker) settler.current = null;
      }
      // The agreement versions the run names must be on the desk (and so reach the server) for the run to be recomputed.
      const known = new Set(versions.map((version) => version.id));
      for (const agreement of output.agreements) {
        if (!known.has(`${agreement.agreementId}@${agreement.version}`)) await fullDesk.addAgreementVersion(agreement);
      }
      await fullDesk.storeSettlementRun(output.run, output.statements);
      setLastRun({ revision, unsettled: output.unsettled });
      say('settlements.runDone', { revision: format.count(revision), period: chosen, statements: format.count(output.statements.length), blocked: format.count(output.statements.filter((doc) => doc.blocked).length + output.unsettled.length) });
    } catch (failure) {
      const failed = failureSaid(failure);
      say(failed.key, failed.params);
    } finally {
      setRunning(false);
    }
  };

  const rows = useMemo<StatementRow[]>(() => {
    const stored = statements.map((doc): StatementRow => {
      const statement = statementOf(doc);
      return {
        id: doc.id,
        partnerId: doc.partnerId,
        doc,
        currency: doc.currency,
        payable: doc.payable,
        gross: statement.totals.grossBase,
        shareOwed: statement.totals.shareOwed,
        fees: statement.totals.feesNet,
        lines: statement.groups.reduce((n, group) => n + group.lines.length, 0),
        status: statusOf(doc, approvals.get(doc.id) ?? [], refusedIds),
        why: doc.blocked ? sayBlock(doc.blockReasons) : null,
      };
    });
    // Partners the engine could not settle in the run just made: no statement, only the reason.
    const unsettled = lastRun !== null && lastRun.revision === latest?.revision && latest.period === chosen ? lastRun.unsettled : [];
    const reasons = unsettled.map((exception): StatementRow => ({ id: `blocked.${exception.partnerId}.${exception.code}`, partnerId: exception.partnerId, doc: null, currency: null, payable: null, gross: null, shareOwed: null, fees: null, lines: 0, status: 'blocked', why: unsettledWhy(exception, t, { period: periodOf(chosen), date: format.date, monthDay: format.monthDay, ts }) }));
    return [...stored, ...reasons];
  }, [statements, approvals, lastRun, latest, chosen, refusedIds, sayBlock, t, ts, format]);

  const columns = useMemo<GridColumn<StatementRow>[]>(
    () => [
      { id: 'partner', header: t('settlements.columns.partner'), kind: 'text', value: (row) => row.partnerId, width: 160 },
      { id: 'status', header: t('settlements.columns.status'), kind: 'text', value: (row) => row.status, display: (value) => (value === null ? '' : t(`settlements.status.${value}`)), cellClass: (value) => (value === null ? undefined : `sd-st-cell sd-st-${value}`), width: 120 },
      { id: 'currency', header: t('settlements.columns.currency'), kind: 'text', value: (row) => row.currency, width: 90 },
      { id: 'gross', header: t('settlements.columns.gross'), kind: 'amount', value: (row) => row.gross, currency: (row) => row.currency, width: 140 },
      { id: 'share', header: t('settlements.columns.share'), kind: 'amount', value: (row) => row.shareOwed, currency: (row) => row.currency, width: 140 },
      { id: 'fees', header: t('settlements.columns.fees'), kind: 'amount', value: (row) => row.fees, currency: (row) => row.currency, width: 120 },
      { id: 'payable', header: t('settlements.columns.payable'), kind: 'amount', value: (row) => row.payable, currency: (row) => row.currency, width: 140 },
      { id: 'lines', header: t('settlements.columns.lines'), kind: 'count', value: (row) => String(row.lines), width: 90 },
      { id: 'why', header: t('settlements.blockedWhy', { reasons: '' }).replace(/[:：]\s*$/, ''), kind: 'text', value: (row) => row.why, flex: 1, width: 220 },
    ],
    [t],
  );
  const totals = useMemo(
    () => totalsByCurrency(rows, { label: (currency) => t('grid.total', { currency, count: rows.filter((row) => row.currency === currency).length }), currency: (row) => row.currency, amounts: { gross: (row) => row.gross, share: (row) => row.shareOwed, fees: (row) => row.fees, payable: (row) => row.payable } }),
    [rows, t],
  );

  const selected = statements.find((doc) => doc.id === selectedId) ?? null;
  const selectedStatement = selected === null ? null : statementOf(selected);
  const diff = useMemo(() => {
    if (selected === null || previous === null) return null;
    const current = { period: periodOf(chosen), revision: selected.revision, paymentDate: null, statements: statements.map(statementOf), exceptions: [], blocked: [], states: {} } satisfies RunResult;
    return diffAgainst(previousStatements, previous.revision, current).partners.find((partner) => partner.partnerId === selected.partnerId) ?? null;
  }, [selected, previous, previousStatements, statements, chosen]);

  const missingPairs = lastRun !== null && lastRun.revision === latest?.revision && latest.period === chosen ? missingPairsOf(lastRun.unsettled) : [];
  if (desk === null || month === null) return <p>{t('common.loading')}</p>;
  return (
    <div className="sd-review" data-testid="settlements-screen">
      <div className="sd-review-header">
        <h1>{t('settlements.title')}</h1>
        <label htmlFor="settle-period">{t('settlements.period')}</label>
        {/* A list of months named in the app's language: a native month input is drawn in Chromium's own language. */}
        <MonthSelect id="settle-period" value={chosen} months={periodOptions(chosen, defaultMonth, new Date().toISOString())} locale={display.locale} onChange={setPeriod} />
        <button type="button" className="sd-primary" disabled={running} onClick={() => void run()} data-testid="run-settlement">
          {running ? t('settlements.running') : t('settlements.run')}
        </button>
        <span role="status" aria-live="polite" className="sd-status" data-testid="run-status">{message}</span>
      </div>
      {workspace.kind === 'demo' ? null : <FxRates rates={deskRates} keep={keepRates} />}
      {missingPairs.length === 0 ? null : (
        <p className="sd-notice" role="alert" data-testid="fx-missing">
          {ts('fx.missing', { pairs: missingPairs.join(', ') })}
        </p>
      )}
      <div className={selected === null ? 'sd-split' : 'sd-split sd-with-panel sd-wide-panel'}>
        <div className="sd-grid-box">
          <h2>{t('settlements.statements')}{latest === null ? '' : ` · ${latest.period} r${latest.revision}`}</h2>
          <DataGrid<StatementRow>
            label={t('settlements.statements')}
            testId="statements-grid"
            columns={columns}
            rows={rows}
            rowId={(row) => row.id}
            totals={totals}
            locale={display.locale}
            numberFormat={display.numberFormat}
            onOpen={(row) => setSelectedId(row.doc === null ? null : row.id)}
            emptyText={t('settlements.noRun', { period: chosen })}
          />
          {selected === null && rows.length > 0 ? <p className="sd-hint">{t('settlements.selectStatement')}</p> : null}
        </div>
        {selected === null || selectedStatement === null ? null : (
          <StatementPreview
            key={selected.id}
            desk={desk}
            doc={selected}
            statement={selectedStatement}
            status={statusOf(selected, approvals.get(selected.id) ?? [], refusedIds)}
            approvals={approvals.get(selected.id) ?? []}
            refusals={refusals}
            diff={diff}
            previousRevision={previous?.revision ?? null}
            rowsBehind={month.rowsBehind}
            sayBlock={sayBlock}
          />
        )}
      </div>
    </div>
  );
}

/** Settlements: run a period, preview and drill into statements, submit, approve or reject, diff and export. */
export function SettlementsScreen(_props: ScreenProps) {
  return (
    <ReviewProvider>
      <SettlementsView />
    </ReviewProvider>
  );
}
