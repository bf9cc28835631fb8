import { assert } from '../assert.ts';
import { weekdayOf } from './baseline.ts';
import { MAD_TO_SD, mad, median } from './stats.ts';
import type { DailyActivity, InsightAnomalyKind } from './types.ts';

/**
 * The plain baseline the detector is measured against: per series and weekday, the median and
 * MAD of that weekday's counts over the whole history (later days included), and a day flagged
 * when it is more than `zMin` robust sd (1.4826 x MAD, at least `spreadMin` counts) from its
 * weekday's median. Sales give spikes and drops, refunds and chargebacks their own kinds. No
 * trend, no count distribution, no silence: what a spreadsheet rule does.
 */
export interface MadFinding {
  readonly kind: InsightAnomalyKind;
  readonly partnerId: string;
  readonly productId: string;
  readonly day: string;
  readonly periodEnd: null;
  readonly robustZ: number;
}

export interface MadOptions {
  readonly zMin: number;
  readonly spreadMin: number;
}

export const DEFAULT_MAD_OPTIONS: MadOptions = { zMin: 3.5, spreadMin: 1 };

export function detectWeekdayMad(activity: readonly DailyActivity[], days: readonly string[], options: MadOptions = DEFAULT_MAD_OPTIONS): MadFinding[] {
  assert(options.zMin > 0 && options.spreadMin > 0, 'a positive threshold and spread floor');
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const series = new Map<string, { partnerId: string; productId: string; sales: number[]; refunds: number[]; chargebacks: number[] }>();
  for (const row of activity) {
    const index = dayIndex.get(row.day);
    if (index === undefined) continue;
    const key = `${row.partnerId}\u001f${row.productId}`;
    let s = series.get(key);
    if (s === undefined) {
      const zeros = () => Array<number>(days.length).fill(0);
      s = { partnerId: row.partnerId, productId: row.productId, sales: zeros(), refunds: zeros(), chargebacks: zeros() };
      series.set(key, s);
    }
    s.sales[index] = (s.sales[index] ?? 0) + row.sales;
    s.refunds[index] = (s.refunds[index] ?? 0) + row.refunds;
    s.chargebacks[index] = (s.chargebacks[index] ?? 0) + row.chargebacks;
  }
  const weekdays = days.map(weekdayOf);
  const found: MadFinding[] = [];
  for (const s of [...series.values()].sort((a, b) => (a.productId < b.productId ? -1 : 1))) {
    for (const [measure, up, down] of [
      ['sales', 'volume_spike', 'volume_drop'],
      ['refunds', 'refund_ratio_jump', null],
      ['chargebacks', 'chargeback_burst', null],
    ] as const) {
      const values = s[measure];
      for (let weekday = 0; weekday < 7; weekday++) {
        const indexes = weekdays.flatMap((w, index) => (w === weekday ? [index] : []));
        if (indexes.length < 3) continue;
        const sample = indexes.map((index) => values[index] ?? 0);
        const center = median(sample);
        const spread = Math.max(options.spreadMin, MAD_TO_SD * mad(sample));
        for (const index of indexes) {
          const z = ((values[index] ?? 0) - center) / spread;
          const kind = z >= options.zMin ? up : z <= -options.zMin ? down : null;
          if (kind !== null) found.push({ kind, partnerId: s.partnerId, productId: s.productId, day: days[index] ?? '', periodEnd: null, robustZ: Math.round(z * 100) / 100 });
        }
      }
    }
  }
  return found;
}
