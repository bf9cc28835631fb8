import { assert } from '../assert.ts';
import { canonicalJson } from '../canonical/json.ts';
import { SettleDeskError } from '../errors.ts';
import { rateTable } from '../settlement/fx.ts';
import { runSettlement } from '../settlement/run.ts';
import type { Statement } from '../settlement/statement.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { unpackBatch, type ImportBatchDoc } from './batch.ts';
import type { AgreementVersionDoc, SettlementRunDoc, StatementDoc } from './documents.ts';

/**
 * The server's check of a desk's statement: run the same core settlement over the run's stored
 * inputs (its import batches in the run's order, its agreement versions, rates and carry-in
 * states) and compare the statement it produces, byte for byte in canonical JSON, with the one
 * submitted. A desk cannot get a statement approved that the inputs do not give.
 */
export type RecomputeCode = 'recompute_inputs_missing' | 'statement_not_reproducible';

export class RecomputeError extends SettleDeskError {
  constructor(code: RecomputeCode, message: string, details: Record<string, unknown>) {
    super(code, message, {}, details);
    this.name = 'RecomputeError';
  }
}

export interface RunInputDocs {
  readonly run: SettlementRunDoc;
  readonly batches: readonly ImportBatchDoc[];
  readonly agreements: readonly AgreementVersionDoc[];
}

function byIds<T extends { readonly id: string }>(docs: readonly T[], ids: readonly string[], what: string, runId: string): T[] {
  const found = new Map(docs.map((doc) => [doc.id, doc]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new RecomputeError('recompute_inputs_missing', `run ${runId}: ${missing.length} ${what} not on the server (first: ${missing[0]})`, { runId, what, missing: missing.slice(0, 20) });
  return ids.map((id) => found.get(id) as T);
}

/** Recomputes the statement of `partnerId` from the run's inputs; null when the run gives that partner none. */
export function recomputeStatement(inputs: RunInputDocs, partnerId: string): Statement | null {
  const { run } = inputs;
  const batches = byIds(inputs.batches, run.inputBatchIds, 'import batches', run.id);
  const agreements = byIds(inputs.agreements, run.agreementVersionIds, 'agreement versions', run.id).map((doc) => doc.agreement);
  function* transactions(): Generator<CanonicalTransaction> {
    for (const batch of batches) yield* unpackBatch(batch);
  }
  const result = runSettlement({
    period: run.inputs.period,
    revision: run.revision,
    paymentDate: run.inputs.paymentDate,
    partnerIds: run.inputs.partnerIds,
    agreements,
    transactions: transactions(),
    rates: rateTable(run.inputs.rates.quotes, run.inputs.rates.source, run.inputs.rates.base),
    states: run.inputs.statesIn,
  });
  return result.statements.find((statement) => statement.partnerId === partnerId) ?? null;
}

/** Throws RecomputeError unless the run's inputs give exactly this statement. */
export function verifyStatementReproducible(inputs: RunInputDocs, doc: StatementDoc): void {
  assert(doc.runId === inputs.run.id, 'the statement belongs to the run given', { statementId: doc.id, runId: inputs.run.id });
  const statement = recomputeStatement(inputs, doc.partnerId);
  const text = statement === null ? null : canonicalJson(statement);
  if (text !== doc.canonicalJson) {
    throw new RecomputeError('statement_not_reproducible', `statement ${doc.id}: the run's stored inputs ${statement === null ? 'give no statement for this partner' : 'give another statement'}`, { statementId: doc.id, runId: inputs.run.id });
  }
}
