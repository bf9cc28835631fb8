/**
 * Public API of reconciliation (used by `settledesk reconcile`, the desk and the server):
 * - reconcile(input, rules): three-way internal <-> PSP <-> bank, or two-way PSP <-> bank when
 *   `internal` is absent (reconcile.ts);
 * - pspBankView(psp): what the bank should see of PSP reports: payouts, their lines, what is not paid out (psp-view.ts);
 * - detailBankBatches(bank, batches): batch bookings linked to their bank lines and, when their
 *   details add up, replaced by them (bank-batches.ts; reconcile does this with input.bankBatches);
 * - reconcileCompact: the same with each leg's groups built one at a time when read (the CLI at a million groups);
 * - matchLeg(left, right, rules, options): one two-sided match (match.ts); matchLegCompact leaves its groups compact;
 * - parseRules / ReconcileRules: the rule set with defaults; rulesForLeg: one leg's tolerances folded in (rules.ts);
 * - varianceOf: a group's difference broken down (variance.ts).
 */
export { reconcile, reconcileCompact, type BankStatementEnd, type CompactReconcileResult, type ReconcileInput, type ReconcileResult } from './reconcile.ts';
export { detailBankBatches, type BankBatch, type BankBatchDetail, type BankBatchOutcome, type BankBatchStatus } from './bank-batches.ts';
export { pspBankView, type PspBankView, type PspPayout } from './psp-view.ts';
export { matchLeg, matchLegCompact, type CompactLegResult, type LegOptions, type LegResult, type MatchGroup } from './match.ts';
export { parseRules, rulesForLeg, ReconcileRules, LEG_NAMES, RULE_KINDS, DATE_FIELDS, FxPair, type ReconcileRulesInput, type RuleKind, type DateField } from './rules.ts';
export { RateTable, FxRate, convertMinor } from './fx.ts';
export { varianceOf, type VarianceBreakdown, type VarianceInput } from './variance.ts';
export type { Suggestion, SuggestionReason } from './suggest.ts';
export type { FxApplied, FxMissing, MatchRule } from './leg.ts';
export { ReconcileInputError, type ReconcileErrorCode } from './errors.ts';
