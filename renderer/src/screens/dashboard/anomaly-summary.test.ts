import { beforeAll, describe, expect, it } from 'vitest';
import { anomalyOfFinding, detectReportTimeliness } from '../../../../core/insight/anomaly.ts';
import type { CausalFinding } from '../../../../core/insight/causal.ts';
import { MARCH_REPORT_SCHEDULE, P1_MARCH_DELIVERIES } from '../../../../core/insight/reports.test-support.ts';
import { summaryText, type AnomalySummaryParts } from '../../../../core/insight/summary.ts';
import { formatDate } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { anomalySummary } from './anomaly-summary.ts';
import { ANOMALY_SUMMARIES_NS, anomalySummariesEn, anomalySummariesKo, registerAnomalySummaryTexts } from './summary-texts.ts';

const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03'];

/** A causal finding as detectCausal returns one; only the fields the summary reads matter here. */
function finding(overrides: Partial<CausalFinding>): CausalFinding {
  return { kind: 'volume_spike', partnerId: 'P1', productId: 'P1-A', first: 1, last: 2, score: 6, tail: 1e-6, observed: 14, expected: 4.26, dispersion: 0, bandLow: 1, bandHigh: 9, observedRatio: null, expectedRatio: null, weekdayFactor: 1, trendPerWeek: 0, ...overrides };
}

function examples(): { readonly summary: string; readonly summaryParts: AnomalySummaryParts }[] {
  const counted = (parts: AnomalySummaryParts) => ({ summary: summaryText(parts), summaryParts: parts });
  return [
    // 4.26 expected shows as 4.3; ratios 0.1234 and 0.04 as 12.3 % and 4.0 %.
    anomalyOfFinding(finding({ kind: 'refund_ratio_jump', observedRatio: 0.1234, expectedRatio: 0.04 }), DAYS),
    // 31.04 expected shows as 31 (a whole number, as the CLI always wrote it); days 1..3 inclusive = 3.
    anomalyOfFinding(finding({ kind: 'partner_silent', first: 0, observed: 0, expected: 31.04 }), DAYS),
    counted({ code: 'count', params: { observed: '60', measure: 'sales', expected: '12.5' } }),
    counted({ code: 'shareDrift', params: { observed: '60.00', expected: '70', days: '5' } }),
    // Reports due 10, 17 and 24 March, judged on the 26th: the second arrived on the 20th (3 days after the 17th), the third never.
    ...detectReportTimeliness(['P1'], MARCH_REPORT_SCHEDULE, P1_MARCH_DELIVERIES, '2026-03-26'),
  ];
}

describe('anomaly summaries in the analyst\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerAnomalySummaryTexts();
  });

  it('Korean has every English key, with the same placeholders, in Hangul', () => {
    expectSameKeysAndPlaceholders(leaves(anomalySummariesEn), leaves(anomalySummariesKo));
    expect(latinOnlyKeys(leaves(anomalySummariesKo))).toEqual([]);
  });

  it('says each kind of summary as core writes it in English, and in Korean, its dates as the screen writes dates', () => {
    const english = [
      '14 refunds on 2026-03-02..2026-03-03 against 4.3 expected (band 1-9), ratio 12.3 % against 4.0 %',
      'no sales, refunds or chargebacks at all on 2026-03-01..2026-03-03 (3 days) against 31 sales expected',
      '60 sales against 12.5 expected',
      'reported share 60.00 % of net revenue against 70 % expected, 5 days',
      'report for 2026-03-08..2026-03-14 arrived 3 day(s) after 2026-03-17',
      'no report for 2026-03-15..2026-03-21, due 2026-03-24',
    ];
    const anomalies = examples();
    expect(anomalies.map((anomaly) => anomaly.summary)).toEqual(english);
    const sayIn = (locale: 'en' | 'ko', dateStyle: 'iso' | 'locale') => anomalies.map((anomaly) => anomalySummary(anomaly, i18next.getFixedT(locale, ANOMALY_SUMMARIES_NS), (iso) => formatDate(iso, { locale, dateStyle })));
    expect(sayIn('en', 'locale')).toEqual([
      '14 refunds on 2 Mar 2026 – 3 Mar 2026 against 4.3 expected (band 1-9), ratio 12.3 % against 4.0 %',
      'no sales, refunds or chargebacks at all on 1 Mar 2026 – 3 Mar 2026 (3 days) against 31 sales expected',
      '60 sales against 12.5 expected',
      'reported share 60.00 % of net revenue against 70 % expected, 5 days',
      'report for 8 Mar 2026 – 14 Mar 2026 arrived 3 day(s) after 17 Mar 2026',
      'no report for 15 Mar 2026 – 21 Mar 2026, due 24 Mar 2026',
    ]);
    expect(sayIn('en', 'iso')[5]).toBe('no report for 2026-03-15 – 2026-03-21, due 2026-03-24');
    expect(sayIn('ko', 'locale')).toEqual([
      '2026. 3. 2. ~ 2026. 3. 3. 환불 14건 (예상 4.3건, 정상 범위 1-9), 비율 12.3 % (예상 4.0 %)',
      '2026. 3. 1. ~ 2026. 3. 3. (3일) 동안 판매·환불·차지백이 전혀 없음 (예상 판매 31건)',
      '판매 60건 (예상 12.5건)',
      '보고된 분배율이 순매출의 60.00 % (예상 70 %), 5일간',
      '2026. 3. 8. ~ 2026. 3. 14. 보고서가 기한 2026. 3. 17.보다 3일 늦게 도착',
      '2026. 3. 15. ~ 2026. 3. 21. 보고서 없음, 기한 2026. 3. 24.',
    ]);
  });

  it('says a one-day span as one date', () => {
    const oneDay = anomalyOfFinding(finding({ kind: 'volume_spike', first: 1, last: 1 }), DAYS);
    // Day index 1 of DAYS is 2 March; 4.26 expected shows as 4.3.
    expect(oneDay.summary).toBe('14 sales on 2026-03-02 against 4.3 expected (band 1-9)');
    expect(anomalySummary(oneDay, i18next.getFixedT('ko', ANOMALY_SUMMARIES_NS), (iso) => formatDate(iso, { locale: 'ko', dateStyle: 'locale' }))).toBe('2026. 3. 2. 판매 14건 (예상 4.3건, 정상 범위 1-9)');
  });
});
