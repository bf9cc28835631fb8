import { fromMinorUnits } from '../../money/minor.ts';
import { daysOfMonth, isBusinessDay } from '../calendar.ts';
import type { Prng } from '../prng.ts';

/**
 * ECB-style reference rates (units per 1 EUR) for the month's TARGET days and the last
 * LEAD_DAYS business days before it (a month starting on a weekend needs Friday's rate), newest first, with
 * the trailing comma of ECB's own CSV. Each rate is an integer random walk at ECB's published
 * precision, so no float ever becomes a rate. One rate is injected as "N/A".
 */
const SERIES = [
  { currency: 'USD', start: 10850, places: 4 },
  { currency: 'JPY', start: 16250, places: 2 },
  { currency: 'GBP', start: 84150, places: 5 },
  { currency: 'KRW', start: 145020, places: 2 },
  { currency: 'CHF', start: 9550, places: 4 },
  { currency: 'SEK', start: 112300, places: 4 },
] as const;

const LEAD_DAYS = 5;

function previousMonth(month: string): string {
  const [year = 0, number = 1] = month.split('-').map(Number);
  return number === 1 ? `${year - 1}-12` : `${year}-${String(number - 1).padStart(2, '0')}`;
}

/** Daily volatility as parts per ten thousand of the rate (0.3 %). */
const STEP_PER_TEN_THOUSAND = 30;

export interface InjectedMissingRate {
  readonly date: string;
  readonly currency: string;
}

export function ecbRatesCsv(prng: Prng, month: string, missingCount: number): { text: string; missing: InjectedMissingRate[] } {
  const lead = daysOfMonth(previousMonth(month)).filter(isBusinessDay).slice(-LEAD_DAYS);
  const dates = [...lead, ...daysOfMonth(month).filter(isBusinessDay)];
  const levels: number[] = SERIES.map((s) => s.start);
  const rows = dates.map((date) => {
    const cells = SERIES.map((s, index) => {
      const level = levels[index] ?? s.start;
      const step = Math.round((level * STEP_PER_TEN_THOUSAND * prng.normal()) / 10_000);
      levels[index] = level + step;
      return fromMinorUnits(level + step, s.places);
    });
    return { date, cells };
  });
  const missing: InjectedMissingRate[] = [];
  for (let index = 0; index < missingCount; index++) {
    const row = rows[prng.int(lead.length + 1, rows.length - 2)];
    // Only the currencies customers pay in (USD, JPY, GBP, KRW), so the gap matters to settlement.
    const column = prng.int(0, 3);
    if (row === undefined || row.cells[column] === 'N/A') continue;
    row.cells[column] = 'N/A';
    missing.push({ date: row.date, currency: SERIES[column]?.currency ?? '' });
  }
  const lines = [`Date,${SERIES.map((s) => s.currency).join(',')},`, ...[...rows].reverse().map((r) => `${r.date},${r.cells.join(',')},`)];
  return { text: `${lines.join('\n')}\n`, missing };
}
