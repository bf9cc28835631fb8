import { assert } from '../assert.ts';
import { daysBetween } from '../settlement/dates.ts';
import type { Anomaly, InsightAnomalyKind } from './types.ts';

/**
 * Precision and recall of detected anomalies against a list of known (injected) ones. A
 * detection matches a known anomaly of the same kind, partner and product (a partner-level
 * known anomaly has product null) when its day is within `toleranceDays` of the known day, or,
 * for a period anomaly, inside the period. Two detections of one known anomaly both count as
 * correct, but the known anomaly is found once. With `matchKind` false (the labelled bench's rule:
 * same partner, same product or any product of a partner-level label, days overlapping +/- the
 * tolerance) the kind found need not be the kind labelled.
 */
export interface KnownAnomaly {
  readonly kind: InsightAnomalyKind;
  readonly partnerId: string;
  readonly productId: string | null;
  readonly day: string;
  readonly periodEnd: string | null;
}

export interface Evaluation<T = Anomaly> {
  readonly detected: number;
  readonly known: number;
  readonly truePositives: number;
  readonly precision: number;
  readonly recall: number;
  readonly falsePositives: readonly T[];
  readonly missed: readonly KnownAnomaly[];
  readonly byKind: Readonly<Record<string, { readonly known: number; readonly found: number; readonly detected: number; readonly correct: number }>>;
}

type Detection = Pick<Anomaly, 'kind' | 'partnerId' | 'productId' | 'day' | 'periodEnd'>;

function matches(found: Detection, known: KnownAnomaly, toleranceDays: number, matchKind: boolean): boolean {
  if ((matchKind && found.kind !== known.kind) || found.partnerId !== known.partnerId) return false;
  if (known.productId !== null && found.productId !== known.productId) return false;
  const end = known.periodEnd ?? known.day;
  const foundEnd = found.periodEnd ?? found.day;
  return daysBetween(known.day, foundEnd) >= -toleranceDays && daysBetween(found.day, end) >= -toleranceDays;
}

export function evaluateDetections<T extends Detection = Anomaly>(detected: readonly T[], known: readonly KnownAnomaly[], toleranceDays = 1, matchKind = true): Evaluation<T> {
  assert(Number.isSafeInteger(toleranceDays) && toleranceDays >= 0, 'a whole, non-negative tolerance', { toleranceDays });
  const found = new Set<number>();
  const falsePositives: T[] = [];
  const byKind: Record<string, { known: number; found: number; detected: number; correct: number }> = {};
  const tally = (kind: string) => (byKind[kind] ??= { known: 0, found: 0, detected: 0, correct: 0 });
  for (const k of known) tally(k.kind).known++;
  let correct = 0;
  for (const anomaly of detected) {
    tally(anomaly.kind).detected++;
    const hits = known.map((k, index) => (matches(anomaly, k, toleranceDays, matchKind) ? index : -1)).filter((index) => index >= 0);
    if (hits.length === 0) {
      falsePositives.push(anomaly);
      continue;
    }
    correct++;
    tally(anomaly.kind).correct++;
    for (const index of hits) found.add(index);
  }
  for (const index of found) tally(known[index]?.kind ?? '').found++;
  const missed = known.filter((_, index) => !found.has(index));
  return {
    detected: detected.length,
    known: known.length,
    truePositives: found.size,
    precision: detected.length === 0 ? 1 : correct / detected.length,
    recall: known.length === 0 ? 1 : found.size / known.length,
    falsePositives,
    missed,
    byKind,
  };
}
