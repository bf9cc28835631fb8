import { z } from 'zod';
import { ImportBatchDoc } from '../../core/sync/batch.ts';
import { AgreementVersionDoc, SettlementRunDoc, StatementDoc, type ApprovalEventDoc } from '../../core/sync/documents.ts';
import { RecomputeError, verifyStatementReproducible } from '../../core/sync/recompute.ts';
import type { Queryable } from '../db/types.ts';
import { HttpError } from '../http/errors.ts';
import { BODY_COLUMNS, storedBody, type Writer } from '../sync/repository.ts';

/**
 * Maker-checker, enforced here whatever a desk sends, for approval events arriving through
 * replication and through the statement routes alike:
 * - an event binds to the statement's canonical hash as stored on the server;
 * - submitting and approving recompute the statement from the stored inputs (checkReproducible);
 * - a blocked statement can be neither submitted nor approved;
 * - only approvers approve or reject, and only a submitted statement; a rejection says why;
 * - the checker is neither the maker who submitted it nor the one who produced it;
 * - only the submitter withdraws.
 */
const StatementRow = z.object({ id: z.string(), hash: z.string(), blocked: z.boolean(), created_by: z.string() });
const EventBody = z.object({ action: z.string(), by: z.string(), statementHash: z.string() });

const MAKER_ROLES = ['analyst', 'admin'];

/** The last event that decides where a statement stands (submitted, approved, rejected, withdrawn), or null. */
async function lastEvent(tx: Queryable, statementId: string): Promise<z.infer<typeof EventBody> | null> {
  const { rows } = await tx.query("select body from sync_documents where collection = 'approval_events' and body->>'statementId' = $1 order by seq desc limit 1", [statementId]);
  return rows[0] === undefined ? null : EventBody.parse((rows[0] as { body: unknown }).body);
}

async function bodiesOf(tx: Queryable, collection: string, ids: readonly string[]): Promise<unknown[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query(`select ${BODY_COLUMNS} from sync_documents where collection = $1 and id = any($2::text[]) and not deleted`, [collection, ids]);
  return rows.map(storedBody);
}

/**
 * Recomputes the statement from what the server stores (its run, the run's batches and
 * agreement versions) with the same core/ code the desk ran; refuses a hash it cannot reproduce.
 */
async function checkReproducible(tx: Queryable, statementId: string): Promise<void> {
  const [statementBody] = await bodiesOf(tx, 'statements', [statementId]);
  const statement = StatementDoc.parse(statementBody);
  const [runBody] = await bodiesOf(tx, 'settlement_runs', [statement.runId]);
  if (runBody === undefined) throw new HttpError(422, 'recompute_inputs_missing', `run ${statement.runId} of statement ${statementId} is not on the server yet`, { runId: statement.runId });
  const run = SettlementRunDoc.parse(runBody);
  const batches = (await bodiesOf(tx, 'import_batches', run.inputBatchIds)).map((body) => ImportBatchDoc.parse(body));
  const agreements = (await bodiesOf(tx, 'agreement_versions', run.agreementVersionIds)).map((body) => AgreementVersionDoc.parse(body));
  try {
    verifyStatementReproducible({ run, batches, agreements }, statement);
  } catch (error) {
    if (!(error instanceof RecomputeError)) throw error;
    if (error.code === 'recompute_inputs_missing') throw new HttpError(422, 'recompute_inputs_missing', error.message, error.details as Record<string, unknown>);
    throw new HttpError(409, 'statement_not_reproducible', error.message, error.details as Record<string, unknown>);
  }
}

export async function checkApprovalEvent(tx: Queryable, event: ApprovalEventDoc, writer: Writer): Promise<void> {
  const { rows } = await tx.query('select id, hash, blocked, created_by from statements where id = $1', [event.statementId]);
  if (rows[0] === undefined) throw new HttpError(422, 'statement_unknown', `statement ${event.statementId} is not on the server`, { statementId: event.statementId });
  const statement = StatementRow.parse(rows[0]);
  if (statement.hash !== event.statementHash) throw new HttpError(409, 'statement_hash_mismatch', `statement ${statement.id} has hash ${statement.hash}, not the one approved`, { statementId: statement.id, expected: statement.hash });
  const last = await lastEvent(tx, statement.id);
  switch (event.action) {
    case 'submitted':
      if (!MAKER_ROLES.includes(writer.role)) throw new HttpError(403, 'forbidden', `role ${writer.role} does not submit statements`);
      if (statement.blocked) throw new HttpError(409, 'statement_blocked', `statement ${statement.id} is blocked and cannot be submitted`, { statementId: statement.id });
      if (last?.action === 'submitted' || last?.action === 'approved') throw new HttpError(409, 'conflict', `statement ${statement.id} is already ${last.action}`, { statementId: statement.id });
      await checkReproducible(tx, statement.id);
      return;
    case 'approved':
    case 'rejected':
      if (writer.role !== 'approver') throw new HttpError(403, 'forbidden', `only approvers ${event.action === 'approved' ? 'approve' : 'reject'}`, { role: writer.role });
      if (statement.blocked) throw new HttpError(409, 'statement_blocked', `statement ${statement.id} is blocked`, { statementId: statement.id });
      if (last === null || last.action !== 'submitted' || last.statementHash !== event.statementHash) throw new HttpError(409, 'statement_not_submitted', `statement ${statement.id} is not waiting for approval`, { statementId: statement.id });
      if (last.by === writer.id || statement.created_by === writer.id) throw new HttpError(403, 'maker_is_checker', 'the maker of a statement cannot check it', { statementId: statement.id });
      // The HTTP route asks for it too; replication must not be the way round it.
      if (event.action === 'rejected' && (event.reason === null || event.reason.trim() === '')) throw new HttpError(422, 'rejection_reason_missing', `a rejection of statement ${statement.id} says why`, { statementId: statement.id });
      if (event.action === 'approved') await checkReproducible(tx, statement.id);
      return;
    case 'withdrawn':
      if (last === null || last.action !== 'submitted' || last.by !== writer.id) throw new HttpError(409, 'statement_not_submitted', 'only the submitter withdraws a submitted statement', { statementId: statement.id });
      return;
  }
}
