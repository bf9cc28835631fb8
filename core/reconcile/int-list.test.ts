import { describe, expect, it } from 'vitest';
import { IntList } from './int-list.ts';

describe('IntList', () => {
  it('keeps every value in order past its first capacity', () => {
    // Capacity 2, five values: it grows 2 -> 4 -> 8 and loses none.
    const list = new IntList(2);
    for (const value of [7, -1, 0, 2_147_483_647, 3]) list.push(value);
    expect(list.length).toBe(5);
    expect([0, 1, 2, 3, 4].map((position) => list.at(position))).toEqual([7, -1, 0, 2_147_483_647, 3]);
    // Positions 1 to 3, and nothing past the last value however far the end asked.
    expect(list.slice(1, 4)).toEqual([-1, 0, 2_147_483_647]);
    expect(list.slice(3, 100)).toEqual([2_147_483_647, 3]);
    // A range past the last value is empty, not negative in length.
    expect(list.slice(6, 9)).toEqual([]);
  });
});
