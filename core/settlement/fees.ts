import { Decimal } from '../money/decimal.ts';
import type { TransactionKind } from '../transactions/schema.ts';
import type { Terms } from './agreement.ts';
import { ZERO } from './round.ts';

/**
 * Fees charged to the partner after the split: the platform fee when it is separate from the
 * split, a fee per counted transaction, and a fixed fee per period. (A platform fee that is part
 * of the split is taken off each group's base before the split; see statement.ts.)
 */
export interface FeeLine {
  readonly code: 'platform_fee' | 'transaction_fee' | 'periodic_fee';
  readonly amount: Decimal;
  readonly explanation: string;
}

export function chargedFees(terms: Terms, separatePlatformFee: Decimal, kindCounts: ReadonlyMap<TransactionKind, number>, empty: boolean): FeeLine[] {
  const lines: FeeLine[] = [];
  if (!separatePlatformFee.isZero()) {
    lines.push({ code: 'platform_fee', amount: separatePlatformFee, explanation: `platform fee ${terms.platformFee.rate} % on ${terms.platformFee.basis}, separate from the split` });
  }
  const perTransaction = new Decimal(terms.transactionFee.amount);
  if (!perTransaction.isZero()) {
    const count = terms.transactionFee.kinds.reduce((total, kind) => total + (kindCounts.get(kind) ?? 0), 0);
    if (count > 0) {
      lines.push({ code: 'transaction_fee', amount: perTransaction.times(count), explanation: `${count} transactions (${terms.transactionFee.kinds.join(', ')}) x ${terms.transactionFee.amount}` });
    }
  }
  const periodic = new Decimal(terms.periodicFee.amount);
  if (!periodic.isZero()) {
    if (!empty || terms.periodicFee.chargeInEmptyPeriods) lines.push({ code: 'periodic_fee', amount: periodic, explanation: `fixed fee per period${empty ? ', charged in an empty period' : ''}` });
  }
  return lines;
}

export function totalFees(lines: readonly FeeLine[]): Decimal {
  return lines.reduce((total, line) => total.plus(line.amount), ZERO);
}
