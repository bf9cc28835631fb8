import { groupedUnmatchedKey, type UnmatchedSide } from '../../../../core/exceptions/from-reconcile.ts';
import { exceptionId } from '../../../../core/exceptions/model.ts';
import { money, negate, subtract, sum } from '../../../../core/money/index.ts';
import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';

/**
 * Matching by hand between the PSP lines the bank never showed and the bank lines nothing
 * explained. PSP lines are compared with the bank's sign (a payout leaves the PSP balance as a
 * negative line and arrives at the bank as a credit), as core's PSP <-> bank leg does. A manual
 * match resolves the items' unmatched exceptions with the analyst's reason: each resolution is an
 * audit event on the desk, and it replicates like any other edit.
 */
export const MANUAL_MATCH_PREFIX = 'manual match';

export type ManualMatchCheck =
  | { readonly ok: true; readonly currency: string; readonly pspTotal: string; readonly bankTotal: string; readonly difference: string }
  | { readonly ok: false; readonly code: 'needs_both_sides' | 'mixed_currency' };

export function checkManualMatch(psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[]): ManualMatchCheck {
  if (psp.length === 0 || bank.length === 0) return { ok: false, code: 'needs_both_sides' };
  const currencies = new Set([...psp, ...bank].map((tx) => tx.currency));
  if (currencies.size !== 1) return { ok: false, code: 'mixed_currency' };
  const currency = [...currencies][0] as string;
  const pspTotal = negate(sum(psp.map((tx) => money(tx.amount, currency)), currency));
  const bankTotal = sum(bank.map((tx) => money(tx.amount, currency)), currency);
  return { ok: true, currency, pspTotal: pspTotal.amount, bankTotal: bankTotal.amount, difference: subtract(bankTotal, pspTotal).amount };
}

/** The exceptions reconciliation raised for these items (core/exceptions/from-reconcile.ts keys). */
export function unmatchedExceptionIds(psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[]): string[] {
  return [...psp.map((tx) => exceptionId('unmatched', ['pspUnsettled', tx.id])), ...bank.map((tx) => exceptionId('unmatched', ['bank', tx.id]))];
}

/**
 * The grouped exceptions the items are in when their day had too many unmatched rows to raise one
 * each: there the match is said as a comment on the group (an audit event); the group stays open
 * for its other rows.
 */
export function groupedExceptionIds(psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[]): string[] {
  const idOf = (side: UnmatchedSide, tx: CanonicalTransaction) => exceptionId('unmatched', groupedUnmatchedKey({ side, account: tx.account, currency: tx.currency, date: tx.occurredAt.slice(0, 10) }));
  return [...new Set([...psp.map((tx) => idOf('pspUnsettled', tx)), ...bank.map((tx) => idOf('bank', tx))])];
}

/** The reason written on each resolved exception: who it was matched with, and why. */
export function manualMatchReason(psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[], reason: string): string {
  return `${MANUAL_MATCH_PREFIX} psp=[${psp.map((tx) => tx.id).join(',')}] bank=[${bank.map((tx) => tx.id).join(',')}]: ${reason.trim()}`.slice(0, 2000);
}
