import { describe, expect, it } from 'vitest';
import { payoutExpectations } from './expected-payout.ts';
import { reconcileCompact } from './reconcile.ts';
import { makeTx } from './test-support.ts';

// PSP lines by batch: po_A and po_B are Stripe payouts; po_C has no payout line yet (its line is in
// no payout); B7 is paid out in two currencies (two payouts named B7, the line in the USD one); a
// line without a batch id is taken by the sweep payout after it (PayPal), named by its line id sw-1.
const psp = [
  makeTx({ id: 'p1', amount: '50.00', date: '2026-03-01', externalId: 'ch_1', batchId: 'po_A' }),
  makeTx({ id: 'p8a', amount: '60.00', date: '2026-03-01', externalId: 'ch_8', batchId: 'po_A' }),
  makeTx({ id: 'pA', amount: '-110.00', date: '2026-03-02', kind: 'payout', batchId: 'po_A' }),
  makeTx({ id: 'p2', amount: '30.00', date: '2026-03-01', externalId: 'ch_2', batchId: 'po_B' }),
  makeTx({ id: 'p8b', amount: '40.00', date: '2026-03-01', externalId: 'ch_8', batchId: 'po_B' }),
  makeTx({ id: 'pB', amount: '-70.00', date: '2026-03-02', kind: 'payout', batchId: 'po_B' }),
  makeTx({ id: 'p3', amount: '20.00', date: '2026-03-01', externalId: 'ch_3', batchId: 'po_C' }),
  makeTx({ id: 'pB7e', amount: '-5.00', date: '2026-03-02', kind: 'payout', batchId: 'B7' }),
  makeTx({ id: 'p4', amount: '10.00', date: '2026-03-01', currency: 'USD', externalId: 'ch_4', batchId: 'B7' }),
  makeTx({ id: 'pB7u', amount: '-10.00', date: '2026-03-02', currency: 'USD', kind: 'payout', batchId: 'B7' }),
  makeTx({ id: 'p5', amount: '15.00', date: '2026-03-01', externalId: 'ch_5' }),
  makeTx({ id: 'sw-1', amount: '-15.00', date: '2026-03-02', kind: 'payout' }),
];
const ledger = [
  makeTx({ id: 'L1', amount: '50.00', date: '2026-03-01', externalId: 'ch_1' }),
  makeTx({ id: 'L2', amount: '30.00', date: '2026-03-01', externalId: 'ch_2' }),
  makeTx({ id: 'L3', amount: '20.00', date: '2026-03-01', externalId: 'ch_3' }),
  makeTx({ id: 'L4', amount: '10.00', date: '2026-03-01', currency: 'USD', externalId: 'ch_4' }),
  makeTx({ id: 'L5', amount: '15.00', date: '2026-03-01', externalId: 'ch_5' }),
  makeTx({ id: 'L8', amount: '100.00', date: '2026-03-01', externalId: 'ch_8' }),
];
const expects: Record<string, string> = { L1: 'po_A', L2: 'po_A', L3: 'po_C', L4: 'B7', L5: 'po_X', L8: 'po_A' };

describe('payoutExpectations', () => {
  it('lists the ledger rows paid elsewhere than they expect, from the groups by member position', () => {
    const result = reconcileCompact({ internal: ledger, psp, bank: [] });
    const leg = result.legs.internalPsp;
    if (leg === null) throw new Error('a three-way run has leg internal-psp');
    // Each ledger row found its PSP lines by charge id; L8 = p8a + p8b (60.00 + 40.00).
    expect([...leg.groups()].map((group) => `${group.leftIds.join('+')}=${group.rightIds.join('+')}`)).toEqual(['L1=p1', 'L2=p2', 'L3=p3', 'L4=p4', 'L5=p5', 'L8=p8a+p8b']);
    const found = payoutExpectations({ members: leg.members, ledger, psp, pspPayouts: result.pspPayouts, payoutAt: result.pspPayoutAt, expectedOf: (row) => expects[row.id] ?? null });
    // L1 (po_A) and L4 (B7, the line in the second of B7's payouts) are paid where expected.
    expect(found).toEqual([
      { ledgerId: 'L2', expected: 'po_A', paidIn: ['po_B'], pspIds: ['p2'] },
      { ledgerId: 'L3', expected: 'po_C', paidIn: [], pspIds: ['p3'] },
      { ledgerId: 'L5', expected: 'po_X', paidIn: ['sw-1'], pspIds: ['p5'] },
      { ledgerId: 'L8', expected: 'po_A', paidIn: ['po_A', 'po_B'], pspIds: ['p8a', 'p8b'] },
    ]);
  });
});
