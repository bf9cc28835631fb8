import { assert } from '../assert.ts';
import { FileImportError } from '../ingest/errors.ts';
import type { Importer, ParseOutput, ParsedStatement } from '../ingest/importer.ts';
import type { RejectionCode } from '../ingest/result.ts';
import { Decimal } from '../money/decimal.ts';
import { isCurrencyCode, minorUnitsOf } from '../money/iso4217.ts';
import { canonicalDecimal } from '../money/money.ts';
import { AMOUNT_FORMATS, parseAmount } from '../money/parse.ts';
import { appendStatement, type EntryOutcome, type StatementsOutput } from './statement-sections.ts';
import { childElement, childElements, excerptAt, flattenLeaves, LineIndex, readXmlDocument, textAt, XML_LIMITS_DEFAULT, type XmlElement, type XmlLimits } from './xml-safety.ts';

/**
 * OFX bank and credit-card statements: OFX 1.x (SGML, leaf tags left open) and OFX 2.x (XML).
 *
 * Written by hand instead of with node-ofx-parser 0.5.1, which does read all three real files
 * and is pure JS, but (measured) its SGML-to-XML regex `<([A-Z0-9_]*)+\.+...` backtracks
 * exponentially (an unterminated 24-letter tag takes 0.3 s, each 2 more letters x4), it turns
 * "AT&amp;T" into "AT&amp;amp;amp;T", it bundles fast-xml-parser 3 outside our XML safety checks,
 * and it keeps no line numbers for rejections. Here OFX 2.x goes through xml-safety.ts, and OFX
 * 1.x is read by a small linear SGML reader into the same element tree.
 *
 * OFX has no opening balance: LEDGERBAL is the closing balance. TRNAMT is parsed as text by
 * core/money (OFX allows "." or "," as the decimal separator). Dates keep the calendar date
 * as written; a time with a zone ("20240131120000[-5:EST]") also gives an instant with offset.
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
  readonly currency: string;
  readonly ledgerBalance: OfxBalance | null;
  readonly availableBalance: OfxBalance | null;
  readonly bankTranListCount: number;
  readonly transactionCount: number;
  readonly line: number;
}

export interface OfxDocument {
  /** 1 for SGML (OFX 1.x), 2 for XML (OFX 2.x). */
  readonly syntax: 1 | 2;
  readonly statements: readonly OfxStatement[];
  readonly output: ParseOutput;
}

interface MutableElement extends XmlElement {
  readonly children: XmlElement[];
  text: string;
}

function malformed(fileName: string, line: number, column: number, message: string): FileImportError {
  return new FileImportError('file_malformed', `${fileName}: line ${line}, column ${column}: ${message}`, { file: fileName, line, column });
}

/** SGML keeps an "&" that starts no known entity as a literal "&" ("AT&T"). */
function decodeSgmlText(raw: string): string {
  return raw.replace(/&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});/g, (whole, body: string) => {
    const named = SGML_ENTITIES.get(body.toLowerCase());
    if (named !== undefined) return named;
    if (!body.startsWith('#')) return whole;
    const codePoint = body.startsWith('#x') || body.startsWith('#X') ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    return codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff) ? String.fromCodePoint(codePoint) : whole;
  });
}

interface SgmlState {
  readonly text: string;
  readonly fileName: string;
  readonly limits: XmlLimits;
  readonly lines: LineIndex;
  readonly stack: MutableElement[];
  /** The leaf just closed by its text, so an optional explicit </TAG> right after it is consumed. */
  lastLeaf: MutableElement | null;
}

function openTag(state: SgmlState, name: string, offset: number): void {
  const { line, column } = state.lines.locate(offset);
  if (!TAG_NAME_PATTERN.test(name)) throw malformed(state.fileName, line, column, `<${name}> is not an OFX tag name`);
  if (state.stack.length > state.limits.depthMax) throw new FileImportError('xml_too_deep', `${state.fileName}: elements nest deeper than ${state.limits.depthMax} levels at line ${line}`, { file: state.fileName, line, column });
  const parent = state.stack[state.stack.length - 1];
  assert(parent !== undefined, 'the document frame stays on the stack');
  const element: MutableElement = { name, prefix: null, attributes: new Map(), children: [], text: '', line, column, offset };
  parent.children.push(element);
  state.stack.push(element);
  state.lastLeaf = null;
}

/** An element may close implicitly only while empty: an open aggregate with children must be closed by its own end tag. */
function closeTag(state: SgmlState, name: string, offset: number): void {
  const { line, column } = state.lines.locate(offset);
  if (state.lastLeaf !== null && state.lastLeaf.name === name) {
    state.lastLeaf = null;
    return;
  }
  state.lastLeaf = null;
  while (state.stack.length > 1) {
    const top = state.stack.pop();
    assert(top !== undefined, 'stack is not empty');
    if (top.name === name) return;
    if (top.children.length > 0) throw malformed(state.fileName, line, column, `</${name}> closes <${top.name}> opened at line ${top.line}, which is still open`);
  }
  throw malformed(state.fileName, line, column, `</${name}> has no open <${name}>`);
}

function addText(state: SgmlState, raw: string, offset: number): void {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return;
  const { line, column } = state.lines.locate(offset + raw.indexOf(trimmed.charAt(0)));
  const top = state.stack[state.stack.length - 1];
  if (state.stack.length < 2 || top === undefined || top.children.length > 0 || top.text.length > 0) {
    throw malformed(state.fileName, line, column, `text ${JSON.stringify(trimmed.slice(0, 20))} outside a leaf element`);
  }
  if (trimmed.length > state.limits.fieldLengthMax) {
    throw new FileImportError('field_too_long', `${state.fileName}: <${top.name}> at line ${line} has ${trimmed.length} characters, more than ${state.limits.fieldLengthMax}`, { file: state.fileName, line });
  }
  // In OFX 1.x SGML a leaf ends at the next tag: its text closes it.
  top.text = decodeSgmlText(trimmed);
  state.stack.pop();
  state.lastLeaf = top;
}

/** Reads the SGML body of an OFX 1.x file (from its first "<") into an element tree, in one pass. */
function readSgml(text: string, bodyOffset: number, fileName: string, limits: XmlLimits): XmlElement {
  const document: MutableElement = { name: '#document', prefix: null, attributes: new Map(), children: [], text: '', line: 1, column: 1, offset: 0 };
  const state: SgmlState = { text, fileName, limits, lines: new LineIndex(text), stack: [document], lastLeaf: null };
  let position = bodyOffset;
  while (position < text.length) {
    const open = text.indexOf('<', position);
    addText(state, text.slice(position, open === -1 ? text.length : open), position);
    if (open === -1) break;
    if (text.startsWith('<!--', open)) {
      const end = text.indexOf('-->', open + 4);
      position = end === -1 ? text.length : end + 3;
      continue;
    }
    const close = text.indexOf('>', open + 1);
    const nextOpen = text.indexOf('<', open + 1);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      const { line, column } = state.lines.locate(open);
      throw malformed(fileName, line, column, 'a tag is not closed with ">"');
    }
    const tag = text.slice(open + 1, close).trim();
    if (tag.startsWith('/')) closeTag(state, tag.slice(1).trim(), open);
    else openTag(state, tag, open);
    position = close + 1;
  }
  // Empty leaves may stay open at the end; an open aggregate means the file was cut short.
  while (state.stack.length > 1) {
    const top = state.stack.pop();
    assert(top !== undefined, 'stack is not empty');
    if (top.children.length > 0) throw new FileImportError('file_truncated', `${fileName}: <${top.name}> opened at line ${top.line} is never closed (is the file cut short?)`, { file: fileName, line: top.line, column: top.column });
  }
  const roots = document.children;
  const root = roots[0];
  if (root === undefined || roots.length > 1) throw malformed(fileName, roots[1]?.line ?? 1, roots[1]?.column ?? 1, `expected one <OFX> element, found ${roots.length} top-level elements`);
  return root;
}

/** OFX 1.x header: "KEY:VALUE" lines starting with OFXHEADER, or nothing before <OFX>. */
function isSgmlHeader(header: string): boolean {
  const lines = header.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  return (lines.length === 0 || lines[0]?.startsWith('OFXHEADER') === true) && lines.every((line) => /^[A-Z]+\s*:/.test(line));
}

function readRoot(text: string, fileName: string): { root: XmlElement; syntax: 1 | 2 } {
  const limits = XML_LIMITS_DEFAULT;
  const start = text.search(/\S/);
  if (start === -1) throw new FileImportError('file_empty', `${fileName}: the file is empty`, { file: fileName });
  if (text.startsWith('<?xml', start) || text.startsWith('<?OFX', start)) {
    return { root: readXmlDocument(text, fileName, limits).root, syntax: 2 };
  }
  if (text.length > limits.textLengthMax) throw new FileImportError('file_too_large', `${fileName}: ${text.length} characters, more than the ${limits.textLengthMax} accepted for OFX`, { file: fileName });
  const declaration = /<!\s*(doctype|entity)/i.exec(text);
  if (declaration !== null) {
    const { line, column } = new LineIndex(text).locate(declaration.index);
    throw new FileImportError('xml_doctype_refused', `${fileName}: a DOCTYPE or ENTITY declaration at line ${line}, column ${column} is refused`, { file: fileName, line, column });
  }
  const body = text.indexOf('<');
  if (body === -1 || !isSgmlHeader(text.slice(0, body))) {
    throw new FileImportError('file_format_unrecognized', `${fileName}: not an OFX file (expected an OFXHEADER: header or <OFX>)`, { file: fileName });
  }
  return { root: readSgml(text, body, fileName, limits), syntax: 1 };
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
    throw new FileImportError('file_format_unrecognized', `${fileName}: line ${investment.line}: OFX investment statements (INVSTMTRS) are not supported`, { file: fileName, line: investment.line });
  }
  return findElements(root, STATEMENT_ELEMENTS, false).map((element) => ({ element, kind: element.name as OfxStatementKind }));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
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
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth(Number(year), Number(month))) return null;
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

interface StatementContext {
  readonly text: string;
  readonly account: string;
  readonly currency: string;
}


function reject(context: StatementContext, transaction: XmlElement, column: string, code: RejectionCode, reason: string): EntryOutcome {
  return { ok: false, rejection: { line: transaction.line, column: `STMTTRN/${column}`, code, reason, raw: excerptAt(context.text, transaction.offset) } };
}

/** TRNAMT or BALAMT as a canonical decimal with the currency's scale. */
function readSignedAmount(raw: string, currency: string): { ok: true; value: string } | { ok: false; code: RejectionCode; reason: string } {
  const format = raw.includes(',') && !raw.includes('.') ? AMOUNT_FORMATS['plain-comma'] : AMOUNT_FORMATS.plain;
  const parsed = parseAmount(raw, format);
  if (!parsed.ok) return { ok: false, code: parsed.code, reason: parsed.message };
  if (parsed.value === null) return { ok: false, code: 'amount_empty', reason: 'the amount is empty' };
  const exponent = minorUnitsOf(currency);
  if (new Decimal(parsed.value).decimalPlaces() > exponent) {
    return { ok: false, code: 'amount_minor_units', reason: `amount ${JSON.stringify(raw)} has more decimals than ${currency} allows (${exponent})` };
  }
  return { ok: true, value: canonicalDecimal(parsed.value, exponent) };
}

function readTransaction(context: StatementContext, transaction: XmlElement): EntryOutcome {
  // A CURRENCY aggregate means the amount is in that currency; ORIGCURRENCY means it was converted to CURDEF.
  const currency = textAt(transaction, 'CURRENCY/CURSYM') ?? context.currency;
  if (!isCurrencyCode(currency)) return reject(context, transaction, 'CURRENCY/CURSYM', 'currency_unknown', `unknown currency ${JSON.stringify(currency)}`);
  const amountText = textAt(transaction, 'TRNAMT');
  if (amountText === null) return reject(context, transaction, 'TRNAMT', 'field_missing', 'the transaction has no TRNAMT');
  const amount = readSignedAmount(amountText, currency);
  if (!amount.ok) return reject(context, transaction, 'TRNAMT', amount.code, amount.reason);
  const postedText = textAt(transaction, 'DTPOSTED');
  if (postedText === null) return reject(context, transaction, 'DTPOSTED', 'date_missing', 'the transaction has no DTPOSTED');
  const posted = parseOfxDate(postedText);
  if (posted === null) return reject(context, transaction, 'DTPOSTED', 'date_invalid', `DTPOSTED ${JSON.stringify(postedText)}: expected YYYYMMDD[HHMMSS[.XXX]][[offset:zone]]`);
  const availableText = textAt(transaction, 'DTAVAIL');
  const available = availableText === null ? null : parseOfxDate(availableText);
  if (availableText !== null && available === null) return reject(context, transaction, 'DTAVAIL', 'date_invalid', `DTAVAIL ${JSON.stringify(availableText)}: expected YYYYMMDD[HHMMSS[.XXX]][[offset:zone]]`);
  const fitId = textAt(transaction, 'FITID');
  const name = textAt(transaction, 'NAME') ?? textAt(transaction, 'PAYEE/NAME');
  const namespace = `bank:${context.account}`;
  const flat = flattenLeaves(transaction, RAW_LEAVES_MAX);
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
      counterparty: { name, account: textAt(transaction, 'BANKACCTTO/ACCTID') ?? textAt(transaction, 'CCACCTTO/ACCTID') },
      references: { externalId: null, batchId: null, endToEndId: null, bankReference: fitId },
      description: textAt(transaction, 'MEMO') ?? name,
      customerRef: null,
      raw: flat.truncatedLeaves > 0 ? { ...flat.leaves, truncatedLeaves: String(flat.truncatedLeaves) } : flat.leaves,
    },
  };
}

function readBalance(fileName: string, statement: XmlElement, name: string, currency: string): OfxBalance | null {
  const balance = childElement(statement, name);
  if (balance === null) return null;
  const text = textAt(balance, 'BALAMT');
  const amount = text === null ? null : readSignedAmount(text, currency);
  if (amount === null || !amount.ok) throw malformed(fileName, balance.line, balance.column, `${name}/BALAMT ${JSON.stringify(text)} is not an amount in ${currency}`);
  return { amount: amount.value, asOf: textAt(balance, 'DTASOF') };
}

interface StatementRead {
  readonly statement: OfxStatement;
  readonly transactions: readonly XmlElement[];
  readonly outcomes: readonly EntryOutcome[];
}

function readStatement(text: string, fileName: string, element: XmlElement, kind: OfxStatementKind): StatementRead {
  const from = childElement(element, kind === 'STMTRS' ? 'BANKACCTFROM' : 'CCACCTFROM');
  const account = from === null ? null : textAt(from, 'ACCTID');
  if (from === null || account === null) throw malformed(fileName, element.line, element.column, `<${kind}> has no ${kind === 'STMTRS' ? 'BANKACCTFROM' : 'CCACCTFROM'}/ACCTID`);
  const currency = textAt(element, 'CURDEF');
  if (currency === null || !isCurrencyCode(currency)) throw malformed(fileName, element.line, element.column, `<${kind}> CURDEF ${JSON.stringify(currency)} is not a known currency`);
  const lists = childElements(element, 'BANKTRANLIST');
  const transactions = lists.flatMap((list) => childElements(list, 'STMTTRN'));
  const context: StatementContext = { text, account, currency };
  const statement: OfxStatement = {
    kind,
    account,
    bankId: textAt(from, 'BANKID'),
    branchId: textAt(from, 'BRANCHID'),
    accountType: textAt(from, 'ACCTTYPE'),
    currency,
    ledgerBalance: readBalance(fileName, element, 'LEDGERBAL', currency),
    availableBalance: readBalance(fileName, element, 'AVAILBAL', currency),
    bankTranListCount: lists.length,
    transactionCount: transactions.length,
    line: element.line,
  };
  return { statement, transactions, outcomes: transactions.map((transaction) => readTransaction(context, transaction)) };
}

/** One section per currency: CURDEF with LEDGERBAL as closing, then any other currency entries use. */
function sectionsOf(statement: OfxStatement, outcomes: readonly EntryOutcome[]): ParsedStatement[] {
  const currencies = [statement.currency];
  for (const outcome of outcomes) if (outcome.ok && !currencies.includes(outcome.entry.currency)) currencies.push(outcome.entry.currency);
  return currencies.map((currency) => {
    const closing = currency === statement.currency ? (statement.ledgerBalance?.amount ?? null) : null;
    return { account: statement.account, currency, statementId: null, opening: null, closing, openingTag: null, closingTag: closing === null ? null : 'LEDGERBAL', controlTotalsOk: null };
  });
}

/** Reads an OFX file; bad transactions become Rejections, a broken statement frame refuses the file. */
export function readOfx(text: string, fileName: string): OfxDocument {
  const { root, syntax } = readRoot(text, fileName);
  if (root.name !== 'OFX') throw new FileImportError('file_format_mismatch', `${fileName}: the root element is <${root.name}>, an OFX file has <OFX>`, { file: fileName, line: root.line, column: root.column });
  const statements: OfxStatement[] = [];
  const output: StatementsOutput = { entries: [], rejected: [], statements: [] };
  const readTransactions = new Set<XmlElement>();
  for (const { element, kind } of findStatements(root, fileName)) {
    const read = readStatement(text, fileName, element, kind);
    statements.push(read.statement);
    for (const transaction of read.transactions) readTransactions.add(transaction);
    appendStatement(output, sectionsOf(read.statement, read.outcomes), read.outcomes);
  }
  const { entries, rejected } = output;
  const rowsRead = statements.reduce((count, statement) => count + statement.transactionCount, 0);
  assert(rowsRead === entries.length + rejected.length, 'every STMTTRN is imported or rejected', { rowsRead, entries: entries.length, rejected: rejected.length });
  const stray = findElements(root, ['STMTTRN'], true).find((element) => !readTransactions.has(element));
  if (stray !== undefined) throw malformed(fileName, stray.line, stray.column, 'a STMTTRN outside the BANKTRANLIST of a STMTRS or CCSTMTRS would be lost');
  return { syntax, statements, output: { rowsRead, entries, rejected, statements: output.statements, issues: [] } };
}

export const ofxImporter: Importer = {
  format: 'ofx',
  sniff: (head, fileName) => /OFXHEADER\s*:|<\?OFX|<OFX>/i.test(head) || /\.(ofx|qfx)$/i.test(fileName),
  parse: (text, context) => readOfx(text, context.fileName).output,
};
