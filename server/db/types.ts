import { SettleDeskError } from '../../core/errors.ts';

/**
 * The one database interface the server uses, implemented over `pg` (PostgreSQL) and PGlite
 * (embedded WASM PostgreSQL). Both hand back rows the same way: bigint (int8) and numeric as
 * decimal strings (pg does so by default; PGlite is told to), never a JS number that could
 * round a sequence number or an amount; timestamps as Date.
 */
export interface QueryResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

export interface Queryable {
  /** One statement with $1.. parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * `COPY ... FROM STDIN` with the chunks as its text-format data: bulk loads never go row by
   * row. PGlite reads the same SQL from '/dev/blob' (the caller writes FROM STDIN). Returns the rows copied.
   */
  copyFrom(sql: string, chunks: Iterable<string>): Promise<number>;
}

export interface Db extends Queryable {
  readonly kind: 'pg' | 'pglite';
  /** The schema every table lives in (one per test run, `public` otherwise). */
  readonly schema: string;
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Calls `onPayload` for every NOTIFY on `channel`, from any connection or server process; resolves once listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export class DbConfigError extends SettleDeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('db_config_invalid', message, {}, details);
    this.name = 'DbConfigError';
  }
}

/** Schema and channel names go into SQL text, so they are checked, never quoted from input. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,47}$/;

export function checkedIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new DbConfigError(`${what} ${JSON.stringify(name)} must match ${IDENTIFIER.source}`, { name });
  return name;
}

/** The NOTIFY channel for document changes, per schema so parallel test runs never hear each other. */
export function changesChannel(db: Pick<Db, 'schema'>): string {
  return checkedIdentifier(`sd_changes_${db.schema}`.slice(0, 48), 'channel');
}
