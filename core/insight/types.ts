import type { Severity } from '../exceptions/model.ts';
import type { AnomalySummaryParts } from './summary.ts';

/**
 * The shapes insight works on and returns. Counts and ratios are numbers (statistics); every
 * amount is a decimal string, in the evidence too. An Anomaly carries what an exception needs:
 * a stable id, who and what, when, how strong, and the baseline numbers that made it one.
 */
export const INSIGHT_ANOMALY_KINDS = ['volume_spike', 'volume_drop', 'refund_ratio_jump', 'chargeback_burst', 'partner_silent', 'share_rate_drift', 'missing_report', 'late_report'] as const;
export type InsightAnomalyKind = (typeof INSIGHT_ANOMALY_KINDS)[number];

export type EvidenceValue = string | number | boolean | null;

export interface Anomaly {
  /** Deterministic: the same finding on the same data has the same id (so re-runs do not duplicate exceptions). */
  readonly id: string;
  readonly kind: InsightAnomalyKind;
  readonly partnerId: string;
  /** null for partner-level findings (reports). */
  readonly productId: string | null;
  /** The day, or the first day of the period. */
  readonly day: string;
  /** The last day of a period finding; null for a one-day finding. */
  readonly periodEnd: string | null;
  /** Strength: -log10 of the tail probability for counts, deviation over tolerance for rates, days for reports. */
  readonly score: number;
  /** From the score by kind (severity.ts): how urgently an analyst should look. */
  readonly severity: Severity;
  /** Core's English, written from summaryParts. */
  readonly summary: string;
  /** What the summary says, for a screen to say it in its language (summary.ts). */
  readonly summaryParts: AnomalySummaryParts;
  readonly evidence: Readonly<Record<string, EvidenceValue>>;
}

/** Sales, refunds and chargebacks (counts) of one partner's product on one day. */
export interface DailyActivity {
  readonly partnerId: string;
  readonly productId: string;
  readonly day: string;
  readonly sales: number;
  readonly refunds: number;
  readonly chargebacks: number;
}

/** One row of a partner usage report: what the partner says it earned and claims. */
export interface PartnerReportRow {
  readonly partnerId: string;
  readonly productId: string;
  readonly day: string;
  readonly currency: string;
  /** Decimal strings in the currency. */
  readonly netRevenue: string;
  readonly partnerShare: string;
}

export interface ReportDelivery {
  readonly partnerId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** ISO 8601 instant. */
  readonly deliveredAt: string;
}

export interface ReportPeriodDue {
  readonly start: string;
  readonly end: string;
  /** The report is due by the end of this day. */
  readonly due: string;
}
