import { adyenFeeParts } from '../activity.ts';
import type { DemoTransaction } from '../activity.ts';
import type { DemoPayout } from '../payouts.ts';
import type { CsvTable } from './table.ts';
import { csvLine, decimalOf } from './text.ts';

/**
 * Adyen's Settlement details report (one file per settlement batch), with its real column
 * layout; fees are interchange++ (Markup, Scheme Fees, Interchange), the batch closes with one
 * MerchantPayout row per currency whose Net Debit is what the bank receives.
 */
export const ADYEN_COLUMNS = [
  'Company Account',
  'Merchant Account',
  'Psp Reference',
  'Merchant Reference',
  'Payment Method',
  'Creation Date',
  'TimeZone',
  'Type',
  'Modification Reference',
  'Gross Currency',
  'Gross Debit (GC)',
  'Gross Credit (GC)',
  'Exchange Rate',
  'Net Currency',
  'Net Debit (NC)',
  'Net Credit (NC)',
  'Commission (NC)',
  'Markup (NC)',
  'Scheme Fees (NC)',
  'Interchange (NC)',
  'Payment Method Variant',
  'Modification Merchant Reference',
  'Batch Number',
  'Reserved4',
  'Reserved5',
  'Reserved6',
  'Reserved7',
  'Reserved8',
  'Reserved9',
  'Reserved10',
] as const;

export const ADYEN_COMPANY = 'SettleDeskPlatform';
export const ADYEN_MERCHANT = 'SettleDeskPlatformEU';
const METHODS = ['visa', 'mc', 'amex', 'maestro'] as const;
const TYPE = { sale: 'Settled', refund: 'Refunded', chargeback: 'Chargeback' } as const;

function method(t: DemoTransaction): string {
  return METHODS[t.customerId.charCodeAt(t.customerId.length - 1) % METHODS.length] ?? 'visa';
}

function transactionRow(t: DemoTransaction, batch: number): string {
  const c = t.currency;
  const blank = '';
  const gross = decimalOf(Math.abs(t.amountMinor), c);
  const net = decimalOf(Math.abs(t.amountMinor - t.feeMinor), c);
  const parts = t.kind === 'sale' ? adyenFeeParts(t.amountMinor, c) : { markup: t.feeMinor, scheme: 0, interchange: 0 };
  const fee = (minor: number) => (minor === 0 ? blank : decimalOf(minor, c));
  const credit = t.amountMinor > 0;
  return csvLine([
    ADYEN_COMPANY,
    ADYEN_MERCHANT,
    t.kind === 'sale' ? t.id : (t.originalId ?? t.id),
    `${t.partnerId}/${t.orderRef}`,
    method(t),
    `${t.day} ${t.time}`,
    'UTC',
    TYPE[t.kind],
    t.kind === 'sale' ? blank : t.id,
    c,
    credit ? blank : gross,
    credit ? gross : blank,
    '1',
    c,
    credit ? blank : net,
    credit ? net : blank,
    blank,
    fee(parts.markup),
    fee(parts.scheme),
    fee(parts.interchange),
    method(t),
    blank,
    String(batch),
    blank,
    blank,
    blank,
    blank,
    blank,
    blank,
    blank,
  ]);
}

function payoutRow(p: DemoPayout): string {
  const blank = '';
  const amount = decimalOf(p.amountMinor, p.currency);
  return csvLine([ADYEN_COMPANY, ADYEN_MERCHANT, blank, `Payout batch ${p.batchNumber ?? ''}`, blank, `${p.createdDay} ${p.createdTime}`, 'UTC', 'MerchantPayout', p.payoutId, p.currency, blank, blank, '1', p.currency, amount, blank, blank, blank, blank, blank, blank, blank, String(p.batchNumber ?? ''), blank, blank, blank, blank, blank, blank, blank]);
}

/** One settlement-details table per batch, in batch order. */
export function adyenTables(transactions: readonly DemoTransaction[], payouts: readonly DemoPayout[]): { batch: number; table: CsvTable }[] {
  const batches = new Map<number, DemoPayout[]>();
  for (const p of payouts) {
    if (p.psp !== 'adyen' || p.batchNumber === null) continue;
    batches.set(p.batchNumber, [...(batches.get(p.batchNumber) ?? []), p]);
  }
  const byPayout = new Map<string, DemoTransaction[]>();
  for (const t of transactions) {
    if (t.psp !== 'adyen' || t.payoutId === null) continue;
    const list = byPayout.get(t.payoutId);
    if (list === undefined) byPayout.set(t.payoutId, [t]);
    else list.push(t);
  }
  return [...batches.entries()].map(([batch, batchPayouts]) => {
    const members = batchPayouts.flatMap((p) => byPayout.get(p.payoutId) ?? []);
    members.sort((a, b) => (`${a.day} ${a.time} ${a.id}` < `${b.day} ${b.time} ${b.id}` ? -1 : 1));
    const rows = [...members.map((t) => ({ text: transactionRow(t, batch), ref: t.id })), ...batchPayouts.map((p) => ({ text: payoutRow(p), ref: p.payoutId }))];
    return { batch, table: { header: csvLine([...ADYEN_COLUMNS]), rows } };
  });
}
