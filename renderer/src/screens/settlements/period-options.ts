/** How many months the Settlements period list offers back from the newest (three years of monthly runs). */
export const PERIOD_MONTHS_LISTED = 36;

const monthIndex = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number): string => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

/**
 * The months a run can be made for, newest first: from the month after `today`'s (a run may
 * settle ahead) back PERIOD_MONTHS_LISTED months, and always `chosen` and `data` (the desk's
 * first partner month), however old.
 */
export function periodOptions(chosen: string, data: string, today: string): string[] {
  const newest = Math.max(monthIndex(today.slice(0, 7)) + 1, monthIndex(chosen), monthIndex(data));
  const months = Array.from({ length: PERIOD_MONTHS_LISTED }, (_, back) => monthOf(newest - back));
  for (const extra of [chosen, data]) if (!months.includes(extra)) months.push(extra);
  return months.sort().reverse();
}
