import { describe, expect, it } from 'vitest';
import { divRoundHalfEven } from './activity.ts';
import { createPrng } from './prng.ts';

describe('seeded PRNG', () => {
  it('repeats its stream for a seed and differs between seeds and forks', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const first = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(first);
    expect(createPrng(43).nextUint32()).not.toBe(first[0]);
    expect(createPrng(42).fork('x').nextUint32()).not.toBe(createPrng(42).fork('y').nextUint32());
  });

  it('draws uniform floats in [0, 1) and counts with the asked mean', () => {
    const prng = createPrng(7);
    let total = 0;
    for (let index = 0; index < 20_000; index++) {
      const u = prng.next();
      expect(u >= 0 && u < 1).toBe(true);
      total += u;
    }
    expect(total / 20_000).toBeCloseTo(0.5, 1);
    for (const mean of [0.5, 4, 60]) {
      const draws = Array.from({ length: 20_000 }, () => prng.count(mean));
      const average = draws.reduce((acc, v) => acc + v, 0) / draws.length;
      expect(Math.abs(average - mean) / mean).toBeLessThan(0.03);
      expect(draws.every((v) => Number.isSafeInteger(v) && v >= 0)).toBe(true);
    }
  });

  it('rounds integer fees half to even', () => {
    expect([divRoundHalfEven(5, 2), divRoundHalfEven(7, 2), divRoundHalfEven(749, 100), divRoundHalfEven(750, 100), divRoundHalfEven(850, 100)]).toEqual([2, 4, 7, 8, 8]);
  });
});
