import { z } from 'zod';
import { SettleDeskError } from '../../core/errors.ts';
import { conflictId, conflictIssues, conflictOf, contentOf, whereSeen, type KnownTransaction } from '../../core/ingest/pipeline.ts';
import type { ConflictingDuplicate, Duplicate, ImportResult } from '../../core/ingest/result.ts';
import { AMOUNT_TEXT_LENGTH_MAX } from '../../core/money/parse.ts';
import { BATCH_ROWS_MAX, BatchColumns, BatchSource } from '../../core/sync/batch.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { HttpError } from '../http/errors.ts';
import type { StoredIds } from './store.ts';

/**
 * The JSON feed: canonical transactions in core's compact column form (core/sync/batch.ts, the
 * form desks replicate), validated by core's zod schemas. Columns rather than one object per
 * row: JSON.parse plus zod on 10,000 row objects ran at ~50,000 rows/s here, on columns at
 * ~200,000, and the feed's target is 150,000 rows/s into PostgreSQL. A body that fails
 * validation is refused whole (400, naming the first bad cell); ids repeated within the batch or
 * already stored are duplicates (same money and dates) or conflicts (kept aside, not counted).
 */
export const BatchImportBody = z
  .strictObject({ source: BatchSource, columns: BatchColumns })
  .superRefine((body, ctx) => {
    const rows = body.columns.id.length;
    if (rows === 0) ctx.addIssue({ code: 'custom', path: ['columns', 'id'], message: 'a batch holds at least one transaction' });
    for (const [name, cells] of Object.entries(body.columns)) {
      if (name !== 'rawNames' && cells.length !== rows) ctx.addIssue({ code: 'custom', path: ['columns', name], message: `column ${name} has ${cells.length} cells for ${rows} rows` });
    }
    body.columns.rawValues.forEach((values, index) => {
      if (values.length !== body.columns.rawNames.length) ctx.addIssue({ code: 'custom', path: ['columns', 'rawValues', index], message: 'raw value count differs from rawNames' });
    });
    body.columns.amount.forEach((amount, index) => {
      if (amount.length > AMOUNT_TEXT_LENGTH_MAX) ctx.addIssue({ code: 'custom', path: ['columns', 'amount', index], message: `longer than ${AMOUNT_TEXT_LENGTH_MAX} characters` });
    });
  });
export type BatchImportBody = z.infer<typeof BatchImportBody>;
export { BATCH_ROWS_MAX };

function transactionAt(body: BatchImportBody, index: number): CanonicalTransaction {
  const c = body.columns;
  const raw: Record<string, string> = {};
  const values = c.rawValues[index] as ReadonlyArray<string | null>;
  c.rawNames.forEach((name, position) => {
    const value = values[position];
    if (value !== null && value !== undefined) raw[name] = value;
  });
  return {
    id: c.id[index] as string,
    source: { ...body.source, line: c.line[index] as number },
    kind: c.kind[index] as CanonicalTransaction['kind'],
    occurredAt: c.occurredAt[index] as string,
    bookingDate: c.bookingDate[index] ?? null,
    valueDate: c.valueDate[index] ?? null,
    amount: c.amount[index] as string,
    currency: c.currency[index] as string,
    account: c.account[index] ?? null,
    partnerId: c.partnerId[index] ?? null,
    productId: c.productId[index] ?? null,
    channel: c.channel[index] ?? null,
    counterparty: { name: c.counterpartyName[index] ?? null, account: c.counterpartyAccount[index] ?? null },
    references: { externalId: c.externalId[index] ?? null, batchId: c.batchId[index] ?? null, endToEndId: c.endToEndId[index] ?? null, bankReference: c.bankReference[index] ?? null },
    description: c.description[index] ?? null,
    customerRef: c.customerRef[index] ?? null,
    raw,
  };
}

/** The batch's transactions with what each says about its money; an amount with more decimals than its currency has is refused. */
export function batchTransactions(body: BatchImportBody): Array<{ readonly transaction: CanonicalTransaction; readonly content: ReturnType<typeof contentOf> }> {
  return body.columns.id.map((_, index) => {
    const transaction = transactionAt(body, index);
    try {
      return { transaction, content: contentOf(transaction) };
    } catch (error) {
      if (!(error instanceof SettleDeskError)) throw error;
      throw new HttpError(422, 'import_refused', `line ${transaction.source.line}, amount: ${error.message}`, { reason: error.code, line: transaction.source.line, column: 'amount' });
    }
  });
}

/** The batch's row account: each row new, a duplicate, or a conflict, against earlier rows of the batch and stored transactions. */
export function classifyBatch(body: BatchImportBody, rows: ReturnType<typeof batchTransactions>, bodySha256: string, bodyBytes: number, stored: StoredIds): ImportResult {
  const seen = new Map<string, KnownTransaction>();
  const transactions: CanonicalTransaction[] = [];
  const duplicates: Duplicate[] = [];
  const conflicts: ConflictingDuplicate[] = [];
  for (const { transaction, content } of rows) {
    const line = transaction.source.line;
    const earlier = seen.get(transaction.id) ?? stored.known.get(transaction.id);
    if (earlier === undefined) {
      seen.set(transaction.id, { line, sourceId: transaction.source.sourceId, content });
      transactions.push(transaction);
    } else if (earlier.content !== undefined && earlier.content !== null && (earlier.content.currency !== content.currency || earlier.content.minor !== content.minor || earlier.content.bookingDate !== content.bookingDate || earlier.content.valueDate !== content.valueDate)) {
      conflicts.push(conflictOf(line, transaction.id, earlier, transaction, { ...transaction, id: conflictId(transaction.id, transaction) }));
    } else duplicates.push({ line, id: transaction.id, duplicateOf: whereSeen(earlier) });
  }
  return {
    file: { fileName: body.source.fileName, sha256: bodySha256, sizeBytes: bodyBytes, format: body.source.format },
    rowsRead: rows.length,
    entriesRead: rows.length,
    transactions,
    rejected: [],
    duplicates,
    conflicts,
    possibleDuplicates: [],
    statements: [],
    issues: conflictIssues(conflicts),
  };
}
