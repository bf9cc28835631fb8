import Papa from 'papaparse';
import { assert } from '../assert.ts';
import { FileImportError } from '../ingest/errors.ts';
import type { Rejection } from '../ingest/result.ts';
import { CSV_DELIMITERS, type CsvDelimiter } from './csv-profile.ts';

/**
 * Reads delimited text incrementally into header + data rows, with each row's physical line
 * number (counting preamble, header and newlines inside quoted fields). Tokenizing is papaparse's
 * low-level `Papa.Parser`, called with `ignoreLastRow` while more text may follow, so a row split
 * across chunks is parsed exactly as in one piece: the one-shot importers and the streaming API
 * share this reader and therefore give identical rows.
 */
export interface TableHeader {
  /** Header cells, trimmed, as written in the file. */
  readonly names: readonly string[];
  readonly line: number;
  readonly delimiter: CsvDelimiter;
  /** Index of a column by name (trimmed, case-insensitive), or -1. */
  indexOf(name: string): number;
}

export interface TableSink {
  header(header: TableHeader): void;
  /** A data row with the header's column count. */
  row(fields: string[], line: number): void;
  /** A row the reader itself refused (column count, malformed quotes). */
  reject(rejection: Rejection): void;
  /**
   * A row above the header with the header's column count, passed once the header is known: the
   * sink rejects it if it reads as data (a row pasted above the header is money, not preamble),
   * and ignores it otherwise.
   */
  beforeHeader?(fields: string[], line: number): void;
}

export interface TableSpec {
  readonly fileName: string;
  readonly delimiter: CsvDelimiter | 'auto';
  /** The header row is the first row containing all of these (trimmed, case-insensitive). */
  readonly requiredColumns: readonly string[];
  readonly headerSearchRowsMax: number;
}

/** A partial row longer than this while streaming is refused rather than buffered without bound. */
export const PARTIAL_ROW_CHARS_MAX = 4 * 1024 * 1024;
const DRAIN_SLICE_CHARS = 64 * 1024;
/** Text examined for the header before giving up waiting for more rows. */
const HEAD_CHARS_MAX = 1024 * 1024;
export const RAW_TEXT_CHARS_MAX = 200;

type Newline = '\n' | '\r\n' | '\r';

function normalizeName(name: string): string {
  return (name.charCodeAt(0) === 0xfeff ? name.slice(1) : name).trim().toLowerCase();
}

/** The row as CSV text again (quoted where needed), shortened for rejection reports. */
export function rowText(fields: readonly string[], delimiter: string): string {
  const text = fields
    .map((field) => (field.includes(delimiter) || field.includes('"') || field.includes('\n') || field.includes('\r') ? `"${field.replace(/"/g, '""')}"` : field))
    .join(delimiter);
  return text.length > RAW_TEXT_CHARS_MAX ? `${text.slice(0, RAW_TEXT_CHARS_MAX)}…` : text;
}

function makeHeader(cells: readonly string[], line: number, delimiter: CsvDelimiter): TableHeader {
  const names = cells.map((cell) => (cell.charCodeAt(0) === 0xfeff ? cell.slice(1) : cell).trim());
  const positions = new Map<string, number>();
  names.forEach((name, index) => {
    const key = name.toLowerCase();
    if (!positions.has(key)) positions.set(key, index);
  });
  return { names, line, delimiter, indexOf: (name) => positions.get(normalizeName(name)) ?? -1 };
}

function countMatches(cells: readonly string[], required: ReadonlySet<string>): number {
  let matches = 0;
  const seen = new Set<string>();
  for (const cell of cells) {
    const name = normalizeName(cell);
    if (required.has(name) && !seen.has(name)) {
      seen.add(name);
      matches++;
    }
  }
  return matches;
}

function detectNewline(text: string, final: boolean): Newline | null {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr !== -1 && (lf === -1 || cr < lf)) {
    if (cr === text.length - 1 && !final) return null;
    return text.charCodeAt(cr + 1) === 10 ? '\r\n' : '\r';
  }
  if (lf !== -1) return '\n';
  return final ? '\n' : null;
}

interface Start {
  readonly delimiter: CsvDelimiter;
  readonly headerRowIndex: number;
}

export class CsvTableReader {
  private buffer = '';
  private parser: Papa.Parser | null = null;
  private newline: Newline = '\n';
  /** The character counted as a physical line break inside fields. */
  private breakChar = '\n';
  private delimiter: CsvDelimiter = ',';
  private rowsBeforeHeader = 0;
  /** Rows above the header, kept until it is found (at most headerSearchRowsMax). */
  private readonly preamble: Array<{ readonly fields: string[]; readonly line: number }> = [];
  private header: TableHeader | null = null;
  /** A CR that ended the last slice, held until the next shows whether an LF follows (see normalized()). */
  private heldCarriageReturn = false;
  private nextLine = 1;
  private ended = false;
  private readonly required: ReadonlySet<string>;

  constructor(
    private readonly spec: TableSpec,
    private readonly sink: TableSink,
  ) {
    assert(spec.requiredColumns.length > 0, 'a table needs at least one required column');
    this.required = new Set(spec.requiredColumns.map(normalizeName));
  }

  push(chunk: string): void {
    assert(!this.ended, 'no text after end()');
    // Large chunks are tokenized in slices so that one slice's rows are mapped and released
    // while still in V8's young generation (measured: 64 KiB slices cut CPU time by ~25 %).
    for (let at = 0; at < chunk.length; at += DRAIN_SLICE_CHARS) {
      const slice = chunk.length <= DRAIN_SLICE_CHARS ? chunk : chunk.slice(at, at + DRAIN_SLICE_CHARS);
      this.buffer += this.parser === null ? slice : this.normalized(slice, false);
      if (this.parser === null && !this.start(false)) continue;
      this.drain(false);
    }
  }

  end(): void {
    assert(!this.ended, 'end() is called once');
    this.ended = true;
    if (this.parser === null) this.start(true);
    else this.buffer += this.normalized('', true);
    this.drain(true);
  }

  /**
   * Text as the parser reads it: every CR LF as LF, unless the file breaks lines with a lone CR.
   * Each character passes here once, in order (a CR at a slice's end is held for the next slice,
   * where it may meet its LF), so any cut of the file gives the text one pass over it would:
   * "\r\r\n" becomes "\r\n" whether or not a cut falls inside it, and never "\n".
   */
  private normalized(text: string, final: boolean): string {
    if (this.newline === '\r') return text;
    let whole = text;
    if (this.heldCarriageReturn) {
      whole = `\r${whole}`;
      this.heldCarriageReturn = false;
    }
    if (!final && whole.endsWith('\r')) {
      whole = whole.slice(0, -1);
      this.heldCarriageReturn = true;
    }
    return whole.indexOf('\r\n') === -1 ? whole : whole.replace(/\r\n/g, '\n');
  }

  /** Chooses newline, delimiter and header row; false while more text is needed to decide. */
  private start(final: boolean): boolean {
    if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
    if (final && this.buffer.trim().length === 0) {
      throw new FileImportError('file_empty', `${this.spec.fileName}: the file is empty`, { file: this.spec.fileName }, { says: 'file_empty' });
    }
    const newline = detectNewline(this.buffer, final);
    if (newline === null) {
      this.guardHead();
      return false;
    }
    const candidates: readonly CsvDelimiter[] = this.spec.delimiter === 'auto' ? CSV_DELIMITERS : [this.spec.delimiter];
    let best: { cells: readonly string[]; matches: number } = { cells: [], matches: -1 };
    let rowsSeen = 0;
    for (const delimiter of candidates) {
      const parsed = new Papa.Parser({ delimiter, newline, quoteChar: '"' }).parse(this.buffer, 0, !final) as { data: string[][] };
      const rows = parsed.data.slice(0, this.spec.headerSearchRowsMax);
      rowsSeen = Math.max(rowsSeen, parsed.data.length);
      for (let index = 0; index < rows.length; index++) {
        const cells = rows[index] ?? [];
        const matches = countMatches(cells, this.required);
        if (matches === this.required.size) return this.begin(newline, { delimiter, headerRowIndex: index }, final);
        if (matches > best.matches) best = { cells, matches };
      }
    }
    if (!final && rowsSeen < this.spec.headerSearchRowsMax && this.buffer.length < HEAD_CHARS_MAX) return false;
    const found = new Set(best.cells.map(normalizeName));
    const missing = this.spec.requiredColumns.filter((name) => !found.has(normalizeName(name))).map((name) => JSON.stringify(name)).join(', ');
    const rowsMax = String(this.spec.headerSearchRowsMax);
    throw new FileImportError(
      'file_format_mismatch',
      `${this.spec.fileName}: no header row with the expected columns in the first ${rowsMax} rows; missing ${missing}`,
      { file: this.spec.fileName },
      { says: 'header_not_found', rowsMax, missing },
    );
  }

  private begin(newline: Newline, start: Start, final: boolean): true {
    this.newline = newline;
    this.breakChar = newline === '\r' ? '\r' : '\n';
    this.delimiter = start.delimiter;
    this.rowsBeforeHeader = start.headerRowIndex;
    // CR LF is read as LF (see normalized()): a file that mixes CR LF and LF lines then splits at
    // every line, instead of joining an LF line to the next row.
    this.parser = new Papa.Parser({ delimiter: start.delimiter, newline: newline === '\r' ? '\r' : '\n', quoteChar: '"' });
    this.buffer = this.normalized(this.buffer, final);
    return true;
  }

  private guardHead(): void {
    if (this.buffer.length > HEAD_CHARS_MAX) {
      const said = { says: 'no_line_break', charsMax: String(HEAD_CHARS_MAX) };
      throw new FileImportError('file_format_mismatch', `${this.spec.fileName}: no line break in the first ${HEAD_CHARS_MAX} characters; not a delimited text file`, { file: this.spec.fileName }, said);
    }
  }

  /** Newlines inside a row's quoted fields: each one moves the next row down a physical line. */
  private embeddedLines(fields: readonly string[]): number {
    let count = 0;
    for (const field of fields) {
      let at = field.indexOf(this.breakChar);
      while (at !== -1) {
        count++;
        at = field.indexOf(this.breakChar, at + 1);
      }
    }
    return count;
  }

  private drain(final: boolean): void {
    const parser = this.parser;
    assert(parser !== null, 'drain after start');
    const input = this.buffer;
    const result = parser.parse(input, 0, !final) as {
      data: string[][];
      errors: Array<{ code: string; row: number; message: string }>;
      meta: { cursor: number };
    };
    // A field can hold a line break only inside quotes, or as a lone \n in a \r\n file.
    const mayHoldBreaks = input.indexOf('"') !== -1;
    const badRows = new Map<number, { readonly code: string; readonly message: string }>();
    let unterminatedRow = -1;
    for (const error of result.errors) {
      if (error.code === 'MissingQuotes') unterminatedRow = error.row;
      else if (error.row < result.data.length && !badRows.has(error.row)) badRows.set(error.row, error);
    }
    const rows = result.data;
    for (let index = 0; index < rows.length; index++) {
      const fields = rows[index] as string[];
      const line = this.nextLine;
      if (index === unterminatedRow) this.unterminatedQuote(line);
      this.nextLine += mayHoldBreaks ? 1 + this.embeddedLines(fields) : 1;
      if (this.header === null) {
        this.beforeData(fields, line);
        continue;
      }
      if (fields.length === 1 && (fields[0] as string).trim().length === 0) continue;
      const problem = badRows.get(index);
      if (problem !== undefined) {
        // Papa Parse's one quoting error inside a row is said by a code; another keeps its words.
        const said = problem.code === 'InvalidQuotes' ? { says: 'quote_invalid', params: {} } : {};
        this.sink.reject({ line, column: null, code: 'record_malformed', reason: `malformed quoting: ${problem.message}`, raw: rowText(fields, this.delimiter), ...said });
      } else if (fields.length !== this.header.names.length) {
        this.sink.reject({
          line,
          column: null,
          code: 'column_count',
          reason: `expected ${this.header.names.length} columns as in the header on line ${this.header.line}, found ${fields.length}`,
          says: 'column_count',
          params: { expected: String(this.header.names.length), headerLine: String(this.header.line), found: String(fields.length) },
          raw: rowText(fields, this.delimiter),
        });
      } else {
        this.sink.row(fields, line);
      }
    }
    this.buffer = final ? '' : input.slice(result.meta.cursor);
    if (this.buffer.length > PARTIAL_ROW_CHARS_MAX) {
      const said = { says: 'row_too_long', line: String(this.nextLine), charsMax: String(PARTIAL_ROW_CHARS_MAX) };
      throw new FileImportError('field_too_long', `${this.spec.fileName}: a row starting on line ${this.nextLine} is longer than ${PARTIAL_ROW_CHARS_MAX} characters`, { file: this.spec.fileName, line: this.nextLine }, said);
    }
  }

  private beforeData(fields: string[], line: number): void {
    if (this.rowsBeforeHeader > 0) {
      this.rowsBeforeHeader--;
      this.preamble.push({ fields, line });
      return;
    }
    const header = makeHeader(fields, line, this.delimiter);
    this.checkRequiredOnce(header);
    this.header = header;
    this.sink.header(header);
    for (const row of this.preamble.splice(0)) if (row.fields.length === header.names.length) this.sink.beforeHeader?.(row.fields, row.line);
  }

  /** A column the profile reads that the header names twice would be read from a guessed one of them. */
  private checkRequiredOnce(header: TableHeader): void {
    for (const required of this.spec.requiredColumns) {
      const key = normalizeName(required);
      const positions = header.names.flatMap((name, index) => (normalizeName(name) === key ? [index + 1] : []));
      if (positions.length > 1) {
        const said = { says: 'column_named_twice', line: String(header.line), name: required, count: String(positions.length), columns: positions.slice(0, -1).join(', '), last: String(positions.at(-1)) };
        throw new FileImportError(
          'header_column_ambiguous',
          `${this.spec.fileName}: the header on line ${header.line} names ${JSON.stringify(required)} ${positions.length} times (columns ${said.columns} and ${said.last}); the profile cannot tell which to read: rename one of them or map the other column`,
          { file: this.spec.fileName, line: header.line, column: positions[1] },
          said,
        );
      }
    }
  }

  private unterminatedQuote(line: number): never {
    throw new FileImportError(
      'file_malformed',
      `${this.spec.fileName}: a quoted field in the row starting on line ${line} is never closed; everything after it would be one field`,
      { file: this.spec.fileName, line },
      { says: 'quote_unterminated', line: String(line) },
    );
  }
}
