import { assert } from '../assert.ts';
import type { PartnerReportRow, ReportDelivery } from '../insight/types.ts';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import type { PartnerReportParse } from './partner-report.ts';

/**
 * What a parsed partner report claims, in the shapes core/insight checks: the net revenue and
 * the share the partner claims per product, day and currency (share-rate drift), and when each
 * report was generated (timeliness). Lines that claim no share say nothing about the rate and are
 * left out; lines of one product, day and currency (channels, a separate refund line) are summed
 * exactly, so the rate is judged on what the partner claims for that day as a whole.
 */
export interface PartnerReportClaims {
  readonly rows: PartnerReportRow[];
  /** One per report that states its generation time; a report that does not cannot be judged on time. */
  readonly deliveries: ReportDelivery[];
}

export function partnerReportRows(parsed: Pick<PartnerReportParse, 'claims' | 'reports'>): PartnerReportClaims {
  const sums = new Map<string, { partnerId: string; productId: string; day: string; currency: string; net: Decimal; share: Decimal }>();
  for (const claim of parsed.claims) {
    if (claim.partnerShare === null) continue;
    const key = [claim.partner, claim.product, claim.date, claim.currency].join('\u001f');
    const sum = sums.get(key);
    if (sum === undefined) sums.set(key, { partnerId: claim.partner, productId: claim.product, day: claim.date, currency: claim.currency, net: new Decimal(claim.net), share: new Decimal(claim.partnerShare) });
    else sums.set(key, { ...sum, net: sum.net.plus(claim.net), share: sum.share.plus(claim.partnerShare) });
  }
  const rows = [...sums.values()].map(({ net, share, ...row }) => {
    const places = minorUnitsOf(row.currency);
    // The claims were checked to fit the currency's digits, so their sums do too: toFixed only pads.
    assert(net.decimalPlaces() <= places && share.decimalPlaces() <= places, 'claimed amounts fit the currency', { ...row });
    return { ...row, netRevenue: net.toFixed(places), partnerShare: share.toFixed(places) };
  });
  const deliveries: ReportDelivery[] = [];
  for (const report of parsed.reports) {
    if (report.generatedAt === null) continue;
    deliveries.push({ partnerId: report.partner, periodStart: report.periodStart, periodEnd: report.periodEnd, deliveredAt: report.generatedAt });
  }
  return { rows, deliveries };
}
