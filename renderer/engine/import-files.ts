import { SettleDeskError } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash/sha256.ts';
import { parseCsvProfile } from '../../core/importers/csv-profile.ts';
import { createCsvImportStream } from '../../core/importers/csv-stream.ts';
import { IMPORTERS } from '../../core/importers/registry.ts';
import { createStreamDecoder, decodeForImport, type TextEncodingName } from '../../core/ingest/decode.ts';
import { assertImportSize, detectFormat, importFile, pseudonymizer } from '../../core/ingest/import-file.ts';
import type { ImportContext } from '../../core/ingest/importer.ts';
import { contentOf, ImportAccumulator, type KnownTransaction } from '../../core/ingest/pipeline.ts';
import type { ImportResult, Rejection } from '../../core/ingest/result.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import type { FileInput, FileOutcome, ImportBatchResult, KnownRow, ProgressSink } from './protocol.ts';
import { isZipName, unpackZip } from './zip.ts';

/**
 * Imports files through core's importers, one after the other: a zip is unpacked first and each
 * member imported (or refused with its reason) as a file of its own; a file of a known format is
 * imported, a generic CSV without a profile waits for the mapping wizard, and a file that cannot
 * be read at all is refused with its typed error. Ids of earlier files (and of the workspace)
 * count, so a row seen before is a duplicate or a conflict. Progress (rows, bytes, rows/s) is
 * reported after each file, and while a CSV read through a profile is parsed, slice by slice.
 */
const SNIFF_CHARS = 8192;
/** Bytes of a profiled CSV decoded and parsed between two progress reports. */
export const CSV_SLICE_BYTES = 1024 * 1024;

export type Clock = () => number;

type Known = Map<string, KnownTransaction>;

function knownMap(rows: readonly KnownRow[]): Known {
  const known: Known = new Map();
  for (const row of rows) known.set(row.id, { line: row.line, sourceId: row.sourceId, content: contentOf(row) });
  return known;
}

/** True for a CSV no importer recognizes by its header: only a mapping profile can read it. */
function needsProfile(file: FileInput): boolean {
  const decoded = decodeForImport(file.bytes, file.name, 'auto');
  return detectFormat(IMPORTERS, decoded.text.slice(0, SNIFF_CHARS), file.name) === 'csv';
}

/**
 * A generic CSV through its profile, streamed in slices (core's CsvImportStream and the shared
 * ImportAccumulator): the same rows, ids and rejections as importFile, with progress as it goes.
 */
function importProfiledCsv(file: FileInput, profileInput: unknown, known: Known, onRead: (rows: number, bytes: number) => void): ImportResult {
  assertImportSize(file.bytes.length, file.name, 'streamed');
  const profile = parseCsvProfile(profileInput);
  const context: ImportContext = { fileName: file.name, sha256: sha256Hex(file.bytes), pseudonymize: pseudonymizer({ mode: 'off' }) };
  const transactions: CanonicalTransaction[] = [];
  const rejected: Rejection[] = [];
  const accumulator = new ImportAccumulator(known, context, 'csv', (transaction) => transactions.push(transaction));
  let bytesRead = 0;
  const stream = createCsvImportStream(profile, context, {
    onBatch: (batch) => {
      for (const entry of batch.entries) accumulator.add(entry);
      for (const rejection of batch.rejected) rejected.push(rejection);
    },
    onProgress: ({ rows }) => onRead(rows, bytesRead),
  });
  const decoder = createStreamDecoder(file.name, profile.encoding as TextEncodingName | 'auto');
  for (let offset = 0; offset < file.bytes.length; offset += CSV_SLICE_BYTES) {
    const end = Math.min(offset + CSV_SLICE_BYTES, file.bytes.length);
    bytesRead = end;
    stream.push(decoder.decode(file.bytes.subarray(offset, end), end === file.bytes.length));
  }
  const summary = stream.end();
  const { imported: _imported, ...account } = accumulator.finish({ rowsRead: summary.rowsRead, rejected, statements: [], issues: [] }, file.bytes.length);
  return { ...account, transactions };
}

function importOne(file: FileInput, profile: unknown, known: Known, onRead: (rows: number, bytes: number) => void): FileOutcome {
  try {
    if (profile === undefined && needsProfile(file)) return { status: 'needs-profile', name: file.name };
    const result =
      profile === undefined
        ? importFile(IMPORTERS, file.bytes, file.name, { format: 'auto', pseudonymization: { mode: 'off' }, knownIds: known })
        : importProfiledCsv(file, profile, known, onRead);
    for (const tx of result.transactions) known.set(tx.id, { line: tx.source.line, sourceId: tx.source.sourceId, content: contentOf(tx) });
    return {
      status: 'imported',
      name: file.name,
      format: result.file.format,
      sha256: result.file.sha256,
      sizeBytes: result.file.sizeBytes,
      rowsRead: result.rowsRead,
      entriesRead: result.entriesRead,
      rejected: result.rejected,
      duplicates: result.duplicates,
      conflicts: result.conflicts,
      issues: result.issues,
      statements: result.statements,
      transactions: result.transactions,
    };
  } catch (error) {
    if (error instanceof SettleDeskError) return { status: 'failed', name: file.name, code: error.code, message: error.message, details: error.details };
    throw error;
  }
}

/** The request's files with every zip replaced by its members; what a zip could not give is a refused file. */
function expanded(files: readonly FileInput[]): { readonly files: FileInput[]; readonly refused: FileOutcome[]; readonly members: ReadonlySet<string> } {
  const out: FileInput[] = [];
  const refused: FileOutcome[] = [];
  const members = new Set<string>();
  for (const file of files) {
    if (!isZipName(file.name)) {
      out.push(file);
      continue;
    }
    const unpacked = unpackZip(file);
    for (const member of unpacked.members) {
      out.push(member);
      members.add(member.name);
    }
    for (const refusal of unpacked.refused) refused.push({ status: 'failed', ...refusal });
    if (unpacked.failure !== null) refused.push({ status: 'failed', name: file.name, code: unpacked.failure.code, message: unpacked.failure.message });
    else if (unpacked.members.length === 0 && unpacked.refused.length === 0) refused.push({ status: 'failed', name: file.name, code: 'zip_empty', message: `${file.name}: the archive holds no files` });
  }
  return { files: out, refused, members };
}

export function importFiles(input: { readonly files: readonly FileInput[]; readonly profiles: Readonly<Record<string, unknown>>; readonly known: readonly KnownRow[] }, progress: ProgressSink, clock: Clock): ImportBatchResult {
  const started = clock();
  const known = knownMap(input.known);
  const { files: toImport, refused, members } = expanded(input.files);
  const files: FileOutcome[] = [...refused];
  const bytesTotal = toImport.reduce((sum, file) => sum + file.bytes.length, 0);
  let rows = 0;
  let bytesDone = 0;
  const report = (file: string, filesDone: number, rowsNow: number, bytesNow: number) => {
    const elapsedMs = Math.max(clock() - started, 1);
    progress({ file, filesDone, filesTotal: toImport.length, rows: rowsNow, rowsPerSecond: Math.round((rowsNow * 1000) / elapsedMs), bytes: bytesNow, bytesTotal });
  };
  toImport.forEach((file, index) => {
    const outcome = importOne(file, input.profiles[file.name], known, (fileRows, fileBytes) => report(file.name, index, rows + fileRows, bytesDone + fileBytes));
    // A zip member waiting for its profile carries its bytes: the wizard has no other way to read it.
    files.push(outcome.status === 'needs-profile' && members.has(file.name) ? { ...outcome, bytes: file.bytes } : outcome);
    if (outcome.status === 'imported') rows += outcome.rowsRead;
    bytesDone += file.bytes.length;
    report(file.name, index + 1, rows, bytesDone);
  });
  return { files, rows, elapsedMs: clock() - started };
}
