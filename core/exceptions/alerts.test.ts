import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from './alerts.ts';
import { createException, transition, type NewException } from './model.ts';

const make = (key: string, amount: string | null, severity: NewException['severity'], type: NewException['type'] = 'unmatched', at = '2026-03-01T00:00:00Z') =>
  createException({ type, key: [key], severity, title: key, amountAtRisk: amount === null ? null : { amount, currency: 'EUR' }, partnerId: null, period: null, sourceRefs: [] }, at);

describe('evaluateAlerts', () => {
  const records = [make('a', '600.10', 'medium'), make('b', '399.90', 'high'), make('c', null, 'low', 'anomaly', '2026-01-01T00:00:00Z')];

  it('alerts on count over a threshold per type or overall', () => {
    expect(evaluateAlerts(records, { countMax: { unmatched: 2 } }, '2026-03-02T00:00:00Z')).toEqual([]);
    const alerts = evaluateAlerts(records, { countMax: { unmatched: 1, '*': 2 } }, '2026-03-02T00:00:00Z');
    expect(alerts.map((alert) => `${alert.kind}:${alert.scope}:${alert.value}>${alert.threshold}`)).toEqual(['count:*:3>2', 'count:unmatched:2>1']);
  });

  it('sums the amount at risk exactly and alerts only above the threshold', () => {
    expect(evaluateAlerts(records, { amountAtRiskMax: { EUR: '1000' } }, '2026-03-02T00:00:00Z')).toEqual([]);
    const alerts = evaluateAlerts(records, { amountAtRiskMax: { EUR: '999.99' } }, '2026-03-02T00:00:00Z');
    expect(alerts).toEqual([{ kind: 'amount', scope: 'EUR', value: '1000.00', threshold: '999.99', exceptionIds: [records[0]?.id, records[1]?.id].sort() }]);
  });

  it('alerts on age from the passed now, ignoring closed ones and those below severityMin', () => {
    const closed = transition(make('d', '1.00', 'critical', 'unmatched', '2025-01-01T00:00:00Z'), { to: 'resolved', by: 'x', at: '2025-01-02T00:00:00Z', reason: 'ok' });
    const alerts = evaluateAlerts([...records, closed], { ageDaysMax: 30 }, '2026-03-02T00:00:00Z');
    expect(alerts.map((alert) => `${alert.scope}:${alert.value}`)).toEqual([`${records[2]?.id}:60`]);
    expect(evaluateAlerts(records, { ageDaysMax: 30, severityMin: 'medium' }, '2026-03-02T00:00:00Z')).toEqual([]);
  });
});
