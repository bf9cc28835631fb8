import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { combineLatest, map, of, type Observable } from 'rxjs';
import { useTranslation } from 'react-i18next';
import { SEVERITIES } from '../../../../core/exceptions/model.ts';
import { AGE_BUCKETS, type AmountByCurrency, type DashboardFacts } from '../../../engine/protocol.ts';
import { useDesk } from '../../app/desk-context.tsx';
import { useFormat } from '../../app/use-format.ts';
import { useWorkspaceData } from '../../app/workspace-data.tsx';
import type { ApprovalEventDoc, SettlementRunDoc, StatementDoc } from '../../../../core/sync/documents.ts';
import type { Desk } from '../../../desk/desk.ts';
import { useStream } from '../../grid/use-stream.ts';
import { useHandMatched } from '../reconciliation/hand-matched.ts';
import { anomalySummary } from './anomaly-summary.ts';
import { ForecastChart } from './ForecastChart.tsx';
import { latestRuns, settlementsByStatus } from './settlement-status.ts';
import { ANOMALY_SUMMARIES_NS, registerAnomalySummaryTexts } from './summary-texts.ts';

registerAnomalySummaryTexts();

const ANOMALIES_SHOWN_MAX = 8;
const NO_APPROVALS: ReadonlyMap<string, readonly ApprovalEventDoc[]> = new Map();
const SEVERITY_RANK: Readonly<Record<string, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

function Card({ title, children, testId }: { readonly title: string; readonly children: ReactNode; readonly testId: string }) {
  const id = `card-${testId}`;
  return (
    <section className="card" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

type UnmatchedTotals = Pick<DashboardFacts, 'unmatchedBank' | 'unmatchedPsp'>;

/**
 * The analysis's unmatched totals without the rows the desk says were matched by hand (the
 * Reconciliation screen leaves them out too), summed in the engine worker over the desk's one
 * hand-matched set as told to it (useHandMatched); the analysis's own when nothing was, null while
 * the desk or the worker has not answered.
 */
function useUnmatchedTotals(facts: DashboardFacts, desk: Desk | null): { readonly totals: UnmatchedTotals | null; readonly error: string | null } {
  const { askReview } = useWorkspaceData();
  const { set, error: tellError } = useHandMatched(desk);
  const [answer, setAnswer] = useState<{ readonly facts: DashboardFacts; readonly version: number; readonly totals: UnmatchedTotals | null; readonly error: string | null } | null>(null);
  useEffect(() => {
    if (set === null || set.ids.size === 0) return undefined;
    let live = true;
    void askReview('unmatched-totals', {}).then(
      (totals) => live && setAnswer({ facts, version: set.version, totals, error: null }),
      (failure: Error) => live && setAnswer({ facts, version: set.version, totals: null, error: failure.message }),
    );
    return () => {
      live = false;
    };
  }, [facts, set, askReview]);
  if (tellError !== null) return { totals: null, error: tellError };
  // Without a desk (it could not be opened) nothing was matched by hand.
  if (desk === null || (set !== null && set.ids.size === 0)) return { totals: facts, error: null };
  return answer !== null && set !== null && answer.facts === facts && answer.version === set.version ? answer : { totals: null, error: null };
}

function Unmatched({ facts, desk }: { readonly facts: DashboardFacts; readonly desk: Desk | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { totals, error } = useUnmatchedTotals(facts, desk);
  if (error !== null) return <p role="alert">{t('errors.worker', { message: error })}</p>;
  if (totals === null) return <p className="muted">{t('app.loading')}</p>;
  const bank = totals.unmatchedBank;
  const psp = totals.unmatchedPsp;
  const currencies = [...new Set([...bank, ...psp].map((row) => row.currency))].sort();
  if (currencies.length === 0) return <p className="muted">{t('dashboard.none')}</p>;
  const cell = (rows: readonly AmountByCurrency[], currency: string) => {
    const row = rows.find((r) => r.currency === currency);
    return row === undefined ? '—' : `${format.money(row.amount, currency)} (${format.count(row.count)})`;
  };
  return (
    <table className="plain">
      <thead>
        <tr>
          <th scope="col">{t('money.currency')}</th>
          <th scope="col" className="num">
            {t('dashboard.unmatchedBank')}
          </th>
          <th scope="col" className="num">
            {t('dashboard.unmatchedPsp')}
          </th>
        </tr>
      </thead>
      <tbody>
        {currencies.map((currency) => (
          <tr key={currency} data-currency={currency}>
            <th scope="row">{currency}</th>
            <td className="num">{cell(bank, currency)}</td>
            <td className="num">{cell(psp, currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ExceptionsByAge({ facts }: { readonly facts: DashboardFacts }) {
  const { t } = useTranslation();
  const format = useFormat();
  const count = (bucket: string, severity: string) => facts.exceptionsByAge.find((row) => row.bucket === bucket && row.severity === severity)?.count ?? 0;
  const severities = [...SEVERITIES].sort((a, b) => (SEVERITY_RANK[a] ?? 9) - (SEVERITY_RANK[b] ?? 9));
  return (
    <>
      <p>
        <strong data-testid="exceptions-open">{t('dashboard.openExceptions', { count: facts.exceptionsOpen })}</strong>
      </p>
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">{t('dashboard.age')}</th>
            {severities.map((severity) => (
              <th key={severity} scope="col" className="num">
                {t(`severity.${severity}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {AGE_BUCKETS.map((bucket) => (
            <tr key={bucket}>
              <th scope="row">{t(`dashboard.ageDays_${bucket}`)}</th>
              {severities.map((severity) => (
                <td key={severity} className="num">
                  {format.count(count(bucket, severity))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Anomalies({ facts }: { readonly facts: DashboardFacts }) {
  const { t } = useTranslation();
  const { t: tSummary } = useTranslation(ANOMALY_SUMMARIES_NS);
  const format = useFormat();
  const shown = [...facts.anomalies].sort((a, b) => (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) || b.score - a.score).slice(0, ANOMALIES_SHOWN_MAX);
  if (shown.length === 0) return <p className="muted">{t('dashboard.none')}</p>;
  return (
    <>
      <p className="muted">{t('dashboard.anomaliesShown', { shown: shown.length, count: facts.anomalies.length })}</p>
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">{t('dashboard.anomalyKind')}</th>
            <th scope="col">{t('dashboard.anomalySummary')}</th>
            <th scope="col">{t('dashboard.anomalyPartner')}</th>
            <th scope="col">{t('dashboard.anomalyDay')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((anomaly) => (
            <tr key={anomaly.id}>
              <td>
                <span className={`badge badge-${anomaly.severity}`}>{t(`severity.${anomaly.severity}`)}</span> {t(`anomaly.${anomaly.kind}`)}
              </td>
              <td className="summary">{anomalySummary(anomaly, tSummary, format.date)}</td>
              <td>
                {anomaly.partnerId}
                {anomaly.productId === null ? '' : ` · ${anomaly.productId}`}
              </td>
              <td>{anomaly.periodEnd === null ? format.date(anomaly.day) : `${format.date(anomaly.day)} – ${format.date(anomaly.periodEnd)}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Every statement's approval events as one stream (rxjs combineLatest over the desk's per-statement streams). */
function approvalsOf(desk: Desk, ids: readonly string[]): Observable<ReadonlyMap<string, readonly ApprovalEventDoc[]>> {
  if (ids.length === 0) return of(new Map());
  return combineLatest(ids.map((id) => desk.approvals$(id))).pipe(map((lists) => new Map(ids.map((id, index) => [id, lists[index] ?? []]))));
}

function SettlementsByStatus({ desk }: { readonly desk: Desk | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const runs: readonly SettlementRunDoc[] = useStream(desk?.settlementRuns$) ?? [];
  const allStatements = useMemo(() => desk?.statements$(), [desk]);
  const statements: readonly StatementDoc[] = useStream(allStatements) ?? [];
  const latestIds = useMemo(() => new Set(latestRuns(runs).map((run) => run.id)), [runs]);
  const idsKey = statements
    .filter((doc) => latestIds.has(doc.runId))
    .map((doc) => doc.id)
    .join('|');
  const approvalsStream = useMemo(() => (desk === null ? null : approvalsOf(desk, idsKey === '' ? [] : idsKey.split('|'))), [desk, idsKey]);
  const approvals = useStream(approvalsStream) ?? NO_APPROVALS;
  const summary = useMemo(() => settlementsByStatus(runs, statements, approvals), [runs, statements, approvals]);
  if (summary.periods.length === 0) return <p className="muted">{t('dashboard.noSettlements')}</p>;
  return (
    <>
      <p className="muted">{t('dashboard.settlementPeriods', { periods: summary.periods.join(', ') })}</p>
      <table className="plain" data-testid="settlements-by-status">
        <thead>
          <tr>
            <th scope="col">{t('dashboard.settlementStatus')}</th>
            <th scope="col" className="num">
              {t('dashboard.statements')}
            </th>
            <th scope="col" className="num">
              {t('dashboard.payable')}
            </th>
          </tr>
        </thead>
        <tbody>
          {summary.rows.map((row) => (
            <tr key={row.status} data-status={row.status}>
              <th scope="row">{t(`dashboard.status.${row.status}`)}</th>
              <td className="num" data-col="count">
                {format.count(row.count)}
              </td>
              {/* One currency a line: side by side, two currencies ran out of the card. */}
              <td className="num">{row.payable.length === 0 ? '—' : row.payable.map((m) => <div key={m.currency}>{`${format.money(m.amount, m.currency)} ${m.currency}`}</div>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The month at a glance: unmatched money, open exceptions, settlements, the cash forecast, anomalies and sync. */
export function DashboardScreen() {
  const { t } = useTranslation();
  const { workspace, online, pendingChanges, desk } = useDesk();
  const { status, error, facts, progress } = useWorkspaceData();
  const connection = workspace.serverUrl === null ? 'localOnly' : online ? 'online' : 'offline';
  return (
    <>
      <h1>{t('dashboard.title')}</h1>
      {status === 'loading' && (
        <p role="status" data-testid="dashboard-loading">
          {t('dashboard.loadingDemo', { rows: progress?.rows ?? 0 })}
        </p>
      )}
      {status === 'failed' && <p role="alert">{t('errors.worker', { message: error ?? '' })}</p>}
      {status === 'ready' && facts === null && <p className="muted">{t('dashboard.noData')}</p>}
      {facts !== null && (
        <div className="cards" data-testid="dashboard-ready">
          <Card title={t('dashboard.unmatched')} testId="unmatched">
            <Unmatched facts={facts} desk={desk} />
          </Card>
          <Card title={t('dashboard.exceptions')} testId="exceptions-by-age">
            <ExceptionsByAge facts={facts} />
          </Card>
          <Card title={t('dashboard.settlements')} testId="settlements">
            <SettlementsByStatus desk={desk} />
          </Card>
          <Card title={t('dashboard.sync')} testId="sync-state">
            <p>
              <span className={`dot dot-${connection}`} aria-hidden="true" /> {t(`header.${connection}`)}
            </p>
            {workspace.serverUrl !== null && <p className="muted">{pendingChanges === null ? t('header.pendingUnknown') : t('header.pending', { count: pendingChanges })}</p>}
          </Card>
          <Card title={t('dashboard.forecast')} testId="forecast">
            <ForecastChart forecast={facts.forecast} />
          </Card>
          <Card title={t('dashboard.anomalies')} testId="anomalies">
            <Anomalies facts={facts} />
          </Card>
        </div>
      )}
    </>
  );
}
