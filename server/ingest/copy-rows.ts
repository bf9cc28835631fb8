import { assert } from '../../core/assert.ts';
import { calendarDateOf, isCalendarDate } from '../../core/settlement/dates.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Transactions as PostgreSQL COPY text (tab-separated, `\N` for null, backslash escapes), in
 * chunks of about 256 KiB so the database parses one chunk while the next is built. Dates are
 * checked as real calendar dates first: a `2026-02-30` reaching COPY would fail the whole load
 * with a database error instead of naming the row.
 */
export const TRANSACTION_COLUMNS = [
  'id', 'occurred_month', 'import_id', 'line', 'conflict_of', 'kind', 'occurred_at', 'booking_date', 'value_date', 'amount', 'currency',
  'account', 'partner_id', 'product_id', 'channel', 'counterparty_name', 'counterparty_account', 'external_id', 'batch_id', 'end_to_end_id',
  'bank_reference', 'description', 'customer_ref', 'raw', 'source_id', 'format', 'file_name',
] as const;

export const COPY_TRANSACTIONS_SQL = `copy transactions (${TRANSACTION_COLUMNS.join(', ')}) from stdin`;
const CHUNK_CHARS_MAX = 256 * 1024;

/** A transaction to store, and the id it repeats when it is a conflicting row set aside. */
export interface RowToStore {
  readonly transaction: CanonicalTransaction;
  readonly conflictOf: string | null;
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;

function copyValue(value: string | null, line: number, column: string): string {
  if (value === null) return '\\N';
  // PostgreSQL text cannot hold NUL: refused with its place rather than failing inside COPY.
  if (value.includes('\u0000')) throw new HttpError(422, 'import_refused', `line ${line}, ${column}: text contains a NUL character`, { reason: 'field_invalid', line, column });
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (char) => ESCAPES[char] as string) : value;
}

/** Checks calendar dates once per distinct text (a feed has few distinct dates). */
export class DateChecker {
  private readonly known = new Map<string, boolean>();

  check(value: string | null, line: number, column: string): void {
    if (value === null) return;
    let valid = this.known.get(value);
    if (valid === undefined) {
      valid = isCalendarDate(value);
      if (this.known.size < 100_000) this.known.set(value, valid);
    }
    if (!valid) throw new HttpError(422, 'import_refused', `line ${line}, ${column}: ${JSON.stringify(value)} is not a calendar date`, { reason: 'date_invalid', line, column });
  }
}

/** The first day of the month a transaction belongs to: its partition. */
export function occurredMonthOf(transaction: Pick<CanonicalTransaction, 'occurredAt'>): string {
  return `${calendarDateOf(transaction.occurredAt).slice(0, 7)}-01`;
}

function copyLine(row: RowToStore, importId: string, dates: DateChecker): string {
  const tx = row.transaction;
  const line = tx.source.line;
  dates.check(calendarDateOf(tx.occurredAt), line, 'occurredAt');
  dates.check(tx.bookingDate, line, 'bookingDate');
  dates.check(tx.valueDate, line, 'valueDate');
  const cells = [
    copyValue(tx.id, line, 'id'), occurredMonthOf(tx), copyValue(importId, line, 'importId'), String(line), copyValue(row.conflictOf, line, 'id'), tx.kind,
    copyValue(tx.occurredAt, line, 'occurredAt'), tx.bookingDate ?? '\\N', tx.valueDate ?? '\\N', tx.amount, tx.currency,
    copyValue(tx.account, line, 'account'), copyValue(tx.partnerId, line, 'partnerId'), copyValue(tx.productId, line, 'productId'), copyValue(tx.channel, line, 'channel'),
    copyValue(tx.counterparty.name, line, 'counterpartyName'), copyValue(tx.counterparty.account, line, 'counterpartyAccount'),
    copyValue(tx.references.externalId, line, 'externalId'), copyValue(tx.references.batchId, line, 'batchId'), copyValue(tx.references.endToEndId, line, 'endToEndId'),
    copyValue(tx.references.bankReference, line, 'bankReference'), copyValue(tx.description, line, 'description'), copyValue(tx.customerRef, line, 'customerRef'),
    copyValue(JSON.stringify(tx.raw), line, 'raw'), copyValue(tx.source.sourceId, line, 'sourceId'), copyValue(tx.source.format, line, 'format'), copyValue(tx.source.fileName, line, 'fileName'),
  ];
  assert(cells.length === TRANSACTION_COLUMNS.length, 'one COPY cell per column');
  return cells.join('\t');
}

/** COPY text chunks for the rows; throws an HttpError naming the first row a database would refuse. */
export function* copyChunks(rows: Iterable<RowToStore>, importId: string): Generator<string> {
  const dates = new DateChecker();
  let lines: string[] = [];
  let chars = 0;
  for (const row of rows) {
    const text = copyLine(row, importId, dates);
    lines.push(text);
    chars += text.length + 1;
    if (chars >= CHUNK_CHARS_MAX) {
      yield `${lines.join('\n')}\n`;
      lines = [];
      chars = 0;
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}
