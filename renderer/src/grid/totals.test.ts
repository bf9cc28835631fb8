import { describe, expect, it } from 'vitest';
import { LINES, type Line } from './grid-test-rows.test-support.ts';
import { totalsByCurrency } from './totals.ts';

describe('pinned totals', () => {
  it('sums each currency exactly and never across currencies', () => {
    const totals = totalsByCurrency<Line>(LINES, { label: (currency) => `Total ${currency}`, currency: (row) => row.currency, amounts: { amount: (row) => row.amount } });
    // EUR: 1234.50 - 0.10 + 0.20 = 1234.60 (as doubles 1234.5 + -0.1 + 0.2 is 1234.6000000000001).
    expect(totals).toEqual([
      { kind: 'total', label: 'Total EUR', currency: 'EUR', count: 3, amounts: { amount: '1234.60' } },
      { kind: 'total', label: 'Total KRW', currency: 'KRW', count: 1, amounts: { amount: '1500' } },
    ]);
  });

  it('counts rows without an amount but adds nothing for them', () => {
    const rows = [{ amount: null, currency: 'JPY' }, { amount: '100', currency: 'JPY' }];
    const totals = totalsByCurrency(rows, { label: () => 'T', currency: (row) => row.currency, amounts: { amount: (row) => row.amount } });
    expect(totals[0]?.amounts).toEqual({ amount: '100' });
    expect(totals[0]?.count).toBe(2);
  });

  it('totals several columns per currency, past 2^53 minor units and with decimals beyond the currency', () => {
    const rows = [
      { currency: 'EUR', gross: '90071992547409.92', share: '0.005' },
      { currency: 'EUR', gross: '0.01', share: '0.005' },
      { currency: 'KWD', gross: '-1.250', share: null },
      { currency: 'EUR', gross: '0.01', share: '-0.01' },
    ];
    const totals = totalsByCurrency(rows, { label: (c) => c, currency: (row) => row.currency, amounts: { gross: (row) => row.gross, share: (row) => row.share } });
    // EUR gross: 9007199254740992 + 1 + 1 cents = 9007199254740994 cents (2^53 + 2); share: 0.005 + 0.005 - 0.01 = 0.
    // KWD: one gross of -1.250, no share (zero with three decimals).
    expect(totals).toEqual([
      { kind: 'total', label: 'EUR', currency: 'EUR', count: 3, amounts: { gross: '90071992547409.94', share: '0.00' } },
      { kind: 'total', label: 'KWD', currency: 'KWD', count: 1, amounts: { gross: '-1.250', share: '0.000' } },
    ]);
  });

  it('refuses an amount that is not a decimal string, as money() does', () => {
    expect(() => totalsByCurrency([{ currency: 'EUR', amount: '1,50' }], { label: (c) => c, currency: (row) => row.currency, amounts: { amount: (row) => row.amount } })).toThrow(expect.objectContaining({ code: 'amount_not_decimal' }));
  });
});
