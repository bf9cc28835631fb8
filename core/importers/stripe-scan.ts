import { assert } from '../assert.ts';
import type { IdRegistry } from '../ingest/id-registry.ts';
import type { ImportContext, ParsedEntry } from '../ingest/importer.ts';
import { conflictId, conflictIssues, conflictOf, EntryIdentifier, ImportAccumulator, possibleDuplicateIssues, whereSeen } from '../ingest/pipeline.ts';
import type { ConflictingDuplicate, Duplicate, ImportResult } from '../ingest/result.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { ID_LENGTH_MAX, idFromReference } from '../transactions/identity.ts';
import type { CanonicalTransaction, TransactionKind } from '../transactions/schema.ts';
import type { TableHeader } from './csv-table.ts';
import type { PspImportOptions, ReportStream } from './psp-common.ts';
import { AmountTexts, BoundedMemo, currencyCell, FIELD_CHARS_MAX, ownText } from './row-values.ts';
import { NO_COUNTERPARTY, openStripeReport, SNIFF_CHARS, stripeAvailableDate, stripeCreatedTime, stripeLayoutOf, stripeNamespace, type CreatedTime, type StripeLayout } from './stripe.ts';

/**
 * The fast path of a Stripe export for a reader that keeps millions of its rows and none of its
 * raw columns (reconcile): each line's cells are read where they lie in the decoded text, and a
 * row the checks vouch for is handed over as a reused view (no row record, no parsed entries, no
 * canonical transaction). Everything else goes through the importer's own path (stripe.ts: the
 * table reader and the row mapper), so rejections, entries and ids are exactly that path's:
 * - the layout is sniffed and the header read by that path; the scanner starts on the line after
 *   the header when the header is the file's first line, split by LF, without quotes;
 * - a row is scanned only when every check of the mapper passes on it the simple way (a known
 *   type, a currency code, canonical amounts that fit the currency with gross - fee = net, a
 *   created time and available-on date the mapper reads, a plain ASCII id, texts within
 *   FIELD_CHARS_MAX and without surrounding blanks); any other row (a rejection, a CR, a quoted
 *   line of well-formed fields) is passed to the mapper, the rows scanned before it given to the
 *   table reader as blank lines so that it counts lines as in the file;
 * - at a quote that may open a line break inside a field, the rest of the file goes to the mapper.
 * Ids and duplicates go through the same registry as the mapper's entries, in file order.
 */

/** One transaction of a scanned row (a row gives its gross, then its fee when non-zero). The sink gets the same object each time: copy what it keeps. */
export interface StripeScannedRow {
  readonly id: string;
  readonly line: number;
  readonly kind: TransactionKind;
  readonly currency: string;
  readonly account: string | null;
  /** Stripe names no partner, product or channel: always null. */
  readonly partnerId: null;
  readonly productId: null;
  readonly channel: null;
  readonly occurredAt: string;
  readonly bookingDate: string;
  readonly valueDate: string | null;
  readonly amount: string;
  readonly externalId: string;
  readonly batchId: string | null;
  readonly description: string | null;
}

export interface StripeScanSink {
  /** A new transaction of a scanned row. */
  scanned(row: StripeScannedRow): void;
  /** A new transaction of a row the importer's mapper read. */
  transaction(transaction: CanonicalTransaction): void;
}

/** The file's import account once read (its transactions went to the sink). */
export type StripeScanAccount = Omit<ImportResult, 'transactions'> & { readonly imported: number };

const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const DIGIT_0 = 48;
const COLON = 58;
const SPACE = 32;

/** Digits of minor units a number holds exactly (MAX_SAFE_INTEGER has 16). */
const SAFE_DIGITS_MAX = 15;
/** Created times remembered at a time, by their slot (createdOf). */
const CREATED_SLOTS = 1 << 16;
/** Distinct available-on dates and payout ids remembered at a time (as the mapper's memos). */
const MEMO_ENTRIES_MAX = 4096;
const FEE_SUFFIX = ':fee';
const FNV_PRIME = 0x01000193;

interface CurrencyCode {
  readonly code: string;
  readonly exponent: number;
}

/** Where each cell the scanner reads sits in the header; -1 when the header has no such column. */
interface Plan {
  readonly columns: number;
  readonly id: number;
  readonly type: number;
  readonly gross: number;
  readonly fee: number;
  readonly net: number;
  readonly currency: number;
  readonly created: number;
  readonly availableOn: number;
  readonly source: number;
  readonly description: number;
  readonly payout: number;
  readonly kinds: ReadonlyArray<readonly [string, TransactionKind]>;
}

function planOf(header: TableHeader, layout: StripeLayout): Plan {
  const at = (name: string): number => header.indexOf(name);
  return {
    columns: header.names.length,
    id: at(layout.id),
    type: at(layout.type),
    gross: at(layout.gross),
    fee: at(layout.fee),
    net: at(layout.net),
    currency: at(layout.currency),
    created: at(layout.created),
    availableOn: at(layout.availableOn),
    source: at(layout.source),
    description: at(layout.description),
    payout: at(layout.payout),
    kinds: Object.entries(layout.kinds),
  };
}

/** The reused view of a scanned row's transaction. */
class RowView implements StripeScannedRow {
  id = '';
  line = 0;
  kind: TransactionKind = 'sale';
  currency = '';
  occurredAt = '';
  bookingDate = '';
  valueDate: string | null = null;
  amount = '';
  externalId = '';
  batchId: string | null = null;
  description: string | null = null;
  readonly partnerId = null;
  readonly productId = null;
  readonly channel = null;
  constructor(readonly account: string | null) {}
}

/** Whether a text cell text[from, to) is empty or starts and ends with a printable ASCII character (so trim() leaves it as is). */
function plainEnds(text: string, from: number, to: number): boolean {
  if (from === to) return true;
  const first = text.charCodeAt(from);
  const last = text.charCodeAt(to - 1);
  return first > SPACE && first < 0x7f && last > SPACE && last < 0x7f;
}

/** Whether text[from, to) holds the same characters as `cached` from `cachedFrom` on. */
function sameChars(cached: string, cachedFrom: number, text: string, from: number, to: number): boolean {
  if (cached.length - cachedFrom !== to - from) return false;
  for (let index = from, at = cachedFrom; index < to; index++, at++) if (text.charCodeAt(index) !== cached.charCodeAt(at)) return false;
  return true;
}

/**
 * Whether the line text[from, to) is one row of well-formed fields (each quoted field closed
 * before the next delimiter or the line's end, no quote in an unquoted field): then the table
 * reader reads it as one row whatever surrounds it.
 */
function wellQuoted(text: string, from: number, to: number): boolean {
  let at = from;
  for (;;) {
    if (at < to && text.charCodeAt(at) === QUOTE) {
      at++;
      for (;;) {
        if (at >= to) return false;
        if (text.charCodeAt(at) === QUOTE) {
          if (at + 1 < to && text.charCodeAt(at + 1) === QUOTE) {
            at += 2;
            continue;
          }
          at++;
          break;
        }
        at++;
      }
      if (at === to) return true;
      if (text.charCodeAt(at) !== COMMA) return false;
      at++;
      continue;
    }
    while (at < to) {
      const code = text.charCodeAt(at);
      if (code === QUOTE) return false;
      if (code === COMMA) break;
      at++;
    }
    if (at === to) return true;
    at++;
  }
}

export class StripeScan {
  private readonly accumulator: ImportAccumulator;
  private readonly identifier: EntryIdentifier;
  private readonly view: RowView;
  private readonly namespace: string;
  private readonly account: string | null;
  /** `tx:<namespace>|<account>|`; null when it alone makes a hashed id (then nothing is scanned). */
  private readonly idPrefix: string | null;
  private slow: ReportStream | null = null;
  private header: TableHeader | null = null;
  private plan: Plan | null = null;
  private mode: 'head' | 'fast' | 'slow' = 'head';
  private head = '';
  private carry = '';
  /** Line of the last line read in fast mode. */
  private line = 0;
  /** Lines scanned since the mapper last got text: given to it as blank lines before its next row. */
  private pendingLines = 0;
  private records = 0;
  private entries = 0;
  private imported = 0;
  private readonly duplicates: Duplicate[] = [];
  private readonly conflicts: ConflictingDuplicate[] = [];
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  private scratch = new Uint8Array(256);
  private lastKind = 0;
  /** Currency cells of three letters, by the upper-cased letters' (a * 26 + b) * 26 + c. */
  private readonly currencyCodes: Array<CurrencyCode | null | undefined> = new Array<CurrencyCode | null | undefined>(26 * 26 * 26).fill(undefined);
  private readonly amounts = new AmountTexts();
  /** Created times by their cell's digits and length (createdOf), one per slot. */
  private readonly createdKeys = new Float64Array(CREATED_SLOTS).fill(Number.NaN);
  private readonly createdTimes = new Array<CreatedTime | null>(CREATED_SLOTS).fill(null);
  /** Dates of the form 20YY-MM-DD, by ((YY * 12) + MM - 1) * 31 + DD - 1. */
  private readonly isoDates = new Array<string | null | undefined>(100 * 12 * 31).fill(undefined);
  private readonly otherDates = new BoundedMemo<string | null>(MEMO_ENTRIES_MAX);
  private readonly payoutIds = new BoundedMemo<string>(MEMO_ENTRIES_MAX);
  private lastPayoutId = '';

  constructor(
    private readonly context: ImportContext,
    private readonly options: PspImportOptions | undefined,
    known: { readonly registry: IdRegistry },
    /** The only raw columns the caller keeps: a header naming one of them is read by the mapper alone. */
    private readonly rawKept: ReadonlySet<string>,
    private readonly sink: StripeScanSink,
  ) {
    this.accumulator = new ImportAccumulator(known, context, 'stripe', (transaction) => sink.transaction(transaction));
    this.identifier = new EntryIdentifier(known, context, 'stripe');
    this.namespace = stripeNamespace(options);
    this.account = options?.account ?? null;
    this.view = new RowView(this.account);
    const prefix = idFromReference(this.namespace, this.account, '');
    this.idPrefix = prefix.startsWith('tx:') ? prefix : null;
  }

  push(text: string): void {
    if (this.mode === 'head') {
      // Held until the sniff has all its characters, as the importer holds it.
      this.head += text;
      if (this.head.length < SNIFF_CHARS) return;
      const head = this.head;
      this.head = '';
      this.open(head);
      return;
    }
    if (this.mode === 'slow') {
      (this.slow as ReportStream).push(text);
      return;
    }
    this.scan(this.carry.length === 0 ? text : this.carry + text);
  }

  /** Reads what is left; the file's account, `sizeBytes` its size. */
  finish(sizeBytes: number): StripeScanAccount {
    if (this.mode === 'head') this.open(this.head);
    const slow = this.slow as ReportStream;
    // A last line without its line break goes to the mapper, after the lines scanned before it.
    if (this.mode === 'fast' && this.carry.length > 0) this.toMapper(this.carry);
    this.carry = '';
    const read = slow.end();
    const account = this.accumulator.finish(read, sizeBytes);
    const duplicates = byLine(account.duplicates, this.duplicates);
    const conflicts = byLine(account.conflicts, this.conflicts);
    const entriesRead = account.entriesRead + this.entries;
    const imported = account.imported + this.imported;
    assert(entriesRead === imported + account.rejected.length + duplicates.length + conflicts.length, 'every row is imported, rejected, a duplicate or a conflict', { entriesRead, imported });
    return {
      ...account,
      rowsRead: account.rowsRead + this.records,
      entriesRead,
      imported,
      duplicates,
      conflicts,
      issues: [...read.issues, ...possibleDuplicateIssues(account.possibleDuplicates), ...conflictIssues(conflicts)],
    };
  }

  /** The layout from the head, the mapper's report opened; the scanner takes over after the header when it can. */
  private open(head: string): void {
    const layout = stripeLayoutOf(head);
    const slow = openStripeReport(this.context, this.options, layout, (entry: ParsedEntry) => this.accumulator.add(entry), this.rawKept, (header) => (this.header = header));
    this.slow = slow;
    this.mode = 'slow';
    const lineEnd = head.indexOf('\n');
    const first = lineEnd === -1 ? '' : head.slice(0, lineEnd);
    if (this.idPrefix === null || lineEnd === -1 || first.includes('"') || first.includes('\r') || !namesAll(first, layout.required)) {
      slow.push(head);
      return;
    }
    slow.push(head.slice(0, lineEnd + 1));
    const header = this.header as TableHeader | null;
    if (header === null || header.line !== 1 || header.names.some((name) => this.rawKept.has(name))) {
      slow.push(head.slice(lineEnd + 1));
      return;
    }
    this.plan = planOf(header, layout);
    this.starts = new Int32Array(this.plan.columns);
    this.ends = new Int32Array(this.plan.columns);
    this.mode = 'fast';
    this.line = 1;
    this.scan(head.slice(lineEnd + 1));
  }

  /** Reads the complete lines of `text`; the partial last one is carried to the next push. */
  private scan(text: string): void {
    let position = 0;
    let quote = text.indexOf('"');
    let carriageReturn = text.indexOf('\r');
    for (;;) {
      const lineEnd = text.indexOf('\n', position);
      if (lineEnd === -1) break;
      if (quote !== -1 && quote < position) quote = text.indexOf('"', position);
      if (carriageReturn !== -1 && carriageReturn < position) carriageReturn = text.indexOf('\r', position);
      const quoted = quote !== -1 && quote < lineEnd;
      if (quoted && !wellQuoted(text, position, lineEnd)) {
        // A quote that may hold a line break: the table reader takes the rest, lines as in the file.
        this.mode = 'slow';
        this.carry = '';
        this.toMapper(text.slice(position));
        return;
      }
      this.line++;
      const plain = !quoted && (carriageReturn === -1 || carriageReturn > lineEnd);
      if (plain && this.scanRow(text, position, lineEnd)) this.pendingLines++;
      else this.toMapper(text.slice(position, lineEnd + 1));
      position = lineEnd + 1;
    }
    this.carry = text.slice(position);
  }

  /** Text for the mapper, after the scanned lines before it as blank lines (the reader skips them and counts their lines). */
  private toMapper(text: string): void {
    const slow = this.slow as ReportStream;
    if (this.pendingLines > 0) {
      slow.push('\n'.repeat(this.pendingLines));
      this.pendingLines = 0;
    }
    slow.push(text);
  }

  /** Checks and reads the row text[from, to); false (nothing done) when the mapper must read it. */
  private scanRow(text: string, from: number, to: number): boolean {
    const plan = this.plan as Plan;
    const starts = this.starts;
    const ends = this.ends;
    let at = from;
    let column = 0;
    for (;;) {
      const comma = text.indexOf(',', at);
      const end = comma === -1 || comma > to ? to : comma;
      if (column === plan.columns) return false;
      starts[column] = at;
      ends[column] = end;
      column++;
      if (end === to) break;
      at = end + 1;
    }
    if (column !== plan.columns) return false;
    const cellStart = (index: number): number => (index < 0 ? 0 : (starts[index] as number));
    const cellEnd = (index: number): number => (index < 0 ? 0 : (ends[index] as number));

    const kind = this.kindOf(text, cellStart(plan.type), cellEnd(plan.type));
    if (kind === null) return false;
    const currency = this.currencyOf(text, cellStart(plan.currency), cellEnd(plan.currency));
    if (currency === null) return false;
    const exponent = currency.exponent;
    const grossStart = cellStart(plan.gross);
    const grossEnd = cellEnd(plan.gross);
    const gross = minorOf(text, grossStart, grossEnd, exponent);
    // A negative zero gross is written as zero by the mapper: left to it.
    if (gross === null || (gross === 0 && text.charCodeAt(grossStart) === MINUS)) return false;
    const feeStart = cellStart(plan.fee);
    const feeEnd = cellEnd(plan.fee);
    const fee = feeStart === feeEnd ? 0 : minorOf(text, feeStart, feeEnd, exponent);
    if (fee === null) return false;
    const net = minorOf(text, cellStart(plan.net), cellEnd(plan.net), exponent);
    if (net === null || gross - fee !== net) return false;
    const created = this.createdOf(text, cellStart(plan.created), cellEnd(plan.created));
    if (created === null) return false;
    let valueDate: string | null = null;
    const availableStart = cellStart(plan.availableOn);
    const availableEnd = cellEnd(plan.availableOn);
    if (availableStart < availableEnd) {
      valueDate = this.dateOf(text, availableStart, availableEnd);
      if (valueDate === null) return false;
    }
    const idStart = cellStart(plan.id);
    const idEnd = cellEnd(plan.id);
    if (idStart === idEnd || !this.plainId(text, idStart, idEnd)) return false;
    const sourceStart = cellStart(plan.source);
    const sourceEnd = cellEnd(plan.source);
    const descriptionStart = cellStart(plan.description);
    const descriptionEnd = cellEnd(plan.description);
    const payoutStart = cellStart(plan.payout);
    const payoutEnd = cellEnd(plan.payout);
    if (!this.plainText(text, sourceStart, sourceEnd) || !this.plainText(text, descriptionStart, descriptionEnd) || !this.plainText(text, payoutStart, payoutEnd)) return false;

    // Every check passed: the mapper would make these entries. Kept cells are copied off the text
    // (the transaction id is only kept within the id, a new string, unless it is also the external id).
    const transactionId = text.slice(idStart, idEnd);
    const externalId = ownText(sourceStart === sourceEnd ? transactionId : text.slice(sourceStart, sourceEnd));
    const view = this.view;
    view.line = this.line;
    view.currency = currency.code;
    view.occurredAt = created.occurredAt;
    view.bookingDate = created.date;
    view.valueDate = valueDate;
    view.externalId = externalId;
    view.batchId = kind === 'payout' ? externalId : payoutStart === payoutEnd ? null : this.payoutIdOf(text, payoutStart, payoutEnd);
    view.description = descriptionStart === descriptionEnd ? null : ownText(text.slice(descriptionStart, descriptionEnd));
    this.records++;
    const prefix = this.idPrefix as string;
    this.emit(kind, `${prefix}${transactionId}`, this.amountText(text, grossStart, grossEnd, gross, exponent, false), gross, text, idStart, idEnd, false);
    if (fee !== 0) this.emit('fee', `${prefix}${transactionId}${FEE_SUFFIX}`, this.amountText(text, feeStart, feeEnd, -fee, exponent, true), -fee, text, idStart, idEnd, true);
    return true;
  }

  /** One entry of the row in the view: new (to the sink), a duplicate or a conflict, as the pipeline's identify() says. */
  private emit(kind: TransactionKind, id: string, amount: string, minor: number, text: string, idStart: number, idEnd: number, fee: boolean): void {
    const view = this.view;
    view.kind = kind;
    view.id = id;
    view.amount = amount;
    this.entries++;
    let length = idEnd - idStart;
    for (let index = 0; index < length; index++) this.scratch[index] = text.charCodeAt(idStart + index);
    if (fee) for (let index = 0; index < FEE_SUFFIX.length; index++) this.scratch[length++] = FEE_SUFFIX.charCodeAt(index);
    const seen = this.identifier.referenceDuplicate(this.namespace, this.account, this.scratch, 0, length, view.line, view.currency, minor, view.bookingDate, view.valueDate);
    if (seen === null) {
      this.imported++;
      this.sink.scanned(view);
      return;
    }
    if (!seen.conflicting) {
      this.duplicates.push({ line: view.line, id: seen.id, duplicateOf: whereSeen(seen.duplicateOf) });
      return;
    }
    const transaction: CanonicalTransaction = {
      id: conflictId(seen.id, view),
      source: { sourceId: this.context.sha256, format: 'stripe', fileName: this.context.fileName, line: view.line },
      kind,
      occurredAt: view.occurredAt,
      bookingDate: view.bookingDate,
      valueDate: view.valueDate,
      amount,
      currency: view.currency,
      account: this.account,
      partnerId: null,
      productId: null,
      channel: null,
      counterparty: NO_COUNTERPARTY,
      references: { externalId: view.externalId, batchId: view.batchId, endToEndId: null, bankReference: null },
      description: view.description,
      customerRef: null,
      raw: {},
    };
    this.conflicts.push(conflictOf(view.line, seen.id, seen.duplicateOf, view, transaction));
  }

  /** The type cell's kind, null when it is not one of the layout's (or has blanks around it). */
  private kindOf(text: string, from: number, to: number): TransactionKind | null {
    const kinds = (this.plan as Plan).kinds;
    const last = kinds[this.lastKind] as readonly [string, TransactionKind];
    if (last[0].length === to - from && text.startsWith(last[0], from)) return last[1];
    for (let index = 0; index < kinds.length; index++) {
      const [name, kind] = kinds[index] as readonly [string, TransactionKind];
      if (name.length === to - from && text.startsWith(name, from)) {
        this.lastKind = index;
        return kind;
      }
    }
    return null;
  }

  /** A currency cell of three letters read as the mapper reads it; null for anything else. */
  private currencyOf(text: string, from: number, to: number): CurrencyCode | null {
    if (to - from !== 3) return null;
    const a = (text.charCodeAt(from) | 0x20) - 0x61;
    const b = (text.charCodeAt(from + 1) | 0x20) - 0x61;
    const c = (text.charCodeAt(from + 2) | 0x20) - 0x61;
    if (a >>> 0 >= 26 || b >>> 0 >= 26 || c >>> 0 >= 26) return null;
    const index = (a * 26 + b) * 26 + c;
    let code = this.currencyCodes[index];
    if (code === undefined) {
      const read = currencyCell(text.slice(from, to), '');
      code = typeof read === 'string' ? { code: read, exponent: minorUnitsOf(read) } : null;
      this.currencyCodes[index] = code;
    }
    return code;
  }

  /**
   * A created time cell shaped YYYY-MM-DD HH:mm[:ss], read by the mapper's own reader; the digits
   * and the length key the memo (one key per text of that shape). Null for any other cell.
   */
  private createdOf(text: string, from: number, to: number): CreatedTime | null {
    const length = to - from;
    if (length !== 16 && length !== 19) return null;
    // At most 14 digits and the length: exact in a double. `mixed` picks the slot.
    let key = 0;
    let mixed = 0;
    for (let index = 0; index < length; index++) {
      const code = text.charCodeAt(from + index);
      if (index === 4 || index === 7) {
        if (code !== MINUS) return null;
      } else if (index === 10) {
        if (code !== SPACE) return null;
      } else if (index === 13 || index === 16) {
        if (code !== COLON) return null;
      } else {
        const digit = code - DIGIT_0;
        if (digit >>> 0 > 9) return null;
        key = key * 10 + digit;
        mixed = Math.imul(mixed ^ digit, FNV_PRIME);
      }
    }
    key = key * 2 + (length === 19 ? 1 : 0);
    const slot = (mixed ^ (mixed >>> 15) ^ length) & (CREATED_SLOTS - 1);
    if (this.createdKeys[slot] === key) return this.createdTimes[slot] as CreatedTime | null;
    const created = stripeCreatedTime(text.slice(from, to));
    this.createdKeys[slot] = key;
    this.createdTimes[slot] = created;
    return created;
  }

  /** An available-on cell read as the mapper reads it; a 20YY-MM-DD cell indexes a table. Null when the mapper would reject it. */
  private dateOf(text: string, from: number, to: number): string | null {
    if (to - from === 10 && text.charCodeAt(from + 4) === MINUS && text.charCodeAt(from + 7) === MINUS && text.charCodeAt(from) === 50 && text.charCodeAt(from + 1) === DIGIT_0) {
      const y1 = text.charCodeAt(from + 2) - DIGIT_0;
      const y2 = text.charCodeAt(from + 3) - DIGIT_0;
      const m1 = text.charCodeAt(from + 5) - DIGIT_0;
      const m2 = text.charCodeAt(from + 6) - DIGIT_0;
      const d1 = text.charCodeAt(from + 8) - DIGIT_0;
      const d2 = text.charCodeAt(from + 9) - DIGIT_0;
      const month = m1 * 10 + m2;
      const day = d1 * 10 + d2;
      if (y1 >>> 0 < 10 && y2 >>> 0 < 10 && m1 >>> 0 < 10 && m2 >>> 0 < 10 && d1 >>> 0 < 10 && d2 >>> 0 < 10 && month >= 1 && month <= 12 && day >= 1 && day <= 31) {
        const index = ((y1 * 10 + y2) * 12 + month - 1) * 31 + day - 1;
        let date = this.isoDates[index];
        if (date === undefined) {
          date = stripeAvailableDate(text.slice(from, to));
          this.isoDates[index] = date;
        }
        return date;
      }
    }
    if (!plainEnds(text, from, to)) return null;
    return this.otherDates.get(text.slice(from, to), stripeAvailableDate);
  }

  /** An id cell the registry takes as it is: printable ASCII without % or | (nothing to escape), short enough for a plain id. */
  private plainId(text: string, from: number, to: number): boolean {
    if ((this.idPrefix as string).length + (to - from) + FEE_SUFFIX.length > ID_LENGTH_MAX) return false;
    if (this.scratch.length < to - from + FEE_SUFFIX.length) this.scratch = new Uint8Array((to - from + FEE_SUFFIX.length) * 2);
    for (let index = from; index < to; index++) {
      const code = text.charCodeAt(index);
      if (code <= SPACE || code >= 0x7f || code === 0x25 || code === 0x7c) return false;
    }
    return true;
  }

  /** A text cell the mapper keeps as it is: no blanks around it, at most FIELD_CHARS_MAX characters. */
  private plainText(text: string, from: number, to: number): boolean {
    return to - from <= FIELD_CHARS_MAX && plainEnds(text, from, to);
  }

  /** The payout id of a row: the previous row's string when the same (rows of a payout follow each other). */
  private payoutIdOf(text: string, from: number, to: number): string {
    if (sameChars(this.lastPayoutId, 0, text, from, to)) return this.lastPayoutId;
    this.lastPayoutId = this.payoutIds.get(text.slice(from, to), ownText);
    return this.lastPayoutId;
  }

  /**
   * An entry's amount text, shared by equal amounts written alike: the cell as written (a gross),
   * or the fee cell negated (`negated`), as negateDecimal writes it. Either is a canonical decimal
   * (minorOf took the cell) signed as its minor units are (a zero is never negated or written "-0").
   */
  private amountText(text: string, from: number, to: number, minor: number, exponent: number, negated: boolean): string {
    const negative = text.charCodeAt(from) === MINUS;
    const shared = this.amounts.find(minor, exponent, to - from + (!negated ? 0 : negative ? -1 : 1), minor < 0);
    if (shared !== null) return shared;
    return this.amounts.keep(ownText(!negated ? text.slice(from, to) : negative ? text.slice(from + 1, to) : `-${text.slice(from, to)}`));
  }
}

/** Whether the header line (split on commas) names every one of `columns`, as the table reader matches them. */
function namesAll(line: string, columns: readonly string[]): boolean {
  const cells = new Set(line.split(',').map((cell) => (cell.charCodeAt(0) === 0xfeff ? cell.slice(1) : cell).trim().toLowerCase()));
  return columns.every((column) => cells.has(column.toLowerCase()));
}

/**
 * Minor units of a cell that is a canonical decimal as written (what the mapper takes without
 * parseAmount: -?(0|[1-9]\d*)(\.\d+)?) with no non-zero digit beyond the currency's exponent and
 * within the safe digits; null otherwise (the mapper then reads, or rejects, the cell).
 */
function minorOf(text: string, start: number, end: number, exponent: number): number | null {
  let index = start;
  const negative = index < end && text.charCodeAt(index) === MINUS;
  if (negative) index++;
  const integerStart = index;
  let value = 0;
  if (index < end && text.charCodeAt(index) === DIGIT_0) index++;
  else {
    for (; index < end; index++) {
      const digit = text.charCodeAt(index) - DIGIT_0;
      if (digit >>> 0 > 9) break;
      value = value * 10 + digit;
    }
    if (index === integerStart) return null;
  }
  if (index - integerStart + exponent > SAFE_DIGITS_MAX) return null;
  let places = 0;
  if (index < end) {
    if (text.charCodeAt(index) !== DOT) return null;
    index++;
    const fractionStart = index;
    for (; index < end; index++) {
      const digit = text.charCodeAt(index) - DIGIT_0;
      if (digit >>> 0 > 9) return null;
      if (places === exponent) {
        if (digit !== 0) return null;
        continue;
      }
      value = value * 10 + digit;
      places++;
    }
    if (index === fractionStart) return null;
  }
  for (; places < exponent; places++) value *= 10;
  return value === 0 ? 0 : negative ? -value : value;
}

/** Two lists in file order merged by line (a row's entries are all in one of them). */
function byLine<T extends { readonly line: number }>(a: readonly T[], b: readonly T[]): T[] {
  if (b.length === 0) return a as T[];
  if (a.length === 0) return b as T[];
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as T).line <= (b[j] as T).line)) merged.push(a[i++] as T);
    else merged.push(b[j++] as T);
  }
  return merged;
}
