import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSlots } from './exact-slots.ts';
import type { MinorUnits } from './minor.ts';

const amount = fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 52), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }));

describe('ExactSlots', () => {
  it('sums every slot exactly, past 2^53 and back, through a relayout', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(7), amount), { maxLength: 200 }), (adds) => {
        const slots = new ExactSlots(8);
        const truth = new Array<bigint>(8).fill(0n);
        for (const [index, value] of adds) {
          slots.add(index, value as MinorUnits);
          truth[index] = (truth[index] as bigint) + BigInt(value);
        }
        slots.relayout(16, (index) => 15 - index);
        truth.forEach((sum, index) => expect(BigInt(slots.read(15 - index))).toBe(sum));
      }),
      { numRuns: 300 },
    );
  });
});
