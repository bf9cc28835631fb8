import { describe, expect, it } from 'vitest';
import { reconcile } from '../reconcile/reconcile.ts';
import { makeTx } from '../reconcile/test-support.ts';
import { autoclose } from './autoclose.ts';
import { exceptionsFromReconcile, matchedIn } from './from-reconcile.ts';
import { createException, transition } from './model.ts';

const internal = [
  makeTx({ id: 'inv-1', amount: '1200.00', date: '2026-03-05', externalId: 'INV-2026-031', partnerId: 'north' }),
  makeTx({ id: 'inv-2', amount: '80.00', date: '2026-03-06', externalId: 'INV-2026-032', partnerId: 'south' }),
];
const march = [makeTx({ id: 'b-1', amount: '80.00', date: '2026-03-07', kind: 'transfer', description: 'INV-2026-032' })];
const april = [...march, makeTx({ id: 'b-2', amount: '1200.00', date: '2026-04-02', kind: 'transfer', description: 'Studio North INV 2026 031' })];

describe('autoclose', () => {
  const before = reconcile({ internal, psp: [], bank: march });
  const raisedBefore = exceptionsFromReconcile(before, [...internal, ...march], '2026-03-31T18:00:00Z');

  it('raises an unmatched exception for the missing bank credit, with the amount at risk', () => {
    expect(raisedBefore).toHaveLength(1);
    expect(raisedBefore[0]).toMatchObject({ type: 'unmatched', amountAtRisk: { amount: '1200.00', currency: 'EUR' }, partnerId: 'north', period: '2026-03', severity: 'medium', status: 'open' });
  });

  it('closes it with a recorded reason when the credit arrives', () => {
    const after = reconcile({ internal, psp: [], bank: april });
    const raisedAfter = exceptionsFromReconcile(after, [...internal, ...april], '2026-04-02T08:00:00Z');
    const where = matchedIn(after);
    const explain = (record: (typeof raisedBefore)[number]): string | null => {
      const group = where.get(record.sourceRefs[0]?.id ?? '');
      return group === undefined ? null : `matched by ${group.rule} in ${group.id}`;
    };
    const outcome = autoclose(raisedBefore, new Set(raisedAfter.map((record) => record.id)), '2026-04-02T08:00:00Z', explain);
    expect(outcome.closedIds).toEqual([raisedBefore[0]?.id]);
    const closed = outcome.records[0];
    expect(closed?.status).toBe('resolved');
    expect(closed?.history.at(-1)).toEqual({ at: '2026-04-02T08:00:00Z', from: 'open', to: 'resolved', by: 'system', reason: 'matched by reference in internal-bank:b-2', auto: true });
  });

  it('leaves still-raised, closed and human-judged exceptions alone', () => {
    const anomaly = createException({ type: 'anomaly', key: ['x'], severity: 'high', title: 'spike', amountAtRisk: null, partnerId: null, period: null, sourceRefs: [] }, '2026-03-01T00:00:00Z');
    const waived = transition(raisedBefore[0] as (typeof raisedBefore)[number], { to: 'waived', by: 'ana', at: '2026-03-31T19:00:00Z', reason: 'written off' });
    const outcome = autoclose([anomaly, waived], new Set(), '2026-04-02T08:00:00Z');
    expect(outcome.closedIds).toEqual([]);
    expect(outcome.records).toEqual([anomaly, waived]);
    const stillRaised = autoclose(raisedBefore, new Set([raisedBefore[0]?.id ?? '']), '2026-04-02T08:00:00Z');
    expect(stillRaised.closedIds).toEqual([]);
  });
});
