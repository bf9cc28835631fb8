import { describe, expect, it } from 'vitest';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { unmatchedTotals } from './analyze.ts';
import { reconciledMonthOf } from './review.ts';

function bankRow(id: string, amount: string, currency: string): CanonicalTransaction {
  return {
    id,
    source: { sourceId: 's', format: 'camt.053', fileName: 'bank.xml', line: 2 },
    kind: 'payout',
    occurredAt: '2026-03-02T10:00:00+01:00',
    bookingDate: null,
    valueDate: null,
    amount,
    currency,
    account: 'DE00',
    partnerId: null,
    productId: null,
    channel: null,
    counterparty: { name: null, account: null },
    references: { externalId: null, batchId: null, endToEndId: null, bankReference: id },
    description: null,
    customerRef: null,
    raw: {},
  };
}

// Bank lines only: nothing on the PSP side explains them, so all four stay unmatched.
const MONTH = reconciledMonthOf([bankRow('b1', '100.00', 'EUR'), bankRow('b2', '20.50', 'EUR'), bankRow('b3', '0.05', 'EUR'), bankRow('b4', '-7.25', 'USD')]);

describe('the dashboard\'s unmatched totals', () => {
  it('sums every unmatched row exactly per currency when nothing was matched by hand', () => {
    // 100.00 + 20.50 + 0.05 = 120.55 EUR (3 rows); -7.25 USD (1 row).
    expect(unmatchedTotals(MONTH, new Set())).toEqual({
      unmatchedBank: [
        { currency: 'EUR', amount: '120.55', count: 3 },
        { currency: 'USD', amount: '-7.25', count: 1 },
      ],
      unmatchedPsp: [],
    });
  });

  it('leaves out the rows matched by hand, and a currency with none left', () => {
    // b1 (100.00 EUR) and b4 (the only USD row) matched by hand: 20.50 + 0.05 = 20.55 EUR (2 rows), no USD.
    expect(unmatchedTotals(MONTH, new Set(['b1', 'b4', 'not-in-the-month']))).toEqual({
      unmatchedBank: [{ currency: 'EUR', amount: '20.55', count: 2 }],
      unmatchedPsp: [],
    });
  });
});
