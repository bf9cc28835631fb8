import { calendarDateOf } from '../settlement/dates.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import type { DailyActivity } from './types.ts';

/**
 * Daily activity per partner and product from canonical transactions: sales count, and
 * refunds and chargebacks counted apart (a chargeback burst is its own anomaly). Rows without a partner or product (bank lines, payouts, fees)
 * carry no product volume and are left out.
 */
export function dailyActivityFromTransactions(transactions: Iterable<CanonicalTransaction>): DailyActivity[] {
  const tallies = new Map<string, { partnerId: string; productId: string; day: string; sales: number; refunds: number; chargebacks: number }>();
  for (const t of transactions) {
    if (t.partnerId === null || t.productId === null) continue;
    if (t.kind !== 'sale' && t.kind !== 'refund' && t.kind !== 'chargeback') continue;
    const day = calendarDateOf(t.occurredAt);
    const key = `${t.partnerId}\u001f${t.productId}\u001f${day}`;
    let tally = tallies.get(key);
    if (tally === undefined) {
      tally = { partnerId: t.partnerId, productId: t.productId, day, sales: 0, refunds: 0, chargebacks: 0 };
      tallies.set(key, tally);
    }
    if (t.kind === 'sale') tally.sales++;
    else if (t.kind === 'refund') tally.refunds++;
    else tally.chargebacks++;
  }
  return [...tallies.values()].sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.partnerId !== b.partnerId ? (a.partnerId < b.partnerId ? -1 : 1) : a.productId < b.productId ? -1 : 1));
}
