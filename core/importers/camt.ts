import { assert } from '../assert.ts';
import { FileImportError } from '../ingest/errors.ts';
import type { ImportFormat, Importer, ParseOutput, ParsedStatement } from '../ingest/importer.ts';
import type { ImportIssue, RejectionCode } from '../ingest/result.ts';
import { Decimal } from '../money/decimal.ts';
import { isCurrencyCode, minorUnitsOf } from '../money/iso4217.ts';
import { canonicalDecimal } from '../money/money.ts';
import { AMOUNT_FORMATS, parseAmount } from '../money/parse.ts';
import { ENTRY_LEAVES_MAX, scanCamt, type ScannedCamt, type ScannedEntry } from './camt-scan.ts';
import { digitsAt, type RejectionSaid } from './row-values.ts';
import { appendStatement, type EntryDraft, type EntryOutcome as SharedEntryOutcome, type StatementsOutput } from './statement-sections.ts';
import { childElement, childElements, excerptAt, flattenLeaves, readXmlDocument, textAt, type XmlElement } from './xml-safety.ts';
import { daysInMonth } from '../calendar.ts';

/**
 * ISO 20022 bank-to-customer account reports (camt.052, Rpt: the intraday report), statements
 * (camt.053, Stmt) and debit/credit notifications (camt.054, Ntfctn): camt.052 versions 001.01
 * to 001.08, the others 001.02 to 001.08. The elements we read kept their names and places
 * across these versions; where they moved (001.01 names the message BkToCstmrAcctRptV01 and the
 * balance type Tp/Cd, Sts became Sts/Cd in 001.08, parties gained Pty in 001.08) both places are
 * read. The XML is read through xml-safety.ts.
 *
 * One ParsedStatement per account + currency of each Rpt/Stmt/Ntfctn: a statement may state its
 * balances (and, in test data, even entries) in several currencies, and summing them together
 * would be wrong. Opening is OPBD (else PRCD) and closing CLBD, each in its own currency.
 *
 * Reversals: CdtDbtInd is the direction of the booked entry itself (ISO 20022: the reversal of a
 * credit is booked as a debit) and RvslInd only marks it; RvslInd stays in `raw`. Some banks
 * write the opposite (CdtDbtInd of the original entry): `reversalSign: 'inverted'` reads such
 * files, and a statement whose balances add up only under the other convention says so.
 */
export type CamtMessage = 'camt.052' | 'camt.053' | 'camt.054';

/** How RvslInd=true signs an entry: by its CdtDbtInd (ISO 20022), or turned round (some banks). */
export const REVERSAL_SIGNS = ['cdtdbtind', 'inverted'] as const;
export type ReversalSign = (typeof REVERSAL_SIGNS)[number];

export interface CamtOptions {
  /** Default 'cdtdbtind'. */
  readonly reversalSign?: ReversalSign;
}

const NAMESPACE_PATTERN = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[234])\.001\.(\d{2})$/;
const VERSIONS_SUPPORTED: Readonly<Record<CamtMessage, readonly string[]>> = {
  'camt.052': ['01', '02', '03', '04', '05', '06', '07', '08'],
  'camt.053': ['02', '03', '04', '05', '06', '07', '08'],
  'camt.054': ['02', '03', '04', '05', '06', '07', '08'],
};
const MESSAGE_ELEMENT: Readonly<Record<CamtMessage, { message: string; statement: string }>> = {
  'camt.052': { message: 'BkToCstmrAcctRpt', statement: 'Rpt' },
  'camt.053': { message: 'BkToCstmrStmt', statement: 'Stmt' },
  'camt.054': { message: 'BkToCstmrDbtCdtNtfctn', statement: 'Ntfctn' },
};
const OPENING_CODES = ['OPBD', 'PRCD'] as const;
const CLOSING_CODE = 'CLBD';
const NOT_PROVIDED = 'NOTPROVIDED';

export interface CamtBalance {
  /** Balance type code (OPBD, CLBD, OPAV, ITBD, ...) or the proprietary type. */
  readonly code: string;
  readonly currency: string;
  /** Signed: a DBIT balance is negative. */
  readonly amount: string;
  readonly date: string | null;
  readonly line: number;
}

/**
 * One payment of a batch booking, as the bank details it (TxDtls): in the camt.053 entry itself or
 * in a camt.054 that notifies the batch. The amount is signed by the detail's CdtDbtInd, else the
 * entry's; Amt (001.04 on) or AmtDtls/TxAmt/Amt (001.02, 001.03).
 */
export interface CamtBatchDetail {
  readonly line: number;
  readonly amount: string;
  readonly currency: string;
  readonly endToEndId: string | null;
  readonly accountServicerReference: string | null;
  readonly transactionId: string | null;
  readonly counterparty: { readonly name: string | null; readonly account: string | null };
  readonly description: string | null;
}

/**
 * An entry that books several payments at once (NtryDtls/Btch with NbOfTxs > 1, or more than one
 * TxDtls) with the details the file gives. Linked to the booked entry by AcctSvcrRef, PmtInfId or
 * MsgId (a camt.054 names the camt.053 entry so), or by file and line (its own details). Details
 * that cannot be read are listed in `problems`: such a batch cannot stand for its entry.
 */
export interface CamtBatch {
  readonly message: CamtMessage;
  readonly fileName: string;
  readonly account: string;
  /** Line of the Ntry that books the batch. */
  readonly entryLine: number;
  /** The booked entry, signed, as imported. */
  readonly amount: string;
  readonly currency: string;
  readonly accountServicerReference: string | null;
  readonly paymentInformationId: string | null;
  readonly messageId: string | null;
  /** Btch/NbOfTxs, when stated. */
  readonly statedCount: number | null;
  readonly details: readonly CamtBatchDetail[];
  readonly problems: readonly string[];
}

export interface CamtStatement {
  readonly id: string | null;
  readonly account: string;
  readonly accountCurrency: string | null;
  readonly line: number;
  readonly balances: readonly CamtBalance[];
  /** Ntry elements seen (imported + rejected). */
  readonly entryCount: number;
  readonly transactionDetailCount: number;
  readonly controlTotalsOk: boolean | null;
  /** The last day the statement covers: FrToDt/ToDtTm (ToDt) as written, else the closing balance's date. */
  readonly periodEnd: string | null;
}

export interface CamtDocument {
  /** The report type, kept: a camt.052 intraday report is not a statement of the day. */
  readonly message: CamtMessage;
  /** "01" .. "08". */
  readonly version: string;
  /** e.g. "camt.053.001.02". */
  readonly schema: string;
  readonly messageId: string | null;
  readonly statements: readonly CamtStatement[];
  /** Batch bookings with their details, in document order. */
  readonly batches: readonly CamtBatch[];
  readonly output: ParseOutput;
}

interface StatementContext {
  readonly text: string;
  readonly fileName: string;
  readonly account: string;
  /** `bank:<account>`, the id namespace of the statement's entries: made once, not once per entry. */
  readonly namespace: string;
  readonly accountCurrency: string | null;
  readonly path: string;
  readonly reversalSign: ReversalSign;
}

/** The side, unsigned amount and reversal mark of an accepted entry, kept for the TxsSummry and reversal checks. */
type EntryOutcome = SharedEntryOutcome<{ readonly creditDebit: 'CRDT' | 'DBIT'; readonly amount: string; readonly reversal: boolean }>;

/**
 * An entry's draft with its statementIndex already in place (null until appendStatement sets it):
 * appendStatement copies the draft by spread, and V8 makes a copy that only overwrites a property
 * fast, where one that adds a property took some 2-5 µs an entry (0.3-0.45 s of the 100,000 entries
 * of the reconcile bench's camt files, measured in Node 20).
 */
type SlottedDraft = EntryDraft & { readonly statementIndex: null };

/** A statement's frame that cannot be read refuses the file: where (line, element path), and what as `says` and its values. */
function fileError(context: { fileName: string }, element: XmlElement, column: string, message: string, said: { readonly says: string } & Readonly<Record<string, string>>): FileImportError {
  return new FileImportError('file_malformed', `${context.fileName}: line ${element.line}, ${column}: ${message}`, { file: context.fileName, line: element.line, column }, { ...said, line: String(element.line), path: column });
}

/** A real calendar date written YYYY-MM-DD (read by its characters: two dates of every entry). */
export function isIsoCalendarDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  return year >= 0 && day >= 1 && day <= daysInMonth(year, month);
}

const DATE_TIME_PATTERN = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$/;

/** ISO 20022 DateAndDateTimeChoice: Dt (a date) or DtTm (kept with its offset as the instant). */
function readDateChoice(parent: XmlElement, name: string): { date: string; instant: string | null } | 'absent' | 'invalid' {
  const choice = childElement(parent, name);
  if (choice === null) return 'absent';
  const date = textAt(choice, 'Dt');
  if (date !== null) return isIsoCalendarDate(date) ? { date, instant: null } : 'invalid';
  const dateTime = textAt(choice, 'DtTm');
  if (dateTime === null) return 'invalid';
  const match = DATE_TIME_PATTERN.exec(dateTime);
  const day = match?.[1];
  if (match === null || day === undefined || !isIsoCalendarDate(day)) return 'invalid';
  // Without an offset the time is local to an unknown zone: keep only the calendar date.
  return { date: day, instant: match[6] === undefined ? null : dateTime };
}

/** An unsigned camt amount (the sign is CdtDbtInd) as a canonical decimal, or why not. */
function readUnsignedAmount(raw: string, currency: string): { ok: true; value: string } | { ok: false; code: RejectionCode; reason: string; said: RejectionSaid } {
  const parsed = parseAmount(raw, AMOUNT_FORMATS.plain);
  // parseAmount's words are said by their cause and its values.
  if (!parsed.ok) return { ok: false, code: parsed.code, reason: parsed.message, said: { says: 'amount_text_unreadable', params: { ...parsed.values, value: parsed.text, problem: parsed.cause } } };
  if (parsed.value === null || /^\s*[+-]/.test(raw) || parsed.value.startsWith('-')) {
    return { ok: false, code: 'amount_not_decimal', reason: `amount ${JSON.stringify(raw)}: camt amounts are unsigned, the direction is CdtDbtInd`, said: { says: 'camt_amount_signed', params: { value: raw } } };
  }
  const exponent = minorUnitsOf(currency);
  if (new Decimal(parsed.value).decimalPlaces() > exponent) {
    const said = { says: 'amount_text_minor_units', params: { value: raw, currency, digits: String(exponent) } };
    return { ok: false, code: 'amount_minor_units', reason: `amount ${JSON.stringify(raw)} has more decimals than ${currency} allows (${exponent})`, said };
  }
  return { ok: true, value: canonicalDecimal(parsed.value, exponent) };
}

function reject(context: StatementContext, entry: XmlElement, column: string, code: RejectionCode, reason: string, said: RejectionSaid): EntryOutcome {
  // The section the lost money belongs to: the entry's currency where it names one.
  const currency = childElement(entry, 'Amt')?.attributes.get('Ccy') ?? context.accountCurrency;
  return { ok: false, currency, rejection: { line: entry.line, column: `${context.path}/${column}`, code, reason, raw: excerptAt(context.text, entry.offset), ...said } };
}

const NAMES_NOTHING: Readonly<Record<string, string>> = {};
const DATE_EXPECTED = 'expected Dt YYYY-MM-DD or DtTm YYYY-MM-DDThh:mm:ss[offset]';

function accountOf(parent: XmlElement, path: string): string | null {
  return textAt(parent, `${path}/Id/IBAN`) ?? textAt(parent, `${path}/Id/Othr/Id`);
}

/** The other party: the debtor of a credit, the creditor of a debit (001.08 wraps parties in Pty). */
function counterpartyOf(details: XmlElement | null, creditDebit: 'CRDT' | 'DBIT'): { name: string | null; account: string | null } {
  if (details === null) return { name: null, account: null };
  const side = creditDebit === 'CRDT' ? 'Dbtr' : 'Cdtr';
  const name = textAt(details, `RltdPties/${side}/Nm`) ?? textAt(details, `RltdPties/${side}/Pty/Nm`);
  return { name, account: accountOf(details, `RltdPties/${side}Acct`) };
}

/** Remittance texts of every transaction detail: Ustrd, else the structured references. */
function descriptionOf(entry: XmlElement, details: readonly XmlElement[]): string | null {
  const texts: string[] = [];
  for (const detail of details) {
    for (const remittance of childElements(detail, 'RmtInf')) {
      const unstructured = childElements(remittance, 'Ustrd').map((element) => element.text.trim());
      const structured = childElements(remittance, 'Strd').flatMap((element) => [textAt(element, 'CdtrRefInf/Ref'), textAt(element, 'AddtlRmtInf')]);
      const chosen = unstructured.length > 0 ? unstructured : structured;
      const joined = chosen.filter((text): text is string => text !== null && text.length > 0).join(' ');
      if (joined.length > 0 && !texts.includes(joined)) texts.push(joined);
    }
    const additional = textAt(detail, 'AddtlTxInf');
    if (texts.length === 0 && additional !== null) texts.push(additional);
  }
  const entryInfo = textAt(entry, 'AddtlNtryInf');
  if (texts.length === 0 && entryInfo !== null) texts.push(entryInfo);
  return texts.length === 0 ? null : texts.join(' | ');
}

function readEntry(context: StatementContext, entry: XmlElement): EntryOutcome {
  const amountElement = childElement(entry, 'Amt');
  const amountText = amountElement?.text.trim() ?? '';
  if (amountElement === null || amountText.length === 0) return reject(context, entry, 'Ntry/Amt', 'field_missing', 'the entry has no Amt', { says: 'camt_amount_missing', params: NAMES_NOTHING });
  const currency = amountElement.attributes.get('Ccy') ?? context.accountCurrency;
  if (currency === null) return reject(context, entry, 'Ntry/Amt@Ccy', 'currency_missing', 'Amt has no Ccy and the account states none', { says: 'camt_currency_missing', params: NAMES_NOTHING });
  if (!isCurrencyCode(currency)) return reject(context, entry, 'Ntry/Amt@Ccy', 'currency_unknown', `unknown currency ${JSON.stringify(currency)}`, { says: 'currency_text_unknown', params: { value: currency } });
  const amount = readUnsignedAmount(amountText, currency);
  if (!amount.ok) return reject(context, entry, 'Ntry/Amt', amount.code, amount.reason, amount.said);
  const creditDebit = textAt(entry, 'CdtDbtInd');
  if (creditDebit === null) return reject(context, entry, 'Ntry/CdtDbtInd', 'field_missing', 'the entry has no CdtDbtInd', { says: 'camt_direction_missing', params: NAMES_NOTHING });
  if (creditDebit !== 'CRDT' && creditDebit !== 'DBIT') return reject(context, entry, 'Ntry/CdtDbtInd', 'field_invalid', `CdtDbtInd ${JSON.stringify(creditDebit)}: expected CRDT or DBIT`, { says: 'camt_direction_invalid', params: { value: creditDebit } });
  const reversal = textAt(entry, 'RvslInd');
  if (reversal !== null && !['true', 'false', '1', '0'].includes(reversal)) return reject(context, entry, 'Ntry/RvslInd', 'field_invalid', `RvslInd ${JSON.stringify(reversal)}: expected true or false`, { says: 'camt_reversal_invalid', params: { value: reversal } });
  const booking = readDateChoice(entry, 'BookgDt');
  if (booking === 'invalid') return reject(context, entry, 'Ntry/BookgDt', 'date_invalid', `BookgDt: ${DATE_EXPECTED}`, { says: 'camt_date_invalid', params: { element: 'BookgDt' } });
  const value = readDateChoice(entry, 'ValDt');
  if (value === 'invalid') return reject(context, entry, 'Ntry/ValDt', 'date_invalid', `ValDt: ${DATE_EXPECTED}`, { says: 'camt_date_invalid', params: { element: 'ValDt' } });
  const dated = booking !== 'absent' ? booking : value !== 'absent' ? value : null;
  if (dated === null) return reject(context, entry, 'Ntry/BookgDt', 'date_missing', 'the entry has neither BookgDt nor ValDt', { says: 'camt_date_missing', params: NAMES_NOTHING });

  const reversed = reversal === 'true' || reversal === '1';
  // ISO 20022: CdtDbtInd is the booked direction, reversal or not; 'inverted' is the other banks' reading.
  const credit = (creditDebit === 'CRDT') !== (reversed && context.reversalSign === 'inverted');
  const signed = canonicalDecimal(credit ? new Decimal(amount.value) : new Decimal(amount.value).negated(), minorUnitsOf(currency));
  const details = childElements(entry, 'NtryDtls').flatMap((group) => childElements(group, 'TxDtls'));
  const first = details[0] ?? null;
  const endToEnd = first === null ? null : textAt(first, 'Refs/EndToEndId');
  const bankReference = textAt(entry, 'AcctSvcrRef');
  const { namespace } = context;
  const flat = flattenLeaves(entry, ENTRY_LEAVES_MAX);
  const raw = flat.truncatedLeaves > 0 ? { ...flat.leaves, truncatedLeaves: String(flat.truncatedLeaves) } : flat.leaves;
  const draft: SlottedDraft = {
    line: entry.line,
    identity: bankReference === null ? { by: 'fingerprint', namespace } : { by: 'reference', namespace, reference: bankReference },
    kind: 'transfer',
    occurredAt: dated.instant ?? dated.date,
    bookingDate: booking === 'absent' ? null : booking.date,
    valueDate: value === 'absent' ? null : value.date,
    amount: signed,
    currency,
    account: context.account,
    partnerId: null,
    productId: null,
    channel: null,
    counterparty: counterpartyOf(first, creditDebit),
    references: {
      externalId: null,
      batchId: (first === null ? null : textAt(first, 'Refs/PmtInfId')) ?? textAt(entry, 'NtryDtls/Btch/PmtInfId'),
      endToEndId: endToEnd === NOT_PROVIDED ? null : endToEnd,
      bankReference,
    },
    description: descriptionOf(entry, details),
    customerRef: null,
    raw,
    statementIndex: null,
  };
  return { ok: true, entry: draft, creditDebit, amount: amount.value, reversal: reversed };
}

/** Entry leaves the scanned reading understands (camt-scan.ts); an entry with any other falls back to the element tree. */
const SCANNED_LEAVES: ReadonlySet<string> = new Set([
  'Amt',
  'Amt@Ccy',
  'CdtDbtInd',
  'RvslInd',
  'Sts',
  'Sts/Cd',
  'BookgDt/Dt',
  'ValDt/Dt',
  'AcctSvcrRef',
  'NtryRef',
  'AddtlNtryInf',
  ...['EndToEndId', 'AcctSvcrRef', 'TxId', 'InstrId', 'MsgId', 'PmtInfId', 'MndtId'].map((name) => `NtryDtls/TxDtls/Refs/${name}`),
  ...['Dbtr', 'Cdtr'].flatMap((party) => [`${party}/Nm`, `${party}/Pty/Nm`, `${party}Acct/Id/IBAN`, `${party}Acct/Id/Othr/Id`].map((name) => `NtryDtls/TxDtls/RltdPties/${name}`)),
  'NtryDtls/TxDtls/Amt',
  'NtryDtls/TxDtls/Amt@Ccy',
  'NtryDtls/TxDtls/RmtInf/Ustrd',
  'NtryDtls/TxDtls/AddtlTxInf',
]);
/** Parts only kept in raw for an entry of one payment (codes, the detail's amounts, agents, purpose): any leaf below them is fine. */
const SCANNED_PREFIXES = ['BkTxCd/', 'NtryDtls/TxDtls/BkTxCd/', 'NtryDtls/TxDtls/AmtDtls/', 'NtryDtls/TxDtls/RltdAgts/', 'NtryDtls/TxDtls/Purp/'] as const;

/** The leaves readScannedEntry reads, by their place in its values. */
const SCANNED_FIELDS: readonly string[] = ['Amt', 'Amt@Ccy', 'CdtDbtInd', 'RvslInd', 'BookgDt/Dt', 'ValDt/Dt', 'AcctSvcrRef', 'AddtlNtryInf'].concat(
  ['Refs/EndToEndId', 'Refs/PmtInfId', 'RmtInf/Ustrd', 'AddtlTxInf'].map((name) => `NtryDtls/TxDtls/${name}`),
  ['Dbtr', 'Cdtr'].flatMap((party) => [`${party}/Nm`, `${party}/Pty/Nm`, `${party}Acct/Id/IBAN`, `${party}Acct/Id/Othr/Id`].map((name) => `NtryDtls/TxDtls/RltdPties/${name}`)),
);
const field = (path: string): number => SCANNED_FIELDS.indexOf(path);
const [AMOUNT, CURRENCY, CREDIT_DEBIT, REVERSAL, BOOKING_DATE, VALUE_DATE, BANK_REFERENCE, ENTRY_INFO] = SCANNED_FIELDS.slice(0, 8).map(field) as [number, number, number, number, number, number, number, number];
const END_TO_END = field('NtryDtls/TxDtls/Refs/EndToEndId');
const PAYMENT_INFO = field('NtryDtls/TxDtls/Refs/PmtInfId');
const REMITTANCE = field('NtryDtls/TxDtls/RmtInf/Ustrd');
const DETAIL_INFO = field('NtryDtls/TxDtls/AddtlTxInf');
/** The other party's name, its name in Pty (001.08), its account's IBAN and other id, for a credit (Dbtr) and a debit (Cdtr). */
const PARTY_FIELDS = (['Dbtr', 'Cdtr'] as const).map((party) => [`${party}/Nm`, `${party}/Pty/Nm`, `${party}Acct/Id/IBAN`, `${party}Acct/Id/Othr/Id`].map((name) => field(`NtryDtls/TxDtls/RltdPties/${name}`))) as [number[], number[]];
/** A leaf kept in raw only, and one that sends the file to the element tree. */
const KEPT = SCANNED_FIELDS.length;
const REFUSED = -1;

/** A scanned file as readScannedEntry reads it: each path's field (once per file), the branches it asks about, and one entry's values at a time. */
interface ScannedReading {
  readonly scanned: ScannedCamt;
  /** Path number -> its place in SCANNED_FIELDS, KEPT or REFUSED. */
  readonly fields: Int16Array;
  /** Path numbers of BookgDt, ValDt and NtryDtls/TxDtls (-1 when the file has none). */
  readonly booking: number;
  readonly value: number;
  readonly detail: number;
  /** The entry's leaf texts by field, refilled for each entry. */
  readonly values: Array<string | undefined>;
}

function scannedReading(scanned: ScannedCamt): ScannedReading {
  const fields = Int16Array.from(scanned.paths, (path) => {
    const place = SCANNED_FIELDS.indexOf(path);
    if (place !== -1) return place;
    return SCANNED_LEAVES.has(path) || SCANNED_PREFIXES.some((prefix) => path.startsWith(prefix)) ? KEPT : REFUSED;
  });
  const { paths } = scanned;
  return { scanned, fields, booking: paths.indexOf('BookgDt'), value: paths.indexOf('ValDt'), detail: paths.indexOf('NtryDtls/TxDtls'), values: new Array<string | undefined>(KEPT) };
}

/** A leaf's text, null when absent or empty (leaves are trimmed as textAt trims). */
function present(values: ReadonlyArray<string | undefined>, place: number): string | null {
  const value = values[place];
  return value === undefined || value.length === 0 ? null : value;
}

function hasBranch(scanned: ScannedCamt, entry: ScannedEntry, path: number): boolean {
  for (let index = entry.branchesStart; index < entry.branchesEnd; index++) if (scanned.branchPaths[index] === path) return true;
  return false;
}

/**
 * The number of decimals of an unsigned amount already written as canonicalDecimal writes it
 * (no leading zero, at most 15 integer digits: /^(?:0|[1-9]\d{0,14})(?:\.(\d+))?$/), else -1.
 * Read by its characters: this runs for every entry.
 */
export function canonicalUnsignedDecimals(text: string): number {
  const length = text.length;
  const first = text.charCodeAt(0);
  let index = 1;
  if (first === 48) {
    // "0" stands alone before the point.
  } else if (first >= 49 && first <= 57) {
    while (index < length && index < 15 && isDigitCode(text.charCodeAt(index))) index++;
  } else {
    return -1;
  }
  if (index === length) return 0;
  if (text.charCodeAt(index) !== 46 || index + 1 === length) return -1;
  for (let at = index + 1; at < length; at++) if (!isDigitCode(text.charCodeAt(at))) return -1;
  return length - index - 1;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * readEntry for an entry the scanner kept as leaf texts: the same draft, built from the same
 * facts, for the plain entries (one detail at most, no batch, no structured remittance, dates as
 * Dt). Null for anything else and for any entry readEntry would reject: the file is then read
 * through the element tree, so rejections and rare shapes have one reader.
 */
function readScannedEntry(context: StatementContext, reading: ScannedReading, entry: ScannedEntry): EntryOutcome | null {
  const { scanned, fields, values } = reading;
  const { leafPaths, leafTexts } = scanned;
  values.fill(undefined);
  for (let index = entry.leavesStart; index < entry.leavesEnd; index++) {
    const place = fields[leafPaths[index] as number] as number;
    if (place === REFUSED) return null;
    if (place !== KEPT) values[place] = leafTexts[index];
  }
  const amountText = present(values, AMOUNT);
  const currency = values[CURRENCY] ?? context.accountCurrency;
  if (amountText === null || currency === null || !isCurrencyCode(currency)) return null;
  const exponent = minorUnitsOf(currency);
  const amount = canonicalUnsignedDecimals(amountText) === exponent ? { ok: true as const, value: amountText } : readUnsignedAmount(amountText, currency);
  if (!amount.ok) return null;
  const creditDebit = present(values, CREDIT_DEBIT);
  if (creditDebit !== 'CRDT' && creditDebit !== 'DBIT') return null;
  const reversal = present(values, REVERSAL);
  if (reversal !== null && reversal !== 'true' && reversal !== 'false' && reversal !== '1' && reversal !== '0') return null;
  const booking = scannedDate(scanned, entry, reading.booking, present(values, BOOKING_DATE));
  const value = scannedDate(scanned, entry, reading.value, present(values, VALUE_DATE));
  if (booking === null || value === null || (booking === 'absent' && value === 'absent')) return null;
  const reversed = reversal === 'true' || reversal === '1';
  const credit = (creditDebit === 'CRDT') !== (reversed && context.reversalSign === 'inverted');
  const signed = credit || /^0(\.0+)?$/.test(amount.value) ? amount.value : `-${amount.value}`;
  const hasDetail = hasBranch(scanned, entry, reading.detail);
  const endToEnd = hasDetail ? present(values, END_TO_END) : null;
  const bankReference = present(values, BANK_REFERENCE);
  const { namespace } = context;
  const [partyName, partyPtyName, partyIban, partyOther] = PARTY_FIELDS[creditDebit === 'CRDT' ? 0 : 1] as [number, number, number, number];
  const remittance = present(values, REMITTANCE) ?? present(values, DETAIL_INFO) ?? present(values, ENTRY_INFO);
  const raw: Record<string, string> = {};
  // Paths are element names joined by "/": never "__proto__" here (a top-level leaf so named was REFUSED above).
  for (let index = entry.leavesStart; index < entry.leavesEnd; index++) raw[scanned.paths[leafPaths[index] as number] as string] = leafTexts[index] as string;
  const draft: SlottedDraft = {
    line: entry.line,
    identity: bankReference === null ? { by: 'fingerprint', namespace } : { by: 'reference', namespace, reference: bankReference },
    kind: 'transfer',
    occurredAt: booking !== 'absent' ? booking : (value as string),
    bookingDate: booking === 'absent' ? null : booking,
    valueDate: value === 'absent' ? null : value,
    amount: signed,
    currency,
    account: context.account,
    partnerId: null,
    productId: null,
    channel: null,
    counterparty: hasDetail ? { name: present(values, partyName) ?? present(values, partyPtyName), account: present(values, partyIban) ?? present(values, partyOther) } : { name: null, account: null },
    references: {
      externalId: null,
      batchId: hasDetail ? present(values, PAYMENT_INFO) : null,
      endToEndId: endToEnd === NOT_PROVIDED ? null : endToEnd,
      bankReference,
    },
    description: remittance,
    customerRef: null,
    raw,
    statementIndex: null,
  };
  return { ok: true, entry: draft, creditDebit, amount: amount.value, reversal: reversed };
}

/** A scanned BookgDt or ValDt (the branch `choice`, its Dt `date`): the date, 'absent' without the element, null when unreadable. */
function scannedDate(scanned: ScannedCamt, entry: ScannedEntry, choice: number, date: string | null): string | 'absent' | null {
  if (!hasBranch(scanned, entry, choice)) return 'absent';
  return date !== null && isIsoCalendarDate(date) ? date : null;
}

/** A rule of the format a file broke where nothing had to be guessed: imported, and said. */
function ruleBroken(fileName: string, line: number, message: string, says: string, values: Readonly<Record<string, string>>): ImportIssue {
  return { code: 'format_rule_broken', message: `${fileName}: line ${line}: ${message}`, line, says, params: { ...values, lines: String(line), more: '' } };
}

/**
 * A balance, or why it is left out (a warning): without a type code we cannot tell what it is,
 * and without CdtDbtInd a non-zero balance's sign would be a guess. A balance whose amount,
 * currency or date cannot be read refuses the file: that is a broken file, not a lax one.
 */
function readBalance(context: StatementContext, balance: XmlElement): CamtBalance | { readonly skipped: ImportIssue } {
  const code = textAt(balance, 'Tp/CdOrPrtry/Cd') ?? textAt(balance, 'Tp/CdOrPrtry/Prtry') ?? textAt(balance, 'Tp/Cd') ?? textAt(balance, 'Tp/Prtry');
  if (code === null) return { skipped: ruleBroken(context.fileName, balance.line, `${context.path}/Bal has no type code (Tp/CdOrPrtry): the balance is left out`, 'balance_type_missing', { path: context.path }) };
  const amountElement = childElement(balance, 'Amt');
  const currency = amountElement?.attributes.get('Ccy') ?? context.accountCurrency;
  if (amountElement === null || currency === null || !isCurrencyCode(currency)) {
    throw fileError(context, balance, `${context.path}/Bal/Amt`, `balance ${code} needs an Amt with a known Ccy`, { says: 'camt_balance_amount_missing', balance: code });
  }
  const amount = readUnsignedAmount(amountElement.text, currency);
  // The amount's own reason (an entry's words) said inside the balance's: its code as amountSays.
  if (!amount.ok) throw fileError(context, balance, `${context.path}/Bal/Amt`, `balance ${code}: ${amount.reason}`, { ...amount.said.params, says: 'camt_balance_amount', balance: code, amountSays: amount.said.says });
  const creditDebit = textAt(balance, 'CdtDbtInd');
  if (creditDebit === null && !new Decimal(amount.value).isZero()) {
    return { skipped: ruleBroken(context.fileName, balance.line, `${context.path}/Bal ${code} has no CdtDbtInd: its sign would be a guess, so the balance is left out`, 'balance_sign_missing', { path: context.path, balance: code }) };
  }
  if (creditDebit !== null && creditDebit !== 'CRDT' && creditDebit !== 'DBIT') throw fileError(context, balance, `${context.path}/Bal/CdtDbtInd`, `balance ${code}: CdtDbtInd must be CRDT or DBIT`, { says: 'camt_balance_direction_invalid', balance: code });
  const date = readDateChoice(balance, 'Dt');
  if (date === 'invalid') throw fileError(context, balance, `${context.path}/Bal/Dt`, `balance ${code}: expected Dt YYYY-MM-DD or DtTm`, { says: 'camt_balance_date_invalid', balance: code });
  const signed = creditDebit !== 'DBIT' ? amount.value : canonicalDecimal(new Decimal(amount.value).negated(), minorUnitsOf(currency));
  return { code, currency, amount: signed, date: date === 'absent' ? null : date.date, line: balance.line };
}

/** FrToDt/ToDtTm (or ToDt): the calendar date as written, its offset's own day. */
function periodEndOf(statement: XmlElement): string | null {
  const period = childElement(statement, 'FrToDt');
  if (period === null) return null;
  const text = textAt(period, 'ToDtTm') ?? textAt(period, 'ToDt');
  const day = text?.slice(0, 10) ?? null;
  return day !== null && isIsoCalendarDate(day) ? day : null;
}

/** TxDtls/Amt (001.04 on), else TxDtls/AmtDtls/TxAmt/Amt. */
function detailAmountElement(detail: XmlElement): XmlElement | null {
  const direct = childElement(detail, 'Amt');
  if (direct !== null) return direct;
  const amounts = childElement(detail, 'AmtDtls');
  const transaction = amounts === null ? null : childElement(amounts, 'TxAmt');
  return transaction === null ? null : childElement(transaction, 'Amt');
}

function readBatchDetail(detail: XmlElement, entry: EntryDraft, entrySide: 'CRDT' | 'DBIT'): CamtBatchDetail | string {
  const amountElement = detailAmountElement(detail);
  if (amountElement === null) return `line ${detail.line}: TxDtls has no Amt (nor AmtDtls/TxAmt/Amt)`;
  const currency = amountElement.attributes.get('Ccy') ?? entry.currency;
  if (!isCurrencyCode(currency)) return `line ${detail.line}: TxDtls Amt has unknown currency ${JSON.stringify(currency)}`;
  const amount = readUnsignedAmount(amountElement.text.trim(), currency);
  if (!amount.ok) return `line ${detail.line}: TxDtls Amt: ${amount.reason}`;
  const side = textAt(detail, 'CdtDbtInd') ?? entrySide;
  if (side !== 'CRDT' && side !== 'DBIT') return `line ${detail.line}: TxDtls CdtDbtInd ${JSON.stringify(side)}: expected CRDT or DBIT`;
  const endToEnd = textAt(detail, 'Refs/EndToEndId');
  return {
    line: detail.line,
    amount: side === 'CRDT' ? amount.value : canonicalDecimal(new Decimal(amount.value).negated(), minorUnitsOf(currency)),
    currency,
    endToEndId: endToEnd === NOT_PROVIDED ? null : endToEnd,
    accountServicerReference: textAt(detail, 'Refs/AcctSvcrRef'),
    transactionId: textAt(detail, 'Refs/TxId'),
    counterparty: counterpartyOf(detail, side),
    description: descriptionOf(detail, [detail]),
  };
}

/** The batch an accepted entry books with its details, or null when it books one payment. */
function readBatch(context: StatementContext, element: XmlElement, entry: EntryDraft, side: 'CRDT' | 'DBIT'): Omit<CamtBatch, 'message'> | null {
  const groups = childElements(element, 'NtryDtls');
  const details = groups.flatMap((group) => childElements(group, 'TxDtls'));
  const batch = groups.map((group) => childElement(group, 'Btch')).find((found) => found !== null) ?? null;
  const statedCount = batch === null ? null : countText(textAt(batch, 'NbOfTxs'));
  if (details.length === 0 || (details.length < 2 && (statedCount ?? 0) < 2)) return null;
  const read: CamtBatchDetail[] = [];
  const problems: string[] = [];
  for (const detail of details) {
    const outcome = readBatchDetail(detail, entry, side);
    if (typeof outcome === 'string') problems.push(outcome);
    else read.push(outcome);
  }
  const sharedRef = (path: string): string | null => {
    const values = new Set(details.map((detail) => textAt(detail, path)));
    return values.size === 1 ? ([...values][0] ?? null) : null;
  };
  return {
    fileName: context.fileName,
    account: context.account,
    entryLine: element.line,
    amount: entry.amount,
    currency: entry.currency,
    accountServicerReference: entry.references.bankReference,
    paymentInformationId: (batch === null ? null : textAt(batch, 'PmtInfId')) ?? sharedRef('Refs/PmtInfId'),
    messageId: (batch === null ? null : textAt(batch, 'MsgId')) ?? sharedRef('Refs/MsgId'),
    statedCount,
    details: read,
    problems,
  };
}

interface ControlCheck {
  readonly ok: boolean | null;
  readonly problems: readonly string[];
  /** The same problems as values, for another language: 'stated.<path>' and 'read.<path>' of each. */
  readonly values: Readonly<Record<string, string>>;
}

function countText(text: string | null): number | null {
  return text !== null && /^\d{1,15}$/.test(text) ? Number(text) : null;
}

function sumEquals(stated: string | null, actual: Decimal): boolean | null {
  if (stated === null) return null;
  const parsed = parseAmount(stated, AMOUNT_FORMATS.plain);
  return parsed.ok && parsed.value !== null ? new Decimal(parsed.value).equals(actual) : false;
}

/** TxsSummry: the file's own counts and sums, checked against what was read. */
function checkControlTotals(statement: XmlElement, entryCount: number, outcomes: readonly EntryOutcome[]): ControlCheck {
  const summary = childElement(statement, 'TxsSummry');
  if (summary === null) return { ok: null, problems: [], values: {} };
  const sides = { CRDT: { count: 0, sum: new Decimal(0) }, DBIT: { count: 0, sum: new Decimal(0) } };
  let total = new Decimal(0);
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    sides[outcome.creditDebit].count++;
    sides[outcome.creditDebit].sum = sides[outcome.creditDebit].sum.plus(outcome.amount);
    total = total.plus(outcome.amount);
  }
  const problems: string[] = [];
  const values: Record<string, string> = {};
  const differs = (path: string, stated: string, read: string): void => {
    problems.push(`${path} ${stated} but ${read} read`);
    values[`stated.${path}`] = stated;
    values[`read.${path}`] = read;
  };
  const compareCount = (path: string, actual: number): void => {
    const text = textAt(summary, path);
    if (text !== null && countText(text) !== actual) differs(path, text, String(actual));
  };
  const compareSum = (path: string, actual: Decimal): void => {
    if (sumEquals(textAt(summary, path), actual) === false) differs(path, textAt(summary, path) ?? '', actual.toFixed());
  };
  compareCount('TtlNtries/NbOfNtries', entryCount);
  compareSum('TtlNtries/Sum', total);
  compareCount('TtlCdtNtries/NbOfNtries', sides.CRDT.count);
  compareSum('TtlCdtNtries/Sum', sides.CRDT.sum);
  compareCount('TtlDbtNtries/NbOfNtries', sides.DBIT.count);
  compareSum('TtlDbtNtries/Sum', sides.DBIT.sum);
  return { ok: problems.length === 0, problems, values };
}

function detectMessage(namespace: string | null, fileName: string, root: XmlElement): { message: CamtMessage; version: string; schema: string } {
  const where = { file: fileName, line: root.line, column: root.column };
  const match = namespace === null ? null : NAMESPACE_PATTERN.exec(namespace);
  const message = match?.[1] as CamtMessage | undefined;
  const version = match?.[2];
  if (match === null || message === undefined || version === undefined) {
    throw new FileImportError('file_format_unrecognized', `${fileName}: namespace ${JSON.stringify(namespace)} is not camt.052, camt.053 or camt.054 (urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN)`, where, { says: 'camt_namespace_unknown', namespace: JSON.stringify(namespace) });
  }
  const versions = VERSIONS_SUPPORTED[message];
  assert(versions !== undefined, 'the namespace pattern only matches camt.052, camt.053 and camt.054', { message });
  if (!versions.includes(version)) {
    const said = { says: 'camt_version_unsupported', schema: `${message}.001.${version}`, first: versions[0] ?? '', last: versions.at(-1) ?? '' };
    throw new FileImportError('file_format_unrecognized', `${fileName}: ${said.schema} is not supported (versions ${said.first} to ${said.last} are)`, where, said);
  }
  return { message, version, schema: `${message}.001.${version}` };
}

interface StatementRead {
  readonly statement: CamtStatement;
  readonly batches: readonly CamtBatch[];
  readonly outcomes: readonly EntryOutcome[];
  readonly problems: readonly string[];
  readonly problemValues: Readonly<Record<string, string>>;
  readonly issues: readonly ImportIssue[];
}

/**
 * One statement element. `scanned` holds its entries as the scanner kept them (the element then
 * has no Ntry children); null is returned when one of them needs the element tree.
 */
function readStatement(text: string, fileName: string, element: XmlElement, path: string, reversalSign: ReversalSign, message: CamtMessage, scanned: { readonly reading: ScannedReading; readonly entries: readonly ScannedEntry[] } | null): StatementRead | null {
  const account = accountOf(element, 'Acct');
  if (account === null) throw fileError({ fileName }, element, `${path}/Acct/Id`, 'the account has neither IBAN nor Othr/Id', { says: 'camt_account_missing' });
  const accountCurrency = textAt(element, 'Acct/Ccy');
  if (accountCurrency !== null && !isCurrencyCode(accountCurrency)) throw fileError({ fileName }, element, `${path}/Acct/Ccy`, `unknown currency ${JSON.stringify(accountCurrency)}`, { says: 'camt_account_currency_unknown', value: accountCurrency });
  const context: StatementContext = { text, fileName, account, namespace: `bank:${account}`, accountCurrency, path, reversalSign };
  const balances: CamtBalance[] = [];
  const issues: ImportIssue[] = [];
  for (const read of childElements(element, 'Bal').map((balance) => readBalance(context, balance))) {
    if ('skipped' in read) issues.push(read.skipped);
    else balances.push(read);
  }
  const entries = childElements(element, 'Ntry');
  const outcomes: EntryOutcome[] = [];
  let transactionDetailCount = 0;
  const batches: CamtBatch[] = [];
  if (scanned === null) {
    for (const entry of entries) {
      const outcome = readEntry(context, entry);
      outcomes.push(outcome);
      transactionDetailCount += childElements(entry, 'NtryDtls').reduce((inner, group) => inner + childElements(group, 'TxDtls').length, 0);
      if (!outcome.ok) continue;
      const batch = readBatch(context, entry, outcome.entry, outcome.creditDebit);
      if (batch !== null) batches.push({ ...batch, message });
    }
  } else {
    assert(entries.length === 0, 'a scanned statement holds its entries apart');
    // A scanned entry has one TxDtls at most and no Btch: it books no batch.
    const { reading } = scanned;
    for (const entry of scanned.entries) {
      const outcome = readScannedEntry(context, reading, entry);
      if (outcome === null) return null;
      outcomes.push(outcome);
      if (hasBranch(reading.scanned, entry, reading.detail)) transactionDetailCount++;
    }
  }
  const entryCount = outcomes.length;
  const control = checkControlTotals(element, entryCount, outcomes);
  const closing = balances.filter((balance) => balance.code === CLOSING_CODE).at(-1);
  const periodEnd = periodEndOf(element) ?? closing?.date ?? null;
  return {
    statement: { id: textAt(element, 'Id'), account, accountCurrency, line: element.line, balances, entryCount, transactionDetailCount, controlTotalsOk: control.ok, periodEnd },
    batches,
    outcomes,
    problems: control.problems,
    problemValues: control.values,
    issues,
  };
}

/** One section per currency, in the order the statement names them: account, balances, entries. */
function sectionsOf(statement: CamtStatement, outcomes: readonly EntryOutcome[]): ParsedStatement[] {
  const currencies: string[] = [];
  const note = (currency: string | null): void => {
    if (currency !== null && !currencies.includes(currency)) currencies.push(currency);
  };
  note(statement.accountCurrency);
  for (const balance of statement.balances) note(balance.currency);
  for (const outcome of outcomes) if (outcome.ok) note(outcome.entry.currency);
  return currencies.map((currency) => {
    const inCurrency = statement.balances.filter((balance) => balance.currency === currency);
    const opening = OPENING_CODES.map((code) => inCurrency.find((balance) => balance.code === code)).find((balance) => balance !== undefined) ?? null;
    const closing = inCurrency.filter((balance) => balance.code === CLOSING_CODE).at(-1) ?? null;
    return {
      account: statement.account,
      currency,
      statementId: statement.id,
      opening: opening?.amount ?? null,
      closing: closing?.amount ?? null,
      openingTag: opening?.code ?? null,
      closingTag: closing?.code ?? null,
      controlTotalsOk: statement.controlTotalsOk,
      periodEnd: statement.periodEnd,
    };
  });
}

/**
 * A section whose balances do not add up as read but would with every reversal signed the other
 * way: the bank may write reversals by the other convention. Said, never applied: the user
 * chooses the convention for the account (reversalSign). Only checked when no entry was rejected,
 * where the sums are complete.
 */
function reversalConventionIssues(fileName: string, statement: CamtStatement, sections: readonly ParsedStatement[], outcomes: readonly EntryOutcome[], reversalSign: ReversalSign): ImportIssue[] {
  if (outcomes.some((outcome) => !outcome.ok)) return [];
  // Without a reversal no section can balance only the other way: the common statement needs no sums.
  if (!outcomes.some((outcome) => outcome.ok && outcome.reversal)) return [];
  const issues: ImportIssue[] = [];
  for (const section of sections) {
    if (section.opening === null || section.closing === null) continue;
    let asRead = new Decimal(section.opening);
    let reversals = new Decimal(0);
    let reversalCount = 0;
    for (const outcome of outcomes) {
      if (!outcome.ok || outcome.entry.currency !== section.currency) continue;
      asRead = asRead.plus(outcome.entry.amount);
      if (outcome.reversal) {
        reversals = reversals.plus(outcome.entry.amount);
        reversalCount++;
      }
    }
    // Turning every reversal round moves the sum by twice their signed total.
    const otherWay = asRead.minus(reversals.times(2));
    if (reversalCount === 0 || asRead.equals(section.closing) || !otherWay.equals(section.closing)) continue;
    const other: ReversalSign = reversalSign === 'cdtdbtind' ? 'inverted' : 'cdtdbtind';
    issues.push({
      code: 'reversal_convention',
      message:
        `${fileName}: line ${statement.line}: statement ${statement.id ?? ''} ${section.account} ${section.currency} balances only if its ${reversalCount} reversal(s) (RvslInd) are signed the other way. ` +
        `Read with reversalSign '${reversalSign}'${reversalSign === 'cdtdbtind' ? ' (ISO 20022: CdtDbtInd is the booked direction)' : ''}; if this bank writes reversals the other way, import this account with reversalSign '${other}' (--camt-reversals ${other}).`,
      line: statement.line,
    });
  }
  return issues;
}

/**
 * An Ntry anywhere but directly in a statement of the message (a misspelt Stmt, an Ntry nested
 * in another) would be lost without a word: the file is refused at its line instead.
 */
function refuseStrayEntries(root: XmlElement, message: XmlElement, statementName: string, fileName: string): void {
  const read = new Set<XmlElement>();
  for (const statement of childElements(message, statementName)) for (const entry of childElements(statement, 'Ntry')) read.add(entry);
  const stack: XmlElement[] = [root];
  while (stack.length > 0) {
    const element = stack.pop();
    assert(element !== undefined, 'stack is not empty');
    if (element.name === 'Ntry' && !read.has(element)) {
      const said = { says: 'camt_entry_stray', line: String(element.line), statement: statementName };
      throw new FileImportError('file_malformed', `${fileName}: line ${element.line}: an Ntry outside the ${statementName} of the message would be lost`, { file: fileName, line: element.line, column: element.column }, said);
    }
    // Reversed, so the first stray in document order is the one named.
    for (let index = element.children.length - 1; index >= 0; index--) stack.push(element.children[index] as XmlElement);
  }
}

/** The message element: BkToCstmrStmt, or BkToCstmrStmtV01 as version 001.01 names it. */
function messageElement(root: XmlElement, name: string, version: string): XmlElement | null {
  return childElement(root, name) ?? (version === '01' ? childElement(root, `${name}V01`) : null);
}

/** The message and statement element names a scanned file must use (camt-scan.ts), from its root namespace; null for one we do not read. */
function scannedStatementPath(namespace: string | null): readonly [string, string] | null {
  const match = namespace === null ? null : NAMESPACE_PATTERN.exec(namespace);
  const message = match?.[1] as CamtMessage | undefined;
  if (message === undefined || !(VERSIONS_SUPPORTED[message] ?? []).includes(match?.[2] ?? '')) return null;
  const names = MESSAGE_ELEMENT[message];
  return [names.message, names.statement];
}

/**
 * Reads a camt.052, camt.053 or camt.054 document. `expected` refuses another message type
 * ('file_format_mismatch'). Entries with a bad amount, currency, indicator or date become
 * Rejections; a broken statement frame (account, unreadable balance) refuses the file with its
 * line; a lax one (a camt.053 without CLBD, a balance without type or sign) is read and warned of.
 * A plain file is read by the scanner (camt-scan.ts); anything it does not take, and any entry
 * that is not plain, is read through the validated element tree, with the same result.
 */
export function readCamt(text: string, fileName: string, expected: CamtMessage | null = null, options: CamtOptions = {}): CamtDocument {
  const reversalSign = options.reversalSign ?? 'cdtdbtind';
  assert((REVERSAL_SIGNS as readonly string[]).includes(reversalSign), 'reversalSign is one of REVERSAL_SIGNS', { reversalSign });
  return readScannedCamt(text, fileName, expected, { reversalSign }) ?? readCamtTree(text, fileName, expected, { reversalSign });
}

/** readCamt through the scanner alone: null when the file or one of its entries is not plain (readCamt then reads the element tree). */
export function readScannedCamt(text: string, fileName: string, expected: CamtMessage | null = null, options: CamtOptions = {}): CamtDocument | null {
  const reversalSign = options.reversalSign ?? 'cdtdbtind';
  assert((REVERSAL_SIGNS as readonly string[]).includes(reversalSign), 'reversalSign is one of REVERSAL_SIGNS', { reversalSign });
  const scanned = scanCamt(text, scannedStatementPath);
  return scanned === null ? null : documentOf(text, fileName, scanned.root, scanned.namespace, expected, reversalSign, scannedReading(scanned));
}

/** readCamt through the validated element tree alone (xml-safety.ts), never the scanner. */
export function readCamtTree(text: string, fileName: string, expected: CamtMessage | null = null, options: CamtOptions = {}): CamtDocument {
  const reversalSign = options.reversalSign ?? 'cdtdbtind';
  assert((REVERSAL_SIGNS as readonly string[]).includes(reversalSign), 'reversalSign is one of REVERSAL_SIGNS', { reversalSign });
  const { root, namespace } = readXmlDocument(text, fileName);
  const document = documentOf(text, fileName, root, namespace, expected, reversalSign, null);
  assert(document !== null, 'the element tree reads every entry');
  return document;
}

/** The document from its root; with `scanned` entries, null when one of them needs the element tree. */
function documentOf(text: string, fileName: string, root: XmlElement, namespace: string | null, expected: CamtMessage | null, reversalSign: ReversalSign, reading: ScannedReading | null): CamtDocument | null {
  const scanned = reading?.scanned.entries ?? null;
  // Whole-file refusals say their values beside the English (FileImportError's SaidFacts), for a screen in another language.
  if (root.name !== 'Document') throw new FileImportError('file_format_mismatch', `${fileName}: the root element is <${root.name}>, a camt file starts with <Document>`, { file: fileName, line: root.line, column: root.column }, { says: 'camt_root_not_document', root: root.name });
  const detected = detectMessage(namespace, fileName, root);
  if (expected !== null && detected.message !== expected) {
    throw new FileImportError('file_format_mismatch', `${fileName}: this is a ${detected.schema} file, not ${expected}`, { file: fileName, line: root.line, column: root.column }, { says: 'camt_message_other', schema: detected.schema, expected });
  }
  const names = MESSAGE_ELEMENT[detected.message];
  const message = messageElement(root, names.message, detected.version);
  if (message === null) throw new FileImportError('file_format_mismatch', `${fileName}: ${detected.schema} has no <${names.message}> under <Document>`, { file: fileName, line: root.line }, { says: 'camt_message_missing', schema: detected.schema, element: names.message });

  const statements: CamtStatement[] = [];
  const batches: CamtBatch[] = [];
  const output: StatementsOutput = { entries: [], rejected: [], statements: [] };
  const issues: ImportIssue[] = [];
  let scannedRead = 0;
  for (const element of childElements(message, names.statement)) {
    const entries = reading === null ? null : { reading, entries: reading.scanned.entries.get(element) ?? [] };
    if (scanned?.has(element) === true) scannedRead++;
    const read = readStatement(text, fileName, element, names.statement, reversalSign, detected.message, entries);
    if (read === null) return null;
    batches.push(...read.batches);
    const sections = sectionsOf(read.statement, read.outcomes);
    statements.push(read.statement);
    appendStatement(output, sections, read.outcomes);
    issues.push(...read.issues);
    // camt.053 requires a closing balance (camt.052 and camt.054 need none): the entries still import.
    if (detected.message === 'camt.053' && !read.statement.balances.some((balance) => balance.code === CLOSING_CODE)) {
      issues.push(ruleBroken(fileName, read.statement.line, `${names.statement} ${read.statement.id ?? ''} has no closing balance (CLBD), which camt.053 requires: its entries are imported, the statement cannot be checked against its balances`, 'clbd_missing', { element: names.statement, statementId: read.statement.id ?? '' }));
    }
    if (read.problems.length > 0) {
      const params = { element: names.statement, statementId: read.statement.id ?? '', account: read.statement.account, ...read.problemValues };
      issues.push({ code: 'control_total_mismatch', message: `${names.statement} ${read.statement.id ?? ''} ${read.statement.account}: ${read.problems.join('; ')}`, line: read.statement.line, says: 'summary_mismatch', params });
    }
    issues.push(...reversalConventionIssues(fileName, read.statement, sections, read.outcomes, reversalSign));
  }
  const { entries, rejected } = output;
  const rowsRead = statements.reduce((count, statement) => count + statement.entryCount, 0);
  assert(rowsRead === entries.length + rejected.length, 'every Ntry is imported or rejected', { rowsRead, entries: entries.length, rejected: rejected.length });
  // Entries of a statement the message does not read (a second message element) are the tree's to refuse.
  if (scanned !== null && scannedRead !== scanned.size) return null;
  refuseStrayEntries(root, message, names.statement, fileName);
  return {
    ...detected,
    messageId: textAt(message, 'GrpHdr/MsgId'),
    statements,
    batches,
    output: { rowsRead, entries, rejected, statements: output.statements, issues },
  };
}

/** The camt importer options from whatever the caller passes: only `reversalSign` is read. */
function camtOptionsOf(options: unknown): CamtOptions {
  if (typeof options !== 'object' || options === null || !('reversalSign' in options)) return {};
  const reversalSign = (options as { reversalSign?: unknown }).reversalSign;
  if (reversalSign === undefined) return {};
  assert((REVERSAL_SIGNS as readonly unknown[]).includes(reversalSign), 'reversalSign is one of REVERSAL_SIGNS', { reversalSign: String(reversalSign) });
  return { reversalSign: reversalSign as ReversalSign };
}

function camtImporter(format: CamtMessage): Importer<CamtOptions | void> {
  const marker = `${format}.001.`;
  const element = new RegExp(`<([\\w.-]+:)?${MESSAGE_ELEMENT[format].message}(V01)?[\\s>]`);
  return {
    format: format satisfies ImportFormat,
    sniff: (head) => head.includes(marker) || element.test(head),
    parse: (text, context, options) => readCamt(text, context.fileName, format, camtOptionsOf(options)).output,
  };
}

export const camt052Importer: Importer<CamtOptions | void> = camtImporter('camt.052');
export const camt053Importer: Importer<CamtOptions | void> = camtImporter('camt.053');
export const camt054Importer: Importer<CamtOptions | void> = camtImporter('camt.054');
