import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';

/**
 * An anomaly's summary in the analyst's language, said from its parts (core/insight/summary.ts,
 * whose summaryText writes the same English for the CLI). Numbers arrive as core wrote them, dates
 * (span, period, due) as the desk writes dates.
 */
export const ANOMALY_SUMMARIES_NS = 'anomaly-summaries';

export const anomalySummariesEn = {
  count: '{{observed}} {{measure}} against {{expected}} expected',
  band: '{{observed}} {{measure}} on {{span}} against {{expected}} expected (band {{low}}-{{high}}){{ratio}}',
  ratio: ', ratio {{observed}} % against {{expected}} %',
  silent: 'no sales, refunds or chargebacks at all on {{span}} ({{days}} days) against {{expected}} sales expected',
  shareDrift: 'reported share {{observed}} % of net revenue against {{expected}} % expected, {{days}} days',
  missingReport: 'no report for {{period}}, due {{due}}',
  lateReport: 'report for {{period}} arrived {{days}} day(s) after {{due}}',
  range: '{{first}} – {{last}}',
  measure: { sales: 'sales', refunds: 'refunds', chargebacks: 'chargebacks' },
} as const;

export const anomalySummariesKo: Widen<typeof anomalySummariesEn> = {
  count: '{{measure}} {{observed}}건 (예상 {{expected}}건)',
  band: '{{span}} {{measure}} {{observed}}건 (예상 {{expected}}건, 정상 범위 {{low}}-{{high}}){{ratio}}',
  ratio: ', 비율 {{observed}} % (예상 {{expected}} %)',
  silent: '{{span}} ({{days}}일) 동안 판매·환불·차지백이 전혀 없음 (예상 판매 {{expected}}건)',
  shareDrift: '보고된 분배율이 순매출의 {{observed}} % (예상 {{expected}} %), {{days}}일간',
  missingReport: '{{period}} 보고서 없음, 기한 {{due}}',
  lateReport: '{{period}} 보고서가 기한 {{due}}보다 {{days}}일 늦게 도착',
  range: '{{first}} ~ {{last}}',
  measure: { sales: '판매', refunds: '환불', chargebacks: '차지백' },
};

export function registerAnomalySummaryTexts(): void {
  registerScreenTexts(ANOMALY_SUMMARIES_NS, { en: anomalySummariesEn, ko: anomalySummariesKo });
}
