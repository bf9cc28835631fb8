import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettleDeskError } from '../errors.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { classify, compileRules } from './rules.ts';

function transaction(overrides: Partial<CanonicalTransaction>): CanonicalTransaction {
  return {
    id: 'tx_1',
    source: { sourceId: 's', format: 'stripe', fileName: 'f.csv', line: 2 },
    kind: 'sale',
    occurredAt: '2026-03-31T23:30:00-08:00',
    bookingDate: '2026-03-31',
    valueDate: null,
    amount: '100.00',
    currency: 'USD',
    account: 'acct_1',
    partnerId: null,
    productId: null,
    channel: 'ios',
    counterparty: { name: null, account: null },
    references: { externalId: 'ch_1', batchId: null, endToEndId: null, bankReference: null },
    description: 'Order 1001 - Gem Pack',
    customerRef: null,
    raw: { 'Item ID': 'gem-pack-1' },
    ...overrides,
  };
}

const rules = compileRules({
  rules: [
    { id: 'fees', when: [{ op: 'equals', field: 'kind', value: 'fee' }], assign: { account: '6100 PSP fees' } },
    {
      id: 'hana-gems',
      when: [
        { op: 'regex', field: 'description', pattern: 'gem\\s+pack', ignoreCase: true },
        { op: 'in', field: 'channel', values: ['ios', 'android'] },
      ],
      assign: { account: '4000 Revenue', partnerId: 'studio-hana', productId: 'gem-pack-1' },
    },
    {
      id: 'small-usd',
      when: [{ op: 'range', field: 'amount', min: '0.00', max: '10.00', maxInclusive: false, currency: 'USD' }],
      assign: { account: '4010 Micro revenue', kind: 'sale' },
    },
    { id: 'march-raw', when: [{ op: 'equals', field: 'raw.Item ID', value: 'season-pass' }, { op: 'dateRange', field: 'occurredAt', from: '2026-03-01', to: '2026-03-31' }], assign: { account: '4020 Passes' } },
  ],
});

describe('classification rules', () => {
  it('applies the first matching rule and its assignments', () => {
    const result = classify([transaction({}), transaction({ id: 'tx_2', kind: 'fee', description: 'gem pack fee' })], rules);
    expect(result.classified.map((c) => [c.transaction.id, c.ruleId, c.ledgerAccount, c.transaction.partnerId, c.transaction.productId])).toEqual([
      ['tx_1', 'hana-gems', '4000 Revenue', 'studio-hana', 'gem-pack-1'],
      ['tx_2', 'fees', '6100 PSP fees', null, null],
    ]);
  });

  it('compares amount ranges exactly, with the stated inclusivity and currency', () => {
    const run = (amount: string, currency = 'USD') => classify([transaction({ amount, currency, description: null })], rules).classified[0]?.ruleId ?? null;
    expect(run('9.99')).toBe('small-usd');
    expect(run('0.00')).toBe('small-usd');
    expect(run('10.00')).toBeNull();
    expect(run('9.999999999999999999')).toBe('small-usd');
    expect(run('10.000000000000000001')).toBeNull();
    expect(run('-0.01')).toBeNull();
    expect(run('5.00', 'EUR')).toBeNull();
  });

  it('matches raw cells and the source calendar date of occurredAt, not a UTC-shifted one', () => {
    const pass = transaction({ description: null, amount: '50.00', raw: { 'Item ID': 'season-pass' } });
    expect(classify([pass], rules).classified[0]?.ruleId).toBe('march-raw');
    expect(classify([{ ...pass, occurredAt: '2026-04-01T00:10:00+09:00' }], rules).unclassified).toHaveLength(1);
  });

  it('returns what no rule matches as unclassified, never in a default bucket', () => {
    const odd = transaction({ kind: 'payout', amount: '-500.00', description: 'PAYOUT', raw: {} });
    const result = classify([odd], rules);
    expect(result.classified).toEqual([]);
    expect(result.unclassified).toEqual([odd]);
  });

  it('names the rule with an invalid regex or an invalid shape', () => {
    const errorOf = (input: unknown): SettleDeskError => {
      try {
        compileRules(input);
      } catch (error) {
        if (error instanceof SettleDeskError) return error;
        throw error;
      }
      throw new Error('expected an error');
    };
    const regex = errorOf({ rules: [{ id: 'broken', when: [{ op: 'regex', field: 'description', pattern: '(unclosed' }], assign: { account: 'x' } }] });
    expect(regex.code).toBe('rule_regex_invalid');
    expect(regex.details.ruleId).toBe('broken');
    const shape = errorOf({ rules: [{ id: 'ok', when: [{ op: 'equals', field: 'kind', value: 'fee' }], assign: { account: 'a' } }, { id: 'bad-range', when: [{ op: 'range', field: 'amount', min: '10', max: '1' }], assign: { account: 'a' } }] });
    expect(shape.code).toBe('rules_invalid');
    expect(shape.message).toContain('"bad-range" (position 2)');
    expect(errorOf({ rules: [{ when: [], assign: {} }] }).message).toContain('#1');
    expect(errorOf({ rules: [{ id: 'float', when: [{ op: 'range', field: 'amount', min: 0.1 }], assign: { account: 'a' } }] }).code).toBe('rules_invalid');
    expect(errorOf({ rules: [{ id: 'dup', when: [{ op: 'equals', field: 'kind', value: 'fee' }], assign: { account: 'a' } }, { id: 'dup', when: [{ op: 'equals', field: 'kind', value: 'fee' }], assign: { account: 'a' } }] }).message).toContain('earlier rule');
  });

  it('property: each transaction gets exactly the first rule that matches it alone', () => {
    const ruleArbitrary = fc.record({
      kind: fc.constantFrom('sale', 'refund', 'fee'),
      max: fc.integer({ min: -1000, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(ruleArbitrary, { minLength: 1, maxLength: 5 }), fc.array(fc.tuple(fc.constantFrom('sale', 'refund', 'fee'), fc.integer({ min: -100_000, max: 100_000 })), { maxLength: 20 }), (specs, rows) => {
        const set = specs.map((spec, index) => ({
          id: `r${index}`,
          when: [{ op: 'equals', field: 'kind', value: spec.kind }, { op: 'range', field: 'amount', max: `${spec.max}.00` }],
          assign: { account: `A${index}` },
        }));
        const compiled = compileRules({ rules: set });
        // Amounts are built from integer cents as text, and the oracle compares integer cents.
        const text = (cents: number): string => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
        const input = rows.map(([kind, cents], index) => transaction({ id: `t${index}`, kind: kind as CanonicalTransaction['kind'], amount: text(cents) }));
        const firstRule = (index: number): number => specs.findIndex((spec) => spec.kind === rows[index]?.[0] && (rows[index]?.[1] ?? 0) <= spec.max * 100);
        const result = classify(input, compiled);
        expect(result.classified.length + result.unclassified.length).toBe(input.length);
        for (const item of result.classified) expect(item.ruleId).toBe(`r${firstRule(Number(item.transaction.id.slice(1)))}`);
        for (const item of result.unclassified) expect(firstRule(Number(item.id.slice(1)))).toBe(-1);
      }),
      { numRuns: 200 },
    );
  });
});
