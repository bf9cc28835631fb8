import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dayNumber } from './leg.ts';

describe('dayNumber', () => {
  it('counts days since 1970-01-01 like the calendar does', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2026-03-01T23:10:00+01:00')).toBe(dayNumber('2026-03-01'));
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2);
    expect(dayNumber('2100-03-01') - dayNumber('2100-02-28')).toBe(1);
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
        const text = date.toISOString().slice(0, 10);
        expect(dayNumber(text)).toBe(Math.floor(date.getTime() / 86_400_000));
      }),
    );
  });

  it('refuses what is not a calendar date', () => {
    for (const text of ['2026-02-29', '2026-13-01', '2026-04-31', '2026-1-01', '26-01-01xx', '2026/01/01']) expect(dayNumber(text)).toBeNaN();
  });
});
