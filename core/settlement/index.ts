/** The settlement engine's public API: what the CLI, the worker and the server call. */
export { parseAgreements, versionOn, AgreementVersion, Terms, Share, type AgreementVersionInput } from './agreement.ts';
export { AgreementError, SettlementError, RunInputError, AGREEMENT_ERROR_CODES, SETTLEMENT_EXCEPTION_CODES, type AgreementErrorCode, type SettlementExceptionCode } from './errors.ts';
export { parseEcbRates, parsePairRates, isPairTable, pairRateTable, PAIR_TABLE_HEADER, rateTable, lookupRate, RATE_SIGNIFICANT_DIGITS, RateFileError, type RateTable, type RateQuote, type FxPolicy } from './fx.ts';
export { PartnerLedgerState, initialLedgerState, parseLedgerState } from './state.ts';
export { runSettlement, statementHash, type RunInput, type RunResult, type SettlementException, type Engine } from './run.ts';
export { STATEMENT_SCHEMA, type Statement, type StatementGroup, type StatementLine, type StatementTotals, type Adjustment, type AdjustmentCode } from './statement.ts';
export { buildJournal, journalEntryOf, isBalanced, imbalances, type JournalEntry, type Posting } from './journal.ts';
export { diffRuns, type RunDiff, type StatementDiff } from './diff.ts';
export type { Period, MissingRate } from './base.ts';
export type { BlockedPeriod } from './blocked.ts';
