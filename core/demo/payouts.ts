import { assert } from '../assert.ts';
import type { DemoTransaction } from './activity.ts';
import { IdMaker } from './activity.ts';
import { addDays, daysOfMonth, isBusinessDay, nextBusinessDay, weekdayOf } from './calendar.ts';
import type { DemoCurrency, Psp } from './model.ts';
import type { Prng } from './prng.ts';

/**
 * PSP payouts: Stripe pays out each business day what became available (created + 2 days),
 * Adyen closes a batch every Sunday and pays it on Monday, PayPal withdraws the whole balance
 * every Friday at 18:00. Each payout is the exact sum of its movements' net (amount - fee) and
 * lands on the bank account on the next business day. Only payouts that land within the month
 * are made, so the month's bank statements hold every one of them.
 */
export interface DemoPayout {
  readonly payoutId: string;
  readonly psp: Psp;
  readonly currency: DemoCurrency;
  readonly createdDay: string;
  readonly createdTime: string;
  /** Positive: money leaving the PSP balance for the bank. */
  readonly amountMinor: number;
  readonly bankDay: string;
  readonly transactionCount: number;
  /** Adyen's settlement batch number, else null. */
  readonly batchNumber: number | null;
  /** False for the batch that closes after month end: it is paid, and lands on the bank, next month. */
  readonly inStatementPeriod: boolean;
}

const STRIPE_AVAILABLE_DAYS = 2;
const PAYPAL_WITHDRAWAL_TIME = '18:00:00';
export const ADYEN_FIRST_BATCH = 412;

function netMinor(transaction: DemoTransaction): number {
  return transaction.amountMinor - transaction.feeMinor;
}

function payOut(members: readonly DemoTransaction[], payout: Omit<DemoPayout, 'amountMinor' | 'transactionCount' | 'inStatementPeriod'>, monthEnd: string, out: DemoPayout[]): void {
  const amountMinor = members.reduce((acc, t) => acc + netMinor(t), 0);
  assert(Number.isSafeInteger(amountMinor), 'payout sums stay safe integers', { amountMinor });
  if (amountMinor <= 0 || members.length === 0) return;
  for (const member of members) member.payoutId = payout.payoutId;
  out.push({ ...payout, amountMinor, transactionCount: members.length, inStatementPeriod: payout.bankDay <= monthEnd });
}

function byCurrency(transactions: readonly DemoTransaction[]): Map<DemoCurrency, DemoTransaction[]> {
  const groups = new Map<DemoCurrency, DemoTransaction[]>();
  for (const t of transactions) {
    const group = groups.get(t.currency);
    if (group === undefined) groups.set(t.currency, [t]);
    else group.push(t);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function planPayouts(prng: Prng, transactions: readonly DemoTransaction[], month: string): DemoPayout[] {
  const days = daysOfMonth(month);
  const monthEnd = days[days.length - 1] ?? '';
  const ids = new IdMaker(prng.fork('payout-ids'));
  const payouts: DemoPayout[] = [];
  const unpaid = (psp: Psp, lastDay: string, lastTime = '99') => transactions.filter((t) => t.psp === psp && t.payoutId === null && (t.day < lastDay || (t.day === lastDay && t.time < lastTime)));

  for (const day of days.filter((d) => isBusinessDay(d) && nextBusinessDay(d) <= monthEnd)) {
    const available = unpaid('stripe', addDays(day, -STRIPE_AVAILABLE_DAYS));
    for (const [currency, members] of byCurrency(available)) {
      payOut(members, { payoutId: ids.make('payout-stripe'), psp: 'stripe', currency, createdDay: day, createdTime: '03:00:00', bankDay: nextBusinessDay(day), batchNumber: null }, monthEnd, payouts);
    }
  }
  let batch = ADYEN_FIRST_BATCH;
  let closing = days.find((d) => weekdayOf(d) === 0) ?? monthEnd;
  // Every Adyen movement belongs to a batch; the last one closes after month end and is paid then.
  for (let week = 0; week < 6 && closing <= addDays(monthEnd, 6); week++, closing = addDays(closing, 7)) {
    const payDay = addDays(closing, 1);
    const sunday = closing;
    const members = unpaid('adyen', sunday);
    for (const [currency, group] of byCurrency(members)) {
      payOut(group, { payoutId: `${batch}-${currency}`, psp: 'adyen', currency, createdDay: payDay, createdTime: '02:00:00', bankDay: nextBusinessDay(payDay), batchNumber: batch }, monthEnd, payouts);
    }
    batch++;
  }
  for (const friday of days.filter((d) => weekdayOf(d) === 5 && nextBusinessDay(d) <= monthEnd)) {
    for (const [currency, members] of byCurrency(unpaid('paypal', friday, PAYPAL_WITHDRAWAL_TIME))) {
      payOut(members, { payoutId: ids.make('paypal'), psp: 'paypal', currency, createdDay: friday, createdTime: PAYPAL_WITHDRAWAL_TIME, bankDay: nextBusinessDay(friday), batchNumber: null }, monthEnd, payouts);
    }
  }
  assert(payouts.every((p) => p.bankDay <= monthEnd || p.psp === 'adyen'), 'only the open Adyen batch lands after month end');
  return payouts.sort((a, b) => (a.createdDay !== b.createdDay ? (a.createdDay < b.createdDay ? -1 : 1) : a.payoutId < b.payoutId ? -1 : 1));
}
