import { Decimal } from '../money/decimal.ts';
import { DecimalSums } from '../money/decimal-sums.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import type { BankBatchOutcome, BankBatchStatus } from '../reconcile/bank-batches.ts';
import type { MatchGroup } from '../reconcile/match.ts';
import type { ReconcileResult } from '../reconcile/reconcile.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { createException, type ExceptionRecord, type NewException, type Severity } from './model.ts';

/**
 * Exceptions raised by a reconciliation: unmatched items (per side), matched groups with an
 * unexplained difference, and missing FX rates. Amounts at risk are exact decimals; severity
 * follows the amount (thresholds in currency units, the same for every currency: a stated
 * simplification until per-currency thresholds are needed).
 */
export interface SeverityThresholds {
  /** At or above: medium. */
  readonly medium: string;
  /** At or above: high. */
  readonly high: string;
  /** At or above: critical. */
  readonly critical: string;
}

export const DEFAULT_SEVERITY_THRESHOLDS: SeverityThresholds = { medium: '100', high: '10000', critical: '1000000' };

export function severityOf(amount: string, thresholds: SeverityThresholds): Severity {
  const value = new Decimal(amount).abs();
  if (value.gte(thresholds.critical)) return 'critical';
  if (value.gte(thresholds.high)) return 'high';
  if (value.gte(thresholds.medium)) return 'medium';
  return 'low';
}

/** A decimal text without its sign (the gross of a group of unmatched rows sums these). */
function absText(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : amount;
}

export const UNMATCHED_SIDES = ['internal', 'psp', 'pspUnsettled', 'bank'] as const;
export type UnmatchedSide = (typeof UNMATCHED_SIDES)[number];
type Side = UnmatchedSide;
const SIDE_TITLE: Readonly<Record<Side, string>> = {
  internal: 'internal transaction not found at the PSP or the bank',
  psp: 'PSP line with no internal transaction',
  pspUnsettled: 'PSP line not yet settled to the bank',
  bank: 'bank movement not explained by the PSP or the internal ledger',
};

function unmatched(side: Side, tx: CanonicalTransaction, thresholds: SeverityThresholds): NewException {
  const amount = absText(tx.amount);
  return {
    type: 'unmatched',
    key: [side, tx.id],
    severity: severityOf(amount, thresholds),
    title: `${SIDE_TITLE[side]}: ${tx.amount} ${tx.currency} on ${tx.occurredAt.slice(0, 10)}`,
    amountAtRisk: { amount, currency: tx.currency },
    partnerId: tx.partnerId,
    period: tx.occurredAt.slice(0, 7),
    sourceRefs: [{ kind: 'transaction', id: tx.id, line: null }],
    // The title's facts as data, so a screen can say it in the analyst's language (signed amount, calendar date).
    details: { side, kind: tx.kind, amount: tx.amount, currency: tx.currency, date: tx.occurredAt.slice(0, 10) },
  };
}

/**
 * Above this many unmatched rows of one side, account, currency and day, one exception stands for
 * them all (its count and exact totals; the rows asked for as a query): a month of a million bank
 * rows with nothing to match is a few hundred exceptions, not a million, while the handful a day
 * of an ordinary month stay one exception each.
 */
export const DEFAULT_GROUP_UNMATCHED_ABOVE = 100;

export interface ReconcileExceptionOptions {
  readonly thresholds?: SeverityThresholds;
  /** Unmatched rows of one side, account, currency and day beyond which they are raised as one grouped exception. */
  readonly groupUnmatchedAbove?: number;
  /** The result's unmatchedGroups when the caller keeps them (to answer a group's rows later): not computed twice. */
  readonly groups?: ReadonlyMap<string, UnmatchedGroup>;
}

/** The unmatched rows of one side, account, currency and day, in the transactions' order. */
export interface UnmatchedGroup {
  readonly side: UnmatchedSide;
  readonly account: string | null;
  readonly currency: string;
  readonly date: string;
  readonly rows: CanonicalTransaction[];
}

/** One text for a group's identity: the grouped exception's key and the worker's index (account null is ''). */
export function unmatchedGroupKey(group: Pick<UnmatchedGroup, 'side' | 'account' | 'currency' | 'date'>): string {
  return [group.side, group.account ?? '', group.currency, group.date].join(SEPARATOR);
}
const SEPARATOR = '\u001f';

/**
 * Every unmatched row of the result by side + account + currency + day. `transactions` must hold
 * every transaction given to reconcile; batch detail lines come with the result. A row unmatched on
 * two sides is in a group of each.
 */
export function unmatchedGroups(result: ReconcileResult, transactions: Iterable<CanonicalTransaction>): Map<string, UnmatchedGroup> {
  const wanted = new Map<string, Side[]>();
  for (const side of UNMATCHED_SIDES) {
    for (const id of result.unmatched[side] ?? []) wanted.set(id, [...(wanted.get(id) ?? []), side]);
  }
  const groups = new Map<string, UnmatchedGroup>();
  const place = (tx: CanonicalTransaction) => {
    for (const side of wanted.get(tx.id) ?? []) {
      const where = { side, account: tx.account, currency: tx.currency, date: tx.occurredAt.slice(0, 10) };
      const key = unmatchedGroupKey(where);
      const group = groups.get(key) ?? { ...where, rows: [] };
      groups.set(key, group);
      group.rows.push(tx);
    }
  };
  for (const tx of transactions) place(tx);
  for (const tx of result.bankDetails) place(tx);
  return groups;
}

/** The key of the grouped exception a side's unmatched row is in when its day is grouped (exceptionId('unmatched', key)). */
export function groupedUnmatchedKey(where: Pick<UnmatchedGroup, 'side' | 'account' | 'currency' | 'date'>): string[] {
  return ['group', where.side, where.account ?? '', where.currency, where.date];
}

/** Unmatched rows' exact net (signed sum) and gross (sum of sizes) in their currency: what a grouped exception says of them. */
export function netAndGrossOf(currency: string, rows: readonly Pick<CanonicalTransaction, 'amount'>[]): { readonly net: string; readonly gross: string } {
  const sums = new DecimalSums(currency, 2);
  for (const tx of rows) {
    sums.add(0, tx.amount);
    sums.add(1, absText(tx.amount));
  }
  return { net: sums.total(0), gross: sums.total(1) };
}

/** Many unmatched rows as one exception: the count, the exact net and gross totals, no row ids (they are asked for by the group's facts). */
function unmatchedGroup(group: UnmatchedGroup, thresholds: SeverityThresholds): NewException {
  const { net, gross } = netAndGrossOf(group.currency, group.rows);
  const partners = new Set(group.rows.map((tx) => tx.partnerId));
  const [partner] = partners;
  const count = String(group.rows.length);
  return {
    type: 'unmatched',
    key: groupedUnmatchedKey(group),
    // Graded by the money the day leaves unexplained either way, not by the net (a refund cancels no risk).
    severity: severityOf(gross, thresholds),
    title: `${count} x ${SIDE_TITLE[group.side]} on ${group.date}${group.account === null ? '' : ` (account ${group.account})`}: ${net} ${group.currency} net, ${gross} ${group.currency} gross`,
    amountAtRisk: { amount: gross, currency: group.currency },
    // One partner's rows still reach that partner's statement; a group of several belongs to none.
    partnerId: partners.size === 1 && partner !== undefined ? partner : null,
    period: group.date.slice(0, 7),
    sourceRefs: [],
    details: { side: group.side, grouped: 'day', account: group.account ?? '', currency: group.currency, date: group.date, count, net, gross, partners: String(partners.size) },
  };
}

function mismatch(leg: string, group: MatchGroup, thresholds: SeverityThresholds): NewException | null {
  const variance = group.variance;
  if (variance === null || new Decimal(variance.unexplained).isZero()) return null;
  const amount = absText(variance.unexplained);
  return {
    type: 'amount_mismatch',
    key: [leg, ...group.leftIds, '|', ...group.rightIds],
    severity: severityOf(amount, thresholds),
    title: `matched by ${group.rule} but ${variance.unexplained} ${variance.currency} is unexplained (difference ${variance.difference})`,
    amountAtRisk: { amount, currency: variance.currency },
    partnerId: null,
    period: null,
    sourceRefs: [{ kind: 'match-group', id: group.id, line: null }, ...[...group.leftIds, ...group.rightIds].map((id) => ({ kind: 'transaction' as const, id, line: null }))],
    details: { leg, rule: group.rule, ...variance },
  };
}

const BATCH_TITLE: Readonly<Record<Exclude<BankBatchStatus, 'detailed'>, string>> = {
  unlinked: 'batch details name no bank line of the statements',
  already_detailed: 'a second set of details for a batch entry already detailed',
  unreadable_details: 'batch entry with details that cannot be read',
  count_mismatch: 'batch entry whose details are not as many as it states',
  total_mismatch: "batch entry whose details do not add up to it",
};

/** A batch booking whose details cannot stand for its entry: said, with the gap where there is one. */
function batchException(batch: BankBatchOutcome, thresholds: SeverityThresholds): NewException | null {
  if (batch.status === 'detailed') return null;
  const gap = batch.detailsTotal === null || batch.entryAmount === null ? null : new Decimal(batch.detailsTotal).minus(batch.entryAmount);
  const amount = gap === null ? null : absText(gap.toFixed(minorUnitsOf(batch.currency ?? 'EUR')));
  const type = batch.status === 'total_mismatch' && amount !== null ? 'amount_mismatch' : 'unmatched';
  return {
    type,
    key: ['bank-batch', batch.fileName, String(batch.entryLine)],
    severity: amount === null ? 'medium' : severityOf(amount, thresholds),
    title: `${BATCH_TITLE[batch.status]}: ${batch.fileName} line ${batch.entryLine}${batch.entryAmount === null ? '' : `, booked ${batch.entryAmount} ${batch.currency ?? ''}`}${batch.detailsTotal === null ? '' : `, details ${batch.detailsTotal}`} (${batch.detailCount} detail(s))`,
    amountAtRisk: amount === null || batch.currency === null ? null : { amount, currency: batch.currency },
    partnerId: null,
    period: null,
    sourceRefs: batch.entryId === null ? [] : [{ kind: 'transaction', id: batch.entryId, line: batch.entryLine }],
    details: {
      kind: 'bank_batch',
      status: batch.status,
      linkedBy: batch.linkedBy ?? '',
      entryAmount: batch.entryAmount ?? '',
      detailsTotal: batch.detailsTotal ?? '',
      problems: batch.problems.join('; '),
      fileName: batch.fileName,
      entryLine: String(batch.entryLine),
      detailCount: String(batch.detailCount),
      currency: batch.currency ?? '',
    },
  };
}

/**
 * `transactions` must hold every transaction given to reconcile (internal, PSP and bank); batch
 * detail lines come with the result. Every unmatched row is in exactly one exception: its own, or
 * its side, account, currency and day's grouped one when that day has more than
 * `groupUnmatchedAbove` of them.
 */
export function exceptionsFromReconcile(result: ReconcileResult, transactions: Iterable<CanonicalTransaction>, at: string, options: ReconcileExceptionOptions = {}): ExceptionRecord[] {
  const thresholds = options.thresholds ?? DEFAULT_SEVERITY_THRESHOLDS;
  const groupAbove = options.groupUnmatchedAbove ?? DEFAULT_GROUP_UNMATCHED_ABOVE;
  const raised: NewException[] = [];
  for (const group of (options.groups ?? unmatchedGroups(result, transactions)).values()) {
    if (group.rows.length > groupAbove) raised.push(unmatchedGroup(group, thresholds));
    else for (const tx of group.rows) raised.push(unmatched(group.side, tx, thresholds));
  }
  for (const batch of result.bankBatches) {
    const exception = batchException(batch, thresholds);
    if (exception !== null) raised.push(exception);
  }
  for (const leg of Object.values(result.legs)) {
    if (leg === null) continue;
    for (const group of leg.groups) {
      const exception = mismatch(leg.leg, group, thresholds);
      if (exception !== null) raised.push(exception);
    }
  }
  for (const missing of result.fxMissing) {
    raised.push({
      type: 'fx_rate_missing',
      key: [missing.date, missing.from, missing.to],
      severity: 'high',
      title: `no ${missing.from}/${missing.to} rate for ${missing.date}: ${missing.transactionIds.length} transaction(s) cannot be matched across currencies`,
      amountAtRisk: null,
      partnerId: null,
      period: missing.date.slice(0, 7),
      sourceRefs: [{ kind: 'fx-rate', id: `${missing.date}|${missing.from}|${missing.to}`, line: null }, ...missing.transactionIds.map((id) => ({ kind: 'transaction' as const, id, line: null }))],
      details: { date: missing.date, from: missing.from, to: missing.to },
    });
  }
  return raised.map((input) => createException(input, at)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Where each transaction id was matched: explains an automatic closing. */
export function matchedIn(result: ReconcileResult): Map<string, MatchGroup> {
  const index = new Map<string, MatchGroup>();
  for (const leg of Object.values(result.legs)) for (const group of leg?.groups ?? []) for (const id of [...group.leftIds, ...group.rightIds]) index.set(id, group);
  return index;
}
