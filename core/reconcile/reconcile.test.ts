import { describe, expect, it } from 'vitest';
import { reconcile } from './reconcile.ts';
import { makeTx } from './test-support.ts';

// A small month: two sales and a refund through the PSP, paid out in one batch (the payout line
// negative, as PSP reports give it: money leaving the PSP balance); one direct
// bank transfer from a partner for an invoice; one unexplained bank fee; one sale the PSP never saw.
const internal = [
  makeTx({ id: 'i-sale-1', amount: '100.00', date: '2026-03-01', externalId: 'ch_1001' }),
  makeTx({ id: 'i-sale-2', amount: '60.00', date: '2026-03-01', externalId: 'ch_1002' }),
  makeTx({ id: 'i-refund', amount: '-10.00', date: '2026-03-02', kind: 'refund', externalId: 're_1003' }),
  makeTx({ id: 'i-payout', amount: '-145.36', date: '2026-03-03', kind: 'payout', externalId: 'po_77' }),
  makeTx({ id: 'i-invoice', amount: '1200.00', date: '2026-03-05', externalId: 'INV-2026-031', counterparty: 'Studio North' }),
  makeTx({ id: 'i-lost', amount: '25.00', date: '2026-03-06', externalId: 'ch_9999' }),
];
const psp = [
  makeTx({ id: 'p-1', amount: '100.00', date: '2026-03-01', externalId: 'ch_1001', batchId: 'po_77' }),
  makeTx({ id: 'p-2', amount: '60.00', date: '2026-03-01', externalId: 'ch_1002', batchId: 'po_77' }),
  makeTx({ id: 'p-3', amount: '-10.00', date: '2026-03-02', kind: 'refund', externalId: 're_1003', batchId: 'po_77' }),
  makeTx({ id: 'p-fee', amount: '-4.64', date: '2026-03-02', kind: 'fee', externalId: 'fee_77', batchId: 'po_77' }),
  makeTx({ id: 'p-payout', amount: '-145.36', date: '2026-03-03', kind: 'payout', externalId: 'po_77', batchId: 'po_77' }),
];
const bank = [
  makeTx({ id: 'b-payout', amount: '145.36', date: '2026-03-04', kind: 'transfer', description: 'ACME PAYMENTS PAYOUT' }),
  makeTx({ id: 'b-invoice', amount: '1200.00', date: '2026-03-07', kind: 'transfer', description: 'Studio North payment INV 2026 031' }),
  makeTx({ id: 'b-charge', amount: '-7.50', date: '2026-03-31', kind: 'fee', description: 'ACCOUNT FEE' }),
];

describe('reconcile (three-way)', () => {
  const result = reconcile({ internal, psp, bank });

  it('matches internal to PSP, the PSP payout (negated) to the bank credit, and direct transfers internal to bank', () => {
    const summary = (groups: typeof result.legs.pspBank.groups) => groups.map((group) => `${group.rule}:${group.leftIds.join('+')}=${group.rightIds.join('+')}`);
    expect(summary(result.legs.internalPsp?.groups ?? [])).toEqual(['reference:i-payout=p-payout', 'reference:i-refund=p-3', 'reference:i-sale-1=p-1', 'reference:i-sale-2=p-2']);
    expect(summary(result.legs.pspBank.groups)).toEqual(['amount-date:p-payout=b-payout']);
    expect(result.legs.pspBank.groups[0]).toMatchObject({ leftTotal: { amount: '145.36' }, difference: '0.00' });
    expect(summary(result.legs.internalBank?.groups ?? [])).toEqual(['reference:i-invoice=b-invoice']);
  });

  it('lists what is left on every side', () => {
    expect(result.unmatched).toEqual({ internal: ['i-lost'], psp: ['p-fee'], pspUnsettled: [], bank: ['b-charge'] });
    expect(result.pending).toEqual({ pspNotPaidOut: [], pspInTransit: [] });
  });

  it('lists the payout with the detail lines it pays out', () => {
    expect(result.pspPayouts).toEqual([{ payoutIds: ['p-payout'], batchId: 'po_77', currency: 'EUR', amount: '145.36', lineIds: ['p-1', 'p-2', 'p-3', 'p-fee'], linesTotal: '145.36' }]);
  });

  it('gives the same result for inputs in any order', () => {
    const reversed = reconcile({ internal: [...internal].reverse(), psp: [...psp].reverse(), bank: [...bank].reverse() });
    expect(reversed).toEqual(result);
  });

  it('runs only the PSP <-> bank leg without an internal ledger', () => {
    const twoWay = reconcile({ psp, bank });
    expect(twoWay.legs.internalPsp).toBeNull();
    expect(twoWay.legs.internalBank).toBeNull();
    expect(twoWay.legs.pspBank).toEqual(result.legs.pspBank);
    expect(twoWay.unmatched).toEqual({ internal: null, psp: null, pspUnsettled: [], bank: ['b-charge', 'b-invoice'] });
  });

  it('refuses an amount with more decimals than its currency, naming the transaction', () => {
    const bad = makeTx({ id: 'bad', amount: '1.001', date: '2026-03-01' });
    expect(() => reconcile({ internal: [bad], psp, bank })).toThrow(expect.objectContaining({ code: 'reconcile_amount_invalid' }));
  });
});
