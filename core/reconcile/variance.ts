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

/** A breakdown's parts in exact minor units of `currency` (VarianceBreakdown before its texts). */
export interface VarianceParts {
  readonly currency: string;
  readonly difference: MinorUnits;
  readonly timing: MinorUnits;
  readonly fees: MinorUnits;
  readonly refunds: MinorUnits;
  readonly withholding: MinorUnits;
  readonly fx: MinorUnits;
  readonly tolerated: MinorUnits;
  readonly unexplained: MinorUnits;
}

/**
 * One side of a group as the engine holds it: the side's transactions with their minor units and
 * day numbers in parallel arrays, and the group's members as positions in them. The engine's
 * groups are read in place: no arrays of a group's transactions, amounts and days are made (most
 * of a million groups differ by the PSP fee, and every one of them has a breakdown).
 */
export interface VarianceSide {
  readonly txs: readonly CanonicalTransaction[];
  /** Minor units in the group's currency; not read for an item in the fx group's `from` currency. */
  readonly minor: ArrayLike<MinorUnits>;
  readonly day: ArrayLike<number>;
  readonly members: readonly number[];
}

/** What a breakdown is judged by besides its two sides. */
export interface VarianceOptions {
  readonly fx: FxApplied | null;
  readonly fxToleranceBps: number;
  readonly dateWindowDays: number;
  /** Inclusive amount tolerance in minor units of the group's currency; 0 when absent. */
  readonly toleranceMinor?: number;
}

function negate(value: MinorUnits): MinorUnits {
  return typeof value === 'number' ? (value === 0 ? 0 : -value) : -value;
}

function absBig(value: MinorUnits): bigint {
  const big = BigInt(value);
  return big < 0n ? -big : big;
}

/** A member's amount in the group's currency: converted at the group's rate (half-even) when in its `from` currency. */
function amountAt(side: VarianceSide, position: number, fx: FxApplied | null, currency: string): MinorUnits {
  const member = side.members[position] as number;
  const tx = side.txs[member] as CanonicalTransaction;
  if (fx !== null && tx.currency === fx.from) return convertMinor(tx.amount, fx.rate, currency);
  return side.minor[member] as MinorUnits;
}

/** converted(sum of a side's `from` items) - sum of converted(item), in the group's currency. */
function conversionGap(side: VarianceSide, fx: FxApplied, currency: string): MinorUnits {
  const exponent = minorUnitsOf(fx.from);
  let raw: MinorUnits = 0;
  let converted: MinorUnits = 0;
  let count = 0;
  for (let position = 0; position < side.members.length; position++) {
    const tx = side.txs[side.members[position] as number] as CanonicalTransaction;
    if (tx.currency !== fx.from) continue;
    raw = addMinor(raw, toMinorUnits(tx.amount, exponent));
    converted = addMinor(converted, amountAt(side, position, fx, currency));
    count++;
  }
  if (count < 2) return 0;
  return addMinor(convertMinor(fromMinorUnits(raw, exponent), fx.rate, fx.to), negate(converted));
}

function latestDay(side: VarianceSide): number {
  let day = Number.NEGATIVE_INFINITY;
  for (const member of side.members) day = Math.max(day, side.day[member] as number);
  return day;
}

/** The breakdown of a group held by the engine, in minor units (see VarianceBreakdown for the parts). */
export function variancePartsOf(left: VarianceSide, right: VarianceSide, options: VarianceOptions): VarianceParts {
  const firstSide = right.members.length > 0 ? right : left;
  assert(firstSide.members.length > 0, 'a variance needs at least one transaction');
  const fx = options.fx;
  const currency = fx?.to ?? (firstSide.txs[firstSide.members[0] as number] as CanonicalTransaction).currency;
  let difference: MinorUnits = 0;
  let timing: MinorUnits = 0;
  // Sorted into categories as read, counted only when both sides turn out itemized.
  let fees: MinorUnits = 0;
  let refunds: MinorUnits = 0;
  let withholding: MinorUnits = 0;
  let itemized = 0;
  for (let which = 0; which < 2; which++) {
    const side = which === 0 ? left : right;
    const other = which === 0 ? right : left;
    // Items dated after the other side's latest date plus the window belong to a later settlement.
    const cutoff = other.members.length === 0 ? Number.POSITIVE_INFINITY : latestDay(other) + options.dateWindowDays;
    for (let position = 0; position < side.members.length; position++) {
      const member = side.members[position] as number;
      const tx = side.txs[member] as CanonicalTransaction;
      const amount = which === 1 ? amountAt(side, position, fx, currency) : negate(amountAt(side, position, fx, currency));
      difference = addMinor(difference, amount);
      if ((side.day[member] as number) > cutoff) {
        timing = addMinor(timing, amount);
        continue;
      }
      const kind = tx.kind;
      if (!NET_KINDS.has(kind)) itemized |= 1 << which;
      const category = CATEGORY[kind];
      if (category === 'fees') fees = addMinor(fees, amount);
      else if (category === 'refunds') refunds = addMinor(refunds, amount);
      else if (category === 'withholding') withholding = addMinor(withholding, amount);
    }
  }
  if (itemized !== 3) {
    fees = 0;
    refunds = 0;
    withholding = 0;
  }
  // The group converts each side's total once; items were converted one by one above. The cents
  // that rounding each item loses or gains belong to the difference too (and so, below, to fx).
  if (fx !== null) difference = addMinor(difference, conversionGap(right, fx, currency));
  if (fx !== null) difference = addMinor(difference, negate(conversionGap(left, fx, currency)));
  let residual = addMinor(difference, negate(addMinor(timing, addMinor(fees, addMinor(refunds, withholding)))));
  let fxPart: MinorUnits = 0;
  if (fx !== null) {
    const converted = right.members.some((member) => (right.txs[member] as CanonicalTransaction).currency === fx.from) ? right : left;
    let base = 0n;
    for (let position = 0; position < converted.members.length; position++) base += absBig(amountAt(converted, position, fx, currency));
    if (absBig(residual) * 10_000n <= base * BigInt(options.fxToleranceBps)) {
      fxPart = residual;
      residual = 0;
    }
  }
  let tolerated: MinorUnits = 0;
  if (residual !== 0 && absBig(residual) <= BigInt(options.toleranceMinor ?? 0)) {
    tolerated = residual;
    residual = 0;
  }
  return { currency, difference, timing, fees, refunds, withholding, fx: fxPart, tolerated, unexplained: residual };
}

/** The parts as exact decimal strings of their currency. */
export function varianceTexts(parts: VarianceParts): VarianceBreakdown {
  const exponent = minorUnitsOf(parts.currency);
  // Most parts are zero: fromMinorUnits gives the one text it keeps for zero, not a new one per part.
  const text = (value: MinorUnits): string => fromMinorUnits(value, exponent);
  return {
    currency: parts.currency,
    difference: text(parts.difference),
    timing: text(parts.timing),
    fees: text(parts.fees),
    refunds: text(parts.refunds),
    withholding: text(parts.withholding),
    fx: text(parts.fx),
    tolerated: text(parts.tolerated),
    unexplained: text(parts.unexplained),
  };
}

function wholeSide(txs: readonly CanonicalTransaction[], minor: ArrayLike<MinorUnits>, day: ArrayLike<number>): VarianceSide {
  return { txs, minor, day, members: txs.map((_, position) => position) };
}

export function varianceOf(input: VarianceInput): VarianceBreakdown {
  const first = input.right[0] ?? input.left[0];
  assert(first !== undefined, 'a variance needs at least one transaction');
  const currency = input.fx?.to ?? first.currency;
  const exponent = minorUnitsOf(currency);
  // An item in the fx group's `from` currency is converted, not read in the group's minor units.
  const minorOf = (tx: CanonicalTransaction): MinorUnits => (input.fx !== null && tx.currency === input.fx.from ? 0 : toMinorUnits(tx.amount, exponent));
  const minor = input.prepared?.minor ?? { left: input.left.map(minorOf), right: input.right.map(minorOf) };
  const days = input.prepared?.day ?? {
    left: input.left.map((tx) => dayNumber(dateOf(tx, input.dateFields))),
    right: input.right.map((tx) => dayNumber(dateOf(tx, input.dateFields))),
  };
  const options = { fx: input.fx, fxToleranceBps: input.fxToleranceBps, dateWindowDays: input.dateWindowDays, toleranceMinor: input.toleranceMinor ?? 0 };
  return varianceTexts(variancePartsOf(wholeSide(input.left, minor.left, days.left), wholeSide(input.right, minor.right, days.right), options));
}
