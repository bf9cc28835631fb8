import { describe, expect, it } from 'vitest';
import { pspBankView } from './psp-view.ts';
import { reconcile } from './reconcile.ts';
import { makeTx, type TxSpec } from './test-support.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';

/** A PSP line from a named importer format (the view keys batches and streams by source format). */
function line(format: string, spec: TxSpec & { readonly at?: string }): CanonicalTransaction {
  const tx = makeTx(spec);
  return { ...tx, source: { ...tx.source, format }, occurredAt: spec.at ?? spec.date };
}

const ids = (txs: readonly CanonicalTransaction[]) => txs.map((tx) => `${tx.id}:${tx.amount}`).sort();

describe('pspBankView', () => {
  it('negates a payout line and hides the detail lines it pays out (Stripe: Transfer = payout id)', () => {
    const psp = [
      line('stripe', { id: 'ch', amount: '10.00', date: '2026-03-01', batchId: 'po_1' }),
      line('stripe', { id: 'fee', amount: '-0.59', date: '2026-03-01', kind: 'fee', batchId: 'po_1' }),
      line('stripe', { id: 'po', amount: '-9.41', date: '2026-03-03', kind: 'payout', externalId: 'po_1', batchId: 'po_1' }),
    ];
    const view = pspBankView(psp);
    expect(ids(view.items)).toEqual(['po:9.41']);
    expect(view.payouts).toEqual([{ payoutIds: ['po'], batchId: 'po_1', currency: 'EUR', amount: '9.41', lineIds: ['ch', 'fee'], linesTotal: '9.41' }]);
    expect(view.notPaidOut).toEqual([]);
  });

  it('lists the line and payout ids of a payout in code-unit order, whether the report gave them in that order or not', () => {
    const inOrder = [
      line('stripe', { id: 'txn_1_1', amount: '10.00', date: '2026-03-01', batchId: 'po_1' }),
      line('stripe', { id: 'txn_1_1:fee', amount: '-0.59', date: '2026-03-01', kind: 'fee', batchId: 'po_1' }),
      line('stripe', { id: 'txn_1_2', amount: '5.00', date: '2026-03-01', batchId: 'po_1' }),
      line('stripe', { id: 'po_b', amount: '-7.00', date: '2026-03-03', kind: 'payout', batchId: 'po_1' }),
      line('stripe', { id: 'po_a', amount: '-7.41', date: '2026-03-03', kind: 'payout', batchId: 'po_1' }),
    ];
    // txn_1_10 sorts before txn_1_1:fee ('0' 0x30 < ':' 0x3A) and txn_1_2, TXN_Z before them all ('T' 0x54 < 't' 0x74): not the report's order.
    const outOfOrder = [...inOrder.slice(0, 3), line('stripe', { id: 'txn_1_10', amount: '1.00', date: '2026-03-01', batchId: 'po_1' }), line('stripe', { id: 'TXN_Z', amount: '-1.00', date: '2026-03-01', batchId: 'po_1' }), ...inOrder.slice(3)];
    expect(pspBankView(inOrder).payouts).toEqual([{ payoutIds: ['po_a', 'po_b'], batchId: 'po_1', currency: 'EUR', amount: '14.41', lineIds: ['txn_1_1', 'txn_1_1:fee', 'txn_1_2'], linesTotal: '14.41' }]);
    expect(pspBankView(outOfOrder).payouts).toEqual([{ payoutIds: ['po_a', 'po_b'], batchId: 'po_1', currency: 'EUR', amount: '14.41', lineIds: ['TXN_Z', 'txn_1_1', 'txn_1_10', 'txn_1_1:fee', 'txn_1_2'], linesTotal: '14.41' }]);
  });

  it('gives a failed payout coming back (positive) the bank sign too: a debit', () => {
    const view = pspBankView([line('stripe', { id: 'failure', amount: '9.41', date: '2026-03-04', kind: 'payout', batchId: 'po_1' })]);
    expect(ids(view.items)).toEqual(['failure:-9.41']);
  });

  it('splits an Adyen batch by currency: each MerchantPayout line takes its own currency lines', () => {
    const psp = [
      line('adyen', { id: 'eur-sale', amount: '4.99', date: '2026-03-01', batchId: '412' }),
      line('adyen', { id: 'krw-sale', amount: '15000', currency: 'KRW', date: '2026-03-01', batchId: '412' }),
      line('adyen', { id: 'krw-fee', amount: '-510', currency: 'KRW', kind: 'fee', date: '2026-03-01', batchId: '412' }),
      line('adyen', { id: 'eur-po', amount: '-4.99', date: '2026-03-02', kind: 'payout', externalId: '412-EUR', batchId: '412' }),
      line('adyen', { id: 'krw-po', amount: '-14490', currency: 'KRW', date: '2026-03-02', kind: 'payout', externalId: '412-KRW', batchId: '412' }),
    ];
    const view = pspBankView(psp);
    expect(ids(view.items)).toEqual(['eur-po:4.99', 'krw-po:14490']);
    expect(view.payouts.map((p) => [p.payoutIds, p.currency, p.amount, p.lineIds, p.linesTotal])).toEqual([
      [['eur-po'], 'EUR', '4.99', ['eur-sale'], '4.99'],
      [['krw-po'], 'KRW', '14490', ['krw-fee', 'krw-sale'], '14490'],
    ]);
  });

  it('keeps a batch without a payout line as its detail lines, and a batch of another PSP apart', () => {
    const psp = [
      line('adyen', { id: 'a1', amount: '5.00', date: '2026-03-01', batchId: '7001' }),
      line('adyen', { id: 'a2', amount: '-0.20', kind: 'fee', date: '2026-03-01', batchId: '7001' }),
      // Same batch id from another PSP: not this payout's line.
      line('stripe', { id: 's-po', amount: '-1.00', date: '2026-03-02', kind: 'payout', batchId: '7001' }),
    ];
    const view = pspBankView(psp);
    expect(ids(view.items)).toEqual(['a1:5.00', 'a2:-0.20', 's-po:1.00']);
    expect(view.payouts.map((p) => p.lineIds)).toEqual([[]]);
  });

  it('lets a PayPal withdrawal sweep the balance before it; later lines are not paid out yet', () => {
    const psp = [
      line('paypal', { id: 'before', amount: '3.00', date: '2026-03-06', at: '2026-03-06T17:59:59Z' }),
      line('paypal', { id: 'same-second', amount: '4.00', date: '2026-03-06', at: '2026-03-06T18:00:00Z' }),
      line('paypal', { id: 'w1', amount: '-3.00', date: '2026-03-06', at: '2026-03-06T18:00:00Z', kind: 'payout', externalId: 'W1' }),
      line('paypal', { id: 'usd', amount: '2.00', currency: 'USD', date: '2026-03-05', at: '2026-03-05T10:00:00Z' }),
      line('paypal', { id: 'w2', amount: '-4.00', date: '2026-03-13', at: '2026-03-13T18:00:00Z', kind: 'payout', externalId: 'W2' }),
      line('paypal', { id: 'after', amount: '1.00', date: '2026-03-14', at: '2026-03-14T09:00:00Z' }),
    ];
    const view = pspBankView(psp);
    expect(ids(view.items)).toEqual(['w1:3.00', 'w2:4.00']);
    expect(view.payouts.map((p) => [p.payoutIds[0], p.lineIds])).toEqual([
      ['w1', ['before']],
      ['w2', ['same-second']],
    ]);
    // No USD withdrawal: the USD line waits on the balance.
    expect(view.notPaidOut).toEqual(['after', 'usd']);
  });

  it('reports Stripe lines without a Transfer as not paid out when payouts name their batch', () => {
    const psp = [
      line('stripe', { id: 'late-charge', amount: '8.00', date: '2026-03-31' }),
      line('stripe', { id: 'po', amount: '-2.00', date: '2026-03-30', kind: 'payout', batchId: 'po_9' }),
    ];
    expect(pspBankView(psp).notPaidOut).toEqual(['late-charge']);
  });

  it('hands a report of batched detail lines to the bank leg as it is', () => {
    const psp = [line('bench', { id: 'x', amount: '1.00', date: '2026-03-01', batchId: 'B1' })];
    expect(pspBankView(psp).items).toBe(psp);
    expect([...pspBankView(psp).payoutAt]).toEqual([-1]);
  });

  it('gives each line, by position, the place of the payout that took it, after the payouts are sorted', () => {
    const psp = [
      line('stripe', { id: 'z-sale', amount: '5.00', date: '2026-03-01', batchId: 'po_2' }),
      line('stripe', { id: 'z-po', amount: '-5.00', date: '2026-03-02', kind: 'payout', batchId: 'po_2' }),
      line('stripe', { id: 'a-sale', amount: '3.00', date: '2026-03-01', batchId: 'po_1' }),
      line('stripe', { id: 'm-po', amount: '-3.00', date: '2026-03-02', kind: 'payout', batchId: 'po_1' }),
      line('stripe', { id: 'b-po', amount: '-0.00', date: '2026-03-02', kind: 'payout', batchId: 'po_1' }),
      line('adyen', { id: 'lone', amount: '1.00', date: '2026-03-01', batchId: '77' }),
      line('paypal', { id: 'pp-sale', amount: '2.00', date: '2026-03-01', at: '2026-03-01T10:00:00Z' }),
      line('paypal', { id: 'c-sweep', amount: '-2.00', date: '2026-03-02', at: '2026-03-02T10:00:00Z', kind: 'payout' }),
      line('paypal', { id: 'pp-late', amount: '1.00', date: '2026-03-03', at: '2026-03-03T10:00:00Z' }),
    ];
    const view = pspBankView(psp);
    // Sorted by first payout id: b-po (po_1's first), c-sweep, z-po; built in the order po_2, po_1, c-sweep.
    expect(view.payouts.map((payout) => payout.payoutIds[0])).toEqual(['b-po', 'c-sweep', 'z-po']);
    // The batch without a payout line (lone) is in the view, pp-late no payout has taken: -1.
    expect([...view.payoutAt]).toEqual([2, 2, 0, 0, 0, -1, 1, 1, -1]);
    // The same as the payouts' own id lists say.
    psp.forEach((tx, position) => {
      const place = view.payouts.findIndex((payout) => payout.lineIds.includes(tx.id) || payout.payoutIds.includes(tx.id));
      expect(view.payoutAt[position]).toBe(place);
    });
  });
});

describe('reconcile with imported-style PSP lines', () => {
  it('matches a multi-currency batch without payout lines per currency (batch rule)', () => {
    const psp = [
      line('adyen', { id: 'e1', amount: '10.00', date: '2026-03-01', batchId: 'B-88' }),
      line('adyen', { id: 'e2', amount: '-0.30', kind: 'fee', date: '2026-03-01', batchId: 'B-88' }),
      line('adyen', { id: 'k1', amount: '15000', currency: 'KRW', date: '2026-03-01', batchId: 'B-88' }),
      line('adyen', { id: 'k2', amount: '-510', currency: 'KRW', kind: 'fee', date: '2026-03-01', batchId: 'B-88' }),
    ];
    const bank = [
      makeTx({ id: 'b-eur', amount: '9.70', date: '2026-03-02', kind: 'transfer' }),
      makeTx({ id: 'b-krw', amount: '14490', currency: 'KRW', date: '2026-03-02', kind: 'transfer' }),
    ];
    const result = reconcile({ psp, bank });
    expect(result.legs.pspBank.groups.map((g) => `${g.rule}:${g.leftIds.join('+')}=${g.rightIds.join('+')}`)).toEqual(['batch:e1+e2=b-eur', 'batch:k1+k2=b-krw']);
  });

  it('tells a payout the statements cannot show yet (in transit) from a missing one', () => {
    const psp = [
      line('stripe', { id: 'po-early', amount: '-5.00', date: '2026-03-10', kind: 'payout', batchId: 'po_early' }),
      line('stripe', { id: 'po-last-day', amount: '-6.00', date: '2026-03-31', kind: 'payout', batchId: 'po_last' }),
      line('stripe', { id: 'po-april', amount: '-7.00', date: '2026-04-02', kind: 'payout', batchId: 'po_april' }),
      line('stripe', { id: 'po-gbp', amount: '-8.00', currency: 'GBP', date: '2026-04-02', kind: 'payout', batchId: 'po_gbp' }),
    ];
    const bank = [makeTx({ id: 'fee', amount: '-45.00', date: '2026-03-31', kind: 'fee' })];
    const result = reconcile({ psp, bank });
    // No GBP statement at all: nothing says the GBP payout is on its way, so it is missing.
    expect(result.unmatched.pspUnsettled).toEqual(['po-early', 'po-gbp']);
    expect(result.pending.pspInTransit).toEqual(['po-april', 'po-last-day']);
    const strict = reconcile({ psp, bank }, { psp: { transitDays: 0 } });
    expect(strict.pending.pspInTransit).toEqual(['po-april']);
  });

  it('judges "in transit" against the statement end (closing balance date, camt ToDtTm), not its last line', () => {
    // The EUR statement runs to 2026-03-31; its last line is on 2026-03-27. transitDays 1: a payout
    // dated D is due at the bank on D + 1.
    // - po-30, 2026-03-30: due 03-31 <= 03-31, inside the statement, and no line shows it: missing.
    // - po-31, 2026-03-31: due 04-01 > 03-31: the statement ends before it can arrive: in transit.
    // Judged by the last line (03-27), both were in transit (03-31 > 03-27, 04-01 > 03-27).
    const psp = [
      line('stripe', { id: 'po-30', amount: '-6.00', date: '2026-03-30', kind: 'payout', batchId: 'po_30' }),
      line('stripe', { id: 'po-31', amount: '-7.00', date: '2026-03-31', kind: 'payout', batchId: 'po_31' }),
      line('stripe', { id: 'po-gbp', amount: '-8.00', currency: 'GBP', date: '2026-03-20', kind: 'payout', batchId: 'po_gbp' }),
    ];
    const bank = [makeTx({ id: 'fee', amount: '-45.00', date: '2026-03-27', kind: 'fee' })];
    const statements = [
      { account: 'DE89370400440532013000', currency: 'EUR', endDate: '2026-03-31' },
      // A GBP statement with no line at all still says the GBP account was seen to 03-31:
      // po-gbp, due 03-21, is missing.
      { account: 'GB33BUKB20201555555555', currency: 'GBP', endDate: '2026-03-31' },
    ];
    const result = reconcile({ psp, bank, bankStatements: statements });
    expect(result.unmatched.pspUnsettled).toEqual(['po-30', 'po-gbp']);
    expect(result.pending.pspInTransit).toEqual(['po-31']);
    // Without statement ends the last line is all there is (bank CSV exports): both EUR payouts in transit.
    expect(reconcile({ psp, bank }).pending.pspInTransit).toEqual(['po-30', 'po-31']);
    expect(() => reconcile({ psp, bank, bankStatements: [{ account: 'X', currency: 'EUR', endDate: '2026-02-30' }] })).toThrow(expect.objectContaining({ code: 'reconcile_date_invalid' }));
  });
});
