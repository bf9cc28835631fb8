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
});
