import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_CSV_HEADER, BENCH_CSV_PROFILE } from '../bench/support/bench-csv.ts';
import { openDesk, type Desk } from '../renderer/desk/desk.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPglite } from '../server/db/pglite.ts';
import type { Db } from '../server/db/types.ts';
import { bearer, startTestApp, type TestApp } from '../server/test-app.test-support.ts';

/**
 * Rows the server ingests through its feeds reach a desk: a CSV through a mapping profile and a
 * JSON batch, fed to the real server (PGlite, over HTTP), are pulled by a desk (renderer/desk over
 * fake-indexeddb with its replication client) as import_batches and imports documents, and the
 * desk's loadTransactions gives back exactly the counted rows. Amounts are checked by hand below.
 */
// Line 5 repeats r1 exactly (a duplicate, not counted again); line 6's date is no date (rejected).
const CSV = [
  BENCH_CSV_HEADER,
  'r1,2026-03-01,sale,10.00,EUR,studio-a,game,app',
  'r2,2026-03-02,refund,-2.50,EUR,studio-a,game,app',
  'r3,2026-03-03,sale,7.25,EUR,studio-b,game,web',
  'r1,2026-03-01,sale,10.00,EUR,studio-a,game,app',
  'r4,2026-03-xx,sale,1.00,EUR,studio-b,game,app',
].join('\n');

function jsonFeed(): string {
  const ids = ['psp.1', 'psp.2', 'psp.1'];
  const none = ids.map(() => null);
  return JSON.stringify({
    source: { sourceId: 'psp-feed', format: 'psp-json', fileName: 'payouts.json' },
    columns: {
      id: ids, line: [1, 2, 3], kind: ['sale', 'sale', 'sale'], occurredAt: ['2026-03-10', '2026-03-11T08:00:00Z', '2026-03-10'], bookingDate: none, valueDate: none,
      // The third row repeats psp.1 with other money: a conflict, set aside, never on a desk.
      amount: ['100.10', '0.90', '100.11'], currency: ['EUR', 'EUR', 'EUR'], account: none, partnerId: ['studio-c', 'studio-c', 'studio-c'], productId: none, channel: none,
      counterpartyName: none, counterpartyAccount: none, externalId: ['ch_1', 'ch_2', 'ch_1'], batchId: none, endToEndId: none, bankReference: none, description: ['first', null, 'again'], customerRef: none,
      rawNames: ['ref', 'note'], rawValues: [['ch_1', 'n1'], ['ch_2', null], ['ch_1', 'n3']],
    },
  });
}

describe('server-ingested rows reach a desk', () => {
  let db: Db;
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    t = await startTestApp(db, {}, { ana: 'analyst', feeder: 'analyst' });
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const token = await t.tokenFor('ana');
    desk = await openDesk({
      name: `desk_server_feed_${process.pid}`,
      userId: 'ana',
      indexedDB,
      IDBKeyRange,
      collections: ['imports', 'import_batches'],
      nowIso: () => '2026-03-12T09:00:00Z',
      sync: { baseUrl: base, token: async () => token, fetch, retryTimeMs: 50, pollIntervalMs: 0, eventSource: null },
    });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
    await t?.app.close();
    await db?.close();
  });

  it('a CSV feed and a JSON batch feed load on the desk as the rows the server counted', async () => {
    const feeder = await t.tokenFor('feeder');
    const json = { ...bearer(feeder), 'content-type': 'application/json' };
    const profileDoc = { id: 'prof.feed', name: 'feed', profile: BENCH_CSV_PROFILE, updatedBy: 'feeder', updatedAt: '2026-03-01T09:00:00Z', _deleted: false };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/sync/mapping_profiles/push', headers: json, payload: JSON.stringify([{ newDocumentState: profileDoc }]) })).json()).toEqual([]);

    const file = await t.app.inject({ method: 'POST', url: '/api/v1/imports?fileName=march.csv&format=csv&profile=prof.feed', headers: { ...bearer(feeder), 'content-type': 'text/csv', 'idempotency-key': 'desk-feed-csv' }, payload: CSV });
    expect(file.statusCode).toBe(201);
    const csvImport = file.json() as { importId: string; imported: number };
    expect(csvImport.imported).toBe(3);
    const batch = await t.app.inject({ method: 'POST', url: '/api/v1/imports/batch', headers: { ...json, 'idempotency-key': 'desk-feed-json' }, payload: jsonFeed() });
    expect(batch.statusCode).toBe(201);
    const jsonImport = batch.json() as { importId: string; imported: number; conflicts: unknown[] };
    expect([jsonImport.imported, jsonImport.conflicts.length]).toEqual([2, 1]);

    await desk.syncNow();
    const imports = await desk.listImports();
    expect(imports.map((doc) => [doc.id, doc.account, doc.batchIds]).sort()).toEqual(
      [
        [csvImport.importId, { transactions: 3, rejected: 1, duplicates: 1, conflicts: 0 }, [`${csvImport.importId}:0`]],
        [jsonImport.importId, { transactions: 2, rejected: 0, duplicates: 0, conflicts: 1 }, [`${jsonImport.importId}:0`]],
      ].sort(),
    );

    const csvRows = await desk.loadTransactions({ importIds: [csvImport.importId] });
    expect(csvRows.map((tx) => [tx.source.line, tx.occurredAt, tx.kind, tx.amount, tx.currency, tx.partnerId, tx.channel])).toEqual([
      [2, '2026-03-01', 'sale', '10.00', 'EUR', 'studio-a', 'app'],
      [3, '2026-03-02', 'refund', '-2.50', 'EUR', 'studio-a', 'app'],
      [4, '2026-03-03', 'sale', '7.25', 'EUR', 'studio-b', 'web'],
    ]);
    expect(new Set(csvRows.map((tx) => tx.source.fileName))).toEqual(new Set(['march.csv']));
    expect(csvRows.every((tx) => tx.raw.ref !== undefined && tx.raw.amount !== undefined)).toBe(true);

    const jsonRows = await desk.loadTransactions({ importIds: [jsonImport.importId] });
    expect(jsonRows).toEqual([
      {
        id: 'psp.1', source: { sourceId: 'psp-feed', format: 'psp-json', fileName: 'payouts.json', line: 1 }, kind: 'sale', occurredAt: '2026-03-10', bookingDate: null, valueDate: null,
        amount: '100.10', currency: 'EUR', account: null, partnerId: 'studio-c', productId: null, channel: null, counterparty: { name: null, account: null },
        references: { externalId: 'ch_1', batchId: null, endToEndId: null, bankReference: null }, description: 'first', customerRef: null, raw: { ref: 'ch_1', note: 'n1' },
      },
      {
        id: 'psp.2', source: { sourceId: 'psp-feed', format: 'psp-json', fileName: 'payouts.json', line: 2 }, kind: 'sale', occurredAt: '2026-03-11T08:00:00Z', bookingDate: null, valueDate: null,
        amount: '0.90', currency: 'EUR', account: null, partnerId: 'studio-c', productId: null, channel: null, counterparty: { name: null, account: null },
        references: { externalId: 'ch_2', batchId: null, endToEndId: null, bankReference: null }, description: null, customerRef: null, raw: { ref: 'ch_2' },
      },
    ]);

    // Hand sums of what the desk counts: 10.00 - 2.50 + 7.25 = 14.75 from the file, 100.10 + 0.90 = 101.00 from the batch.
    const cents = (rows: ReadonlyArray<{ amount: string }>) => rows.reduce((sum, tx) => sum + BigInt(tx.amount.replace('.', '')), 0n);
    expect(cents(csvRows)).toBe(1475n);
    expect(cents(jsonRows)).toBe(10100n);
    // And the server's own table agrees, the conflicting 100.11 set aside there too.
    const { rows } = await db.query<{ total: string }>('select sum(amount)::text as total from transactions where conflict_of is null');
    expect(rows[0]?.total).toBe('115.75');
  }, 120_000);
});
