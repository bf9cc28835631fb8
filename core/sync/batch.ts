import { z } from 'zod';
import { assert } from '../assert.ts';
import { canonicalJson } from '../canonical/json.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { SettleDeskError } from '../errors.ts';
import { CanonicalTransaction } from '../transactions/schema.ts';
import { DocId, Hash } from './primitives.ts';

/**
 * Transactions are immutable facts, replicated as one document per import chunk with one array
 * per field ("compact columns"), never one document per transaction: RxDB's Dexie storage
 * writes tens of thousands of documents a second, and a month holds a million transactions.
 * The content hash covers the import id, the chunk index, the source and every column, so a
 * chunk is verified on arrival and a changed cell is a different document.
 */
export const BATCH_ROWS_MAX = 10_000;

const TEXT_CHARS_MAX = 10_000;
const Text = z.string().max(TEXT_CHARS_MAX);
const NullableText = Text.nullable();
const column = <T extends z.ZodType>(item: T) => z.array(item).max(BATCH_ROWS_MAX);

/**
 * Every column's cell schema, in one place: BatchColumns (the wire's zod schema) is built from it,
 * and checkBatchColumns (the desk's packing, column by column) checks cells against the very same
 * schemas, so the two cannot disagree on what a valid cell is.
 */
const CELL_SCHEMAS = {
  id: z.string().min(1).max(500),
  line: z.number().int().positive(),
  // A transaction's own field schemas: a cell is valid exactly when the transaction's field is.
  ...CanonicalTransaction.pick({ kind: true, occurredAt: true, bookingDate: true, valueDate: true, amount: true, currency: true }).shape,
  account: NullableText,
  partnerId: NullableText,
  productId: NullableText,
  channel: NullableText,
  counterpartyName: NullableText,
  counterpartyAccount: NullableText,
  externalId: NullableText,
  batchId: NullableText,
  endToEndId: NullableText,
  bankReference: NullableText,
  description: NullableText,
  customerRef: NullableText,
} as const;
type CellColumn = keyof typeof CELL_SCHEMAS;
const CELL_COLUMNS = Object.keys(CELL_SCHEMAS) as CellColumn[];
const RAW_NAME = z.string().max(500);
const RAW_NAMES_MAX = 1000;

const CELL_COLUMN_SCHEMAS = Object.fromEntries(CELL_COLUMNS.map((name) => [name, column(CELL_SCHEMAS[name])])) as { [K in CellColumn]: z.ZodArray<(typeof CELL_SCHEMAS)[K]> };

export const BatchColumns = z.strictObject({
  ...CELL_COLUMN_SCHEMAS,
  /** Raw source fields: names once per chunk, one value array per row (null where a row lacks the field). */
  rawNames: z.array(RAW_NAME).max(RAW_NAMES_MAX),
  rawValues: column(z.array(NullableText).max(RAW_NAMES_MAX)),
});
export type BatchColumns = z.infer<typeof BatchColumns>;

const COLUMN_NAMES = Object.keys(BatchColumns.shape).filter((name) => name !== 'rawNames') as Array<Exclude<keyof BatchColumns, 'rawNames'>>;

export const BatchSource = z.strictObject({ sourceId: z.string().min(1).max(500), format: z.string().min(1).max(100), fileName: z.string().max(1000) });
export type BatchSource = z.infer<typeof BatchSource>;

/** Everything of a batch but its columns and hash: checked once per batch when packing. */
const BATCH_HEADER_SHAPE = {
  /** `${importId}:${chunkIndex}` */
  id: DocId,
  importId: DocId,
  chunkIndex: z.number().int().nonnegative(),
  rowCount: z.number().int().nonnegative().max(BATCH_ROWS_MAX),
  source: BatchSource,
};
const BatchHeader = z.strictObject(BATCH_HEADER_SHAPE);

export const ImportBatchDoc = z
  .strictObject({ ...BATCH_HEADER_SHAPE, columns: BatchColumns, contentHash: Hash })
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

/** A batch before its content hash: what packing builds and the hash covers (with the id). */
export type ImportBatchBody = Omit<ImportBatchDoc, 'contentHash'>;

export class BatchError extends SettleDeskError {
  constructor(code: 'batch_too_large' | 'batch_mixed_sources' | 'batch_hash_mismatch', message: string, details: Record<string, unknown>) {
    super(code, message, {}, details);
    this.name = 'BatchError';
  }
}

/**
 * The exact text the content hash is the SHA-256 of (UTF-8): the canonical JSON of the import id,
 * chunk index, row count, source and columns. Exposed so a caller with an asynchronous SHA-256
 * (WebCrypto in the desk) hashes the very same bytes as batchHash.
 */
export function batchHashText(body: ImportBatchBody): string {
  return canonicalJson({ importId: body.importId, chunkIndex: body.chunkIndex, rowCount: body.rowCount, source: body.source, columns: body.columns });
}

function batchHash(body: ImportBatchBody): string {
  return sha256Hex(batchHashText(body));
}

/** Distinct valid values remembered per column: dates, kinds, currencies and partners repeat, so most cells cost one Set lookup. */
const CHECKED_VALUES_MAX = 4096;

type Sufficient = (value: unknown) => boolean;
const nullableText: Sufficient = (value) => value === null || (typeof value === 'string' && value.length <= TEXT_CHARS_MAX);
/**
 * Plain tests that only ever accept cells their column's zod schema accepts (never the reverse):
 * a cell passing one needs no zod call; any other cell is judged by zod, which also words the
 * error. Ids, lines, amounts and texts are mostly distinct, so the Set below does not help them.
 */
const SUFFICIENT: Partial<Record<CellColumn | 'rawValues', Sufficient>> = {
  id: (value) => typeof value === 'string' && value.length >= 1 && value.length <= 500,
  line: (value) => Number.isSafeInteger(value) && (value as number) > 0,
  account: nullableText, partnerId: nullableText, productId: nullableText, channel: nullableText, counterpartyName: nullableText, counterpartyAccount: nullableText,
  externalId: nullableText, batchId: nullableText, endToEndId: nullableText, bankReference: nullableText, description: nullableText, customerRef: nullableText,
  rawValues: nullableText,
};

function cellCheck(schema: z.ZodType, path: readonly PropertyKey[], sufficient: Sufficient | undefined): (value: unknown, row: number) => void {
  const valid = new Set<unknown>();
  return (value, row) => {
    if (sufficient?.(value) === true || valid.has(value)) return;
    const result = schema.safeParse(value);
    if (!result.success) throw new z.ZodError(result.error.issues.map((issue) => ({ ...issue, path: [...path, row, ...issue.path] })));
    if (valid.size < CHECKED_VALUES_MAX) valid.add(value);
  };
}

/**
 * Checks a packed body as ImportBatchDoc.parse would, column by column: the header once, every
 * cell against its column's own zod schema (CELL_SCHEMAS, the same the wire schema is built
 * from), each distinct value once. Throws a ZodError whose paths are the wire schema's
 * (['columns', column, row]). Parsing the whole document instead walked and copied every cell
 * and row array, most of packing's time (docs/desk-storage.md).
 */
export function checkBatchBody(body: ImportBatchBody): void {
  BatchHeader.parse({ id: body.id, importId: body.importId, chunkIndex: body.chunkIndex, rowCount: body.rowCount, source: body.source });
  if (body.id !== `${body.importId}:${body.chunkIndex}`) throw new z.ZodError([{ code: 'custom', path: ['id'], message: 'id must be importId:chunkIndex', input: body.id }]);
  const c = body.columns;
  for (const name of CELL_COLUMNS) {
    const cells: readonly unknown[] = c[name];
    if (cells.length !== body.rowCount) throw new z.ZodError([{ code: 'custom', path: ['columns', name], message: `column ${name} has ${cells.length} cells for ${body.rowCount} rows`, input: cells.length }]);
    const check = cellCheck(CELL_SCHEMAS[name], ['columns', name], SUFFICIENT[name]);
    for (let row = 0; row < cells.length; row++) check(cells[row], row);
  }
  if (c.rawNames.length > RAW_NAMES_MAX) throw new z.ZodError([{ code: 'custom', path: ['columns', 'rawNames'], message: `${c.rawNames.length} raw fields exceed ${RAW_NAMES_MAX}`, input: c.rawNames.length }]);
  const checkName = cellCheck(RAW_NAME, ['columns', 'rawNames'], undefined);
  for (let position = 0; position < c.rawNames.length; position++) checkName(c.rawNames[position], position);
  if (c.rawValues.length !== body.rowCount) throw new z.ZodError([{ code: 'custom', path: ['columns', 'rawValues'], message: `column rawValues has ${c.rawValues.length} cells for ${body.rowCount} rows`, input: c.rawValues.length }]);
  const checkRaw = cellCheck(NullableText, ['columns', 'rawValues'], SUFFICIENT.rawValues);
  for (let row = 0; row < c.rawValues.length; row++) {
    const values = c.rawValues[row] as ReadonlyArray<string | null>;
    if (!Array.isArray(values) || values.length !== c.rawNames.length) throw new z.ZodError([{ code: 'custom', path: ['columns', 'rawValues', row], message: 'raw value count differs from rawNames', input: values }]);
    for (const value of values) checkRaw(value, row);
  }
}

/** Packs one chunk of an import's transactions into a batch body, checked (checkBatchBody), without its hash. */
export function packBatchBody(importId: string, chunkIndex: number, transactions: readonly CanonicalTransaction[]): ImportBatchBody {
  if (transactions.length > BATCH_ROWS_MAX) throw new BatchError('batch_too_large', `${transactions.length} transactions exceed ${BATCH_ROWS_MAX} per batch`, { importId, chunkIndex });
  const first = transactions[0];
  const source = first === undefined ? { sourceId: importId, format: 'none', fileName: '' } : { sourceId: first.source.sourceId, format: first.source.format, fileName: first.source.fileName };
  const nameSet = new Set<string>();
  for (const tx of transactions) for (const name in tx.raw) nameSet.add(name);
  const rawNames = [...nameSet].sort();
  const rows = transactions.length;
  const columns: BatchColumns = {
    id: new Array(rows), line: new Array(rows), kind: new Array(rows), occurredAt: new Array(rows), bookingDate: new Array(rows), valueDate: new Array(rows), amount: new Array(rows), currency: new Array(rows),
    account: new Array(rows), partnerId: new Array(rows), productId: new Array(rows), channel: new Array(rows), counterpartyName: new Array(rows), counterpartyAccount: new Array(rows),
    externalId: new Array(rows), batchId: new Array(rows), endToEndId: new Array(rows), bankReference: new Array(rows), description: new Array(rows), customerRef: new Array(rows), rawNames, rawValues: new Array(rows),
  };
  for (let index = 0; index < rows; index++) {
    const tx = transactions[index] as CanonicalTransaction;
    if (tx.source.sourceId !== source.sourceId || tx.source.format !== source.format || tx.source.fileName !== source.fileName) {
      throw new BatchError('batch_mixed_sources', `transaction ${tx.id} comes from another source than the batch`, { importId, chunkIndex, id: tx.id });
    }
    columns.id[index] = tx.id; columns.line[index] = tx.source.line; columns.kind[index] = tx.kind; columns.occurredAt[index] = tx.occurredAt;
    columns.bookingDate[index] = tx.bookingDate; columns.valueDate[index] = tx.valueDate; columns.amount[index] = tx.amount; columns.currency[index] = tx.currency;
    columns.account[index] = tx.account; columns.partnerId[index] = tx.partnerId; columns.productId[index] = tx.productId; columns.channel[index] = tx.channel;
    columns.counterpartyName[index] = tx.counterparty.name; columns.counterpartyAccount[index] = tx.counterparty.account;
    columns.externalId[index] = tx.references.externalId; columns.batchId[index] = tx.references.batchId; columns.endToEndId[index] = tx.references.endToEndId; columns.bankReference[index] = tx.references.bankReference;
    columns.description[index] = tx.description; columns.customerRef[index] = tx.customerRef;
    const values: Array<string | null> = new Array(rawNames.length);
    for (let position = 0; position < rawNames.length; position++) values[position] = tx.raw[rawNames[position] as string] ?? null;
    columns.rawValues[index] = values;
  }
  const body: ImportBatchBody = { id: `${importId}:${chunkIndex}`, importId, chunkIndex, rowCount: rows, source, columns };
  checkBatchBody(body);
  return body;
}

/** Packs one chunk of an import's transactions (all from one source file) into a batch document. */
export function packBatch(importId: string, chunkIndex: number, transactions: readonly CanonicalTransaction[]): ImportBatchDoc {
  const body = packBatchBody(importId, chunkIndex, transactions);
  const doc = { ...body, contentHash: batchHash(body) };
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

/** A batch's typed columns (every column but the raw fields), as arrays of any kind. */
export type TypedColumns = { readonly [K in CellColumn]: ReadonlyArray<BatchColumns[K][number]> };

/**
 * A batch as columns with its raw fields also as columns (one per raw name): the shape rows are
 * built from, whether the batch came as a wire document (decodeBatch) or from a store that keeps
 * raw fields column by column (renderer/desk/batch-codec.ts).
 */
export interface ColumnarBatch {
  readonly id: string;
  readonly rowCount: number;
  readonly source: BatchSource;
  readonly columns: TypedColumns;
  readonly rawNames: readonly string[];
  readonly rawColumns: ReadonlyArray<ReadonlyArray<string | null>>;
}

/** The wire document's raw values turned column by column. */
export function columnarOfBatch(doc: ImportBatchDoc): ColumnarBatch {
  const { rawNames, rawValues, ...columns } = doc.columns;
  const rawColumns = rawNames.map((_, position) => {
    const values: Array<string | null> = new Array(doc.rowCount);
    for (let row = 0; row < doc.rowCount; row++) values[row] = (rawValues[row] as ReadonlyArray<string | null>)[position] ?? null;
    return values;
  });
  return { id: doc.id, rowCount: doc.rowCount, source: doc.source, columns, rawNames, rawColumns };
}

/** Throws unless every column of a columnar batch has one cell per row: checked before any row is built from it. */
export function checkColumnLengths(batch: ColumnarBatch): void {
  for (const name of CELL_COLUMNS) assert(batch.columns[name]?.length === batch.rowCount, 'batch column length differs from rowCount', { id: batch.id, column: name });
  assert(batch.rawColumns.length === batch.rawNames.length && batch.rawColumns.every((values) => values.length === batch.rowCount), 'batch raw column length differs from rowCount', { id: batch.id });
}

/** Row `index` of a columnar batch (its lengths checked first: checkColumnLengths), as a fresh object. */
export function transactionAt(batch: ColumnarBatch, index: number): CanonicalTransaction {
  const c = batch.columns;
  const names = batch.rawNames;
  const raws = batch.rawColumns;
  const raw: Record<string, string> = {};
  for (let position = 0; position < names.length; position++) {
    const value = (raws[position] as ReadonlyArray<string | null>)[index];
    if (value !== null && value !== undefined) raw[names[position] as string] = value;
  }
  return {
    id: c.id[index] as string,
    source: { sourceId: batch.source.sourceId, format: batch.source.format, fileName: batch.source.fileName, line: c.line[index] as number },
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

/**
 * The batch's transactions without recomputing the content hash: for a replica's own store,
 * whose batches were hashed when packed and verified when they arrived (a month's re-hash costs
 * more than its decoding). Column lengths are still checked against rowCount.
 */
export function decodeBatch(doc: ImportBatchDoc): CanonicalTransaction[] {
  assert(doc.columns.rawValues.length === doc.rowCount, 'batch column length differs from rowCount', { id: doc.id, column: 'rawValues' });
  const batch = columnarOfBatch(doc);
  checkColumnLengths(batch);
  const out: CanonicalTransaction[] = new Array(batch.rowCount);
  for (let index = 0; index < batch.rowCount; index++) out[index] = transactionAt(batch, index);
  return out;
}
