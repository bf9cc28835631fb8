import { hmacSha256Hex, sha256Hex } from '../hash/sha256.ts';
import { decodeForImport, guardGuessedText, SINGLE_BYTE_GUESS_FORMATS, type TextEncodingName } from './decode.ts';
import { FileImportError } from './errors.ts';
import type { ImportContext, ImportFormat, Importer } from './importer.ts';
import { finalizeImport, type KnownIds } from './pipeline.ts';
import type { ImportResult } from './result.ts';

/** Importers by format, in detection order: the most specific sniff first. */
export type ImporterRegistry = ReadonlyArray<readonly [ImportFormat, Importer<never> | Importer<void>]>;

/** How end-customer identifiers are treated at import. */
export type Pseudonymization = { readonly mode: 'hmac'; readonly key: string } | { readonly mode: 'off' };

export interface ImportFileOptions {
  readonly format: ImportFormat | 'auto';
  readonly encoding?: TextEncodingName | 'auto';
  readonly pseudonymization: Pseudonymization;
  readonly knownIds?: KnownIds;
  /** Importer options (a CSV mapping profile), passed to the chosen importer. */
  readonly importerOptions?: unknown;
  /**
   * The file's SHA-256 as lowercase hex, from a host with a native one: the same digest, faster
   * (core's is pure JS: 180 ms for the reconcile bench's ten camt.053 files, 36 MB; node:crypto 20 ms).
   */
  readonly sha256Hex?: (bytes: Uint8Array) => string;
}

export const FILE_BYTES_MAX = 512 * 1024 * 1024;
const SNIFF_CHARS = 8192;

export function pseudonymizer(policy: Pseudonymization): (customerId: string) => string {
  if (policy.mode === 'off') return (customerId) => customerId;
  return (customerId) => `ps_${hmacSha256Hex(policy.key, customerId).slice(0, 32)}`;
}

export function detectFormat(registry: ImporterRegistry, head: string, fileName: string): ImportFormat | null {
  for (const [format, importer] of registry) if (importer.sniff(head, fileName)) return format;
  return null;
}

/**
 * Refuses an empty file and one over FILE_BYTES_MAX. A file read whole may also be streamed as
 * CSV (the CLI's way past the limit); one the engine already streams can only be split.
 */
export function assertImportSize(size: number, fileName: string, reading: 'whole' | 'streamed'): void {
  if (size === 0) throw new FileImportError('file_empty', `${fileName}: the file is empty`, { file: fileName }, { says: 'file_empty' });
  if (size <= FILE_BYTES_MAX) return;
  const values = { bytes: String(size), max: String(FILE_BYTES_MAX) };
  const over = `${fileName}: ${size} bytes is over the ${FILE_BYTES_MAX}-byte limit for one import`;
  if (reading === 'whole') throw new FileImportError('file_too_large', `${over}; split the file or stream it as CSV`, { file: fileName }, { says: 'import_too_large', ...values });
  throw new FileImportError('file_too_large', `${over}; split the file`, { file: fileName }, { says: 'import_too_large_split', ...values });
}

/**
 * Imports one file's bytes: decode, pick the importer (sniffed or named), parse, then the shared
 * pipeline (ids, duplicates, statement sums, row account). A file that cannot be read at all
 * throws a FileImportError; row problems are Rejections inside the result.
 */
export function importFile(registry: ImporterRegistry, bytes: Uint8Array, fileName: string, options: ImportFileOptions): ImportResult {
  assertImportSize(bytes.length, fileName, 'whole');
  const decoded = decodeForImport(bytes, fileName, options.encoding ?? 'auto');
  const head = decoded.text.slice(0, SNIFF_CHARS);
  const detected = detectFormat(registry, head, fileName);
  const format = options.format === 'auto' ? detected : options.format;
  if (format === null) {
    throw new FileImportError('file_format_unrecognized', `${fileName}: format not recognized; name it with --format (${registry.map(([name]) => name).join(', ')})`, { file: fileName, line: 1 });
  }
  const entry = registry.find(([name]) => name === format);
  if (entry === undefined) throw new FileImportError('file_format_unrecognized', `${fileName}: no importer for format ${format}`, { file: fileName });
  const importer = entry[1] as Importer<unknown>;
  if (options.format !== 'auto' && !importer.sniff(head, fileName) && format !== 'csv') {
    throw new FileImportError('file_format_mismatch', `${fileName}: does not look like ${format}${detected === null ? '' : ` (it looks like ${detected})`}`, { file: fileName, line: 1 });
  }
  // Not UTF-8 and no encoding named: only a format whose money is ASCII may be read in a guessed code page.
  if ('refusal' in decoded && !SINGLE_BYTE_GUESS_FORMATS.includes(format)) throw decoded.refusal;
  const context: ImportContext = { fileName, sha256: (options.sha256Hex ?? sha256Hex)(bytes), pseudonymize: pseudonymizer(options.pseudonymization) };
  const parsed = importer.parse(decoded.text, context, options.importerOptions);
  return finalizeImport('refusal' in decoded ? guardGuessedText(parsed, decoded, fileName) : parsed, context, format, bytes.length, options.knownIds);
}
