import { assert } from '../assert.ts';
import type { ImportContext, ParseOutput, ParsedEntry } from '../ingest/importer.ts';
import type { Rejection } from '../ingest/result.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { toMinorUnits } from '../money/minor.ts';
import type { TransactionKind } from '../transactions/schema.ts';
import { CSV_DELIMITERS } from './csv-profile.ts';
import { CsvTableReader, rowText, type TableHeader, type TableSpec } from './csv-table.ts';
import { checkMinorUnits, isZeroDecimal, negateDecimal, type CellProblem } from './row-values.ts';

/**
 * What the PSP report importers share: driving the CSV table reader with a fixed header, a row
 * mapper that may emit two entries per row (gross and fee), and sniffing by header row.
 */
export type MultiRowMapper = (fields: readonly string[], line: number) => readonly ParsedEntry[] | Rejection;

export interface PspImportOptions {
  /** The PSP account the report belongs to (Stripe account id, PayPal merchant id); part of the id namespace. */
  readonly account?: string | null;
}

/** Parses a whole report; a row may yield two entries (gross and fee): rowsRead counts entries, recordsRead rows. */
export function parseReport(text: string, context: ImportContext, spec: Omit<TableSpec, 'fileName'>, compile: (header: TableHeader) => MultiRowMapper): ParseOutput {
  const entries: ParsedEntry[] = [];
  const rejected: Rejection[] = [];
  let mapper: MultiRowMapper | null = null;
  let records = 0;
  const reader = new CsvTableReader(
    { ...spec, fileName: context.fileName },
    {
      header: (header) => (mapper = compile(header)),
      row: (fields, line) => {
        assert(mapper !== null, 'rows come after the header');
        records++;
        const result = mapper(fields, line);
        if ('code' in result) rejected.push(result);
        else for (const entry of result) entries.push(entry);
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
        rejected.push({ line, column: null, code: 'row_before_header', reason: 'reads as a report row but stands above the header; move it below the header or delete it', raw: fields.join(',').slice(0, 200), statementIndex: null });
      },
    },
  );
  reader.push(text);
  reader.end();
  return { rowsRead: entries.length + rejected.length, recordsRead: records, entries, rejected, statements: [], issues: [] };
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
  return { line, column, code: problem.code, reason: problem.reason, raw: rowText(fields, header.delimiter) };
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

function minor(amount: string, exponent: number): bigint {
  return BigInt(toMinorUnits(amount, exponent));
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
  const net = minor(input.net, exponent);
  if (minor(input.gross, exponent) - minor(input.fee, exponent) !== net) {
    return {
      problem: { code: 'field_invalid', reason: `${columns.gross} ${input.gross} - ${columns.fee} ${input.fee} != ${columns.net} ${input.net}` },
      column: columns.net,
    };
  }
  const entries: ParsedEntry[] = [{ ...base, kind: input.kind, amount: input.gross, identity: { by: 'reference', namespace: input.namespace, reference: input.reference } }];
  if (!isZeroDecimal(input.fee)) {
    entries.push({ ...base, kind: 'fee', amount: negateDecimal(input.fee), identity: { by: 'reference', namespace: input.namespace, reference: `${input.reference}:fee` } });
  }
  const emitted = entries.reduce((total, entry) => total + minor(entry.amount, exponent), 0n);
  assert(emitted === net, 'gross and fee entries sum to the reported net', { reference: input.reference, net: input.net });
  return entries;
}
