import { describe, expect, it } from 'vitest';
import { addDays } from '../settlement/dates.ts';
import { detectAnomalies, windowDays } from './anomaly.ts';
import { nbBand } from './causal.ts';
import { anomaliesToExceptions } from './exception.ts';
import { detectWeekdayMad } from './mad-baseline.ts';
import { logGamma, negBinomialLowerTail, negBinomialUpperTail } from './stats.ts';
import type { DailyActivity } from './types.ts';

const FROM = '2026-01-05';
const DAYS = windowDays(FROM, addDays(FROM, 69));
/** A fixed wiggle (no randomness in unit tests), about +/- 1 sd of a Poisson around 20. */
const WIGGLE = [0, 3, -2, 4, -3, 1, -4, 2, 0, -1, 3, -3, 2, -2, 4, -1, 1, -4, 0, 2, -2, 3, -3, 1];

interface Shape {
  readonly partnerId?: string;
  readonly productId?: string;
  /** Sales of day index d before the wiggle. */
  readonly level: (d: number) => number;
  readonly sales?: Record<number, number>;
  readonly refunds?: Record<number, number>;
  readonly chargebacks?: Record<number, number>;
}

function series(shape: Shape): DailyActivity[] {
  return DAYS.map((day, d) => ({
    partnerId: shape.partnerId ?? 'P1',
    productId: shape.productId ?? 'P1-A',
    day,
    sales: shape.sales?.[d] ?? Math.max(0, Math.round(shape.level(d) * (1 + (WIGGLE[d % WIGGLE.length] ?? 0) / 20))),
    refunds: shape.refunds?.[d] ?? (d % 5 === 0 ? 1 : 0),
    chargebacks: shape.chargebacks?.[d] ?? (d % 10 === 3 ? 1 : 0),
  }));
}

const detect = (activity: readonly DailyActivity[]) => detectAnomalies({ from: DAYS[0] ?? '', to: DAYS[DAYS.length - 1] ?? '', activity });

describe('count statistics', () => {
  it('computes negative binomial tails by hand: mean 2, dispersion 0.5 is size 2, p 1/2', () => {
    // P(0) = 0.5^2 = 0.25, P(1) = 2 x 0.5^2 x 0.5 = 0.25, P(2) = 3 x 0.5^2 x 0.5^2 = 0.1875.
    expect(negBinomialLowerTail(1, 2, 0.5)).toBeCloseTo(0.5, 12);
    expect(negBinomialUpperTail(2, 2, 0.5)).toBeCloseTo(0.5, 12);
    expect(negBinomialUpperTail(3, 2, 0.5)).toBeCloseTo(0.3125, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    // Dispersion 0 is the Poisson.
    expect(negBinomialLowerTail(0, 2, 0)).toBeCloseTo(Math.exp(-2), 12);
  });

  it('gives the band of counts a tail probability does not flag', () => {
    // Poisson(2): P(X >= 5) = 1 - e^-2 (1 + 2 + 2 + 4/3 + 2/3) = 0.0527 > 0.05, P(X >= 6) = 0.0166; P(X <= 0) = 0.135.
    expect(nbBand(2, 0, 0.05)).toEqual([0, 5]);
  });
});

describe('causal detection', () => {
  it('flags nothing in a steady series, a weekly shape or a steady growth', () => {
    expect(detect(series({ level: () => 20 }))).toEqual([]);
    // Weekends (Saturday, Sunday) sell three times a weekday: a per-weekday level, not a spike every weekend.
    expect(detect(series({ level: (d) => ([5, 6].includes(d % 7) ? 60 : 20) }))).toEqual([]);
    // Doubling over the 70 days (1 % a day): a growing partner is not an anomaly every day.
    expect(detect(series({ level: (d) => 20 * 1.01 ** d }))).toEqual([]);
  });

  it('judges no day of the 28-day warm-up, and a day after it against the days before only', () => {
    const spikeIn = (d: number) => series({ level: () => 20, sales: { [d]: 60 } });
    expect(detect(spikeIn(20))).toEqual([]);
    const found = detect(spikeIn(50));
    expect(found.map((a) => [a.kind, a.day])).toEqual([['volume_spike', DAYS[50]]]);
    expect(found[0]?.evidence).toMatchObject({ observed: 60, days: 1 });
    const evidence = found[0]?.evidence ?? {};
    expect(Number(evidence.expected)).toBeGreaterThan(15);
    expect(Number(evidence.expected)).toBeLessThan(25);
    expect(Number(evidence.bandHigh)).toBeLessThan(60);
    expect(found[0]?.severity).toMatch(/^(medium|high|critical)$/);
    // It becomes an exception whose title reads as the reason, with the evidence in its details.
    const [exception] = anomaliesToExceptions(found, '2026-03-20T09:00:00Z');
    expect(exception?.title).toBe(`volume spike: P1 P1-A on ${DAYS[50]}: ${found[0]?.summary}`);
    expect(found[0]?.summary).toMatch(/^60 sales on 2026-02-24 against \d+\.\d expected \(band \d+-\d+\)$/);
    expect(exception?.details['evidence.bandHigh']).toBe(String(evidence.bandHigh));
  });

  it('finds a clear 2.4x spike of a busy product: no ratio floor hides it', () => {
    const found = detect(series({ level: () => 100, sales: { 55: 240 } }));
    expect(found.map((a) => [a.kind, a.day])).toEqual([['volume_spike', DAYS[55]]]);
  });

  it('finds a sustained rise too small for any one day as one run', () => {
    // +60 % for four days on about 100 a day whose days swing by up to 20 %: the first day alone is
    // within its band (one day at 1.6x is no surprise here), the four together are not.
    const rise = Object.fromEntries([50, 51, 52, 53].map((d) => [d, Math.round(100 * 1.6 * (1 + (WIGGLE[d % WIGGLE.length] ?? 0) / 20))]));
    const firstDayOnly = detect(series({ level: () => 100, sales: { 50: rise[50] ?? 0 } }));
    expect(firstDayOnly).toEqual([]);
    const found = detect(series({ level: () => 100, sales: rise }));
    expect(found.map((a) => a.kind)).toEqual(['volume_spike']);
    const firstDay = found[0]?.day ?? '';
    expect(firstDay >= (DAYS[50] ?? '') && firstDay <= (DAYS[53] ?? '')).toBe(true);
    expect(found[0]?.periodEnd).not.toBeNull();
  });

  it('reports a chargeback burst as its own kind, not as refunds', () => {
    const found = detect(series({ level: () => 40, chargebacks: { 56: 9 } }));
    expect(found.map((a) => [a.kind, a.day])).toEqual([['chargeback_burst', DAYS[56]]]);
    expect(found[0]?.evidence.observed).toBe(9);
    expect(Number(found[0]?.evidence.expectedRatio)).toBeLessThan(0.01);
  });

  it('reports a partner gone silent once, from its transactions alone, without its products dropping', () => {
    const silence = { 60: 0, 61: 0, 62: 0 };
    const quiet = { sales: silence, refunds: silence, chargebacks: silence };
    const activity = [...series({ productId: 'P1-A', level: () => 20, ...quiet }), ...series({ productId: 'P1-B', level: () => 8, ...quiet }), ...series({ partnerId: 'P2', productId: 'P2-A', level: () => 20 })];
    const found = detect(activity);
    expect(found.map((a) => [a.kind, a.partnerId, a.productId, a.day, a.periodEnd])).toEqual([['partner_silent', 'P1', null, DAYS[60], DAYS[62]]]);
    expect(found[0]?.evidence).toMatchObject({ observed: 0, days: 3 });
  });
});

describe('per-weekday median/MAD baseline', () => {
  it('flags by hand arithmetic: a weekday 10, 12, 11, 13, 40 has median 12, MAD 1, robust sd 1.4826', () => {
    const days = windowDays('2026-01-05', addDays('2026-01-05', 34));
    // Mondays (every 7th day from 5 January) carry the sample; other days sell 12.
    const mondays = [10, 12, 11, 13, 40];
    const activity: DailyActivity[] = days.map((day, d) => ({ partnerId: 'P1', productId: 'P1-A', day, sales: d % 7 === 0 ? (mondays[d / 7] ?? 12) : 12, refunds: 0, chargebacks: 0 }));
    // 40: z = (40 - 12) / 1.4826 = 18.9; 10: z = -2 / 1.4826 = -1.35, below 3.5.
    const found = detectWeekdayMad(activity, days);
    expect(found.map((f) => [f.kind, f.day, f.robustZ])).toEqual([['volume_spike', days[28], 18.89]]);
  });
});
