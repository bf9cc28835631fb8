import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';
import type { AuthUser, Role } from './roles.ts';
import { verifyAccessToken, type TokenConfig } from './tokens.ts';
import { findUserById } from '../auth/users-repository.ts';

/**
 * Every API route names the roles that may use it; the check runs before the handler, once,
 * here. The token must verify and its user must still exist, be enabled and hold the role the
 * token claims, so disabling a user or changing a role takes effect at once, not at expiry. A user
 * whose password is an admin's one-time password reaches only the route that changes it.
 */
declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
    /** When the access token this request came with expires (seconds since the epoch); long streams end then. */
    tokenExpiresAtSeconds: number | null;
  }
  interface FastifyInstance {
    tokens: TokenConfig;
  }
}

function bearerOf(request: FastifyRequest, allowQueryToken: boolean): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (match === null) throw new HttpError(401, 'token_invalid', 'Authorization must be "Bearer <token>"', { reason: 'malformed' });
    return match[1] as string;
  }
  // EventSource cannot send headers: the stream route alone accepts the token as a query parameter (blanked in logs).
  const query = request.query as Record<string, unknown> | undefined;
  if (allowQueryToken && typeof query?.access_token === 'string') return query.access_token;
  return null;
}

/** The one answer to a user who still holds an admin's one-time password, on every route but the change of it. */
export function passwordChangeRequired(): HttpError {
  return new HttpError(403, 'password_change_required', 'set your own password first (POST /api/v1/auth/password): the one you signed in with is a one-time password');
}

export function requireRole(roles: readonly Role[], options: { readonly allowQueryToken?: boolean; readonly allowPasswordChange?: boolean } = {}) {
  return async function guard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerOf(request, options.allowQueryToken ?? false);
    if (token === null) throw new HttpError(401, 'unauthenticated', 'sign in first');
    const claimed = await verifyAccessToken(request.server.tokens, token);
    const user = await findUserById(request.server.db, claimed.id);
    if (user === null || user.disabled || user.role !== claimed.role) throw new HttpError(401, 'token_invalid', 'the token no longer matches an enabled user', { reason: 'user' });
    if (!roles.includes(user.role)) throw new HttpError(403, 'forbidden', `role ${user.role} may not use this route`, { role: user.role });
    // The token's claim, and the user's row on each request: a reset restricts the user's live access tokens at once too.
    if ((claimed.passwordChange || user.password_change_required) && options.allowPasswordChange !== true) throw passwordChangeRequired();
    request.user = { id: user.id, username: user.username, role: user.role };
    request.tokenExpiresAtSeconds = claimed.expiresAtSeconds;
  };
}

export function userOf(request: FastifyRequest): AuthUser {
  if (request.user === null) throw new HttpError(401, 'unauthenticated', 'sign in first');
  return request.user;
}
