import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CollectionNameSchema, type CollectionName } from '../../core/sync/documents.ts';
import { Checkpoint, parseWireDoc, PULL_BATCH_MAX, PushBody, WireDocError, type WireDoc } from '../../core/sync/protocol.ts';
import { requireRole, userOf } from '../auth/guard.ts';
import { HttpError, parseRequest } from '../http/errors.ts';
import type { ChangeFeed } from '../sync/changes.ts';
import { checkWrite } from '../sync/checks.ts';
import { latestSeq, pullDocuments, pushDocuments, type PushRowParsed } from '../sync/repository.ts';

/**
 * RxDB's replication contract over HTTP, per collection:
 *   GET  /api/v1/sync/:collection/pull?checkpoint=SEQ&limit=N -> { documents, checkpoint }
 *   POST /api/v1/sync/:collection/push [{ newDocumentState, assumedMasterState }] -> conflicts[]
 *   GET  /api/v1/sync/:collection/stream?checkpoint=SEQ       -> SSE of { documents, checkpoint }
 * Every role reads; analysts, approvers and admins write (auditors never).
 */
export interface SyncRouteOptions {
  readonly changes: ChangeFeed;
  readonly nowIso: () => string;
  readonly nowMs: () => number;
  readonly heartbeatMs: number;
  readonly pushBodyLimitBytes: number;
}

const Params = z.strictObject({ collection: CollectionNameSchema });
const PullQuery = z.strictObject({ checkpoint: Checkpoint.shape.seq.optional(), limit: z.coerce.number().int().min(1).max(PULL_BATCH_MAX).default(100) });
const StreamQuery = z.strictObject({ checkpoint: Checkpoint.shape.seq.optional(), access_token: z.string().max(4096).optional() });

const READERS = ['analyst', 'approver', 'admin', 'auditor'] as const;
const WRITERS = ['analyst', 'approver', 'admin'] as const;

function parseRows<C extends CollectionName>(collection: C, body: unknown): PushRowParsed<C>[] {
  const rows = parseRequest(PushBody, body, 'body');
  return rows.map((row, index) => {
    try {
      return {
        newDocumentState: parseWireDoc(collection, row.newDocumentState),
        assumedMasterState: row.assumedMasterState === undefined || row.assumedMasterState === null ? null : parseWireDoc(collection, row.assumedMasterState),
      };
    } catch (error) {
      if (error instanceof WireDocError) throw new HttpError(400, 'request_invalid', `body[${index}]: ${error.message}`, { index, path: error.details.path });
      throw error;
    }
  });
}

export async function syncRoutes(app: FastifyInstance, options: SyncRouteOptions): Promise<void> {
  app.get('/api/v1/sync/:collection/pull', { preHandler: requireRole(READERS) }, async (request) => {
    const { collection } = parseRequest(Params, request.params, 'params');
    const query = parseRequest(PullQuery, request.query, 'query');
    const { documents, checkpoint, lagSeconds } = await pullDocuments(app.db, collection, query.checkpoint === undefined ? null : { seq: query.checkpoint }, query.limit);
    app.metrics.pulledDocuments.inc({ collection }, documents.length);
    for (const seconds of lagSeconds) app.metrics.syncLagSeconds.observe({ via: 'pull' }, seconds);
    return { documents, checkpoint };
  });

  app.post('/api/v1/sync/:collection/push', { preHandler: requireRole(WRITERS), bodyLimit: options.pushBodyLimitBytes }, async (request) => {
    const { collection } = parseRequest(Params, request.params, 'params');
    const rows = parseRows(collection, request.body);
    const user = userOf(request);
    // Documents name people by user name (what desks show and sign with); names are never reused.
    const outcome = await pushDocuments(app.db, collection, rows, { id: user.username, role: user.role }, checkWrite, options.nowIso());
    app.metrics.pushes.inc({ collection });
    app.metrics.pushedDocuments.inc({ collection }, outcome.written);
    app.metrics.conflicts.inc({ collection }, outcome.conflicts.length);
    request.log.info({ collection, rows: rows.length, written: outcome.written, conflicts: outcome.conflicts.length }, 'push');
    return outcome.conflicts;
  });

  app.get('/api/v1/sync/:collection/stream', { preHandler: requireRole(READERS, { allowQueryToken: true }) }, async (request, reply) => {
    const { collection } = parseRequest(Params, request.params, 'params');
    const query = parseRequest(StreamQuery, request.query, 'query');
    let checkpoint = query.checkpoint === undefined ? await latestSeq(app.db, collection) : { seq: query.checkpoint };
    reply.hijack();
    const out = reply.raw;
    // A hijacked reply skips Fastify's header writing: carry over what hooks set (CORS for a desk on another origin).
    const hooked = Object.fromEntries(Object.entries(reply.getHeaders()).filter((entry): entry is [string, string | number | string[]] => entry[1] !== undefined));
    out.writeHead(200, { ...hooked, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': request.id });
    out.write(': connected\n\n');
    app.metrics.streamClients.inc();
    // Sends are chained so a burst of notifications cannot interleave two pulls out of order.
    let sending: Promise<void> = Promise.resolve();
    let open = true;
    const send = () => {
      sending = sending.then(async () => {
        while (open) {
          const { documents, checkpoint: next, lagSeconds }: { documents: WireDoc<typeof collection>[]; checkpoint: typeof checkpoint; lagSeconds: number[] } = await pullDocuments(app.db, collection, checkpoint, PULL_BATCH_MAX);
          if (documents.length === 0) return;
          checkpoint = next;
          out.write(`data: ${JSON.stringify({ documents, checkpoint })}\n\n`);
          for (const seconds of lagSeconds) app.metrics.syncLagSeconds.observe({ via: 'stream' }, seconds);
          if (documents.length < PULL_BATCH_MAX) return;
        }
      }).catch((error: unknown) => {
        request.log.error({ err: error }, 'stream send failed');
        out.write('data: "RESYNC"\n\n');
      });
    };
    const unsubscribe = options.changes.on(collection, send);
    const heartbeat = setInterval(() => out.write(': ping\n\n'), options.heartbeatMs);
    // A stream lives no longer than the token it was opened with: then RESYNC tells the desk to
    // reconnect (with a fresh token) and pull what it may have missed; a revoked user stays out.
    const expiresAtMs = (request.tokenExpiresAtSeconds ?? 0) * 1000;
    const expiry = setTimeout(() => {
      out.write('data: "RESYNC"\n\n');
      out.end();
    }, Math.max(0, expiresAtMs - options.nowMs()));
    request.raw.on('close', () => {
      open = false;
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(expiry);
      app.metrics.streamClients.dec();
    });
    send();
  });
}
