import { assert } from '../assert.ts';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { roundTo } from '../money/rounding.ts';
import { addDays, daysBetween } from '../settlement/dates.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { weekdayOf } from './baseline.ts';
import { fitSeasonalTrend, MODEL_DAYS_MIN, seasonalNaive, type DayForecast } from './seasonal-trend.ts';

/**
 * Cash-flow forecast per currency for the coming weeks, day by day, with weekday shape and trend:
 * - inflow: expected PSP payouts, the daily net of sales, refunds, chargebacks and PSP fees
 *   (at steady state a PSP pays out what it took in, a few days later);
 * - outflow: partner payables under the agreements, accrued daily as the agreed share of net
 *   revenue and paid on a fixed day of the following month: the history's own accrual is known,
 *   later days' accrual is forecast the same way as the inflow;
 * - the cumulative net position week by week.
 * The daily model (seasonal-trend.ts) fits, on the last whole weeks (up to 12), weekday factors
 * and a straight trend line through the deseasonalized days, and gives each future day a point
 * and a variance (noise around the fit, proportional to the day's level, plus the uncertainty of
 * the line). A band is point +/- q x sd, q the Student-t quantile of the fit's degrees of freedom
 * at the level of z. The model runs on floats (it is statistics); every amount shown is rounded
 * explicitly, half-even, to the currency's minor units through decimal.js (see `money` below), so
 * no float artefact is ever printed. A history shorter than two weeks has no forecast.
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

export interface ForecastDay {
  readonly day: string;
  readonly inflow: Band;
  readonly payableAccrual: Band;
}

export interface CurrencyForecast {
  readonly currency: string;
  readonly historyDays: number;
  /** Days the model was fitted on (whole weeks, at most 12). */
  readonly fitDays: number;
  /** Trend of the inflow a week: growth in percent ("+1.5 %") for a positive series, else the change of a day's inflow in the currency ("+12.34"). */
  readonly inflowTrendPerWeek: string;
  readonly days: readonly ForecastDay[];
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
  assert(count >= 1, 'a history of one day or more', { from, to });
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


/**
 * The one place a model float becomes money: rounded half-even to the currency's minor units
 * through decimal.js from the float's shortest exact decimal form (toPrecision 15 digits first, so
 * 0.1 + 0.2 is 0.30 and not 0.30000000000000004).
 */
function money(value: number, places: number): string {
  assert(Number.isFinite(value), 'a finite amount', { value });
  return roundTo(new Decimal(value.toPrecision(15)), places, 'half-even').toFixed(places);
}

/** A ratio or amount with its sign, rounded half-even to `places` (a model figure, shown as text). */
function signed(value: number, places: number): string {
  const text = money(value, places);
  return text.startsWith('-') ? text : `+${text}`;
}

function bandOf(point: number, variance: number, quantile: number, places: number): Band {
  const half = Math.sqrt(Math.max(0, variance)) * quantile;
  return { point: money(point, places), low: money(point - half, places), high: money(point + half, places) };
}

/** First day of the month after `day`'s month. */
function nextMonthStart(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${day.slice(0, 4)}-${String(month + 1).padStart(2, '0')}-01`;
}

function payDayOf(month: string, payDay: number): string {
  return `${nextMonthStart(`${month}-01`).slice(0, 8)}${String(payDay).padStart(2, '0')}`;
}

interface Payment {
  readonly day: string;
  readonly amount: number;
  readonly variance: number;
}

/** Payables by month of accrual, paid on the pay day of the month after: known accrual from the history, forecast accrual after it. */
function payablePayments(series: Series, accrual: readonly DayForecast[], futureDays: readonly string[], payDay: number): Payment[] {
  const byMonth = new Map<string, { amount: number; variance: number }>();
  series.days.forEach((day, index) => {
    const slot = byMonth.get(day.slice(0, 7)) ?? { amount: 0, variance: 0 };
    slot.amount += (series.payable[index] as Decimal).toNumber();
    byMonth.set(day.slice(0, 7), slot);
  });
  futureDays.forEach((day, index) => {
    const slot = byMonth.get(day.slice(0, 7)) ?? { amount: 0, variance: 0 };
    slot.amount += accrual[index]?.point ?? 0;
    // Days of one month share the fitted line: their errors add up as sd (fully correlated parameters), bounded by the sum of variances.
    slot.variance += accrual[index]?.variance ?? 0;
    byMonth.set(day.slice(0, 7), slot);
  });
  return [...byMonth.entries()].map(([month, slot]) => ({ day: payDayOf(month, payDay), amount: slot.amount, variance: slot.variance }));
}

export function forecastCashFlow(rows: readonly CashFlowDay[], from: string, asOf: string, options: ForecastOptions = DEFAULT_FORECAST_OPTIONS): CurrencyForecast[] {
  assert(Number.isSafeInteger(options.weeks) && options.weeks >= 1 && options.weeks <= WEEKS_MAX, 'weeks between 1 and 104', { weeks: options.weeks });
  assert(options.payDayOfMonth >= 1 && options.payDayOfMonth <= 28, 'a pay day every month has');
  const z = Number(options.z);
  const horizon = options.weeks * 7;
  const futureDays = Array.from({ length: horizon }, (_, index) => addDays(asOf, index + 1));
  const futureWeekdays = futureDays.map(weekdayOf);
  const result: CurrencyForecast[] = [];
  for (const series of seriesByCurrency(rows, from, asOf)) {
    if (series.days.length < MODEL_DAYS_MIN) continue;
    const places = minorUnitsOf(series.currency);
    const weekdays = series.days.map(weekdayOf);
    const inflowModel = fitSeasonalTrend(series.inflow.map((v) => v.toNumber()), weekdays);
    const payableModel = fitSeasonalTrend(series.payable.map((v) => v.toNumber()), weekdays);
    const inflow = inflowModel.forecast(futureWeekdays);
    const accrual = payableModel.forecast(futureWeekdays);
    const inflowQ = studentQuantile(z, inflowModel.df);
    const payableQ = studentQuantile(z, payableModel.df);
    const netQ = studentQuantile(z, Math.min(inflowModel.df, payableModel.df));
    const payments = payablePayments(series, accrual, futureDays, options.payDayOfMonth);
    const weeks: ForecastWeek[] = [];
    let cumulative = 0;
    for (let week = 0; week < options.weeks; week++) {
      const span = inflow.slice(week * 7, week * 7 + 7);
      const weekStart = futureDays[week * 7] ?? asOf;
      const weekEnd = futureDays[week * 7 + 6] ?? asOf;
      const inflowPoint = span.reduce((acc, d) => acc + d.point, 0);
      const inflowVariance = inflowModel.sumVariance(week * 7, week * 7 + 7, futureWeekdays);
      const due = payments.filter((p) => p.day >= weekStart && p.day <= weekEnd);
      const outflow = due.reduce((acc, p) => acc + p.amount, 0);
      const outflowVariance = due.reduce((acc, p) => acc + p.variance, 0);
      cumulative += inflowPoint - outflow;
      const cumulativeVariance = inflowModel.sumVariance(0, week * 7 + 7, futureWeekdays) + payments.filter((p) => p.day <= weekEnd && p.day > asOf).reduce((acc, p) => acc + p.variance, 0);
      weeks.push({
        weekStart,
        weekEnd,
        inflow: bandOf(inflowPoint, inflowVariance, inflowQ, places),
        outflow: bandOf(outflow, outflowVariance, payableQ, places),
        net: bandOf(inflowPoint - outflow, inflowVariance + outflowVariance, netQ, places),
        cumulativeNet: bandOf(cumulative, cumulativeVariance, netQ, places),
      });
    }
    const historyMean = (values: readonly Decimal[]) => values.reduce((acc, v) => acc.plus(v), new Decimal(0)).dividedBy(values.length);
    result.push({
      currency: series.currency,
      historyDays: series.days.length,
      fitDays: inflowModel.fitDays,
      inflowTrendPerWeek: inflowModel.multiplicative ? `${signed(Math.expm1(7 * inflowModel.trendPerDay) * 100, 1)} %` : signed(inflowModel.trendPerDay * 7, places),
      days: futureDays.map((day, index) => ({ day, inflow: bandOf(inflow[index]?.point ?? 0, inflow[index]?.variance ?? 0, inflowQ, places), payableAccrual: bandOf(accrual[index]?.point ?? 0, accrual[index]?.variance ?? 0, payableQ, places) })),
      dailyInflowMean: roundTo(historyMean(series.inflow), places, 'half-even').toFixed(places),
      dailyPayableMean: roundTo(historyMean(series.payable), places, 'half-even').toFixed(places),
      weeks,
    });
  }
  return result;
}

export type BacktestMeasure = 'inflow' | 'payable';

export interface BacktestHorizon {
  /** Weeks ahead: 1 is days 1-7 after the origin, 4 is days 22-28. */
  readonly weekAhead: number;
  /** Daily WAPE: sum |actual - forecast| / sum |actual| over the days of that week of every origin. */
  readonly wape: number;
  readonly seasonalNaiveWape: number;
  /** Share of those days whose actual fell inside the daily interval. */
  readonly coverage: number;
  readonly days: number;
}

export interface BacktestSeries {
  readonly currency: string;
  readonly measure: BacktestMeasure;
  readonly origins: number;
  readonly horizons: readonly BacktestHorizon[];
  /** Sum of |actual| per week ahead, to pool WAPE across series. */
  readonly actualSums: Readonly<Record<number, number>>;
}

export interface BacktestResult {
  /** null when the history holds no origin with `trainDaysMin` days before it and `weeksAhead` weeks after. */
  readonly series: readonly BacktestSeries[];
  readonly tooShort: string | null;
  readonly trainDaysMin: number;
  readonly weeksAhead: readonly number[];
}

export interface BacktestOptions {
  readonly trainDaysMin: number;
  readonly weeksAhead: readonly number[];
  /** Origins every this many days. */
  readonly stepDays: number;
  readonly z: string;
}

export const DEFAULT_BACKTEST_OPTIONS: BacktestOptions = { trainDaysMin: 42, weeksAhead: [1, 4], stepDays: 7, z: '1.645' };

/** Daily errors of one forecast origin: accumulates into per-horizon tallies. */
interface Tally {
  error: number;
  naiveError: number;
  actual: number;
  inside: number;
  days: number;
}

/**
 * Rolling-origin back-test on the history itself: at every origin k (from `trainDaysMin`, every
 * `stepDays`, while the furthest week asked for still lies inside the history), fit on days
 * [0, k), forecast the next weeks day by day, and compare with what happened, beside the
 * seasonal-naive forecast (the same weekday of the last week seen). Statistics, so floats; no
 * amount is shown from here.
 */
export function backtestForecast(rows: readonly CashFlowDay[], from: string, to: string, options: BacktestOptions = DEFAULT_BACKTEST_OPTIONS): BacktestResult {
  assert(options.trainDaysMin >= MODEL_DAYS_MIN && options.stepDays >= 1, 'train on two weeks or more');
  const farthest = Math.max(...options.weeksAhead);
  const z = Number(options.z);
  const out: BacktestSeries[] = [];
  const all = seriesByCurrency(rows, from, to);
  const needed = options.trainDaysMin + farthest * 7;
  const historyDays = all[0]?.days.length ?? 0;
  if (historyDays < needed) {
    return { series: [], tooShort: `the history has ${historyDays} days; a back-test ${farthest} weeks ahead needs at least ${needed} (${options.trainDaysMin} to fit, ${farthest * 7} to compare)`, trainDaysMin: options.trainDaysMin, weeksAhead: options.weeksAhead };
  }
  for (const series of all) {
    const weekdays = series.days.map(weekdayOf);
    for (const measure of ['inflow', 'payable'] as const) {
      const values = series[measure].map((v) => v.toNumber());
      // No payables without agreements (or no flow at all): nothing to measure, rather than a WAPE of 0 against 0.
      if (values.every((v) => v === 0)) continue;
      const tallies = new Map<number, Tally>(options.weeksAhead.map((w) => [w, { error: 0, naiveError: 0, actual: 0, inside: 0, days: 0 }]));
      let origins = 0;
      for (let k = options.trainDaysMin; k + farthest * 7 <= values.length; k += options.stepDays) {
        origins++;
        const model = fitSeasonalTrend(values.slice(0, k), weekdays.slice(0, k));
        const q = studentQuantile(z, model.df);
        const ahead = model.forecast(weekdays.slice(k, k + farthest * 7));
        const naive = seasonalNaive(values.slice(0, k), farthest * 7);
        for (const week of options.weeksAhead) {
          const tally = tallies.get(week) as Tally;
          for (let h = (week - 1) * 7; h < week * 7; h++) {
            const actual = values[k + h] ?? 0;
            const f = ahead[h] as DayForecast;
            const half = q * Math.sqrt(f.variance);
            tally.error += Math.abs(actual - f.point);
            tally.naiveError += Math.abs(actual - (naive[h] ?? 0));
            tally.actual += Math.abs(actual);
            tally.inside += actual >= f.point - half && actual <= f.point + half ? 1 : 0;
            tally.days++;
          }
        }
      }
      out.push({
        currency: series.currency,
        measure,
        origins,
        horizons: options.weeksAhead.map((week) => {
          const t = tallies.get(week) as Tally;
          return { weekAhead: week, wape: t.actual > 0 ? t.error / t.actual : 0, seasonalNaiveWape: t.actual > 0 ? t.naiveError / t.actual : 0, coverage: t.days > 0 ? t.inside / t.days : 0, days: t.days };
        }),
        actualSums: Object.fromEntries(options.weeksAhead.map((week) => [week, (tallies.get(week) as Tally).actual])),
      });
    }
  }
  return { series: out, tooShort: null, trainDaysMin: options.trainDaysMin, weeksAhead: options.weeksAhead };
}
