import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPg } from '../db/pg.ts';
import type { Db } from '../db/types.ts';
import { TEST_DATABASE_URL, testDatabases } from '../test-support.ts';
import { BatchImportBody, classifyBatch, prepareBatch } from './batch-import.ts';
import { requestIdentity } from './idempotency.ts';
import { ensureMonthPartitions, preparePartitions } from './partitions.ts';
import { INGEST_LOCK_KEY, storeFeed, type FeedToStore } from './store.ts';

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

function batch(id: string, occurredAt: string) {
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
  let db: Db;
  let holder: Db;
  let drop: () => Promise<void>;
  let applicationName = '';

  beforeAll(async () => {
    ({ db: holder, drop } = await (pgTarget as NonNullable<typeof pgTarget>).open());
    // The feeds' own pool, named so only its backends are watched.
    applicationName = `locks_${holder.schema}`;
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

  /** Waits until `count` of the feeds' backends wait for a lock of this kind (`advisory` or `relation`). */
  async function waiting(kind: string, count: number): Promise<void> {
    for (let tries = 0; tries < 300; tries++) {
      const { rows } = await holder.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock' and wait_event = $2", [applicationName, kind]);
      if ((rows[0]?.n ?? 0) >= count) return;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`never ${count} backends waiting for a ${kind} lock`);
  }

  it('lets every feed and the partition through, in the order they queued', async () => {
    const locked = deferred();
    const letGo = deferred();
    const lockHeld = holder.transaction(async (tx) => {
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
    const first = batch('lock.1', '2026-03-02');
    const firstStored = storeFeed(db, { ...feed('locks-first', first), classify: (stored) => classifyBatch(first, 'a'.repeat(64), 1, stored) });
    await waiting('advisory', 1);
    const second = batch('lock.2', '2026-03-03');
    const prepared = await prepareBatch(second, 'b'.repeat(64), 1, 'imp.locks-second');
    const secondStored = storeFeed(db, { ...feed('locks-second', second), classify: prepared.classify, prepared: prepared.batches });
    await waiting('advisory', 2);
    const partition = preparePartitions(db, ['2026-05-01']);
    await waiting('relation', 1);
    // Both feeds hold `transactions` in row exclusive mode while they wait for the ingest lock, the first one with no row written.
    const { rows: holders } = await holder.query<{ n: number }>(
      "select count(*)::int as n from pg_locks l join pg_stat_activity a using (pid) where a.application_name = $1 and l.locktype = 'relation' and l.relation = 'transactions'::regclass and l.mode = 'RowExclusiveLock' and l.granted",
      [applicationName],
    );
    expect(holders[0]?.n).toBe(2);
    letGo.resolve();
    await lockHeld;
    expect(await firstStored).toMatchObject({ rowsCopied: 1 });
    expect(await secondStored).toMatchObject({ rowsCopied: 1 });
    await partition;
    const { rows } = await holder.query<{ id: string }>('select id from transactions order by id');
    expect(rows.map((row) => row.id)).toEqual(['lock.1', 'lock.2']);
    expect((await holder.query<{ found: string | null }>("select to_regclass('transactions_y2026m05')::text as found")).rows[0]?.found).toBe('transactions_y2026m05');
  });
});
