import { describe, expect, it } from 'vitest';
import { agreementOf, JANUARY, NO_RATES, row } from '../../../../core/settlement/testkit.ts';
import { formatDate, formatMonthDay } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { registerReviewTexts, REVIEW_NS } from '../../grid/texts.ts';
import { unsettledWhy } from '../settlements/block-reason.ts';
import { registerSettlementTexts, SETTLEMENT_NS } from '../settlements/texts.ts';
import { withValue } from './draft.ts';
import { previewAgreementChange, type Preview } from './preview.ts';

const [current] = agreementOf({ share: { rate: '70' } });
if (current === undefined) throw new Error('testkit gives one agreement');

function valueOf(preview: Preview, id: string): { before: string | null; after: string | null; delta: string | null } {
  const found = preview.rows.find((each) => each.id === id);
  if (found === undefined) throw new Error(`no row ${id} in ${preview.rows.map((each) => each.id).join(', ')}`);
  return { before: found.before, after: found.after, delta: found.delta };
}

describe('preview on the last period', () => {
  it('70 % to 75 % on a 1,000.00 base moves the share and the payable by 50.00', () => {
    // Sales 600.00 + 400.00 = 1,000.00 base; 70 % = 700.00, 75 % = 750.00; the platform keeps 300.00 then 250.00.
    const transactions = [row('sale', '600.00'), row('sale', '400.00')];
    const edited = withValue(current, 'terms.share.tiers.0.rate', '75');
    const preview = previewAgreementChange({ period: JANUARY, current, edited, transactions, rates: NO_RATES, stateIn: null });
    expect(preview.before.problem).toBeNull();
    expect(preview.after.problem).toBeNull();
    expect(valueOf(preview, 'line|default|game|EUR|base')).toEqual({ before: '1000.00', after: '1000.00', delta: '0' });
    expect(valueOf(preview, 'group|default|share')).toEqual({ before: '700.00', after: '750.00', delta: '50' });
    expect(valueOf(preview, 'total|payable')).toEqual({ before: '700.00', after: '750.00', delta: '50' });
    expect(valueOf(preview, 'total|platformSplit')).toEqual({ before: '300.00', after: '250.00', delta: '-50' });
    // Totals first (the payable leads), then groups, then lines; the zero totals (no fees, no cap) are left out.
    expect(preview.rows.map((each) => each.id)).toEqual([
      'total|grossBase', 'total|shareEarned', 'total|platformSplit', 'total|shareOwed', 'total|payable', 'total|platformRetained',
      'group|default|base', 'group|default|platformFee', 'group|default|share',
      'line|default|game|EUR|base',
    ]);
  });

  it('a product given its own 50 % share moves its line into a new group: 840.00 becomes 700.00 + 100.00', () => {
    // game 1,000.00 and music 200.00: 70 % of 1,200.00 = 840.00; with music at 50 %: 700.00 + 100.00 = 800.00, payable -40.00.
    const transactions = [row('sale', '1000.00'), row('sale', '200.00', { productId: 'music' })];
    const edited = withValue(current, 'terms.productOverrides', [{ productId: 'music', share: { ...current.terms.share, tiers: [{ from: '0', to: null, rate: '50' }] } }]);
    const preview = previewAgreementChange({ period: JANUARY, current, edited, transactions, rates: NO_RATES, stateIn: null });
    expect(valueOf(preview, 'group|default|share')).toEqual({ before: '840.00', after: '700.00', delta: '-140' });
    expect(valueOf(preview, 'group|product:music|share')).toEqual({ before: '0', after: '100.00', delta: '100' });
    expect(valueOf(preview, 'line|default|music|EUR|base')).toEqual({ before: '200.00', after: '0', delta: '-200' });
    expect(valueOf(preview, 'line|product:music|music|EUR|base')).toEqual({ before: '0', after: '200.00', delta: '200' });
    expect(valueOf(preview, 'total|payable')).toEqual({ before: '840.00', after: '800.00', delta: '-40' });
  });

  it('a draft the engine cannot settle says why, and no difference is invented', () => {
    // Settling in USD from EUR sales needs a rate; the table has none: fx_rate_missing, never a rate of 1.
    const transactions = [row('sale', '100.00')];
    const edited = withValue(current, 'settlementCurrency', 'USD');
    const preview = previewAgreementChange({ period: JANUARY, current, edited, transactions, rates: NO_RATES, stateIn: null });
    expect(preview.after.statement).toBeNull();
    expect(preview.after.problem?.code).toBe('fx_rate_missing');
    expect(valueOf(preview, 'total|payable')).toEqual({ before: '70.00', after: null, delta: null });
  });

  it('says why a draft cannot be settled from the engine\'s facts in the desk\'s language, a contract-year start as a day of the year', async () => {
    await startI18n('en');
    registerReviewTexts();
    registerSettlementTexts();
    // A contract year starting 15 January splits January: the engine refuses the period (period_spans_contract_year).
    const edited = withValue(withValue(current, 'terms.share.period', 'contract-year'), 'terms.share.contractYearStart', '01-15');
    const preview = previewAgreementChange({ period: JANUARY, current, edited, transactions: [row('sale', '100.00')], rates: NO_RATES, stateIn: null });
    const problem = preview.after.problem;
    expect(problem?.code).toBe('period_spans_contract_year');
    const why = (locale: 'en' | 'ko') =>
      unsettledWhy(problem!, i18next.getFixedT(locale, REVIEW_NS), { period: preview.period, date: (iso) => formatDate(iso, { locale, dateStyle: 'locale' }), monthDay: (value) => formatMonthDay(value, { locale, dateStyle: 'locale' }), ts: i18next.getFixedT(locale, SETTLEMENT_NS) });
    expect(why('en')).toBe('Period spans two contract years (period_spans_contract_year): partner p: 1 Jan 2026 – 31 Jan 2026 crosses a contract year start (15 Jan) or mixes contract years');
    expect(why('ko')).toBe('기간이 두 계약 연도에 걸침 (period_spans_contract_year): 파트너 p: 2026. 1. 1. ~ 2026. 1. 31. 기간이 계약 연도 시작일(1월 15일)을 넘거나 여러 계약 연도에 걸침');
  });

  it('applies both agreements to the whole period, whatever the draft\'s effective dates', () => {
    const transactions = [row('sale', '10.00')];
    const edited = { ...withValue(current, 'terms.share.tiers.0.rate', '80'), effectiveFrom: '2026-06-01' };
    const preview = previewAgreementChange({ period: JANUARY, current, edited, transactions, rates: NO_RATES, stateIn: null });
    expect(valueOf(preview, 'total|payable')).toEqual({ before: '7.00', after: '8.00', delta: '1' });
  });
});
