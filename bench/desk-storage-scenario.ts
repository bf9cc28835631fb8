import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { canonicalHash } from '../core/canonical/json.ts';
import { storedBatchesOfImport, transactionsOfColumns } from '../renderer/desk/transactions.ts';
import { openDeskDatabase } from '../renderer/desk/database.ts';
import { openDesk } from '../renderer/desk/desk.ts';
import { sampleImport, sampleTransactions, SAMPLE_MONTH } from '../renderer/desk/fixtures.test-support.ts';
import type { CanonicalTransaction } from '../core/transactions/schema.ts';

/**
 * The browser half of bench/desk-storage.bench.ts: runs inside Chromium on
 * renderer/desk/test-page.html with real IndexedDB. Times come from performance.now() in the
 * page; rows are generated outside the timed part (an importer's work, measured elsewhere).
 */
export interface PersistResult {
  readonly rows: number;
  readonly imports: number;
  /** storeImport for every file: packing into batch documents (zod check, content hash) plus the IndexedDB writes. */
  readonly persistMs: number;
  /** Packing alone for one file, to split the total. */
  readonly packOneFileMs: number;
  /** Generating the rows (outside persistMs), so the CPU measured around the whole call can be split. */
  readonly generateMs: number;
}

export async function persistMonth(name: string, rows: number, rowsPerImport: number): Promise<PersistResult> {
  const desk = await openDesk({ name, userId: 'bench' });
  let persistMs = 0;
  let packOneFileMs = 0;
  let generateMs = 0;
  let imports = 0;
  try {
    for (let firstIndex = 0; firstIndex < rows; firstIndex += rowsPerImport) {
      const count = Math.min(rowsPerImport, rows - firstIndex);
      const generateStart = performance.now();
      const input = sampleImport(count, { seed: 1 + imports, fileName: `psp-2026-03-part${imports}.csv`, firstIndex });
      generateMs += performance.now() - generateStart;
      if (imports === 0) {
        const packStart = performance.now();
        await storedBatchesOfImport('pack_probe', input.transactions);
        packOneFileMs = performance.now() - packStart;
      }
      const start = performance.now();
      await desk.storeImport(input, { importId: `imp_2026-03_part${imports}`, importedAt: '2026-04-01T08:00:00Z' });
      persistMs += performance.now() - start;
      imports++;
    }
  } finally {
    await desk.close();
  }
  return { rows, imports, persistMs, packOneFileMs, generateMs };
}

export interface LoadResult {
  readonly rows: number;
  /** 'objects': loadTransactions, every row built; 'columns': loadTransactionColumns, the stored columns decoded and the period's rows chosen. */
  readonly loadMs: number;
  /** 'columns' only: then building every row one at a time (transactionsOfColumns) and reading its amount, as a settlement run reads them; 0 for 'objects'. */
  readonly streamMs: number;
  /** Reading the batch documents alone (IndexedDB, Dexie, RxDB), to split loadMs. */
  readonly readMs: number;
  /** Sum of amounts in integer minor units (BigInt, exact), so the reader sees the whole month arrived. */
  readonly amountMinorSum: string;
}

function amountMinor(amount: string): bigint {
  const [units, fraction = ''] = amount.split('.');
  return BigInt(`${units}${fraction.padEnd(2, '0')}`);
}

export async function loadMonth(name: string, shape: 'objects' | 'columns'): Promise<LoadResult> {
  const desk = await openDesk({ name, userId: 'bench' });
  let result: Omit<LoadResult, 'readMs'>;
  try {
    let sum = 0n;
    let rows = 0;
    const start = performance.now();
    if (shape === 'objects') {
      const transactions = await desk.loadTransactions({ period: SAMPLE_MONTH });
      const loadMs = performance.now() - start;
      for (const tx of transactions) sum += amountMinor(tx.amount);
      result = { rows: transactions.length, loadMs, streamMs: 0, amountMinorSum: sum.toString() };
    } else {
      const columns = await desk.loadTransactionColumns({ period: SAMPLE_MONTH });
      const loadMs = performance.now() - start;
      // Timed: building every row and reading its amount, what any consumer does first; the exact BigInt sum is a second, untimed pass (loadTransactions' is untimed too).
      const streamStart = performance.now();
      let amountChars = 0;
      for (const tx of transactionsOfColumns(columns)) amountChars += tx.amount.length;
      const streamMs = performance.now() - streamStart;
      for (const tx of transactionsOfColumns(columns)) {
        sum += amountMinor(tx.amount);
        rows++;
      }
      if (rows !== columns.count || amountChars === 0) throw new Error(`streamed ${rows} rows of ${columns.count}`);
      result = { rows, loadMs, streamMs, amountMinorSum: sum.toString() };
    }
  } finally {
    await desk.close();
  }
  const { db, collections } = await openDeskDatabase({ name, userId: 'bench', collections: ['import_batches'] });
  try {
    const start = performance.now();
    const docs = await collections.import_batches?.find().exec();
    const readMs = performance.now() - start;
    if (docs?.length !== Math.ceil(result.rows / 10_000)) throw new Error(`read ${docs?.length} batches`);
    return { ...result, readMs };
  } finally {
    await db.close();
  }
}

/** The same month's rows generated again (same seeds), summed the same way: the expected total. */
export function expectedAmountMinorSum(rows: number, rowsPerImport: number): string {
  let sum = 0n;
  for (let firstIndex = 0, file = 0; firstIndex < rows; firstIndex += rowsPerImport, file++) {
    for (const tx of sampleTransactions(Math.min(rowsPerImport, rows - firstIndex), { seed: 1 + file, fileName: `psp-2026-03-part${file}.csv`, firstIndex })) sum += amountMinor(tx.amount);
  }
  return sum.toString();
}

const PER_DOC_SCHEMA = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 500 } },
  required: ['id'],
  additionalProperties: true,
} as unknown as RxJsonSchema<CanonicalTransaction>;

export interface PerDocResult {
  readonly rows: number;
  readonly writeMs: number;
  readonly loadMs: number;
  readonly hashMatches: boolean;
}

/** The road not taken: one RxDB document per transaction, on a small sample, for comparison. */
export async function perDocumentSample(name: string, rows: number): Promise<PerDocResult> {
  const db = await createRxDatabase({ name, storage: getRxStorageDexie(), multiInstance: false });
  try {
    const { transactions } = await db.addCollections({ transactions: { schema: PER_DOC_SCHEMA } });
    const sample = sampleTransactions(rows, { seed: 99 });
    const start = performance.now();
    for (let index = 0; index < sample.length; index += 1000) await transactions.bulkInsert(sample.slice(index, index + 1000));
    const writeMs = performance.now() - start;
    const loadStart = performance.now();
    const docs = await transactions.find({ sort: [{ id: 'asc' }] } as never).exec();
    const loaded = docs.map((doc) => {
      const { _meta, _rev, _attachments, _deleted, ...tx } = doc.toJSON(true) as Record<string, unknown>;
      return tx;
    });
    const loadMs = performance.now() - loadStart;
    return { rows, writeMs, loadMs, hashMatches: canonicalHash(loaded) === canonicalHash(sample) };
  } finally {
    await db.close();
  }
}
