import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from '../money/decimal.ts';
import type { LegResult } from './match.ts';
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

describe('tolerance per leg', () => {
  // The ledger books 100.00; the PSP line says 99.99 (a rounding gap of the PSP's FX engine);
  // the bank credit for the payout of 250.00 is 249.97 (3 cents of bank charges).
  const internal = [makeTx({ id: 'i', amount: '100.00', date: '2026-03-02' })];
  const psp = [
    makeTx({ id: 'p', amount: '99.99', date: '2026-03-02' }),
    makeTx({ id: 'po', amount: '-250.00', date: '2026-03-03', kind: 'payout' }),
  ];
  const bank = [makeTx({ id: 'b', amount: '249.97', date: '2026-03-04', kind: 'transfer' })];

  it('applies each leg its own tolerance, and shows the tolerated amount in the breakdown', () => {
    const result = reconcile({ internal, psp, bank }, { amountTolerance: '0.01', legs: { 'psp-bank': { amountTolerance: '0.05' } } });
    // internal-psp: 99.99 - 100.00 = -0.01, within the global 0.01: matched, tolerated -0.01.
    const first = result.legs.internalPsp?.groups[0];
    expect(first).toMatchObject({ leftIds: ['i'], rightIds: ['p'], difference: '-0.01' });
    expect(first?.variance).toMatchObject({ difference: '-0.01', tolerated: '-0.01', unexplained: '0.00' });
    // psp-bank: the payout seen from the bank is +250.00; 249.97 - 250.00 = -0.03, within the leg's 0.05.
    const second = result.legs.pspBank.groups[0];
    expect(second).toMatchObject({ leftIds: ['po'], rightIds: ['b'], difference: '-0.03' });
    expect(second?.variance).toMatchObject({ difference: '-0.03', tolerated: '-0.03', unexplained: '0.00' });
    // With only the global 0.01, the bank leg does not match: |-0.03| > 0.01.
    const strict = reconcile({ internal, psp, bank }, { amountTolerance: '0.01' });
    expect(strict.legs.pspBank.groups).toEqual([]);
    expect(strict.legs.internalPsp?.groups).toHaveLength(1);
  });

  it('lets a leg tolerance per currency override the leg tolerance, and refuses an unknown leg', () => {
    // JPY has no minor unit: 1 yen of tolerance on the bank leg only.
    const jpyPsp = [makeTx({ id: 'po', amount: '-5000', currency: 'JPY', date: '2026-03-03', kind: 'payout' })];
    const jpyBank = [makeTx({ id: 'b', amount: '4999', currency: 'JPY', date: '2026-03-04', kind: 'transfer' })];
    const result = reconcile({ psp: jpyPsp, bank: jpyBank }, { legs: { 'psp-bank': { amountTolerance: '0', amountToleranceByCurrency: { JPY: '1' } } } });
    expect(result.legs.pspBank.groups[0]?.variance).toMatchObject({ difference: '-1', tolerated: '-1', unexplained: '0' });
    expect(() => reconcile({ psp: jpyPsp, bank: jpyBank }, { legs: { 'psp-bnak': { amountTolerance: '1' } } } as never)).toThrow(/psp-bnak/);
  });
});

describe('reconcile invariants (property)', () => {
  // Few amounts and references, so that references, batches, ties, payouts and batch details all occur.
  const amount = fc.constantFrom('10.00', '10.01', '25.00', '-5.00', '40.00', '12.50');
  const day = fc.integer({ min: 1, max: 12 }).map((n) => `2026-03-${String(n).padStart(2, '0')}`);
  const ref = fc.option(fc.constantFrom('ORD-1001', 'ORD-1002', 'ord-1001', 'ORD-1O01', 'PO-A'), { nil: null });
  const item = fc.record({ amount, day, ref, batch: fc.option(fc.constantFrom('PO-A', 'PO-B'), { nil: null }) });

  it('puts every item in exactly one group or unmatched list, and every group breakdown adds up to its difference', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), fc.array(item, { maxLength: 12 }), fc.array(item, { maxLength: 8 }), fc.boolean(), (internalSpecs, pspSpecs, bankSpecs, payouts) => {
        const internal = internalSpecs.map((spec, n) => makeTx({ id: `i${n}`, amount: spec.amount, date: spec.day, externalId: spec.ref }));
        const psp = pspSpecs.map((spec, n) => makeTx({ id: `p${n}`, amount: spec.amount, date: spec.day, externalId: spec.ref, batchId: spec.batch }));
        if (payouts) psp.push(makeTx({ id: 'p-po', amount: '-30.00', date: '2026-03-08', kind: 'payout', externalId: 'PO-A', batchId: 'PO-A' }));
        const bank = bankSpecs.map((spec, n) => makeTx({ id: `b${n}`, amount: spec.amount, date: spec.day, kind: 'transfer', description: spec.ref === null ? null : `PAYMENT ${spec.ref}`, bankReference: `BR-${n}` }));
        // The first bank line, when there is one, books a batch of two details.
        const details = bankSpecs.length === 0 ? [] : [{ fileName: 'test', account: '', entryLine: 1, accountServicerReference: 'BR-0', paymentInformationId: null, messageId: null, statedCount: 2, problems: [],
          details: [{ line: 2, amount: '10.00', currency: 'EUR', endToEndId: 'ORD-1001', accountServicerReference: null, counterparty: { name: null, account: null }, description: null },
            { line: 3, amount: new Decimal(bank[0]?.amount ?? '0').minus('10.00').toFixed(2), currency: 'EUR', endToEndId: null, accountServicerReference: null, counterparty: { name: null, account: null }, description: null }] }];
        const result = reconcile({ internal, psp, bank: bank.map((tx) => ({ ...tx, account: '' })), bankBatches: details });
        const legs = [result.legs.internalPsp, result.legs.pspBank, result.legs.internalBank].filter((leg): leg is LegResult => leg !== null);
        const once = (ids: readonly string[], expected: readonly string[]): void => expect([...ids].sort()).toEqual([...expected].sort());
        const left = (leg: LegResult | null) => leg?.groups.flatMap((group) => group.leftIds) ?? [];
        const right = (leg: LegResult | null) => leg?.groups.flatMap((group) => group.rightIds) ?? [];
        once([...left(result.legs.internalPsp), ...left(result.legs.internalBank), ...(result.unmatched.internal ?? [])], internal.map((tx) => tx.id));
        once([...right(result.legs.internalPsp), ...(result.unmatched.psp ?? [])], psp.map((tx) => tx.id));
        const replaced = new Set(result.bankBatches.filter((batch) => batch.status === 'detailed').map((batch) => batch.entryId));
        const bankSeen = [...bank.filter((tx) => !replaced.has(tx.id)).map((tx) => tx.id), ...result.bankDetails.map((tx) => tx.id)];
        once([...right(result.legs.pspBank), ...right(result.legs.internalBank), ...result.unmatched.bank], bankSeen);
        const paid = new Set(result.pspPayouts.flatMap((payout) => payout.lineIds));
        once([...left(result.legs.pspBank), ...result.unmatched.pspUnsettled, ...result.pending.pspInTransit, ...result.pending.pspNotPaidOut], psp.filter((tx) => !paid.has(tx.id)).map((tx) => tx.id));
        for (const leg of legs) {
          const free = new Set([...leg.groups.flatMap((group) => [...group.leftIds, ...group.rightIds])]);
          for (const suggestion of leg.suggestions) expect([...suggestion.leftIds, ...suggestion.rightIds].some((id) => free.has(id))).toBe(false);
          for (const group of leg.groups) {
            if (new Decimal(group.difference).isZero()) continue;
            const v = group.variance;
            const parts = [v?.timing, v?.fees, v?.refunds, v?.withholding, v?.fx, v?.tolerated, v?.unexplained].reduce((sum: Decimal, part) => sum.plus(part ?? 'NaN'), new Decimal(0));
            expect(v?.difference).toBe(group.difference);
            expect(parts.equals(group.difference)).toBe(true);
          }
        }
      }),
      { numRuns: 150, seed: 20261202 },
    );
  });
});
