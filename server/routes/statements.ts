import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApprovalAction, ApprovalEventDoc } from '../../core/sync/documents.ts';
import { DocId, Hash } from '../../core/sync/primitives.ts';
import { requireRole, userOf } from '../auth/guard.ts';
import type { Role } from '../auth/roles.ts';
import { HttpError, parseRequest } from '../http/errors.ts';
import { checkWrite } from '../sync/checks.ts';
import { pushDocuments } from '../sync/repository.ts';

/**
 * Maker-checker over HTTP for desks that are online: each route writes one approval event
 * through the same write path as replication, so the same rules (approvals/policy.ts) hold
 * whichever way the event arrives.
 */
const Params = z.strictObject({ id: DocId });
const DecisionBody = z.strictObject({ statementHash: Hash, reason: z.string().min(1).max(2000).optional() });
const StatementRow = z.object({ id: z.string(), hash: z.string(), partner_id: z.string(), period: z.string(), currency: z.string(), payable: z.string(), blocked: z.boolean(), created_by: z.string() });

const ROUTES: ReadonlyArray<{ path: string; action: ApprovalAction; roles: readonly Role[] }> = [
  { path: 'submit', action: 'submitted', roles: ['analyst', 'admin'] },
  { path: 'withdraw', action: 'withdrawn', roles: ['analyst', 'admin'] },
  { path: 'approve', action: 'approved', roles: ['approver'] },
  { path: 'reject', action: 'rejected', roles: ['approver'] },
];

export async function statementRoutes(app: FastifyInstance, options: { readonly nowIso: () => string }): Promise<void> {
  app.get('/api/v1/statements/:id', { preHandler: requireRole(['analyst', 'approver', 'admin', 'auditor']) }, async (request) => {
    const { id } = parseRequest(Params, request.params, 'params');
    const { rows } = await app.db.query('select id, hash, partner_id, period, currency, payable, blocked, created_by from statements where id = $1', [id]);
    if (rows[0] === undefined) throw new HttpError(404, 'not_found', `statement ${id} is not on the server`);
    const statement = StatementRow.parse(rows[0]);
    const { rows: events } = await app.db.query("select body from sync_documents where collection = 'approval_events' and body->>'statementId' = $1 order by seq", [id]);
    return { statement, approvals: events.map((row) => (row as { body: unknown }).body) };
  });

  for (const route of ROUTES) {
    app.post(`/api/v1/statements/:id/${route.path}`, { preHandler: requireRole(route.roles) }, async (request, reply) => {
      const { id } = parseRequest(Params, request.params, 'params');
      const body = parseRequest(DecisionBody, request.body, 'body');
      const user = userOf(request);
      if (route.action === 'rejected' && body.reason === undefined) throw new HttpError(400, 'request_invalid', 'a rejection says why', { path: 'body.reason' });
      const event: ApprovalEventDoc = { id: `appr_${randomUUID()}`, statementId: id, statementHash: body.statementHash, action: route.action, by: user.username, at: options.nowIso(), reason: body.reason ?? null };
      await pushDocuments(app.db, 'approval_events', [{ newDocumentState: { ...event, _deleted: false }, assumedMasterState: null }], { id: user.username, role: user.role }, checkWrite, event.at);
      request.log.info({ statementId: id, action: route.action, by: user.username }, 'approval event');
      return reply.status(201).send({ event });
    });
  }
}
