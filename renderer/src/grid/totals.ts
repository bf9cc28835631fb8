import { assert } from '../../../core/assert.ts';
import { add, money, zero, type Money } from '../../../core/money/index.ts';
import type { TotalRow } from './columns.ts';

/**
 * Pinned total rows, one per currency (amounts of different currencies are never added), summed
 * exactly with core/money. Rows without a currency or an amount count but add nothing.
 */
export interface TotalsSpec<T> {
  readonly label: (currency: string) => string;
  readonly currency: (row: T) => string | null;
  /** Amount columns to total: column id -> the row's decimal string. */
  readonly amounts: Readonly<Record<string, (row: T) => string | null>>;
}

export function totalsByCurrency<T>(rows: readonly T[], spec: TotalsSpec<T>): TotalRow[] {
  const columnIds = Object.keys(spec.amounts);
  const sums = new Map<string, { count: number; amounts: Map<string, Money> }>();
  for (const row of rows) {
    const currency = spec.currency(row);
    if (currency === null) continue;
    const entry = sums.get(currency) ?? { count: 0, amounts: new Map(columnIds.map((id) => [id, zero(currency)])) };
    entry.count += 1;
    for (const id of columnIds) {
      const amount = spec.amounts[id]?.(row) ?? null;
      if (amount === null) continue;
      const running = entry.amounts.get(id);
      assert(running !== undefined, 'every totalled column has a running sum', { id });
      entry.amounts.set(id, add(running, money(amount, currency)));
    }
    sums.set(currency, entry);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, entry]) => ({
      kind: 'total' as const,
      label: spec.label(currency),
      currency,
      count: entry.count,
      amounts: Object.fromEntries([...entry.amounts.entries()].map(([id, value]) => [id, value.amount])),
    }));
}
