import { PGlite, type Transaction } from '@electric-sql/pglite';
import { checkedIdentifier, type Db, type Queryable, type QueryResult } from './types.ts';

/**
 * Embedded PostgreSQL (PGlite, WASM) in a data folder, or in memory when none is given: what
 * `npm run server` uses when no DATABASE_URL is set. PGlite returns int8 as a JS number; the
 * parser below keeps PostgreSQL's text instead, as pg does. It is one connection: its own
 * mutex queues queries and holds other work back for the length of a transaction.
 */
export interface PgliteOptions {
  /** A folder for the database files; in memory when absent. */
  readonly dataDir?: string;
  readonly schema?: string;
}

const INT8_OID = 20;

function wrap(target: PGlite | Transaction): Queryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await target.query<Row>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
    async copyFrom(sql: string, chunks: Iterable<string>): Promise<number> {
      // PGlite has no COPY protocol stream; it reads COPY data from a Blob named '/dev/blob'.
      const result = await target.query(sql.replace(/\bfrom\s+stdin\b/i, "from '/dev/blob'"), [], { blob: new Blob([...chunks]) });
      return result.affectedRows ?? 0;
    },
  };
}

export async function openPglite(options: PgliteOptions = {}): Promise<Db> {
  const schema = checkedIdentifier(options.schema ?? 'public', 'schema');
  const db = new PGlite({ ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }), parsers: { [INT8_OID]: (text: string) => text } });
  await db.waitReady;
  await db.exec(`create schema if not exists ${schema}; set search_path to ${schema}`);
  const base = wrap(db);
  return {
    kind: 'pglite',
    schema,
    query: base.query,
    exec: base.exec,
    copyFrom: base.copyFrom,
    transaction: <T>(work: (tx: Queryable) => Promise<T>) => db.transaction((tx) => work(wrap(tx))),
    async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
      const unlisten = await db.listen(checkedIdentifier(channel, 'channel'), onPayload);
      return () => unlisten();
    },
    close: () => db.close(),
  };
}
