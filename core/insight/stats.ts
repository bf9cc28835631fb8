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

const LANCZOS = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0 (Lanczos, g = 7, about 15 significant digits). */
export function logGamma(x: number): number {
  assert(x > 0 && Number.isFinite(x), 'log-gamma of a positive number', { x });
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = 0.99999999999980993;
  LANCZOS.forEach((c, index) => (sum += c / (z + index + 1)));
  const t = z + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Below this dispersion a negative binomial is a Poisson for every count we see. */
const DISPERSION_POISSON_MAX = 1e-6;

/**
 * Negative binomial with mean `mean` and dispersion `phi` (variance = mean + phi x mean^2): the
 * gamma-Poisson mixture that daily counts with day-to-day swings of their own follow. phi = 0 is
 * the Poisson.
 */
function nbLogPmf(k: number, mean: number, phi: number): number {
  const size = 1 / phi;
  return logGamma(k + size) - logGamma(size) - logFactorial(k) + size * Math.log(size / (size + mean)) + k * Math.log(mean / (size + mean));
}

/** P(X >= k) for X ~ NB(mean, phi). */
export function negBinomialUpperTail(k: number, mean: number, phi: number): number {
  assert(mean >= 0 && Number.isFinite(mean) && phi >= 0 && Number.isFinite(phi), 'a finite non-negative mean and dispersion', { mean, phi });
  if (phi < DISPERSION_POISSON_MAX || mean === 0) return poissonUpperTail(k, mean);
  if (k <= 0) return 1;
  const size = 1 / phi;
  const q = mean / (size + mean);
  let term = Math.exp(nbLogPmf(k, mean, phi));
  let total = term;
  for (let i = k; i < k + TAIL_TERMS_MAX * 10 && term > total * 1e-17; i++) {
    term *= ((i + size) / (i + 1)) * q;
    total += term;
  }
  return Math.min(1, total);
}

/** P(X <= k) for X ~ NB(mean, phi). */
export function negBinomialLowerTail(k: number, mean: number, phi: number): number {
  assert(mean >= 0 && Number.isFinite(mean) && phi >= 0 && Number.isFinite(phi), 'a finite non-negative mean and dispersion', { mean, phi });
  if (phi < DISPERSION_POISSON_MAX || mean === 0) return poissonLowerTail(k, mean);
  if (k < 0) return 0;
  const size = 1 / phi;
  const q = mean / (size + mean);
  let term = Math.exp(nbLogPmf(0, mean, phi));
  let total = term;
  for (let i = 0; i < k && i < TAIL_TERMS_MAX * 10; i++) {
    term *= ((i + size) / (i + 1)) * q;
    total += term;
  }
  return Math.min(1, total);
}
