import { assert } from '../assert.ts';
import { SettleDeskError, type ErrorLocation } from '../errors.ts';

/**
 * Parses amounts as real files write them ("1.234,56", "(12.00)", "12-") into canonical decimal
 * strings, character by character: no JS float is ever involved. Hand-written because no library
 * parses locale amounts without going through Number.
 */
export interface AmountFormat {
  readonly decimalSeparator: '.' | ',';
  /** Thousands separators accepted between groups of three digits; empty when none is allowed. */
  readonly groupSeparators: readonly string[];
  /** What an empty cell means. */
  readonly emptyAs: 'reject' | 'zero' | 'null';
  /** What a lone "-" means (reports print it for zero). */
  readonly dashAs: 'reject' | 'zero' | 'null';
}

const SPACES = [' ', '\u00a0', '\u202f'];

export const AMOUNT_FORMATS = {
  /** 1234.56 */
  plain: { decimalSeparator: '.', groupSeparators: [], emptyAs: 'reject', dashAs: 'reject' },
  /** 1,234.56 */
  en: { decimalSeparator: '.', groupSeparators: [','], emptyAs: 'reject', dashAs: 'reject' },
  /** 1.234,56 */
  de: { decimalSeparator: ',', groupSeparators: ['.'], emptyAs: 'reject', dashAs: 'reject' },
  /** 1 234,56 (space, no-break space or narrow no-break space) */
  fr: { decimalSeparator: ',', groupSeparators: SPACES, emptyAs: 'reject', dashAs: 'reject' },
  /** 1'234.56 */
  ch: { decimalSeparator: '.', groupSeparators: ["'", '\u2019'], emptyAs: 'reject', dashAs: 'reject' },
  /** 1234,56 */
  'plain-comma': { decimalSeparator: ',', groupSeparators: [], emptyAs: 'reject', dashAs: 'reject' },
} as const satisfies Record<string, AmountFormat>;

export type AmountFormatName = keyof typeof AMOUNT_FORMATS;

/** Reason codes, ordered from the most to the least specific. Tests assert the code. */
export type AmountErrorCode =
  | 'amount_empty'
  | 'amount_too_long'
  | 'amount_exponent'
  | 'amount_sign_ambiguous'
  | 'amount_grouping'
  | 'amount_not_decimal';

export const AMOUNT_TEXT_LENGTH_MAX = 64;

/**
 * Why an amount text is refused, finer than its code, with the values its words name: the
 * English below is built from the cause and values alone, so a screen can say the same in
 * another language (renderer rejection-reasons' `problem` texts, word for word in English).
 */
const AMOUNT_CAUSES = {
  too_long: { code: 'amount_too_long', words: (values) => `longer than ${values.max} characters` },
  empty: { code: 'amount_empty', words: () => 'empty, expected a number' },
  lone_dash: { code: 'amount_empty', words: () => 'a lone "-", expected a number' },
  exponent: { code: 'amount_exponent', words: () => 'exponent notation is not accepted in amounts' },
  sign_ambiguous: { code: 'amount_sign_ambiguous', words: () => 'more than one sign (minus, trailing minus or parentheses)' },
  fraction_not_digits: { code: 'amount_not_decimal', words: (values) => `expected digits after the decimal separator "${values.decimalSeparator}"` },
  no_digits: { code: 'amount_not_decimal', words: () => 'no digits' },
  decimal_twice: { code: 'amount_not_decimal', words: (values) => `more than one decimal separator "${values.decimalSeparator}"` },
  grouping: { code: 'amount_grouping', words: (values) => `digit grouping does not match the format (decimal separator "${values.decimalSeparator}", group separators ${values.groupSeparators})` },
  not_a_number: { code: 'amount_not_decimal', words: () => 'expected a number such as 1234.56' },
} as const satisfies Record<string, { readonly code: AmountErrorCode; readonly words: (values: Readonly<Record<string, string>>) => string }>;

export type AmountCause = keyof typeof AMOUNT_CAUSES;
export const AMOUNT_CAUSE_NAMES = Object.keys(AMOUNT_CAUSES) as AmountCause[];

export type AmountParseResult =
  | { readonly ok: true; readonly value: string | null }
  | {
      readonly ok: false;
      readonly code: AmountErrorCode;
      readonly cause: AmountCause;
      /** What the cause's words name (a separator, a limit), all text. */
      readonly values: Readonly<Record<string, string>>;
      /** The refused text as the message quotes it: whole, or its first 20 characters and an ellipsis past the length limit. */
      readonly text: string;
      readonly message: string;
    };

function fail(cause: AmountCause, text: string, values: Readonly<Record<string, string>> = {}): AmountParseResult {
  const { code, words } = AMOUNT_CAUSES[cause];
  return { ok: false, code, cause, values, text, message: `amount ${JSON.stringify(text)}: ${words(values)}` };
}

function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && /\s/.test(text.charAt(start))) start++;
  while (end > start && /\s/.test(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Splits off the sign: leading -/+, trailing - (12-), or parentheses ((12.00)). */
function splitSign(text: string): { negative: boolean; body: string } | 'ambiguous' {
  let body = text;
  let signs = 0;
  let negative = false;
  if (body.startsWith('-') || body.startsWith('+')) {
    negative = body.startsWith('-');
    body = trimSpaces(body.slice(1));
    signs++;
  }
  if (body.startsWith('(') && body.endsWith(')')) {
    body = trimSpaces(body.slice(1, -1));
    negative = true;
    signs++;
  }
  if (body.endsWith('-')) {
    negative = true;
    body = trimSpaces(body.slice(0, -1));
    signs++;
  }
  return signs > 1 ? 'ambiguous' : { negative, body };
}

function isDigits(text: string): boolean {
  return /^\d+$/.test(text);
}

/** Removes group separators, checking that groups after the first have exactly three digits. */
function ungroup(integer: string, format: AmountFormat): string | null {
  const separator = format.groupSeparators.find((candidate) => integer.includes(candidate));
  if (separator === undefined) return isDigits(integer) ? integer : null;
  const groups = integer.split(separator);
  const [first, ...rest] = groups;
  if (first === undefined || first.length === 0 || first.length > 3 || !isDigits(first)) return null;
  if (!rest.every((group) => group.length === 3 && isDigits(group))) return null;
  return groups.join('');
}

function canonical(negative: boolean, integer: string, fraction: string): string {
  const whole = integer.replace(/^0+(?=\d)/, '') || '0';
  const text = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  const isZero = /^[0.]+$/.test(text);
  return negative && !isZero ? `-${text}` : text;
}

export function parseAmount(raw: string, format: AmountFormat): AmountParseResult {
  if (raw.length > AMOUNT_TEXT_LENGTH_MAX) return fail('too_long', raw.slice(0, 20) + '…', { max: String(AMOUNT_TEXT_LENGTH_MAX) });
  const text = trimSpaces(raw);
  if (text.length === 0) {
    if (format.emptyAs === 'reject') return fail('empty', raw);
    return { ok: true, value: format.emptyAs === 'zero' ? '0' : null };
  }
  if (text === '-') {
    if (format.dashAs === 'reject') return fail('lone_dash', raw);
    return { ok: true, value: format.dashAs === 'zero' ? '0' : null };
  }
  if (/\d[eE][+-]?\d/.test(text)) return fail('exponent', raw);
  const signed = splitSign(text);
  if (signed === 'ambiguous') return fail('sign_ambiguous', raw);
  const { decimalSeparator } = format;
  const decimalAt = signed.body.lastIndexOf(decimalSeparator);
  const integerText = decimalAt === -1 ? signed.body : signed.body.slice(0, decimalAt);
  const fraction = decimalAt === -1 ? '' : signed.body.slice(decimalAt + 1);
  if (fraction.length > 0 && !isDigits(fraction)) return fail('fraction_not_digits', raw, { decimalSeparator });
  if (integerText.length === 0 && fraction.length === 0) return fail('no_digits', raw);
  if (integerText.includes(decimalSeparator) && !format.groupSeparators.includes(decimalSeparator)) return fail('decimal_twice', raw, { decimalSeparator });
  const integer = integerText.length === 0 ? '0' : ungroup(integerText, format);
  if (integer === null) {
    const looksGrouped = /^[\d.,' \u00a0\u202f\u2019]+$/.test(integerText);
    return looksGrouped ? fail('grouping', raw, { decimalSeparator, groupSeparators: JSON.stringify(format.groupSeparators) }) : fail('not_a_number', raw);
  }
  return { ok: true, value: canonical(signed.negative, integer, fraction) };
}

export class AmountParseError extends SettleDeskError {
  constructor(code: AmountErrorCode, message: string, location: ErrorLocation) {
    super(code, message, location);
  }
}

/** Like parseAmount, but throws a located error and never yields null. */
export function parseAmountOrThrow(raw: string, format: AmountFormat, location: ErrorLocation = {}): string {
  const result = parseAmount(raw, format);
  // A format that reads an empty cell as null still needs an amount here.
  const refused = result.ok && result.value === null ? fail('empty', raw) : result;
  if (!refused.ok) throw new AmountParseError(refused.code, refused.message, location);
  assert(refused.value !== null, 'only an empty cell reads as null');
  return refused.value;
}
