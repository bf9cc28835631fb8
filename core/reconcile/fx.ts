import { z } from 'zod';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { toMinorUnits, type MinorUnits } from '../money/minor.ts';
import { CalendarDate, CurrencyCodeSchema, DecimalString, type CanonicalTransaction } from '../transactions/schema.ts';
import { components, resolvePairs, type CandidateEdge } from './assign.ts';
import { ReconcileInputError } from './errors.ts';
import { AmountIndex } from './indexes.ts';
import { addGroup, dateOf, distanceMinor, FREE, freeIndexes, type FxApplied, type LegState, type PreparedSide } from './leg.ts';
import type { FxPair } from './rules.ts';

/**
 * Cross-currency matching, only through an explicit rule: the pairs listed in rules.fx.pairs and
 * a rate table passed in (core has no rate source of its own). Lookup is by exact date, direct
 * pair only (SETTLEMENT-CONVENTIONS default): a missing rate is reported as FxMissing, never
 * replaced by 1.0 or by a nearby date. Converted amounts are rounded half-even to the target
 * currency's minor unit with decimal.js; the tolerance is a share (basis points) of that amount.
 */
export const FxRate = z.object({ date: CalendarDate, from: CurrencyCodeSchema, to: CurrencyCodeSchema, rate: DecimalString });
export type FxRate = z.infer<typeof FxRate>;

const BPS_PER_UNIT = 10_000;

export class RateTable {
  private readonly rates = new Map<string, string>();

  constructor(rates: readonly FxRate[]) {
    for (const rate of rates) {
      if (new Decimal(rate.rate).lte(0)) throw new ReconcileInputError('reconcile_rate_invalid', `rate ${rate.from}/${rate.to} on ${rate.date} must be positive`, { ...rate });
      const key = `${rate.date}|${rate.from}|${rate.to}`;
      const known = this.rates.get(key);
      if (known !== undefined && !new Decimal(known).equals(rate.rate)) {
        throw new ReconcileInputError('reconcile_rate_invalid', `two different rates for ${rate.from}/${rate.to} on ${rate.date}`, { first: known, second: rate.rate });
      }
      this.rates.set(key, rate.rate);
    }
  }

  rate(date: string, from: string, to: string): string | null {
    return this.rates.get(`${date}|${from}|${to}`) ?? null;
  }
}

/** `amount` in `from` converted at `rate`, rounded half-even to the minor unit of `to`. */
export function convertMinor(amount: string, rate: string, to: string): MinorUnits {
  const exponent = minorUnitsOf(to);
  return toMinorUnits(new Decimal(amount).times(rate).toDecimalPlaces(exponent, Decimal.ROUND_HALF_EVEN).toFixed(exponent), exponent);
}

function toleranceOf(converted: MinorUnits, bps: number): number {
  const tolerance = new Decimal(converted.toString()).abs().times(bps).dividedToIntegerBy(BPS_PER_UNIT);
  return tolerance.gt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : tolerance.toNumber();
}

function pairOf(pairs: readonly FxPair[], from: string, to: string): boolean {
  return pairs.some((pair) => pair.from === from && pair.to === to);
}

class MissingRates {
  private readonly byKey = new Map<string, { from: string; to: string; date: string; transactionIds: string[] }>();

  note(date: string, from: string, to: string, id: string): void {
    const key = `${date}|${from}|${to}`;
    const entry = this.byKey.get(key) ?? { from, to, date, transactionIds: [] };
    entry.transactionIds.push(id);
    this.byKey.set(key, entry);
  }

  flush(leg: LegState): void {
    for (const entry of this.byKey.values()) leg.fxMissing.push({ ...entry, transactionIds: [...new Set(entry.transactionIds)].sort() });
  }
}

function rateFor(leg: LegState, table: RateTable, tx: CanonicalTransaction, to: string, missing: MissingRates): FxApplied | null {
  const date = dateOf(tx, leg.rules.dateFields);
  const rate = table.rate(date, tx.currency, to);
  if (rate === null) {
    missing.note(date, tx.currency, to, tx.id);
    return null;
  }
  return { from: tx.currency, to, date, rate };
}

/**
 * Reference-linked items in two currencies, grouped by connected component: one ledger sale
 * against the PSP's gross and fee lines sharing its reference is one many-to-one group, not an
 * ambiguity. A component is matched when each side holds one currency, the pair is allowed and a
 * rate exists at the latest date of the converted side's items; a missing rate names every item of
 * the component, both sides, so neither is left unmatched without a word.
 */
function matchLinkedComponents(leg: LegState, table: RateTable, missing: MissingRates): void {
  const links: CandidateEdge[] = [];
  for (const [left, right] of leg.crossCurrencyLinks) if (leg.left.groupOf[left] === FREE && leg.right.groupOf[right] === FREE) links.push({ left, right, cost: 0 });
  for (const component of components(links)) {
    const left = [...component.left].sort((a, b) => a - b);
    const right = [...component.right].sort((a, b) => a - b);
    const leftCurrency = soleCurrency(leg.left, left);
    const rightCurrency = soleCurrency(leg.right, right);
    if (leftCurrency === null || rightCurrency === null) continue;
    const fromLeft = pairOf(leg.rules.fx.pairs, leftCurrency, rightCurrency);
    if (!fromLeft && !pairOf(leg.rules.fx.pairs, rightCurrency, leftCurrency)) continue;
    const [fromSide, fromItems] = fromLeft ? [leg.left, left] : [leg.right, right];
    const to = fromLeft ? rightCurrency : leftCurrency;
    const dated = latestItem(fromSide, fromItems);
    const fx = rateFor(leg, table, dated, to, missing);
    if (fx === null) {
      const date = dateOf(dated, leg.rules.dateFields);
      for (const item of left) missing.note(date, dated.currency, to, (leg.left.txs[item] as CanonicalTransaction).id);
      for (const item of right) missing.note(date, dated.currency, to, (leg.right.txs[item] as CanonicalTransaction).id);
      continue;
    }
    addGroup(leg, { rule: 'fx', left, right, fx });
  }
}

/** The one currency of these items, or null when they mix currencies. */
function soleCurrency(side: PreparedSide, items: readonly number[]): string | null {
  const currency = (side.txs[items[0] as number] as CanonicalTransaction).currency;
  return items.every((item) => (side.txs[item] as CanonicalTransaction).currency === currency) ? currency : null;
}

/** The item dated last (ties: the first in index order): its date picks the group's rate. */
function latestItem(side: PreparedSide, items: readonly number[]): CanonicalTransaction {
  let best = items[0] as number;
  for (const item of items) if ((side.day[item] as number) > (side.day[best] as number)) best = item;
  return side.txs[best] as CanonicalTransaction;
}

/** Amount + date matching after converting every free `from` item of one side. */
function matchConverted(leg: LegState, table: RateTable, missing: MissingRates, pair: FxPair, fromSide: PreparedSide, toSide: PreparedSide, fromIsLeft: boolean): void {
  const targets = freeIndexes(toSide).filter((index) => (toSide.txs[index] as CanonicalTransaction).currency === pair.to);
  const sources = freeIndexes(fromSide).filter((index) => (fromSide.txs[index] as CanonicalTransaction).currency === pair.from);
  if (targets.length === 0 || sources.length === 0) return;
  const index = AmountIndex.ofSide(toSide, targets);
  const window = leg.rules.dateWindowDays;
  const edges: CandidateEdge[] = [];
  const applied = new Map<number, FxApplied>();
  for (const source of sources) {
    const tx = fromSide.txs[source] as CanonicalTransaction;
    const fx = rateFor(leg, table, tx, pair.to, missing);
    if (fx === null) continue;
    applied.set(source, fx);
    const converted = convertMinor(tx.amount, fx.rate, pair.to);
    const found = index.query({
      currency: pair.to,
      minor: converted,
      toleranceMinor: toleranceOf(converted, leg.rules.fx.toleranceBps),
      day: fromSide.day[source] as number,
      windowDays: window,
      candidatesMax: leg.rules.assignment.candidatesPerItemMax,
    });
    for (const target of found ?? []) {
      const cost = distanceMinor(converted, toSide.minor[target] as MinorUnits) * (window + 1) + Math.abs((toSide.day[target] as number) - (fromSide.day[source] as number));
      edges.push({ left: source, right: target, cost });
    }
  }
  const pairs = resolvePairs(
    edges,
    { left: (i) => (fromSide.txs[i] as CanonicalTransaction).id, right: (i) => (toSide.txs[i] as CanonicalTransaction).id },
    leg.rules.assignment.componentItemsMax,
  );
  for (const [source, target] of pairs) {
    const fx = applied.get(source) as FxApplied;
    addGroup(leg, fromIsLeft ? { rule: 'fx', left: [source], right: [target], fx } : { rule: 'fx', left: [target], right: [source], fx });
  }
}

export function applyFxRule(leg: LegState, table: RateTable): void {
  const missing = new MissingRates();
  matchLinkedComponents(leg, table, missing);
  for (const pair of leg.rules.fx.pairs) {
    matchConverted(leg, table, missing, pair, leg.left, leg.right, true);
    matchConverted(leg, table, missing, pair, leg.right, leg.left, false);
  }
  missing.flush(leg);
}
