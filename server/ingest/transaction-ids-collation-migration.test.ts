import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../db/migrate.ts';
import type { Db } from '../db/types.ts';
import { testDatabases } from '../test-support.ts';
import { storedIds } from './store.ts';

/**
 * What server/migrations/012-transaction-ids-c-collation.sql does, on PGlite and PostgreSQL, to a
 * registry holding ids: the id column compares bytes ("C"), every id is still found by the lookup
 * (non-ASCII ids and ids that differ only in case or accents included: equality was bytes before
 * too), and the primary key still refuses a stored id.
 */
const IDS = ['s.1', 'S.1', 'ü.1', 'u\u0308.1'];

for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`migration 012-transaction-ids-c-collation on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const all = await loadMigrations();
      expect(all.map((each) => `${each.version}-${each.name}`).slice(11, 12)).toEqual(['12-transaction-ids-c-collation']);
      ({ db, drop } = await target.open(all.slice(0, 11)));
      await db.query("insert into transaction_ids (id, line, source_id, amount, currency) select id, ord::int, 'src-a', 1.00, 'EUR' from unnest($1::text[]) with ordinality as u(id, ord)", [IDS]);
      expect(await migrate(db, all.slice(0, 12))).toEqual([12]);
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      await drop?.();
    });

    it('compares the registry ids in the C collation', async () => {
      const { rows } = await db.query("select collation_name from information_schema.columns where table_schema = current_schema() and table_name = 'transaction_ids' and column_name = 'id'");
      expect(rows).toEqual([{ collation_name: 'C' }]);
    });

    it('finds every stored id, each only as itself, and refuses storing one again', async () => {
      const stored = await db.transaction((tx) => storedIds(tx, [...IDS, 's.2', 'U.1']));
      expect([...stored.all].sort()).toEqual([...IDS].sort());
      // Lines are the ids' positions in IDS, 1-based: each id found as its own row.
      expect(IDS.map((id) => stored.known.get(id)?.line)).toEqual([1, 2, 3, 4]);
      await expect(db.query("insert into transaction_ids (id, line, source_id, amount, currency) values ('ü.1', 9, 'src-b', 2.00, 'EUR')")).rejects.toThrow(/transaction_ids_pkey|duplicate key/);
    });
  });
}
