import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Db, Queryable } from '../db/types.ts';
import { HttpError } from '../http/errors.ts';
import { Role, type AuthUser } from './roles.ts';

/**
 * Access tokens: short-lived JWTs (HS256, jose) naming the user and role, checked for issuer,
 * audience and expiry. The key lives in server_secrets, made once on first start, so every
 * server process behind a load balancer signs and verifies alike.
 *
 * Refresh tokens: 32 random bytes, stored as SHA-256 only, rotated on every use. A refresh
 * token used twice means it was copied: its whole family is revoked (OAuth 2.0 Security BCP,
 * refresh token rotation with reuse detection).
 */
export const TOKEN_ISSUER = 'settledesk';
export const TOKEN_AUDIENCE = 'settledesk-api';
export const ACCESS_TOKEN_SECONDS_DEFAULT = 300;
export const REFRESH_TOKEN_SECONDS_DEFAULT = 30 * 24 * 3600;
const KEY_NAME = 'access_token_hs256';

export async function loadSigningKey(db: Db): Promise<Uint8Array> {
  await db.query('insert into server_secrets (name, value) values ($1, $2) on conflict (name) do nothing', [KEY_NAME, randomBytes(32).toString('base64url')]);
  const { rows } = await db.query<{ value: string }>('select value from server_secrets where name = $1', [KEY_NAME]);
  const value = z.string().min(43).parse(rows[0]?.value);
  return new Uint8Array(Buffer.from(value, 'base64url'));
}

export interface TokenConfig {
  readonly key: Uint8Array;
  readonly accessTokenSeconds: number;
  readonly refreshTokenSeconds: number;
  /** Seconds since the epoch; injected so tests can move past expiry. */
  readonly nowSeconds: () => number;
}

/** passwordChange: the token comes from an admin's one-time password and serves only its change (guard.ts), even after the change. */
export async function signAccessToken(config: TokenConfig, user: AuthUser, options: { readonly passwordChange?: boolean } = {}): Promise<string> {
  const now = config.nowSeconds();
  return new SignJWT({ role: user.role, name: user.username, ...(options.passwordChange === true ? { pwc: true } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + config.accessTokenSeconds)
    .setJti(randomUUID())
    .sign(config.key);
}

const Claims = z.object({ sub: z.string().min(1), role: Role, name: z.string().min(1), exp: z.number().int(), pwc: z.literal(true).optional() });

/** The user an access token names; a 401 `token_invalid` for anything expired, forged or meant for another audience. */
export async function verifyAccessToken(config: TokenConfig, token: string): Promise<AuthUser & { readonly expiresAtSeconds: number; readonly passwordChange: boolean }> {
  try {
    const { payload } = await jwtVerify(token, config.key, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, algorithms: ['HS256'], currentDate: new Date(config.nowSeconds() * 1000) });
    const claims = Claims.parse(payload);
    return { id: claims.sub, role: claims.role, username: claims.name, expiresAtSeconds: claims.exp, passwordChange: claims.pwc === true };
  } catch (error) {
    const reason = error instanceof joseErrors.JWTExpired ? 'expired' : error instanceof joseErrors.JWTClaimValidationFailed ? `claim ${error.claim} refused` : 'invalid';
    throw new HttpError(401, 'token_invalid', `access token ${reason}`, { reason });
  }
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const RefreshRow = z.object({ id: z.string(), user_id: z.string(), family_id: z.string(), expires_at: z.date(), revoked_at: z.date().nullable(), replaced_by: z.string().nullable() });

export async function issueRefreshToken(tx: Queryable, config: TokenConfig, userId: string, familyId: string = randomUUID()): Promise<{ token: string; id: string }> {
  const token = randomBytes(32).toString('base64url');
  const id = randomUUID();
  const expiresAt = new Date((config.nowSeconds() + config.refreshTokenSeconds) * 1000);
  await tx.query('insert into refresh_tokens (id, user_id, family_id, token_hash, expires_at) values ($1, $2, $3, $4, $5)', [id, userId, familyId, tokenHash(token), expiresAt]);
  return { token, id };
}

export type RefreshRotation =
  | { readonly userId: string; readonly token: string }
  /** A token already exchanged presented again: copied, so its family was revoked. */
  | { readonly reused: true; readonly familyId: string }
  /** A token revoked without being exchanged (signed out, user disabled, password reset): refused, nothing else changes. */
  | { readonly revoked: true; readonly userId: string; readonly familyId: string };

/** Exchanges a refresh token for a new one in the same family; returns the user id. */
export async function rotateRefreshToken(db: Db, config: TokenConfig, token: string): Promise<RefreshRotation> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query('select id, user_id, family_id, expires_at, revoked_at, replaced_by from refresh_tokens where token_hash = $1 for update', [tokenHash(token)]);
    if (rows[0] === undefined) throw new HttpError(401, 'token_invalid', 'refresh token unknown', { reason: 'unknown' });
    const row = RefreshRow.parse(rows[0]);
    const now = new Date(config.nowSeconds() * 1000);
    // Only an exchanged token (replaced_by set) proves a copy; revoking alone leaves replaced_by null.
    if (row.replaced_by !== null) {
      await tx.query('update refresh_tokens set revoked_at = coalesce(revoked_at, $2) where family_id = $1', [row.family_id, now]);
      return { reused: true as const, familyId: row.family_id };
    }
    if (row.revoked_at !== null) return { revoked: true as const, userId: row.user_id, familyId: row.family_id };
    if (row.expires_at.getTime() <= now.getTime()) throw new HttpError(401, 'token_invalid', 'refresh token expired', { reason: 'expired' });
    const next = await issueRefreshToken(tx, config, row.user_id, row.family_id);
    await tx.query('update refresh_tokens set revoked_at = $2, replaced_by = $3 where id = $1', [row.id, now, next.id]);
    return { userId: row.user_id, token: next.token };
  });
}

/** Revokes the family a refresh token belongs to (sign-out on this desk); unknown tokens are ignored. */
export async function revokeRefreshFamily(db: Db, config: TokenConfig, token: string): Promise<void> {
  await db.query('update refresh_tokens set revoked_at = coalesce(revoked_at, $2) where family_id = (select family_id from refresh_tokens where token_hash = $1)', [tokenHash(token), new Date(config.nowSeconds() * 1000)]);
}

/** Revokes every refresh token of a user (disabled, or its password reset): each of its sessions ends at its next refresh. Returns how many were live. */
export async function revokeUserRefreshTokens(db: Queryable, userId: string, at: Date): Promise<number> {
  const { rows } = await db.query('update refresh_tokens set revoked_at = $2 where user_id = $1 and revoked_at is null returning id', [userId, at]);
  return rows.length;
}
