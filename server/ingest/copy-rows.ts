import { assert } from '../../core/assert.ts';
import { calendarDateOf, isCalendarDate } from '../../core/settlement/dates.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Transactions as PostgreSQL COPY text (tab-separated, `\N` for null, backslash escapes), in
 * chunks of about 256 KiB so the database parses one chunk while the next is built. Each row is
 * first laid out as its cell values in TRANSACTION_COLUMNS order (in one reused array: no
 * object per row), then checked and escaped here once for every feed. Dates are checked as real
 * calendar dates: a `2026-02-30` reaching COPY would fail the whole load with a database error
 * instead of naming the row. The raw source fields, format and file name are not per row: they
 * travel once per batch in the feed's import_batches documents (server/ingest/batch-docs.ts).
 */
export const TRANSACTION_COLUMNS = [
  'id', 'occurred_month', 'import_id', 'line', 'conflict_of', 'kind', 'occurred_at', 'booking_date', 'value_date', 'amount', 'currency',
  'account', 'partner_id', 'product_id', 'channel', 'counterparty_name', 'counterparty_account', 'external_id', 'batch_id', 'end_to_end_id',
  'bank_reference', 'description', 'customer_ref', 'source_id',
] as const;
/** What a cell is called in an error: the canonical field name. */
const FIELD_NAMES = [
  'id', 'occurredAt', 'importId', 'line', 'id', 'kind', 'occurredAt', 'bookingDate', 'valueDate', 'amount', 'currency',
  'account', 'partnerId', 'productId', 'channel', 'counterpartyName', 'counterpartyAccount', 'externalId', 'batchId', 'endToEndId',
  'bankReference', 'description', 'customerRef', 'sourceId',
] as const;
/** Cells whose values are validated to plain ASCII without tab, newline or backslash (schema enums, digits, dates): no escaping. */
const PLAIN = new Set(['occurred_month', 'line', 'kind', 'booking_date', 'value_date', 'amount', 'currency']);
const PLAIN_AT = TRANSACTION_COLUMNS.map((name) => PLAIN.has(name));
export const CELL = Object.fromEntries(TRANSACTION_COLUMNS.map((name, index) => [name, index])) as Readonly<Record<(typeof TRANSACTION_COLUMNS)[number], number>>;

export const COPY_TRANSACTIONS_SQL = `copy transactions (${TRANSACTION_COLUMNS.join(', ')}) from stdin`;
/** What the id registry (migration 008) keeps of each row: what duplicate detection reads. */
const ID_COLUMNS = ['id', 'conflict_of', 'line', 'source_id', 'amount', 'currency', 'booking_date', 'value_date'] as const;
const ID_CELLS = ID_COLUMNS.map((name) => CELL[name]);
export const COPY_TRANSACTION_IDS_SQL = `copy transaction_ids (${ID_COLUMNS.join(', ')}) from stdin`;
const CHUNK_CHARS_MAX = 256 * 1024;

/** One row's COPY lines: into transactions, and into the id registry. */
export interface CopyLine {
  readonly row: string;
  readonly id: string;
}

/** COPY text in chunks: the rows into transactions, and their lines into the id registry. */
export interface CopyText {
  readonly rows: readonly string[];
  readonly ids: readonly string[];
}

/** Rows ready for COPY: how many, the months they fall in (their partitions), their COPY lines, and those lines as COPY text. */
export interface CopyRows {
  readonly count: number;
  readonly months: ReadonlySet<string>;
  lines(importId: string): Iterable<CopyLine>;
  text(importId: string): CopyText;
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
// eslint-disable-next-line no-control-regex -- NUL is one of the characters looked for
const NEEDS_CARE = /[\\\t\n\r\u0000]/;
const ESCAPED = /[\\\t\n\r]/g;

function refuse(reason: string, message: string, line: number, index: number): HttpError {
  const column = FIELD_NAMES[index] as string;
  return new HttpError(422, 'import_refused', `line ${line}, ${column}: ${message}`, { reason, line, column });
}

const REMEMBERED_MAX = 100_000;

/** Checks calendar dates once per distinct text (a feed has few distinct dates). */
class DateChecker {
  private readonly known = new Map<string, boolean>();
  private readonly occurred = new Map<string, boolean>();

  valid(value: string): boolean {
    let valid = this.known.get(value);
    if (valid === undefined) {
      valid = isCalendarDate(value);
      if (this.known.size < REMEMBERED_MAX) this.known.set(value, valid);
    }
    return valid;
  }

  /** Whether an occurredAt (date or instant) is on a calendar date, once per distinct text. */
  onCalendarDate(occurredAt: string): boolean {
    let valid = this.occurred.get(occurredAt);
    if (valid === undefined) {
      valid = this.valid(calendarDateOf(occurredAt));
      if (this.occurred.size < REMEMBERED_MAX) this.occurred.set(occurredAt, valid);
    }
    return valid;
  }
}

/** occurredMonthOf once per distinct occurredAt text (a feed's rows share a few dates). */
export class OccurredMonths {
  private readonly known = new Map<string, string>();

  of(occurredAt: string): string {
    let month = this.known.get(occurredAt);
    if (month === undefined) {
      month = occurredMonthOf(occurredAt);
      if (this.known.size < REMEMBERED_MAX) this.known.set(occurredAt, month);
    }
    return month;
  }
}

/** The first day of the month of an occurredAt (date or instant, as the source wrote it): the row's partition. */
export function occurredMonthOf(occurredAt: string): string {
  return `${calendarDateOf(occurredAt).slice(0, 7)}-01`;
}

/** The months (partitions) of occurredAt values, each distinct text read once. */
export function monthsOf(occurredAts: Iterable<string>): Set<string> {
  return new Set([...new Set(occurredAts)].map(occurredMonthOf));
}

/** Turns cell values (TRANSACTION_COLUMNS order) into COPY lines, refusing what PostgreSQL would refuse, with its line and field. */
export class CopyLineWriter {
  private readonly dates = new DateChecker();
  private readonly out: string[] = new Array<string>(TRANSACTION_COLUMNS.length).fill('');

  line(cells: ReadonlyArray<string | null>, line: number): CopyLine {
    assert(cells.length === TRANSACTION_COLUMNS.length, 'one value per COPY column');
    this.checkDate(cells, CELL.booking_date, line);
    this.checkDate(cells, CELL.value_date, line);
    const occurred = cells[CELL.occurred_at] as string;
    if (!this.dates.onCalendarDate(occurred)) throw refuse('date_invalid', `${JSON.stringify(occurred)} is not on a calendar date`, line, CELL.occurred_at);
    const out = this.out;
    for (let index = 0; index < cells.length; index++) {
      const value = cells[index] as string | null;
      if (value === null) out[index] = '\\N';
      else if (PLAIN_AT[index] === true || !NEEDS_CARE.test(value)) out[index] = value;
      else {
        // PostgreSQL text cannot hold NUL: refused with its place rather than failing inside COPY.
        if (value.includes('\u0000')) throw refuse('field_invalid', 'text contains a NUL character', line, index);
        out[index] = value.replace(ESCAPED, (char) => ESCAPES[char] as string);
      }
    }
    // One join makes a flat string; concatenating 27 cells made a rope that every later copy had to flatten.
    return { row: out.join('\t'), id: ID_CELLS.map((index) => out[index]).join('\t') };
  }

  private checkDate(cells: ReadonlyArray<string | null>, index: number, line: number): void {
    const value = cells[index];
    if (value !== null && value !== undefined && !this.dates.valid(value)) throw refuse('date_invalid', `${JSON.stringify(value)} is not a calendar date`, line, index);
  }
}

/** Lines joined into chunks of about CHUNK_CHARS_MAX characters. */
class Chunks {
  readonly chunks: string[] = [];
  private pending: string[] = [];
  private chars = 0;

  add(text: string): void {
    this.pending.push(text);
    this.chars += text.length + 1;
    if (this.chars >= CHUNK_CHARS_MAX) this.flush();
  }

  flush(): string[] {
    if (this.pending.length > 0) {
      // An empty last line gives the closing newline within the one join (appending it after made a rope to flatten on sending).
      this.pending.push('');
      this.chunks.push(this.pending.join('\n'));
    }
    this.pending = [];
    this.chars = 0;
    return this.chunks;
  }
}

/** Both COPYs' text, made line by line in one pass (no line is kept once it is in its chunk). */
export class CopyTextBuilder {
  private readonly rows = new Chunks();
  private readonly ids = new Chunks();

  add(line: CopyLine): void {
    this.rows.add(line.row);
    this.ids.add(line.id);
  }

  text(): CopyText {
    return { rows: this.rows.flush(), ids: this.ids.flush() };
  }
}

export function copyTextOf(lines: Iterable<CopyLine>): CopyText {
  const builder = new CopyTextBuilder();
  for (const line of lines) builder.add(line);
  return builder.text();
}

/** A transaction to store, and the id it repeats when it is a conflicting row set aside. */
export interface RowToStore {
  readonly transaction: CanonicalTransaction;
  readonly conflictOf: string | null;
}

/** Whole transactions (a file through core's pipeline) as COPY rows. */
export function transactionRows(rows: readonly RowToStore[]): CopyRows {
  function* lines(importId: string): Generator<CopyLine> {
    const writer = new CopyLineWriter();
    const months = new OccurredMonths();
    const cells: Array<string | null> = new Array<string | null>(TRANSACTION_COLUMNS.length).fill(null);
    for (const { transaction: tx, conflictOf } of rows) {
      cells[CELL.id] = tx.id; cells[CELL.occurred_month] = months.of(tx.occurredAt); cells[CELL.import_id] = importId; cells[CELL.line] = String(tx.source.line);
      cells[CELL.conflict_of] = conflictOf; cells[CELL.kind] = tx.kind; cells[CELL.occurred_at] = tx.occurredAt; cells[CELL.booking_date] = tx.bookingDate;
      cells[CELL.value_date] = tx.valueDate; cells[CELL.amount] = tx.amount; cells[CELL.currency] = tx.currency; cells[CELL.account] = tx.account;
      cells[CELL.partner_id] = tx.partnerId; cells[CELL.product_id] = tx.productId; cells[CELL.channel] = tx.channel; cells[CELL.counterparty_name] = tx.counterparty.name;
      cells[CELL.counterparty_account] = tx.counterparty.account; cells[CELL.external_id] = tx.references.externalId; cells[CELL.batch_id] = tx.references.batchId;
      cells[CELL.end_to_end_id] = tx.references.endToEndId; cells[CELL.bank_reference] = tx.references.bankReference; cells[CELL.description] = tx.description;
      cells[CELL.customer_ref] = tx.customerRef; cells[CELL.source_id] = tx.source.sourceId;
      yield writer.line(cells, tx.source.line);
    }
  }
  return {
    count: rows.length,
    months: monthsOf(rows.map((row) => row.transaction.occurredAt)),
    lines,
    text: (importId) => copyTextOf(lines(importId)),
  };
}
