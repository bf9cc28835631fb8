import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import type { RxCollection, RxDatabase } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvProfileSchema } from '../core/importers/csv-profile.ts';
import type { CollectionName } from '../core/sync/documents.ts';
import { openDeskDatabase } from '../renderer/desk/database.ts';
import { retryDelayMs, startDeskReplication, type DeskReplication, type RefusedDocument } from '../renderer/desk/replication.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPglite } from '../server/db/pglite.ts';
import type { Db } from '../server/db/types.ts';
import { startTestApp, type TestApp } from '../server/test-app.test-support.ts';

/**
 * Documents the real server refuses for good (a 4xx with a typed reason) in collections other
 * than approvals: shown as refused with the server's code and reason, never pushed again until
 * they are edited or discarded; the documents pushed with them still go. Network failures are
 * retried (with a growing wait) and never count as refusals.
 */
const COLLECTIONS = ['comments', 'mapping_profiles'] as const;
const PROFILE = CsvProfileSchema.parse({ name: 'bank', delimiter: ';', date: { format: 'DD.MM.YYYY' }, sign: { convention: 'signed', column: 'amount' }, currency: { fixed: 'EUR' }, columns: { date: 'date' }, id: { policy: 'fingerprint' }, kind: { fixed: 'sale' } });
const comment = (id: string, author: string) => ({ id, subject: { kind: 'exception' as const, id: 'exc.1' }, author, text: `note ${id}`, at: '2026-03-01T09:00:00.000Z' });

describe('refused pushes', () => {
  let db: Db;
  let t: TestApp;
  let desk: { readonly db: RxDatabase; readonly collections: Partial<Record<CollectionName, RxCollection>> };
  let replication: DeskReplication;
  let refused: readonly RefusedDocument[] = [];
  /** Every push request's collection and document ids (a deletion as "-id"). */
  const pushes: string[] = [];
  let networkDown = false;
  let networkFailures = 0;

  const onServer = async (collection: CollectionName, id: string) => {
    const { rows } = await db.query<{ body: { author?: string; name?: string } }>('select body from sync_documents where collection = $1 and id = $2', [collection, id]);
    return rows[0]?.body ?? null;
  };
  const rx = (name: CollectionName) => desk.collections[name] as RxCollection;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    t = await startTestApp(db, {}, { ana: 'analyst' });
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const token = await t.tokenFor('ana');
    desk = (await openDeskDatabase({ name: `desk_refusals_${process.pid}`, indexedDB, IDBKeyRange, userId: 'ana', collections: COLLECTIONS })) as typeof desk;
    const fetchCounting: typeof fetch = async (input, init) => {
      const url = String(input);
      if (networkDown) {
        networkFailures++;
        throw new TypeError('fetch failed');
      }
      if (url.endsWith('/push')) {
        const rows = JSON.parse(String(init?.body)) as Array<{ newDocumentState: { id: string; _deleted: boolean } }>;
        pushes.push(`${url.split('/').at(-2)}:${rows.map((row) => `${row.newDocumentState._deleted ? '-' : ''}${row.newDocumentState.id}`).join(',')}`);
      }
      return fetch(input, init);
    };
    replication = startDeskReplication(desk.collections, { baseUrl: base, token: async () => token, fetch: fetchCounting, retryTimeMs: 50, pollIntervalMs: 0, eventSource: null });
    replication.refused$.subscribe((list) => (refused = list));
  }, 120_000);

  afterAll(async () => {
    await replication?.cancel();
    await desk?.db.close();
    await t?.app.close();
    await db?.close();
  });

  it('lists a refused comment with the server\'s reason, pushes the one beside it, and does not retry it', async () => {
    await rx('comments').bulkInsert([comment('c.good', 'ana'), comment('c.bad', 'bob')]);
    await replication.awaitInSync();
    await expect.poll(() => refused.map((each) => [each.collection, each.id, each.code]), { timeout: 10_000 }).toEqual([['comments', 'c.bad', 'forbidden']]);
    expect(refused[0]?.message).toBe('comments.author must be the signed-in user');
    expect(refused[0]?.serverState).toBeNull();
    // Refused in one transaction with c.bad, c.good was pushed again alone and is on the server.
    expect((await onServer('comments', 'c.good'))?.author).toBe('ana');
    expect(await onServer('comments', 'c.bad')).toBeNull();
    // One push of both (in RxDB's order), refused as a whole, then each alone.
    expect(pushes[0]?.replace('comments:', '').split(',').sort()).toEqual(['c.bad', 'c.good']);
    expect(pushes.slice(1).sort()).toEqual(['comments:c.bad', 'comments:c.good']);
    // Not pending, not pushed again however often the desk syncs.
    expect(await replication.pendingCount()).toBe(0);
    for (let round = 0; round < 3; round++) {
      replication.reSync();
      await replication.awaitInSync();
    }
    expect(pushes).toHaveLength(3);
  });

  it('pushes a refused document again once it is edited, and takes it off the list when accepted', async () => {
    const doc = await rx('comments').findOne('c.bad').exec();
    await doc?.incrementalPatch({ author: 'ana' });
    await expect.poll(() => onServer('comments', 'c.bad'), { timeout: 10_000 }).toMatchObject({ author: 'ana' });
    expect(refused).toEqual([]);
    expect(pushes.at(-1)).toBe('comments:c.bad');
  });

  it('discards a refused document the server never had: removed here, and the removal is never pushed', async () => {
    await rx('comments').insert(comment('c.other', 'carol'));
    await expect.poll(() => refused.map((each) => each.id), { timeout: 10_000 }).toEqual(['c.other']);
    const before = pushes.length;
    await replication.discardRefused('comments', 'c.other');
    await replication.awaitInSync();
    expect(refused).toEqual([]);
    expect(await rx('comments').findOne('c.other').exec()).toBeNull();
    expect(pushes.slice(before)).toEqual([]);
    expect(await onServer('comments', 'c.other')).toBeNull();
    expect(await replication.pendingCount()).toBe(0);
    // Nothing left to discard: a typed error, not a silent no-op.
    await expect(replication.discardRefused('comments', 'c.other')).rejects.toMatchObject({ code: 'sync_refusal_unknown' });
    // An audit event is never discarded: the desk's hash chain stays whole.
    await expect(replication.discardRefused('audit_events', 'audit.desk.x.0')).rejects.toMatchObject({ code: 'sync_discard_refused' });
  });

  it('discards a refused edit of a document the server has: the server\'s version comes back', async () => {
    await rx('mapping_profiles').insert({ id: 'prof.bank', name: 'Bank', profile: PROFILE, updatedBy: 'ana', updatedAt: '2026-03-01T09:00:00.000Z' });
    await expect.poll(() => onServer('mapping_profiles', 'prof.bank'), { timeout: 10_000 }).toMatchObject({ name: 'Bank' });
    // An edit in someone else's name is refused; the server keeps "Bank".
    await (await rx('mapping_profiles').findOne('prof.bank').exec())?.incrementalPatch({ name: 'Bank (dave)', updatedBy: 'dave' });
    await expect.poll(() => refused.map((each) => [each.id, each.code]), { timeout: 10_000 }).toEqual([['prof.bank', 'forbidden']]);
    expect(refused[0]?.serverState).toMatchObject({ name: 'Bank', updatedBy: 'ana' });
    await replication.discardRefused('mapping_profiles', 'prof.bank');
    await replication.awaitInSync();
    expect((await rx('mapping_profiles').findOne('prof.bank').exec())?.toJSON()).toMatchObject({ name: 'Bank', updatedBy: 'ana' });
    expect(refused).toEqual([]);
    expect(await onServer('mapping_profiles', 'prof.bank')).toMatchObject({ name: 'Bank', updatedBy: 'ana' });
    expect(await replication.pendingCount()).toBe(0);
  });

  it('keeps retrying through network failures, which are never refusals, and pushes once the network is back', async () => {
    networkDown = true;
    await rx('comments').insert(comment('c.offline', 'ana'));
    await expect.poll(() => networkFailures, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    expect(refused).toEqual([]);
    networkDown = false;
    await expect.poll(() => onServer('comments', 'c.offline'), { timeout: 15_000 }).toMatchObject({ author: 'ana' });
    expect(refused).toEqual([]);
  });

  it('waits longer after each network failure in a row, up to 8 times the first wait', () => {
    // 5 s base: 5, 5, 10, 20, 40, then 40 s.
    expect([0, 1, 2, 3, 4, 5, 9].map((failures) => retryDelayMs(failures, 5_000))).toEqual([5_000, 5_000, 10_000, 20_000, 40_000, 40_000, 40_000]);
  });
});
