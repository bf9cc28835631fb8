import { describe, expect, it } from 'vitest';
import { makeTx } from '../../core/reconcile/test-support.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { groupRowsOf, reconciledMonthOf, unmatchedRows } from './review.ts';

const row = (id: string, amount: string, format: string): CanonicalTransaction => {
  const tx = makeTx({ id, amount, currency: 'EUR', date: '2026-03-04', kind: 'transfer', bankReference: `REF-${id}` });
  return { ...tx, source: { ...tx.source, format } };
};

describe('a grouped exception\'s rows as the month has them now', () => {
  // Three bank credits of one day nothing explains (one PSP fee line far off in amount matches none of them).
  const month = reconciledMonthOf([row('b1', '2.00', 'camt.053'), row('b2', '2.00', 'camt.053'), row('b3', '-0.50', 'camt.053'), row('p1', '-900.00', 'stripe')]);
  const query = { side: 'bank' as const, account: '', currency: 'EUR', date: '2026-03-04', startRow: 0, endRow: 100 };

  it('says how many are open with their exact net and gross', () => {
    // 2.00 + 2.00 - 0.50 = 3.50 net; 2.00 + 2.00 + 0.50 = 4.50 gross.
    const now = unmatchedRows(month, query, new Set());
    expect([now.count, now.net, now.gross, now.rows.map((tx) => tx.id)]).toEqual([3, '3.50', '4.50', ['b1', 'b2', 'b3']]);
  });

  it('leaves out what was matched by hand since, in the sums too', () => {
    // b1 matched: 2.00 - 0.50 = 1.50 net, 2.00 + 0.50 = 2.50 gross, 2 rows.
    const now = unmatchedRows(month, { ...query, startRow: 1, endRow: 2 }, new Set(['b1']));
    expect([now.count, now.net, now.gross, now.rows.map((tx) => tx.id)]).toEqual([2, '1.50', '2.50', ['b3']]);
  });
});

describe('the matched groups the screen pages', () => {
  it('carry what finds them in the PSP\'s and the bank\'s records, built once per month', () => {
    // A Stripe payout and its bank credit of the same amount a day later: one group.
    const payout = { ...makeTx({ id: 'p9', amount: '-40.90', currency: 'USD', date: '2026-03-15T03:00:00Z', kind: 'payout', externalId: 'po_9' }), source: { sourceId: 's', format: 'stripe', fileName: 'stripe.csv', line: 5 } };
    const credit = { ...makeTx({ id: 'b9', amount: '40.90', currency: 'USD', date: '2026-03-16', kind: 'transfer', endToEndId: 'po_9', bankReference: 'BR77' }), source: { sourceId: 'b', format: 'camt.053', fileName: 'usd.xml', line: 40 } };
    const month = reconciledMonthOf([payout, credit]);
    const rows = groupRowsOf(month);
    expect(rows.map((group) => group.foundAs)).toEqual(['stripe 2026-03-15 po_9 ↔ camt.053 2026-03-16 BR77']);
    expect(groupRowsOf(month)).toBe(rows);
  });
});
