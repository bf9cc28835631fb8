import { describe, expect, it } from 'vitest';
import { matchLeg, parseRules, RateTable, type MatchGroup } from '../core/reconcile/index.ts';
import { makeTx } from '../core/reconcile/test-support.ts';
import { groupJson } from './reconcile-group-json.ts';

const OPTIONS = { name: 'test', scanText: { left: false, right: true }, rates: new RateTable([]) };

/** Groups as match.ts builds them: balanced, with a variance, one-sided (reversal), converted (fx). */
function groups(): MatchGroup[] {
  const tolerated = matchLeg(
    // An id with a quote, a backslash, a tab and a non-ASCII letter: written as JSON.stringify escapes it.
    [makeTx({ id: 'z"1\\\t', amount: '10.00', date: '2026-03-01', externalId: 'ch_A1' }), makeTx({ id: 'm2é', amount: '25.00', date: '2026-03-05' })],
    [makeTx({ id: 'y1', amount: '10.00', date: '2026-03-02', externalId: 'ch_A1' }), makeTx({ id: 'q7', amount: '24.50', date: '2026-03-06' })],
    parseRules({ amountTolerance: '0.50' }),
    OPTIONS,
  ).groups;
  const reversal = matchLeg(
    [makeTx({ id: 'keep', amount: '1.00', date: '2026-01-01' })],
    [makeTx({ id: 'credit', amount: '500.00', date: '2026-03-01', kind: 'transfer', endToEndId: 'E2E-1' }), makeTx({ id: 'return', amount: '-500.00', date: '2026-03-03', kind: 'transfer', endToEndId: 'E2E-1' })],
    parseRules({ order: ['reversal'] }),
    OPTIONS,
  ).groups;
  const fx = matchLeg(
    [makeTx({ id: 'e', amount: '100.00', date: '2026-03-02', externalId: 'ORDER-5501' })],
    [makeTx({ id: 'u', amount: '108.00', date: '2026-03-02', currency: 'USD', externalId: 'ORDER-5501' })],
    parseRules({ fx: { pairs: [{ from: 'EUR', to: 'USD' }] } }),
    { ...OPTIONS, rates: new RateTable([{ date: '2026-03-02', from: 'EUR', to: 'USD', rate: '1.0825' }]) },
  ).groups;
  return [...tolerated, ...reversal, ...fx];
}

describe('groupJson', () => {
  it('writes a group as JSON.stringify does, after the head it is given', () => {
    const built = groups();
    // amount-date m2é=q7 (-0.50, a variance), reference y1=z"1\ (0.00), reversal credit+return (no left), fx e=u (-0.25).
    expect(built.map((group) => `${group.rule} ${group.difference} ${group.variance === null ? '-' : 'v'} ${group.leftTotal === null ? '-' : 'l'} ${group.fx === null ? '-' : 'fx'}`)).toEqual([
      'amount-date -0.50 v l -',
      'reference 0.00 - l -',
      'reversal 0.00 - - -',
      'fx -0.25 v l fx',
    ]);
    for (const group of built) {
      expect(groupJson('{', group)).toBe(JSON.stringify(group));
      expect(groupJson('{"leg":"x",', group)).toBe(JSON.stringify({ leg: 'x', ...group }));
    }
  });
});
