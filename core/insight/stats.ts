import { assert } from '../assert.ts';

/**
 * Float statistics on counts and ratios (never on money): median, MAD, and Poisson tails
 * summed term by term so that tiny tail probabilities keep their precision.
 */
export const MAD_TO_SD = 1.4826;
const TAIL_TERMS_MAX = 2000;
const LOG_FACTORIAL_CACHE: number[] = [0];

export function median(values: readonly number[]): number {
  assert(values.length > 0, 'median of a non-empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function mad(values: readonly number[]): number {
  const center = median(values);
  return median(values.map((v) => Math.abs(v - center)));
}

function logFactorial(n: number): number {
  assert(Number.isSafeInteger(n) && n >= 0, 'factorial of a whole count', { n });
  for (let k = LOG_FACTORIAL_CACHE.length; k <= n; k++) LOG_FACTORIAL_CACHE.push((LOG_FACTORIAL_CACHE[k - 1] ?? 0) + Math.log(k));
  return LOG_FACTORIAL_CACHE[n] ?? 0;
}

function logPmf(k: number, mean: number): number {
  return mean === 0 ? (k === 0 ? 0 : -Infinity) : -mean + k * Math.log(mean) - logFactorial(k);
}

/** P(X >= k) for X ~ Poisson(mean). */
export function poissonUpperTail(k: number, mean: number): number {
  assert(mean >= 0 && Number.isFinite(mean), 'a finite non-negative mean', { mean });
  if (k <= 0) return 1;
  let term = Math.exp(logPmf(k, mean));
  let total = term;
  for (let i = k + 1; i < k + TAIL_TERMS_MAX && term > total * 1e-17; i++) {
    term *= mean / i;
    total += term;
  }
  return Math.min(1, total);
}

/** P(X <= k) for X ~ Poisson(mean). */
export function poissonLowerTail(k: number, mean: number): number {
  assert(mean >= 0 && Number.isFinite(mean), 'a finite non-negative mean', { mean });
  if (k < 0) return 0;
  let total = 0;
  for (let i = 0; i <= k && i < TAIL_TERMS_MAX; i++) total += Math.exp(logPmf(i, mean));
  return Math.min(1, total);
}

/** -log10(p), capped so that a zero probability still sorts as the strongest finding. */
export function surprise(p: number): number {
  return p <= 1e-50 ? 50 : -Math.log10(p);
}
