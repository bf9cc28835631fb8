import { describe, expect, it } from 'vitest';
import type { ApprovalEventDoc, SettlementRunDoc, StatementDoc } from '../../../../core/sync/documents.ts';
import { settlementsByStatus } from './settlement-status.ts';

const run = (id: string, period: string, revision: number) => ({ id, period, revision }) as SettlementRunDoc;
const statement = (id: string, runId: string, currency: string, payable: string, blocked = false) => ({ id, runId, currency, payable, blocked }) as StatementDoc;
const event = (statementId: string, action: ApprovalEventDoc['action'], at: string) => ({ id: `${statementId}.${action}`, statementId, action, at }) as ApprovalEventDoc;

describe('settlementsByStatus', () => {
  it('counts the latest run of each period by status, with payable summed exactly per currency', () => {
    const runs = [run('feb.r1', '2026-02', 1), run('feb.r2', '2026-02', 2), run('mar.r1', '2026-03', 1)];
    const statements = [
      statement('old', 'feb.r1', 'EUR', '999.99'), // superseded by feb.r2: not counted
      statement('a', 'feb.r2', 'EUR', '100.10'),
      statement('b', 'feb.r2', 'EUR', '50.05'),
      statement('c', 'feb.r2', 'USD', '10.00', true),
      statement('d', 'feb.r2', 'EUR', '1.00'),
      statement('e', 'mar.r1', 'EUR', '0.20'),
      statement('f', 'mar.r1', 'EUR', '7.00'),
      statement('g', 'mar.r1', 'JPY', '1200'),
    ];
    const approvals = new Map([
      ['a', [event('a', 'submitted', '2026-03-02T00:00:00Z'), event('a', 'approved', '2026-03-03T00:00:00Z')]],
      ['d', [event('d', 'submitted', '2026-03-02T00:00:00Z'), event('d', 'withdrawn', '2026-03-04T00:00:00Z')]],
      ['e', [event('e', 'submitted', '2026-04-02T00:00:00Z')]],
      ['f', [event('f', 'submitted', '2026-04-02T00:00:00Z'), event('f', 'rejected', '2026-04-03T00:00:00Z')]],
    ]);
    const result = settlementsByStatus(runs, statements, approvals);
    expect(result.periods).toEqual(['2026-03', '2026-02']);
    // draft: b 50.05 EUR + d (withdrawn) 1.00 EUR = 51.05 EUR, and g 1200 JPY; blocked: c 10.00 USD.
    expect(result.rows.map((row) => [row.status, row.count, row.payable.map((m) => `${m.amount} ${m.currency}`)])).toEqual([
      ['draft', 3, ['51.05 EUR', '1200 JPY']],
      ['submitted', 1, ['0.20 EUR']],
      ['approved', 1, ['100.10 EUR']],
      ['rejected', 1, ['7.00 EUR']],
      ['blocked', 1, ['10.00 USD']],
    ]);
  });

  it('gives every status with zero when nothing was run', () => {
    expect(settlementsByStatus([], [], new Map()).rows.map((row) => [row.status, row.count])).toEqual([
      ['draft', 0],
      ['submitted', 0],
      ['approved', 0],
      ['rejected', 0],
      ['blocked', 0],
    ]);
  });
});
