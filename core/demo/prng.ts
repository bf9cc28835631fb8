import { assert } from '../assert.ts';

/**
 * A seeded pseudo-random generator for the demo month: xoshiro128** (Blackman & Vigna), seeded
 * through splitmix32 so that nearby seeds give unrelated streams. Written by hand because it is
 * twenty lines and the output must be byte-identical in Node, browsers and workers: only 32-bit
 * integer operations (Math.imul, shifts) and IEEE +,-,*,/ and sqrt are used, never Math.random
 * or transcendental functions whose last bit may differ between engines.
 */
export interface Prng {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** A uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One element by non-negative weights. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  /** An approximately standard normal variate (Irwin-Hall: sum of 12 uniforms minus 6). */
  normal(): number;
  /** A non-negative count with mean `mean`: Poisson by inversion for small means, a rounded normal above. */
  count(mean: number): number;
  /** An independent generator derived from this one and a label (streams per partner, per file...). */
  fork(label: string): Prng;
}

const UINT32 = 4_294_967_296;
const POISSON_INVERSION_MEAN_MAX = 30;
const COUNT_LOOP_MAX = 1000;

function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** FNV-1a over UTF-16 code units: turns a fork label into a 32-bit number. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let index = 0; index < label.length; index++) {
    h ^= label.charCodeAt(index);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Poisson weights e^-mean, computed as a product of halves so no Math.exp is needed. */
function expNeg(mean: number): number {
  // e^-x = (e^-(x/2^k))^(2^k); for small y, e^-y by its Taylor series to 8 terms (exact enough, deterministic).
  let k = 0;
  let y = mean;
  while (y > 0.125 && k < 16) {
    y /= 2;
    k++;
  }
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 8; n++) {
    term *= -y / n;
    sum += term;
  }
  for (let index = 0; index < k; index++) sum *= sum;
  return sum;
}

export function createPrng(seed: number): Prng {
  assert(Number.isSafeInteger(seed), 'the seed is a safe integer', { seed });
  let mix = (seed | 0) ^ Math.floor(seed / UINT32);
  const state = new Uint32Array(4);
  for (let index = 0; index < 4; index++) {
    const [next, value] = splitmix32(mix);
    mix = next;
    state[index] = value;
  }
  return fromState(state);
}

function fromState(state: Uint32Array): Prng {
  assert(state.length === 4 && state.some((word) => word !== 0), 'xoshiro128** state is four words, not all zero');
  const nextUint32 = (): number => {
    const s0 = state[0] ?? 0;
    const s1 = state[1] ?? 0;
    const s2 = state[2] ?? 0;
    const s3 = state[3] ?? 0;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    const n2 = (s2 ^ s0) >>> 0;
    const n3 = (s3 ^ s1) >>> 0;
    state[1] = (s1 ^ n2) >>> 0;
    state[0] = (s0 ^ n3) >>> 0;
    state[2] = (n2 ^ t) >>> 0;
    state[3] = rotl(n3, 11);
    return result;
  };
  const next = (): number => nextUint32() / UINT32;
  const prng: Prng = {
    nextUint32,
    next,
    int(min, max) {
      assert(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max, 'int(min, max) takes ordered integers', { min, max });
      return min + Math.floor(next() * (max - min + 1));
    },
    chance: (p) => next() < p,
    pick(items) {
      assert(items.length > 0, 'pick from a non-empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted(items, weights) {
      assert(items.length === weights.length && items.length > 0, 'one weight per item');
      const total = weights.reduce((acc, w) => acc + w, 0);
      let target = next() * total;
      for (let index = 0; index < items.length; index++) {
        target -= weights[index] ?? 0;
        if (target < 0) return items[index] as (typeof items)[number];
      }
      return items[items.length - 1] as (typeof items)[number];
    },
    normal() {
      let total = 0;
      for (let index = 0; index < 12; index++) total += next();
      return total - 6;
    },
    count(mean) {
      assert(mean >= 0 && Number.isFinite(mean), 'a count mean is finite and non-negative', { mean });
      if (mean > POISSON_INVERSION_MEAN_MAX) return Math.max(0, Math.round(mean + Math.sqrt(mean) * prng.normal()));
      const u = next();
      let p = expNeg(mean);
      let cumulative = p;
      let k = 0;
      while (u > cumulative && k < COUNT_LOOP_MAX) {
        k++;
        p *= mean / k;
        cumulative += p;
      }
      return k;
    },
    fork(label) {
      const child = new Uint32Array(4);
      let mix = (nextUint32() ^ hashLabel(label)) | 0;
      for (let index = 0; index < 4; index++) {
        const [following, value] = splitmix32(mix);
        mix = following;
        child[index] = value;
      }
      return fromState(child);
    },
  };
  return prng;
}
