/**
 * Reference keys and remittance-text tokens. A key keeps its letters (in their case) and digits
 * only, so "INV-2024/0042", "INV 2024 0042" and "INV20240042" meet in one hash bucket, and
 * Stripe's po_ id meets the po- an MT940 statement prints. Letter case is kept: PSP ids are
 * case-sensitive (ch_3MqL... and ch_3MQL... are two charges), so an id differing only in case is
 * another id (suggest.ts offers it as a near reference). Text is split on separators; a chunk is
 * also joined with the next one or two chunks when those start with a digit, because banks print
 * the same reference with or without spaces ("PO 000123", "INV 2024 0042").
 */
const CLEAN_KEY = /^[A-Za-z0-9]+$/;
const NOT_KEY_CHAR = /[^\p{L}\p{N}]/gu;
const CHUNK_SEPARATORS = /[\s/:;,()[\]{}'"+*|<>=?!]+/;
const JOINED_CHUNKS_MAX = 3;

export function normalizeKey(text: string): string {
  if (CLEAN_KEY.test(text)) return text;
  return text.replace(NOT_KEY_CHAR, '');
}

/** Words (names, descriptions) compare without case: "Studio X" is "STUDIO X". */
export function normalizeWord(text: string): string {
  return normalizeKey(text).toUpperCase();
}

export interface TokenOptions {
  readonly keyLengthMin: number;
  /** Upper-cased: "NONREF" and "NotProvided" are placeholders in any case. */
  readonly placeholders: ReadonlySet<string>;
}

/**
 * What a set of placeholders allows, per set: the longest (longer keys skip the upper-casing,
 * this runs on every token) and the ASCII characters whose upper case occurs in one (a key with
 * any other character, a digit for the defaults, is no placeholder).
 */
interface PlaceholderShape {
  readonly lengthMax: number;
  readonly asciiChars: Uint8Array;
}

const PLACEHOLDER_SHAPES = new WeakMap<ReadonlySet<string>, PlaceholderShape>();

function placeholderShape(placeholders: ReadonlySet<string>): PlaceholderShape {
  let shape = PLACEHOLDER_SHAPES.get(placeholders);
  if (shape === undefined) {
    const asciiChars = new Uint8Array(128);
    for (let code = 0; code < 128; code++) {
      const upper = String.fromCharCode(code).toUpperCase();
      for (const text of placeholders) if (text.includes(upper)) asciiChars[code] = 1;
    }
    shape = { lengthMax: Math.max(0, ...[...placeholders].map((text) => text.length)), asciiChars };
    PLACEHOLDER_SHAPES.set(placeholders, shape);
  }
  return shape;
}

function isPlaceholder(key: string, options: TokenOptions): boolean {
  return key.length <= placeholderShape(options.placeholders).lengthMax && options.placeholders.has(key.toUpperCase());
}

/** A normalized structured key, or null when it is too short or a placeholder such as NONREF. */
export function usableKey(text: string | null, options: TokenOptions): string | null {
  if (text === null) return null;
  const key = normalizeKey(text);
  if (key.length < options.keyLengthMin || isPlaceholder(key, options)) return null;
  return key;
}

function isAsciiKeyChar(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * usableKey(text) !== null for a text whose keyHash is not -1 (ASCII only), without building the
 * key: its letters and digits counted, and the placeholder set asked only when every one of them
 * could spell a placeholder (a Stripe id "ch_1_23" holds digits, which no default placeholder does).
 */
export function isUsableAsciiKey(text: string, options: TokenOptions): boolean {
  const shape = placeholderShape(options.placeholders);
  let length = 0;
  let placeholderChars = true;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (!isAsciiKeyChar(code)) continue;
    length++;
    if (shape.asciiChars[code] === 0) placeholderChars = false;
  }
  if (length < options.keyLengthMin) return false;
  if (length > shape.lengthMax || !placeholderChars) return true;
  return usableKey(text, options) !== null;
}

/**
 * Whether two texts whose keyHash is not -1 (ASCII only) fold to one key: their letters and
 * digits compared in order, the rest skipped (normalizeKey(a) === normalizeKey(b), no string made).
 */
export function sameAsciiKey(a: string, b: string): boolean {
  if (a === b) return true;
  let at = 0;
  let bt = 0;
  for (;;) {
    while (at < a.length && !isAsciiKeyChar(a.charCodeAt(at))) at++;
    while (bt < b.length && !isAsciiKeyChar(b.charCodeAt(bt))) bt++;
    if (at === a.length || bt === b.length) return at === a.length && bt === b.length;
    if (a.charCodeAt(at) !== b.charCodeAt(bt)) return false;
    at++;
    bt++;
  }
}

/** Separators between chunks of remittance text (others, like "-" and ".", are dropped inside a chunk). */
function isSeparator(code: number): boolean {
  return code <= 32 || code === 160 || code === 8199 || code === 8239 || code === 47 || code === 58 || code === 59 || code === 44 || code === 40 || code === 41 || code === 91 || code === 93 ||
    code === 123 || code === 125 || code === 39 || code === 34 || code === 43 || code === 42 || code === 124 || code === 60 || code === 62 ||
    code === 61 || code === 63 || code === 33;
}

/** Normalized chunks of a text, scanned once by character code (this runs on every bank line); `bounds` gets each chunk's start and end. */
function chunksOf(text: string, bounds: number[] | null): string[] {
  const chunks: string[] = [];
  let start = -1;
  for (let index = 0; index <= text.length; index++) {
    const code = index === text.length ? 32 : text.charCodeAt(index);
    if (isSeparator(code)) {
      if (start !== -1) {
        chunks.push(normalizeKey(text.slice(start, index)));
        bounds?.push(start, index);
        start = -1;
      }
    } else if (start === -1) {
      start = index;
    }
  }
  return chunks;
}

/**
 * Candidate reference tokens of a free text, deduplicated, in order of appearance: every chunk,
 * and a chunk joined with the next one or two when those start with a digit. Whether a token is
 * a reference is decided by looking it up among the other side's known ids (reference.ts), not by
 * its shape: a payout id without a digit is still a payout id. `spans`, when given, gets each
 * token's start and end in `text` (its raw form, separators kept, is text.slice(start, end)).
 */
export function referenceTokens(text: string | null, options: TokenOptions, spans: number[] | null = null): string[] {
  if (text === null || text.length === 0) return [];
  const bounds: number[] | null = spans === null ? null : [];
  const chunks = chunksOf(text, bounds);
  const tokens: string[] = [];
  for (let start = 0; start < chunks.length; start++) {
    if (chunks[start] === '') continue;
    let joined = '';
    for (let width = 0; width < JOINED_CHUNKS_MAX && start + width < chunks.length; width++) {
      const chunk = chunks[start + width] as string;
      if (width > 0 && (chunk === '' || !isDigit(chunk.charCodeAt(0)))) break;
      joined += chunk;
      if (joined.length < options.keyLengthMin || isPlaceholder(joined, options) || tokens.includes(joined)) continue;
      tokens.push(joined);
      if (spans !== null && bounds !== null) spans.push(bounds[start * 2] as number, bounds[(start + width) * 2 + 1] as number);
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
 * hashes, and normalizes only on a hit. -1 when the text has non-ASCII characters, which only the
 * Unicode-aware normalizeKey classifies: the caller then takes the slow path.
 */
export function keyHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (!isAsciiKeyChar(code)) {
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
    const word = normalizeWord(chunk);
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

/** How an item writes a key (case and separators kept, ids trimmed): its ids, then its description's tokens, that fold to `key`. */
export function rawFormsOfKey(references: { readonly externalId: string | null; readonly endToEndId: string | null; readonly bankReference: string | null }, description: string | null, key: string, options: TokenOptions): string[] {
  const raws = [references.externalId, references.endToEndId, references.bankReference].filter((text): text is string => usableKey(text, options) === key).map((text) => text.trim());
  if (description === null) return raws;
  const spans: number[] = [];
  referenceTokens(description, options, spans).forEach((token, at) => {
    if (token === key) raws.push(description.slice(spans[at * 2], spans[at * 2 + 1]));
  });
  return raws;
}
