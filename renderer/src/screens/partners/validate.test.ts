import { beforeAll, describe, expect, it } from 'vitest';
import { AgreementVersion, checkAgreementVersions } from '../../../../core/settlement/agreement.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { withValue, type Draft } from './draft.ts';
import { editorFieldPaths, SECTIONS, SHARE_FIELDS, SHARE_PATH } from './fields.ts';
import { PARTNERS_NS, registerPartnersTexts } from './texts.ts';
import { saveFailureText, validateDraft, type FieldErrorCode } from './validate.ts';
import { leafPaths } from './versions.ts';

const agreement: Draft = AgreementVersion.parse({ agreementId: 'AGR-P1', partnerId: 'P1', version: 1, effectiveFrom: '2025-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms: { share: { rate: '70' } } });

/** The errors of a draft with one field changed, as [field key, code] pairs. */
function errorsWith(key: string, value: unknown, base: Draft = agreement): Array<[string, FieldErrorCode]> {
  const result = validateDraft(withValue(base, key, value));
  return [...result.errors.entries()].flatMap(([at, list]) => list.map((error): [string, FieldErrorCode] => [at, error.code]));
}

describe('field errors from the agreement schema', () => {
  it('accepts the parsed agreement as a draft (the editor edits the normalized shape)', () => {
    const result = validateDraft(agreement);
    expect(result.ok).toBe(true);
    expect(result.agreement).toEqual(agreement);
  });

  it('puts a 120 % share at the tier rate field, with the value for the message', () => {
    const result = validateDraft(withValue(agreement, 'terms.share.tiers.0.rate', '120'));
    expect(result.ok).toBe(false);
    expect([...result.errors.keys()]).toEqual(['terms.share.tiers.0.rate']);
    expect(result.errors.get('terms.share.tiers.0.rate')?.[0]).toMatchObject({ code: 'rate_out_of_range', values: { value: '120', tier: '1' } });
    // Fixed again, the draft is valid.
    expect(validateDraft(withValue(agreement, 'terms.share.tiers.0.rate', '75')).ok).toBe(true);
  });

  it('judges decimal strings exactly: 100.00000000000000000001 % is over 100 (a float reads it as 100)', () => {
    expect(Number.parseFloat('100.00000000000000000001')).toBe(100);
    expect(errorsWith('terms.share.tiers.0.rate', '100.00000000000000000001')).toEqual([['terms.share.tiers.0.rate', 'rate_out_of_range']]);
    expect(errorsWith('terms.share.tiers.0.rate', '100.00000000000000000000')).toEqual([]);
  });

  it('says what a field holds when the text is not a number', () => {
    expect(errorsWith('terms.share.tiers.0.rate', '70%')).toEqual([['terms.share.tiers.0.rate', 'percent_format']]);
    expect(errorsWith('terms.platformFee.rate', '5,5')).toEqual([['terms.platformFee.rate', 'percent_format']]);
    expect(errorsWith('terms.minimumPayout', '1,000.00')).toEqual([['terms.minimumPayout', 'decimal_format']]);
    expect(errorsWith('terms.minimumPayout', '-5.00')).toEqual([['terms.minimumPayout', 'amount_negative']]);
    expect(errorsWith('terms.cap.amount', '')).toEqual([['terms.cap.amount', 'decimal_format']]);
    expect(errorsWith('effectiveFrom', '2025-02-30')).toEqual([['effectiveFrom', 'date_invalid']]);
    expect(errorsWith('partnerJurisdiction', 'de')).toEqual([['partnerJurisdiction', 'jurisdiction_format']]);
    expect(errorsWith('terms.share.contractYearStart', '02-29')).toEqual([['terms.share.contractYearStart', 'month_day_invalid']]);
    expect(errorsWith('terms.vatOnFees.ratesByJurisdiction', { DE: '19%' })).toEqual([['terms.vatOnFees.ratesByJurisdiction.DE', 'percent_format']]);
  });

  it('checks an amount against the settlement currency digits: 0.125 EUR has 3 decimals, EUR has 2; 5000.5 JPY has 1, JPY has 0', () => {
    const result = validateDraft(withValue(agreement, 'terms.minimumGuarantee.amount', '0.125'));
    expect(result.errors.get('terms.minimumGuarantee.amount')?.[0]).toMatchObject({ code: 'amount_precision', values: { value: '0.125', currency: 'EUR', digits: '2' } });
    const yen = withValue(agreement, 'settlementCurrency', 'JPY');
    expect(errorsWith('terms.minimumPayout', '5000.5', yen)).toEqual([['terms.minimumPayout', 'amount_precision']]);
    expect(errorsWith('terms.minimumPayout', '5000', yen)).toEqual([]);
  });

  it('keeps core\'s named rules at their fields: tiers, look-back, VAT, dates', () => {
    const tiered = withValue(agreement, 'terms.share.tiers', [
      { from: '0', to: '100000', rate: '70' },
      { from: '100001', to: null, rate: '75' },
    ]);
    expect(validateDraft(tiered).errors.get('terms.share.tiers.1.from')?.[0]).toMatchObject({ code: 'tiers_gap', values: { tier: '2' } });
    expect(errorsWith('terms.share.tiers', [{ from: '0', to: '100', rate: '70' }])).toEqual([['terms.share.tiers.0.to', 'tiers_not_open_ended']]);
    expect(errorsWith('terms.fx.lookbackDaysMax', 3)).toEqual([['terms.fx.lookbackDaysMax', 'lookback_without_latest_earlier']]);
    expect(errorsWith('terms.vatOnFees.ratesByJurisdiction', { FR: '20' })).toEqual([['terms.vatOnFees.ratesByJurisdiction', 'vat_rate_missing']]);
    expect(errorsWith('effectiveTo', '2024-12-31')).toEqual([['effectiveTo', 'effective_dates_inverted']]);
    expect(errorsWith('terms.share.countedKinds', [])).toEqual([['terms.share.countedKinds', 'list_empty']]);
  });

  it('refuses a made-up currency at its field, with the draft\'s other errors at theirs (core reports it as an issue, never throws)', () => {
    expect(errorsWith('settlementCurrency', 'XXQ')).toEqual([['settlementCurrency', 'currency_unknown']]);
    expect(errorsWith('settlementCurrency', 'XXQ', withValue(agreement, 'terms.share.tiers.0.rate', '120'))).toEqual([
      ['settlementCurrency', 'currency_unknown'],
      ['terms.share.tiers.0.rate', 'rate_out_of_range'],
    ]);
  });
});

describe('the editor covers the schema', () => {
  it('every leaf of a parsed agreement is edited by a field', () => {
    const paths = editorFieldPaths();
    const uncovered = [...leafPaths(agreement).keys()].filter((leaf) => !paths.some((path) => leaf === path || leaf.startsWith(`${path}.`)));
    expect(uncovered).toEqual([]);
  });

  it('every option of every choice is accepted by the schema', () => {
    const refused: string[] = [];
    const fields = [...SECTIONS.flatMap((section) => section.fields), ...SHARE_FIELDS.map((field) => ({ ...field, path: `${SHARE_PATH}.${field.path}` }))];
    for (const field of fields) {
      if (field.input.kind !== 'enum') continue;
      for (const option of field.input.options) if (!validateDraft(withValue(agreement, field.path, option)).ok) refused.push(`${field.path}=${option}`);
    }
    expect(refused).toEqual([]);
    for (const weight of [1, 0, -1]) expect(validateDraft(withValue(agreement, 'terms.revenueBase.promotion', weight)).ok).toBe(true);
  });
});

describe('a save refused by core\'s check of the versions together', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerPartnersTexts();
  });

  it('says a version clash by its code in the desk\'s language, and any other failure by its message', () => {
    // Agreement AGR-P2 for the same partner P1 from 2025-06-01 overlaps AGR-P1, open-ended from 2025-01-01.
    const other = AgreementVersion.parse({ ...agreement, agreementId: 'AGR-P2', effectiveFrom: '2025-06-01' });
    let clash: unknown = null;
    try {
      checkAgreementVersions([agreement as AgreementVersion, other]);
    } catch (error) {
      clash = error;
    }
    expect((clash as Error).message).toBe('partner P1: agreement AGR-P1 (2025-01-01..open) overlaps agreement AGR-P2 from 2025-06-01; a change to one agreement is a new version of it');
    expect(saveFailureText(clash, i18next.getFixedT('en', PARTNERS_NS))).toBe('The dates overlap another agreement of this partner.');
    expect(saveFailureText(clash, i18next.getFixedT('ko', PARTNERS_NS))).toBe('이 파트너의 다른 계약과 기간이 겹칩니다.');
    expect(saveFailureText(new Error('IndexedDB quota exceeded'), i18next.getFixedT('ko', PARTNERS_NS))).toBe('IndexedDB quota exceeded');
  });
});
