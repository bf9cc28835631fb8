import { describe, expect, it } from 'vitest';
import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';
import { totalsByCurrency } from '../../grid/totals.ts';
import { inPeriod, spanOf } from './period.ts';

function tx(id: string, day: string, amount: string, currency: string, description: string, bookingDate: string | null = null): CanonicalTransaction {
  return {
    id,
    source: { sourceId: 's', format: 'csv', fileName: 'f.csv', line: 2 },
    kind: 'sale',
    occurredAt: `${day}T10:00:00+09:00`,
    bookingDate,
    valueDate: null,
    amount,
    currency,
    account: null,
    partnerId: null,
    productId: null,
    channel: null,
    counterparty: { name: null, account: null },
    references: { externalId: id, batchId: null, endToEndId: null, bankReference: null },
    description,
    customerRef: null,
    raw: {},
  };
}

const rows = [
  tx('a', '2026-02-28', '0.10', 'EUR', 'late February'),
  tx('b', '2026-03-01', '0.20', 'EUR', 'first of March'),
  tx('c', '2026-03-02', '-1000', 'KRW', 'refund'),
  tx('d', '2026-03-31', '0.30', 'EUR', 'booked in April', '2026-04-01'),
  tx('e', '2026-03-15', '1234567.89', 'EUR', 'big one'),
];

describe('the Transactions period filter and its pinned totals', () => {
  it('keeps the days of the period, by booking date where there is one', () => {
    expect(inPeriod(rows, '2026-03-01', '2026-03-31', '').map((r) => r.id)).toEqual(['b', 'c', 'e']);
    expect(spanOf(rows)).toEqual({ from: '2026-02-28', to: '2026-04-01' });
  });

  it('searches the row texts', () => {
    expect(inPeriod(rows, '', '', 'REFUND').map((r) => r.id)).toEqual(['c']);
  });

  it('totals each currency exactly with core/money: 0.10 + 0.20 + 0.30 + 1234567.89 = 1234568.49; KRW apart', () => {
    const totals = totalsByCurrency(inPeriod(rows, '', '', ''), { label: (c) => c, currency: (r) => r.currency, amounts: { amount: (r) => r.amount } });
    expect(totals.map((t) => [t.currency, t.count, t.amounts.amount])).toEqual([
      ['EUR', 4, '1234568.49'],
      ['KRW', 1, '-1000'],
    ]);
  });
});
