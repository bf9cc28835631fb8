import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.ts';
import { bearer, startTestApp, TEST_PASSWORD, type TestApp } from '../test-app.test-support.ts';
import { testDatabases } from '../test-support.ts';
import { countHit } from './rate-limit.ts';

/**
 * The sign-in throttle across server processes: two app instances on one database (on PostgreSQL
 * each with its own connection pool), 3 attempts per 15 minutes. The clock starts at 09:00:00, the
 * start of a 15-minute window, so a refusal waits 900 s.
 */
const WINDOW_MS = 15 * 60_000;

for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`sign-in throttle on ${target.kind}`, () => {
    let db: Db;
    let second: Db;
    let drop: () => Promise<void>;
    let processes: TestApp[];

    beforeAll(async () => {
      ({ db, drop } = await target.open());
      second = (await target.openAnother?.(db.schema)) ?? db;
      // Access tokens outlive the windows the tests move through.
      const options = { auth: { signInFailuresMax: 3, signInWindowMs: WINDOW_MS, accessTokenSeconds: 3600 } };
      processes = [await startTestApp(db, options, { dora: 'approver', ana: 'analyst', cy: 'approver' }), await startTestApp(second, options)];
    });
    afterAll(async () => {
      for (const each of processes ?? []) await each.app.close();
      if (second !== db) await second?.close();
      await db?.close();
      await drop?.();
    });

    const post = (index: number, url: string, payload: unknown, extra: { token?: string; address?: string } = {}) =>
      (processes[index] as TestApp).app.inject({ method: 'POST', url, remoteAddress: extra.address ?? '127.0.0.1', headers: { 'content-type': 'application/json', ...(extra.token === undefined ? {} : bearer(extra.token)) }, payload: JSON.stringify(payload) });
    const signIn = (index: number, username: string, password: string, address?: string) => post(index, '/api/v1/auth/sign-in', { username, password }, address === undefined ? {} : { address });
    const moveClocks = (ms: number) => {
      for (const each of processes) each.clock.nowMs += ms;
    };
    const rowsOf = async (scope: string) => (await db.query<{ key: string; hits: number }>('select key, hits from rate_windows where scope = $1 order by key', [scope])).rows;

    it('gives a user name and address 3 attempts on two processes together, not 3 each; then 429 with Retry-After even with the right password, another address unaffected, again after the window', async () => {
      for (const index of [0, 1, 0]) expect((await signIn(index, 'dora', 'wrong-password-123')).statusCode, `process ${index}`).toBe(401);
      // Before: process 1 had counted one failure itself and let this through.
      for (const index of [1, 0]) {
        const limited = await signIn(index, 'dora', TEST_PASSWORD);
        expect(limited.statusCode, `process ${index}`).toBe(429);
        expect(limited.json().error).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: 900 } });
        expect(limited.headers['retry-after']).toBe('900');
      }
      // The key is the name and the address together: dora from another address signs in.
      expect((await signIn(1, 'dora', TEST_PASSWORD, '10.0.0.7')).statusCode).toBe(200);
      // 3 attempts + 2 refused = 5 hits on dora|127.0.0.1; the success cleared dora|10.0.0.7.
      expect(await rowsOf('sign-in')).toEqual([{ key: 'dora|127.0.0.1', hits: 5 }]);
      moveClocks(WINDOW_MS);
      expect((await signIn(1, 'dora', TEST_PASSWORD)).statusCode).toBe(200);
      expect(await rowsOf('sign-in')).toEqual([]);
    });

    it('counts attempts sent at once before their passwords are checked: 6 wrong ones on two processes, 3 checked (401), 3 refused (429)', async () => {
      // Before: each attempt was checked against the failures recorded so far, none yet, so all 6 were 401.
      const answers = await Promise.all([0, 1, 0, 1, 0, 1].map((index) => signIn(index, 'ana', 'wrong-password-123')));
      const codes = answers.map((each) => each.statusCode).sort();
      expect(codes).toEqual([401, 401, 401, 429, 429, 429]);
      expect(await rowsOf('sign-in')).toEqual([{ key: 'ana|127.0.0.1', hits: 6 }]);
    });

    it('throttles wrong current passwords of a password change per user across processes, and sweeps ended windows', async () => {
      moveClocks(WINDOW_MS);
      const session = (await signIn(0, 'cy', TEST_PASSWORD)).json() as { accessToken: string };
      const change = (index: number, currentPassword: string) => post(index, '/api/v1/auth/password', { currentPassword, newPassword: 'a-new-long-password-2' }, { token: session.accessToken });
      // Entering a new window swept ana's ended one: the sign-in scope is empty after cy's success.
      expect(await rowsOf('sign-in')).toEqual([]);
      for (const index of [1, 0, 1]) expect((await change(index, 'not-my-password-1')).json().error.code, `process ${index}`).toBe('password_wrong');
      const limited = await change(0, TEST_PASSWORD);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBe('900');
      moveClocks(WINDOW_MS);
      expect((await change(1, TEST_PASSWORD)).statusCode).toBe(200);
      expect(await rowsOf('password-change')).toEqual([]);
    });

    it('counts a hit from a process whose clock lags into the newer window instead of restarting it', async () => {
      const window = { max: 1, windowMs: 60_000 };
      // Window [60,000, 120,000): the first hit is allowed.
      expect(await countHit(db, 'partner-key', 'lag', window, 60_000)).toBe(0);
      // A clock 1 ms behind still counts into it: 2 hits > 1, wait 60,000 + 60,000 - 59,999 = 60,001 ms.
      expect(await countHit(second, 'partner-key', 'lag', window, 59_999)).toBe(60_001);
    });
  });
}
