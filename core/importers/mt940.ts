/**
 * MT940 customer statement importer, written by hand: LIBRARY-NOTES.md measured the npm parsers
 * on our real files (mt940js reads 0 of 5; mt940-js returns unsigned float amounts), and the
 * format is small enough to own: tag lines, the :61: layout, :86: free text or subfields.
 *
 * Dialects handled, each seen in a real file: bank header lines before :20: (ABN AMRO, ING),
 * SOH/ETX wrapping (mBank), SWIFT block envelopes, blank lines, statements ended by '-', '-XXX'
 * or just by the next :20:, :61: with or without entry date and funds code, reversal marks,
 * comma amounts with an empty or short fraction ('9,', '11,8', '500'), and :86: over many lines.
 *
 * Errors: a file with no statement is unrecognized; a statement without :25: or :60a: is malformed.
 * One bad :61: (date, amount, mark) is a Rejection and the rest of the file still imports, and so
 * is a tag line that lost its leading colon ('61:...'), which is never read as text of the field before.
 *
 * Lenient where the money is still unambiguous, each with a 'format_rule_broken' warning naming the
 * line: a statement without its closing balance (also when the file ends inside it: a cut :61: has
 * no type code and is rejected), a zero balance without its C/D mark (a non-zero one is left out,
 * its sign would be a guess), amounts padded with any run of leading zeros, and an amount without
 * its decimal comma (Knab writes 'C500NTRF'; the balance check still catches a misreading), a
 * tag line indented by spaces, and spaces between the :61: date, mark and amount subfields.
 */
import { assert } from '../assert.ts';
import { FileImportError } from '../ingest/errors.ts';
import type { Importer, ParseOutput, ParsedEntry, ParsedStatement } from '../ingest/importer.ts';
import type { Rejection, RejectionCode } from '../ingest/result.ts';
import { isDecimalString } from '../money/decimal.ts';
import { isCurrencyCode, minorUnitsOf } from '../money/iso4217.ts';
import { fromMinorUnits, toMinorUnits } from '../money/minor.ts';
import { AMOUNT_FORMATS, parseAmount } from '../money/parse.ts';
import type { RejectionSaid } from './row-values.ts';
import { BrokenRules, type BrokenRule, calendarDate, dateFromYymmdd, shorten, splitLines, type TextLine } from './text-lines.ts';

/** SWIFT allows 16-35 characters for :20:, :25:, :28C:; anything this long is not an identifier. */
const IDENTIFIER_LENGTH_MAX = 64;
/** A :61: is at most about 100 characters (value date to supplementary details). */
const FIELD_61_LENGTH_MAX = 256;
/** SWIFT allows 6 x 65 characters of :86:; banks extend it, but not by ten times. */
export const FIELD_86_LENGTH_MAX = 4096;
/** Lines scanned by the sniffer: ABN AMRO and ING put three header lines before :20:. */
const SNIFF_LINES_MAX = 12;

const TAG_LINE = /^:(\d{2}[A-Z]?):/;
/** A money tag whose leading colon was lost ('61:2401...', '62F:C2401...'): reported, never joined to the field before. */
const COLON_LOST_TAG = /^(61|6[02][FM]):(?=[CD]?\d{6})/;
/** SWIFT's 15d: at most 15 characters once leading zeros (which some banks pad with) are dropped. */
const AMOUNT_SIGNIFICANT_LENGTH_MAX = 15;
/** '-' ends a statement; ING writes '-XXX', SWIFT envelopes '-}'. */
const END_MARKER = /^-(?:XXX)?\}?$/;
/** SOH and ETX wrap mBank's files; they are transport framing, not content. */
const withoutFraming = (text: string): string => text.replaceAll('\u0001', '').replaceAll('\u0003', '');
const MT940_AMOUNT = AMOUNT_FORMATS['plain-comma'];

interface TagField {
  readonly tag: string;
  readonly line: number;
  /** Written without its leading colon: the line is reported as rejected. */
  readonly colonLost: boolean;
  /** lines[0] is the text after ':tag:'; further lines are continuations. */
  readonly lines: string[];
}

interface StatementBlock {
  readonly fields: readonly TagField[];
  /** The block's position among the file's statements. */
  readonly index: number;
  /** How the statement ended: an end marker, the next :20:, or the end of the file. */
  readonly ending: 'marker' | 'next' | 'eof';
}

interface Balance {
  readonly tag: string;
  readonly line: number;
  /** Signed; null when the balance is left out (no C/D mark on a non-zero amount). */
  readonly amount: string | null;
  readonly currency: string;
}

interface StatementContext {
  readonly account: string;
  readonly currency: string;
  readonly statementIndex: number;
  readonly rules: BrokenRules;
}

interface EntryFields {
  readonly field61: TagField;
  readonly field86: TagField | null;
}

/**
 * Why a statement cannot be read, as a code and the values its words name (all text): the English
 * is built from them alone, and the renderer's rejection-reasons `mt940Problem` texts say the same
 * words, and Korean from the same values.
 */
const MT940_PROBLEMS = {
  before_statement: () => 'appears before any :20: (a statement starts with :20:)',
  identifier_empty: () => 'is empty',
  balance_layout: (values) => `"${values.value}": expected C or D, a YYMMDD date, a currency and an amount such as C110522EUR3236,28`,
  balance_date: (values) => `date "${values.value}" is not a calendar date (YYMMDD)`,
  balance_currency: (values) => `currency "${values.value}" is not an ISO 4217 code`,
  account_twice: () => 'a statement has one account (:25:)',
  opening_twice: () => 'a statement has one opening balance',
  entry_before_opening: () => 'an entry before the opening balance :60F:/:60M:',
  entry_after_closing: () => 'an entry after the closing balance :62F:/:62M:',
  closing_without_opening: () => 'a closing balance without an opening balance :60F:/:60M:',
  closing_twice: () => 'a statement has one closing balance',
  account_missing: (values) => `missing: statement starting at line ${values.start} names no account`,
  opening_missing: (values) => `missing: statement starting at line ${values.start} has no opening balance`,
  currencies_differ: (values) => `closing currency ${values.closing} differs from opening currency ${values.opening}`,
} as const satisfies Record<string, (values: Readonly<Record<string, string>>) => string>;
type Mt940Problem = { readonly problem: keyof typeof MT940_PROBLEMS } & Readonly<Record<string, string>>;
export const MT940_PROBLEM_CODES = Object.keys(MT940_PROBLEMS) as Mt940Problem['problem'][];

function malformed(fileName: string, field: Pick<TagField, 'tag' | 'line'>, said: Mt940Problem): FileImportError {
  const why = MT940_PROBLEMS[said.problem](said);
  return new FileImportError('file_malformed', `${fileName}: line ${field.line}, :${field.tag}: ${why}`, { file: fileName, line: field.line, column: `:${field.tag}:` }, { says: 'mt940_malformed', line: String(field.line), tag: field.tag, ...said });
}

export function sniffMt940(head: string, _fileName: string): boolean {
  const lines = withoutFraming(head.replace(/^\uFEFF/, '')).split(/\r\n|\r|\n/, SNIFF_LINES_MAX);
  return lines.some((line) => /^\s*(?:\{4:)?:20:/.test(line));
}

interface CollectedStatements {
  readonly blocks: StatementBlock[];
  /** Money tags that lost their colon outside any statement (among bank header lines). */
  readonly strays: TagField[];
}

/** Groups lines into statements of tag fields; other lines outside statements are bank headers and skipped. */
function collectStatements(lines: readonly TextLine[], fileName: string, rules: BrokenRules): CollectedStatements {
  const blocks: StatementBlock[] = [];
  const strays: TagField[] = [];
  let fields: TagField[] | null = null;
  const close = (ending: StatementBlock['ending']) => {
    if (fields !== null) blocks.push({ fields, index: blocks.length, ending });
    fields = null;
  };
  for (const line of lines) {
    const text = withoutFraming(line.text);
    const trimmed = text.trim();
    if (trimmed.length === 0) continue;
    // A tag indented by spaces is still the tag: read as text it would hide an entry in the field before.
    const indent = text.length - text.trimStart().length;
    const tag = TAG_LINE.exec(text.slice(indent));
    const lost = tag === null ? COLON_LOST_TAG.exec(text.slice(indent)) : null;
    if (indent > 0 && (tag !== null || lost !== null)) rules.note({ says: 'indented_tag', english: 'a tag line indented by spaces (a tag starts its line)' }, line.number);
    if (tag !== null) {
      const name = tag[1] ?? '';
      if (name === '20') {
        close('next');
        fields = [];
      } else if (fields === null) {
        throw malformed(fileName, { tag: name, line: line.number }, { problem: 'before_statement' });
      }
      fields.push({ tag: name, line: line.number, colonLost: false, lines: [text.slice(indent + tag[0].length)] });
    } else if (lost !== null) {
      const field: TagField = { tag: lost[1] ?? '', line: line.number, colonLost: true, lines: [text] };
      if (fields === null) strays.push(field);
      else fields.push(field);
    } else if (END_MARKER.test(trimmed)) {
      close('marker');
    } else if (fields !== null) {
      const last = fields[fields.length - 1];
      assert(last !== undefined, 'an open statement has at least its :20: field');
      last.lines.push(text);
    }
  }
  close('eof');
  if (blocks.length === 0) {
    throw new FileImportError('file_format_unrecognized', `${fileName}: no MT940 statement found (expected a line starting with :20:)`, { file: fileName, line: 1, column: 1 }, { says: 'mt940_no_statement' });
  }
  return { blocks, strays };
}

function identifier(field: TagField, fileName: string): string {
  const value = (field.lines[0] ?? '').trim();
  if (value.length === 0) throw malformed(fileName, field, { problem: 'identifier_empty' });
  if (value.length > IDENTIFIER_LENGTH_MAX) {
    throw new FileImportError('field_too_long', `${fileName}: line ${field.line}, :${field.tag}: longer than ${IDENTIFIER_LENGTH_MAX} characters`, { file: fileName, line: field.line, column: `:${field.tag}:` }, { says: 'mt940_identifier_too_long', line: String(field.line), tag: field.tag, max: String(IDENTIFIER_LENGTH_MAX) });
  }
  return value;
}

type AmountResult =
  | { readonly ok: true; readonly amount: string; readonly commaMissing: boolean }
  | { readonly ok: false; readonly code: RejectionCode; readonly reason: string; readonly said: RejectionSaid };

const COMMA_MISSING: BrokenRule = { says: 'comma_missing', english: 'an amount without its decimal comma (read as a whole number)' };

/** Reads an MT940 amount (digits and one decimal comma) exactly, signs it and scales it to the currency. */
function readAmount(text: string, negative: boolean, currency: string): AmountResult {
  // Leading zeros carry no value: a bank that pads to 16 characters writes the same amount.
  const significant = text.replace(/^0+(?=\d)/, '');
  if (significant.length > AMOUNT_SIGNIFICANT_LENGTH_MAX) {
    const said = { says: 'mt940_amount_too_long', params: { value: shorten(text, 20), max: String(AMOUNT_SIGNIFICANT_LENGTH_MAX) } };
    return { ok: false, code: 'amount_too_long', reason: `amount ${JSON.stringify(shorten(text, 20))} has more than the ${AMOUNT_SIGNIFICANT_LENGTH_MAX} significant characters MT940 allows`, said };
  }
  if (text.length === 0) return { ok: false, code: 'amount_empty', reason: 'amount is missing', said: { says: 'mt940_amount_missing', params: {} } };
  if (!/^[\d,]+$/.test(significant)) return { ok: false, code: 'amount_not_decimal', reason: `amount ${JSON.stringify(shorten(text, 20))}: expected digits and a decimal comma, such as 1234,56`, said: { says: 'mt940_amount_not_decimal', params: { value: shorten(text, 20) } } };
  const parsed = parseAmount(significant, MT940_AMOUNT);
  // parseAmount's words are said by their cause and its values, as camt's and OFX's amounts.
  if (!parsed.ok) return { ok: false, code: parsed.code, reason: parsed.message, said: { says: 'amount_text_unreadable', params: { ...parsed.values, value: parsed.text, problem: parsed.cause } } };
  assert(parsed.value !== null && isDecimalString(parsed.value), 'parseAmount yields a canonical decimal for a non-empty amount');
  const exponent = minorUnitsOf(currency);
  let minor: number | bigint;
  try {
    minor = toMinorUnits(parsed.value, exponent);
  } catch {
    const said = { says: 'amount_text_minor_units', params: { value: text, currency, digits: String(exponent) } };
    return { ok: false, code: 'amount_minor_units', reason: `amount ${JSON.stringify(text)} has more decimals than ${currency} allows (${exponent})`, said };
  }
  const signed = negative ? (typeof minor === 'bigint' ? -minor : -minor) : minor;
  return { ok: true, amount: fromMinorUnits(signed, exponent), commaMissing: !significant.includes(',') };
}

/**
 * :60F:/:60M:/:62F:/:62M: — C or D, YYMMDD, currency, amount. A bad balance makes the statement
 * unreadable; a missing C/D mark is harmless on zero and leaves a non-zero balance out (a guess).
 */
function readBalance(field: TagField, fileName: string, rules: BrokenRules): Balance {
  const content = (field.lines[0] ?? '').trim();
  const match = /^(C|D)?(\d{6})([A-Z]{3})(.*)$/.exec(content);
  if (match === null) throw malformed(fileName, field, { problem: 'balance_layout', value: shorten(content, 40) });
  const [, mark, dateText = '', currency = '', amountText = ''] = match;
  if (dateFromYymmdd(dateText) === null) throw malformed(fileName, field, { problem: 'balance_date', value: dateText });
  if (!isCurrencyCode(currency)) throw malformed(fileName, field, { problem: 'balance_currency', value: currency });
  const amount = readAmount(amountText, mark === 'D', currency);
  if (!amount.ok) {
    // The amount's own reason (an entry's words) said as the refusal: its code as amountSays, like camt's balances.
    const said = { ...amount.said.params, says: 'mt940_balance_amount', line: String(field.line), tag: field.tag, amountSays: amount.said.says };
    throw new FileImportError('file_malformed', `${fileName}: line ${field.line}, :${field.tag}: ${amount.reason}`, { file: fileName, line: field.line, column: `:${field.tag}:` }, said);
  }
  if (amount.commaMissing) rules.note(COMMA_MISSING, field.line);
  if (mark === undefined) {
    if (/^-?0(?:\.0+)?$/.test(amount.amount)) {
      rules.note({ says: 'zero_balance_unsigned', english: `a zero balance :${field.tag}: without its C/D mark (zero needs no sign)`, params: { tag: field.tag } }, field.line);
    } else {
      rules.note({ says: 'balance_unsigned', english: `a balance :${field.tag}: without its C/D mark: its sign would be a guess, so the balance is left out`, params: { tag: field.tag } }, field.line);
      return { tag: field.tag, line: field.line, amount: null, currency };
    }
  }
  return { tag: field.tag, line: field.line, amount: amount.amount, currency };
}

/** The booking date from an MMDD entry date: the year that puts it nearest the value date (entries straddle New Year). */
function nearestDate(valueDate: string, monthDay: string): string | null {
  const year = Number(valueDate.slice(0, 4));
  const month = Number(monthDay.slice(0, 2));
  const day = Number(monthDay.slice(2, 4));
  const anchor = Date.parse(valueDate);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidateYear of [year - 1, year, year + 1]) {
    const candidate = calendarDate(candidateYear, month, day);
    if (candidate === null) continue;
    const distance = Math.abs(Date.parse(candidate) - anchor);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

interface Information {
  readonly description: string | null;
  readonly counterpartyName: string | null;
  readonly counterpartyAccount: string | null;
  readonly endToEndId: string | null;
}

const nonEmpty = (text: string | undefined): string | null => {
  const trimmed = (text ?? '').trim();
  return trimmed.length > 0 ? trimmed : null;
};

/** SEPA keys inside a remittance text (EREF+..., SVWZ+...), as German and Dutch banks write them. */
function sepaKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  const marks = [...text.matchAll(/(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE)\+/g)];
  marks.forEach((mark, index) => {
    const start = (mark.index ?? 0) + mark[0].length;
    const end = marks[index + 1]?.index ?? text.length;
    keys.set(mark[1] ?? '', text.slice(start, end).trim());
  });
  return keys;
}

/** '?20'- or '>20'-numbered subfields: 20-29 and 60-63 remittance, 31 account, 32-33 name. */
function readNumberedSubfields(joined: string, separator: '?' | '>'): Information {
  const fields = new Map<number, string>();
  const marks = [...joined.matchAll(separator === '?' ? /\?(\d{2})/g : />(\d{2})/g)];
  marks.forEach((mark, index) => {
    const code = Number(mark[1]);
    const value = joined.slice((mark.index ?? 0) + 3, marks[index + 1]?.index ?? joined.length);
    fields.set(code, (fields.get(code) ?? '') + value);
  });
  const pick = (codes: readonly number[]): string => codes.map((code) => fields.get(code) ?? '').join('');
  const remittance = pick([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 60, 61, 62, 63]).trim();
  const sepa = sepaKeys(remittance);
  const endToEnd = sepa.get('EREF');
  return {
    description: nonEmpty(sepa.get('SVWZ')) ?? nonEmpty(remittance) ?? nonEmpty(fields.get(0)) ?? nonEmpty(joined),
    counterpartyName: nonEmpty(pick([32, 33])),
    counterpartyAccount: nonEmpty(fields.get(31)),
    endToEndId: endToEnd === undefined || endToEnd === 'NOTPROVIDED' ? null : nonEmpty(endToEnd),
  };
}

const SLASH_KEYS = ['TRTP', 'IBAN', 'BIC', 'NAME', 'REMI', 'EREF', 'MARF', 'CSID', 'CNTP', 'ORDP', 'BENM', 'ULTC', 'ULTD', 'PURP', 'ADDR', 'RTRN', 'SVCL', 'ISDT'];
const SLASH_KEY_PATTERN = new RegExp(`/(${SLASH_KEYS.join('|')})(?=/)`, 'g');

/** '/KEY/value' subfields (ABN AMRO, ING and Rabobank SEPA layouts). */
function readSlashSubfields(joined: string): Information {
  const fields = new Map<string, string>();
  const marks = [...joined.matchAll(SLASH_KEY_PATTERN)];
  marks.forEach((mark, index) => {
    const key = mark[1] ?? '';
    const value = joined.slice((mark.index ?? 0) + key.length + 2, marks[index + 1]?.index ?? joined.length);
    if (!fields.has(key)) fields.set(key, value.replace(/\/+$/, ''));
  });
  // ING: /CNTP/<account>/<BIC>/<name>/<place>/
  const counterparty = (fields.get('CNTP') ?? '').split('/');
  const remittance = (fields.get('REMI') ?? '').replace(/^USTD\/\/?|^STRD\/CUR\//, '');
  const endToEnd = fields.get('EREF');
  return {
    description: nonEmpty(remittance) ?? nonEmpty(joined),
    counterpartyName: nonEmpty(fields.get('NAME')) ?? nonEmpty(counterparty[2]),
    counterpartyAccount: nonEmpty(fields.get('IBAN')) ?? nonEmpty(counterparty[0]),
    endToEndId: endToEnd === undefined || endToEnd === 'NOTPROVIDED' ? null : nonEmpty(endToEnd),
  };
}

/** :86: text: structured subfields where the bank writes them, else free text (Knab's 'REK: ... /NAAM: ...' read out). */
function readInformation(lines: readonly string[]): Information {
  const joined = lines.join('');
  const numbered = /^(?:\d{3})?([?>])\d{2}/.exec(joined);
  if (numbered !== null) return readNumberedSubfields(joined, numbered[1] === '?' ? '?' : '>');
  if (/^\/[A-Z]{2,4}\//.test(joined)) return readSlashSubfields(joined);
  const knab = lines.map((line) => /REK: ([A-Z]{2}\d{2}[A-Z0-9]{1,30})\/NAAM: (.+)$/.exec(line.trim())).find((match) => match !== null);
  return {
    description: nonEmpty(
      lines
        .map((line) => line.trim())
        .filter((line) => line.length > 0)
        .join(' '),
    ),
    counterpartyName: nonEmpty(knab?.[2]),
    counterpartyAccount: nonEmpty(knab?.[1]),
    endToEndId: null,
  };
}

interface Line61 {
  readonly ok: true;
  /** Spaces stood between the date, mark and amount subfields. */
  readonly padded: boolean;
  readonly commaMissing: boolean;
  readonly valueDate: string;
  readonly bookingDate: string;
  readonly amount: string;
  readonly customerReference: string | null;
  readonly bankReference: string | null;
}

type Line61Result = Line61 | { readonly ok: false; readonly code: RejectionCode; readonly reason: string; readonly said: RejectionSaid };

/** The first :61: line: YYMMDD value date, [MMDD entry date], C/D/RC/RD, [funds code], amount, type, references. */
function read61(first: string, currency: string): Line61Result {
  const fail = (code: RejectionCode, reason: string, said: RejectionSaid): Line61Result => ({ ok: false, code, reason, said });
  const near = (at: number): string => shorten(first.slice(at), 12);
  if (first.trim().length === 0) return fail('date_missing', ':61: is empty; expected a YYMMDD value date first', { says: 'mt940_61_empty', params: {} });
  let at = 0;
  let padded = false;
  // Spaces between the fixed subfields (before the type code) change no digit: skipped, and reported.
  const skipSpaces = () => {
    const spaces = /^ +/.exec(first.slice(at))?.[0].length ?? 0;
    if (spaces > 0) padded = true;
    at += spaces;
  };
  skipSpaces();
  const valueDate = dateFromYymmdd(first.slice(at, at + 6));
  if (valueDate === null) return fail('date_invalid', `value date ${JSON.stringify(first.slice(at, at + 6))} is not a calendar date (YYMMDD)`, { says: 'value_date_yymmdd', params: { value: first.slice(at, at + 6) } });
  at += 6;
  skipSpaces();
  let bookingDate: string | null = valueDate;
  if (/^\d{4}/.test(first.slice(at))) {
    bookingDate = nearestDate(valueDate, first.slice(at, at + 4));
    if (bookingDate === null) return fail('date_invalid', `entry date ${JSON.stringify(first.slice(at, at + 4))} is not a calendar date (MMDD)`, { says: 'mt940_entry_date', params: { value: first.slice(at, at + 4) } });
    at += 4;
    skipSpaces();
  }
  const mark = /^(RC|RD|C|D)/.exec(first.slice(at))?.[1];
  if (mark === undefined) return fail('field_invalid', `expected the debit/credit mark C, D, RC or RD at ${JSON.stringify(near(at))}`, { says: 'mt940_mark_expected', params: { near: near(at) } });
  at += mark.length;
  if (/^[A-Z]/.test(first.slice(at))) at += 1; // funds code, the third letter of the currency code
  skipSpaces();
  const amountRaw = /^[^A-Z]*/.exec(first.slice(at))?.[0] ?? '';
  const amountText = amountRaw.trimEnd();
  if (amountText.length < amountRaw.length) padded = true;
  at += amountRaw.length;
  // C and RD (reversal of a debit) bring money in; D and RC (reversal of a credit) take it out.
  const amount = readAmount(amountText, mark === 'D' || mark === 'RC', currency);
  if (!amount.ok) return fail(amount.code, amount.reason, amount.said);
  // S, N or F and three characters; banks pad the three with spaces ('S   '), as they do in practice.
  const type = /^[NSF][A-Z0-9 ]{3}/.exec(first.slice(at))?.[0];
  if (type === undefined) return fail('field_invalid', `expected a transaction type such as NTRF after the amount at ${JSON.stringify(near(at))}`, { says: 'mt940_type_expected', params: { near: near(at) } });
  const references = first.slice(at + type.length);
  const split = references.indexOf('//');
  return {
    ok: true,
    padded,
    commaMissing: amount.commaMissing,
    valueDate,
    bookingDate,
    amount: amount.amount,
    customerReference: nonEmpty(split === -1 ? references : references.slice(0, split)),
    bankReference: split === -1 ? null : nonEmpty(references.slice(split + 2)),
  };
}

type EntryResult = { readonly ok: true; readonly entry: ParsedEntry } | { readonly ok: false; readonly rejection: Rejection };

/** A money tag line that lost its leading colon: its English, and the same as a code and values. */
const colonLostReason = (field: TagField): string => `${JSON.stringify(shorten(field.lines[0] ?? '', 12))}: a tag line without its leading colon (expected :${field.tag}:)`;
const colonLostSaid = (field: TagField): RejectionSaid => ({ says: 'mt940_colon_lost', params: { value: shorten(field.lines[0] ?? '', 12), tag: field.tag } });

/** One :61: (+ :86:) as an entry, or a Rejection naming what is wrong with it. */
function readEntry({ field61, field86 }: EntryFields, statement: StatementContext): EntryResult {
  const raw61 = field61.lines.join('\n');
  const raw86 = field86 === null ? null : field86.lines.join('\n');
  const rawText = `:61:${raw61}${raw86 === null ? '' : `\n:86:${raw86}`}`;
  const reject = (code: RejectionCode, reason: string, { says, params }: RejectionSaid, column = ':61:', line = field61.line): EntryResult => ({
    ok: false,
    rejection: { line, column, code, reason, raw: shorten(rawText), statementIndex: statement.statementIndex, says, params },
  });
  if (field61.colonLost) return reject('record_malformed', colonLostReason(field61), colonLostSaid(field61));
  if (raw61.length > FIELD_61_LENGTH_MAX) return reject('field_too_long', `:61: is longer than ${FIELD_61_LENGTH_MAX} characters`, { says: 'mt940_field_too_long', params: { tag: '61', max: String(FIELD_61_LENGTH_MAX) } });
  if (raw86 !== null && raw86.length > FIELD_86_LENGTH_MAX) {
    return reject('field_too_long', `:86: is longer than ${FIELD_86_LENGTH_MAX} characters`, { says: 'mt940_field_too_long', params: { tag: '86', max: String(FIELD_86_LENGTH_MAX) } }, ':86:', field86?.line ?? field61.line);
  }
  const line = read61((field61.lines[0] ?? '').trimEnd(), statement.currency);
  if (!line.ok) return reject(line.code, line.reason, line.said);
  if (line.commaMissing) statement.rules.note(COMMA_MISSING, field61.line);
  if (line.padded) statement.rules.note({ says: 'spaces_in_61', english: 'stray spaces between the subfields of :61: (MT940 writes them without spaces)' }, field61.line);
  const { valueDate, bookingDate, amount, customerReference, bankReference } = line;
  const information = field86 === null ? null : readInformation(field86.lines);
  const raw: Record<string, string> = { ':61:': raw61 };
  if (raw86 !== null) raw[':86:'] = raw86;
  return {
    ok: true,
    entry: {
      kind: 'transfer',
      occurredAt: bookingDate,
      bookingDate,
      valueDate,
      amount,
      currency: statement.currency,
      account: statement.account,
      partnerId: null,
      productId: null,
      channel: null,
      counterparty: { name: information?.counterpartyName ?? null, account: information?.counterpartyAccount ?? null },
      references: {
        externalId: customerReference === null || customerReference.toUpperCase() === 'NONREF' ? null : customerReference,
        batchId: null,
        endToEndId: information?.endToEndId ?? null,
        bankReference,
      },
      description: information?.description ?? null,
      customerRef: null,
      raw,
      line: field61.line,
      identity: { by: 'fingerprint', namespace: `bank:${statement.account}` },
      statementIndex: statement.statementIndex,
    },
  };
}

interface StatementParts {
  statementId: string | null;
  account: string | null;
  opening: Balance | null;
  closing: Balance | null;
  readonly entries: { field61: TagField; field86: TagField | null }[];
  /** Balance tags without their colon, and a '61:' after the closing balance: rejected lines. */
  readonly strays: TagField[];
}

/** Walks a statement's tags in order, checking that entries sit between the opening and closing balances. */
function statementParts(block: StatementBlock, fileName: string, rules: BrokenRules): StatementParts {
  const parts: StatementParts = { statementId: null, account: null, opening: null, closing: null, entries: [], strays: [] };
  for (const field of block.fields) {
    if (field.colonLost) {
      // An entry whose tag lost its colon still owns the :86: after it; it is rejected, never read.
      if (field.tag === '61' && parts.closing === null) parts.entries.push({ field61: field, field86: null });
      else parts.strays.push(field);
      continue;
    }
    switch (field.tag) {
      case '20':
        parts.statementId = identifier(field, fileName);
        break;
      case '25':
        if (parts.account !== null) throw malformed(fileName, field, { problem: 'account_twice' });
        parts.account = identifier(field, fileName);
        break;
      case '28':
      case '28C':
        identifier(field, fileName);
        break;
      case '60F':
      case '60M':
        if (parts.opening !== null) throw malformed(fileName, field, { problem: 'opening_twice' });
        parts.opening = readBalance(field, fileName, rules);
        break;
      case '61':
        if (parts.opening === null) throw malformed(fileName, field, { problem: 'entry_before_opening' });
        if (parts.closing !== null) throw malformed(fileName, field, { problem: 'entry_after_closing' });
        parts.entries.push({ field61: field, field86: null });
        break;
      case '86': {
        // After a :61: it describes that entry; elsewhere (after :60a: or :62a:) it is statement-level text.
        const last = parts.entries[parts.entries.length - 1];
        if (last === undefined || parts.closing !== null) break;
        if (last.field86 === null) last.field86 = { tag: '86', line: field.line, colonLost: false, lines: [...field.lines] };
        else last.field86.lines.push(...field.lines);
        break;
      }
      case '62F':
      case '62M':
        if (parts.opening === null) throw malformed(fileName, field, { problem: 'closing_without_opening' });
        if (parts.closing !== null) throw malformed(fileName, field, { problem: 'closing_twice' });
        parts.closing = readBalance(field, fileName, rules);
        break;
      default:
        // :21:, :64:, :65:, :13D:, :34F:, :90C:, :90D:, :NS: carry no entries.
        break;
    }
  }
  return parts;
}

interface Collected {
  rowsRead: number;
  readonly entries: ParsedEntry[];
  readonly rejected: Rejection[];
  readonly rules: BrokenRules;
}

/** A money tag line that lost its colon and belongs to no entry: a rejected line, never dropped. */
function rejectStray(field: TagField, statementIndex: number | null, output: Collected): void {
  output.rowsRead++;
  output.rejected.push({
    line: field.line,
    column: `:${field.tag}:`,
    code: 'record_malformed',
    reason: colonLostReason(field),
    raw: shorten(field.lines.join('\n')),
    statementIndex,
    ...colonLostSaid(field),
  });
}

function readStatement(block: StatementBlock, fileName: string, output: Collected): ParsedStatement {
  const start = block.fields[0];
  assert(start !== undefined && start.tag === '20', 'a statement block starts with :20:');
  const parts = statementParts(block, fileName, output.rules);
  const lastLine = block.fields[block.fields.length - 1]?.line ?? start.line;
  if (parts.account === null) throw malformed(fileName, { tag: '25', line: start.line }, { problem: 'account_missing', start: String(start.line) });
  if (parts.opening === null) throw malformed(fileName, { tag: '60F', line: start.line }, { problem: 'opening_missing', start: String(start.line) });
  if (parts.closing === null) {
    const why = block.ending === 'eof' ? 'the file ends inside a statement before its closing balance :62F: (it may have been cut short)' : 'a statement without its closing balance :62F:/:62M:';
    output.rules.note({ says: block.ending === 'eof' ? 'ends_before_closing' : 'closing_missing', english: `${why}; its balance is not checked` }, lastLine);
  } else if (parts.closing.currency !== parts.opening.currency) {
    throw malformed(fileName, { tag: parts.closing.tag, line: parts.closing.line }, { problem: 'currencies_differ', closing: parts.closing.currency, opening: parts.opening.currency });
  }
  const context: StatementContext = { account: parts.account, currency: parts.opening.currency, statementIndex: block.index, rules: output.rules };
  for (const fields of parts.entries) {
    output.rowsRead++;
    const result = readEntry(fields, context);
    if (result.ok) output.entries.push(result.entry);
    else output.rejected.push(result.rejection);
  }
  for (const stray of parts.strays) rejectStray(stray, block.index, output);
  const closing = parts.closing?.amount ?? null;
  return {
    account: parts.account,
    currency: parts.opening.currency,
    statementId: parts.statementId,
    opening: parts.opening.amount,
    closing,
    openingTag: parts.opening.amount === null ? null : parts.opening.tag,
    closingTag: closing === null ? null : (parts.closing?.tag ?? null),
    controlTotalsOk: null,
  };
}

/** Parses a whole MT940 file: every :61: becomes an entry or a Rejection; each :20: block a statement. */
export function parseMt940(text: string, fileName: string): ParseOutput {
  const rules = new BrokenRules(fileName);
  const { blocks, strays } = collectStatements(splitLines(text, fileName), fileName, rules);
  const output: Collected = { rowsRead: 0, entries: [], rejected: [], rules };
  for (const stray of strays) rejectStray(stray, null, output);
  const statements = blocks.map((block) => readStatement(block, fileName, output));
  assert(output.rowsRead === output.entries.length + output.rejected.length, 'every :61: is an entry or a rejection');
  assert(output.entries.every((entry) => entry.statementIndex !== null && entry.statementIndex < statements.length), 'every entry belongs to a statement');
  return { rowsRead: output.rowsRead, entries: output.entries, rejected: output.rejected, statements, issues: output.rules.issues() };
}

export const mt940Importer: Importer = {
  format: 'mt940',
  sniff: sniffMt940,
  parse: (text, context) => parseMt940(text, context.fileName),
};
