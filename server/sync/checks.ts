import { verifyBatch, type ImportBatchDoc } from '../../core/sync/batch.ts';
import type { ApprovalEventDoc, AuditEventDoc, CollectionName, StatementDoc } from '../../core/sync/documents.ts';
import { verifyStatementDoc } from '../../core/sync/statement-doc.ts';
import { checkApprovalEvent } from '../approvals/policy.ts';
import type { Queryable } from '../db/types.ts';
import { HttpError } from '../http/errors.ts';
import { SERVER_CHAIN_ID, type WriteCheck } from './repository.ts';

/**
 * What a pushed document must satisfy beyond its schema. The actor a document names must be
 * the signed-in writer: a desk cannot write a comment, an approval or an exception edit in
 * someone else's name. Hashes are recomputed; statements are projected into their table
 * (payable as numeric) so maker-checker reads them without parsing JSON.
 */
const ACTOR_FIELD: Readonly<Record<CollectionName, string | null>> = {
  import_batches: null,
  imports: 'importedBy',
  exceptions: 'updatedBy',
  comments: 'author',
  agreement_versions: 'createdBy',
  mapping_profiles: 'updatedBy',
  classification_rules: 'updatedBy',
  settlement_runs: 'createdBy',
  statements: 'createdBy',
  approval_events: 'by',
  audit_events: 'actor',
};

async function projectStatement(tx: Queryable, doc: StatementDoc): Promise<void> {
  await tx.query('insert into statements (id, hash, partner_id, period, currency, payable, blocked, created_by) values ($1, $2, $3, $4, $5, $6, $7, $8)', [
    doc.id, doc.hash, doc.partnerId, doc.period, doc.currency, doc.payable, doc.blocked, doc.createdBy,
  ]);
}

export const checkWrite: WriteCheck = async (tx, collection, doc, _master, writer) => {
  const actorField = ACTOR_FIELD[collection];
  const actor = actorField === null ? null : (doc as unknown as Record<string, unknown>)[actorField];
  if (actorField !== null && actor !== writer.id) throw new HttpError(403, 'forbidden', `${collection}.${actorField} must be the signed-in user`, { collection, id: doc.id, field: actorField });
  if (writer.role === 'auditor') throw new HttpError(403, 'forbidden', 'auditors read, they do not write');
  try {
    switch (collection) {
      case 'import_batches':
        verifyBatch(doc as unknown as ImportBatchDoc);
        return;
      case 'statements':
        verifyStatementDoc(doc as unknown as StatementDoc);
        await projectStatement(tx, doc as unknown as StatementDoc);
        return;
      case 'approval_events':
        await checkApprovalEvent(tx, doc as unknown as ApprovalEventDoc, writer);
        return;
      case 'audit_events':
        if ((doc as unknown as AuditEventDoc).chainId === SERVER_CHAIN_ID) throw new HttpError(403, 'forbidden', 'the server chain is written by the server only');
        return;
      default:
        return;
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const typed = error as { code?: string; message?: string };
    throw new HttpError(422, 'document_refused', `${collection} ${doc.id}: ${typed.message ?? 'refused'}`, { collection, id: doc.id, reason: typed.code ?? 'refused' });
  }
};
