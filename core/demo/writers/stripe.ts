import type { DemoTransaction } from '../activity.ts';
import { addDays } from '../calendar.ts';
import type { DemoPayout } from '../payouts.ts';
import type { CsvTable } from './table.ts';
import { csvLine, decimalOf } from './text.ts';

/**
 * Stripe's balance-transactions export (Dashboard, Balance > All activity > Export, default
 * columns), plus the charge metadata columns Stripe appends as "<key> (metadata)". Newest first,
 * as Stripe exports. Currency codes are lower case, as Stripe writes them.
 */
export const STRIPE_COLUMNS = [
  'id',
  'Type',
  'Source',
  'Amount',
  'Fee',
  'Net',
  'Currency',
  'Created (UTC)',
  'Available On (UTC)',
  'Description',
  'Customer Facing Amount',
  'Customer Facing Currency',
  'Transfer',
  'Transfer Date (UTC)',
  'Transfer Group',
  'partner_id (metadata)',
  'product_id (metadata)',
  'order_id (metadata)',
] as const;

const SOURCE_PREFIX = { sale: 'ch_', refund: 're_', chargeback: 'du_' } as const;
const TYPE = { sale: 'charge', refund: 'refund', chargeback: 'adjustment' } as const;

function describe(t: DemoTransaction): string {
  if (t.kind === 'sale') return `Payment for order ${t.orderRef}`;
  const charge = `ch_${(t.originalId ?? '').slice(4)}`;
  return t.kind === 'refund' ? `REFUND FOR CHARGE (${charge})` : `Chargeback withdrawal for ${charge}`;
}

interface Sortable {
  readonly key: string;
  readonly text: string;
  readonly ref: string;
}

export function stripeTable(transactions: readonly DemoTransaction[], payouts: readonly DemoPayout[]): CsvTable {
  const stripePayouts = payouts.filter((p) => p.psp === 'stripe');
  const payoutDay = new Map(stripePayouts.map((p) => [p.payoutId, `${p.createdDay} ${p.createdTime}`]));
  const rows: Sortable[] = [];
  for (const t of transactions) {
    if (t.psp !== 'stripe') continue;
    const currency = t.currency.toLowerCase();
    rows.push({
      key: `${t.day} ${t.time} ${t.id}`,
      ref: t.id,
      text: csvLine([
        t.id,
        TYPE[t.kind],
        `${SOURCE_PREFIX[t.kind]}${t.id.slice(4)}`,
        decimalOf(t.amountMinor, t.currency),
        decimalOf(t.feeMinor, t.currency),
        decimalOf(t.amountMinor - t.feeMinor, t.currency),
        currency,
        `${t.day} ${t.time}`,
        `${addDays(t.day, 2)} 00:00:00`,
        describe(t),
        decimalOf(t.amountMinor, t.currency),
        currency,
        t.payoutId ?? '',
        t.payoutId === null ? '' : (payoutDay.get(t.payoutId) ?? ''),
        '',
        t.partnerId,
        t.productId,
        t.orderRef,
      ]),
    });
  }
  for (const p of stripePayouts) {
    const amount = decimalOf(-p.amountMinor, p.currency);
    const created = `${p.createdDay} ${p.createdTime}`;
    rows.push({
      key: `${created} ${p.payoutId}`,
      ref: p.payoutId,
      text: csvLine([`txn_${p.payoutId.slice(3)}`, 'payout', p.payoutId, amount, decimalOf(0, p.currency), amount, p.currency.toLowerCase(), created, created, 'STRIPE PAYOUT', '', '', p.payoutId, created, '', '', '', '']),
    });
  }
  rows.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  return { header: csvLine([...STRIPE_COLUMNS]), rows };
}
