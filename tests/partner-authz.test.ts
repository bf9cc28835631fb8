import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../core/sync/audit-chain.ts';
import { AuditEventDoc, ExceptionDoc } from '../core/sync/documents.ts';
import type { Db } from '../server/db/types.ts';
import { startTestApp } from '../server/test-app.test-support.ts';
import { testDatabases } from '../server/test-support.ts';
import { canonicalTx } from '../core/settlement/testkit.ts';
import { packBatch } from '../core/sync/batch.ts';
import { partnerRun, partnerWorld, RUNS, type PartnerWorld } from './partner-fixtures.test-support.ts';

/**
 * The authorization matrix of the partner API on PGlite and PostgreSQL: partner A's session and
 * A's API key against every partner route, with B's ids guessed, path tricks, extra query
 * parameters and paging past the end. A never reads or writes anything of B, and a refusal for
 * B's object is byte for byte the refusal for an object that does not exist.
 */
for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`partner API authorization on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let w: PartnerWorld;

    beforeAll(async () => {
      ({ db, drop } = await target.open());
      w = await partnerWorld(db, { partner: { webhookWorker: false, keyRequestsMax: 1000 } });
      await w.approve(RUNS.a1());
      await w.approve(RUNS.b1());
      await w.approve(RUNS.a2());
      await w.approve(RUNS.aFeb(), { approve: false });
      // A's revision 2 has its signed PDF and JWS stored; B's revision 1 too (A must never get it).
      for (const statement of [w.a2, w.b1]) {
        const stored = await w.json('PUT', `/api/v1/admin/statements/${statement.id}/artifacts`, w.tokens.root, { jws: `jws-of-${statement.id}`, pdfBase64: Buffer.from(`%PDF-1.7 pdf of ${statement.id}`).toString('base64') });
        expect(stored.statusCode).toBe(200);
      }
    }, 120_000);
    afterAll(async () => {
      await w?.t.app.close();
      await db?.close();
      await drop?.();
    });

    const asA = () => [
      ['session', w.tokens.alice],
      ['key', `ApiKey ${w.keys.a}`],
    ] as const;
    const B_MARKERS = () => [w.b1.id, w.b1.hash, '"id":"b1"', 'Park', 'jws-of-st_run_jan_B', 'pdf of st_run_jan_B'];
    const noB = (body: string) => {
      for (const marker of B_MARKERS()) expect(body, `leaks ${marker}`).not.toContain(marker);
    };

    it('lists only A’s approved statements: revision 1 superseded by revision 2, February (not approved) absent', async () => {
      for (const [via, auth] of asA()) {
        const listed = await w.json('GET', '/api/v1/partner/statements', auth);
        expect(listed.statusCode, via).toBe(200);
        noB(listed.body);
        expect(listed.json().statements).toEqual([
          expect.objectContaining({ id: w.a1.id, period: '2026-01', revision: 1, status: 'superseded', supersededBy: w.a2.id, payable: '105.00', sha256: w.a1.hash }),
          expect.objectContaining({ id: w.a2.id, period: '2026-01', revision: 2, status: 'current', supersededBy: null, payable: '119.00', sha256: w.a2.hash }),
        ]);
        expect((await w.json('GET', '/api/v1/partner/statements?period=2026-02', auth)).json()).toEqual({ statements: [] });
        // A partner id in the query is not a way in: unknown parameters are refused.
        for (const trick of ['?partnerId=B', '?partner_id=B', '?period=2026-01&partnerId=B', '?period=2026-01%27%20or%201=1--']) {
          const refused = await w.json('GET', `/api/v1/partner/statements${trick}`, auth);
          expect(refused.statusCode, `${via} ${trick}`).toBe(400);
          noB(refused.body);
        }
      }
    });

    it('refuses B’s statement, its PDF, lines, transactions and queries exactly as it refuses ids that do not exist', async () => {
      const routes = (id: string) => [`/api/v1/partner/statements/${id}`, `/api/v1/partner/statements/${id}.pdf`, `/api/v1/partner/statements/${id}/lines/1/transactions`, `/api/v1/partner/statements/${id}/queries`];
      for (const [via, auth] of asA()) {
        for (const [index, url] of routes(w.b1.id).entries()) {
          const theirs = await w.json('GET', url, auth);
          const nobodys = await w.json('GET', routes('st_no_such_statement')[index] as string, auth);
          expect(theirs.statusCode, `${via} ${url}`).toBe(404);
          expect(theirs.json(), `${via} ${url}`).toEqual(nobodys.json());
          noB(theirs.body);
        }
        // Not approved is not visible either, even when it is A's own.
        expect((await w.json('GET', `/api/v1/partner/statements/${w.aFeb.id}`, auth)).statusCode).toBe(404);
      }
    });

    it('does not follow path tricks to B’s objects', async () => {
      const tricks = [
        `/api/v1/partner/statements/${w.a2.id}/../${w.b1.id}`,
        `/api/v1/partner/statements/${w.a2.id}%2F..%2F${w.b1.id}`,
        `/api/v1/partner/statements/%2e%2e/statements/${w.b1.id}`,
        `/api/v1/partner/statements/${w.b1.id}%00`,
        `/api/v1/partner/statements/${w.b1.id}?id=${w.a2.id}`,
        `/api/v1/partner/statements/${w.a2.id}/lines/1/transactions?statementId=${w.b1.id}`,
        `/api/v1/partner/statements/${encodeURIComponent(`${w.a2.id}' or partner_id='B`)}`,
        `/api/v1/partner/../statements/${w.b1.id}`,
      ];
      for (const [via, auth] of asA()) {
        for (const url of tricks) {
          const response = await w.json('GET', url, auth);
          // A trick that lands on a desk route gets the desk's refusal: 403 for a partner session, 401 for a
          // key (not a desk credential). Neither says anything of B.
          expect([400, 401, 403, 404], `${via} ${url}: ${response.statusCode}`).toContain(response.statusCode);
          noB(response.body);
        }
      }
    });

    it('returns A’s statement with its JWS and PDF, and the superseded revision with the diff to revision 2', async () => {
      for (const [via, auth] of asA()) {
        const current = await w.json('GET', `/api/v1/partner/statements/${w.a2.id}`, auth);
        expect(current.statusCode, via).toBe(200);
        expect(current.json()).toMatchObject({ id: w.a2.id, status: 'current', jws: `jws-of-${w.a2.id}`, diff: null, document: { sha256: w.a2.hash } });
        const pdf = await w.json('GET', `/api/v1/partner/statements/${w.a2.id}.pdf`, auth);
        expect(pdf.headers['content-type']).toBe('application/pdf');
        expect(pdf.body).toBe(`%PDF-1.7 pdf of ${w.a2.id}`);
        const old = await w.json('GET', `/api/v1/partner/statements/${w.a1.id}`, auth);
        // 105.00 -> 119.00 payable; the "game" line's base 150.00 -> 170.00 over 2 -> 3 sales.
        expect(old.json()).toMatchObject({ status: 'superseded', supersededBy: w.a2.id, jws: null, diff: { change: 'changed', previousHash: w.a1.hash, currentHash: w.a2.hash } });
        expect(old.json().diff.totals).toContainEqual({ field: 'payable', previous: '105.00', current: '119.00', delta: '14' });
        expect(old.json().diff.lines).toEqual([{ productId: 'game', currency: 'EUR', previousBase: '150.00', currentBase: '170.00', delta: '20', previousCount: 2, currentCount: 3 }]);
        const noPdf = await w.json('GET', `/api/v1/partner/statements/${w.a1.id}.pdf`, auth);
        expect(noPdf.statusCode).toBe(404);
        expect(noPdf.json().error.code).toBe('artifact_not_stored');
      }
    });

    it('pages the transactions behind a line: A’s rows only, customers pseudonymized, nothing past the end', async () => {
      const seen = new Map<string, string[]>();
      for (const [via, auth] of asA()) {
        const all = await w.json('GET', `/api/v1/partner/statements/${w.a2.id}/lines/1/transactions`, auth);
        expect(all.statusCode, via).toBe(200);
        noB(all.body);
        const page = all.json();
        expect(page.total).toBe(3);
        expect(page.items.map((item: { id: string; amount: string }) => `${item.id}:${item.amount}`)).toEqual(['a1:100.00', 'a2:50.00', 'a3:20.00']);
        for (const name of ['Kim', 'Lee', 'DE0210010010', 'ref-']) expect(all.body).not.toContain(name);
        const customers = page.items.map((item: { customer: string }) => item.customer);
        // a1 and a3 are the same customer: one pseudonym; a2 another.
        expect(customers[0]).toMatch(/^anon_[0-9a-f]{32}$/);
        expect(customers[2]).toBe(customers[0]);
        expect(customers[1]).not.toBe(customers[0]);
        seen.set(via, customers);
        const second = (await w.json('GET', `/api/v1/partner/statements/${w.a2.id}/lines/1/transactions?offset=1&limit=1`, auth)).json();
        expect(second).toMatchObject({ total: 3, offset: 1, limit: 1 });
        expect(second.items.map((item: { id: string }) => item.id)).toEqual(['a2']);
        const past = await w.json('GET', `/api/v1/partner/statements/${w.a2.id}/lines/1/transactions?offset=3&limit=100`, auth);
        expect(past.json()).toEqual({ total: 3, offset: 3, limit: 100, items: [] });
        for (const url of [`/api/v1/partner/statements/${w.a2.id}/lines/2/transactions`, `/api/v1/partner/statements/${w.a2.id}/lines/0/transactions`, `/api/v1/partner/statements/${w.a2.id}/lines/1/transactions?limit=100000`]) {
          expect([400, 404], url).toContain((await w.json('GET', url, auth)).statusCode);
        }
      }
      expect(seen.get('key')).toEqual(seen.get('session'));
      // B's view of its own customer: its own pseudonym key space.
      const bPage = (await w.json('GET', `/api/v1/partner/statements/${w.b1.id}/lines/1/transactions`, `ApiKey ${w.keys.b}`)).json();
      expect(bPage.items.map((item: { id: string }) => item.id)).toEqual(['b1']);
    });

    it('raises a query on A’s line as a partner-query exception for A’s analyst, and never on B’s statement', async () => {
      const exceptions = async () => Number((await db.query<{ n: string }>("select count(*)::bigint as n from sync_documents where collection = 'exceptions'")).rows[0]?.n);
      const before = await exceptions();
      for (const [via, auth] of asA()) {
        const theirs = await w.json('POST', `/api/v1/partner/statements/${w.b1.id}/queries`, auth, { line: 1, text: 'why?' });
        const nobodys = await w.json('POST', '/api/v1/partner/statements/st_no_such_statement/queries', auth, { line: 1, text: 'why?' });
        expect(theirs.statusCode, via).toBe(404);
        expect(theirs.json()).toEqual(nobodys.json());
        expect((await w.json('POST', `/api/v1/partner/statements/${w.a2.id}/queries`, auth, { line: 1, text: 'x', partnerId: 'B' })).statusCode).toBe(400);
        expect((await w.json('POST', `/api/v1/partner/statements/${w.a2.id}/queries`, auth, { line: 1, text: 'x', claimedAmount: 12.5 })).statusCode).toBe(400);
      }
      expect(await exceptions()).toBe(before);
      const raised = await w.json('POST', `/api/v1/partner/statements/${w.a2.id}/queries`, `ApiKey ${w.keys.a}`, { line: 1, text: 'We count 4 sales of game in January.', claimedAmount: '133.00' });
      expect(raised.statusCode).toBe(201);
      const query = raised.json().query;
      expect(query).toMatchObject({ statementId: w.a2.id, line: 1, status: 'open', claimedAmount: '133.00', answer: null });
      const { rows } = await db.query("select body from sync_documents where collection = 'exceptions' and body->>'type' = 'partner-query'");
      expect(rows.length).toBe(1);
      const doc = ExceptionDoc.parse((rows[0] as { body: unknown }).body);
      expect(doc).toMatchObject({ type: 'partner-query', partnerId: 'A', period: '2026-01', assignee: 'ana', status: 'open', amountAtRisk: { amount: '133.00', currency: 'EUR' } });
      expect(doc.details).toMatchObject({ queryId: query.id, statementId: w.a2.id, line: '1', text: 'We count 4 sales of game in January.' });
      // B sees none of A's queries, A sees it; the read-only key cannot raise one.
      expect((await w.json('GET', `/api/v1/partner/statements/${w.a2.id}/queries`, w.tokens.bob)).statusCode).toBe(404);
      expect((await w.json('GET', `/api/v1/partner/statements/${w.a2.id}/queries`, w.tokens.alice)).json().queries.map((each: { id: string }) => each.id)).toEqual([query.id]);
      const readOnly = await w.json('POST', `/api/v1/partner/statements/${w.a2.id}/queries`, `ApiKey ${w.keys.aReadOnly}`, { line: 1, text: 'x' });
      expect(readOnly.statusCode).toBe(403);
    });

    it('refuses desk users, missing or malformed credentials, and revoked and expired keys; every key use is audited', async () => {
      expect((await w.json('GET', '/api/v1/partner/statements', w.tokens.ana)).statusCode).toBe(403);
      expect((await w.json('GET', '/api/v1/partner/statements', w.tokens.root)).statusCode).toBe(403);
      expect((await w.json('GET', '/api/v1/partner/statements', null)).statusCode).toBe(401);
      expect((await w.json('GET', '/api/v1/partner/statements', 'ApiKey sdpk_pk_000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).json().error).toMatchObject({ code: 'token_invalid', details: { reason: 'unknown' } });
      // A partner user cannot use the desk's routes either.
      expect((await w.json('GET', '/api/v1/sync/statements/pull', w.tokens.alice)).statusCode).toBe(403);
      expect((await w.json('GET', `/api/v1/statements/${w.b1.id}`, w.tokens.alice)).statusCode).toBe(403);

      const made = await w.json('POST', '/api/v1/admin/partners/A/api-keys', w.tokens.root, { name: 'to revoke', scopes: ['statements:read'], expiresAt: '2026-03-01T10:00:00Z' });
      const { key, secret } = made.json();
      expect(made.headers['cache-control']).toBe('no-store');
      expect((await w.json('GET', '/api/v1/partner/statements', `ApiKey ${secret}`)).statusCode).toBe(200);
      // Stored as a hash only; the listing never shows a secret.
      const listed = await w.json('GET', '/api/v1/admin/partners/A/api-keys', w.tokens.root);
      expect(listed.body).not.toContain(secret.slice(-43));
      const { rows } = await db.query<{ secret_sha256: string }>('select secret_sha256 from partner_api_keys where id = $1', [key.id]);
      expect(rows[0]?.secret_sha256).toMatch(/^[0-9a-f]{64}$/);
      // Partners cannot manage keys; B's admin path cannot revoke A's key.
      expect((await w.json('POST', `/api/v1/admin/partners/A/api-keys/${key.id}/revoke`, w.tokens.alice)).statusCode).toBe(403);
      expect((await w.json('POST', `/api/v1/admin/partners/B/api-keys/${key.id}/revoke`, w.tokens.root)).statusCode).toBe(404);

      w.t.clock.nowMs = Date.parse('2026-03-01T10:00:00Z');
      expect((await w.json('GET', '/api/v1/partner/statements', `ApiKey ${secret}`)).json().error).toMatchObject({ code: 'token_invalid', details: { reason: 'expired' } });
      w.t.clock.nowMs = Date.parse('2026-03-01T09:00:00Z');
      expect((await w.json('POST', `/api/v1/admin/partners/A/api-keys/${key.id}/revoke`, w.tokens.root)).statusCode).toBe(200);
      expect((await w.json('GET', '/api/v1/partner/statements', `ApiKey ${secret}`)).json().error).toMatchObject({ code: 'token_invalid', details: { reason: 'revoked' } });

      const { rows: events } = await db.query("select body from sync_documents where collection = 'audit_events' and body->>'chainId' = 'server' order by (body->>'seq')::bigint");
      const chain = events.map((row) => AuditEventDoc.parse((row as { body: unknown }).body));
      expect(verifyAuditChain(chain).ok).toBe(true);
      const ofKey = chain.filter((event) => event.subject.id === key.id).map((event) => `${event.action}:${event.details.reason ?? event.details.route ?? ''}`);
      expect(ofKey).toEqual(['partner_api_key.created:', 'partner_api_key.used:/api/v1/partner/statements', 'partner_api_key.refused:expired', 'partner_api_key.revoked:', 'partner_api_key.refused:revoked']);
    });

    it('limits requests per key across server processes: 3 a minute on two processes is 3, not 6; 429 with Retry-After, other keys unaffected, again after the window', async () => {
      // Two more server processes on this database (on PostgreSQL each with its own connection pool), both with a limit of 3 requests per key a minute.
      const second = (await target.openAnother?.(db.schema)) ?? db;
      const options = { partner: { webhookWorker: false as const, keyRequestsMax: 3, keyWindowMs: 60_000 } };
      const processes = [await startTestApp(db, options), await startTestApp(second, options)];
      try {
        const key = async (name: string) => (await w.json('POST', '/api/v1/admin/partners/A/api-keys', w.tokens.root, { name, scopes: ['statements:read'], expiresAt: '2026-06-30T00:00:00Z' })).json().secret as string;
        const [limitedKey, otherKey] = [await key('limited'), await key('other')];
        const get = (index: number, secret: string) => (processes[index] as (typeof processes)[number]).app.inject({ method: 'GET', url: '/api/v1/partner/statements', headers: { authorization: `ApiKey ${secret}` } });
        // Requests 1-3 alternate between the processes; the 4th is refused by either, whichever counted fewer itself.
        for (const [request, index] of [[1, 0], [2, 1], [3, 0]] as const) expect((await get(index, limitedKey)).statusCode, `request ${request} on process ${index}`).toBe(200);
        for (const index of [1, 0]) {
          const refused = await get(index, limitedKey);
          expect(refused.statusCode, `process ${index}`).toBe(429);
          expect(refused.json().error.code).toBe('rate_limited');
          // The clock is 09:00:00.000, the start of a minute window: 60 s to its end.
          expect(refused.headers['retry-after']).toBe('60');
        }
        expect((await get(1, otherKey)).statusCode).toBe(200);
        for (const each of processes) each.clock.nowMs += 60_000;
        expect((await get(1, limitedKey)).statusCode).toBe(200);
        // One window row per key is kept, counting the new window's one request.
        const { rows } = await db.query<{ hits: number }>("select hits from rate_windows where scope = 'partner-key' and key = $1", [/^sdpk_(pk_[0-9a-f]{24})_/.exec(limitedKey)?.[1]]);
        expect(rows).toEqual([{ hits: 1 }]);
      } finally {
        for (const each of processes) await each.app.close();
        if (second !== db) await second.close();
      }
    });

    it('makes partner users only under their partner: the desk’s user route refuses the partner role', async () => {
      const refused = await w.json('POST', '/api/v1/users', w.tokens.root, { username: 'mallory', password: 'mallory-password-1', role: 'partner' });
      expect(refused.statusCode).toBe(400);
      expect((await w.json('POST', '/api/v1/admin/partners/NOPE/users', w.tokens.root, { username: 'mallory', password: 'mallory-password-1' })).statusCode).toBe(404);
    });

    it('refuses webhook URLs an admin must not register: private targets (the default), other schemes, credentials', async () => {
      for (const [url, reason] of [['http://127.0.0.1:9/hook', 'private_address'], ['http://169.254.169.254/latest/meta-data/', 'private_address'], ['https://ops:secret@93.184.216.34/hook', 'credentials']] as const) {
        const made = await w.json('POST', '/api/v1/admin/partners/A/webhooks', w.tokens.root, { url, events: ['statement.approved'] });
        expect(made.statusCode, url).toBe(400);
        expect(made.json().error.details).toMatchObject({ path: 'body.url', reason });
      }
      expect((await w.json('POST', '/api/v1/admin/partners/A/webhooks', w.tokens.root, { url: 'ftp://93.184.216.34/hook', events: ['statement.approved'] })).statusCode).toBe(400);
      const { rows } = await db.query('select count(*)::int as n from partner_webhooks');
      expect(rows[0]).toEqual({ n: 0 });
    });
    it('pages a line of more transactions than a page holds in SQL: 1,203 rows as 500 + 500 + 203, each once, in order, then nothing past the end', async () => {
      // April: 1,203 sales of 1.00 EUR of "game" for A, one batch, with 2 of B's in between (scoping picks rows, not batches).
      const sales = Array.from({ length: 1203 }, (_, index) => canonicalTx({ id: `apr${String(index + 1).padStart(4, '0')}`, partnerId: 'A', kind: 'sale', amount: '1.00', currency: 'EUR', occurredAt: '2026-04-10', productId: 'game' }));
      sales.splice(600, 0, ...['bx1', 'bx2'].map((id) => canonicalTx({ id, partnerId: 'B', kind: 'sale', amount: '9.00', currency: 'EUR', occurredAt: '2026-04-10', productId: 'game' })));
      const april = partnerRun('A', 'run_apr_A', 1, [packBatch('imp_apr', 0, sales)], { start: '2026-04-01', end: '2026-04-30' });
      await w.approve(april);
      // 1,203 x 1.00 = 1,203.00 at 70 % = 842.10.
      const listed = (await w.json('GET', '/api/v1/partner/statements?period=2026-04', `ApiKey ${w.keys.a}`)).json().statements;
      expect(listed.map((each: { id: string; payable: string }) => [each.id, each.payable])).toEqual([[april.statement.id, '842.10']]);
      const page = async (offset: number) => (await w.json('GET', `/api/v1/partner/statements/${april.statement.id}/lines/1/transactions?offset=${offset}&limit=500`, `ApiKey ${w.keys.a}`)).json() as { total: number; items: Array<{ id: string }> };
      const pages = [await page(0), await page(500), await page(1000), await page(1203), await page(5000)];
      expect(pages.map((each) => [each.total, each.items.length])).toEqual([[1203, 500], [1203, 500], [1203, 203], [1203, 0], [1203, 0]]);
      const ids = pages.flatMap((each) => each.items.map((item) => item.id));
      expect(ids).toEqual(sales.filter((each) => each.partnerId === 'A').map((each) => each.id));
      // A page larger than the server's maximum is refused, not cut.
      expect((await w.json('GET', `/api/v1/partner/statements/${april.statement.id}/lines/1/transactions?limit=501`, `ApiKey ${w.keys.a}`)).statusCode).toBe(400);
    }, 120_000);
  });
}
