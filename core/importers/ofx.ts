import { assert } from '../assert.ts';
import { FileImportError } from '../ingest/errors.ts';
import type { Importer, ParseOutput, ParsedEntry, ParsedStatement } from '../ingest/importer.ts';
import type { ImportIssue, Rejection, RejectionCode } from '../ingest/result.ts';
import { Decimal } from '../money/decimal.ts';
import { isCurrencyCode, minorUnitsOf } from '../money/iso4217.ts';
import { canonicalDecimal } from '../money/money.ts';
import { AMOUNT_FORMATS, parseAmount } from '../money/parse.ts';
import type { RejectionSaid } from './row-values.ts';
import { childElement, childElements, doctypeRefused, excerptAt, flattenLeaves, LineCursor, LineIndex, readXmlDocument, textAt, XML_LIMITS_DEFAULT, type XmlElement, type XmlLimits } from './xml-safety.ts';
import { daysInMonth } from '../calendar.ts';

/**
 * OFX bank and credit-card statements: OFX 1.x (SGML, leaf tags left open) and OFX 2.x (XML).
 *
 * Written by hand instead of with node-ofx-parser 0.5.1, which does read all three real files
 * and is pure JS, but (measured) its SGML-to-XML regex `<([A-Z0-9_]*)+\.+...` backtracks
 * exponentially (an unterminated 24-letter tag takes 0.3 s, each 2 more letters x4), it turns
 * "AT&amp;T" into "AT&amp;amp;amp;T", it bundles fast-xml-parser 3 outside our XML safety checks,
 * and it keeps no line numbers for rejections. Here OFX 2.x goes through xml-safety.ts, and OFX
 * 1.x is read by a small linear SGML reader that hands each STMTTRN over as soon as it closes:
 * a file's transactions never stand as one tree (a 59 MB OFX 1 file took 35 s and 1.9 GB that
 * way). A file with an OFX 2 (XML) header whose body is SGML is read as SGML, with a warning.
 *
 * OFX has no opening balance: LEDGERBAL is the closing balance. TRNAMT is parsed as text by
 * core/money (OFX allows "." or "," as the decimal separator). Dates keep the calendar date
 * as written; a time with a zone ("20240131120000[-5:EST]") also gives an instant with offset.
 *
 * Lenient where the money is unambiguous, with a 'format_rule_broken' warning naming the rule
 * and the line: an empty CURDEF when transactions name their currency (CURRENCY/CURSYM), an
 * empty or missing balance (no balance, so the statement is never taken for balanced),
 * aggregates left open at the end of the file or closed by an enclosing end tag. A file that ends
 * in the middle of a line (a value may be cut) is refused.
 */
const STATEMENT_ELEMENTS = ['STMTRS', 'CCSTMTRS'] as const;
export type OfxStatementKind = (typeof STATEMENT_ELEMENTS)[number];
const RAW_LEAVES_MAX = 200;
const TAG_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.]*$/;
const SGML_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00a0'],
]);
/**
 * Leaf elements of the OFX signon, banking and credit-card messages. In SGML an empty leaf
 * ("<BALAMT><DTASOF>...") has no text to close it: one of these followed by a tag is closed
 * there, empty, instead of taking the next elements as its children.
 */
const LEAF_ELEMENTS: ReadonlySet<string> = new Set(
  ('CODE SEVERITY MESSAGE DTSERVER USERKEY TSKEYEXPIRE LANGUAGE DTPROFUP DTACCTUP ORG FID SESSCOOKIE ACCESSKEY TRNUID CLTCOOKIE ' +
    'CURDEF BANKID BRANCHID ACCTID ACCTTYPE ACCTKEY DTSTART DTEND TRNTYPE DTPOSTED DTUSER DTAVAIL TRNAMT FITID CORRECTFITID ' +
    'CORRECTACTION SRVRTID CHECKNUM REFNUM SIC PAYEEID NAME EXTDNAME MEMO INV401KSOURCE CURRATE CURSYM BALAMT DTASOF MKTGINFO ' +
    'DESC BALTYPE VALUE ADDR1 ADDR2 ADDR3 CITY STATE POSTALCODE COUNTRY PHONE').split(' '),
);
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

export interface OfxBalance {
  readonly amount: string;
  /** DTASOF as written. */
  readonly asOf: string | null;
}

export interface OfxStatement {
  readonly kind: OfxStatementKind;
  readonly account: string;
  readonly bankId: string | null;
  readonly branchId: string | null;
  readonly accountType: string | null;
  /** CURDEF; null when the file leaves it empty and each transaction names its currency. */
  readonly currency: string | null;
  readonly ledgerBalance: OfxBalance | null;
  readonly availableBalance: OfxBalance | null;
  readonly bankTranListCount: number;
  readonly transactionCount: number;
  readonly line: number;
}

/** What reading an OFX file found, besides the entries it handed over one by one. */
export interface OfxRead {
  /** 1 for SGML (OFX 1.x), 2 for XML (OFX 2.x). */
  readonly syntax: 1 | 2;
  readonly statements: readonly OfxStatement[];
  /** STMTTRN elements read: entries handed over + rejected. */
  readonly rowsRead: number;
  readonly rejected: readonly Rejection[];
  readonly sections: readonly ParsedStatement[];
  readonly issues: readonly ImportIssue[];
}

export interface OfxDocument {
  readonly syntax: 1 | 2;
  readonly statements: readonly OfxStatement[];
  readonly output: ParseOutput;
}

interface MutableElement extends XmlElement {
  /** NO_CHILDREN until the first child: most elements are leaves, millions in a big file. */
  children: XmlElement[];
  text: string;
}

/** Shared by every element without children; never pushed to. */
const NO_CHILDREN: XmlElement[] = [];

/**
 * Why an OFX file's frame cannot be read, as a code and the values its words name (all text): the
 * English is built from them alone, and the renderer's rejection-reasons `ofxProblem` texts say
 * the same words, and Korean from the same values.
 */
const OFX_PROBLEMS = {
  statement_nested: (values) => `<${values.element}> opens inside the <${values.outer}> of line ${values.outerLine}`,
  account_missing: (values) => `<${values.element}> has no ${values.from}/ACCTID`,
  curdef_unknown: (values) => `<${values.element}> CURDEF "${values.value}" is not a known currency`,
  balance_unreadable: (values) => `${values.balance}/BALAMT "${values.value}" is not an amount in ${values.currency}`,
  roots_count: (values) => `expected one <OFX> element, found ${values.count} top-level elements`,
  tag_open: () => 'a tag is not closed with ">"',
  tag_name_invalid: (values) => `<${values.tag}> is not an OFX tag name`,
  transaction_nested: (values) => `it opens inside the <STMTTRN> of line ${values.openLine}, which is not closed`,
  transaction_stray: () => 'a STMTTRN outside the BANKTRANLIST of a STMTRS or CCSTMTRS would be lost',
  end_unopened: (values) => `</${values.tag}> has no open <${values.tag}>`,
  text_outside_leaf: (values) => `text "${values.text}" outside a leaf element`,
} as const satisfies Record<string, (values: Readonly<Record<string, string>>) => string>;
type OfxProblem = { readonly problem: keyof typeof OFX_PROBLEMS } & Readonly<Record<string, string>>;
export const OFX_PROBLEM_CODES = Object.keys(OFX_PROBLEMS) as OfxProblem['problem'][];

function malformed(fileName: string, line: number, column: number, said: OfxProblem): FileImportError {
  const message = OFX_PROBLEMS[said.problem](said);
  return new FileImportError('file_malformed', `${fileName}: line ${line}, column ${column}: ${message}`, { file: fileName, line, column }, { says: 'ofx_malformed', line: String(line), column: String(column), ...said });
}

/** A broken rule; `said` is its code and values for another language (the lines added here), where it has one. */
function ruleBroken(fileName: string, line: number, message: string, said?: { readonly says: string; readonly values: Readonly<Record<string, string>> }): ImportIssue {
  const issue = { code: 'format_rule_broken', message: `${fileName}: line ${line}: ${message}`, line } as const;
  return said === undefined ? issue : { ...issue, says: said.says, params: { ...said.values, lines: String(line), more: '' } };
}

/** Elements closed without their end tag as values: names and their lines, comma-separated in the same order. */
function openValues(unclosed: readonly MutableElement[]): Readonly<Record<string, string>> {
  return { elements: unclosed.map((element) => element.name).join(','), elementLines: unclosed.map((element) => String(element.line)).join(',') };
}

/** One pattern for the whole file: String.replace with a global pattern starts it from 0 each time. */
const SGML_ENTITY_PATTERN = /&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});/g;

function decodeSgmlEntity(whole: string, body: string): string {
  const named = SGML_ENTITIES.get(body.toLowerCase());
  if (named !== undefined) return named;
  if (!body.startsWith('#')) return whole;
  const codePoint = body.startsWith('#x') || body.startsWith('#X') ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
  return codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff) ? String.fromCodePoint(codePoint) : whole;
}

/** SGML keeps an "&" that starts no known entity as a literal "&" ("AT&T"). */
function decodeSgmlText(raw: string): string {
  return raw.includes('&') ? raw.replace(SGML_ENTITY_PATTERN, decodeSgmlEntity) : raw;
}
/** Elements with one of `names` anywhere under `root`, in document order, without recursion. */
function findElements(root: XmlElement, names: readonly string[], descend: boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const stack: XmlElement[] = [root];
  while (stack.length > 0) {
    const element = stack.pop();
    assert(element !== undefined, 'stack is not empty');
    if (names.includes(element.name)) {
      found.push(element);
      if (!descend) continue;
    }
    for (let index = element.children.length - 1; index >= 0; index--) stack.push(element.children[index] as XmlElement);
  }
  return found;
}

/** Bank and card statements; refuses what this importer would otherwise skip without a word. */
function findStatements(root: XmlElement, fileName: string): Array<{ element: XmlElement; kind: OfxStatementKind }> {
  const investment = findElements(root, ['INVSTMTRS'], false)[0];
  if (investment !== undefined) {
    throw new FileImportError('file_format_unrecognized', `${fileName}: line ${investment.line}: OFX investment statements (INVSTMTRS) are not supported`, { file: fileName, line: investment.line }, { says: 'ofx_investment', line: String(investment.line) });
  }
  return findElements(root, STATEMENT_ELEMENTS, false).map((element) => ({ element, kind: element.name as OfxStatementKind }));
}

const OFX_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(?:(\d{2})(?:\.(\d{1,6}))?)?)?\s*(?:\[\s*([+-]?)(\d{1,2})(?:\.(\d{1,2}))?\s*(?::\s*[A-Za-z]{0,12}\s*)?\])?$/;

export interface OfxDate {
  /** YYYY-MM-DD as written (local to the file's zone). */
  readonly date: string;
  /** ISO 8601 with offset, only when the file gives a time and a zone. */
  readonly instant: string | null;
}

/** Offset minutes of "[-5:EST]" / "[+5.5:IST]" (decimal hours), in exact integers; null if not whole minutes or beyond ±14 h. */
function offsetMinutes(sign: string, hours: string, fraction: string | undefined): number | null {
  const fractionMinutes = fraction === undefined ? 0 : (Number(fraction) * 60) / 10 ** fraction.length;
  if (!Number.isInteger(fractionMinutes)) return null;
  const total = Number(hours) * 60 + fractionMinutes;
  return total > 14 * 60 ? null : sign === '-' ? -total : total;
}

/** Reads an OFX date ("20240131", "20240131120000.000[-5:EST]"); null when it is not a real date and time. */
export function parseOfxDate(text: string): OfxDate | null {
  const match = OFX_DATE_PATTERN.exec(text.trim());
  if (match === null) return null;
  const [, year = '', month = '', day = '', hour, minute, second, fraction, sign = '', zoneHours, zoneFraction] = match;
  if (Number(day) < 1 || Number(day) > daysInMonth(Number(year), Number(month))) return null;
  const date = `${year}-${month}-${day}`;
  if (hour === undefined || minute === undefined) return { date, instant: null };
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? '0') > 59) return null;
  if (zoneHours === undefined) return { date, instant: null };
  const offset = offsetMinutes(sign, zoneHours, zoneFraction);
  if (offset === null) return null;
  const absolute = Math.abs(offset);
  const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
  return { date, instant: `${date}T${hour}:${minute}:${second ?? '00'}${fraction === undefined ? '' : `.${fraction}`}${zone}` };
}

/** "-12.3": an optional minus, a whole part without leading zeros, an optional fraction. */
const PLAIN_AMOUNT_PATTERN = /^(-?)(0|[1-9]\d{0,14})(?:\.(\d+))?$/;

/**
 * The canonical decimal of a plain amount whose fraction fits the currency, by string steps
 * alone (no Decimal per transaction on a big file); null sends any other text the general way.
 * Gives what canonicalDecimal gives: the fraction padded to the currency's scale, no "-0".
 */
function plainAmount(raw: string, exponent: number): string | null {
  const match = PLAIN_AMOUNT_PATTERN.exec(raw);
  if (match === null) return null;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.length > exponent) return null;
  const unsigned = exponent === 0 ? whole : `${whole}.${fraction.padEnd(exponent, '0')}`;
  return sign === '-' && /[1-9]/.test(unsigned) ? `-${unsigned}` : unsigned;
}

/** TRNAMT or BALAMT as a canonical decimal with the currency's scale. */
function readSignedAmount(raw: string, currency: string): { ok: true; value: string } | { ok: false; code: RejectionCode; reason: string; said?: RejectionSaid } {
  const plain = plainAmount(raw, minorUnitsOf(currency));
  if (plain !== null) return { ok: true, value: plain };
  const format = raw.includes(',') && !raw.includes('.') ? AMOUNT_FORMATS['plain-comma'] : AMOUNT_FORMATS.plain;
  const parsed = parseAmount(raw, format);
  // parseAmount's words are said by their cause and its values.
  if (!parsed.ok) return { ok: false, code: parsed.code, reason: parsed.message, said: { says: 'amount_text_unreadable', params: { ...parsed.values, value: parsed.text, problem: parsed.cause } } };
  if (parsed.value === null) return { ok: false, code: 'amount_empty', reason: 'the amount is empty' };
  const exponent = minorUnitsOf(currency);
  if (new Decimal(parsed.value).decimalPlaces() > exponent) {
    const said = { says: 'amount_text_minor_units', params: { value: raw, currency, digits: String(exponent) } };
    return { ok: false, code: 'amount_minor_units', reason: `amount ${JSON.stringify(raw)} has more decimals than ${currency} allows (${exponent})`, said };
  }
  return { ok: true, value: canonicalDecimal(parsed.value, exponent) };
}

interface StatementContext {
  readonly text: string;
  readonly account: string;
  /** CURDEF, or null when empty: then each transaction must name its currency. */
  readonly currency: string | null;
  /** Dates read so far: a statement repeats a few dates over thousands of transactions. */
  readonly dates: Map<string, OfxDate | null>;
}

const DATES_CACHED_MAX = 4096;

function cachedOfxDate(context: StatementContext, text: string): OfxDate | null {
  let date = context.dates.get(text);
  if (date === undefined) {
    date = parseOfxDate(text);
    if (context.dates.size >= DATES_CACHED_MAX) context.dates.clear();
    context.dates.set(text, date);
  }
  return date;
}

type TransactionOutcome = { readonly ok: true; readonly entry: ParsedEntry } | { readonly ok: false; readonly rejection: Rejection; readonly currency: string | null };

function reject(context: StatementContext, transaction: XmlElement, column: string, code: RejectionCode, reason: string, currency: string | null, said?: RejectionSaid): TransactionOutcome {
  return { ok: false, currency, rejection: { line: transaction.line, column: `STMTTRN/${column}`, code, reason, raw: excerptAt(context.text, transaction.offset), ...said } };
}

const NAMES_NOTHING: Readonly<Record<string, string>> = {};
const OFX_DATE_EXPECTED = 'expected YYYYMMDD[HHMMSS[.XXX]][[offset:zone]]';

/**
 * The leaves of a STMTTRN made of leaves and aggregates of leaves, all with names unique among
 * their siblings (the usual shape), as `raw` (exactly what flattenLeaves gives them), in one pass
 * over its children; null for any other shape. No closure per transaction: under tsx's keepNames
 * each one costs a defineProperty.
 */
function simpleLeaves(transaction: XmlElement): Record<string, string> | null {
  const raw: Record<string, string> = {};
  let leaves = 0;
  if (transaction.attributes.size > 0) return null;
  for (const child of transaction.children) {
    if (child.attributes.size > 0 || Object.hasOwn(raw, child.name) || ++leaves > RAW_LEAVES_MAX) return null;
    if (child.children.length === 0) {
      raw[child.name] = child.text.trim();
      continue;
    }
    if (childElements(transaction, child.name).length > 1) return null;
    for (const leaf of child.children) {
      const path = `${child.name}/${leaf.name}`;
      if (leaf.children.length > 0 || leaf.attributes.size > 0 || Object.hasOwn(raw, path) || ++leaves > RAW_LEAVES_MAX) return null;
      raw[path] = leaf.text.trim();
    }
  }
  return raw;
}

/** A leaf's trimmed text by path, null when absent or empty: from `simple` when the transaction has that shape, else as textAt reads it. */
function leafText(transaction: XmlElement, simple: Record<string, string> | null, path: string): string | null {
  if (simple === null) return textAt(transaction, path);
  const value = simple[path];
  return value === undefined || value.length === 0 ? null : value;
}

/** The statementIndex of an entry in this currency: its section, added after the others when new. */
function sectionOf(statement: OpenStatement, currency: string): number {
  const index = statement.currencies.indexOf(currency);
  return statement.first + (index === -1 ? statement.currencies.push(currency) - 1 : index);
}

/** The entry is built with its statementIndex at once: a spread per entry costs seconds on big files. */
function flattenedRaw(transaction: XmlElement): Record<string, string> {
  const flat = flattenLeaves(transaction, RAW_LEAVES_MAX);
  return flat.truncatedLeaves > 0 ? { ...flat.leaves, truncatedLeaves: String(flat.truncatedLeaves) } : flat.leaves;
}

function readTransaction(context: StatementContext, transaction: XmlElement, statement: OpenStatement): TransactionOutcome {
  const simple = simpleLeaves(transaction);
  // A CURRENCY aggregate means the amount is in that currency; ORIGCURRENCY means it was converted to CURDEF.
  const named = leafText(transaction, simple, 'CURRENCY/CURSYM');
  const currency = named ?? context.currency;
  if (currency === null) return reject(context, transaction, 'CURRENCY/CURSYM', 'currency_missing', 'CURDEF is empty and the transaction names no CURRENCY/CURSYM', null, { says: 'ofx_currency_missing', params: NAMES_NOTHING });
  if (!isCurrencyCode(currency)) return reject(context, transaction, 'CURRENCY/CURSYM', 'currency_unknown', `unknown currency ${JSON.stringify(currency)}`, null, { says: 'currency_text_unknown', params: { value: currency } });
  const amountText = leafText(transaction, simple, 'TRNAMT');
  if (amountText === null) return reject(context, transaction, 'TRNAMT', 'field_missing', 'the transaction has no TRNAMT', currency, { says: 'ofx_amount_missing', params: NAMES_NOTHING });
  const amount = readSignedAmount(amountText, currency);
  if (!amount.ok) return reject(context, transaction, 'TRNAMT', amount.code, amount.reason, currency, amount.said);
  const postedText = leafText(transaction, simple, 'DTPOSTED');
  if (postedText === null) return reject(context, transaction, 'DTPOSTED', 'date_missing', 'the transaction has no DTPOSTED', currency, { says: 'ofx_date_missing', params: NAMES_NOTHING });
  const posted = cachedOfxDate(context, postedText);
  if (posted === null) return reject(context, transaction, 'DTPOSTED', 'date_invalid', `DTPOSTED ${JSON.stringify(postedText)}: ${OFX_DATE_EXPECTED}`, currency, { says: 'ofx_date_invalid', params: { element: 'DTPOSTED', value: postedText } });
  const availableText = leafText(transaction, simple, 'DTAVAIL');
  const available = availableText === null ? null : cachedOfxDate(context, availableText);
  if (availableText !== null && available === null) return reject(context, transaction, 'DTAVAIL', 'date_invalid', `DTAVAIL ${JSON.stringify(availableText)}: ${OFX_DATE_EXPECTED}`, currency, { says: 'ofx_date_invalid', params: { element: 'DTAVAIL', value: availableText } });
  const fitId = leafText(transaction, simple, 'FITID');
  const name = leafText(transaction, simple, 'NAME') ?? leafText(transaction, simple, 'PAYEE/NAME');
  const namespace = `bank:${context.account}`;
  return {
    ok: true,
    entry: {
      line: transaction.line,
      identity: fitId === null ? { by: 'fingerprint', namespace } : { by: 'reference', namespace, reference: fitId },
      kind: 'transfer',
      occurredAt: posted.instant ?? posted.date,
      bookingDate: posted.date,
      valueDate: available?.date ?? null,
      amount: amount.value,
      currency,
      account: context.account,
      partnerId: null,
      productId: null,
      channel: null,
      counterparty: { name, account: leafText(transaction, simple, 'BANKACCTTO/ACCTID') ?? leafText(transaction, simple, 'CCACCTTO/ACCTID') },
      references: { externalId: null, batchId: null, endToEndId: null, bankReference: fitId },
      description: leafText(transaction, simple, 'MEMO') ?? name,
      customerRef: null,
      raw: simple ?? flattenedRaw(transaction),
      statementIndex: sectionOf(statement, currency),
    },
  };
}

/** A statement being read: its transactions are handed over as they come, once its account and CURDEF are known. */
interface OpenStatement {
  readonly element: XmlElement;
  readonly kind: OfxStatementKind;
  /** Index of its first section in the file's sections. */
  readonly first: number;
  /** Its sections' currencies: CURDEF first, then others as transactions name them. */
  readonly currencies: string[];
  context: StatementContext | null;
  /** Transactions that came before the account or CURDEF (out of the usual order). */
  readonly deferred: XmlElement[];
  readonly rejected: Array<{ readonly rejection: Rejection; readonly currency: string | null }>;
  transactionCount: number;
}

/**
 * Reads statements, in both syntaxes, from their elements: begin() when a statement opens,
 * transaction() for each STMTTRN of its BANKTRANLIST (at its close, in SGML), end() when it
 * closes. Accepted entries go to `entry` at once; nothing else holds them.
 */
class StatementReader {
  readonly statements: OfxStatement[] = [];
  readonly sections: ParsedStatement[] = [];
  readonly rejected: Rejection[] = [];
  readonly issues: ImportIssue[] = [];
  rowsRead = 0;
  private open: OpenStatement | null = null;
  private readonly dates = new Map<string, OfxDate | null>();

  constructor(
    private readonly text: string,
    private readonly fileName: string,
    private readonly entry: (entry: ParsedEntry) => void,
  ) {}

  get current(): XmlElement | null {
    return this.open?.element ?? null;
  }

  begin(element: XmlElement, kind: OfxStatementKind): void {
    if (this.open !== null) throw malformed(this.fileName, element.line, element.column, { problem: 'statement_nested', element: kind, outer: this.open.kind, outerLine: String(this.open.element.line) });
    this.open = { element, kind, first: this.sections.length, currencies: [], context: null, deferred: [], rejected: [], transactionCount: 0 };
  }

  transaction(element: XmlElement): void {
    const statement = this.open;
    assert(statement !== null, 'a transaction is read inside a statement');
    statement.transactionCount++;
    const context = statement.context ?? this.contextOf(statement, false);
    if (context === null) statement.deferred.push(element);
    else this.convert(statement, context, element);
  }

  end(element: XmlElement): void {
    const statement = this.open;
    assert(statement !== null && statement.element === element, 'the statement that ends is the one open');
    this.open = null;
    const context = statement.context ?? this.contextOf(statement, true);
    assert(context !== null, 'a closed statement has a context or refused the file');
    for (const transaction of statement.deferred) this.convert(statement, context, transaction);
    const from = childElement(element, statement.kind === 'STMTRS' ? 'BANKACCTFROM' : 'CCACCTFROM');
    const ledgerBalance = this.readBalance(element, 'LEDGERBAL', context.currency, true);
    const availableBalance = this.readBalance(element, 'AVAILBAL', context.currency, false);
    this.statements.push({
      kind: statement.kind,
      account: context.account,
      bankId: from === null ? null : textAt(from, 'BANKID'),
      branchId: from === null ? null : textAt(from, 'BRANCHID'),
      accountType: from === null ? null : textAt(from, 'ACCTTYPE'),
      currency: context.currency,
      ledgerBalance,
      availableBalance,
      bankTranListCount: childElements(element, 'BANKTRANLIST').length,
      transactionCount: statement.transactionCount,
      line: element.line,
    });
    this.rowsRead += statement.transactionCount;
    for (const currency of statement.currencies) {
      const closing = currency === context.currency ? (ledgerBalance?.amount ?? null) : null;
      this.sections.push({ account: context.account, currency, statementId: null, opening: null, closing, openingTag: null, closingTag: closing === null ? null : 'LEDGERBAL', controlTotalsOk: null });
    }
    // A rejected transaction points at the section of its currency, else the statement's first.
    for (const { rejection, currency } of statement.rejected) {
      const index = currency === null ? -1 : statement.currencies.indexOf(currency);
      this.rejected.push({ ...rejection, statementIndex: statement.currencies.length === 0 ? null : statement.first + Math.max(index, 0) });
    }
  }

  /** Account and CURDEF once both are there; at the end (`final`) a missing CURDEF counts as empty and a missing account refuses the file. */
  private contextOf(statement: OpenStatement, final: boolean): StatementContext | null {
    const { element, kind } = statement;
    const fromName = kind === 'STMTRS' ? 'BANKACCTFROM' : 'CCACCTFROM';
    const from = childElement(element, fromName);
    const account = from === null ? null : textAt(from, 'ACCTID');
    const curdef = childElement(element, 'CURDEF');
    if (!final && (account === null || curdef === null)) return null;
    if (account === null) throw malformed(this.fileName, element.line, element.column, { problem: 'account_missing', element: kind, from: fromName });
    const currency = curdef === null ? null : curdef.text.trim() || null;
    if (currency !== null && !isCurrencyCode(currency)) throw malformed(this.fileName, curdef?.line ?? element.line, curdef?.column ?? element.column, { problem: 'curdef_unknown', element: kind, value: currency });
    if (currency === null) {
      this.issues.push(ruleBroken(this.fileName, curdef?.line ?? element.line, `<${kind}> has ${curdef === null ? 'no' : 'an empty'} CURDEF: each transaction is read in the currency its CURRENCY/CURSYM names, one that names none is rejected`, { says: curdef === null ? 'curdef_missing' : 'curdef_empty', values: { element: kind } }));
    } else {
      statement.currencies.push(currency);
    }
    statement.context = { text: this.text, account, currency, dates: this.dates };
    return statement.context;
  }

  private convert(statement: OpenStatement, context: StatementContext, element: XmlElement): void {
    const outcome = readTransaction(context, element, statement);
    if (outcome.ok) this.entry(outcome.entry);
    else statement.rejected.push({ rejection: outcome.rejection, currency: outcome.currency });
  }

  /**
   * LEDGERBAL or AVAILBAL; null, with a warning, where the file gives none to use: no LEDGERBAL
   * (it is required), an empty BALAMT, or no CURDEF to say its currency. A BALAMT that is not an
   * amount refuses the file.
   */
  private readBalance(statement: XmlElement, name: string, currency: string | null, required: boolean): OfxBalance | null {
    const balance = childElement(statement, name);
    if (balance === null) {
      if (required) this.issues.push(ruleBroken(this.fileName, statement.line, `<${statement.name}> has no ${name} (it is required): no closing balance to check the statement against`, { says: 'required_balance_missing', values: { element: statement.name, balance: name } }));
      return null;
    }
    const text = textAt(balance, 'BALAMT');
    if (text === null) {
      this.issues.push(ruleBroken(this.fileName, balance.line, `${name}/BALAMT is empty: read as no balance`, { says: 'balamt_empty', values: { balance: name } }));
      return null;
    }
    if (currency === null) {
      this.issues.push(ruleBroken(this.fileName, balance.line, `${name} has an amount but CURDEF is empty, so its currency would be a guess: left out`, { says: 'balance_currency_unknown', values: { balance: name } }));
      return null;
    }
    const amount = readSignedAmount(text, currency);
    if (!amount.ok) throw malformed(this.fileName, balance.line, balance.column, { problem: 'balance_unreadable', balance: name, value: text, currency });
    return { amount: amount.value, asOf: textAt(balance, 'DTASOF') };
  }
}

function isAsciiSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * text.slice(from, to).trim() in one slice when the text starts and ends in ASCII (the usual
 * case; a leaf's text is most of the strings a big file makes); null otherwise.
 */
function trimmedText(text: string, from: number, to: number): string | null {
  let start = from;
  let end = to;
  while (start < end && isAsciiSpace(text.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(text.charCodeAt(end - 1))) end--;
  if (start < end && (text.charCodeAt(start) > 127 || text.charCodeAt(end - 1) > 127)) return null;
  return text.slice(start, end);
}

/**
 * Reads the SGML body of an OFX 1.x file in one pass. Elements form a tree as they open and
 * close, except STMTTRN: each is handed to the StatementReader when it closes and kept nowhere.
 */
class SgmlReader {
  private readonly lines: LineCursor;
  private readonly document: MutableElement = { name: '#document', prefix: null, attributes: NO_ATTRIBUTES, children: [], text: '', line: 1, column: 1, offset: 0 };
  private readonly stack: MutableElement[] = [this.document];
  /** The leaf just closed by its text (or empty), so an optional explicit </TAG> right after it is consumed. */
  private lastLeaf: MutableElement | null = null;
  /** Leaves whose text was ended by the next tag rather than their own end tag: the mark of SGML. */
  sgmlLeafCount = 0;
  /** Index of the "<" after the markup just read (-1: none). */
  private nextOpen = -1;
  /** Tag names already checked against TAG_NAME_PATTERN. */
  private readonly namesChecked = new Set<string>();
  /** BANKTRANLISTs that held transactions (handed over, so not among their children). */
  private readonly listsUsed = new WeakSet<XmlElement>();

  constructor(
    private readonly text: string,
    private readonly fileName: string,
    private readonly limits: XmlLimits,
    private readonly statements: StatementReader,
  ) {
    this.lines = new LineCursor(text);
  }

  read(bodyOffset: number): XmlElement {
    const text = this.text;
    let position = bodyOffset;
    let open = text.indexOf('<', position);
    while (position < text.length) {
      if (open > position || open === -1) this.addText(position, open === -1 ? text.length : open);
      if (open === -1) break;
      position = this.markup(open);
      // markup() found the next "<" already; a comment may have skipped past it.
      if (this.nextOpen !== -1 && this.nextOpen < position) this.nextOpen = text.indexOf('<', position);
      open = this.nextOpen;
    }
    this.endOfFile();
    const roots = this.document.children;
    const root = roots[0];
    if (root === undefined || roots.length > 1) throw malformed(this.fileName, roots[1]?.line ?? 1, roots[1]?.column ?? 1, { problem: 'roots_count', count: String(roots.length) });
    return root;
  }

  /** Reads the markup at `open` ("<"); returns the index after it, with the next "<" in `nextOpen`. */
  private markup(open: number): number {
    const text = this.text;
    if (text.startsWith('<!--', open)) {
      const end = text.indexOf('-->', open + 4);
      this.nextOpen = end === -1 ? -1 : text.indexOf('<', end + 3);
      return end === -1 ? text.length : end + 3;
    }
    const close = text.indexOf('>', open + 1);
    const nextOpen = text.indexOf('<', open + 1);
    this.nextOpen = nextOpen;
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      const { line, column } = this.lines.locate(open);
      throw malformed(this.fileName, line, column, { problem: 'tag_open' });
    }
    // An XML declaration or processing instruction before an SGML body (a mislabelled OFX 2 header).
    if (text.charCodeAt(open + 1) === 63 /* ? */) return close + 1;
    this.closeEmptyLeaf();
    if (text.charCodeAt(open + 1) === 47 /* / */) this.closeTag(text.slice(open + 2, close).trim(), open);
    else this.openTag(text.slice(open + 1, close).trim(), open);
    return close + 1;
  }

  private top(): MutableElement {
    const top = this.stack[this.stack.length - 1];
    assert(top !== undefined, 'the document frame stays on the stack');
    return top;
  }

  /** A known leaf still open when a tag comes had no text: it is closed there, empty. */
  private closeEmptyLeaf(): void {
    const top = this.top();
    if (this.stack.length > 1 && top.children.length === 0 && top.text.length === 0 && LEAF_ELEMENTS.has(top.name)) {
      this.stack.pop();
      this.lastLeaf = top;
    }
  }

  private openTag(name: string, offset: number): void {
    const { line, column } = this.lines.locate(offset);
    if (!this.namesChecked.has(name)) {
      if (!TAG_NAME_PATTERN.test(name)) throw malformed(this.fileName, line, column, { problem: 'tag_name_invalid', tag: name });
      this.namesChecked.add(name);
    }
    if (this.stack.length > this.limits.depthMax) {
      throw new FileImportError('xml_too_deep', `${this.fileName}: elements nest deeper than ${this.limits.depthMax} levels at line ${line}`, { file: this.fileName, line, column }, { says: 'ofx_too_deep', depthMax: String(this.limits.depthMax), line: String(line) });
    }
    const parent = this.top();
    const element: MutableElement = { name, prefix: null, attributes: NO_ATTRIBUTES, children: NO_CHILDREN, text: '', line, column, offset };
    this.lastLeaf = null;
    if (name === 'STMTTRN') {
      // Handed over at its close, never attached: only one transaction is held at a time.
      const list = this.stack[this.stack.length - 2];
      if (parent.name !== 'BANKTRANLIST' || list === undefined || list !== this.statements.current) {
        throw malformed(this.fileName, line, column, parent.name === 'STMTTRN' ? { problem: 'transaction_nested', openLine: String(parent.line) } : { problem: 'transaction_stray' });
      }
      this.listsUsed.add(parent);
    } else {
      if (parent.children === NO_CHILDREN) parent.children = [];
      parent.children.push(element);
    }
    if (name === 'INVSTMTRS') throw new FileImportError('file_format_unrecognized', `${this.fileName}: line ${line}: OFX investment statements (INVSTMTRS) are not supported`, { file: this.fileName, line }, { says: 'ofx_investment', line: String(line) });
    this.stack.push(element);
    if (name === 'STMTRS' || name === 'CCSTMTRS') this.statements.begin(element, name);
  }

  /**
   * Closes the nearest open element of this name. Elements still open inside it close with it:
   * an empty one silently (an SGML leaf without text), an aggregate with a warning (its end tag
   * is missing, but nothing it holds is in doubt).
   */
  private closeTag(name: string, offset: number): void {
    if (this.lastLeaf !== null && this.lastLeaf.name === name) {
      // Its own end tag after all: an XML-style leaf, not SGML (an empty one was never counted).
      if (this.lastLeaf.text.length > 0) this.sgmlLeafCount--;
      this.lastLeaf = null;
      return;
    }
    this.lastLeaf = null;
    let index = this.stack.length - 1;
    while (index > 0 && this.stack[index]?.name !== name) index--;
    if (index === 0) {
      const { line, column } = this.lines.locate(offset);
      throw malformed(this.fileName, line, column, { problem: 'end_unopened', tag: name });
    }
    const unclosed: MutableElement[] = [];
    while (this.stack.length - 1 > index) {
      const inner = this.stack.pop();
      assert(inner !== undefined, 'the stack is deeper than index');
      if (this.held(inner)) unclosed.push(inner);
      this.finish(inner);
    }
    if (unclosed.length > 0) {
      const { line } = this.lines.locate(offset);
      this.statements.issues.push(ruleBroken(this.fileName, line, `</${name}> closes ${unclosed.map((element) => `<${element.name}> (line ${element.line})`).join(', ')}, which ${unclosed.length === 1 ? 'has' : 'have'} no end tag`, { says: 'end_tag_closes_open', values: { endTag: name, ...openValues(unclosed) } }));
    }
    const element = this.stack.pop();
    assert(element !== undefined && element.name === name, 'the element closed is the one named');
    this.finish(element);
  }

  /** An aggregate that held something: closing it without its end tag is worth a warning, an empty leaf is not. */
  private held(element: MutableElement): boolean {
    return element.children.length > 0 || element.name === 'STMTTRN' || this.listsUsed.has(element);
  }

  /** An element that closed: a transaction or a statement goes to the StatementReader. */
  private finish(element: MutableElement): void {
    if (element.name === 'STMTTRN') this.statements.transaction(element);
    else if (element === this.statements.current) this.statements.end(element);
  }

  private addText(from: number, to: number): void {
    const trimmed = trimmedText(this.text, from, to) ?? this.text.slice(from, to).trim();
    if (trimmed.length === 0) return;
    const top = this.top();
    // Located only for an error: a leaf's text needs no line of its own.
    // A transaction, the statement or a transaction list never holds text: taking it as a leaf's would drop it unread.
    if (this.stack.length < 2 || top.children.length > 0 || top.text.length > 0 || top.name === 'STMTTRN' || top === this.statements.current || this.listsUsed.has(top)) {
      const { line, column } = this.lines.locate(this.text.indexOf(trimmed.charAt(0), from));
      throw malformed(this.fileName, line, column, { problem: 'text_outside_leaf', text: trimmed.slice(0, 20) });
    }
    if (trimmed.length > this.limits.fieldLengthMax) {
      const { line } = this.lines.locate(this.text.indexOf(trimmed.charAt(0), from));
      const said = { says: 'ofx_field_too_long', element: top.name, line: String(line), length: String(trimmed.length), max: String(this.limits.fieldLengthMax) };
      throw new FileImportError('field_too_long', `${this.fileName}: <${top.name}> at line ${line} has ${trimmed.length} characters, more than ${this.limits.fieldLengthMax}`, { file: this.fileName, line }, said);
    }
    // In OFX 1.x SGML a leaf ends at the next tag: its text closes it.
    top.text = decodeSgmlText(trimmed);
    this.stack.pop();
    this.lastLeaf = top;
    this.sgmlLeafCount++;
  }

  /**
   * Aggregates still open at the end of the file close there, with a warning, when the file ends
   * at the end of a line or tag. A file that ends in the middle of a line may have lost the end of
   * its last value: refused.
   */
  private endOfFile(): void {
    if (this.stack.length <= 1) return;
    const tail = this.text.slice(-64).replace(/[ \t]+$/, '');
    const innermost = this.top();
    if (!/[\r\n>]$/.test(tail)) {
      const said = { says: 'ofx_truncated', element: innermost.name, line: String(innermost.line) };
      throw new FileImportError('file_truncated', `${this.fileName}: the file ends in the middle of a line inside <${innermost.name}> opened at line ${innermost.line}: the last value may be cut short`, { file: this.fileName, line: innermost.line, column: innermost.column }, said);
    }
    const unclosed: MutableElement[] = [];
    while (this.stack.length > 1) {
      const element = this.stack.pop();
      assert(element !== undefined, 'stack is not empty');
      if (this.held(element)) unclosed.push(element);
      this.finish(element);
    }
    if (unclosed.length > 0) {
      const last = this.lines.locate(this.text.trimEnd().length).line;
      this.statements.issues.push(
        ruleBroken(this.fileName, last, `the file ends with ${unclosed.map((element) => `<${element.name}> (line ${element.line})`).join(', ')} not closed: read as closed there; if the file was cut short, what followed is missing`, { says: 'ends_unclosed', values: openValues(unclosed) }),
      );
    }
  }
}

/** OFX 1.x header: "KEY:VALUE" lines starting with OFXHEADER, or nothing before <OFX>. */
function isSgmlHeader(header: string): boolean {
  const lines = header.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  return (lines.length === 0 || lines[0]?.startsWith('OFXHEADER') === true) && lines.every((line) => /^[A-Z]+\s*:/.test(line));
}

/** Any "<!" that starts a DOCTYPE or ENTITY declaration, found by indexOf: a regex over 60 MB is slow. */
function refuseDeclarations(text: string, fileName: string): void {
  let at = text.indexOf('<!');
  while (at !== -1 && !/^<!\s*(doctype|entity)/i.test(text.slice(at, at + 64))) at = text.indexOf('<!', at + 2);
  if (at === -1) return;
  const { line, column } = new LineIndex(text.slice(0, at + 1)).locate(at);
  throw doctypeRefused(fileName, line, column);
}

/** The statements of an OFX 2.x element tree, read in document order. */
function readTreeStatements(root: XmlElement, fileName: string, statements: StatementReader): void {
  const read = new Set<XmlElement>();
  for (const { element, kind } of findStatements(root, fileName)) {
    statements.begin(element, kind);
    for (const list of childElements(element, 'BANKTRANLIST')) {
      for (const transaction of childElements(list, 'STMTTRN')) {
        read.add(transaction);
        statements.transaction(transaction);
      }
    }
    statements.end(element);
  }
  const stray = findElements(root, ['STMTTRN'], true).find((element) => !read.has(element));
  if (stray !== undefined) throw malformed(fileName, stray.line, stray.column, { problem: 'transaction_stray' });
}

function expectOfxRoot(root: XmlElement, fileName: string): void {
  if (root.name !== 'OFX') throw new FileImportError('file_format_mismatch', `${fileName}: the root element is <${root.name}>, an OFX file has <OFX>`, { file: fileName, line: root.line, column: root.column }, { says: 'ofx_root', root: root.name });
}

/** Reads the SGML body from `body` (the first "<"), handing transactions to `statements`. */
function readSgmlBody(text: string, body: number, fileName: string, statements: StatementReader): { root: XmlElement; sgmlLeafCount: number } {
  const reader = new SgmlReader(text, fileName, XML_LIMITS_DEFAULT, statements);
  const root = reader.read(body);
  return { root, sgmlLeafCount: reader.sgmlLeafCount };
}

/**
 * Reads an OFX file, handing each accepted entry to `entry` as soon as it is read (a caller that
 * keeps none holds one transaction at a time); bad transactions become Rejections, a broken
 * statement frame refuses the file.
 */
export function streamOfx(text: string, fileName: string, entry: (entry: ParsedEntry) => void): OfxRead {
  const start = text.search(/\S/);
  if (start === -1) throw new FileImportError('file_empty', `${fileName}: the file is empty`, { file: fileName }, { says: 'file_empty' });
  if (text.startsWith('<?xml', start) || text.startsWith('<?OFX', start)) {
    const statements = new StatementReader(text, fileName, entry);
    let root: XmlElement;
    try {
      // Its size limit (textLengthMax) is the XML reader's: that tree holds the whole file. The
      // SGML reader holds one transaction at a time, so only the caller's file limit bounds it.
      root = readXmlDocument(text, fileName, XML_LIMITS_DEFAULT).root;
    } catch (error) {
      if (!(error instanceof FileImportError) || error.code !== 'xml_malformed') throw error;
      return readMislabelledSgml(text, fileName, entry, error);
    }
    expectOfxRoot(root, fileName);
    readTreeStatements(root, fileName, statements);
    return { syntax: 2, ...finished(statements) };
  }
  refuseDeclarations(text, fileName);
  const body = text.indexOf('<');
  if (body === -1 || !isSgmlHeader(text.slice(0, body))) {
    throw new FileImportError('file_format_unrecognized', `${fileName}: not an OFX file (expected an OFXHEADER: header or <OFX>)`, { file: fileName }, { says: 'ofx_not_ofx' });
  }
  const statements = new StatementReader(text, fileName, entry);
  expectOfxRoot(readSgmlBody(text, body, fileName, statements).root, fileName);
  return { syntax: 1, ...finished(statements) };
}

/**
 * An OFX 2 (XML) header over a body that is not XML: read as SGML when that reading works and
 * the body has leaves without end tags (OFX 1 style); otherwise the XML error stands.
 */
function readMislabelledSgml(text: string, fileName: string, entry: (entry: ParsedEntry) => void, xmlError: FileImportError): OfxRead {
  const handed: ParsedEntry[] = [];
  const statements = new StatementReader(text, fileName, (parsed) => handed.push(parsed));
  let read: { root: XmlElement; sgmlLeafCount: number };
  try {
    read = readSgmlBody(text, text.indexOf('<'), fileName, statements);
    expectOfxRoot(read.root, fileName);
  } catch {
    throw xmlError;
  }
  if (read.sgmlLeafCount === 0) throw xmlError;
  // Held until the SGML reading is known to work, so a refused file hands over nothing.
  for (const parsed of handed) entry(parsed);
  const xmlLine = xmlError.location.line ?? 1;
  statements.issues.unshift(ruleBroken(fileName, 1, `the header says OFX 2 (XML) but the body is OFX 1 SGML (leaf elements without end tags; not XML at line ${xmlLine}): read as SGML`, { says: 'sgml_body', values: { xmlLine: String(xmlLine) } }));
  return { syntax: 1, ...finished(statements) };
}

function finished(statements: StatementReader): Omit<OfxRead, 'syntax'> {
  return { statements: statements.statements, rowsRead: statements.rowsRead, rejected: statements.rejected, sections: statements.sections, issues: statements.issues };
}

/** Reads an OFX file into a ParseOutput: every entry kept. */
export function readOfx(text: string, fileName: string): OfxDocument {
  const entries: ParsedEntry[] = [];
  const read = streamOfx(text, fileName, (entry) => entries.push(entry));
  assert(read.rowsRead === entries.length + read.rejected.length, 'every STMTTRN is imported or rejected', { rowsRead: read.rowsRead, entries: entries.length, rejected: read.rejected.length });
  return { syntax: read.syntax, statements: read.statements, output: { rowsRead: read.rowsRead, entries, rejected: [...read.rejected], statements: [...read.sections], issues: [...read.issues] } };
}

export const ofxImporter: Importer = {
  format: 'ofx',
  sniff: (head, fileName) => /OFXHEADER\s*:|<\?OFX|<OFX>/i.test(head) || /\.(ofx|qfx)$/i.test(fileName),
  parse: (text, context) => readOfx(text, context.fileName).output,
};
