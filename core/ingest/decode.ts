import { FileImportError } from './errors.ts';

/** Encodings a mapping profile may name; decoding is strict (an invalid byte is an error, never U+FFFD). */
export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'iso-8859-2', 'euc-kr', 'shift_jis'] as const;
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

/**
 * Decodes file bytes. `auto` honours a BOM, else requires valid UTF-8 (a file in another
 * encoding must say so in its mapping profile: guessing Windows-1252 silently corrupts names).
 */
export function decodeText(bytes: Uint8Array, fileName: string, encoding: TextEncodingName | 'auto' = 'auto'): DecodedText {
  const bom = bomEncoding(bytes);
  const chosen: TextEncodingName = encoding === 'auto' ? (bom?.encoding ?? 'utf-8') : encoding;
  const body = bom !== null && bom.encoding === chosen ? bytes.subarray(bom.length) : bytes;
  try {
    const text = chosen === 'windows-1252' || chosen === 'iso-8859-1' ? decodeWindows1252(body) : new TextDecoder(chosen, { fatal: true, ignoreBOM: true }).decode(body);
    return { text, encoding: chosen, hadBom: bom !== null && bom.encoding === chosen };
  } catch {
    const at = chosen === 'utf-8' ? firstInvalidUtf8(body) : 0;
    const where = locate(body, at);
    throw new FileImportError(
      'file_encoding_invalid',
      `${fileName}: not valid ${chosen} at line ${where.line}, column ${where.column} (byte ${at}); name the file's encoding in its import profile (e.g. windows-1252, euc-kr)`,
      { file: fileName, line: where.line, column: where.column },
    );
  }
}

/** Decodes a file arriving in chunks; the same rules as decodeText (BOM, strict, Windows-1252 table). */
export interface StreamDecoder {
  decode(chunk: Uint8Array, last: boolean): string;
}

export function createStreamDecoder(fileName: string, encoding: TextEncodingName | 'auto' = 'auto'): StreamDecoder {
  let decoder: ((chunk: Uint8Array, last: boolean) => string) | null = null;
  let offset = 0;
  let lines = 1;
  return {
    decode(chunk, last) {
      let body = chunk;
      if (decoder === null) {
        const bom = bomEncoding(chunk);
        const chosen: TextEncodingName = encoding === 'auto' ? (bom?.encoding ?? 'utf-8') : encoding;
        if (bom !== null && bom.encoding === chosen) body = chunk.subarray(bom.length);
        if (chosen === 'windows-1252' || chosen === 'iso-8859-1') decoder = (bytes) => decodeWindows1252(bytes);
        else {
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
        const at = firstInvalidUtf8(body);
        const where = locate(body, at);
        const line = lines + where.line - 1;
        throw new FileImportError(
          'file_encoding_invalid',
          `${fileName}: not valid ${encoding === 'auto' ? 'utf-8' : encoding} at line ${line} (byte ${offset + at}); name the file's encoding in its import profile (e.g. windows-1252, euc-kr)`,
          { file: fileName, line },
        );
      }
    },
  };
}
