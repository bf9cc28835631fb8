import { describe, expect, it } from 'vitest';
import { createException, exceptionId } from '../../../../core/exceptions/model.ts';
import { canonicalTx } from '../../../../core/settlement/testkit.ts';
import { exceptionsFromReconcile } from '../../../../core/exceptions/from-reconcile.ts';
import { reconcile } from '../../../../core/reconcile/reconcile.ts';
import { makeTx } from '../../../../core/reconcile/test-support.ts';
import { checkManualMatch, groupedExceptionIds, manualMatchReason, unmatchedExceptionIds } from './manual-match.ts';

const tx = (id: string, amount: string, currency = 'EUR') => canonicalTx({ id, partnerId: null, kind: 'payout', amount, currency, occurredAt: '2026-03-20T00:00:00Z' });

describe('matching by hand', () => {
  it('compares PSP payouts with the bank\'s sign and gives the exact difference', () => {
    // PSP paid out 59.28 and 40.72 (negative at the PSP); the bank credited 100.01: 0.01 more than 100.00.
    const check = checkManualMatch([tx('p1', '-59.28'), tx('p2', '-40.72')], [tx('b1', '100.01')]);
    expect(check).toEqual({ ok: true, currency: 'EUR', pspTotal: '100.00', bankTotal: '100.01', difference: '0.01' });
  });

  it('refuses one side only or two currencies', () => {
    expect(checkManualMatch([tx('p1', '-1')], [])).toEqual({ ok: false, code: 'needs_both_sides' });
    expect(checkManualMatch([tx('p1', '-1')], [tx('b1', '1', 'USD')])).toEqual({ ok: false, code: 'mixed_currency' });
  });

  it('names the very exceptions reconciliation raised for the items', () => {
    const raised = createException({ type: 'unmatched', key: ['bank', 'b1'], severity: 'low', title: 't', amountAtRisk: null, partnerId: null, period: null, sourceRefs: [] }, '2026-04-01T00:00:00Z');
    expect(unmatchedExceptionIds([tx('p1', '-1')], [tx('b1', '1')])).toEqual([exceptionId('unmatched', ['pspUnsettled', 'p1']), raised.id]);
    expect(manualMatchReason([tx('p1', '-1')], [tx('b1', '1')], ' same payout, bank batched it ')).toBe('manual match psp=[p1] bank=[b1]: same payout, bank batched it');
  });

  it('names the grouped exception of items whose day was raised as one', () => {
    const bank = ['g1', 'g2', 'g3'].map((id) => ({ ...makeTx({ id, amount: '5.00', date: '2026-03-04', kind: 'transfer' }), account: 'NL91' }));
    const [group] = exceptionsFromReconcile(reconcile({ internal: [], psp: [], bank }), bank, '2026-04-01T00:00:00Z', { groupUnmatchedAbove: 2 });
    expect(group?.details.grouped).toBe('day');
    // Two items of the same day are in one group: named once.
    expect(groupedExceptionIds([], [bank[0]!, bank[2]!])).toEqual([group?.id]);
  });
});
