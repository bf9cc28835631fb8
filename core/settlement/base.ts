import { assert } from '../assert.ts';
import type { Decimal } from '../money/decimal.ts';
import { roundTo, type RoundingMode } from '../money/rounding.ts';
import type { CanonicalTransaction, TransactionKind } from '../transactions/schema.ts';
import { KINDS, type AgreementVersion } from './agreement.ts';
import { calendarDateOf, monthOf } from './dates.ts';
import { SettlementError } from './errors.ts';
import { lookupRate, type RateQuote, type RateTable } from './fx.ts';

/**
 * The revenue base: which transactions of a period belong to a partner, how each kind counts
 * (weight x natural sign), at which FX rate key a row converts, and the aggregate shapes both
 * aggregation paths produce: aggregate.ts (the hot path, integer minor units) and reference.ts
 * (per row, decimal.js). Tests and the bench prove both give the same statements.
 */

/** The direction a kind's amount naturally has; a base weight applies to the magnitude in this direction. */
export const NATURAL_SIGN: Readonly<Record<TransactionKind, 1 | -1>> = {
  sale: 1,
  refund: -1,
  chargeback: -1,
  fee: -1,
  payout: -1,
  promotion: -1,
  adjustment: 1,
  tax: -1,
  transfer: 1,
};

export const KIND_COUNT = KINDS.length;
export const KIND_INDEX: ReadonlyMap<string, number> = new Map(KINDS.map((kind, index) => [kind, index]));

export interface Period {
  readonly start: string;
  readonly end: string;
}

/** What decides, per partner, which rows belong to the period and at which rate key they convert. */
export interface BasePlan {
  readonly partnerId: string;
  readonly agreement: AgreementVersion;
  readonly period: Period;
  readonly paymentDate: string | null;
}

export interface KindTotal {
  readonly kind: TransactionKind;
  readonly weight: 1 | 0 | -1;
  readonly count: number;
  /** Signed sum as recorded, in the line's currency. */
  readonly sourceAmount: string;
}

export interface FxUse {
  readonly quote: RateQuote;
  /** Weighted base contribution in the line's currency converted at this quote (x rate = its part of the line's base). */
  readonly sourceBase: string;
}

export interface LineAggregate {
  readonly productId: string | null;
  readonly currency: string;
  readonly transactionCount: number;
  /** Rows that occurred before the period but were booked into it. */
  readonly lateCount: number;
  readonly kinds: readonly KindTotal[];
  readonly fx: readonly FxUse[];
  /** Σ weight x natural sign x amount x rate, exact, settlement currency. */
  readonly base: string;
  /** The same over kinds weighted +1 only: the gross a platform fee "on gross" uses; null when no fee is on gross. */
  readonly gross: string | null;
  /**
   * Only under rounding scope "transaction": Σ of each transaction's converted amount rounded, and
   * Σ of each transaction's share of that rounded amount, rounded (settlement currency digits).
   */
  readonly perTransaction?: { readonly base: string; readonly share: string };
}

/** One transaction under rounding scope "transaction": its converted amount rounded, then its share of that, rounded. */
export function transactionRounded(contribution: Decimal, rate: string, shareRate: string, digits: number, mode: RoundingMode): { base: Decimal; share: Decimal } {
  const base = roundTo(contribution.times(rate), digits, mode);
  return { base, share: roundTo(base.times(shareRate).dividedBy(100), digits, mode) };
}

export interface PartnerAggregate {
  readonly partnerId: string;
  readonly transactionCount: number;
  readonly lines: readonly LineAggregate[];
}

export type DateField = 'event' | 'booking' | 'value';

/** The dates periodDateOf reads: the server's partner line query has a batch's columns, not whole transactions. */
export type DatedRow = Pick<CanonicalTransaction, 'occurredAt' | 'bookingDate' | 'valueDate'>;

/** One of a transaction's dates; a source that did not give a booking or value date falls back to the event's. */
export function dateOfField(tx: DatedRow, field: DateField): string {
  if (field === 'booking' && tx.bookingDate !== null) return tx.bookingDate;
  if (field === 'value' && tx.valueDate !== null) return tx.valueDate;
  return calendarDateOf(tx.occurredAt);
}

/** The date that places a row in a period: the agreement's periodDate under "open-period" (booking by default), occurrence under "restate". */
export function periodDateOf(tx: DatedRow, lateTransactions: 'open-period' | 'restate', field: DateField = 'booking'): string {
  return lateTransactions === 'open-period' ? dateOfField(tx, field) : calendarDateOf(tx.occurredAt);
}

/** Sales by end-to-end id, for chargebacks converted at their original sale's rate. Built only when asked. */
export function saleDatesByEndToEndId(transactions: readonly CanonicalTransaction[]): Map<string, string> {
  const dates = new Map<string, string>();
  for (const tx of transactions) recordSaleDate(dates, tx);
  return dates;
}

/** Adds a sale's date to the earliest date per end-to-end id (other transactions are skipped). */
export function recordSaleDate(dates: Map<string, string>, tx: CanonicalTransaction): void {
  const id = tx.references.endToEndId;
  if (tx.kind !== 'sale' || id === null) return;
  const date = calendarDateOf(tx.occurredAt);
  const known = dates.get(id);
  if (known === undefined || date < known) dates.set(id, date);
}

/** The FX rate key of a row: a date, or a month under monthly averages. */
export function rateKeyOf(tx: CanonicalTransaction, plan: BasePlan, saleDates: () => Map<string, string>, occurred: string = calendarDateOf(tx.occurredAt)): string {
  const fx = plan.agreement.terms.fx;
  if (fx.rateDate === 'period-end') return plan.period.end;
  if (fx.rateDate === 'payment-date') {
    if (plan.paymentDate === null) throw paymentDateMissing(plan);
    return plan.paymentDate;
  }
  let date = occurred;
  if (tx.kind === 'chargeback' && fx.chargebackRate === 'original-sale') {
    const id = tx.references.endToEndId;
    const saleDate = id === null ? undefined : saleDates().get(id);
    if (saleDate === undefined) throw new SettlementError('fx_original_sale_missing', `chargeback ${tx.id}: no sale with end-to-end id ${JSON.stringify(id)} to take the rate from`, { transactionId: tx.id });
    date = saleDate;
  }
  return fx.rateDate === 'monthly-average' ? monthOf(date) : date;
}

/** The rate key of a line whose currency is the settlement currency: no conversion, no split by date. */
export const IDENTITY_RATE_KEY = 'identity';

export type QuoteFn = (plan: BasePlan, from: string, rateKey: string) => RateQuote;

/** Memoizes rate lookups for one run: one lookup per policy, pair and key. `forLine` fixes the policy and pair once per line. */
export interface RateCache {
  readonly quote: QuoteFn;
  forLine(plan: BasePlan, from: string): (rateKey: string) => RateQuote;
}

export function rateCache(rates: RateTable): RateCache {
  const byPolicy = new Map<string, Map<string, RateQuote>>();
  const forLine = (plan: BasePlan, from: string): ((rateKey: string) => RateQuote) => {
    const fx = plan.agreement.terms.fx;
    const to = plan.agreement.settlementCurrency;
    const policyKey = `${from}|${to}|${fx.rateDate}|${fx.lookup}|${fx.lookbackDaysMax}|${fx.route}|${fx.reverseRates}`;
    let cache = byPolicy.get(policyKey);
    if (cache === undefined) {
      cache = new Map();
      byPolicy.set(policyKey, cache);
    }
    const known = cache;
    return (rateKey) => {
      let quote = known.get(rateKey);
      if (quote === undefined) {
        quote = lookupRate(rates, from, to, rateKey === IDENTITY_RATE_KEY ? plan.period.end : rateKey, fx);
        known.set(rateKey, quote);
      }
      return quote;
    };
  };
  return { forLine, quote: (plan, from, rateKey) => forLine(plan, from)(rateKey) };
}

/** The weight x natural sign of each kind, by kind index: +1, -1 or 0. */
export function kindFactors(agreement: AgreementVersion): number[] {
  return KINDS.map((kind) => agreement.terms.revenueBase[kind] * NATURAL_SIGN[kind]);
}

/** Orders lines by product (no product first) then currency, so statements never depend on input order. */
export function compareLines(a: { productId: string | null; currency: string }, b: { productId: string | null; currency: string }): number {
  const pa = a.productId ?? '';
  const pb = b.productId ?? '';
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (a.productId === null && b.productId !== null) return -1;
  if (a.productId !== null && b.productId === null) return 1;
  return a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0;
}

export type AggregateOutcome = { readonly ok: true; readonly aggregate: PartnerAggregate } | { readonly ok: false; readonly error: SettlementError };

export function paymentDateMissing(plan: BasePlan): SettlementError {
  return new SettlementError('fx_payment_date_missing', `partner ${plan.partnerId}: FX at payment date needs the run's paymentDate`);
}

/** One transaction that has no rate: what the missing-rate exception lists. */
export interface MissingRate {
  readonly transactionId: string;
  /** The transaction's own date (its occurrence). */
  readonly date: string;
  /** "FROM/TO": the transaction's currency into the settlement currency. */
  readonly pair: string;
  /** The date (or month) the rate was asked for. */
  readonly rateKey: string;
}

/** A month with a million rows all lacking one rate lists this many; `count` still gives them all. */
export const MISSING_RATES_LISTED_MAX = 10_000;

/**
 * Collects every transaction of a partner that lacks a rate, so the exception names them all (not
 * only the first): id, date, pair and the date asked for, and each (pair, date) once with why.
 */
export class MissingRates {
  private readonly rows: MissingRate[] = [];
  private readonly reasons = new Map<string, string>();
  private total = 0;

  get count(): number {
    return this.total;
  }

  /** `error` is the lookup's own, given the first time a (pair, rate key) is found missing. */
  add(tx: CanonicalTransaction, date: string, pair: string, rateKey: string, error?: SettlementError): void {
    this.total++;
    if (this.rows.length < MISSING_RATES_LISTED_MAX) this.rows.push({ transactionId: tx.id, date, pair, rateKey });
    if (error === undefined) return;
    assert(error.code === 'fx_rate_missing', 'only a missing rate is listed', { code: error.code });
    const key = `${pair} ${rateKey}`;
    if (!this.reasons.has(key)) this.reasons.set(key, error.message);
  }

  /** One exception for the partner; the list is sorted (date, id) so both engines and any input order give the same one. */
  error(partnerId: string): SettlementError {
    assert(this.total > 0, 'an error only for missing rates');
    const rows = [...this.rows].sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.transactionId < b.transactionId ? -1 : a.transactionId > b.transactionId ? 1 : 0));
    const byKey = [...this.reasons.keys()].sort();
    const shown = byKey.slice(0, 5).map((key) => `${key} (${rows.filter((row) => `${row.pair} ${row.rateKey}` === key).length} transactions)`);
    const more = byKey.length > shown.length ? `, and ${byKey.length - shown.length} more pairs and dates` : '';
    return new SettlementError('fx_rate_missing', `partner ${partnerId}: ${this.total} transactions have no rate: ${shown.join(', ')}${more}`, {
      count: this.total,
      listed: rows.length,
      missing: rows,
      reasons: Object.fromEntries(byKey.map((key) => [key, this.reasons.get(key)])),
    });
  }
}

/** A missing rate becomes a listed transaction; any other error is rethrown. Returns the quote, or null when missing. */
export function quoteOrMissing(quote: () => RateQuote, missing: MissingRates, tx: CanonicalTransaction, date: string, pair: string, rateKey: string): RateQuote | null {
  try {
    return quote();
  } catch (error) {
    if (!(error instanceof SettlementError) || error.code !== 'fx_rate_missing') throw error;
    missing.add(tx, date, pair, rateKey, error);
    return null;
  }
}
