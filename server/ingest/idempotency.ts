import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Queryable } from '../db/types.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Idempotency-Key for feeds: the first request with a key does the work and its response
 * (status and exact bytes) is stored in the same transaction as the rows; a replay of the same
 * request gets that response back; the same key on a different request is refused. A request
 * that fails (4xx/5xx) stores nothing, so it can be retried with the same key. Two concurrent
 * requests with one key cannot both write: the second's insert waits on the first's
 * uncommitted primary key, then finds it and replays it.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const IdempotencyKey = z.string().min(8).max(200).regex(/^[A-Za-z0-9._:-]+$/, 'expected 8-200 letters, digits and . _ : -');

export interface StoredResponse {
  readonly statusCode: number;
  /** The JSON text exactly as first sent. */
  readonly body: string;
}

export interface RequestIdentity {
  readonly key: string;
  readonly route: string;
  readonly userId: string;
  /** SHA-256 of what makes two requests the same: route, user, parameters and body bytes. */
  readonly sha256: string;
}

export function idempotencyKeyOf(request: FastifyRequest): string {
  const value = request.headers[IDEMPOTENCY_HEADER];
  if (value === undefined) throw new HttpError(400, 'idempotency_key_missing', 'a feed needs an Idempotency-Key header (retries with the same key land once)');
  const parsed = IdempotencyKey.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'request_invalid', `Idempotency-Key: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { path: 'headers.idempotency-key' });
  return parsed.data;
}

/** SHA-256 of a request body: node's native hash, a 10 MB feed in milliseconds. */
export function bodySha256(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

export function requestIdentity(key: string, route: string, userId: string, parameters: string, bodySha256: string): RequestIdentity {
  const sha256 = createHash('sha256').update(JSON.stringify([route, userId, parameters, bodySha256])).digest('hex');
  return { key, route, userId, sha256 };
}

const StoredRow = z.object({ request_sha256: z.string(), status_code: z.number().int(), response: z.string() });

/** The stored response of an earlier identical request (null when the key is new); throws when the key was used otherwise. */
export async function replayOf(db: Queryable, identity: RequestIdentity): Promise<StoredResponse | null> {
  const { rows } = await db.query('select request_sha256, status_code, response from idempotency_keys where key = $1', [identity.key]);
  if (rows[0] === undefined) return null;
  const row = StoredRow.parse(rows[0]);
  if (row.request_sha256 !== identity.sha256) {
    throw new HttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request; use a new key for new content', { key: identity.key });
  }
  return { statusCode: row.status_code, body: row.response };
}

/**
 * Claims the key inside the writing transaction: null when this request is the first (it must
 * then call `complete` in the same transaction), else the stored response of the one that was.
 */
export async function claimKey(tx: Queryable, identity: RequestIdentity): Promise<StoredResponse | null> {
  const { rows } = await tx.query(
    "insert into idempotency_keys (key, route, user_id, request_sha256, status_code, response) values ($1, $2, $3, $4, 0, '') on conflict (key) do nothing returning key",
    [identity.key, identity.route, identity.userId, identity.sha256],
  );
  if (rows.length === 1) return null;
  const stored = await replayOf(tx, identity);
  if (stored === null) throw new HttpError(409, 'conflict', 'the Idempotency-Key vanished while claimed; retry', { key: identity.key });
  return stored;
}

export async function completeKey(tx: Queryable, identity: RequestIdentity, response: StoredResponse): Promise<void> {
  const { rowCount } = await tx.query('update idempotency_keys set status_code = $2, response = $3 where key = $1', [identity.key, response.statusCode, response.body]);
  if (rowCount !== 1) throw new HttpError(409, 'conflict', 'the Idempotency-Key was not claimed', { key: identity.key });
}
