import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../db/migrate.ts';
import type { Db } from '../db/types.ts';
import { testDatabases } from '../test-support.ts';
import { ensureMonthPartitions } from './partitions.ts';
import { storedIds } from './store.ts';

/**
 * What server/migrations/008-transaction-ids.sql does, on PGlite and PostgreSQL, to a database
 * that ran 001-007 and holds transactions: every stored id lands in the registry once with what
 * duplicate detection reads (a repeated id keeps its counted row, the earliest import's line),
 * the lookup then finds them there, and the partitions lose their id index.
 */
for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`migration 008-transaction-ids on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const all = await loadMigrations();
      expect(all.map((each) => `${each.version}-${each.name}`).slice(7, 8)).toEqual(['8-transaction-ids']);
      ({ db, drop } = await target.open(all.slice(0, 7)));
      await db.transaction(async (tx) => {
        await ensureMonthPartitions(tx, ['2026-03-01', '2026-04-01']);
        // s.1 twice (a repeat from before the ingest lock, other money), s.2 and a conflict row set aside for it.
        await tx.exec(`insert into transactions (id, occurred_month, import_id, line, conflict_of, kind, occurred_at, booking_date, value_date, amount, currency, source_id) values
          ('s.1', '2026-03-01', 'imp.b', 9, null, 'sale', '2026-03-05', null, null, 13.00, 'EUR', 'src-b'),
          ('s.1', '2026-03-01', 'imp.a', 2, null, 'sale', '2026-03-05', '2026-03-06', '2026-03-07', 12.50, 'EUR', 'src-a'),
          ('s.2', '2026-04-01', 'imp.a', 3, null, 'refund', '2026-04-01T10:00:00+02:00', null, null, -3, 'JPY', 'src-a'),
          ('s.2~c1', '2026-04-01', 'imp.b', 7, 's.2', 'refund', '2026-04-01', null, null, -4, 'JPY', 'src-b')`);
      });
      expect(await migrate(db, all.slice(0, 8))).toEqual([8]);
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      await drop?.();
    });

    it('registers every stored id once, with what duplicate detection reads', async () => {
      const { rows } = await db.query('select id, conflict_of, line, source_id, amount::text as amount, currency::text as currency, booking_date::text as booking_date, value_date::text as value_date from transaction_ids order by id');
      expect(rows).toEqual([
        { id: 's.1', conflict_of: null, line: 2, source_id: 'src-a', amount: '12.50', currency: 'EUR', booking_date: '2026-03-06', value_date: '2026-03-07' },
        { id: 's.2', conflict_of: null, line: 3, source_id: 'src-a', amount: '-3', currency: 'JPY', booking_date: null, value_date: null },
        { id: 's.2~c1', conflict_of: 's.2', line: 7, source_id: 'src-b', amount: '-4', currency: 'JPY', booking_date: null, value_date: null },
      ]);
      // Nothing left transactions: all four rows are still there.
      expect((await db.query<{ n: string }>('select count(*)::text as n from transactions')).rows).toEqual([{ n: '4' }]);
    });

    it('answers the lookup from the registry, and the partitions have no id index left', async () => {
      const stored = await db.transaction((tx) => storedIds(tx, ['s.1', 's.2', 's.2~c1', 'missing']));
      expect([...stored.all].sort()).toEqual(['s.1', 's.2', 's.2~c1']);
      // 12.50 EUR is 1250 cents; -3 JPY is -3 yen (no minor unit).
      expect(stored.known.get('s.1')).toEqual({ line: 2, sourceId: 'src-a', content: { currency: 'EUR', minor: 1250, bookingDate: '2026-03-06', valueDate: '2026-03-07' } });
      expect(stored.known.get('s.2')).toEqual({ line: 3, sourceId: 'src-a', content: { currency: 'JPY', minor: -3, bookingDate: null, valueDate: null } });
      const { rows } = await db.query<{ indexname: string }>("select indexname from pg_indexes where schemaname = current_schema() and tablename like 'transactions%'");
      expect(rows).toEqual([]);
    });
  });
}
