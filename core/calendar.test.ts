import { describe, expect, it } from 'vitest';
import { daysInMonth, isLeapYear } from './calendar.ts';

describe('calendar', () => {
  it('has leap years every 4 years, except centuries not divisible by 400', () => {
    // 2024 = 4 * 506; 2023 is not; 1900 = 19 * 100 and 1900 / 400 = 4.75; 2000 = 5 * 400.
    expect([2024, 2023, 1900, 2000, 2100, 1600].map(isLeapYear)).toEqual([true, false, false, true, false, true]);
  });

  it('gives each month its days: 30 in April, June, September and November, 28 or 29 in February, 31 in the rest', () => {
    expect(Array.from({ length: 12 }, (_, at) => daysInMonth(2023, at + 1))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect([daysInMonth(2024, 2), daysInMonth(2000, 2), daysInMonth(1900, 2)]).toEqual([29, 29, 28]);
    expect([daysInMonth(2024, 0), daysInMonth(2024, 13), daysInMonth(2024, Number.NaN)]).toEqual([0, 0, 0]);
  });
});
