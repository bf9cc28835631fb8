import { assert } from '../../core/assert.ts';
import { BATCH_ROWS_MAX, decodeBatch, packBatch, type ImportBatchDoc } from '../../core/sync/batch.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';

/**
 * Transactions on the desk: an import's transactions become immutable batch documents of at
 * most BATCH_ROWS_MAX rows (core/sync/batch.ts, compact columns with a content hash), and come
 * back exactly as imported. A month of a million rows is a hundred documents, not a million.
 */
export function batchesOfImport(importId: string, transactions: readonly CanonicalTransaction[]): ImportBatchDoc[] {
  const batches: ImportBatchDoc[] = [];
  for (let start = 0, chunkIndex = 0; start < transactions.length; start += BATCH_ROWS_MAX, chunkIndex++) {
    batches.push(packBatch(importId, chunkIndex, transactions.slice(start, start + BATCH_ROWS_MAX)));
  }
  assert(batches.reduce((sum, batch) => sum + batch.rowCount, 0) === transactions.length, 'every transaction lands in exactly one batch', { importId });
  return batches;
}

/**
 * How the desk stores a batch in IndexedDB: the wire document (core/sync/batch.ts) with its
 * columns as one JSON text. Read back, a 10,000-row batch is then one string for IndexedDB,
 * Dexie and RxDB to copy instead of 220,000 cells and 10,000 arrays, which they each walk
 * (measured in docs/desk-storage.md). Replication converts at the wire (replication.ts).
 */
export type StoredBatch = Omit<ImportBatchDoc, 'columns'> & { readonly columnsJson: string };

export function toStoredBatch(doc: ImportBatchDoc): StoredBatch {
  const { columns, ...rest } = doc;
  return { ...rest, columnsJson: JSON.stringify(columns) };
}

/**
 * The wire document back. Not re-validated: the desk stores only batches it packed (zod and
 * content hash in packBatch) or verified on arrival; decodeBatch still checks column lengths.
 */
export function fromStoredBatch(stored: StoredBatch): ImportBatchDoc {
  const { columnsJson, ...rest } = stored;
  const columns = JSON.parse(columnsJson) as ImportBatchDoc['columns'];
  assert(Array.isArray(columns.id) && columns.id.length === stored.rowCount, 'a stored batch has one id per row', { id: stored.id });
  return { ...rest, columns };
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
 * Decodes the desk's own batches in import order, then chunk order. The content hash is not
 * recomputed here: every batch was hashed when this desk packed it or verified when it arrived
 * from the server (replication.ts), and re-hashing a month on every load would cost more than
 * decoding it (docs/desk-storage.md). Column lengths are still checked.
 */
export function transactionsOfBatches(batches: readonly ImportBatchDoc[], period: DatePeriod | null): CanonicalTransaction[] {
  const ordered = [...batches].sort((a, b) => (a.importId < b.importId ? -1 : a.importId > b.importId ? 1 : a.chunkIndex - b.chunkIndex));
  const out: CanonicalTransaction[] = [];
  for (const batch of ordered) {
    for (const tx of decodeBatch(batch)) {
      if (period === null || touchesPeriod(tx, period)) out.push(tx);
    }
  }
  return out;
}
