import { describe, expect, it } from 'vitest';
import { RateTable } from './fx.ts';
import { matchLeg, matchLegCompact } from './match.ts';
import { reconcile, reconcileCompact } from './reconcile.ts';
import { parseRules } from './rules.ts';
import { makeTx } from './test-support.ts';

const OPTIONS = { name: 'test', scanText: { left: false, right: true }, rates: new RateTable([]) };
const RULES = parseRules({ amountTolerance: '0.50' });

// The reference rule runs first and records z1=y1, then amount-date records m2=q7: the drafts'
// order is not the groups' id order (test:m2 < test:y1, the smallest member id of each group).
const left = [
  makeTx({ id: 'z1', amount: '10.00', date: '2026-03-01', externalId: 'ch_A1' }),
  makeTx({ id: 'm2', amount: '25.00', date: '2026-03-05' }),
  makeTx({ id: 'c3', amount: '7.00', date: '2026-03-10' }),
];
const right = [
  makeTx({ id: 'y1', amount: '10.00', date: '2026-03-02', externalId: 'ch_A1' }),
  makeTx({ id: 'q7', amount: '24.50', date: '2026-03-06' }),
  makeTx({ id: 'b5', amount: '3.00', date: '2026-03-20' }),
];

describe('matchLegCompact', () => {
  const compact = matchLegCompact(left, right, RULES, OPTIONS);

  it('builds its groups one at a time in id order, as matchLeg holds them', () => {
    const groups = [...compact.groups()];
    expect(compact.groupCount).toBe(2);
    expect(groups.map((group) => group.id)).toEqual(['test:m2', 'test:y1']);
    // m2=q7: 24.50 - 25.00 = -0.50 (right - left), within the 0.50 tolerance; y1=z1: 10.00 - 10.00 = 0.00.
    expect(groups.map((group) => [group.rule, group.difference])).toEqual([
      ['amount-date', '-0.50'],
      ['reference', '0.00'],
    ]);
    expect(groups).toEqual(matchLeg(left, right, RULES, OPTIONS).groups);
  });

  it('builds them again on every call, equal and not the same objects', () => {
    const first = [...compact.groups()];
    const second = [...compact.groups()];
    expect(second).toEqual(first);
    expect(second[0]).not.toBe(first[0]);
  });

  it('gives the outcome of each group in id order in minor units, as its built group says it in text', () => {
    expect([...compact.outcomes()]).toEqual([
      { position: 0, currency: 'EUR', difference: -50, unexplained: false, tolerated: true },
      { position: 1, currency: 'EUR', difference: 0, unexplained: false, tolerated: false },
    ]);
    expect(compact.group(0)).toEqual([...compact.groups()][0]);
    expect(compact.group(1).id).toBe('test:y1');
  });

  it('tells a fee that explains a difference from an unexplained one, as the breakdowns of the groups do', () => {
    const ledger = [makeTx({ id: 'l1', amount: '100.00', date: '2026-03-01', externalId: 'ch_3MtwBwLkdIwH1' }), makeTx({ id: 'l2', amount: '50.00', date: '2026-03-01', externalId: 'ch_3MtwBwLkdIwH2' })];
    const psp = [
      makeTx({ id: 'p1', amount: '100.00', date: '2026-03-01', externalId: 'ch_3MtwBwLkdIwH1' }),
      makeTx({ id: 'p1-fee', amount: '-2.90', date: '2026-03-01', kind: 'fee', externalId: 'ch_3MtwBwLkdIwH1' }),
      makeTx({ id: 'p2', amount: '49.00', date: '2026-03-01', externalId: 'ch_3MtwBwLkdIwH2' }),
    ];
    const leg = matchLegCompact(ledger, psp, RULES, OPTIONS);
    // l1 = p1 + p1-fee: 97.10 - 100.00 = -2.90, all fees; l2 = p2: 49.00 - 50.00 = -1.00, beyond the 0.50 tolerance.
    expect([...leg.outcomes()]).toEqual([
      { position: 0, currency: 'EUR', difference: -290, unexplained: false, tolerated: false },
      { position: 1, currency: 'EUR', difference: -100, unexplained: true, tolerated: false },
    ]);
    expect([...leg.groups()].map((group) => [group.difference, group.variance?.fees, group.variance?.unexplained])).toEqual([
      ['-2.90', '-2.90', '0.00'],
      ['-1.00', '0.00', '-1.00'],
    ]);
  });

  it('counts and leaves over what matchLeg does without building a group', () => {
    expect(compact.counts).toMatchObject({ reference: 1, 'amount-date': 1, batch: 0 });
    expect(compact.unmatchedLeft).toEqual(['c3']);
    expect(compact.unmatchedRight).toEqual(['b5']);
  });
});

describe('reconcileCompact', () => {
  it('gives every leg the groups reconcile builds, in the same order', () => {
    // Two-way: the PSP payout -145.36 is 145.36 at the bank; the PSP's sale lines are its batch.
    const psp = [
      makeTx({ id: 'p-1', amount: '150.00', date: '2026-03-01', externalId: 'ch_1', batchId: 'po_1' }),
      makeTx({ id: 'p-fee', amount: '-4.64', date: '2026-03-01', kind: 'fee', batchId: 'po_1' }),
      makeTx({ id: 'p-payout', amount: '-145.36', date: '2026-03-02', kind: 'payout', externalId: 'po_1', batchId: 'po_1' }),
    ];
    const bank = [makeTx({ id: 'b-1', amount: '145.36', date: '2026-03-03', kind: 'transfer', description: 'STRIPE po_1' })];
    const full = reconcile({ psp, bank });
    const compact = reconcileCompact({ psp, bank });
    expect([...compact.legs.pspBank.groups()]).toEqual(full.legs.pspBank.groups);
    expect(full.legs.pspBank.groups.map((group) => `${group.id} ${group.leftTotal?.amount} ${group.rightTotal?.amount}`)).toEqual(['psp-bank:b-1 145.36 145.36']);
    expect(compact.legs.internalPsp).toBeNull();
    expect(compact.unmatched).toEqual(full.unmatched);
  });
});
