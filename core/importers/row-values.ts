import { DECIMAL_PATTERN } from '../money/decimal.ts';
import { isCurrencyCode, minorUnitsOf } from '../money/iso4217.ts';
import { parseAmount, type AmountFormat } from '../money/parse.ts';
import type { Rejection, RejectionCode } from '../ingest/result.ts';

/**
 * Cell-level checks shared by the CSV-based importers. The hot path avoids Decimal and regex
 * work per row where the text is already canonical; every value is still validated exactly.
 */
export const FIELD_CHARS_MAX = 1000;

/**
 * A cell problem: the caller turns it into a Rejection with the row's line and raw text. `says`
 * and `params` name what the English reason says, for a screen to say it in another language.
 */
export interface CellProblem {
  readonly code: RejectionCode;
  readonly reason: string;
  readonly says?: string;
  readonly params?: Readonly<Record<string, string>>;
}

/** What a rejection's reason says as a code and values, as a statement importer (camt, OFX) passes it on. */
export type RejectionSaid = Required<Pick<Rejection, 'says' | 'params'>>;

export function isProblem(value: unknown): value is CellProblem {
  return typeof value === 'object' && value !== null && 'code' in value;
}

const NEGATIVE_ZERO = /^-0(\.0+)?$/;

/**
 * Exact canonical decimal text of an amount cell. Text that is already canonical (the common
 * "1234.56" / "-12.5") is returned as is after one regex test; anything else goes through
 * core/money parseAmount with the column's format.
 */
export function exactAmount(raw: string, format: AmountFormat, column: string): string | null | CellProblem {
  if (format.decimalSeparator === '.' && DECIMAL_PATTERN.test(raw)) {
    return raw.charCodeAt(0) === 45 && NEGATIVE_ZERO.test(raw) ? raw.slice(1) : raw;
  }
  const parsed = parseAmount(raw, format);
  // parseAmount's words are said by their cause and its values (problem, and a separator or a limit beside it).
  if (!parsed.ok) return { code: parsed.code, reason: `${column}: ${parsed.message}`, says: 'amount_unreadable', params: { ...parsed.values, columnName: column, value: parsed.text, problem: parsed.cause } };
  return parsed.value;
}

/** Like exactAmount, but an empty cell is an error. */
export function requiredAmount(raw: string, format: AmountFormat, column: string): string | CellProblem {
  const value = exactAmount(raw, format, column);
  if (value === null) return { code: 'amount_empty', reason: `${column}: empty, expected an amount`, says: 'amount_empty', params: { columnName: column } };
  return value;
}

/** An empty cell is zero (PSP fee columns leave zero fees blank). */
export function optionalAmount(raw: string | undefined, format: AmountFormat, column: string): string | CellProblem {
  if (raw === undefined || raw.trim().length === 0) return '0';
  return requiredAmount(raw, format, column);
}

/** Whether a canonical decimal has no non-zero digit beyond the currency's minor unit. */
export function fitsMinorUnits(amount: string, exponent: number): boolean {
  const dot = amount.indexOf('.');
  if (dot === -1) return true;
  for (let index = dot + 1 + exponent; index < amount.length; index++) if (amount.charCodeAt(index) !== 48) return false;
  return true;
}

export function checkMinorUnits(amount: string, currency: string, column: string): CellProblem | null {
  if (fitsMinorUnits(amount, minorUnitsOf(currency))) return null;
  const digits = String(minorUnitsOf(currency));
  return { code: 'amount_minor_units', reason: `${column}: ${amount} has more decimals than ${currency} allows (${digits})`, says: 'amount_minor_units', params: { columnName: column, amount, currency, digits } };
}

export function negateDecimal(amount: string): string {
  if (amount.charCodeAt(0) === 45) return amount.slice(1);
  return NEGATIVE_ZERO.test(`-${amount}`) ? amount : `-${amount}`;
}

export function isZeroDecimal(amount: string): boolean {
  return /^-?0(\.0+)?$/.test(amount);
}

/** An ISO 4217 code from a cell; PSPs write "usd" as often as "USD". */
export function currencyCell(raw: string, column: string): string | CellProblem {
  const code = raw.trim().toUpperCase();
  if (code.length === 0) return { code: 'currency_missing', reason: `${column}: empty, expected an ISO 4217 currency code`, says: 'currency_missing', params: { columnName: column } };
  if (!isCurrencyCode(code)) return { code: 'currency_unknown', reason: `${column}: ${JSON.stringify(raw.trim())} is not an ISO 4217 currency code with minor units`, says: 'currency_unknown', params: { columnName: column, value: raw.trim() } };
  return code;
}

/** A trimmed text cell, null when empty; too long is a problem (reports must stay readable). */
export function textCell(raw: string | undefined, column: string): string | null | CellProblem {
  if (raw === undefined) return null;
  const text = raw.trim();
  if (text.length === 0) return null;
  if (text.length > FIELD_CHARS_MAX) return { code: 'field_too_long', reason: `${column}: ${text.length} characters, at most ${FIELD_CHARS_MAX}`, says: 'field_too_long', params: { columnName: column, length: String(text.length), max: String(FIELD_CHARS_MAX) } };
  return text;
}

export function rejectionOf(problem: CellProblem, line: number, column: string | null, raw: string): Rejection {
  const rejection = { line, column, code: problem.code, reason: problem.reason, raw };
  return problem.says === undefined ? rejection : { ...rejection, says: problem.says, params: problem.params ?? {} };
}

/** V8 keeps a substring of this many characters or more as a view into the text it was cut from. */
const SLICE_CHARS_MIN = 13;

/**
 * The text as a string of its own, for a cell a transaction keeps (a description, an id): a cut
 * of 13+ characters would hold the whole piece of the file it came from, so a million kept cells
 * keep the file's text alive. The copy has the same characters.
 */
export function ownText(text: string): string {
  if (text.length < SLICE_CHARS_MIN) return text;
  // join() writes its parts into one new string (a `+` would make a pair the collector may keep
  // beside the copy); two parts, as one would be returned as it is. Splitting into characters
  // first took four times as long.
  return [text.slice(0, 1), text.slice(1)].join('');
}

/**
 * ASCII bytes[start, end) as text. Up to 12 characters by one String.fromCharCode of the codes
 * (a flat string, no view or array: a quarter of the time of fromCharCode.apply over a subarray,
 * and most cells a scanner keeps are this short); longer through the subarray.
 */
export function asciiText(bytes: Uint8Array, start: number, end: number): string {
  const b = bytes;
  const s = start;
  switch (end - start) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(b[s] as number);
    case 2:
      return String.fromCharCode(b[s] as number, b[s + 1] as number);
    case 3:
      return String.fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number);
    case 4:
      return String.fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number);
    case 5:
      return String.fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number);
    case 6:
      return String.fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number, b[s + 5] as number);
    case 7:
      return String.fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number, b[s + 5] as number, b[s + 6] as number);
    case 8:
      return String.fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number, b[s + 5] as number, b[s + 6] as number, b[s + 7] as number);
    case 9:
      return String.fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number, b[s + 5] as number, b[s + 6] as number, b[s + 7] as number, b[s + 8] as number);
    case 10:
      return String.fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number, b[s + 5] as number, b[s + 6] as number, b[s + 7] as number, b[s + 8] as number, b[s + 9] as number);
    case 11:
      return String.fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number, b[s + 5] as number, b[s + 6] as number, b[s + 7] as number, b[s + 8] as number, b[s + 9] as number, b[s + 10] as number);
    case 12:
      return String.fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number, b[s + 5] as number, b[s + 6] as number, b[s + 7] as number, b[s + 8] as number, b[s + 9] as number, b[s + 10] as number, b[s + 11] as number);
    default:
      return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
}

const AMOUNT_SLOT_BITS = 17;
/** Amounts of fewer than 2^40 minor units and at most 255 characters are shared (their key is then exact). */
const SHARED_AMOUNT_MINOR_MAX = 2 ** 40;
const SHARED_AMOUNT_CHARS_MAX = 255;

/**
 * A scanner's amount texts, one string per amount written alike, looked up without a map or a
 * comparison of characters (a Map of ~100k amounts and a comparison with a cold string were 10-20 %
 * of a scanner's time). The texts are canonical decimals as a scanner takes them
 * (-?(0|[1-9]\d*)(\.\d+)?, no non-zero digit past the currency's exponent), so the minor units,
 * the exponent, the length and the sign say every character: the integer and fraction digits are
 * those of the minor units, the length says how many fraction digits are written (fewer than the
 * exponent only when the cut ones are zeros, more only as zeros). That makes one exact number the
 * key; a slot (the minor units' low 17 bits, so one value written two ways takes turns in one
 * slot) is trusted on its key alone, and a newer key takes it. 131,072 slots (1.5 MB) shared as
 * many amounts of the bench as 524,288 by a multiplicative hash did, with fewer cache misses.
 */
export class AmountTexts {
  private readonly keys = new Float64Array(1 << AMOUNT_SLOT_BITS).fill(Number.NaN);
  private readonly texts = new Array<string>(1 << AMOUNT_SLOT_BITS).fill('');
  private slot = -1;
  private key = 0;

  /** The text kept for this amount, or null: then keep() the text made for it. */
  find(minor: number, exponent: number, length: number, negative: boolean): string | null {
    if (!(Math.abs(minor) < SHARED_AMOUNT_MINOR_MAX && length <= SHARED_AMOUNT_CHARS_MAX && exponent < 8)) {
      this.slot = -1;
      return null;
    }
    // Exact below 2^52: minor units x 256 lengths x 8 exponents x 2 signs.
    this.key = (((minor * 256 + length) * 8 + exponent) * 2) + (negative ? 1 : 0);
    this.slot = minor & ((1 << AMOUNT_SLOT_BITS) - 1);
    return this.keys[this.slot] === this.key ? (this.texts[this.slot] as string) : null;
  }

  /** Keeps the text of the amount find() last missed, and gives it back. */
  keep(text: string): string {
    if (this.slot !== -1) {
      this.keys[this.slot] = this.key;
      this.texts[this.slot] = text;
    }
    return text;
  }
}

/** The number written by the ASCII digits text[start, start + count), or -1 when one is not a digit (a date's or time's fields). */
export function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Bounded memo for per-row work whose inputs repeat (dates, pseudonyms). */
export class BoundedMemo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly entriesMax: number) {}

  get(key: string, compute: (key: string) => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const value = compute(key);
    if (this.map.size >= this.entriesMax) this.map.clear();
    this.map.set(key, value);
    return value;
  }
}
