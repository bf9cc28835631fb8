import { beforeAll, describe, expect, it } from 'vitest';
import { createException } from '../../../../core/exceptions/model.ts';
import { rateTable } from '../../../../core/settlement/fx.ts';
import { runSettlement } from '../../../../core/settlement/run.ts';
import { agreementOf, row } from '../../../../core/settlement/testkit.ts';
import type { ExceptionDoc } from '../../../../core/sync/documents.ts';
import { blockReasonsFor } from '../../../engine/settle.ts';
import { formatCount, formatDate, formatMoney, formatMonthDay } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { registerReviewTexts, REVIEW_NS } from '../../grid/texts.ts';
import { exceptionTitle } from '../exceptions/exception-title.ts';
import { EXCEPTION_TITLES_NS, registerExceptionTitleTexts } from '../exceptions/title-texts.ts';
import { blockReason, unsettledWhy } from './block-reason.ts';
import { registerSettlementTexts, SETTLEMENT_NS } from './texts.ts';

/** A critical bank return of partner studio-a in March, with the facts from-reconcile.ts keeps for its title. */
const record = createException(
  {
    type: 'unmatched',
    key: ['bank', 'b1'],
    severity: 'critical',
    title: 'bank movement not explained by the PSP or the internal ledger: -1234.50 EUR on 2026-03-04',
    amountAtRisk: { amount: '1234.50', currency: 'EUR' },
    partnerId: 'studio-a',
    period: '2026-03',
    sourceRefs: [{ kind: 'transaction', id: 'b1', line: null }],
    details: { side: 'bank', kind: 'transfer', amount: '-1234.50', currency: 'EUR', date: '2026-03-04' },
  },
  '2026-03-05T00:00:00Z',
);
const doc: ExceptionDoc = { ...record, updatedBy: 'ana', conflicts: [] };

function reasonsIn(locale: 'en' | 'ko', reasons: readonly string[], held: readonly ExceptionDoc[]): string[] {
  const format = { money: (amount: string, currency: string) => formatMoney(amount, currency, 'en'), count: (count: number) => formatCount(count, 'en'), date: (value: string) => formatDate(value, { locale, dateStyle: 'locale' }) };
  const title = (each: ExceptionDoc) => exceptionTitle(each, i18next.getFixedT(locale, EXCEPTION_TITLES_NS), format);
  const byId = new Map(held.map((each) => [each.id, each]));
  return reasons.map((reason) => blockReason(reason, byId, i18next.getFixedT(locale, REVIEW_NS), title));
}

describe('a statement\'s block reasons in the analyst\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerReviewTexts();
    registerExceptionTitleTexts();
    registerSettlementTexts();
  });

  it('names the blocking exception by its title in the desk\'s language', () => {
    const reasons = blockReasonsFor('studio-a', '2026-03', [doc]);
    expect(reasons).toEqual([`open critical exception ${doc.id}: bank movement not explained by the PSP or the internal ledger: -1234.50 EUR on 2026-03-04`]);
    expect(reasonsIn('en', reasons, [doc])).toEqual([`open critical exception ${doc.id}: bank movement not explained by the PSP or the internal ledger: -1,234.50 EUR on 4 Mar 2026`]);
    expect(reasonsIn('ko', reasons, [doc])).toEqual([`미해결 심각 예외 ${doc.id}: PSP나 내부 원장으로 설명되지 않는 은행 거래: 2026. 3. 4. -1,234.50 EUR`]);
  });

  it('keeps the stored English when the desk no longer holds the exception or the reason has another shape', () => {
    const reasons = [...blockReasonsFor('studio-a', '2026-03', [doc]), 'a reason of another shape'];
    expect(reasonsIn('ko', reasons, [])).toEqual(reasons);
  });

  it('says why the engine could not settle a partner, by its code and its facts, in the desk\'s language', () => {
    // Partner q has a sale in March but no agreement: the run settles p and refuses q.
    const run = runSettlement({ period: { start: '2026-03-01', end: '2026-03-31' }, partnerIds: ['p', 'q'], agreements: agreementOf({ share: { rate: '70' } }), transactions: [row('sale', '100.00', { date: '2026-03-10' })], rates: rateTable({}, 'ECB', 'EUR') });
    const [refused] = run.exceptions;
    expect(refused).toMatchObject({ partnerId: 'q', code: 'agreement_missing', message: 'partner q: no agreement in force in 2026-03-01..2026-03-31' });
    const whyIn = (locale: 'en' | 'ko', exception: Parameters<typeof unsettledWhy>[0]) =>
      unsettledWhy(exception, i18next.getFixedT(locale, REVIEW_NS), { period: run.period, date: (iso) => formatDate(iso, { locale, dateStyle: 'locale' }), monthDay: (value) => formatMonthDay(value, { locale, dateStyle: 'locale' }), ts: i18next.getFixedT(locale, SETTLEMENT_NS) });
    expect(whyIn('en', refused!)).toBe('No agreement in force (agreement_missing): partner q, 1 Mar 2026 – 31 Mar 2026');
    expect(whyIn('ko', refused!)).toBe('유효한 계약 없음 (agreement_missing): 파트너 q, 기간 2026. 3. 1. ~ 2026. 3. 31.');
    // As core's blockedByEarlier writes it: February blocked for a missing rate holds March back.
    const held = { partnerId: 'q', code: 'blocked_by_earlier_period', message: 'partner q: 2026-03-01..2026-03-31 depends on the balances of 2026-02-01..2026-02-28, which is blocked (fx_rate_missing); settle that period again first', details: { blockedPeriod: { start: '2026-02-01', end: '2026-02-28' }, blockedCode: 'fx_rate_missing' } };
    expect(whyIn('ko', held)).toBe('이전 기간이 보류되어 정산 불가 (blocked_by_earlier_period): 파트너 q: 2026. 2. 1. ~ 2026. 2. 28. 기간의 잔액에 따라 달라지는데 그 기간이 보류됨 (fx_rate_missing). 그 기간을 먼저 다시 정산하세요');
    // A contract-year or currency conflict, as core's statement.ts writes them (its details).
    const currencies = { partnerId: 'q', code: 'state_currency_mismatch', message: 'partner q: balances carried in USD but the agreement settles in EUR', details: { carriedCurrency: 'USD', settlementCurrency: 'EUR' } };
    expect(whyIn('en', currencies)).toBe('Carried balances in another currency (state_currency_mismatch): partner q: balances carried in USD but the agreement settles in EUR');
    expect(whyIn('ko', currencies)).toBe('이월 잔액의 통화가 다름 (state_currency_mismatch): 파트너 q: 이월 잔액은 USD인데 계약의 정산 통화는 EUR임');
    const year = { partnerId: 'q', code: 'period_spans_contract_year', message: 'period 2026-03-01..2026-03-31 crosses a contract year start (03-15) or mixes contract years', details: { period: { start: '2026-03-01', end: '2026-03-31' }, contractYearStart: '03-15' } };
    expect(whyIn('en', year)).toBe('Period spans two contract years (period_spans_contract_year): partner q: 1 Mar 2026 – 31 Mar 2026 crosses a contract year start (15 Mar) or mixes contract years');
    expect(whyIn('ko', year)).toBe('기간이 두 계약 연도에 걸침 (period_spans_contract_year): 파트너 q: 2026. 3. 1. ~ 2026. 3. 31. 기간이 계약 연도 시작일(3월 15일)을 넘거나 여러 계약 연도에 걸침');
    // Facts missing: the engine's English after the words.
    expect(whyIn('ko', { ...currencies, details: {} })).toBe('이월 잔액의 통화가 다름 (state_currency_mismatch): partner q: balances carried in USD but the agreement settles in EUR');
    expect(whyIn('ko', { ...held, details: {} })).toContain(': partner q: 2026-03-01..2026-03-31 depends on');
  });
});
