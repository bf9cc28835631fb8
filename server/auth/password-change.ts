import { z } from 'zod';
import { HttpError } from '../http/errors.ts';
import type { Db } from '../db/types.ts';
import { appendServerAuditEvent } from '../sync/repository.ts';
import { hashPassword, Password, verifyPassword } from './passwords.ts';
import type { SignInThrottle } from './rate-limit.ts';
import { revokeUserRefreshTokens } from './tokens.ts';
import { findUserById, setOwnPassword, type UserRow } from './users-repository.ts';

/**
 * A signed-in user sets their own password (POST /api/v1/auth/password): the only thing a user
 * holding an admin's one-time password may do (guard.ts). The current password is checked again,
 * under the sign-in throttle, so a stolen access token alone cannot take the account over; the new
 * one must differ from it. Every session of the user ends (the route hands out a new one), and the
 * change is a server audit event.
 */
export const PasswordChangeBody = z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: Password });

export async function changeOwnPassword(db: Db, throttle: SignInThrottle, userId: string, body: z.infer<typeof PasswordChangeBody>, at: Date): Promise<UserRow> {
  await throttle.attempt(db, 'password-change', userId);
  const user = await findUserById(db, userId);
  if (user === null || user.disabled) throw new HttpError(401, 'token_invalid', 'the token no longer matches an enabled user', { reason: 'user' });
  if (!(await verifyPassword(body.currentPassword, user.password_hash))) throw new HttpError(403, 'password_wrong', 'the current password is wrong');
  await throttle.succeeded(db, 'password-change', userId);
  if (body.newPassword === body.currentPassword) throw new HttpError(400, 'request_invalid', 'body.newPassword: the new password must differ from the current one', { path: 'body.newPassword' });
  const passwordHash = await hashPassword(body.newPassword);
  const sessionsEnded = await db.transaction(async (tx) => {
    await setOwnPassword(tx, userId, passwordHash);
    return revokeUserRefreshTokens(tx, userId, at);
  });
  // Beside the admin's partner_user.password_reset: the trail shows when the one-time password was replaced.
  await appendServerAuditEvent(db, { id: user.username, role: user.role }, 'user.password_changed', { kind: 'user', id: user.username }, { oneTime: String(user.password_change_required), sessionsEnded: String(sessionsEnded) }, at.toISOString());
  return { ...user, password_hash: passwordHash, password_change_required: false };
}
