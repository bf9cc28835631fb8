import type { CanonicalTransaction } from '../transactions/schema.ts';
import { compareText } from './assign.ts';
import type { GroupMembers } from './match.ts';
import type { PspPayout } from './psp-view.ts';

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
  /** The PSP lines the row was matched to, in code-unit order (as the group lists them). */
  readonly pspIds: readonly string[];
}

/** Whether the ids, in code-unit order (PspPayout's lists), hold `id`: a binary search, no map of every PSP line. */
function holds(sorted: readonly string[], id: string): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = sorted[middle] as string;
    if (found === id) return true;
    if (found < id) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

function nameOf(payout: PspPayout): string {
  return payout.batchId ?? (payout.payoutIds[0] as string);
}

/**
 * The payout that took a PSP line. A line sits only in a payout of its own batch id (pspBankView
 * puts a batched line in its batch's payout, a line without one in a sweep payout, which has
 * none): the line's batch id narrows the payouts to a few (one per currency), whose sorted lists
 * are searched, instead of a map of two million line ids alive through the output.
 */
class PayoutOfLine {
  private readonly byBatch = new Map<string, PspPayout[]>();
  private readonly sweepOf = new Map<string, string>();

  constructor(pspPayouts: readonly PspPayout[]) {
    for (const payout of pspPayouts) {
      if (payout.batchId === null) {
        const name = nameOf(payout);
        for (const id of payout.lineIds) this.sweepOf.set(id, name);
        for (const id of payout.payoutIds) this.sweepOf.set(id, name);
        continue;
      }
      const known = this.byBatch.get(payout.batchId);
      if (known === undefined) this.byBatch.set(payout.batchId, [payout]);
      else known.push(payout);
    }
  }

  of(line: CanonicalTransaction): string | undefined {
    const batchId = line.references.batchId;
    if (batchId === null) return this.sweepOf.get(line.id);
    for (const payout of this.byBatch.get(batchId) ?? []) if (holds(payout.lineIds, line.id) || holds(payout.payoutIds, line.id)) return batchId;
    return undefined;
  }
}

/** What finding expectations reads: leg internal-psp's groups by member position, its two sides, and what a ledger row expects. */
export interface ExpectationInput {
  readonly members: () => Iterable<GroupMembers>;
  /** The leg's left side (the ledger) and right side (the PSP lines), in the positions `members` gives. */
  readonly ledger: readonly CanonicalTransaction[];
  readonly psp: readonly CanonicalTransaction[];
  readonly pspPayouts: readonly PspPayout[];
  /** The payout a ledger row expects, or null. */
  readonly expectedOf: (row: CanonicalTransaction) => string | null;
}

/** The payout every one of the lines is in, when they are all in the same one; else null. */
function onlyPayout(psp: readonly CanonicalTransaction[], lines: readonly number[], payoutOf: PayoutOfLine): string | null {
  let only: string | null = null;
  for (const line of lines) {
    const payout = payoutOf.of(psp[line] as CanonicalTransaction);
    if (payout === undefined || (only !== null && payout !== only)) return null;
    only = payout;
  }
  return only;
}

/** Every expectation of leg internal-psp's groups not met, by ledger id. */
export function payoutExpectations(input: ExpectationInput): PayoutExpectation[] {
  const { ledger, psp, expectedOf } = input;
  const payoutOf = new PayoutOfLine(input.pspPayouts);
  const found: PayoutExpectation[] = [];
  for (const group of input.members()) {
    let single: string | null | undefined;
    let paid: string[] | null = null;
    for (const position of group.left) {
      const row = ledger[position] as CanonicalTransaction;
      const expected = expectedOf(row);
      if (expected === null) continue;
      // Most groups are paid in one payout, found without building a list (a million groups).
      if (single === undefined) single = onlyPayout(psp, group.right, payoutOf);
      if (single === expected) continue;
      paid ??= [...new Set(group.right.flatMap((line) => payoutOf.of(psp[line] as CanonicalTransaction) ?? []))].sort(compareText);
      if (paid.length === 1 && paid[0] === expected) continue;
      found.push({ ledgerId: row.id, expected, paidIn: paid, pspIds: group.right.map((line) => (psp[line] as CanonicalTransaction).id).sort() });
    }
  }
  return found.sort((a, b) => compareText(a.ledgerId, b.ledgerId));
}
