import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, type Migration } from './db/migrate.ts';
import { openPg } from './db/pg.ts';
import { openPglite } from './db/pglite.ts';
import type { Db } from './db/types.ts';

/**
 * Test support (no production caller): the same integration suite runs on PGlite and on the
 * real PostgreSQL. Each run gets a schema of its own, dropped after, so test files running in
 * parallel never see each other's rows. Without a reachable PostgreSQL the pg half is skipped
 * with a one-line reason.
 */
export const TEST_DATABASE_URL = process.env.SETTLEDESK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly kind: 'pglite' | 'pg';
  /** Why this half does not run here, or null. */
  readonly skip: string | null;
  /** A fresh database migrated with every migration, or with the ones given (a migration's own test); `drop` removes it. */
  open(migrations?: readonly Migration[]): Promise<{ db: Db; drop: () => Promise<void> }>;
  /** Another connection to the same database and schema (a second server process). */
  openAnother?(schema: string): Promise<Db>;
}

async function pgSkipReason(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL not reachable at ${TEST_DATABASE_URL.replace(/\/\/[^@]*@/, '//')}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function testSchemaName(): string {
  return `t_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function testDatabases(): Promise<TestDatabase[]> {
  const reason = await pgSkipReason();
  if (reason !== null) console.log(`pg half skipped: ${reason}`);
  return [
    {
      kind: 'pglite',
      skip: null,
      async open(migrations) {
        const db = await openPglite();
        await migrate(db, migrations);
        return { db, drop: async () => undefined };
      },
    },
    {
      kind: 'pg',
      skip: reason,
      async open(migrations) {
        const schema = testSchemaName();
        const db = await openPg({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
        await migrate(db, migrations);
        return {
          db,
          drop: async () => {
            const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
            await client.connect();
            await client.query(`drop schema if exists ${schema} cascade`);
            await client.end();
          },
        };
      },
      openAnother: (schema: string) => openPg({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 }),
    },
  ];
}
