import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from '../money/decimal.ts';
import { varianceOf, type VarianceBreakdown } from './variance.ts';
import { makeTx, type TxSpec } from './test-support.ts';

const base = { fx: null, fxToleranceBps: 100, dateFields: ['valueDate', 'bookingDate', 'occurredAt'] as const, dateWindowDays: 3 };

function breakdown(left: TxSpec[], right: TxSpec[]): VarianceBreakdown {
  return varianceOf({ ...base, left: left.map(makeTx), right: right.map(makeTx) });
}

function parts(v: VarianceBreakdown): Decimal {
  return [v.timing, v.fees, v.refunds, v.withholding, v.fx, v.tolerated, v.unexplained].reduce((sum, part) => sum.plus(part), new Decimal(0));
}

describe('varianceOf', () => {
  it('attributes a PSP fee the internal ledger does not know to fees', () => {
    const v = breakdown([{ id: 'i', amount: '100.00', date: '2026-03-01' }], [
      { id: 'p', amount: '100.00', date: '2026-03-01' },
      { id: 'f', amount: '-2.90', date: '2026-03-01', kind: 'fee' },
    ]);
    expect(v).toMatchObject({ difference: '-2.90', fees: '-2.90', unexplained: '0.00' });
  });

  it('splits refunds/chargebacks and withholding tax and leaves the rest unexplained', () => {
    const v = breakdown([{ id: 'i', amount: '1000.00', date: '2026-03-01' }], [
      { id: 's', amount: '1000.00', date: '2026-03-01' },
      { id: 'c', amount: '-35.00', date: '2026-03-02', kind: 'chargeback' },
      { id: 'r', amount: '-15.00', date: '2026-03-02', kind: 'refund' },
      { id: 't', amount: '-100.00', date: '2026-03-02', kind: 'tax' },
      { id: 'a', amount: '-0.01', date: '2026-03-02', kind: 'adjustment' },
    ]);
    expect(v).toMatchObject({ difference: '-150.01', refunds: '-50.00', withholding: '-100.00', fees: '0.00', unexplained: '-0.01' });
  });

  it('does not "explain" a short bank credit with fees already netted in the batch', () => {
    const v = breakdown(
      [
        { id: 's', amount: '1000.00', date: '2026-03-01', batchId: 'B' },
        { id: 'f', amount: '-30.00', date: '2026-03-01', kind: 'fee', batchId: 'B' },
      ],
      [{ id: 'bank', amount: '960.00', date: '2026-03-02', kind: 'transfer' }],
    );
    expect(v).toMatchObject({ difference: '-10.00', fees: '0.00', unexplained: '-10.00' });
  });

  it('puts items dated after the other side plus the window into timing', () => {
    const v = breakdown([{ id: 'payout', amount: '500.00', date: '2026-03-05', kind: 'payout' }], [
      { id: 's1', amount: '500.00', date: '2026-03-01' },
      { id: 'late', amount: '-20.00', date: '2026-03-09', kind: 'refund' },
    ]);
    expect(v).toMatchObject({ difference: '-20.00', timing: '-20.00', refunds: '0.00', unexplained: '0.00' });
  });

  it('puts a remainder within the amount tolerance into tolerated, and a larger one into unexplained', () => {
    const within = varianceOf({ ...base, toleranceMinor: 1, left: [makeTx({ id: 'p', amount: '8.44', date: '2026-03-17', kind: 'payout' })], right: [makeTx({ id: 'b', amount: '8.43', date: '2026-03-18', kind: 'transfer' })] });
    expect(within).toMatchObject({ difference: '-0.01', tolerated: '-0.01', unexplained: '0.00' });
    const beyond = varianceOf({ ...base, toleranceMinor: 1, left: [makeTx({ id: 'p', amount: '275.65', date: '2026-03-09', kind: 'payout' })], right: [makeTx({ id: 'b', amount: '273.15', date: '2026-03-10', kind: 'transfer' })] });
    expect(beyond).toMatchObject({ difference: '-2.50', tolerated: '0.00', unexplained: '-2.50' });
  });

  it('keeps the parts summing exactly to the difference (property)', () => {
    const kinds = ['sale', 'refund', 'chargeback', 'fee', 'tax', 'transfer', 'payout', 'adjustment'] as const;
    const item = fc.record({ cents: fc.integer({ min: -10_000_000, max: 10_000_000 }), kind: fc.constantFrom(...kinds), day: fc.integer({ min: 1, max: 28 }) });
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 8 }), fc.array(item, { minLength: 1, maxLength: 8 }), (left, right) => {
        const spec = (prefix: string) => (entry: { cents: number; kind: (typeof kinds)[number]; day: number }, index: number): TxSpec => ({
          id: `${prefix}${index}`,
          amount: new Decimal(entry.cents).dividedBy(100).toFixed(2),
          kind: entry.kind,
          date: `2026-02-${String(entry.day).padStart(2, '0')}`,
        });
        const v = breakdown(left.map(spec('l')), right.map(spec('r')));
        expect(parts(v).equals(v.difference)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
