/**
 * What an anomaly's summary says, as a code and its values, so a screen can say it in another
 * language (the renderer's anomaly-summary texts); summaryText writes core's English from the same
 * parts, so the two cannot drift. Values are text, numbers already rounded as the summary shows them.
 */
export type AnomalyMeasure = 'sales' | 'refunds' | 'chargebacks';

export type AnomalySummaryParts =
  /** `observed` of `measure` on the day against `expected`. */
  | { readonly code: 'count'; readonly params: { readonly observed: string; readonly measure: AnomalyMeasure; readonly expected: string } }
  /** A causal finding left its band over `span` (a day, or first..last); `ratio`, when given, compares the share of sales. */
  | {
      readonly code: 'band';
      readonly params: { readonly observed: string; readonly measure: AnomalyMeasure; readonly span: string; readonly expected: string; readonly low: string; readonly high: string; readonly ratio: { readonly observed: string; readonly expected: string } | null };
    }
  /** No sales, refunds or chargebacks at all over `span` (`days` days) against `expected` sales. */
  | { readonly code: 'silent'; readonly params: { readonly span: string; readonly days: string; readonly expected: string } }
  /** Reported share `observed` % of net revenue against `expected` % over `days` days. */
  | { readonly code: 'shareDrift'; readonly params: { readonly observed: string; readonly expected: string; readonly days: string } }
  | { readonly code: 'missingReport'; readonly params: { readonly start: string; readonly end: string; readonly due: string } }
  | { readonly code: 'lateReport'; readonly params: { readonly start: string; readonly end: string; readonly days: string; readonly due: string } };

/** Core's English summary (CLI, exception titles) from its parts. */
export function summaryText({ code, params }: AnomalySummaryParts): string {
  switch (code) {
    case 'count':
      return `${params.observed} ${params.measure} against ${params.expected} expected`;
    case 'band':
      return `${params.observed} ${params.measure} on ${params.span} against ${params.expected} expected (band ${params.low}-${params.high})${params.ratio === null ? '' : `, ratio ${params.ratio.observed} % against ${params.ratio.expected} %`}`;
    case 'silent':
      return `no sales, refunds or chargebacks at all on ${params.span} (${params.days} days) against ${params.expected} sales expected`;
    case 'shareDrift':
      return `reported share ${params.observed} % of net revenue against ${params.expected} % expected, ${params.days} days`;
    case 'missingReport':
      return `no report for ${params.start}..${params.end}, due ${params.due}`;
    case 'lateReport':
      return `report for ${params.start}..${params.end} arrived ${params.days} day(s) after ${params.due}`;
  }
}
