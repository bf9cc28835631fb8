import { describe, expect, it } from 'vitest';
import { parseRules } from './rules.ts';

describe('parseRules', () => {
  it('states every default', () => {
    const rules = parseRules();
    expect(rules.order).toEqual(['reference', 'batch', 'amount-date', 'subset-sum', 'fx', 'reversal']);
    expect(rules.dateWindowDays).toBe(3);
    expect(rules.amountTolerance).toBe('0');
    expect(rules.fx).toEqual({ pairs: [], toleranceBps: 100 });
    expect(rules.suggest.autoAcceptScoreMin).toBeNull();
    expect(rules.subsetSum).toEqual({ candidatesMax: 12, itemsMax: 4 });
  });

  it('refuses a negative or non-decimal tolerance, a repeated rule and an FX pair of one currency', () => {
    expect(() => parseRules({ amountTolerance: '-0.01' })).toThrow(/non-negative decimal/);
    expect(() => parseRules({ amountTolerance: '0,01' })).toThrow(/non-negative decimal/);
    expect(() => parseRules({ order: ['reference', 'reference'] })).toThrow(/appears twice/);
    expect(() => parseRules({ fx: { pairs: [{ from: 'EUR', to: 'EUR' }] } })).toThrow(/two different currencies/);
    expect(() => parseRules({ fx: { pairs: [{ from: 'EUR', to: 'ABC' }] } })).toThrow(/ISO 4217/);
  });

  it('is idempotent on parsed rules', () => {
    const rules = parseRules({ dateWindowDays: 5, order: ['amount-date'] });
    expect(parseRules(rules)).toEqual(rules);
  });
});
