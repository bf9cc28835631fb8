import { describe, expect, it } from 'vitest';
import { PERIOD_MONTHS_LISTED, periodOptions } from './period-options.ts';

describe('the months Settlements offers to run', () => {
  it('lists from the month after today back three years, newest first', () => {
    const months = periodOptions('2026-03', '2026-03', '2026-12-03');
    expect(months).toHaveLength(PERIOD_MONTHS_LISTED);
    // 2027-01 (the month after December 2026) back 36 months: 2024-02.
    expect(months.slice(0, 3)).toEqual(['2027-01', '2026-12', '2026-11']);
    expect(months.at(-1)).toBe('2024-02');
    expect(months).toContain('2026-03');
  });

  it('keeps the chosen month and the data\'s month however old', () => {
    const months = periodOptions('2019-06', '2020-01', '2026-12-03');
    expect(months).toHaveLength(PERIOD_MONTHS_LISTED + 2);
    expect(months.slice(-2)).toEqual(['2020-01', '2019-06']);
  });
});
