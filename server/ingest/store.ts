import { assert } from '../../core/assert.ts';
import { contentOf, type KnownTransaction } from '../../core/ingest/pipeline.ts';
import type { ImportResult } from '../../core/ingest/result.ts';
import { type ImportDoc, storedRejectionOf } from '../../core/sync/documents.ts';
import { parseWireDoc } from '../../core/sync/protocol.ts';
import { changesChannel, type Db, type Queryable } from '../db/types.ts';
import { HttpError } from '../http/errors.ts';
import { checkWrite } from '../sync/checks.ts';
import { discardServerDocumentsIn, insertServerDocumentsIn, parkServerDocumentsIn, publishServerDocumentsIn, pushDocumentsIn, type ServerDocument, type Writer } from '../sync/repository.ts';
import { batchDocsOfTransactions, type BatchToStore } from './batch-docs.ts';
import { COPY_TRANSACTION_IDS_SQL, COPY_TRANSACTIONS_SQL, transactionRows, type CopyRows, type RowToStore } from './copy-rows.ts';
import { claimKey, completeKey, type RequestIdentity, type StoredResponse } from './idempotency.ts';
import { ensureMonthPartitions, preparePartitions } from './partitions.ts';

/**
 * Stores one feed in one transaction: claim the Idempotency-Key, take the ingest lock, look up
 * the ids the feed holds among stored transactions (duplicates and conflicts are found against
 * everything imported before, not only within the feed; a prepared JSON batch is COPYed first,
 * its rows before the lock, and looked up only when the id registry finds one of its ids stored), COPY the new rows, write the import's
 * row account as a replicated `imports` document with the counted rows as its `import_batches`
 * (what desks pull), and keep the response for replays. An import that looks ids up holds the
 * lock alone, so two feeds carrying the same new id cannot both store it; prepared batches hold it
 * shared and run side by side, the registry's primary key standing between them (copyIfNoneStored).
 * The parsing before the transaction runs concurrently.
 */
export const INGEST_LOCK_KEY = 5_117_019;
const LOOKUP_IDS_MAX = 10_000;
/** The imports document lists at most this many rejections; a feed rejecting more is refused whole. */
export const REJECTIONS_MAX = 100_000;

export interface StoredIds {
  /** Ids of stored transactions (not conflict rows), with what they said. */
  readonly known: Map<string, KnownTransaction>;
  /** Every stored id, conflict rows included. */
  readonly all: Set<string>;
}

interface StoredRow {
  readonly id: string;
  readonly conflict_of: string | null;
  readonly line: number;
  readonly source_id: string;
  readonly amount: string;
  readonly currency: string;
  readonly booking_date: string | null;
  readonly value_date: string | null;
}

/**
 * The stored transactions among `ids`, from the id registry (transaction_ids, migration 008: one
 * index probe per id, whatever the number of month partitions), looked up with a generic plan:
 * given the 10,000 ids as a value, the planner estimates each one (~30-40 ms of planning) and
 * may choose to scan the table whole; the generic plan probes the index. The setting is put back
 * for the rest of the transaction.
 */
export async function storedIds(tx: Queryable, ids: readonly string[]): Promise<StoredIds> {
  const known = new Map<string, KnownTransaction>();
  const all = new Set<string>();
  if (ids.length === 0) return { known, all };
  await tx.exec('set local plan_cache_mode = force_generic_plan');
  for (let start = 0; start < ids.length; start += LOOKUP_IDS_MAX) {
    const { rows } = await tx.query<StoredRow>(
      `select id, conflict_of, line, source_id, amount::text as amount, currency::text as currency, booking_date::text as booking_date, value_date::text as value_date
       from transaction_ids where id = any($1::text[])`,
      [ids.slice(start, start + LOOKUP_IDS_MAX)],
    );
    for (const row of rows) {
      all.add(row.id);
      if (row.conflict_of !== null || known.has(row.id)) continue;
      known.set(row.id, { line: Number(row.line), sourceId: row.source_id, content: contentOf({ amount: row.amount, currency: row.currency, bookingDate: row.booking_date, valueDate: row.value_date }) });
    }
  }
  await tx.exec('set local plan_cache_mode to default');
  return { known, all };
}

/** An import's row account: every entry imported, rejected, a duplicate or a conflict. */
export type FeedAccount = Omit<ImportResult, 'transactions'> & { readonly imported: number };

/** What a feed stores: its account, the rows to COPY, and the counted rows as the import's replicated batches. */
export interface ClassifiedFeed {
  readonly account: FeedAccount;
  readonly rows: CopyRows;
  batches(importId: string): readonly BatchToStore[];
}

/** What a client gets back: the row account, every rejected, duplicate and conflicting row named by line. */
export function importResponse(importId: string, result: FeedAccount): Record<string, unknown> {
  return {
    importId,
    file: result.file,
    rowsRead: result.rowsRead,
    entriesRead: result.entriesRead,
    imported: result.imported,
    rejected: result.rejected.map(({ line, column, code, reason }) => ({ line, column, code, reason })),
    duplicates: result.duplicates,
    conflicts: result.conflicts.map(({ transaction: _, ...conflict }) => conflict),
    possibleDuplicates: result.possibleDuplicates,
    statements: result.statements,
    issues: result.issues,
  };
}

function importDoc(importId: string, result: FeedAccount, batchIds: readonly string[], importedBy: string, importedAt: string): ImportDoc {
  return {
    id: importId,
    file: result.file,
    rowsRead: result.rowsRead,
    entriesRead: result.entriesRead,
    account: { transactions: result.imported, rejected: result.rejected.length, duplicates: result.duplicates.length, conflicts: result.conflicts.length },
    rejections: result.rejected.map(storedRejectionOf),
    batchIds: [...batchIds],
    importedBy,
    importedAt,
  };
}

/** A core import as a feed: the new transactions, and each conflicting row under its own id unless it is already set aside. */
export function classifiedImport(result: ImportResult, stored: StoredIds): ClassifiedFeed {
  const rows: RowToStore[] = result.transactions.map((transaction) => ({ transaction, conflictOf: null }));
  // Set aside once: the same conflict again (in this file or a later feed) is named in the account, not stored twice.
  const keptAside = new Set(stored.all);
  for (const conflict of result.conflicts) {
    if (conflict.transaction === null || keptAside.has(conflict.transaction.id)) continue;
    keptAside.add(conflict.transaction.id);
    rows.push({ transaction: conflict.transaction, conflictOf: conflict.id });
  }
  const { transactions, ...account } = result;
  return { account: { ...account, imported: transactions.length }, rows: transactionRows(rows), batches: (importId) => batchDocsOfTransactions(importId, transactions) };
}

export interface FeedToStore {
  readonly identity: RequestIdentity;
  readonly writer: Writer;
  readonly importId: string;
  readonly at: string;
  /** Ids to look up among stored transactions. */
  readonly ids: readonly string[];
  /** The months every row the feed could store falls in, whatever is stored (their partitions are made first). */
  readonly months: ReadonlySet<string>;
  /** The import's account given what is stored; called under the ingest lock. */
  readonly classify: (stored: StoredIds) => ClassifiedFeed;
  /**
   * Batch documents made before the lock, written before it; kept when `classify` returns this very
   * array, else discarded. A feed that has them is first COPYed as `classify` says with nothing
   * stored, with no lookup (`copyIfNoneStored`).
   */
  readonly prepared?: readonly BatchToStore[];
}

function serverDocs(batches: readonly BatchToStore[]): Array<ServerDocument<'import_batches'>> {
  return batches.map(({ doc, json }) => ({ doc: { ...doc, _deleted: false }, json }));
}

const UNIQUE_VIOLATION = '23505';
const DEADLOCK_DETECTED = '40P01';

/** COPYs the rows' registry lines; the registry's primary key refuses an id stored before (or twice here): the import fails whole rather than keep it twice. */
async function registerIds(tx: Queryable, chunks: readonly string[]): Promise<number> {
  try {
    return await tx.copyFrom(COPY_TRANSACTION_IDS_SQL, chunks);
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    throw new HttpError(409, 'conflict', 'an id of this import is stored already: nothing was imported', { reason: 'id_stored', detail: (error as { detail?: string }).detail ?? null });
  }
}

interface Copied {
  readonly classified: ClassifiedFeed;
  readonly copied: number;
}

function refuseTooManyRejections(account: FeedAccount): void {
  if (account.rejected.length > REJECTIONS_MAX) {
    throw new HttpError(422, 'import_refused', `${account.rejected.length} rows rejected (more than ${REJECTIONS_MAX}): check the format and mapping profile, nothing was imported`, { reason: 'too_many_rejections', rejected: account.rejected.length });
  }
}

async function takeIngestLock(tx: Queryable): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [INGEST_LOCK_KEY]);
}

/** The ingest lock beside other prepared batches (copyIfNoneStored): only an import holding it alone waits for them. */
async function shareIngestLock(tx: Queryable): Promise<void> {
  await tx.query('select pg_advisory_xact_lock_shared($1)', [INGEST_LOCK_KEY]);
}

/** COPYs a classified feed's rows into transactions and the registry (under the ingest lock). */
async function copyClassified(tx: Queryable, importId: string, months: ReadonlySet<string>, classified: ClassifiedFeed): Promise<Copied> {
  const { account: result, rows } = classified;
  refuseTooManyRejections(result);
  // Made before the transaction (preparePartitions); here only for a month the feed's rows did not name, should a classification reach one.
  const unnamed = [...rows.months].filter((month) => !months.has(month));
  if (unnamed.length > 0) await ensureMonthPartitions(tx, unnamed);
  const text = rows.text(importId);
  const copied = rows.count === 0 ? 0 : await tx.copyFrom(COPY_TRANSACTIONS_SQL, text.rows);
  const registered = rows.count === 0 ? 0 : await registerIds(tx, text.ids);
  assert(copied === rows.count && registered === rows.count, 'COPY stored and registered every row it was given', { copied, registered, rows: rows.count });
  return { classified, copied };
}

const NONE_STORED: StoredIds = { known: new Map(), all: new Set() };

/**
 * A prepared feed (classified as if none of its ids were stored) COPYed without the lookup, which
 * would cost ~10 ms of PostgreSQL CPU per 10,000 ids under the lock: every id the feed has is in
 * its rows, so the registry's primary key finds any stored one. Its rows go into `transactions`
 * before the ingest lock (that table has no unique index: nothing another import writes conflicts
 * with them, and they are seen by none until commit), and the registry's COPY holds the ingest
 * lock shared: prepared batches COPY side by side, and only an import that looks up (which must see
 * every committed id) waits for them and they for it. Held alone, the lock serialized the registry's
 * COPY: 74 of the 90 ms of wall time per 10,000-row request on an idle machine (docs/ingest.md).
 * Two batches sharing a new id meet at the registry's primary key: the second waits for the
 * first's commit and then finds the id stored (or, with two ids taken in opposite orders,
 * PostgreSQL ends the wait as a deadlock). Either way, and whenever the registry holds one of its
 * ids, both COPYs are undone to their savepoint, which lets go of the shared lock too (taken inside
 * it), and null is returned: the feed then takes the lock alone, waits for the batches holding it,
 * and is looked up and classified as usual.
 */
async function copyIfNoneStored(tx: Queryable, feed: FeedToStore): Promise<Copied | null> {
  const classified = feed.classify(NONE_STORED);
  const { account, rows } = classified;
  refuseTooManyRejections(account);
  // Before the lock no partition is made: a month without one would put its rows in the default partition.
  assert([...rows.months].every((month) => feed.months.has(month)), 'a prepared feed names the months of its rows', { importId: feed.importId });
  const text = rows.text(feed.importId);
  await tx.exec('savepoint rows_first');
  try {
    const copied = rows.count === 0 ? 0 : await tx.copyFrom(COPY_TRANSACTIONS_SQL, text.rows);
    await shareIngestLock(tx);
    const registered = rows.count === 0 ? 0 : await registerIds(tx, text.ids);
    assert(copied === rows.count && registered === rows.count, 'COPY stored and registered every row it was given', { copied, registered, rows: rows.count });
    await tx.exec('release savepoint rows_first');
    return { classified, copied };
  } catch (error) {
    const storedElsewhere = (error instanceof HttpError && error.details.reason === 'id_stored') || (error as { code?: string }).code === DEADLOCK_DETECTED;
    if (!storedElsewhere) throw error;
    await tx.exec('rollback to savepoint rows_first');
    return null;
  }
}

export type StoreOutcome = { readonly replay: StoredResponse } | { readonly response: StoredResponse; readonly rowsCopied: number };

/** The usual path: under the ingest lock, held alone, the feed's ids looked up, the feed classified against them and COPYed. */
async function lockAndCopy(tx: Queryable, feed: FeedToStore): Promise<Copied> {
  await takeIngestLock(tx);
  return copyClassified(tx, feed.importId, feed.months, feed.classify(await storedIds(tx, feed.ids)));
}

export async function storeFeed(db: Db, feed: FeedToStore): Promise<StoreOutcome> {
  await preparePartitions(db, feed.months);
  return db.transaction(async (tx) => {
    const replay = await claimKey(tx, feed.identity);
    if (replay !== null) return { replay };
    // Taken before the ingest lock and kept to commit (a savepoint rolled back keeps it): whoever
    // holds the ingest lock then never queues behind a partition being made (preparePartitions),
    // which waits for the imports that COPYed before the lock; PostgreSQL untangles that cycle
    // only after deadlock_timeout (1 s), all imports stalled meanwhile (ingest-locks.test.ts).
    await tx.exec('lock table only transactions in row exclusive mode');
    // The batch documents' jsonb (~28 ms of PostgreSQL CPU per 10,000 rows) is written before the
    // lock, in this transaction; under the lock it only gets its seq.
    const parked = serverDocs(feed.prepared ?? []);
    await parkServerDocumentsIn(tx, 'import_batches', parked, feed.writer);
    const { classified, copied } = (feed.prepared === undefined ? null : await copyIfNoneStored(tx, feed)) ?? (await lockAndCopy(tx, feed));
    const result = classified.account;
    const batches = classified.batches(feed.importId);
    assert(batches.reduce((sum, { doc }) => sum + doc.rowCount, 0) === result.imported, 'the batches hold every imported transaction', { importId: feed.importId });
    if (batches === feed.prepared) {
      await publishServerDocumentsIn(tx, changesChannel(db), 'import_batches', parked, feed.writer, feed.at);
    } else {
      // Stored ids changed the account: the parked documents are not this import's batches.
      await discardServerDocumentsIn(tx, 'import_batches', parked);
      await insertServerDocumentsIn(tx, changesChannel(db), 'import_batches', serverDocs(batches), feed.writer, feed.at);
    }
    const doc = importDoc(feed.importId, result, batches.map(({ doc: batch }) => batch.id), feed.writer.id, feed.at);
    const outcome = await pushDocumentsIn(tx, changesChannel(db), 'imports', [{ newDocumentState: parseWireDoc('imports', { ...doc, _deleted: false }), assumedMasterState: null }], feed.writer, checkWrite, feed.at);
    assert(outcome.written === 1 && outcome.conflicts.length === 0, 'a new import id is written once', { importId: feed.importId });
    const response = { statusCode: 201, body: JSON.stringify(importResponse(feed.importId, result)) };
    await completeKey(tx, feed.identity, response);
    return { response, rowsCopied: copied };
  });
}
