import type { TFunction } from 'i18next';
import type { Anomaly } from '../../../../core/insight/types.ts';

/**
 * An anomaly's summary in the language of `t` (bound to ANOMALY_SUMMARIES_NS), from the parts core
 * wrote its English from; its ISO dates written by `date` (the desk's date format, as every other date).
 */
export function anomalySummary(anomaly: Pick<Anomaly, 'summaryParts'>, t: TFunction, date: (iso: string) => string): string {
  const { summaryParts: parts } = anomaly;
  const range = (first: string, last: string) => t('range', { first: date(first), last: date(last) });
  // Core writes a span as one day or "first..last" (summary.ts).
  const span = (value: string) => {
    const [first = value, last] = value.split('..');
    return last === undefined ? date(first) : range(first, last);
  };
  switch (parts.code) {
    case 'count':
      return t('count', { ...parts.params, measure: t(`measure.${parts.params.measure}`) });
    case 'band':
      return t('band', { ...parts.params, span: span(parts.params.span), measure: t(`measure.${parts.params.measure}`), ratio: parts.params.ratio === null ? '' : t('ratio', parts.params.ratio) });
    case 'silent':
      return t('silent', { ...parts.params, span: span(parts.params.span) });
    case 'missingReport':
    case 'lateReport':
      return t(parts.code, { ...parts.params, period: range(parts.params.start, parts.params.end), due: date(parts.params.due) });
    default:
      return t(parts.code, parts.params);
  }
}
