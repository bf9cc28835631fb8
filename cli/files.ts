import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { detectFormat, FILE_BYTES_MAX } from '../core/ingest/import-file.ts';
import { parseJsonText } from '../core/importers/json-text.ts';
import { IMPORTERS } from '../core/importers/registry.ts';
import { SettleDeskError } from '../core/errors.ts';
import { InputFileError } from './errors.ts';

/** 1 MiB: a million-row import ran ~6 % faster than with 4 MiB chunks (the window stays in cache, and less memory is touched). */
const CHUNK_BYTES = 1024 * 1024;
const SNIFF_BYTES = 8192;
/**
 * Option files (--profile, --rules, --agreements, --fx-rates, --state, statements, the workspace key)
 * are read whole: 64 MiB is far above any real one (the ECB's full rate history is ~1.5 MB).
 */
export const OPTION_FILE_BYTES_MAX = 64 * 1024 * 1024;
/** A file read in chunks has no size limit: memory does not grow with it. */
const STREAMED_BYTES_MAX = Number.MAX_SAFE_INTEGER;

/** Why a path cannot be opened, as a typed error naming it: missing, a broken link or a loop, a directory, a device or FIFO. */
function unopenable(file: string, error: NodeJS.ErrnoException): InputFileError {
  if (error.code === 'ENOENT') {
    const dangling = (() => {
      try {
        return lstatSync(file).isSymbolicLink();
      } catch {
        return false;
      }
    })();
    return new InputFileError('file_missing', dangling ? `${file}: a symbolic link to a file that does not exist` : `${file}: no such file`, file);
  }
  if (error.code === 'ELOOP') return new InputFileError('file_unreadable', `${file}: a loop of symbolic links`, file);
  return new InputFileError('file_unreadable', `${file}: cannot be read (${error.code ?? error.message})`, file);
}

/**
 * Opens a regular file of at most `bytesMax` bytes. The path is checked with stat() before it is
 * opened (opening a FIFO would block until a writer comes), opened non-blocking, then checked
 * again on the descriptor, so a file swapped in between is caught; the size limit applies before
 * any byte is read. The caller closes the descriptor.
 */
function openRegularFile(file: string, bytesMax: number): { readonly descriptor: number; readonly sizeBytes: number } {
  let descriptor: number;
  try {
    if (!statSync(file).isFile()) throw notRegular(file);
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw unopenable(file, error as NodeJS.ErrnoException);
  }
  const stats = fstatSync(descriptor);
  const problem = !stats.isFile() ? notRegular(file) : stats.size > bytesMax ? new InputFileError('file_too_large', `${file}: ${stats.size} bytes is over the ${bytesMax}-byte limit for this file`, file) : null;
  if (problem !== null) {
    closeSync(descriptor);
    throw problem;
  }
  return { descriptor, sizeBytes: stats.size };
}

function withRegularFile<T>(file: string, bytesMax: number, use: (descriptor: number, sizeBytes: number) => T): T {
  const { descriptor, sizeBytes } = openRegularFile(file, bytesMax);
  try {
    return use(descriptor, sizeBytes);
  } finally {
    closeSync(descriptor);
  }
}

function notRegular(file: string): InputFileError {
  return new InputFileError('file_not_regular', `${file}: not a regular file (a directory, device or FIFO is not read)`, file);
}

/** Typed errors for a path that is missing, not a regular file, or over `bytesMax` (default none: a file that may be streamed). */
export function checkInputFile(file: string, bytesMax: number = STREAMED_BYTES_MAX): void {
  withRegularFile(file, bytesMax, () => undefined);
}

/** Reads a regular file whole, refused before reading when it is over `bytesMax` (default: the import limit). */
export function readInputFile(file: string, bytesMax: number = FILE_BYTES_MAX): Uint8Array {
  return withRegularFile(file, bytesMax, (descriptor, sizeBytes) => {
    const bytes = new Uint8Array(sizeBytes);
    let filled = 0;
    try {
      for (let read = -1; read !== 0 && filled < sizeBytes; filled += read) read = readSync(descriptor, bytes, filled, sizeBytes - filled, filled);
    } catch (error) {
      throw new InputFileError('file_unreadable', `${file}: cannot be read (${(error as Error).message})`, file);
    }
    return bytes.subarray(0, filled);
  });
}

/** An option file's text: a regular file under OPTION_FILE_BYTES_MAX, strict UTF-8. */
export function readOptionText(file: string): string {
  const bytes = readInputFile(file, OPTION_FILE_BYTES_MAX);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputFileError('file_encoding_invalid', `${file}: not valid UTF-8`, file);
  }
}

/**
 * Runs a check of an option file's content; an error that does not name its file yet is thrown
 * again naming it (what was wrong, and where inside, stays as the checker said).
 */
export function inOptionFile<T>(file: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof SettleDeskError) || error.location.file !== undefined) throw error;
    throw new SettleDeskError(error.code, `${file}: ${error.message}`, { ...error.location, file }, { ...error.details });
  }
}

/** An option file's JSON, with the line and column of a syntax error and a nesting limit. */
export function readOptionJson(file: string): unknown {
  return parseJsonText(readOptionText(file), file);
}

/**
 * A file, or every entry of a directory (sorted, not recursive, hidden entries and subdirectories
 * skipped). An entry that is not a readable regular file (a broken link, a link loop, a FIFO) is
 * kept, so that reading it gives that file's typed error instead of it vanishing from the run.
 */
export function expandInputs(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    let stats;
    try {
      stats = statSync(input);
    } catch (error) {
      throw unopenable(input, error as NodeJS.ErrnoException);
    }
    if (!stats.isDirectory()) return [input];
    return readdirSync(input)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => path.join(input, name))
      .filter((file) => {
        try {
          return !statSync(file).isDirectory();
        } catch {
          return true;
        }
      });
  });
}

/** The format a file will be read as: named, or sniffed from its first bytes (leniently decoded: sniffing only). */
export function sniffFormat(file: string, named: string): string | null {
  if (named !== 'auto') return named;
  return withRegularFile(file, STREAMED_BYTES_MAX, (descriptor) => {
    const head = new Uint8Array(SNIFF_BYTES);
    const read = readSync(descriptor, head, 0, SNIFF_BYTES, 0);
    return detectFormat(IMPORTERS, new TextDecoder('utf-8').decode(head.subarray(0, read)), file);
  });
}

/** Visits a file's bytes in chunks of one reused buffer: a visitor keeps a copy of what it needs. Streamed: no size limit. */
export function forEachChunk(file: string, visit: (chunk: Uint8Array) => void, chunkBytes: number = CHUNK_BYTES): void {
  withRegularFile(file, STREAMED_BYTES_MAX, (descriptor) => {
    const buffer = new Uint8Array(chunkBytes);
    for (;;) {
      const read = readSync(descriptor, buffer, 0, chunkBytes, null);
      if (read === 0) break;
      visit(buffer.subarray(0, read));
    }
  });
}

/**
 * A file's bytes in chunks, each marked when it is the last (an empty file gives one empty last
 * chunk). A chunk's bytes are valid until the next chunk is asked for: two buffers take turns
 * (the one shown and the one read ahead to know which is last), so a reader keeps a copy of what
 * it needs. Fresh buffers for every chunk of a 100 MB file made V8 count 100 MB of new external
 * memory, and every 64 MB of it starts a full collection of the whole heap (docs/reconcile-scale.md).
 */
export function* readChunks(file: string, chunkBytes: number = CHUNK_BYTES): Generator<{ readonly bytes: Uint8Array; readonly last: boolean }> {
  const { descriptor } = openRegularFile(file, STREAMED_BYTES_MAX);
  try {
    const buffers = [new Uint8Array(chunkBytes), new Uint8Array(chunkBytes)] as const;
    let turn = 0;
    const next = (): Uint8Array => {
      const buffer = buffers[turn] as Uint8Array;
      turn ^= 1;
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
