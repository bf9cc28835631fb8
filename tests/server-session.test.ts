import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../server/db/migrate.ts';
import { openPglite } from '../server/db/pglite.ts';
import type { Db } from '../server/db/types.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../server/test-app.test-support.ts';
import type { SecretName } from '../renderer/host/host.ts';
import { REFRESH_MARGIN_MS, ServerSession, SignInError } from '../renderer/src/screens/settings/sign-in.ts';

// The desk's session against the real server (PGlite, over HTTP): the access token lives 300 s,
// is refreshed REFRESH_MARGIN_MS before that and on a 401, each refresh rotates the refresh token,
// and signing out revokes it on the server. At rest only the refresh token sits in the host's
// secret store (the access token stays in memory); a desk restored from the store refreshes first.

function memoryHost() {
  const secrets = new Map<SecretName, string>();
  return {
    secrets,
    storeSecret: async (name: SecretName, value: string) => void secrets.set(name, value),
    forgetSecret: async (name: SecretName) => void secrets.delete(name),
    serverToken: async () => secrets.get('server-token') ?? null,
  };
}

describe('the desk session with the sync server', () => {
  let db: Db;
  let t: TestApp;
  let base: string;
  const clock = { nowMs: Date.parse('2026-03-01T09:00:00Z') };

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    t = await startTestApp(db, { nowMs: () => clock.nowMs }, { ana: 'analyst', amy: 'approver' });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  }, 240_000);
  afterAll(async () => {
    await t?.app.close();
    await db?.close();
  });

  const me = async (token: string | null) => (await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;
  const refreshWith = async (refreshToken: string) => (await fetch(`${base}/api/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) })).status;

  it('signs in, refreshes before expiry with a rotated refresh token, and keeps only the refresh token at rest', async () => {
    const host = memoryHost();
    const session = new ServerSession({ host, nowMs: () => clock.nowMs });
    const users: (string | null)[] = [];
    session.subscribe((user) => users.push(user?.username ?? null));
    expect(await session.signIn(base, 'ana', TEST_PASSWORD)).toMatchObject({ username: 'ana', role: 'analyst' });
    const first = await session.accessToken(base);
    expect(await me(first)).toBe(200);
    const stored = JSON.parse(host.secrets.get('server-token') ?? '{}') as { refreshToken: string; accessToken?: string };
    expect(stored.accessToken).toBeUndefined();
    expect(Object.keys(stored).sort()).toEqual(['refreshToken', 'serverUrl', 'user']);
    // 300 s - 30 s margin: at 269 s the token is still used as is; at 271 s it is refreshed first.
    clock.nowMs += 269_000;
    expect(await session.accessToken(base)).toBe(first);
    clock.nowMs += 2_000;
    const second = await session.accessToken(base);
    expect(second).not.toBe(first);
    expect(await me(second)).toBe(200);
    const rotated = JSON.parse(host.secrets.get('server-token') ?? '{}') as { refreshToken: string };
    expect(rotated.refreshToken).not.toBe(stored.refreshToken);
    expect(REFRESH_MARGIN_MS).toBe(30_000);
    expect(users).toEqual(['ana']);
  });

  it('a desk restored from the store (a restart, a browser reload) refreshes at once; a revoked sign-in is signed out at load', async () => {
    const host = memoryHost();
    const session = new ServerSession({ host, nowMs: () => clock.nowMs });
    await session.signIn(base, 'ana', TEST_PASSWORD);
    const before = JSON.parse(host.secrets.get('server-token') ?? '{}') as { refreshToken: string };
    const restored = new ServerSession({ host, nowMs: () => clock.nowMs });
    await restored.load();
    expect(restored.userFor(base)?.username).toBe('ana');
    expect(restored.userFor('http://other.example')).toBeNull();
    // Refreshed on load: the stored refresh token was spent and replaced, and the new access token works.
    const after = JSON.parse(host.secrets.get('server-token') ?? '{}') as { refreshToken: string };
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(await me(await restored.accessToken(base))).toBe(200);
    // Signed out elsewhere meanwhile: the next restore finds the sign-in revoked and forgets it.
    const revoked = new ServerSession({ host, nowMs: () => clock.nowMs });
    await restored.signOut();
    host.secrets.set('server-token', JSON.stringify(after));
    await revoked.load();
    expect(revoked.userFor(base)).toBeNull();
    expect(host.secrets.has('server-token')).toBe(false);
  });

  it('refreshes at once when the server answers 401, and only once for many such answers', async () => {
    const host = memoryHost();
    let refreshes = 0;
    const counting: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/auth/refresh')) refreshes++;
      return fetch(input, init);
    };
    const session = new ServerSession({ host, fetch: counting, nowMs: () => clock.nowMs });
    await session.signIn(base, 'ana', TEST_PASSWORD);
    const token = (await session.accessToken(base)) as string;
    await Promise.all([session.unauthorized(base, token), session.unauthorized(base, token), session.unauthorized(base, token)]);
    expect(refreshes).toBe(1);
    expect(await session.accessToken(base)).not.toBe(token);
    // A 401 for a token already replaced does not refresh again.
    await session.unauthorized(base, token);
    expect(refreshes).toBe(1);
  });

  it('signs out: the refresh token is revoked on the server and forgotten here', async () => {
    const host = memoryHost();
    const session = new ServerSession({ host, nowMs: () => clock.nowMs });
    await session.signIn(base, 'ana', TEST_PASSWORD);
    const { refreshToken } = JSON.parse(host.secrets.get('server-token') ?? '{}') as { refreshToken: string };
    await session.signOut();
    expect(host.secrets.has('server-token')).toBe(false);
    expect(await session.accessToken(base)).toBeNull();
    expect(await refreshWith(refreshToken)).toBe(401);
  });

  it('a refused refresh signs the desk out; a wrong password says why', async () => {
    const host = memoryHost();
    const session = new ServerSession({ host, nowMs: () => clock.nowMs });
    await session.signIn(base, 'ana', TEST_PASSWORD);
    const { refreshToken } = JSON.parse(host.secrets.get('server-token') ?? '{}') as { refreshToken: string };
    // Someone else spent this refresh token: the server revokes the family, the desk is signed out.
    expect(await refreshWith(refreshToken)).toBe(200);
    clock.nowMs += 300_000;
    expect(await session.accessToken(base)).toBeNull();
    expect(session.userFor(base)).toBeNull();
    expect(host.secrets.has('server-token')).toBe(false);
    const refused = await session.signIn(base, 'ana', 'wrong-password-here').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SignInError);
    expect((refused as SignInError).code).toBe('unauthenticated');
  });

  it('a sign-in with a one-time password says a new one is required, and setting it keeps the desk signed in with a session the server accepts', async () => {
    // As an admin's reset leaves a user (migration 009); no desk route resets a desk user yet.
    await db.query('update users set password_change_required = true where username = $1', ['amy']);
    const host = memoryHost();
    const session = new ServerSession({ host, nowMs: () => clock.nowMs });
    const heard: boolean[] = [];
    session.subscribe(() => heard.push(session.passwordChangeRequired(base)));
    await session.signIn(base, 'amy', TEST_PASSWORD);
    expect(session.passwordChangeRequired(base)).toBe(true);
    expect(session.passwordChangeRequired('http://other.example')).toBe(false);
    const oneTime = (await session.accessToken(base)) as string;
    expect(await me(oneTime)).toBe(403);
    const { refreshToken } = JSON.parse(host.secrets.get('server-token') ?? '{}') as { refreshToken: string };

    const wrong = await session.changePassword(base, 'not-the-password', 'amy-own-password-1').catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(SignInError);
    expect((wrong as SignInError).code).toBe('password_wrong');
    expect(session.passwordChangeRequired(base)).toBe(true);

    await session.changePassword(base, TEST_PASSWORD, 'amy-own-password-1');
    expect(session.passwordChangeRequired(base)).toBe(false);
    expect(session.userFor(base)?.username).toBe('amy');
    expect(await me(await session.accessToken(base))).toBe(200);
    // The change ended every earlier session: the one-time sign-in's refresh token is revoked.
    expect(await refreshWith(refreshToken)).toBe(401);
    expect(heard).toEqual([true, false]);
    const again = new ServerSession({ host: memoryHost(), nowMs: () => clock.nowMs });
    await again.signIn(base, 'amy', 'amy-own-password-1');
    expect(again.passwordChangeRequired(base)).toBe(false);
  });
});
