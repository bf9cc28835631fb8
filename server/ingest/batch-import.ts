import { z } from 'zod';
import { assert } from '../../core/assert.ts';
import { SettleDeskError } from '../../core/errors.ts';
import { conflictId, conflictIssues, conflictOf, contentOf, whereSeen, type KnownTransaction, type TransactionContent } from '../../core/ingest/pipeline.ts';
import type { ConflictingDuplicate, Duplicate } from '../../core/ingest/result.ts';
import { minorUnitsOf } from '../../core/money/iso4217.ts';
import { toMinorUnits } from '../../core/money/minor.ts';
import { AMOUNT_TEXT_LENGTH_MAX } from '../../core/money/parse.ts';
import { BatchColumns, BatchSource } from '../../core/sync/batch.ts';
import { HttpError } from '../http/errors.ts';
import { batchDocOfColumns, columnsAt, type BatchToStore } from './batch-docs.ts';
import { CELL, CopyLineWriter, copyTextOf, CopyTextBuilder, monthsOf, OccurredMonths, TRANSACTION_COLUMNS, type CopyLine, type CopyRows } from './copy-rows.ts';
import type { ClassifiedFeed, StoredIds } from './store.ts';

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

/** Refuses the first amount with more decimals than its currency has (what core's importers reject as amount_minor_units). */
export function checkBatchAmounts(body: BatchImportBody): void {
  const { amount, currency, line } = body.columns;
  for (let index = 0; index < amount.length; index++) {
    try {
      toMinorUnits(amount[index] as string, minorUnitsOf(currency[index] as string));
    } catch (error) {
      if (!(error instanceof SettleDeskError)) throw error;
      const row = line[index] as number;
      throw new HttpError(422, 'import_refused', `line ${row}, amount: ${error.message}`, { reason: error.code, line: row, column: 'amount' });
    }
  }
}

function rowContent(columns: BatchColumns, index: number): TransactionContent {
  return contentOf({ amount: columns.amount[index] as string, currency: columns.currency[index] as string, bookingDate: columns.bookingDate[index] ?? null, valueDate: columns.valueDate[index] ?? null });
}

function sameContent(a: TransactionContent, b: TransactionContent): boolean {
  return a.currency === b.currency && a.minor === b.minor && a.bookingDate === b.bookingDate && a.valueDate === b.valueDate;
}

/** A row of the batch to store: its index, the id it is stored under, and the id it repeats when it is a conflict set aside. */
interface Pick {
  readonly index: number;
  readonly id: string;
  readonly conflictOf: string | null;
}

/** The picked rows straight from the columns as COPY lines: no object per row. */
function columnRows(body: BatchImportBody, picks: readonly Pick[]): CopyRows {
  const c = body.columns;
  function* lines(importId: string): Generator<CopyLine> {
    const writer = new CopyLineWriter();
    const months = new OccurredMonths();
    const cells: Array<string | null> = new Array<string | null>(TRANSACTION_COLUMNS.length).fill(null);
    for (const { index, id, conflictOf } of picks) {
      const row = c.line[index] as number;
      cells[CELL.id] = id; cells[CELL.occurred_month] = months.of(c.occurredAt[index] as string); cells[CELL.import_id] = importId; cells[CELL.line] = String(row);
      cells[CELL.conflict_of] = conflictOf; cells[CELL.kind] = c.kind[index] as string; cells[CELL.occurred_at] = c.occurredAt[index] as string;
      cells[CELL.booking_date] = c.bookingDate[index] ?? null; cells[CELL.value_date] = c.valueDate[index] ?? null; cells[CELL.amount] = c.amount[index] as string;
      cells[CELL.currency] = c.currency[index] as string; cells[CELL.account] = c.account[index] ?? null; cells[CELL.partner_id] = c.partnerId[index] ?? null;
      cells[CELL.product_id] = c.productId[index] ?? null; cells[CELL.channel] = c.channel[index] ?? null; cells[CELL.counterparty_name] = c.counterpartyName[index] ?? null;
      cells[CELL.counterparty_account] = c.counterpartyAccount[index] ?? null; cells[CELL.external_id] = c.externalId[index] ?? null; cells[CELL.batch_id] = c.batchId[index] ?? null;
      cells[CELL.end_to_end_id] = c.endToEndId[index] ?? null; cells[CELL.bank_reference] = c.bankReference[index] ?? null; cells[CELL.description] = c.description[index] ?? null;
      cells[CELL.customer_ref] = c.customerRef[index] ?? null; cells[CELL.source_id] = body.source.sourceId;
      yield writer.line(cells, row);
    }
  }
  return {
    count: picks.length,
    months: monthsOf(picks.map((pick) => c.occurredAt[pick.index] as string)),
    lines,
    text: (importId) => copyTextOf(lines(importId)),
  };
}

/** The batch's row account: each row new, a duplicate, or a conflict, against earlier rows of the batch and stored transactions. */
export function classifyBatch(body: BatchImportBody, bodySha256: string, bodyBytes: number, stored: StoredIds): ClassifiedFeed {
  const c = body.columns;
  const firstIndex = new Map<string, number>();
  const picks: Pick[] = [];
  const duplicates: Duplicate[] = [];
  const conflicts: ConflictingDuplicate[] = [];
  const keptAside = new Set<string>();
  for (let index = 0; index < c.id.length; index++) {
    const id = c.id[index] as string;
    const line = c.line[index] as number;
    const inBatch = firstIndex.get(id);
    const earlier: KnownTransaction | undefined = inBatch === undefined ? stored.known.get(id) : { line: c.line[inBatch] as number, sourceId: body.source.sourceId, content: rowContent(c, inBatch) };
    if (earlier === undefined) {
      firstIndex.set(id, index);
      picks.push({ index, id, conflictOf: null });
      continue;
    }
    const content = rowContent(c, index);
    if (earlier.content === undefined || earlier.content === null || sameContent(earlier.content, content)) {
      duplicates.push({ line, id, duplicateOf: whereSeen(earlier) });
      continue;
    }
    const row = { amount: c.amount[index] as string, currency: c.currency[index] as string, bookingDate: c.bookingDate[index] ?? null, valueDate: c.valueDate[index] ?? null };
    conflicts.push(conflictOf(line, id, earlier, row, null));
    const keptAs = conflictId(id, row);
    // Set aside once: the same conflict again (here or in a later feed) is named in the account, not stored twice.
    if (!stored.all.has(keptAs) && !keptAside.has(keptAs)) {
      keptAside.add(keptAs);
      picks.push({ index, id: keptAs, conflictOf: id });
    }
  }
  const counted = picks.filter((pick) => pick.conflictOf === null).map((pick) => pick.index);
  const imported = counted.length;
  return {
    account: {
      file: { fileName: body.source.fileName, sha256: bodySha256, sizeBytes: bodyBytes, format: body.source.format },
      rowsRead: c.id.length,
      entriesRead: c.id.length,
      imported,
      rejected: [],
      duplicates,
      conflicts,
      possibleDuplicates: [],
      statements: [],
      issues: conflictIssues(conflicts),
    },
    rows: columnRows(body, picks),
    batches: (importId) => (imported === 0 ? [] : [batchDocOfColumns(importId, 0, body.source, columnsAt(c, counted))]),
  };
}

const NOTHING_STORED: StoredIds = { known: new Map(), all: new Set() };

/** A batch prepared before the ingest lock: its documents (to park in the transaction before the lock) and its account given what is stored. */
export interface PreparedBatch {
  readonly batches: readonly BatchToStore[];
  /** The months of all the batch's rows: what any classification of it stores falls in. */
  readonly months: ReadonlySet<string>;
  readonly classify: (stored: StoredIds) => ClassifiedFeed;
}

/** Rows of COPY lines made between two turns of the event loop while preparing (~1.5 ms of CPU each). */
const LINES_PER_TURN = 1000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * classifyBatch for the usual case, a batch none of whose ids is stored yet, done before the
 * ingest lock: its COPY text (each cell checked and escaped, in chunks) and its batch document
 * (canonical JSON and hash) are built while another import may hold the lock, which then covers
 * COPY and the writes only. The work is cut into short turns of the event loop: the import
 * holding the lock waits on this process between its statements, and a 40 ms block of another
 * request's preparing stalled it that long (its COPYs took 78 ms alone, 130 ms with two
 * requests preparing). Under the lock the batch is COPYed as is unless the id registry holds one
 * of its ids (its batches are then the very `batches` array, which the store tells by identity);
 * else it is looked up and classified again against what is stored. A cell COPY would refuse is
 * refused here, before anything is claimed.
 */
export async function prepareBatch(body: BatchImportBody, bodySha256: string, bodyBytes: number, importId: string): Promise<PreparedBatch> {
  const fresh = classifyBatch(body, bodySha256, bodyBytes, NOTHING_STORED);
  const builder = new CopyTextBuilder();
  let made = 0;
  for (const line of fresh.rows.lines(importId)) {
    builder.add(line);
    if (++made % LINES_PER_TURN === 0) await nextTurn();
  }
  const text = builder.text();
  await nextTurn();
  const batches = fresh.batches(importId);
  const built = <T>(id: string, value: T): T => {
    assert(id === importId, 'a prepared batch is stored under the import id it was prepared for', { id, importId });
    return value;
  };
  const ready: ClassifiedFeed = {
    account: fresh.account,
    rows: { count: fresh.rows.count, months: fresh.rows.months, lines: (id) => fresh.rows.lines(built(id, id)), text: (id) => built(id, text) },
    batches: (id) => built(id, batches),
  };
  return { batches, months: monthsOf(body.columns.occurredAt), classify: (stored) => (stored.all.size === 0 ? ready : classifyBatch(body, bodySha256, bodyBytes, stored)) };
}
