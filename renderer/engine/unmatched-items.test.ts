import { describe, expect, it } from 'vitest';
import { makeTx } from '../../core/reconcile/test-support.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { ItemPages, type HandMatched, type ItemQuery } from './unmatched-items.ts';

const item = (id: string, amount: string, currency: string, date: string, description: string): CanonicalTransaction => ({ ...makeTx({ id, amount, currency, date, kind: 'transfer' }), description });
const ITEMS = [
  item('b1', '100.10', 'EUR', '2026-03-02', 'payout March'),
  item('b2', '-7.25', 'USD', '2026-03-01', 'fee refund'),
  item('b3', '99.9', 'EUR', '2026-03-03', 'payout late'),
  item('b4', '1000', 'JPY', '2026-03-02', 'transfer'),
];
const ALL: ItemQuery = { side: 'bank', startRow: 0, endRow: 100, sortModel: [], filterModel: {}, quickFilter: '', scaleDigits: 2 };
const NONE: HandMatched = { version: 0, ids: new Set() };

describe('unmatched items a block at a time', () => {
  it('counts and sums what passes exactly per currency and slices the block', () => {
    const page = new ItemPages().page(ITEMS, NONE, { ...ALL, startRow: 1, endRow: 3 });
    expect([page.count, page.rows.map((tx) => tx.id)]).toEqual([4, ['b2', 'b3']]);
    // EUR 100.10 + 99.9 = 200.00 (written with the currency's 2 digits); JPY 1000; USD -7.25.
    expect(page.totals).toEqual([
      { currency: 'EUR', count: 2, amount: '200.00' },
      { currency: 'JPY', count: 1, amount: '1000' },
      { currency: 'USD', count: 1, amount: '-7.25' },
    ]);
  });

  it('sorts amounts as decimals, filters by text, amount and quick filter', () => {
    const pages = new ItemPages();
    const ids = (query: Partial<ItemQuery>) => pages.page(ITEMS, NONE, { ...ALL, ...query }).rows.map((tx) => tx.id);
    // -7.25 < 99.9 < 100.10 < 1000 as decimals (as text '99.9' would sort after '1000').
    expect(ids({ sortModel: [{ colId: 'amount', sort: 'asc' }] })).toEqual(['b2', 'b3', 'b1', 'b4']);
    expect(ids({ sortModel: [{ colId: 'date', sort: 'desc' }] })).toEqual(['b3', 'b1', 'b4', 'b2']);
    expect(ids({ filterModel: { currency: { filterType: 'text', type: 'equals', filter: 'eur' } } })).toEqual(['b1', 'b3']);
    // Scale 2: '10000' is 100.00: only 100.10 and 1000 are above it.
    expect(ids({ filterModel: { amount: { filterType: 'bigint', type: 'greaterThan', filter: '10000' } } })).toEqual(['b1', 'b4']);
    expect(ids({ quickFilter: 'PAYOUT eur' })).toEqual(['b1', 'b3']);
    expect(() => ids({ sortModel: [{ colId: 'nope', sort: 'asc' }] })).toThrow('no item column nope');
    expect(() => ids({ filterModel: { currency: { filterType: 'bigint', type: 'equals', filter: '1' } } })).toThrow('column currency has no amount filter');
  });

  it('leaves out what was matched by hand, in the count and totals too, from the set\'s new version on', () => {
    const pages = new ItemPages();
    expect(pages.page(ITEMS, NONE, ALL).count).toBe(4);
    const page = pages.page(ITEMS, { version: 1, ids: new Set(['b1', 'b2']) }, ALL);
    expect([page.count, page.rows.map((tx) => tx.id)]).toEqual([2, ['b3', 'b4']]);
    // EUR is 99.9 alone now, written as 99.90.
    expect(page.totals).toEqual([
      { currency: 'EUR', count: 1, amount: '99.90' },
      { currency: 'JPY', count: 1, amount: '1000' },
    ]);
  });
});
