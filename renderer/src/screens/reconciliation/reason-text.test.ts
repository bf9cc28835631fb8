import { beforeAll, describe, expect, it } from 'vitest';
import { RateTable } from '../../../../core/reconcile/fx.ts';
import { matchLeg } from '../../../../core/reconcile/match.ts';
import { parseRules } from '../../../../core/reconcile/rules.ts';
import { makeTx } from '../../../../core/reconcile/test-support.ts';
import { formatCount, formatMoney } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { reasonTemplates, reasonTextOf } from './reason-text.ts';
import { registerSuggestionReasonTexts, SUGGESTION_REASONS_NS, suggestionReasonsEn, suggestionReasonsKo } from './reason-texts.ts';

const format = { money: (amount: string, currency: string) => formatMoney(amount, currency, 'en'), count: (count: number) => formatCount(count, 'en') };
/** As the screen and the engine worker say a reason: the words of the language, filled (reasonTemplates, then reasonTextOf). */
const suggestionReasonText = (reason: Parameters<typeof reasonTextOf>[0], t: Parameters<typeof reasonTemplates>[0], with_ = format) => reasonTextOf(reason, reasonTemplates(t), with_);

describe('suggestion reasons in the analyst\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerSuggestionReasonTexts();
  });

  it('Korean has every English key with the same placeholders, in Hangul', () => {
    expectSameKeysAndPlaceholders(leaves(suggestionReasonsEn), leaves(suggestionReasonsKo));
    expect(latinOnlyKeys(leaves(suggestionReasonsKo))).toEqual([]);
  });

  it('says a real suggestion\'s reasons with the locale\'s grouping', () => {
    // 1,098.50 - 1,100.00 = -1.50 EUR; 1 to 5 March: 4 days; counterparty words {acme, games} of {acme, games, gmbh}: 2/3.
    const left = [makeTx({ id: 'a', amount: '1100.00', date: '2026-03-01', counterparty: 'Acme Games GmbH' })];
    const right = [makeTx({ id: 'b', amount: '1098.50', date: '2026-03-05', kind: 'transfer', counterparty: 'ACME GAMES' })];
    const [suggestion] = matchLeg(left, right, parseRules({}), { name: 'test', scanText: { left: false, right: true }, rates: new RateTable([]) }).suggestions;
    const reasons = suggestion?.reasons ?? [];
    const say = (locale: 'en' | 'ko') => reasons.map((reason) => suggestionReasonText(reason, i18next.getFixedT(locale, SUGGESTION_REASONS_NS), format));
    expect(reasons.map((reason) => reason.detail)).toEqual(['difference -1.50 EUR', '4 day(s) apart', 'counterparty similarity 0.6667']);
    expect(say('en')).toEqual(['difference -1.50 EUR', '4 day(s) apart', 'counterparty similarity 0.6667']);
    expect(say('ko')).toEqual(['차액 -1.50 EUR', '4일 차이', '거래 상대방 유사도 0.6667']);
  });

  it('says a batch\'s sum with the grouping of each locale\'s money', () => {
    const reason = { says: 'batch_sum' as const, params: { lines: '2', batch: 'b-1', sum: '12345.60', currency: 'EUR' }, detail: '2 lines of batch b-1 sum to 12345.60 EUR' };
    expect(suggestionReasonText(reason, i18next.getFixedT('en', SUGGESTION_REASONS_NS), format)).toBe('2 lines of batch b-1 sum to 12,345.60 EUR');
    expect(suggestionReasonText(reason, i18next.getFixedT('ko', SUGGESTION_REASONS_NS), format)).toBe('묶음 b-1의 2개 행 합계 12,345.60 EUR');
  });

  it('says a key the two sides write differently with both ids as written', () => {
    // ch_0_10 and ch010 fold to one key; the reason keeps each side's own spelling, in either locale.
    const left = [makeTx({ id: 'a', amount: '30.00', date: '2026-03-01', externalId: 'ch_0_10' })];
    const right = [makeTx({ id: 'b', amount: '30.00', date: '2026-03-03', kind: 'transfer', description: 'PAYMENT ch010' })];
    const [suggestion] = matchLeg(left, right, parseRules({ order: ['reversal'] }), { name: 'test', scanText: { left: false, right: true }, rates: new RateTable([]) }).suggestions;
    const reason = suggestion?.reasons[2];
    expect(reason?.says).toBe('folded_reference');
    const say = (locale: 'en' | 'ko') => (reason === undefined ? '' : suggestionReasonText(reason, i18next.getFixedT(locale, SUGGESTION_REASONS_NS), format));
    expect(say('en')).toBe('references ch_0_10 and ch010 match only without separators');
    expect(say('ko')).toBe('참조 ch_0_10, ch010: 구분 기호를 빼야만 일치');
  });

  it('fills a reason\'s words in the chosen number format, as i18next would', () => {
    const reason = { says: 'difference' as const, params: { amount: '-1234.5', currency: 'EUR' }, detail: 'difference -1234.5 EUR' };
    const de = { money: (amount: string, currency: string) => formatMoney(amount, currency, 'de'), count: (count: number) => formatCount(count, 'de') };
    // -1234.5 EUR with EUR's 2 digits: -1.234,50 in the German format; i18next's own filling of the same values agrees.
    const ko = i18next.getFixedT('ko', SUGGESTION_REASONS_NS);
    expect(suggestionReasonText(reason, ko, de)).toBe('차액 -1.234,50 EUR');
    expect(ko('difference', { amount: '-1.234,50', currency: 'EUR' })).toBe('차액 -1.234,50 EUR');
    expect(reasonTemplates(ko).batch_sum).toBe('묶음 {{batch}}의 {{lines}}개 행 합계 {{sum}} {{currency}}');
  });

  it('keeps core\'s English for a code it does not know', () => {
    const unknown = { says: 'new_reason' as never, params: {}, detail: 'something new' };
    expect(suggestionReasonText(unknown, i18next.getFixedT('ko', SUGGESTION_REASONS_NS), format)).toBe('something new');
  });
});
