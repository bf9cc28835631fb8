import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.ts';
import { testDatabases } from '../test-support.ts';
import { ensureMonthPartitions } from './partitions.ts';
import { storedIds } from './store.ts';

/**
 * The id lookup a feed's classification stands on, on PGlite and PostgreSQL: stored ids with
 * what they said, conflict rows only as taken ids, unknown ids absent, and the generic-plan
 * setting it uses put back for the rest of the importing transaction.
 */
for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`stored id lookup on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      ({ db, drop } = await target.open());
      await db.transaction(async (tx) => {
        await ensureMonthPartitions(tx, ['2026-03-01', '2026-04-01']);
        await tx.exec(`insert into transactions (id, occurred_month, import_id, line, conflict_of, kind, occurred_at, booking_date, amount, currency, source_id) values
          ('s.1', '2026-03-01', 'imp.a', 2, null, 'sale', '2026-03-05', '2026-03-06', 12.50, 'EUR', 'src-a'),
          ('s.2', '2026-04-01', 'imp.a', 3, null, 'refund', '2026-04-01T10:00:00+02:00', null, -3, 'JPY', 'src-a'),
          ('s.2~c1', '2026-04-01', 'imp.b', 7, 's.2', 'refund', '2026-04-01', null, -4, 'JPY', 'src-b')`);
      });
    });
    afterAll(async () => {
      await db?.close();
      await drop?.();
    });

    it('finds stored ids and their money and dates, conflict rows as taken ids only', async () => {
      const { found, mode } = await db.transaction(async (tx) => {
        const before = (await tx.query<{ plan_cache_mode: string }>('show plan_cache_mode')).rows[0]?.plan_cache_mode;
        const stored = await storedIds(tx, ['s.1', 's.2', 's.2~c1', 'missing']);
        const after = (await tx.query<{ plan_cache_mode: string }>('show plan_cache_mode')).rows[0]?.plan_cache_mode;
        return { found: stored, mode: [before, after] };
      });
      expect([...found.all].sort()).toEqual(['s.1', 's.2', 's.2~c1']);
      expect([...found.known.keys()].sort()).toEqual(['s.1', 's.2']);
      // 12.50 EUR is 1250 cents; -3 JPY is -3 yen (no minor unit).
      expect(found.known.get('s.1')).toEqual({ line: 2, sourceId: 'src-a', content: { currency: 'EUR', minor: 1250, bookingDate: '2026-03-06', valueDate: null } });
      expect(found.known.get('s.2')).toEqual({ line: 3, sourceId: 'src-a', content: { currency: 'JPY', minor: -3, bookingDate: null, valueDate: null } });
      expect(mode).toEqual(['auto', 'auto']);
    });

    it('looks nothing up for no ids', async () => {
      const stored = await db.transaction((tx) => storedIds(tx, []));
      expect(stored.all.size + stored.known.size).toBe(0);
    });
  });
}
