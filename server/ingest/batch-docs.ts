import { createHash } from 'node:crypto';
import { assert } from '../../core/assert.ts';
import { canonicalJson } from '../../core/canonical/json.ts';
import { BATCH_ROWS_MAX, packBatchBody, type BatchColumns, type ImportBatchDoc } from '../../core/sync/batch.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';

/**
 * What a feed stores becomes replicated import_batches documents, the very form a desk's own
 * import takes (core/sync/batch.ts), so desks pull server-ingested transactions like any other
 * batch and load them with the same code. A batch holds the transactions the import counts (not
 * the conflicting rows set aside), in chunks of BATCH_ROWS_MAX.
 */
type CellColumn = Exclude<keyof BatchColumns, 'rawNames'>;
const CELL_COLUMNS = ['id', 'line', 'kind', 'occurredAt', 'bookingDate', 'valueDate', 'amount', 'currency', 'account', 'partnerId', 'productId', 'channel', 'counterpartyName', 'counterpartyAccount', 'externalId', 'batchId', 'endToEndId', 'bankReference', 'description', 'customerRef', 'rawValues'] as const satisfies readonly CellColumn[];

/** A batch document with its JSON text, the text the server stores (made once: its columns are ~1.6 MB per 10,000 rows). */
export interface BatchToStore {
  readonly doc: ImportBatchDoc;
  readonly json: string;
}

/**
 * canonicalJson of batch columns, by one JSON.stringify of them with their keys in canonical order
 * (code-unit order, as canonicalJson sorts). The same text: every cell is a string, null, a safe
 * integer (line) or, in rawValues, an array of strings and nulls (BatchColumns), whose JSON.stringify
 * text is canonicalJson's (it writes a flat array with JSON.stringify); canonicalJson's walk of
 * rawValues, one array per row, took ~5 of its ~7 ms per 10,000 rows (bench/ingest-node.bench.ts).
 */
function columnsJson(columns: BatchColumns): string {
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(columns).sort()) sorted[name] = columns[name as keyof BatchColumns];
  return JSON.stringify(sorted);
}

/**
 * The document and its content hash exactly as core's batch hash defines it (SHA-256 of the
 * canonical JSON of import id, chunk index, row count, source and columns), with the columns
 * turned into canonical JSON once: the hashed text and the stored text (the whole document's
 * canonical JSON) are assembled around that one string, whose keys sort as canonicalJson sorts
 * them (chunkIndex < columns < contentHash < id < importId < rowCount < source). Node's native
 * SHA-256 hashes 10,000 rows in ~10 ms of CPU where core's pure-JS one (for browsers) takes ~25.
 * The tests hold both texts to core's batchHashText and canonicalJson, and every document made
 * here to verifyBatch, so they cannot drift apart.
 */
function batchToStore(importId: string, chunkIndex: number, rowCount: number, source: ImportBatchDoc['source'], columns: BatchColumns): BatchToStore {
  const head = `{"chunkIndex":${canonicalJson(chunkIndex)},"columns":`;
  const columnsText = columnsJson(columns);
  const tail = `"importId":${canonicalJson(importId)},"rowCount":${canonicalJson(rowCount)},"source":${canonicalJson(source)}}`;
  const contentHash = createHash('sha256').update(head, 'utf8').update(columnsText, 'utf8').update(`,${tail}`, 'utf8').digest('hex');
  const id = `${importId}:${chunkIndex}`;
  const doc: ImportBatchDoc = { id, importId, chunkIndex, rowCount, source, columns, contentHash };
  return { doc, json: `${head}${columnsText},"contentHash":${canonicalJson(contentHash)},"id":${canonicalJson(id)},${tail}` };
}

/** One batch document from columns already validated by core's BatchColumns schema (the JSON feed's body). */
export function batchDocOfColumns(importId: string, chunkIndex: number, source: ImportBatchDoc['source'], columns: BatchColumns): BatchToStore {
  const rowCount = columns.id.length;
  assert(rowCount > 0 && rowCount <= BATCH_ROWS_MAX, 'a batch holds 1..BATCH_ROWS_MAX rows', { rowCount });
  for (const name of CELL_COLUMNS) assert(columns[name].length === rowCount, 'every batch column has one cell per row', { column: name });
  return batchToStore(importId, chunkIndex, rowCount, source, columns);
}

/** The rows at `indexes` of validated columns (the feed's rows the import counts), in their order. */
export function columnsAt(columns: BatchColumns, indexes: readonly number[]): BatchColumns {
  if (indexes.length === columns.id.length && indexes.every((index, position) => index === position)) return columns;
  const picked: Record<string, unknown[]> = {};
  for (const name of CELL_COLUMNS) {
    const cells = columns[name] as readonly unknown[];
    picked[name] = indexes.map((index) => cells[index]);
  }
  return { ...(picked as unknown as Omit<BatchColumns, 'rawNames'>), rawNames: columns.rawNames };
}

/** A file import's counted transactions as batch documents, packed by core's packBatchBody (one source per file). */
export function batchDocsOfTransactions(importId: string, transactions: readonly CanonicalTransaction[]): BatchToStore[] {
  const docs: BatchToStore[] = [];
  for (let start = 0, chunkIndex = 0; start < transactions.length; start += BATCH_ROWS_MAX, chunkIndex++) {
    const body = packBatchBody(importId, chunkIndex, transactions.slice(start, start + BATCH_ROWS_MAX));
    docs.push(batchToStore(importId, chunkIndex, body.rowCount, body.source, body.columns));
  }
  assert(docs.reduce((sum, { doc }) => sum + doc.rowCount, 0) === transactions.length, 'the batches hold every counted transaction');
  return docs;
}
