import { assert } from '../assert.ts';
import { fromMinorUnits, toMinorUnits, addMinor, type MinorUnits } from '../money/minor.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { Decimal } from '../money/decimal.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { fingerprintKey, idFromFingerprint, idFromReference } from '../transactions/identity.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import type { ImportContext, ParseOutput, ParsedEntry, ParsedStatement } from './importer.ts';
import type { Duplicate, ImportResult, PossibleDuplicateGroup, StatementSummary, ImportIssue } from './result.ts';

/** Where a known id was first seen, for reporting a duplicate against its original. */
export interface KnownTransaction {
  readonly line: number | null;
  readonly sourceId: string | null;
}

/** Ids already in the workspace (from earlier imports); empty for a stand-alone import. */
export type KnownIds = ReadonlyMap<string, KnownTransaction>;

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

function summarize(statement: ParsedStatement, entries: readonly ParsedEntry[]): StatementSummary {
  const exponent = minorUnitsOf(statement.currency);
  let credits: MinorUnits = 0;
  let debits: MinorUnits = 0;
  for (const entry of entries) {
    const minor = toMinorUnits(entry.amount, exponent);
    if (minor > 0) credits = addMinor(credits, minor);
    else debits = addMinor(debits, -minor);
  }
  const creditsText = fromMinorUnits(credits, exponent);
  const debitsText = fromMinorUnits(debits, exponent);
  const balanced =
    statement.opening === null || statement.closing === null
      ? null
      : new Decimal(statement.opening).plus(creditsText).minus(debitsText).equals(statement.closing);
  return { ...statement, credits: creditsText, debits: debitsText, entries: entries.length, balanced };
}

/**
 * Gives entries their deterministic ids, one at a time, so a streamed import (batches of a
 * million-row CSV) and a whole-file import share one rule. Remembers every id it has seen (from
 * `known` and this file): memory grows with the number of ids, not with the rows' data.
 */
export class EntryIdentifier {
  private readonly seen: Map<string, KnownTransaction>;
  private readonly occurrences = new Map<string, number[]>();

  /** `known` is copied; pass `shared` instead to record new ids straight into a caller's map (several files of one run). */
  constructor(
    known: KnownIds | { readonly shared: Map<string, KnownTransaction> },
    private readonly context: ImportContext,
    private readonly format: string,
  ) {
    this.seen = 'shared' in known ? (known.shared as Map<string, KnownTransaction>) : new Map(known as KnownIds);
  }

  /** The entry's id, and the earlier transaction it duplicates (null when new; then it is remembered). */
  idOf(entry: ParsedEntry): { readonly id: string; readonly duplicateOf: KnownTransaction | null } {
    let id: string;
    if (entry.identity.by === 'reference') {
      id = idFromReference(entry.identity.namespace, entry.account, entry.identity.reference);
    } else {
      const key = entryFingerprint(entry);
      const lines = this.occurrences.get(key) ?? [];
      lines.push(entry.line);
      this.occurrences.set(key, lines);
      id = idFromFingerprint(key, lines.length - 1);
    }
    const earlier = this.seen.get(id);
    if (earlier !== undefined) return { id, duplicateOf: earlier };
    this.seen.set(id, { line: entry.line, sourceId: this.context.sha256 });
    return { id, duplicateOf: null };
  }

  /** The entry as a new transaction, or as a duplicate of one already seen. */
  identify(entry: ParsedEntry): { readonly transaction: CanonicalTransaction } | { readonly duplicate: Duplicate } {
    const { id, duplicateOf } = this.idOf(entry);
    if (duplicateOf !== null) return { duplicate: { line: entry.line, id, duplicateOf } };
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
    return { transaction };
  }

  /** Groups of identical entries within the file: all imported, flagged for a human. */
  possibleDuplicates(): PossibleDuplicateGroup[] {
    return [...this.occurrences.entries()].filter(([, lines]) => lines.length > 1).map(([key, lines]) => ({ fingerprint: sha256Hex(key).slice(0, 16), lines }));
  }
}

export function possibleDuplicateIssues(groups: readonly PossibleDuplicateGroup[]): ImportIssue[] {
  return groups.map((group) => ({
    code: 'possible_duplicate' as const,
    message: `${group.lines.length} identical entries at lines ${group.lines.join(', ')}: all imported, please confirm they are distinct`,
    line: group.lines[0] ?? null,
  }));
}

/**
 * Turns a parser's output into an ImportResult: deterministic ids, duplicates against known ids,
 * identical rows within the file flagged, statement sums and balance checks, and the row account
 * asserted: entriesRead = imported + rejected + duplicates.
 */
export function finalizeImport(parsed: ParseOutput, context: ImportContext, format: string, sizeBytes: number, known: KnownIds = new Map()): ImportResult {
  assert(parsed.rowsRead === parsed.entries.length + parsed.rejected.length, 'parser accounts for every row', {
    rowsRead: parsed.rowsRead,
    entries: parsed.entries.length,
    rejected: parsed.rejected.length,
  });
  const identifier = new EntryIdentifier(known, context, format);
  const transactions: CanonicalTransaction[] = [];
  const duplicates: Duplicate[] = [];
  for (const entry of parsed.entries) {
    const identified = identifier.identify(entry);
    if ('duplicate' in identified) duplicates.push(identified.duplicate);
    else transactions.push(identified.transaction);
  }
  const possibleDuplicates = identifier.possibleDuplicates();
  const statements = parsed.statements.map((statement, index) =>
    summarize(
      statement,
      parsed.entries.filter((entry) => entry.statementIndex === index),
    ),
  );
  const issues: ImportIssue[] = [
    ...parsed.issues,
    ...possibleDuplicateIssues(possibleDuplicates),
    ...statements
      .filter((statement) => statement.balanced === false)
      .map((statement) => ({
        code: 'balance_mismatch' as const,
        message: `statement ${statement.statementId ?? ''} ${statement.account} ${statement.currency}: opening ${statement.opening} + credits ${statement.credits} - debits ${statement.debits} != closing ${statement.closing}`,
        line: null,
      })),
  ];
  const result: ImportResult = {
    file: { fileName: context.fileName, sha256: context.sha256, sizeBytes, format },
    rowsRead: parsed.recordsRead ?? parsed.rowsRead,
    entriesRead: parsed.rowsRead,
    transactions,
    rejected: parsed.rejected,
    duplicates,
    possibleDuplicates,
    statements,
    issues,
  };
  assert(result.entriesRead === transactions.length + parsed.rejected.length + duplicates.length, 'every row is imported, rejected or a duplicate');
  return result;
}
