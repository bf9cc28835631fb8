import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import type { CanonicalTransaction, TransactionKind } from '../transactions/schema.ts';
import { flatRateOf, KINDS } from './agreement.ts';
import { compareLines, dateOfField, IDENTITY_RATE_KEY, MissingRates, NATURAL_SIGN, quoteOrMissing, paymentDateMissing, periodDateOf, rateCache, rateKeyOf, saleDatesByEndToEndId, transactionRounded, type AggregateOutcome, type BasePlan, type FxUse, type KindTotal, type LineAggregate, type QuoteFn } from './base.ts';
import { calendarDateOf } from './dates.ts';
import { SettlementError } from './errors.ts';
import type { RateQuote, RateTable } from './fx.ts';

/**
 * The reference revenue base: the straightforward way, one decimal.js operation chain per row
 * (weight, sign, conversion), no integer minor units. Slow on purpose and easy to read; tests and
 * bench/settlement.bench.ts prove the fast path (base.ts) produces byte-identical statements.
 */
interface RefLine {
  readonly productId: string | null;
  readonly currency: string;
  readonly kindSums: Map<TransactionKind, Decimal>;
  readonly kindCounts: Map<TransactionKind, number>;
  readonly fx: Map<string, { quote: RateQuote; sourceBase: Decimal }>;
  base: Decimal;
  gross: Decimal;
  /** Rounding scope "transaction": Σ rounded conversions and Σ rounded shares. */
  txBase: Decimal;
  txShare: Decimal;
  count: number;
  late: number;
}

interface RefPartner {
  readonly plan: BasePlan;
  readonly lines: Map<string, RefLine>;
  readonly missing: MissingRates;
  count: number;
}

function addRow(partner: RefPartner, tx: CanonicalTransaction, quote: QuoteFn, saleDates: () => Map<string, string>): void {
  const amount = new Decimal(tx.amount);
  if (amount.decimalPlaces() > minorUnitsOf(tx.currency)) {
    throw new SettlementError('transaction_amount_precision', `transaction ${tx.id}: amount ${tx.amount} has more decimals than ${tx.currency} allows`, { transactionId: tx.id });
  }
  const key = `${tx.productId ?? ''}\u0000${tx.productId === null ? 'n' : 'p'}\u0000${tx.currency}`;
  let line = partner.lines.get(key);
  if (line === undefined) {
    line = { productId: tx.productId, currency: tx.currency, kindSums: new Map(), kindCounts: new Map(), fx: new Map(), base: new Decimal(0), gross: new Decimal(0), txBase: new Decimal(0), txShare: new Decimal(0), count: 0, late: 0 };
    partner.lines.set(key, line);
  }
  const weight = partner.plan.agreement.terms.revenueBase[tx.kind];
  if (weight !== 0) {
    const contribution = amount.times(weight).times(NATURAL_SIGN[tx.kind]);
    const rateKey = tx.currency === partner.plan.agreement.settlementCurrency ? IDENTITY_RATE_KEY : rateKeyOf(tx, partner.plan, saleDates, dateOfField(tx, partner.plan.agreement.terms.fx.transactionDate));
    const q = quoteOrMissing(() => quote(partner.plan, tx.currency, rateKey), partner.missing, tx, calendarDateOf(tx.occurredAt), `${tx.currency}/${partner.plan.agreement.settlementCurrency}`, rateKey);
    if (q !== null) {
      const converted = contribution.times(q.rate);
      const use = line.fx.get(rateKey) ?? { quote: q, sourceBase: new Decimal(0) };
      use.sourceBase = use.sourceBase.plus(contribution);
      line.fx.set(rateKey, use);
      line.base = line.base.plus(converted);
      if (weight > 0) line.gross = line.gross.plus(converted);
      const { terms, settlementCurrency } = partner.plan.agreement;
      if (terms.rounding.scope === 'transaction') {
        const rounded = transactionRounded(contribution, q.rate, flatRateOf(terms, tx.productId), minorUnitsOf(settlementCurrency), terms.rounding.mode);
        line.txBase = line.txBase.plus(rounded.base);
        line.txShare = line.txShare.plus(rounded.share);
      }
    }
  }
  line.kindSums.set(tx.kind, (line.kindSums.get(tx.kind) ?? new Decimal(0)).plus(amount));
  line.kindCounts.set(tx.kind, (line.kindCounts.get(tx.kind) ?? 0) + 1);
  line.count++;
  if (calendarDateOf(tx.occurredAt) < partner.plan.period.start) line.late++;
  partner.count++;
}

function finish(partner: RefPartner): LineAggregate[] {
  const weights = partner.plan.agreement.terms.revenueBase;
  const lines = [...partner.lines.values()].map((line): LineAggregate => {
    const digits = minorUnitsOf(line.currency);
    const kinds: KindTotal[] = KINDS.filter((kind) => line.kindCounts.has(kind)).map((kind) => ({
      kind,
      weight: weights[kind],
      count: line.kindCounts.get(kind) ?? 0,
      sourceAmount: (line.kindSums.get(kind) ?? new Decimal(0)).toFixed(digits),
    }));
    const fx: FxUse[] = [...line.fx.keys()].sort().map((rateKey) => {
      const use = line.fx.get(rateKey);
      if (use === undefined) throw new Error('unreachable');
      return { quote: use.quote, sourceBase: use.sourceBase.toFixed(digits) };
    });
    const gross = partner.plan.agreement.terms.platformFee.basis === 'gross' ? line.gross.toFixed() : null;
    const aggregate: LineAggregate = { productId: line.productId, currency: line.currency, transactionCount: line.count, lateCount: line.late, kinds, fx, base: line.base.toFixed(), gross };
    if (partner.plan.agreement.terms.rounding.scope !== 'transaction') return aggregate;
    const settlementDigits = minorUnitsOf(partner.plan.agreement.settlementCurrency);
    return { ...aggregate, perTransaction: { base: line.txBase.toFixed(settlementDigits), share: line.txShare.toFixed(settlementDigits) } };
  });
  return lines.sort(compareLines);
}

/** Same contract as aggregateFast, computed row by row with decimal.js. */
export function aggregateReference(transactions: readonly CanonicalTransaction[], plans: readonly BasePlan[], rates: RateTable): Map<string, AggregateOutcome> {
  const quote = rateCache(rates).quote;
  let saleDateMap: Map<string, string> | null = null;
  const saleDates = (): Map<string, string> => (saleDateMap ??= saleDatesByEndToEndId(transactions));
  const partners = new Map<string, RefPartner>(plans.map((plan) => [plan.partnerId, { plan, lines: new Map(), missing: new MissingRates(), count: 0 }]));
  const errors = new Map<string, SettlementError>();
  for (const plan of plans) {
    if (plan.agreement.terms.fx.rateDate === 'payment-date' && plan.paymentDate === null) {
      errors.set(plan.partnerId, paymentDateMissing(plan));
    }
  }
  for (const tx of transactions) {
    const partner = tx.partnerId === null ? undefined : partners.get(tx.partnerId);
    if (partner === undefined || errors.has(partner.plan.partnerId)) continue;
    const date = periodDateOf(tx, partner.plan.agreement.terms.lateTransactions, partner.plan.agreement.terms.periodDate);
    if (date < partner.plan.period.start || date > partner.plan.period.end) continue;
    try {
      addRow(partner, tx, quote, saleDates);
    } catch (error) {
      if (!(error instanceof SettlementError)) throw error;
      errors.set(partner.plan.partnerId, error);
    }
  }
  const outcomes = new Map<string, AggregateOutcome>();
  for (const [partnerId, partner] of partners) {
    const error = errors.get(partnerId) ?? (partner.missing.count > 0 ? partner.missing.error(partnerId) : undefined);
    if (error !== undefined) outcomes.set(partnerId, { ok: false, error });
    else outcomes.set(partnerId, { ok: true, aggregate: { partnerId, transactionCount: partner.count, lines: finish(partner) } });
  }
  return outcomes;
}
