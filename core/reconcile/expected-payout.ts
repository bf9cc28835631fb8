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

/** What finding expectations reads: leg internal-psp's groups by member position, its two sides, and what a ledger row expects. */
export interface ExpectationInput {
  readonly members: () => Iterable<GroupMembers>;
  /** The leg's left side (the ledger) and right side (the PSP lines), in the positions `members` gives. */
  readonly ledger: readonly CanonicalTransaction[];
  readonly psp: readonly CanonicalTransaction[];
  readonly pspPayouts: readonly PspPayout[];
  /** By position in `psp`: the place in `pspPayouts` of the payout that took the line, -1 for none (PspBankView.payoutAt). */
  readonly payoutAt: Int32Array;
  /** The payout a ledger row expects, or null. */
  readonly expectedOf: (row: CanonicalTransaction) => string | null;
}

/**
 * A PSP line's payout by name (its batch id, else its first payout line id), undefined when no
 * payout took it: one slot by position, where a search by id read the line's references and its
 * batch's sorted id lists for each of two million lines.
 */
type PayoutOfLine = (line: number) => string | undefined;

function nameOf(payout: PspPayout): string {
  return payout.batchId ?? (payout.payoutIds[0] as string);
}

function payoutOfLine(pspPayouts: readonly PspPayout[], payoutAt: Int32Array): PayoutOfLine {
  // Names are made once per payout; two payouts of one batch (one per currency) share the name.
  const names = pspPayouts.map(nameOf);
  return (line) => {
    const place = payoutAt[line] as number;
    return place < 0 ? undefined : names[place];
  };
}

/** The payout every one of the lines is in, when they are all in the same one; else null. */
function onlyPayout(lines: readonly number[], payoutOf: PayoutOfLine): string | null {
  let only: string | null = null;
  for (const line of lines) {
    const payout = payoutOf(line);
    if (payout === undefined || (only !== null && payout !== only)) return null;
    only = payout;
  }
  return only;
}

/** Every expectation of leg internal-psp's groups not met, by ledger id. */
export function payoutExpectations(input: ExpectationInput): PayoutExpectation[] {
  const { ledger, psp, expectedOf } = input;
  const payoutOf = payoutOfLine(input.pspPayouts, input.payoutAt);
  const found: PayoutExpectation[] = [];
  for (const group of input.members()) {
    let single: string | null | undefined;
    let paid: string[] | null = null;
    for (const position of group.left) {
      const row = ledger[position] as CanonicalTransaction;
      const expected = expectedOf(row);
      if (expected === null) continue;
      // Most groups are paid in one payout, found without building a list (a million groups).
      if (single === undefined) single = onlyPayout(group.right, payoutOf);
      if (single === expected) continue;
      paid ??= [...new Set(group.right.flatMap((line) => payoutOf(line) ?? []))].sort(compareText);
      if (paid.length === 1 && paid[0] === expected) continue;
      found.push({ ledgerId: row.id, expected, paidIn: paid, pspIds: group.right.map((line) => (psp[line] as CanonicalTransaction).id).sort() });
    }
  }
  return found.sort((a, b) => compareText(a.ledgerId, b.ledgerId));
}
