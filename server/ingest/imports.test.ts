import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBatch, type ImportBatchDoc } from '../../core/sync/batch.ts';
import type { Db } from '../db/types.ts';
import { bearer, startTestApp, type TestApp } from '../test-app.test-support.ts';
import { testDatabases } from '../test-support.ts';
import { BatchImportBody, prepareBatch } from './batch-import.ts';
import { requestIdentity } from './idempotency.ts';
import { storeFeed } from './store.ts';

/**
 * Feeds on PGlite and on PostgreSQL: a CSV through core's importers with a replicated mapping
 * profile, the JSON batch of canonical columns, Idempotency-Key replays and refusals (also two
 * requests at once), duplicates and conflicts against stored rows, roles, and hostile bodies.
 * Every expected count and sum is worked by hand from the rows written in the test.
 */
const USERS = { ana: 'analyst', cy: 'approver', eve: 'auditor', root: 'admin' } as const;
const HEADER = 'ref,date,type,amount,currency,partner,product,channel';
const PROFILE = {
  name: 'feed',
  delimiter: ',',
  date: { format: 'YYYY-MM-DD' },
  sign: { convention: 'signed', column: 'amount' },
  currency: { column: 'currency' },
  kind: { column: 'type', values: { sale: 'sale', refund: 'refund' } },
  columns: { date: 'date', partner: 'partner', product: 'product', channel: 'channel' },
  id: { policy: 'reference', column: 'ref' },
};
// Lines 2-8. r4's date is not a date (rejected); line 6 repeats r2 exactly (duplicate); line 7
// repeats r3 with other money (conflict, kept aside); r5 is April.
const FILE_1 = [
  HEADER,
  'r1,2026-03-01,sale,10.00,EUR,studio-a,game,app',
  'r2,2026-03-02,sale,20.50,EUR,studio-a,game,app',
  'r3,2026-03-02,refund,-5.25,EUR,studio-b,game,app',
  'r4,2026-03-xx,sale,1.00,EUR,studio-b,game,app',
  'r2,2026-03-02,sale,20.50,EUR,studio-a,game,app',
  'r3,2026-03-02,refund,-6.25,EUR,studio-b,game,app',
  'r5,2026-04-01,sale,100.00,EUR,studio-a,game,app',
].join('\n');
// A later file overlapping what is stored: r2 again (duplicate of stored), r1 with other money (conflict), r6 new.
const FILE_2 = [HEADER, 'r2,2026-03-02,sale,20.50,EUR,studio-a,game,app', 'r1,2026-03-01,sale,11.00,EUR,studio-a,game,app', 'r6,2026-03-05,sale,7.00,EUR,studio-c,game,web'].join('\n');

function batchBody(rows: Array<{ id: string; line: number; amount: string; currency?: string; occurredAt?: string; description?: string | null }>, fileName = 'feed.json') {
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
  const none = column(() => null);
  return {
    source: { sourceId: 'psp-feed', format: 'psp-json', fileName },
    columns: {
      id: column((row) => row.id), line: column((row) => row.line), kind: column(() => 'sale'), occurredAt: column((row) => row.occurredAt ?? '2026-05-10'),
      bookingDate: none, valueDate: none, amount: column((row) => row.amount), currency: column((row) => row.currency ?? 'EUR'),
      account: none, partnerId: column(() => 'studio-b'), productId: none, channel: none, counterpartyName: none, counterpartyAccount: none,
      externalId: none, batchId: none, endToEndId: none, bankReference: none, description: column((row) => row.description ?? null), customerRef: none,
      rawNames: ['ref'], rawValues: column((row) => [row.id]),
    },
  };
}

for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`feeds on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let t: TestApp;
    let ana: string;
    let fileSha = '';

    beforeAll(async () => {
      ({ db, drop } = await target.open());
      t = await startTestApp(db, { importFileBodyLimitBytes: 4096, importBatchBodyLimitBytes: 64 * 1024 }, USERS);
      ana = await t.tokenFor('ana');
      const profileDoc = { id: 'prof.feed', name: 'feed', profile: PROFILE, updatedBy: 'ana', updatedAt: '2026-03-01T09:00:00Z', _deleted: false };
      const pushed = await t.app.inject({ method: 'POST', url: '/api/v1/sync/mapping_profiles/push', headers: { ...bearer(ana), 'content-type': 'application/json' }, payload: JSON.stringify([{ newDocumentState: profileDoc }]) });
      expect(pushed.json()).toEqual([]);
    });
    afterAll(async () => {
      await t?.app.close();
      await db?.close();
      await drop?.();
    });

    const postFile = (text: string, key: string | null, query = 'fileName=feed.csv&format=csv&profile=prof.feed', token = ana) =>
      t.app.inject({ method: 'POST', url: `/api/v1/imports?${query}`, headers: { ...bearer(token), 'content-type': 'text/csv', ...(key === null ? {} : { 'idempotency-key': key }) }, payload: text });
    const postBatch = (payload: string, key: string | null, token = ana) =>
      t.app.inject({ method: 'POST', url: '/api/v1/imports/batch', headers: { ...bearer(token), 'content-type': 'application/json', ...(key === null ? {} : { 'idempotency-key': key }) }, payload });
    const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]?.n);
    const stored = () => count('select count(*)::bigint as n from transactions');
    /** An import's batches as a desk pulls them, each checked against its content hash as a desk checks it. */
    const pullBatches = async (importId: string): Promise<ImportBatchDoc[]> => {
      const pulled = (await t.app.inject({ method: 'GET', url: '/api/v1/sync/import_batches/pull?limit=1000', headers: bearer(ana) })).json() as { documents: Array<ImportBatchDoc & { _deleted: boolean }> };
      const docs = pulled.documents.filter((doc) => doc.importId === importId).map(({ _deleted: _, ...doc }) => doc);
      for (const doc of docs) verifyBatch(doc);
      return docs;
    };
    const codeOf = (response: { statusCode: number; json: () => { error: { code: string } } }) => `${response.statusCode} ${response.json().error.code}`;

    it('imports a CSV through core with its row account, money as numeric, rows in monthly partitions', async () => {
      const response = await postFile(FILE_1, 'feed-file-1');
      expect(response.statusCode).toBe(201);
      expect(response.headers['idempotent-replayed']).toBe('false');
      const body = response.json();
      fileSha = body.file.sha256;
      expect(body).toMatchObject({ rowsRead: 7, entriesRead: 7, imported: 4, file: { fileName: 'feed.csv', format: 'csv', sizeBytes: FILE_1.length } });
      expect(body.rejected).toEqual([{ line: 5, column: 'date', code: 'date_invalid', reason: expect.any(String) }]);
      expect(body.duplicates).toEqual([{ line: 6, id: 'tx:csv:feed||r2', duplicateOf: { line: 3, sourceId: fileSha } }]);
      expect(body.conflicts).toMatchObject([{ line: 7, id: 'tx:csv:feed||r3', amount: '-6.25', conflictsWith: { line: 4 }, first: { amount: '-5.25' } }]);
      // Counted rows: 10.00 + 20.50 - 5.25 + 100.00 = 125.25; the conflicting -6.25 is kept aside.
      expect((await db.query<{ total: string }>('select sum(amount)::text as total from transactions where conflict_of is null')).rows[0]?.total).toBe('125.25');
      expect((await db.query<{ amount: string }>("select amount::text as amount from transactions where conflict_of = 'tx:csv:feed||r3'")).rows).toEqual([{ amount: '-6.25' }]);
      // March: r1, r2, r3 and the conflicting r3; April: r5.
      expect(await count('select count(*)::bigint as n from transactions_y2026m03')).toBe(4);
      expect(await count('select count(*)::bigint as n from transactions_y2026m04')).toBe(1);
      expect(await count('select count(*)::bigint as n from transactions_default')).toBe(0);
      // The account replicates to desks as an imports document.
      const pulled = (await t.app.inject({ method: 'GET', url: '/api/v1/sync/imports/pull', headers: bearer(ana) })).json();
      expect(pulled.documents).toMatchObject([{ id: body.importId, importedBy: 'ana', account: { transactions: 4, rejected: 1, duplicates: 1, conflicts: 1 }, rejections: [{ line: 5, column: 'date', code: 'date_invalid' }], batchIds: [`${body.importId}:0`] }]);
      // What the reason says travels with it, for a desk to say it in its own language: r4's '2026-03-xx', a date-only format.
      expect(pulled.documents[0].rejections[0]).toMatchObject({ says: 'date_invalid_time_none', params: { columnName: 'date', value: '2026-03-xx', format: 'YYYY-MM-DD' } });
      // And its four counted transactions as one immutable batch, hashed as core hashes it; the conflicting -6.25 is not in it.
      const batches = await pullBatches(body.importId);
      expect(batches.map((batch) => [batch.id, batch.rowCount, batch.source.sourceId])).toEqual([[`${body.importId}:0`, 4, fileSha]]);
      expect(batches[0]?.columns.amount).toEqual(['10.00', '20.50', '-5.25', '100.00']);
      expect(batches[0]?.columns.line).toEqual([2, 3, 4, 8]);
    });

    it('replays the first response byte for byte and refuses the key on another body, writing nothing', async () => {
      const before = await stored();
      const first = await postFile(FILE_1, 'feed-file-1');
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBe('true');
      const again = await postFile(FILE_1, 'feed-file-1');
      expect(again.body).toBe(first.body);
      expect(await stored()).toBe(before);
      const other = await postFile(FILE_2, 'feed-file-1');
      expect(codeOf(other)).toBe('422 idempotency_key_reused');
      const otherParameters = await postFile(FILE_1, 'feed-file-1', 'fileName=renamed.csv&format=csv&profile=prof.feed');
      expect(codeOf(otherParameters)).toBe('422 idempotency_key_reused');
      expect(codeOf(await postFile(FILE_1, null))).toBe('400 idempotency_key_missing');
      expect(codeOf(await postFile(FILE_1, 'short'))).toBe('400 request_invalid');
      expect(await stored()).toBe(before);
    });

    it('finds duplicates and conflicts against transactions stored by earlier imports', async () => {
      const response = await postFile(FILE_2, 'feed-file-2');
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body).toMatchObject({ entriesRead: 3, imported: 1 });
      expect(body.duplicates).toEqual([{ line: 2, id: 'tx:csv:feed||r2', duplicateOf: { line: 3, sourceId: fileSha } }]);
      expect(body.conflicts).toMatchObject([{ line: 3, id: 'tx:csv:feed||r1', amount: '11.00', conflictsWith: { line: 2, sourceId: fileSha }, first: { amount: '10.00' } }]);
      // 125.25 + 7.00 (r6) = 132.25 counted.
      expect((await db.query<{ total: string }>('select sum(amount)::text as total from transactions where conflict_of is null')).rows[0]?.total).toBe('132.25');
    });

    it('keeps a conflict repeated inside one feed aside once, and names every line of it', async () => {
      // q.1 at USD 1.00, then twice at 2.00: lines 2 and 3 are conflicts with the same money, so the same conflict id.
      const before = await stored();
      const usd = (id: string, line: number, amount: string) => ({ id, line, amount, currency: 'USD' });
      const batch = await postBatch(JSON.stringify(batchBody([usd('q.1', 1, '1.00'), usd('q.1', 2, '2.00'), usd('q.1', 3, '2.00')])), 'feed-conflict-twice');
      expect(batch.statusCode).toBe(201);
      expect(batch.json()).toMatchObject({ imported: 1, duplicates: [], conflicts: [{ line: 2, id: 'q.1', amount: '2.00' }, { line: 3, id: 'q.1', amount: '2.00' }] });
      // Stored: q.1 (1.00) and the 2.00 set aside once, as a later feed repeating it would find it set aside already.
      expect(await stored()).toBe(before + 2);
      expect((await db.query<{ amount: string }>("select amount::text as amount from transactions where conflict_of = 'q.1'")).rows).toEqual([{ amount: '2.00' }]);
      const text = [HEADER, 'q2,2026-03-08,sale,1.00,USD,studio-f,game,app', 'q2,2026-03-08,sale,3.00,USD,studio-f,game,app', 'q2,2026-03-08,sale,3.00,USD,studio-f,game,app'].join('\n');
      const file = await postFile(text, 'feed-conflict-twice-file');
      expect(file.statusCode).toBe(201);
      expect(file.json()).toMatchObject({ imported: 1, conflicts: [{ line: 3, amount: '3.00' }, { line: 4, amount: '3.00' }] });
      expect(await stored()).toBe(before + 4);
      expect((await db.query<{ amount: string }>("select amount::text as amount from transactions where conflict_of = 'tx:csv:feed||q2'")).rows).toEqual([{ amount: '3.00' }]);
    });

    it('lets two concurrent requests with one key write once and answer alike', async () => {
      const before = await stored();
      const text = [HEADER, 'c1,2026-03-07,sale,1.10,EUR,studio-d,game,app', 'c2,2026-03-07,sale,2.20,EUR,studio-d,game,app'].join('\n');
      const responses = await Promise.all([postFile(text, 'feed-concurrent'), postFile(text, 'feed-concurrent'), postFile(text, 'feed-concurrent')]);
      expect(responses.map((response) => response.statusCode)).toEqual([201, 201, 201]);
      expect(responses.filter((response) => response.headers['idempotent-replayed'] === 'false')).toHaveLength(1);
      expect(new Set(responses.map((response) => response.body)).size).toBe(1);
      expect(await stored()).toBe(before + 2);
      expect(await count("select count(*)::bigint as n from idempotency_keys where key = 'feed-concurrent'")).toBe(1);
    });

    it('imports a JSON batch of canonical columns, with duplicates and conflicts inside it', async () => {
      const before = await stored();
      const payload = JSON.stringify(batchBody([
        { id: 'psp.1', line: 1, amount: '12.34', description: "Robert'); drop table transactions; --" },
        { id: 'psp.2', line: 2, amount: '0.66' },
        { id: 'psp.1', line: 3, amount: '12.34' },
        { id: 'psp.2', line: 4, amount: '0.67' },
        { id: 'psp.3', line: 5, amount: '1000', currency: 'JPY', occurredAt: '2026-05-31T23:30:00+09:00' },
      ]));
      const response = await postBatch(payload, 'feed-batch-1');
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body).toMatchObject({ rowsRead: 5, entriesRead: 5, imported: 3, rejected: [], file: { fileName: 'feed.json', format: 'psp-json' } });
      expect(body.duplicates).toEqual([{ line: 3, id: 'psp.1', duplicateOf: { line: 1, sourceId: 'psp-feed' } }]);
      expect(body.conflicts).toMatchObject([{ line: 4, id: 'psp.2', amount: '0.67', first: { amount: '0.66' } }]);
      expect(await stored()).toBe(before + 4);
      // The SQL-looking text is data, stored as written; EUR 12.34 + 0.66 = 13.00 counted in May.
      expect((await db.query<{ description: string }>("select description from transactions where id = 'psp.1'")).rows).toEqual([{ description: "Robert'); drop table transactions; --" }]);
      expect((await db.query<{ total: string }>("select sum(amount)::text as total from transactions_y2026m05 where currency = 'EUR' and conflict_of is null")).rows[0]?.total).toBe('13.00');
      expect((await db.query<{ amount: string }>("select amount::text as amount from transactions where id = 'psp.3'")).rows).toEqual([{ amount: '1000' }]);
      // The three counted rows reach desks as one batch with their raw fields; the conflicting psp.2 (0.67) is set aside.
      const [batch, ...more] = await pullBatches(body.importId);
      expect(more).toEqual([]);
      expect(batch).toMatchObject({ id: `${body.importId}:0`, rowCount: 3, source: { sourceId: 'psp-feed', format: 'psp-json', fileName: 'feed.json' } });
      expect(batch?.columns).toMatchObject({ id: ['psp.1', 'psp.2', 'psp.3'], line: [1, 2, 5], amount: ['12.34', '0.66', '1000'], currency: ['EUR', 'EUR', 'JPY'], rawNames: ['ref'], rawValues: [['psp.1'], ['psp.2'], ['psp.3']] });
      const replay = await postBatch(payload, 'feed-batch-1');
      expect(replay.body).toBe(response.body);
      expect(await stored()).toBe(before + 4);
    });

    it('stores a JSON batch repeating a stored id with only its new row as the batch, each batch document with its own seq and audit event', async () => {
      // psp.3 (JPY 1000) is stored by the batch above: the same money again is a duplicate; psp.4 is new.
      const response = await postBatch(JSON.stringify(batchBody([{ id: 'psp.3', line: 1, amount: '1000', currency: 'JPY', occurredAt: '2026-05-31T23:30:00+09:00' }, { id: 'psp.4', line: 2, amount: '4.00' }])), 'feed-batch-2');
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body).toMatchObject({ imported: 1, duplicates: [{ line: 1, id: 'psp.3' }] });
      // The document written before the lock (both rows) was discarded for the one holding psp.4 alone.
      const [batch, ...more] = await pullBatches(body.importId);
      expect(more).toEqual([]);
      expect(batch?.columns.id).toEqual(['psp.4']);
      // No document is left with a placeholder seq, and each batch's audit event names the seq it was published with.
      expect(await count('select count(*)::bigint as n from sync_documents where seq < 0')).toBe(0);
      const { rows } = await db.query<{ id: string; seq: string; audited: string }>(
        "select b.id, b.seq::text as seq, a.body->'details'->>'seq' as audited from sync_documents b join sync_documents a on a.collection = 'audit_events' and a.body->'subject'->>'id' = b.id where b.collection = 'import_batches'",
      );
      expect(rows.length).toBe(await count("select count(*)::bigint as n from sync_documents where collection = 'import_batches'"));
      for (const row of rows) expect(row.audited).toBe(row.seq);
    });

    it('leaves nothing of an import that fails under the ingest lock after its batch document was written', async () => {
      const before = await count('select count(*)::bigint as n from sync_documents');
      const prepared = await prepareBatch(BatchImportBody.parse(batchBody([{ id: 'psp.9', line: 1, amount: '9.00' }])), 'f'.repeat(64), 10, 'imp.failing');
      const feed = {
        identity: requestIdentity('feed-failing', 'imports.batch', 'ana', '', 'f'.repeat(64)),
        writer: { id: 'ana', role: 'analyst' },
        importId: 'imp.failing',
        at: '2026-05-11T09:00:00Z',
        ids: ['psp.9'],
        months: prepared.months,
        classify: () => {
          throw new Error('failed under the lock');
        },
        prepared: prepared.batches,
      };
      await expect(storeFeed(db, feed)).rejects.toThrow('failed under the lock');
      expect(await count('select count(*)::bigint as n from sync_documents')).toBe(before);
      expect(await count("select count(*)::bigint as n from idempotency_keys where key = 'feed-failing'")).toBe(0);
      // The same key then works, storing the row and its batch once.
      const outcome = await storeFeed(db, { ...feed, classify: prepared.classify });
      expect(outcome).toMatchObject({ rowsCopied: 1 });
      expect(await count("select count(*)::bigint as n from sync_documents where collection = 'import_batches' and id = 'imp.failing:0' and seq > 0")).toBe(1);
    });

    it('refuses whole an import that would store an id twice, whatever its classification said', async () => {
      // psp.9 is stored (the test above). A classification that ignores it (the lookup's answer
      // dropped) must not keep it twice: the id registry's primary key fails the import.
      const rows = await stored();
      const documents = await count('select count(*)::bigint as n from sync_documents');
      const prepared = await prepareBatch(BatchImportBody.parse(batchBody([{ id: 'psp.10', line: 1, amount: '1.00' }, { id: 'psp.9', line: 2, amount: '9.00' }])), 'e'.repeat(64), 10, 'imp.twice');
      const feed = { identity: requestIdentity('feed-twice', 'imports.batch', 'ana', '', 'e'.repeat(64)), writer: { id: 'ana', role: 'analyst' }, importId: 'imp.twice', at: '2026-05-11T09:05:00Z', ids: ['psp.10', 'psp.9'], months: prepared.months, prepared: prepared.batches };
      await expect(storeFeed(db, { ...feed, classify: () => prepared.classify({ known: new Map(), all: new Set() }) })).rejects.toMatchObject({ statusCode: 409, code: 'conflict', details: { reason: 'id_stored' } });
      expect(await stored()).toBe(rows);
      expect(await count('select count(*)::bigint as n from sync_documents')).toBe(documents);
      expect(await count("select count(*)::bigint as n from idempotency_keys where key = 'feed-twice'")).toBe(0);
      // Classified against what is stored, the same feed imports psp.10 and names psp.9 a duplicate of line 1 of imp.failing's feed.
      const outcome = await storeFeed(db, { ...feed, classify: prepared.classify });
      expect(outcome).toMatchObject({ rowsCopied: 1 });
      expect(await stored()).toBe(rows + 1);
      // Every stored row is in the registry once, and the registry holds nothing else.
      expect(await count('select count(*)::bigint as n from transaction_ids')).toBe(rows + 1);
      expect(await count('select count(*)::bigint as n from transactions t join transaction_ids r using (id, line, source_id, amount, currency)')).toBe(rows + 1);
    });

    it('lets analysts and admins import, nobody else', async () => {
      const text = [HEADER, 'a1,2026-03-09,sale,3.00,EUR,studio-e,game,app'].join('\n');
      expect(codeOf(await t.app.inject({ method: 'POST', url: '/api/v1/imports?fileName=a.csv', headers: { 'content-type': 'text/csv', 'idempotency-key': 'feed-roles-0' }, payload: text }))).toBe('401 unauthenticated');
      for (const name of ['cy', 'eve']) {
        expect(codeOf(await postFile(text, `feed-roles-${name}`, undefined, await t.tokenFor(name)))).toBe('403 forbidden');
        expect(codeOf(await postBatch(JSON.stringify(batchBody([{ id: 'r.1', line: 1, amount: '1.00' }])), `feed-roles-b-${name}`, await t.tokenFor(name)))).toBe('403 forbidden');
      }
      expect((await postFile(text, 'feed-roles-root', undefined, await t.tokenFor('root'))).statusCode).toBe(201);
    });

    it('answers hostile bodies with a typed 4xx and writes nothing', async () => {
      const before = await stored();
      const keys = await count('select count(*)::bigint as n from idempotency_keys');
      const documents = await count('select count(*)::bigint as n from sync_documents');
      const good = batchBody([{ id: 'h.1', line: 1, amount: '1.00' }]);
      const cases: Array<[Promise<{ statusCode: number; json: () => { error: { code: string; details?: Record<string, unknown> } } }>, string, Record<string, unknown>?]> = [
        [postFile('x'.repeat(5000), 'hostile-1'), '413 body_too_large'],
        [postFile('', 'hostile-2'), '422 import_refused', { reason: 'file_empty' }],
        [postFile('\u0000\u0001binary', 'hostile-3'), '422 import_refused'],
        [postFile(FILE_1, 'hostile-4', "fileName=feed.csv&format=csv&profile=x';drop table users;--"), '400 request_invalid'],
        [postFile(FILE_1, 'hostile-5', 'fileName=../../etc/passwd&format=csv&profile=prof.feed'), '400 request_invalid'],
        [postFile(FILE_1, 'hostile-6', 'fileName=feed.csv&format=csv&profile=prof.none'), '422 import_refused', { reason: 'profile_unknown' }],
        [postBatch('x'.repeat(70_000), 'hostile-7'), '413 body_too_large'],
        [postBatch(`${'['.repeat(5000)}${']'.repeat(5000)}`, 'hostile-8'), '400 body_too_deep'],
        [postBatch('{"source":', 'hostile-9'), '400 body_not_json'],
        [postBatch(JSON.stringify({ ...good, columns: { ...good.columns, amount: [1.0] } }), 'hostile-10'), '400 request_invalid', { path: 'body.columns.amount.0' }],
        [postBatch(JSON.stringify({ ...good, columns: { ...good.columns, line: [1, 2] } }), 'hostile-11'), '400 request_invalid'],
        [postBatch(JSON.stringify({ ...good, extra: "'; delete from transactions; --" }), 'hostile-12'), '400 request_invalid'],
        [postBatch(JSON.stringify({ ...good, columns: { ...good.columns, occurredAt: ['2026-02-30'] } }), 'hostile-13'), '422 import_refused', { reason: 'date_invalid', line: 1, column: 'occurredAt' }],
        [postBatch(JSON.stringify({ ...good, columns: { ...good.columns, amount: ['1.005'] } }), 'hostile-14'), '422 import_refused', { reason: 'amount_minor_units', line: 1, column: 'amount' }],
        [postBatch(JSON.stringify({ ...good, columns: { ...good.columns, description: ['nul \u0000 inside'] } }), 'hostile-15'), '422 import_refused', { reason: 'field_invalid', line: 1, column: 'description' }],
        [postBatch(JSON.stringify({ ...good, columns: { ...good.columns, currency: ['XXY'] } }), 'hostile-16'), '400 request_invalid'],
        [postBatch(JSON.stringify({ ...good, columns: { ...good.columns, amount: [`1${'0'.repeat(80)}`] } }), 'hostile-17'), '400 request_invalid'],
        [postBatch('[{"__proto__":{"admin":true}}]', 'hostile-18'), '400 body_not_json'],
      ];
      for (const [index, [pending, expected, details]] of cases.entries()) {
        const response = await pending;
        expect(`${index}: ${codeOf(response)}`).toBe(`${index}: ${expected}`);
        if (details !== undefined) expect(response.json().error.details).toMatchObject(details);
      }
      expect(await stored()).toBe(before);
      expect(await count('select count(*)::bigint as n from idempotency_keys')).toBe(keys);
      expect(await count('select count(*)::bigint as n from sync_documents')).toBe(documents);
      expect(await count('select count(*)::bigint as n from users')).toBe(4);
    });

    it('counts no archived money twice: after May is detached and archived, a re-import finds its ids as duplicates and conflicts of the archived rows, and no batch reaches desks', async () => {
      // May holds psp.1 (12.34 EUR) and psp.4 (4.00 EUR), stored above. It is archived whole (README, "Transactions
      // partitioned by month"): detached, and dropped here where an operator would first dump it. Its ids stay in the
      // registry, and its batches stay replicated: desks settle from those, so the month's money is still counted there.
      await db.exec('alter table transactions detach partition transactions_y2026m05');
      await db.exec('drop table transactions_y2026m05');
      const batches = await count("select count(*)::bigint as n from sync_documents where collection = 'import_batches'");
      const response = await postBatch(JSON.stringify(batchBody([{ id: 'psp.1', line: 1, amount: '12.34' }, { id: 'psp.4', line: 2, amount: '4.50' }])), 'feed-batch-archived');
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body).toMatchObject({ imported: 0, duplicates: [{ line: 1, id: 'psp.1', duplicateOf: { line: 1, sourceId: 'psp-feed' } }], conflicts: [{ line: 2, id: 'psp.4', amount: '4.50', first: { amount: '4.00' } }] });
      // May's partition, made again for the row set aside, counts nothing: only psp.4's other money (4.50) is in it, aside.
      expect((await db.query<{ amount: string; counted: boolean }>('select amount::text as amount, conflict_of is null as counted from transactions_y2026m05')).rows).toEqual([{ amount: '4.50', counted: false }]);
      expect(await pullBatches(body.importId)).toEqual([]);
      expect(await count("select count(*)::bigint as n from sync_documents where collection = 'import_batches'")).toBe(batches);
    });

    it('imports feeds sent at once that need new month partitions, batches COPYing their rows before the ingest lock', async () => {
      // Each batch has a row in a month of its own (2027-02..05, no partition yet) and one in 2027-01 (none yet either); with
      // them, a CSV with rows in 2027-06 and 2027-01, and a batch repeating psp.1 (stored, 12.34 EUR: a duplicate, so that
      // batch is undone, locked again and looked up) with a new row in 2027-07. The partitions are made before the imports'
      // transactions, never under the lock a batch waits for after COPYing its rows.
      const before = await stored();
      const months = ['2027-02', '2027-03', '2027-04', '2027-05'];
      const csv = [HEADER, 'pf1,2027-06-03,sale,3.00,EUR,studio-a,game,app', 'pf2,2027-01-04,sale,5.00,EUR,studio-a,game,app'].join('\n');
      const responses = await Promise.all([
        ...months.map((month, index) =>
          postBatch(JSON.stringify(batchBody([{ id: `part.${index}.a`, line: 1, amount: '1.00', occurredAt: `${month}-15` }, { id: `part.${index}.b`, line: 2, amount: '2.00', occurredAt: '2027-01-20' }])), `feed-partitions-${index}`),
        ),
        postFile(csv, 'feed-partitions-file'),
        postBatch(JSON.stringify(batchBody([{ id: 'psp.1', line: 1, amount: '12.34' }, { id: 'part.after', line: 2, amount: '6.00', occurredAt: '2027-07-01' }])), 'feed-partitions-stored'),
      ]);
      expect(responses.map((response) => response.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(responses[5]?.json()).toMatchObject({ imported: 1, duplicates: [{ line: 1, id: 'psp.1' }] });
      // 4 x 2 batch rows, the CSV's 2, and part.after.
      expect(await stored()).toBe(before + 11);
      // January: the four b rows, 4 x 2.00, and pf2's 5.00; each batch's own month its a row, 1.00; June pf1; July part.after.
      expect((await db.query<{ total: string }>('select sum(amount)::text as total from transactions_y2027m01')).rows[0]?.total).toBe('13.00');
      for (const month of months) expect(await count(`select count(*)::bigint as n from transactions_y${month.replace('-', 'm')}`)).toBe(1);
      expect((await db.query<{ total: string }>('select sum(amount)::text as total from transactions_y2027m06')).rows[0]?.total).toBe('3.00');
      expect((await db.query<{ total: string }>('select sum(amount)::text as total from transactions_y2027m07')).rows[0]?.total).toBe('6.00');
      expect(await count('select count(*)::bigint as n from transactions_default')).toBe(0);
    });
  });
}
