import { assert } from '../assert.ts';
import { FileImportError } from './errors.ts';
import type { ImportFormat, ParseOutput, ParsedEntry } from './importer.ts';
import type { ImportIssue, Rejection } from './result.ts';

/** Encodings a mapping profile may name; decoding is strict (an invalid byte is an error, never U+FFFD). */
export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'iso-8859-2', 'windows-1250', 'cp852', 'euc-kr', 'shift_jis'] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncodingName;
  readonly hadBom: boolean;
}

// Windows-1252 bytes 0x80-0x9F (WHATWG index). Node 20's TextDecoder decodes "windows-1252" as
// Latin-1 (0x80 -> U+0080 instead of the euro sign), so it is mapped here, identically everywhere;
// iso-8859-1 takes the same table, as WHATWG (and so every browser) defines that label.
const WINDOWS_1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const chunkSize = 8192;
  for (let start = 0; start < bytes.length; start += chunkSize) {
    const codes = Array.from(bytes.subarray(start, start + chunkSize), (byte) => (byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_HIGH.charCodeAt(byte - 0x80) : byte));
    chunks.push(String.fromCharCode(...codes));
  }
  return chunks.join('');
}

// CP852 (DOS Central European) bytes 0x80-0xFF: Polish and Czech banks still write MT940 narrative
// in it, and no TextDecoder knows it (it is not a WHATWG encoding).
const CP852_HIGH = '\u00c7\u00fc\u00e9\u00e2\u00e4\u016f\u0107\u00e7\u0142\u00eb\u0150\u0151\u00ee\u0179\u00c4\u0106\u00c9\u0139\u013a\u00f4\u00f6\u013d\u013e\u015a\u015b\u00d6\u00dc\u0164\u0165\u0141\u00d7\u010d\u00e1\u00ed\u00f3\u00fa\u0104\u0105\u017d\u017e\u0118\u0119\u00ac\u017a\u010c\u015f\u00ab\u00bb\u2591\u2592\u2593\u2502\u2524\u00c1\u00c2\u011a\u015e\u2563\u2551\u2557\u255d\u017b\u017c\u2510\u2514\u2534\u252c\u251c\u2500\u253c\u0102\u0103\u255a\u2554\u2569\u2566\u2560\u2550\u256c\u00a4\u0111\u0110\u010e\u00cb\u010f\u0147\u00cd\u00ce\u011b\u2518\u250c\u2588\u2584\u0162\u016e\u2580\u00d3\u00df\u00d4\u0143\u0144\u0148\u0160\u0161\u0154\u00da\u0155\u0170\u00fd\u00dd\u0163\u00b4\u00ad\u02dd\u02db\u02c7\u02d8\u00a7\u00f7\u00b8\u00b0\u00a8\u02d9\u0171\u0158\u0159\u25a0\u00a0';

function decodeCp852(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const chunkSize = 8192;
  for (let start = 0; start < bytes.length; start += chunkSize) {
    const codes = Array.from(bytes.subarray(start, start + chunkSize), (byte) => (byte >= 0x80 ? CP852_HIGH.charCodeAt(byte - 0x80) : byte));
    chunks.push(String.fromCharCode(...codes));
  }
  return chunks.join('');
}

/** Decodes strictly: an invalid byte throws (the table-driven single-byte code pages have none). */
function decodeWith(encoding: TextEncodingName, bytes: Uint8Array): string {
  if (encoding === 'windows-1252' || encoding === 'iso-8859-1') return decodeWindows1252(bytes);
  if (encoding === 'cp852') return decodeCp852(bytes);
  return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
}

function bomEncoding(bytes: Uint8Array): { encoding: TextEncodingName; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** Byte offset -> 1-based line and column, for pointing at an undecodable byte. */
function locate(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < bytes.length; index++) {
    if (bytes[index] === 0x0a) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the first byte where `bytes` stops being valid UTF-8 (binary search over strict decodes). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let low = 0;
  let high = bytes.length;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    try {
      decoder.decode(bytes.subarray(0, middle));
      low = middle;
    } catch {
      high = middle;
    }
  }
  return low;
}

/** Bytes sampled to recognize UTF-16 written without a BOM. */
const UTF16_SAMPLE_BYTES = 4096;

/**
 * UTF-16 without a BOM: text that is mostly ASCII has a zero byte in every other position (the
 * high byte), odd positions for little-endian and even ones for big-endian. UTF-8 text has none.
 */
export function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const sampleLength = Math.min(bytes.length, UTF16_SAMPLE_BYTES) & ~1;
  if (sampleLength < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let index = 0; index < sampleLength; index++) {
    if (bytes[index] !== 0) continue;
    if (index % 2 === 0) evenZeros++;
    else oddZeros++;
  }
  const pairs = sampleLength / 2;
  if (oddZeros * 4 > pairs && evenZeros * 8 < oddZeros) return 'utf-16le';
  if (evenZeros * 4 > pairs && oddZeros * 8 < evenZeros) return 'utf-16be';
  return null;
}

function encodingError(fileName: string, body: Uint8Array, chosen: TextEncodingName, withoutBom: boolean): FileImportError {
  const at = chosen === 'utf-8' ? firstInvalidUtf8(body) : 0;
  const where = locate(body, at);
  const what = withoutBom ? `${chosen} (UTF-16 without BOM, recognized by its zero bytes)` : chosen;
  // Said as a code and values too, for a screen in another language.
  const said = { says: withoutBom ? 'encoding_invalid_at_guessed' : 'encoding_invalid_at', encoding: chosen, line: String(where.line), column: String(where.column), byte: String(at) };
  return new FileImportError(
    'file_encoding_invalid',
    `${fileName}: not valid ${what} at line ${where.line}, column ${where.column} (byte ${at}); name the file's encoding in its import profile (e.g. windows-1252, euc-kr)`,
    { file: fileName, line: where.line, column: where.column },
    said,
  );
}

/**
 * Decodes file bytes. `auto` honours a BOM, recognizes UTF-16 without one, else requires valid
 * UTF-8 (a file in another encoding must say so in its mapping profile: guessing Windows-1252
 * silently corrupts names).
 */
export function decodeText(bytes: Uint8Array, fileName: string, encoding: TextEncodingName | 'auto' = 'auto'): DecodedText {
  const bom = bomEncoding(bytes);
  const sniffed = encoding === 'auto' && bom === null ? utf16WithoutBom(bytes) : null;
  const chosen: TextEncodingName = encoding === 'auto' ? (bom?.encoding ?? sniffed ?? 'utf-8') : encoding;
  const body = bom !== null && bom.encoding === chosen ? bytes.subarray(bom.length) : bytes;
  try {
    return { text: decodeWith(chosen, body), encoding: chosen, hadBom: bom !== null && bom.encoding === chosen };
  } catch {
    throw encodingError(fileName, body, chosen, sniffed !== null);
  }
}

/** Code pages tried for text that is not UTF-8, in the order a tie is broken. */
export const SINGLE_BYTE_FALLBACKS = ['windows-1252', 'windows-1250', 'iso-8859-2', 'cp852'] as const satisfies readonly TextEncodingName[];

export interface GuessedText extends DecodedText {
  /** 1-based lines that were not valid UTF-8 and were read in `encoding`; every other line is UTF-8. */
  readonly guessedLines: readonly number[];
}

/** Byte ranges of the lines (terminator included), breaking on CR LF, LF or a lone CR as splitLines does. */
function byteLines(bytes: Uint8Array): Array<readonly [number, number]> {
  const lines: Array<readonly [number, number]> = [];
  let start = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte !== 0x0a && byte !== 0x0d) continue;
    if (byte === 0x0d && bytes[index + 1] === 0x0a) index++;
    lines.push([start, index + 1]);
    start = index + 1;
  }
  if (start < bytes.length) lines.push([start, bytes.length]);
  return lines;
}

/**
 * How plausible a code page's reading of non-ASCII text is: letters score, control characters,
 * box drawing and a capital inside a lower-case word (a misread letter) cost.
 */
function fitScore(text: string): number {
  let score = 0;
  let previous = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x80) {
      if (code <= 0x9f || code === 0xfffd) score -= 10;
      else if (code >= 0x2500 && code <= 0x25ff) score -= 3;
      else if (/\p{L}/u.test(char)) score += /\p{Lu}/u.test(char) && /\p{Ll}/u.test(previous) ? 1 : 2;
    }
    previous = char;
  }
  return score;
}

/**
 * Decodes text that is not valid UTF-8 line by line: lines that are valid UTF-8 stay UTF-8, the
 * others are read in the single-byte code page that fits them best. ASCII reads the same in every
 * candidate, so tags, amounts and dates never change; the caller must still refuse any reference
 * that holds a guessed character, and report the guessed lines.
 */
export function decodeGuessingSingleByte(bytes: Uint8Array): GuessedText {
  const hadBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hadBom ? bytes.subarray(3) : bytes;
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const lines = byteLines(body).map(([start, end], index) => {
    const slice = body.subarray(start, end);
    try {
      return { number: index + 1, slice, text: utf8.decode(slice) as string | null };
    } catch {
      return { number: index + 1, slice, text: null };
    }
  });
  const guessed = lines.filter((line) => line.text === null);
  let best: { encoding: TextEncodingName; score: number } | null = null;
  for (const encoding of SINGLE_BYTE_FALLBACKS) {
    const score = guessed.reduce((total, line) => total + fitScore(decodeWith(encoding, line.slice)), 0);
    if (best === null || score > best.score) best = { encoding, score };
  }
  assert(best !== null, 'there is at least one fallback code page');
  const encoding = best.encoding;
  const text = lines.map((line) => line.text ?? decodeWith(encoding, line.slice)).join('');
  return { text, encoding, hadBom, guessedLines: guessed.map((line) => line.number) };
}

/** Decodes a file arriving in chunks; the same rules as decodeText (BOM, strict, Windows-1252 table). */
export interface StreamDecoder {
  decode(chunk: Uint8Array, last: boolean): string;
}

export function createStreamDecoder(fileName: string, encoding: TextEncodingName | 'auto' = 'auto'): StreamDecoder {
  let decoder: ((chunk: Uint8Array, last: boolean) => string) | null = null;
  let offset = 0;
  let lines = 1;
  let chosen: TextEncodingName = 'utf-8';
  let named: string = encoding === 'auto' ? 'utf-8' : encoding;
  let guessed = false;
  return {
    decode(chunk, last) {
      let body = chunk;
      if (decoder === null) {
        const bom = bomEncoding(chunk);
        const sniffed = encoding === 'auto' && bom === null ? utf16WithoutBom(chunk) : null;
        chosen = encoding === 'auto' ? (bom?.encoding ?? sniffed ?? 'utf-8') : encoding;
        if (sniffed !== null) {
          named = `${sniffed} (UTF-16 without BOM, recognized by its zero bytes)`;
          guessed = true;
        }
        if (bom !== null && bom.encoding === chosen) body = chunk.subarray(bom.length);
        if (chosen === 'windows-1252' || chosen === 'iso-8859-1' || chosen === 'cp852') {
          const table = chosen;
          decoder = (bytes) => decodeWith(table, bytes);
        } else {
          const text = new TextDecoder(chosen, { fatal: true, ignoreBOM: true });
          decoder = (bytes, end) => text.decode(bytes, { stream: !end });
        }
      }
      try {
        const text = decoder(body, last);
        offset += chunk.length;
        for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines++;
        return text;
      } catch {
        const at = chosen === 'utf-8' ? firstInvalidUtf8(body) : 0;
        const where = locate(body, at);
        const line = lines + where.line - 1;
        const said = { says: guessed ? 'encoding_invalid_line_guessed' : 'encoding_invalid_line', encoding: chosen, line: String(line), byte: String(offset + at) };
        throw new FileImportError(
          'file_encoding_invalid',
          `${fileName}: not valid ${named} at line ${line} (byte ${offset + at}); name the file's encoding in its import profile (e.g. windows-1252, euc-kr)`,
          { file: fileName, line },
          said,
        );
      }
    },
  };
}

/** Formats whose tags, amounts and dates are ASCII by definition, so that only their free text can be read in a guessed code page. */
export const SINGLE_BYTE_GUESS_FORMATS: readonly ImportFormat[] = ['mt940'];

/** Decoded text, or (auto encoding, not UTF-8) a guessed reading with the error a format that cannot be guessed must raise. */
export type TextForImport = DecodedText | (GuessedText & { readonly refusal: FileImportError });

/** decodeText, except that text that is not UTF-8 and names no encoding is read by decodeGuessingSingleByte. */
export function decodeForImport(bytes: Uint8Array, fileName: string, encoding: TextEncodingName | 'auto'): TextForImport {
  try {
    return decodeText(bytes, fileName, encoding);
  } catch (error) {
    const bom = bomEncoding(bytes);
    const utf8Tried = encoding === 'auto' && (bom === null || bom.encoding === 'utf-8') && (bom !== null || utf16WithoutBom(bytes) === null);
    if (!utf8Tried || !(error instanceof FileImportError) || error.code !== 'file_encoding_invalid') throw error;
    return { ...decodeGuessingSingleByte(bytes), refusal: error };
  }
}

/** Guessed lines a warning lists; the rest are counted. */
const GUESSED_LINES_LISTED_MAX = 10;
/** Any character outside ASCII (U+0080 and up). */
const GUESSED_CHARACTER = /[\u0080-\u{10ffff}]/u;
const RAW_LENGTH_MAX = 200;

/**
 * What a guessed code page may not change: an entry whose account or reference holds a non-ASCII
 * character is rejected (its characters would depend on the guess), a statement so named refuses
 * the file, and the guessed lines are reported. Amounts and dates are ASCII digits by then.
 */
export function guardGuessedText(parsed: ParseOutput, guessed: GuessedText & { readonly refusal: FileImportError }, fileName: string): ParseOutput {
  if (parsed.statements.some((statement) => GUESSED_CHARACTER.test(`${statement.account}${statement.statementId ?? ''}`))) throw guessed.refusal;
  const entries: ParsedEntry[] = [];
  const rejected: Rejection[] = [...parsed.rejected];
  for (const entry of parsed.entries) {
    const { externalId, batchId, endToEndId, bankReference } = entry.references;
    const named = [entry.account, entry.currency, externalId, batchId, endToEndId, bankReference].join('\n');
    assert(!GUESSED_CHARACTER.test(`${entry.amount}${entry.occurredAt}${entry.bookingDate ?? ''}${entry.valueDate ?? ''}`), 'amounts and dates are ASCII whatever the code page');
    if (!GUESSED_CHARACTER.test(named)) {
      entries.push(entry);
      continue;
    }
    rejected.push({
      line: entry.line,
      column: 'references',
      code: 'field_invalid',
      reason: `the account or a reference holds bytes that are not UTF-8 (read as ${guessed.encoding}, a guess): name the file's encoding to import this entry`,
      raw: Object.values(entry.raw).join('\n').slice(0, RAW_LENGTH_MAX),
      statementIndex: entry.statementIndex,
      says: 'reference_guessed_bytes',
      params: { encoding: guessed.encoding },
    });
  }
  const lines = guessed.guessedLines;
  assert(lines.length > 0, 'a guessed text has at least one guessed line');
  const more = lines.length > GUESSED_LINES_LISTED_MAX ? ` and ${lines.length - GUESSED_LINES_LISTED_MAX} more` : '';
  const warning: ImportIssue = {
    code: 'encoding_replaced',
    message: `${fileName}: line${lines.length > 1 ? 's' : ''} ${lines.slice(0, GUESSED_LINES_LISTED_MAX).join(', ')}${more} ${lines.length > 1 ? 'are' : 'is'} not UTF-8 and ${lines.length > 1 ? 'were' : 'was'} read as ${guessed.encoding}, the single-byte code page that fits them best; only their text can differ, never an amount, date or reference. Name the encoding (--encoding) if the text reads wrong.`,
    line: lines[0] ?? null,
  };
  return { ...parsed, entries, rejected, issues: [...parsed.issues, warning] };
}
