import { assert } from '../assert.ts';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { roundTo } from '../money/rounding.ts';
import type { DemoTransaction } from './activity.ts';
import { addDays } from './calendar.ts';
import type { DemoPartner, DemoPlatform } from './model.ts';
import { reportPeriods, type InjectionPlan, type ReportPeriod } from './plan.ts';
import type { Prng } from './prng.ts';
import { decimalOf } from './writers/text.ts';

/**
 * Partner usage reports: what each partner says it sold, per day, product and currency, and the
 * share it claims, delivered as one file per seven-day period. The share is the net revenue times
 * the agreed percent, rounded half-even per line; the injected drift changes that percent.
 */
export interface UsageRow {
  readonly partnerId: string;
  readonly productId: string;
  readonly day: string;
  readonly currency: string;
  readonly unitsSold: number;
  readonly unitsRefunded: number;
  readonly grossRevenue: string;
  readonly netRevenue: string;
  readonly partnerShare: string;
}

export interface UsageReport {
  readonly partner: DemoPartner;
  readonly period: ReportPeriod;
  /** ISO instant, UTC. */
  readonly generatedAt: string;
  readonly rows: readonly UsageRow[];
}

interface Tally {
  sold: number;
  refunded: number;
  grossMinor: number;
  refundsMinor: number;
}

function tallies(transactions: readonly DemoTransaction[]): Map<string, Tally> {
  const map = new Map<string, Tally>();
  for (const t of transactions) {
    const key = `${t.partnerId}|${t.day}|${t.productId}|${t.currency}`;
    let tally = map.get(key);
    if (tally === undefined) {
      tally = { sold: 0, refunded: 0, grossMinor: 0, refundsMinor: 0 };
      map.set(key, tally);
    }
    if (t.kind === 'sale') {
      tally.sold++;
      tally.grossMinor += t.amountMinor;
    } else {
      tally.refunded++;
      tally.refundsMinor -= t.amountMinor;
    }
  }
  return map;
}

function deliveryTime(prng: Prng, period: ReportPeriod, daysLate: number | undefined): string {
  const day = daysLate === undefined ? addDays(period.end, prng.int(1, 2)) : addDays(period.due, daysLate);
  return `${day}T${String(prng.int(1, 20)).padStart(2, '0')}:${String(prng.int(0, 59)).padStart(2, '0')}:00Z`;
}

export function buildUsageReports(prng: Prng, platform: DemoPlatform, transactions: readonly DemoTransaction[], month: string, plan: InjectionPlan): UsageReport[] {
  const tally = tallies(transactions);
  const reports: UsageReport[] = [];
  for (const partner of platform.partners) {
    for (const period of reportPeriods(month)) {
      const slot = `${partner.partnerId}|${period.start}`;
      const generatedAt = deliveryTime(prng, period, plan.lateReports.get(slot));
      if (plan.missingReports.has(slot)) continue;
      const rows: UsageRow[] = [];
      for (let day = period.start; day <= period.end; day = addDays(day, 1)) {
        for (const product of partner.products) {
          const drift = plan.drift.get(product.productId);
          const percent = drift !== undefined && day >= drift.from ? drift.sharePercent : partner.sharePercent;
          for (const currency of ['EUR', 'USD', 'GBP', 'JPY', 'KRW'] as const) {
            const t = tally.get(`${partner.partnerId}|${day}|${product.productId}|${currency}`);
            if (t === undefined) continue;
            const net = decimalOf(t.grossMinor - t.refundsMinor, currency);
            const share = roundTo(new Decimal(net).times(percent).dividedBy(100), minorUnitsOf(currency), 'half-even').toFixed(minorUnitsOf(currency));
            rows.push({ partnerId: partner.partnerId, productId: product.productId, day, currency, unitsSold: t.sold, unitsRefunded: t.refunded, grossRevenue: decimalOf(t.grossMinor, currency), netRevenue: net, partnerShare: share });
          }
        }
      }
      reports.push({ partner, period, generatedAt, rows });
    }
  }
  assert(reports.every((r) => r.generatedAt > r.period.end), 'a report is generated after its period');
  return reports;
}
