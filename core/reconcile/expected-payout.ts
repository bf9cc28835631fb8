import { compareText } from './assign.ts';
import type { MatchGroup } from './match.ts';
import type { PspPayout } from './psp-view.ts';
import type { ReconcileResult } from './reconcile.ts';

/**
 * "Expected in payout X, paid in Y": the internal ledger may say which PSP payout it expects a
 * row in (the ledger CSV's expected_payout). After a three-way run, a ledger row matched to PSP
 * lines (leg internal-psp) is paid in the payouts that took those lines (PspPayout.lineIds, or
 * the payout line itself); a payout is named by its batch id (Stripe's po_…), else its first
 * payout line id. A row whose PSP lines sit in no payout yet is reported with `paidIn: []`.
 * Rows paid exactly where expected, rows without an expectation and unmatched rows (already in
 * unmatched.internal) are not listed.
 */
export interface PayoutExpectation {
  readonly ledgerId: string;
  readonly expected: string;
  /** The payouts that took the row's PSP lines, in code-unit order; empty when none has yet. */
  readonly paidIn: string[];
  /** The PSP lines the row was matched to. */
  readonly pspIds: readonly string[];
}

/** The payout every one of the lines is in, when they are all in the same one; else null. */
function onlyPayout(lineIds: readonly string[], payoutOfLine: ReadonlyMap<string, string>): string | null {
  let only: string | null = null;
  for (const id of lineIds) {
    const payout = payoutOfLine.get(id);
    if (payout === undefined || (only !== null && payout !== only)) return null;
    only = payout;
  }
  return only;
}

/** What finding expectations reads of a group. */
type GroupMembers = Pick<MatchGroup, 'leftIds' | 'rightIds'>;

/**
 * The expectations of leg internal-psp's groups, fed one at a time (a caller writing a million
 * groups out builds each once); `expectedOf` maps a ledger transaction id to the payout it
 * expects (only ids with one).
 */
export class PayoutExpectationFinder {
  private readonly payoutOfLine = new Map<string, string>();
  private readonly found: PayoutExpectation[] = [];

  constructor(
    pspPayouts: readonly PspPayout[],
    private readonly expectedOf: ReadonlyMap<string, string>,
  ) {
    if (expectedOf.size === 0) return;
    for (const payout of pspPayouts) {
      const name = payout.batchId ?? (payout.payoutIds[0] as string);
      for (const id of payout.lineIds) this.payoutOfLine.set(id, name);
      for (const id of payout.payoutIds) this.payoutOfLine.set(id, name);
    }
  }

  add(group: GroupMembers): void {
    if (this.expectedOf.size === 0) return;
    let paid: string[] | null = null;
    // Most groups are paid in one payout, found without building a list (a million groups).
    const single = onlyPayout(group.rightIds, this.payoutOfLine);
    for (const ledgerId of group.leftIds) {
      const expected = this.expectedOf.get(ledgerId);
      if (expected === undefined || single === expected) continue;
      paid ??= [...new Set(group.rightIds.flatMap((id) => this.payoutOfLine.get(id) ?? []))].sort(compareText);
      if (paid.length === 1 && paid[0] === expected) continue;
      this.found.push({ ledgerId, expected, paidIn: paid, pspIds: group.rightIds });
    }
  }

  /** Every expectation not met, by ledger id. */
  expectations(): PayoutExpectation[] {
    return [...this.found].sort((a, b) => compareText(a.ledgerId, b.ledgerId));
  }
}

/** `expectedOf` maps a ledger transaction id to the payout it expects (only ids with one). */
export function payoutExpectations(result: ReconcileResult, expectedOf: ReadonlyMap<string, string>): PayoutExpectation[] {
  const leg = result.legs.internalPsp;
  if (leg === null || expectedOf.size === 0) return [];
  const finder = new PayoutExpectationFinder(result.pspPayouts, expectedOf);
  for (const group of leg.groups) finder.add(group);
  return finder.expectations();
}
