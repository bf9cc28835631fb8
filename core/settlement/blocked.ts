import { assert } from '../assert.ts';
import { Decimal } from '../money/decimal.ts';
import type { AgreementVersion } from './agreement.ts';
import type { Period } from './base.ts';
import { SettlementError } from './errors.ts';
import type { PartnerLedgerState } from './state.ts';

/**
 * A blocked partner-period is not a statement: an exception left its money uncomputed, so it has
 * no payable and nothing to submit or approve. Its balances after the period are unknown, so the
 * state handed to the next period keeps the balances from before it and says it is blocked; a
 * later period whose result could depend on them is blocked too, until the blocked period is
 * settled again and hands on a real state.
 */
export interface BlockedPeriod {
  readonly partnerId: string;
  readonly period: Period;
  readonly status: 'blocked';
  /** Always null: a blocked period pays nothing until it is resolved. */
  readonly payable: null;
  /** The exception that blocks it: its own, or blocked_by_earlier_period. */
  readonly code: string;
  /** The first blocked period in the chain (this period when the exception is its own). */
  readonly origin: { readonly period: Period; readonly code: string };
}

/** The state a blocked period hands on: the balances it started from, marked blocked (an earlier mark is kept: it names the origin). */
export function blockedState(state: PartnerLedgerState, period: Period, error: { readonly code: string; readonly message: string }): PartnerLedgerState {
  if (state.blocked !== undefined) return state;
  return { ...state, blocked: { period, code: error.code, message: error.message } };
}

/**
 * Whether a period's result can depend on what the blocked period would have handed on. It can
 * when anything crosses a period boundary under the agreements in force: a balance already
 * outstanding (carry-forward, advance, recoupable guarantee), a negative balance carried forward,
 * an amount rolled under a minimum payout, a recoupable guarantee top-up, or tiers accumulated over
 * a contract year. Only when none of these can happen are the balances known without the period.
 */
export function dependsOnBlocked(state: PartnerLedgerState, agreements: readonly AgreementVersion[]): boolean {
  assert(agreements.length > 0, 'at least the current agreement is given');
  const outstanding = [state.carryForward, state.advanceBalance, state.mgRecoupableBalance].some((amount) => !new Decimal(amount).isZero());
  if (outstanding || state.tierAccumulation !== null) return true;
  return agreements.some(({ terms }) => {
    const shares = [terms.share, ...terms.productOverrides.map((each) => each.share)];
    return (
      terms.negativeBalance === 'carry-forward' ||
      new Decimal(terms.minimumPayout).greaterThan(0) ||
      terms.minimumGuarantee.recoupable ||
      new Decimal(terms.advance.amount).greaterThan(0) ||
      shares.some((share) => share.period === 'contract-year')
    );
  });
}

export function blockedByEarlier(partnerId: string, period: Period, mark: NonNullable<PartnerLedgerState['blocked']>): SettlementError {
  return new SettlementError(
    'blocked_by_earlier_period',
    `partner ${partnerId}: ${period.start}..${period.end} depends on the balances of ${mark.period.start}..${mark.period.end}, which is blocked (${mark.code}); settle that period again first`,
    { blockedPeriod: mark.period, blockedCode: mark.code },
  );
}

/** The state a period starts from when the blocked period cannot affect it: the known balances, without the mark. */
export function unblocked(state: PartnerLedgerState): PartnerLedgerState {
  const { blocked, ...rest } = state;
  assert(blocked !== undefined, 'only a blocked state is unblocked');
  return rest;
}
