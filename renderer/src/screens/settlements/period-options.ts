import { monthList, monthShift } from '../../app/date-field.ts';

/** How many months the Settlements period list offers back from the newest (three years of monthly runs). */
export const PERIOD_MONTHS_LISTED = 36;

/**
 * The months a run can be made for, newest first: from the month after `today`'s (a run may
 * settle ahead) back PERIOD_MONTHS_LISTED months, and always `chosen` and `data` (the desk's
 * first partner month), however old.
 */
export function periodOptions(chosen: string, data: string, today: string): string[] {
  const newest = monthShift(today.slice(0, 7), 1);
  return monthList(newest, monthShift(newest, 1 - PERIOD_MONTHS_LISTED), [chosen, data]);
}
