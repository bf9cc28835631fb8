import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { checkedIdentifier, type Db, type Queryable, type QueryResult } from './types.ts';

/**
 * PostgreSQL through a `pg` pool. The schema is set on every pooled connection through the
 * startup `options`, so a transaction can never run against another test run's tables. LISTEN
 * uses its own client: a pooled connection would be handed to someone else between
 * notifications.
 */
const UNIQUE_VIOLATION = '23505';

export interface PgOptions {
  readonly connectionString: string;
  readonly schema?: string;
  readonly poolSize?: number;
}

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
    async copyFrom(sql: string, chunks: Iterable<string>): Promise<number> {
      // The pool itself cannot COPY: it needs one connection for the whole stream.
      const connection = 'release' in client ? client : await client.connect();
      try {
        const stream = connection.query(copyFromStdin(sql));
        await pipeline(Readable.from(chunks), stream);
        return stream.rowCount ?? 0;
      } finally {
        if (connection !== client) (connection as pg.PoolClient).release();
      }
    },
  };
}

export async function openPg(options: PgOptions): Promise<Db> {
  const schema = checkedIdentifier(options.schema ?? 'public', 'schema');
  const setup = new pg.Client({ connectionString: options.connectionString });
  await setup.connect();
  try {
    await setup.query(`create schema if not exists ${schema}`);
  } catch (error) {
    // Two processes starting at once both pass "if not exists"; the loser's unique violation means the schema is there.
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
  } finally {
    await setup.end();
  }
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10, options: `-c search_path=${schema}` });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const listeners: pg.Client[] = [];
  const base = wrap(pool);
  return {
    kind: 'pg',
    schema,
    query: base.query,
    exec: base.exec,
    copyFrom: base.copyFrom,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(wrap(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
      const name = checkedIdentifier(channel, 'channel');
      const client = new pg.Client({ connectionString: options.connectionString });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === name) onPayload(message.payload ?? '');
      });
      await client.query(`listen ${name}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end().catch(() => undefined);
      };
    },
    async close(): Promise<void> {
      await Promise.all(listeners.splice(0).map((client) => client.end().catch(() => undefined)));
      await pool.end();
    },
  };
}
