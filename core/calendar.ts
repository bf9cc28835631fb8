/**
 * The proleptic Gregorian calendar's month lengths, shared by every reader of dates (importers,
 * the matcher, settlement): one rule for leap years instead of one per format.
 */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1-12) of `year`; 0 for any other month (NaN included), so no day fits it. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  if (!(month >= 1 && month <= 12)) return 0;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
