import { assert } from '../assert.ts';
import { weekdayOf, WEEKDAYS } from './baseline.ts';
import { negBinomialLowerTail, negBinomialUpperTail, surprise } from './stats.ts';
import type { DailyActivity } from './types.ts';

/**
 * Causal anomaly detection on daily counts: each day of each partner's product is judged only
 * against the days before it, so what it says about a day is what it would have said that
 * evening. Nothing is flagged in the first `warmupDays` days.
 *
 * The expected count of a day is level x weekday factor:
 * - weekday factors from the last `historyDays` days taken as whole weeks ending yesterday (each
 *   weekday's share of its week, summed over the weeks), shrunk toward the partner's own profile
 *   (its products together) by how few sales the series has;
 * - the level follows trend: the deseasonalized weekly means, a Theil-Sen slope through them,
 *   carried forward to the day (a growing partner is not a spike every day);
 * - the spread is a negative binomial's, mean m and variance m + phi x m^2 at that weekday's
 *   level (so a busy weekday has a wider band than a quiet one), with phi estimated from the
 *   series' own one-day-ahead errors on the days before (so it also holds the error of the level).
 * A day, or a run of 2..`runDaysMax` days summed, is flagged when its tail probability under that
 * negative binomial falls below the sensitivity's; no ratio or count floor stands in the way, so a
 * clear 2.4x spike of a busy product is found and 3 refunds of a product that has one a month are
 * not. Refunds and chargebacks are expected at their rate of the sales level (refund ratio,
 * chargeback ratio) and judged the same way, each as its own kind. A partner whose products all
 * stop (no sale, refund or chargeback) for `silenceDaysMin` days or more while its expected
 * activity makes that improbable is gone silent: one partner-level finding for the whole run,
 * with its products' drops on those days folded into it. A flagged day enters later baselines at
 * its expected value, so an anomaly does not teach the detector that it is normal.
 * All of this is statistics on counts (floats); no amount passes here.
 */
export const SENSITIVITIES = ['low', 'medium', 'high'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/**
 * -log10 of the tail probability at which a one-day test flags, by sensitivity (a run of L days
 * needs 0.2 x (L - 1) more). The trade-off, measured on labelled 120-day histories
 * (bench/insight-history.bench.ts; 9 seeds pooled, 270 labelled anomalies):
 *   low    precision 0.96, recall 0.80
 *   medium precision 0.86, recall 0.915 (the default)
 *   high   precision 0.53, recall 0.96
 */
export const SENSITIVITY_SURPRISE: Readonly<Record<Sensitivity, number>> = { low: 5.5, medium: 4.5, high: 3.5 };

export interface CausalOptions {
  readonly sensitivity: Sensitivity;
  readonly warmupDays: number;
  readonly historyDays: number;
  readonly runDaysMax: number;
  readonly silenceDaysMin: number;
}

/** Runs are tested up to this many days (the options may ask for fewer). */
export const RUN_DAYS_MAX = 7;

export const DEFAULT_CAUSAL_OPTIONS: CausalOptions = { sensitivity: 'medium', warmupDays: 28, historyDays: 84, runDaysMax: 4, silenceDaysMin: 2 };

/** Predictions start once two whole weeks are seen; their errors give the first spreads. */
const PREDICT_DAYS_MIN = 14;
/** Sales (over the history) at which a series' own weekday shape weighs as much as its partner's. */
const PROFILE_SHRINK_SALES = 2000;
/** A dispersion assumed before the errors say otherwise, worth this many days of errors. */
const DISPERSION_PRIOR = 0.05;
const DISPERSION_PRIOR_DAYS = 7;
/** An error beyond this many sd counts as this many in the spread (one missed anomaly does not widen every band). */
const ERROR_SD_CAP = 4;
/**
 * An unflagged day enters later baselines clipped to expected +/- this many sd (a robust filter):
 * the first day of a sustained anomaly, not yet flagged, does not lift the next day's expectation.
 */
const CLEAN_SD_MAX = 2;
/** Weekly means below this are taken as this before their log (a week with no sales at all). */
const LOG_FLOOR = 0.05;
/** How far a product's daily growth may differ from its partner's (a prior: products of one partner mostly grow together). */
const GROWTH_SPREAD = 0.001;
const GROWTH_UNKNOWN_SE = 0.05;
/** The level is measured on the last weeks only (older weeks lean on the growth estimate more). */
const LEVEL_WEEKS_MAX = 12;
/** Each extra day in a run test costs this much surprise: more runs are tested than days. */
const RUN_SURPRISE_STEP = 0.2;

export type CountMeasure = 'sales' | 'refunds' | 'chargebacks';
export const COUNT_MEASURES: readonly CountMeasure[] = ['sales', 'refunds', 'chargebacks'];

export type CausalKind = 'volume_spike' | 'volume_drop' | 'refund_ratio_jump' | 'chargeback_burst' | 'partner_silent';

/** A finding before it becomes an Anomaly: day indexes into the window, sums over its days. */
export interface CausalFinding {
  readonly kind: CausalKind;
  readonly partnerId: string;
  readonly productId: string | null;
  first: number;
  last: number;
  /** Strongest -log10 tail probability of the tests that flagged it. */
  score: number;
  tail: number;
  observed: number;
  expected: number;
  /** Dispersion of the sum over the finding's days (variance = expected + dispersion x expected^2). */
  dispersion: number;
  /** Counts within [bandLow, bandHigh] would not have been flagged. */
  bandLow: number;
  bandHigh: number;
  /** Refund or chargeback ratio: observed over the days, and the baseline's. */
  observedRatio: number | null;
  expectedRatio: number | null;
  weekdayFactor: number;
  trendPerWeek: number;
}

interface MeasureTrack {
  readonly raw: number[];
  /** Raw, with flagged days replaced by their expected value. */
  readonly clean: number[];
  readonly expected: number[];
  /** ahead[k][d]: the expectation of day d made k days before it (ahead[0] is `expected`), so a run is judged against what was expected before it began. */
  readonly ahead: number[][];
  readonly dispersion: number[];
  readonly flagged: boolean[];
}

export interface SeriesTrack {
  readonly partnerId: string;
  readonly productId: string;
  readonly measures: Record<CountMeasure, MeasureTrack>;
  readonly weekdayFactor: number[];
  readonly trendPerWeek: number[];
  readonly ratio: Record<CountMeasure, number[]>;
}

function track(n: number): MeasureTrack {
  const expected = Array<number>(n).fill(NaN);
  const ahead = [expected, ...Array.from({ length: RUN_DAYS_MAX - 1 }, () => Array<number>(n).fill(NaN))];
  return { raw: Array<number>(n).fill(0), clean: Array<number>(n).fill(0), expected, ahead, dispersion: Array<number>(n).fill(NaN), flagged: Array<boolean>(n).fill(false) };
}

export function seriesTracks(activity: readonly DailyActivity[], days: readonly string[]): Map<string, SeriesTrack[]> {
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const byKey = new Map<string, SeriesTrack>();
  for (const row of activity) {
    const index = dayIndex.get(row.day);
    if (index === undefined) continue;
    const key = `${row.partnerId}\u001f${row.productId}`;
    let series = byKey.get(key);
    if (series === undefined) {
      const n = days.length;
      series = {
        partnerId: row.partnerId,
        productId: row.productId,
        measures: { sales: track(n), refunds: track(n), chargebacks: track(n) },
        weekdayFactor: Array<number>(n).fill(NaN),
        trendPerWeek: Array<number>(n).fill(NaN),
        ratio: { sales: Array<number>(n).fill(1), refunds: Array<number>(n).fill(NaN), chargebacks: Array<number>(n).fill(NaN) },
      };
      byKey.set(key, series);
    }
    for (const measure of COUNT_MEASURES) {
      const m = series.measures[measure];
      m.raw[index] = (m.raw[index] ?? 0) + row[measure];
      m.clean[index] = m.raw[index] ?? 0;
    }
  }
  const byPartner = new Map<string, SeriesTrack[]>();
  for (const series of [...byKey.values()].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))) {
    byPartner.set(series.partnerId, [...(byPartner.get(series.partnerId) ?? []), series]);
  }
  return byPartner;
}

/** Weekday shares (Sunday first, averaging 1) of the whole weeks [t - 7 x weeks, t), each day first taken back to day t's level by the growth. */
function weekdayShares(values: readonly number[], weekdays: readonly number[], t: number, weeks: number, growth: number): { shares: number[]; total: number } {
  const sums = Array<number>(WEEKDAYS).fill(0);
  let total = 0;
  let raw = 0;
  for (let d = t - 7 * weeks; d < t; d++) {
    const v = (values[d] ?? 0) * Math.exp(growth * (t - d));
    sums[weekdays[d] ?? 0] = (sums[weekdays[d] ?? 0] ?? 0) + v;
    total += v;
    raw += values[d] ?? 0;
  }
  return { shares: total > 0 ? sums.map((s) => (s * WEEKDAYS) / total) : Array<number>(WEEKDAYS).fill(1), total: raw };
}

interface Growth {
  /** Per day, multiplicative (0.01 = 1 % a day). */
  readonly growth: number;
  /** Its standard error. */
  readonly se: number;
}

/** Log-linear growth through the deseasonalized weekly means of [t - 7 x weeks, t), by least squares, with its standard error. */
function growthOf(values: readonly number[], factors: readonly number[], weekdays: readonly number[], t: number, weeks: number): Growth {
  const centers: number[] = [];
  const logs: number[] = [];
  for (let j = 0; j < weeks; j++) {
    let sum = 0;
    for (let d = t - 7 * (j + 1); d < t - 7 * j; d++) sum += (values[d] ?? 0) / (factors[weekdays[d] ?? 0] ?? 1);
    centers.push(-7 * j - 4);
    logs.push(Math.log(Math.max(sum / 7, LOG_FLOOR)));
  }
  const xBar = centers.reduce((a, v) => a + v, 0) / weeks;
  const yBar = logs.reduce((a, v) => a + v, 0) / weeks;
  let sxy = 0;
  let sxx = 0;
  centers.forEach((c, j) => {
    sxy += (c - xBar) * ((logs[j] ?? 0) - yBar);
    sxx += (c - xBar) ** 2;
  });
  const growth = sxy / sxx;
  let squares = 0;
  centers.forEach((c, j) => (squares += ((logs[j] ?? 0) - yBar - growth * (c - xBar)) ** 2));
  // Two weeks leave no degree of freedom: their growth is as good as unknown.
  const se = weeks > 2 ? Math.sqrt(squares / (weeks - 2) / sxx) : GROWTH_UNKNOWN_SE;
  return { growth, se: Math.max(se, 1e-5) };
}

/** A product's growth, its own estimate weighed against its partner's (which it may differ from by GROWTH_SPREAD). */
function pooledGrowth(own: Growth, partner: Growth): number {
  const ownWeight = 1 / own.se ** 2;
  const partnerWeight = 1 / (partner.se ** 2 + GROWTH_SPREAD ** 2);
  return (own.growth * ownWeight + partner.growth * partnerWeight) / (ownWeight + partnerWeight);
}

/** Level at day t: the Poisson estimate sum(x) / sum(factor x growth) over the last LEVEL_WEEKS_MAX weeks, each day carried to t by the growth. */
function levelAt(values: readonly number[], factors: readonly number[], weekdays: readonly number[], t: number, weeks: number, growth: number): number {
  let observed = 0;
  let weight = 0;
  for (let d = t - 7 * Math.min(weeks, LEVEL_WEEKS_MAX); d < t; d++) {
    observed += values[d] ?? 0;
    weight += (factors[weekdays[d] ?? 0] ?? 1) * Math.exp(-growth * (t - d));
  }
  return Math.max(observed / weight, 1e-6);
}

function normalized(shares: readonly number[]): number[] {
  const norm = shares.reduce((a, v) => a + v, 0) / WEEKDAYS;
  return shares.map((v) => Math.max(v / norm, 0.02));
}

/** Dispersion from the one-day-ahead errors of unflagged days in [from, t), with a prior, errors capped at ERROR_SD_CAP sd. */
function dispersionAt(m: MeasureTrack, from: number, t: number): number {
  const estimate = (cap: number | null) => {
    let numerator = 0;
    let denominator = 0;
    let count = 0;
    for (let d = from; d < t; d++) {
      const mu = m.expected[d] ?? NaN;
      if (!(mu > 0) || m.flagged[d]) continue;
      let square = ((m.raw[d] ?? 0) - mu) ** 2;
      if (cap !== null) square = Math.min(square, ERROR_SD_CAP ** 2 * (mu + cap * mu * mu));
      numerator += square - mu;
      denominator += mu * mu;
      count++;
    }
    const meanSquare = count === 0 ? 1 : denominator / count;
    return Math.max(0, (numerator + DISPERSION_PRIOR * DISPERSION_PRIOR_DAYS * meanSquare) / (denominator + DISPERSION_PRIOR_DAYS * meanSquare));
  };
  return estimate(estimate(null));
}

/** The expected counts of day t for every series of one partner, written into their tracks. */
export function predictPartner(list: readonly SeriesTrack[], weekdays: readonly number[], t: number, o: CausalOptions): void {
  // The spread is learnt from errors up to the days still under judgment: a run in progress does not widen its own band.
  const errorsEnd = t - o.runDaysMax + 1;
  const weeks = Math.min(Math.floor(t / 7), Math.floor(o.historyDays / 7));
  assert(weeks >= 2, 'two whole weeks before a prediction', { t });
  const from = t - 7 * weeks;
  const totals = weekdays.map((_, d) => list.reduce((acc, s) => acc + (s.measures.sales.clean[d] ?? 0), 0));
  const partnerFlat = weekdayShares(totals, weekdays, t, weeks, 0).shares;
  const partnerGrowth = growthOf(totals, partnerFlat, weekdays, t, weeks);
  const partner = weekdayShares(totals, weekdays, t, weeks, partnerGrowth.growth).shares;
  for (const series of list) {
    const sales = series.measures.sales;
    const blend = (growth: number) => {
      const own = weekdayShares(sales.clean, weekdays, t, weeks, growth);
      const weight = own.total / (own.total + PROFILE_SHRINK_SALES);
      return normalized(own.shares.map((share, w) => weight * share + (1 - weight) * (partner[w] ?? 1)));
    };
    const first = blend(partnerGrowth.growth);
    const growth = pooledGrowth(growthOf(sales.clean, first, weekdays, t, weeks), partnerGrowth);
    const factors = blend(growth);
    const level = levelAt(sales.clean, factors, weekdays, t, weeks, growth);
    const factor = factors[weekdays[t] ?? 0] ?? 1;
    const expectedSales = level * factor;
    // The days a run starting today may span, as expected today.
    const aheadSales = Array.from({ length: o.runDaysMax }, (_, k) => level * Math.exp(growth * k) * (factors[weekdays[t + k] ?? 0] ?? 1));
    for (let k = 1; k < o.runDaysMax && t + k < weekdays.length; k++) (sales.ahead[k] as number[])[t + k] = aheadSales[k] ?? NaN;
    series.weekdayFactor[t] = factor;
    series.trendPerWeek[t] = Math.expm1(7 * growth);
    sales.expected[t] = expectedSales;
    sales.dispersion[t] = dispersionAt(sales, Math.max(from, PREDICT_DAYS_MIN), errorsEnd);
    let salesSum = 0;
    for (let d = from; d < t; d++) salesSum += sales.clean[d] ?? 0;
    for (const measure of ['refunds', 'chargebacks'] as const) {
      const m = series.measures[measure];
      let sum = 0;
      for (let d = from; d < t; d++) sum += m.clean[d] ?? 0;
      // Half a reversal over the history keeps a series with none from expecting exactly zero.
      const ratio = (sum + 0.5) / Math.max(salesSum, 1);
      series.ratio[measure][t] = ratio;
      m.expected[t] = ratio * expectedSales;
      for (let k = 1; k < o.runDaysMax && t + k < weekdays.length; k++) (m.ahead[k] as number[])[t + k] = ratio * (aheadSales[k] ?? NaN);
      // The ratio itself is known from `sum` events only: its relative variance 1/(sum + 1) adds to the dispersion (a gamma posterior).
      m.dispersion[t] = dispersionAt(m, Math.max(from, PREDICT_DAYS_MIN), errorsEnd) + 1 / (sum + 1);
    }
  }
}

export interface RunTest {
  readonly observed: number;
  readonly expected: number;
  readonly dispersion: number;
  readonly upper: number;
  readonly lower: number;
}

/**
 * The sum of days [s, t], s = t - length + 1: raw, but a day already flagged at its expected value
 * (it does not count twice), against what was expected of each day on day s, before the run began
 * (later days' own expectations have already learnt from the run's first days).
 */
export function runTest(m: MeasureTrack, t: number, length: number): RunTest | null {
  let observed = 0;
  let expected = 0;
  let variance = 0;
  const start = t - length + 1;
  const dispersion0 = m.dispersion[start] ?? 0;
  for (let d = start; d <= t; d++) {
    const mu = m.ahead[d - start]?.[d] ?? NaN;
    if (!(mu > 0)) return null;
    observed += d < t && m.flagged[d] ? (m.expected[d] ?? mu) : (m.raw[d] ?? 0);
    expected += mu;
    variance += mu + dispersion0 * mu * mu;
  }
  const dispersion = Math.max(0, (variance - expected) / (expected * expected));
  const rounded = Math.round(observed);
  return { observed, expected, dispersion, upper: negBinomialUpperTail(rounded, expected, dispersion), lower: negBinomialLowerTail(rounded, expected, dispersion) };
}

/** The counts that would not be flagged at tail probability p: [low, high]. */
export function nbBand(expected: number, dispersion: number, p: number): [number, number] {
  const sd = Math.sqrt(expected + dispersion * expected * expected);
  let low = Math.max(0, Math.floor(expected - 12 * sd));
  while (low < expected && negBinomialLowerTail(low, expected, dispersion) <= p) low++;
  let high = Math.ceil(expected + 2 * sd);
  while (negBinomialUpperTail(high, expected, dispersion) > p) high++;
  while (high > low && negBinomialUpperTail(high, expected, dispersion) <= p) high--;
  return [low, high];
}

const KIND_OF: Readonly<Record<CountMeasure, { up: CausalKind; down: CausalKind | null }>> = {
  sales: { up: 'volume_spike', down: 'volume_drop' },
  refunds: { up: 'refund_ratio_jump', down: null },
  chargebacks: { up: 'chargeback_burst', down: null },
};

/** Adds a flagged run to the findings, merged into the same series' and kind's finding when they touch. */
function record(findings: CausalFinding[], open: Map<string, CausalFinding>, candidate: CausalFinding): void {
  const key = `${candidate.kind}\u001f${candidate.partnerId}\u001f${candidate.productId ?? ''}`;
  const previous = open.get(key);
  if (previous !== undefined && candidate.first <= previous.last + 1) {
    previous.first = Math.min(previous.first, candidate.first);
    previous.last = Math.max(previous.last, candidate.last);
    if (candidate.score > previous.score) Object.assign(previous, { score: candidate.score, tail: candidate.tail });
    return;
  }
  findings.push(candidate);
  open.set(key, candidate);
}

/** Observed and expected sums, and the band, over a finding's final days. */
function settle(finding: CausalFinding, series: SeriesTrack | undefined, measure: CountMeasure, p: number): void {
  if (series === undefined) return;
  const m = series.measures[measure];
  let observed = 0;
  let expected = 0;
  let variance = 0;
  let sales = 0;
  for (let d = finding.first; d <= finding.last; d++) {
    const mu = m.expected[d] ?? 0;
    observed += m.raw[d] ?? 0;
    expected += mu;
    variance += mu + (m.dispersion[d] ?? 0) * mu * mu;
    sales += series.measures.sales.raw[d] ?? 0;
  }
  finding.observed = observed;
  finding.expected = expected;
  finding.dispersion = expected > 0 ? Math.max(0, (variance - expected) / (expected * expected)) : 0;
  [finding.bandLow, finding.bandHigh] = nbBand(expected, finding.dispersion, p);
  finding.weekdayFactor = series.weekdayFactor[finding.first] ?? 1;
  finding.trendPerWeek = series.trendPerWeek[finding.first] ?? 0;
  if (measure !== 'sales') {
    finding.observedRatio = sales > 0 ? observed / sales : null;
    finding.expectedRatio = series.ratio[measure][finding.first] ?? null;
  }
}

function blank(kind: CausalKind, partnerId: string, productId: string | null, first: number, last: number, score: number, tail: number): CausalFinding {
  return { kind, partnerId, productId, first, last, score, tail, observed: 0, expected: 0, dispersion: 0, bandLow: 0, bandHigh: 0, observedRatio: null, expectedRatio: null, weekdayFactor: 1, trendPerWeek: 0 };
}

/** The partner has had no activity at all on days [t - length + 1, t]: how improbable is that, given what was expected of its products? */
function silenceTest(list: readonly SeriesTrack[], t: number, o: CausalOptions): { first: number; surprise: number; tail: number } | null {
  let first = t + 1;
  for (let d = t; d >= 0 && t - d < o.historyDays; d--) {
    const active = list.some((s) => COUNT_MEASURES.some((measure) => (s.measures[measure].raw[d] ?? 0) > 0));
    if (active) break;
    first = d;
  }
  if (t - first + 1 < o.silenceDaysMin) return null;
  let logZero = 0;
  for (let d = first; d <= t; d++) {
    for (const s of list) {
      const mu = s.measures.sales.expected[d] ?? NaN;
      if (!(mu > 0)) return null;
      const phi = s.measures.sales.dispersion[d] ?? 0;
      logZero += phi > 1e-9 ? -Math.log1p(phi * mu) / phi : -mu;
    }
  }
  const tail = Math.exp(logZero);
  return { first, surprise: surprise(tail), tail };
}

/**
 * Judges every day from `warmupDays` on against the days before it. `days` are consecutive
 * calendar days; activity outside them is ignored.
 */
export type Predictor = (list: readonly SeriesTrack[], weekdays: readonly number[], t: number, options: CausalOptions) => void;

export function detectCausal(activity: readonly DailyActivity[], days: readonly string[], options: CausalOptions = DEFAULT_CAUSAL_OPTIONS, predict: Predictor = predictPartner): CausalFinding[] {
  const o = options;
  assert(o.warmupDays >= PREDICT_DAYS_MIN && o.historyDays >= 14 && o.runDaysMax >= 1 && o.runDaysMax <= RUN_DAYS_MAX && o.silenceDaysMin >= 1, 'a warm-up of two weeks or more, runs of 1 to 7 days', { ...o });
  const weekdays = days.map(weekdayOf);
  const threshold = SENSITIVITY_SURPRISE[o.sensitivity];
  const tailMax = 10 ** -threshold;
  const findings: CausalFinding[] = [];
  for (const [partnerId, list] of seriesTracks(activity, days)) {
    const open = new Map<string, CausalFinding>();
    const settleOf = new Map<CausalFinding, { series: SeriesTrack | undefined; measure: CountMeasure }>();
    for (let t = PREDICT_DAYS_MIN; t < days.length; t++) {
      predict(list, weekdays, t, o);
      if (t < o.warmupDays) continue;
      const silence = silenceTest(list, t, o);
      if (silence !== null && silence.surprise >= threshold) {
        const candidate = blank('partner_silent', partnerId, null, silence.first, t, silence.surprise, silence.tail);
        record(findings, open, candidate);
        for (const s of list) {
          for (const measure of COUNT_MEASURES) {
            const m = s.measures[measure];
            for (let d = silence.first; d <= t; d++) {
              m.flagged[d] = true;
              m.clean[d] = m.expected[d] ?? 0;
            }
          }
        }
        continue;
      }
      for (const series of list) {
        for (const measure of COUNT_MEASURES) {
          const m = series.measures[measure];
          const kinds = KIND_OF[measure];
          let best: { kind: CausalKind; length: number; score: number; tail: number } | null = null;
          for (let length = 1; length <= o.runDaysMax && t - length + 1 >= PREDICT_DAYS_MIN; length++) {
            const test = runTest(m, t, length);
            if (test === null) break;
            const needed = threshold + RUN_SURPRISE_STEP * (length - 1);
            // A run is only tested when today itself leans the same way: yesterday's excess alone is not today's finding.
            const today = m.raw[t] ?? 0;
            const todayExpected = m.expected[t] ?? 0;
            for (const [kind, tail, leans] of [
              [kinds.up, test.upper, today > todayExpected],
              [kinds.down, test.lower, today < todayExpected],
            ] as const) {
              if (kind === null || !leans) continue;
              const score = surprise(tail);
              if (score >= needed && (best === null || score - needed > best.score - (threshold + RUN_SURPRISE_STEP * (best.length - 1)))) best = { kind, length, score, tail };
            }
          }
          if (best === null) {
            const mu = m.expected[t] ?? NaN;
            if (mu > 0) {
              const sd = Math.sqrt(mu + (m.dispersion[t] ?? 0) * mu * mu);
              m.clean[t] = Math.min(mu + CLEAN_SD_MAX * sd, Math.max(mu - CLEAN_SD_MAX * sd, m.raw[t] ?? 0));
            }
            continue;
          }
          const candidate = blank(best.kind, series.partnerId, series.productId, t - best.length + 1, t, best.score, best.tail);
          record(findings, open, candidate);
          settleOf.set(candidate, { series, measure });
          for (let d = t - best.length + 1; d <= t; d++) {
            m.flagged[d] = true;
            m.clean[d] = m.expected[d] ?? 0;
          }
        }
      }
    }
    // A product's drop on a day its partner went silent is that silence.
    const silences = findings.filter((f) => f.kind === 'partner_silent' && f.partnerId === partnerId);
    for (let index = findings.length - 1; index >= 0; index--) {
      const f = findings[index] as CausalFinding;
      if (f.partnerId === partnerId && f.kind === 'volume_drop' && silences.some((s) => f.first <= s.last + 1 && f.last >= s.first - 1)) findings.splice(index, 1);
    }
    for (const f of findings.filter((each) => each.partnerId === partnerId)) {
      if (f.kind === 'partner_silent') settleSilence(f, list);
      else {
        const target = settleOf.get(f);
        if (target !== undefined) settle(f, target.series, target.measure, tailMax);
      }
    }
  }
  return findings;
}

function settleSilence(finding: CausalFinding, list: readonly SeriesTrack[]): void {
  let expected = 0;
  for (let d = finding.first; d <= finding.last; d++) for (const s of list) expected += s.measures.sales.expected[d] ?? 0;
  finding.observed = 0;
  finding.expected = expected;
  finding.bandLow = 1;
  finding.bandHigh = Number.POSITIVE_INFINITY;
}
