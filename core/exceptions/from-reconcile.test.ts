import { describe, expect, it } from 'vitest';
import { reconcile } from '../reconcile/reconcile.ts';
import { makeTx } from '../reconcile/test-support.ts';
import { exceptionsFromReconcile, severityOf, DEFAULT_SEVERITY_THRESHOLDS } from './from-reconcile.ts';

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

  it('grades severity by amount at the stated thresholds', () => {
    expect(severityOf('99.99', DEFAULT_SEVERITY_THRESHOLDS)).toBe('low');
    expect(severityOf('100', DEFAULT_SEVERITY_THRESHOLDS)).toBe('medium');
    expect(severityOf('-10000.00', DEFAULT_SEVERITY_THRESHOLDS)).toBe('high');
    expect(severityOf('1000000', DEFAULT_SEVERITY_THRESHOLDS)).toBe('critical');
  });
});
