import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireRole, userOf } from '../auth/guard.ts';
import { HttpError, parseRequest } from '../http/errors.ts';
import { checkBatchAmounts, prepareBatch } from '../ingest/batch-import.ts';
import { monthsOf } from '../ingest/copy-rows.ts';
import { parseBatchImportBody, readBatchJson } from '../ingest/batch-validate.ts';
import { FileImportQuery, importFeedFile, loadMappingProfile, loadPseudonymKey } from '../ingest/file-import.ts';
import { bodySha256, idempotencyKeyOf, replayOf, requestIdentity, type RequestIdentity, type StoredResponse } from '../ingest/idempotency.ts';
import { classifiedImport, storeFeed, type FeedToStore } from '../ingest/store.ts';

/**
 * Feeds, both behind an Idempotency-Key and open to analysts and admins:
 *   POST /api/v1/imports?fileName=F&format=auto|csv|...&profile=ID&encoding=E  (raw file bytes)
 *   POST /api/v1/imports/batch  { source, columns }  (canonical transactions, compact columns)
 * 201 with the row account (imported, rejected with line/column/reason, duplicates, conflicts);
 * a replay gets the first response byte for byte (header idempotent-replayed: true).
 */
export interface ImportRouteOptions {
  readonly nowIso: () => string;
  readonly fileBodyLimitBytes: number;
  readonly batchBodyLimitBytes: number;
}

const IMPORTERS_ROLES = ['analyst', 'admin'] as const;
const EmptyQuery = z.strictObject({});

function send(reply: FastifyReply, response: StoredResponse, replayed: boolean): FastifyReply {
  return reply.status(response.statusCode).header('content-type', 'application/json; charset=utf-8').header('idempotent-replayed', String(replayed)).send(response.body);
}

async function storeAndSend(request: FastifyRequest, reply: FastifyReply, feed: FeedToStore): Promise<FastifyReply> {
  const outcome = await storeFeed(request.server.db, feed);
  if ('replay' in outcome) return send(reply, outcome.replay, true);
  request.server.metrics.ingestRows.inc(outcome.rowsCopied);
  request.log.info({ importId: feed.importId, rows: outcome.rowsCopied }, 'import stored');
  return send(reply, outcome.response, false);
}

/** The identity of this request, and the first response when it is a replay (checked before parsing a large body again). */
async function identify(request: FastifyRequest, route: string, parameters: string, bodyHash: string): Promise<{ identity: RequestIdentity; replay: StoredResponse | null }> {
  const key = idempotencyKeyOf(request);
  const identity = requestIdentity(key, route, userOf(request).id, parameters, bodyHash);
  return { identity, replay: await replayOf(request.server.db, identity) };
}

async function fileRoutes(app: FastifyInstance, options: ImportRouteOptions): Promise<void> {
  const pseudonymKey = await loadPseudonymKey(app.db);
  // Any content type: the bytes are the file, read by core's importers (never by a body parser).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.fileBodyLimitBytes }, (_request, body, done) => done(null, body));
  app.post('/api/v1/imports', { preHandler: requireRole(IMPORTERS_ROLES), bodyLimit: options.fileBodyLimitBytes }, async (request, reply) => {
    const query = parseRequest(FileImportQuery, request.query, 'query');
    if (!(request.body instanceof Buffer)) throw new HttpError(400, 'request_invalid', 'body: send the file bytes', { path: 'body' });
    const bytes = new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    const { identity, replay } = await identify(request, 'imports.file', JSON.stringify(query), bodySha256(bytes));
    if (replay !== null) return send(reply, replay, true);
    const profile = query.profile === undefined ? undefined : await loadMappingProfile(app.db, query.profile);
    const feed = { bytes, query, profile, pseudonymKey };
    const first = importFeedFile(feed);
    const rows = [...first.transactions, ...first.conflicts.flatMap((conflict) => (conflict.transaction === null ? [] : [conflict.transaction]))];
    return storeAndSend(request, reply, {
      identity,
      writer: { id: userOf(request).username, role: userOf(request).role },
      importId: `imp.${randomUUID()}`,
      at: options.nowIso(),
      ids: rows.map((tx) => tx.id),
      months: monthsOf(rows.map((tx) => tx.occurredAt)),
      // Parsed again only when stored transactions share ids with the file: then core's pipeline decides duplicates and conflicts against them.
      classify: (stored) => classifiedImport(stored.known.size === 0 ? first : importFeedFile(feed, stored.known), stored),
    });
  });
}

/** What the batch route's body parser learned of the raw body: its hash (the Idempotency-Key's) and whether it is a valid batch. */
interface BatchBodyFacts {
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly valid: boolean;
}
const batchBodyFacts = new WeakMap<FastifyRequest, BatchBodyFacts>();

async function batchRoutes(app: FastifyInstance, options: ImportRouteOptions): Promise<void> {
  // Our JSON parser (depth-bounded), hashing the body's bytes as received for the Idempotency-Key check.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: options.batchBodyLimitBytes }, (request, body, done) => {
    try {
      const bytes = body as Buffer;
      const { value, valid } = readBatchJson(bytes.toString('utf8'));
      batchBodyFacts.set(request, { sha256: bodySha256(bytes), sizeBytes: bytes.byteLength, valid });
      done(null, value);
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.post('/api/v1/imports/batch', { preHandler: requireRole(IMPORTERS_ROLES), bodyLimit: options.batchBodyLimitBytes }, async (request, reply) => {
    parseRequest(EmptyQuery, request.query, 'query');
    const facts = batchBodyFacts.get(request) ?? { sha256: bodySha256(''), sizeBytes: 0, valid: false };
    const hash = facts.sha256;
    const { identity, replay } = await identify(request, 'imports.batch', '', hash);
    if (replay !== null) return send(reply, replay, true);
    // Refused (400, zod naming the first bad cell) only now, so a reused key is reported as such first.
    const body = parseBatchImportBody(request.body, facts.valid);
    checkBatchAmounts(body);
    const importId = `imp.${randomUUID()}`;
    const prepared = await prepareBatch(body, hash, facts.sizeBytes, importId);
    return storeAndSend(request, reply, {
      identity,
      writer: { id: userOf(request).username, role: userOf(request).role },
      importId,
      at: options.nowIso(),
      ids: body.columns.id,
      months: prepared.months,
      classify: prepared.classify,
      prepared: prepared.batches,
    });
  });
}

export async function importRoutes(app: FastifyInstance, options: ImportRouteOptions): Promise<void> {
  await app.register(fileRoutes, options);
  await app.register(batchRoutes, options);
}
