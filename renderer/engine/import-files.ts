import { SettleDeskError } from '../../core/errors.ts';
import { IMPORTERS } from '../../core/importers/registry.ts';
import { decodeForImport } from '../../core/ingest/decode.ts';
import { detectFormat, importFile } from '../../core/ingest/import-file.ts';
import { contentOf, type KnownTransaction } from '../../core/ingest/pipeline.ts';
import type { FileInput, FileOutcome, ImportBatchResult, KnownRow, ProgressSink } from './protocol.ts';

/**
 * Imports files through core's importers, one after the other, reporting progress after each
 * file: a file of a known format is imported, a generic CSV without a profile waits for the
 * mapping wizard, and a file that cannot be read at all is refused with its typed error. Ids of
 * earlier files (and of the workspace) count, so a row seen before is a duplicate or a conflict.
 */
const SNIFF_CHARS = 8192;

export type Clock = () => number;

function knownMap(rows: readonly KnownRow[]): Map<string, KnownTransaction> {
  const known = new Map<string, KnownTransaction>();
  for (const row of rows) known.set(row.id, { line: row.line, sourceId: row.sourceId, content: contentOf(row) });
  return known;
}

/** True for a CSV no importer recognizes by its header: only a mapping profile can read it. */
function needsProfile(file: FileInput): boolean {
  const decoded = decodeForImport(file.bytes, file.name, 'auto');
  return detectFormat(IMPORTERS, decoded.text.slice(0, SNIFF_CHARS), file.name) === 'csv';
}

function importOne(file: FileInput, profile: unknown, known: Map<string, KnownTransaction>): FileOutcome {
  if (/\.zip$/i.test(file.name)) return { status: 'failed', name: file.name, code: 'zip_unsupported', message: `${file.name}: zip archives are not read yet; unpack it and import the files or the folder` };
  try {
    if (profile === undefined && needsProfile(file)) return { status: 'needs-profile', name: file.name };
    const options = profile === undefined ? { format: 'auto' as const } : { format: 'csv' as const, importerOptions: profile };
    const result = importFile(IMPORTERS, file.bytes, file.name, { ...options, pseudonymization: { mode: 'off' }, knownIds: known });
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
    if (error instanceof SettleDeskError) return { status: 'failed', name: file.name, code: error.code, message: error.message };
    throw error;
  }
}

export function importFiles(input: { readonly files: readonly FileInput[]; readonly profiles: Readonly<Record<string, unknown>>; readonly known: readonly KnownRow[] }, progress: ProgressSink, clock: Clock): ImportBatchResult {
  const started = clock();
  const known = knownMap(input.known);
  const files: FileOutcome[] = [];
  let rows = 0;
  for (const file of input.files) {
    const outcome = importOne(file, input.profiles[file.name], known);
    files.push(outcome);
    if (outcome.status === 'imported') rows += outcome.rowsRead;
    const elapsedMs = Math.max(clock() - started, 1);
    progress({ file: file.name, filesDone: files.length, filesTotal: input.files.length, rows, rowsPerSecond: Math.round((rows * 1000) / elapsedMs) });
  }
  return { files, rows, elapsedMs: clock() - started };
}
