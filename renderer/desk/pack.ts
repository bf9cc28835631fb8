import { batchHashText, packBatchBody } from '../../core/sync/batch.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { encodeColumns } from './batch-codec.ts';
import { nextTask } from './next-task.ts';
import type { StoredBatch } from './transactions.ts';

/** SHA-256 hex of a text's UTF-8 through WebCrypto (browsers, workers and Node alike): native, unlike core's synchronous pure-JS hash. */
export async function sha256HexOfText(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * One batch (at most BATCH_ROWS_MAX transactions) packed straight into the stored form: core
 * checks every cell (packBatchBody), the content hash is WebCrypto's SHA-256 of the same canonical
 * text core's batchHash hashes (batchHashText), and the wire document is never built. Each step
 * is a task of its own, so packing a month on the main thread never holds it for the whole of a
 * batch (~80 ms of CPU for 10,000 rows). Pure apart from WebCrypto: an engine worker can run it
 * where the rows are imported and post the desk 100 texts instead of a million rows (copying
 * rows into a worker measured costlier than packing them: docs/desk-storage.md).
 */
export async function storedBatchOf(importId: string, chunkIndex: number, transactions: readonly CanonicalTransaction[]): Promise<StoredBatch> {
  const { columns, ...header } = packBatchBody(importId, chunkIndex, transactions);
  await nextTask();
  const text = batchHashText({ ...header, columns });
  await nextTask();
  const contentHash = await sha256HexOfText(text);
  await nextTask();
  return { ...header, contentHash, columnsJson: encodeColumns(columns) };
}
