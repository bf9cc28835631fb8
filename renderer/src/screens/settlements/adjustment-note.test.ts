import { beforeAll, describe, expect, it } from 'vitest';
import { row, settle } from '../../../../core/settlement/testkit.ts';
import { lineRowsOf, lineSummary } from './statement-lines.ts';
import { formatMoney } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { adjustmentNote, lineWords, tierRule } from './adjustment-note.ts';
import { ADJUSTMENT_NOTES_NS, adjustmentNotesEn, adjustmentNotesKo, registerAdjustmentNoteTexts } from './note-texts.ts';

const money = (amount: string) => `${formatMoney(amount, 'EUR', 'en')} EUR`;
const notesIn = (locale: 'en' | 'ko', explanations: readonly string[]) => explanations.map((text) => adjustmentNote(text, i18next.getFixedT(locale, ADJUSTMENT_NOTES_NS), money));

describe('statement adjustment explanations in the analyst\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerAdjustmentNoteTexts();
  });

  it('Korean has every English key, with the same placeholders, in Hangul', () => {
    expectSameKeysAndPlaceholders(leaves(adjustmentNotesEn), leaves(adjustmentNotesKo));
    expect(latinOnlyKeys(leaves(adjustmentNotesKo))).toEqual([]);
  });

  it('says an engine statement\'s adjustments with its money formatted', () => {
    // 70 % of 150.00 = 105.00; fees 2 x 0.10 + 1,000.00 fixed; 105.00 - 0.20 - 1,000.00 = -895.20 carried forward.
    const statement = settle({ share: { rate: '70' }, transactionFee: { amount: '0.10' }, periodicFee: { amount: '1000' } }, [row('sale', '100.00'), row('sale', '50.00')]);
    const explanations = statement.adjustments.map((adjustment) => adjustment.explanation);
    expect(notesIn('en', explanations)).toEqual(['2 transactions (sale) x 0.10 EUR', 'fixed fee per period', 'negative balance -895.20 EUR carried forward']);
    expect(notesIn('ko', explanations)).toEqual(['거래 2건 (판매) × 0.10 EUR', '기간당 고정 수수료', '음수 잔액 -895.20 EUR, 다음 기간으로 이월']);
  });

  it('says the words a note turns on (basis, timing, VAT included), and keeps a note of an unknown shape', () => {
    const explanations = [
      'platform fee 5 % on net-payable, separate from the split (VAT 19 % included)',
      'withholding 10.21 % (JP) on cash-paid after carry-forward and recoupment: basis 944098',
      'advance recouped from share, at most 50 % of 2000, 300.5 outstanding',
      'cap 1000 applied before-mg: share reduced by 20',
      'a note of a new shape',
    ];
    expect(notesIn('en', explanations)).toEqual([
      'platform fee 5 % on net payable, separate from the split (VAT 19 % included)',
      'withholding 10.21 % (JP) on cash paid after carry-forward and recoupment: basis 944,098.00 EUR',
      'advance recouped from share, at most 50 % of 2,000.00 EUR, 300.50 EUR outstanding',
      'cap 1,000.00 EUR applied before the minimum guarantee: share reduced by 20.00 EUR',
      'a note of a new shape',
    ]);
    expect(notesIn('ko', explanations)).toEqual([
      '플랫폼 수수료 5 % (순지급액 기준), 배분 후 별도 차감 (부가가치세 19 % 포함)',
      '원천징수 10.21 % (JP), 실지급액 기준, 이월 및 회수 후: 과세 기준액 944,098.00 EUR',
      '선급금 회수 (배분액에서), 최대 2,000.00 EUR의 50 %, 미회수 잔액 300.50 EUR',
      '상한 1,000.00 EUR 적용 (최소 보장 전): 배분액 20.00 EUR 감액',
      'a note of a new shape',
    ]);
  });

  it('says a line\'s tier rule in the line\'s summary, and keeps a rule of an unknown shape', () => {
    // One sale of 100.00 at a flat 70 %: the engine's rule is 'flat 70 %'.
    const statement = settle({ share: { rate: '70' } }, [row('sale', '100.00')]);
    const [line] = lineRowsOf(statement);
    const summaryIn = (locale: 'en' | 'ko') => lineSummary(line!, lineWords(i18next.getFixedT(locale, ADJUSTMENT_NOTES_NS)));
    expect(summaryIn('en')).toBe('1 sale +100.00 EUR (×1) | flat 70 %');
    expect(summaryIn('ko')).toBe('판매 1건 +100.00 EUR (×1) | 단일 요율 70 %');
    const rules = [
      'retroactive on count, contract year to date 900 before this period: reached 1200, boundary to the higher tier, whole base at 15 %',
      'marginal on revenue, contract year to date 1500.00 before this period: each band at its own rate',
      'count 3 with a positive base: first tier rate 10 %',
      'marginal on revenue: each band at its own rate',
      'negative base: zero share',
      'a rule of a new shape',
    ];
    const rulesIn = (locale: 'en' | 'ko') => rules.map((rule) => tierRule(rule, i18next.getFixedT(locale, ADJUSTMENT_NOTES_NS)));
    expect(rulesIn('en')).toEqual(rules);
    expect(rulesIn('ko')).toEqual([
      '소급 요율 (건수, 이번 기간 전 계약 연도 누계 900): 1200 도달, 경계값은 상위 구간, 전체 기준액에 15 %',
      '구간별 한계 요율 (매출, 이번 기간 전 계약 연도 누계 1500.00)',
      '건수 3, 양수 기준액: 첫 구간 요율 10 %',
      '구간별 한계 요율 (매출)',
      '음수 기준액: 배분 없음',
      'a rule of a new shape',
    ]);
  });
});
