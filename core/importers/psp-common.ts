import { assert } from '../assert.ts';
import type { ImportContext, ParseOutput, ParsedEntry } from '../ingest/importer.ts';
import type { Rejection } from '../ingest/result.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { addMinor, normalizeMinor, toMinorUnits, type MinorUnits } from '../money/minor.ts';
import type { TransactionKind } from '../transactions/schema.ts';
import { CSV_DELIMITERS } from './csv-profile.ts';
import { CsvTableReader, rowText, type TableHeader, type TableSpec } from './csv-table.ts';
import { checkMinorUnits, isZeroDecimal, negateDecimal, rejectionOf, type CellProblem } from './row-values.ts';

/**
 * What the PSP report importers share: driving the CSV table reader with a fixed header, a row
 * mapper that may emit two entries per row (gross and fee), and sniffing by header row.
 */
export type MultiRowMapper = (fields: readonly string[], line: number) => readonly ParsedEntry[] | Rejection;

export interface PspImportOptions {
  /** The PSP account the report belongs to (Stripe account id, PayPal merchant id); part of the id namespace. */
  readonly account?: string | null;
}

/** A report read in pieces: each entry goes to the caller as it is mapped, so no file-sized array is held. */
export interface ReportStream {
  push(text: string): void;
  /** What was read besides the entries (they went to `onEntry`). */
  end(): Omit<ParseOutput, 'entries'>;
}

/** A row may yield two entries (gross and fee): rowsRead counts entries, recordsRead rows. */
export function createReportStream(context: ImportContext, spec: Omit<TableSpec, 'fileName'>, compile: (header: TableHeader) => MultiRowMapper, onEntry: (entry: ParsedEntry) => void): ReportStream {
  const rejected: Rejection[] = [];
  let mapper: MultiRowMapper | null = null;
  let records = 0;
  let entries = 0;
  const reader = new CsvTableReader(
    { ...spec, fileName: context.fileName },
    {
      header: (header) => (mapper = compile(header)),
      row: (fields, line) => {
        assert(mapper !== null, 'rows come after the header');
        records++;
        const result = mapper(fields, line);
        if ('code' in result) rejected.push(result);
        else
          for (const entry of result) {
            entries++;
            onEntry(entry);
          }
      },
      reject: (rejection) => {
        records++;
        rejected.push(rejection);
      },
      // A report row pasted above the header is money, not preamble: rejected, never skipped.
      beforeHeader: (fields, line) => {
        assert(mapper !== null, 'rows above the header are passed after it');
        const result = mapper(fields, line);
        if ('code' in result) return;
        records++;
        rejected.push({ line, column: null, code: 'row_before_header', reason: 'reads as a report row but stands above the header; move it below the header or delete it', raw: fields.join(',').slice(0, 200), statementIndex: null, says: 'report_row_before_header', params: {} });
      },
    },
  );
  return {
    push: (text) => reader.push(text),
    end: () => {
      reader.end();
      return { rowsRead: entries + rejected.length, recordsRead: records, rejected, statements: [], issues: [] };
    },
  };
}

/** A whole text through a report stream: the parse output with every entry. */
export function parseWhole(text: string, open: (onEntry: (entry: ParsedEntry) => void) => ReportStream): ParseOutput {
  const entries: ParsedEntry[] = [];
  const stream = open((entry) => entries.push(entry));
  stream.push(text);
  const read = stream.end();
  return { rowsRead: read.rowsRead, recordsRead: read.recordsRead, entries, rejected: read.rejected, statements: read.statements, issues: read.issues };
}

/** Parses a whole report (createReportStream over one piece). */
export function parseReport(text: string, context: ImportContext, spec: Omit<TableSpec, 'fileName'>, compile: (header: TableHeader) => MultiRowMapper): ParseOutput {
  return parseWhole(text, (onEntry) => createReportStream(context, spec, compile, onEntry));
}

/** True when one of the first lines of `head` holds every one of `columns` as a cell. */
export function headerSniff(head: string, columns: readonly string[]): boolean {
  const wanted = columns.map((column) => column.toLowerCase());
  for (const line of head.replace(/^\ufeff/, '').split(/\r\n|\n|\r/, 10)) {
    for (const delimiter of CSV_DELIMITERS) {
      const cells = new Set(line.split(delimiter).map((cell) => cell.trim().replace(/^"|"$/g, '').trim().toLowerCase()));
      if (wanted.every((column) => cells.has(column))) return true;
    }
  }
  return false;
}

export function rejectRow(problem: CellProblem, column: string | null, line: number, fields: readonly string[], header: TableHeader): Rejection {
  // rejectionOf keeps what the reason says (says, params) for the screen.
  return rejectionOf(problem, line, column, rowText(fields, header.delimiter));
}

/** The row's cells keyed by header name (a repeated name gets its position appended). */
/** Report columns that identify an end customer, and how to pseudonymize them. */
export interface PersonalColumns {
  readonly columns: ReadonlySet<string>;
  readonly pseudonymize: (value: string) => string;
}

/**
 * The row as the report wrote it, except that end-customer identifiers (e-mail, name, address,
 * phone) are kept only as their keyed pseudonyms, like customerRef: `raw` must not become the
 * place where the personal data the import pseudonymizes survives in clear.
 */
export function rawRecord(header: TableHeader, fields: readonly string[], personal: PersonalColumns | null = null): Record<string, string> {
  const raw: Record<string, string> = {};
  header.names.forEach((name, index) => {
    const value = fields[index] ?? '';
    const kept = personal !== null && personal.columns.has(name) && value.trim().length > 0 ? personal.pseudonymize(value.trim()) : value;
    raw[name in raw ? `${name}#${index + 1}` : name] = kept;
  });
  return raw;
}

export interface GrossFeeInput {
  /** Everything but the amount, kind and identity, shared by the gross and the fee entry. */
  readonly base: Omit<ParsedEntry, 'amount' | 'kind' | 'identity'>;
  readonly kind: TransactionKind;
  readonly namespace: string;
  readonly reference: string;
  /** Signed movement before fees (positive = money in). */
  readonly gross: string;
  /** Fee charged, positive when the PSP took money (a refunded fee is negative). */
  readonly fee: string;
  /** What the report says reached the balance. */
  readonly net: string;
  readonly columns: { readonly gross: string; readonly fee: string; readonly net: string };
}

/** a - b exactly: numbers while safe (every amount a report row holds), BigInt beyond. */
function minus(a: MinorUnits, b: MinorUnits): MinorUnits {
  if (typeof a === 'number' && typeof b === 'number') {
    const difference = a - b;
    if (Number.isSafeInteger(difference)) return difference;
  }
  return normalizeMinor(BigInt(a) - BigInt(b));
}

/** One entry of a report row, its fields listed one by one: a spread of `base` cost seconds on a million rows. */
function entryOf(base: GrossFeeInput['base'], kind: TransactionKind, amount: string, identity: ParsedEntry['identity']): ParsedEntry {
  return {
    occurredAt: base.occurredAt,
    bookingDate: base.bookingDate,
    valueDate: base.valueDate,
    amount,
    currency: base.currency,
    account: base.account,
    partnerId: base.partnerId,
    productId: base.productId,
    channel: base.channel,
    counterparty: base.counterparty,
    references: base.references,
    description: base.description,
    customerRef: base.customerRef,
    raw: base.raw,
    kind,
    line: base.line,
    statementIndex: base.statementIndex,
    identity,
  };
}

/**
 * Splits a report row into the gross movement and the fee, ids `reference` and `reference:fee`.
 * The report's own net must equal gross - fee exactly (a row where it does not is rejected, as
 * the file contradicts itself); the entries emitted are asserted to sum to that net.
 */
export function grossAndFee(input: GrossFeeInput): ParsedEntry[] | { problem: CellProblem; column: string } {
  const { base, columns } = input;
  for (const [amount, column] of [
    [input.gross, columns.gross],
    [input.fee, columns.fee],
    [input.net, columns.net],
  ] as const) {
    const problem = checkMinorUnits(amount, base.currency, column);
    if (problem !== null) return { problem, column };
  }
  const exponent = minorUnitsOf(base.currency);
  // Normalized (a number whenever safe), so that !== compares values.
  const exact = (amount: string): MinorUnits => normalizeMinor(toMinorUnits(amount, exponent));
  const net = exact(input.net);
  if (minus(exact(input.gross), exact(input.fee)) !== net) {
    return {
      problem: {
        code: 'field_invalid',
        reason: `${columns.gross} ${input.gross} - ${columns.fee} ${input.fee} != ${columns.net} ${input.net}`,
        says: 'gross_fee_net',
        params: { gross: columns.gross, grossAmount: input.gross, fee: columns.fee, feeAmount: input.fee, net: columns.net, netAmount: input.net },
      },
      column: columns.net,
    };
  }
  const entries: ParsedEntry[] = [entryOf(base, input.kind, input.gross, { by: 'reference', namespace: input.namespace, reference: input.reference })];
  let emitted = exact(input.gross);
  if (!isZeroDecimal(input.fee)) {
    const fee = negateDecimal(input.fee);
    entries.push(entryOf(base, 'fee', fee, { by: 'reference', namespace: input.namespace, reference: `${input.reference}:fee` }));
    emitted = addMinor(emitted, exact(fee));
  }
  if (emitted !== net) assert(false, 'gross and fee entries sum to the reported net', { reference: input.reference, net: input.net });
  return entries;
}
