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
const FIT_WEEKS_MAX = 12;
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
  readonly slopePerDay: number;
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

export function fitSeasonalTrend(history: readonly number[], historyWeekdays: readonly number[]): SeasonalTrendModel {
  assert(history.length === historyWeekdays.length, 'one weekday per day');
  assert(history.length >= MODEL_DAYS_MIN, 'two weeks of history or more', { days: history.length });
  const weeks = Math.min(FIT_WEEKS_MAX, Math.floor(history.length / WEEKDAYS));
  const n = weeks * WEEKDAYS;
  const values = history.slice(history.length - n);
  const weekdays = historyWeekdays.slice(history.length - n);
  const xs = values.map((_, index) => index);
  let factors = Array<number>(WEEKDAYS).fill(1);
  let offsets = Array<number>(WEEKDAYS).fill(0);
  let multiplicative = true;
  // First the line through the weekly means (each holds every weekday once, so no weekday shape tilts it).
  const centers = Array.from({ length: weeks }, (_, j) => j * WEEKDAYS + (WEEKDAYS - 1) / 2);
  const means = centers.map((_, j) => values.slice(j * WEEKDAYS, (j + 1) * WEEKDAYS).reduce((a, v) => a + v, 0) / WEEKDAYS);
  let fit = line(centers, means);
  for (let pass = 0; pass < 2; pass++) {
    const fitted = xs.map((x) => fit.level + fit.slope * (x - fit.center));
    multiplicative = fitted.every((v) => v > 0);
    const sums = Array<number>(WEEKDAYS).fill(0);
    const counts = Array<number>(WEEKDAYS).fill(0);
    values.forEach((v, index) => {
      const w = weekdays[index] ?? 0;
      sums[w] = (sums[w] ?? 0) + (multiplicative ? v / (fitted[index] ?? 1) : v - (fitted[index] ?? 0));
      counts[w] = (counts[w] ?? 0) + 1;
    });
    const raw = sums.map((s, w) => s / Math.max(1, counts[w] ?? 0));
    const mean = raw.reduce((a, v) => a + v, 0) / WEEKDAYS;
    if (multiplicative && mean > 0) {
      factors = raw.map((v) => Math.max(v / mean, 0));
      offsets = Array<number>(WEEKDAYS).fill(0);
    } else {
      multiplicative = false;
      factors = Array<number>(WEEKDAYS).fill(1);
      offsets = raw.map((v) => v - mean);
    }
    const deseasonalized = values.map((v, index) => {
      const w = weekdays[index] ?? 0;
      return multiplicative ? v / Math.max(factors[w] ?? 1, 1e-9) : v - (offsets[w] ?? 0);
    });
    fit = line(xs, deseasonalized);
  }
  const levelAt = (x: number) => fit.level + fit.slope * (x - fit.center);
  const scale = Math.abs(fit.level) > 0 ? Math.abs(fit.level) : 1;
  // Noise proportional to the level (multiplicative), measured in deseasonalized units at the mean level.
  const relative = (x: number) => (multiplicative ? levelAt(x) / scale : 1);
  let squares = 0;
  values.forEach((v, index) => {
    const w = weekdays[index] ?? 0;
    const fitted = multiplicative ? levelAt(index) * (factors[w] ?? 1) : levelAt(index) + (offsets[w] ?? 0);
    const unit = multiplicative ? (factors[w] ?? 1) * relative(index) : 1;
    squares += unit > 1e-9 ? ((v - fitted) / unit) ** 2 : 0;
  });
  const df = Math.max(1, n - PARAMETERS);
  const sigma2 = squares / df;
  const x0 = n - 1;
  const factorOf = (w: number) => (multiplicative ? (factors[w] ?? 1) : 1);
  return {
    fitDays: n,
    df,
    slopePerDay: fit.slope,
    multiplicative,
    forecast(future) {
      return future.map((w, index) => {
        const x = x0 + index + 1;
        const s = factorOf(w);
        const point = multiplicative ? levelAt(x) * s : levelAt(x) + (offsets[w] ?? 0);
        const noise = sigma2 * (s * relative(x)) ** 2;
        const lineVariance = sigma2 * s * s * (1 / n + (x - fit.center) ** 2 / fit.sxx);
        const factorVariance = (sigma2 * (s * relative(x)) ** 2) / weeks;
        return { point, variance: noise + lineVariance + factorVariance };
      });
    },
    sumVariance(start, end, future) {
      let noise = 0;
      let sumS = 0;
      let sumSx = 0;
      const perWeekday = Array<number>(WEEKDAYS).fill(0);
      for (let index = start; index < end; index++) {
        const w = future[index] ?? 0;
        const x = x0 + index + 1;
        const s = factorOf(w);
        noise += sigma2 * (s * relative(x)) ** 2;
        sumS += s;
        sumSx += s * (x - fit.center);
        perWeekday[w] = (perWeekday[w] ?? 0) + s * relative(x);
      }
      const lineVariance = sigma2 * (sumS * sumS / n + (sumSx * sumSx) / fit.sxx);
      const factorVariance = perWeekday.reduce((acc, v) => acc + (sigma2 * v * v) / weeks, 0);
      return noise + lineVariance + factorVariance;
    },
  };
}

/** The seasonal-naive forecast: each future day is the same weekday of the last week seen. */
export function seasonalNaive(history: readonly number[], horizon: number): number[] {
  assert(history.length >= WEEKDAYS, 'a week of history');
  return Array.from({ length: horizon }, (_, h) => history[history.length - WEEKDAYS + (h % WEEKDAYS)] ?? 0);
}
