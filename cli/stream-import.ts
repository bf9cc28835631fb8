import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createStreamDecoder, type TextEncodingName } from '../core/ingest/decode.ts';
import { pseudonymizer, type Pseudonymization } from '../core/ingest/import-file.ts';
import type { ImportContext } from '../core/ingest/importer.ts';
import { EntryIdentifier, possibleDuplicateIssues, type KnownTransaction } from '../core/ingest/pipeline.ts';
import type { Duplicate, ImportResult, Rejection } from '../core/ingest/result.ts';
import { parseCsvProfile, type CsvProfileInput } from '../core/importers/csv-profile.ts';
import { createCsvImportStream } from '../core/importers/csv-stream.ts';
import type { Progress } from './progress.ts';

const CHUNK_BYTES = 4 * 1024 * 1024;

function forEachChunk(file: string, visit: (chunk: Uint8Array, last: boolean) => void): void {
  const descriptor = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    const buffer = new Uint8Array(CHUNK_BYTES);
    let position = 0;
    while (position < size) {
      const read = readSync(descriptor, buffer, 0, CHUNK_BYTES, position);
      if (read === 0) break;
      position += read;
      visit(buffer.subarray(0, read), position >= size);
    }
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Imports a generic CSV in bounded memory: a first pass hashes the file (its SHA-256 is its
 * identity), a second decodes and parses it in 4 MiB chunks through the core streaming importer.
 * Transactions are counted, not kept: memory holds one batch and the set of ids seen.
 */
export function streamCsvImport(
  file: string,
  profileInput: unknown,
  encoding: TextEncodingName | 'auto',
  policy: Pseudonymization,
  known: Map<string, KnownTransaction>,
  progress: Progress,
): Omit<ImportResult, 'transactions'> & { readonly imported: number } {
  const profile = parseCsvProfile(profileInput as CsvProfileInput);
  const hash = createHash('sha256');
  forEachChunk(file, (chunk) => hash.update(chunk));
  const sha256 = hash.digest('hex');
  const context: ImportContext = { fileName: file, sha256, pseudonymize: pseudonymizer(policy) };
  const identifier = new EntryIdentifier({ shared: known }, context, 'csv');
  const rejected: Rejection[] = [];
  const duplicates: Duplicate[] = [];
  let imported = 0;
  const stream = createCsvImportStream(profile, context, {
    onBatch: (batch) => {
      for (const entry of batch.entries) {
        const { id, duplicateOf } = identifier.idOf(entry);
        if (duplicateOf === null) imported++;
        else duplicates.push({ line: entry.line, id, duplicateOf });
      }
      rejected.push(...batch.rejected);
    },
    onProgress: ({ rows, bytes }) => progress.update(rows, bytes),
  });
  const decoder = createStreamDecoder(file, encoding === 'auto' ? (profile.encoding as TextEncodingName | 'auto') : encoding);
  forEachChunk(file, (chunk, last) => stream.push(decoder.decode(chunk, last)));
  const summary = stream.end();
  progress.done();
  const possibleDuplicates = identifier.possibleDuplicates();
  return {
    file: { fileName: file, sha256, sizeBytes: statSync(file).size, format: 'csv' },
    rowsRead: summary.rowsRead,
    entriesRead: summary.rowsRead,
    imported,
    rejected,
    duplicates,
    possibleDuplicates,
    statements: [],
    issues: possibleDuplicateIssues(possibleDuplicates),
  };
}
