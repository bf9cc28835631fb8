import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../db/types.ts';
import { testDatabases, type TestDatabase } from '../test-support.ts';
import { BatchImportBody, classifyBatch, prepareBatch } from './batch-import.ts';
import { COPY_TRANSACTION_IDS_SQL, COPY_TRANSACTIONS_SQL } from './copy-rows.ts';
import { feedPools } from './feed-pools.test-support.ts';
import { requestIdentity } from './idempotency.ts';
import { preparePartitions } from './partitions.ts';
import { INGEST_LOCK_KEY, storeFeed, type FeedToStore, type StoreOutcome } from './store.ts';

// Both suites hold or watch the ingest lock, an advisory lock of the whole database: in one file
// they run one after the other, where two files side by side could wait on each other's lock.

/**
 * On PostgreSQL (PGlite has one connection): a partition being made waits for every open
 * transaction that wrote into `transactions`, and a JSON batch writes its rows there before it
 * waits for the ingest lock. Set up by hand, in this order: the lock held elsewhere; a file-like
 * feed (no prepared batch) waiting for it; a prepared batch that COPYed its rows and waits too;
 * May's partition being made, waiting for that batch. When the lock is let go, the first feed
 * gets it and COPYs: had it not taken `transactions` before the lock, it would queue behind the
 * partition, which waits for the batch, which waits for it. PostgreSQL finds that cycle after
 * deadlock_timeout (1 s here) and lets the feed ahead, so every import stalled that long under the
 * ingest lock: this test took 1.17-1.25 s so, 0.31-0.38 s with the lock taken first (not asserted:
 * timings are not; the held locks are).
 */
const pgTarget = (await testDatabases()).find((target) => target.kind === 'pg');

function oneRowBatch(id: string, occurredAt: string) {
  const none = [null];
  return BatchImportBody.parse({
    source: { sourceId: 'psp-locks', format: 'psp-json', fileName: `${id}.json` },
    columns: {
      id: [id], line: [1], kind: ['sale'], occurredAt: [occurredAt], bookingDate: none, valueDate: none, amount: ['1.00'], currency: ['EUR'],
      account: none, partnerId: none, productId: none, channel: none, counterpartyName: none, counterpartyAccount: none,
      externalId: none, batchId: none, endToEndId: none, bankReference: none, description: none, customerRef: none, rawNames: [], rawValues: [[]],
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

describe.skipIf(pgTarget === undefined || pgTarget.skip !== null)('a partition made while feeds wait for the ingest lock, on PostgreSQL', () => {
  const pools = feedPools(pgTarget as TestDatabase, 'locks');

  it('lets every feed and the partition through, in the order they queued', async () => {
    const locked = deferred();
    const letGo = deferred();
    const lockHeld = pools.holder.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [INGEST_LOCK_KEY]);
      locked.resolve();
      await letGo.promise;
    });
    await locked.promise;
    const feed = (key: string, body: BatchImportBody): Omit<FeedToStore, 'classify'> => ({
      identity: requestIdentity(key, 'imports.batch', 'ana', '', key.padEnd(64, '0')),
      writer: { id: 'ana', role: 'analyst' },
      importId: `imp.${key}`,
      at: '2026-05-11T09:00:00Z',
      ids: body.columns.id,
      months: new Set(['2026-03-01']),
    });
    const first = oneRowBatch('lock.1', '2026-03-02');
    const firstStored = storeFeed(pools.db, { ...feed('locks-first', first), classify: (stored) => classifyBatch(first, 'a'.repeat(64), 1, stored) });
    await pools.waiting('advisory', 1);
    const second = oneRowBatch('lock.2', '2026-03-03');
    const prepared = await prepareBatch(second, 'b'.repeat(64), 1, 'imp.locks-second');
    const secondStored = storeFeed(pools.db, { ...feed('locks-second', second), classify: prepared.classify, prepared: prepared.batches });
    await pools.waiting('advisory', 2);
    const partition = preparePartitions(pools.db, ['2026-05-01']);
    await pools.waiting('relation', 1);
    // Both feeds hold `transactions` in row exclusive mode while they wait for the ingest lock, the first one with no row written.
    const { rows: holders } = await pools.holder.query<{ n: number }>(
      "select count(*)::int as n from pg_locks l join pg_stat_activity a using (pid) where a.application_name = $1 and l.locktype = 'relation' and l.relation = 'transactions'::regclass and l.mode = 'RowExclusiveLock' and l.granted",
      [pools.applicationName],
    );
    expect(holders[0]?.n).toBe(2);
    letGo.resolve();
    await lockHeld;
    expect(await firstStored).toMatchObject({ rowsCopied: 1 });
    expect(await secondStored).toMatchObject({ rowsCopied: 1 });
    await partition;
    const { rows } = await pools.holder.query<{ id: string }>('select id from transactions order by id');
    expect(rows.map((row) => row.id)).toEqual(['lock.1', 'lock.2']);
    expect((await pools.holder.query<{ found: string | null }>("select to_regclass('transactions_y2026m05')::text as found")).rows[0]?.found).toBe('transactions_y2026m05');
  });
});

/**
 * On PostgreSQL (PGlite has one connection): prepared batches hold the ingest lock shared, so one
 * waiting at the id registry for another import's uncommitted id does not hold up a third, and
 * the registry's primary key decides between the two. The other import is played by hand in a
 * transaction kept open (the shared lock, its rows and registry lines COPYed as a batch COPYs them).
 */
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
  const pools = feedPools(pgTarget as TestDatabase, 'shared');

  async function store(key: string, body: BatchImportBody): Promise<StoreOutcome> {
    const importId = `imp.${key}`;
    const sha256 = createHash('sha256').update(key).digest('hex');
    const prepared = await prepareBatch(body, sha256, 1, importId);
    return storeFeed(pools.db, {
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

  const ids = async () => (await pools.holder.query<{ id: string }>('select id from transactions order by id')).rows.map((row) => row.id);
  const registered = async () => Number((await pools.holder.query<{ n: string }>('select count(*)::bigint as n from transaction_ids')).rows[0]?.n);

  it('lets a batch through while another waits for an uncommitted id, then names that id a duplicate', async () => {
    const copied = deferred();
    const letGo = deferred();
    const other = pools.holder.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock_shared($1)', [INGEST_LOCK_KEY]);
      await copyAsAnotherBatch(tx, batch([{ id: 'both.1', amount: '1.00' }]), 'imp.other');
      copied.resolve();
      await letGo.promise;
    });
    await copied.promise;
    try {
      // both.1 with the same money: this batch's registry COPY waits for the other import's commit.
      const waiter = store('shared-waiter', batch([{ id: 'both.1', amount: '1.00' }, { id: 'a.2', amount: '2.00' }]));
      await pools.waiting('transactionid', 1);
      // Meanwhile a batch of new ids goes through whole: it waits for neither (watched until it is stored).
      const watch = { over: false };
      const storing = store('shared-through', batch([{ id: 'b.1', amount: '3.00' }])).finally(() => {
        watch.over = true;
      });
      const watched = pools.waiting('advisory', 1, watch).then((waited) => {
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
    const other = pools.holder.transaction(async (tx) => {
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
      await pools.waiting('transactionid', 1);
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
