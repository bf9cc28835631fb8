import { assert } from '../assert.ts';
import type { ImportContext, ParsedEntry } from '../ingest/importer.ts';
import type { Rejection } from '../ingest/result.ts';
import { parseCsvProfile, requiredColumnsOf, type CsvProfileInput } from './csv-profile.ts';
import { CsvTableReader } from './csv-table.ts';
import { compileProfileMapper, MappedRowSink } from './csv.ts';

/**
 * Chunked CSV import: text arrives in pieces (a file read in slices, a Web Worker message per
 * chunk) and leaves as batches of at most `batchRowsMax` rows, so memory stays bounded by one
 * batch plus one partial row whatever the file size. The rows are exactly those of a one-shot
 * parse: both go through the same CsvTableReader and profile mapper.
 */
export interface CsvBatch {
  readonly entries: ParsedEntry[];
  readonly rejected: Rejection[];
}

export interface CsvProgress {
  /** Data rows read so far (entries + rejected). */
  readonly rows: number;
  /** UTF-8 bytes of text pushed so far. */
  readonly bytes: number;
}

export interface CsvStreamHandlers {
  readonly onBatch: (batch: CsvBatch) => void;
  readonly onProgress?: (progress: CsvProgress) => void;
}

export interface CsvStreamSummary {
  readonly rowsRead: number;
  readonly entries: number;
  readonly rejected: number;
  readonly bytes: number;
}

export const BATCH_ROWS_DEFAULT = 10_000;
export const BATCH_ROWS_MAX = 1_000_000;

const NON_ASCII = /[^\u0000-\u007f]+/g; // eslint-disable-line no-control-regex -- the ASCII range starts at NUL

/**
 * UTF-8 length of text arriving in chunks, without encoding it (a lone surrogate counts 3, as
 * TextEncoder writes U+FFFD). A chunk may end between the two halves of a surrogate pair; the
 * high half waits for the next chunk so the pair counts 4.
 */
export class Utf8Counter {
  private bytes = 0;
  private pendingHigh = false;

  add(text: string): void {
    let start = 0;
    if (this.pendingHigh && text.length > 0) {
      this.pendingHigh = false;
      const next = text.charCodeAt(0);
      const pairs = next >= 0xdc00 && next <= 0xdfff;
      this.bytes += pairs ? 4 : 3;
      start = pairs ? 1 : 0;
    }
    // Every character counts one byte; runs of non-ASCII text (found by the regex engine, fast on
    // mostly-ASCII files) add what their UTF-8 form needs beyond that.
    this.bytes += text.length - start;
    NON_ASCII.lastIndex = start;
    for (let match = NON_ASCII.exec(text); match !== null; match = NON_ASCII.exec(text)) {
      const run = match[0];
      const runEnd = match.index + run.length;
      for (let index = 0; index < run.length; index++) {
        const code = run.charCodeAt(index);
        if (code < 0x800) this.bytes += 1;
        else if (code >= 0xd800 && code <= 0xdbff && index + 1 < run.length && run.charCodeAt(index + 1) >= 0xdc00 && run.charCodeAt(index + 1) <= 0xdfff) {
          this.bytes += 2;
          index++;
        } else if (code >= 0xd800 && code <= 0xdbff && index + 1 === run.length && runEnd === text.length) {
          this.bytes -= 1;
          this.pendingHigh = true;
        } else this.bytes += 2;
      }
    }
  }

  /** Bytes so far, a dangling high surrogate counted as the replacement it would encode to. */
  total(): number {
    return this.bytes + (this.pendingHigh ? 3 : 0);
  }
}

export function utf8Length(text: string): number {
  const counter = new Utf8Counter();
  counter.add(text);
  return counter.total();
}

export class CsvImportStream {
  private readonly reader: CsvTableReader;
  private readonly sink: MappedRowSink;
  private entries: ParsedEntry[] = [];
  private rejected: Rejection[] = [];
  private entryCount = 0;
  private rejectedCount = 0;
  private readonly counter = new Utf8Counter();
  private ended = false;

  constructor(
    profileInput: CsvProfileInput,
    context: ImportContext,
    private readonly handlers: CsvStreamHandlers,
    private readonly batchRowsMax: number = BATCH_ROWS_DEFAULT,
  ) {
    assert(Number.isInteger(batchRowsMax) && batchRowsMax >= 1 && batchRowsMax <= BATCH_ROWS_MAX, 'batchRowsMax is an integer in range', { batchRowsMax });
    const profile = parseCsvProfile(profileInput);
    this.sink = new MappedRowSink((header) => compileProfileMapper(profile, header, context), {
      entry: (entry) => {
        this.entries.push(entry);
        this.entryCount++;
        if (this.entries.length + this.rejected.length >= this.batchRowsMax) this.flush();
      },
      reject: (rejection) => {
        this.rejected.push(rejection);
        this.rejectedCount++;
        if (this.entries.length + this.rejected.length >= this.batchRowsMax) this.flush();
      },
    });
    this.reader = new CsvTableReader(
      { fileName: context.fileName, delimiter: profile.delimiter, requiredColumns: requiredColumnsOf(profile), headerSearchRowsMax: profile.headerSearchRowsMax },
      this.sink,
    );
  }

  push(chunk: string): void {
    assert(!this.ended, 'push() after end()');
    this.counter.add(chunk);
    this.reader.push(chunk);
    this.handlers.onProgress?.({ rows: this.sink.rowsRead, bytes: this.counter.total() });
  }

  /** Parses what is left, emits the last batch and returns the row account. */
  end(): CsvStreamSummary {
    assert(!this.ended, 'end() is called once');
    this.ended = true;
    this.reader.end();
    this.flush();
    this.handlers.onProgress?.({ rows: this.sink.rowsRead, bytes: this.counter.total() });
    assert(this.sink.rowsRead === this.entryCount + this.rejectedCount, 'every streamed row is an entry or a rejection', {
      rowsRead: this.sink.rowsRead,
      entries: this.entryCount,
      rejected: this.rejectedCount,
    });
    return { rowsRead: this.sink.rowsRead, entries: this.entryCount, rejected: this.rejectedCount, bytes: this.counter.total() };
  }

  private flush(): void {
    if (this.entries.length === 0 && this.rejected.length === 0) return;
    const batch: CsvBatch = { entries: this.entries, rejected: this.rejected };
    this.entries = [];
    this.rejected = [];
    this.handlers.onBatch(batch);
  }
}

export function createCsvImportStream(profile: CsvProfileInput, context: ImportContext, handlers: CsvStreamHandlers, batchRowsMax: number = BATCH_ROWS_DEFAULT): CsvImportStream {
  return new CsvImportStream(profile, context, handlers, batchRowsMax);
}
