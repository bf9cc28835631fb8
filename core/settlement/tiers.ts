import { assert } from '../assert.ts';
import { Decimal } from '../money/decimal.ts';
import type { Share } from './agreement.ts';
import { percentOf } from './round.ts';

/**
 * Tiered shares. Tiers are measured on revenue (the split base) or on a transaction count, over
 * this period alone or accumulated over a contract year (`measureBefore` is what earlier periods
 * of the year already reached).
 *
 * - marginal: each band's part of [before, before + this] earns its own rate. On a count, each
 *   band earns its rate on the base in proportion to the units that fell into it.
 * - retroactive: the whole base earns the rate of the tier reached; on a boundary, "higher" takes
 *   the tier that starts there and "lower" the one that ends there.
 * - a negative base earns the first tier's rate (a claw-back) or nothing, as the share says.
 * Band shares are exact; the caller rounds them where the agreement's rounding scope says.
 */
export interface TierInput {
  readonly share: Share;
  /** The base the share is a share of, in the settlement currency (after a part-of-split fee). */
  readonly splitBase: Decimal;
  /** What the tiers measure in this period: the split base, or the count. */
  readonly measureThis: Decimal;
  /** Reached earlier in the contract year (zero when tiers reset each period). */
  readonly measureBefore: Decimal;
}

export interface BandShare {
  readonly from: string;
  readonly to: string | null;
  readonly rate: string;
  /** The part of the measure that fell into this band (the whole measure for retroactive). */
  readonly measure: string;
  readonly share: Decimal;
}

export interface TierResult {
  readonly rule: string;
  readonly bands: readonly BandShare[];
}

function reachedTier(share: Share, reached: Decimal): Share['tiers'][number] {
  const tiers = share.tiers;
  for (const tier of tiers) {
    const from = new Decimal(tier.from);
    const to = tier.to === null ? null : new Decimal(tier.to);
    const inside = share.boundary === 'higher' ? reached.greaterThanOrEqualTo(from) && (to === null || reached.lessThan(to)) : (reached.greaterThan(from) || from.isZero()) && (to === null || reached.lessThanOrEqualTo(to));
    if (inside) return tier;
  }
  const first = tiers[0];
  assert(first !== undefined, 'a share has at least one tier');
  return first; // below zero (accumulated negatives): the first tier
}

function marginal(input: TierInput): BandShare[] {
  const { share, splitBase, measureThis, measureBefore } = input;
  const low = measureBefore;
  const high = measureBefore.plus(measureThis);
  return share.tiers.map((tier, index) => {
    // The first band reaches down to minus infinity so an accumulated negative measure is still covered.
    const from = index === 0 ? null : new Decimal(tier.from);
    const to = tier.to === null ? null : new Decimal(tier.to);
    const top = to === null ? high : Decimal.min(high, to);
    const bottom = from === null ? low : Decimal.max(low, from);
    const inBand = Decimal.max(top.minus(bottom), 0);
    const amount = share.measure === 'revenue' ? inBand : splitBase.times(inBand).dividedBy(measureThis);
    return { from: tier.from, to: tier.to, rate: tier.rate, measure: inBand.toFixed(), share: percentOf(amount, tier.rate) };
  });
}

export function tieredShare(input: TierInput): TierResult {
  const { share, splitBase, measureThis, measureBefore } = input;
  const first = share.tiers[0];
  assert(first !== undefined, 'a share has at least one tier');
  if (splitBase.isZero()) return { rule: 'zero base', bands: [] };
  if (splitBase.isNegative()) {
    const rate = share.negativeBase === 'zero' ? '0' : first.rate;
    const rule = `negative base: ${share.negativeBase === 'zero' ? 'zero share' : `first tier rate ${first.rate} %`}`;
    return { rule, bands: [{ from: first.from, to: first.to, rate, measure: measureThis.toFixed(), share: percentOf(splitBase, rate) }] };
  }
  if (share.measure === 'count' && !measureThis.greaterThan(0)) {
    // A positive base with no net count (refunds netted out): no band to place it in, so the first tier's rate.
    return { rule: `count ${measureThis.toFixed()} with a positive base: first tier rate ${first.rate} %`, bands: [{ from: first.from, to: first.to, rate: first.rate, measure: measureThis.toFixed(), share: percentOf(splitBase, first.rate) }] };
  }
  if (share.tiers.length === 1) return { rule: `flat ${first.rate} %`, bands: [{ from: first.from, to: first.to, rate: first.rate, measure: measureThis.toFixed(), share: percentOf(splitBase, first.rate) }] };
  const where = `${share.measure}${share.period === 'contract-year' ? `, contract year to date ${measureBefore.toFixed()} before this period` : ''}`;
  if (share.method === 'retroactive') {
    const reached = measureBefore.plus(measureThis);
    const tier = reachedTier(share, reached);
    return {
      rule: `retroactive on ${where}: reached ${reached.toFixed()}, boundary to the ${share.boundary} tier, whole base at ${tier.rate} %`,
      bands: [{ from: tier.from, to: tier.to, rate: tier.rate, measure: measureThis.toFixed(), share: percentOf(splitBase, tier.rate) }],
    };
  }
  const bands = marginal(input).filter((band) => !new Decimal(band.measure).isZero());
  return { rule: `marginal on ${where}: each band at its own rate`, bands };
}
