/**
 * The months and days a date field offers, and the ISO date each choice makes. The field is a
 * month list and a day list named in the app's language (DateField.tsx): a native date or month
 * input is drawn by Chromium in its own process language whatever the page's.
 */

const monthIndex = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number): string => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
const isMonth = (month: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(month);

/** The month `by` months after `month` ("2026-12" + 1 = "2027-01"). */
export function monthShift(month: string, by: number): string {
  return monthOf(monthIndex(month) + by);
}

/** Every month from `newest` back to `oldest`, newest first, and each of `keep` however far outside (blank ones skipped). */
export function monthList(newest: string, oldest: string, keep: readonly string[]): string[] {
  const months = Array.from({ length: Math.max(monthIndex(newest) - monthIndex(oldest) + 1, 0) }, (_, back) => monthOf(monthIndex(newest) - back));
  for (const extra of keep) if (isMonth(extra) && !months.includes(extra)) months.push(extra);
  return months.sort().reverse();
}

/** Days in a month, leap years included ("2024-02" has 29). */
export function daysIn(month: string): number {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
}

/** How far a date may go: the data's first and last day (both ISO dates), or unbounded. */
export interface DateBounds {
  readonly min?: string | undefined;
  readonly max?: string | undefined;
}

/** Months listed when the field has no bounds: three years back from today's, one year ahead. */
export const MONTHS_BACK = 36;
export const MONTHS_AHEAD = 12;

/** The months a date field lists, newest first: its bounds' months (else around `today`), and the chosen one's. */
export function monthsOffered(value: string, bounds: DateBounds, today: string): string[] {
  const { min, max } = bounds;
  const keep = [value.slice(0, 7)];
  if (min !== undefined && max !== undefined && min <= max) return monthList(max.slice(0, 7), min.slice(0, 7), keep);
  const now = today.slice(0, 7);
  return monthList(monthShift(now, MONTHS_AHEAD), monthShift(now, -MONTHS_BACK), keep);
}

/** The days of `month` within the bounds, and the chosen one's. */
export function daysOffered(month: string, value: string, bounds: DateBounds): number[] {
  const first = bounds.min !== undefined && bounds.min.slice(0, 7) === month ? Number(bounds.min.slice(8, 10)) : 1;
  const last = bounds.max !== undefined && bounds.max.slice(0, 7) === month ? Number(bounds.max.slice(8, 10)) : daysIn(month);
  const days = Array.from({ length: Math.max(last - first + 1, 0) }, (_, at) => first + at);
  const chosen = value.slice(0, 7) === month ? Number(value.slice(8, 10)) : NaN;
  if (Number.isInteger(chosen) && !days.includes(chosen)) days.push(chosen);
  return days.sort((a, b) => a - b);
}

const isoOf = (month: string, day: number): string => `${month}-${String(day).padStart(2, '0')}`;

/**
 * The date after choosing `month`: the same day, kept inside the month and the bounds; from no
 * date, a period's first day (edge 'start') or last ('end'). No month: no date ('').
 */
export function withMonth(value: string, month: string, edge: 'start' | 'end', bounds: DateBounds): string {
  if (month === '') return '';
  const wanted = value === '' ? (edge === 'start' ? 1 : daysIn(month)) : Number(value.slice(8, 10));
  const date = isoOf(month, Math.min(wanted, daysIn(month)));
  if (bounds.min !== undefined && date < bounds.min) return bounds.min;
  if (bounds.max !== undefined && date > bounds.max) return bounds.max;
  return date;
}

/** The date after choosing day `day` of the chosen month. */
export function withDay(value: string, day: number): string {
  return isoOf(value.slice(0, 7), day);
}
