import { describe, expect, it } from 'vitest';
import { parseAgreements } from './agreement.ts';
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

  it('refuses inverted and overlapping effective dates, and duplicate versions', () => {
    expect(codeOf([{ ...base, effectiveTo: '2025-12-31', terms: { share: { rate: '50' } } }])).toBe('effective_dates_inverted');
    const v1 = { ...base, effectiveTo: '2026-06-30', terms: { share: { rate: '50' } } };
    expect(codeOf([v1, { ...base, version: 2, effectiveFrom: '2026-06-30', terms: { share: { rate: '60' } } }])).toBe('effective_dates_overlap');
    expect(codeOf([{ ...base, terms: { share: { rate: '50' } } }, { ...base, version: 2, effectiveFrom: '2027-01-01', terms: { share: { rate: '60' } } }])).toBe('effective_dates_overlap');
    expect(codeOf([v1, { ...v1, effectiveFrom: '2026-07-01', effectiveTo: null }])).toBe('agreement_version_duplicate');
    expect(parseAgreements([v1, { ...base, version: 2, effectiveFrom: '2026-07-01', terms: { share: { rate: '60' } } }])).toHaveLength(2);
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
