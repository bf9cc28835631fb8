import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import type { Period } from './base.ts';
import { isPairTable, lookupRate, parsePairRates, rateTable } from './fx.ts';
import { runSettlement } from './run.ts';
import type { PartnerLedgerState } from './state.ts';
import { agreementOf, canonicalTx, FEBRUARY, JANUARY, MARCH, NO_RATES, row, settle } from './testkit.ts';

/**
 * Issue 18, "Settlement conventions": each option with hand-worked numbers in the comment above
 * its expectation. The engine's fast path runs here; property.test.ts holds the reference parity.
 */
describe('which kinds count toward a count tier', () => {
  const tiers = [
    { from: '0', to: '3', rate: '50' },
    { from: '3', to: null, rate: '70' },
  ];
  // 2 sales of 100 and 2 adjustments of 50: base 200 + 100 = 300
  const rows = () => [row('sale', '100.00'), row('sale', '100.00'), row('adjustment', '50.00'), row('adjustment', '50.00')];

  it('default (kinds weighted +1): sales and adjustments count, 4 units reach tier 2', () => {
    // count 2 + 2 = 4 >= 3 -> retroactive 70 %: 300 x 70 % = 210.00
    const s = settle({ share: { tiers, method: 'retroactive', measure: 'count' } }, rows());
    expect(s.groups[0]?.measure.period).toBe('4');
    expect(s.totals.shareEarned).toBe('210.00');
    expect(s.options.share.countedKinds).toBe('weighted-plus-one');
  });

  it('countedKinds ["sale"]: adjustments still add to the base but not to the count', () => {
    // count 2 (sales only) < 3 -> tier 1 50 %: 300 x 50 % = 150.00
    const s = settle({ share: { tiers, method: 'retroactive', measure: 'count', countedKinds: ['sale'] } }, rows());
    expect(s.groups[0]?.measure.period).toBe('2');
    expect(s.totals.shareEarned).toBe('150.00');
  });

  it('countedKinds ["sale"] with refunds netted: 4 sales - 1 refund = 3 units', () => {
    // base 4 x 100 - 100 + 50 = 350; count 4 - 1 = 3 -> boundary higher -> 70 %: 350 x 70 % = 245.00
    const more = [row('sale', '100.00'), row('sale', '100.00'), row('sale', '100.00'), row('sale', '100.00'), row('refund', '-100.00'), row('adjustment', '50.00')];
    expect(settle({ share: { tiers, method: 'retroactive', measure: 'count', countedKinds: ['sale'] } }, more).totals.shareEarned).toBe('245.00');
    // gross count: refunds do not net, 4 -> 245.00 too; with adjustments counted (default) 5 units, same tier
    expect(settle({ share: { tiers, method: 'retroactive', measure: 'count', countedKinds: ['sale'], countRefunds: 'gross' } }, more).groups[0]?.measure.period).toBe('4');
  });
});

describe('platform fee floor', () => {
  const terms = (floor: string) => ({ share: { rate: '50' }, productOverrides: [{ productId: 'x', share: { rate: '50' } }], platformFee: { basis: 'net', rate: '10', floor } });

  it('product-group (default): a negative group pays no fee, the others pay in full', () => {
    // default group base 1000, product x base -200. fee: 10 % x 1000 = 100.00 + 0 = 100.00
    const s = settle(terms('product-group'), [row('sale', '1000.00'), row('refund', '-200.00', { productId: 'x' })]);
    expect(s.groups.map((g) => [g.key, g.platformFee])).toEqual([
      ['default', '100.00'],
      ['product:x', '0.00'],
    ]);
    // share 500 - 100 = 400; 400 - 100 fee = 300.00
    expect(s.totals.payable).toBe('300.00');
  });

  it('total: the negative group offsets, fee = 10 % x (1000 - 200) = 80.00', () => {
    const s = settle(terms('total'), [row('sale', '1000.00'), row('refund', '-200.00', { productId: 'x' })]);
    expect(s.groups.map((g) => [g.key, g.platformFee])).toEqual([
      ['default', '100.00'],
      ['product:x', '-20.00'],
    ]);
    expect(s.totals.feesNet).toBe('80.00');
    // share 500 - 100 = 400; 400 - 80 = 320.00
    expect(s.totals.payable).toBe('320.00');
  });

  it('total below zero: no fee at all (100 - 300 = -200 -> 0), per group it would be 10.00', () => {
    const rows = () => [row('sale', '100.00'), row('refund', '-300.00', { productId: 'x' })];
    expect(settle(terms('total'), rows()).totals.feesNet).toBe('0.00');
    // per group: 10 % x 100 = 10.00
    expect(settle(terms('product-group'), rows()).totals.feesNet).toBe('10.00');
  });
});

describe('a blocked statement is not a statement', () => {
  const agreements = (terms: Record<string, unknown>) => agreementOf({ share: { rate: '50' }, ...terms });
  // January: a refund of 300.00 EUR and a sale of 100.00 USD; ECB 2026-01-10: 1 EUR = 1.25 USD, so 100 USD = 80.00 EUR
  const january = () => [row('refund', '-300.00'), row('sale', '100.00', { currency: 'USD' })];
  const february = () => [row('sale', '400.00', { date: '2026-02-10' })];
  const rates = rateTable({ '2026-01-10': { USD: '1.25' } }, 'ECB', 'EUR');
  const runOf = (terms: Record<string, unknown>, transactions: CanonicalTransaction[], period: Period, state?: PartnerLedgerState, table = NO_RATES) =>
    runSettlement({ period, partnerIds: ['p'], agreements: agreements(terms), transactions, rates: table, ...(state === undefined ? {} : { states: { p: state } }) });

  it('a missing rate blocks the period: no statement, no payable, the state handed on is marked', () => {
    const jan = runOf({}, january(), JANUARY);
    expect(jan.statements).toEqual([]);
    expect(jan.blocked).toEqual([{ partnerId: 'p', period: JANUARY, status: 'blocked', payable: null, code: 'fx_rate_missing', origin: { period: JANUARY, code: 'fx_rate_missing' } }]);
    expect(jan.states.p?.blocked).toMatchObject({ period: JANUARY, code: 'fx_rate_missing' });
    expect(jan.states.p?.carryForward).toBe('0');
  });

  it('February depends on the blocked January carry-forward: blocked too (it used to pay 400 x 50 % = 200.00)', () => {
    const jan = runOf({}, january(), JANUARY);
    const feb = runOf({}, february(), FEBRUARY, jan.states.p);
    expect(feb.statements).toEqual([]);
    expect(feb.exceptions.map((e) => e.code)).toEqual(['blocked_by_earlier_period']);
    expect(feb.blocked[0]).toMatchObject({ period: FEBRUARY, code: 'blocked_by_earlier_period', origin: { period: JANUARY, code: 'fx_rate_missing' } });
    // March still points at January, the origin of the chain
    const mar = runOf({}, [row('sale', '10.00', { date: '2026-03-10' })], MARCH, feb.states.p);
    expect(mar.blocked[0]?.origin).toEqual({ period: JANUARY, code: 'fx_rate_missing' });
  });

  it('resolved: January settled with the rate hands on its carry-forward, and February pays it off', () => {
    // January: base 80 - 300 = -220; share 50 % = -110.00 carried forward
    const jan = runOf({}, january(), JANUARY, undefined, rates);
    expect(jan.blocked).toEqual([]);
    expect(jan.states.p?.carryForward).toBe('-110.00');
    // February: 400 x 50 % = 200; 200 - 110 = 90.00
    expect(runOf({}, february(), FEBRUARY, jan.states.p).statements[0]?.totals.payable).toBe('90.00');
  });

  it('a later period that cannot depend on it (write-off, no advance, no MG recoupment, tiers per period) is settled', () => {
    const jan = runOf({ negativeBalance: 'write-off' }, january(), JANUARY);
    expect(jan.blocked.map((b) => b.code)).toEqual(['fx_rate_missing']);
    // February: 400 x 50 % = 200.00, from the known zero balances
    const feb = runOf({ negativeBalance: 'write-off' }, february(), FEBRUARY, jan.states.p);
    expect(feb.statements[0]?.totals.payable).toBe('200.00');
    expect(feb.statements[0]?.stateIn).not.toHaveProperty('blocked');
    // ...but an advance outstanding still makes it depend: 1000.00 might have been recouped in January
    const withAdvance = { negativeBalance: 'write-off', advance: { amount: '1000.00' } };
    const janAdvance = runOf(withAdvance, january(), JANUARY);
    expect(runOf(withAdvance, february(), FEBRUARY, janAdvance.states.p).exceptions.map((e) => e.code)).toEqual(['blocked_by_earlier_period']);
  });
});

describe('FX rates from any provider: a date,base,quote,rate table', () => {
  const text = ['date,base,quote,rate', '2026-01-10,USD,EUR,0.8', '2026-01-10,EUR,GBP,0.85', '2026-01-11,EUR,USD,1.25', 'bad,EUR,USD,1', '2026-01-12,EUR,EUR,1', '2026-01-12,EUR,USD,-1', '2026-01-10,USD,EUR,0.9'].join('\n');
  const policy = { rateDate: 'transaction-date', lookup: 'exact', lookbackDaysMax: 0, route: 'direct', chargebackRate: 'own-date', reverseRates: 'refuse', transactionDate: 'event' } as const;

  it('reads the rows it can and refuses the others with line, column and code', () => {
    const { table, rejected } = parsePairRates(text, { source: 'bank' });
    expect(rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [5, 'date', 'date_invalid'],
      [6, 'quote', 'field_invalid'],
      [7, 'rate', 'field_invalid'],
      [8, 'quote', 'field_invalid'],
    ]);
    expect(table.pairs?.get('2026-01-10')?.get('USD/EUR')).toBe('0.8');
    // EUR is the base of 2 pairs, USD of 1: crosses go through EUR
    expect(table.base).toBe('EUR');
    expect(isPairTable(text)).toBe(true);
    expect(isPairTable('Date,USD,JPY\n')).toBe(false);
  });

  it('a quoted pair is used as quoted; its reverse only when the agreement says invert', () => {
    const { table } = parsePairRates(text, { source: 'bank' });
    expect(lookupRate(table, 'USD', 'EUR', '2026-01-10', policy).rate).toBe('0.8');
    // 2026-01-11 quotes only EUR/USD 1.25: USD->EUR is refused by default...
    expect(() => lookupRate(table, 'USD', 'EUR', '2026-01-11', policy)).toThrow(/only the reverse EUR\/USD.*"refuse"/);
    // ...and with invert: 1 / 1.25 = 0.8, said on the statement
    const inverted = lookupRate(table, 'USD', 'EUR', '2026-01-11', { ...policy, reverseRates: 'invert' });
    expect([inverted.rate, inverted.derivation]).toEqual(['0.8', expect.stringContaining('inverted')]);
  });

  it('a cross rate only under route via-base: USD->GBP on 2026-01-10 = 0.8 x 0.85 = 0.68', () => {
    const { table } = parsePairRates(text, { source: 'bank' });
    expect(() => lookupRate(table, 'USD', 'GBP', '2026-01-10', policy)).toThrow(/route "direct"/);
    const crossed = lookupRate(table, 'USD', 'GBP', '2026-01-10', { ...policy, route: 'via-base' });
    expect([crossed.rate, crossed.quoteDates]).toEqual(['0.68', ['2026-01-10']]);
    expect(crossed.derivation).toContain('crossed via EUR');
  });

  it('settles from a pair table: 100.00 USD x 0.8 = 80.00 EUR, 50 % = 40.00', () => {
    const { table } = parsePairRates(text, { source: 'bank' });
    expect(settle({ share: { rate: '50' } }, [row('sale', '100.00', { currency: 'USD' })], { rates: table }).totals.payable).toBe('40.00');
  });
});

describe('a missing-rate exception lists every transaction that lacks a rate', () => {
  // ECB has USD only on 2026-01-10: the USD rows of the 11th and 12th and every GBP row lack a rate
  const rates = rateTable({ '2026-01-10': { USD: '1.25' } }, 'ECB', 'EUR');
  const rows = () => [
    canonicalTx({ id: 'u10', partnerId: 'p', kind: 'sale', amount: '10.00', currency: 'USD', occurredAt: '2026-01-10' }),
    canonicalTx({ id: 'u12b', partnerId: 'p', kind: 'sale', amount: '10.00', currency: 'USD', occurredAt: '2026-01-12' }),
    canonicalTx({ id: 'u11', partnerId: 'p', kind: 'sale', amount: '10.00', currency: 'USD', occurredAt: '2026-01-11' }),
    canonicalTx({ id: 'g11', partnerId: 'p', kind: 'refund', amount: '-5.00', currency: 'GBP', occurredAt: '2026-01-11', productId: 'other' }),
    canonicalTx({ id: 'u12a', partnerId: 'p', kind: 'sale', amount: '10.00', currency: 'USD', occurredAt: '2026-01-12' }),
    // a promotion (weight 0) needs no rate and is not listed
    canonicalTx({ id: 'g-promo', partnerId: 'p', kind: 'promotion', amount: '-1.00', currency: 'GBP', occurredAt: '2026-01-13' }),
  ];
  const expected = [
    { transactionId: 'g11', date: '2026-01-11', pair: 'GBP/EUR', rateKey: '2026-01-11' },
    { transactionId: 'u11', date: '2026-01-11', pair: 'USD/EUR', rateKey: '2026-01-11' },
    { transactionId: 'u12a', date: '2026-01-12', pair: 'USD/EUR', rateKey: '2026-01-12' },
    { transactionId: 'u12b', date: '2026-01-12', pair: 'USD/EUR', rateKey: '2026-01-12' },
  ];

  for (const engine of ['fast', 'reference'] as const) {
    it(`${engine}: 4 transactions on 3 pairs and dates, sorted by date and id`, () => {
      const result = runSettlement({ period: JANUARY, partnerIds: ['p'], agreements: agreementOf({ share: { rate: '50' } }), transactions: rows(), rates }, engine);
      const exception = result.exceptions[0];
      expect(exception?.code).toBe('fx_rate_missing');
      expect(exception?.details).toMatchObject({ count: 4, listed: 4, missing: expected });
      expect(Object.keys(exception?.details.reasons as object)).toEqual(['GBP/EUR 2026-01-11', 'USD/EUR 2026-01-11', 'USD/EUR 2026-01-12']);
      expect(exception?.message).toBe('partner p: 4 transactions have no rate: GBP/EUR 2026-01-11 (1 transactions), USD/EUR 2026-01-11 (1 transactions), USD/EUR 2026-01-12 (2 transactions)');
      expect(result.blocked.map((b) => b.code)).toEqual(['fx_rate_missing']);
    });
  }
});

describe('rounding per transaction', () => {
  // share 30 %, EUR; each transaction's share and how each mode rounds it:
  //   sale    0.35 -> 0.105 : half-even 0.10, half-up 0.11, down 0.10, up 0.11
  //   sale    0.07 -> 0.021 : half-even 0.02, half-up 0.02, down 0.02, up 0.03
  //   sale    0.15 -> 0.045 : half-even 0.04, half-up 0.05, down 0.04, up 0.05
  //   refund -0.25 -> -0.075: half-even -0.08, half-up -0.08, down -0.07, up -0.08 (negative ties)
  // sums: half-even 0.08, half-up 0.10, down 0.09, up 0.11. Unrounded: base 0.32, share 0.096.
  const rows = () => [row('sale', '0.35'), row('sale', '0.07'), row('sale', '0.15'), row('refund', '-0.25')];
  const cases = [
    ['half-even', '0.08', '-0.016'],
    ['half-up', '0.10', '0.004'],
    ['down', '0.09', '-0.006'],
    ['up', '0.11', '0.014'],
  ] as const;

  for (const [mode, share, residue] of cases) {
    it(`${mode}: share ${share}, residue ${share} - 0.096 = ${residue}`, () => {
      for (const engine of ['fast', 'reference'] as const) {
        const result = runSettlement({ period: JANUARY, partnerIds: ['p'], agreements: agreementOf({ share: { rate: '30' }, rounding: { mode, scope: 'transaction' } }), transactions: rows(), rates: NO_RATES }, engine);
        const s = result.statements[0];
        expect(s?.totals.shareEarned, engine).toBe(share);
        expect(s?.totals.grossBase, engine).toBe('0.32');
        expect(s?.groups[0]?.roundingResidue, engine).toEqual({ base: '0', share: residue });
        expect(s?.roundingResidue, engine).toEqual({ base: '0', share: residue, baseUnrounded: '0.32', shareUnrounded: '0.096' });
      }
    });
  }

  it('against scope line: 0.32 x 30 % = 0.096 -> 0.10 (half-even), and no residue field', () => {
    const s = settle({ share: { rate: '30' } }, rows());
    expect(s.totals.shareEarned).toBe('0.10');
    expect(s).not.toHaveProperty('roundingResidue');
  });

  // FX: 1 EUR = 2 USD on the 10th, so 1 USD = 0.5 EUR. A sale of 0.05 USD converts to 0.025 EUR (a tie),
  // then 50 % of the rounded conversion: half-even 0.02 -> 0.01; half-up 0.03 -> 0.015 -> 0.02;
  // down 0.02 -> 0.01; up 0.03 -> 0.015 -> 0.02. A refund of -0.07 USD: -0.035 -> half-even -0.04 -> -0.02;
  // half-up -0.04 -> -0.02; down -0.03 -> -0.015 -> -0.01; up -0.04 -> -0.02.
  const rates = rateTable({ '2026-01-10': { USD: '2' } }, 'ECB', 'EUR');
  const fxCases = [
    ['half-even', '0.02', '-0.04', '0.01', '-0.02'],
    ['half-up', '0.03', '-0.04', '0.02', '-0.02'],
    ['down', '0.02', '-0.03', '0.01', '-0.01'],
    ['up', '0.03', '-0.04', '0.02', '-0.02'],
  ] as const;
  for (const [mode, saleBase, refundBase, saleShare, refundShare] of fxCases) {
    it(`${mode}: the converted amount is rounded per transaction before the share (0.05 USD -> ${saleBase} -> ${saleShare})`, () => {
      const terms = { share: { rate: '50' }, rounding: { mode, scope: 'transaction' } };
      const sale = settle(terms, [row('sale', '0.05', { currency: 'USD', productId: 's' })], { rates });
      expect([sale.totals.grossBase, sale.totals.shareEarned]).toEqual([saleBase, saleShare]);
      const refund = settle(terms, [row('refund', '-0.07', { currency: 'USD', productId: 'r' })], { rates });
      expect([refund.totals.grossBase, refund.totals.shareEarned]).toEqual([refundBase, refundShare]);
      // residue of the sale's base against 0.025 unrounded
      expect(sale.groups[0]?.roundingResidue?.base).toBe(new Decimal(saleBase).minus('0.025').toFixed());
    });
  }

  it('is refused with tiers or a platform fee inside the split', () => {
    const tiers = [
      { from: '0', to: '10', rate: '50' },
      { from: '10', to: null, rate: '70' },
    ];
    expect(() => agreementOf({ share: { tiers }, rounding: { scope: 'transaction' } })).toThrow(expect.objectContaining({ code: 'rounding_transaction_needs_flat_share' }));
    expect(() => agreementOf({ share: { rate: '50' }, platformFee: { basis: 'net', rate: '5', split: 'part-of-split' }, rounding: { scope: 'transaction' } })).toThrow(expect.objectContaining({ code: 'rounding_transaction_fee_in_split' }));
  });

  it('property: the fast path equals the reference, and residue = rounded sum - unrounded sum', () => {
    const amount = fc.integer({ min: -99_999, max: 99_999 }).filter((minor) => minor !== 0).map((minor) => new Decimal(minor).dividedBy(1000).toFixed(3));
    const txs = fc.array(fc.record({ amount, usd: fc.boolean(), product: fc.constantFrom('a', 'b') }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(txs, fc.constantFrom('half-even', 'half-up', 'down', 'up'), fc.constantFrom('30', '33.3', '50', '70'), (list, mode, rate) => {
        // KWD has 3 digits, so x.xx5 amounts occur in the source and ties occur in the conversion
        const transactions = list.map((each, index) =>
          canonicalTx({ id: `t${index}`, partnerId: 'p', kind: each.amount.startsWith('-') ? 'refund' : 'sale', amount: each.usd ? new Decimal(each.amount).toFixed(2, Decimal.ROUND_DOWN) : each.amount, currency: each.usd ? 'USD' : 'KWD', occurredAt: '2026-01-10', productId: each.product }),
        ).filter((tx) => !new Decimal(tx.amount).isZero());
        const agreements = agreementOf({ share: { rate }, productOverrides: [{ productId: 'b', share: { rate: '40' } }], rounding: { mode, scope: 'transaction' } }, { settlementCurrency: 'KWD' });
        const ratesKwd = rateTable({ '2026-01-10': { USD: '1.0845', KWD: '0.3345' } }, 'ECB', 'EUR');
        const input = { period: JANUARY, partnerIds: ['p'], agreements, transactions, rates: ratesKwd } as const;
        const fast = runSettlement({ ...input, agreements: agreements.map((a) => ({ ...a, terms: { ...a.terms, fx: { ...a.terms.fx, route: 'via-base' as const } } })) }, 'fast');
        const reference = runSettlement({ ...input, agreements: agreements.map((a) => ({ ...a, terms: { ...a.terms, fx: { ...a.terms.fx, route: 'via-base' as const } } })) }, 'reference');
        expect(fast.exceptions).toEqual([]);
        expect(fast.statements).toEqual(reference.statements);
        const s = fast.statements[0];
        if (s === undefined) return;
        for (const group of s.groups) {
          const unrounded = group.lines.reduce((total, line) => total.plus(line.baseExact), new Decimal(0));
          expect(new Decimal(group.base).minus(unrounded).toFixed()).toBe(group.roundingResidue?.base);
          expect(new Decimal(group.base).decimalPlaces()).toBeLessThanOrEqual(3);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('booking and value dates: which date places a transaction in a period, which picks its rate', () => {
  const dated = (id: string, kind: 'sale' | 'chargeback', amount: string, currency: string, event: string, booking: string | null, value: string | null): CanonicalTransaction => ({
    ...canonicalTx({ id, partnerId: 'p', kind, amount, currency, occurredAt: event, bookingDate: booking }),
    valueDate: value,
  });
  // a sale of 100.00 on Jan 10; a chargeback of -40.00 that happened Jan 28, valued Jan 30, booked Feb 2
  const rows = () => [dated('s', 'sale', '100.00', 'EUR', '2026-01-10', null, null), dated('cb', 'chargeback', '-40.00', 'EUR', '2026-01-28', '2026-02-02', '2026-01-30')];

  for (const engine of ['fast', 'reference'] as const) {
    it(`${engine}: periodDate booking puts the chargeback in February, value and event in January`, () => {
      const payable = (periodDate: string, period: Period) =>
        runSettlement({ period, partnerIds: ['p'], agreements: agreementOf({ share: { rate: '50' }, periodDate }), transactions: rows(), rates: NO_RATES }, engine).statements[0]?.totals;
      // booking: January 100 x 50 % = 50.00; February -40 x 50 % = -20.00 carried
      expect(payable('booking', JANUARY)?.payable).toBe('50.00');
      expect(payable('booking', FEBRUARY)?.carryOut).toBe('-20.00');
      // value (Jan 30) and event (Jan 28): January (100 - 40) x 50 % = 30.00
      expect(payable('value', JANUARY)?.payable).toBe('30.00');
      expect(payable('event', JANUARY)?.payable).toBe('30.00');
    });

    it(`${engine}: fx.transactionDate picks the rate by event, booking or value date`, () => {
      // ECB 1 EUR = 1.25 USD on the 10th, 1.6 on the 12th, 2 on the 14th; 100 USD at 50 %:
      // event (10th) 100 / 1.25 = 80.00 -> 40.00; booking (12th) 100 / 1.6 = 62.50 -> 31.25; value (14th) 100 / 2 = 50.00 -> 25.00
      const rates = rateTable({ '2026-01-10': { USD: '1.25' }, '2026-01-12': { USD: '1.6' }, '2026-01-14': { USD: '2' } }, 'ECB', 'EUR');
      const sale = [dated('u', 'sale', '100.00', 'USD', '2026-01-10', '2026-01-12', '2026-01-14')];
      const share = (transactionDate: string) =>
        runSettlement({ period: JANUARY, partnerIds: ['p'], agreements: agreementOf({ share: { rate: '50' }, fx: { transactionDate } }), transactions: sale, rates }, engine).statements[0]?.totals.shareEarned;
      expect([share('event'), share('booking'), share('value')]).toEqual(['40.00', '31.25', '25.00']);
    });
  }

  it('a source without the date falls back to the event date', () => {
    // no value date: the sale of the 10th is valued the 10th: 100 / 1.25 = 80.00 -> 40.00
    const rates = rateTable({ '2026-01-10': { USD: '1.25' } }, 'ECB', 'EUR');
    const s = settle({ share: { rate: '50' }, fx: { transactionDate: 'value' }, periodDate: 'value' }, [dated('u', 'sale', '100.00', 'USD', '2026-01-10', null, null)], { rates });
    expect(s.totals.shareEarned).toBe('40.00');
  });
});
