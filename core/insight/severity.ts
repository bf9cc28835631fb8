import type { Severity } from '../exceptions/model.ts';
import type { InsightAnomalyKind } from './types.ts';

/**
 * Severity of a finding from its score, whose scale differs by kind: -log10 of a tail
 * probability for counts (volume, refunds, chargebacks, silence), a rate deviation over its
 * tolerance for share drift, days for reports. The steps are the scores at which a finding
 * becomes medium, high and critical.
 */
export const SEVERITY_STEPS: Readonly<Record<InsightAnomalyKind, readonly [number, number, number]>> = {
  volume_spike: [6, 10, 20],
  volume_drop: [6, 10, 20],
  refund_ratio_jump: [6, 10, 20],
  chargeback_burst: [6, 10, 20],
  partner_silent: [5, 10, 20],
  share_rate_drift: [3, 5, 10],
  missing_report: [3, 7, 14],
  late_report: [3, 7, 14],
};

export function severityOf(kind: InsightAnomalyKind, score: number): Severity {
  const [medium, high, critical] = SEVERITY_STEPS[kind];
  return score >= critical ? 'critical' : score >= high ? 'high' : score >= medium ? 'medium' : 'low';
}
