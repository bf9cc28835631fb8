import { assert } from '../assert.ts';
import { Decimal } from '../money/decimal.ts';
import { roundTo } from '../money/rounding.ts';
import { toMinorUnits } from '../money/minor.ts';
import { daysOfMonth, isBusinessDay } from './calendar.ts';
import type { DemoBankAccount, DemoCurrency, DemoPlatform } from './model.ts';
import type { DemoPayout } from './payouts.ts';
import type { Prng } from './prng.ts';
import { decimalOf } from './writers/text.ts';

/**
 * The platform's bank accounts for the month: every PSP payout arrives as a credit on its
 * currency's account on its bank day, except the injected missing credit and the injected
 * amount mismatches; partner settlement payments for the previous month and an account fee are
 * the debits. One statement per business day, balances chained.
 */
export interface BankEntry {
  readonly day: string;
  /** Signed minor units: credits positive. */
  readonly amountMinor: number;
  readonly bankReference: string;
  readonly endToEndId: string;
  readonly counterparty: string;
  readonly remittance: string;
  readonly payoutId: string | null;
}

export interface BankStatementDay {
  readonly day: string;
  readonly sequence: number;
  readonly openingMinor: number;
  readonly closingMinor: number;
  readonly entries: readonly BankEntry[];
}

export interface BankAccountMonth {
  readonly account: DemoBankAccount;
  readonly statements: readonly BankStatementDay[];
}

export interface InjectedAmountMismatch {
  readonly psp: string;
  readonly payoutId: string;
  readonly currency: string;
  readonly payoutAmount: string;
  readonly bankAmount: string;
  readonly difference: string;
  readonly bankDay: string;
  readonly reason: string;
}

export interface InjectedMissingCredit {
  readonly psp: string;
  readonly payoutId: string;
  readonly currency: string;
  readonly amount: string;
  readonly expectedBankDay: string;
}

const PSP_NAMES = { stripe: 'Stripe Payments Europe Ltd', adyen: 'Adyen N.V.', paypal: 'PayPal (Europe) S.a r.l. et Cie, S.C.A.' } as const;
/** Incoming-payment charges a correspondent bank may deduct, in minor units. */
const INCOMING_CHARGE_MINOR: Readonly<Record<DemoCurrency, number>> = { EUR: 250, USD: 1500, GBP: 150, JPY: 1500, KRW: 5000 };
const OPENING_MINOR: Readonly<Record<DemoCurrency, number>> = { EUR: 25_000_000, USD: 30_000_000, GBP: 8_000_000, JPY: 25_000_000, KRW: 150_000_000 };
const ACCOUNT_FEE_MINOR: Readonly<Record<DemoCurrency, number>> = { EUR: 4500, USD: 5000, GBP: 3500, JPY: 5000, KRW: 50000 };
const SETTLEMENT_PAY_DAY_OF_MONTH = 16;

const decimal = decimalOf;

function payoutRemittance(p: DemoPayout): string {
  if (p.psp === 'stripe') return `STRIPE PAYOUT ${p.payoutId}`;
  if (p.psp === 'adyen') return `ADYEN BATCH ${p.batchNumber ?? ''} ${p.payoutId}`;
  return `PAYPAL WITHDRAWAL ${p.payoutId}`;
}

/** A partner's monthly payment for last month: about 28 days of units x middle price x share, in minor units. */
function settlementMinor(platform: DemoPlatform, partnerIndex: number, currency: DemoCurrency): number {
  const partner = platform.partners[partnerIndex];
  assert(partner !== undefined, 'partner index in range');
  let revenue = new Decimal(0);
  for (const product of partner.products) {
    const prices = product.pricesMinor[currency];
    const units = Math.round(product.dailyMean * 28);
    revenue = revenue.plus(new Decimal(units).times(prices[Math.floor(prices.length / 2)] ?? 0));
  }
  return toMinorUnits(roundTo(revenue.times(partner.sharePercent).dividedBy(100), 0, 'half-even').toFixed(0), 0) as number;
}

export interface BankPlan {
  readonly accounts: readonly BankAccountMonth[];
  readonly mismatches: readonly InjectedAmountMismatch[];
  readonly missingCredits: readonly InjectedMissingCredit[];
}

export function buildBankMonth(prng: Prng, platform: DemoPlatform, payouts: readonly DemoPayout[], month: string, counts: { mismatches: number; missingCredits: number }): BankPlan {
  const days = daysOfMonth(month);
  const inPeriod = payouts.filter((p) => p.inStatementPeriod);
  assert(inPeriod.length >= counts.mismatches + counts.missingCredits, 'enough payouts to inject into', { payouts: inPeriod.length });
  const picked = new Set<number>();
  const pick = (): DemoPayout => {
    let index = prng.int(0, inPeriod.length - 1);
    while (picked.has(index)) index = (index + 1) % inPeriod.length;
    picked.add(index);
    return inPeriod[index] as DemoPayout;
  };
  const missingCredits: InjectedMissingCredit[] = [];
  const mismatchBy = new Map<string, { minor: number; reason: string }>();
  const mismatches: InjectedAmountMismatch[] = [];
  for (let index = 0; index < counts.missingCredits; index++) {
    const p = pick();
    missingCredits.push({ psp: p.psp, payoutId: p.payoutId, currency: p.currency, amount: decimal(p.amountMinor, p.currency), expectedBankDay: p.bankDay });
  }
  for (let index = 0; index < counts.mismatches; index++) {
    const p = pick();
    const charge = index % 2 === 0 ? Math.min(INCOMING_CHARGE_MINOR[p.currency], p.amountMinor - 1) : 1;
    const reason = index % 2 === 0 ? 'incoming payment charge deducted by the bank' : 'one minor unit short';
    mismatchBy.set(p.payoutId, { minor: p.amountMinor - charge, reason });
    mismatches.push({ psp: p.psp, payoutId: p.payoutId, currency: p.currency, payoutAmount: decimal(p.amountMinor, p.currency), bankAmount: decimal(p.amountMinor - charge, p.currency), difference: decimal(-charge, p.currency), bankDay: p.bankDay, reason });
  }
  const missing = new Set(missingCredits.map((m) => m.payoutId));
  const accounts = platform.accounts.map((account) => {
    const entries: BankEntry[] = [];
    let seq = 0;
    const ref = () => `${account.currency}${month.replace('-', '')}${String(++seq).padStart(6, '0')}`;
    for (const p of inPeriod) {
      if (p.currency !== account.currency || missing.has(p.payoutId)) continue;
      entries.push({ day: p.bankDay, amountMinor: mismatchBy.get(p.payoutId)?.minor ?? p.amountMinor, bankReference: ref(), endToEndId: p.payoutId, counterparty: PSP_NAMES[p.psp], remittance: payoutRemittance(p), payoutId: p.payoutId });
    }
    const payDay = days.find((d) => d >= `${month}-${SETTLEMENT_PAY_DAY_OF_MONTH}` && isBusinessDay(d)) ?? days[days.length - 1] ?? '';
    const previousMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
    platform.partners.forEach((partner, index) => {
      if (partner.settlementCurrency !== account.currency) return;
      entries.push({ day: payDay, amountMinor: -Math.max(1, settlementMinor(platform, index, account.currency)), bankReference: ref(), endToEndId: `SETTLE-${previousMonth}-${partner.partnerId}`, counterparty: partner.name, remittance: `Revenue share ${previousMonth} ${partner.partnerId}`, payoutId: null });
    });
    const lastBusinessDay = [...days].reverse().find(isBusinessDay) ?? '';
    entries.push({ day: lastBusinessDay, amountMinor: -ACCOUNT_FEE_MINOR[account.currency], bankReference: ref(), endToEndId: 'NOTPROVIDED', counterparty: account.bankName, remittance: 'Account maintenance fee', payoutId: null });
    let balance = OPENING_MINOR[account.currency];
    const statements: BankStatementDay[] = days.filter(isBusinessDay).map((day, index) => {
      const dayEntries = entries.filter((e) => e.day === day);
      const openingMinor = balance;
      balance += dayEntries.reduce((acc, e) => acc + e.amountMinor, 0);
      return { day, sequence: index + 1, openingMinor, closingMinor: balance, entries: dayEntries };
    });
    assert(statements.reduce((n, s) => n + s.entries.length, 0) === entries.length, 'every bank entry is on a business-day statement');
    return { account, statements };
  });
  return { accounts, mismatches, missingCredits };
}
