import { describe, expect, it } from 'vitest';
import { createException } from '../../../../core/exceptions/model.ts';
import type { RunResult } from '../../../../core/settlement/index.ts';
import { agreementOf, row } from '../../../../core/settlement/testkit.ts';
import { packBatch } from '../../../../core/sync/batch.ts';
import type { ApprovalEventDoc, ExceptionDoc } from '../../../../core/sync/documents.ts';
import { periodOf, settle } from '../../../engine/settle.ts';
import { diffAgainst, statementDocumentJson, statementOf, statusOf } from './run-period.ts';
import { lineExplanation, lineRowsOf, transactionsBehind } from './statement-lines.ts';

const JANUARY_ROWS = [
  row('sale', '100.00', { date: '2026-01-10T10:00:00Z' }),
  row('sale', '200.00', { date: '2026-01-12T10:00:00Z' }),
  row('refund', '-50.00', { date: '2026-01-15T10:00:00Z' }),
  row('sale', '999.00', { date: '2026-02-02T10:00:00Z' }),
  row('sale', '40.00', { date: '2026-01-20T10:00:00Z', partnerId: 'other' }),
];

function critical(partnerId: string): ExceptionDoc {
  const record = createException({ type: 'anomaly', key: ['k'], severity: 'critical', title: 'share drift', amountAtRisk: null, partnerId, period: '2026-01', sourceRefs: [] }, '2026-02-01T00:00:00Z');
  return { ...record, updatedBy: 'system', conflicts: [] };
}

function january(revision: number, extra = JANUARY_ROWS, exceptions: ExceptionDoc[] = []) {
  const output = settle({ month: '2026-01', revision, runId: `run.r${revision}`, batches: [packBatch('b', 0, extra)], reference: { kind: 'given', agreements: agreementOf({ share: { rate: '70' } }), rates: { source: 'ECB', base: 'EUR', quotes: {} } }, statesIn: {}, exceptions }, () => undefined, () => 0);
  const result: RunResult = { period: periodOf('2026-01'), revision, paymentDate: null, statements: output.statements.map(statementOf), exceptions: [], blocked: [], states: {} };
  return { ...output, result };
}

describe('running a period on the desk', () => {
  it('settles the month and writes documents the server can recompute from', () => {
    const { run, statements } = january(1);
    // 100 + 200 - 50 = 250 in January (the February sale and the other partner are out); 70 % of 250 = 175.00.
    expect(statements).toHaveLength(1);
    expect(statements[0]?.payable).toBe('175.00');
    expect(statements[0]?.blocked).toBe(false);
    expect(run.inputs.period).toEqual({ start: '2026-01-01', end: '2026-01-31' });
    expect(run.agreementVersionIds).toEqual(['A@1']);
    expect(run.inputBatchIds).toEqual(['b:0']);
    expect(run.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(statementDocumentJson(statements[0]!)).sha256).toBe(statements[0]?.hash);
  });

  it('blocks a statement while its partner has an open critical exception, and says why', () => {
    const { statements } = january(1, JANUARY_ROWS, [critical('p'), critical('other')]);
    expect(statements[0]?.blocked).toBe(true);
    expect(statements[0]?.blockReasons).toEqual([expect.stringContaining('share drift')]);
  });

  it('drills from a line to exactly the transactions it counted and explains it', () => {
    const { result } = january(1);
    const statement = result.statements[0]!;
    const [lineRow] = lineRowsOf(statement);
    const behind = transactionsBehind(statement, lineRow!.line, JANUARY_ROWS);
    expect(behind.map((tx) => tx.amount)).toEqual(['100.00', '200.00', '-50.00']);
    expect(behind).toHaveLength(lineRow!.line.transactionCount);
    expect(lineExplanation(lineRow!, { rule: (rule) => rule, kindCount: (kind, count) => `${count} ${kind}` })[0]?.text).toBe('2 sale +300.00 EUR (×1) · 1 refund -50.00 EUR (×-1)');
  });

  it('diffs a re-run against the stored previous run', () => {
    const first = january(1);
    const second = january(2, [...JANUARY_ROWS, row('sale', '10.00', { date: '2026-01-28T10:00:00Z' })]);
    const diff = diffAgainst(first.statements.map((doc) => ({ ...doc, runId: 'run.r1', createdBy: 'ana', createdAt: '2026-02-01T00:00:00Z' })), 1, second.result);
    // One more sale of 10.00 at 70 %: payable 175.00 -> 182.00.
    const payable = diff.partners[0]?.totals.find((change) => change.field === 'payable');
    expect(payable).toEqual({ field: 'payable', previous: '175.00', current: '182.00', delta: '7' });
    expect(diff.partners[0]?.change).toBe('changed');
  });

  it('reads maker-checker status from the last approval event the server did not refuse', () => {
    const event = (action: ApprovalEventDoc['action'], at: string): ApprovalEventDoc => ({ id: `e${at}`, statementId: 's', statementHash: 'a'.repeat(64), action, by: 'x', at, reason: null });
    expect(statusOf({ blocked: false }, [])).toBe('draft');
    expect(statusOf({ blocked: true }, [])).toBe('blocked');
    expect(statusOf({ blocked: false }, [event('approved', '2026-02-03T00:00:00Z'), event('submitted', '2026-02-02T00:00:00Z')])).toBe('approved');
    // The approval was refused by the server: the statement is still waiting for a checker.
    expect(statusOf({ blocked: false }, [event('approved', '2026-02-03T00:00:00Z'), event('submitted', '2026-02-02T00:00:00Z')], new Set(['e2026-02-03T00:00:00Z']))).toBe('submitted');
    expect(periodOf('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
  });
});
