import { describe, expect, it } from 'vitest';
import { lookupRate, parseEcbRates, RateFileError } from './fx.ts';
import type { FxPolicy } from './fx.ts';
import { SettlementError } from './errors.ts';

const EXACT: FxPolicy = { rateDate: 'transaction-date', lookup: 'exact', lookbackDaysMax: 0, route: 'direct', chargebackRate: 'own-date', reverseRates: 'refuse', transactionDate: 'event' };

describe('parseEcbRates', () => {
  it('reads the ECB layout with N/A, trailing commas and spaces', () => {
    const { table, rejected } = parseEcbRates('Date, USD, JPY, GBP,\n2026-01-06, 1.10, 162.5, N/A,\n2026-01-05, 1.08, 160, 0.85,\n', { file: 'eurofxref-hist.csv' });
    expect(rejected).toEqual([]);
    expect([...table.quotes.keys()]).toEqual(['2026-01-05', '2026-01-06']);
    expect(table.quotes.get('2026-01-06')?.has('GBP')).toBe(false);
    expect(table.quotes.get('2026-01-05')?.get('JPY')).toBe('160');
  });

  it('reports every bad row with its line, column and code', () => {
    const text = ['Date,USD,JPY', '2026-01-05,1.08,160', '2026-13-01,1.1,161', '2026-01-06,1e2,161', '2026-01-07,0,161', '2026-01-08,1.1', '2026-01-05,1.1,1', '"2026-01-09",1,1'].join('\n');
    const { table, rejected } = parseEcbRates(text);
    expect(rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [3, 'Date', 'date_invalid'],
      [4, 'USD', 'amount_not_decimal'],
      [5, 'USD', 'field_invalid'],
      [6, null, 'column_count'],
      [7, 'Date', 'field_invalid'],
      [8, null, 'field_invalid'],
    ]);
    expect(table.quotes.size).toBe(1);
  });

  it('refuses a header that is not Date plus currency codes', () => {
    expect(() => parseEcbRates('When,USD\n')).toThrow(RateFileError);
    expect(() => parseEcbRates('Date,USD,XYZ\n')).toThrow(/XYZ/);
    expect(() => parseEcbRates('')).toThrow(RateFileError);
  });
});

describe('lookupRate', () => {
  const { table } = parseEcbRates('Date,USD,GBP\n2026-01-02,1.25,0.80\n2026-01-05,1.60,N/A\n');

  it('direct pairs: quoted and inverted', () => {
    expect(lookupRate(table, 'EUR', 'USD', '2026-01-02', EXACT).rate).toBe('1.25');
    expect(lookupRate(table, 'USD', 'EUR', '2026-01-02', EXACT).rate).toBe('0.8');
    expect(lookupRate(table, 'USD', 'EUR', '2026-01-05', EXACT).derivation).toContain('inverted');
  });

  it('a missing rate is an error, never 1.0', () => {
    const missing = (fn: () => unknown): string => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(SettlementError);
        return (error as SettlementError).code;
      }
      return 'no error';
    };
    expect(missing(() => lookupRate(table, 'USD', 'EUR', '2026-01-03', EXACT))).toBe('fx_rate_missing');
    expect(missing(() => lookupRate(table, 'USD', 'GBP', '2026-01-02', EXACT))).toBe('fx_rate_missing');
    expect(missing(() => lookupRate(table, 'GBP', 'EUR', '2026-01-05', { ...EXACT, lookup: 'latest-earlier', lookbackDaysMax: 2 }))).toBe('fx_rate_missing');
  });

  it('latest earlier within N days, and crossing via the base', () => {
    const quote = lookupRate(table, 'USD', 'EUR', '2026-01-04', { ...EXACT, lookup: 'latest-earlier', lookbackDaysMax: 2 });
    expect([quote.rate, quote.quoteDates]).toEqual(['0.8', ['2026-01-02']]);
    // 1 USD = 0.80 / 1.25 GBP = 0.64 GBP
    expect(lookupRate(table, 'USD', 'GBP', '2026-01-02', { ...EXACT, route: 'via-base' }).rate).toBe('0.64');
  });

  it('monthly average of the quotes in the month', () => {
    // (1.25 + 1.60) / 2 = 1.425 USD per EUR
    expect(lookupRate(table, 'EUR', 'USD', '2026-01', { ...EXACT, rateDate: 'monthly-average' }).rate).toBe('1.425');
  });
});
