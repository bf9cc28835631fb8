import { describe, expect, it } from 'vitest';
import { row } from '../../../../core/settlement/testkit.ts';
import type { SettlementRunDoc } from '../../../../core/sync/documents.ts';
import { busiestMonthOf, lastRunOf, previewSourceOf } from './preview-source.ts';

const NO_RATES = { source: 'none', base: 'EUR', quotes: {} };

function runDoc(period: string, revision: number, start: string, end: string): SettlementRunDoc {
  return {
    id: `run.${period}.r${revision}`,
    period,
    revision,
    inputs: { period: { start, end }, paymentDate: null, partnerIds: ['p'], rates: { source: 'ECB', base: 'EUR', quotes: { [end]: { USD: '1.0800' } } }, statesIn: {} },
    inputsHash: 'a'.repeat(64),
    inputBatchIds: [],
    agreementVersionIds: [],
    statementIds: [],
    exceptionCount: 0,
    createdBy: 'ana',
    createdAt: '2026-04-02T09:00:00.000Z',
  };
}

describe('the period the preview settles', () => {
  it('is the last settled run: the latest period, its highest revision, with that run\'s rates', () => {
    const runs = [runDoc('2026-03', 1, '2026-03-01', '2026-03-31'), runDoc('2026-02', 4, '2026-02-01', '2026-02-28'), runDoc('2026-03', 2, '2026-03-01', '2026-03-31')];
    expect(lastRunOf(runs)?.id).toBe('run.2026-03.r2');
    const source = previewSourceOf(runs, null, NO_RATES);
    expect(source).toMatchObject({ month: '2026-03', period: { start: '2026-03-01', end: '2026-03-31' }, origin: { kind: 'run', revision: 2 }, rates: { source: 'ECB', quotes: { '2026-03-31': { USD: '1.0800' } } } });
  });

  it('before any run, is the month most partner rows fall in (February 2028 has 29 days)', () => {
    const transactions = [row('sale', '1.00', { date: '2028-01-31' }), row('sale', '1.00', { date: '2028-02-10' }), row('refund', '-1.00', { date: '2028-02-29' }), { ...row('sale', '1.00', { date: '2028-03-01' }), partnerId: null }, { ...row('sale', '1.00', { date: '2028-03-02' }), partnerId: null }];
    expect(busiestMonthOf(transactions)).toBe('2028-02');
    expect(previewSourceOf([], busiestMonthOf(transactions), NO_RATES)).toEqual({ month: '2028-02', period: { start: '2028-02-01', end: '2028-02-29' }, rates: NO_RATES, statesIn: {}, origin: { kind: 'month' } });
    expect(previewSourceOf([], null, NO_RATES)).toBeNull();
  });
});
