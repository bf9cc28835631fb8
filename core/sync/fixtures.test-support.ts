import { createException } from '../exceptions/model.ts';
import { rateTable } from '../settlement/fx.ts';
import { runSettlement } from '../settlement/run.ts';
import { agreementOf, canonicalTx, JANUARY } from '../settlement/testkit.ts';
import { packBatch, unpackBatch, type ImportBatchDoc } from './batch.ts';
import type { AgreementVersionDoc, ExceptionDoc, SettlementRunDoc, StatementDoc } from './documents.ts';
import { statementDocOf } from './statement-doc.ts';

/**
 * Test support (no production caller): small valid sync documents for core/sync and server tests.
 */
export const T0 = '2026-03-01T09:00:00Z';

export function exceptionDocFixture(key = 'tx_1', by = 'ana'): ExceptionDoc {
  const record = createException(
    { type: 'unmatched', key: ['bank', key], severity: 'medium', title: `bank line ${key} unmatched`, amountAtRisk: { amount: '120.50', currency: 'EUR' }, partnerId: 'p', period: '2026-02', sourceRefs: [{ kind: 'transaction', id: key, line: null }] },
    T0,
  );
  return { ...record, updatedBy: by, conflicts: [] };
}

export interface SettlementFixture {
  readonly agreement: AgreementVersionDoc;
  readonly batch: ImportBatchDoc;
  readonly run: SettlementRunDoc;
  readonly statement: StatementDoc;
}

/**
 * A whole run as a desk replicates it: one agreement version (partner p, 70 %), one import batch
 * of two January sales (100.00 + 50.00 EUR), the run with its inputs, and the statement the
 * settlement engine gives: 70 % of 150.00 = 105.00 payable.
 */
export function settlementFixture(options: { readonly runId?: string; readonly statementId?: string; readonly blockReasons?: readonly string[]; readonly by?: string } = {}): SettlementFixture {
  const by = options.by ?? 'ana';
  const runId = options.runId ?? 'run_2026-01';
  const [version] = agreementOf({ share: { rate: '70' } });
  if (version === undefined) throw new Error('agreementOf gave no version');
  const agreement: AgreementVersionDoc = { id: `${version.agreementId}@${version.version}`, agreement: version, createdBy: by, createdAt: T0 };
  const batch = packBatch(`imp_${runId}`, 0, [
    canonicalTx({ id: 'a1', partnerId: 'p', kind: 'sale', amount: '100.00', currency: 'EUR', occurredAt: '2026-01-05', productId: 'game' }),
    canonicalTx({ id: 'a2', partnerId: 'p', kind: 'sale', amount: '50.00', currency: 'EUR', occurredAt: '2026-01-06', productId: 'game' }),
  ]);
  const inputs = { period: { ...JANUARY }, paymentDate: null, partnerIds: ['p'], rates: { source: 'ECB', base: 'EUR', quotes: {} }, statesIn: {} };
  const run: SettlementRunDoc = { id: runId, period: '2026-01', revision: 1, inputs, inputsHash: batch.contentHash, inputBatchIds: [batch.id], agreementVersionIds: [agreement.id], statementIds: [], exceptionCount: 0, createdBy: by, createdAt: T0 };
  const computed = runSettlement({ period: inputs.period, revision: 1, paymentDate: null, partnerIds: ['p'], agreements: [version], transactions: unpackBatch(batch), rates: rateTable({}, 'ECB', 'EUR') });
  const first = computed.statements[0];
  if (first === undefined) throw new Error('the fixture run gave no statement');
  const statement = statementDocOf(first, { id: options.statementId ?? `st_${runId}_p`, runId, blockReasons: options.blockReasons ?? [], createdBy: by, createdAt: T0 });
  return { agreement, batch, run: { ...run, statementIds: [statement.id] }, statement };
}

/** The statement of settlementFixture alone. */
export function statementDocFixture(id = 'st_p_2026-01', blockReasons: readonly string[] = [], createdBy = 'ana'): StatementDoc {
  return settlementFixture({ statementId: id, blockReasons, by: createdBy }).statement;
}
