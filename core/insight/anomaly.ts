import { assert } from '../assert.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { roundTo } from '../money/rounding.ts';
import { addDays, daysBetween } from '../settlement/dates.ts';
import { dailyBaseline, weekdayProfile } from './baseline.ts';
import { DEFAULT_CAUSAL_OPTIONS, detectCausal, type CausalFinding, type CausalOptions } from './causal.ts';
import { severityOf } from './severity.ts';
import { summaryText, type AnomalyMeasure, type AnomalySummaryParts } from './summary.ts';
import { median, poissonLowerTail, poissonUpperTail, surprise } from './stats.ts';
import type { Anomaly, DailyActivity, EvidenceValue, InsightAnomalyKind, PartnerReportRow, ReportDelivery, ReportPeriodDue } from './types.ts';

/**
 * Anomaly detection per partner and product over a window of days. Two modes for counts:
 * - causal (the default, causal.ts): each day against the days before it only, with a warm-up;
 *   volume spikes and drops, refund-ratio jumps, chargeback bursts and partners gone silent;
 * - retrospective, to review a closed period that has no history before it (a month on its own):
 *   each day against the whole window, the later days included. Volume spikes and drops against
 *   a weekday-seasonal median baseline, judged by Poisson tail probability plus a minimum ratio;
 *   refund and chargeback waves (each its own kind): a day's count against the series' rate on
 *   the other days times its sales level (refunds lag sales, so the level, not the day's sales).
 * And in both modes:
 * - share-rate drift: the share a partner report claims over its net revenue, against the agreed
 *   percent (or the series' own median), as runs of consecutive days;
 * - late and missing partner reports against the report schedule.
 */
export interface DetectionOptions {
  readonly spikeSurpriseMin: number;
  readonly spikeRatioMin: number;
  readonly dropSurpriseMin: number;
  readonly dropRatioMax: number;
  readonly reversalSurpriseMin: number;
  readonly reversalCountMin: number;
  /** Reversal rate assumed at least this, so a series with no refunds does not flag its first one. */
  readonly reversalRateFloor: number;
  /** Share-rate deviation (a fraction: 0.01 = one percentage point) that counts as drift. */
  readonly driftTolerance: number;
  readonly driftDaysMin: number;
  /** Robust z-score a spike or drop must also reach against the series' own residual spread. */
  readonly robustZMin: number;
  /** The causal detector's sensitivity, warm-up and history. */
  readonly causal: CausalOptions;
}

export const DEFAULT_DETECTION_OPTIONS: DetectionOptions = {
  spikeSurpriseMin: 3,
  spikeRatioMin: 2.5,
  dropSurpriseMin: 3.5,
  dropRatioMax: 0.3,
  reversalSurpriseMin: 4,
  reversalCountMin: 5,
  reversalRateFloor: 0.005,
  driftTolerance: 0.01,
  driftDaysMin: 2,
  robustZMin: 3,
  causal: DEFAULT_CAUSAL_OPTIONS,
};

export type DetectionMode = 'causal' | 'retrospective';

export interface DetectionInput {
  /** Default 'causal'. */
  readonly mode?: DetectionMode;
  /** First and last day of the window, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly activity: readonly DailyActivity[];
  readonly reportRows?: readonly PartnerReportRow[];
  readonly deliveries?: readonly ReportDelivery[];
  readonly schedule?: readonly ReportPeriodDue[];
  /** The day the detection runs: reports due before it are judged. */
  readonly asOf?: string;
  /** The agreed share percent ("70") of a partner's product, or null when unknown. */
  readonly agreedSharePercent?: (partnerId: string, productId: string) => string | null;
}

const DAYS_MAX = 400;

export function anomalyId(kind: InsightAnomalyKind, partnerId: string, productId: string | null, day: string): string {
  return `anm_${sha256Hex([kind, partnerId, productId ?? '', day].join('\u001f')).slice(0, 24)}`;
}

function make(kind: InsightAnomalyKind, partnerId: string, productId: string | null, day: string, periodEnd: string | null, score: number, summaryParts: AnomalySummaryParts, evidence: Record<string, EvidenceValue>): Anomaly {
  assert(Number.isFinite(score) && score >= 0, 'a finite, non-negative score', { kind, score });
  const rounded = round(score, 3);
  return { id: anomalyId(kind, partnerId, productId, day), kind, partnerId, productId, day, periodEnd, score: rounded, severity: severityOf(kind, rounded), summary: summaryText(summaryParts), summaryParts, evidence };
}

function countParts(observed: number, measure: AnomalyMeasure, expected: number): AnomalySummaryParts {
  return { code: 'count', params: { observed: String(observed), measure, expected: String(round(expected, 1)) } };
}

function round(value: number, places: number): number {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale;
}

export function windowDays(from: string, to: string): string[] {
  const count = daysBetween(from, to) + 1;
  assert(count >= 1 && count <= DAYS_MAX, 'a window of 1 to 400 days', { from, to });
  return Array.from({ length: count }, (_, index) => addDays(from, index));
}

interface Series {
  readonly partnerId: string;
  readonly productId: string;
  readonly sales: number[];
  readonly refunds: number[];
  readonly chargebacks: number[];
}

function seriesOf(activity: readonly DailyActivity[], days: readonly string[]): Map<string, Series[]> {
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const byKey = new Map<string, Series>();
  for (const row of activity) {
    const index = dayIndex.get(row.day);
    if (index === undefined) continue;
    const key = `${row.partnerId}\u001f${row.productId}`;
    let series = byKey.get(key);
    if (series === undefined) {
      const zeros = () => Array<number>(days.length).fill(0);
      series = { partnerId: row.partnerId, productId: row.productId, sales: zeros(), refunds: zeros(), chargebacks: zeros() };
      byKey.set(key, series);
    }
    series.sales[index] = (series.sales[index] ?? 0) + row.sales;
    series.refunds[index] = (series.refunds[index] ?? 0) + row.refunds;
    series.chargebacks[index] = (series.chargebacks[index] ?? 0) + row.chargebacks;
  }
  const byPartner = new Map<string, Series[]>();
  for (const series of [...byKey.values()].sort((a, b) => (a.productId < b.productId ? -1 : 1))) {
    byPartner.set(series.partnerId, [...(byPartner.get(series.partnerId) ?? []), series]);
  }
  return byPartner;
}

function volumeFindings(series: Series, days: readonly string[], profile: readonly number[], o: DetectionOptions): Anomaly[] {
  const baseline = dailyBaseline(days, series.sales, profile);
  const found: Anomaly[] = [];
  days.forEach((day, index) => {
    const observed = series.sales[index] ?? 0;
    const expected = baseline.expected[index] ?? 0;
    if (expected <= 0) return;
    const spread = Math.max(baseline.residualSd, Math.sqrt(expected), 1);
    const z = (observed - expected) / spread;
    const evidence = { observed, expected: round(expected, 2), level: round(baseline.level, 2), weekdayFactor: round(expected / Math.max(baseline.level, 1e-9), 3), residualSd: round(baseline.residualSd, 2), robustZ: round(z, 2) };
    if (observed >= expected * o.spikeRatioMin && z >= o.robustZMin) {
      const score = surprise(poissonUpperTail(observed, expected));
      if (score >= o.spikeSurpriseMin) found.push(make('volume_spike', series.partnerId, series.productId, day, null, score, countParts(observed, 'sales', expected), { ...evidence, tailProbability: poissonUpperTail(observed, expected) }));
    } else if (observed <= expected * o.dropRatioMax && -z >= o.robustZMin) {
      const score = surprise(poissonLowerTail(observed, expected));
      if (score >= o.dropSurpriseMin) found.push(make('volume_drop', series.partnerId, series.productId, day, null, score, countParts(observed, 'sales', expected), { ...evidence, tailProbability: poissonLowerTail(observed, expected) }));
    }
  });
  return found;
}

function reversalFindings(series: Series, measure: 'refunds' | 'chargebacks', days: readonly string[], profile: readonly number[], o: DetectionOptions): Anomaly[] {
  const baseline = dailyBaseline(days, series.sales, profile);
  const counts = series[measure];
  const kind = measure === 'refunds' ? 'refund_ratio_jump' : 'chargeback_burst';
  const salesTotal = series.sales.reduce((acc, v) => acc + v, 0);
  const reversalsTotal = counts.reduce((acc, v) => acc + v, 0);
  const found: Anomaly[] = [];
  days.forEach((day, index) => {
    const observed = counts[index] ?? 0;
    if (observed < o.reversalCountMin) return;
    const otherSales = salesTotal - (series.sales[index] ?? 0);
    const rate = Math.max(o.reversalRateFloor, otherSales > 0 ? (reversalsTotal - observed) / otherSales : 0);
    const expected = rate * Math.max(baseline.level, 1);
    const tail = poissonUpperTail(observed, expected);
    const score = surprise(tail);
    if (score < o.reversalSurpriseMin) return;
    found.push(
      make(kind, series.partnerId, series.productId, day, null, score, countParts(observed, measure, expected), {
        observed,
        expected: round(expected, 2),
        baselineRatio: round(rate, 4),
        dayRatio: round(observed / Math.max(series.sales[index] ?? 0, baseline.level, 1), 4),
        salesLevel: round(baseline.level, 2),
        tailProbability: tail,
      }),
    );
  });
  return found;
}

interface RateObservation {
  readonly day: string;
  readonly rate: number;
  readonly rows: readonly PartnerReportRow[];
}

/** Per day, the median of the rows' share / net revenue; rows whose rounding alone could move the rate by a quarter of the tolerance are left out. */
function rateObservations(rows: readonly PartnerReportRow[], tolerance: number): RateObservation[] {
  const byDay = new Map<string, { rates: number[]; rows: PartnerReportRow[] }>();
  for (const row of rows) {
    const net = new Decimal(row.netRevenue);
    const halfMinor = new Decimal(1).dividedBy(new Decimal(10).pow(minorUnitsOf(row.currency))).dividedBy(2);
    if (net.isZero() || halfMinor.dividedBy(net.abs()).greaterThan(tolerance / 4)) continue;
    const entry = byDay.get(row.day) ?? { rates: [], rows: [] };
    entry.rates.push(new Decimal(row.partnerShare).dividedBy(net).toNumber());
    entry.rows.push(row);
    byDay.set(row.day, entry);
  }
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, entry]) => ({ day, rate: median(entry.rates), rows: entry.rows }));
}

/** Exact reported and expected shares per currency over the run's rows, as decimal strings. */
function shareEvidence(rows: readonly PartnerReportRow[], expectedPercent: string): Record<string, string> {
  const sums = new Map<string, { reported: Decimal; expected: Decimal }>();
  for (const row of rows) {
    const places = minorUnitsOf(row.currency);
    const expected = roundTo(new Decimal(row.netRevenue).times(expectedPercent).dividedBy(100), places, 'half-even');
    const sum = sums.get(row.currency) ?? { reported: new Decimal(0), expected: new Decimal(0) };
    sums.set(row.currency, { reported: sum.reported.plus(row.partnerShare), expected: sum.expected.plus(expected) });
  }
  const evidence: Record<string, string> = {};
  for (const [currency, sum] of [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const places = minorUnitsOf(currency);
    evidence[`reportedShare.${currency}`] = sum.reported.toFixed(places);
    evidence[`expectedShare.${currency}`] = sum.expected.toFixed(places);
    evidence[`difference.${currency}`] = sum.reported.minus(sum.expected).toFixed(places);
  }
  return evidence;
}

function driftFindings(partnerId: string, productId: string, rows: readonly PartnerReportRow[], agreed: string | null, o: DetectionOptions): Anomaly[] {
  const observations = rateObservations(rows, o.driftTolerance);
  if (observations.length === 0) return [];
  const expectedRate = agreed === null ? median(observations.map((obs) => obs.rate)) : new Decimal(agreed).dividedBy(100).toNumber();
  const expectedPercent = agreed ?? (expectedRate * 100).toFixed(2);
  const found: Anomaly[] = [];
  let run: RateObservation[] = [];
  const flush = () => {
    if (run.length >= o.driftDaysMin) {
      const first = run[0] as RateObservation;
      const last = run[run.length - 1] as RateObservation;
      const observedRate = median(run.map((obs) => obs.rate));
      const score = Math.abs(observedRate - expectedRate) / o.driftTolerance;
      found.push(
        make('share_rate_drift', partnerId, productId, first.day, last.day, score, { code: 'shareDrift', params: { observed: (observedRate * 100).toFixed(2), expected: expectedPercent, days: String(run.length) } }, {
          expectedPercent,
          expectedFrom: agreed === null ? 'median of the reports' : 'agreement',
          observedPercent: (observedRate * 100).toFixed(2),
          daysFlagged: run.length,
          ...shareEvidence(run.flatMap((obs) => obs.rows), expectedPercent),
        }),
      );
    }
    run = [];
  };
  for (const obs of observations) {
    const deviation = obs.rate - expectedRate;
    const previous = run[run.length - 1];
    const sameSign = previous === undefined || Math.sign(previous.rate - expectedRate) === Math.sign(deviation);
    if (Math.abs(deviation) > o.driftTolerance && sameSign) run.push(obs);
    else {
      flush();
      if (Math.abs(deviation) > o.driftTolerance) run.push(obs);
    }
  }
  flush();
  return found;
}

export function detectShareDrift(rows: readonly PartnerReportRow[], agreedSharePercent: DetectionInput['agreedSharePercent'], options: DetectionOptions = DEFAULT_DETECTION_OPTIONS): Anomaly[] {
  const groups = new Map<string, PartnerReportRow[]>();
  for (const row of rows) {
    const key = `${row.partnerId}\u001f${row.productId}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([, group]) => {
      const first = group[0] as PartnerReportRow;
      return driftFindings(first.partnerId, first.productId, group, agreedSharePercent?.(first.partnerId, first.productId) ?? null, options);
    });
}

/** Late and missing reports: every partner owes one report per scheduled period. */
export function detectReportTimeliness(partners: readonly string[], schedule: readonly ReportPeriodDue[], deliveries: readonly ReportDelivery[], asOf: string): Anomaly[] {
  const delivered = new Map<string, ReportDelivery>();
  for (const d of deliveries) {
    const key = `${d.partnerId}|${d.periodStart}`;
    const known = delivered.get(key);
    if (known === undefined || d.deliveredAt < known.deliveredAt) delivered.set(key, d);
  }
  const found: Anomaly[] = [];
  for (const partnerId of [...partners].sort()) {
    for (const period of schedule) {
      if (period.due >= asOf) continue;
      const delivery = delivered.get(`${partnerId}|${period.start}`);
      const evidence = { periodStart: period.start, periodEnd: period.end, due: period.due, asOf };
      if (delivery === undefined) {
        const overdue = daysBetween(period.due, asOf);
        found.push(make('missing_report', partnerId, null, period.start, period.end, overdue, { code: 'missingReport', params: { start: period.start, end: period.end, due: period.due } }, { ...evidence, daysOverdue: overdue, deliveredAt: null }));
        continue;
      }
      const daysLate = daysBetween(period.due, delivery.deliveredAt.slice(0, 10));
      if (daysLate > 0) found.push(make('late_report', partnerId, null, period.start, period.end, daysLate, { code: 'lateReport', params: { start: period.start, end: period.end, days: String(daysLate), due: period.due } }, { ...evidence, daysLate, deliveredAt: delivery.deliveredAt }));
    }
  }
  return found;
}

function compareAnomalies(a: Anomaly, b: Anomaly): number {
  const keyA = `${a.day}|${a.kind}|${a.partnerId}|${a.productId ?? ''}`;
  const keyB = `${b.day}|${b.kind}|${b.partnerId}|${b.productId ?? ''}`;
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}

function retrospectiveFindings(activity: readonly DailyActivity[], days: readonly string[], options: DetectionOptions): Anomaly[] {
  const found: Anomaly[] = [];
  for (const [, list] of seriesOf(activity, days)) {
    const totals = days.map((_, index) => list.reduce((acc, s) => acc + (s.sales[index] ?? 0), 0));
    const profile = weekdayProfile(days, totals);
    for (const series of list) found.push(...volumeFindings(series, days, profile, options), ...reversalFindings(series, 'refunds', days, profile, options), ...reversalFindings(series, 'chargebacks', days, profile, options));
  }
  return found;
}

const MEASURE: Readonly<Record<Exclude<CausalFinding['kind'], 'partner_silent'>, AnomalyMeasure>> = { volume_spike: 'sales', volume_drop: 'sales', refund_ratio_jump: 'refunds', chargeback_burst: 'chargebacks' };

/** A causal finding as an Anomaly: its days, observed and expected counts, the band it left, the baseline's shape. */
export function anomalyOfFinding(f: CausalFinding, days: readonly string[]): Anomaly {
  const first = days[f.first] ?? '';
  const last = days[f.last] ?? '';
  const span = f.last > f.first ? `${first}..${last}` : first;
  const silent = f.kind === 'partner_silent';
  const expected = String(round(f.expected, 1));
  const summary: AnomalySummaryParts =
    f.kind === 'partner_silent'
      ? { code: 'silent', params: { span, days: String(f.last - f.first + 1), expected } }
      : {
          code: 'band',
          params: {
            observed: String(f.observed),
            measure: MEASURE[f.kind],
            span,
            expected,
            low: String(f.bandLow),
            high: String(f.bandHigh),
            ratio: f.observedRatio !== null && f.expectedRatio !== null ? { observed: (f.observedRatio * 100).toFixed(1), expected: (f.expectedRatio * 100).toFixed(1) } : null,
          },
        };
  const evidence: Record<string, EvidenceValue> = {
    observed: f.observed,
    expected: round(f.expected, 2),
    bandLow: silent ? 1 : f.bandLow,
    bandHigh: silent ? null : f.bandHigh,
    days: f.last - f.first + 1,
    tailProbability: f.tail,
    dispersion: round(f.dispersion, 4),
    weekdayFactor: round(f.weekdayFactor, 3),
    trendPerWeek: round(f.trendPerWeek, 4),
  };
  if (f.observedRatio !== null) evidence.observedRatio = round(f.observedRatio, 4);
  if (f.expectedRatio !== null) evidence.expectedRatio = round(f.expectedRatio, 4);
  return make(f.kind, f.partnerId, f.productId, first, f.last > f.first ? last : null, f.score, summary, evidence);
}

export function detectAnomalies(input: DetectionInput, options: DetectionOptions = DEFAULT_DETECTION_OPTIONS): Anomaly[] {
  const days = windowDays(input.from, input.to);
  const found: Anomaly[] =
    (input.mode ?? 'causal') === 'causal'
      ? days.length > options.causal.warmupDays
        ? detectCausal(input.activity, days, options.causal).map((f) => anomalyOfFinding(f, days))
        : []
      : retrospectiveFindings(input.activity, days, options);
  const rows = (input.reportRows ?? []).filter((row) => row.day >= input.from && row.day <= input.to);
  found.push(...detectShareDrift(rows, input.agreedSharePercent, options));
  if (input.schedule !== undefined && input.asOf !== undefined) {
    // Only partners that deliver reports are expected to: without report files no partner is "missing" one.
    const reporting = new Set((input.deliveries ?? []).map((d) => d.partnerId));
    found.push(...detectReportTimeliness([...reporting], input.schedule, input.deliveries ?? [], input.asOf));
  }
  return found.sort(compareAnomalies);
}
