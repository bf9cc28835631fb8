import { afterAll, beforeAll } from 'vitest';
import { openPg } from '../db/pg.ts';
import type { Db } from '../db/types.ts';
import { TEST_DATABASE_URL, type TestDatabase } from '../test-support.ts';
import { ensureMonthPartitions } from './partitions.ts';

/**
 * Two pools on one fresh PostgreSQL schema with March 2026's partition: `holder` for the test's own
 * statements, and `db` for the imports under test, its backends named so that only their lock waits
 * are watched (`waiting`). Opened in beforeAll, closed and dropped in afterAll of the calling suite.
 */
export interface FeedPools {
  readonly holder: Db;
  readonly db: Db;
  readonly applicationName: string;
  /** True once `count` of the imports' backends wait for a lock of `kind` (`advisory`, `relation`, `transactionid`); false if `watch.over` is set first. */
  waiting(kind: string, count: number, watch?: { over: boolean }): Promise<boolean>;
}

export function feedPools(target: TestDatabase, name: string): FeedPools {
  const pools = { holder: undefined as unknown as Db, db: undefined as unknown as Db, applicationName: '' };
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    ({ db: pools.holder, drop } = await target.open());
    pools.applicationName = `${name}_${pools.holder.schema}`;
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('application_name', pools.applicationName);
    pools.db = await openPg({ connectionString: url.toString(), schema: pools.holder.schema, poolSize: 4 });
    await pools.holder.transaction((tx) => ensureMonthPartitions(tx, ['2026-03-01']));
  });
  afterAll(async () => {
    await pools.db?.close();
    await pools.holder?.close();
    await drop();
  });
  return {
    get holder() {
      return pools.holder;
    },
    get db() {
      return pools.db;
    },
    get applicationName() {
      return pools.applicationName;
    },
    async waiting(kind, count, watch = { over: false }) {
      for (let tries = 0; tries < 300 && !watch.over; tries++) {
        const { rows } = await pools.holder.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock' and wait_event = $2", [pools.applicationName, kind]);
        if ((rows[0]?.n ?? 0) >= count) return true;
        await new Promise((done) => setTimeout(done, 50));
      }
      if (watch.over) return false;
      throw new Error(`never ${count} backends waiting for a ${kind} lock`);
    },
  };
}
