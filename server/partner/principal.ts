import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { passwordChangeRequired } from '../auth/guard.ts';
import { verifyAccessToken } from '../auth/tokens.ts';
import { HttpError } from '../http/errors.ts';
import { appendServerAuditEvent } from '../sync/repository.ts';
import { API_KEY_SCOPES, checkApiKey, recordApiKeyUse, type ApiKeyScope } from './api-keys.ts';
import { countKeyRequest, type KeyRateLimit } from './key-rate-limit.ts';

/**
 * Who calls the partner API, and for which partner. The partner id always comes from the server's
 * own rows (the partner user's users.partner_id, the key's partner_api_keys.partner_id), never from
 * the URL or the body: every partner query is then scoped by it (scope.ts).
 */
export interface PartnerPrincipal {
  readonly partnerId: string;
  /** The partner user's name, or `apikey.<key id>`: what documents and audit events name. */
  readonly actor: string;
  readonly keyId: string | null;
  readonly scopes: readonly ApiKeyScope[];
}

declare module 'fastify' {
  interface FastifyRequest {
    partner: PartnerPrincipal | null;
  }
}

export interface PartnerGuardOptions {
  /** Requests per key per window, counted in the database across server processes (key-rate-limit.ts). */
  readonly keyRate: KeyRateLimit;
  readonly nowMs: () => number;
}

const PartnerUser = z.object({ username: z.string(), role: z.string(), disabled: z.boolean(), partner_id: z.string().nullable(), password_change_required: z.boolean() });
const AUTHORIZATION = /^(Bearer|ApiKey) ([A-Za-z0-9._~+/-]+=*)$/;

async function sessionPrincipal(request: FastifyRequest, token: string): Promise<PartnerPrincipal> {
  const claimed = await verifyAccessToken(request.server.tokens, token);
  const { rows } = await request.server.db.query('select username, role, disabled, partner_id, password_change_required from users where id = $1', [claimed.id]);
  const user = rows[0] === undefined ? null : PartnerUser.parse(rows[0]);
  if (user === null || user.disabled || user.role !== claimed.role) throw new HttpError(401, 'token_invalid', 'the token no longer matches an enabled user', { reason: 'user' });
  if (user.role !== 'partner' || user.partner_id === null) throw new HttpError(403, 'forbidden', `role ${user.role} does not use the partner API`, { role: user.role });
  if (claimed.passwordChange || user.password_change_required) throw passwordChangeRequired();
  return { partnerId: user.partner_id, actor: user.username, keyId: null, scopes: API_KEY_SCOPES };
}

async function keyPrincipal(request: FastifyRequest, presented: string, options: PartnerGuardOptions): Promise<PartnerPrincipal> {
  const checked = await checkApiKey(request.server.db, presented, options.nowMs());
  const at = new Date(options.nowMs()).toISOString();
  if (!checked.ok) {
    const keyId = /^sdpk_(pk_[0-9a-f]{24})_/.exec(presented)?.[1];
    // A known key refused (revoked, expired) is a use too: it goes into the audit trail.
    if (keyId !== undefined && (checked.reason === 'revoked' || checked.reason === 'expired')) {
      await appendServerAuditEvent(request.server.db, { id: `apikey.${keyId}`, role: 'partner' }, 'partner_api_key.refused', { kind: 'partner_api_key', id: keyId }, { reason: checked.reason, method: request.method, route: request.routeOptions.url ?? 'unknown' }, at);
    }
    throw new HttpError(401, 'token_invalid', `the API key is ${checked.reason}`, { reason: checked.reason });
  }
  const key = checked.key;
  const waitMs = await countKeyRequest(request.server.db, key.id, options.keyRate, options.nowMs());
  if (waitMs > 0) {
    throw new HttpError(429, 'rate_limited', `too many requests with this key: retry in ${Math.ceil(waitMs / 1000)} s`, { retryAfterSeconds: Math.ceil(waitMs / 1000) });
  }
  const actor = `apikey.${key.id}`;
  await recordApiKeyUse(request.server.db, key.id, at);
  await appendServerAuditEvent(request.server.db, { id: actor, role: 'partner' }, 'partner_api_key.used', { kind: 'partner_api_key', id: key.id }, { partnerId: key.partnerId, method: request.method, route: request.routeOptions.url ?? 'unknown' }, at);
  return { partnerId: key.partnerId, actor, keyId: key.id, scopes: key.scopes };
}

/** The partner API's one guard: a partner user's access token or an API key, holding `scope`. */
export function requirePartner(scope: ApiKeyScope, options: PartnerGuardOptions) {
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    if (typeof header !== 'string') throw new HttpError(401, 'unauthenticated', 'send "Authorization: Bearer <access token>" or "Authorization: ApiKey <key>"');
    const match = AUTHORIZATION.exec(header);
    if (match === null) throw new HttpError(401, 'token_invalid', 'Authorization must be "Bearer <token>" or "ApiKey <key>"', { reason: 'malformed' });
    try {
      request.partner = match[1] === 'Bearer' ? await sessionPrincipal(request, match[2] as string) : await keyPrincipal(request, match[2] as string, options);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 429) void reply.header('retry-after', String(error.details.retryAfterSeconds));
      throw error;
    }
    if (!request.partner.scopes.includes(scope)) throw new HttpError(403, 'forbidden', `this key does not hold the scope ${scope}`, { scope });
  };
}

export function partnerOf(request: FastifyRequest): PartnerPrincipal {
  if (request.partner === null) throw new HttpError(401, 'unauthenticated', 'sign in first');
  return request.partner;
}
