import { describe, expect, it } from 'vitest';
import { AmountIndex } from './indexes.ts';

describe('AmountIndex', () => {
  const amounts = [100, 101, 99, 100, 250, 2n ** 60n];
  const days = [10, 10, 10, 20, 10, 10];
  const index = new AmountIndex(
    () => 'EUR',
    (key) => amounts[key] as number | bigint,
    (key) => days[key] as number,
    amounts.map((_, key) => key),
  );
  const query = { currency: 'EUR', minor: 100, toleranceMinor: 1, day: 11, windowDays: 1, candidatesMax: 10 };

  it('returns the keys within tolerance and window only', () => {
    expect(index.query(query)?.sort()).toEqual([0, 1, 2]);
    expect(index.query({ ...query, toleranceMinor: 0 })).toEqual([0]);
    expect(index.query({ ...query, windowDays: 9 })?.sort()).toEqual([0, 1, 2, 3]);
    expect(index.query({ ...query, currency: 'USD' })).toEqual([]);
  });

  it('answers null when more candidates than allowed', () => {
    expect(index.query({ ...query, candidatesMax: 2 })).toBeNull();
  });

  it('handles BigInt amounts', () => {
    expect(index.query({ ...query, minor: 2n ** 60n, toleranceMinor: 0, day: 10 })).toEqual([5]);
  });
});
