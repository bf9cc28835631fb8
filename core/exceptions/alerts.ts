import { z } from 'zod';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { canonicalDecimal } from '../money/money.ts';
import { ageOf, EXCEPTION_TYPES, isClosed, Severity, SEVERITIES, type ExceptionRecord } from './model.ts';

/**
 * Alerts over the open exceptions (open or investigating), from configurable thresholds:
 * - count: more than `countMax` open exceptions of a type (or of all types, key '*');
 * - amount: total amount at risk in a currency above `amountAtRiskMax[currency]` (exact decimals);
 * - age: any open exception older than `ageDaysMax` days at `now`.
 * Only exceptions at or above `severityMin` count. An alert is "over": a value equal to the
 * threshold does not alert.
 */
export const AlertRules = z.object({
  severityMin: Severity.default('low'),
  countMax: z.partialRecord(z.enum([...EXCEPTION_TYPES, '*']), z.number().int().min(0)).default({}),
  amountAtRiskMax: z.record(z.string(), z.string().regex(/^(0|[1-9]\d*)(\.\d+)?$/)).default({}),
  ageDaysMax: z.number().int().min(0).nullable().default(null),
});
export type AlertRules = z.infer<typeof AlertRules>;
export type AlertRulesInput = z.input<typeof AlertRules>;

export interface Alert {
  readonly kind: 'count' | 'amount' | 'age';
  /** The type ('*' for all), the currency, or the exception id, depending on kind. */
  readonly scope: string;
  readonly value: string;
  readonly threshold: string;
  readonly exceptionIds: string[];
}

export function evaluateAlerts(exceptions: readonly ExceptionRecord[], rulesInput: AlertRulesInput, now: string): Alert[] {
  const rules = AlertRules.parse(rulesInput);
  const minimum = SEVERITIES.indexOf(rules.severityMin);
  const open = exceptions.filter((record) => !isClosed(record.status) && SEVERITIES.indexOf(record.severity) >= minimum).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const alerts: Alert[] = [];
  for (const [scope, max] of Object.entries(rules.countMax).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const matching = open.filter((record) => scope === '*' || record.type === scope);
    if (max !== undefined && matching.length > max) alerts.push({ kind: 'count', scope, value: String(matching.length), threshold: String(max), exceptionIds: matching.map((record) => record.id) });
  }
  for (const [currency, max] of Object.entries(rules.amountAtRiskMax).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const matching = open.filter((record) => record.amountAtRisk?.currency === currency);
    const total = matching.reduce((sum, record) => sum.plus(record.amountAtRisk?.amount ?? '0'), new Decimal(0));
    if (total.gt(max)) alerts.push({ kind: 'amount', scope: currency, value: canonicalDecimal(total, minorUnitsOf(currency)), threshold: max, exceptionIds: matching.map((record) => record.id) });
  }
  if (rules.ageDaysMax !== null) {
    for (const record of open) {
      const { days } = ageOf(record, now);
      if (days > rules.ageDaysMax) alerts.push({ kind: 'age', scope: record.id, value: String(days), threshold: String(rules.ageDaysMax), exceptionIds: [record.id] });
    }
  }
  return alerts;
}
