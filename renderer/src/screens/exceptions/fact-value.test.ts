import { beforeAll, describe, expect, it } from 'vitest';
import { exceptionsFromReconcile } from '../../../../core/exceptions/from-reconcile.ts';
import { reconcile } from '../../../../core/reconcile/reconcile.ts';
import { makeTx } from '../../../../core/reconcile/test-support.ts';
import { formatCount, formatDate, formatMoney } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { registerReviewTexts, REVIEW_NS } from '../../grid/texts.ts';
import { registerRejectionReasonTexts } from '../imports/reason-texts.ts';
import { factValue } from './fact-value.ts';

/** Every fact of a record as the panel lists it, in `locale` with its own date style and German-style grouping (to show it is the format's). */
function factsIn(locale: 'en' | 'ko', details: Readonly<Record<string, string>>): string[] {
  const t = i18next.getFixedT(locale, REVIEW_NS);
  const format = { money: (amount: string, currency: string) => formatMoney(amount, currency, 'de'), count: (count: number) => formatCount(count, 'de'), date: (value: string) => formatDate(value, { locale, dateStyle: 'locale' }) };
  return Object.entries(details).map(([key, value]) => `${key}: ${factValue(key, value, details, t, format)}`);
}

describe('an exception\'s facts in the analyst\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerReviewTexts();
    registerRejectionReasonTexts();
  });

  it('says a grouped day\'s codes in words, its money, date and counts formatted', () => {
    const bank = [1, 2, 3].map((n) => makeTx({ id: `b${n}`, amount: `-${n}000.50`, date: '2026-03-04', kind: 'transfer' }));
    const [grouped] = exceptionsFromReconcile(reconcile({ internal: [], psp: [], bank }), bank, '2026-03-06T00:00:00Z', { groupUnmatchedAbove: 1 });
    // -1000.50 - 2000.50 - 3000.50 = -6001.50 net; 6001.50 gross; one partner value (none) across the three rows.
    expect(factsIn('en', grouped?.details ?? {})).toEqual(['side: Bank', 'grouped: One day', 'account: ', 'currency: EUR', 'date: 4 Mar 2026', 'count: 3', 'net: -6.001,50 EUR', 'gross: 6.001,50 EUR', 'partners: 1']);
    expect(factsIn('ko', grouped?.details ?? {})).toEqual(['side: 은행', 'grouped: 하루 단위', 'account: ', 'currency: EUR', 'date: 2026. 3. 4.', 'count: 3', 'net: -6.001,50 EUR', 'gross: 6.001,50 EUR', 'partners: 1']);
  });

  it('says a matched group\'s leg and rule in words and its variance as money', () => {
    const details = { leg: 'psp-bank', rule: 'batch', currency: 'EUR', difference: '-10.00', fees: '-30.00', unexplained: '-10.00' };
    expect(factsIn('ko', details)).toEqual(['leg: PSP와 은행', 'rule: 지급 묶음', 'currency: EUR', 'difference: -10,00 EUR', 'fees: -30,00 EUR', 'unexplained: -10,00 EUR']);
  });

  it('says an unreadable amount\'s problem in words, not as parseAmount\'s code', () => {
    // As core/exceptions/from-import keeps a CSV row's amount_unreadable rejection: its params among the facts.
    const details = { says: 'amount_unreadable', columnName: 'Amount', value: '12.3.4', problem: 'decimal_twice', decimalSeparator: '.' };
    expect(factsIn('en', details)[3]).toBe('problem: more than one decimal separator "."');
    expect(factsIn('ko', details)[3]).toBe('problem: 소수점 "."이(가) 둘 이상 있음');
    const grouping = { says: 'amount_text_unreadable', value: '1.234.5', problem: 'grouping', decimalSeparator: ',', groupSeparators: '["."]' };
    expect(factsIn('ko', grouping)[2]).toBe('problem: 자릿수 구분이 형식과 맞지 않음 (소수점 ",", 자릿수 구분 기호 ["."])');
    // A cause this desk does not know, or a problem of something else, stays as stored.
    expect(factsIn('ko', { ...details, problem: 'something_new' })[3]).toBe('problem: something_new');
    expect(factsIn('ko', { says: 'xml_malformed', problem: 'tag_unclosed' })[1]).toBe('problem: tag_unclosed');
  });

  it('says a rejected row\'s reason from its code, as its title does', () => {
    const details = { says: 'currency_unknown', columnName: 'currency', value: 'XYZ', code: 'currency_unknown', column: 'currency', raw: 'r1,2026-03-02,5.00,XYZ', fileName: 'shop.csv', reason: 'currency: "XYZ" is not an ISO 4217 currency code with minor units' };
    expect(factsIn('ko', details).at(-1)).toBe('reason: currency: "XYZ"은(는) 보조 단위가 있는 ISO 4217 통화 코드가 아님');
    expect(factsIn('en', details).at(-1)).toBe('reason: currency: "XYZ" is not an ISO 4217 currency code with minor units');
  });

  it('keeps a value it has no words for, or one not of its fact\'s shape, as stored', () => {
    expect(factsIn('ko', { kind: 'mystery', date: 'yesterday', count: '1.5', amount: '12', code: 'amount_not_decimal' })).toEqual(['kind: mystery', 'date: yesterday', 'count: 1.5', 'amount: 12', 'code: amount_not_decimal']);
  });
});
