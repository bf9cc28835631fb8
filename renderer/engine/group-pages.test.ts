import { describe, expect, it } from 'vitest';
import type { MatchGroup } from '../../core/reconcile/index.ts';
import { GroupPages } from './group-pages.ts';

/** `difference` is right - left, written by hand as core writes it. */
function group(id: string, rule: MatchGroup['rule'], left: string, right: string, difference: string, currency = 'EUR', days = 1): MatchGroup {
  return { id, rule, leftIds: [`${id}-l`], rightIds: [`${id}-r`], leftTotal: { amount: left, currency }, rightTotal: { amount: right, currency }, difference, currency, dateDistanceDays: days, fx: null, variance: null };
}

const GROUPS = [group('g1', 'reference', '100.00', '100.00', '0.00'), group('g2', 'batch', '960.00', '950.00', '-10.00', 'EUR', 2), group('g3', 'amount-date', '12.00', '14.50', '2.50'), group('g4', 'batch', '1000', '1000', '0', 'JPY', 3)];
const ALL = { startRow: 0, endRow: 100, sortModel: [], filterModel: {}, quickFilter: '', ruleLabels: { batch: 'Payout batch', reference: 'Reference' } };

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

  it('refuses what it does not answer, by a code', () => {
    const pages = new GroupPages();
    expect(() => pages.page(GROUPS, { ...ALL, filterModel: { left: { filterType: 'bigint', type: 'greaterThan', filter: '100' } } })).toThrow(expect.objectContaining({ code: 'review_filter_unsupported' }));
    expect(() => pages.page(GROUPS, { ...ALL, sortModel: [{ colId: 'nope', sort: 'asc' }] })).toThrow(expect.objectContaining({ code: 'review_sort_unsupported' }));
  });
});
