import { assert } from '../assert.ts';
import { Decimal } from '../money/decimal.ts';
import { addDays, daysOfMonth, weekdayOf } from './calendar.ts';
import type { ActivityPlan } from './activity.ts';
import type { DemoPartner, DemoPlatform, DemoProduct } from './model.ts';
import type { Prng } from './prng.ts';

/**
 * What the generator injects on purpose, chosen before the month is simulated: volume spikes and
 * drops, refund waves, share-rate drift in partner reports, a missing and some late partner
 * reports. Targets are products big enough for the effect to be real (a "drop" of a product that
 * sells two a day is noise), and no product carries two anomalies, so each has one cause.
 */
export const ANOMALY_KINDS = ['volume_spike', 'volume_drop', 'refund_ratio_jump', 'share_rate_drift', 'missing_report', 'late_report'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface InjectedAnomaly {
  readonly kind: AnomalyKind;
  readonly partnerId: string;
  readonly productId: string | null;
  /** The day the anomaly happens, or the first day of its period. */
  readonly day: string;
  /** The last day of a period anomaly (drift to month end, a report's period), else null. */
  readonly periodEnd: string | null;
  readonly detail: Readonly<Record<string, string | number>>;
}

export interface AnomalyCounts {
  readonly spikes: number;
  readonly drops: number;
  readonly refundJumps: number;
  readonly drifts: number;
  readonly missingReports: number;
  readonly lateReports: number;
}

/** A partner report period: seven-day blocks from the 1st, the last one shorter. */
export interface ReportPeriod {
  readonly start: string;
  readonly end: string;
  /** The report is due by the end of this day (UTC). */
  readonly due: string;
}

export interface InjectionPlan {
  readonly activity: ActivityPlan;
  /** Share percent used in partner reports from a day on, by product id. */
  readonly drift: ReadonlyMap<string, { readonly from: string; readonly sharePercent: string }>;
  /** `${partnerId}|${periodStart}` of reports that are never delivered. */
  readonly missingReports: ReadonlySet<string>;
  /** `${partnerId}|${periodStart}` -> days after the due day the report arrives. */
  readonly lateReports: ReadonlyMap<string, number>;
  readonly anomalies: readonly InjectedAnomaly[];
}

export const REPORT_DUE_DAYS = 3;
/**
 * Expected sales on the chosen day below which an anomaly could not be told from noise: a drop to
 * 12 % is only significant (Poisson tail < 1e-4) from about 18 expected sales; a spike is made at
 * least 4x and at least 20 sales.
 */
const SPIKE_EXPECTED_MIN = 3;
/** A spike adds enough sales to reach at least this many on the day. */
const SPIKE_SALES_MIN = 20;
const DROP_EXPECTED_MIN = 18;
const REFUND_JUMP_EXPECTED_MIN = 6;
const DRIFT_MEAN_MIN = 1.5;

export function reportPeriods(month: string): ReportPeriod[] {
  const days = daysOfMonth(month);
  const periods: ReportPeriod[] = [];
  for (let index = 0; index < days.length; index += 7) {
    const start = days[index] ?? '';
    const end = days[Math.min(index + 6, days.length - 1)] ?? '';
    periods.push({ start, end, due: addDays(end, REPORT_DUE_DAYS) });
  }
  return periods;
}

interface Candidate {
  readonly partner: DemoPartner;
  readonly product: DemoProduct;
}

/** Takes up to `count` unused candidates whose product sells at least `meanMin` a day, in random order. */
function takeTargets(prng: Prng, candidates: Candidate[], used: Set<string>, count: number, meanMin: number): Candidate[] {
  const eligible = candidates.filter((c) => !used.has(c.product.productId) && c.product.dailyMean >= meanMin);
  const chosen: Candidate[] = [];
  while (chosen.length < count && eligible.length > 0) {
    const [candidate] = eligible.splice(prng.int(0, eligible.length - 1), 1);
    if (candidate === undefined) break;
    used.add(candidate.product.productId);
    chosen.push(candidate);
  }
  return chosen;
}

/** A day in [first, last] (1-based) on which the product is expected to sell at least `expectedMin`, or null. */
function dayWithVolume(prng: Prng, days: readonly string[], target: Candidate, first: number, last: number, expectedMin: number): string | null {
  const eligible = days.slice(first - 1, last).filter((day) => target.product.dailyMean * (target.partner.weekdayFactors[weekdayOf(day)] ?? 1) >= expectedMin);
  return eligible.length === 0 ? null : (eligible[prng.int(0, eligible.length - 1)] ?? null);
}

export function planInjections(prng: Prng, platform: DemoPlatform, month: string, counts: AnomalyCounts): InjectionPlan {
  const days = daysOfMonth(month);
  const lastDay = days[days.length - 1] ?? '';
  const candidates = platform.partners.flatMap((partner) => partner.products.map((product) => ({ partner, product })));
  const used = new Set<string>();
  const volumeFactor = new Map<string, number>();
  const extraRefunds = new Map<string, number>();
  const drift = new Map<string, { from: string; sharePercent: string }>();
  const anomalies: InjectedAnomaly[] = [];
  const dayIn = (from: number, to: number): string => days[prng.int(from, to) - 1] ?? '';

  // The strictest eligibility first, so small catalogues still have targets for every kind.
  for (const target of takeTargets(prng, candidates, used, counts.drops, DROP_EXPECTED_MIN / 1.2)) {
    const { partner, product } = target;
    const day = dayWithVolume(prng, days, target, 3, days.length - 1, DROP_EXPECTED_MIN);
    if (day === null) continue;
    const factor = prng.int(0, 12) / 100;
    volumeFactor.set(`${product.productId}|${day}`, factor);
    anomalies.push({ kind: 'volume_drop', partnerId: partner.partnerId, productId: product.productId, day, periodEnd: null, detail: { factor: factor.toFixed(2), dailyMean: product.dailyMean.toFixed(1) } });
  }
  for (const target of takeTargets(prng, candidates, used, counts.refundJumps, REFUND_JUMP_EXPECTED_MIN / 1.2)) {
    const { partner, product } = target;
    const day = dayWithVolume(prng, days, target, 6, days.length, REFUND_JUMP_EXPECTED_MIN);
    if (day === null) continue;
    const extra = Math.max(6, Math.round(product.dailyMean * 0.35));
    extraRefunds.set(`${product.productId}|${day}`, extra);
    anomalies.push({ kind: 'refund_ratio_jump', partnerId: partner.partnerId, productId: product.productId, day, periodEnd: null, detail: { extraRefunds: extra, baseRefundRate: product.refundRate.toFixed(3) } });
  }
  for (const target of takeTargets(prng, candidates, used, counts.spikes, SPIKE_EXPECTED_MIN / 1.2)) {
    const { partner, product } = target;
    const day = dayWithVolume(prng, days, target, 3, days.length - 1, SPIKE_EXPECTED_MIN);
    if (day === null) continue;
    const expected = product.dailyMean * (partner.weekdayFactors[weekdayOf(day)] ?? 1);
    const factor = Math.max(4 + prng.int(0, 15) / 10, Math.ceil((SPIKE_SALES_MIN / expected) * 10) / 10);
    volumeFactor.set(`${product.productId}|${day}`, factor);
    anomalies.push({ kind: 'volume_spike', partnerId: partner.partnerId, productId: product.productId, day, periodEnd: null, detail: { factor: factor.toFixed(1), dailyMean: product.dailyMean.toFixed(1) } });
  }
  const driftPartners = new Set<string>();
  for (const { partner, product } of takeTargets(prng, candidates, used, counts.drifts, DRIFT_MEAN_MIN)) {
    const from = dayIn(10, 24);
    const delta = (prng.chance(0.5) ? 1 : -1) * prng.int(5, 10);
    const sharePercent = new Decimal(partner.sharePercent).plus(delta).toString();
    drift.set(product.productId, { from, sharePercent });
    driftPartners.add(partner.partnerId);
    anomalies.push({ kind: 'share_rate_drift', partnerId: partner.partnerId, productId: product.productId, day: from, periodEnd: lastDay, detail: { agreedPercent: partner.sharePercent, reportedPercent: sharePercent } });
  }

  const periods = reportPeriods(month);
  const reportSlots = platform.partners.flatMap((partner) => periods.slice(0, 4).map((period, index) => ({ partner, period, index })));
  const slotsUsed = new Set<string>();
  const takeSlot = (allowPartner: (partnerId: string) => boolean, firstIndex: number) => {
    const eligible = reportSlots.filter((slot) => slot.index >= firstIndex && !slotsUsed.has(slot.partner.partnerId) && allowPartner(slot.partner.partnerId));
    if (eligible.length === 0) return null;
    const slot = eligible[prng.int(0, eligible.length - 1)];
    if (slot !== undefined) slotsUsed.add(slot.partner.partnerId);
    return slot ?? null;
  };
  const missingReports = new Set<string>();
  for (let index = 0; index < counts.missingReports; index++) {
    const slot = takeSlot((id) => !driftPartners.has(id), 1);
    if (slot === null) break;
    missingReports.add(`${slot.partner.partnerId}|${slot.period.start}`);
    anomalies.push({ kind: 'missing_report', partnerId: slot.partner.partnerId, productId: null, day: slot.period.start, periodEnd: slot.period.end, detail: { due: slot.period.due } });
  }
  const lateReports = new Map<string, number>();
  for (let index = 0; index < counts.lateReports; index++) {
    const slot = takeSlot(() => true, 0);
    if (slot === null) break;
    const daysLate = prng.int(2, 6);
    lateReports.set(`${slot.partner.partnerId}|${slot.period.start}`, daysLate);
    anomalies.push({ kind: 'late_report', partnerId: slot.partner.partnerId, productId: null, day: slot.period.start, periodEnd: slot.period.end, detail: { due: slot.period.due, daysLate } });
  }
  assert(anomalies.every((a) => a.day >= (days[0] ?? '') && a.day <= lastDay), 'anomalies fall inside the month');
  return { activity: { volumeFactor, extraRefunds }, drift, missingReports, lateReports, anomalies };
}
