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
    else debits = addMinor(debits, typeof minor === 'bigint' ? -minor : -minor);
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
  const seen = new Map<string, { line: number | null; sourceId: string | null }>(known);
  const occurrences = new Map<string, number[]>();
  const transactions: CanonicalTransaction[] = [];
  const duplicates: Duplicate[] = [];
  for (const entry of parsed.entries) {
    let id: string;
    if (entry.identity.by === 'reference') {
      id = idFromReference(entry.identity.namespace, entry.account, entry.identity.reference);
    } else {
      const print = entryFingerprint(entry);
      const lines = occurrences.get(print) ?? [];
      lines.push(entry.line);
      occurrences.set(print, lines);
      id = idFromFingerprint(print, lines.length - 1);
    }
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      duplicates.push({ line: entry.line, id, duplicateOf: earlier });
      continue;
    }
    seen.set(id, { line: entry.line, sourceId: context.sha256 });
    const { line, identity: _identity, statementIndex: _statementIndex, ...fields } = entry;
    transactions.push({ ...fields, id, source: { sourceId: context.sha256, format, fileName: context.fileName, line } });
  }
  const possibleDuplicates: PossibleDuplicateGroup[] = [...occurrences.entries()]
    .filter(([, lines]) => lines.length > 1)
    .map(([key, lines]) => ({ fingerprint: sha256Hex(key).slice(0, 16), lines }));
  const statements = parsed.statements.map((statement, index) =>
    summarize(
      statement,
      parsed.entries.filter((entry) => entry.statementIndex === index),
    ),
  );
  const issues: ImportIssue[] = [
    ...parsed.issues,
    ...possibleDuplicates.map((group) => ({
      code: 'possible_duplicate' as const,
      message: `${group.lines.length} identical entries at lines ${group.lines.join(', ')}: all imported, please confirm they are distinct`,
      line: group.lines[0] ?? null,
    })),
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
