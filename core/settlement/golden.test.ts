import { describe, expect, it } from 'vitest';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { rateTable } from './fx.ts';
import { runSettlement, statementHash } from './run.ts';
import type { PartnerLedgerState } from './state.ts';
import { agreementOf, FEBRUARY, JANUARY, MARCH, row, run, settle } from './testkit.ts';

/**
 * Hand-worked scenarios. Every expected number is computed by hand in the comment above it; the
 * engine's fast path runs here, and property.test.ts proves the reference path agrees.
 */
const FLAT_50 = { share: { rate: '50' } };
const TIERS = [
  { from: '0', to: '1000', rate: '50' },
  { from: '1000', to: null, rate: '70' },
];

function state(fields: Partial<PartnerLedgerState>): PartnerLedgerState {
  return { partnerId: 'p', currency: 'EUR', carryForward: '0', advanceBalance: '0', mgRecoupableBalance: '0', tierAccumulation: null, lastPeriodEnd: null, ...fields };
}

describe('revenue base per kind', () => {
  const rows = () => [row('sale', '100.00'), row('sale', '200.00'), row('refund', '-50.00'), row('promotion', '-10.00'), row('chargeback', '-20.00')];

  it('defaults: sale +1, refund -1, chargeback -1, promotion 0', () => {
    // base = 100 + 200 - 50 - 20 = 230 (promotion borne by the platform); 70 % -> 161.00
    const s = settle({ share: { rate: '70' } }, rows());
    expect(s.totals.grossBase).toBe('230.00');
    expect(s.totals.payable).toBe('161.00');
    expect(s.groups[0]?.lines[0]?.kinds.map((k) => [k.kind, k.weight, k.count, k.sourceAmount])).toEqual([
      ['sale', 1, 2, '300.00'],
      ['refund', -1, 1, '-50.00'],
      ['chargeback', -1, 1, '-20.00'],
      ['promotion', 0, 1, '-10.00'],
    ]);
  });

  it('promotion -1: deducted from the base', () => {
    // base = 230 - 10 = 220; 70 % -> 154.00
    const s = settle({ share: { rate: '70' }, revenueBase: { promotion: -1 } }, rows());
    expect(s.totals.grossBase).toBe('220.00');
    expect(s.totals.payable).toBe('154.00');
  });

  it('refund 0 and a refund reversal (+) under -1', () => {
    // refund weight 0: base = 100 + 200 - 20 = 280 -> 196.00
    expect(settle({ share: { rate: '70' }, revenueBase: { refund: 0 } }, rows()).totals.grossBase).toBe('280.00');
    // a reversed refund (+30.00) of weight -1 has magnitude -30: it adds 30 back: 100 + 30 = 130
    expect(settle({ share: { rate: '100' } }, [row('sale', '100.00'), row('refund', '30.00')]).totals.grossBase).toBe('130.00');
  });
});

describe('tiers', () => {
  const sales1500 = () => [row('sale', '1000.00'), row('sale', '500.00')];

  it('marginal on revenue', () => {
    // 1000 x 50 % + 500 x 70 % = 500 + 350 = 850.00
    const s = settle({ share: { tiers: TIERS, method: 'marginal' } }, sales1500());
    expect(s.totals.shareEarned).toBe('850.00');
    expect(s.groups[0]?.bands.map((b) => [b.rate, b.measure, b.share])).toEqual([
      ['50', '1000', '500.00'],
      ['70', '500', '350.00'],
    ]);
  });

  it('retroactive on revenue', () => {
    // 1500 reached tier 2: 1500 x 70 % = 1050.00
    expect(settle({ share: { tiers: TIERS, method: 'retroactive' } }, sales1500()).totals.shareEarned).toBe('1050.00');
  });

  it('boundary: exactly 1000 goes to the higher or the lower tier', () => {
    // higher: 1000 x 70 % = 700.00; lower: 1000 x 50 % = 500.00
    expect(settle({ share: { tiers: TIERS, method: 'retroactive', boundary: 'higher' } }, [row('sale', '1000.00')]).totals.shareEarned).toBe('700.00');
    expect(settle({ share: { tiers: TIERS, method: 'retroactive', boundary: 'lower' } }, [row('sale', '1000.00')]).totals.shareEarned).toBe('500.00');
  });

  it('count tiers: refunds net out of the count or not', () => {
    const tiers = [
      { from: '0', to: '3', rate: '50' },
      { from: '3', to: null, rate: '70' },
    ];
    const rows = () => [row('sale', '25.00'), row('sale', '25.00'), row('sale', '25.00'), row('sale', '25.00'), row('refund', '-25.00'), row('refund', '-25.00')];
    // base 100 - 50 = 50. net count 4 - 2 = 2 -> tier 1: 50 x 50 % = 25.00
    expect(settle({ share: { tiers, method: 'retroactive', measure: 'count', countRefunds: 'net' } }, rows()).totals.shareEarned).toBe('25.00');
    // gross count 4 -> tier 2: 50 x 70 % = 35.00
    expect(settle({ share: { tiers, method: 'retroactive', measure: 'count', countRefunds: 'gross' } }, rows()).totals.shareEarned).toBe('35.00');
  });

  it('marginal on count: each band earns its rate on its share of the units', () => {
    const tiers = [
      { from: '0', to: '2', rate: '50' },
      { from: '2', to: null, rate: '70' },
    ];
    // 4 sales of 25 = 100; units 0-2 -> 100 x 2/4 x 50 % = 25; units 2-4 -> 100 x 2/4 x 70 % = 35; total 60.00
    const s = settle({ share: { tiers, measure: 'count' } }, [row('sale', '25.00'), row('sale', '25.00'), row('sale', '25.00'), row('sale', '25.00')]);
    expect(s.totals.shareEarned).toBe('60.00');
  });

  it('contract-year accumulation vs reset each period', () => {
    const before = state({ tierAccumulation: { contractYearStart: '2026-01-01', groups: { default: { measure: '800' } } } });
    const feb = [row('sale', '500.00', { date: '2026-02-10' })];
    // accumulated: 800 reached in January; Feb 500 spans 800..1300: 200 x 50 % + 300 x 70 % = 100 + 210 = 310.00
    const s = settle({ share: { tiers: TIERS, period: 'contract-year' } }, feb, { period: FEBRUARY, state: before });
    expect(s.totals.shareEarned).toBe('310.00');
    expect(s.stateOut.tierAccumulation).toEqual({ contractYearStart: '2026-01-01', groups: { default: { measure: '1300' } } });
    // reset each period: 500 x 50 % = 250.00
    expect(settle({ share: { tiers: TIERS, period: 'period' } }, feb, { period: FEBRUARY, state: before }).totals.shareEarned).toBe('250.00');
    // a state from the previous contract year does not count: 250.00
    const old = state({ tierAccumulation: { contractYearStart: '2025-01-01', groups: { default: { measure: '800' } } } });
    expect(settle({ share: { tiers: TIERS, period: 'contract-year' } }, feb, { period: FEBRUARY, state: old }).totals.shareEarned).toBe('250.00');
  });

  it('negative base: first tier rate (claw-back) or zero', () => {
    // refunds only: base -200; first tier 50 % -> -100.00, carried forward
    const claw = settle({ share: { tiers: TIERS, negativeBase: 'first-tier-rate' } }, [row('refund', '-200.00')]);
    expect(claw.totals.shareEarned).toBe('-100.00');
    expect(claw.totals.carryOut).toBe('-100.00');
    const zero = settle({ share: { tiers: TIERS, negativeBase: 'zero' } }, [row('refund', '-200.00')]);
    expect(zero.totals.shareEarned).toBe('0.00');
    expect(zero.totals.platformSplit).toBe('-200.00');
  });

  it('per-product override', () => {
    // product x at 80 %: 100 -> 80; product y at the default 50 %: 100 -> 50; total 130.00
    const s = settle({ share: { rate: '50' }, productOverrides: [{ productId: 'x', share: { rate: '80' } }] }, [row('sale', '100.00', { productId: 'x' }), row('sale', '100.00', { productId: 'y' })]);
    expect(s.groups.map((g) => [g.key, g.share])).toEqual([
      ['default', '50.00'],
      ['product:x', '80.00'],
    ]);
    expect(s.totals.payable).toBe('130.00');
  });
});

describe('platform fee', () => {
  const rows = () => [row('sale', '1100.00'), row('refund', '-100.00')];
  // gross 1100, net base 1000, split 70 %
  it('none: 1000 x 70 % = 700.00', () => {
    expect(settle({ share: { rate: '70' } }, rows()).totals.payable).toBe('700.00');
  });
  it('on gross, separate: fee 5 % x 1100 = 55; 700 - 55 = 645.00', () => {
    const s = settle({ share: { rate: '70' }, platformFee: { basis: 'gross', rate: '5' } }, rows());
    expect(s.totals.feesNet).toBe('55.00');
    expect(s.totals.payable).toBe('645.00');
  });
  it('on net, separate: fee 50; 700 - 50 = 650.00', () => {
    expect(settle({ share: { rate: '70' }, platformFee: { basis: 'net', rate: '5' } }, rows()).totals.payable).toBe('650.00');
  });
  it('on net, part of the split: (1000 - 50) x 70 % = 665.00; platform keeps 1000 - 50 - 665 = 285.00', () => {
    const s = settle({ share: { rate: '70' }, platformFee: { basis: 'net', rate: '5', split: 'part-of-split' } }, rows());
    expect(s.totals.payable).toBe('665.00');
    expect(s.totals.platformSplit).toBe('285.00');
    expect(s.totals.platformFeeInSplit).toBe('50.00');
  });
});

describe('per-transaction and periodic fees', () => {
  it('fee per sale and a periodic fee', () => {
    // 3 sales of 100 at 50 % = 150; 3 x 0.10 = 0.30; periodic 5.00; 150 - 0.30 - 5 = 144.70
    const s = settle({ ...FLAT_50, transactionFee: { amount: '0.10' }, periodicFee: { amount: '5.00' } }, [row('sale', '100.00'), row('sale', '100.00'), row('sale', '100.00')]);
    expect(s.totals.payable).toBe('144.70');
  });
  it('which kinds count: sales and refunds', () => {
    // 2 sales + 1 refund counted: 3 x 1.00; base 150 at 50 % = 75; 75 - 3 = 72.00
    const s = settle({ ...FLAT_50, transactionFee: { amount: '1.00', kinds: ['sale', 'refund'] } }, [row('sale', '100.00'), row('sale', '100.00'), row('refund', '-50.00')]);
    expect(s.totals.payable).toBe('72.00');
  });
  it('periodic fee in an empty period: charged (carried -5.00) or not', () => {
    expect(settle({ ...FLAT_50, periodicFee: { amount: '5.00', chargeInEmptyPeriods: true } }, []).totals.carryOut).toBe('-5.00');
    const quiet = settle({ ...FLAT_50, periodicFee: { amount: '5.00', chargeInEmptyPeriods: false } }, []);
    expect(quiet.totals.carryOut).toBe('0.00');
    expect(quiet.totals.feesCharged).toBe('0.00');
  });
});

describe('VAT on fees', () => {
  const rows = () => [row('sale', '1000.00')];
  it('added: 10 % on a 100.00 fee -> 110.00 charged; 500 - 110 = 390.00', () => {
    const s = settle({ ...FLAT_50, periodicFee: { amount: '100.00' }, vatOnFees: { treatment: 'added', ratesByJurisdiction: { DE: '10' } } }, rows());
    expect([s.totals.feesCharged, s.totals.vatOnFees, s.totals.feesNet, s.totals.payable]).toEqual(['110.00', '10.00', '100.00', '390.00']);
  });
  it('included: 100 x 10/110 = 9.0909 -> 9.09 inside 100.00; 500 - 100 = 400.00', () => {
    const s = settle({ ...FLAT_50, periodicFee: { amount: '100.00' }, vatOnFees: { treatment: 'included', ratesByJurisdiction: { DE: '10' } } }, rows());
    expect([s.totals.feesCharged, s.totals.vatOnFees, s.totals.feesNet, s.totals.payable]).toEqual(['100.00', '9.09', '90.91', '400.00']);
  });
});

describe('minimum guarantee, cap, advance', () => {
  it('MG 1000 in a month earning 400: top-up 600', () => {
    // 800 x 50 % = 400 < 1000 -> 1000.00
    const s = settle({ ...FLAT_50, minimumGuarantee: { amount: '1000.00' } }, [row('sale', '800.00')]);
    expect([s.totals.mgTopUp, s.totals.payable]).toEqual(['600.00', '1000.00']);
    expect(s.stateOut.mgRecoupableBalance).toBe('0.00');
  });

  it('recoupable MG: the next month above MG recoups the top-up', () => {
    const terms = { ...FLAT_50, minimumGuarantee: { amount: '1000.00', recoupable: true } };
    const jan = settle(terms, [row('sale', '800.00')]);
    expect(jan.stateOut.mgRecoupableBalance).toBe('600.00');
    // Feb: 3000 x 50 % = 1500; excess over MG 500 recoups 500 of 600 -> paid 1000.00, 100.00 still outstanding
    const feb = settle(terms, [row('sale', '3000.00', { date: '2026-02-10' })], { period: FEBRUARY, state: jan.stateOut });
    expect([feb.totals.mgRecouped, feb.totals.payable, feb.stateOut.mgRecoupableBalance]).toEqual(['500.00', '1000.00', '100.00']);
    // not recoupable: Feb pays the whole 1500.00
    const plain = settle({ ...FLAT_50, minimumGuarantee: { amount: '1000.00' } }, [row('sale', '3000.00', { date: '2026-02-10' })], { period: FEBRUARY, state: jan.stateOut });
    expect(plain.totals.payable).toBe('1500.00');
  });

  it('MG in an empty period: applies or not', () => {
    expect(settle({ ...FLAT_50, minimumGuarantee: { amount: '1000.00', applyInEmptyPeriods: true } }, []).totals.payable).toBe('1000.00');
    expect(settle({ ...FLAT_50, minimumGuarantee: { amount: '1000.00', applyInEmptyPeriods: false } }, []).totals.payable).toBe('0.00');
  });

  it('cap before or after the MG (cap 800 below MG 1000)', () => {
    const rows = () => [row('sale', '800.00')]; // share 400
    // before-mg: min(400, 800) = 400, then MG -> 1000.00
    expect(settle({ ...FLAT_50, minimumGuarantee: { amount: '1000.00' }, cap: { amount: '800.00', apply: 'before-mg' } }, rows()).totals.payable).toBe('1000.00');
    // after-mg: MG -> 1000, then cap -> 800.00 (cap reduction 200)
    const after = settle({ ...FLAT_50, minimumGuarantee: { amount: '1000.00' }, cap: { amount: '800.00', apply: 'after-mg' } }, rows());
    expect([after.totals.payable, after.totals.capReduction]).toEqual(['800.00', '200.00']);
  });

  it('advance recouped from the share, at most 50 % a period, over three months', () => {
    const terms = { ...FLAT_50, advance: { amount: '4000.00', recoupFrom: 'share', maxRatePerPeriod: '50' } };
    // each month 6000 x 50 % = 3000; recoup min(balance, 1500): 1500, 1500, 1000; paid 1500, 1500, 2000
    const jan = settle(terms, [row('sale', '6000.00')]);
    const feb = settle(terms, [row('sale', '6000.00', { date: '2026-02-10' })], { period: FEBRUARY, state: jan.stateOut });
    const mar = settle(terms, [row('sale', '6000.00', { date: '2026-03-10' })], { period: MARCH, state: feb.stateOut });
    expect([jan, feb, mar].map((s) => [s.totals.advanceRecouped, s.totals.payable, s.stateOut.advanceBalance])).toEqual([
      ['1500.00', '1500.00', '2500.00'],
      ['1500.00', '1500.00', '1000.00'],
      ['1000.00', '2000.00', '0.00'],
    ]);
  });

  it('advance recouped from the net payable', () => {
    // share 3000, periodic fee 1000 -> net 2000; 50 % of 2000 = 1000 recouped; paid 1000.00
    const s = settle({ ...FLAT_50, periodicFee: { amount: '1000.00' }, advance: { amount: '4000.00', recoupFrom: 'net-payable', maxRatePerPeriod: '50' } }, [row('sale', '6000.00')]);
    expect([s.totals.advanceRecouped, s.totals.payable]).toEqual(['1000.00', '1000.00']);
  });
});

describe('negative balance and minimum payout', () => {
  it('carry-forward over three periods', () => {
    const terms = FLAT_50;
    // Jan: refunds -300 -> share -150 -> carried -150
    const jan = settle(terms, [row('refund', '-300.00')]);
    // Feb: 200 x 50 % = 100; 100 - 150 = -50 -> carried -50
    const feb = settle(terms, [row('sale', '200.00', { date: '2026-02-10' })], { period: FEBRUARY, state: jan.stateOut });
    // Mar: 400 x 50 % = 200; 200 - 50 = 150.00 paid
    const mar = settle(terms, [row('sale', '400.00', { date: '2026-03-10' })], { period: MARCH, state: feb.stateOut });
    expect([jan, feb, mar].map((s) => [s.totals.carryIn, s.totals.carryOut, s.totals.payable])).toEqual([
      ['0.00', '-150.00', '0.00'],
      ['-150.00', '-50.00', '0.00'],
      ['-50.00', '0.00', '150.00'],
    ]);
  });

  it('write-off: refunds exceeding sales are absorbed', () => {
    // Jan: sales 100, refunds -400 -> base -300 -> share -150 written off; Feb: 100 paid in full
    const terms = { ...FLAT_50, negativeBalance: 'write-off' };
    const jan = settle(terms, [row('sale', '100.00'), row('refund', '-400.00')]);
    expect([jan.totals.writtenOff, jan.totals.carryOut]).toEqual(['150.00', '0.00']);
    const feb = settle(terms, [row('sale', '200.00', { date: '2026-02-10' })], { period: FEBRUARY, state: jan.stateOut });
    expect(feb.totals.payable).toBe('100.00');
  });

  it('minimum payout 50.00: 40.00 rolls, then 40 + 30 = 70.00 is paid', () => {
    const terms = { ...FLAT_50, minimumPayout: '50.00' };
    const jan = settle(terms, [row('sale', '80.00')]);
    expect([jan.totals.payable, jan.totals.carryOut]).toEqual(['0.00', '40.00']);
    const feb = settle(terms, [row('sale', '60.00', { date: '2026-02-10' })], { period: FEBRUARY, state: jan.stateOut });
    expect(feb.totals.payable).toBe('70.00');
  });
});

describe('withholding tax', () => {
  // share 2000 x 50 % = 1000; periodic fee 100; carried in -200; 10 % DE
  const rows = () => [row('sale', '2000.00')];
  const withState = state({ carryForward: '-200.00' });
  const terms = (basis: string, timing: string) => ({ ...FLAT_50, periodicFee: { amount: '100.00' }, withholding: { ratesByJurisdiction: { DE: '10' }, basis, timing } });
  it('cash paid, after carry-forward: 1000 - 100 - 200 = 700; tax 70; paid 630.00', () => {
    expect(settle(terms('cash-paid', 'after-carry-and-recoupment'), rows(), { state: withState }).totals.payable).toBe('630.00');
  });
  it('cash paid, before carry-forward: basis 900; tax 90; paid 610.00', () => {
    expect(settle(terms('cash-paid', 'before-carry-and-recoupment'), rows(), { state: withState }).totals.payable).toBe('610.00');
  });
  it('gross share, before: basis 1000; tax 100; paid 600.00', () => {
    expect(settle(terms('gross-share', 'before-carry-and-recoupment'), rows(), { state: withState }).totals.payable).toBe('600.00');
  });
  it('gross share, after: basis 1000 - 200 = 800; tax 80; paid 620.00', () => {
    expect(settle(terms('gross-share', 'after-carry-and-recoupment'), rows(), { state: withState }).totals.payable).toBe('620.00');
  });
  it('cash paid: nothing withheld when nothing is paid', () => {
    // 1000 - 100 - 1200 = -300 carried; no cash, no tax
    const s = settle(terms('cash-paid', 'after-carry-and-recoupment'), rows(), { state: state({ carryForward: '-1200.00' }) });
    expect([s.totals.withholdingTax, s.totals.carryOut]).toEqual(['0.00', '-300.00']);
  });
});

describe('FX', () => {
  const ecb = rateTable(
    {
      '2026-01-05': { USD: '1.08', GBP: '0.85' },
      '2026-01-06': { USD: '1.10', GBP: '0.88' },
      '2026-01-30': { USD: '1.25', GBP: '0.90' },
      '2026-02-05': { USD: '1.09', GBP: '0.86' },
    },
    'ECB',
    'EUR',
  );
  const usd = () => [row('sale', '108.00', { currency: 'USD', date: '2026-01-05' }), row('sale', '110.00', { currency: 'USD', date: '2026-01-06' })];

  it('transaction date: 108 / 1.08 + 110 / 1.10 = 100 + 100 = 200.00', () => {
    const s = settle({ share: { rate: '100' } }, usd(), { rates: ecb });
    expect(s.totals.grossBase).toBe('200.00');
    expect(s.groups[0]?.lines[0]?.fx.map((f) => [f.quote.rateKey, f.quote.quoteDates, f.quote.source, f.sourceBase])).toEqual([
      ['2026-01-05', ['2026-01-05'], 'ECB', '108.00'],
      ['2026-01-06', ['2026-01-06'], 'ECB', '110.00'],
    ]);
  });

  it('period end, latest earlier within 1 day (31st has no quote): 218 / 1.25 = 174.40', () => {
    const s = settle({ share: { rate: '100' }, fx: { rateDate: 'period-end', lookup: 'latest-earlier', lookbackDaysMax: 1 } }, usd(), { rates: ecb });
    expect(s.totals.grossBase).toBe('174.40');
    expect(s.groups[0]?.lines[0]?.fx[0]?.quote.quoteDates).toEqual(['2026-01-30']);
  });

  it('payment date 2026-02-05: 218 / 1.09 = 200.00', () => {
    expect(settle({ share: { rate: '100' }, fx: { rateDate: 'payment-date' } }, usd(), { rates: ecb, paymentDate: '2026-02-05' }).totals.grossBase).toBe('200.00');
  });

  it('monthly average: mean(1.08, 1.10, 1.25) = 3.43 / 3; 218 x 3 / 3.43 = 190.6706 -> 190.67', () => {
    expect(settle({ share: { rate: '100' }, fx: { rateDate: 'monthly-average' } }, usd(), { rates: ecb }).totals.grossBase).toBe('190.67');
  });

  it('a missing rate is an exception under exact lookup, found with latest-earlier', () => {
    // 2026-01-07 has no quote
    const rows = () => [row('sale', '110.00', { currency: 'USD', date: '2026-01-07' })];
    const exact = run({ share: { rate: '100' } }, rows(), { rates: ecb });
    expect(exact.statements).toEqual([]);
    expect(exact.exceptions.map((e) => e.code)).toEqual(['fx_rate_missing']);
    // latest earlier within 1 day: 2026-01-06 at 1.10 -> 100.00
    expect(settle({ share: { rate: '100' }, fx: { lookup: 'latest-earlier', lookbackDaysMax: 1 } }, rows(), { rates: ecb }).totals.grossBase).toBe('100.00');
  });

  it('direct only vs via the base currency (USD sales settled in GBP)', () => {
    const rows = () => [row('sale', '110.00', { currency: 'USD', date: '2026-01-06' })];
    const direct = run({ share: { rate: '100' } }, rows(), { rates: ecb, extra: { settlementCurrency: 'GBP' } });
    expect(direct.exceptions.map((e) => e.code)).toEqual(['fx_rate_missing']);
    // via EUR: 110 x 0.88 / 1.10 = 88.00 GBP
    expect(settle({ share: { rate: '100' }, fx: { route: 'via-base' } }, rows(), { rates: ecb, extra: { settlementCurrency: 'GBP' } }).totals.grossBase).toBe('88.00');
  });

  it("chargeback at its own date or at the original sale's rate", () => {
    const rows = () => [row('sale', '110.00', { currency: 'USD', date: '2026-01-06', endToEndId: 'E1' }), row('chargeback', '-110.00', { currency: 'USD', date: '2026-01-30', endToEndId: 'E1' })];
    // own date: 110 / 1.10 - 110 / 1.25 = 100 - 88 = 12.00
    expect(settle({ share: { rate: '100' }, fx: { chargebackRate: 'own-date' } }, rows(), { rates: ecb }).totals.grossBase).toBe('12.00');
    // original sale: 100 - 100 = 0.00
    expect(settle({ share: { rate: '100' }, fx: { chargebackRate: 'original-sale' } }, rows(), { rates: ecb }).totals.grossBase).toBe('0.00');
    // no sale to take the rate from: an exception, not a guess
    const orphan = run({ share: { rate: '100' }, fx: { chargebackRate: 'original-sale' } }, [row('chargeback', '-110.00', { currency: 'USD', date: '2026-01-30', endToEndId: 'E9' })], { rates: ecb });
    expect(orphan.exceptions.map((e) => e.code)).toEqual(['fx_original_sale_missing']);
  });

  it('a streamed chargeback that comes before its original sale still takes the sale\'s rate', () => {
    const sale = row('sale', '110.00', { currency: 'USD', date: '2026-01-06', endToEndId: 'E1' });
    const chargeback = row('chargeback', '-110.00', { currency: 'USD', date: '2026-01-30', endToEndId: 'E1' });
    function* stream(): Generator<CanonicalTransaction> {
      yield chargeback;
      yield sale;
    }
    const result = runSettlement({ period: JANUARY, partnerIds: ['p'], agreements: agreementOf({ share: { rate: '100' }, fx: { chargebackRate: 'original-sale' } }), transactions: stream(), rates: ecb });
    expect(result.exceptions).toEqual([]);
    expect(result.statements[0]?.totals.grossBase).toBe('0.00');
  });
});

describe('rounding', () => {
  it('mode on -0.245 and 0.245 (0.49 at 50 %)', () => {
    const cases = [
      ['half-even', '0.24', '-0.24'],
      ['half-up', '0.25', '-0.25'],
      ['down', '0.24', '-0.24'],
      ['up', '0.25', '-0.25'],
    ] as const;
    for (const [mode, positive, negative] of cases) {
      expect(settle({ ...FLAT_50, rounding: { mode } }, [row('sale', '0.49')]).totals.shareEarned, mode).toBe(positive);
      expect(settle({ ...FLAT_50, rounding: { mode } }, [row('refund', '-0.49')]).totals.shareEarned, mode).toBe(negative);
    }
  });

  // 1 EUR = 1.6 USD = 1.6 GBP, so 1.00 USD = 1.00 GBP = 0.625 EUR.
  const rates = rateTable({ '2026-01-10': { USD: '1.6', GBP: '1.6' } }, 'ECB', 'EUR');
  it('per line vs per product group: 0.625 + 0.625', () => {
    const rows = () => [row('sale', '1.00', { currency: 'USD' }), row('sale', '1.00', { currency: 'GBP' })];
    // per line: 0.62 + 0.62 = 1.24 (half-even); per product group: round(1.25) = 1.25
    expect(settle({ share: { rate: '100' }, rounding: { scope: 'line' } }, rows(), { rates }).totals.grossBase).toBe('1.24');
    const group = settle({ share: { rate: '100' }, rounding: { scope: 'product-group' } }, rows(), { rates });
    expect(group.totals.grossBase).toBe('1.25');
    expect(group.groups[0]?.lines.map((l) => l.base)).toEqual(['0.625', '0.625']);
  });
  it('per product group vs once on the total: two groups of 0.625', () => {
    const terms = (scope: string) => ({ share: { rate: '100' }, productOverrides: [{ productId: 'b', share: { rate: '100' } }], rounding: { scope } });
    const rows = () => [row('sale', '1.00', { currency: 'USD', productId: 'a' }), row('sale', '1.00', { currency: 'USD', productId: 'b' })];
    // per group: 0.62 + 0.62 = 1.24; once on the total: round(1.25) = 1.25
    expect(settle(terms('product-group'), rows(), { rates }).totals.payable).toBe('1.24');
    expect(settle(terms('total'), rows(), { rates }).totals.payable).toBe('1.25');
  });

  it('settlement currency digits: JPY 0, KWD 3', () => {
    // 1001 JPY x 50 % = 500.5 -> half-even 500
    expect(settle(FLAT_50, [row('sale', '1001', { currency: 'JPY' })], { extra: { settlementCurrency: 'JPY' } }).totals.payable).toBe('500');
    // 2.001 KWD x 50 % = 1.0005 -> half-even 1.000
    expect(settle(FLAT_50, [row('sale', '2.001', { currency: 'KWD' })], { extra: { settlementCurrency: 'KWD' } }).totals.payable).toBe('1.000');
  });
});

describe('late transactions', () => {
  // A chargeback that occurred on 30 January was booked on 3 February, after January closed.
  const rows = () => [row('sale', '1000.00', { date: '2026-01-10' }), row('chargeback', '-100.00', { date: '2026-01-30', bookingDate: '2026-02-03' }), row('sale', '400.00', { date: '2026-02-10' })];

  it('open period: booked into February by booking date', () => {
    const terms = { ...FLAT_50, lateTransactions: 'open-period' };
    // Jan: 1000 x 50 % = 500; Feb: (400 - 100) x 50 % = 150.00, one late row
    expect(settle(terms, rows()).totals.payable).toBe('500.00');
    const feb = settle(terms, rows(), { period: FEBRUARY });
    expect(feb.totals.payable).toBe('150.00');
    expect(feb.groups[0]?.lines[0]?.lateCount).toBe(1);
  });

  it('restate: January revision 2 carries it, February does not', () => {
    const terms = { ...FLAT_50, lateTransactions: 'restate' };
    // Jan r2: (1000 - 100) x 50 % = 450.00; Feb: 400 x 50 % = 200.00
    const jan2 = settle(terms, rows(), { revision: 2 });
    expect([jan2.revision, jan2.totals.payable]).toEqual([2, '450.00']);
    expect(settle(terms, rows(), { period: FEBRUARY }).totals.payable).toBe('200.00');
  });
});

describe('determinism', () => {
  it('the same input gives the same bytes; the options in force are on the statement', () => {
    const make = () => runSettlement({ period: JANUARY, partnerIds: ['p'], agreements: agreementOf(FLAT_50), transactions: [row('sale', '10.00')].map((t) => ({ ...t, id: 'same' })), rates: rateTable({}, 'ECB', 'EUR') });
    const [a, b] = [make(), make()];
    expect(statementHash(a.statements[0]!)).toBe(statementHash(b.statements[0]!));
    expect(a.statements[0]?.options.rounding).toEqual({ mode: 'half-even', scope: 'line' });
    expect(a.statements[0]?.options.fx).toEqual({ rateDate: 'transaction-date', lookup: 'exact', lookbackDaysMax: 0, route: 'direct', chargebackRate: 'own-date', reverseRates: 'refuse', transactionDate: 'event' });
  });
});
