import { readdir, readFile } from 'node:fs/promises';
import { assert } from '../../core/assert.ts';
import { SettleDeskError } from '../../core/errors.ts';
import type { Db } from './types.ts';

/**
 * Numbered SQL migrations (server/migrations/NNN-name.sql), one set for PostgreSQL and PGlite.
 * All pending ones run in one transaction under an advisory lock, so two server processes
 * starting at once on one database apply each migration exactly once.
 */
export const MIGRATIONS_DIR = new URL('../migrations/', import.meta.url);
const MIGRATION_FILE = /^(\d{3})-([a-z0-9-]+)\.sql$/;
/** Any constant shared by every process: the lock only serializes migration runs. */
const MIGRATION_LOCK_KEY = 5_117_015;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export class MigrationError extends SettleDeskError {
  constructor(message: string, details: Record<string, unknown>) {
    super('migration_invalid', message, {}, details);
    this.name = 'MigrationError';
  }
}

export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const match = MIGRATION_FILE.exec(name);
    if (match === null) throw new MigrationError(`migration file ${name} is not named NNN-name.sql`, { name });
    const version = Number(match[1]);
    if (version !== migrations.length + 1) throw new MigrationError(`migration ${name} breaks the numbering (expected ${migrations.length + 1})`, { name });
    migrations.push({ version, name: match[2] as string, sql: await readFile(new URL(name, dir), 'utf8') });
  }
  return migrations;
}

/** Applies what is pending; returns the versions it applied. */
export async function migrate(db: Db, migrations?: readonly Migration[]): Promise<number[]> {
  const all = migrations ?? (await loadMigrations());
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec('create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())');
    const applied = new Set((await tx.query<{ version: number }>('select version from schema_migrations')).rows.map((row) => row.version));
    const done: number[] = [];
    for (const migration of all) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
      done.push(migration.version);
    }
    assert(done.every((version, index) => index === 0 || version > (done[index - 1] as number)), 'migrations apply in order');
    return done;
  });
}
