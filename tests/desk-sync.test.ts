import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvProfileSchema } from '../core/importers/csv-profile.ts';
import { exceptionDocFixture } from '../core/sync/fixtures.test-support.ts';
import { openDesk, type Desk, type SyncState } from '../renderer/desk/desk.ts';
import { sampleImport } from '../renderer/desk/fixtures.test-support.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPglite } from '../server/db/pglite.ts';
import type { Db } from '../server/db/types.ts';
import { bearer, startTestApp, type TestApp } from '../server/test-app.test-support.ts';

/**
 * Two desks (renderer/desk over fake-indexeddb, each with the replication client of
 * renderer/desk/replication.ts) against the real server on PGlite over HTTP. A desk goes offline
 * through its fetch: requests fail as on a dropped network while local writes go on.
 */
interface Network {
  online: boolean;
}

// Six per desk: two desks stay under RxDB open-source's 13 open collections per process.
const COLLECTIONS = ['imports', 'import_batches', 'exceptions', 'comments', 'mapping_profiles', 'audit_events'] as const;

function offlineAwareFetch(network: Network): typeof fetch {
  return async (input, init) => {
    if (!network.online) throw new TypeError('fetch failed: network down');
    return fetch(input, init);
  };
}

async function syncState(desk: Desk, predicate: (state: SyncState) => boolean): Promise<SyncState> {
  return firstValueFrom(desk.sync$.pipe(filter(predicate)));
}

describe('desks replicate through the server', () => {
  let db: Db;
  let t: TestApp;
  let base: string;
  const networks = { ana: { online: true }, ben: { online: true } };
  let ana: Desk;
  let ben: Desk;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    t = await startTestApp(db, {}, { ana: 'analyst', ben: 'analyst' });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const open = async (user: 'ana' | 'ben') => {
      const token = await t.tokenFor(user);
      let tick = 0;
      return openDesk({
        name: `desk_sync_${user}_${process.pid}`,
        userId: user,
        indexedDB,
        IDBKeyRange,
        collections: COLLECTIONS,
        nowIso: () => `2026-03-02T${user === 'ana' ? '10' : '11'}:00:${String(tick++ % 60).padStart(2, '0')}Z`,
        sync: { baseUrl: base, token: async () => token, fetch: offlineAwareFetch(networks[user]), retryTimeMs: 50, pollIntervalMs: 0, eventSource: null },
      });
    };
    ana = await open('ana');
    ben = await open('ben');
  });
  afterAll(async () => {
    await ana?.close();
    await ben?.close();
    await t?.app.close();
    await db?.close();
  });

  it('offline writes count as pending, push on reconnect, and reach the other desk', async () => {
    await ana.syncNow();
    networks.ana.online = false;
    await ana.addComment({ kind: 'import', id: 'imp_1' }, 'written on the train');
    // The comment and its audit event wait for the server; the desk knows it is offline.
    expect(await ana.pendingCount()).toBe(2);
    const offline = await syncState(ana, (state) => state.server === 'offline' && state.pending === 2);
    expect(offline.lastError?.code).toBe('sync_offline');

    networks.ana.online = true;
    await ana.syncNow();
    expect(await ana.pendingCount()).toBe(0);
    await syncState(ana, (state) => state.server === 'online' && state.pending === 0);

    await ben.syncNow();
    const seen = await firstValueFrom(ben.comments$({ kind: 'import', id: 'imp_1' }).pipe(filter((list) => list.length > 0)));
    expect(seen.map((comment) => [comment.author, comment.text])).toEqual([['ana', 'written on the train']]);
    // The server holds ana's chain intact.
    const pulled = (await t.app.inject({ method: 'GET', url: '/api/v1/sync/audit_events/pull?limit=1000', headers: bearer(await t.tokenFor('ben')) })).json() as { documents: Array<{ chainId: string; action: string }> };
    expect(pulled.documents.filter((event) => event.chainId === ana.chainId).map((event) => event.action)).toEqual(['comment.added']);
  });

  it('an import stored offline reaches the other desk whole: its row account and every transaction, exactly', async () => {
    networks.ana.online = false;
    const input = sampleImport(500);
    await ana.storeImport(input, { importId: 'imp_offline', importedAt: '2026-03-02T09:00:00Z' });
    // One batch, the import, and its audit event.
    expect(await ana.pendingCount()).toBe(3);
    networks.ana.online = true;
    await ana.syncNow();
    expect(await ana.pendingCount()).toBe(0);
    await ben.syncNow();
    expect((await ben.listImports()).map((doc) => [doc.id, doc.account])).toEqual([['imp_offline', { transactions: 500, rejected: 1, duplicates: 0, conflicts: 0 }]]);
    expect(await ben.loadTransactions({ importIds: ['imp_offline'] })).toEqual(input.transactions);
  });

  it('a rejected row keeps what its reason says (code and values) through the server to the other desk; values past the bounds are a 400', async () => {
    const input = sampleImport(3);
    const rejected = [{ ...input.rejected[0]!, says: 'amount_unreadable', params: { columnName: 'amount', value: '12,5O', problem: 'not_decimal' } }];
    const stored = await ana.storeImport({ ...input, rejected }, { importId: 'imp_said', importedAt: '2026-03-02T09:30:00Z' });
    await ana.syncNow();
    expect(await ana.pendingCount()).toBe(0);
    await ben.syncNow();
    const pulled = (await ben.listImports()).find((doc) => doc.id === 'imp_said');
    expect(pulled?.rejections).toEqual([{ line: 5, column: 'amount', code: 'amount_not_decimal', reason: 'amount "12,5O" is not a decimal', says: 'amount_unreadable', params: { columnName: 'amount', value: '12,5O', problem: 'not_decimal' } }]);

    // A hostile desk's body: 17 values (16 at most), or a value of 2,001 characters, refused whole.
    const push = async (params: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/imports/push',
        headers: { ...bearer(await t.tokenFor('ana')), 'content-type': 'application/json' },
        payload: JSON.stringify([{ newDocumentState: { ...stored, id: 'imp_hostile', rejections: [{ ...stored.rejections[0], params }], _deleted: false } }]),
      });
    const refusals: Array<readonly [Record<string, string>, string]> = [
      [Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`v${index}`, 'x'])), '$.rejections.0.params'],
      [{ value: 'x'.repeat(2001) }, '$.rejections.0.params.value'],
    ];
    for (const [params, path] of refusals) {
      const response = await push(params);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'request_invalid', details: { path } });
    }
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/sync/imports/pull?limit=1000', headers: bearer(await t.tokenFor('ben')) })).json() as { documents: Array<{ id: string }> };
    expect(all.documents.map((doc) => doc.id)).not.toContain('imp_hostile');
  });

  it('a same-field edit on two offline desks surfaces as a conflict on the exception, other edits kept', async () => {
    const { updatedBy: _u, conflicts: _c, ...record } = exceptionDocFixture('tx_conflict', 'ana');
    await ana.raiseExceptions([record]);
    await ana.syncNow();
    await ben.syncNow();
    expect((await ben.listExceptions()).map((doc) => doc.id)).toEqual([record.id]);

    networks.ana.online = false;
    networks.ben.online = false;
    await ana.assignException(record.id, 'ana');
    await ben.assignException(record.id, 'ben');
    await ben.transitionException(record.id, { to: 'investigating' });
    expect(await ben.pendingCount()).toBeGreaterThan(0);

    networks.ana.online = true;
    await ana.syncNow();
    networks.ben.online = true;
    await ben.syncNow();
    await ana.syncNow();

    const [onAna] = await ana.listExceptions();
    const [onBen] = await ben.listExceptions();
    expect(onAna).toEqual(onBen);
    // Ben's status change is kept; the assignee both set differently is a conflict naming both.
    expect(onBen).toMatchObject({ status: 'investigating', assignee: null });
    expect(onBen?.conflicts).toEqual([{ field: 'assignee', base: 'null', candidates: [{ value: '"ana"', by: 'ana' }, { value: '"ben"', by: 'ben' }] }]);
    const state = await syncState(ben, (s) => s.conflicts.length > 0);
    expect(state.conflicts).toEqual([{ kind: 'fields', collection: 'exceptions', id: record.id, fields: onBen?.conflicts }]);

    // A person settles it; the conflict goes on both desks.
    await ben.resolveExceptionConflict(record.id, 'assignee', 'ana');
    await ben.syncNow();
    await ana.syncNow();
    expect((await ana.listExceptions())[0]).toMatchObject({ assignee: 'ana', conflicts: [] });
    expect(await ana.pendingCount()).toBe(0);
    expect(await ben.pendingCount()).toBe(0);
  });

  it('two versions of a mapping profile stay visible as a conflict until a person picks one', async () => {
    const profile = CsvProfileSchema.parse({ name: 'bank', delimiter: ';', date: { format: 'DD.MM.YYYY' }, sign: { convention: 'signed', column: 'amount' }, currency: { fixed: 'EUR' }, columns: { date: 'date' }, id: { policy: 'fingerprint' }, kind: { fixed: 'sale' } });
    await ana.saveMappingProfile({ id: 'profile_bank', name: 'Bank', profile });
    await ana.syncNow();
    await ben.syncNow();

    networks.ana.online = false;
    networks.ben.online = false;
    await ana.saveMappingProfile({ id: 'profile_bank', name: 'Bank (ana)', profile });
    await ben.saveMappingProfile({ id: 'profile_bank', name: 'Bank (ben)', profile });
    networks.ana.online = true;
    await ana.syncNow();
    networks.ben.online = true;
    await ben.syncNow();

    const state = await syncState(ben, (s) => s.conflicts.some((c) => c.kind === 'whole'));
    const conflict = state.conflicts.find((c) => c.kind === 'whole');
    expect(conflict).toMatchObject({ collection: 'mapping_profiles', id: 'profile_bank', mine: { name: 'Bank (ben)', updatedBy: 'ben' }, theirs: { name: 'Bank (ana)', updatedBy: 'ana' } });
    // Until then the document is the server's version: nothing of ana's was overwritten.
    const shown = await firstValueFrom(ben.mappingProfiles$.pipe(filter((docs) => docs[0]?.name === 'Bank (ana)')));
    expect(shown).toHaveLength(1);

    await ben.resolveWholeConflict('mapping_profiles', 'profile_bank', 'mine');
    await ben.syncNow();
    await ana.syncNow();
    const onAna = await firstValueFrom(ana.mappingProfiles$.pipe(filter((docs) => docs[0]?.name === 'Bank (ben)')));
    expect(onAna[0]).toMatchObject({ name: 'Bank (ben)', updatedBy: 'ben' });
    expect((await syncState(ben, () => true)).conflicts).toEqual([]);
  });
});
