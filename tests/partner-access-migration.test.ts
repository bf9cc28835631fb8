import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../server/db/migrate.ts';
import { openPg } from '../server/db/pg.ts';
import { openPglite } from '../server/db/pglite.ts';
import type { Db } from '../server/db/types.ts';
import { recordApiKeyUse } from '../server/partner/api-keys.ts';
import { appendServerAuditEvent } from '../server/sync/repository.ts';
import { TEST_DATABASE_URL, testDatabases, testSchemaName } from '../server/test-support.ts';

/**
 * What server/migrations/009-partner-hardening.sql does, on PGlite and PostgreSQL, to a database
 * that ran 001-008 with a partner user and a desk user: no route could change a password before,
 * so the partner user's password is still the admin's one-time one and must be changed; the desk
 * user's is untouched.
 *
 * What server/migrations/007-partner-last-use.sql does, on PGlite and PostgreSQL, to a database
 * that ran 001-006 and already has key uses in its audit chain: each key's last use is taken once
 * from the chain (the latest accepted use; refusals and other chains do not count), users get an
 * empty last sign-in, and later uses keep the latest time.
 */
const targets = await testDatabases();

async function openUnmigrated(kind: 'pglite' | 'pg'): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (kind === 'pglite') return { db: await openPglite(), drop: async () => undefined };
  const schema = testSchemaName();
  const db = await openPg({ connectionString: TEST_DATABASE_URL, schema, poolSize: 2 });
  return {
    db,
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

for (const target of targets) {
  describe.skipIf(target.skip !== null)(`migration 007-partner-last-use on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      ({ db, drop } = await openUnmigrated(target.kind));
      const all = await loadMigrations();
      expect(all.map((each) => `${each.version}-${each.name}`).slice(6, 7)).toEqual(['7-partner-last-use']);
      expect(await migrate(db, all.slice(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
      await db.query("insert into partners (id, name, analyst, created_by) values ('A', 'Studio A', 'ana', 'root')");
      for (const id of ['pk_1', 'pk_2', 'pk_3']) {
        await db.query("insert into partner_api_keys (id, partner_id, name, secret_sha256, scopes, expires_at, created_by, created_at) values ($1, 'A', 'k', $2, array['statements:read'], '2026-06-30T00:00:00Z', 'root', '2026-03-01T08:00:00Z')", [id, 'a'.repeat(64)]);
      }
      await db.query("insert into users (id, username, password_hash, role, partner_id) values ('u_1', 'alice', 'x', 'partner', 'A')");
      const event = (action: string, keyId: string, at: string) => appendServerAuditEvent(db, { id: `apikey.${keyId}`, role: 'partner' }, action, { kind: 'partner_api_key', id: keyId }, { partnerId: 'A' }, at);
      // pk_1: used at 09:00 and 10:30, refused at 11:00 (revoked later, say): its last use is 10:30.
      await event('partner_api_key.used', 'pk_1', '2026-03-01T09:00:00Z');
      await event('partner_api_key.used', 'pk_1', '2026-03-01T10:30:00Z');
      await event('partner_api_key.refused', 'pk_1', '2026-03-01T11:00:00Z');
      // pk_2: only refused, never used. pk_3: never presented.
      await event('partner_api_key.refused', 'pk_2', '2026-03-01T09:15:00Z');
      expect(await migrate(db, all.slice(0, 7))).toEqual([7]);
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      await drop?.();
    });

    const lastUses = async () => (await db.query<{ id: string; last_used_at: Date | null }>('select id, last_used_at from partner_api_keys order by id')).rows.map((row) => [row.id, row.last_used_at?.toISOString() ?? null]);

    it('takes each key’s last accepted use from the audit chain, once', async () => {
      expect(await lastUses()).toEqual([
        ['pk_1', '2026-03-01T10:30:00.000Z'],
        ['pk_2', null],
        ['pk_3', null],
      ]);
      const { rows } = await db.query<{ last_sign_in_at: Date | null }>("select last_sign_in_at from users where id = 'u_1'");
      expect(rows).toEqual([{ last_sign_in_at: null }]);
      // Applied once: a second run has nothing pending.
      expect(await migrate(db, (await loadMigrations()).slice(0, 7))).toEqual([]);
    });

    it('keeps the latest use when uses are recorded out of order', async () => {
      await recordApiKeyUse(db, 'pk_3', '2026-03-02T12:00:00Z');
      await recordApiKeyUse(db, 'pk_3', '2026-03-02T11:59:59Z');
      await recordApiKeyUse(db, 'pk_1', '2026-03-02T08:00:00Z');
      expect(await lastUses()).toEqual([
        ['pk_1', '2026-03-02T08:00:00.000Z'],
        ['pk_2', null],
        ['pk_3', '2026-03-02T12:00:00.000Z'],
      ]);
    });
  });
}

for (const target of targets) {
  describe.skipIf(target.skip !== null)(`migration 009-partner-hardening on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      ({ db, drop } = await openUnmigrated(target.kind));
      const all = await loadMigrations();
      const hardening = all.findIndex((each) => each.name === 'partner-hardening');
      expect(all[hardening]?.version).toBe(9);
      expect(await migrate(db, all.slice(0, hardening))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await db.query("insert into partners (id, name, analyst, created_by) values ('A', 'Studio A', 'ana', 'root')");
      await db.query("insert into users (id, username, password_hash, role, partner_id) values ('u_1', 'alice', 'x', 'partner', 'A'), ('u_2', 'ana', 'x', 'analyst', null)");
      expect(await migrate(db, all.slice(0, hardening + 1))).toEqual([9]);
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      await drop?.();
    });

    it('requires the partner user, and only the partner user, to set their own password; new users default to not', async () => {
      const flags = async () => (await db.query<{ username: string; password_change_required: boolean }>('select username, password_change_required from users order by username')).rows;
      expect(await flags()).toEqual([
        { username: 'alice', password_change_required: true },
        { username: 'ana', password_change_required: false },
      ]);
      await db.query("insert into users (id, username, password_hash, role) values ('u_3', 'cy', 'x', 'approver')");
      expect((await flags()).find((row) => row.username === 'cy')?.password_change_required).toBe(false);
    });
  });
}
