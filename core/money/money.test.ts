import { describe, expect, it } from 'vitest';
import { add, compare, CurrencyMismatchError, money, multiply, negate, roundMoney, subtract, sum, zero } from './money.ts';
import { roundTo, ROUNDING_MODES } from './rounding.ts';

describe('Money', () => {
  it('is a canonical decimal string padded to the currency digits', () => {
    expect(money('12.5', 'EUR')).toEqual({ amount: '12.50', currency: 'EUR' });
    expect(money('12', 'KWD')).toEqual({ amount: '12.000', currency: 'KWD' });
    expect(money('-0', 'EUR').amount).toBe('0.00');
    expect(Object.isFrozen(money('1', 'EUR'))).toBe(true);
  });

  it('refuses floats in disguise and unknown currencies', () => {
    expect(() => money('1e3', 'EUR')).toThrowError(expect.objectContaining({ code: 'amount_not_decimal' }));
    expect(() => money('1.00', 'ABC')).toThrowError(expect.objectContaining({ code: 'currency_unknown' }));
  });

  it('adds 0.1 and 0.2 exactly', () => {
    expect(add(money('0.1', 'USD'), money('0.2', 'USD')).amount).toBe('0.30');
    expect(subtract(money('0.3', 'USD'), money('0.1', 'USD')).amount).toBe('0.20');
    expect(sum([money('0.10', 'USD'), money('0.20', 'USD'), money('-0.30', 'USD')], 'USD')).toEqual(zero('USD'));
  });

  it('never mixes currencies', () => {
    expect(() => add(money('1', 'EUR'), money('1', 'USD'))).toThrow(CurrencyMismatchError);
    expect(() => compare(money('1', 'EUR'), money('1', 'USD'))).toThrowError(expect.objectContaining({ code: 'currency_mismatch' }));
  });

  it('multiplies without rounding, then rounds with the named mode', () => {
    const share = multiply(money('10.05', 'EUR'), '0.7');
    expect(share.amount).toBe('7.035');
    expect(roundMoney(share, 'half-even').amount).toBe('7.04');
    expect(roundMoney(share, 'down').amount).toBe('7.03');
    expect(roundMoney(negate(share), 'half-up').amount).toBe('-7.04');
  });
});

describe('rounding modes', () => {
  // The SETTLEMENT-CONVENTIONS example: -0.245 -> -0.24 or -0.25.
  it.each([
    ['half-even', '-0.245', '-0.24'],
    ['half-up', '-0.245', '-0.25'],
    ['half-down', '-0.245', '-0.24'],
    ['down', '-0.245', '-0.24'],
    ['up', '-0.245', '-0.25'],
    ['floor', '-0.245', '-0.25'],
    ['ceiling', '-0.245', '-0.24'],
    ['half-even', '0.235', '0.24'],
    ['half-up', '0.245', '0.25'],
    ['down', '0.249', '0.24'],
    ['up', '0.241', '0.25'],
  ] as const)('%s rounds %s to %s', (mode, input, expected) => {
    expect(roundTo(input, 2, mode).toFixed(2)).toBe(expected);
  });

  it('every named mode is a distinct rule on the tie and non-tie cases', () => {
    const results = ROUNDING_MODES.map((mode) => ['-0.245', '0.245', '0.235', '0.241', '-0.241', '0.249'].map((value) => roundTo(value, 2, mode).toFixed(2)).join(' '));
    expect(new Set(results).size).toBe(ROUNDING_MODES.length);
  });
});
