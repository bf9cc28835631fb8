import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exceptionDocFixture } from '../core/sync/fixtures.test-support.ts';
import { openDesk, type Desk } from '../renderer/desk/desk.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPglite } from '../server/db/pglite.ts';
import type { Db } from '../server/db/types.ts';
import { bearer, startTestApp, type TestApp } from '../server/test-app.test-support.ts';

/**
 * Two desks (renderer/desk: RxDB 17, Dexie storage over fake-indexeddb, and its replication
 * client on RxDB's replicateRxCollection) against the real server on PGlite over HTTP: proves
 * our pull/push handlers speak RxDB's contract. Both desks edit one exception while offline; on
 * reconnect the server returns the conflict, the desk merges with core/sync, and both converge
 * on one document that shows the same-field edit as a conflict and keeps every other change.
 */
describe('two RxDB desks replicate through the server', () => {
  let db: Db;
  let t: TestApp;
  const online = { ana: true, ben: true };
  let desks: Desk[] = [];

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    t = await startTestApp(db, {}, { ana: 'analyst', ben: 'analyst' });
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const open = async (user: 'ana' | 'ben', nowIso: string) => {
      const token = await t.tokenFor(user);
      // A desk that is offline fails like a dropped network; RxDB keeps the change and retries.
      const offlineAware: typeof fetch = async (input, init) => {
        if (!online[user]) throw new TypeError('fetch failed');
        return fetch(input, init);
      };
      return openDesk({
        name: `desk_${user}_${process.pid}`,
        userId: user,
        indexedDB,
        IDBKeyRange,
        collections: ['exceptions'],
        nowIso: () => nowIso,
        sync: { baseUrl: base, token: async () => token, fetch: offlineAware, retryTimeMs: 100, pollIntervalMs: 0, eventSource: null },
      });
    };
    desks = [await open('ana', '2026-03-02T10:00:00Z'), await open('ben', '2026-03-02T11:00:00Z')];
  });
  afterAll(async () => {
    for (const desk of desks) await desk.close();
    await t?.app.close();
    await db?.close();
  });

  async function settle(among: readonly Desk[]): Promise<void> {
    // Two rounds: pushes first, then pulls that see what the other desk pushed.
    for (let round = 0; round < 2; round++) for (const desk of among) await desk.syncNow();
  }

  it('converge after offline edits, with a same-field edit shown as a conflict and nothing lost', async () => {
    const [ana, ben] = desks as [Desk, Desk];
    const { updatedBy: _by, conflicts: _conflicts, ...record } = exceptionDocFixture('tx_desks', 'ana');
    await ana.raiseExceptions([record]);
    await settle(desks);
    expect((await ben.listExceptions())[0]).toMatchObject({ id: record.id, assignee: null, severity: 'medium' });

    online.ana = false;
    online.ben = false;
    await ana.assignException(record.id, 'ana');
    await ana.updateException(record.id, { title: 'bank fee, ana checked' }, 'checked the bank statement');
    await ben.assignException(record.id, 'ben');
    await ben.updateException(record.id, { severity: 'high' }, 'amount above the threshold');

    // Ana reconnects first and her edit reaches the server; then Ben's push meets it as a conflict.
    online.ana = true;
    await settle([ana]);
    online.ben = true;
    await settle(desks);

    const [onAna] = await ana.listExceptions();
    const [onBen] = await ben.listExceptions();
    expect(onAna).toEqual(onBen);
    // Ana's title and Ben's severity are both kept; the assignee both set differently is a visible
    // conflict. Ben's desk merged, so the merged version is written in Ben's name.
    expect(onAna).toMatchObject({ title: 'bank fee, ana checked', severity: 'high', assignee: null, updatedBy: 'ben' });
    expect(onAna?.conflicts).toEqual([{ field: 'assignee', base: 'null', candidates: [{ value: '"ana"', by: 'ana' }, { value: '"ben"', by: 'ben' }] }]);
    // The server holds the same document.
    const server = (await t.app.inject({ method: 'GET', url: '/api/v1/sync/exceptions/pull', headers: bearer(await t.tokenFor('ana')) })).json();
    const { _deleted, ...stored } = server.documents[0];
    expect(_deleted).toBe(false);
    expect(stored).toEqual(onAna);
  });
});
