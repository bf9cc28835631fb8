import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.ts';
import { testDatabases } from '../test-support.ts';
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
      // The id registry is what the lookup reads (an import COPYs each row there and into transactions).
      await db.exec(`insert into transaction_ids (id, conflict_of, line, source_id, amount, currency, booking_date) values
        ('s.1', null, 2, 'src-a', 12.50, 'EUR', '2026-03-06'),
        ('s.2', null, 3, 'src-a', -3, 'JPY', null),
        ('s.2~c1', 's.2', 7, 'src-b', -4, 'JPY', null)`);
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
