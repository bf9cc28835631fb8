import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { fromMinorUnits } from '../money/minor.ts';
import type { CanonicalTransaction, TransactionKind } from '../transactions/schema.ts';
import { parseAgreements } from './agreement.ts';
import { addDays } from './dates.ts';
import { rateTable } from './fx.ts';
import { buildJournal, isBalanced } from './journal.ts';
import { runSettlement, statementHash, type RunInput } from './run.ts';
import type { Statement } from './statement.ts';
import { canonicalTx, JANUARY } from './testkit.ts';

/**
 * Properties over random agreements, states and transactions: conservation to the minor unit,
 * independence from input order, balanced journals, and agreement of the fast (integer) and
 * reference (per-row decimal.js) paths.
 */
const CURRENCIES = ['EUR', 'USD', 'JPY', 'KWD'] as const;
const KIND_LIST: readonly TransactionKind[] = ['sale', 'sale', 'sale', 'refund', 'chargeback', 'promotion', 'adjustment', 'fee', 'tax'];

const percent = fc.integer({ min: 0, max: 10_000 }).map((n) => new Decimal(n).dividedBy(100).toFixed());
const weight = fc.constantFrom(1, 0, -1);
const money = (digits: number, max: number) => fc.integer({ min: 0, max }).map((n) => fromMinorUnits(n, digits));

const share = fc
  .record({
    bounds: fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { maxLength: 3 }),
    rates: fc.array(percent, { minLength: 4, maxLength: 4 }),
    method: fc.constantFrom('marginal', 'retroactive'),
    measure: fc.constantFrom('revenue', 'count'),
    countRefunds: fc.constantFrom('net', 'gross'),
    boundary: fc.constantFrom('higher', 'lower'),
    negativeBase: fc.constantFrom('first-tier-rate', 'zero'),
  })
  .map(({ bounds, rates, ...rest }) => {
    const sorted = [...bounds].sort((a, b) => a - b);
    const edges = [0, ...sorted];
    const tiers = edges.map((from, index) => ({ from: String(from), to: index + 1 < edges.length ? String(edges[index + 1]) : null, rate: rates[index] ?? '0' }));
    return { ...rest, tiers };
  });

const terms = (digits: number) =>
  fc.record({
    revenueBase: fc.record({ sale: weight, refund: weight, chargeback: weight, promotion: weight, adjustment: weight, fee: weight, tax: weight }),
    share,
    productOverrides: fc.constantFrom([], [{ productId: 'b', share: { rate: '80' } }]),
    platformFee: fc.record({ basis: fc.constantFrom('none', 'gross', 'net'), rate: percent, split: fc.constantFrom('separate', 'part-of-split') }),
    transactionFee: fc.record({ amount: money(digits, 50), kinds: fc.constantFrom(['sale'], ['sale', 'refund']) }),
    periodicFee: fc.record({ amount: money(digits, 2000), chargeInEmptyPeriods: fc.boolean() }),
    vatOnFees: fc.record({ treatment: fc.constantFrom('added', 'included'), ratesByJurisdiction: fc.constantFrom({}, { DE: '19' }, { DE: '7.7' }) }),
    minimumGuarantee: fc.record({ amount: money(digits, 5000), recoupable: fc.boolean(), applyInEmptyPeriods: fc.boolean() }),
    advance: fc.record({ amount: money(digits, 5000), recoupFrom: fc.constantFrom('share', 'net-payable'), maxRatePerPeriod: percent }),
    cap: fc.record({ amount: fc.option(money(digits, 20000), { nil: null }), apply: fc.constantFrom('before-mg', 'after-mg') }),
    negativeBalance: fc.constantFrom('carry-forward', 'write-off'),
    withholding: fc.record({
      ratesByJurisdiction: fc.constantFrom({}, { DE: '15' }, { DE: '26.375' }),
      basis: fc.constantFrom('gross-share', 'cash-paid'),
      timing: fc.constantFrom('after-carry-and-recoupment', 'before-carry-and-recoupment'),
    }),
    fx: fc.record({ rateDate: fc.constantFrom('transaction-date', 'period-end', 'monthly-average'), route: fc.constant('via-base') }),
    rounding: fc.record({ mode: fc.constantFrom('half-even', 'half-up', 'down', 'up'), scope: fc.constantFrom('line', 'product-group', 'total') }),
    minimumPayout: money(digits, 3000),
  });

const scenario = fc.constantFrom(...CURRENCIES).chain((currency) => {
  const digits = minorUnitsOf(currency);
  const row = fc.record({
    partnerId: fc.constantFrom('p', 'q'),
    kind: fc.constantFrom(...KIND_LIST),
    minor: fc.integer({ min: -2_000_000, max: 5_000_000 }),
    currency: fc.constantFrom(...CURRENCIES),
    day: fc.integer({ min: 0, max: 30 }),
    productId: fc.constantFrom('a', 'b', 'c', null),
  });
  return fc.record({
    currency: fc.constant(currency),
    terms: terms(digits),
    rows: fc.array(row, { maxLength: 30 }),
    carry: fc.integer({ min: -300_000, max: 100_000 }).map((n) => fromMinorUnits(n, digits)),
    advance: money(digits, 300_000),
    mg: money(digits, 100_000),
  });
});

// Every January day quoted, so no rate is missing: EUR base, odd-looking rates to force inexact conversions.
const RATES = rateTable(
  Object.fromEntries(Array.from({ length: 31 }, (_, day) => [addDays('2026-01-01', day), { USD: `1.0${(day % 9) + 1}37`, JPY: `16${day % 10}.13`, KWD: `0.33${day % 7}9` }])),
  'ECB',
  'EUR',
);

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function inputOf(s: Scenario): RunInput {
  const agreements = parseAgreements(
    ['p', 'q'].map((partnerId) => ({ agreementId: `A-${partnerId}`, partnerId, version: 1, effectiveFrom: '2025-01-01', partnerJurisdiction: 'DE', settlementCurrency: s.currency, terms: s.terms })),
  );
  const transactions = s.rows.map((r, index) =>
    canonicalTx({
      id: `t${index}`,
      partnerId: r.partnerId,
      kind: r.kind,
      amount: fromMinorUnits(Math.trunc(r.minor / 10 ** (3 - minorUnitsOf(r.currency))), minorUnitsOf(r.currency)),
      currency: r.currency,
      occurredAt: addDays('2026-01-01', r.day),
      productId: r.productId,
    }),
  );
  const state = { partnerId: 'p', currency: s.currency, carryForward: s.carry, advanceBalance: s.advance, mgRecoupableBalance: s.mg, tierAccumulation: null, lastPeriodEnd: '2025-12-31' };
  return { period: JANUARY, partnerIds: ['p', 'q'], agreements, transactions, rates: RATES, states: { p: state } };
}

function conserved(statement: Statement): void {
  const t = statement.totals;
  const d = (value: string) => new Decimal(value);
  for (const value of Object.values(t)) expect(d(value).decimalPlaces()).toBeLessThanOrEqual(statement.currencyDigits);
  const left = d(t.grossBase).plus(t.carryIn);
  const right = d(t.payable).plus(t.carryOut).plus(t.platformRetained).plus(t.feesNet).plus(t.vatOnFees).plus(t.withholdingTax);
  expect(right.toFixed()).toBe(left.toFixed());
  // gross base = partner share + platform share + fees + taxes, where the partner's share is what it received or carries
  const partner = d(t.payable).plus(t.carryOut).minus(t.carryIn);
  expect(partner.plus(t.platformRetained).plus(t.feesNet).plus(t.vatOnFees).plus(t.withholdingTax).toFixed()).toBe(d(t.grossBase).toFixed());
  expect(d(t.payable).isNegative()).toBe(false);
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  for (let index = copy.length - 1; index > 0; index--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

describe('settlement properties', () => {
  it('conserves the gross base to the minor unit, and every journal entry balances', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const result = runSettlement(inputOf(s));
        expect(result.exceptions).toEqual([]);
        expect(result.statements).toHaveLength(2);
        result.statements.forEach(conserved);
        expect(buildJournal(result.statements).every(isBalanced)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of the input transactions', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (s, seed) => {
        const input = inputOf(s);
        const a = runSettlement(input);
        const b = runSettlement({ ...input, transactions: shuffled([...input.transactions], seed) });
        expect(b.statements.map(statementHash)).toEqual(a.statements.map(statementHash));
      }),
      { numRuns: 150 },
    );
  });

  it('reads a one-pass stream (a generator, as the CLI gives) exactly as the array', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = inputOf(s);
        const transactions = [...input.transactions];
        function* once(): Generator<CanonicalTransaction> {
          yield* transactions;
        }
        const streamed = runSettlement({ ...input, transactions: once() });
        expect(streamed.statements.map(statementHash)).toEqual(runSettlement(input).statements.map(statementHash));
        expect(streamed.exceptions).toEqual(runSettlement(input).exceptions);
      }),
      { numRuns: 100 },
    );
  });

  it('the fast path and the per-row decimal.js reference give byte-identical statements', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = inputOf(s);
        const fast = runSettlement(input, 'fast');
        const reference = runSettlement(input, 'reference');
        expect(fast.statements.map(statementHash)).toEqual(reference.statements.map(statementHash));
        expect(fast.states).toEqual(reference.states);
      }),
      { numRuns: 200 },
    );
  });
});
