import type { TFunction } from 'i18next';
import type { Anomaly } from '../../../../core/insight/types.ts';

/** An anomaly's summary in the language of `t` (bound to ANOMALY_SUMMARIES_NS), from the parts core wrote its English from. */
export function anomalySummary(anomaly: Pick<Anomaly, 'summaryParts'>, t: TFunction): string {
  const { summaryParts: parts } = anomaly;
  switch (parts.code) {
    case 'count':
      return t('count', { ...parts.params, measure: t(`measure.${parts.params.measure}`) });
    case 'band':
      return t('band', { ...parts.params, measure: t(`measure.${parts.params.measure}`), ratio: parts.params.ratio === null ? '' : t('ratio', parts.params.ratio) });
    default:
      return t(parts.code, parts.params);
  }
}
