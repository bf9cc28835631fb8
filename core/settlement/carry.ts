import { Decimal } from '../money/decimal.ts';
import type { Terms } from './agreement.ts';
import { ZERO } from './round.ts';

/**
 * The end of the waterfall: a negative balance is carried forward or written off; a positive
 * amount owed below the minimum payout rolls into the next period; the rest is paid.
 */
export interface CarryResult {
  readonly payable: Decimal;
  /** Signed: negative = the partner owes it back, positive = rolled under the minimum payout. */
  readonly carryOut: Decimal;
  readonly writtenOff: Decimal;
  readonly explanation: string | null;
}

/** True when the amount owed before cash withholding reaches the minimum payout (and is positive). */
export function paysCash(terms: Terms, owedBeforeWithholding: Decimal): boolean {
  return owedBeforeWithholding.greaterThan(0) && owedBeforeWithholding.greaterThanOrEqualTo(terms.minimumPayout);
}

export function settleBalance(terms: Terms, balance: Decimal, owedBeforeWithholding: Decimal): CarryResult {
  if (balance.isNegative() && !balance.isZero()) {
    if (terms.negativeBalance === 'write-off') return { payable: ZERO, carryOut: ZERO, writtenOff: balance.negated(), explanation: `negative balance ${balance.toFixed()} written off` };
    return { payable: ZERO, carryOut: balance, writtenOff: ZERO, explanation: `negative balance ${balance.toFixed()} carried forward` };
  }
  if (balance.greaterThan(0) && !paysCash(terms, owedBeforeWithholding)) {
    return { payable: ZERO, carryOut: balance, writtenOff: ZERO, explanation: `${balance.toFixed()} is under the minimum payout ${terms.minimumPayout}: rolled into the next period` };
  }
  return { payable: balance, carryOut: ZERO, writtenOff: ZERO, explanation: null };
}

