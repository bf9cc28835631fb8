/**
 * Reference keys and remittance-text tokens. A key is normalized to A-Z0-9 only, so
 * "INV-2024/0042", "inv 2024 0042" and "INV20240042" meet in one hash bucket. Text is split
 * on separators; a chunk is also joined with the next one or two chunks when those start with a
 * digit, because banks print the same reference with or without spaces ("PO 000123",
 * "INV 2024 0042") while words followed by words ("PAYOUT ACME") are never references.
 */
const CLEAN_KEY = /^[A-Z0-9]+$/;
const NOT_KEY_CHAR = /[^A-Z0-9]/g;
const CHUNK_SEPARATORS = /[\s/:;,()[\]{}'"+*|<>=?!]+/;
const JOINED_CHUNKS_MAX = 3;

export function normalizeKey(text: string): string {
  if (CLEAN_KEY.test(text)) return text;
  return text.toUpperCase().replace(NOT_KEY_CHAR, '');
}

export interface TokenOptions {
  readonly keyLengthMin: number;
  readonly textTokenNeedsDigit: boolean;
  readonly placeholders: ReadonlySet<string>;
}

/** A normalized structured key, or null when it is too short or a placeholder such as NONREF. */
export function usableKey(text: string | null, options: TokenOptions): string | null {
  if (text === null) return null;
  const key = normalizeKey(text);
  if (key.length < options.keyLengthMin || options.placeholders.has(key)) return null;
  return key;
}

/** Separators between chunks of remittance text (others, like "-" and ".", are dropped inside a chunk). */
function isSeparator(code: number): boolean {
  return code <= 32 || code === 160 || code === 8199 || code === 8239 || code === 47 || code === 58 || code === 59 || code === 44 || code === 40 || code === 41 || code === 91 || code === 93 ||
    code === 123 || code === 125 || code === 39 || code === 34 || code === 43 || code === 42 || code === 124 || code === 60 || code === 62 ||
    code === 61 || code === 63 || code === 33;
}

/**
 * Normalized chunks of a text, scanned once by character code (this runs on every bank line).
 * With `digitsOnly`, a chunk is cut out only when a token could use it: it holds a digit, or the
 * next chunk starts with one (a prefix such as "PO" in "PO 000123"); others become ''.
 */
function chunksOf(text: string, digitsOnly: boolean): string[] {
  const starts: number[] = [];
  const ends: number[] = [];
  const digits: boolean[] = [];
  let start = -1;
  let digit = false;
  for (let index = 0; index <= text.length; index++) {
    const code = index === text.length ? 32 : text.charCodeAt(index);
    if (isSeparator(code)) {
      if (start !== -1) {
        starts.push(start);
        ends.push(index);
        digits.push(digit);
        start = -1;
      }
    } else {
      if (start === -1) {
        start = index;
        digit = false;
      }
      if (isDigit(code)) digit = true;
    }
  }
  const chunks: string[] = [];
  for (let position = 0; position < starts.length; position++) {
    const next = position + 1 < starts.length ? text.charCodeAt(firstAlphanumeric(text, starts[position + 1] as number, ends[position + 1] as number)) : Number.NaN;
    const needed = !digitsOnly || (digits[position] as boolean) || isDigit(next);
    chunks.push(needed ? normalizeKey(text.slice(starts[position] as number, ends[position] as number)) : '');
  }
  return chunks;
}

/** Position of the first letter or digit in text[from, to), or `to`. */
function firstAlphanumeric(text: string, from: number, to: number): number {
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return index;
  }
  return to;
}

function hasDigit(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (isDigit(text.charCodeAt(index))) return true;
  return false;
}

/** Reference-like tokens of a free text, deduplicated, in order of appearance. */
export function referenceTokens(text: string | null, options: TokenOptions): string[] {
  if (text === null || text.length === 0) return [];
  const chunks = chunksOf(text, options.textTokenNeedsDigit);
  const tokens: string[] = [];
  for (let start = 0; start < chunks.length; start++) {
    if (chunks[start] === '') continue;
    let joined = '';
    let digit = false;
    for (let width = 0; width < JOINED_CHUNKS_MAX && start + width < chunks.length; width++) {
      const chunk = chunks[start + width] as string;
      if (width > 0 && (chunk === '' || !isDigit(chunk.charCodeAt(0)))) break;
      joined += chunk;
      digit = digit || hasDigit(chunk);
      if (joined.length < options.keyLengthMin || (options.textTokenNeedsDigit && !digit) || options.placeholders.has(joined) || tokens.includes(joined)) continue;
      tokens.push(joined);
    }
  }
  return tokens;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * FNV-1a hash (unsigned 32-bit) of the normalized form of `text`, computed without building the
 * string: probing a million structured ids against a small index first asks a Set of these
 * hashes, and normalizes only on a hit. -1 when the text has non-ASCII characters, whose upper
 * case only toUpperCase knows ("ß" -> "SS"): the caller then takes the slow path.
 */
export function keyHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    let code = text.charCodeAt(index);
    if (code >= 97 && code <= 122) code -= 32;
    else if (!(isDigit(code) || (code >= 65 && code <= 90))) {
      if (code < 128) continue;
      return -1;
    }
    hash = Math.imul(hash ^ code, 0x01000193) >>> 0;
  }
  return hash;
}

/** Words of a name or text for similarity: normalized chunks of 2+ characters. */
export function words(text: string | null): Set<string> {
  const result = new Set<string>();
  if (text === null) return result;
  for (const chunk of text.split(CHUNK_SEPARATORS)) {
    const word = normalizeKey(chunk);
    if (word.length >= 2) result.add(word);
  }
  return result;
}

/** Jaccard similarity of two word sets, 0..1 (a score, not money). Empty sets share nothing. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}
