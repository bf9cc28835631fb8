import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { assert } from '../../core/assert.ts';
import type { Queryable } from '../db/types.ts';
import { Role, type AuthUser } from './roles.ts';

/** Users in PostgreSQL; every row is validated on the way out. Methods take the connection, so callers group them in one transaction. */
const UserRow = z.object({
  id: z.string(),
  username: z.string(),
  password_hash: z.string(),
  role: Role,
  disabled: z.boolean(),
  /** The password is one an admin set (migration 009): the user must set their own before anything else. */
  password_change_required: z.boolean(),
});
export type UserRow = z.infer<typeof UserRow>;
const USER_COLUMNS = 'id, username, password_hash, role, disabled, password_change_required';

export async function findUserByName(db: Queryable, username: string): Promise<UserRow | null> {
  const { rows } = await db.query(`select ${USER_COLUMNS} from users where username = $1`, [username]);
  return rows[0] === undefined ? null : UserRow.parse(rows[0]);
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | null> {
  const { rows } = await db.query(`select ${USER_COLUMNS} from users where id = $1`, [id]);
  return rows[0] === undefined ? null : UserRow.parse(rows[0]);
}

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ count: string }>('select count(*)::bigint as count from users');
  return Number(rows[0]?.count ?? '0');
}

/** Inserts a user; null when the name is taken. */
export async function insertUser(db: Queryable, user: { username: string; passwordHash: string; role: Role }): Promise<AuthUser | null> {
  const id = `u_${randomUUID()}`;
  const { rows } = await db.query('insert into users (id, username, password_hash, role) values ($1, $2, $3, $4) on conflict (username) do nothing returning id, username, role', [id, user.username, user.passwordHash, user.role]);
  if (rows[0] === undefined) return null;
  const created = UserRow.pick({ id: true, username: true, role: true }).parse(rows[0]);
  assert(created.id === id, 'the inserted user has the id given');
  return created;
}

/** Stamps an accepted sign-in (the desk's admin list of portal users shows it). */
export async function recordSignIn(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query('update users set last_sign_in_at = $2 where id = $1', [id, at]);
}

/** Sets a user's own password: the one-time password an admin set stops being required to change. */
export async function setOwnPassword(db: Queryable, id: string, passwordHash: string): Promise<void> {
  await db.query('update users set password_hash = $2, password_change_required = false where id = $1', [id, passwordHash]);
}
