import { z } from 'zod';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { toMinorUnits, type MinorUnits } from '../money/minor.ts';
import { CalendarDate, CurrencyCodeSchema, DecimalString, type CanonicalTransaction } from '../transactions/schema.ts';
import { resolvePairs, type CandidateEdge } from './assign.ts';
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

/** Reference-linked pairs in two currencies: matched when the pair is allowed and a rate exists. */
function matchLinkedPairs(leg: LegState, table: RateTable, missing: MissingRates): void {
  const pairs = leg.rules.fx.pairs;
  const links = [...leg.crossCurrencyLinks].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const counts = new Map<string, number>();
  for (const [left, right] of links) {
    counts.set(`L${left}`, (counts.get(`L${left}`) ?? 0) + 1);
    counts.set(`R${right}`, (counts.get(`R${right}`) ?? 0) + 1);
  }
  for (const [left, right] of links) {
    // Only unambiguous one-to-one links; anything else is left to suggestions and a human.
    if (counts.get(`L${left}`) !== 1 || counts.get(`R${right}`) !== 1) continue;
    if (leg.left.groupOf[left] !== FREE || leg.right.groupOf[right] !== FREE) continue;
    const leftTx = leg.left.txs[left] as CanonicalTransaction;
    const rightTx = leg.right.txs[right] as CanonicalTransaction;
    const fromLeft = pairOf(pairs, leftTx.currency, rightTx.currency);
    const fromRight = pairOf(pairs, rightTx.currency, leftTx.currency);
    if (!fromLeft && !fromRight) continue;
    const fx = fromLeft ? rateFor(leg, table, leftTx, rightTx.currency, missing) : rateFor(leg, table, rightTx, leftTx.currency, missing);
    if (fx !== null) addGroup(leg, { rule: 'fx', left: [left], right: [right], fx });
  }
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
    { left: fromSide.txs.length, right: toSide.txs.length },
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
  matchLinkedPairs(leg, table, missing);
  for (const pair of leg.rules.fx.pairs) {
    matchConverted(leg, table, missing, pair, leg.left, leg.right, true);
    matchConverted(leg, table, missing, pair, leg.right, leg.left, false);
  }
  missing.flush(leg);
}
