import { Decimal } from '../money/decimal.ts';
import type { AgreementVersion } from './agreement.ts';
import { HUNDRED, percentOf, ZERO, type Rounder } from './round.ts';

/**
 * VAT/GST on fees and withholding tax, by the partner's jurisdiction. An empty rate table means
 * the tax does not apply; a non-empty table without the jurisdiction is refused at validation.
 */
export interface VatResult {
  readonly rate: string | null;
  /** The VAT amount (added on top, or contained in the fees). */
  readonly vat: Decimal;
  /** What the partner is charged for fees, VAT included. */
  readonly charged: Decimal;
  /** Fees net of VAT: the platform's fee income. */
  readonly feesNet: Decimal;
  readonly explanation: string | null;
}

export function vatOnFees(agreement: AgreementVersion, fees: Decimal, round: Rounder): VatResult {
  const vat = agreement.terms.vatOnFees;
  const rate = vat.ratesByJurisdiction[agreement.partnerJurisdiction] ?? null;
  if (rate === null || fees.isZero()) return { rate, vat: ZERO, charged: fees, feesNet: fees, explanation: null };
  if (vat.treatment === 'added') {
    const amount = round.money(percentOf(fees, rate));
    return { rate, vat: amount, charged: fees.plus(amount), feesNet: fees, explanation: `VAT ${rate} % (${agreement.partnerJurisdiction}) added on fees ${round.text(fees)}` };
  }
  const amount = round.money(fees.times(rate).dividedBy(HUNDRED.plus(rate)));
  return { rate, vat: amount, charged: fees, feesNet: fees.minus(amount), explanation: `VAT ${rate} % (${agreement.partnerJurisdiction}) included in fees ${round.text(fees)}: ${round.text(fees)} x ${rate}/(100+${rate})` };
}

export interface WithholdingInput {
  /** The share owed (after guarantees and cap). */
  readonly share: Decimal;
  /** Share less fees charged. */
  readonly netBeforeCarry: Decimal;
  readonly advanceRecouped: Decimal;
  readonly carryIn: Decimal;
  /** False when no cash is paid this period (negative or under the minimum payout). */
  readonly paysCash: boolean;
}

export interface WithholdingResult {
  readonly rate: string | null;
  readonly basis: Decimal;
  readonly tax: Decimal;
  readonly explanation: string | null;
}

export function withholding(agreement: AgreementVersion, input: WithholdingInput, round: Rounder): WithholdingResult {
  const terms = agreement.terms.withholding;
  const rate = terms.ratesByJurisdiction[agreement.partnerJurisdiction] ?? null;
  if (rate === null) return { rate, basis: ZERO, tax: ZERO, explanation: null };
  const after = terms.timing === 'after-carry-and-recoupment';
  const start = terms.basis === 'gross-share' ? input.share : input.netBeforeCarry;
  const raw = after ? start.minus(input.advanceRecouped).plus(input.carryIn) : start;
  const basis = Decimal.max(raw, 0);
  if (terms.basis === 'cash-paid' && !input.paysCash) {
    return { rate, basis: ZERO, tax: ZERO, explanation: `withholding ${rate} % on cash paid: no cash paid this period` };
  }
  const tax = round.money(percentOf(basis, rate));
  return { rate, basis, tax, explanation: `withholding ${rate} % (${agreement.partnerJurisdiction}) on ${terms.basis} ${after ? 'after' : 'before'} carry-forward and recoupment: basis ${round.text(basis)}` };
}
