import type { ReportDelivery, ReportPeriodDue } from './types.ts';

/** Weekly March reports due 3 days after each week: P1 sent the first on time (9th), the second 3 days late (20th for the 17th), the third not at all. */
export const MARCH_REPORT_SCHEDULE: readonly ReportPeriodDue[] = [
  { start: '2026-03-01', end: '2026-03-07', due: '2026-03-10' },
  { start: '2026-03-08', end: '2026-03-14', due: '2026-03-17' },
  { start: '2026-03-15', end: '2026-03-21', due: '2026-03-24' },
];

export const P1_MARCH_DELIVERIES: readonly ReportDelivery[] = [
  { partnerId: 'P1', periodStart: '2026-03-01', periodEnd: '2026-03-07', deliveredAt: '2026-03-09T10:00:00Z' },
  { partnerId: 'P1', periodStart: '2026-03-08', periodEnd: '2026-03-14', deliveredAt: '2026-03-20T10:00:00Z' },
];
