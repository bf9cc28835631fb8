import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../core/sync/audit-chain.ts';
import type { ExceptionDoc } from '../core/sync/documents.ts';
import { exceptionDocFixture, settlementFixture, statementDocFixture } from '../core/sync/fixtures.test-support.ts';
import { sha256Hex } from '../core/hash/sha256.ts';
import { mergeException } from '../core/sync/merge.ts';
import type { Db } from './db/types.ts';
import { bearer, startTestApp, TEST_PASSWORD, type TestApp } from './test-app.test-support.ts';
import { testDatabases } from './test-support.ts';

/**
 * The server's HTTP API on PGlite and on PostgreSQL: health, sign-in and tokens, replication,
 * maker-checker, authorization and hostile bodies. Expected values are worked by hand in each test.
 */
const SETUP_TOKEN = 'one-time-setup-token-for-tests';
const USERS = { ana: 'analyst', ben: 'analyst', cy: 'approver', dora: 'approver', eve: 'auditor', root: 'admin' } as const;

for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`server API on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let t: TestApp;
    let setupDone = 0;

    beforeAll(async () => {
      ({ db, drop } = await target.open());
      t = await startTestApp(db, { bodyLimitBytes: 64 * 1024, pushBodyLimitBytes: 256 * 1024, auth: { setupToken: SETUP_TOKEN, signInFailuresMax: 3, accessTokenSeconds: 300, onSetupDone: async () => void setupDone++ } }, USERS);
    });
    afterAll(async () => {
      await t?.app.close();
      await db?.close();
      await drop?.();
    });

    const json = (method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) =>
      t.app.inject({ method, url, headers: { ...(token === null ? {} : bearer(token)), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
    const rowCount = async () => Number((await db.query<{ n: string }>('select count(*)::bigint as n from sync_documents')).rows[0]?.n);

    describe('health and metrics', () => {
      it('answers /healthz and /readyz and serves Prometheus metrics with a request id', async () => {
        const health = await json('GET', '/healthz', null);
        expect(health.statusCode).toBe(200);
        expect(health.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        const given = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'desk-42.req-7' } });
        expect(given.headers['x-request-id']).toBe('desk-42.req-7');
        expect((await json('GET', '/readyz', null)).json()).toEqual({ status: 'ready', database: target.kind });
        const metrics = await json('GET', '/metrics', null);
        expect(metrics.body).toContain('settledesk_http_request_seconds_bucket');
        expect(metrics.body).toContain('settledesk_sync_conflicts_total');
      });
    });

    describe('first-run set-up', () => {
      it('refuses a wrong set-up token, then refuses once users exist (no default password anywhere)', async () => {
        const wrong = await json('POST', '/api/v1/setup', null, { setupToken: 'guess', username: 'boss', password: 'a-long-password-1' });
        expect(wrong.statusCode).toBe(403);
        expect(wrong.json().error.code).toBe('setup_token_invalid');
        // The test users already exist, so even the right token no longer creates an admin.
        const late = await json('POST', '/api/v1/setup', null, { setupToken: SETUP_TOKEN, username: 'boss', password: 'a-long-password-1' });
        expect(late.statusCode).toBe(409);
        expect(late.json().error.code).toBe('setup_done');
        expect(setupDone).toBe(0);
      });
    });

    describe('sign-in and tokens', () => {
      it('signs in, rotates the refresh token, and revokes the family when an old one is replayed', async () => {
        const signIn = await json('POST', '/api/v1/auth/sign-in', null, { username: 'ana', password: TEST_PASSWORD });
        expect(signIn.statusCode).toBe(200);
        const session = signIn.json();
        expect(session).toMatchObject({ expiresInSeconds: 300, user: { username: 'ana', role: 'analyst' } });
        expect((await json('GET', '/api/v1/me', session.accessToken)).json().user.username).toBe('ana');

        const first = await json('POST', '/api/v1/auth/refresh', null, { refreshToken: session.refreshToken });
        expect(first.statusCode).toBe(200);
        const rotated = first.json().refreshToken as string;
        expect(rotated).not.toBe(session.refreshToken);
        // Replaying the used token is theft: refused, and the rotated one dies with it.
        const replay = await json('POST', '/api/v1/auth/refresh', null, { refreshToken: session.refreshToken });
        expect(replay.statusCode).toBe(401);
        expect(replay.json().error.details.reason).toBe('reused');
        expect((await json('POST', '/api/v1/auth/refresh', null, { refreshToken: rotated })).statusCode).toBe(401);
      });

      it('signs out by revoking the refresh token family', async () => {
        const session = (await json('POST', '/api/v1/auth/sign-in', null, { username: 'ben', password: TEST_PASSWORD })).json();
        expect((await json('POST', '/api/v1/auth/sign-out', null, { refreshToken: session.refreshToken })).statusCode).toBe(204);
        expect((await json('POST', '/api/v1/auth/refresh', null, { refreshToken: session.refreshToken })).statusCode).toBe(401);
      });

      it('rate-limits refused sign-ins: 3 failures, then 429 even with the right password, until the window passes', async () => {
        for (let attempt = 0; attempt < 3; attempt++) {
          const refused = await json('POST', '/api/v1/auth/sign-in', null, { username: 'dora', password: 'wrong-password-123' });
          expect(refused.statusCode).toBe(401);
          expect(refused.json().error.code).toBe('unauthenticated');
        }
        const limited = await json('POST', '/api/v1/auth/sign-in', null, { username: 'dora', password: TEST_PASSWORD });
        expect(limited.statusCode).toBe(429);
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        t.clock.nowMs += 16 * 60_000;
        expect((await json('POST', '/api/v1/auth/sign-in', null, { username: 'dora', password: TEST_PASSWORD })).statusCode).toBe(200);
      });

      it('refuses missing, expired, forged, other-audience and malformed tokens', async () => {
        const codeOf = async (headers: Record<string, string>) => {
          const response = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers });
          return `${response.statusCode} ${response.json().error.code}`;
        };
        expect(await codeOf({})).toBe('401 unauthenticated');
        expect(await codeOf({ authorization: 'Basic YW5hOnB3' })).toBe('401 token_invalid');
        const valid = await t.tokenFor('ana');
        expect(await codeOf(bearer(`${valid.slice(0, -2)}xx`))).toBe('401 token_invalid');
        const forged = await new SignJWT({ role: 'admin', name: 'ana' }).setProtectedHeader({ alg: 'HS256' }).setSubject(t.user('ana').id).setIssuer('settledesk').setAudience('settledesk-api').setIssuedAt().setExpirationTime('5m').sign(new Uint8Array(32).fill(1));
        expect(await codeOf(bearer(forged))).toBe('401 token_invalid');
        const otherAudience = await new SignJWT({ role: 'analyst', name: 'ana' }).setProtectedHeader({ alg: 'HS256' }).setSubject(t.user('ana').id).setIssuer('settledesk').setAudience('another-api').setIssuedAt(Math.floor(t.clock.nowMs / 1000)).setExpirationTime(Math.floor(t.clock.nowMs / 1000) + 60).sign(t.app.tokens.key);
        expect(await codeOf(bearer(otherAudience))).toBe('401 token_invalid');
        // A token claiming a role its user does not have is refused even when correctly signed.
        const wrongRole = await new SignJWT({ role: 'approver', name: 'ana' }).setProtectedHeader({ alg: 'HS256' }).setSubject(t.user('ana').id).setIssuer('settledesk').setAudience('settledesk-api').setIssuedAt(Math.floor(t.clock.nowMs / 1000)).setExpirationTime(Math.floor(t.clock.nowMs / 1000) + 60).sign(t.app.tokens.key);
        expect(await codeOf(bearer(wrongRole))).toBe('401 token_invalid');
        const expiring = await t.tokenFor('ana');
        t.clock.nowMs += 301_000;
        expect(await codeOf(bearer(expiring))).toBe('401 token_invalid');
      });
    });

    describe('authorization matrix', () => {
      it('gives 401 without a token and 403 to every role a route is not for', async () => {
        const statement = statementDocFixture('st_matrix');
        const cases: Array<{ method: 'GET' | 'POST'; url: string; body?: unknown; refused: string[] }> = [
          { method: 'POST', url: '/api/v1/users', body: { username: 'x', password: 'a-long-password-1', role: 'analyst' }, refused: ['ana', 'cy', 'eve'] },
          { method: 'POST', url: '/api/v1/sync/comments/push', body: [], refused: ['eve'] },
          { method: 'POST', url: `/api/v1/statements/${statement.id}/submit`, body: { statementHash: statement.hash }, refused: ['cy', 'eve'] },
          { method: 'POST', url: `/api/v1/statements/${statement.id}/withdraw`, body: { statementHash: statement.hash }, refused: ['cy', 'eve'] },
          { method: 'POST', url: `/api/v1/statements/${statement.id}/approve`, body: { statementHash: statement.hash }, refused: ['ana', 'root', 'eve'] },
          { method: 'POST', url: `/api/v1/statements/${statement.id}/reject`, body: { statementHash: statement.hash, reason: 'no' }, refused: ['ana', 'root', 'eve'] },
        ];
        const readOnly = ['/api/v1/me', '/api/v1/sync/exceptions/pull', `/api/v1/statements/${statement.id}`];
        for (const item of [...cases, ...readOnly.map((url) => ({ method: 'GET' as const, url, body: undefined, refused: [] as string[] }))]) {
          expect((await json(item.method, item.url, null, item.body)).statusCode, item.url).toBe(401);
          for (const name of item.refused) {
            const response = await json(item.method, item.url, await t.tokenFor(name), item.body);
            expect(`${item.url} ${name} ${response.statusCode} ${response.json().error.code}`).toBe(`${item.url} ${name} 403 forbidden`);
          }
        }
        // The auditor reads everything it may read.
        expect((await json('GET', '/api/v1/sync/exceptions/pull', await t.tokenFor('eve'))).statusCode).toBe(200);
      });

      it('lets an admin create users, with a validated body', async () => {
        const root = await t.tokenFor('root');
        const created = await json('POST', '/api/v1/users', root, { username: 'fred', password: 'fred-long-password', role: 'auditor' });
        expect(created.statusCode).toBe(201);
        expect(created.json().user).toMatchObject({ username: 'fred', role: 'auditor' });
        expect((await json('POST', '/api/v1/users', root, { username: 'fred', password: 'fred-long-password', role: 'auditor' })).statusCode).toBe(409);
        expect((await json('POST', '/api/v1/users', root, { username: 'gil', password: 'short', role: 'analyst' })).json().error.code).toBe('request_invalid');
        expect((await json('POST', '/api/v1/users', root, { username: 'gil', password: 'long-enough-pass', role: 'superuser' })).statusCode).toBe(400);
      });
    });

    describe('replication', () => {
      it('pulls what was pushed by checkpoint, returns conflicts instead of overwriting, and merges a same-field edit into a visible conflict', async () => {
        const ana = await t.tokenFor('ana');
        const ben = await t.tokenFor('ben');
        const base = exceptionDocFixture('tx_sync', 'ana');
        const push = async (token: string, rows: unknown[]) => json('POST', '/api/v1/sync/exceptions/push', token, rows);
        expect((await push(ana, [{ newDocumentState: { ...base, _deleted: false } }])).json()).toEqual([]);

        const pulled = (await json('GET', '/api/v1/sync/exceptions/pull?limit=10', ben)).json();
        expect(pulled.documents).toEqual([{ ...base, _deleted: false }]);
        expect(pulled.checkpoint.seq).toMatch(/^\d+$/);
        // Nothing new after the checkpoint: an empty page that keeps the checkpoint.
        expect((await json('GET', `/api/v1/sync/exceptions/pull?checkpoint=${pulled.checkpoint.seq}`, ben)).json()).toEqual({ documents: [], checkpoint: pulled.checkpoint });

        // Both desks edit offline from the same base: ana and ben both set the assignee, ben also the severity.
        const anaEdit: ExceptionDoc = { ...base, assignee: 'ana', updatedAt: '2026-03-02T10:00:00Z' };
        const benEdit: ExceptionDoc = { ...base, assignee: 'ben', severity: 'high', updatedBy: 'ben', updatedAt: '2026-03-02T11:00:00Z' };
        const assumed = { ...base, _deleted: false };
        expect((await push(ana, [{ newDocumentState: { ...anaEdit, _deleted: false }, assumedMasterState: assumed }])).json()).toEqual([]);
        const conflicts = (await push(ben, [{ newDocumentState: { ...benEdit, _deleted: false }, assumedMasterState: assumed }])).json();
        // The server did not overwrite ana's edit: it returned it.
        expect(conflicts).toEqual([{ ...anaEdit, _deleted: false }]);
        // Ben's desk merges (core/sync) and pushes the result against the state it now knows.
        const merged = mergeException(base, benEdit, anaEdit);
        expect(merged).toMatchObject({ severity: 'high', assignee: null, conflicts: [{ field: 'assignee', candidates: [{ value: '"ana"', by: 'ana' }, { value: '"ben"', by: 'ben' }] }] });
        expect((await push(ben, [{ newDocumentState: { ...merged, _deleted: false }, assumedMasterState: conflicts[0] }])).json()).toEqual([]);
        const final = (await json('GET', `/api/v1/sync/exceptions/pull?checkpoint=${pulled.checkpoint.seq}`, ana)).json();
        expect(final.documents).toEqual([{ ...merged, _deleted: false }]);
      });

      it('treats a replayed push as done and a changed fact as a conflict', async () => {
        const ana = await t.tokenFor('ana');
        const comment = { id: 'cmt_1', subject: { kind: 'exception', id: 'exc_x' }, author: 'ana', text: 'asked the bank', at: '2026-03-02T10:00:00Z', _deleted: false };
        expect((await json('POST', '/api/v1/sync/comments/push', ana, [{ newDocumentState: comment }])).json()).toEqual([]);
        const before = await rowCount();
        expect((await json('POST', '/api/v1/sync/comments/push', ana, [{ newDocumentState: comment }])).json()).toEqual([]);
        expect(await rowCount()).toBe(before);
        const changed = { ...comment, text: 'edited' };
        expect((await json('POST', '/api/v1/sync/comments/push', ana, [{ newDocumentState: changed, assumedMasterState: comment }])).json()).toEqual([comment]);
        const deleted = await json('POST', '/api/v1/sync/comments/push', ana, [{ newDocumentState: { ...comment, id: 'cmt_2', _deleted: true } }]);
        expect(deleted.statusCode).toBe(422);
        expect(await rowCount()).toBe(before);
      });

      it('writes a push all or nothing: one refused row rolls back the rows before it', async () => {
        const ana = await t.tokenFor('ana');
        const before = await rowCount();
        const row = (id: string, author: string) => ({ newDocumentState: { id, subject: { kind: 'exception', id: 'exc_x' }, author, text: 'batch', at: '2026-03-02T10:00:00Z', _deleted: false } });
        const response = await json('POST', '/api/v1/sync/comments/push', ana, [row('cmt_ok_1', 'ana'), row('cmt_ok_2', 'ana'), row('cmt_bad', 'cy')]);
        expect(response.statusCode).toBe(403);
        expect(await rowCount()).toBe(before);
        // The desk retries without the bad row and both land, once.
        expect((await json('POST', '/api/v1/sync/comments/push', ana, [row('cmt_ok_1', 'ana'), row('cmt_ok_2', 'ana')])).json()).toEqual([]);
        expect((await json('POST', '/api/v1/sync/comments/push', ana, [row('cmt_ok_1', 'ana'), row('cmt_ok_2', 'ana')])).json()).toEqual([]);
        // Two comments plus their two audit events.
        expect(await rowCount()).toBe(before + 4);
      });

      it('refuses a document written in another user\'s name, by an auditor, or with a broken hash, writing nothing', async () => {
        const before = await rowCount();
        const comment = { id: 'cmt_forged', subject: { kind: 'exception', id: 'exc_x' }, author: 'cy', text: 'approved!', at: '2026-03-02T10:00:00Z', _deleted: false };
        const forged = await json('POST', '/api/v1/sync/comments/push', await t.tokenFor('ana'), [{ newDocumentState: comment }]);
        expect(forged.statusCode).toBe(403);
        const statement = statementDocFixture('st_broken', [], 'ana');
        const broken = await json('POST', '/api/v1/sync/statements/push', await t.tokenFor('ana'), [{ newDocumentState: { ...statement, canonicalJson: statement.canonicalJson.replace('"105.00"', '"1050.00"'), _deleted: false } }]);
        expect(broken.statusCode).toBe(422);
        expect(broken.json().error).toMatchObject({ code: 'document_refused', details: { reason: 'statement_hash_mismatch' } });
        expect(await rowCount()).toBe(before);
      });
    });

    describe('maker-checker', () => {
      it('binds approvals to the canonical hash and keeps the maker from checking', async () => {
        const [ana, cy, dora] = await Promise.all([t.tokenFor('ana'), t.tokenFor('cy'), t.tokenFor('dora')]);
        // dora (an approver) produced this run and statement; ana (analyst) submits it; cy approves.
        const { agreement, batch, run, statement } = settlementFixture({ statementId: 'st_jan', by: 'dora' });
        for (const [collection, doc] of [['agreement_versions', agreement], ['import_batches', batch], ['settlement_runs', run], ['statements', statement]] as const) {
          expect((await json('POST', `/api/v1/sync/${collection}/push`, dora, [{ newDocumentState: { ...doc, _deleted: false } }])).json(), collection).toEqual([]);
        }
        const stored = (await json('GET', '/api/v1/statements/st_jan', cy)).json();
        // Money kept as numeric and read back exactly: 70 % of 150.00.
        expect(stored.statement).toMatchObject({ hash: statement.hash, payable: '105.00', blocked: false, currency: 'EUR' });

        const early = await json('POST', '/api/v1/statements/st_jan/approve', cy, { statementHash: statement.hash });
        expect(early.json().error.code).toBe('statement_not_submitted');
        expect((await json('POST', '/api/v1/statements/st_jan/submit', ana, { statementHash: 'f'.repeat(64) })).json().error.code).toBe('statement_hash_mismatch');
        expect((await json('POST', '/api/v1/statements/st_jan/submit', ana, { statementHash: statement.hash })).statusCode).toBe(201);
        expect((await json('POST', '/api/v1/statements/st_jan/approve', cy, { statementHash: 'e'.repeat(64) })).json().error.code).toBe('statement_hash_mismatch');
        const own = await json('POST', '/api/v1/statements/st_jan/approve', dora, { statementHash: statement.hash });
        expect(`${own.statusCode} ${own.json().error.code}`).toBe('403 maker_is_checker');
        // Through replication an analyst cannot approve either, whatever the desk sends.
        const sneaky = { id: 'appr_sneaky', statementId: 'st_jan', statementHash: statement.hash, action: 'approved', by: 'placeholder', at: '2026-03-02T10:00:00Z', reason: null, _deleted: false };
        const viaSync = await json('POST', '/api/v1/sync/approval_events/push', ana, [{ newDocumentState: { ...sneaky, by: 'ana' } }]);
        expect(`${viaSync.statusCode} ${viaSync.json().error.code}`).toBe('403 forbidden');

        const approved = await json('POST', '/api/v1/statements/st_jan/approve', cy, { statementHash: statement.hash });
        expect(approved.statusCode).toBe(201);
        const events = (await json('GET', '/api/v1/statements/st_jan', ana)).json().approvals as Array<{ action: string; by: string }>;
        expect(events.map((event) => `${event.action}:${event.by}`)).toEqual(['submitted:ana', 'approved:cy']);
      });

      it('refuses to submit a statement the stored inputs do not reproduce, even with a self-consistent hash', async () => {
        const ana = await t.tokenFor('ana');
        const { statement } = settlementFixture({ statementId: 'st_forged', by: 'ana' });
        const text = statement.canonicalJson.replaceAll('"105.00"', '"150.00"');
        const forged = { ...statement, canonicalJson: text, hash: sha256Hex(text), payable: '150.00', _deleted: false };
        expect((await json('POST', '/api/v1/sync/statements/push', ana, [{ newDocumentState: forged }])).json()).toEqual([]);
        const submit = await json('POST', '/api/v1/statements/st_forged/submit', ana, { statementHash: forged.hash });
        expect(`${submit.statusCode} ${submit.json().error.code}`).toBe('409 statement_not_reproducible');
      });

      it('refuses to submit a blocked statement', async () => {
        const ana = await t.tokenFor('ana');
        const blocked = statementDocFixture('st_blocked', ['critical exception open'], 'ana');
        expect((await json('POST', '/api/v1/sync/statements/push', ana, [{ newDocumentState: { ...blocked, _deleted: false } }])).json()).toEqual([]);
        const submit = await json('POST', '/api/v1/statements/st_blocked/submit', ana, { statementHash: blocked.hash });
        expect(`${submit.statusCode} ${submit.json().error.code}`).toBe('409 statement_blocked');
      });
    });

    describe('hostile bodies', () => {
      it('answers oversized, deeply nested, non-JSON, wrong-typed and SQL-looking bodies with a typed 4xx and writes nothing', async () => {
        const ana = await t.tokenFor('ana');
        const before = await rowCount();
        const send = (url: string, payload: string) => t.app.inject({ method: 'POST', url, headers: { ...bearer(ana), 'content-type': 'application/json' }, payload });
        const codeOf = async (url: string, payload: string) => {
          const response = await send(url, payload);
          return `${response.statusCode} ${response.json().error.code}`;
        };
        expect(await codeOf('/api/v1/auth/sign-in', JSON.stringify({ username: 'ana', password: 'x'.repeat(70_000) }))).toBe('413 body_too_large');
        expect(await codeOf('/api/v1/sync/comments/push', 'x'.repeat(300_000))).toBe('413 body_too_large');
        expect(await codeOf('/api/v1/sync/comments/push', `${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toBe('400 body_too_deep');
        expect(await codeOf('/api/v1/sync/comments/push', '{"newDocumentState":')).toBe('400 body_not_json');
        expect(await codeOf('/api/v1/sync/comments/push', '[{"newDocumentState":{"__proto__":{"admin":true}}}]')).toBe('400 body_not_json');
        expect(await codeOf('/api/v1/sync/comments/push', JSON.stringify({ not: 'an array' }))).toBe('400 request_invalid');
        expect(await codeOf('/api/v1/sync/comments/push', JSON.stringify([{ newDocumentState: { id: 7, _deleted: 'no' } }]))).toBe('400 request_invalid');
        expect(await codeOf('/api/v1/sync/statements/push', JSON.stringify([{ newDocumentState: { ...statementDocFixture('st_float'), payable: 105.0, _deleted: false } }]))).toBe('400 request_invalid');
        expect(await codeOf('/api/v1/sync/comments/push', JSON.stringify([{ newDocumentState: { id: "x'; drop table users; --", subject: { kind: 'exception', id: 'e' }, author: 'ana', text: 't', at: '2026-03-02T10:00:00Z', _deleted: false } }]))).toBe('400 request_invalid');
        expect(await codeOf('/api/v1/sync/nope/push', '[]')).toBe('400 request_invalid');
        expect(await codeOf('/api/v1/auth/sign-in', JSON.stringify({ username: "admin' or '1'='1", password: "' or 1=1 --" }))).toBe('401 unauthenticated');
        expect((await json('GET', "/api/v1/sync/exceptions/pull?checkpoint=1;select", ana)).json().error.code).toBe('request_invalid');
        expect((await json('GET', '/api/v1/sync/exceptions/pull?limit=100000', ana)).json().error.code).toBe('request_invalid');
        expect(await rowCount()).toBe(before);
        expect((await db.query<{ n: string }>('select count(*)::bigint as n from users')).rows[0]?.n).toBe('7');
      });
    });

    describe('audit trail and logs', () => {
      it('chains every accepted write into the server audit chain, which verifies', async () => {
        const eve = await t.tokenFor('eve');
        const page = (await json('GET', '/api/v1/sync/audit_events/pull?limit=1000', eve)).json();
        const chain = page.documents.filter((event: { chainId: string }) => event.chainId === 'server').map(({ _deleted, ...event }: { _deleted: boolean }) => event);
        // Writes so far: 1 exception created + 2 updates, 3 comments, one run's inputs and statement, 2 approval events, 2 more statements.
        expect(chain.map((event: { action: string }) => event.action)).toEqual([
          'exceptions.created', 'exceptions.updated', 'exceptions.updated', 'comments.created', 'comments.created', 'comments.created',
          'agreement_versions.created', 'import_batches.created', 'settlement_runs.created', 'statements.created', 'approval_events.created', 'approval_events.created',
          'statements.created', 'statements.created',
        ]);
        expect(verifyAuditChain(chain)).toMatchObject({ ok: true, count: 14 });
      });

      it('logs request ids and never a password or token', async () => {
        const text = t.logLines.join('');
        expect(text).toContain('"reqId"');
        expect(text).not.toContain(TEST_PASSWORD);
        expect(text).not.toContain('wrong-password-123');
        expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
        expect(text).not.toContain(SETUP_TOKEN);
      });
    });
  });
}
