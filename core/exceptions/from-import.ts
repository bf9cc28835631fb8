import { isIncomplete, isUnbalanced } from '../ingest/pipeline.ts';
import type { ImportIssue, ImportResult, StatementSummary } from '../ingest/result.ts';
import { createException, type ExceptionRecord, type NewException, type Severity } from './model.ts';

/** What an import reports about its rows; the transactions themselves are not needed (a streamed import does not keep them). */
export type ImportFacts = Omit<ImportResult, 'transactions'>;

/**
 * Turns an ImportResult's rejected rows, duplicates, possible duplicates and issues into
 * exceptions. Keys use the file's SHA-256 and the line, so importing the same file again raises
 * the same ids (and a corrected file raises none for the fixed rows).
 */
const ISSUE_SEVERITY: Readonly<Record<ImportIssue['code'], Severity>> = {
  balance_mismatch: 'high',
  control_total_mismatch: 'high',
  statement_gap: 'medium',
  possible_duplicate: 'medium',
  conflicting_duplicate: 'high',
  statement_incomplete: 'high',
  encoding_replaced: 'low',
  format_rule_broken: 'medium',
  reversal_convention: 'high',
};

function fromRejections(result: ImportFacts): NewException[] {
  return result.rejected.map((rejection) => ({
    type: 'import_rejected',
    key: [result.file.sha256, String(rejection.line), rejection.code, String(rejection.column ?? '')],
    severity: 'medium',
    title: `${result.file.fileName} line ${rejection.line}: ${rejection.reason}`,
    amountAtRisk: null,
    partnerId: null,
    period: null,
    sourceRefs: [{ kind: 'import-row', id: result.file.sha256, line: rejection.line }],
    // What the reason says (says, params) is kept for a screen to say it in another language; the row's own facts win.
    details: { ...(rejection.says === undefined ? {} : { ...rejection.params, says: rejection.says }), code: rejection.code, column: String(rejection.column ?? ''), raw: rejection.raw, fileName: result.file.fileName, reason: rejection.reason },
  }));
}

function fromDuplicates(result: ImportFacts): NewException[] {
  const known: NewException[] = result.duplicates.map((duplicate) => ({
    type: 'duplicate',
    key: [result.file.sha256, String(duplicate.line), duplicate.id],
    severity: 'low',
    title: `${result.file.fileName} line ${duplicate.line} repeats a known transaction and was not imported again`,
    amountAtRisk: null,
    partnerId: null,
    period: null,
    sourceRefs: [
      { kind: 'import-row', id: result.file.sha256, line: duplicate.line },
      { kind: 'transaction', id: duplicate.id, line: null },
    ],
    details: { duplicateOfLine: String(duplicate.duplicateOf.line ?? ''), duplicateOfSource: duplicate.duplicateOf.sourceId ?? '', fileName: result.file.fileName },
  }));
  const possible: NewException[] = result.possibleDuplicates.map((group) => ({
    type: 'duplicate',
    key: [result.file.sha256, 'possible', group.fingerprint],
    severity: 'medium',
    title: `${result.file.fileName} lines ${group.lines.join(', ')} look identical: all imported, confirm they are distinct`,
    amountAtRisk: null,
    partnerId: null,
    period: null,
    sourceRefs: group.lines.map((line) => ({ kind: 'import-row' as const, id: result.file.sha256, line })),
    details: { fingerprint: group.fingerprint, fileName: result.file.fileName },
  }));
  const conflicting: NewException[] = result.conflicts.map((conflict) => ({
    type: 'conflicting_duplicate',
    key: [result.file.sha256, String(conflict.line), conflict.id],
    severity: 'high',
    title: `${result.file.fileName} line ${conflict.line} repeats the id of ${conflict.conflictsWith.line === null ? 'an earlier row' : `line ${conflict.conflictsWith.line}`} with other money or dates (${conflict.amount} ${conflict.currency}${conflict.first === null ? '' : ` against ${conflict.first.amount} ${conflict.first.currency}`}): kept aside, not counted, until someone decides`,
    // The money the two rows disagree on is the second row's amount, unsigned: it is counted nowhere until decided.
    amountAtRisk: { amount: conflict.amount.replace(/^-/, ''), currency: conflict.currency },
    partnerId: conflict.transaction?.partnerId ?? null,
    period: null,
    sourceRefs: [
      { kind: 'import-row', id: result.file.sha256, line: conflict.line },
      { kind: 'import-row', id: conflict.conflictsWith.sourceId ?? result.file.sha256, line: conflict.conflictsWith.line },
      { kind: 'transaction', id: conflict.id, line: null },
    ],
    details: {
      fileName: result.file.fileName,
      claimedId: conflict.id,
      keptAs: conflict.transaction?.id ?? '',
      amount: conflict.amount,
      currency: conflict.currency,
      bookingDate: conflict.bookingDate ?? '',
      firstAmount: conflict.first?.amount ?? '',
      firstCurrency: conflict.first?.currency ?? '',
      firstBookingDate: conflict.first?.bookingDate ?? '',
      firstLine: String(conflict.conflictsWith.line ?? ''),
      firstSource: conflict.conflictsWith.sourceId ?? '',
    },
  }));
  return [...known, ...possible, ...conflicting];
}

/** The statement's facts its issue's message is written from, kept so a screen can say it in another language. */
function statementFacts(statement: StatementSummary | undefined): Record<string, string> {
  if (statement === undefined) return {};
  const { statementId, account, currency, opening, closing, credits, debits, rejectedEntries } = statement;
  return { statementId: statementId ?? '', account, currency, opening: opening ?? '', closing: closing ?? '', credits, debits, rejectedEntries: String(rejectedEntries) };
}

function fromIssues(result: ImportFacts): NewException[] {
  // The pipeline raises one statement_incomplete / balance_mismatch per such statement, in the statements' order.
  const statements = { statement_incomplete: result.statements.filter(isIncomplete), balance_mismatch: result.statements.filter(isUnbalanced) };
  const seen = { statement_incomplete: 0, balance_mismatch: 0 };
  const factsOf = (issue: ImportIssue): Record<string, string> =>
    issue.code === 'statement_incomplete' || issue.code === 'balance_mismatch' ? statementFacts(statements[issue.code][seen[issue.code]++]) : {};
  // possible_duplicate and conflicting_duplicate issues restate possibleDuplicates and conflicts, raised above with their lines.
  return result.issues
    .filter((issue) => issue.code !== 'possible_duplicate' && issue.code !== 'conflicting_duplicate')
    .map((issue, position) => ({
      type: 'anomaly',
      key: [result.file.sha256, issue.code, String(issue.line ?? `#${position}`)],
      severity: ISSUE_SEVERITY[issue.code],
      title: `${result.file.fileName}: ${issue.message}`,
      amountAtRisk: null,
      partnerId: null,
      period: null,
      sourceRefs: [{ kind: 'import-file', id: result.file.sha256, line: issue.line }],
      details: { ...factsOf(issue), ...(issue.says === undefined ? {} : { ...issue.params, says: issue.says }), code: issue.code, fileName: result.file.fileName },
    }));
}

export function exceptionsFromImport(result: ImportFacts, at: string): ExceptionRecord[] {
  return [...fromRejections(result), ...fromDuplicates(result), ...fromIssues(result)].map((input) => createException(input, at));
}
