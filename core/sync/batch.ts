import { z } from 'zod';
import { assert } from '../assert.ts';
import { canonicalHash } from '../canonical/json.ts';
import { SettleDeskError } from '../errors.ts';
import { CalendarDate, CanonicalTransaction, CurrencyCodeSchema, DateOrInstant, DecimalString, TransactionKind } from '../transactions/schema.ts';
import { DocId, Hash } from './primitives.ts';

/**
 * Transactions are immutable facts, replicated as one document per import chunk with one array
 * per field ("compact columns"), never one document per transaction: RxDB's Dexie storage
 * writes tens of thousands of documents a second, and a month holds a million transactions.
 * The content hash covers the import id, the chunk index, the source and every column, so a
 * chunk is verified on arrival and a changed cell is a different document.
 */
export const BATCH_ROWS_MAX = 10_000;

const Text = z.string().max(10_000);
const NullableText = Text.nullable();
const column = <T extends z.ZodType>(item: T) => z.array(item).max(BATCH_ROWS_MAX);

export const BatchColumns = z.strictObject({
  id: column(z.string().min(1).max(500)),
  line: column(z.number().int().positive()),
  kind: column(TransactionKind),
  occurredAt: column(DateOrInstant),
  bookingDate: column(CalendarDate.nullable()),
  valueDate: column(CalendarDate.nullable()),
  amount: column(DecimalString),
  currency: column(CurrencyCodeSchema),
  account: column(NullableText),
  partnerId: column(NullableText),
  productId: column(NullableText),
  channel: column(NullableText),
  counterpartyName: column(NullableText),
  counterpartyAccount: column(NullableText),
  externalId: column(NullableText),
  batchId: column(NullableText),
  endToEndId: column(NullableText),
  bankReference: column(NullableText),
  description: column(NullableText),
  customerRef: column(NullableText),
  /** Raw source fields: names once per chunk, one value array per row (null where a row lacks the field). */
  rawNames: z.array(z.string().max(500)).max(1000),
  rawValues: column(z.array(NullableText).max(1000)),
});
export type BatchColumns = z.infer<typeof BatchColumns>;

const COLUMN_NAMES = Object.keys(BatchColumns.shape).filter((name) => name !== 'rawNames') as Array<Exclude<keyof BatchColumns, 'rawNames'>>;

export const BatchSource = z.strictObject({ sourceId: z.string().min(1).max(500), format: z.string().min(1).max(100), fileName: z.string().max(1000) });

export const ImportBatchDoc = z
  .strictObject({
    /** `${importId}:${chunkIndex}` */
    id: DocId,
    importId: DocId,
    chunkIndex: z.number().int().nonnegative(),
    rowCount: z.number().int().nonnegative().max(BATCH_ROWS_MAX),
    source: BatchSource,
    columns: BatchColumns,
    contentHash: Hash,
  })
  .superRefine((doc, ctx) => {
    if (doc.id !== `${doc.importId}:${doc.chunkIndex}`) ctx.addIssue({ code: 'custom', path: ['id'], message: 'id must be importId:chunkIndex' });
    for (const name of COLUMN_NAMES) {
      if (doc.columns[name].length !== doc.rowCount) ctx.addIssue({ code: 'custom', path: ['columns', name], message: `column ${name} has ${doc.columns[name].length} cells for ${doc.rowCount} rows` });
    }
    for (const [index, values] of doc.columns.rawValues.entries()) {
      if (values.length !== doc.columns.rawNames.length) ctx.addIssue({ code: 'custom', path: ['columns', 'rawValues', index], message: 'raw value count differs from rawNames' });
    }
  });
export type ImportBatchDoc = z.infer<typeof ImportBatchDoc>;

export class BatchError extends SettleDeskError {
  constructor(code: 'batch_too_large' | 'batch_mixed_sources' | 'batch_hash_mismatch', message: string, details: Record<string, unknown>) {
    super(code, message, {}, details);
    this.name = 'BatchError';
  }
}

function batchHash(doc: Omit<ImportBatchDoc, 'contentHash'>): string {
  return canonicalHash({ importId: doc.importId, chunkIndex: doc.chunkIndex, rowCount: doc.rowCount, source: doc.source, columns: doc.columns });
}

/** Packs one chunk of an import's transactions (all from one source file) into a batch document. */
export function packBatch(importId: string, chunkIndex: number, transactions: readonly CanonicalTransaction[]): ImportBatchDoc {
  if (transactions.length > BATCH_ROWS_MAX) throw new BatchError('batch_too_large', `${transactions.length} transactions exceed ${BATCH_ROWS_MAX} per batch`, { importId, chunkIndex });
  const first = transactions[0];
  const source = first === undefined ? { sourceId: importId, format: 'none', fileName: '' } : { sourceId: first.source.sourceId, format: first.source.format, fileName: first.source.fileName };
  const rawNames = [...new Set(transactions.flatMap((tx) => Object.keys(tx.raw)))].sort();
  const columns: BatchColumns = {
    id: [], line: [], kind: [], occurredAt: [], bookingDate: [], valueDate: [], amount: [], currency: [], account: [], partnerId: [], productId: [], channel: [],
    counterpartyName: [], counterpartyAccount: [], externalId: [], batchId: [], endToEndId: [], bankReference: [], description: [], customerRef: [], rawNames, rawValues: [],
  };
  for (const tx of transactions) {
    if (tx.source.sourceId !== source.sourceId || tx.source.format !== source.format || tx.source.fileName !== source.fileName) {
      throw new BatchError('batch_mixed_sources', `transaction ${tx.id} comes from another source than the batch`, { importId, chunkIndex, id: tx.id });
    }
    columns.id.push(tx.id); columns.line.push(tx.source.line); columns.kind.push(tx.kind); columns.occurredAt.push(tx.occurredAt);
    columns.bookingDate.push(tx.bookingDate); columns.valueDate.push(tx.valueDate); columns.amount.push(tx.amount); columns.currency.push(tx.currency);
    columns.account.push(tx.account); columns.partnerId.push(tx.partnerId); columns.productId.push(tx.productId); columns.channel.push(tx.channel);
    columns.counterpartyName.push(tx.counterparty.name); columns.counterpartyAccount.push(tx.counterparty.account);
    columns.externalId.push(tx.references.externalId); columns.batchId.push(tx.references.batchId); columns.endToEndId.push(tx.references.endToEndId); columns.bankReference.push(tx.references.bankReference);
    columns.description.push(tx.description); columns.customerRef.push(tx.customerRef);
    columns.rawValues.push(rawNames.map((name) => tx.raw[name] ?? null));
  }
  const body = { id: `${importId}:${chunkIndex}`, importId, chunkIndex, rowCount: transactions.length, source, columns };
  const doc = ImportBatchDoc.parse({ ...body, contentHash: batchHash(body) });
  assert(doc.rowCount === transactions.length, 'a batch holds every transaction it was given');
  return doc;
}

/** Throws a BatchError unless the content hash matches the columns: checked on arrival from any replica. */
export function verifyBatch(doc: ImportBatchDoc): void {
  const expected = batchHash(doc);
  if (expected !== doc.contentHash) throw new BatchError('batch_hash_mismatch', `batch ${doc.id} content hash does not match its columns`, { id: doc.id, expected, actual: doc.contentHash });
}

/** The batch's transactions, exactly as packed (verified first). */
export function unpackBatch(doc: ImportBatchDoc): CanonicalTransaction[] {
  verifyBatch(doc);
  return decodeBatch(doc);
}

/**
 * The batch's transactions without recomputing the content hash: for a replica's own store,
 * whose batches were hashed when packed and verified when they arrived (a month's re-hash costs
 * more than its decoding). Column lengths are still checked against rowCount.
 */
export function decodeBatch(doc: ImportBatchDoc): CanonicalTransaction[] {
  const c = doc.columns;
  for (const name of COLUMN_NAMES) assert(c[name].length === doc.rowCount, 'batch column length differs from rowCount', { id: doc.id, column: name });
  const names = c.rawNames;
  const out: CanonicalTransaction[] = new Array(doc.rowCount);
  for (let index = 0; index < doc.rowCount; index++) {
    const raw: Record<string, string> = {};
    const values = c.rawValues[index] as ReadonlyArray<string | null>;
    for (let position = 0; position < names.length; position++) {
      const value = values[position];
      if (value !== null && value !== undefined) raw[names[position] as string] = value;
    }
    out[index] = {
      id: c.id[index] as string,
      source: { sourceId: doc.source.sourceId, format: doc.source.format, fileName: doc.source.fileName, line: c.line[index] as number },
      kind: c.kind[index] as CanonicalTransaction['kind'],
      occurredAt: c.occurredAt[index] as string,
      bookingDate: c.bookingDate[index] as string | null,
      valueDate: c.valueDate[index] as string | null,
      amount: c.amount[index] as string,
      currency: c.currency[index] as string,
      account: c.account[index] as string | null,
      partnerId: c.partnerId[index] as string | null,
      productId: c.productId[index] as string | null,
      channel: c.channel[index] as string | null,
      counterparty: { name: c.counterpartyName[index] as string | null, account: c.counterpartyAccount[index] as string | null },
      references: { externalId: c.externalId[index] as string | null, batchId: c.batchId[index] as string | null, endToEndId: c.endToEndId[index] as string | null, bankReference: c.bankReference[index] as string | null },
      description: c.description[index] as string | null,
      customerRef: c.customerRef[index] as string | null,
      raw,
    };
  }
  return out;
}
