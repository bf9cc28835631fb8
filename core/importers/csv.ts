import { assert } from '../assert.ts';
import { SettleDeskError } from '../errors.ts';
import { decodeText, type DecodedText } from '../ingest/decode.ts';
import type { EntryIdentity, ImportContext, Importer, ParseOutput, ParsedEntry } from '../ingest/importer.ts';
import type { Rejection } from '../ingest/result.ts';
import type { AmountFormat } from '../money/parse.ts';
import type { TransactionKind } from '../transactions/schema.ts';
import { occurredAtOf, parseDateTime, zoneResolver, type ParsedDateTime, type ZoneResolver } from './csv-dates.ts';
import { amountFormatOf, namespaceOf, parseCsvProfile, requiredColumnsOf, type CsvProfile, type CsvProfileInput } from './csv-profile.ts';
import { CsvTableReader, rowText, type TableHeader, type TableSink } from './csv-table.ts';
import {
  BoundedMemo,
  checkMinorUnits,
  currencyCell,
  exactAmount,
  isProblem,
  isZeroDecimal,
  negateDecimal,
  rejectionOf,
  requiredAmount,
  textCell,
  type CellProblem,
} from './row-values.ts';

/**
 * The generic CSV/TSV importer: a saved mapping profile (csv-profile.ts) says which column is
 * what; every data row becomes one ParsedEntry or one Rejection naming line, column and code.
 */
export type RowMapper = (fields: readonly string[], line: number) => ParsedEntry | Rejection;

/** Where mapped rows go: arrays for a one-shot parse, batches for the stream. */
export interface RowCollector {
  entry(entry: ParsedEntry): void;
  reject(rejection: Rejection): void;
}

const MEMO_ENTRIES_MAX = 20_000;

interface Column {
  readonly name: string;
  readonly index: number;
}

function columnOf(header: TableHeader, name: string | undefined): Column | null {
  if (name === undefined) return null;
  const index = header.indexOf(name);
  assert(index >= 0, 'a required column is in the header', { name });
  return { name: header.names[index] ?? name, index };
}

type DateResult = { readonly occurredAt: string; readonly date: string } | CellProblem;

function dateReader(profile: CsvProfile, column: string): (raw: string) => DateResult {
  const resolver: ZoneResolver | null = profile.date.timeZone === null ? null : zoneResolver(profile.date.timeZone);
  const { format, time } = profile.date;
  const memo = new BoundedMemo<DateResult>(MEMO_ENTRIES_MAX);
  const compute = (raw: string): DateResult => {
    if (raw.trim().length === 0) return { code: 'date_missing', reason: `${column}: empty, expected a date (${format})`, says: 'date_missing', params: { columnName: column, format } };
    const parsed: ParsedDateTime | null = parseDateTime(raw, format, time);
    const occurredAt = parsed === null ? null : occurredAtOf(parsed, resolver);
    if (parsed === null || occurredAt === null) {
      const timeNote = time === 'none' ? '' : time === 'required' ? ' with a time' : ' with an optional time';
      return { code: 'date_invalid', reason: `${column}: ${JSON.stringify(raw.slice(0, 40))} is not a valid date in the format ${format}${timeNote}`, says: `date_invalid_time_${time}`, params: { columnName: column, value: raw.slice(0, 40), format } };
    }
    return { occurredAt, date: parsed.date };
  };
  return (raw) => memo.get(raw, compute);
}

/** An amount reader's failure names the column it is about (debit or credit, amount or direction). */
type AmountProblem = CellProblem & { readonly column: string };
type AmountReader = (fields: readonly string[]) => string | AmountProblem;

function problemAt(problem: CellProblem, column: string): AmountProblem {
  return { ...problem, column };
}

function signedAmountReader(profile: CsvProfile, header: TableHeader, format: AmountFormat): AmountReader {
  const sign = profile.sign;
  if (sign.convention === 'signed') {
    const column = columnOf(header, sign.column) as Column;
    return (fields) => {
      const value = requiredAmount(fields[column.index] as string, format, column.name);
      if (isProblem(value)) return problemAt(value, column.name);
      return sign.negate ? negateDecimal(value) : value;
    };
  }
  if (sign.convention === 'debit-credit') {
    const debit = columnOf(header, sign.debit) as Column;
    const credit = columnOf(header, sign.credit) as Column;
    // One of the two cells is normally empty: empty reads as "no amount" here, not as an error.
    const cellFormat: AmountFormat = { ...format, emptyAs: 'null' };
    return (fields) => {
      const debitValue = exactAmount(fields[debit.index] as string, cellFormat, debit.name);
      if (isProblem(debitValue)) return problemAt(debitValue, debit.name);
      const creditValue = exactAmount(fields[credit.index] as string, cellFormat, credit.name);
      if (isProblem(creditValue)) return problemAt(creditValue, credit.name);
      const hasDebit = debitValue !== null && !isZeroDecimal(debitValue);
      const hasCredit = creditValue !== null && !isZeroDecimal(creditValue);
      if (hasDebit && hasCredit) return { code: 'amount_sign_ambiguous', reason: `both ${debit.name} and ${credit.name} hold an amount`, column: debit.name, says: 'debit_and_credit', params: { debit: debit.name, credit: credit.name } };
      // A debit column holds the size of money out; some banks print it with a minus, some without.
      if (hasDebit) return debitValue.charCodeAt(0) === 45 ? debitValue : negateDecimal(debitValue);
      if (creditValue !== null) return creditValue.charCodeAt(0) === 45 ? negateDecimal(creditValue) : creditValue;
      if (debitValue !== null) return negateDecimal(debitValue);
      return { code: 'amount_empty', reason: `${debit.name} and ${credit.name} are both empty`, column: credit.name, says: 'both_empty', params: { first: debit.name, second: credit.name } };
    };
  }
  const amount = columnOf(header, sign.amount) as Column;
  const direction = columnOf(header, sign.direction) as Column;
  const inValues = new Set(sign.inValues);
  const outValues = new Set(sign.outValues);
  return (fields) => {
    const value = requiredAmount(fields[amount.index] as string, format, amount.name);
    if (isProblem(value)) return problemAt(value, amount.name);
    if (value.charCodeAt(0) === 45) {
      return { code: 'amount_sign_ambiguous', reason: `${amount.name}: ${value} is signed although ${direction.name} gives the direction`, column: amount.name, says: 'signed_with_direction', params: { columnName: amount.name, amount: value, direction: direction.name } };
    }
    const way = (fields[direction.index] as string).trim();
    if (inValues.has(way)) return value;
    if (outValues.has(way)) return negateDecimal(value);
    const [inList, outList] = [[...inValues].join(', '), [...outValues].join(', ')];
    return { code: 'field_invalid', reason: `${direction.name}: ${JSON.stringify(way)} is neither in (${inList}) nor out (${outList})`, column: direction.name, says: 'direction_unknown', params: { columnName: direction.name, value: way, in: inList, out: outList } };
  };
}

/** Optional text columns, by slot in a scratch array reused for every row (no per-row record). */
const TEXT_FIELDS = ['account', 'partner', 'product', 'channel', 'counterpartyName', 'counterpartyAccount', 'externalId', 'batchId', 'description', 'customerId'] as const;
const [ACCOUNT, PARTNER, PRODUCT, CHANNEL, COUNTERPARTY_NAME, COUNTERPARTY_ACCOUNT, EXTERNAL_ID, BATCH_ID, DESCRIPTION, CUSTOMER_ID] = TEXT_FIELDS.map((_, slot) => slot) as number[] as [
  number, number, number, number, number, number, number, number, number, number,
];

/** Most rows name no counterparty: they share one frozen value instead of allocating their own. */
const NO_COUNTERPARTY = Object.freeze({ name: null, account: null });

function rejectRow(problem: CellProblem, column: string | null, line: number, fields: readonly string[], delimiter: string): Rejection {
  return rejectionOf(problem, line, column, rowText(fields, delimiter));
}

/** Compiles a profile against a file's header into a per-row function (the hot path). */
export function compileProfileMapper(profile: CsvProfile, header: TableHeader, context: ImportContext): RowMapper {
  const format = amountFormatOf(profile);
  const delimiter = header.delimiter;
  const names = header.names.map((name, index) => (header.names.indexOf(name) === index ? name : `${name}#${index + 1}`));
  const amountOf = signedAmountReader(profile, header, format);
  const amountColumn = profile.sign.convention === 'signed' ? profile.sign.column : profile.sign.convention === 'direction' ? profile.sign.amount : profile.sign.credit;
  const dateColumn = columnOf(header, profile.columns.date) as Column;
  const readDate = dateReader(profile, dateColumn.name);
  const valueDateColumn = columnOf(header, profile.columns.valueDate);
  const readValueDate = valueDateColumn === null ? null : dateReader({ ...profile, date: { ...profile.date, time: 'optional' } }, valueDateColumn.name);
  const currencyColumn = 'column' in profile.currency ? columnOf(header, profile.currency.column) : null;
  const readCurrency = currencyColumn === null ? null : (raw: string): string | CellProblem => currencyCell(raw, currencyColumn.name);
  const fixedCurrency = 'fixed' in profile.currency ? profile.currency.fixed : '';
  const kindColumn = 'column' in profile.kind ? columnOf(header, profile.kind.column) : null;
  const kindValues: ReadonlyMap<string, TransactionKind> = new Map('values' in profile.kind ? Object.entries(profile.kind.values) : []);
  const fixedKind: TransactionKind = 'fixed' in profile.kind ? profile.kind.fixed : 'sale';
  const textColumns = TEXT_FIELDS.map((field, slot) => ({ slot, column: columnOf(header, profile.columns[field]) })).filter(
    (entry): entry is { slot: number; column: Column } => entry.column !== null,
  );
  const texts: Array<string | null> = TEXT_FIELDS.map(() => null);
  const referenceColumn = profile.id.policy === 'reference' ? columnOf(header, profile.id.column) : null;
  const namespace = namespaceOf(profile);
  const fingerprintIdentity: EntryIdentity = { by: 'fingerprint', namespace };
  const pseudonyms = new BoundedMemo<string>(MEMO_ENTRIES_MAX);
  const currencies = new BoundedMemo<string | CellProblem>(1000);
  // The customer column is kept in raw only as its pseudonym, like customerRef.
  const customerColumn = textColumns.find((entry) => entry.slot === CUSTOMER_ID)?.column.index ?? -1;

  return (fields, line) => {
    const amount = amountOf(fields);
    if (typeof amount !== 'string') return rejectRow(amount, amount.column, line, fields, delimiter);
    let currency = fixedCurrency;
    if (currencyColumn !== null && readCurrency !== null) {
      const cell = currencies.get(fields[currencyColumn.index] as string, readCurrency);
      if (typeof cell !== 'string') return rejectRow(cell, currencyColumn.name, line, fields, delimiter);
      currency = cell;
    }
    const minor = checkMinorUnits(amount, currency, amountColumn);
    if (minor !== null) return rejectRow(minor, amountColumn, line, fields, delimiter);
    const date = readDate(fields[dateColumn.index] as string);
    if ('code' in date) return rejectRow(date, dateColumn.name, line, fields, delimiter);
    let valueDate: string | null = null;
    if (valueDateColumn !== null && readValueDate !== null && (fields[valueDateColumn.index] as string).trim().length > 0) {
      const parsed = readValueDate(fields[valueDateColumn.index] as string);
      if ('code' in parsed) return rejectRow(parsed, valueDateColumn.name, line, fields, delimiter);
      valueDate = parsed.date;
    }
    let kind = fixedKind;
    if (kindColumn !== null) {
      const cell = fields[kindColumn.index] as string;
      const mapped = kindValues.get(cell) ?? kindValues.get(cell.trim());
      if (mapped === undefined) {
        const problem: CellProblem = { code: 'kind_unknown', reason: `${kindColumn.name}: ${JSON.stringify(cell.trim())} is not in the profile's kind map`, says: 'kind_not_mapped', params: { columnName: kindColumn.name, value: cell.trim() } };
        return rejectRow(problem, kindColumn.name, line, fields, delimiter);
      }
      kind = mapped;
    }
    for (let index = 0; index < textColumns.length; index++) {
      const { slot, column } = textColumns[index] as { slot: number; column: Column };
      const value = textCell(fields[column.index], column.name);
      if (value !== null && typeof value !== 'string') return rejectRow(value, column.name, line, fields, delimiter);
      texts[slot] = value;
    }
    let identity: EntryIdentity = fingerprintIdentity;
    let reference: string | null = null;
    if (referenceColumn !== null) {
      reference = (fields[referenceColumn.index] as string).trim();
      if (reference.length === 0) {
        const problem: CellProblem = { code: 'field_missing', reason: `${referenceColumn.name}: empty, but the profile identifies rows by this reference`, says: 'reference_missing', params: { columnName: referenceColumn.name } };
        return rejectRow(problem, referenceColumn.name, line, fields, delimiter);
      }
      identity = { by: 'reference', namespace, reference };
    }
    const customerId = texts[CUSTOMER_ID] ?? null;
    const customerRef = customerId === null ? null : pseudonyms.get(customerId, context.pseudonymize);
    const raw: Record<string, string> = {};
    for (let index = 0; index < names.length; index++) raw[names[index] as string] = index === customerColumn && customerRef !== null ? customerRef : (fields[index] as string);
    const counterpartyName = texts[COUNTERPARTY_NAME] ?? null;
    const counterpartyAccount = texts[COUNTERPARTY_ACCOUNT] ?? null;
    return {
      kind,
      occurredAt: date.occurredAt,
      bookingDate: date.date,
      valueDate,
      amount,
      currency,
      account: texts[ACCOUNT] ?? profile.fixedAccount,
      partnerId: texts[PARTNER] ?? null,
      productId: texts[PRODUCT] ?? null,
      channel: texts[CHANNEL] ?? null,
      counterparty: counterpartyName === null && counterpartyAccount === null ? NO_COUNTERPARTY : { name: counterpartyName, account: counterpartyAccount },
      references: { externalId: texts[EXTERNAL_ID] ?? reference, batchId: texts[BATCH_ID] ?? null, endToEndId: null, bankReference: null },
      description: texts[DESCRIPTION] ?? null,
      customerRef,
      raw,
      line,
      identity,
      statementIndex: null,
    };
  };
}

/** A TableSink that maps each data row and counts every row exactly once. */
export class MappedRowSink implements TableSink {
  private mapper: RowMapper | null = null;
  private headerLine = 0;
  rowsRead = 0;

  constructor(
    private readonly compile: (header: TableHeader) => RowMapper,
    private readonly out: RowCollector,
  ) {}

  header(header: TableHeader): void {
    this.mapper = this.compile(header);
    this.headerLine = header.line;
  }

  row(fields: string[], line: number): void {
    const mapper = this.mapper;
    assert(mapper !== null, 'rows come after the header');
    this.rowsRead++;
    const result = mapper(fields, line);
    if ('code' in result) this.out.reject(result);
    else this.out.entry(result);
  }

  reject(rejection: Rejection): void {
    this.rowsRead++;
    this.out.reject(rejection);
  }

  /** A row above the header that maps as a data row is a rejected row, not preamble: its money would vanish silently. */
  beforeHeader(fields: string[], line: number): void {
    const mapper = this.mapper;
    assert(mapper !== null, 'rows above the header are passed after it');
    const result = mapper(fields, line);
    if ('code' in result) return;
    const date = result.bookingDate ?? result.occurredAt;
    this.reject({
      line,
      column: null,
      code: 'row_before_header',
      reason: `reads as a data row (${date}, ${result.amount} ${result.currency}) but stands above the header on line ${this.headerLine}; move it below the header or delete it`,
      raw: fields.join(',').slice(0, 200),
      statementIndex: null,
      says: 'row_before_header',
      params: { date, amount: result.amount, currency: result.currency, headerLine: String(this.headerLine) },
    });
  }
}

/** Parses a whole text with a profile. */
export function parseWithProfile(text: string, context: ImportContext, profile: CsvProfile): ParseOutput {
  const entries: ParsedEntry[] = [];
  const rejected: Rejection[] = [];
  const sink = new MappedRowSink((header) => compileProfileMapper(profile, header, context), {
    entry: (entry) => entries.push(entry),
    reject: (rejection) => rejected.push(rejection),
  });
  const reader = new CsvTableReader(
    { fileName: context.fileName, delimiter: profile.delimiter, requiredColumns: requiredColumnsOf(profile), headerSearchRowsMax: profile.headerSearchRowsMax },
    sink,
  );
  reader.push(text);
  reader.end();
  assert(sink.rowsRead === entries.length + rejected.length, 'every CSV row is an entry or a rejection', { rowsRead: sink.rowsRead });
  return { rowsRead: sink.rowsRead, entries, rejected, statements: [], issues: [] };
}

/** Decodes file bytes with the profile's encoding (BOM-aware for utf-8; strict for the rest). */
export function decodeWithProfile(bytes: Uint8Array, fileName: string, profile: CsvProfile): DecodedText {
  return decodeText(bytes, fileName, profile.encoding);
}

export const csvImporter: Importer<CsvProfileInput> = {
  format: 'csv',
  sniff(head, fileName) {
    if (/\.(csv|tsv|txt)$/i.test(fileName)) return true;
    const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
    return /[,;\t|]/.test(firstLine) && !firstLine.trimStart().startsWith('<') && !firstLine.trimStart().startsWith('{');
  },
  parse(text, context, options) {
    if (options === undefined) {
      throw new SettleDeskError('profile_missing', `${context.fileName}: a generic CSV needs a mapping profile that names its columns (settledesk import --profile FILE)`, { file: context.fileName }, { says: 'profile_missing' });
    }
    return parseWithProfile(text, context, parseCsvProfile(options));
  },
};
