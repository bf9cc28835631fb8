import { assert } from '../assert.ts';
import { addDays } from '../settlement/dates.ts';

/** The calendar of the demo month: its days, weekdays and bank business days (Mon-Fri). */
export function daysOfMonth(month: string): string[] {
  assert(/^\d{4}-(0[1-9]|1[0-2])$/.test(month), 'a month YYYY-MM', { month });
  const days: string[] = [];
  for (let day = `${month}-01`; day.startsWith(month); day = addDays(day, 1)) days.push(day);
  assert(days.length >= 28 && days.length <= 31, 'a month has 28 to 31 days', { month });
  return days;
}

/** 0 = Sunday ... 6 = Saturday, as Date.getUTCDay. */
export function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

export function isBusinessDay(day: string): boolean {
  const weekday = weekdayOf(day);
  return weekday !== 0 && weekday !== 6;
}

/** The first business day strictly after `day`. */
export function nextBusinessDay(day: string): string {
  let next = addDays(day, 1);
  while (!isBusinessDay(next)) next = addDays(next, 1);
  return next;
}

export { addDays };
