import { assert } from '../../core/assert.ts';
import { BATCH_ROWS_MAX, batchHashText, packBatchBody, transactionsOfColumns, type ColumnarBatch, type ImportBatchDoc } from '../../core/sync/batch.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { decodeColumns, decodeStoredColumns, encodeColumns } from './batch-codec.ts';

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

/** SHA-256 hex of a text's UTF-8 through WebCrypto (browsers, workers and Node alike): native, unlike core's synchronous pure-JS hash. */
export async function sha256HexOfText(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * An import's batches as the desk stores them, packed straight into the stored form: core checks
 * every cell (packBatchBody), the content hash is WebCrypto's SHA-256 of the same canonical text
 * core's batchHash hashes (batchHashText), and the wire document is never built.
 */
export async function storedBatchesOfImport(importId: string, transactions: readonly CanonicalTransaction[]): Promise<StoredBatch[]> {
  const batches: StoredBatch[] = [];
  for (let start = 0, chunkIndex = 0; start < transactions.length; start += BATCH_ROWS_MAX, chunkIndex++) {
    const { columns, ...header } = packBatchBody(importId, chunkIndex, transactions.slice(start, start + BATCH_ROWS_MAX));
    const contentHash = await sha256HexOfText(batchHashText({ ...header, columns }));
    batches.push({ ...header, contentHash, columnsJson: encodeColumns(columns) });
  }
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

/** Which rows of a batch may belong to the period (touchesPeriod on the columns, before any row is built). */
function rowsInPeriod(batch: ColumnarBatch, period: DatePeriod): (row: number) => boolean {
  const { occurredAt, bookingDate, valueDate } = batch.columns;
  return (row) => inPeriod(occurredAt[row] ?? null, period) || inPeriod(bookingDate[row] ?? null, period) || inPeriod(valueDate[row] ?? null, period);
}

/**
 * Decodes the desk's own stored batches in import order, then chunk order, building only the
 * rows in the period. The content hash is not recomputed here: every batch was hashed when this
 * desk packed it or verified when it arrived from the server (replication.ts), and re-hashing a
 * month on every load would cost more than decoding it (docs/desk-storage.md). Column lengths
 * are still checked.
 */
export function transactionsOfStored(batches: readonly StoredBatch[], period: DatePeriod | null): CanonicalTransaction[] {
  const ordered = [...batches].sort((a, b) => (a.importId < b.importId ? -1 : a.importId > b.importId ? 1 : a.chunkIndex - b.chunkIndex));
  const out: CanonicalTransaction[] = [];
  for (const stored of ordered) {
    const batch = decodeStoredColumns(stored.columnsJson, stored);
    transactionsOfColumns(batch, period === null ? null : rowsInPeriod(batch, period), out);
  }
  return out;
}
