import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../core/sync/protocol.ts';
import type { ExceptionDoc } from '../core/sync/documents.ts';
import { exceptionDocFixture } from '../core/sync/fixtures.test-support.ts';
import { exceptionConflictHandlerFor } from '../core/sync/merge.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPglite } from '../server/db/pglite.ts';
import type { Db } from '../server/db/types.ts';
import { bearer, startTestApp, type TestApp } from '../server/test-app.test-support.ts';

/**
 * Two desks (RxDB 17, Dexie storage over fake-indexeddb, RxDB's own replicateRxCollection)
 * against the real server on PGlite over HTTP: proves our pull/push handlers speak RxDB's
 * contract. Both desks edit one exception while offline; on reconnect the server returns the
 * conflict, the desk merges with core/sync, and both converge on one document that shows the
 * same-field edit as a conflict and keeps every other change.
 */
// Only the key is declared: core/sync validates documents (zod) at both ends of the wire.
const EXCEPTION_SCHEMA = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 200 } },
  required: ['id'],
  additionalProperties: true,
} as unknown as RxJsonSchema<ExceptionDoc>;

interface Desk {
  readonly db: RxDatabase;
  readonly exceptions: RxCollection<ExceptionDoc>;
  readonly replication: RxReplicationState<ExceptionDoc, Checkpoint>;
  online: boolean;
}

async function openDesk(name: string, user: string, base: string, token: string): Promise<Desk> {
  const db = await createRxDatabase({ name, storage: getRxStorageDexie({ indexedDB, IDBKeyRange }), multiInstance: false });
  const collections = await db.addCollections({ exceptions: { schema: EXCEPTION_SCHEMA, conflictHandler: exceptionConflictHandlerFor(user) } });
  const exceptions = collections.exceptions as unknown as RxCollection<ExceptionDoc>;
  const desk = { db, exceptions, online: true } as Desk & { replication: RxReplicationState<ExceptionDoc, Checkpoint> };
  const call = async (path: string, init: RequestInit = {}) => {
    // A desk that is offline fails like a dropped network; RxDB keeps the change and retries.
    if (!desk.online) throw new Error('offline');
    const response = await fetch(`${base}${path}`, { ...init, headers: { ...bearer(token), 'content-type': 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    return response.json();
  };
  desk.replication = replicateRxCollection<ExceptionDoc, Checkpoint>({
    collection: exceptions,
    replicationIdentifier: `settledesk-exceptions-${base}`,
    live: true,
    retryTime: 100,
    waitForLeadership: false,
    pull: {
      batchSize: 100,
      handler: async (checkpoint, batchSize) => {
        const result = await call(`/api/v1/sync/exceptions/pull?limit=${batchSize}${checkpoint ? `&checkpoint=${checkpoint.seq}` : ''}`);
        return { documents: result.documents, checkpoint: result.checkpoint ?? undefined };
      },
    },
    push: { batchSize: 50, handler: async (rows) => call('/api/v1/sync/exceptions/push', { method: 'POST', body: JSON.stringify(rows) }) },
  });
  desk.replication.error$.subscribe((error) => {
    if (desk.online) errors.push(`${name}: ${String((error as { parameters?: { errors?: unknown[] } }).parameters?.errors?.[0] ?? error)}`);
  });
  return desk;
}

/** Replication errors while online: there must be none. */
const errors: string[] = [];

async function settle(desks: readonly Desk[]): Promise<void> {
  // Two rounds: pushes first, then pulls that see what the other desk pushed.
  for (let round = 0; round < 2; round++) {
    for (const desk of desks) {
      desk.replication.reSync();
      await desk.replication.awaitInSync();
    }
  }
  expect(errors).toEqual([]);
}

describe('two RxDB desks replicate through the server', () => {
  let db: Db;
  let t: TestApp;
  let desks: Desk[] = [];

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    t = await startTestApp(db, {}, { ana: 'analyst', ben: 'analyst' });
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    desks = [await openDesk('desk_ana', 'ana', base, await t.tokenFor('ana')), await openDesk('desk_ben', 'ben', base, await t.tokenFor('ben'))];
  });
  afterAll(async () => {
    for (const desk of desks) {
      await desk.replication.cancel();
      await desk.db.remove();
    }
    await t?.app.close();
    await db?.close();
  });

  it('converge after offline edits, with a same-field edit shown as a conflict and nothing lost', async () => {
    const [ana, ben] = desks as [Desk, Desk];
    const base = exceptionDocFixture('tx_desks', 'ana');
    await ana.exceptions.insert(base);
    await settle(desks);
    expect((await ben.exceptions.findOne(base.id).exec())?.toJSON()).toMatchObject({ id: base.id, assignee: null, severity: 'medium' });

    ana.online = false;
    ben.online = false;
    await (await ana.exceptions.findOne(base.id).exec())?.incrementalPatch({ assignee: 'ana', title: 'bank fee, ana checked', updatedAt: '2026-03-02T10:00:00Z' });
    await (await ben.exceptions.findOne(base.id).exec())?.incrementalPatch({ assignee: 'ben', severity: 'high', updatedBy: 'ben', updatedAt: '2026-03-02T11:00:00Z' });

    // Ana reconnects first and her edit reaches the server; then Ben's push meets it as a conflict.
    ana.online = true;
    await settle([ana]);
    ben.online = true;
    await settle(desks);

    const seen = await Promise.all(desks.map(async (desk) => (await desk.exceptions.findOne(base.id).exec())?.toJSON()));
    const [onAna, onBen] = seen.map((doc) => JSON.parse(JSON.stringify(doc)) as Record<string, unknown>);
    for (const field of ['_meta', '_rev', '_attachments']) {
      delete onAna?.[field];
      delete onBen?.[field];
    }
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
