import { assert } from '../assert.ts';

/**
 * A daily forecasting model with weekday shape and trend, for cash series (floats: this is the
 * model; amounts are rounded to minor units by the caller, forecast.ts `money`).
 *
 * On the last whole weeks of the history (at most `FIT_WEEKS_MAX`): a straight line through the
 * weekly means first, then twice: the weekday factors as each weekday's mean ratio to the line
 * (multiplicative, normalized to average 1), and the line again by least squares through the
 * deseasonalized days. A series whose line is not
 * positive everywhere (net flows near zero or negative) gets additive weekday offsets instead.
 * The noise around the fit is taken proportional to the level (so a busy weekday and a grown
 * business have a wider band), its variance estimated with the degrees of freedom left after
 * the line and the six free weekday factors. The variance of a forecast day adds the
 * uncertainty of the line at that distance and of its weekday factor; a sum of days adds the
 * line's and the factors' errors as the correlated parts they are.
 */
export const MODEL_DAYS_MIN = 14;
const FIT_WEEKS_MAX = 8;
const WEEKDAYS = 7;
const PARAMETERS = 2 + (WEEKDAYS - 1);

export interface DayForecast {
  readonly point: number;
  readonly variance: number;
}

export interface SeasonalTrendModel {
  readonly fitDays: number;
  /** Degrees of freedom of the noise variance. */
  readonly df: number;
  /** Multiplicative: growth per day (0.01 = 1 % a day); additive: change per day in the series' unit. */
  readonly trendPerDay: number;
  readonly multiplicative: boolean;
  /** Days 1.. after the history, given their weekdays (0 = Sunday). */
  forecast(weekdays: readonly number[]): DayForecast[];
  /** Variance of the sum of forecast days [start, end) (0-based from the first day after the history). */
  sumVariance(start: number, end: number, weekdays: readonly number[]): number;
}

function line(xs: readonly number[], ys: readonly number[]): { center: number; level: number; slope: number; sxx: number } {
  const n = xs.length;
  const center = xs.reduce((a, v) => a + v, 0) / n;
  const level = ys.reduce((a, v) => a + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, index) => {
    sxy += (x - center) * ((ys[index] ?? 0) - level);
    sxx += (x - center) ** 2;
  });
  return { center, level, slope: sxx > 0 ? sxy / sxx : 0, sxx };
}

/** The exponential-trend fit: log-linear level, multiplicative weekday factors. null when the series is not positive enough for logs. */
function fitExponential(values: readonly number[], weekdays: readonly number[], weeks: number): SeasonalTrendModel | null {
  const n = values.length;
  const xs = values.map((_, index) => index);
  const centers = Array.from({ length: weeks }, (_, j) => j * WEEKDAYS + (WEEKDAYS - 1) / 2);
  const weeklyMeans = (series: readonly number[]) => centers.map((_, j) => series.slice(j * WEEKDAYS, (j + 1) * WEEKDAYS).reduce((a, v) => a + v, 0) / WEEKDAYS);
  const first = weeklyMeans(values);
  if (!first.every((m) => m > 0)) return null;
  // First the log-line through the weekly means (each holds every weekday once, so no weekday shape tilts it).
  let fit = line(centers, first.map(Math.log));
  let factors = Array<number>(WEEKDAYS).fill(1);
  for (let pass = 0; pass < 2; pass++) {
    const level = xs.map((x) => Math.exp(fit.level + fit.slope * (x - fit.center)));
    const sums = Array<number>(WEEKDAYS).fill(0);
    const counts = Array<number>(WEEKDAYS).fill(0);
    values.forEach((v, index) => {
      const w = weekdays[index] ?? 0;
      sums[w] = (sums[w] ?? 0) + v / (level[index] ?? 1);
      counts[w] = (counts[w] ?? 0) + 1;
    });
    const raw = sums.map((sum, w) => sum / Math.max(1, counts[w] ?? 0));
    const mean = raw.reduce((a, v) => a + v, 0) / WEEKDAYS;
    if (!(mean > 0) || raw.some((v) => v <= 0)) return null;
    factors = raw.map((v) => v / mean);
    const deseasonalized = values.map((v, index) => v / (factors[weekdays[index] ?? 0] ?? 1));
    // Daily logs where every day is positive (the exact fit), else the weekly means' logs.
    fit = deseasonalized.every((v) => v > 0) ? line(xs, deseasonalized.map(Math.log)) : line(centers, weeklyMeans(deseasonalized).map((m) => (m > 0 ? Math.log(m) : Number.NaN)));
    if (!Number.isFinite(fit.level) || !Number.isFinite(fit.slope)) return null;
  }
  const levelAt = (x: number) => Math.exp(fit.level + fit.slope * (x - fit.center));
  let squares = 0;
  values.forEach((v, index) => {
    const expected = levelAt(index) * (factors[weekdays[index] ?? 0] ?? 1);
    squares += (v / expected - 1) ** 2;
  });
  const df = Math.max(1, n - PARAMETERS);
  // Relative noise variance of a day; the log-line's error at x is sigma2 x (1/n + (x - center)^2 / Sxx) in relative terms.
  const sigma2 = squares / df;
  const sxx = xs.reduce((acc, x) => acc + (x - (n - 1) / 2) ** 2, 0);
  const center = (n - 1) / 2;
  const pointAt = (index: number, w: number) => levelAt(n - 1 + index + 1) * (factors[w] ?? 1);
  // Trend drift: the growth of the first and second half of the weeks differ by what a growth rate
  // wanders in half the window; a forecast h days out may be off by that times h (relative).
  const half = Math.floor(weeks / 2);
  const halfGrowth = (from: number, to: number) => line(centers.slice(from, to), first.slice(from, to).map(Math.log)).slope;
  const drift2 = half >= 2 ? (halfGrowth(weeks - half, weeks) - halfGrowth(0, half)) ** 2 / 2 : 0;
  return {
    fitDays: n,
    df,
    trendPerDay: fit.slope,
    multiplicative: true,
    forecast(future) {
      return future.map((w, index) => {
        const x = n + index;
        const point = pointAt(index, w);
        const relative = sigma2 * (1 + 1 / weeks) + sigma2 * (1 / n + (x - center) ** 2 / sxx) + drift2 * (x - n + 1) ** 2;
        return { point, variance: point * point * relative };
      });
    },
    sumVariance(start, end, future) {
      let noise = 0;
      let sum = 0;
      let sumH = 0;
      let sumX = 0;
      const perWeekday = Array<number>(WEEKDAYS).fill(0);
      for (let index = start; index < end; index++) {
        const w = future[index] ?? 0;
        const p = pointAt(index, w);
        noise += sigma2 * p * p;
        sumH += p * (index + 1);
        sum += p;
        sumX += p * (n + index - center);
        perWeekday[w] = (perWeekday[w] ?? 0) + p;
      }
      const lineVariance = sigma2 * ((sum * sum) / n + (sumX * sumX) / sxx);
      const factorVariance = perWeekday.reduce((acc, v) => acc + (sigma2 * v * v) / weeks, 0);
      return noise + lineVariance + factorVariance + drift2 * sumH * sumH;
    },
  };
}

/** The additive fit for series that are not positive (net flows near zero or negative): a straight line and weekday offsets. */
function fitAdditive(values: readonly number[], weekdays: readonly number[], weeks: number): SeasonalTrendModel {
  const n = values.length;
  const xs = values.map((_, index) => index);
  const centers = Array.from({ length: weeks }, (_, j) => j * WEEKDAYS + (WEEKDAYS - 1) / 2);
  const means = centers.map((_, j) => values.slice(j * WEEKDAYS, (j + 1) * WEEKDAYS).reduce((a, v) => a + v, 0) / WEEKDAYS);
  let fit = line(centers, means);
  let offsets = Array<number>(WEEKDAYS).fill(0);
  for (let pass = 0; pass < 2; pass++) {
    const sums = Array<number>(WEEKDAYS).fill(0);
    const counts = Array<number>(WEEKDAYS).fill(0);
    values.forEach((v, index) => {
      const w = weekdays[index] ?? 0;
      sums[w] = (sums[w] ?? 0) + v - (fit.level + fit.slope * (index - fit.center));
      counts[w] = (counts[w] ?? 0) + 1;
    });
    const raw = sums.map((sum, w) => sum / Math.max(1, counts[w] ?? 0));
    const mean = raw.reduce((a, v) => a + v, 0) / WEEKDAYS;
    offsets = raw.map((v) => v - mean);
    fit = line(xs, values.map((v, index) => v - (offsets[weekdays[index] ?? 0] ?? 0)));
  }
  const levelAt = (x: number) => fit.level + fit.slope * (x - fit.center);
  let squares = 0;
  values.forEach((v, index) => (squares += (v - levelAt(index) - (offsets[weekdays[index] ?? 0] ?? 0)) ** 2));
  const df = Math.max(1, n - PARAMETERS);
  const sigma2 = squares / df;
  return {
    fitDays: n,
    df,
    trendPerDay: fit.slope,
    multiplicative: false,
    forecast(future) {
      return future.map((w, index) => {
        const x = n + index;
        return { point: levelAt(x) + (offsets[w] ?? 0), variance: sigma2 * (1 + 1 / weeks) + sigma2 * (1 / n + (x - fit.center) ** 2 / fit.sxx) };
      });
    },
    sumVariance(start, end, future) {
      const count = end - start;
      let sumX = 0;
      const perWeekday = Array<number>(WEEKDAYS).fill(0);
      for (let index = start; index < end; index++) {
        sumX += n + index - fit.center;
        const w = future[index] ?? 0;
        perWeekday[w] = (perWeekday[w] ?? 0) + 1;
      }
      const factorVariance = perWeekday.reduce((acc, v) => acc + (sigma2 * v * v) / weeks, 0);
      return sigma2 * count + sigma2 * ((count * count) / n + (sumX * sumX) / fit.sxx) + factorVariance;
    },
  };
}

export function fitSeasonalTrend(history: readonly number[], historyWeekdays: readonly number[]): SeasonalTrendModel {
  assert(history.length === historyWeekdays.length, 'one weekday per day');
  assert(history.length >= MODEL_DAYS_MIN, 'two weeks of history or more', { days: history.length });
  const weeks = Math.min(FIT_WEEKS_MAX, Math.floor(history.length / WEEKDAYS));
  const n = weeks * WEEKDAYS;
  const values = history.slice(history.length - n);
  const weekdays = historyWeekdays.slice(history.length - n);
  return fitExponential(values, weekdays, weeks) ?? fitAdditive(values, weekdays, weeks);
}

/** The seasonal-naive forecast: each future day is the same weekday of the last week seen. */
export function seasonalNaive(history: readonly number[], horizon: number): number[] {
  assert(history.length >= WEEKDAYS, 'a week of history');
  return Array.from({ length: horizon }, (_, h) => history[history.length - WEEKDAYS + (h % WEEKDAYS)] ?? 0);
}
