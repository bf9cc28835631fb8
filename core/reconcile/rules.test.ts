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

  it('refuses an option it does not know, at any depth, instead of ignoring it', () => {
    // A typo or a removed option (textTokenNeedsDigit) silently ignored would run other rules than the analyst wrote.
    const unknownAt = (input: unknown) => {
      try {
        parseRules(input as never);
      } catch (error) {
        return (error as { issues?: { code: string; path: PropertyKey[]; keys?: string[] }[] }).issues?.map((issue) => ({ code: issue.code, path: issue.path.join('.'), keys: issue.keys }));
      }
      return 'accepted';
    };
    expect(unknownAt({ dateWindowDay: 5 })).toEqual([{ code: 'unrecognized_keys', path: '', keys: ['dateWindowDay'] }]);
    expect(unknownAt({ reference: { textTokenNeedsDigit: true } })).toEqual([{ code: 'unrecognized_keys', path: 'reference', keys: ['textTokenNeedsDigit'] }]);
    for (const section of ['batch', 'psp', 'assignment', 'subsetSum', 'fx', 'suggest'] as const) {
      expect(unknownAt({ [section]: { nope: 1 } })).toEqual([{ code: 'unrecognized_keys', path: section, keys: ['nope'] }]);
    }
    expect(unknownAt({ fx: { pairs: [{ from: 'EUR', to: 'USD', rate: '1.1' }] } })).toEqual([{ code: 'unrecognized_keys', path: 'fx.pairs.0', keys: ['rate'] }]);
  });

  it('is idempotent on parsed rules', () => {
    const rules = parseRules({ dateWindowDays: 5, order: ['amount-date'] });
    expect(parseRules(rules)).toEqual(rules);
  });
});
