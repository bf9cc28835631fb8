import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { SettleDeskError } from '../core/errors.ts';
import type { Db } from './db/types.ts';
import { HttpError } from './http/errors.ts';
import { parseJsonBody } from './http/json-body.ts';
import { createMetrics, type ServerMetrics } from './http/metrics.ts';
import { SignInThrottle } from './auth/rate-limit.ts';
import { ACCESS_TOKEN_SECONDS_DEFAULT, loadSigningKey, REFRESH_TOKEN_SECONDS_DEFAULT } from './auth/tokens.ts';
import { authRoutes } from './routes/auth.ts';
import { healthRoutes } from './routes/health.ts';
import { importRoutes } from './routes/imports.ts';
import { partnerPlugin, type PartnerOptions } from './partner/index.ts';
import { PORTAL_DIR_DEFAULT, portalRoutes } from './portal/serve.ts';
import { statementRoutes } from './routes/statements.ts';
import { syncRoutes } from './routes/sync.ts';
import { startChangeFeed } from './sync/changes.ts';

/**
 * The server app, built without listening so tests call `app.inject()` and main.ts calls
 * `listen()`. Load order is the layout: body parsing and errors, then metrics and health,
 * then the API areas, each an encapsulated plugin.
 */
export interface ServerOptions {
  readonly db: Db;
  /** A pino logger from createLogger (server/logger.ts); no logs when absent. */
  readonly logger?: Logger;
  readonly bodyLimitBytes?: number;
  /** Node's process metrics (event loop, heap); off in tests that build several apps. */
  readonly defaultMetrics?: boolean;
  readonly pushBodyLimitBytes?: number;
  /** Feeds: a file for POST /api/v1/imports, a JSON batch for /api/v1/imports/batch. */
  readonly importFileBodyLimitBytes?: number;
  readonly importBatchBodyLimitBytes?: number;
  readonly streamHeartbeatMs?: number;
  readonly auth?: AuthOptions;
  /**
   * Origins (scheme://host[:port]) whose pages may call the API from a browser, e.g. `npm run web`
   * on another port than the server. None by default: only same-origin pages (and non-browser
   * clients, which CORS does not concern).
   */
  readonly corsOrigins?: readonly string[];
  /** The clock, injected so tests can move past token expiry and rate-limit windows. */
  readonly nowMs?: () => number;
  /** Partner API keys' rate limit and the webhook worker (server/partner). */
  readonly partner?: PartnerOptions;
  /** The renderer build that holds portal/index.html, served at /portal (server/portal/serve.ts). */
  readonly portalDir?: string;
}

export interface AuthOptions {
  /** The one-time first-run set-up token (main.ts writes it to the data folder); null once users exist. */
  readonly setupToken?: string | null;
  readonly accessTokenSeconds?: number;
  readonly refreshTokenSeconds?: number;
  readonly signInFailuresMax?: number;
  readonly signInWindowMs?: number;
  readonly onSetupDone?: () => Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    metrics: ServerMetrics;
  }
}

export const BODY_LIMIT_BYTES_DEFAULT = 1_048_576;
/** A push of import batches carries up to 10,000 rows per document. */
export const PUSH_BODY_LIMIT_BYTES_DEFAULT = 32 * 1_048_576;
export const IMPORT_FILE_BODY_LIMIT_BYTES_DEFAULT = 256 * 1_048_576;
/** A batch of 10,000 transactions in columns is about 1.5-4 MB of JSON. */
export const IMPORT_BATCH_BODY_LIMIT_BYTES_DEFAULT = 16 * 1_048_576;
export const SIGN_IN_FAILURES_MAX = 5;
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger as FastifyBaseLogger }),
    bodyLimit: options.bodyLimitBytes ?? BODY_LIMIT_BYTES_DEFAULT,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.decorate('db', options.db);
  app.decorate('metrics', createMetrics({ defaultMetrics: options.defaultMetrics ?? false }));

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  const corsOrigins = new Set(options.corsOrigins ?? []);
  if (corsOrigins.size > 0) {
    // Listed origins only, never a wildcard: the API answers with bearer tokens in headers, not cookies, so no credentials mode.
    await app.register(cors, { origin: (origin, done) => done(null, origin !== undefined && corsOrigins.has(origin)), methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'], exposedHeaders: ['x-request-id', 'retry-after'], maxAge: 600 });
  }

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    app.metrics.requestSeconds.observe({ method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error, request, reply) => {
    const status = errorStatus(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: errorCode(error) }, 'request refused');
    const body =
      error instanceof SettleDeskError && status < 500
        ? { error: { code: error.code, message: error.message, ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}) } }
        : status < 500
          ? { error: { code: errorCode(error), message: (error as Error).message } }
          : { error: { code: 'internal', message: 'internal error' } };
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } }));

  const nowMs = options.nowMs ?? Date.now;
  const nowIso = () => new Date(nowMs()).toISOString();
  const auth = options.auth ?? {};
  app.decorate('tokens', {
    key: await loadSigningKey(options.db),
    accessTokenSeconds: auth.accessTokenSeconds ?? ACCESS_TOKEN_SECONDS_DEFAULT,
    refreshTokenSeconds: auth.refreshTokenSeconds ?? REFRESH_TOKEN_SECONDS_DEFAULT,
    nowSeconds: () => Math.floor(nowMs() / 1000),
  });
  app.decorateRequest('user', null);
  app.decorateRequest('tokenExpiresAtSeconds', null);
  const throttle = new SignInThrottle({ max: auth.signInFailuresMax ?? SIGN_IN_FAILURES_MAX, windowMs: auth.signInWindowMs ?? SIGN_IN_WINDOW_MS }, nowMs);
  const changes = await startChangeFeed(options.db, (payload) => app.log.warn({ length: payload.length }, 'unreadable change notification'));
  app.addHook('onClose', async () => changes.close());

  await app.register(healthRoutes);
  await app.register(authRoutes, { throttle, setupToken: auth.setupToken ?? null, ...(auth.onSetupDone === undefined ? {} : { onSetupDone: auth.onSetupDone }) });
  await app.register(syncRoutes, { changes, nowIso, nowMs, heartbeatMs: options.streamHeartbeatMs ?? 15_000, pushBodyLimitBytes: options.pushBodyLimitBytes ?? PUSH_BODY_LIMIT_BYTES_DEFAULT });
  await app.register(statementRoutes, { nowIso });
  await app.register(importRoutes, { nowIso, fileBodyLimitBytes: options.importFileBodyLimitBytes ?? IMPORT_FILE_BODY_LIMIT_BYTES_DEFAULT, batchBodyLimitBytes: options.importBatchBodyLimitBytes ?? IMPORT_BATCH_BODY_LIMIT_BYTES_DEFAULT });
  await app.register(partnerPlugin, { ...options.partner, nowMs, nowIso });
  await app.register(portalRoutes, { dir: options.portalDir ?? PORTAL_DIR_DEFAULT });
  return app;
}

function errorStatus(error: unknown): number {
  if (error instanceof HttpError) return error.statusCode;
  const fastifyStatus = (error as { statusCode?: unknown }).statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) return fastifyStatus;
  // A typed error from core/ that reached a handler is the client's input (a refused document), not our bug.
  if (error instanceof SettleDeskError && error.code !== 'invariant_broken') return 422;
  return 500;
}

function errorCode(error: unknown): string {
  if (error instanceof SettleDeskError) return error.code;
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'body_too_large';
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'request_invalid';
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'body_not_json';
  return 'request_invalid';
}
