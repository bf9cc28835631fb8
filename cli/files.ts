import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { detectFormat } from '../core/ingest/import-file.ts';
import { IMPORTERS } from '../core/importers/registry.ts';
import { InputFileError } from './errors.ts';

/** 1 MiB: a million-row import ran ~6 % faster than with 4 MiB chunks (the window stays in cache, and less memory is touched). */
const CHUNK_BYTES = 1024 * 1024;
const SNIFF_BYTES = 8192;

/** Turns "missing" and "is a directory" into typed errors that name the file. */
export function checkInputFile(file: string): void {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw new InputFileError('file_missing', `${file}: no such file`, file);
  }
  if (!stats.isFile()) throw new InputFileError('file_unreadable', `${file}: not a regular file`, file);
}

/** Reads a file whole, after checkInputFile. */
export function readInputFile(file: string): Uint8Array {
  checkInputFile(file);
  try {
    return new Uint8Array(readFileSync(file));
  } catch (error) {
    throw new InputFileError('file_unreadable', `${file}: cannot be read (${(error as Error).message})`, file);
  }
}

/** A file, or every file in a directory (sorted, not recursive, hidden files skipped). */
export function expandInputs(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    let stats;
    try {
      stats = statSync(input);
    } catch {
      throw new InputFileError('file_missing', `${input}: no such file or directory`, input);
    }
    if (!stats.isDirectory()) return [input];
    return readdirSync(input)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => path.join(input, name))
      .filter((file) => statSync(file).isFile());
  });
}

/** The format a file will be read as: named, or sniffed from its first bytes (leniently decoded: sniffing only). */
export function sniffFormat(file: string, named: string): string | null {
  if (named !== 'auto') return named;
  const descriptor = openSync(file, 'r');
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    const read = readSync(descriptor, head, 0, SNIFF_BYTES, 0);
    return detectFormat(IMPORTERS, new TextDecoder('utf-8').decode(head.subarray(0, read)), file);
  } finally {
    closeSync(descriptor);
  }
}

/** Visits a file's bytes in chunks of one reused buffer: a visitor keeps a copy of what it needs. */
export function forEachChunk(file: string, visit: (chunk: Uint8Array) => void, chunkBytes: number = CHUNK_BYTES): void {
  const descriptor = openSync(file, 'r');
  try {
    const buffer = new Uint8Array(chunkBytes);
    for (;;) {
      const read = readSync(descriptor, buffer, 0, chunkBytes, null);
      if (read === 0) break;
      visit(buffer.subarray(0, read));
    }
  } finally {
    closeSync(descriptor);
  }
}

/** A file's bytes in fresh chunks, each marked when it is the last (an empty file gives one empty last chunk). */
export function* readChunks(file: string, chunkBytes: number = CHUNK_BYTES): Generator<{ readonly bytes: Uint8Array; readonly last: boolean }> {
  const descriptor = openSync(file, 'r');
  try {
    const next = (): Uint8Array => {
      const buffer = new Uint8Array(chunkBytes);
      return buffer.subarray(0, readSync(descriptor, buffer, 0, chunkBytes, null));
    };
    let current = next();
    for (;;) {
      const following = current.length === 0 ? current : next();
      const last = following.length === 0;
      yield { bytes: current, last };
      if (last) return;
      current = following;
    }
  } finally {
    closeSync(descriptor);
  }
}
