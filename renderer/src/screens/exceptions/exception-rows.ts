import type { TFunction } from 'i18next';
import { genericAutocloseReason } from '../../../../core/exceptions/autoclose.ts';
import { UNMATCHED_SIDES, type UnmatchedSide } from '../../../../core/exceptions/from-reconcile.ts';
import { ageOf, transition, type ExceptionRecord, type ExceptionStatus, type ExceptionTransition, type ExceptionType } from '../../../../core/exceptions/model.ts';
import type { Statement } from '../../../../core/settlement/index.ts';
import type { ExceptionDoc, StatementDoc } from '../../../../core/sync/documents.ts';

/**
 * The exceptions grid's rows and the pure rules behind its actions. A row is the grid's own
 * mutable copy of a desk document (`assignee` is edited in place so AG Grid's undo/redo can
 * replay it); the desk document stays the truth and the row is rebuilt when it changes.
 */
export interface ExceptionRow {
  doc: ExceptionDoc;
  assignee: string | null;
  ageDays: number;
}

export function rowsOf(docs: readonly ExceptionDoc[], now: string, showClosed: boolean): ExceptionRow[] {
  return docs
    .filter((doc) => showClosed || doc.status === 'open' || doc.status === 'investigating')
    .map((doc) => ({ doc, assignee: doc.assignee, ageDays: ageOf(doc, now).days }));
}

/**
 * Keeps the grid's row objects when the same exceptions come back from the desk (after an edit
 * here, or a replicated change): their fields are updated in place and the previous array is
 * returned, so AG Grid sees no new row data and keeps its undo/redo stack. A different set or
 * order of ids gives the new array.
 */
export function mergeRows(previous: ExceptionRow[], next: readonly ExceptionRow[]): ExceptionRow[] {
  const same = previous.length === next.length && previous.every((row, index) => row.doc.id === next[index]?.doc.id);
  if (!same) return [...next];
  previous.forEach((row, index) => {
    const update = next[index] as ExceptionRow;
    row.doc = update.doc;
    row.assignee = update.assignee;
    row.ageDays = update.ageDays;
  });
  return previous;
}

export type BulkAction = 'assign' | 'resolve' | 'waive';

export interface BulkPlan {
  /** Ids that take the step. */
  readonly apply: readonly string[];
  /** Ids that cannot (already closed, or the workflow forbids it), left untouched. */
  readonly skip: readonly string[];
}

const TARGET: Readonly<Record<Exclude<BulkAction, 'assign'>, ExceptionStatus>> = { resolve: 'resolved', waive: 'waived' };

/**
 * Which selected exceptions a bulk step applies to, decided by core's own workflow (a dry run of
 * transition with the reason given), so the grid never offers what the desk would refuse.
 * Throws core's exception_reason_required when a closing step has no reason.
 */
export function planBulk(records: readonly ExceptionRecord[], action: BulkAction, reason: string, by: string, at: string): BulkPlan {
  if (action === 'assign') return { apply: records.map((record) => record.id), skip: [] };
  const apply: string[] = [];
  const skip: string[] = [];
  for (const record of records) {
    try {
      transition(record, { to: TARGET[action], by, at, reason });
      apply.push(record.id);
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'exception_reason_required') throw error;
      skip.push(record.id);
    }
  }
  return { apply, skip };
}

export function targetOf(action: Exclude<BulkAction, 'assign'>): ExceptionStatus {
  return TARGET[action];
}

export type SuggestedAction =
  | 'match_by_hand'
  | 'book_fee_or_timing'
  | 'waive_tolerated'
  | 'waive_duplicate'
  | 'choose_conflict'
  | 'fix_and_reimport'
  | 'add_rule'
  | 'add_rate'
  | 'ask_partner'
  | 'review_terms'
  | 'answer_partner'
  | 'rerun_if_claim_right';

/** What an analyst usually does next for an exception of this kind (texts in review.exceptions.action). */
export function suggestedActions(record: Pick<ExceptionRecord, 'type' | 'details'>): SuggestedAction[] {
  switch (record.type) {
    case 'unmatched':
      return ['match_by_hand'];
    case 'amount_mismatch':
      return record.details.tolerated !== undefined && record.details.tolerated !== '0' ? ['book_fee_or_timing', 'waive_tolerated'] : ['book_fee_or_timing'];
    case 'duplicate':
      return ['waive_duplicate'];
    case 'conflicting_duplicate':
      return ['choose_conflict'];
    case 'import_rejected':
      return ['fix_and_reimport'];
    case 'unclassified':
      return ['add_rule'];
    case 'fx_rate_missing':
      return ['add_rate'];
    case 'anomaly':
      return ['ask_partner', 'review_terms'];
    case 'partner-query':
      return ['answer_partner', 'rerun_if_claim_right'];
    case 'threshold_breach':
    case 'negative_balance':
      return ['review_terms'];
  }
}

export interface ExpectedBand {
  readonly observed: number;
  readonly expected: number;
  readonly low: number;
  readonly high: number;
}

/**
 * An anomaly's expected band from its evidence (counts of sales, not money): expected ± 2
 * residual standard deviations, floored at zero. Null when the evidence has no such numbers.
 */
export function expectedBandOf(details: Readonly<Record<string, string>>): ExpectedBand | null {
  const read = (key: string): number | null => {
    const text = details[`evidence.${key}`];
    if (text === undefined || text === '') return null;
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
  };
  const observed = read('observed');
  const expected = read('expected');
  const sd = read('residualSd');
  if (observed === null || expected === null || sd === null) return null;
  return { observed, expected, low: Math.max(0, expected - 2 * sd), high: expected + 2 * sd };
}

/** The transaction ids an exception points at, in its own order. */
/** The rows a grouped unmatched exception stands for, as the engine worker is asked for them (its details name side, account, currency and day). */
export interface UnmatchedGroupRef {
  readonly side: UnmatchedSide;
  readonly account: string;
  readonly currency: string;
  readonly date: string;
  /** How many rows it had when raised. */
  readonly count: number;
}

export function unmatchedGroupOf(record: Pick<ExceptionRecord, 'type' | 'details'>): UnmatchedGroupRef | null {
  const { grouped, side, account, currency, date, count } = record.details;
  const known = UNMATCHED_SIDES.find((each) => each === side);
  if (record.type !== 'unmatched' || grouped !== 'day' || known === undefined || currency === undefined || date === undefined) return null;
  return { side: known, account: account ?? '', currency, date, count: Number(count ?? 0) };
}

export function transactionRefs(record: Pick<ExceptionRecord, 'sourceRefs'>): string[] {
  return record.sourceRefs.filter((ref) => ref.kind === 'transaction').map((ref) => ref.id);
}

/** What a partner asked about one line of a statement, beside what this desk holds of that line. */
export interface PartnerQueryEvidence {
  readonly statementId: string | null;
  /** The hash of the statement the partner saw in the portal. */
  readonly statementHash: string | null;
  /** 1-based, in statement order (the portal's and the printed statement's numbering). */
  readonly line: number | null;
  readonly question: string;
  readonly claimedAmount: string | null;
  /** The statement's currency (the claim's and the line base's). */
  readonly currency: string | null;
  readonly askedBy: string | null;
  /** Null when this desk does not hold the statement. */
  readonly statement: { readonly partnerId: string; readonly period: string; readonly revision: number; readonly sameHash: boolean } | null;
  /** Null when the desk lacks the statement or the statement has no such line; base is in the statement's currency. */
  readonly statementLine: { readonly productId: string | null; readonly lineCurrency: string; readonly transactionCount: number; readonly base: string } | null;
}

/**
 * A partner-query exception's evidence (details as server/partner/queries.ts writes them): the
 * question and claim, and the statement and line it is about when the desk has the statement.
 */
export function partnerQueryEvidence(
  record: Pick<ExceptionRecord, 'details' | 'sourceRefs' | 'amountAtRisk'>,
  statements: ReadonlyArray<Pick<StatementDoc, 'id' | 'partnerId' | 'period' | 'revision' | 'hash' | 'currency' | 'canonicalJson'>>,
): PartnerQueryEvidence {
  const ref = record.sourceRefs.find((each) => each.kind === 'statement');
  const statementId = record.details.statementId ?? ref?.id ?? null;
  const written = Number(record.details.line);
  const line = ref?.line ?? (Number.isInteger(written) && written > 0 ? written : null);
  const doc = statementId === null ? undefined : statements.find((each) => each.id === statementId);
  const statementHash = record.details.statementHash ?? null;
  // The desk verified the text on arrival (core/sync/statement-doc.ts), so its shape is the engine's.
  const found = doc === undefined || line === null ? undefined : (JSON.parse(doc.canonicalJson) as Pick<Statement, 'groups'>).groups.flatMap((group) => group.lines)[line - 1];
  return {
    statementId,
    statementHash,
    line,
    question: record.details.text ?? '',
    claimedAmount: record.details.claimedAmount ?? null,
    currency: record.amountAtRisk?.currency ?? doc?.currency ?? null,
    askedBy: record.details.askedBy ?? null,
    statement: doc === undefined ? null : { partnerId: doc.partnerId, period: doc.period, revision: doc.revision, sameHash: statementHash === null || statementHash === doc.hash },
    statementLine: found === undefined ? null : { productId: found.productId, lineCurrency: found.currency, transactionCount: found.transactionCount, base: found.base },
  };
}

/** A history step's reason as the analyst reads it (`t` bound to REVIEW_NS): the system's generic auto-close reason in its language, any other as it was written. */
export function historyReason(step: Pick<ExceptionTransition, 'reason' | 'auto'>, type: ExceptionType, t: TFunction): string | null {
  if (step.reason === null) return null;
  return step.auto && step.reason === genericAutocloseReason(type) ? t('exceptions.detail.autoclosed', { type: t(`exceptionType.${type}`) }) : step.reason;
}
