import { assert } from '../../core/assert.ts';
import { BATCH_ROWS_MAX, checkColumnLengths, transactionAt, type ColumnarBatch, type ImportBatchDoc } from '../../core/sync/batch.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { decodeColumns, decodeStoredColumns, encodeColumns } from './batch-codec.ts';
import { nextTask } from './next-task.ts';
import { storedBatchOf } from './pack.ts';

/**
 * Transactions on the desk: an import's transactions become immutable batch documents of at
 * most BATCH_ROWS_MAX rows (core/sync/batch.ts, compact columns with a content hash), and come
 * back exactly as imported. A month of a million rows is a hundred documents, not a million.
 */

/**
 * How the desk stores a batch in IndexedDB: the wire document (core/sync/batch.ts) with its
 * columns as one JSON text, encoded column by column (batch-codec.ts). Read back, a 10,000-row
 * batch is then one string for IndexedDB, Dexie and RxDB to copy instead of 220,000 cells and
 * 10,000 arrays, which they each walk (measured in docs/desk-storage.md). Replication converts
 * at the wire (replication.ts).
 */
export type StoredBatch = Omit<ImportBatchDoc, 'columns'> & { readonly columnsJson: string };

export function toStoredBatch(doc: ImportBatchDoc): StoredBatch {
  const { columns, ...rest } = doc;
  return { ...rest, columnsJson: encodeColumns(columns) };
}

/**
 * The wire document back. Not re-validated: the desk stores only batches it packed (checked and
 * hashed when packed) or verified on arrival; the codec checks every column's length.
 */
export function fromStoredBatch(stored: StoredBatch): ImportBatchDoc {
  const { columnsJson, ...rest } = stored;
  return { ...rest, columns: decodeColumns(columnsJson, stored) };
}

/** An import's batches as the desk stores them (storedBatchOf, one per BATCH_ROWS_MAX rows), in chunk order. */
export async function storedBatchesOfImport(importId: string, transactions: readonly CanonicalTransaction[]): Promise<StoredBatch[]> {
  const batches: StoredBatch[] = [];
  for (let start = 0, chunkIndex = 0; start < transactions.length; start += BATCH_ROWS_MAX, chunkIndex++) batches.push(await storedBatchOf(importId, chunkIndex, transactions.slice(start, start + BATCH_ROWS_MAX)));
  assert(batches.reduce((sum, batch) => sum + batch.rowCount, 0) === transactions.length, 'every transaction lands in exactly one batch', { importId });
  return batches;
}

/** A settlement period as calendar dates, both ends included. */
export interface DatePeriod {
  readonly start: string;
  readonly end: string;
}

function inPeriod(date: string | null, period: DatePeriod): boolean {
  if (date === null) return false;
  const day = date.slice(0, 10);
  return day >= period.start && day <= period.end;
}

/**
 * Whether a transaction may belong to the period: its event, booking or value date falls in it.
 * A superset on purpose: each agreement picks which date assigns a period (periodDate), and the
 * settlement engine applies that choice; a late chargeback booked this month is still loaded.
 */
export function touchesPeriod(tx: CanonicalTransaction, period: DatePeriod): boolean {
  return inPeriod(tx.occurredAt, period) || inPeriod(tx.bookingDate, period) || inPeriod(tx.valueDate, period);
}

/**
 * A month's transactions as the stored columns, rows not built: the batches in import then chunk
 * order, and per batch the rows in the period (null: all of them). A settlement run reads the
 * rows one at a time (transactionsOfColumns), so a million of them never live at once.
 */
export interface TransactionColumns {
  readonly batches: readonly ColumnarBatch[];
  readonly selected: ReadonlyArray<Uint32Array | null>;
  /** How many rows are selected in all. */
  readonly count: number;
}

/** Which rows of a batch may belong to the period (touchesPeriod on the columns, before any row is built). */
function rowsInPeriod(batch: ColumnarBatch, period: DatePeriod): Uint32Array {
  const { occurredAt, bookingDate, valueDate } = batch.columns;
  const rows = new Uint32Array(batch.rowCount);
  let count = 0;
  for (let row = 0; row < batch.rowCount; row++) {
    if (inPeriod(occurredAt[row] ?? null, period) || inPeriod(bookingDate[row] ?? null, period) || inPeriod(valueDate[row] ?? null, period)) rows[count++] = row;
  }
  return rows.subarray(0, count);
}

/** Import then chunk order. */
function inImportOrder(stored: readonly StoredBatch[]): StoredBatch[] {
  return [...stored].sort((a, b) => (a.importId < b.importId ? -1 : a.importId > b.importId ? 1 : a.chunkIndex - b.chunkIndex));
}

/** One stored batch decoded (column lengths checked) with the rows of the period chosen (null: all). */
function decoded(stored: StoredBatch, period: DatePeriod | null): { readonly batch: ColumnarBatch; readonly rows: Uint32Array | null } {
  const batch = decodeStoredColumns(stored.columnsJson, stored);
  checkColumnLengths(batch);
  return { batch, rows: period === null ? null : rowsInPeriod(batch, period) };
}

/**
 * Decodes the desk's own stored batches in import order, then chunk order, choosing the rows in
 * the period, a batch per task (a month at once was a main-thread task of seconds). The content
 * hash is not recomputed here: every batch was hashed when this desk packed it or verified when
 * it arrived from the server (replication.ts), and re-hashing a month on every load would cost
 * more than decoding it (docs/desk-storage.md). Column lengths are checked.
 */
export async function columnsOfStored(stored: readonly StoredBatch[], period: DatePeriod | null): Promise<TransactionColumns> {
  const batches: ColumnarBatch[] = [];
  const selected: Array<Uint32Array | null> = [];
  for (const one of inImportOrder(stored)) {
    const { batch, rows } = decoded(one, period);
    batches.push(batch);
    selected.push(rows);
    await nextTask();
  }
  const count = batches.reduce((sum, batch, index) => sum + (selected[index]?.length ?? batch.rowCount), 0);
  return { batches, selected, count };
}

/** The selected rows, built one at a time, in order. */
export function* transactionsOfColumns(columns: TransactionColumns): Generator<CanonicalTransaction> {
  for (const [index, batch] of columns.batches.entries()) {
    const rows = columns.selected[index] ?? null;
    if (rows === null) for (let row = 0; row < batch.rowCount; row++) yield transactionAt(batch, row);
    else for (const row of rows) yield transactionAt(batch, row);
  }
}

/**
 * Every selected row built, for callers that keep the month as objects: each batch decoded and
 * its rows built in one task, so its decoded columns die young instead of a month of them
 * outliving the decoding (on the page, the collector's pauses grew to a second at a million rows).
 */
export async function transactionsOfStored(stored: readonly StoredBatch[], period: DatePeriod | null): Promise<CanonicalTransaction[]> {
  const out: CanonicalTransaction[] = [];
  for (const one of inImportOrder(stored)) {
    const { batch, rows } = decoded(one, period);
    if (rows === null) for (let row = 0; row < batch.rowCount; row++) out.push(transactionAt(batch, row));
    else for (const row of rows) out.push(transactionAt(batch, row));
    await nextTask();
  }
  return out;
}
