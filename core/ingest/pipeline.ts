import { assert } from '../assert.ts';
import { fromMinorUnits, toMinorUnits, addMinor, type MinorUnits } from '../money/minor.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { Decimal } from '../money/decimal.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { fingerprintKey, ID_LENGTH_MAX, idFromFingerprint, idFromReference } from '../transactions/identity.ts';
import { hashBytes, IdRegistry } from './id-registry.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import type { ImportContext, ParseOutput, ParsedEntry, ParsedStatement } from './importer.ts';
import type { ConflictingDuplicate, Duplicate, ImportResult, PossibleDuplicateGroup, StatementSummary, ImportIssue } from './result.ts';

/** What a row says about its money: a repeat of its id that says otherwise is a conflict, not a duplicate. */
export interface TransactionContent {
  readonly currency: string;
  /** The amount in the currency's minor units, exact (the sign is the direction). */
  readonly minor: MinorUnits;
  readonly bookingDate: string | null;
  readonly valueDate: string | null;
}

/** Where a known id was first seen, for reporting a duplicate against its original, and what it said (when known). */
export interface KnownTransaction {
  readonly line: number | null;
  readonly sourceId: string | null;
  readonly content?: TransactionContent | null;
}

/** What a parsed entry or a transaction says about its money, to compare repeats of its id. */
export function contentOf(row: { readonly amount: string; readonly currency: string; readonly bookingDate: string | null; readonly valueDate: string | null }): TransactionContent {
  return { currency: row.currency, minor: toMinorUnits(row.amount, minorUnitsOf(row.currency)), bookingDate: row.bookingDate, valueDate: row.valueDate };
}

function sameContent(a: TransactionContent, b: TransactionContent): boolean {
  return a.currency === b.currency && a.minor === b.minor && a.bookingDate === b.bookingDate && a.valueDate === b.valueDate;
}

/**
 * Ids already in the workspace (from earlier imports); empty for a stand-alone import. Only
 * lookups are needed, so a Map or the compact IdRegistry of a many-file run both serve.
 */
export interface KnownIds {
  get(id: string): KnownTransaction | undefined;
}

function entryFingerprint(entry: ParsedEntry): string {
  return fingerprintKey({
    namespace: entry.identity.namespace,
    account: entry.account,
    bookingDate: entry.bookingDate,
    valueDate: entry.valueDate,
    amount: entry.amount,
    currency: entry.currency,
    description: entry.description,
    reference: entry.references.externalId ?? entry.references.bankReference,
  });
}

/** Sums of one statement's entries, kept as they arrive: exact minor units per currency exponent. */
class StatementSums {
  private readonly credits = new Map<number, MinorUnits>();
  private readonly debits = new Map<number, MinorUnits>();
  entries = 0;

  add(entry: ParsedEntry): void {
    const exponent = minorUnitsOf(entry.currency);
    const minor = toMinorUnits(entry.amount, exponent);
    if (minor > 0) this.credits.set(exponent, addMinor(this.credits.get(exponent) ?? 0, minor));
    else this.debits.set(exponent, addMinor(this.debits.get(exponent) ?? 0, -minor));
    this.entries++;
  }

  /** The sums as decimal text in the statement currency's digits (never rounded: more digits stay). */
  total(side: 'credits' | 'debits', exponent: number): string {
    let sum = new Decimal(0);
    for (const [digits, minor] of this[side]) sum = sum.plus(fromMinorUnits(minor, digits));
    return sum.decimalPlaces() <= exponent ? sum.toFixed(exponent) : sum.toFixed();
  }
}

function summarize(statement: ParsedStatement, sums: StatementSums | undefined, rejectedEntries: number): StatementSummary {
  const exponent = minorUnitsOf(statement.currency);
  const creditsText = sums?.total('credits', exponent) ?? fromMinorUnits(0, exponent);
  const debitsText = sums?.total('debits', exponent) ?? fromMinorUnits(0, exponent);
  const balanced =
    statement.opening === null || statement.closing === null
      ? null
      : rejectedEntries === 0 && new Decimal(statement.opening).plus(creditsText).minus(debitsText).equals(statement.closing);
  return { ...statement, credits: creditsText, debits: debitsText, entries: sums?.entries ?? 0, rejectedEntries, balanced };
}

/** The id of a repeated row and the transaction it repeats; `conflicting` when the two rows differ in money or dates. */
export interface DuplicateOf {
  readonly id: string;
  readonly duplicateOf: KnownTransaction;
  readonly conflicting: boolean;
}

const ESCAPED_PERCENT = [0x25, 0x32, 0x35]; // "%25"
const ESCAPED_BAR = [0x25, 0x37, 0x43]; // "%7C"
const PREFIXES_MAX = 10_000;

interface IdPrefix {
  readonly bytes: Uint8Array;
  /** The prefix as a head of this identifier's registry. */
  readonly head: number;
  readonly units: number;
}

/**
 * Gives entries their deterministic ids, one at a time, so a streamed import (batches of a
 * million-row CSV) and a whole-file import share one rule. Ids seen (from `known` and this file)
 * live in an IdRegistry: its own for a stand-alone import, or a run's shared one (`{ registry }`)
 * so that several files of one run see each other's ids.
 */
export class EntryIdentifier {
  private readonly registry: IdRegistry;
  /** Ids known before this import that are not in the registry (a caller's Map). */
  private readonly earlier: KnownIds | null;
  private readonly source: number;
  private readonly occurrences = new Map<string, number[]>();
  /** UTF-8 of `tx:<namespace>|<account>|`, per namespace and account, for ids built from bytes. */
  private readonly prefixes = new Map<string, IdPrefix | null>();
  private lastNamespace: string | null = null;
  private lastAccount: string | null = null;
  private lastPrefix: IdPrefix | null = null;
  private scratch: Uint8Array = new Uint8Array(512);
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8');
  /** Whether the last repeat remember() found said something else about its money (a conflict). */
  private lastConflicting = false;

  constructor(
    known: KnownIds | { readonly registry: IdRegistry },
    private readonly context: ImportContext,
    private readonly format: string,
  ) {
    if ('registry' in known) {
      this.registry = known.registry;
      this.earlier = null;
    } else {
      this.registry = new IdRegistry();
      this.earlier = known;
    }
    this.source = this.registry.sourceIndex(context.sha256);
  }

  /**
   * The entry's id, and the earlier transaction it repeats (null when new; then it is remembered).
   * `conflicting`: the earlier row has the same id but other money or dates.
   */
  idOf(entry: ParsedEntry): { readonly id: string; readonly duplicateOf: KnownTransaction | null; readonly conflicting: boolean } {
    let id: string;
    if (entry.identity.by === 'reference') {
      id = idFromReference(entry.identity.namespace, entry.account, entry.identity.reference);
    } else {
      const key = entryFingerprint(entry);
      // Counted per statement: an overlapping statement later in the file repeats occurrence 0, 1, …
      // and so the very ids of the first, as an overlapping statement in another file does.
      const occurrenceKey = entry.statementIndex === null ? key : `${entry.statementIndex}\u001e${key}`;
      const lines = this.occurrences.get(occurrenceKey) ?? [];
      lines.push(entry.line);
      this.occurrences.set(occurrenceKey, lines);
      id = idFromFingerprint(key, lines.length - 1);
    }
    const length = this.encode(id);
    const content = contentOf(entry);
    const duplicateOf = this.remember(this.scratch, 0, length, entry.line, hashBytes(this.scratch, 0, length), content.currency, content.minor, content.bookingDate, content.valueDate);
    return { id, duplicateOf, conflicting: duplicateOf !== null && this.lastConflicting };
  }

  /**
   * For a reference identity whose reference is UTF-8 bytes[start, end) (a scanner's view of the
   * cell): null when new (then remembered), else the duplicate. The id is the very string
   * idFromReference gives; it is only built as text when it must be reported.
   */
  referenceDuplicate(
    namespace: string,
    account: string | null,
    bytes: Uint8Array,
    start: number,
    end: number,
    line: number,
    currency: string,
    minor: MinorUnits,
    bookingDate: string | null,
    valueDate: string | null,
  ): DuplicateOf | null {
    const prefix = this.prefixOf(namespace, account);
    if (prefix !== null && this.earlier === null && start < end && prefix.units + (end - start) <= ID_LENGTH_MAX) {
      // The common case: an ASCII reference without % or |, so the id is the prefix and the cell's
      // bytes as they are: the registry takes them after the prefix, no copy.
      let plain = true;
      for (let index = start; plain && index < end; index++) {
        const byte = bytes[index] as number;
        plain = byte !== 0x25 && byte !== 0x7c && byte < 0x80;
      }
      if (plain) {
        const seen = this.registry.findOrAddJoined(prefix.head, bytes, start, end, line, this.source);
        if (seen === -1) {
          this.registry.setContent(this.registry.lastEntry, currency, minor, bookingDate, valueDate);
          return null;
        }
        const id = this.decoder.decode(prefix.bytes) + this.decoder.decode(bytes.subarray(start, end));
        return { id, duplicateOf: this.registry.knownAt(seen), conflicting: this.registry.sameContent(seen, currency, minor, bookingDate, valueDate) === false };
      }
    }
    return this.escapedReferenceDuplicate(prefix, namespace, account, bytes, start, end, line, { currency, minor, bookingDate, valueDate });
  }

  /** referenceDuplicate for a reference that needs escaping, is not ASCII, or makes a hashed id. */
  private escapedReferenceDuplicate(
    prefix: IdPrefix | null,
    namespace: string,
    account: string | null,
    bytes: Uint8Array,
    start: number,
    end: number,
    line: number,
    content: TransactionContent,
  ): DuplicateOf | null {
    // Escaping can triple the reference; an id over ID_LENGTH_MAX is hashed: that takes the text route.
    const needed = (prefix?.bytes.length ?? 0) + (end - start) * 3;
    if (needed > this.scratch.length) this.scratch = new Uint8Array(needed * 2);
    const scratch = this.scratch;
    let length = 0;
    let units = ID_LENGTH_MAX + 1;
    if (prefix !== null) {
      scratch.set(prefix.bytes, 0);
      length = prefix.bytes.length;
      units = prefix.units;
      for (let index = start; index < end; index++) {
        const byte = bytes[index] as number;
        if (byte === 0x25 || byte === 0x7c) {
          const escaped = byte === 0x25 ? ESCAPED_PERCENT : ESCAPED_BAR;
          for (const code of escaped) scratch[length++] = code;
          units += 3;
          continue;
        }
        scratch[length++] = byte;
        // UTF-16 length of the id: continuation bytes add nothing, a 4-byte lead adds a surrogate pair.
        if (byte < 0x80 || byte >= 0xc0) units += byte >= 0xf0 ? 2 : 1;
      }
    }
    if (units > ID_LENGTH_MAX) {
      const id = idFromReference(namespace, account, this.decoder.decode(bytes.subarray(start, end)));
      const idLength = this.encode(id);
      const duplicateOf = this.remember(this.scratch, 0, idLength, line, hashBytes(this.scratch, 0, idLength), content.currency, content.minor, content.bookingDate, content.valueDate);
      return duplicateOf === null ? null : { id, duplicateOf, conflicting: this.lastConflicting };
    }
    const duplicateOf = this.remember(scratch, 0, length, line, hashBytes(scratch, 0, length), content.currency, content.minor, content.bookingDate, content.valueDate);
    return duplicateOf === null ? null : { id: this.decoder.decode(scratch.subarray(0, length)), duplicateOf, conflicting: this.lastConflicting };
  }

  /**
   * The earlier transaction with this id (then lastConflicting says whether its content differs),
   * or null when the id is new: then it is recorded with its content.
   */
  private remember(bytes: Uint8Array, start: number, end: number, line: number, hash: number, currency: string, minor: MinorUnits, bookingDate: string | null, valueDate: string | null): KnownTransaction | null {
    let seen: number;
    if (this.earlier !== null) {
      seen = this.registry.find(bytes, start, end, hash);
      if (seen === -1) {
        const earlier = this.earlier.get(this.decoder.decode(bytes.subarray(start, end)));
        if (earlier !== undefined) {
          // An earlier transaction recorded without its content cannot be compared: a repeat, as before.
          const content = earlier.content ?? null;
          this.lastConflicting = content !== null && !sameContent(content, { currency, minor, bookingDate, valueDate });
          return earlier;
        }
      }
    }
    seen = this.registry.findOrAdd(bytes, start, end, line, this.source, hash);
    if (seen === -1) {
      this.registry.setContent(this.registry.lastEntry, currency, minor, bookingDate, valueDate);
      return null;
    }
    this.lastConflicting = this.registry.sameContent(seen, currency, minor, bookingDate, valueDate) === false;
    return this.registry.knownAt(seen);
  }

  /** `tx:<namespace>|<account>|` as UTF-8 and its UTF-16 length; null when that alone makes a hashed id. */
  private prefixOf(namespace: string, account: string | null): IdPrefix | null {
    // Rows of one file nearly always share namespace and account: skip the map (and its key string) then.
    if (namespace === this.lastNamespace && account === this.lastAccount) return this.lastPrefix;
    const key = `${namespace}\u001f${account ?? ''}`;
    let prefix = this.prefixes.get(key);
    if (prefix === undefined) {
      const text = idFromReference(namespace, account, '');
      const encoded = this.encoder.encode(text);
      prefix = text.startsWith('tx:') ? { bytes: encoded, head: this.registry.headIndex(encoded), units: text.length } : null;
      assert(prefix === null || text.endsWith('|'), 'a reference id ends with its reference', { text });
      if (this.prefixes.size >= PREFIXES_MAX) this.prefixes.clear();
      this.prefixes.set(key, prefix);
    }
    this.lastNamespace = namespace;
    this.lastAccount = account;
    this.lastPrefix = prefix;
    return prefix;
  }

  private encode(id: string): number {
    if (this.scratch.length < id.length * 3) this.scratch = new Uint8Array(id.length * 3);
    return this.encoder.encodeInto(id, this.scratch).written;
  }

  /**
   * The entry as a new transaction, as a duplicate of one already seen, or as a conflict: its id
   * is known but the earlier row said other money or dates. The conflicting row is kept whole
   * under an id of its own, for a person to decide; it is not a transaction of the import.
   */
  identify(entry: ParsedEntry): { readonly transaction: CanonicalTransaction } | { readonly duplicate: Duplicate } | { readonly conflict: ConflictingDuplicate } {
    const { id, duplicateOf, conflicting } = this.idOf(entry);
    if (duplicateOf !== null && !conflicting) return { duplicate: { line: entry.line, id, duplicateOf: whereSeen(duplicateOf) } };
    const transaction = this.transactionOf(entry, duplicateOf === null ? id : conflictId(id, entry));
    if (duplicateOf === null) return { transaction };
    return { conflict: conflictOf(entry.line, id, duplicateOf, entry, transaction) };
  }

  private transactionOf(entry: ParsedEntry, id: string): CanonicalTransaction {
    // Fields listed one by one: an object rest/spread here costs seconds on a million rows.
    const transaction: CanonicalTransaction = {
      id,
      source: { sourceId: this.context.sha256, format: this.format, fileName: this.context.fileName, line: entry.line },
      kind: entry.kind,
      occurredAt: entry.occurredAt,
      bookingDate: entry.bookingDate,
      valueDate: entry.valueDate,
      amount: entry.amount,
      currency: entry.currency,
      account: entry.account,
      partnerId: entry.partnerId,
      productId: entry.productId,
      channel: entry.channel,
      counterparty: entry.counterparty,
      references: entry.references,
      description: entry.description,
      customerRef: entry.customerRef,
      raw: entry.raw,
    };
    return transaction;
  }

  /** Groups of identical entries within the file: all imported, flagged for a human. */
  possibleDuplicates(): PossibleDuplicateGroup[] {
    return [...this.occurrences.entries()].filter(([, lines]) => lines.length > 1).map(([key, lines]) => ({ fingerprint: sha256Hex(key).slice(0, 16), lines }));
  }
}

/** Where a known transaction was first seen, without what it said (a report names the row, its own import shows the rest). */
export function whereSeen(known: KnownTransaction): Duplicate['duplicateOf'] {
  return { line: known.line, sourceId: known.sourceId };
}

/** The id a conflicting row is kept under: its claimed id and what it says, so a re-import gives the same id. */
export function conflictId(claimedId: string, row: { readonly amount: string; readonly currency: string; readonly bookingDate: string | null; readonly valueDate: string | null }): string {
  const content = contentOf(row);
  return `tx#${sha256Hex(['conflict', claimedId, content.currency, String(content.minor), content.bookingDate ?? '', content.valueDate ?? ''].join('\u001f')).slice(0, 32)}`;
}

export function conflictOf(
  line: number,
  id: string,
  conflictsWith: KnownTransaction,
  row: { readonly amount: string; readonly currency: string; readonly bookingDate: string | null; readonly valueDate: string | null },
  transaction: CanonicalTransaction | null,
): ConflictingDuplicate {
  const first = conflictsWith.content ?? null;
  return {
    line,
    id,
    conflictsWith: whereSeen(conflictsWith),
    amount: row.amount,
    currency: row.currency,
    bookingDate: row.bookingDate,
    valueDate: row.valueDate,
    first: first === null ? null : { amount: fromMinorUnits(first.minor, minorUnitsOf(first.currency)), currency: first.currency, bookingDate: first.bookingDate, valueDate: first.valueDate },
    transaction,
  };
}

export function conflictIssues(conflicts: readonly ConflictingDuplicate[]): ImportIssue[] {
  return conflicts.map((conflict) => ({
    code: 'conflicting_duplicate' as const,
    message: `line ${conflict.line} repeats the id of ${conflict.conflictsWith.line === null ? 'an earlier row' : `line ${conflict.conflictsWith.line}`}${conflict.first === null ? '' : ` (${conflict.first.amount} ${conflict.first.currency} on ${conflict.first.bookingDate ?? '-'})`} with other money or dates (${conflict.amount} ${conflict.currency} on ${conflict.bookingDate ?? '-'}): both kept, the second is not counted until a person decides`,
    line: conflict.line,
  }));
}

export function possibleDuplicateIssues(groups: readonly PossibleDuplicateGroup[]): ImportIssue[] {
  return groups.map((group) => ({
    code: 'possible_duplicate' as const,
    message: `${group.lines.length} identical entries at lines ${group.lines.join(', ')}: all imported, please confirm they are distinct`,
    line: group.lines[0] ?? null,
  }));
}

/** What a parser says besides its entries, for ImportAccumulator.finish. */
export type ParseSummary = Omit<ParseOutput, 'entries'>;

/**
 * The shared pipeline, one entry at a time: deterministic ids, duplicates and conflicts against
 * known ids, identical rows flagged, statement sums. A whole-file import keeps every transaction
 * (finalizeImport); a streamed one hands each to `keep` and holds only the sums.
 */
export class ImportAccumulator {
  private readonly identifier: EntryIdentifier;
  private readonly duplicates: Duplicate[] = [];
  private readonly conflicts: ConflictingDuplicate[] = [];
  private readonly sums = new Map<number, StatementSums>();
  private entries = 0;
  private imported = 0;

  constructor(
    known: KnownIds | { readonly registry: IdRegistry },
    private readonly context: ImportContext,
    private readonly format: string,
    private readonly keep: (transaction: CanonicalTransaction) => void,
  ) {
    this.identifier = new EntryIdentifier(known, context, format);
  }

  add(entry: ParsedEntry): void {
    this.entries++;
    if (entry.statementIndex !== null) {
      let sums = this.sums.get(entry.statementIndex);
      if (sums === undefined) this.sums.set(entry.statementIndex, (sums = new StatementSums()));
      sums.add(entry);
    }
    const identified = this.identifier.identify(entry);
    if ('duplicate' in identified) this.duplicates.push(identified.duplicate);
    else if ('conflict' in identified) this.conflicts.push(identified.conflict);
    else {
      this.imported++;
      this.keep(identified.transaction);
    }
  }

  /** The import's account once every entry was added; asserts entriesRead = imported + rejected + duplicates + conflicts. */
  finish(parsed: ParseSummary, sizeBytes: number): Omit<ImportResult, 'transactions'> & { readonly imported: number } {
    assert(parsed.rowsRead === this.entries + parsed.rejected.length, 'parser accounts for every row', {
      rowsRead: parsed.rowsRead,
      entries: this.entries,
      rejected: parsed.rejected.length,
    });
    const { duplicates, conflicts } = this;
    const possibleDuplicates = this.identifier.possibleDuplicates();
    const statements = parsed.statements.map((statement, index) =>
      summarize(statement, this.sums.get(index), parsed.rejected.filter((rejection) => rejection.statementIndex === index).length),
    );
    const issues: ImportIssue[] = [
      ...parsed.issues,
      ...possibleDuplicateIssues(possibleDuplicates),
      ...conflictIssues(conflicts),
      ...statements
        .filter(isIncomplete)
        .map((statement) => ({
          code: 'statement_incomplete' as const,
          message: `statement ${statement.statementId ?? ''} ${statement.account} ${statement.currency}: ${statement.rejectedEntries} rejected entries are missing from its sums, so its balances cannot be checked until they are fixed`,
          line: null,
        })),
      ...statements
        .filter(isUnbalanced)
        .map((statement) => ({
          code: 'balance_mismatch' as const,
          message: `statement ${statement.statementId ?? ''} ${statement.account} ${statement.currency}: opening ${statement.opening} + credits ${statement.credits} - debits ${statement.debits} != closing ${statement.closing}`,
          line: null,
        })),
    ];
    const result = {
      file: { fileName: this.context.fileName, sha256: this.context.sha256, sizeBytes, format: this.format },
      rowsRead: parsed.recordsRead ?? parsed.rowsRead,
      entriesRead: parsed.rowsRead,
      imported: this.imported,
      rejected: parsed.rejected,
      duplicates,
      conflicts,
      possibleDuplicates,
      statements,
      issues,
    };
    assert(result.entriesRead === this.imported + parsed.rejected.length + duplicates.length + conflicts.length, 'every row is imported, rejected, a duplicate or a conflict', {
      entriesRead: result.entriesRead,
      imported: this.imported,
      rejected: parsed.rejected.length,
      duplicates: duplicates.length,
      conflicts: conflicts.length,
    });
    return result;
  }
}

/** A statement whose rejected entries leave its sums short: raised as statement_incomplete (exceptions read its facts the same way). */
export const isIncomplete = (statement: StatementSummary): boolean => statement.rejectedEntries > 0;

/** A complete statement whose balances do not add up: raised as balance_mismatch. */
export const isUnbalanced = (statement: StatementSummary): boolean => statement.balanced === false && statement.rejectedEntries === 0;

/**
 * Turns a parser's output into an ImportResult: deterministic ids, duplicates and conflicts
 * against known ids, identical rows within the file flagged, statement sums and balance checks,
 * and the row account asserted: entriesRead = imported + rejected + duplicates + conflicts.
 */
export function finalizeImport(parsed: ParseOutput, context: ImportContext, format: string, sizeBytes: number, known: KnownIds = new Map()): ImportResult {
  const transactions: CanonicalTransaction[] = [];
  const accumulator = new ImportAccumulator(known, context, format, (transaction) => transactions.push(transaction));
  for (const entry of parsed.entries) accumulator.add(entry);
  const { imported: _imported, ...account } = accumulator.finish(parsed, sizeBytes);
  return { ...account, transactions };
}
