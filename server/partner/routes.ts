import type { FastifyInstance } from 'fastify';
import { HttpError, parseRequest } from '../http/errors.ts';
import { partnerOf, requirePartner, type PartnerGuardOptions } from './principal.ts';
import { pseudonymizer } from './pseudonym.ts';
import { listQueries, raiseQuery } from './queries.ts';
import { LineParams, PageQuery, QueryBody, StatementParams, StatementsQuery } from './schemas.ts';
import { PartnerScope } from './scope.ts';

/**
 * The partner API (/api/v1/partner): a partner user's session or an API key, and every read and
 * write goes through a PartnerScope made from the caller's own partner id. Anything not visible
 * to the caller (another partner's, unapproved, made up) is the same 404, so a response never
 * tells whether another partner's object exists.
 */
export interface PartnerRouteOptions extends PartnerGuardOptions {
  readonly nowIso: () => string;
  readonly pseudonymKey: Buffer;
}

export const PARTNER_PREFIX = '/api/v1/partner';

function notVisible(): HttpError {
  return new HttpError(404, 'not_found', 'no such statement');
}

export async function partnerApiRoutes(app: FastifyInstance, options: PartnerRouteOptions): Promise<void> {
  app.decorateRequest('partner', null);
  const read = { preHandler: requirePartner('statements:read', options) };
  const write = { preHandler: requirePartner('queries:write', options) };
  const scopeOf = (request: Parameters<typeof partnerOf>[0]) => new PartnerScope(app.db, partnerOf(request).partnerId);

  app.get(`${PARTNER_PREFIX}/statements`, read, async (request) => {
    const { period } = parseRequest(StatementsQuery, request.query, 'query');
    return { statements: await scopeOf(request).statements(period ?? null) };
  });

  app.get(`${PARTNER_PREFIX}/statements/:id`, read, async (request) => {
    const { id } = parseRequest(StatementParams, request.params, 'params');
    const scope = scopeOf(request);
    const found = await scope.statement(id);
    if (found === null) throw notVisible();
    const artifacts = await scope.artifacts(id);
    const { statement, runId: _runId, diff, ...summary } = found;
    return { ...summary, document: { statement, sha256: found.sha256 }, jws: artifacts?.jws ?? null, diff };
  });

  app.get(`${PARTNER_PREFIX}/statements/:id.pdf`, read, async (request, reply) => {
    const { id } = parseRequest(StatementParams, request.params, 'params');
    const artifacts = await scopeOf(request).artifacts(id);
    if (artifacts === null) throw notVisible();
    if (artifacts.pdf === null) throw new HttpError(404, 'artifact_not_stored', `no signed PDF of statement ${id} is stored on the server yet`, { statementId: id });
    return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${id}.statement.pdf"`).send(artifacts.pdf);
  });

  app.get(`${PARTNER_PREFIX}/statements/:id/lines/:line/transactions`, read, async (request) => {
    const { id, line } = parseRequest(LineParams, request.params, 'params');
    const page = parseRequest(PageQuery, request.query, 'query');
    const principal = partnerOf(request);
    const found = await scopeOf(request).lineTransactions(id, line, page, pseudonymizer(options.pseudonymKey, principal.partnerId));
    if (found === null) throw new HttpError(404, 'not_found', 'no such statement line');
    return { total: found.total, offset: page.offset, limit: page.limit, items: found.items };
  });

  app.get(`${PARTNER_PREFIX}/statements/:id/queries`, read, async (request) => {
    const { id } = parseRequest(StatementParams, request.params, 'params');
    const principal = partnerOf(request);
    if ((await scopeOf(request).statement(id)) === null) throw notVisible();
    return { queries: await listQueries(app.db, principal.partnerId, id) };
  });

  app.post(`${PARTNER_PREFIX}/statements/:id/queries`, write, async (request, reply) => {
    const { id } = parseRequest(StatementParams, request.params, 'params');
    const body = parseRequest(QueryBody, request.body, 'body');
    const principal = partnerOf(request);
    const statement = await scopeOf(request).statement(id);
    if (statement === null) throw notVisible();
    const lines = statement.statement.groups.reduce((count, group) => count + group.lines.length, 0);
    if (body.line > lines) throw new HttpError(404, 'not_found', 'no such statement line');
    const query = await raiseQuery(app.db, principal, statement, { line: body.line, text: body.text, claimedAmount: body.claimedAmount ?? null }, options.nowIso());
    request.log.info({ partnerId: principal.partnerId, statementId: id, queryId: query.id }, 'partner query raised');
    return reply.status(201).send({ query });
  });
}
