import { ageOf, isClosed, type ExceptionRecord } from '../../core/exceptions/model.ts';
import { exceptionsFromReconcile, type ReconcileExceptionOptions } from '../../core/exceptions/from-reconcile.ts';
import { dailyActivityFromTransactions } from '../../core/insight/activity.ts';
import { detectAnomalies } from '../../core/insight/anomaly.ts';
import { cashFlowDaysFromTransactions, DEFAULT_FORECAST_OPTIONS, forecastCashFlow } from '../../core/insight/forecast.ts';
import type { PartnerReportRow, ReportDelivery } from '../../core/insight/types.ts';
import { Decimal } from '../../core/money/decimal.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { AGE_BUCKETS, type AgeBucket, type AmountByCurrency, type DashboardFacts } from './protocol.ts';
import { reconciledMonthOf, unmatchedGroupsOf, type ReconciledMonth } from './review.ts';

/**
 * The dashboard's facts from the workspace's transactions, all computed by core/: PSP <-> bank
 * reconciliation (unmatched money per currency, summed exactly with decimal.js), the exceptions
 * it raises (by age and severity), anomalies and the cash forecast with its band.
 */
export interface InsightExtras {
  readonly reportRows?: readonly PartnerReportRow[];
  readonly deliveries?: readonly ReportDelivery[];
  readonly sharePercent?: (partnerId: string, productId: string) => string | null;
}

/** Exact sums per currency of the given ids, sorted by currency. */
export function sumByCurrency(ids: readonly string[], byId: ReadonlyMap<string, CanonicalTransaction>): AmountByCurrency[] {
  const sums = new Map<string, { amount: Decimal; count: number }>();
  for (const id of ids) {
    const tx = byId.get(id);
    if (tx === undefined) continue;
    const sum = sums.get(tx.currency) ?? { amount: new Decimal(0), count: 0 };
    sums.set(tx.currency, { amount: sum.amount.plus(tx.amount), count: sum.count + 1 });
  }
  return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, sum]) => ({ currency, amount: sum.amount.toFixed(), count: sum.count }));
}

/**
 * The unmatched money per currency (bank lines nothing explains, PSP payouts the bank does not
 * show), exact, without the rows the desk says were matched by hand: the Reconciliation screen
 * leaves them out of its items, so the dashboard does too.
 */
export function unmatchedTotals(month: ReconciledMonth, handMatched: ReadonlySet<string>): Pick<DashboardFacts, 'unmatchedBank' | 'unmatchedPsp'> {
  const { result, byId } = month;
  if (result === null) return { unmatchedBank: [], unmatchedPsp: [] };
  const open = (ids: readonly string[]) => (handMatched.size === 0 ? ids : ids.filter((id) => !handMatched.has(id)));
  return { unmatchedBank: sumByCurrency(open(result.unmatched.bank), byId), unmatchedPsp: sumByCurrency(open(result.unmatched.pspUnsettled), byId) };
}

export function ageBucketOf(days: number): AgeBucket {
  if (days <= 2) return '0_2';
  if (days <= 7) return '3_7';
  if (days <= 30) return '8_30';
  return '31';
}

export function exceptionsByAge(records: readonly ExceptionRecord[], now: string): DashboardFacts['exceptionsByAge'] {
  const counts = new Map<string, number>();
  for (const record of records) {
    if (isClosed(record.status)) continue;
    const key = `${ageBucketOf(ageOf(record, now).days)}|${record.severity}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([key, count]) => {
      const [bucket, severity] = key.split('|') as [AgeBucket, ExceptionRecord['severity']];
      return { bucket, severity, count };
    })
    .sort((a, b) => AGE_BUCKETS.indexOf(a.bucket) - AGE_BUCKETS.indexOf(b.bucket) || a.severity.localeCompare(b.severity));
}

function salesWindow(sales: readonly CanonicalTransaction[]): { from: string; to: string } | null {
  let from: string | null = null;
  let to: string | null = null;
  for (const tx of sales) {
    if (tx.kind !== 'sale') continue;
    const day = tx.occurredAt.slice(0, 10);
    if (from === null || day < from) from = day;
    if (to === null || day > to) to = day;
  }
  return from === null || to === null ? null : { from, to };
}

/**
 * `month` is the transactions' reconciliation when the caller already holds it (the worker keeps it
 * for the review screens); `options` how its exceptions are raised (grouping many unmatched rows).
 */
export function analyzeWorkspace(transactions: readonly CanonicalTransaction[], now: string, extras: InsightExtras = {}, month: ReconciledMonth = reconciledMonthOf(transactions), options: ReconcileExceptionOptions = {}): DashboardFacts {
  const { psp, bank, result } = month;
  const exceptions = result === null ? [] : exceptionsFromReconcile(result, [...psp, ...bank], now, { ...options, groups: unmatchedGroupsOf(month) });
  const window = salesWindow(psp);
  const sharePercent = extras.sharePercent ?? (() => null);
  const anomalies =
    window === null
      ? []
      : detectAnomalies({ mode: 'retrospective', from: window.from, to: window.to, activity: dailyActivityFromTransactions(psp), reportRows: extras.reportRows ?? [], deliveries: extras.deliveries ?? [], agreedSharePercent: sharePercent });
  const forecast = window === null ? [] : forecastCashFlow(cashFlowDaysFromTransactions(psp, sharePercent), window.from, window.to, DEFAULT_FORECAST_OPTIONS);
  return {
    ...unmatchedTotals(month, new Set()),
    exceptionsByAge: exceptionsByAge(exceptions, now),
    exceptionsOpen: exceptions.filter((record) => !isClosed(record.status)).length,
    exceptions,
    anomalies,
    forecast,
    window,
  };
}
