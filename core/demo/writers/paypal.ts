import type { DemoTransaction } from '../activity.ts';
import type { DemoPayout } from '../payouts.ts';
import type { CsvTable } from './table.ts';
import { csvLine, decimalOf, grouped, usDate } from './text.ts';

/**
 * PayPal's Activity download ("All transactions" CSV) with its real column layout: every field
 * quoted, US dates (MM/DD/YYYY), amounts with comma grouping, fees negative, a running Balance
 * per currency, and Balance Impact. The partner travels in Custom Number, the product in Item ID.
 */
export const PAYPAL_COLUMNS = [
  'Date',
  'Time',
  'TimeZone',
  'Name',
  'Type',
  'Status',
  'Currency',
  'Gross',
  'Fee',
  'Net',
  'From Email Address',
  'To Email Address',
  'Transaction ID',
  'Shipping Address',
  'Address Status',
  'Item Title',
  'Item ID',
  'Shipping and Handling Amount',
  'Insurance Amount',
  'Sales Tax',
  'Option 1 Name',
  'Option 1 Value',
  'Option 2 Name',
  'Option 2 Value',
  'Reference Txn ID',
  'Invoice Number',
  'Custom Number',
  'Quantity',
  'Receipt ID',
  'Balance',
  'Address Line 1',
  'Address Line 2/District/Neighborhood',
  'Town/City',
  'State/Province/Region/County/Territory/Prefecture/Republic',
  'Zip/Postal Code',
  'Country',
  'Contact Phone Number',
  'Subject',
  'Note',
  'Country Code',
  'Balance Impact',
] as const;

export const PAYPAL_ACCOUNT_EMAIL = 'payments@settledesk-platform.example';
const TYPE = { sale: 'Express Checkout Payment', refund: 'Payment Refund', chargeback: 'Chargeback' } as const;

interface Movement {
  readonly key: string;
  readonly ref: string;
  readonly currency: string;
  readonly netMinor: number;
  readonly fields: (balance: string) => string[];
}

function money(minor: number, currency: string): string {
  return grouped(decimalOf(minor, currency));
}

function transactionMovement(t: DemoTransaction, productNames: ReadonlyMap<string, string>): Movement {
  const c = t.currency;
  const email = `${t.customerId.replace('cus_', 'buyer')}@mail.example`;
  const incoming = t.amountMinor > 0;
  return {
    key: `${t.day} ${t.time} ${t.id}`,
    ref: t.id,
    currency: c,
    netMinor: t.amountMinor - t.feeMinor,
    fields: (balance) => {
      const fields = Array<string>(PAYPAL_COLUMNS.length).fill('');
      Object.assign(fields, [usDate(t.day), t.time, 'UTC', `Customer ${t.customerId.slice(4)}`, TYPE[t.kind], 'Completed', c, money(t.amountMinor, c), money(-t.feeMinor, c), money(t.amountMinor - t.feeMinor, c), incoming ? email : PAYPAL_ACCOUNT_EMAIL, incoming ? PAYPAL_ACCOUNT_EMAIL : email, t.id]);
      fields[15] = productNames.get(t.productId) ?? '';
      fields[16] = t.productId;
      fields[24] = t.originalId ?? '';
      fields[25] = t.orderRef;
      fields[26] = t.partnerId;
      fields[27] = '1';
      fields[29] = balance;
      fields[40] = incoming ? 'Credit' : 'Debit';
      return fields;
    },
  };
}

function withdrawalMovement(p: DemoPayout): Movement {
  const c = p.currency;
  return {
    key: `${p.createdDay} ${p.createdTime} ${p.payoutId}`,
    ref: p.payoutId,
    currency: c,
    netMinor: -p.amountMinor,
    fields: (balance) => {
      const fields = Array<string>(PAYPAL_COLUMNS.length).fill('');
      Object.assign(fields, [usDate(p.createdDay), p.createdTime, 'UTC', 'Bank Account', 'General Withdrawal', 'Completed', c, money(-p.amountMinor, c), money(0, c), money(-p.amountMinor, c), PAYPAL_ACCOUNT_EMAIL, '', p.payoutId]);
      fields[29] = balance;
      fields[40] = 'Debit';
      return fields;
    },
  };
}

/** Oldest first, as PayPal's activity download lists them, with the balance after each row. */
export function paypalTable(transactions: readonly DemoTransaction[], payouts: readonly DemoPayout[], productNames: ReadonlyMap<string, string>): CsvTable {
  const movements = [...transactions.filter((t) => t.psp === 'paypal').map((t) => transactionMovement(t, productNames)), ...payouts.filter((p) => p.psp === 'paypal').map(withdrawalMovement)];
  movements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const balances = new Map<string, number>();
  const rows = movements.map((m) => {
    const balance = (balances.get(m.currency) ?? 0) + m.netMinor;
    balances.set(m.currency, balance);
    return { text: csvLine(m.fields(money(balance, m.currency)), true), ref: m.ref };
  });
  return { header: csvLine([...PAYPAL_COLUMNS], true), rows };
}
