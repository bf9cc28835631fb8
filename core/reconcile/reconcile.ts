import { assert } from '../assert.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { compareText } from './assign.ts';
import { RateTable, type FxRate } from './fx.ts';
import type { FxMissing } from './leg.ts';
import { matchLeg, type LegResult } from './match.ts';
import { parseRules, type ReconcileRules, type ReconcileRulesInput } from './rules.ts';

/**
 * Three-way reconciliation: internal ledger <-> PSP settlement report <-> bank statement, as
 * three two-sided legs run in order:
 * 1. internal-psp: every internal transaction against the PSP's lines (sales, refunds, fees, payouts).
 * 2. psp-bank: the PSP's money against the bank. A PSP payout line (kind 'payout') restates the
 *    total of its batch; when the batch's detail lines are in the report they are what the bank
 *    credit is compared with (batch = sales - fees - refunds), so the payout line stays out of
 *    this leg (it was matched to the internal ledger in leg 1). A payout line whose batch has no
 *    detail lines represents the batch here. Bank remittance text is searched for references.
 * 3. internal-bank: internal items left over by leg 1 against bank lines left over by leg 2
 *    (direct transfers that never went through a PSP).
 * Without `internal` (a two-way PSP <-> bank run) only leg 2 runs. Every internal item ends in
 * leg 1, leg 3 or `unmatched.internal`; every bank line in leg 2,
 * leg 3 or `unmatched.bank` (asserted). A PSP line appears in leg 1 and, if it is money the
 * bank should see, in leg 2; `unmatched.psp` lists lines no internal item explains and
 * `unmatched.pspUnsettled` lines no bank movement has settled yet.
 */
export interface ReconcileInput {
  /** Absent for a two-way PSP <-> bank run: legs 1 and 3 are then not run (null in the result). */
  readonly internal?: readonly CanonicalTransaction[];
  readonly psp: readonly CanonicalTransaction[];
  readonly bank: readonly CanonicalTransaction[];
  /** Rates for the fx rule; only pairs listed in rules.fx.pairs are ever used. */
  readonly fxRates?: readonly FxRate[];
}

export interface ReconcileResult {
  readonly rules: ReconcileRules;
  readonly legs: { readonly internalPsp: LegResult | null; readonly pspBank: LegResult; readonly internalBank: LegResult | null };
  readonly unmatched: {
    /** null in a two-way run (no internal ledger given). */
    readonly internal: string[] | null;
    readonly psp: string[] | null;
    readonly pspUnsettled: string[];
    readonly bank: string[];
  };
  readonly fxMissing: FxMissing[];
}

/** PSP lines the bank should see: detail lines, plus payout lines of batches without detail lines. */
export function pspMoneyForBank(psp: readonly CanonicalTransaction[]): readonly CanonicalTransaction[] {
  const batchesWithDetail = new Set<string>();
  const payoutBatches: string[] = [];
  let lastBatch: string | null = null;
  for (const tx of psp) {
    const batchId = tx.references.batchId;
    if (batchId === null) continue;
    if (tx.kind === 'payout') payoutBatches.push(batchId);
    else if (batchId !== lastBatch) {
      batchesWithDetail.add(batchId);
      lastBatch = batchId;
    }
  }
  // Usually no payout line restates a batch with details: then the report is used as it is.
  if (!payoutBatches.some((batchId) => batchesWithDetail.has(batchId))) return psp;
  return psp.filter((tx) => tx.kind !== 'payout' || tx.references.batchId === null || !batchesWithDetail.has(tx.references.batchId));
}

function pick(items: readonly CanonicalTransaction[], ids: readonly string[]): CanonicalTransaction[] {
  if (ids.length === items.length) return [...items];
  const wanted = new Set(ids);
  return items.filter((tx) => wanted.has(tx.id));
}

export function reconcile(input: ReconcileInput, rulesInput: ReconcileRulesInput | ReconcileRules = {}): ReconcileResult {
  const rules = parseRules(rulesInput);
  const rates = new RateTable(input.fxRates ?? []);
  const internalPsp = input.internal === undefined ? null : matchLeg(input.internal, input.psp, rules, { name: 'internal-psp', scanText: { left: false, right: false }, rates });
  const pspBank = matchLeg(pspMoneyForBank(input.psp), input.bank, rules, { name: 'psp-bank', scanText: { left: false, right: true }, rates });
  let internalBank: LegResult | null = null;
  if (input.internal !== undefined && internalPsp !== null) {
    const internalLeft = pick(input.internal, internalPsp.unmatchedLeft);
    const bankLeft = pick(input.bank, pspBank.unmatchedRight);
    internalBank = matchLeg(internalLeft, bankLeft, rules, { name: 'internal-bank', scanText: { left: false, right: true }, rates });
    assert(internalBank.unmatchedLeft.length <= internalPsp.unmatchedLeft.length, 'leg 3 only sees leg 1 leftovers');
  }
  const legs = [internalPsp, pspBank, internalBank].filter((leg): leg is LegResult => leg !== null);
  const fxMissing = legs.flatMap((leg) => leg.fxMissing).sort((a, b) => compareText(`${a.date}|${a.from}|${a.to}`, `${b.date}|${b.from}|${b.to}`));
  return {
    rules,
    legs: { internalPsp, pspBank, internalBank },
    unmatched: {
      internal: internalBank?.unmatchedLeft ?? null,
      psp: internalPsp?.unmatchedRight ?? null,
      pspUnsettled: pspBank.unmatchedLeft,
      bank: internalBank?.unmatchedRight ?? pspBank.unmatchedRight,
    },
    fxMissing,
  };
}
