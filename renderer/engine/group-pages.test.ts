import { describe, expect, it } from 'vitest';
import type { MatchGroup } from '../../core/reconcile/index.ts';
import { GroupPages, type GroupQuery, type GroupRow } from './group-pages.ts';

/** `difference` is right - left, written by hand as core writes it. */
function group(id: string, rule: MatchGroup['rule'], left: string, right: string, difference: string, currency = 'EUR', days = 1, foundAs = `stripe 2026-03-01 po_${id} ↔ camt 2026-03-02 BR-${id}`): GroupRow {
  return { id, rule, leftIds: [`${id}-l`], rightIds: [`${id}-r`], leftTotal: { amount: left, currency }, rightTotal: { amount: right, currency }, difference, currency, dateDistanceDays: days, fx: null, variance: null, foundAs };
}

const GROUPS = [group('g1', 'reference', '100.00', '100.00', '0.00'), group('g2', 'batch', '960.00', '950.00', '-10.00', 'EUR', 2), group('g3', 'amount-date', '12.00', '14.50', '2.50'), group('g4', 'batch', '1000', '1000', '0', 'JPY', 3)];
const ALL = { startRow: 0, endRow: 100, sortModel: [], filterModel: {}, quickFilter: '', ruleLabels: { batch: 'Payout batch', reference: 'Reference' }, scaleDigits: 2 };

describe('matched groups a block at a time', () => {
  it('counts and sums what passes, exactly per currency, and slices the block', () => {
    const page = new GroupPages().page(GROUPS, { ...ALL, startRow: 1, endRow: 3 });
    expect(page.count).toBe(4);
    expect(page.rows.map((each) => each.id)).toEqual(['g2', 'g3']);
    // EUR: left 100.00 + 960.00 + 12.00 = 1072.00, right 100.00 + 950.00 + 14.50 = 1064.50, difference 0.00 - 10.00 + 2.50 = -7.50.
    expect(page.totals).toEqual([
      { currency: 'EUR', count: 3, left: '1072.00', right: '1064.50', difference: '-7.50' },
      { currency: 'JPY', count: 1, left: '1000', right: '1000', difference: '0' },
    ]);
  });

  it('sorts amounts as decimals and filters by text and by the rule\'s words', () => {
    const pages = new GroupPages();
    // Differences -10.00 < 0 = 0.00 < 2.50, descending; ties keep the reconciliation's order.
    expect(pages.page(GROUPS, { ...ALL, sortModel: [{ colId: 'difference', sort: 'desc' }] }).rows.map((each) => each.id)).toEqual(['g3', 'g1', 'g4', 'g2']);
    expect(pages.page(GROUPS, { ...ALL, filterModel: { currency: { filterType: 'text', type: 'equals', filter: 'eur' } } }).count).toBe(3);
    const batches = pages.page(GROUPS, { ...ALL, quickFilter: 'payout' });
    expect([batches.count, batches.totals.map((total) => [total.currency, total.difference])]).toEqual([2, [['EUR', '-10.00'], ['JPY', '0']]]);
  });

  it('filters amounts and counts exactly by the grid\'s BigInt filter (values scaled by 10^scaleDigits)', () => {
    const pages = new GroupPages();
    const ids = (filterModel: GroupQuery['filterModel'], groups: readonly GroupRow[] = GROUPS) => pages.page(groups, { ...ALL, filterModel }).rows.map((each) => each.id);
    // Scale 2: '-1000' is -10.00, so only g2's difference; '0' is 0: g3's 2.50 alone is above it.
    expect(ids({ difference: { filterType: 'bigint', type: 'equals', filter: '-1000' } })).toEqual(['g2']);
    expect(ids({ difference: { filterType: 'bigint', type: 'greaterThan', filter: '0' } })).toEqual(['g3']);
    expect(ids({ difference: { filterType: 'bigint', type: 'lessThanOrEqual', filter: '0' } })).toEqual(['g1', 'g2', 'g4']);
    // Left strictly between 12.00 and 1000.00 (AG Grid's range excludes both ends): 100.00 (g1) and 960.00 (g2), not 12.00 nor 1000.
    expect(ids({ left: { filterType: 'bigint', type: 'inRange', filter: '1200', filterTo: '100000' } })).toEqual(['g1', 'g2']);
    // Right >= 100.00 and < 1000.00: 100.00 (g1), 950.00 (g2); OR of right = 14.50 and right = 1000: g3, g4.
    expect(ids({ right: { filterType: 'bigint', operator: 'AND', conditions: [{ filterType: 'bigint', type: 'greaterThanOrEqual', filter: '10000' }, { filterType: 'bigint', type: 'lessThan', filter: '100000' }] } })).toEqual(['g1', 'g2']);
    expect(ids({ right: { filterType: 'bigint', operator: 'OR', conditions: [{ filterType: 'bigint', type: 'equals', filter: '1450' }, { filterType: 'bigint', type: 'equals', filter: '100000' }] } })).toEqual(['g3', 'g4']);
    // Days 2 and 3 are above 1 (200 at scale 2 is 2.00: g2 on its own equals it).
    expect(ids({ days: { filterType: 'bigint', type: 'greaterThan', filter: '100' } })).toEqual(['g2', 'g4']);
    expect(ids({ days: { filterType: 'bigint', type: 'equals', filter: '200' } })).toEqual(['g2']);
    // Past a float's 2^53 = 9007199254740992: ...992.00 and ...993.00 are one double, but the filter tells them apart.
    const big = [group('b1', 'reference', '9007199254740992.00', '9007199254740992.00', '0.00'), group('b2', 'reference', '9007199254740993.00', '9007199254740993.00', '0.00')];
    expect(ids({ left: { filterType: 'bigint', type: 'equals', filter: '900719925474099300' } }, big)).toEqual(['b2']);
    expect(ids({ left: { filterType: 'bigint', type: 'greaterThan', filter: '900719925474099200' } }, big)).toEqual(['b2']);
    // A group without a left side passes only blank.
    const oneSided: GroupRow = { ...group('o1', 'suggestion', '0', '5.00', '5.00'), leftTotal: null, leftIds: [] };
    expect(ids({ left: { filterType: 'bigint', type: 'blank' } }, [...GROUPS, oneSided])).toEqual(['o1']);
    expect(ids({ left: { filterType: 'bigint', type: 'lessThan', filter: '100000000' } }, [...GROUPS, oneSided])).toEqual(['g1', 'g2', 'g3', 'g4']);
    // Counted and summed after the filter: differences -10.00 + 2.50 = -7.50 below 1.00.
    const below = pages.page(GROUPS, { ...ALL, filterModel: { difference: { filterType: 'bigint', type: 'lessThan', filter: '100' } } });
    expect([below.count, below.totals.map((total) => [total.currency, total.count, total.difference])]).toEqual([3, [['EUR', 2, '-10.00'], ['JPY', 1, '0']]]);
  });

  it('sorts and filters the group column on what finds it in the records, and finds the internal id by the quick filter', () => {
    const pages = new GroupPages();
    const rows = [group('x1', 'reference', '1.00', '1.00', '0.00', 'EUR', 1, 'stripe 2026-03-09 po_B ↔ camt 2026-03-10 BR9'), group('x2', 'reference', '1.00', '1.00', '0.00', 'EUR', 1, 'adyen 2026-03-20 412-EUR ↔ mt940 2026-03-21 EUR0001'), group('x3', 'reference', '1.00', '1.00', '0.00', 'EUR', 1, 'stripe 2026-03-02 po_A ↔ camt 2026-03-03 BR1')];
    const ids = (query: Partial<GroupQuery>) => pages.page(rows, { ...ALL, ...query }).rows.map((each) => each.id);
    // 'adyen…' < 'stripe 2026-03-02…' < 'stripe 2026-03-09…'.
    expect(ids({ sortModel: [{ colId: 'group', sort: 'asc' }] })).toEqual(['x2', 'x3', 'x1']);
    expect(ids({ filterModel: { group: { filterType: 'text', type: 'contains', filter: 'BR9' } } })).toEqual(['x1']);
    expect(ids({ filterModel: { group: { filterType: 'text', type: 'contains', filter: 'x1' } } })).toEqual([]);
    expect(ids({ quickFilter: 'mt940 eur0001' })).toEqual(['x2']);
    expect(ids({ quickFilter: 'x3' })).toEqual(['x3']);
  });

  it('refuses what it does not answer, by a code', () => {
    const pages = new GroupPages();
    expect(() => pages.page(GROUPS, { ...ALL, filterModel: { currency: { filterType: 'bigint', type: 'greaterThan', filter: '100' } } })).toThrow(expect.objectContaining({ code: 'review_filter_unsupported' }));
    expect(() => pages.page(GROUPS, { ...ALL, sortModel: [{ colId: 'nope', sort: 'asc' }] })).toThrow(expect.objectContaining({ code: 'review_sort_unsupported' }));
  });
});
