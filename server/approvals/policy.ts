import { z } from 'zod';
import type { ApprovalEventDoc } from '../../core/sync/documents.ts';
import type { Queryable } from '../db/types.ts';
import { HttpError } from '../http/errors.ts';
import type { Writer } from '../sync/repository.ts';

/**
 * Maker-checker, enforced here whatever a desk sends, for approval events arriving through
 * replication and through the statement routes alike:
 * - an event binds to the statement's canonical hash as stored on the server;
 * - a blocked statement can be neither submitted nor approved;
 * - only approvers approve or reject, and only a submitted statement;
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
      return;
    case 'approved':
    case 'rejected':
      if (writer.role !== 'approver') throw new HttpError(403, 'forbidden', `only approvers ${event.action === 'approved' ? 'approve' : 'reject'}`, { role: writer.role });
      if (statement.blocked) throw new HttpError(409, 'statement_blocked', `statement ${statement.id} is blocked`, { statementId: statement.id });
      if (last === null || last.action !== 'submitted' || last.statementHash !== event.statementHash) throw new HttpError(409, 'statement_not_submitted', `statement ${statement.id} is not waiting for approval`, { statementId: statement.id });
      if (last.by === writer.id || statement.created_by === writer.id) throw new HttpError(403, 'maker_is_checker', 'the maker of a statement cannot check it', { statementId: statement.id });
      return;
    case 'withdrawn':
      if (last === null || last.action !== 'submitted' || last.by !== writer.id) throw new HttpError(409, 'statement_not_submitted', 'only the submitter withdraws a submitted statement', { statementId: statement.id });
      return;
  }
}
