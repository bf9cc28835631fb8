import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test-support.ts';
import { loadMigrations, migrate } from './migrate.ts';
import type { Db } from './types.ts';

for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`database adapter on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      ({ db, drop } = await target.open());
    });
    afterAll(async () => {
      await db?.close();
      await drop?.();
    });

    it('has applied every numbered migration once; a second run applies nothing', async () => {
      const versions = (await loadMigrations()).map((migration) => migration.version);
      const rows = (await db.query<{ version: number }>('select version from schema_migrations order by version')).rows;
      expect(rows.map((row) => row.version)).toEqual(versions);
      expect(await migrate(db)).toEqual([]);
    });

    it.skipIf(target.openAnother === undefined)('applies each migration once when two processes migrate one fresh schema at the same time', async () => {
      const schema = `${db.schema}_race`;
      const [first, second] = await Promise.all([target.openAnother!(schema), target.openAnother!(schema)]);
      try {
        const applied = await Promise.all([migrate(first), migrate(second)]);
        const versions = (await loadMigrations()).map((migration) => migration.version);
        // The advisory lock lets one run apply everything; the other then finds nothing to do.
        expect(applied.map((done) => done.length).sort()).toEqual([0, versions.length]);
        expect((await first.query<{ n: string }>('select count(*)::bigint as n from schema_migrations')).rows[0]?.n).toBe(String(versions.length));
      } finally {
        await first.exec(`drop schema ${schema} cascade`);
        await Promise.all([first.close(), second.close()]);
      }
    });

    it('returns bigint as an exact decimal string on both engines', async () => {
      const { rows } = await db.query<{ big: unknown; seq: unknown }>("select 9007199254740993::bigint as big, nextval('sync_seq') as seq");
      expect(rows[0]?.big).toBe('9007199254740993');
      expect(typeof rows[0]?.seq).toBe('string');
    });

    it('keeps money in numeric exactly: no float on the way in or out', async () => {
      const payable = '12345678901234567890.123456789';
      await db.query("insert into statements (id, hash, partner_id, period, currency, payable, blocked, created_by) values ('s1', $1, 'p', '2026-01', 'EUR', $2, false, 'ana')", ['a'.repeat(64), payable]);
      const { rows } = await db.query<{ payable: unknown; doubled: unknown }>("select payable, payable * 2 as doubled from statements where id = 's1'");
      expect(rows[0]).toEqual({ payable, doubled: '24691357802469135780.246913578' });
      const { rows: types } = await db.query<{ data_type: string }>("select data_type from information_schema.columns where table_schema = $1 and table_name = 'statements' and column_name = 'payable'", [db.schema]);
      expect(types[0]?.data_type).toBe('numeric');
    });

    it('rolls a failed transaction back whole', async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.query("insert into server_secrets (name, value) values ('x', 'y')");
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await db.query("select * from server_secrets where name = 'x'")).rows).toEqual([]);
    });

    it('delivers a NOTIFY sent in a committed transaction to a listener', async () => {
      const heard: string[] = [];
      const stop = await db.listen('sd_test_channel', (payload) => heard.push(payload));
      await db.transaction(async (tx) => {
        await tx.query("select pg_notify('sd_test_channel', 'hello')");
      });
      for (let attempt = 0; attempt < 50 && heard.length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
      await stop();
      expect(heard).toEqual(['hello']);
    });
  });
}
