import { describe, expect, it } from 'vitest';
import { daysIn, daysOffered, MONTHS_AHEAD, MONTHS_BACK, monthsOffered, withDay, withMonth } from './date-field.ts';

describe('the months and days a date field offers', () => {
  it('lists the bounds\' months newest first, and a chosen month outside them', () => {
    const bounds = { min: '2026-01-15', max: '2026-03-20' };
    expect(monthsOffered('2026-02-10', bounds, '2026-12-03')).toEqual(['2026-03', '2026-02', '2026-01']);
    expect(monthsOffered('2025-11-30', bounds, '2026-12-03')).toEqual(['2026-03', '2026-02', '2026-01', '2025-11']);
    expect(monthsOffered('', bounds, '2026-12-03')).toEqual(['2026-03', '2026-02', '2026-01']);
  });

  it('without bounds lists a year ahead of today\'s month and three years back', () => {
    const months = monthsOffered('2026-12-03', {}, '2026-12-03');
    // 2027-12 (12 ahead of 2026-12) down to 2023-12 (36 back): 12 + 1 + 36 = 49 months.
    expect(months).toHaveLength(MONTHS_AHEAD + 1 + MONTHS_BACK);
    expect(months[0]).toBe('2027-12');
    expect(months.at(-1)).toBe('2023-12');
  });

  it('lists a month\'s days inside the bounds, leap days included', () => {
    expect(daysIn('2024-02')).toBe(29);
    expect(daysIn('2026-02')).toBe(28);
    expect(daysIn('2026-12')).toBe(31);
    const bounds = { min: '2026-03-28', max: '2026-04-02' };
    expect(daysOffered('2026-03', '', bounds)).toEqual([28, 29, 30, 31]);
    expect(daysOffered('2026-04', '', bounds)).toEqual([1, 2]);
    // A chosen day outside them stays listed (it came from a link).
    expect(daysOffered('2026-04', '2026-04-05', bounds)).toEqual([1, 2, 5]);
  });

  it('makes the ISO date of a choice, kept inside the month and the bounds', () => {
    expect(withMonth('2026-03-31', '2026-02', 'start', {})).toBe('2026-02-28');
    expect(withMonth('', '2026-02', 'start', {})).toBe('2026-02-01');
    expect(withMonth('', '2026-02', 'end', {})).toBe('2026-02-28');
    expect(withMonth('2026-03-10', '', 'start', {})).toBe('');
    expect(withMonth('2026-04-30', '2026-03', 'start', { min: '2026-03-01', max: '2026-03-20' })).toBe('2026-03-20');
    expect(withMonth('', '2026-03', 'start', { min: '2026-03-05', max: '2026-03-20' })).toBe('2026-03-05');
    expect(withDay('2026-03-10', 7)).toBe('2026-03-07');
  });
});
