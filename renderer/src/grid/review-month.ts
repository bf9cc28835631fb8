import { exceptionsFromReconcile } from '../../../core/exceptions/from-reconcile.ts';
import type { ExceptionRecord } from '../../../core/exceptions/model.ts';
import { reconcile, type ReconcileResult } from '../../../core/reconcile/index.ts';
import type { CanonicalTransaction } from '../../../core/transactions/schema.ts';

/**
 * The month as the review screens see it: the workspace's transactions split into PSP and bank
 * sides, reconciled by core (two-way PSP <-> bank, as the dashboard does), and the exceptions
 * that reconciliation raises. Computed once per transactions array.
 */
const PSP_FORMATS: ReadonlySet<string> = new Set(['stripe', 'adyen', 'paypal']);
const BANK_FORMATS: ReadonlySet<string> = new Set(['camt.052', 'camt.053', 'camt.054', 'mt940', 'bai2', 'ofx', 'csv']);

export interface ReviewMonth {
  readonly transactions: readonly CanonicalTransaction[];
  readonly byId: ReadonlyMap<string, CanonicalTransaction>;
  readonly psp: readonly CanonicalTransaction[];
  readonly bank: readonly CanonicalTransaction[];
  /** null when one side is empty: nothing to reconcile. */
  readonly reconciliation: ReconcileResult | null;
}

const cache = new WeakMap<readonly CanonicalTransaction[], ReviewMonth>();

export function reviewMonthOf(transactions: readonly CanonicalTransaction[]): ReviewMonth {
  const known = cache.get(transactions);
  if (known !== undefined) return known;
  const psp = transactions.filter((tx) => PSP_FORMATS.has(tx.source.format));
  const bank = transactions.filter((tx) => BANK_FORMATS.has(tx.source.format));
  const reconciliation = psp.length === 0 || bank.length === 0 ? null : reconcile({ psp, bank });
  const month: ReviewMonth = { transactions, byId: new Map(transactions.map((tx) => [tx.id, tx])), psp, bank, reconciliation };
  cache.set(transactions, month);
  return month;
}

/** The exceptions the month's reconciliation raises (ids are deterministic: raising them again adds nothing). */
export function exceptionsOfMonth(month: ReviewMonth, at: string): ExceptionRecord[] {
  if (month.reconciliation === null) return [];
  return exceptionsFromReconcile(month.reconciliation, [...month.psp, ...month.bank], at);
}
