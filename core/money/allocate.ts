import { assert } from '../assert.ts';
import { SettleDeskError } from '../errors.ts';
import { Decimal } from './decimal.ts';
import { minorUnitsOf } from './iso4217.ts';
import { money, type Money } from './money.ts';
import { fromMinorUnits, toMinorUnits } from './minor.ts';

export class AllocationError extends SettleDeskError {}

/** Weights as exact integers over one common scale, so "0.1" and "0.2" compare exactly. */
function integerWeights(weights: readonly string[]): bigint[] {
  const decimals = weights.map((weight) => {
    const d = new Decimal(weight);
    if (!d.isFinite() || d.isNegative()) throw new AllocationError('allocation_weight_invalid', `allocation weight ${JSON.stringify(weight)} must be a non-negative decimal`);
    return d;
  });
  const scale = Math.max(0, ...decimals.map((d) => d.decimalPlaces()));
  return decimals.map((d) => BigInt(d.times(new Decimal(10).pow(scale)).toFixed(0)));
}

/**
 * Splits `total` over `weights` by largest remainder: each part gets its floor share in minor
 * units, and the units left over go one each to the largest remainders (ties to the earlier
 * weight). The parts always sum to the total exactly; a zero weight gets zero.
 */
export function allocate(total: Money, weights: readonly string[]): Money[] {
  if (weights.length === 0) throw new AllocationError('allocation_no_weights', 'cannot allocate over an empty list of weights');
  const exponent = minorUnitsOf(total.currency);
  const totalMinor = BigInt(toMinorUnits(total.amount, exponent));
  const ints = integerWeights(weights);
  const weightSum = ints.reduce((a, b) => a + b, 0n);
  if (weightSum === 0n) throw new AllocationError('allocation_weights_zero', 'cannot allocate over weights that are all zero');
  const negative = totalMinor < 0n;
  const magnitude = negative ? -totalMinor : totalMinor;
  const shares = ints.map((w) => (magnitude * w) / weightSum);
  const remainders = ints.map((w, index) => ({ index, remainder: (magnitude * w) % weightSum }));
  let left = magnitude - shares.reduce((a, b) => a + b, 0n);
  assert(left >= 0n && left < BigInt(weights.length), 'largest remainder leaves fewer units than parts', { left: String(left) });
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    left--;
  }
  const parts = shares.map((share) => money(fromMinorUnits(negative ? -share : share, exponent), total.currency));
  assert(parts.reduce((a, p) => a + BigInt(toMinorUnits(p.amount, exponent)), 0n) === totalMinor, 'allocation conserves the total');
  return parts;
}
