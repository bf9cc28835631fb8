import { assert } from '../assert.ts';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { roundTo } from '../money/rounding.ts';
import { addDays, daysBetween } from '../settlement/dates.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { weekdayOf } from './baseline.ts';

/**
 * Cash-flow forecast per currency for the coming weeks, from the observed run-rate:
 * - inflow: expected PSP payouts, the daily net of sales, refunds, chargebacks and PSP fees
 *   (at steady state a PSP pays out what it took in, a few days later);
 * - outflow: partner payables, accrued daily as the agreed share of net revenue and paid on a
 *   fixed day of the following month, so the window's own accrual is paid in full and later
 *   months are accrued at the run-rate.
 * Every amount is computed with decimal.js and shown as a decimal string in the currency's minor
 * units; the interval is point +/- q x sd, where sd comes from the day-to-day spread around the
 * weekday means plus the uncertainty of the run-rate itself, and q is the Student-t quantile
 * matching the normal quantile z: sd is estimated from only n - 7 degrees of freedom (a 14-day
 * history leaves 7), and using z as if sd were known under-covered (back-test coverage 0.70-0.80
 * for a 90 % band on the full demo month).
 */
export interface CashFlowDay {
  readonly day: string;
  readonly currency: string;
  /** Decimal strings. */
  readonly inflow: string;
  readonly payable: string;
}

export interface Band {
  readonly point: string;
  readonly low: string;
  readonly high: string;
}

export interface ForecastWeek {
  readonly weekStart: string;
  readonly weekEnd: string;
  readonly inflow: Band;
  readonly outflow: Band;
  readonly net: Band;
  readonly cumulativeNet: Band;
}

export interface CurrencyForecast {
  readonly currency: string;
  readonly historyDays: number;
  readonly dailyInflowMean: string;
  readonly dailyPayableMean: string;
  readonly weeks: readonly ForecastWeek[];
}

export interface ForecastOptions {
  readonly weeks: number;
  /** Normal quantile of the interval, a decimal string: 1.645 gives a 90 % two-sided band. */
  readonly z: string;
  /** Payables of a month are paid on this day of the next month. */
  readonly payDayOfMonth: number;
}

export const DEFAULT_FORECAST_OPTIONS: ForecastOptions = { weeks: 8, z: '1.645', payDayOfMonth: 16 };
const WEEKS_MAX = 104;
const DAY_KINDS = new Set(['sale', 'refund', 'chargeback', 'fee']);

/** Daily inflow and payable per currency from canonical PSP transactions and the agreed share percent of each partner's product. */
export function cashFlowDaysFromTransactions(transactions: Iterable<CanonicalTransaction>, sharePercentOf: (partnerId: string, productId: string) => string | null): CashFlowDay[] {
  const sums = new Map<string, { inflow: Decimal; payable: Decimal }>();
  for (const t of transactions) {
    if (!DAY_KINDS.has(t.kind)) continue;
    const key = `${t.occurredAt.slice(0, 10)}|${t.currency}`;
    const sum = sums.get(key) ?? { inflow: new Decimal(0), payable: new Decimal(0) };
    sum.inflow = sum.inflow.plus(t.amount);
    const percent = t.kind === 'fee' || t.partnerId === null || t.productId === null ? null : sharePercentOf(t.partnerId, t.productId);
    if (percent !== null) sum.payable = sum.payable.plus(new Decimal(t.amount).times(percent).dividedBy(100));
    sums.set(key, sum);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, sum]) => {
      const [day = '', currency = ''] = key.split('|');
      const places = minorUnitsOf(currency);
      return { day, currency, inflow: roundTo(sum.inflow, places, 'half-even').toFixed(places), payable: roundTo(sum.payable, places, 'half-even').toFixed(places) };
    });
}

interface Series {
  readonly currency: string;
  readonly days: readonly string[];
  readonly inflow: readonly Decimal[];
  readonly payable: readonly Decimal[];
}

/** Per currency, one value per day from the first to the last day seen (days without rows are zero). */
function seriesByCurrency(rows: readonly CashFlowDay[], from: string, to: string): Series[] {
  const count = daysBetween(from, to) + 1;
  assert(count >= 7, 'at least a week of history', { from, to });
  const days = Array.from({ length: count }, (_, index) => addDays(from, index));
  const byCurrency = new Map<string, { inflow: Decimal[]; payable: Decimal[] }>();
  for (const row of rows) {
    const index = daysBetween(from, row.day);
    if (index < 0 || index >= count) continue;
    let series = byCurrency.get(row.currency);
    if (series === undefined) {
      series = { inflow: days.map(() => new Decimal(0)), payable: days.map(() => new Decimal(0)) };
      byCurrency.set(row.currency, series);
    }
    series.inflow[index] = (series.inflow[index] as Decimal).plus(row.inflow);
    series.payable[index] = (series.payable[index] as Decimal).plus(row.payable);
  }
  return [...byCurrency.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, s]) => ({ currency, days, ...s }));
}

interface RunRate {
  readonly mean: Decimal;
  /** Day-to-day spread around the weekday means. */
  readonly sd: Decimal;
  readonly days: number;
  /** Degrees of freedom of sd: one per day, less the seven weekday means. */
  readonly df: number;
}

function runRate(days: readonly string[], values: readonly Decimal[]): RunRate {
  const n = values.length;
  assert(n > 1, 'a run-rate needs two days or more');
  const mean = values.reduce((acc, v) => acc.plus(v), new Decimal(0)).dividedBy(n);
  const byWeekday = Array.from({ length: 7 }, () => ({ total: new Decimal(0), count: 0 }));
  days.forEach((day, index) => {
    const slot = byWeekday[weekdayOf(day)] as { total: Decimal; count: number };
    slot.total = slot.total.plus(values[index] as Decimal);
    slot.count++;
  });
  let squares = new Decimal(0);
  days.forEach((day, index) => {
    const slot = byWeekday[weekdayOf(day)] as { total: Decimal; count: number };
    squares = squares.plus((values[index] as Decimal).minus(slot.total.dividedBy(slot.count)).pow(2));
  });
  const df = Math.max(1, n - 7);
  return { mean, sd: squares.dividedBy(df).sqrt(), days: n, df };
}

/**
 * Student-t quantile with `df` degrees of freedom at the level of the normal quantile `z`, by
 * Hill's (1970) Cornish-Fisher expansion in 1/df (within 0.001 of the exact value for df >= 5 at
 * z = 1.645: 1.8946 for df = 7, 1.7613 for df = 14). A statistic, so a float; no amount passes here.
 * Below five degrees of freedom the series is poor, so the quantile is taken at df = 5, still wider
 * than the normal one.
 */
export function studentQuantile(z: number, df: number): number {
  assert(Number.isFinite(z) && z >= 0 && df >= 1, 'a non-negative z and one degree of freedom or more', { z, df });
  const v = Math.max(df, 5);
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v ** 3);
}

/** The band's multiplier of sd: the t quantile for the fewest degrees of freedom among the rates it combines. */
function quantileOf(z: string, ...rates: RunRate[]): Decimal {
  const df = Math.min(...rates.map((rate) => rate.df));
  return new Decimal(studentQuantile(Number(z), df).toFixed(6));
}

/** Variance of a sum over `span` future days: day-to-day noise plus the run-rate's own uncertainty. */
function spanVariance(rate: RunRate, span: number): Decimal {
  return rate.sd.pow(2).times(new Decimal(span).plus(new Decimal(span).pow(2).dividedBy(rate.days)));
}

function band(point: Decimal, variance: Decimal, quantile: Decimal, places: number): Band {
  const half = variance.sqrt().times(quantile);
  const text = (d: Decimal) => roundTo(d, places, 'half-even').toFixed(places);
  return { point: text(point), low: text(point.minus(half)), high: text(point.plus(half)) };
}

/** First day of the month after `day`'s month. */
function nextMonthStart(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${day.slice(0, 4)}-${String(month + 1).padStart(2, '0')}-01`;
}

/** Payable payments (day, amount, variance) that fall on or after `start`: the history's accrual is known, later months are run-rate. */
function payablePayments(series: Series, rate: RunRate, asOf: string, horizonEnd: string, payDay: number): { day: string; amount: Decimal; variance: Decimal }[] {
  const payments: { day: string; amount: Decimal; variance: Decimal }[] = [];
  const accruedMonth = asOf.slice(0, 7);
  const known = series.days.reduce((acc, day, index) => (day.startsWith(accruedMonth) ? acc.plus(series.payable[index] as Decimal) : acc), new Decimal(0));
  const futureInMonth = daysBetween(asOf, addDays(nextMonthStart(asOf), -1));
  let monthStart = nextMonthStart(asOf);
  payments.push({ day: `${monthStart.slice(0, 8)}${String(payDay).padStart(2, '0')}`, amount: known.plus(rate.mean.times(futureInMonth)), variance: spanVariance(rate, futureInMonth) });
  for (let guard = 0; guard < WEEKS_MAX && monthStart <= horizonEnd; guard++) {
    const next = nextMonthStart(monthStart);
    const length = daysBetween(monthStart, next);
    payments.push({ day: `${next.slice(0, 8)}${String(payDay).padStart(2, '0')}`, amount: rate.mean.times(length), variance: spanVariance(rate, length) });
    monthStart = next;
  }
  return payments;
}

export function forecastCashFlow(rows: readonly CashFlowDay[], from: string, asOf: string, options: ForecastOptions = DEFAULT_FORECAST_OPTIONS): CurrencyForecast[] {
  assert(Number.isSafeInteger(options.weeks) && options.weeks >= 1 && options.weeks <= WEEKS_MAX, 'weeks between 1 and 104', { weeks: options.weeks });
  assert(options.payDayOfMonth >= 1 && options.payDayOfMonth <= 28, 'a pay day every month has');
  const horizonEnd = addDays(asOf, options.weeks * 7);
  return seriesByCurrency(rows, from, asOf).map((series) => {
    const places = minorUnitsOf(series.currency);
    const inflowRate = runRate(series.days, series.inflow);
    const payableRate = runRate(series.days, series.payable);
    const payments = payablePayments(series, payableRate, asOf, horizonEnd, options.payDayOfMonth);
    const inflowQuantile = quantileOf(options.z, inflowRate);
    const outflowQuantile = quantileOf(options.z, payableRate);
    const netQuantile = quantileOf(options.z, inflowRate, payableRate);
    let cumulative = new Decimal(0);
    let cumulativeVariance = new Decimal(0);
    const weeks: ForecastWeek[] = [];
    for (let week = 0; week < options.weeks; week++) {
      const weekStart = addDays(asOf, 1 + week * 7);
      const weekEnd = addDays(weekStart, 6);
      const inflow = inflowRate.mean.times(7);
      const inflowVariance = spanVariance(inflowRate, 7);
      const due = payments.filter((p) => p.day >= weekStart && p.day <= weekEnd);
      const outflow = due.reduce((acc, p) => acc.plus(p.amount), new Decimal(0));
      const outflowVariance = due.reduce((acc, p) => acc.plus(p.variance), new Decimal(0));
      const net = inflow.minus(outflow);
      cumulative = cumulative.plus(net);
      cumulativeVariance = cumulativeVariance.plus(inflowVariance).plus(outflowVariance);
      weeks.push({
        weekStart,
        weekEnd,
        inflow: band(inflow, inflowVariance, inflowQuantile, places),
        outflow: band(outflow, outflowVariance, outflowQuantile, places),
        net: band(net, inflowVariance.plus(outflowVariance), netQuantile, places),
        cumulativeNet: band(cumulative, cumulativeVariance, netQuantile, places),
      });
    }
    return { currency: series.currency, historyDays: series.days.length, dailyInflowMean: roundTo(inflowRate.mean, places, 'half-even').toFixed(places), dailyPayableMean: roundTo(payableRate.mean, places, 'half-even').toFixed(places), weeks };
  });
}

export interface BacktestFold {
  readonly currency: string;
  readonly trainFrom: string;
  readonly trainTo: string;
  readonly testFrom: string;
  readonly testTo: string;
  readonly measure: 'inflow' | 'payable';
  readonly predicted: Band;
  readonly actual: string;
  /** |predicted - actual| / |actual|, a ratio (float). */
  readonly absolutePercentageError: number;
  readonly withinInterval: boolean;
}

export interface BacktestResult {
  readonly folds: readonly BacktestFold[];
  /** Mean absolute percentage error of weekly totals, per measure. */
  readonly mape: Readonly<Record<'inflow' | 'payable', number>>;
  /** Share of test weeks whose actual fell inside the interval. */
  readonly coverage: Readonly<Record<'inflow' | 'payable', number>>;
}

/**
 * Rolling-origin back-test: train the run-rate on days [from, k), predict the week [k, k+7),
 * compare with what happened, for k = from + trainDaysMin, then weekly, while a whole test week
 * remains in the history.
 */
export function backtestForecast(rows: readonly CashFlowDay[], from: string, to: string, options: { readonly trainDaysMin: number; readonly z: string } = { trainDaysMin: 14, z: '1.645' }): BacktestResult {
  assert(options.trainDaysMin >= 7, 'train on a week or more');
  const folds: BacktestFold[] = [];
  for (const series of seriesByCurrency(rows, from, to)) {
    const places = minorUnitsOf(series.currency);
    for (let k = options.trainDaysMin; k + 7 <= series.days.length; k += 7) {
      for (const measure of ['inflow', 'payable'] as const) {
        const values = series[measure];
        const rate = runRate(series.days.slice(0, k), values.slice(0, k));
        const predicted = band(rate.mean.times(7), spanVariance(rate, 7), quantileOf(options.z, rate), places);
        const actual = values.slice(k, k + 7).reduce((acc, v) => acc.plus(v), new Decimal(0));
        const error = new Decimal(predicted.point).minus(actual).abs();
        folds.push({
          currency: series.currency,
          trainFrom: series.days[0] ?? from,
          trainTo: series.days[k - 1] ?? from,
          testFrom: series.days[k] ?? from,
          testTo: series.days[k + 6] ?? from,
          measure,
          predicted,
          actual: roundTo(actual, places, 'half-even').toFixed(places),
          absolutePercentageError: actual.isZero() ? 0 : error.dividedBy(actual.abs()).toNumber(),
          withinInterval: actual.greaterThanOrEqualTo(predicted.low) && actual.lessThanOrEqualTo(predicted.high),
        });
      }
    }
  }
  const summary = (measure: 'inflow' | 'payable', pick: (fold: BacktestFold) => number) => {
    const list = folds.filter((fold) => fold.measure === measure);
    return list.length === 0 ? 0 : list.reduce((acc, fold) => acc + pick(fold), 0) / list.length;
  };
  return {
    folds,
    mape: { inflow: summary('inflow', (f) => f.absolutePercentageError), payable: summary('payable', (f) => f.absolutePercentageError) },
    coverage: { inflow: summary('inflow', (f) => (f.withinInterval ? 1 : 0)), payable: summary('payable', (f) => (f.withinInterval ? 1 : 0)) },
  };
}
