import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireRole, userOf } from '../auth/guard.ts';
import { changeOwnPassword, PasswordChangeBody } from '../auth/password-change.ts';
import { dummyPasswordHash, hashPassword, Password, verifyPassword } from '../auth/passwords.ts';
import type { SignInThrottle } from '../auth/rate-limit.ts';
import { Role, ROLES, Username, type AuthUser } from '../auth/roles.ts';
import { issueRefreshToken, revokeRefreshFamily, rotateRefreshToken, signAccessToken } from '../auth/tokens.ts';
import { countUsers, findUserById, findUserByName, insertUser, recordSignIn } from '../auth/users-repository.ts';
import { HttpError, parseRequest } from '../http/errors.ts';

/**
 * Sign-in, token refresh and sign-out, the first-run admin set-up and user administration.
 * The set-up needs the one-time token the server wrote to its data folder on first start (no
 * default password ships); it works once, while no user exists.
 */
export interface AuthRouteOptions {
  readonly throttle: SignInThrottle;
  readonly setupToken: string | null;
  /** Called once the first admin exists (main.ts deletes the token file). */
  readonly onSetupDone?: () => Promise<void>;
}

const SignInBody = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(1024) });
const RefreshBody = z.strictObject({ refreshToken: z.string().min(20).max(200) });
const SetupBody = z.strictObject({ setupToken: z.string().min(1).max(200), username: Username, password: Password });
// Partner users are bound to their partner when made (POST /api/v1/admin/partners/:id/users), never here.
const NewUserBody = z.strictObject({ username: Username, password: Password, role: Role.exclude(['partner']) });

function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export async function authRoutes(app: FastifyInstance, options: AuthRouteOptions): Promise<void> {
  // passwordChangeRequired: the password is an admin's one-time one; the session reaches only POST /api/v1/auth/password (guard.ts).
  const session = async (user: AuthUser, passwordChangeRequired: boolean, familyRefresh?: string) => ({
    accessToken: await signAccessToken(app.tokens, user, { passwordChange: passwordChangeRequired }),
    refreshToken: familyRefresh ?? (await app.db.transaction((tx) => issueRefreshToken(tx, app.tokens, user.id))).token,
    expiresInSeconds: app.tokens.accessTokenSeconds,
    user,
    passwordChangeRequired,
  });

  // The throttle's 429 says when to come back in Retry-After too (hooks of this plugin see only its routes).
  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof HttpError && error.statusCode === 429) void reply.header('retry-after', String(error.details.retryAfterSeconds));
  });

  app.post('/api/v1/setup', async (request, reply) => {
    const body = parseRequest(SetupBody, request.body, 'body');
    if (options.setupToken === null || !sameSecret(body.setupToken, options.setupToken)) throw new HttpError(403, 'setup_token_invalid', 'the set-up token is not the one this server wrote');
    const passwordHash = await hashPassword(body.password);
    const user = await app.db.transaction(async (tx) => {
      // Serializes concurrent set-ups: only the first, while no user exists, creates the admin.
      await tx.query('select pg_advisory_xact_lock(5117016)');
      if ((await countUsers(tx)) > 0) throw new HttpError(409, 'setup_done', 'this server already has users');
      return insertUser(tx, { username: body.username, passwordHash, role: 'admin' });
    });
    request.log.info({ userId: user?.id }, 'first admin created');
    await options.onSetupDone?.();
    return reply.status(201).send({ user });
  });

  app.post('/api/v1/auth/sign-in', async (request) => {
    const body = parseRequest(SignInBody, request.body, 'body');
    const key = `${body.username.toLowerCase()}|${request.ip}`;
    await options.throttle.attempt(app.db, 'sign-in', key);
    const found = await findUserByName(app.db, body.username);
    const passwordOk = await verifyPassword(body.password, found?.password_hash ?? (await dummyPasswordHash()));
    if (found === null || found.disabled || !passwordOk) {
      app.metrics.signInFailures.inc();
      throw new HttpError(401, 'unauthenticated', 'user name or password is wrong');
    }
    await options.throttle.succeeded(app.db, 'sign-in', key);
    await recordSignIn(app.db, found.id, new Date(app.tokens.nowSeconds() * 1000));
    return session({ id: found.id, username: found.username, role: found.role }, found.password_change_required);
  });

  app.post('/api/v1/auth/refresh', async (request) => {
    const body = parseRequest(RefreshBody, request.body, 'body');
    const rotated = await rotateRefreshToken(app.db, app.tokens, body.refreshToken);
    if ('reused' in rotated) {
      request.log.warn({ familyId: rotated.familyId }, 'refresh token reused: family revoked');
      throw new HttpError(401, 'token_invalid', 'refresh token already used: every session of this sign-in is revoked', { reason: 'reused' });
    }
    const user = await findUserById(app.db, rotated.userId);
    if (user === null || user.disabled) {
      request.log.info({ userId: rotated.userId, familyId: 'revoked' in rotated ? rotated.familyId : undefined }, 'refresh refused: user disabled');
      throw new HttpError(401, 'token_invalid', 'user disabled', { reason: 'user' });
    }
    if ('revoked' in rotated) {
      request.log.info({ userId: rotated.userId, familyId: rotated.familyId }, 'refresh refused: token revoked (signed out or password reset)');
      throw new HttpError(401, 'token_invalid', 'refresh token revoked: sign in again', { reason: 'revoked' });
    }
    return session({ id: user.id, username: user.username, role: user.role }, user.password_change_required, rotated.token);
  });

  app.post('/api/v1/auth/password', { preHandler: requireRole(ROLES, { allowPasswordChange: true }) }, async (request) => {
    const body = parseRequest(PasswordChangeBody, request.body, 'body');
    const user = await changeOwnPassword(app.db, options.throttle, userOf(request).id, body, new Date(app.tokens.nowSeconds() * 1000));
    request.log.info({ userId: user.id }, 'password changed by its user: every session ended, a new one handed out');
    return session({ id: user.id, username: user.username, role: user.role }, false);
  });

  app.post('/api/v1/auth/sign-out', async (request, reply) => {
    const body = parseRequest(RefreshBody, request.body, 'body');
    await revokeRefreshFamily(app.db, app.tokens, body.refreshToken);
    return reply.status(204).send();
  });

  app.get('/api/v1/me', { preHandler: requireRole(['analyst', 'approver', 'admin', 'auditor']) }, async (request) => ({ user: userOf(request) }));

  app.post('/api/v1/users', { preHandler: requireRole(['admin']) }, async (request, reply) => {
    const body = parseRequest(NewUserBody, request.body, 'body');
    const user = await insertUser(app.db, { username: body.username, passwordHash: await hashPassword(body.password), role: body.role });
    if (user === null) throw new HttpError(409, 'conflict', `user ${body.username} exists`);
    request.log.info({ userId: user.id, role: user.role, by: userOf(request).id }, 'user created');
    return reply.status(201).send({ user });
  });
}
