import { add, money, zero, type Money } from '../../../../core/money/money.ts';
import type { ApprovalEventDoc, SettlementRunDoc, StatementDoc } from '../../../../core/sync/documents.ts';
import { statusOf } from '../settlements/run-period.ts';

/**
 * The dashboard's "settlements by status": every statement of the latest run of each period
 * (an earlier revision is superseded by the re-run), counted by where it stands in maker-checker,
 * with its payable summed exactly per currency (core/money). A withdrawn statement is back with
 * its maker, so it counts as a draft.
 */
export const DASHBOARD_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'blocked'] as const;
export type DashboardStatus = (typeof DASHBOARD_STATUSES)[number];

export interface StatusRow {
  readonly status: DashboardStatus;
  readonly count: number;
  /** Payable per currency, by currency code. */
  readonly payable: readonly Money[];
}

export interface SettlementsByStatus {
  readonly rows: readonly StatusRow[];
  /** Periods with a run, newest first. */
  readonly periods: readonly string[];
}

/** The latest revision's run of each period. */
export function latestRuns(runs: readonly SettlementRunDoc[]): SettlementRunDoc[] {
  const byPeriod = new Map<string, SettlementRunDoc>();
  for (const run of runs) {
    const seen = byPeriod.get(run.period);
    if (seen === undefined || run.revision > seen.revision) byPeriod.set(run.period, run);
  }
  return [...byPeriod.values()].sort((a, b) => (a.period < b.period ? 1 : a.period > b.period ? -1 : 0));
}

export function settlementsByStatus(runs: readonly SettlementRunDoc[], statements: readonly StatementDoc[], approvals: ReadonlyMap<string, readonly ApprovalEventDoc[]>): SettlementsByStatus {
  const latest = latestRuns(runs);
  const latestIds = new Set(latest.map((run) => run.id));
  const counts = new Map<DashboardStatus, number>();
  const sums = new Map<DashboardStatus, Map<string, Money>>();
  for (const doc of statements) {
    if (!latestIds.has(doc.runId)) continue;
    const found = statusOf(doc, approvals.get(doc.id) ?? []);
    const status: DashboardStatus = found === 'withdrawn' ? 'draft' : found;
    counts.set(status, (counts.get(status) ?? 0) + 1);
    const perCurrency = sums.get(status) ?? new Map<string, Money>();
    sums.set(status, perCurrency);
    const currency = doc.currency;
    perCurrency.set(currency, add(perCurrency.get(currency) ?? zero(currency), money(doc.payable, currency)));
  }
  const rows = DASHBOARD_STATUSES.map((status) => ({
    status,
    count: counts.get(status) ?? 0,
    payable: [...(sums.get(status)?.values() ?? [])].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
  }));
  return { rows, periods: latest.map((run) => run.period) };
}
