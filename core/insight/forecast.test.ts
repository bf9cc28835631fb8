import { describe, expect, it } from 'vitest';
import { canonicalFromDemo, readAgreements } from '../demo/insight-inputs.ts';
import { agreedShareLookup } from './agreed-share.ts';
import { generateDemoMonth } from '../demo/generate.ts';
import { addDays } from '../settlement/dates.ts';
import { backtestForecast, cashFlowDaysFromTransactions, forecastCashFlow, studentQuantile, type CashFlowDay } from './forecast.ts';

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

  it('widens the band by the Student-t quantile of the history: sd is estimated from n - 7 degrees of freedom', () => {
    // Table values of the 95th t percentile; the normal 1.645 is the limit.
    expect(studentQuantile(1.645, 7)).toBeCloseTo(1.8946, 3);
    expect(studentQuantile(1.645, 14)).toBeCloseTo(1.7613, 3);
    expect(studentQuantile(1.645, 120)).toBeCloseTo(1.6577, 3);
    expect(studentQuantile(1.645, 1)).toBe(studentQuantile(1.645, 5));
    // 14 days alternating 90 and 110 in pairs around each weekday mean: sd = sqrt(14 x 100 / 7), df = 7.
    const days = DAYS.slice(0, 14);
    const rows: CashFlowDay[] = days.map((day, index) => ({ day, currency: 'EUR', inflow: index < 7 ? '90.00' : '110.00', payable: '0.00' }));
    const [eur] = forecastCashFlow(rows, days[0] ?? '', days[13] ?? '', { weeks: 1, z: '1.645', payDayOfMonth: 16 });
    const sd = Math.sqrt(200 * (7 + 49 / 14));
    expect(Number(eur?.weeks[0]?.inflow.high) - Number(eur?.weeks[0]?.inflow.point)).toBeCloseTo(studentQuantile(1.645, 7) * sd, 1);
  });

  it('back-tests on the small demo month: weekly errors per fold, and a bounded mean error', () => {
    const month = generateDemoMonth({ small: true, seed: 42 }, () => '');
    const rows = cashFlowDaysFromTransactions(canonicalFromDemo(month.transactions), agreedShareLookup(readAgreements(month.files), '2026-03-31'));
    const result = backtestForecast(rows, '2026-03-01', '2026-03-31');
    // Five currencies x two folds (train 14 -> test days 15-21, train 21 -> test days 22-28) x two measures.
    expect(result.folds).toHaveLength(20);
    console.log(`small month back-test: MAPE inflow ${(result.mape.inflow * 100).toFixed(1)} %, payables ${(result.mape.payable * 100).toFixed(1)} %; 90 % interval coverage ${result.coverage.inflow}, ${result.coverage.payable}`);
    expect(result.mape.inflow).toBeLessThan(0.3);
    expect(result.mape.payable).toBeLessThan(0.3);
    // A 90 % band holds the actual week in 85-97 % of folds (one fold of ten is 0.10 of coverage).
    expect(result.coverage.inflow).toBeGreaterThanOrEqual(0.85);
    expect(result.coverage.inflow).toBeLessThanOrEqual(0.97);
    expect(result.coverage.payable).toBeGreaterThanOrEqual(0.85);
    expect(result.coverage.payable).toBeLessThanOrEqual(0.97);
    const forecast = forecastCashFlow(rows, '2026-03-01', '2026-03-31');
    expect(forecast.map((f) => f.currency)).toEqual(['EUR', 'GBP', 'JPY', 'KRW', 'USD']);
  });
});
