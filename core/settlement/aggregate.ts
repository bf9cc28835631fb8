import { assert } from '../assert.ts';
import { ExactSlots } from '../money/exact-slots.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { fromMinorUnits, MinorUnitsError, toMinorUnits, type MinorUnits } from '../money/minor.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { Decimal } from '../money/decimal.ts';
import { flatRateOf, KINDS } from './agreement.ts';
import {
  compareLines,
  dateOfField,
  IDENTITY_RATE_KEY,
  KIND_COUNT,
  KIND_INDEX,
  kindFactors,
  MissingRates,
  paymentDateMissing,
  quoteOrMissing,
  rateCache,
  rateKeyOf,
  recordSaleDate,
  transactionRounded,
  type AggregateOutcome,
  type BasePlan,
  type DateField,
  type FxUse,
  type KindTotal,
  type LineAggregate,
  type RateCache,
} from './base.ts';
import { calendarDateOf } from './dates.ts';
import { SettlementError } from './errors.ts';
import type { RateQuote, RateTable } from './fx.ts';

/**
 * The hot path: one pass over a million rows in exact integer minor units, no decimal.js per row.
 * Memory access dominates at this size, so the layout is flat: partners, products, currencies
 * and rate keys are interned to small integers, each (partner, product, currency) line gets an
 * index, and sums live in Float64Arrays (exact for integers up to 2^53) indexed by line and
 * rate key. A slot whose sum would leave the safe-integer range spills to an exact BigInt.
 * Conversion to the settlement currency happens once per line and rate key, in BigInt.
 */
const RATE_KEYS_INITIAL = 40;
const LINES_PER_PARTNER_INITIAL = 8;

interface PartnerSlot {
  readonly plan: BasePlan;
  readonly restate: boolean;
  readonly start: string;
  readonly end: string;
  readonly settlementCurrency: string;
  readonly fixedRateKey: string | null;
  /** FX at the transaction's own date: the rate key is the occurrence date, no lookup needed. */
  readonly ownDateKey: boolean;
  /** Only a platform fee on gross needs the +1-weighted part of each cell. */
  readonly wantsGross: boolean;
  readonly factors: readonly number[];
  readonly positive: readonly boolean[];
  readonly lines: number[];
  /** product id -> line index per currency index (-1 = none yet): one small map per partner. */
  readonly lineIndex: Map<string | null, number[]>;
  count: number;
  error: SettlementError | null;
  /** Every row that lacks a rate; the partner's exception lists them all. */
  readonly missing: MissingRates;
  /**
   * Rounding per transaction only: line -> rate key -> signed minor amount -> how many rows. Rows
   * with the same amount and rate round the same way, so integers are counted here and decimal.js
   * rounds each distinct amount once, when the line is finished.
   */
  readonly amounts: Map<number, Map<number, Map<MinorUnits, number>>> | null;
  /** The agreement's periodDate (under open-period) and fx.transactionDate. */
  readonly periodField: DateField;
  readonly fxField: DateField;
}

/**
 * The run-wide accumulation state, kept small because random access into it is the cost: per
 * line, [sum, count] for each kind then the late count (one cache line per row); per (line, rate
 * key) cell, the weighted base, a used flag, and (only for partners with a platform fee on gross)
 * the part from kinds weighted +1.
 */
const LINE_STRIDE = KIND_COUNT * 2 + 1;
const LATE_SLOT = KIND_COUNT * 2;
/** The identity rate key is interned first, so same-currency rows skip the lookup. */
const IDENTITY_RATE_KEY_INDEX = 0;

class Accumulation {
  readonly products = new Map<string | null, number>();
  readonly productIds: (string | null)[] = [];
  readonly currencies = new Map<string, number>();
  readonly currencyCodes: string[] = [];
  readonly exponents: number[] = [];
  readonly rateKeys = new Map<string, number>();
  readonly rateKeyTexts: string[] = [];
  readonly lineProduct: number[] = [];
  readonly lineCurrency: number[] = [];
  readonly scaledRates = new Map<string, ScaledRate>();
  lineCapacity: number;
  rateKeyCapacity = RATE_KEYS_INITIAL;
  readonly lines: ExactSlots;
  readonly weighted: ExactSlots;
  readonly positive: ExactSlots;
  used: Uint8Array;

  constructor(partners: number) {
    this.rateKeys.set(IDENTITY_RATE_KEY, IDENTITY_RATE_KEY_INDEX);
    this.rateKeyTexts.push(IDENTITY_RATE_KEY);
    this.lineCapacity = Math.max(64, partners * LINES_PER_PARTNER_INITIAL);
    this.lines = new ExactSlots(this.lineCapacity * LINE_STRIDE);
    this.weighted = new ExactSlots(this.lineCapacity * RATE_KEYS_INITIAL);
    this.positive = new ExactSlots(this.lineCapacity * RATE_KEYS_INITIAL);
    this.used = new Uint8Array(this.lineCapacity * RATE_KEYS_INITIAL);
  }

  productOf(productId: string | null): number {
    let index = this.products.get(productId);
    if (index === undefined) {
      index = this.productIds.length;
      this.products.set(productId, index);
      this.productIds.push(productId);
    }
    return index;
  }

  currencyOf(currency: string): number {
    let index = this.currencies.get(currency);
    if (index === undefined) {
      index = this.currencyCodes.length;
      this.exponents.push(minorUnitsOf(currency));
      this.currencies.set(currency, index);
      this.currencyCodes.push(currency);
    }
    return index;
  }

  lineOf(slot: PartnerSlot, productId: string | null, currency: number): number {
    let byCurrency = slot.lineIndex.get(productId);
    if (byCurrency === undefined) {
      byCurrency = [];
      slot.lineIndex.set(productId, byCurrency);
    }
    let line = byCurrency[currency];
    if (line === undefined || line < 0) {
      line = this.lineProduct.length;
      if (line >= this.lineCapacity) this.resize(this.lineCapacity * 2, this.rateKeyCapacity);
      while (byCurrency.length <= currency) byCurrency.push(-1);
      byCurrency[currency] = line;
      this.lineProduct.push(this.productOf(productId));
      this.lineCurrency.push(currency);
      slot.lines.push(line);
    }
    return line;
  }

  rateKeyOf(rateKey: string): number {
    let index = this.rateKeys.get(rateKey);
    if (index === undefined) {
      index = this.rateKeyTexts.length;
      this.rateKeys.set(rateKey, index);
      this.rateKeyTexts.push(rateKey);
      if (index >= this.rateKeyCapacity) this.resize(this.lineCapacity, this.rateKeyCapacity * 2);
    }
    return index;
  }

  cellOf(line: number, rateKey: number): number {
    return line * this.rateKeyCapacity + rateKey;
  }

  private resize(lines: number, rateKeys: number): void {
    const oldKeys = this.rateKeyCapacity;
    const move = (index: number): number => Math.floor(index / oldKeys) * rateKeys + (index % oldKeys);
    this.weighted.relayout(lines * rateKeys, move);
    this.positive.relayout(lines * rateKeys, move);
    const used = new Uint8Array(lines * rateKeys);
    this.used.forEach((flag, index) => {
      if (flag !== 0) used[move(index)] = flag;
    });
    this.used = used;
    if (lines !== this.lineCapacity) this.lines.relayout(lines * LINE_STRIDE, (index) => index);
    this.lineCapacity = lines;
    this.rateKeyCapacity = rateKeys;
  }
}

function minorOf(tx: CanonicalTransaction, exponent: number): MinorUnits {
  try {
    return toMinorUnits(tx.amount, exponent);
  } catch (error) {
    if (!(error instanceof MinorUnitsError)) throw error;
    throw new SettlementError('transaction_amount_precision', `transaction ${tx.id}: ${error.message}`, { transactionId: tx.id });
  }
}

/** Adds an integer to a slot, spilling to BigInt when the sum would leave the safe range (NaN marks a spilled slot). */
function addRow(acc: Accumulation, slot: PartnerSlot, tx: CanonicalTransaction, occurred: string, saleDates: () => Map<string, string>, rates: RateCache): void {
  const kind = KIND_INDEX.get(tx.kind);
  assert(kind !== undefined, 'a known transaction kind', { kind: tx.kind });
  const currency = acc.currencyOf(tx.currency);
  const line = acc.lineOf(slot, tx.productId, currency);
  const minor = minorOf(tx, acc.exponents[currency] as number);
  const at = line * LINE_STRIDE + kind * 2;
  acc.lines.add(at, minor);
  acc.lines.add(at + 1, 1);
  if (occurred < slot.start) acc.lines.add(line * LINE_STRIDE + LATE_SLOT, 1);
  slot.count++;
  const factor = slot.factors[kind] as number;
  // Rows that do not count toward the base need no rate: an excluded kind never raises fx_rate_missing.
  if (factor === 0) return;
  const fxDate = slot.fxField === 'event' ? occurred : dateOfField(tx, slot.fxField);
  const rk = tx.currency === slot.settlementCurrency ? IDENTITY_RATE_KEY_INDEX : acc.rateKeyOf(slot.ownDateKey ? fxDate : (slot.fixedRateKey ?? rateKeyOf(tx, slot.plan, saleDates, fxDate)));
  const cell = line * acc.rateKeyCapacity + rk;
  if (acc.used[cell] !== 1 && rk !== IDENTITY_RATE_KEY_INDEX && !rateKnown(acc, slot, tx, occurred, cell, rk, rates)) return;
  const signed = factor > 0 ? minor : -minor;
  acc.weighted.add(cell, signed);
  if (slot.wantsGross && slot.positive[kind] === true) acc.positive.add(cell, signed);
  acc.used[cell] = 1;
  if (slot.amounts !== null) countAmount(slot.amounts, line, rk, signed);
}

function countAmount(amounts: Map<number, Map<number, Map<MinorUnits, number>>>, line: number, rk: number, signed: MinorUnits): void {
  let byKey = amounts.get(line);
  if (byKey === undefined) amounts.set(line, (byKey = new Map()));
  let counts = byKey.get(rk);
  if (counts === undefined) byKey.set(rk, (counts = new Map()));
  counts.set(signed, (counts.get(signed) ?? 0) + 1);
}

/** Σ rounded conversions and Σ rounded shares of one line under rounding per transaction, one decimal.js step per distinct amount. */
function perTransactionOf(slot: PartnerSlot, line: number, productId: string | null, exponent: number, cells: readonly { rk: number }[], quotes: readonly RateQuote[]): { base: string; share: string } {
  const { terms, settlementCurrency } = slot.plan.agreement;
  const digits = minorUnitsOf(settlementCurrency);
  const shareRate = flatRateOf(terms, productId);
  let base = new Decimal(0);
  let share = new Decimal(0);
  cells.forEach(({ rk }, position) => {
    const quote = quotes[position] as RateQuote;
    for (const [signed, count] of slot.amounts?.get(line)?.get(rk) ?? []) {
      const rounded = transactionRounded(new Decimal(fromMinorUnits(signed, exponent)), quote.rate, shareRate, digits, terms.rounding.mode);
      base = base.plus(rounded.base.times(count));
      share = share.plus(rounded.share.times(count));
    }
  });
  return { base: base.toFixed(digits), share: share.toFixed(digits) };
}

/**
 * A cell's rate is looked up the first time a row falls into it (used 0 -> 1, or 2 when missing),
 * so a missing rate is known while the row, its id and date are still at hand. A row in a cell
 * without a rate is listed and left out of the sums: the partner's period is an exception anyway.
 */
function rateKnown(acc: Accumulation, slot: PartnerSlot, tx: CanonicalTransaction, occurred: string, cell: number, rk: number, rates: RateCache): boolean {
  const rateKey = acc.rateKeyTexts[rk] as string;
  if (acc.used[cell] === 0) {
    const quote = quoteOrMissing(() => rates.quote(slot.plan, tx.currency, rateKey), slot.missing, tx, occurred, `${tx.currency}/${slot.settlementCurrency}`, rateKey);
    acc.used[cell] = quote === null ? 2 : 1;
    return quote !== null;
  }
  slot.missing.add(tx, occurred, `${tx.currency}/${slot.settlementCurrency}`, rateKey);
  return false;
}

const POWERS_OF_TEN: bigint[] = [1n];
function powerOfTen(exponent: number): bigint {
  while (POWERS_OF_TEN.length <= exponent) POWERS_OF_TEN.push((POWERS_OF_TEN[POWERS_OF_TEN.length - 1] as bigint) * 10n);
  return POWERS_OF_TEN[exponent] as bigint;
}

interface ScaledRate {
  readonly int: bigint;
  readonly scale: number;
}

/** A rate string as an integer and a decimal scale: "1.0842" -> 10842n, 4 (memoized per run: a run uses few distinct rates). */
function scaledRate(known: Map<string, ScaledRate>, rate: string): ScaledRate {
  let scaled = known.get(rate);
  if (scaled === undefined) {
    const dot = rate.indexOf('.');
    scaled = dot === -1 ? { int: BigInt(rate), scale: 0 } : { int: BigInt(rate.slice(0, dot) + rate.slice(dot + 1)), scale: rate.length - dot - 1 };
    known.set(rate, scaled);
  }
  return scaled;
}

/** Exact decimal text of int / 10^scale in its shortest form, as decimal.js toFixed() writes it. */
function scaledToText(value: bigint, scale: number): string {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '');
  }
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/** Converts one line: Σ minor x rate in BigInt at one common scale, then one exact decimal text. */
function finishLine(acc: Accumulation, slot: PartnerSlot, line: number, rateCacheOfRun: RateCache): LineAggregate {
  const weights = slot.plan.agreement.terms.revenueBase;
  const wantsGross = slot.wantsGross;
  const currency = acc.currencyCodes[acc.lineCurrency[line] as number] as string;
  const exponent = acc.exponents[acc.lineCurrency[line] as number] as number;
  const cells: Array<{ key: string; cell: number; rk: number }> = [];
  for (let rk = 0; rk < acc.rateKeyTexts.length; rk++) {
    const cell = acc.cellOf(line, rk);
    if (acc.used[cell] === 1) cells.push({ key: acc.rateKeyTexts[rk] as string, cell, rk });
    assert(acc.used[cell] !== 2, 'a line with a missing rate is never finished');
  }
  cells.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const quoteOf = rateCacheOfRun.forLine(slot.plan, currency);
  const quotes = cells.map(({ key }) => quoteOf(key));
  const rates = quotes.map((q) => scaledRate(acc.scaledRates, q.rate));
  const scale = Math.max(0, ...rates.map((r) => r.scale));
  let base = 0n;
  let gross = 0n;
  const fx: FxUse[] = cells.map(({ cell }, position) => {
    const rate = rates[position] as ScaledRate;
    const factor = rate.int * powerOfTen(scale - rate.scale);
    const weighted = acc.weighted.read(cell);
    base += BigInt(weighted) * factor;
    if (wantsGross) gross += BigInt(acc.positive.read(cell)) * factor;
    return { quote: quotes[position] as RateQuote, sourceBase: fromMinorUnits(weighted, exponent) };
  });
  const kinds: KindTotal[] = [];
  let count = 0;
  KINDS.forEach((kind, index) => {
    const kindCount = Number(acc.lines.read(line * LINE_STRIDE + index * 2 + 1));
    count += kindCount;
    if (kindCount > 0) kinds.push({ kind, weight: weights[kind], count: kindCount, sourceAmount: fromMinorUnits(acc.lines.read(line * LINE_STRIDE + index * 2), exponent) });
  });
  const productId = acc.productIds[acc.lineProduct[line] as number] ?? null;
  const aggregate: LineAggregate = {
    productId,
    currency,
    transactionCount: count,
    lateCount: Number(acc.lines.read(line * LINE_STRIDE + LATE_SLOT)),
    kinds,
    fx,
    base: scaledToText(base, exponent + scale),
    gross: wantsGross ? scaledToText(gross, exponent + scale) : null,
  };
  return slot.amounts === null ? aggregate : { ...aggregate, perTransaction: perTransactionOf(slot, line, productId, exponent, cells, quotes) };
}

function slotOf(plan: BasePlan): PartnerSlot {
  const fx = plan.agreement.terms.fx;
  const fixedRateKey = fx.rateDate === 'period-end' ? plan.period.end : fx.rateDate === 'payment-date' ? plan.paymentDate : null;
  return {
    plan,
    restate: plan.agreement.terms.lateTransactions === 'restate',
    start: plan.period.start,
    end: plan.period.end,
    settlementCurrency: plan.agreement.settlementCurrency,
    fixedRateKey,
    ownDateKey: fx.rateDate === 'transaction-date' && fx.chargebackRate === 'own-date',
    wantsGross: plan.agreement.terms.platformFee.basis === 'gross',
    factors: kindFactors(plan.agreement),
    positive: KINDS.map((kind) => plan.agreement.terms.revenueBase[kind] > 0),
    lines: [],
    lineIndex: new Map(),
    count: 0,
    missing: new MissingRates(),
    amounts: plan.agreement.terms.rounding.scope === 'transaction' ? new Map() : null,
    periodField: plan.agreement.terms.periodDate,
    fxField: fx.transactionDate,
    error: fx.rateDate === 'payment-date' && plan.paymentDate === null ? paymentDateMissing(plan) : null,
  };
}

/** One pass over all transactions: aggregates for every planned partner, or that partner's error. */
/**
 * Aggregates in one pass over any iterable, so a caller can stream transactions file by file
 * instead of holding a month in memory. A chargeback rated at its original sale's date may come
 * before that sale: such chargebacks wait until the end, when every sale's date is known (sums
 * do not depend on order; property.test.ts proves it). Sale dates are only collected when an
 * agreement asks for them.
 */
export function aggregateFast(transactions: Iterable<CanonicalTransaction>, plans: readonly BasePlan[], rates: RateTable): Map<string, AggregateOutcome> {
  const slots = plans.map(slotOf);
  const partnerIndex = new Map(slots.map((slot) => [slot.plan.partnerId, slot]));
  const acc = new Accumulation(plans.length);
  const wantsSaleDates = plans.some((plan) => plan.agreement.terms.fx.chargebackRate === 'original-sale');
  const saleDates = new Map<string, string>();
  const knownSaleDates = (): Map<string, string> => saleDates;
  const waiting: CanonicalTransaction[] = [];
  const cache = rateCache(rates);
  const visit = (tx: CanonicalTransaction, deferChargebacks: boolean): void => {
    if (tx.partnerId === null) return;
    const slot = partnerIndex.get(tx.partnerId);
    if (slot === undefined || slot.error !== null) return;
    const occurred = calendarDateOf(tx.occurredAt);
    const date = slot.restate ? occurred : slot.periodField === 'booking' ? (tx.bookingDate ?? occurred) : dateOfField(tx, slot.periodField);
    if (date < slot.start || date > slot.end) return;
    if (deferChargebacks && tx.kind === 'chargeback' && slot.plan.agreement.terms.fx.chargebackRate === 'original-sale') {
      waiting.push(tx);
      return;
    }
    try {
      addRow(acc, slot, tx, occurred, knownSaleDates, cache);
    } catch (error) {
      if (!(error instanceof SettlementError)) throw error;
      slot.error = error;
    }
  };
  // The row work lives in a small function of its own: a deoptimization there is re-optimized
  // quickly instead of dropping this long loop out of optimized code.
  if (wantsSaleDates) {
    for (const tx of transactions) {
      recordSaleDate(saleDates, tx);
      visit(tx, true);
    }
    for (const tx of waiting) visit(tx, false);
  } else for (const tx of transactions) visit(tx, false);
  const outcomes = new Map<string, AggregateOutcome>();
  for (const slot of slots) {
    const partnerId = slot.plan.partnerId;
    if (slot.error === null && slot.missing.count > 0) slot.error = slot.missing.error(partnerId);
    if (slot.error !== null) {
      outcomes.set(partnerId, { ok: false, error: slot.error });
      continue;
    }
    try {
      const lines = slot.lines.map((line) => finishLine(acc, slot, line, cache)).sort(compareLines);
      outcomes.set(partnerId, { ok: true, aggregate: { partnerId, transactionCount: slot.count, lines } });
    } catch (error) {
      if (!(error instanceof SettlementError)) throw error;
      outcomes.set(partnerId, { ok: false, error });
    }
  }
  return outcomes;
}
