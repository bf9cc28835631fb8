import { assert } from '../assert.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { addMinor, fromMinorUnits, toMinorUnits, type MinorUnits } from '../money/minor.ts';
import type { CanonicalTransaction, TransactionKind } from '../transactions/schema.ts';
import { convertMinor } from './fx.ts';
import { dateOf, dayNumber, type FxApplied } from './leg.ts';
import type { DateField } from './rules.ts';

/**
 * Why a matched group's two sides differ, in exact minor units of one currency:
 *   difference = right total - left total
 *              = timing + fees + refunds + withholding + fx + tolerated + unexplained   (exactly, asserted by tests)
 * - timing: items dated after the other side's latest date plus the date window belong to a later
 *   settlement (right late items count +, left late items -).
 * - fees (kind fee), refunds (refund, chargeback), withholding (tax): right minus left amount of that
 *   kind, counted only when both sides are itemized. A side of only net movements (transfer, payout)
 *   already has every deduction netted inside it, so there the categories say nothing and a gap is
 *   unexplained (a bank credit 10.00 short of a PSP batch is not "explained" by the batch's fees).
 * - fx: in a cross-currency group, what is left after the above, when within the fx tolerance.
 * - tolerated: what is left after that, when within the rules' amount tolerance (accepted by the
 *   rules: a one-cent rounding gap is no exception, yet it is shown, not dropped).
 * - unexplained: the remainder, never hidden.
 * Items in the group's `from` currency are converted per item at the group's rate (half-even) to
 * be sorted into the parts; the difference converts each side's total once, as the group does, and
 * the cents per-item rounding gained or lost go to fx (or on, if beyond its tolerance).
 */
export interface VarianceBreakdown {
  readonly currency: string;
  readonly difference: string;
  readonly timing: string;
  readonly fees: string;
  readonly refunds: string;
  readonly withholding: string;
  readonly fx: string;
  readonly tolerated: string;
  readonly unexplained: string;
}

const NET_KINDS: ReadonlySet<TransactionKind> = new Set(['transfer', 'payout']);
const CATEGORY: Readonly<Partial<Record<TransactionKind, 'fees' | 'refunds' | 'withholding'>>> = { fee: 'fees', refund: 'refunds', chargeback: 'refunds', tax: 'withholding' };

export interface VarianceInput {
  readonly left: readonly CanonicalTransaction[];
  readonly right: readonly CanonicalTransaction[];
  readonly fx: FxApplied | null;
  readonly fxToleranceBps: number;
  readonly dateFields: readonly DateField[];
  readonly dateWindowDays: number;
  /** Inclusive amount tolerance in minor units of the group's currency (rules.amountTolerance); 0 when absent. */
  readonly toleranceMinor?: number;
  /** Already known minor units and day numbers, aligned with left/right (the engine has them); computed when absent. */
  readonly prepared?: {
    readonly minor: { readonly left: readonly MinorUnits[]; readonly right: readonly MinorUnits[] };
    readonly day: { readonly left: readonly number[]; readonly right: readonly number[] };
  };
}

function negate(value: MinorUnits): MinorUnits {
  return typeof value === 'number' ? (value === 0 ? 0 : -value) : -value;
}

function absBig(value: MinorUnits): bigint {
  const big = BigInt(value);
  return big < 0n ? -big : big;
}

/** converted(sum of a side's `from` items) - sum of converted(item), in the group's currency. */
function conversionGap(input: VarianceInput, side: 'left' | 'right', amountOf: (side: 'left' | 'right', position: number) => MinorUnits): MinorUnits {
  const fx = input.fx;
  assert(fx !== null, 'a conversion gap needs a rate');
  const exponent = minorUnitsOf(fx.from);
  let raw: MinorUnits = 0;
  let converted: MinorUnits = 0;
  let count = 0;
  for (let position = 0; position < input[side].length; position++) {
    const tx = input[side][position] as CanonicalTransaction;
    if (tx.currency !== fx.from) continue;
    raw = addMinor(raw, toMinorUnits(tx.amount, exponent));
    converted = addMinor(converted, amountOf(side, position));
    count++;
  }
  if (count < 2) return 0;
  return addMinor(convertMinor(fromMinorUnits(raw, exponent), fx.rate, fx.to), negate(converted));
}

export function varianceOf(input: VarianceInput): VarianceBreakdown {
  const first = input.right[0] ?? input.left[0];
  assert(first !== undefined, 'a variance needs at least one transaction');
  const currency = input.fx?.to ?? first.currency;
  const exponent = minorUnitsOf(currency);
  const days = input.prepared?.day ?? {
    left: input.left.map((tx) => dayNumber(dateOf(tx, input.dateFields))),
    right: input.right.map((tx) => dayNumber(dateOf(tx, input.dateFields))),
  };
  const amountOf = (side: 'left' | 'right', position: number): MinorUnits => {
    const tx = input[side][position] as CanonicalTransaction;
    if (input.fx !== null && tx.currency === input.fx.from) return convertMinor(tx.amount, input.fx.rate, currency);
    return input.prepared?.minor[side][position] ?? toMinorUnits(tx.amount, exponent);
  };
  const latest = (list: readonly number[]): number => {
    let day = Number.NEGATIVE_INFINITY;
    for (const value of list) day = Math.max(day, value);
    return day;
  };
  const cutoff = { left: latest(days.right) + input.dateWindowDays, right: latest(days.left) + input.dateWindowDays };
  const totals = { difference: 0 as MinorUnits, timing: 0 as MinorUnits, fees: 0 as MinorUnits, refunds: 0 as MinorUnits, withholding: 0 as MinorUnits };
  const itemized = { left: false, right: false };
  const categories: Array<{ category: 'fees' | 'refunds' | 'withholding'; amount: MinorUnits }> = [];
  for (const side of ['left', 'right'] as const) {
    const otherSideEmpty = input[side === 'left' ? 'right' : 'left'].length === 0;
    for (let position = 0; position < input[side].length; position++) {
      const tx = input[side][position] as CanonicalTransaction;
      const amount = side === 'right' ? amountOf(side, position) : negate(amountOf(side, position));
      totals.difference = addMinor(totals.difference, amount);
      if (!otherSideEmpty && (days[side][position] as number) > cutoff[side]) {
        totals.timing = addMinor(totals.timing, amount);
        continue;
      }
      if (!NET_KINDS.has(tx.kind)) itemized[side] = true;
      const category = CATEGORY[tx.kind];
      if (category !== undefined) categories.push({ category, amount });
    }
  }
  if (itemized.left && itemized.right) for (const entry of categories) totals[entry.category] = addMinor(totals[entry.category], entry.amount);
  // The group converts each side's total once; items were converted one by one above. The cents
  // that rounding each item loses or gains belong to the difference too (and so, below, to fx).
  if (input.fx !== null) totals.difference = addMinor(totals.difference, conversionGap(input, 'right', amountOf));
  if (input.fx !== null) totals.difference = addMinor(totals.difference, negate(conversionGap(input, 'left', amountOf)));
  let residual = addMinor(totals.difference, negate(addMinor(totals.timing, addMinor(totals.fees, addMinor(totals.refunds, totals.withholding)))));
  let fx: MinorUnits = 0;
  if (input.fx !== null) {
    const converted = input.right.filter((tx) => tx.currency === input.fx?.from).length > 0 ? input.right : input.left;
    let base = 0n;
    const convertedSide = converted === input.right ? 'right' : 'left';
    for (let position = 0; position < converted.length; position++) base += absBig(amountOf(convertedSide, position));
    if (absBig(residual) * 10_000n <= base * BigInt(input.fxToleranceBps)) {
      fx = residual;
      residual = 0;
    }
  }
  let tolerated: MinorUnits = 0;
  if (residual !== 0 && absBig(residual) <= BigInt(input.toleranceMinor ?? 0)) {
    tolerated = residual;
    residual = 0;
  }
  // Most parts are zero: one text of zero per group, not one per part (a million groups).
  const zero = fromMinorUnits(0, exponent);
  const text = (value: MinorUnits): string => (value === 0 ? zero : fromMinorUnits(value, exponent));
  return {
    currency,
    difference: text(totals.difference),
    timing: text(totals.timing),
    fees: text(totals.fees),
    refunds: text(totals.refunds),
    withholding: text(totals.withholding),
    fx: text(fx),
    tolerated: text(tolerated),
    unexplained: text(residual),
  };
}
