import { assert } from '../assert.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { compareText } from './assign.ts';
import { detailBankBatches, type BankBatch, type BankBatchOutcome } from './bank-batches.ts';
import { ReconcileInputError } from './errors.ts';
import { RateTable, type FxRate } from './fx.ts';
import { dateOf, dayNumber, type FxMissing } from './leg.ts';
import { matchLeg, matchLegCompact, type CompactLegResult, type LegOptions, type LegResult } from './match.ts';
import { pspBankView, type PspBankView, type PspPayout } from './psp-view.ts';
import { parseRules, type ReconcileRules, type ReconcileRulesInput } from './rules.ts';

/**
 * Three-way reconciliation: internal ledger <-> PSP settlement report <-> bank statement, as
 * three two-sided legs run in order:
 * 1. internal-psp: every internal transaction against the PSP's lines as reported (sales, refunds,
 *    fees, payouts).
 * 2. psp-bank: what the bank should see of the PSP reports (psp-view.ts): each payout line negated
 *    (money leaving the PSP is a credit at the bank), standing for the detail lines it pays out;
 *    a batch without a payout line as its detail lines (the batch sum). Detail lines no payout has
 *    taken yet are not compared with the bank. Bank remittance text is searched for references.
 * 3. internal-bank: internal items left over by leg 1 against bank lines left over by leg 2
 *    (direct transfers that never went through a PSP).
 * A bank entry that books a batch whose details are given and add up is matched as its details
 * (bank-batches.ts); `bankBatches` says for every batch how it was linked and checked.
 * Without `internal` (a two-way PSP <-> bank run) only leg 2 runs. Every internal item ends in
 * leg 1, leg 3 or `unmatched.internal`; every bank line in leg 2, leg 3 or `unmatched.bank`.
 * `unmatched` holds what needs a person (exceptions are raised from it); `pending` holds PSP money
 * that is not expected at the bank yet, which is not an error.
 */
export interface ReconcileInput {
  /** Absent for a two-way PSP <-> bank run: legs 1 and 3 are then not run (null in the result). */
  readonly internal?: readonly CanonicalTransaction[];
  readonly psp: readonly CanonicalTransaction[];
  readonly bank: readonly CanonicalTransaction[];
  /** Rates for the fx rule; only pairs listed in rules.fx.pairs are ever used. */
  readonly fxRates?: readonly FxRate[];
  /**
   * The bank statements' ends (camt ToDtTm, else the closing balance's date): how far each
   * currency's statements reach, which is what "in transit" is judged against. Without them the
   * last bank line of the currency stands in (a CSV export states no end).
   */
  readonly bankStatements?: readonly BankStatementEnd[];
  /**
   * Batch bookings with their details (camt TxDtls of the entry, or a camt.054): a detailed entry
   * is matched as its detail lines when they add up to it (bank-batches.ts).
   */
  readonly bankBatches?: readonly BankBatch[];
}

export interface BankStatementEnd {
  readonly account: string;
  readonly currency: string;
  /** YYYY-MM-DD: the last day the statement covers. */
  readonly endDate: string;
}

/** The result with each leg as `Leg`: LegResult (every group built) or CompactLegResult (groups built when read). */
export interface ReconcileResultOf<Leg> {
  readonly rules: ReconcileRules;
  /** In legs.pspBank, payout lines appear with the bank's sign (negated); ids are the PSP lines' own. */
  readonly legs: { readonly internalPsp: Leg | null; readonly pspBank: Leg; readonly internalBank: Leg | null };
  readonly unmatched: {
    /** null in a two-way run (no internal ledger given). */
    readonly internal: string[] | null;
    /** PSP lines no internal item explains; null in a two-way run. */
    readonly psp: string[] | null;
    /** PSP money the bank should show and does not: payout lines (not in transit) and detail lines of batches without a payout line. */
    readonly pspUnsettled: string[];
    readonly bank: string[];
  };
  readonly pending: {
    /** Detail lines no payout has taken yet (still on the PSP balance). */
    readonly pspNotPaidOut: string[];
    /** Payout lines the bank statements end too early to show (rules.psp.transitDays). */
    readonly pspInTransit: string[];
  };
  /** Every payout line with the detail lines it pays out. */
  readonly pspPayouts: PspPayout[];
  /** Every batch booking given, linked to its bank line and checked against it. */
  readonly bankBatches: BankBatchOutcome[];
  /** The detail lines that stand in for detailed batch entries (their ids appear in legs and unmatched.bank). */
  readonly bankDetails: CanonicalTransaction[];
  readonly fxMissing: FxMissing[];
}

export type ReconcileResult = ReconcileResultOf<LegResult>;
export interface CompactReconcileResult extends ReconcileResultOf<CompactLegResult> {
  /**
   * By position in input.psp: the place in pspPayouts of the payout that took the line, -1 for
   * none (PspBankView.payoutAt). Not in ReconcileResult, which depends only on ids, never on the
   * order of the inputs.
   */
  readonly pspPayoutAt: Int32Array;
}

/** What reconcile reads of a leg's outcome, whichever way its groups are held. */
type LegOutcome = Pick<LegResult, 'unmatchedLeft' | 'unmatchedRight' | 'fxMissing'>;
type MatchLeg<Leg> = (left: readonly CanonicalTransaction[], right: readonly CanonicalTransaction[], rules: ReconcileRules, options: LegOptions) => Leg;

function pick(items: readonly CanonicalTransaction[], ids: readonly string[]): CanonicalTransaction[] {
  if (ids.length === items.length) return [...items];
  const wanted = new Set(ids);
  return items.filter((tx) => wanted.has(tx.id));
}

/**
 * How far the bank statements reach, per currency (day number): the latest statement end where
 * statements are given, else the latest bank line. A later line than the stated end counts too.
 */
function bankReachByCurrency(bank: readonly CanonicalTransaction[], statements: readonly BankStatementEnd[], rules: ReconcileRules): Map<string, number> {
  const reach = new Map<string, number>();
  const extend = (currency: string, day: number): void => {
    const previous = reach.get(currency);
    if (previous === undefined || day > previous) reach.set(currency, day);
  };
  for (const statement of statements) {
    const day = dayNumber(statement.endDate);
    if (Number.isNaN(day) || statement.endDate.length !== 10) {
      throw new ReconcileInputError('reconcile_date_invalid', `bank statement ${statement.account} ${statement.currency}: end date ${JSON.stringify(statement.endDate)} is not a calendar date YYYY-MM-DD`, { ...statement });
    }
    extend(statement.currency, day);
  }
  for (const tx of bank) extend(tx.currency, dayNumber(dateOf(tx, rules.dateFields)));
  return reach;
}

/**
 * Splits the PSP lines leg 2 left unmatched into payouts in transit and the rest. A payout dated
 * D is due at the bank on D + rules.psp.transitDays: due after the statements' reach of its
 * currency, it is in transit; due within it and not shown, it is missing (an exception). Only
 * payout lines can be in transit: a batch without one has not been declared paid.
 */
function splitInTransit(leftover: readonly string[], view: PspBankView, reachOf: () => ReadonlyMap<string, number>, rules: ReconcileRules): { missing: string[]; inTransit: string[] } {
  if (view.payouts.length === 0 || leftover.length === 0) return { missing: [...leftover], inTransit: [] };
  const payouts = new Map<string, CanonicalTransaction>();
  for (const tx of view.items) if (tx.kind === 'payout') payouts.set(tx.id, tx);
  if (!leftover.some((id) => payouts.has(id))) return { missing: [...leftover], inTransit: [] };
  const reach = reachOf();
  const missing: string[] = [];
  const inTransit: string[] = [];
  for (const id of leftover) {
    const payout = payouts.get(id);
    const last = payout === undefined ? undefined : reach.get(payout.currency);
    if (payout === undefined || last === undefined || dayNumber(dateOf(payout, rules.dateFields)) + rules.psp.transitDays <= last) missing.push(id);
    else inTransit.push(id);
  }
  return { missing, inTransit };
}

export function reconcile(input: ReconcileInput, rulesInput: ReconcileRulesInput | ReconcileRules = {}): ReconcileResult {
  return reconcileWith(input, rulesInput, matchLeg).result;
}

/**
 * reconcile with each leg's groups left compact (built one at a time when read, in the same
 * order): for a caller that writes a million groups out and need not hold them all at once.
 */
export function reconcileCompact(input: ReconcileInput, rulesInput: ReconcileRulesInput | ReconcileRules = {}): CompactReconcileResult {
  const { result, payoutAt } = reconcileWith(input, rulesInput, matchLegCompact);
  return { ...result, pspPayoutAt: payoutAt };
}

function reconcileWith<Leg extends LegOutcome>(input: ReconcileInput, rulesInput: ReconcileRulesInput | ReconcileRules, match: MatchLeg<Leg>): { result: ReconcileResultOf<Leg>; payoutAt: Int32Array } {
  const rules = parseRules(rulesInput);
  const rates = new RateTable(input.fxRates ?? []);
  const internalPsp = input.internal === undefined ? null : match(input.internal, input.psp, rules, { name: 'internal-psp', scanText: { left: false, right: false }, rates });
  const detailed = detailBankBatches(input.bank, input.bankBatches ?? []);
  const bank = detailed.bank;
  const view = pspBankView(input.psp);
  const pspBank = match(view.items, bank, rules, { name: 'psp-bank', scanText: { left: false, right: true }, rates });
  const { missing, inTransit } = splitInTransit(pspBank.unmatchedLeft, view, () => bankReachByCurrency(input.bank, input.bankStatements ?? [], rules), rules);
  assert(missing.length + inTransit.length === pspBank.unmatchedLeft.length, 'every PSP leftover of leg 2 is missing or in transit');
  let internalBank: Leg | null = null;
  if (input.internal !== undefined && internalPsp !== null) {
    const internalLeft = pick(input.internal, internalPsp.unmatchedLeft);
    const bankLeft = pick(bank, pspBank.unmatchedRight);
    internalBank = match(internalLeft, bankLeft, rules, { name: 'internal-bank', scanText: { left: false, right: true }, rates });
    assert(internalBank.unmatchedLeft.length <= internalPsp.unmatchedLeft.length, 'leg 3 only sees leg 1 leftovers');
  }
  const legs = [internalPsp, pspBank, internalBank].filter((leg): leg is Leg => leg !== null);
  const fxMissing = legs.flatMap((leg) => leg.fxMissing).sort((a, b) => compareText(`${a.date}|${a.from}|${a.to}`, `${b.date}|${b.from}|${b.to}`));
  const result: ReconcileResultOf<Leg> = {
    rules,
    legs: { internalPsp, pspBank, internalBank },
    unmatched: {
      internal: internalBank?.unmatchedLeft ?? null,
      psp: internalPsp?.unmatchedRight ?? null,
      pspUnsettled: missing,
      bank: internalBank?.unmatchedRight ?? pspBank.unmatchedRight,
    },
    pending: { pspNotPaidOut: view.notPaidOut, pspInTransit: inTransit },
    pspPayouts: view.payouts,
    bankBatches: detailed.outcomes,
    bankDetails: detailed.details,
    fxMissing,
  };
  return { result, payoutAt: view.payoutAt };
}
