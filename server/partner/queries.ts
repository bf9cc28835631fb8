import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { assign, createException, isClosed } from '../../core/exceptions/model.ts';
import { ExceptionDoc } from '../../core/sync/documents.ts';
import { changesChannel, type Db } from '../db/types.ts';
import { HttpError } from '../http/errors.ts';
import { checkWrite } from '../sync/checks.ts';
import { pushDocumentsIn } from '../sync/repository.ts';
import type { PartnerPrincipal } from './principal.ts';
import type { PartnerStatement } from './scope.ts';

/**
 * A partner's question about a line becomes a `partner-query` exception on the desk, assigned to
 * the partner's analyst and written through the replication write path, so every desk pulls it
 * like any other exception. partner_queries keeps which partner asked (the scope for reading it
 * back); the answer is the reason the analyst gives when resolving or waiving the exception.
 */
export const QUERY_TEXT_CHARS_MAX = 4000;

export interface PartnerQuery {
  readonly id: string;
  readonly statementId: string;
  readonly line: number;
  readonly text: string;
  readonly claimedAmount: string | null;
  readonly status: 'open' | 'answered';
  readonly answer: string | null;
  readonly createdAt: string;
}

export async function raiseQuery(db: Db, principal: PartnerPrincipal, statement: PartnerStatement, request: { line: number; text: string; claimedAmount: string | null }, at: string): Promise<PartnerQuery> {
  const { rows } = await db.query<{ analyst: string }>('select analyst from partners where id = $1', [principal.partnerId]);
  const analyst = rows[0]?.analyst;
  if (analyst === undefined) throw new HttpError(409, 'conflict', 'this partner has no analyst to answer queries yet');
  const id = `pq_${randomBytes(12).toString('hex')}`;
  const record = createException(
    {
      type: 'partner-query',
      key: [principal.partnerId, statement.id, id],
      severity: 'medium',
      title: `Partner ${principal.partnerId} questions line ${request.line} of ${statement.period} (revision ${statement.revision})`,
      // The amount as the partner wrote it (a claim the other way round is still money at risk).
      amountAtRisk: request.claimedAmount === null ? null : { amount: request.claimedAmount.replace(/^-/, ''), currency: statement.currency },
      partnerId: principal.partnerId,
      period: statement.period,
      sourceRefs: [{ kind: 'statement', id: statement.id, line: request.line }],
      details: { queryId: id, statementId: statement.id, statementHash: statement.sha256, revision: String(statement.revision), line: String(request.line), text: request.text, ...(request.claimedAmount === null ? {} : { claimedAmount: request.claimedAmount }), askedBy: principal.actor },
    },
    at,
  );
  const doc = ExceptionDoc.parse({ ...assign(record, analyst, at), updatedBy: principal.actor, conflicts: [] });
  await db.transaction(async (tx) => {
    await pushDocumentsIn(tx, changesChannel(db), 'exceptions', [{ newDocumentState: { ...doc, _deleted: false }, assumedMasterState: null }], { id: principal.actor, role: 'partner' }, checkWrite, at);
    await tx.query('insert into partner_queries (id, partner_id, statement_id, line, exception_id, claimed_amount, created_at) values ($1, $2, $3, $4, $5, $6, $7)', [id, principal.partnerId, statement.id, request.line, doc.id, request.claimedAmount, at]);
  });
  return { id, statementId: statement.id, line: request.line, text: request.text, claimedAmount: request.claimedAmount, status: 'open', answer: null, createdAt: at };
}

const QueryRow = z.object({ id: z.string(), statement_id: z.string(), line: z.number().int(), claimed_amount: z.string().nullable(), created_at: z.date(), body: z.unknown() });

/** A closed exception's answer: the reason of the transition that closed it. */
export function answerOf(doc: ExceptionDoc): string | null {
  if (!isClosed(doc.status)) return null;
  return doc.history.findLast((transition) => isClosed(transition.to))?.reason ?? null;
}

/** The partner's queries on one statement (scoped by partner id in SQL), with their answers. */
export async function listQueries(db: Db, partnerId: string, statementId: string): Promise<PartnerQuery[]> {
  const { rows } = await db.query(
    `select q.id, q.statement_id, q.line, q.claimed_amount::text as claimed_amount, q.created_at, d.body
       from partner_queries q join sync_documents d on d.collection = 'exceptions' and d.id = q.exception_id
      where q.partner_id = $1 and q.statement_id = $2 order by q.created_at, q.id`,
    [partnerId, statementId],
  );
  return rows.map((row) => {
    const parsed = QueryRow.parse(row);
    const doc = ExceptionDoc.parse(parsed.body);
    const answer = answerOf(doc);
    return { id: parsed.id, statementId: parsed.statement_id, line: parsed.line, text: doc.details.text ?? '', claimedAmount: parsed.claimed_amount, status: answer === null ? 'open' : 'answered', answer, createdAt: parsed.created_at.toISOString() };
  });
}
