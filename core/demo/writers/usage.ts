import { PARTNER_REPORT_FORMAT } from '../../importers/partner-report.ts';
import type { UsageReport, UsageRow } from '../reports.ts';
import { csvLine } from './text.ts';

/**
 * Partner usage reports as the partners send them, in the partner-report format that
 * core/importers/partner-report.ts reads: CSV (one row per day, product and currency, partner,
 * period and generation time repeated) or JSON. Each line states gross sales, the net after
 * refunds, the units sold and refunded, and the share the partner claims of that net.
 */
const USAGE_CSV_COLUMNS = ['partner', 'period_start', 'period_end', 'generated_at', 'reference', 'date', 'product', 'currency', 'units', 'units_refunded', 'gross', 'net', 'partner_share'] as const;

/** The partner's own id of a line: unique per partner, so re-imports of a report are recognized. */
function lineReference(r: UsageRow): string {
  return `${r.productId}-${r.day.replace(/-/g, '')}-${r.currency}`;
}

export function usageCsv(report: UsageReport): string {
  const { partner, period, generatedAt } = report;
  const lines = [csvLine([...USAGE_CSV_COLUMNS])];
  for (const r of report.rows) {
    lines.push(csvLine([partner.partnerId, period.start, period.end, generatedAt, lineReference(r), r.day, r.productId, r.currency, String(r.unitsSold), String(r.unitsRefunded), r.grossRevenue, r.netRevenue, r.partnerShare]));
  }
  return `${lines.join('\n')}\n`;
}

/** One line object per text line, so a rejection's line number points at the line itself. */
export function usageJson(report: UsageReport): string {
  const head = [
    '{',
    `  "format": ${JSON.stringify(PARTNER_REPORT_FORMAT)},`,
    `  "partner": ${JSON.stringify(report.partner.partnerId)},`,
    `  "period": ${JSON.stringify({ start: report.period.start, end: report.period.end })},`,
    `  "generatedAt": ${JSON.stringify(report.generatedAt)},`,
  ];
  const lines = report.rows.map((r) =>
    JSON.stringify({ reference: lineReference(r), date: r.day, product: r.productId, currency: r.currency, units: r.unitsSold, unitsRefunded: r.unitsRefunded, gross: r.grossRevenue, net: r.netRevenue, partnerShare: r.partnerShare }),
  );
  const body = lines.length === 0 ? ['  "lines": []'] : ['  "lines": [', `    ${lines.join(',\n    ')}`, '  ]'];
  return `${[...head, ...body, '}'].join('\n')}\n`;
}

export function usageFileName(report: UsageReport): string {
  return `partner-reports/${report.partner.partnerId}_${report.period.start}_${report.period.end}.${report.partner.reportFormat}`;
}
