import { describe, expect, it } from 'vitest';
import { createException, exceptionId } from '../../../../core/exceptions/model.ts';
import { canonicalTx } from '../../../../core/settlement/testkit.ts';
import { exceptionsFromReconcile } from '../../../../core/exceptions/from-reconcile.ts';
import { reconcile } from '../../../../core/reconcile/reconcile.ts';
import { makeTx } from '../../../../core/reconcile/test-support.ts';
import { canSelectAll, checkManualMatch, groupedExceptionIds, handMatchedOf, MANUAL_MATCH_MAX_ITEMS, manualMatchReason, unmatchedExceptionIds } from './manual-match.ts';

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
    expect(manualMatchReason([tx('p1', '-1')], [tx('b1', '1')], ' same payout, bank batched it ')).toBe('manual match psp=["p1"] bank=["b1"]: same payout, bank batched it');
  });

  it('names the grouped exception of items whose day was raised as one', () => {
    const bank = ['g1', 'g2', 'g3'].map((id) => ({ ...makeTx({ id, amount: '5.00', date: '2026-03-04', kind: 'transfer' }), account: 'NL91' }));
    const [group] = exceptionsFromReconcile(reconcile({ internal: [], psp: [], bank }), bank, '2026-04-01T00:00:00Z', { groupUnmatchedAbove: 2 });
    expect(group?.details.grouped).toBe('day');
    // Two items of the same day are in one group: named once.
    expect(groupedExceptionIds([], [bank[0]!, bank[2]!])).toEqual([group?.id]);
  });

  it('refuses more items on a side than one match holds, and selects all only up to that', () => {
    const many = Array.from({ length: MANUAL_MATCH_MAX_ITEMS + 1 }, (_, index) => tx(`p${index}`, '-1'));
    expect(checkManualMatch(many, [tx('b1', '101')])).toEqual({ ok: false, code: 'too_many_items' });
    expect(checkManualMatch(many.slice(1), [tx('b1', '100')])).toMatchObject({ ok: true, difference: '0.00' });
    expect([0, 1, 100, 101].map(canSelectAll)).toEqual([false, true, true, false]);
  });

  it('reads back the ids a reason names, whatever they hold, and the reasons written before the ids were JSON', () => {
    // Bank ids carry the bank's references: a comma, a bracket, a quote and '": ' must not cut them.
    const odd = [tx('tx:bank:ACC|a,b]c', '1'), tx('tx:bank:"x": y', '2')];
    const text = manualMatchReason([tx('p1', '-3')], odd, 'ids with ], "quotes" and a comma');
    expect(handMatchedOf(text)).toEqual({ psp: ['p1'], bank: ['tx:bank:ACC|a,b]c', 'tx:bank:"x": y'] });
    // The analyst's words are kept to 1,000 characters; the ids never cut.
    const long = manualMatchReason(many100(), [tx('b1', '1')], 'x'.repeat(5000));
    expect(handMatchedOf(long)?.psp).toHaveLength(100);
    expect(long.endsWith(`: ${'x'.repeat(1000)}`)).toBe(true);
    expect(handMatchedOf('manual match psp=[p1,p2] bank=[b1]: same payout')).toEqual({ psp: ['p1', 'p2'], bank: ['b1'] });
    expect(handMatchedOf('waived: not ours')).toBeNull();
    expect(handMatchedOf('manual match psp=["p1" bank=["b1"]: broken')).toBeNull();
  });
});

function many100() {
  return Array.from({ length: 100 }, (_, index) => tx(`tx#${String(index).padStart(32, '0')}`, '-1'));
}
