import { assert } from '../assert.ts';
import { MAD_TO_SD, mad, median } from './stats.ts';

/**
 * Robust daily baselines with weekday seasonality. The weekday profile is estimated on a
 * partner's total (several products, so less noisy than one product) as the median of each
 * weekday over its median of all days; a series' level is the median of its deseasonalized
 * days. Medians ignore the few anomalous days they are meant to find.
 */
export interface DailyBaseline {
  /** Typical deseasonalized daily count. */
  readonly level: number;
  /** Expected count per day (level x weekday factor), in the order of the days given. */
  readonly expected: readonly number[];
  /** Robust spread of the residuals (1.4826 x MAD). */
  readonly residualSd: number;
}

export const WEEKDAYS = 7;
/** A weekday factor never leaves this band: a profile from four or five samples is not trusted further. */
const FACTOR_MIN = 0.25;
const FACTOR_MAX = 4;

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** Multiplicative weekday factors (Sunday first) averaging 1, from a daily total series. */
export function weekdayProfile(days: readonly string[], totals: readonly number[]): number[] {
  assert(days.length === totals.length, 'one total per day', { days: days.length, totals: totals.length });
  const overall = totals.length === 0 ? 0 : median(totals);
  if (overall <= 0) return Array<number>(WEEKDAYS).fill(1);
  const raw = Array.from({ length: WEEKDAYS }, (_, weekday) => {
    const sample = totals.filter((_, index) => weekdayOf(days[index] ?? '') === weekday);
    return sample.length === 0 ? 1 : Math.min(FACTOR_MAX, Math.max(FACTOR_MIN, median(sample) / overall));
  });
  const mean = raw.reduce((acc, v) => acc + v, 0) / WEEKDAYS;
  return raw.map((v) => v / mean);
}

export function dailyBaseline(days: readonly string[], counts: readonly number[], profile: readonly number[]): DailyBaseline {
  assert(days.length === counts.length && days.length > 0, 'one count per day, at least one day');
  assert(profile.length === WEEKDAYS, 'seven weekday factors');
  const factors = days.map((day) => profile[weekdayOf(day)] ?? 1);
  const level = median(counts.map((count, index) => count / (factors[index] ?? 1)));
  const expected = factors.map((factor) => level * factor);
  const residualSd = MAD_TO_SD * mad(counts.map((count, index) => count - (expected[index] ?? 0)));
  return { level, expected, residualSd };
}
