import { describe, expect, it } from 'vitest';
import { canonicalFromDemo, readAgreements } from '../demo/insight-inputs.ts';
import { agreedShareLookup } from './agreed-share.ts';
import { generateDemoMonth } from '../demo/generate.ts';
import { addDays } from '../settlement/dates.ts';
import { createPrng } from '../demo/prng.ts';
import { weekdayOf } from './baseline.ts';
import { backtestForecast, cashFlowDaysFromTransactions, forecastCashFlow, studentQuantile, type CashFlowDay } from './forecast.ts';
import { generateLabelledHistory } from './labelled-history.ts';
import { fitSeasonalTrend } from './seasonal-trend.ts';

const DAYS = Array.from({ length: 31 }, (_, index) => addDays('2026-03-01', index));

describe('cash-flow forecast', () => {
  it('forecasts a steady month exactly, with the month-end payables paid on the 16th', () => {
    const rows: CashFlowDay[] = DAYS.map((day) => ({ day, currency: 'EUR', inflow: '100.10', payable: '70.07' }));
    const [eur] = forecastCashFlow(rows, '2026-03-01', '2026-03-31');
    expect(eur?.weeks).toHaveLength(8);
    expect(eur?.weeks[0]).toMatchObject({ weekStart: '2026-04-01', weekEnd: '2026-04-07', inflow: { point: '700.70', low: '700.70', high: '700.70' }, outflow: { point: '0.00' } });
    // March's 31 days of 70.07 are paid in the week holding April 16; April's 30 days in the week holding May 16.
    expect(eur?.weeks[2]).toMatchObject({ weekStart: '2026-04-15', outflow: { point: '2172.17', low: '2172.17', high: '2172.17' } });
    expect(eur?.weeks[6]).toMatchObject({ weekStart: '2026-05-13', outflow: { point: '2102.10' } });
    expect(eur?.weeks[7]?.cumulativeNet.point).toBe('1331.33');
  });

  it('keeps every amount in the currency minor units and widens the interval with noise', () => {
    const rows: CashFlowDay[] = DAYS.flatMap((day, index) => [
      { day, currency: 'JPY', inflow: String(10000 + (index % 3) * 500), payable: '7000' },
      { day, currency: 'EUR', inflow: '10.00', payable: '1.00' },
    ]);
    const [eur, jpy] = forecastCashFlow(rows, '2026-03-01', '2026-03-31');
    expect(eur?.currency).toBe('EUR');
    expect(jpy?.weeks[0]?.inflow.point).toMatch(/^\d+$/);
    expect(Number(jpy?.weeks[0]?.inflow.high)).toBeGreaterThan(Number(jpy?.weeks[0]?.inflow.point));
    expect(Number(jpy?.weeks[7]?.cumulativeNet.high) - Number(jpy?.weeks[7]?.cumulativeNet.low)).toBeGreaterThan(Number(jpy?.weeks[0]?.cumulativeNet.high) - Number(jpy?.weeks[0]?.cumulativeNet.low));
  });

  it('widens the band by the Student-t quantile of the fit: 14 days leave 14 - 8 = 6 degrees of freedom', () => {
    // Table values of the 95th t percentile; the normal 1.645 is the limit.
    expect(studentQuantile(1.645, 7)).toBeCloseTo(1.8946, 3);
    expect(studentQuantile(1.645, 14)).toBeCloseTo(1.7613, 3);
    expect(studentQuantile(1.645, 120)).toBeCloseTo(1.6577, 3);
    expect(studentQuantile(1.645, 1)).toBe(studentQuantile(1.645, 5));
    const model = fitSeasonalTrend([...Array<number>(7).fill(90), ...Array<number>(7).fill(110)], DAYS.slice(0, 14).map(weekdayOf));
    expect(model.df).toBe(6);
  });

  it('follows the trend and the weekday shape, by hand arithmetic', () => {
    const days = DAYS.slice(0, 14);
    // Doubling every day, 2^d for d = 0..13: growth is multiplicative, fitted exactly, so day 14 is
    // 2^14 = 16384.00 and days 14..20 sum to 2^14 x (2^7 - 1) = 2080768.00, with no spread at all;
    // the week's growth is 2^7 - 1 = 12700 %.
    const trend: CashFlowDay[] = days.map((day, index) => ({ day, currency: 'EUR', inflow: `${2 ** index}.00`, payable: '0.00' }));
    const [grow] = forecastCashFlow(trend, days[0] ?? '', days[13] ?? '', { weeks: 1, z: '1.645', payDayOfMonth: 16 });
    expect(grow?.days[0]?.inflow).toEqual({ point: '16384.00', low: '16384.00', high: '16384.00' });
    expect(grow?.weeks[0]?.inflow).toEqual({ point: '2080768.00', low: '2080768.00', high: '2080768.00' });
    expect(grow?.inflowTrendPerWeek).toBe('+12700.0 %');
    // A series that crosses zero has no logs: a straight line, -70 + 10d, its change a week 70.00.
    const line: CashFlowDay[] = days.map((day, index) => ({ day, currency: 'EUR', inflow: `${-70 + 10 * index}.00`, payable: '0.00' }));
    const [straight] = forecastCashFlow(line, days[0] ?? '', days[13] ?? '', { weeks: 1, z: '1.645', payDayOfMonth: 16 });
    expect(straight?.days[0]?.inflow.point).toBe('70.00');
    expect(straight?.inflowTrendPerWeek).toBe('+70.00');
    // Two equal weeks shaped 50, 100, 100, 100, 100, 150, 100 from Sunday 1 March: a flat line at
    // 100 and weekday factors 0.5 ... 1.5, so the next week repeats the shape exactly.
    const shape = [50, 100, 100, 100, 100, 150, 100];
    const weekly: CashFlowDay[] = days.map((day, index) => ({ day, currency: 'EUR', inflow: `${shape[index % 7]}.00`, payable: '0.00' }));
    const [flat] = forecastCashFlow(weekly, days[0] ?? '', days[13] ?? '', { weeks: 1, z: '1.645', payDayOfMonth: 16 });
    expect(flat?.days.map((d) => d.inflow.point)).toEqual(['50.00', '100.00', '100.00', '100.00', '100.00', '150.00', '100.00']);
    expect(flat?.weeks[0]?.inflow).toEqual({ point: '700.00', low: '700.00', high: '700.00' });
  });

  it('says a month is too short for a back-test 4 weeks ahead instead of printing a number', () => {
    const month = generateDemoMonth({ small: true, seed: 42 }, () => '');
    const rows = cashFlowDaysFromTransactions(canonicalFromDemo(month.transactions), agreedShareLookup(readAgreements(month.files), '2026-03-31'));
    const result = backtestForecast(rows, '2026-03-01', '2026-03-31');
    expect(result.series).toEqual([]);
    expect(result.tooShort).toBe('the history has 31 days; a back-test 4 weeks ahead needs at least 70 (42 to fit, 28 to compare)');
    const forecast = forecastCashFlow(rows, '2026-03-01', '2026-03-31');
    expect(forecast.map((f) => f.currency)).toEqual(['EUR', 'GBP', 'JPY', 'KRW', 'USD']);
  });

  it('beats seasonal-naive on a labelled 120-day history with trend and weekly seasonality, at 1 and 4 weeks', () => {
    const history = generateLabelledHistory(createPrng(1));
    const result = backtestForecast(history.cash, history.from, history.to);
    expect(result.tooShort).toBeNull();
    for (const week of [1, 4]) {
      let error = 0;
      let naive = 0;
      let inside = 0;
      let days = 0;
      for (const series of result.series) {
        const horizon = series.horizons.find((h) => h.weekAhead === week);
        const actual = series.actualSums[week] ?? 0;
        error += (horizon?.wape ?? 0) * actual;
        naive += (horizon?.seasonalNaiveWape ?? 0) * actual;
        inside += (horizon?.coverage ?? 0) * (horizon?.days ?? 0);
        days += horizon?.days ?? 0;
      }
      expect(error).toBeLessThan(naive);
      expect(inside / days).toBeGreaterThan(0.75);
    }
  });
});
