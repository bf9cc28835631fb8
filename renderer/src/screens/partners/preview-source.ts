import { daysOfMonth } from '../../../../core/demo/calendar.ts';
import type { Period } from '../../../../core/settlement/base.ts';
import type { PartnerLedgerState } from '../../../../core/settlement/state.ts';
import type { SettlementRunDoc } from '../../../../core/sync/documents.ts';
import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';
import type { RatesData } from './partners-worker-protocol.ts';

/**
 * Which period the preview settles: the last settled run on the desk (its period, its rates and
 * the partners' states before it, as the run stored them), or, before any run, the workspace's
 * month (the month most of its partner transactions fall in) with the workspace's rates.
 */
export interface PreviewSource {
  readonly month: string;
  readonly period: Period;
  /** As a run stores them (source, base, quotes by date): the worker builds core's rate table from them. */
  readonly rates: RatesData;
  readonly statesIn: Readonly<Record<string, PartnerLedgerState>>;
  readonly origin: { readonly kind: 'run'; readonly revision: number } | { readonly kind: 'month' };
}

/** The last run: the latest period, and in it the highest revision. */
export function lastRunOf(runs: readonly SettlementRunDoc[]): SettlementRunDoc | null {
  let last: SettlementRunDoc | null = null;
  for (const run of runs) if (last === null || run.period > last.period || (run.period === last.period && run.revision > last.revision)) last = run;
  return last;
}

/** The month most partner-attributed transactions occurred in (ties: the later month); null without any. */
export function busiestMonthOf(transactions: readonly CanonicalTransaction[]): string | null {
  const counts = new Map<string, number>();
  for (const tx of transactions) if (tx.partnerId !== null) counts.set(tx.occurredAt.slice(0, 7), (counts.get(tx.occurredAt.slice(0, 7)) ?? 0) + 1);
  let best: string | null = null;
  for (const [month, count] of counts) if (best === null || count > (counts.get(best) ?? 0) || (count === counts.get(best) && month > best)) best = month;
  return best;
}

/** `month`: busiestMonthOf the workspace's rows (the engine worker computes it over the month it holds). */
export function previewSourceOf(runs: readonly SettlementRunDoc[], month: string | null, workspaceRates: RatesData): PreviewSource | null {
  const run = lastRunOf(runs);
  if (run !== null) {
    return { month: run.period, period: run.inputs.period, rates: run.inputs.rates, statesIn: run.inputs.statesIn, origin: { kind: 'run', revision: run.revision } };
  }
  if (month === null) return null;
  const days = daysOfMonth(month);
  return { month, period: { start: days[0] ?? `${month}-01`, end: days.at(-1) ?? `${month}-01` }, rates: workspaceRates, statesIn: {}, origin: { kind: 'month' } };
}
