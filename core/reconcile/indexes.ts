import { assert } from '../assert.ts';
import type { MinorUnits } from '../money/minor.ts';
import type { PreparedSide } from './leg.ts';

/**
 * The indexes that keep matching near-linear: never a pairwise scan.
 * - AmountIndex: per currency, items sorted by (minor units, day); a query walks only the
 *   amounts inside the tolerance and, within each amount, binary-searches the date window.
 * (A side's items by batchId are side-batches.ts, built while the side is prepared.)
 */
function compareMinor(a: MinorUnits, b: MinorUnits): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function shift(value: MinorUnits, delta: number): MinorUnits {
  return typeof value === 'number' && Number.isSafeInteger(value + delta) ? value + delta : BigInt(value) + BigInt(delta);
}

interface CurrencyColumn {
  readonly item: Int32Array;
  readonly minor: MinorUnits[];
  readonly day: Int32Array;
}

export interface AmountQuery {
  readonly currency: string;
  readonly minor: MinorUnits;
  readonly toleranceMinor: number;
  readonly day: number;
  readonly windowDays: number;
  /** More candidates than this: the query answers null (too ambiguous to decide). */
  readonly candidatesMax: number;
}

export class AmountIndex {
  private readonly columns = new Map<string, CurrencyColumn>();

  /** `amountOf` lets callers index something other than item amounts (batch sums, converted amounts). */
  constructor(
    currencyOf: (key: number) => string,
    amountOf: (key: number) => MinorUnits,
    dayOf: (key: number) => number,
    keys: readonly number[],
  ) {
    const byCurrency = new Map<string, number[]>();
    for (const key of keys) {
      const currency = currencyOf(key);
      let list = byCurrency.get(currency);
      if (list === undefined) {
        list = [];
        byCurrency.set(currency, list);
      }
      list.push(key);
    }
    for (const [currency, list] of byCurrency) {
      const amounts = list.map(amountOf);
      const days = list.map(dayOf);
      const order = list.map((_, position) => position);
      order.sort((a, b) => compareMinor(amounts[a] as MinorUnits, amounts[b] as MinorUnits) || (days[a] as number) - (days[b] as number) || (list[a] as number) - (list[b] as number));
      this.columns.set(currency, {
        item: Int32Array.from(order, (position) => list[position] as number),
        minor: order.map((position) => amounts[position] as MinorUnits),
        day: Int32Array.from(order, (position) => days[position] as number),
      });
    }
  }

  static ofSide(side: PreparedSide, indexes: readonly number[]): AmountIndex {
    return new AmountIndex(
      (index) => (side.txs[index] as { currency: string }).currency,
      (index) => side.minor[index] as MinorUnits,
      (index) => side.day[index] as number,
      indexes,
    );
  }

  /** Keys within tolerance and window, or null when there are more than candidatesMax. */
  query(q: AmountQuery): number[] | null {
    const column = this.columns.get(q.currency);
    if (column === undefined) return [];
    const { minor, day, item } = column;
    const low = shift(q.minor, -q.toleranceMinor);
    const high = shift(q.minor, q.toleranceMinor);
    const found: number[] = [];
    let position = lowerBound(minor, low, 0, minor.length);
    while (position < minor.length && (minor[position] as MinorUnits) <= high) {
      const value = minor[position] as MinorUnits;
      const runEnd = upperBound(minor, value, position, minor.length);
      let cursor = lowerBoundDay(day, q.day - q.windowDays, position, runEnd);
      for (; cursor < runEnd && (day[cursor] as number) <= q.day + q.windowDays; cursor++) {
        found.push(item[cursor] as number);
        if (found.length > q.candidatesMax) return null;
      }
      assert(runEnd > position, 'the amount walk advances');
      position = runEnd;
    }
    return found;
  }
}

function lowerBound(values: readonly MinorUnits[], target: MinorUnits, from: number, to: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as MinorUnits) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

function upperBound(values: readonly MinorUnits[], target: MinorUnits, from: number, to: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as MinorUnits) <= target) low = middle + 1;
    else high = middle;
  }
  return low;
}

function lowerBoundDay(days: Int32Array, target: number, from: number, to: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((days[middle] as number) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}
