import { DECIMAL_PATTERN } from '../../core/money/decimal.ts';
import { isCurrencyCode } from '../../core/money/iso4217.ts';
import { AMOUNT_TEXT_LENGTH_MAX } from '../../core/money/parse.ts';
import { BATCH_ROWS_MAX, BatchSource } from '../../core/sync/batch.ts';
import { TRANSACTION_KINDS } from '../../core/transactions/schema.ts';
import { parseRequest } from '../http/errors.ts';
import { parseJsonBody } from '../http/json-body.ts';
import { BatchImportBody } from './batch-import.ts';

/**
 * The JSON feed's body checked column by column with plain tests instead of zod's per-cell
 * objects (zod on 10,000 rows took ~40 ms of a request's ~170 ms of node CPU). It accepts
 * exactly what BatchImportBody (zod) accepts (a fast-check property holds the two together,
 * batch-validate.test.ts); a body it refuses goes to zod, which names the first bad cell as
 * before (`body.columns.amount.3: ...`). The small envelope (`source`) is zod's own check.
 */
const TEXT_CHARS_MAX = 10_000;
const ID_CHARS_MAX = 500;
const RAW_NAMES_MAX = 1000;
const RAW_NAME_CHARS_MAX = 500;
const BODY_KEYS = new Set(['source', 'columns']);
const NULLABLE_TEXT_COLUMNS = ['account', 'partnerId', 'productId', 'channel', 'counterpartyName', 'counterpartyAccount', 'externalId', 'batchId', 'endToEndId', 'bankReference', 'description', 'customerRef'] as const;
const COLUMN_KEYS = new Set(['id', 'line', 'kind', 'occurredAt', 'bookingDate', 'valueDate', 'amount', 'currency', ...NULLABLE_TEXT_COLUMNS, 'rawNames', 'rawValues']);
// The very patterns of core's CanonicalTransaction fields (core/transactions/schema.ts).
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const KINDS: ReadonlySet<unknown> = new Set(TRANSACTION_KINDS);
/** Distinct valid values remembered per column: dates and currencies repeat, so most cells cost one Set lookup. */
const REMEMBERED_MAX = 4096;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(record: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in record) if (!allowed.has(key)) return false;
  return true;
}

function cellsOf(value: unknown, rows: number): readonly unknown[] | null {
  return Array.isArray(value) && value.length === rows ? value : null;
}

function allCells(cells: readonly unknown[], valid: (value: unknown) => boolean): boolean {
  for (let index = 0; index < cells.length; index++) if (!valid(cells[index])) return false;
  return true;
}

/** A test of string cells against a pattern, each distinct valid text tested once. */
function patternCells(pattern: RegExp, nullable: boolean): (cells: readonly unknown[]) => boolean {
  return (cells) => {
    const seen = new Set<string>();
    return allCells(cells, (value) => {
      if (value === null) return nullable;
      if (typeof value !== 'string') return false;
      if (seen.has(value)) return true;
      if (!pattern.test(value)) return false;
      if (seen.size < REMEMBERED_MAX) seen.add(value);
      return true;
    });
  };
}

const calendarDates = patternCells(CALENDAR_DATE, true);
const datesOrInstants = patternCells(DATE_OR_INSTANT, false);
const nullableText = (value: unknown) => value === null || (typeof value === 'string' && value.length <= TEXT_CHARS_MAX);
const amountText = (value: unknown) => typeof value === 'string' && value.length <= AMOUNT_TEXT_LENGTH_MAX && DECIMAL_PATTERN.test(value);

function currencies(cells: readonly unknown[]): boolean {
  let last: unknown;
  return allCells(cells, (value) => {
    if (value === last) return true;
    if (typeof value !== 'string' || !isCurrencyCode(value)) return false;
    last = value;
    return true;
  });
}

function rawValuesValid(cells: readonly unknown[], names: number): boolean {
  return allCells(cells, (values) => Array.isArray(values) && values.length === names && allCells(values, nullableText));
}

function columnsValid(columns: unknown): boolean {
  if (!isRecord(columns) || !onlyKeys(columns, COLUMN_KEYS) || !Array.isArray(columns.id)) return false;
  const rows = columns.id.length;
  if (rows === 0 || rows > BATCH_ROWS_MAX) return false;
  const id = columns.id as readonly unknown[];
  if (!allCells(id, (value) => typeof value === 'string' && value.length >= 1 && value.length <= ID_CHARS_MAX)) return false;
  const line = cellsOf(columns.line, rows);
  if (line === null || !allCells(line, (value) => Number.isSafeInteger(value) && (value as number) > 0)) return false;
  const kind = cellsOf(columns.kind, rows);
  if (kind === null || !allCells(kind, (value) => KINDS.has(value))) return false;
  const occurredAt = cellsOf(columns.occurredAt, rows);
  if (occurredAt === null || !datesOrInstants(occurredAt)) return false;
  for (const name of ['bookingDate', 'valueDate'] as const) {
    const dates = cellsOf(columns[name], rows);
    if (dates === null || !calendarDates(dates)) return false;
  }
  const amount = cellsOf(columns.amount, rows);
  if (amount === null || !allCells(amount, amountText)) return false;
  const currency = cellsOf(columns.currency, rows);
  if (currency === null || !currencies(currency)) return false;
  for (const name of NULLABLE_TEXT_COLUMNS) {
    const texts = cellsOf(columns[name], rows);
    if (texts === null || !allCells(texts, nullableText)) return false;
  }
  const rawNames = columns.rawNames;
  if (!Array.isArray(rawNames) || rawNames.length > RAW_NAMES_MAX || !allCells(rawNames, (value) => typeof value === 'string' && value.length <= RAW_NAME_CHARS_MAX)) return false;
  const rawValues = cellsOf(columns.rawValues, rows);
  return rawValues !== null && rawValuesValid(rawValues, rawNames.length);
}

/** True exactly when BatchImportBody.safeParse(value) succeeds (for JSON values: what a body parser gives). */
export function isBatchImportBody(value: unknown): value is BatchImportBody {
  return isRecord(value) && onlyKeys(value, BODY_KEYS) && BatchSource.safeParse(value.source).success && columnsValid(value.columns);
}

/** The body as BatchImportBody: a valid body as it came (no copy), any other refused by zod with its first issue (400 request_invalid). */
export function parseBatchImportBody(value: unknown, knownValid = isBatchImportBody(value)): BatchImportBody {
  return knownValid ? (value as BatchImportBody) : parseRequest(BatchImportBody, value, 'body');
}

/**
 * The batch route's JSON body and whether it is a valid batch, refusing what parseJsonBody
 * refuses (too deep, a prototype key, not JSON) with its errors. parseJsonBody's depth scan walks
 * every character (~18 ms of a 10,000-row body). A valid batch is four levels deep and has only
 * its schema's keys (the prototype-key scan matches keys only), so both scans run only for a body
 * that is not a valid batch, to give their errors.
 */
export function readBatchJson(text: string): { readonly value: unknown; readonly valid: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { value: parseJsonBody(text), valid: false };
  }
  const valid = isBatchImportBody(value);
  if (!valid) parseJsonBody(text);
  return { value, valid };
}
