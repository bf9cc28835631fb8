import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { PARTNER_API_KEY_SCOPES } from '../../core/sync/partner-api.ts';
import type { Queryable } from '../db/types.ts';

/**
 * Partner API keys: `sdpk_<id>_<secret>`. The secret (256 random bits) is shown once when the key
 * is made; the database keeps its SHA-256 only, so a leaked table holds no usable key. A random
 * secret of that length needs no slow password hash: there is nothing to guess from the digest.
 */
// Declared once with the desk's shapes (core/sync/partner-api.ts); migration 004's check constraint holds it too.
export const API_KEY_SCOPES = PARTNER_API_KEY_SCOPES;
export const ApiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

const KEY_FORMAT = /^sdpk_(pk_[0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyRow {
  readonly id: string;
  readonly partnerId: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly expiresAt: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
  /** The last accepted use (recordApiKeyUse); null when never used. */
  readonly lastUsedAt: string | null;
}

const Row = z.object({
  id: z.string(),
  partner_id: z.string(),
  name: z.string(),
  secret_sha256: z.string(),
  scopes: z.array(ApiKeyScope),
  expires_at: z.date(),
  created_by: z.string(),
  created_at: z.date(),
  revoked_at: z.date().nullable(),
  revoked_by: z.string().nullable(),
  last_used_at: z.date().nullable(),
});

const COLUMNS = 'id, partner_id, name, secret_sha256, scopes, expires_at, created_by, created_at, revoked_at, revoked_by, last_used_at';

function keyOf(row: z.infer<typeof Row>): ApiKeyRow {
  return {
    id: row.id,
    partnerId: row.partner_id,
    name: row.name,
    scopes: row.scopes,
    expiresAt: row.expires_at.toISOString(),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export async function createApiKey(db: Queryable, key: { partnerId: string; name: string; scopes: readonly ApiKeyScope[]; expiresAt: string; createdBy: string; createdAt: string }): Promise<{ key: ApiKeyRow; secret: string }> {
  const id = `pk_${randomBytes(12).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  const { rows } = await db.query(
    `insert into partner_api_keys (id, partner_id, name, secret_sha256, scopes, expires_at, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
    [id, key.partnerId, key.name, sha256(secret), [...new Set(key.scopes)], key.expiresAt, key.createdBy, key.createdAt],
  );
  return { key: keyOf(Row.parse(rows[0])), secret: `sdpk_${id}_${secret}` };
}

export async function listApiKeys(db: Queryable, partnerId: string): Promise<ApiKeyRow[]> {
  const { rows } = await db.query(`select ${COLUMNS} from partner_api_keys where partner_id = $1 order by created_at, id`, [partnerId]);
  return rows.map((row) => keyOf(Row.parse(row)));
}

/** Revokes a key of that partner; null when the partner has no such key. Revoking twice keeps the first time. */
export async function revokeApiKey(db: Queryable, partnerId: string, id: string, by: string, at: string): Promise<ApiKeyRow | null> {
  const { rows } = await db.query(`update partner_api_keys set revoked_at = coalesce(revoked_at, $3), revoked_by = coalesce(revoked_by, $4) where partner_id = $1 and id = $2 returning ${COLUMNS}`, [partnerId, id, at, by]);
  return rows[0] === undefined ? null : keyOf(Row.parse(rows[0]));
}

/** Stamps an accepted use; concurrent uses keep the latest time. */
export async function recordApiKeyUse(db: Queryable, id: string, at: string): Promise<void> {
  await db.query('update partner_api_keys set last_used_at = greatest(last_used_at, $2::timestamptz) where id = $1', [id, at]);
}

export type ApiKeyCheck = { readonly ok: true; readonly key: ApiKeyRow } | { readonly ok: false; readonly reason: 'malformed' | 'unknown' | 'revoked' | 'expired' };

/** Looks a presented key up by its id and compares the secret's digest in constant time. */
export async function checkApiKey(db: Queryable, presented: string, nowMs: number): Promise<ApiKeyCheck> {
  const match = KEY_FORMAT.exec(presented);
  if (match === null) return { ok: false, reason: 'malformed' };
  const { rows } = await db.query(`select ${COLUMNS} from partner_api_keys where id = $1`, [match[1]]);
  if (rows[0] === undefined) return { ok: false, reason: 'unknown' };
  const row = Row.parse(rows[0]);
  if (!timingSafeEqual(Buffer.from(row.secret_sha256, 'hex'), Buffer.from(sha256(match[2] as string), 'hex'))) return { ok: false, reason: 'unknown' };
  if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
  if (row.expires_at.getTime() <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, key: keyOf(row) };
}
