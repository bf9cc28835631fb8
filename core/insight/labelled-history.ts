import { assert } from '../assert.ts';
import type { Prng } from '../demo/prng.ts';
import { addDays } from '../settlement/dates.ts';
import { weekdayOf } from './baseline.ts';
import type { CashFlowDay } from './forecast.ts';
import type { DailyActivity, InsightAnomalyKind } from './types.ts';

/**
 * A seeded, labelled daily history to measure anomaly detection and the cash forecast on (the
 * bench and tests; the demo month stays as it is). Every partner sells a few products with:
 * - a weekly shape of its own (a cosine over the week, peak day and amplitude per partner, a few
 *   per cent of jitter per product),
 * - a trend (exponential, -0.3 % to +0.8 % a day: some partners shrink, some more than double),
 * - gamma-Poisson noise: the day's rate is the mean times a Gamma(k, 1/k) swing, the count a
 *   Poisson of it (a negative binomial with dispersion 1/k, k from 8 to 40),
 * - refunds and chargebacks at rates of their own, with the same noise.
 * Anomalies are added to the counts drawn, with sizes measured in standard deviations of the
 * series' own daily noise, sqrt(m + m^2/k) at that day's mean m: clear ones on one day (spikes,
 * refund jumps and chargeback bursts 6 to 12 sd, at least 4, 6 and 8 extra counts; drops 4.5 to 6
 * sd, on products busy and steady enough for that to stay above zero), subtle ones of 3 to 3.5 sd on each of 3 or
 * 4 days in a row (a level shift too small to see on any one day), chargeback bursts of 1-2 days, and
 * partners gone silent (no activity at all) for 2 to 4 days. No series carries two anomalies,
 * and none falls in the first `labelDayFirst` days, which a causal detector needs to learn from.
 * Statistics of counts are floats; the cash rows are integer minor units turned into decimal
 * strings exactly.
 */
export type LabelledKind = Extract<InsightAnomalyKind, 'volume_spike' | 'volume_drop' | 'refund_ratio_jump' | 'chargeback_burst' | 'partner_silent'>;

export interface LabelledAnomaly {
  readonly kind: LabelledKind;
  readonly partnerId: string;
  /** null for a partner gone silent (any product matches). */
  readonly productId: string | null;
  readonly day: string;
  readonly periodEnd: string | null;
  /** Size on each day in sd of the series' daily noise (0 for silence). */
  readonly sizeSd: number;
  readonly subtle: boolean;
}

export interface LabelledSeriesTruth {
  readonly partnerId: string;
  readonly productId: string;
  readonly baseMean: number;
  readonly growthPerDay: number;
  readonly dispersion: number;
  /** Sunday first. */
  readonly weekdayFactors: readonly number[];
  readonly refundRate: number;
  readonly chargebackRate: number;
}

export interface LabelledHistory {
  readonly from: string;
  readonly to: string;
  readonly days: readonly string[];
  readonly activity: readonly DailyActivity[];
  readonly labels: readonly LabelledAnomaly[];
  readonly truth: readonly LabelledSeriesTruth[];
  /** Daily PSP inflow (net of refunds, chargebacks and fees) and partner payable accrual, per currency. */
  readonly cash: readonly CashFlowDay[];
}

export interface LabelledAnomalyCounts {
  readonly spikes: number;
  readonly drops: number;
  readonly refundJumps: number;
  readonly chargebackBursts: number;
  readonly silentPartners: number;
  /** Of the spikes, drops and refund jumps above, how many are subtle (3-3.5 sd, 3-4 days). */
  readonly subtle: number;
}

export interface LabelledHistoryOptions {
  readonly start: string;
  readonly days: number;
  readonly partners: number;
  readonly productsPerPartner: number;
  /** Anomalies start on this day index or later. */
  readonly labelDayFirst: number;
  readonly anomalies: LabelledAnomalyCounts;
}

export const DEFAULT_LABELLED_OPTIONS: LabelledHistoryOptions = {
  start: '2026-01-05',
  days: 120,
  partners: 40,
  productsPerPartner: 3,
  labelDayFirst: 35,
  anomalies: { spikes: 9, drops: 8, refundJumps: 5, chargebackBursts: 4, silentPartners: 4, subtle: 8 },
};

const CURRENCIES = ['EUR', 'USD', 'GBP'] as const;
const FEE_BPS = 290;
const PICK_TRIES_MAX = 500;

interface SeriesPlan {
  readonly partnerId: string;
  readonly productId: string;
  readonly currency: string;
  readonly sharePercent: number;
  readonly priceMinor: number;
  readonly baseMean: number;
  readonly growth: number;
  readonly dispersion: number;
  readonly weekday: readonly number[];
  readonly refundRate: number;
  readonly chargebackRate: number;
}

/** Gamma(shape, 1) by Marsaglia and Tsang (shape >= 1 here). */
function gamma(prng: Prng, shape: number): number {
  assert(shape >= 1, 'a shape of one or more');
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (let tries = 0; tries < PICK_TRIES_MAX; tries++) {
    const x = prng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(Math.max(prng.next(), 1e-300)) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
  return d;
}

function nbDraw(prng: Prng, mean: number, dispersion: number): number {
  return mean <= 0 ? 0 : prng.count(mean * (gamma(prng, 1 / dispersion) * dispersion));
}

function plans(prng: Prng, o: LabelledHistoryOptions): SeriesPlan[] {
  const list: SeriesPlan[] = [];
  for (let p = 1; p <= o.partners; p++) {
    const partnerId = `L${String(p).padStart(3, '0')}`;
    const peak = prng.int(0, 6);
    const amplitude = 0.15 + prng.next() * 0.35;
    const shape = Array.from({ length: 7 }, (_, w) => 1 + amplitude * Math.cos((2 * Math.PI * (w - peak)) / 7));
    const currency = CURRENCIES[prng.int(0, CURRENCIES.length - 1)] ?? 'EUR';
    const growth = -0.003 + prng.next() * 0.011;
    const sharePercent = prng.int(50, 80);
    for (let q = 1; q <= o.productsPerPartner; q++) {
      const jitter = shape.map((v) => v * (0.95 + prng.next() * 0.1));
      const mean = jitter.reduce((a, v) => a + v, 0) / 7;
      list.push({
        partnerId,
        productId: `${partnerId}-${String(q).padStart(2, '0')}`,
        currency,
        sharePercent,
        priceMinor: 199 + prng.int(0, 48) * 100,
        baseMean: 3 * Math.exp(prng.next() * Math.log(50)),
        growth: growth + (prng.next() - 0.5) * 0.002,
        dispersion: 1 / (8 + prng.next() * 32),
        weekday: jitter.map((v) => v / mean),
        refundRate: 0.02 + prng.next() * 0.05,
        chargebackRate: 0.003 + prng.next() * 0.007,
      });
    }
  }
  return list;
}

function meanOn(plan: SeriesPlan, index: number, day: string): number {
  return plan.baseMean * Math.exp(plan.growth * index) * (plan.weekday[weekdayOf(day)] ?? 1);
}

function noiseSd(mean: number, dispersion: number): number {
  return Math.sqrt(mean + dispersion * mean * mean);
}

type Counts = { sales: number[]; refunds: number[]; chargebacks: number[] };

interface Injector {
  readonly kind: LabelledKind;
  readonly subtle: boolean;
  /** Whether the plan can carry it on these days (a drop needs room below the mean, and so on). */
  eligible(plan: SeriesPlan, days: readonly number[], dayOf: (index: number) => string, sizeSd: number): boolean;
  apply(plan: SeriesPlan, counts: Counts, days: readonly number[], dayOf: (index: number) => string, sizeSd: number): void;
}

const measureMean = (plan: SeriesPlan, measure: 'sales' | 'refunds' | 'chargebacks', index: number, day: string) =>
  meanOn(plan, index, day) * (measure === 'sales' ? 1 : measure === 'refunds' ? plan.refundRate : plan.chargebackRate);

/** A drop must leave this share of the mean (a product may drop to nothing while its partner's others sell on). */
const DROP_KEEPS_MIN = 0;

function shift(measure: 'sales' | 'refunds' | 'chargebacks', sign: 1 | -1, minMean: number, minExtra: number): Omit<Injector, 'kind' | 'subtle'> {
  return {
    eligible: (plan, days, dayOf, sizeSd) =>
      days.every((index) => {
        const mean = measureMean(plan, measure, index, dayOf(index));
        return mean >= minMean && (sign > 0 || mean - sizeSd * noiseSd(mean, plan.dispersion) >= DROP_KEEPS_MIN * mean);
      }),
    apply: (plan, counts, days, dayOf, sizeSd) => {
      for (const index of days) {
        const mean = measureMean(plan, measure, index, dayOf(index));
        const delta = Math.max(minExtra, Math.round(sizeSd * noiseSd(mean, plan.dispersion)));
        const list = counts[measure];
        list[index] = Math.max(0, (list[index] ?? 0) + sign * delta);
      }
    },
  };
}

/**
 * `seed` goes through the caller's PRNG (core has no randomness of its own): pass
 * createPrng(seed) from core/demo/prng.ts.
 */
export function generateLabelledHistory(prng: Prng, options: LabelledHistoryOptions = DEFAULT_LABELLED_OPTIONS): LabelledHistory {
  const o = options;
  assert(o.days >= 28 && o.days <= 730 && o.labelDayFirst < o.days - 5, 'a history of 4 weeks to 2 years, with room for anomalies');
  const days = Array.from({ length: o.days }, (_, index) => addDays(o.start, index));
  const dayOf = (index: number) => days[index] ?? o.start;
  const all = plans(prng.fork('plans'), o);
  const counts = new Map<string, Counts>();
  const draw = prng.fork('noise');
  for (const plan of all) {
    const series: Counts = { sales: [], refunds: [], chargebacks: [] };
    days.forEach((day, index) => {
      const mean = meanOn(plan, index, day);
      series.sales.push(nbDraw(draw, mean, plan.dispersion));
      series.refunds.push(nbDraw(draw, mean * plan.refundRate, plan.dispersion));
      series.chargebacks.push(nbDraw(draw, mean * plan.chargebackRate, plan.dispersion));
    });
    counts.set(plan.productId, series);
  }

  const pick = prng.fork('anomalies');
  const used = new Set<string>();
  const labels: LabelledAnomaly[] = [];
  const a = o.anomalies;
  // Silent partners first: their products then carry nothing else. A partner is eligible when it
  // sells every day: the smallest expected daily total over the history is 10 or more.
  for (let n = 0, tries = 0; n < a.silentPartners && tries < PICK_TRIES_MAX; tries++) {
    const partner = all[pick.int(0, all.length - 1)]?.partnerId ?? '';
    const products = all.filter((plan) => plan.partnerId === partner);
    if (products.some((plan) => used.has(plan.productId))) continue;
    const minTotal = Math.min(...days.map((day, index) => products.reduce((acc, plan) => acc + meanOn(plan, index, day), 0)));
    if (minTotal < 10) continue;
    const length = pick.int(2, 4);
    const first = pick.int(o.labelDayFirst, o.days - length);
    for (const plan of products) {
      used.add(plan.productId);
      const series = counts.get(plan.productId) as Counts;
      for (let index = first; index < first + length; index++) {
        series.sales[index] = 0;
        series.refunds[index] = 0;
        series.chargebacks[index] = 0;
      }
    }
    labels.push({ kind: 'partner_silent', partnerId: partner, productId: null, day: dayOf(first), periodEnd: dayOf(first + length - 1), sizeSd: 0, subtle: false });
    n++;
  }

  const injectors: Injector[] = [];
  const subtleKinds: LabelledKind[] = [];
  for (let index = 0; index < a.subtle; index++) subtleKinds.push((['volume_spike', 'volume_drop', 'refund_ratio_jump'] as const)[index % 3] as LabelledKind);
  const subtleOf = (kind: LabelledKind) => subtleKinds.filter((k) => k === kind).length;
  const add = (kind: LabelledKind, total: number, clear: Omit<Injector, 'kind' | 'subtle'>, subtle: Omit<Injector, 'kind' | 'subtle'>) => {
    const subtleCount = Math.min(total, subtleOf(kind));
    for (let index = 0; index < total; index++) injectors.push(index < subtleCount ? { kind, subtle: true, ...subtle } : { kind, subtle: false, ...clear });
  };
  add('volume_spike', a.spikes, shift('sales', 1, 2, 4), shift('sales', 1, 8, 2));
  add('volume_drop', a.drops, shift('sales', -1, 12, 1), shift('sales', -1, 12, 1));
  add('refund_ratio_jump', a.refundJumps, shift('refunds', 1, 1, 6), shift('refunds', 1, 3, 2));
  add('chargeback_burst', a.chargebackBursts, shift('chargebacks', 1, 0.1, 8), shift('chargebacks', 1, 0.1, 8));

  for (const injector of injectors) {
    for (let tries = 0; tries < PICK_TRIES_MAX; tries++) {
      const plan = all[pick.int(0, all.length - 1)] as SeriesPlan;
      if (used.has(plan.productId)) continue;
      const length = injector.subtle ? pick.int(3, 4) : injector.kind === 'chargeback_burst' ? pick.int(1, 2) : 1;
      const first = pick.int(o.labelDayFirst, o.days - length);
      const span = Array.from({ length }, (_, k) => first + k);
      // Clear drops are 4.5-6 sd: with this much day-to-day noise a bigger one would fall below zero.
      const sizeSd = injector.subtle ? 3 + pick.next() * 0.5 : injector.kind === 'volume_drop' ? 4.5 + pick.next() * 1.5 : 6 + pick.next() * 6;
      if (!injector.eligible(plan, span, dayOf, sizeSd)) continue;
      injector.apply(plan, counts.get(plan.productId) as Counts, span, dayOf, sizeSd);
      used.add(plan.productId);
      labels.push({ kind: injector.kind, partnerId: plan.partnerId, productId: plan.productId, day: dayOf(first), periodEnd: length > 1 ? dayOf(first + length - 1) : null, sizeSd: Math.round(sizeSd * 100) / 100, subtle: injector.subtle });
      break;
    }
  }

  const activity: DailyActivity[] = [];
  const cashMinor = new Map<string, { inflow: number; payable: number }>();
  for (const plan of all) {
    const series = counts.get(plan.productId) as Counts;
    days.forEach((day, index) => {
      const sales = series.sales[index] ?? 0;
      const refunds = series.refunds[index] ?? 0;
      const chargebacks = series.chargebacks[index] ?? 0;
      if (sales + refunds + chargebacks > 0) activity.push({ partnerId: plan.partnerId, productId: plan.productId, day, sales, refunds, chargebacks });
      // Integer minor units: the fee is rounded half-up on integers, the payable share of net truncated to a whole minor unit.
      const gross = sales * plan.priceMinor;
      const net = (sales - refunds - chargebacks) * plan.priceMinor;
      const fee = Math.floor((gross * FEE_BPS + 5000) / 10000);
      const key = `${day}|${plan.currency}`;
      const cell = cashMinor.get(key) ?? { inflow: 0, payable: 0 };
      cell.inflow += net - fee;
      cell.payable += Math.trunc((net * plan.sharePercent) / 100);
      cashMinor.set(key, cell);
    });
  }
  const cash = [...cashMinor.entries()]
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([key, cell]) => {
      const [day = '', currency = ''] = key.split('|');
      return { day, currency, inflow: minorToDecimal(cell.inflow), payable: minorToDecimal(cell.payable) };
    });
  return {
    from: dayOf(0),
    to: dayOf(o.days - 1),
    days,
    activity,
    labels: labels.sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0)),
    truth: all.map((plan) => ({ partnerId: plan.partnerId, productId: plan.productId, baseMean: plan.baseMean, growthPerDay: plan.growth, dispersion: plan.dispersion, weekdayFactors: plan.weekday, refundRate: plan.refundRate, chargebackRate: plan.chargebackRate })),
    cash,
  };
}

/** Integer cents (two minor units: EUR, USD, GBP) as an exact decimal string. */
function minorToDecimal(minor: number): string {
  assert(Number.isSafeInteger(minor), 'whole minor units', { minor });
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
