import { describe, expect, it } from 'vitest';
import { AgreementVersion, parseAgreements, versionOn } from './agreement.ts';
import { AgreementError } from './errors.ts';

const base = { agreementId: 'A', partnerId: 'p', version: 1, effectiveFrom: '2026-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR' };

function codeOf(input: unknown): string {
  try {
    parseAgreements(input, { file: 'agreements.json' });
  } catch (error) {
    expect(error).toBeInstanceOf(AgreementError);
    return (error as AgreementError).code;
  }
  throw new Error('expected the agreement to be refused');
}

const tiers = (...bands: Array<[string, string | null, string]>) => ({ share: { tiers: bands.map(([from, to, rate]) => ({ from, to, rate })) } });

describe('parseAgreements', () => {
  it('fills every convention default', () => {
    const [agreement] = parseAgreements([{ ...base, terms: { share: { rate: '70' } } }]);
    const terms = agreement!.terms;
    expect(terms.revenueBase).toEqual({ sale: 1, refund: -1, chargeback: -1, adjustment: 1, promotion: 0, fee: 0, tax: 0, payout: 0, transfer: 0 });
    expect(terms.share).toMatchObject({ method: 'marginal', period: 'period', boundary: 'higher', tiers: [{ from: '0', to: null, rate: '70' }] });
    expect(terms.minimumGuarantee.recoupable).toBe(false);
    expect(terms.negativeBalance).toBe('carry-forward');
    expect(terms.withholding).toMatchObject({ basis: 'cash-paid', timing: 'after-carry-and-recoupment' });
    expect(terms.fx).toMatchObject({ rateDate: 'transaction-date', lookup: 'exact' });
    expect(terms.rounding).toEqual({ mode: 'half-even', scope: 'line' });
    expect(agreement!.effectiveTo).toBeNull();
  });

  it('refuses bad tiers with specific codes', () => {
    expect(codeOf([{ ...base, terms: tiers(['0', '100', '50'], ['90', null, '60']) }])).toBe('tiers_overlap');
    expect(codeOf([{ ...base, terms: tiers(['0', '100', '50'], ['110', null, '60']) }])).toBe('tiers_gap');
    expect(codeOf([{ ...base, terms: tiers(['10', null, '50']) }])).toBe('tiers_not_from_zero');
    expect(codeOf([{ ...base, terms: tiers(['0', '100', '50'], ['100', '200', '60']) }])).toBe('tiers_not_open_ended');
    expect(codeOf([{ ...base, terms: tiers(['0', '0', '50'], ['0', null, '60']) }])).toBe('tiers_empty_band');
    expect(codeOf([{ ...base, terms: { share: { rate: '50', tiers: [{ from: '0', to: null, rate: '50' }] } } }])).toBe('tiers_rate_and_tiers');
    expect(codeOf([{ ...base, terms: { share: {} } }])).toBe('tiers_missing');
    expect(codeOf([{ ...base, terms: { share: { measure: 'count', tiers: [{ from: '0', to: '2.5', rate: '1' }, { from: '2.5', to: null, rate: '2' }] } } }])).toBe('tiers_count_bound_not_integer');
  });

  it('refuses rates outside 0-100 % and amounts finer than the currency', () => {
    expect(codeOf([{ ...base, terms: { share: { rate: '100.01' } } }])).toBe('rate_out_of_range');
    expect(codeOf([{ ...base, terms: { share: { rate: '-1' } } }])).toBe('rate_out_of_range');
    expect(codeOf([{ ...base, terms: { share: { rate: '50' }, platformFee: { basis: 'net', rate: '101' } } }])).toBe('rate_out_of_range');
    expect(codeOf([{ ...base, settlementCurrency: 'JPY', terms: { share: { rate: '50' }, minimumPayout: '50.5' } }])).toBe('amount_precision');
  });

  it('refuses missing tax rates, stray options and shapes', () => {
    expect(codeOf([{ ...base, terms: { share: { rate: '50' }, vatOnFees: { ratesByJurisdiction: { FR: '20' } } } }])).toBe('vat_rate_missing');
    expect(codeOf([{ ...base, terms: { share: { rate: '50' }, withholding: { ratesByJurisdiction: { FR: '20' } } } }])).toBe('withholding_rate_missing');
    expect(codeOf([{ ...base, terms: { share: { rate: '50' }, fx: { lookbackDaysMax: 3 } } }])).toBe('lookback_without_latest_earlier');
    expect(codeOf([{ ...base, terms: { share: { rate: '50' }, productOverrides: [{ productId: 'x', share: { rate: '1' } }, { productId: 'x', share: { rate: '2' } }] } }])).toBe('product_override_duplicate');
    expect(codeOf([{ ...base, terms: { share: { rate: '50' }, rounding: { mode: 'bankers' } } }])).toBe('agreement_shape');
    expect(codeOf([{ ...base, terms: { share: { rate: '50' }, unknownOption: true } }])).toBe('agreement_shape');
  });

  it('refuses inverted dates, two agreements of one partner on one date, and duplicate versions', () => {
    expect(codeOf([{ ...base, effectiveTo: '2025-12-31', terms: { share: { rate: '50' } } }])).toBe('effective_dates_inverted');
    const v1 = { ...base, effectiveTo: '2026-06-30', terms: { share: { rate: '50' } } };
    // Agreement B of the same partner starting on A's last day, or after an open-ended A: which contract applies would be a guess.
    expect(codeOf([v1, { ...base, agreementId: 'B', effectiveFrom: '2026-06-30', terms: { share: { rate: '60' } } }])).toBe('effective_dates_overlap');
    expect(codeOf([{ ...base, terms: { share: { rate: '50' } } }, { ...base, agreementId: 'B', effectiveFrom: '2027-01-01', terms: { share: { rate: '60' } } }])).toBe('effective_dates_overlap');
    // B inside a gap-free stretch of A made of two versions (A v1 Jan-Jun, A v2 from Jul open-ended) still overlaps A.
    const a2 = { ...base, version: 2, effectiveFrom: '2026-07-01', terms: { share: { rate: '60' } } };
    expect(codeOf([v1, a2, { ...base, agreementId: 'B', effectiveFrom: '2028-01-01', terms: { share: { rate: '40' } } }])).toBe('effective_dates_overlap');
    expect(codeOf([v1, { ...v1, effectiveFrom: '2026-07-01', effectiveTo: null }])).toBe('agreement_version_duplicate');
    expect(codeOf([v1, { ...a2, partnerId: 'q' }])).toBe('agreement_partner_changes');
    expect(parseAgreements([v1, a2])).toHaveLength(2);
    // Another partner's agreement on the same dates, and agreement B after A ends, are fine.
    expect(parseAgreements([v1, { ...base, agreementId: 'C', partnerId: 'q', terms: { share: { rate: '40' } } }, { ...base, agreementId: 'B', effectiveFrom: '2026-07-01', terms: { share: { rate: '40' } } }])).toHaveLength(3);
  });

  it('lets a later version of the same agreement supersede the earlier ones from its effectiveFrom', () => {
    // v2 with v1's very dates (as the Partners screen saves it) replaces v1 on every date.
    const v1 = { ...base, terms: { share: { rate: '55' } } };
    const same = parseAgreements([v1, { ...v1, version: 2, terms: { share: { rate: '60' } } }]);
    expect(versionOn(same, 'p', '2026-01-01')?.version).toBe(2);
    expect(versionOn(same, 'p', '2030-12-31')?.version).toBe(2);
    expect(versionOn(same, 'p', '2025-12-31')).toBeNull();
    // v1 open-ended from January, v2 from March: February is v1's, March on v2's, whatever the order given.
    const later = parseAgreements([{ ...v1, version: 2, effectiveFrom: '2026-03-01', terms: { share: { rate: '75' } } }, { ...v1, terms: { share: { rate: '70' } } }]);
    expect(versionOn(later, 'p', '2026-02-28')?.version).toBe(1);
    expect(versionOn(later, 'p', '2026-03-01')?.version).toBe(2);
    // A v2 that ends hands back to v1 after its end (the highest version covering the date).
    const bounded = parseAgreements([v1, { ...v1, version: 2, effectiveFrom: '2026-03-01', effectiveTo: '2026-03-31', terms: { share: { rate: '75' } } }]);
    expect(versionOn(bounded, 'p', '2026-03-31')?.version).toBe(2);
    expect(versionOn(bounded, 'p', '2026-04-01')?.version).toBe(1);
    expect(versionOn(bounded, 'q', '2026-03-15')).toBeNull();
  });

  it('reports an unknown settlement currency as an issue, never a thrown error', () => {
    const parsed = AgreementVersion.safeParse({ ...base, settlementCurrency: 'XQQ', terms: { share: { rate: '50' }, minimumPayout: '10.005' } });
    expect(parsed.success).toBe(false);
    // One issue, at the currency: the amount's digits cannot be judged against an unknown currency.
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['settlementCurrency', 'expected an ISO 4217 currency code']]);
    expect(codeOf([{ ...base, settlementCurrency: 'XQQ', terms: { share: { rate: '50' } } }])).toBe('agreement_shape');
  });

  it('refuses a rate or amount that is not a decimal string as a located agreement error, never an internal one', () => {
    const cases: Array<[unknown, string, string]> = [
      [{ share: { rate: '55%' } }, '$[0].terms.share.rate', 'without a % sign'],
      [{ share: { tiers: [{ from: 'x', to: null, rate: '10' }] } }, '$[0].terms.share.tiers[0].from', 'decimal string'],
      [{ share: { rate: '5' }, transactionFee: { amount: '1,00' } }, '$[0].terms.transactionFee.amount', 'decimal string'],
      [{ share: { rate: '5' }, cap: { amount: '12.345.6' } }, '$[0].terms.cap.amount', 'decimal string'],
      [{ share: { rate: '5' }, vatOnFees: { ratesByJurisdiction: { DE: '19%' } } }, '$[0].terms.vatOnFees.ratesByJurisdiction.DE', 'without a % sign'],
    ];
    for (const [terms, column, message] of cases) {
      const error = (() => {
        try {
          parseAgreements([{ ...base, terms }], { file: 'agreements.json' });
        } catch (caught) {
          return caught;
        }
        throw new Error(`expected ${column} to be refused`);
      })();
      expect(error).toBeInstanceOf(AgreementError);
      expect(error).toMatchObject({ code: 'agreement_shape', location: { file: 'agreements.json', column } });
      expect((error as AgreementError).message).toContain(message);
    }
  });

  it('says where the problem is', () => {
    try {
      parseAgreements([{ ...base, terms: tiers(['0', '100', '50'], ['90', null, '60']) }], { file: 'agreements.json' });
      expect.unreachable();
    } catch (error) {
      const e = error as AgreementError;
      expect(e.location).toEqual({ file: 'agreements.json', column: '$[0].terms.share.tiers[1].from' });
      expect(e.message).toContain('inside tier 1');
    }
  });
});
