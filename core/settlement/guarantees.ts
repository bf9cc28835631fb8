import { Decimal } from '../money/decimal.ts';
import type { Terms } from './agreement.ts';
import { decimalMin, percentOf, ZERO, type Rounder } from './round.ts';

/**
 * Minimum guarantee, cap and advance recoupment: what turns the earned share into the share owed.
 * All inputs and outputs are rounded settlement amounts.
 */
export interface GuaranteeResult {
  readonly share: Decimal;
  readonly mgTopUp: Decimal;
  readonly mgRecouped: Decimal;
  readonly capReduction: Decimal;
  readonly mgBalanceOut: Decimal;
  readonly mgNote: string | null;
  readonly capNote: string | null;
}

interface MgStep {
  readonly share: Decimal;
  readonly topUp: Decimal;
  readonly recouped: Decimal;
  readonly note: string | null;
}

function applyMg(share: Decimal, terms: Terms, empty: boolean, balance: Decimal): MgStep {
  const mg = terms.minimumGuarantee;
  const amount = new Decimal(mg.amount);
  if (amount.isZero()) return { share, topUp: ZERO, recouped: ZERO, note: null };
  if (empty && !mg.applyInEmptyPeriods) return { share, topUp: ZERO, recouped: ZERO, note: `minimum guarantee ${mg.amount} not applied: empty period` };
  if (share.lessThan(amount)) {
    const topUp = amount.minus(share);
    return { share: amount, topUp, recouped: ZERO, note: `minimum guarantee ${mg.amount}: top-up ${topUp.toFixed()} (${mg.recoupable ? 'recoupable' : 'not recoupable'})` };
  }
  if (!mg.recoupable || balance.isZero()) return { share, topUp: ZERO, recouped: ZERO, note: null };
  const recouped = decimalMin(balance, share.minus(amount));
  return { share: share.minus(recouped), topUp: ZERO, recouped, note: `recouped ${recouped.toFixed()} of earlier guarantee top-ups (${balance.toFixed()} outstanding) from the share above ${mg.amount}` };
}

function applyCap(share: Decimal, terms: Terms): { share: Decimal; reduction: Decimal } {
  const cap = terms.cap.amount;
  if (cap === null || share.lessThanOrEqualTo(cap)) return { share, reduction: ZERO };
  return { share: new Decimal(cap), reduction: share.minus(cap) };
}

export function applyGuarantees(share: Decimal, terms: Terms, empty: boolean, mgBalanceIn: Decimal): GuaranteeResult {
  let current = share;
  let capReduction = ZERO;
  if (terms.cap.apply === 'before-mg') {
    const capped = applyCap(current, terms);
    current = capped.share;
    capReduction = capped.reduction;
  }
  const mg = applyMg(current, terms, empty, mgBalanceIn);
  current = mg.share;
  if (terms.cap.apply === 'after-mg') {
    const capped = applyCap(current, terms);
    current = capped.share;
    capReduction = capped.reduction;
  }
  const capNote = capReduction.isZero() ? null : `cap ${terms.cap.amount ?? ''} applied ${terms.cap.apply}: share reduced by ${capReduction.toFixed()}`;
  const mgBalanceOut = terms.minimumGuarantee.recoupable ? mgBalanceIn.plus(mg.topUp).minus(mg.recouped) : mgBalanceIn;
  return { share: current, mgTopUp: mg.topUp, mgRecouped: mg.recouped, capReduction, mgBalanceOut, mgNote: mg.note, capNote };
}

/** Advance recoupment: at most `maxRatePerPeriod` % of the basis (share, or net payable), at most the balance. */
export function recoupAdvance(terms: Terms, basis: Decimal, balance: Decimal, round: Rounder): Decimal {
  if (balance.isZero() || !basis.greaterThan(0)) return ZERO;
  return decimalMin(balance, round.money(percentOf(basis, terms.advance.maxRatePerPeriod)));
}
