/**
 * BAI2 (BAI Cash Management Balance Reporting Specifications, version 2) importer, written by
 * hand: no BAI2 library exists on npm, and the format is a small record grammar:
 *
 *   01 file header
 *     02 group header (as-of date, group currency)          ... 98 group trailer
 *       03 account (currency, summary/status codes)         ... 49 account trailer
 *         16 transaction detail (type code, amount, funds type, references, text)
 *   99 file trailer;  88 continues the record before it (01/02/03/16/49/98/99 alike).
 *
 * Amounts carry no decimal point: the currency's ISO 4217 exponent places it (GBP 10000 = 100.00).
 * Credit or debit comes from the detail type code (100-399 credit, 400-699 debit). Control totals
 * and record counts in 49/98/99 are checked; a mismatch is an ImportIssue and controlTotalsOk=false
 * on the statements it covers, never a refused file. A file that ends without its 99 is truncated
 * (a cut 16 can look whole) unless its last record is a whole 49 or 98 trailer, which checked it.
 *
 * Lenient where the money is still unambiguous, each with a 'format_rule_broken' warning naming
 * the lines: a blank control total or count (that check is skipped), stray spaces around fields,
 * and several records on one line (split after a record's ending '/', never inside a 16's text).
 */
import { assert } from '../assert.ts';
import { FileImportError } from '../ingest/errors.ts';
import type { Importer, ParseOutput, ParsedEntry, ParsedStatement } from '../ingest/importer.ts';
import type { ImportIssue, Rejection, RejectionCode } from '../ingest/result.ts';
import { isCurrencyCode, minorUnitsOf } from '../money/iso4217.ts';
import { fromMinorUnits } from '../money/minor.ts';
import type { RejectionSaid } from './row-values.ts';
import { BrokenRules, type BrokenRule, dateFromYymmdd, shorten, splitLines, type TextLine } from './text-lines.ts';

/** A group that states no currency is read as USD, BAI2's default; an account without one takes its group's. */
const BAI2_DEFAULT_CURRENCY = 'USD';
/** Account numbers and references are short (BAI2 record length is 80); these bounds are generous. */
const ACCOUNT_LENGTH_MAX = 64;
const REFERENCE_LENGTH_MAX = 128;
/** Detail text over all its 88 continuations. */
export const TEXT_LENGTH_MAX = 4096;
/** 88 continuations of one record; real files use a handful. */
const CONTINUATIONS_MAX = 500;
/** 18 digits: far above any balance, and BigInt keeps control totals exact beyond it. */
const AMOUNT_DIGITS_MAX = 18;
/** Pairs in a 'D' (distributed availability) funds type. */
const DISTRIBUTIONS_MAX = 31;
/** Lines the sniffer looks through for the 01 header when the file starts with a stray 88. */
const SNIFF_LINES_MAX = 12;

/** A record's two-digit code and the comma after it, spaces around them tolerated (and reported). */
const RECORD_CODE = /^\s*(\d{2})\s*(?:,|$)/;
/** A record's ending '/' with the next record's code after it on the same line. */
const NEXT_RECORD = /\/(?=\s*\d{2}\s*,)/g;
const STRAY_SPACES: BrokenRule = { says: 'stray_spaces', english: 'stray spaces around fields (BAI2 fields are not padded)' };
const SEVERAL_RECORDS: BrokenRule = { says: 'several_records', english: 'several records on one line (BAI2 puts each record on a line of its own)' };

interface PhysicalRecord {
  readonly line: number;
  /** The line as written (trailing spaces removed), for raw and reports. */
  readonly text: string;
  /** Fields after 'NN,' with the '/' terminator removed. */
  readonly content: string;
  /** Ended with '/': fields omitted after it are defaulted, not continued on an 88. */
  readonly terminated: boolean;
}

interface LogicalRecord {
  readonly code: string;
  readonly line: number;
  /** [0] is the record itself, then its 88 continuations. */
  readonly segments: PhysicalRecord[];
}

/** One 03 account record and what it reported, for callers that need more than the statement. */
export interface Bai2AccountReport {
  readonly statementIndex: number;
  readonly line: number;
  readonly account: string;
  readonly currency: string;
  readonly asOfDate: string;
  /** Summary and status amounts by type code ('010' opening ledger, '100' total credits...). */
  readonly summaries: ReadonlyMap<string, { readonly amount: string | null; readonly itemCount: number | null }>;
}

export interface Bai2Report {
  readonly output: ParseOutput;
  readonly accounts: readonly Bai2AccountReport[];
}

interface Summary {
  readonly typeCode: string;
  readonly minor: bigint | null;
  readonly itemCount: number | null;
}

interface AccountState {
  readonly line: number;
  readonly account: string;
  readonly currency: string;
  readonly statementIndex: number;
  readonly summaries: readonly Summary[];
  recordCount: number;
  controlTotal: bigint;
  detailCount: number;
  creditMinor: bigint;
  creditCount: number;
  debitMinor: bigint;
  debitCount: number;
}

interface GroupState {
  readonly line: number;
  readonly asOfDate: string;
  readonly currency: string;
  recordCount: number;
  accountCount: number;
  statedTotal: bigint;
  readonly statementIndexes: number[];
}

interface MutableStatement {
  readonly account: string;
  readonly currency: string;
  readonly statementId: string;
  readonly opening: string | null;
  readonly closing: string | null;
  readonly openingTag: string | null;
  readonly closingTag: string | null;
  controlTotalsOk: boolean;
}

/**
 * Why a BAI2 file cannot be read, as a code and the values its words name (all text): the English
 * is built from them alone, and the renderer's rejection-reasons `bai2Problem` texts say the same
 * words, and Korean from the same values. A funds type's problems are a 16's reasons too.
 */
const BAI2_PROBLEMS = {
  continuation_first: () => 'an 88 continuation before any record (a BAI2 file starts with its 01 file header)',
  summary_amount_untyped: (values) => `amount "${values.value}" in a summary group without its type code`,
  summary_funds_untyped: (values) => `funds type "${values.value}" in a summary group without its type code`,
  type_code_digits: (values) => `type code "${values.value}" is not three digits`,
  summary_amount_not_decimal: (values) => `amount "${values.value}" for type ${values.typeCode} (amount_not_decimal)`,
  summary_amount_too_long: (values) => `amount "${values.value}" for type ${values.typeCode} (amount_too_long)`,
  item_count: (values) => `item count "${values.value}" is not a number`,
  value_date_yymmdd: (values) => `value date "${values.value}" is not a calendar date (YYMMDD)`,
  bai2_distribution_count: (values) => `distributed availability count "${values.value}" is not 0-${values.max}`,
  bai2_funds_type: (values) => `funds type "${values.value}" is not 0, 1, 2, S, V, D or Z`,
  total_not_decimal: (values) => `control total "${values.value}" (amount_not_decimal)`,
  total_too_long: (values) => `control total "${values.value}" (amount_too_long)`,
  count_not_number: (values) => `${values.name} "${values.value}" is not a number`,
  account_empty: () => 'the account number is empty',
  currency_unknown: (values) => `currency "${values.value}" is not an ISO 4217 code`,
  as_of_date: (values) => `as-of date "${values.value}" is not a calendar date (YYMMDD)`,
  record_after_trailer: (values) => `a record after the 99 file trailer at line ${values.at}`,
  header_twice: (values) => `a second file header (the first is at line ${values.at})`,
  group_open: (values) => `a group header before the 98 trailer of the group at line ${values.at}`,
  account_outside_group: () => 'an account record outside a group (02 ... 98)',
  account_open: (values) => `an account record before the 49 trailer of the account at line ${values.at}`,
  detail_outside_account: () => 'a transaction detail outside an account (03 ... 49)',
  account_trailer_alone: () => 'an account trailer without its 03 account record',
  group_trailer_alone: () => 'a group trailer without its 02 group header',
  account_unclosed: (values) => `the account at line ${values.at} has no 49 trailer`,
  group_unclosed: (values) => `the group at line ${values.at} has no 98 trailer`,
  record_unknown: (values) => `unknown record type "${values.record}" (expected 02, 03, 16, 49, 88, 98 or 99)`,
} as const satisfies Record<string, (values: Readonly<Record<string, string>>) => string>;
type Bai2Problem = { readonly problem: keyof typeof BAI2_PROBLEMS } & Readonly<Record<string, string>>;
export const BAI2_PROBLEM_CODES = Object.keys(BAI2_PROBLEMS) as Bai2Problem['problem'][];

function malformed(fileName: string, line: number, column: string, said: Bai2Problem): FileImportError {
  const why = BAI2_PROBLEMS[said.problem](said);
  return new FileImportError('file_malformed', `${fileName}: line ${line}, ${column}: ${why}`, { file: fileName, line, column }, { says: 'bai2_malformed', line: String(line), column, ...said });
}

function isFileHeader(line: string): boolean {
  const fields = line.split(',').map((field) => field.trim());
  return fields[0] === '01' && fields.length >= 9 && /^\d{6}$/.test(fields[3] ?? '');
}

export function sniffBai2(head: string, _fileName: string): boolean {
  const lines = head.replace(/^\uFEFF/, '').trimStart().split(/\r\n|\r|\n/, SNIFF_LINES_MAX);
  const first = lines[0] ?? '';
  // A stray 88 before the header is still BAI2: the parser then says what is wrong with it.
  return isFileHeader(first) || (/^\s*88\s*,/.test(first) && lines.some(isFileHeader));
}

function physical(line: number, record: string): PhysicalRecord {
  const text = record.trimEnd();
  const code = RECORD_CODE.exec(text);
  const body = code === null ? text.slice(3) : text.slice(code[0].length);
  const terminated = body.endsWith('/');
  return { line, text, content: terminated ? body.slice(0, -1) : body, terminated };
}

/** Fields a 16 has before its text: code, type, amount, funds type and its extra fields, bank and customer reference. */
function detailFixedFields(fields: readonly string[]): number {
  const funds = (fields[3] ?? '').trim();
  if (funds === 'S') return 9;
  if (funds === 'V') return 8;
  if (funds === 'D') return 7 + 2 * Math.min(Number((fields[4] ?? '').trim()) || 0, DISTRIBUTIONS_MAX);
  return 6;
}

/**
 * Where a line holds several records: after a record's ending '/' that another record code
 * follows. A '/' inside a 16's text (or an 88 that continues it) is text and never splits.
 */
function splitRecords(text: string, before: string | null): string[] {
  const records: string[] = [];
  let rest = text;
  let continuing = before;
  for (let guard = 0; guard <= text.length; guard++) {
    const code = RECORD_CODE.exec(rest)?.[1];
    if (code === '88' && continuing === '16') break;
    const end = [...rest.matchAll(NEXT_RECORD)].find((slash) => {
      if (code !== '16') return true;
      const fields = rest.slice(0, slash.index).split(',');
      const fixed = detailFixedFields(fields);
      return fields.length <= fixed || (fields.length === fixed + 1 && (fields[fixed] ?? '').trim() === '');
    });
    if (end === undefined) break;
    records.push(rest.slice(0, end.index + 1));
    rest = rest.slice(end.index + 1).trimStart();
    continuing = code ?? null;
  }
  records.push(rest);
  return records;
}

/** Stray spaces in a record's code, or around the fields of a record without free text. */
function hasStraySpaces(record: string, continuing: string | null): boolean {
  const code = RECORD_CODE.exec(record);
  if (code === null) return false;
  if (/\s/.test(code[0])) return true;
  const text = code[1] === '16' || (code[1] === '88' && continuing === '16');
  return !text && /\s,|,\s|^\s|\s\/?$/.test(record.trimEnd().slice(code[0].length));
}

/** Physical lines to logical records: each 88 joins the record before it. */
function readRecords(lines: readonly TextLine[], fileName: string, rules: BrokenRules): LogicalRecord[] {
  const records: LogicalRecord[] = [];
  for (const line of lines) {
    if (line.text.trim().length === 0) continue;
    const pieces = splitRecords(line.text, records[records.length - 1]?.code ?? null);
    if (pieces.length > 1) rules.note(SEVERAL_RECORDS, line.number);
    for (const piece of pieces) {
      const code = RECORD_CODE.exec(piece)?.[1] ?? '??';
      const previous = records[records.length - 1];
      if (previous === undefined && code === '88') throw malformed(fileName, line.number, '88', { problem: 'continuation_first' });
      if (previous === undefined && code !== '01') {
        throw new FileImportError('file_format_unrecognized', `${fileName}: line ${line.number}: not a BAI2 file (the first record must be the 01 file header)`, { file: fileName, line: line.number, column: 1 }, { says: 'bai2_not_bai2', line: String(line.number) });
      }
      if (hasStraySpaces(piece, previous?.code ?? null)) rules.note(STRAY_SPACES, line.number);
      if (code !== '88' || previous === undefined) {
        records.push({ code, line: line.number, segments: [physical(line.number, piece)] });
        continue;
      }
      if (previous.segments.length > CONTINUATIONS_MAX) {
        throw new FileImportError('field_too_long', `${fileName}: line ${line.number}: record ${previous.code} at line ${previous.line} has more than ${CONTINUATIONS_MAX} 88 continuations`, {
          file: fileName,
          line: line.number,
          column: '88',
        }, { says: 'bai2_continuations', line: String(line.number), record: previous.code, recordLine: String(previous.line), max: String(CONTINUATIONS_MAX) });
      }
      previous.segments.push(physical(line.number, piece));
    }
  }
  if (records.length === 0) throw new FileImportError('file_empty', `${fileName}: no BAI2 records`, { file: fileName, line: 1, column: 1 }, { says: 'bai2_empty' });
  return records;
}

/** All fields of a logical record, the 88 fields following on (for the fixed-layout records). */
function fieldsOf(record: LogicalRecord): string[] {
  return record.segments.flatMap((segment) => segment.content.split(','));
}

/** Reads the comma fields of a record across its 88s, and then the free text that ends a 16. */
class FieldReader {
  private segment = 0;
  private at = 0;

  constructor(private readonly segments: readonly PhysicalRecord[]) {}

  /** The next field; '' when defaulted (the record ended with '/' or ran out). */
  next(): string {
    for (let guard = 0; guard <= this.segments.length; guard++) {
      const current = this.segments[this.segment];
      if (current === undefined) return '';
      if (this.at <= current.content.length) {
        const comma = current.content.indexOf(',', this.at);
        const end = comma === -1 ? current.content.length : comma;
        const field = current.content.slice(this.at, end);
        this.at = comma === -1 ? current.content.length + 1 : comma + 1;
        return field;
      }
      if (current.terminated) return '';
      this.segment++;
      this.at = 0;
    }
    return '';
  }

  /** The text field: the rest of the current record and every later continuation, one space apart. */
  rest(): string {
    const parts: string[] = [];
    const current = this.segments[this.segment];
    if (current !== undefined && this.at <= current.content.length) parts.push(current.content.slice(this.at));
    for (const later of this.segments.slice(this.segment + 1)) parts.push(later.content);
    return parts.join(' ').trim();
  }
}

/** Extra fields that follow a funds type: S = three availability amounts, V = value date and time, D = n pairs. */
type FundsSaid = { readonly says: 'value_date_yymmdd' | 'bai2_distribution_count' | 'bai2_funds_type'; readonly params: Readonly<Record<string, string>> };

function fundsFields(fundsType: string, read: () => string): { ok: true; valueDate: string | null } | { ok: false; code: RejectionCode; reason: string; said: FundsSaid } {
  switch (fundsType) {
    case '':
    case '0':
    case '1':
    case '2':
    case 'Z':
      return { ok: true, valueDate: null };
    case 'S':
      read();
      read();
      read();
      return { ok: true, valueDate: null };
    case 'V': {
      const dateText = read();
      read();
      const valueDate = dateFromYymmdd(dateText);
      if (valueDate === null) return { ok: false, code: 'date_invalid', reason: `value date ${JSON.stringify(dateText)} is not a calendar date (YYMMDD)`, said: { says: 'value_date_yymmdd', params: { value: dateText } } };
      return { ok: true, valueDate };
    }
    case 'D': {
      const countText = read();
      const count = /^\d{1,2}$/.test(countText) ? Number(countText) : -1;
      if (count < 0 || count > DISTRIBUTIONS_MAX) {
        const said = { says: 'bai2_distribution_count', params: { value: countText, max: String(DISTRIBUTIONS_MAX) } } as const;
        return { ok: false, code: 'field_invalid', reason: `distributed availability count ${JSON.stringify(countText)} is not 0-${DISTRIBUTIONS_MAX}`, said };
      }
      for (let pair = 0; pair < count; pair++) {
        read();
        read();
      }
      return { ok: true, valueDate: null };
    }
    default:
      return { ok: false, code: 'field_invalid', reason: `funds type ${JSON.stringify(shorten(fundsType, 8))} is not 0, 1, 2, S, V, D or Z`, said: { says: 'bai2_funds_type', params: { value: shorten(fundsType, 8) } } };
  }
}

/** A BAI2 amount: optional sign (summaries and trailers only), digits, decimal point implied by the currency. */
function integerAmount(text: string, signed: boolean): bigint | 'amount_empty' | 'amount_not_decimal' | 'amount_too_long' {
  const trimmed = text.trim();
  if (trimmed.length === 0) return 'amount_empty';
  const pattern = signed ? /^[+-]?\d+$/ : /^\+?\d+$/;
  if (!pattern.test(trimmed)) return 'amount_not_decimal';
  if (trimmed.replace(/^[+-]/, '').length > AMOUNT_DIGITS_MAX) return 'amount_too_long';
  return BigInt(trimmed);
}

function decimalAmount(minor: bigint, currency: string): string {
  return fromMinorUnits(minor, minorUnitsOf(currency));
}

/** One field of an 03 record and the line it is on (its 88 continuations run on over several lines). */
interface SummaryField {
  readonly text: string;
  readonly line: number;
}

/**
 * The 03 summary/status groups: type code, amount, item count, funds type [+ funds fields]. An
 * empty group (',,,,') may stand anywhere; a type code without an amount is a group with none.
 */
function readSummaryGroups(fields: readonly SummaryField[], fileName: string, into: Summary[]): void {
  let index = 0;
  while (index < fields.length) {
    const at = (offset: number) => (fields[index + offset]?.text ?? '').trim();
    const line = fields[index]?.line ?? 0;
    const typeCode = at(0);
    if (typeCode === '') {
      if (at(1) !== '') throw malformed(fileName, line, '03.typeCode', { problem: 'summary_amount_untyped', value: shorten(at(1), 24) });
      if (at(3) !== '') throw malformed(fileName, line, '03.fundsType', { problem: 'summary_funds_untyped', value: shorten(at(3), 8) });
      index += 4;
      continue;
    }
    if (!/^\d{3}$/.test(typeCode)) throw malformed(fileName, line, '03.typeCode', { problem: 'type_code_digits', value: shorten(typeCode, 8) });
    const amountText = at(1);
    const minor = amountText === '' ? null : integerAmount(amountText, true);
    // Never empty here: an empty amount is a group without one (null above).
    if (typeof minor === 'string') throw malformed(fileName, line, '03.amount', { problem: minor === 'amount_too_long' ? 'summary_amount_too_long' : 'summary_amount_not_decimal', value: shorten(amountText, 24), typeCode });
    const countText = at(2);
    if (!/^\d{0,9}$/.test(countText)) throw malformed(fileName, line, '03.itemCount', { problem: 'item_count', value: shorten(countText, 12) });
    let cursor = index + 4;
    const funds = fundsFields(at(3), () => fields[cursor++]?.text ?? '');
    if (!funds.ok) throw malformed(fileName, line, '03.fundsType', { ...funds.said.params, problem: funds.said.says });
    into.push({ typeCode, minor, itemCount: countText === '' ? null : Number(countText) });
    index = cursor;
  }
}

/**
 * The summary groups of an 03 and its 88s, read with the continuation rule of every record: a line
 * not ended by '/' runs on into the next 88 (a group may break anywhere), one ended by '/' closes
 * the groups so far (its missing fields default) and the next 88 starts a new group.
 */
function readSummaries(record: LogicalRecord, fileName: string): Summary[] {
  const summaries: Summary[] = [];
  let run: SummaryField[] = [];
  record.segments.forEach((segment, index) => {
    const fields = segment.content.split(',').slice(index === 0 ? 2 : 0);
    run.push(...fields.map((text) => ({ text, line: segment.line })));
    if (segment.terminated || index === record.segments.length - 1) {
      readSummaryGroups(run, fileName, summaries);
      run = [];
    }
  });
  return summaries;
}

interface Parser {
  readonly fileName: string;
  readonly entries: ParsedEntry[];
  readonly rejected: Rejection[];
  readonly statements: MutableStatement[];
  readonly accounts: Bai2AccountReport[];
  readonly issues: ImportIssue[];
  readonly rules: BrokenRules;
  rowsRead: number;
}

/** A BAI2 control check that failed, said by code: the English message below, another language from the same values. */
type ControlCheck = 'account_total' | 'account_records' | 'credit_summary' | 'debit_summary' | 'group_total' | 'group_accounts' | 'group_records' | 'file_total' | 'file_groups' | 'file_records';
type ControlValues = Readonly<Record<string, string>>;
const CONTROL_ENGLISH: Readonly<Record<ControlCheck, (p: ControlValues) => string>> = {
  account_total: (p) => `49 control total ${p['stated']} != ${p['counted']}, the sum of the amounts of account ${p['account']} (line ${p['accountLine']})`,
  account_records: (p) => `49 record count ${p['stated']} != ${p['counted']} records of account ${p['account']} (line ${p['accountLine']})`,
  credit_summary: (p) => `100 total credits ${p['stated']} (${p['statedItems']} items) != ${p['counted']} (${p['countedItems']} items) in the details of account ${p['account']} (line ${p['accountLine']})`,
  debit_summary: (p) => `400 total debits ${p['stated']} (${p['statedItems']} items) != ${p['counted']} (${p['countedItems']} items) in the details of account ${p['account']} (line ${p['accountLine']})`,
  group_total: (p) => `98 control total ${p['stated']} != ${p['counted']}, the sum of the group's 49 totals`,
  group_accounts: (p) => `98 account count ${p['stated']} != ${p['counted']} accounts in the group`,
  group_records: (p) => `98 record count ${p['stated']} != ${p['counted']} records in the group`,
  file_total: (p) => `99 control total ${p['stated']} != ${p['counted']}, the sum of the 98 totals`,
  file_groups: (p) => `99 group count ${p['stated']} != ${p['counted']} groups in the file`,
  file_records: (p) => `99 record count ${p['stated']} != ${p['counted']} records in the file`,
};

function mismatch(parser: Parser, line: number, statementIndexes: readonly number[], check: ControlCheck, values: Readonly<Record<string, string | number | bigint | undefined>>): void {
  const params = Object.fromEntries([['line', String(line)], ...Object.entries(values).map(([key, value]) => [key, String(value)])]);
  parser.issues.push({ code: 'control_total_mismatch', message: `${parser.fileName}: line ${line}: ${CONTROL_ENGLISH[check](params)}`, line, says: check, params });
  for (const index of statementIndexes) {
    const statement = parser.statements[index];
    assert(statement !== undefined, 'a control total covers known statements', { index });
    statement.controlTotalsOk = false;
  }
}

function openAccount(parser: Parser, record: LogicalRecord, group: GroupState): AccountState {
  const first = record.segments[0];
  assert(first !== undefined, 'a record has its own physical line');
  const fields = first.content.split(',');
  const account = (fields[0] ?? '').trim();
  if (account.length === 0) throw malformed(parser.fileName, record.line, '03.account', { problem: 'account_empty' });
  if (account.length > ACCOUNT_LENGTH_MAX) {
    throw new FileImportError('field_too_long', `${parser.fileName}: line ${record.line}: account number longer than ${ACCOUNT_LENGTH_MAX} characters`, { file: parser.fileName, line: record.line, column: '03.account' }, { says: 'bai2_account_too_long', line: String(record.line), max: String(ACCOUNT_LENGTH_MAX) });
  }
  const currency = (fields[1] ?? '').trim() || group.currency;
  if (!isCurrencyCode(currency)) throw malformed(parser.fileName, record.line, '03.currency', { problem: 'currency_unknown', value: shorten(currency, 8) });
  const summaries = readSummaries(record, parser.fileName);
  const find = (typeCode: string) => summaries.find((summary) => summary.typeCode === typeCode && summary.minor !== null)?.minor ?? null;
  const opening = find('010');
  const closing = find('015');
  const statementIndex = parser.statements.length;
  parser.statements.push({
    account,
    currency,
    statementId: group.asOfDate,
    opening: opening === null ? null : decimalAmount(opening, currency),
    closing: closing === null ? null : decimalAmount(closing, currency),
    openingTag: opening === null ? null : '010',
    closingTag: closing === null ? null : '015',
    controlTotalsOk: true,
  });
  parser.accounts.push({
    statementIndex,
    line: record.line,
    account,
    currency,
    asOfDate: group.asOfDate,
    summaries: new Map(summaries.map((summary) => [summary.typeCode, { amount: summary.minor === null ? null : decimalAmount(summary.minor, currency), itemCount: summary.itemCount }])),
  });
  group.statementIndexes.push(statementIndex);
  let controlTotal = 0n;
  for (const summary of summaries) controlTotal += summary.minor ?? 0n;
  return {
    line: record.line,
    account,
    currency,
    statementIndex,
    summaries,
    recordCount: record.segments.length,
    controlTotal,
    detailCount: 0,
    creditMinor: 0n,
    creditCount: 0,
    debitMinor: 0n,
    debitCount: 0,
  };
}

type DetailResult = { readonly ok: true; readonly entry: ParsedEntry } | { readonly ok: false; readonly code: RejectionCode; readonly column: string; readonly reason: string; readonly said: RejectionSaid };

/** One 16 record (with its 88s) as an entry; adds its amount to the account's control total even when rejected. */
function readDetail(record: LogicalRecord, account: AccountState, group: GroupState, rules: BrokenRules): DetailResult {
  const reader = new FieldReader(record.segments);
  let padded = false;
  // The fixed fields, trimmed: a padded one is read the same, and reported once for the record.
  const next = (): string => {
    const raw = reader.next();
    const trimmed = raw.trim();
    if (trimmed !== raw) padded = true;
    return trimmed;
  };
  const typeCode = next();
  const amountText = next();
  const minor = integerAmount(amountText, false);
  if (typeof minor === 'bigint') account.controlTotal += minor;
  if (!/^\d{3}$/.test(typeCode)) return { ok: false, code: 'field_invalid', column: '16.typeCode', reason: `type code ${JSON.stringify(shorten(typeCode, 8))} is not three digits`, said: { says: 'bai2_type_code_digits', params: { value: shorten(typeCode, 8) } } };
  const typeNumber = Number(typeCode);
  if (typeNumber < 100 || typeNumber > 699) {
    return { ok: false, code: 'field_invalid', column: '16.typeCode', reason: `type code ${typeCode} is neither a credit (100-399) nor a debit (400-699) transaction`, said: { says: 'bai2_type_code_range', params: { value: typeCode } } };
  }
  if (typeof minor === 'string') {
    const said = { says: 'bai2_amount', params: { value: shorten(amountText, 24), currency: account.currency } };
    return { ok: false, code: minor, column: '16.amount', reason: `amount ${JSON.stringify(shorten(amountText, 24))}: expected unsigned digits with the decimal point implied by ${account.currency}`, said };
  }
  const credit = typeNumber < 400;
  const funds = fundsFields(next(), next);
  if (!funds.ok) return { ok: false, code: funds.code, column: funds.code === 'date_invalid' ? '16.valueDate' : '16.fundsType', reason: funds.reason, said: funds.said };
  const bankReference = next();
  const customerReference = next();
  const text = reader.rest();
  if (padded) rules.note(STRAY_SPACES, record.line);
  if (bankReference.length > REFERENCE_LENGTH_MAX || customerReference.length > REFERENCE_LENGTH_MAX) {
    const said = { says: 'bai2_reference_too_long', params: { max: String(REFERENCE_LENGTH_MAX) } };
    return { ok: false, code: 'field_too_long', column: bankReference.length > REFERENCE_LENGTH_MAX ? '16.bankReference' : '16.customerReference', reason: `reference longer than ${REFERENCE_LENGTH_MAX} characters`, said };
  }
  if (text.length > TEXT_LENGTH_MAX) return { ok: false, code: 'field_too_long', column: '16.text', reason: `text longer than ${TEXT_LENGTH_MAX} characters`, said: { says: 'bai2_text_too_long', params: { max: String(TEXT_LENGTH_MAX) } } };
  account.detailCount++;
  if (credit) {
    account.creditMinor += minor;
    account.creditCount++;
  } else {
    account.debitMinor += minor;
    account.debitCount++;
  }
  assert(account.detailCount === account.creditCount + account.debitCount, 'every detail is a credit or a debit');
  const raw: Record<string, string> = { '16': record.segments[0]?.text ?? '' };
  if (record.segments.length > 1) raw['88'] = record.segments.slice(1).map((segment) => segment.text).join('\n');
  return {
    ok: true,
    entry: {
      kind: 'transfer',
      // BAI2 details carry no booking date: the group's as-of date is the day they were reported for.
      occurredAt: group.asOfDate,
      bookingDate: null,
      valueDate: funds.valueDate,
      amount: decimalAmount(credit ? minor : -minor, account.currency),
      currency: account.currency,
      account: account.account,
      partnerId: null,
      productId: null,
      channel: null,
      counterparty: { name: null, account: null },
      references: { externalId: customerReference || null, batchId: null, endToEndId: null, bankReference: bankReference || null },
      description: text || null,
      customerRef: null,
      raw,
      line: record.line,
      identity: { by: 'fingerprint', namespace: `bank:${account.account}` },
      statementIndex: account.statementIndex,
    },
  };
}

/**
 * A trailer's control total and counts; malformed numbers make the trailer unusable. A blank one
 * is null (reported): that check is skipped, and the totals around it still check the amounts.
 */
function trailerNumbers(record: LogicalRecord, parser: Parser, names: readonly string[]): { total: bigint | null; counts: Array<number | null> } {
  const fields = fieldsOf(record);
  const totalText = (fields[0] ?? '').trim();
  const total = totalText === '' ? null : integerAmount(totalText, true);
  // Never empty here: a blank total is null (above).
  if (typeof total === 'string') throw malformed(parser.fileName, record.line, `${record.code}.controlTotal`, { problem: total === 'amount_too_long' ? 'total_too_long' : 'total_not_decimal', value: shorten(fields[0] ?? '', 24) });
  if (total === null) parser.rules.note({ says: 'blank_control_total', english: 'a blank control total in a 49/98/99 trailer (that total is not checked; the trailers around it still are)' }, record.line);
  const counts = names.map((name, index) => {
    const text = (fields[index + 1] ?? '').trim();
    if (text === '') {
      parser.rules.note({ says: 'blank_count', english: 'a blank record, account or group count in a trailer (that count is not checked)' }, record.line);
      return null;
    }
    if (!/^\d{1,9}$/.test(text)) throw malformed(parser.fileName, record.line, `${record.code}.${name}`, { problem: 'count_not_number', name, value: shorten(text, 12) });
    return Number(text);
  });
  return { total, counts };
}

function closeAccount(parser: Parser, record: LogicalRecord, account: AccountState, group: GroupState): void {
  account.recordCount += record.segments.length;
  assert(account.recordCount >= 2, 'an account spans at least its 03 and 49 records');
  const { total, counts } = trailerNumbers(record, parser, ['recordCount']);
  const where = { account: account.account, accountLine: account.line };
  if (total !== null && total !== account.controlTotal) mismatch(parser, record.line, [account.statementIndex], 'account_total', { stated: total, counted: account.controlTotal, ...where });
  if (counts[0] !== null && counts[0] !== account.recordCount) mismatch(parser, record.line, [account.statementIndex], 'account_records', { stated: counts[0], counted: account.recordCount, ...where });
  if (account.detailCount > 0) {
    const checks = [
      ['100', 'credit_summary', account.creditMinor, account.creditCount],
      ['400', 'debit_summary', account.debitMinor, account.debitCount],
    ] as const;
    for (const [typeCode, check, minor, count] of checks) {
      const summary = account.summaries.find((candidate) => candidate.typeCode === typeCode);
      if (summary === undefined) continue;
      if ((summary.minor !== null && summary.minor !== minor) || (summary.itemCount !== null && summary.itemCount !== count)) {
        mismatch(parser, account.line, [account.statementIndex], check, { stated: summary.minor ?? '', statedItems: summary.itemCount ?? '-', counted: minor, countedItems: count, ...where });
      }
    }
  }
  group.recordCount += account.recordCount;
  group.accountCount++;
  group.statedTotal += total ?? account.controlTotal;
}

interface FileState {
  recordCount: number;
  groupCount: number;
  statedTotal: bigint;
}

/** 98: the group's total is checked against its accounts' stated 49 totals, so one wrong figure raises one issue. */
function closeGroup(parser: Parser, record: LogicalRecord, group: GroupState, file: FileState): void {
  group.recordCount += record.segments.length;
  const { total, counts } = trailerNumbers(record, parser, ['accountCount', 'recordCount']);
  if (total !== null && total !== group.statedTotal) mismatch(parser, record.line, group.statementIndexes, 'group_total', { stated: total, counted: group.statedTotal });
  if (counts[0] !== null && counts[0] !== group.accountCount) mismatch(parser, record.line, group.statementIndexes, 'group_accounts', { stated: counts[0], counted: group.accountCount });
  if (counts[1] !== null && counts[1] !== group.recordCount) mismatch(parser, record.line, group.statementIndexes, 'group_records', { stated: counts[1], counted: group.recordCount });
  file.recordCount += group.recordCount;
  file.groupCount++;
  file.statedTotal += total ?? group.statedTotal;
}

/** 99: checked against the stated 98 totals, the number of groups and every physical record from 01 to 99. */
function closeFile(parser: Parser, record: LogicalRecord, file: FileState): void {
  file.recordCount += record.segments.length;
  const { total, counts } = trailerNumbers(record, parser, ['groupCount', 'recordCount']);
  const everything = parser.statements.map((_, index) => index);
  if (total !== null && total !== file.statedTotal) mismatch(parser, record.line, everything, 'file_total', { stated: total, counted: file.statedTotal });
  if (counts[0] !== null && counts[0] !== file.groupCount) mismatch(parser, record.line, everything, 'file_groups', { stated: counts[0], counted: file.groupCount });
  if (counts[1] !== null && counts[1] !== file.recordCount) mismatch(parser, record.line, everything, 'file_records', { stated: counts[1], counted: file.recordCount });
}

function openGroup(record: LogicalRecord, fileName: string): GroupState {
  const fields = fieldsOf(record);
  const asOfDate = dateFromYymmdd((fields[3] ?? '').trim());
  if (asOfDate === null) throw malformed(fileName, record.line, '02.asOfDate', { problem: 'as_of_date', value: shorten(fields[3] ?? '', 12) });
  const currency = (fields[5] ?? '').trim() || BAI2_DEFAULT_CURRENCY;
  if (!isCurrencyCode(currency)) throw malformed(fileName, record.line, '02.currency', { problem: 'currency_unknown', value: shorten(currency, 8) });
  return { line: record.line, asOfDate, currency, recordCount: record.segments.length, accountCount: 0, statedTotal: 0n, statementIndexes: [] };
}

function checkFileHeader(record: LogicalRecord, fileName: string): void {
  const version = (fieldsOf(record)[7] ?? '').trim();
  if (version !== '2') {
    throw new FileImportError('file_format_unrecognized', `${fileName}: line ${record.line}: BAI version ${JSON.stringify(shorten(version, 8))}; only BAI2 (version 2) is read`, {
      file: fileName,
      line: record.line,
      column: '01.versionNumber',
    }, { says: 'bai2_version', line: String(record.line), value: shorten(version, 8) });
  }
}

/** Parses a BAI2 file into entries and one statement per 03 account record, with the account reports. */
export function readBai2(text: string, fileName: string): Bai2Report {
  const rules = new BrokenRules(fileName);
  const records = readRecords(splitLines(text, fileName), fileName, rules);
  const parser: Parser = { fileName, entries: [], rejected: [], statements: [], accounts: [], issues: [], rules, rowsRead: 0 };
  const [header, ...body] = records;
  assert(header !== undefined && header.code === '01', 'readRecords starts with the file header');
  checkFileHeader(header, fileName);
  const file: FileState = { recordCount: header.segments.length, groupCount: 0, statedTotal: 0n };
  let group: GroupState | null = null;
  let account: AccountState | null = null;
  let trailer: LogicalRecord | null = null;
  for (const record of body) {
    const unexpected = (said: Bai2Problem) => malformed(fileName, record.line, record.code, said);
    if (trailer !== null) throw unexpected({ problem: 'record_after_trailer', at: String(trailer.line) });
    switch (record.code) {
      case '01':
        throw unexpected({ problem: 'header_twice', at: String(header.line) });
      case '02':
        if (group !== null) throw unexpected({ problem: 'group_open', at: String(group.line) });
        group = openGroup(record, fileName);
        break;
      case '03':
        if (group === null) throw unexpected({ problem: 'account_outside_group' });
        if (account !== null) throw unexpected({ problem: 'account_open', at: String(account.line) });
        account = openAccount(parser, record, group);
        break;
      case '16': {
        if (account === null || group === null) throw unexpected({ problem: 'detail_outside_account' });
        account.recordCount += record.segments.length;
        parser.rowsRead++;
        const detail = readDetail(record, account, group, rules);
        if (detail.ok) parser.entries.push(detail.entry);
        else {
          const raw = shorten(record.segments.map((segment) => segment.text).join('\n'));
          parser.rejected.push({ line: record.line, column: detail.column, code: detail.code, reason: detail.reason, raw, statementIndex: account.statementIndex, ...detail.said });
        }
        break;
      }
      case '49':
        if (account === null || group === null) throw unexpected({ problem: 'account_trailer_alone' });
        closeAccount(parser, record, account, group);
        account = null;
        break;
      case '98':
        if (group === null) throw unexpected({ problem: 'group_trailer_alone' });
        if (account !== null) throw unexpected({ problem: 'account_unclosed', at: String(account.line) });
        closeGroup(parser, record, group, file);
        group = null;
        break;
      case '99':
        if (group !== null) throw unexpected({ problem: 'group_unclosed', at: String(group.line) });
        closeFile(parser, record, file);
        trailer = record;
        break;
      default:
        // An unknown record inside an account may have been a transaction: report it as a row, never drop it.
        if (account === null) throw unexpected({ problem: 'record_unknown', record: record.code });
        account.recordCount += record.segments.length;
        parser.rowsRead++;
        parser.rejected.push({
          line: record.line,
          column: 1,
          code: 'record_unknown',
          reason: `unknown record type ${JSON.stringify(record.code)} inside account ${account.account}`,
          raw: shorten(record.segments.map((segment) => segment.text).join('\n')),
          statementIndex: account.statementIndex,
          says: 'bai2_record_unknown',
          params: { record: record.code, account: account.account },
        });
    }
  }
  const last = records[records.length - 1];
  assert(last !== undefined, 'a file has at least its 01 record');
  if (trailer === null) {
    // After a whole 49 or 98 every amount read was checked by it; after anything else the last record may have been cut.
    const closed = (last.code === '49' || last.code === '98') && last.segments[last.segments.length - 1]?.terminated === true;
    if (!closed) throw new FileImportError('file_truncated', `${fileName}: the file ends at line ${last.line} without its 99 file trailer`, { file: fileName, line: last.line, column: '99' }, { says: 'bai2_truncated', line: String(last.line) });
    rules.note({ says: last.code === '49' ? 'ends_after_49' : 'ends_after_98', english: `the file ends after a whole ${last.code} trailer without ${last.code === '49' ? 'its 98 and 99 trailers' : 'its 99 file trailer'} (the file totals are not checked)` }, last.line);
  }
  assert(parser.rowsRead === parser.entries.length + parser.rejected.length, 'every 16 record is an entry or a rejection');
  const statements: ParsedStatement[] = parser.statements.map((statement) => ({ ...statement }));
  return { output: { rowsRead: parser.rowsRead, entries: parser.entries, rejected: parser.rejected, statements, issues: [...parser.issues, ...rules.issues()] }, accounts: parser.accounts };
}

export const bai2Importer: Importer = {
  format: 'bai2',
  sniff: sniffBai2,
  parse: (text, context) => readBai2(text, context.fileName).output,
};
