import { describe, expect, it } from 'vitest';
import { parseAgreements } from './agreement.ts';
import { diffRuns } from './diff.ts';
import { RunInputError } from './errors.ts';
import { rateTable } from './fx.ts';
import { buildJournal, imbalances, isBalanced, type JournalEntry } from './journal.ts';
import { runSettlement, statementHash, type RunInput } from './run.ts';
import { FEBRUARY, JANUARY, MARCH, NO_RATES, row, run, settle } from './testkit.ts';

const version = (partnerId: string, extra: Record<string, unknown> = {}) => ({ agreementId: `A-${partnerId}`, partnerId, version: 1, effectiveFrom: '2025-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms: { share: { rate: '50' } }, ...extra });

function input(fields: Partial<RunInput> & Pick<RunInput, 'agreements' | 'partnerIds'>): RunInput {
  return { period: JANUARY, transactions: [], rates: NO_RATES, ...fields };
}

describe('runSettlement', () => {
  it('one partner failing does not stop the others', () => {
    const agreements = parseAgreements([version('ok'), version('fx', { terms: { share: { rate: '50' }, fx: { rateDate: 'payment-date' } } }), version('late', { effectiveFrom: '2026-01-15' })]);
    const result = runSettlement(input({ agreements, partnerIds: ['ok', 'fx', 'late', 'nobody'], transactions: [row('sale', '10.00', { partnerId: 'ok' })] }));
    expect(result.statements.map((s) => [s.partnerId, s.totals.payable])).toEqual([['ok', '5.00']]);
    expect(result.exceptions.map((e) => [e.partnerId, e.code])).toEqual([
      ['fx', 'fx_payment_date_missing'],
      ['late', 'agreement_changes_mid_period'],
      ['nobody', 'agreement_missing'],
    ]);
  });

  it('picks the agreement version in force for the period', () => {
    const agreements = parseAgreements([version('p', { effectiveTo: '2026-01-31' }), { ...version('p', { effectiveFrom: '2026-02-01' }), version: 2, terms: { share: { rate: '60' } } }]);
    const feb = runSettlement(input({ agreements, partnerIds: ['p'], period: FEBRUARY, transactions: [row('sale', '100.00', { date: '2026-02-02' })] }));
    expect([feb.statements[0]?.agreement.version, feb.statements[0]?.totals.payable]).toEqual([2, '60.00']);
  });

  it('settles under the highest version in force: v1 70 % from January open-ended, v2 75 % from March', () => {
    // Both versions open-ended; v2 supersedes v1 from 2026-03-01. Hand arithmetic: 100.00 x 70 % = 70.00 in February, 100.00 x 75 % = 75.00 in March.
    const agreements = parseAgreements([version('p', { effectiveFrom: '2026-01-01', terms: { share: { rate: '70' } } }), { ...version('p', { effectiveFrom: '2026-03-01' }), version: 2, terms: { share: { rate: '75' } } }]);
    const feb = runSettlement(input({ agreements, partnerIds: ['p'], period: FEBRUARY, transactions: [row('sale', '100.00', { date: '2026-02-10' })] }));
    const march = runSettlement(input({ agreements, partnerIds: ['p'], period: MARCH, transactions: [row('sale', '100.00', { date: '2026-03-10' })] }));
    expect([feb.statements[0]?.agreement.version, feb.statements[0]?.totals.shareOwed, feb.statements[0]?.totals.payable]).toEqual([1, '70.00', '70.00']);
    expect([march.statements[0]?.agreement.version, march.statements[0]?.totals.shareOwed, march.statements[0]?.totals.payable]).toEqual([2, '75.00', '75.00']);
    // A v2 from mid-February changes the version inside February: refused as before, never a silent mix.
    const mid = parseAgreements([version('p', { effectiveFrom: '2026-01-01', terms: { share: { rate: '70' } } }), { ...version('p', { effectiveFrom: '2026-02-15' }), version: 2, terms: { share: { rate: '75' } } }]);
    expect(runSettlement(input({ agreements: mid, partnerIds: ['p'], period: FEBRUARY, transactions: [row('sale', '100.00', { date: '2026-02-10' })] })).exceptions.map((e) => e.code)).toEqual(['agreement_changes_mid_period']);
  });

  it('reports amounts finer than their currency and state in another currency', () => {
    expect(run({ share: { rate: '50' } }, [row('sale', '1.005')]).exceptions.map((e) => e.code)).toEqual(['transaction_amount_precision']);
    const state = { partnerId: 'p', currency: 'USD', carryForward: '-5.00', advanceBalance: '0', mgRecoupableBalance: '0', tierAccumulation: null, lastPeriodEnd: null };
    expect(run({ share: { rate: '50' } }, [], { state }).exceptions.map((e) => e.code)).toEqual(['state_currency_mismatch']);
    expect(run({ share: { rate: '50', period: 'contract-year', contractYearStart: '01-15' } }, []).exceptions.map((e) => e.code)).toEqual(['period_spans_contract_year']);
    // Their values as details too, for a screen in another language; the English unchanged.
    expect(run({ share: { rate: '50' } }, [], { state }).exceptions.map((e) => [e.message, e.details])).toEqual([
      ['partner p: balances carried in USD but the agreement settles in EUR', { carriedCurrency: 'USD', settlementCurrency: 'EUR' }],
    ]);
    expect(run({ share: { rate: '50', period: 'contract-year', contractYearStart: '01-15' } }, []).exceptions.map((e) => [e.message, e.details])).toEqual([
      ['period 2026-01-01..2026-01-31 crosses a contract year start (01-15) or mixes contract years', { period: { start: '2026-01-01', end: '2026-01-31' }, contractYearStart: '01-15' }],
    ]);
  });

  it('refuses a bad period or revision as a whole', () => {
    const agreements = parseAgreements([version('p')]);
    expect(() => runSettlement(input({ agreements, partnerIds: ['p'], period: { start: '2026-02-01', end: '2026-01-31' } }))).toThrow(RunInputError);
    expect(() => runSettlement(input({ agreements, partnerIds: ['p'], revision: 0 }))).toThrow(RunInputError);
  });

  it('explains each line: transactions, FX rate and its source and date, rounding', () => {
    const rates = rateTable({ '2026-01-10': { USD: '1.6' } }, 'ECB', 'EUR');
    const s = settle({ share: { rate: '50' } }, [row('sale', '1.00', { currency: 'USD' })], { rates });
    const line = s.groups[0]?.lines[0];
    expect(line?.fx[0]).toMatchObject({ quote: { rateKey: '2026-01-10', rate: '0.625', source: 'ECB', quoteDates: ['2026-01-10'] }, sourceBase: '1.00' });
    expect(line?.baseExact).toBe('0.625');
    expect(line?.rounding).toBe('0.625 rounded half-even to 0.62');
    expect(s.groups[0]?.rule).toBe('flat 50 %');
  });
});

describe('buildJournal', () => {
  it('posts one balanced entry per statement', () => {
    const s = settle({ share: { rate: '70' }, periodicFee: { amount: '10.00' }, vatOnFees: { ratesByJurisdiction: { DE: '19' } }, withholding: { ratesByJurisdiction: { DE: '10' } } }, [row('sale', '1000.00')]);
    const [entry] = buildJournal([s]);
    // share 700; fee 10 + VAT 1.90; owed 688.10; withholding 68.81; paid 619.29; platform 300
    expect(entry?.postings.map((p) => [p.account, p.side, p.amount])).toEqual([
      ['settlement:revenue-base', 'debit', '1000.00'],
      ['partner:p:payable', 'credit', '619.29'],
      ['platform:revenue-share', 'credit', '300.00'],
      ['platform:fee-income', 'credit', '10.00'],
      ['tax:vat-payable:DE', 'credit', '1.90'],
      ['tax:withholding-payable:DE', 'credit', '68.81'],
    ]);
    expect(isBalanced(entry as JournalEntry)).toBe(true);
    const tampered = { ...(entry as JournalEntry), postings: [...(entry as JournalEntry).postings.slice(1)] };
    expect(isBalanced(tampered)).toBe(false);
    expect(imbalances(tampered.postings).get('EUR')).toBe(-100000n);
  });
});

describe('diffRuns', () => {
  it('shows what a restatement after a late chargeback changed', () => {
    const terms = { share: { rate: '50' }, lateTransactions: 'restate' };
    const sale = row('sale', '1000.00', { date: '2026-01-10' });
    const late = row('chargeback', '-100.00', { date: '2026-01-30', bookingDate: '2026-02-03' });
    const first = run(terms, [sale]);
    const second = run(terms, [sale, late], { revision: 2 });
    const diff = diffRuns(first, second);
    expect([diff.previousRevision, diff.currentRevision]).toEqual([1, 2]);
    const [partner] = diff.partners;
    expect(partner?.change).toBe('changed');
    expect(partner?.previousHash).toBe(statementHash(first.statements[0]!));
    expect(partner?.totals.find((t) => t.field === 'payable')).toEqual({ field: 'payable', previous: '500.00', current: '450.00', delta: '-50' });
    expect(partner?.lines).toEqual([{ productId: 'game', currency: 'EUR', previousBase: '1000.00', currentBase: '900.00', delta: '-100', previousCount: 1, currentCount: 2 }]);
    expect(diffRuns(first, first).partners[0]?.change).toBe('unchanged');
  });
});
