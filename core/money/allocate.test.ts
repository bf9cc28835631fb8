import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, AllocationError } from './allocate.ts';
import { minorUnitsOf } from './iso4217.ts';
import { money } from './money.ts';
import { fromMinorUnits, toMinorUnits } from './minor.ts';

const amounts = (parts: readonly { amount: string }[]) => parts.map((part) => part.amount);

describe('allocate (largest remainder)', () => {
  it('splits 100.00 three ways without losing a cent', () => {
    expect(amounts(allocate(money('100.00', 'EUR'), ['1', '1', '1']))).toEqual(['33.34', '33.33', '33.33']);
  });

  it('gives the leftover units to the largest remainders, not the first parts', () => {
    // 10.00 over 0.3/0.3/0.4: exact shares 3, 3, 4: no leftover.
    expect(amounts(allocate(money('10.00', 'EUR'), ['0.3', '0.3', '0.4']))).toEqual(['3.00', '3.00', '4.00']);
    // 0.05 over 1/3: exact 0.0125 and 0.0375 -> floors 1 and 3 cents, remainders .25 and .75 -> the 1 left cent goes to the second.
    expect(amounts(allocate(money('0.05', 'USD'), ['1', '3']))).toEqual(['0.01', '0.04']);
  });

  it('handles negative totals symmetrically', () => {
    expect(amounts(allocate(money('-100.00', 'EUR'), ['1', '1', '1']))).toEqual(['-33.34', '-33.33', '-33.33']);
  });

  it('gives zero weights zero, and works in currencies without decimals', () => {
    expect(amounts(allocate(money('1000', 'JPY'), ['0', '70', '30']))).toEqual(['0', '700', '300']);
    expect(amounts(allocate(money('1', 'KRW'), ['1', '1']))).toEqual(['1', '0']);
    expect(amounts(allocate(money('0.010', 'KWD'), ['1', '2']))).toEqual(['0.003', '0.007']);
  });

  it('refuses empty, all-zero and negative weights with codes', () => {
    expect(() => allocate(money('1.00', 'EUR'), [])).toThrowError(expect.objectContaining({ code: 'allocation_no_weights' }));
    expect(() => allocate(money('1.00', 'EUR'), ['0', '0'])).toThrowError(expect.objectContaining({ code: 'allocation_weights_zero' }));
    expect(() => allocate(money('1.00', 'EUR'), ['1', '-1'])).toThrow(AllocationError);
  });

  it('conserves the total for any amount and weights', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('EUR', 'JPY', 'KWD', 'CLF'),
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.array(fc.stringMatching(/^\d{1,6}(\.\d{1,4})?$/), { minLength: 1, maxLength: 20 }).filter((ws) => ws.some((w) => /[1-9]/.test(w))),
        (currency, minor, weights) => {
          const exponent = minorUnitsOf(currency);
          const total = money(fromMinorUnits(minor, exponent), currency);
          const parts = allocate(total, weights);
          expect(parts).toHaveLength(weights.length);
          const sum = parts.reduce((acc, part) => acc + BigInt(toMinorUnits(part.amount, exponent)), 0n);
          expect(sum).toBe(minor);
          // No part strays from its exact share by a whole unit or more.
          const weightTotal = weights.reduce((acc, w) => acc + Number(w), 0);
          parts.forEach((part, index) => {
            const exact = (Number(minor) * Number(weights[index])) / weightTotal;
            expect(Math.abs(Number(toMinorUnits(part.amount, exponent)) - exact)).toBeLessThanOrEqual(1 + Math.abs(exact) * 1e-9);
          });
        },
      ),
    );
  });
});
