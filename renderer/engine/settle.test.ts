import { describe, expect, it } from 'vitest';
import { createException } from '../../core/exceptions/model.ts';
import { agreementOf, row } from '../../core/settlement/testkit.ts';
import { packBatch } from '../../core/sync/batch.ts';
import { verifyStatementReproducible } from '../../core/sync/recompute.ts';
import type { AgreementVersionDoc, SettlementRunDoc, StatementDoc } from '../../core/sync/documents.ts';
import { toStoredBatch } from '../desk/transactions.ts';
import { settle, type SettleInput } from './settle.ts';
import type { SettleProgress } from './protocol.ts';

// Two imports of January: partner p's sales and refund in one, another partner's sale and p's
// February sale in the other. Agreement A gives p 70 % of what p earned in January.
const FIRST = packBatch('imp.1', 0, [row('sale', '100.00', { date: '2026-01-10T10:00:00Z' }), row('sale', '200.00', { date: '2026-01-12T10:00:00Z' }), row('refund', '-50.00', { date: '2026-01-15T10:00:00Z' })]);
const SECOND = packBatch('imp.2', 0, [row('sale', '999.00', { date: '2026-02-02T10:00:00Z' }), row('sale', '40.00', { date: '2026-01-20T10:00:00Z', partnerId: 'other' })]);
const AGREEMENTS = agreementOf({ share: { rate: '70' } });

function input(extra: Partial<SettleInput> = {}): SettleInput {
  return { runId: 'run.2026-01.r1', month: '2026-01', revision: 1, batches: [FIRST, SECOND], reference: { kind: 'given', agreements: AGREEMENTS, rates: { source: 'ECB', base: 'EUR', quotes: {} } }, statesIn: {}, exceptions: [], ...extra };
}

function stored(output: ReturnType<typeof settle>): { run: SettlementRunDoc; statements: StatementDoc[] } {
  const at = { createdBy: 'ana', createdAt: '2026-02-01T09:00:00Z' };
  const statements = output.statements.map((doc) => ({ ...doc, runId: output.run.id, ...at }));
  return { run: { ...output.run, statementIds: statements.map((doc) => doc.id), ...at }, statements };
}

describe('a settlement run in the engine worker', () => {
  it('settles over the stored batches and records the batches, agreement versions and rates it used', () => {
    const progress: SettleProgress[] = [];
    let tick = 0;
    const output = settle(input(), (value) => progress.push(value), () => (tick += 100));
    // January for p: 100.00 + 200.00 - 50.00 = 250.00; 70 % of 250.00 = 175.00. The February sale and the other partner's sale are not p's January.
    expect(output.statements.map((doc) => [doc.partnerId, doc.payable])).toEqual([['p', '175.00']]);
    expect(output.run.inputBatchIds).toEqual(['imp.1:0', 'imp.2:0']);
    expect(output.run.agreementVersionIds).toEqual(['A@1']);
    expect(output.run.inputs.rates).toEqual({ source: 'ECB', base: 'EUR', quotes: {} });
    expect(output.transactions).toBe(5);
    // One progress event per batch unpacked: 3 rows, then 3 + 2 = 5.
    expect(progress.map((value) => [value.batchesDone, value.batchesTotal, value.rows])).toEqual([[1, 2, 3], [2, 2, 5]]);
  });

  it('gives statements the server reproduces from the stored run, batches and agreement versions', () => {
    const output = settle(input(), () => undefined, () => 0);
    const { run, statements } = stored(output);
    const agreements: AgreementVersionDoc[] = output.agreements.map((agreement) => ({ id: `${agreement.agreementId}@${agreement.version}`, agreement, createdBy: 'ana', createdAt: '2026-02-01T09:00:00Z' }));
    for (const statement of statements) expect(() => verifyStatementReproducible({ run, batches: [FIRST, SECOND], agreements }, statement)).not.toThrow();
    // Without the second batch the server has other inputs than the run names: it refuses.
    expect(() => verifyStatementReproducible({ run, batches: [FIRST], agreements }, statements[0]!)).toThrow(/not on the server/);
  });

  it('blocks a statement while its partner has an open critical exception in the month', () => {
    const record = createException({ type: 'anomaly', key: ['k'], severity: 'critical', title: 'share drift', amountAtRisk: null, partnerId: 'p', period: '2026-01', sourceRefs: [] }, '2026-02-01T00:00:00Z');
    const output = settle(input({ exceptions: [record] }), () => undefined, () => 0);
    expect(output.statements[0]?.blocked).toBe(true);
    expect(output.statements[0]?.blockReasons).toEqual([`open critical exception ${record.id}: share drift`]);
  });

  it('refuses a batch that does not match its content hash', () => {
    const tampered = { ...FIRST, columns: { ...FIRST.columns, amount: ['100.00', '200.00', '-5.00'] } };
    expect(() => settle(input({ batches: [tampered, SECOND] }), () => undefined, () => 0)).toThrow(/hash/);
  });

  it('settles batches in the desk form (StoredBatch) exactly as their wire documents, and refuses a damaged stored text', () => {
    const fromWire = settle(input(), () => undefined, () => 0);
    const progress: SettleProgress[] = [];
    const fromStored = settle(input({ batches: [toStoredBatch(FIRST), toStoredBatch(SECOND)] }), (value) => progress.push(value), () => 0);
    // Same statement (p: 70 % of 100.00 + 200.00 - 50.00 = 175.00), same run document, inputs hash included.
    expect(fromStored).toEqual(fromWire);
    expect(fromStored.statements.map((doc) => doc.payable)).toEqual(['175.00']);
    expect(progress.map((value) => [value.batchesDone, value.rows])).toEqual([[1, 3], [2, 5]]);
    // A stored text whose id column lost a cell: refused before a row of it counts.
    const stored = toStoredBatch(FIRST);
    const codes = JSON.parse(stored.columnsJson) as { columns: Record<string, unknown> };
    codes.columns.id = { join: 'only-one' };
    expect(() => settle(input({ batches: [{ ...stored, columnsJson: JSON.stringify(codes) }, toStoredBatch(SECOND)] }), () => undefined, () => 0)).toThrow(/one cell per row/);
  });
});
