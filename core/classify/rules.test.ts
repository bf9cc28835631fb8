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
    expect(result.unclassifiedReasons).toEqual([{ transactionId: 'tx_1', code: 'no_rule_matched', ruleId: null, assignField: null, placeholder: null, message: 'no rule matched' }]);
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

function errorOf(input: unknown): SettleDeskError {
  try {
    compileRules(input);
  } catch (error) {
    if (error instanceof SettleDeskError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('assignment templates', () => {
  const adyenPattern = '^(?<partner>P\\d+)/(?<product>[^-]+-[^-]+)-';
  const templated = compileRules({
    rules: [
      {
        id: 'stripe-sales',
        when: [{ op: 'equals', field: 'source.format', value: 'stripe' }],
        assign: { account: '4000 Sales ${currency}', partnerId: '${raw.partner_id (metadata)}', productId: '${raw.product_id (metadata)}' },
      },
      {
        id: 'adyen-sales',
        when: [{ op: 'equals', field: 'source.format', value: 'adyen' }, { op: 'regex', field: 'raw.Merchant Reference', pattern: adyenPattern }],
        assign: { account: '4000 Sales', partnerId: '${partner}', productId: '${product}' },
      },
      {
        id: 'optional-group',
        when: [{ op: 'regex', field: 'description', pattern: '^promo(?:-(?<code>\\w+))?$' }],
        assign: { account: '4500 Promotions ${bookingDate}', partnerId: 'promo-${code}', kind: 'promotion' },
      },
      { id: 'catch-all', when: [{ op: 'regex', field: 'currency', pattern: '.' }], assign: { account: '9999 Suspense' } },
    ],
  });
  const stripeRow = (raw: Record<string, string>) => transaction({ description: null, raw });
  const promoRow = (description: string) => transaction({ source: { sourceId: 's', format: 'csv', fileName: 'p.csv', line: 2 }, description });
  const adyenRow = (reference: string) => transaction({ source: { sourceId: 's', format: 'adyen', fileName: 'a.csv', line: 3 }, description: null, raw: { 'Merchant Reference': reference } });

  it('fills raw columns and canonical fields into the assignment', () => {
    const [row] = classify([stripeRow({ 'partner_id (metadata)': 'P007', 'product_id (metadata)': 'P007-PR02' })], templated).classified;
    expect([row?.ruleId, row?.ledgerAccount, row?.transaction.partnerId, row?.transaction.productId]).toEqual(['stripe-sales', '4000 Sales USD', 'P007', 'P007-PR02']);
  });

  it('fills named groups of the rule regex conditions', () => {
    const result = classify([adyenRow('P001/P001-PR01-20260302-000031'), adyenRow('P042/P042-PR05-20260331-000001')], templated);
    expect(result.classified.map((c) => [c.ruleId, c.transaction.partnerId, c.transaction.productId])).toEqual([
      ['adyen-sales', 'P001', 'P001-PR01'],
      ['adyen-sales', 'P042', 'P042-PR05'],
    ]);
  });

  it('leaves a transaction unclassified, unchanged and with the reason when a placeholder reads blank, instead of falling through', () => {
    const missing = stripeRow({ 'product_id (metadata)': 'P007-PR02' });
    const blank = stripeRow({ 'partner_id (metadata)': '   ', 'product_id (metadata)': 'P007-PR02' });
    const noProduct = stripeRow({ 'partner_id (metadata)': 'P007', 'product_id (metadata)': '' });
    const promo = promoRow('promo');
    const result = classify([missing, blank, noProduct, promo], templated);
    expect(result.classified).toEqual([]);
    expect(result.unclassified).toEqual([missing, blank, noProduct, promo]);
    expect(result.unclassifiedReasons.map((r) => [r.code, r.ruleId, r.assignField, r.placeholder])).toEqual([
      ['template_empty', 'stripe-sales', 'partnerId', 'raw.partner_id (metadata)'],
      ['template_empty', 'stripe-sales', 'partnerId', 'raw.partner_id (metadata)'],
      ['template_empty', 'stripe-sales', 'productId', 'raw.product_id (metadata)'],
      ['template_empty', 'optional-group', 'partnerId', 'code'],
    ]);
    expect(result.unclassifiedReasons[0]?.message).toContain('${raw.partner_id (metadata)} is empty');
  });

  it('trims filled values, fills date fields, and keeps kind fixed', () => {
    const padded = classify([stripeRow({ 'partner_id (metadata)': ' P007 ', 'product_id (metadata)': 'P007-PR02\t' })], templated).classified[0]?.transaction;
    expect([padded?.partnerId, padded?.productId]).toEqual(['P007', 'P007-PR02']);
    const promo = classify([promoRow('promo-SPRING')], templated).classified[0];
    expect([promo?.ledgerAccount, promo?.transaction.partnerId, promo?.transaction.kind]).toEqual(['4500 Promotions 2026-03-31', 'promo-SPRING', 'promotion']);
    expect(errorOf({ rules: [{ id: 'k', when: [{ op: 'equals', field: 'kind', value: 'sale' }], assign: { account: 'a', kind: '${raw.Type}' } }] }).code).toBe('rules_invalid');
  });

  it('rejects an unknown, ambiguous or malformed placeholder at compile time, naming the rule and the placeholder', () => {
    const rule = (assign: Record<string, string>, when: unknown[] = [{ op: 'equals', field: 'kind', value: 'sale' }]) => ({ rules: [{ id: 'ok', when: [{ op: 'equals', field: 'kind', value: 'fee' }], assign: { account: 'a' } }, { id: 'tpl', when, assign }] });
    const cases: [unknown, string | null, string][] = [
      [rule({ account: 'a', partnerId: '${partner_id}' }), 'partner_id', 'unknown placeholder'],
      [rule({ account: 'a', productId: '${product}' }), 'product', 'it has none'],
      [rule({ account: 'a', partnerId: '${amount}' }), 'amount', 'unknown placeholder'],
      [rule({ account: '${partnr}', partnerId: '${partner}' }, [{ op: 'regex', field: 'description', pattern: '(?<partner>P\\d+)' }]), 'partnr', '(partner)'],
      [rule({ account: 'a', partnerId: '${currency}' }, [{ op: 'regex', field: 'description', pattern: '(?<currency>[A-Z]{3})' }]), 'currency', 'both a field and a named group'],
      [rule({ account: 'a', partnerId: '${p}' }, [{ op: 'regex', field: 'description', pattern: '(?<p>\\w+)' }, { op: 'regex', field: 'raw.x', pattern: '(?<p>\\d+)' }]), 'p', '2 regex conditions'],
      [rule({ account: 'a', partnerId: 'P-${raw.partner' }), null, 'unterminated placeholder'],
      [rule({ account: 'a${}', partnerId: 'x' }), null, 'empty placeholder'],
    ];
    for (const [input, placeholder, text] of cases) {
      const error = errorOf(input);
      expect(error.code).toBe('rules_invalid');
      expect(error.message).toContain('"tpl" (position 2)');
      expect(error.message).toContain(text);
      expect(error.details.ruleId).toBe('tpl');
      expect(error.details.placeholder).toBe(placeholder);
    }
    // A group in a lookbehind or a character class is not a group; an escaped one is not either.
    expect(errorOf(rule({ account: 'a', partnerId: '${g}' }, [{ op: 'regex', field: 'description', pattern: '(?<=x)[(?<g>)]\\(?<g>\\)' }])).details.placeholder).toBe('g');
    expect(errorOf(rule({ account: 'x'.repeat(501) })).code).toBe('rules_invalid');
  });

  it('property: a placeholder assigns exactly the trimmed cell, and a blank cell leaves the transaction unclassified', () => {
    const set = compileRules({ rules: [{ id: 'p', when: [{ op: 'equals', field: 'kind', value: 'sale' }], assign: { account: 'A', partnerId: 'partner-${raw.P}' } }] });
    fc.assert(
      fc.property(fc.array(fc.option(fc.string({ maxLength: 8 }), { nil: undefined }), { maxLength: 20 }), (cells) => {
        const input = cells.map((cell, index) => transaction({ id: `t${index}`, raw: cell === undefined ? {} : { P: cell } }));
        const result = classify(input, set);
        const filled = cells.map((cell) => (cell === undefined || cell.trim() === '' ? null : `partner-${cell.trim()}`));
        expect(result.classified.map((c) => [c.transaction.id, c.transaction.partnerId])).toEqual(filled.flatMap((value, index) => (value === null ? [] : [[`t${index}`, value]])));
        expect(result.unclassifiedReasons.map((r) => [r.transactionId, r.code, r.placeholder])).toEqual(filled.flatMap((value, index) => (value === null ? [[`t${index}`, 'template_empty', 'raw.P']] : [])));
      }),
      { numRuns: 200 },
    );
  });
});
