import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/db/types.ts';
import { testDatabases } from '../server/test-support.ts';

/** What server/migrations/004-partner.sql did, on PGlite and PostgreSQL: the database itself binds partner users and keys. */
for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`migration 004-partner on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      ({ db, drop } = await target.open());
      await db.query("insert into partners (id, name, analyst, created_by) values ('A', 'Studio A', 'ana', 'root')");
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      await drop?.();
    });

    const user = (id: string, role: string, partnerId: string | null) => db.query('insert into users (id, username, password_hash, role, partner_id) values ($1, $1, $2, $3, $4)', [id, 'x', role, partnerId]);
    const key = (id: string, partnerId: string, scopes: string[]) =>
      db.query("insert into partner_api_keys (id, partner_id, name, secret_sha256, scopes, expires_at, created_by, created_at) values ($1, $2, 'k', $3, $4, now(), 'root', now())", [id, partnerId, 'a'.repeat(64), scopes]);

    it('binds a partner user to exactly one existing partner, and no other role to any', async () => {
      await user('u1', 'partner', 'A');
      await expect(user('u2', 'partner', null)).rejects.toThrow(/users_partner_bound/);
      await expect(user('u3', 'analyst', 'A')).rejects.toThrow(/users_partner_bound/);
      await expect(user('u4', 'partner', 'B')).rejects.toThrow(/foreign key/);
      await expect(user('u5', 'owner', null)).rejects.toThrow(/users_role_check/);
      await user('u6', 'analyst', null);
    });

    it('accepts only the two scopes, at least one, for an existing partner', async () => {
      await key('k1', 'A', ['statements:read', 'queries:write']);
      await expect(key('k2', 'A', [])).rejects.toThrow(/check/);
      await expect(key('k3', 'A', ['statements:write'])).rejects.toThrow(/check/);
      await expect(key('k4', 'B', ['statements:read'])).rejects.toThrow(/foreign key/);
    });
  });
}
