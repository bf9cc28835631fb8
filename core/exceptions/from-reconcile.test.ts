import { describe, expect, it } from 'vitest';
import { reconcile } from '../reconcile/reconcile.ts';
import { makeTx } from '../reconcile/test-support.ts';
import { exceptionsFromReconcile, severityOf, unmatchedGroupKey, unmatchedGroups, DEFAULT_GROUP_UNMATCHED_ABOVE, DEFAULT_SEVERITY_THRESHOLDS } from './from-reconcile.ts';

describe('exceptionsFromReconcile', () => {
  it('raises an amount mismatch for the unexplained part of a matched group', () => {
    const psp = [
      makeTx({ id: 's', amount: '1000.00', date: '2026-03-01', batchId: 'PO-5521' }),
      makeTx({ id: 'f', amount: '-30.00', date: '2026-03-01', kind: 'fee', batchId: 'PO-5521' }),
    ];
    const bank = [makeTx({ id: 'b', amount: '960.00', date: '2026-03-02', kind: 'transfer', description: 'PAYOUT PO-5521' })];
    const result = reconcile({ internal: [], psp, bank });
    const exceptions = exceptionsFromReconcile(result, [...psp, ...bank], '2026-03-03T00:00:00Z').filter((record) => record.type === 'amount_mismatch');
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]).toMatchObject({ amountAtRisk: { amount: '10.00', currency: 'EUR' }, severity: 'low', details: { leg: 'psp-bank', rule: 'reference', unexplained: '-10.00', difference: '-10.00' } });
  });

  it('raises one fx_rate_missing per date and pair, naming the transactions', () => {
    const internal = [makeTx({ id: 'e', amount: '100.00', date: '2026-03-02', externalId: 'ORD-8' })];
    const psp = [makeTx({ id: 'u', amount: '108.00', currency: 'USD', date: '2026-03-02', externalId: 'ORD-8' })];
    const result = reconcile({ internal, psp, bank: [] }, { fx: { pairs: [{ from: 'EUR', to: 'USD' }] } });
    const missing = exceptionsFromReconcile(result, [...internal, ...psp], '2026-03-03T00:00:00Z').filter((record) => record.type === 'fx_rate_missing');
    // Both ends of the ORD-8 link are named: the PSP line is no less stuck than the ledger item.
    expect(missing.map((record) => record.sourceRefs.map((ref) => ref.id))).toEqual([['2026-03-02|EUR|USD', 'e', 'u']]);
  });

  it('keeps an unmatched item\'s signed amount, currency and date beside its English title', () => {
    const bank = [makeTx({ id: 'r', amount: '-25.50', date: '2026-03-04', kind: 'transfer', description: 'RETURN' })];
    const result = reconcile({ internal: [], psp: [], bank });
    const [record] = exceptionsFromReconcile(result, bank, '2026-03-05T00:00:00Z').filter((each) => each.type === 'unmatched');
    expect(record?.title).toBe('bank movement not explained by the PSP or the internal ledger: -25.50 EUR on 2026-03-04');
    expect(record?.details).toEqual({ side: 'bank', kind: 'transfer', amount: '-25.50', currency: 'EUR', date: '2026-03-04' });
  });

  it('raises one exception for a day of many unmatched rows of one side, account and currency, with their count and exact totals', () => {
    const bank = [
      makeTx({ id: 'b1', amount: '-25.50', date: '2026-03-04', kind: 'transfer' }),
      makeTx({ id: 'b2', amount: '100.00', date: '2026-03-04', kind: 'transfer', partnerId: 'P1' }),
      makeTx({ id: 'b3', amount: '10.25', date: '2026-03-04', kind: 'transfer', partnerId: 'P2' }),
      makeTx({ id: 'b4', amount: '7.00', date: '2026-03-05', kind: 'transfer' }),
      makeTx({ id: 'u1', amount: '1.00', currency: 'USD', date: '2026-03-04', kind: 'transfer' }),
      makeTx({ id: 'u2', amount: '2.00', currency: 'USD', date: '2026-03-04', kind: 'transfer' }),
    ];
    const result = reconcile({ internal: [], psp: [], bank });
    const raised = exceptionsFromReconcile(result, bank, '2026-03-06T00:00:00Z', { groupUnmatchedAbove: 2 }).filter((each) => each.type === 'unmatched');
    const grouped = raised.filter((each) => each.details.grouped === 'day');
    expect(grouped).toHaveLength(1);
    // -25.50 + 100.00 + 10.25 = 84.75 net; 25.50 + 100.00 + 10.25 = 135.75 gross (medium: at or above 100).
    expect(grouped[0]).toMatchObject({
      severity: 'medium',
      amountAtRisk: { amount: '135.75', currency: 'EUR' },
      partnerId: null,
      period: '2026-03',
      sourceRefs: [],
      title: '3 x bank movement not explained by the PSP or the internal ledger on 2026-03-04: 84.75 EUR net, 135.75 EUR gross',
      details: { side: 'bank', grouped: 'day', account: '', currency: 'EUR', date: '2026-03-04', count: '3', net: '84.75', gross: '135.75', partners: '3' },
    });
    // The other day and the other currency have at most two: one exception per row.
    expect(raised.filter((each) => each.details.grouped === undefined).flatMap((each) => each.sourceRefs.map((ref) => ref.id)).sort()).toEqual(['b4', 'u1', 'u2']);
    // The grouped rows are the group's query: every unmatched row is in exactly one exception.
    expect(unmatchedGroups(result, bank).get(unmatchedGroupKey({ side: 'bank', account: null, currency: 'EUR', date: '2026-03-04' }))?.rows.map((tx) => tx.id)).toEqual(['b1', 'b2', 'b3']);
  });

  it('keeps one exception per row up to the default threshold', () => {
    const day = (count: number) => Array.from({ length: count }, (_, i) => makeTx({ id: `d${i}`, amount: '1.00', date: '2026-03-04', kind: 'transfer' }));
    const unmatchedOf = (bank: ReturnType<typeof day>) => exceptionsFromReconcile(reconcile({ internal: [], psp: [], bank }), bank, '2026-03-06T00:00:00Z').filter((each) => each.type === 'unmatched');
    expect(DEFAULT_GROUP_UNMATCHED_ABOVE).toBe(100);
    expect(unmatchedOf(day(100))).toHaveLength(100);
    const [one, ...none] = unmatchedOf(day(101));
    expect(none).toHaveLength(0);
    // 101 x 1.00
    expect(one?.details).toMatchObject({ count: '101', net: '101.00', gross: '101.00', partners: '1' });
  });

  it('grades severity by amount at the stated thresholds', () => {
    expect(severityOf('99.99', DEFAULT_SEVERITY_THRESHOLDS)).toBe('low');
    expect(severityOf('100', DEFAULT_SEVERITY_THRESHOLDS)).toBe('medium');
    expect(severityOf('-10000.00', DEFAULT_SEVERITY_THRESHOLDS)).toBe('high');
    expect(severityOf('1000000', DEFAULT_SEVERITY_THRESHOLDS)).toBe('critical');
  });
});
