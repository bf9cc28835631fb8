import { createException, type ExceptionRecord, type NewException, type Severity } from '../exceptions/model.ts';
import { severityOf } from './severity.ts';
import type { Anomaly } from './types.ts';

/**
 * Turns anomalies into 'anomaly' exceptions (core/exceptions). The key is the anomaly's
 * deterministic id, so running detection again raises nothing new. Severity follows the score
 * (severity.ts), whose scale differs by kind (a tail probability, a rate deviation, days late).
 */
export function severityOfAnomaly(anomaly: Anomaly): Severity {
  return severityOf(anomaly.kind, anomaly.score);
}

/** The amount at risk of a share drift when the run is in one currency: the absolute difference claimed. */
function amountAtRisk(anomaly: Anomaly): NewException['amountAtRisk'] {
  const differences = Object.entries(anomaly.evidence).filter(([key]) => key.startsWith('difference.'));
  if (differences.length !== 1) return null;
  const [key, value] = differences[0] as [string, unknown];
  if (typeof value !== 'string') return null;
  return { amount: value.startsWith('-') ? value.slice(1) : value, currency: key.slice('difference.'.length) };
}

export function anomalyToNewException(anomaly: Anomaly): NewException {
  const details: Record<string, string> = { anomalyId: anomaly.id, kind: anomaly.kind, day: anomaly.day, score: String(anomaly.score) };
  if (anomaly.productId !== null) details.productId = anomaly.productId;
  if (anomaly.periodEnd !== null) details.periodEnd = anomaly.periodEnd;
  for (const [key, value] of Object.entries(anomaly.evidence)) details[`evidence.${key}`] = value === null ? '' : String(value);
  return {
    type: 'anomaly',
    key: [anomaly.id],
    severity: severityOfAnomaly(anomaly),
    title: `${anomaly.kind.replace(/_/g, ' ')}: ${anomaly.partnerId}${anomaly.productId === null ? '' : ` ${anomaly.productId}`} on ${anomaly.day}: ${anomaly.summary}`,
    amountAtRisk: amountAtRisk(anomaly),
    partnerId: anomaly.partnerId,
    period: anomaly.day.slice(0, 7),
    sourceRefs: [{ kind: 'partner', id: anomaly.partnerId, line: null }],
    details,
  };
}

/** `at` is the ISO instant the exceptions are raised (core has no clock). */
export function anomaliesToExceptions(anomalies: readonly Anomaly[], at: string): ExceptionRecord[] {
  return anomalies.map((anomaly) => createException(anomalyToNewException(anomaly), at));
}
