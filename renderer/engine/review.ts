import { netAndGrossOf, unmatchedGroupKey, unmatchedGroups, type UnmatchedGroup, type UnmatchedSide } from '../../core/exceptions/from-reconcile.ts';
import { isCurrencyCode } from '../../core/money/index.ts';
import { reconcile, type MatchGroup, type ReconcileResult, type Suggestion } from '../../core/reconcile/index.ts';
import type { Statement, StatementLine } from '../../core/settlement/statement.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { rateTable } from '../../core/settlement/fx.ts';
import type { PreviewRequest } from '../src/screens/partners/partners-worker-protocol.ts';
import { previewAgreementChange, type Preview } from '../src/screens/partners/preview.ts';
import type { ItemSide } from './unmatched-items.ts';
import type { GroupRow } from './group-pages.ts';
import { groupFoundAs } from './group-found-as.ts';
import { busiestMonthOf } from '../src/screens/partners/preview-source.ts';
import { transactionsBehind } from '../src/screens/settlements/statement-lines.ts';

/**
 * The month the worker holds, reconciled once (two-way PSP <-> bank): the dashboard's analysis
 * and the review screens read the same result, and the screens ask for the rows they show (by id,
 * by partner) instead of holding the month on the main thread.
 */
const PSP_FORMATS: ReadonlySet<string> = new Set(['stripe', 'adyen', 'paypal']);
const BANK_FORMATS: ReadonlySet<string> = new Set(['camt.052', 'camt.053', 'camt.054', 'mt940', 'bai2', 'ofx', 'csv']);

export interface ReconciledMonth {
  readonly transactions: readonly CanonicalTransaction[];
  readonly byId: ReadonlyMap<string, CanonicalTransaction>;
  readonly psp: readonly CanonicalTransaction[];
  readonly bank: readonly CanonicalTransaction[];
  /** null without any PSP or bank row. */
  readonly result: ReconcileResult | null;
}

export function reconciledMonthOf(transactions: readonly CanonicalTransaction[]): ReconciledMonth {
  const psp = transactions.filter((tx) => PSP_FORMATS.has(tx.source.format));
  const bank = transactions.filter((tx) => BANK_FORMATS.has(tx.source.format));
  const result = psp.length > 0 || bank.length > 0 ? reconcile({ psp, bank }) : null;
  return { transactions, byId: new Map(transactions.map((tx) => [tx.id, tx])), psp, bank, result };
}

/** The part of the reconciliation the Reconciliation screen shows (PSP <-> bank leg); its groups are asked a block at a time (match-groups). */
export interface ReviewReconciliation {
  readonly groupCount: number;
  /** How many suggestions the leg made: they are asked a block at a time (suggestions). */
  readonly suggestionCount: number;
  /** How many PSP lines the bank does not show, and bank lines nothing explains (hand-matched ones included): the items are asked a block at a time (unmatched-items). */
  readonly unmatchedPspCount: number;
  readonly unmatchedBankCount: number;
}

/** What the review screens show of the month without its rows. */
export interface ReviewFacts {
  /** null when one side is empty: nothing to reconcile (the Reconciliation screen says so). */
  readonly reconciliation: ReviewReconciliation | null;
  /** The month of the first partner-attributed row: the Settlements screen's default period. */
  readonly firstPartnerMonth: string | null;
  /** The month most partner-attributed rows fall in: the Partners preview's period before any run. */
  readonly busiestPartnerMonth: string | null;
}

/** The result when both sides have rows: with one side empty there is nothing to reconcile. */
function twoSided(month: ReconciledMonth): ReconcileResult | null {
  return month.psp.length === 0 || month.bank.length === 0 ? null : month.result;
}

/** The PSP <-> bank leg's matched groups (none with one side empty). */
function matchedGroupsOf(month: ReconciledMonth): readonly MatchGroup[] {
  return twoSided(month)?.legs.pspBank.groups ?? [];
}

// Each month's groups with what finds them in the PSP's and bank's records, built on the first question and kept with the month.
const groupRowsOfMonth = new WeakMap<ReconciledMonth, readonly GroupRow[]>();

/** The PSP <-> bank leg's matched groups as the screen's grid pages them: each with its records' references and dates (group-found-as.ts). */
export function groupRowsOf(month: ReconciledMonth): readonly GroupRow[] {
  const kept = groupRowsOfMonth.get(month);
  if (kept !== undefined) return kept;
  const rows = matchedGroupsOf(month).map((group) => ({ ...group, foundAs: groupFoundAs(group, month.byId) }));
  groupRowsOfMonth.set(month, rows);
  return rows;
}

/** The PSP <-> bank leg's suggestions (none with one side empty). */
export function suggestionsOf(month: ReconciledMonth): readonly Suggestion[] {
  return twoSided(month)?.legs.pspBank.suggestions ?? [];
}

export function reviewFactsOf(month: ReconciledMonth): ReviewFacts {
  const first = month.transactions.find((tx) => tx.partnerId !== null);
  const result = twoSided(month);
  return {
    reconciliation: result === null ? null : { groupCount: result.legs.pspBank.groups.length, suggestionCount: result.legs.pspBank.suggestions.length, unmatchedPspCount: result.unmatched.pspUnsettled.length, unmatchedBankCount: result.unmatched.bank.length },
    firstPartnerMonth: first === undefined ? null : first.occurredAt.slice(0, 7),
    busiestPartnerMonth: busiestMonthOf(month.transactions),
  };
}

/** The rows a statement line counted (its drill-down): how many, and the first `max` of them. */
export interface RowsBehind {
  readonly count: number;
  readonly rows: readonly CanonicalTransaction[];
}

export function rowsBehind(month: ReconciledMonth, statement: Statement, line: StatementLine, max: number): RowsBehind {
  const behind = transactionsBehind(statement, line, month.transactions);
  return { count: behind.length, rows: behind.slice(0, max) };
}

/** The Partners screen's preview of an edited agreement, settled over the partner's rows of the month. */
export function agreementPreview(month: ReconciledMonth, request: PreviewRequest): Preview {
  const { rates, ...rest } = request;
  const partnerId = request.current.partnerId;
  return previewAgreementChange({ ...rest, transactions: month.transactions.filter((tx) => tx.partnerId === partnerId), rates: rateTable(rates.quotes, rates.source, rates.base) });
}

/** The rows of the given ids the month holds, in the ids' order (an unknown id is skipped). */
export function rowsById(month: ReconciledMonth, ids: readonly string[]): CanonicalTransaction[] {
  return ids.flatMap((id) => {
    const tx = month.byId.get(id);
    return tx === undefined ? [] : [tx];
  });
}

/** A grouped unmatched exception's rows (its details: side, account or '', currency, day), a page of them. */
export interface UnmatchedRowsQuery {
  readonly side: UnmatchedSide;
  readonly account: string;
  readonly currency: string;
  readonly date: string;
  readonly startRow: number;
  readonly endRow: number;
}

// The month's unmatched rows by group, built on the first question and kept with the month it indexes.
const groupsOfMonth = new WeakMap<ReconciledMonth, Map<string, UnmatchedGroup>>();

/** The month's unmatched rows by side, account, currency and day: the analysis raises its exceptions from them, a grouped one's rows are read from them. */
export function unmatchedGroupsOf(month: ReconciledMonth): ReadonlyMap<string, UnmatchedGroup> {
  if (month.result === null) return new Map();
  const groups = groupsOfMonth.get(month) ?? unmatchedGroups(month.result, [...month.psp, ...month.bank]);
  groupsOfMonth.set(month, groups);
  return groups;
}

/** A grouped exception's rows as the month has them now: how many are still open and their exact net and gross (as the exception was raised with), and one page of them. */
export interface GroupRowsNow extends RowsBehind {
  /** Sums in the group's currency with its digits, as core raised the exception's net and gross; '' for a currency code the desk does not know. */
  readonly net: string;
  readonly gross: string;
}

/** How many unmatched rows the group has now, their net and gross, and those of startRow..endRow (the rows a grouped exception stands for); rows matched by hand since are not among them. */
export function unmatchedRows(month: ReconciledMonth, query: UnmatchedRowsQuery, handMatched: ReadonlySet<string>): GroupRowsNow {
  const all = unmatchedGroupsOf(month).get(unmatchedGroupKey(query))?.rows ?? [];
  const rows = handMatched.size === 0 ? all : all.filter((tx) => !handMatched.has(tx.id));
  const { net, gross } = isCurrencyCode(query.currency) ? netAndGrossOf(query.currency, rows) : { net: '', gross: '' };
  return { count: rows.length, rows: rows.slice(query.startRow, query.endRow), net, gross };
}

// Each side's unmatched items of the month, built on the first question and kept with the month.
const itemsOfMonth = new WeakMap<ReconciledMonth, Record<ItemSide, readonly CanonicalTransaction[]>>();

/** The PSP <-> bank leg's unmatched items of one side, in the reconciliation's order (none with one side empty). */
export function unmatchedItemsOf(month: ReconciledMonth, side: ItemSide): readonly CanonicalTransaction[] {
  let items = itemsOfMonth.get(month);
  if (items === undefined) {
    const result = twoSided(month);
    items = { psp: rowsById(month, result?.unmatched.pspUnsettled ?? []), bank: rowsById(month, result?.unmatched.bank ?? []) };
    itemsOfMonth.set(month, items);
  }
  return items[side];
}
