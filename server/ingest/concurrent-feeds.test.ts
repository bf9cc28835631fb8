import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPg } from '../db/pg.ts';
import type { Db, Queryable } from '../db/types.ts';
import { TEST_DATABASE_URL, testDatabases } from '../test-support.ts';
import { BatchImportBody, classifyBatch, prepareBatch } from './batch-import.ts';
import { COPY_TRANSACTION_IDS_SQL, COPY_TRANSACTIONS_SQL } from './copy-rows.ts';
import { requestIdentity } from './idempotency.ts';
import { ensureMonthPartitions } from './partitions.ts';
import { INGEST_LOCK_KEY, storeFeed, type StoreOutcome } from './store.ts';

/**
 * On PostgreSQL (PGlite has one connection): prepared batches hold the ingest lock shared, so one
 * waiting at the id registry for another import's uncommitted id does not hold up a third, and
 * the registry's primary key decides between the two. The other import is played by hand in a
 * transaction kept open (the shared lock, its rows and registry lines COPYed as a batch COPYs them).
 */
const pgTarget = (await testDatabases()).find((target) => target.kind === 'pg');

function batch(rows: ReadonlyArray<{ id: string; amount: string }>): BatchImportBody {
  const none = rows.map(() => null);
  return BatchImportBody.parse({
    source: { sourceId: 'psp-shared', format: 'psp-json', fileName: 'shared.json' },
    columns: {
      id: rows.map((row) => row.id), line: rows.map((_, index) => index + 1), kind: rows.map(() => 'sale'), occurredAt: rows.map(() => '2026-03-05'),
      bookingDate: none, valueDate: none, amount: rows.map((row) => row.amount), currency: rows.map(() => 'EUR'),
      account: none, partnerId: none, productId: none, channel: none, counterpartyName: none, counterpartyAccount: none,
      externalId: none, batchId: none, endToEndId: none, bankReference: none, description: none, customerRef: none, rawNames: [], rawValues: rows.map(() => []),
    },
  });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** What another batch's import writes before its commit: its rows and registry lines, under the shared ingest lock. */
async function copyAsAnotherBatch(tx: Queryable, body: BatchImportBody, importId: string): Promise<void> {
  const text = classifyBatch(body, '0'.repeat(64), 1, { known: new Map(), all: new Set() }).rows.text(importId);
  await tx.copyFrom(COPY_TRANSACTIONS_SQL, text.rows);
  await tx.copyFrom(COPY_TRANSACTION_IDS_SQL, text.ids);
}

function accountOf(outcome: StoreOutcome): unknown {
  if ('replay' in outcome) throw new Error('a new key was answered as a replay');
  return JSON.parse(outcome.response.body);
}

describe.skipIf(pgTarget === undefined || pgTarget.skip !== null)('prepared batches side by side at the id registry, on PostgreSQL', () => {
  let db: Db;
  let holder: Db;
  let drop: () => Promise<void>;
  let applicationName = '';

  beforeAll(async () => {
    ({ db: holder, drop } = await (pgTarget as NonNullable<typeof pgTarget>).open());
    // The feeds' own pool, named so only its backends are watched.
    applicationName = `shared_${holder.schema}`;
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('application_name', applicationName);
    db = await openPg({ connectionString: url.toString(), schema: holder.schema, poolSize: 4 });
    await holder.transaction((tx) => ensureMonthPartitions(tx, ['2026-03-01']));
  });
  afterAll(async () => {
    await db?.close();
    await holder?.close();
    await drop?.();
  });

  /**
   * Waits until `count` of the feeds' backends wait for a lock of this kind (`transactionid`:
   * another transaction's uncommitted row): true then, false if `watch.over` is set first.
   */
  async function waiting(kind: string, count: number, watch = { over: false }): Promise<boolean> {
    for (let tries = 0; tries < 300 && !watch.over; tries++) {
      const { rows } = await holder.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock' and wait_event = $2", [applicationName, kind]);
      if ((rows[0]?.n ?? 0) >= count) return true;
      await new Promise((done) => setTimeout(done, 50));
    }
    if (watch.over) return false;
    throw new Error(`never ${count} backends waiting for a ${kind} lock`);
  }

  async function store(key: string, body: BatchImportBody): Promise<StoreOutcome> {
    const importId = `imp.${key}`;
    const sha256 = createHash('sha256').update(key).digest('hex');
    const prepared = await prepareBatch(body, sha256, 1, importId);
    return storeFeed(db, {
      identity: requestIdentity(key, 'imports.batch', 'ana', '', sha256),
      writer: { id: 'ana', role: 'analyst' },
      importId,
      at: '2026-05-11T09:00:00Z',
      ids: body.columns.id,
      months: prepared.months,
      classify: prepared.classify,
      prepared: prepared.batches,
    });
  }

  const ids = async () => (await holder.query<{ id: string }>('select id from transactions order by id')).rows.map((row) => row.id);
  const registered = async () => Number((await holder.query<{ n: string }>('select count(*)::bigint as n from transaction_ids')).rows[0]?.n);

  it('lets a batch through while another waits for an uncommitted id, then names that id a duplicate', async () => {
    const copied = deferred();
    const letGo = deferred();
    const other = holder.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock_shared($1)', [INGEST_LOCK_KEY]);
      await copyAsAnotherBatch(tx, batch([{ id: 'both.1', amount: '1.00' }]), 'imp.other');
      copied.resolve();
      await letGo.promise;
    });
    await copied.promise;
    try {
      // both.1 with the same money: this batch's registry COPY waits for the other import's commit.
      const waiter = store('shared-waiter', batch([{ id: 'both.1', amount: '1.00' }, { id: 'a.2', amount: '2.00' }]));
      await waiting('transactionid', 1);
      // Meanwhile a batch of new ids goes through whole: it waits for neither (watched until it is stored).
      const watch = { over: false };
      const storing = store('shared-through', batch([{ id: 'b.1', amount: '3.00' }])).finally(() => {
        watch.over = true;
      });
      const watched = waiting('advisory', 1, watch).then((waited) => {
        if (waited) throw new Error('a batch of new ids waited for the ingest lock');
        return storing;
      });
      const through = await Promise.race([storing, watched]);
      expect(accountOf(through)).toMatchObject({ imported: 1, duplicates: [] });
      expect(await ids()).toEqual(['b.1']);
      letGo.resolve();
      await other;
      // Found stored at its commit: undone, locked alone, looked up: both.1 is line 1 of the other import, a.2 is new.
      expect(accountOf(await waiter)).toMatchObject({ imported: 1, duplicates: [{ line: 1, id: 'both.1', duplicateOf: { line: 1, sourceId: 'psp-shared' } }], conflicts: [] });
    } finally {
      letGo.resolve();
      await other;
    }
    expect(await ids()).toEqual(['a.2', 'b.1', 'both.1']);
    expect(await registered()).toBe(3);
  });

  it('takes the usual path when two imports take shared new ids in opposite orders and PostgreSQL ends the wait as a deadlock', async () => {
    const copied = deferred();
    const second = deferred();
    const secondCopied = deferred();
    const letGo = deferred();
    const other = holder.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock_shared($1)', [INGEST_LOCK_KEY]);
      await copyAsAnotherBatch(tx, batch([{ id: 'dl.2', amount: '5.00' }]), 'imp.other-2');
      copied.resolve();
      await second.promise;
      // Waits for the batch's uncommitted dl.1 while the batch waits for this dl.2: a cycle.
      await copyAsAnotherBatch(tx, batch([{ id: 'dl.1', amount: '4.00' }]), 'imp.other-1');
      secondCopied.resolve();
      await letGo.promise;
    });
    await copied.promise;
    try {
      const batchStored = store('shared-deadlock', batch([{ id: 'dl.1', amount: '4.00' }, { id: 'dl.2', amount: '5.00' }]));
      await waiting('transactionid', 1);
      second.resolve();
      // The batch waited first, so its deadlock check (deadlock_timeout, 1 s) finds the cycle: its COPYs are undone and the other's goes on.
      await secondCopied.promise;
      letGo.resolve();
      await other;
      expect(accountOf(await batchStored)).toMatchObject({
        imported: 0,
        duplicates: [
          { line: 1, id: 'dl.1', duplicateOf: { line: 1, sourceId: 'psp-shared' } },
          { line: 2, id: 'dl.2', duplicateOf: { line: 1, sourceId: 'psp-shared' } },
        ],
      });
    } finally {
      second.resolve();
      letGo.resolve();
      await other;
    }
    expect((await ids()).filter((id) => id.startsWith('dl.'))).toEqual(['dl.1', 'dl.2']);
    expect(await registered()).toBe(5);
  });
});
