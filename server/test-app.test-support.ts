import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from './app.ts';
import { hashPassword } from './auth/passwords.ts';
import type { AuthUser, Role } from './auth/roles.ts';
import { signAccessToken } from './auth/tokens.ts';
import { insertUser } from './auth/users-repository.ts';
import type { Db } from './db/types.ts';
import { createLogger } from './logger.ts';

/**
 * Test support (no production caller): a server over a test database with a captured log, a
 * movable clock, and users of every role. Users share one argon2id hash (0.4 s each) so a test
 * file pays for it once.
 */
export const TEST_PASSWORD = 'correct-horse-battery-staple';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly logLines: string[];
  readonly clock: { nowMs: number };
  user(name: string): AuthUser;
  tokenFor(name: string): Promise<string>;
}

let sharedHash: Promise<string> | null = null;

export async function startTestApp(db: Db, options: Partial<ServerOptions> = {}, users: Readonly<Record<string, Role>> = {}): Promise<TestApp> {
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const clock = { nowMs: Date.parse('2026-03-01T09:00:00Z') };
  const app = await buildServer({ db, logger: createLogger({ level: 'info', destination }), nowMs: () => clock.nowMs, ...options });
  sharedHash ??= hashPassword(TEST_PASSWORD);
  const passwordHash = await sharedHash;
  const created = new Map<string, AuthUser>();
  for (const [username, role] of Object.entries(users)) {
    const user = await insertUser(db, { username, passwordHash, role });
    if (user === null) throw new Error(`user ${username} exists`);
    created.set(username, user);
  }
  const user = (name: string) => {
    const found = created.get(name);
    if (found === undefined) throw new Error(`no test user ${name}`);
    return found;
  };
  return { app, logLines, clock, user, tokenFor: (name) => signAccessToken(app.tokens, user(name)) };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
