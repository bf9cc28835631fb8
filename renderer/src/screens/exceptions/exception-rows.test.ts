import { describe, expect, it } from 'vitest';
import { createException, transition } from '../../../../core/exceptions/model.ts';
import { expectedBandOf, mergeRows, planBulk, rowsOf, suggestedActions, transactionRefs } from './exception-rows.ts';

const AT = '2026-04-02T09:00:00Z';

function record(key: string, type: 'unmatched' | 'duplicate' | 'anomaly' = 'unmatched') {
  return createException(
    { type, key: [key], severity: 'medium', title: `t ${key}`, amountAtRisk: { amount: '10.00', currency: 'EUR' }, partnerId: 'P1', period: '2026-03', sourceRefs: [{ kind: 'transaction', id: `tx-${key}`, line: null }, { kind: 'partner', id: 'P1', line: null }] },
    '2026-03-30T09:00:00Z',
  );
}

describe('exceptions grid rules', () => {
  it('resolves in bulk only what the workflow allows and says which were skipped', () => {
    const open = record('a');
    const investigating = transition(record('b'), { to: 'investigating', by: 'ana', at: AT });
    const resolved = transition(record('c'), { to: 'resolved', by: 'ana', at: AT, reason: 'booked' });
    const plan = planBulk([open, investigating, resolved], 'resolve', 'bank fee booked', 'ana', AT);
    expect(plan.apply).toEqual([open.id, investigating.id]);
    expect(plan.skip).toEqual([resolved.id]);
  });

  it('refuses a closing bulk step without a reason', () => {
    expect(() => planBulk([record('a')], 'waive', '  ', 'ana', AT)).toThrow(/needs a reason/);
    expect(planBulk([record('a')], 'assign', '', 'ana', AT).apply).toHaveLength(1);
  });

  it('hides closed exceptions unless asked and ages them in whole days', () => {
    const closed = transition(record('c'), { to: 'waived', by: 'ana', at: AT, reason: 'dup' });
    const docs = [record('a'), closed].map((r) => ({ ...r, updatedBy: 'ana', conflicts: [] }));
    expect(rowsOf(docs, AT, false).map((row) => row.doc.id)).toEqual([docs[0]!.id]);
    // Raised 2026-03-30T09:00Z, now 2026-04-02T09:00Z: three days.
    expect(rowsOf(docs, AT, true)[0]?.ageDays).toBe(3);
  });

  it('suggests actions by type and reads an anomaly\'s band from its evidence', () => {
    expect(suggestedActions(record('a'))).toEqual(['match_by_hand']);
    expect(suggestedActions(record('d', 'duplicate'))).toEqual(['waive_duplicate']);
    expect(transactionRefs(record('a'))).toEqual(['tx-a']);
    // expected 40, residual sd 5: band 30..50; observed 71 lies outside it.
    expect(expectedBandOf({ 'evidence.observed': '71', 'evidence.expected': '40', 'evidence.residualSd': '5' })).toEqual({ observed: 71, expected: 40, low: 30, high: 50 });
    expect(expectedBandOf({ 'evidence.observed': '3', 'evidence.expected': '2', 'evidence.residualSd': '4' })?.low).toBe(0);
    expect(expectedBandOf({ kind: 'late_report' })).toBeNull();
  });

  it('keeps row objects when the same exceptions come back, so the grid keeps its undo stack', () => {
    const docs = [record('a'), record('b')].map((r) => ({ ...r, updatedBy: 'ana', conflicts: [] }));
    const first = rowsOf(docs, AT, true);
    const assigned = [{ ...docs[0]!, assignee: 'kim' }, docs[1]!];
    const merged = mergeRows(first, rowsOf(assigned, AT, true));
    expect(merged).toBe(first);
    expect(merged[0]?.assignee).toBe('kim');
    expect(mergeRows(first, rowsOf([docs[1]!], AT, true))).not.toBe(first);
  });
});
