import { assert } from '../assert.ts';

/**
 * Calendar dates as `YYYY-MM-DD` strings. String order is date order, so comparisons are plain
 * string comparisons; day arithmetic goes through Date.UTC, which is pure (no clock, no zone).
 */
const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (match === null) return false;
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  return new Date(ms).toISOString().slice(0, 10) === text;
}

function toDayNumber(date: string): number {
  assert(isCalendarDate(date), 'a calendar date YYYY-MM-DD', { date });
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

export function addDays(date: string, days: number): string {
  assert(Number.isSafeInteger(days), 'whole days', { days });
  return new Date((toDayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** `YYYY-MM` of a date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The calendar date of a canonical `occurredAt` (date or instant) as the source wrote it. */
export function calendarDateOf(occurredAt: string): string {
  return occurredAt.slice(0, 10);
}

/** The start of the contract year (given as `MM-DD`) that contains `date`. */
export function contractYearStartOf(date: string, monthDay: string): string {
  const sameYear = `${date.slice(0, 4)}-${monthDay}`;
  const start = sameYear <= date ? sameYear : `${String(Number(date.slice(0, 4)) - 1).padStart(4, '0')}-${monthDay}`;
  assert(isCalendarDate(start), 'contract year start is a real date', { start });
  return start;
}
