import { describe, expect, it } from 'vitest';
import { addComment, ageOf, assign, createException, exceptionId, transition, type NewException } from './model.ts';

const input: NewException = {
  type: 'unmatched',
  key: ['bank', 'tx_1'],
  severity: 'medium',
  title: 'bank movement not explained',
  amountAtRisk: { amount: '120.50', currency: 'EUR' },
  partnerId: 'studio-9',
  period: '2026-03',
  sourceRefs: [{ kind: 'transaction', id: 'tx_1', line: null }],
};
const T0 = '2026-03-01T09:00:00Z';

describe('exception model', () => {
  it('has a deterministic id from type and key', () => {
    const a = createException(input, T0);
    const b = createException(input, '2026-04-01T00:00:00+02:00');
    expect(a.id).toBe(b.id);
    expect(a.id).toBe(exceptionId('unmatched', ['bank', 'tx_1']));
    expect(exceptionId('amount_mismatch', ['bank', 'tx_1'])).not.toBe(a.id);
    expect(a).toMatchObject({ status: 'open', assignee: null, createdAt: T0, updatedAt: T0, history: [] });
  });

  it('refuses a negative or float-formatted amount at risk', () => {
    expect(() => createException({ ...input, amountAtRisk: { amount: '-1.00', currency: 'EUR' } }, T0)).toThrow(/not negative/);
    expect(() => createException({ ...input, amountAtRisk: { amount: '1e3', currency: 'EUR' } }, T0)).toThrow(/decimal string/);
  });

  it('walks open -> investigating -> resolved with a reason, recording each step', () => {
    let record = createException(input, T0);
    record = assign(record, 'ana', '2026-03-01T10:00:00Z');
    record = transition(record, { to: 'investigating', by: 'ana', at: '2026-03-01T10:05:00Z' });
    record = addComment(record, { at: '2026-03-02T08:00:00Z', author: 'ana', text: 'asked the bank' });
    record = transition(record, { to: 'resolved', by: 'ana', at: '2026-03-03T12:00:00Z', reason: 'booked as bank charge' });
    expect(record.status).toBe('resolved');
    expect(record.history.map((step) => `${step.from}>${step.to}:${step.reason ?? ''}`)).toEqual(['open>investigating:', 'investigating>resolved:booked as bank charge']);
    expect(record.updatedAt).toBe('2026-03-03T12:00:00Z');
    expect(record.comments).toHaveLength(1);
  });

  it('requires a reason to resolve, waive or reopen', () => {
    const record = createException(input, T0);
    expect(() => transition(record, { to: 'waived', by: 'ana', at: T0 })).toThrow(expect.objectContaining({ code: 'exception_reason_required' }));
    expect(() => transition(record, { to: 'resolved', by: 'ana', at: T0, reason: '   ' })).toThrow(expect.objectContaining({ code: 'exception_reason_required' }));
    const waived = transition(record, { to: 'waived', by: 'ana', at: T0, reason: 'below materiality' });
    expect(() => transition(waived, { to: 'open', by: 'ana', at: T0 })).toThrow(expect.objectContaining({ code: 'exception_reason_required' }));
    expect(transition(waived, { to: 'open', by: 'ana', at: T0, reason: 'partner disputes it' }).status).toBe('open');
  });

  it('refuses illegal transitions with a typed error', () => {
    const record = createException(input, T0);
    const resolved = transition(record, { to: 'resolved', by: 'ana', at: T0, reason: 'matched by hand' });
    expect(() => transition(resolved, { to: 'investigating', by: 'ana', at: T0 })).toThrow(expect.objectContaining({ code: 'exception_transition_illegal' }));
    expect(() => transition(record, { to: 'open', by: 'ana', at: T0 })).toThrow(expect.objectContaining({ code: 'exception_transition_illegal' }));
    expect(() => transition(record, { to: 'investigating', by: 'ana', at: 'yesterday' })).toThrow(expect.objectContaining({ code: 'exception_time_invalid' }));
  });

  it('computes age from a passed now, and stops the clock when closed', () => {
    const record = createException(input, T0);
    expect(ageOf(record, '2026-03-11T08:59:59Z').days).toBe(9);
    expect(ageOf(record, '2026-03-11T09:00:00Z').days).toBe(10);
    const closed = transition(record, { to: 'resolved', by: 'ana', at: '2026-03-04T09:00:00Z', reason: 'done' });
    expect(ageOf(closed, '2026-12-31T00:00:00Z').days).toBe(3);
  });
});
