import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRules, reconcileCompact, ReconcileRules, type CompactLegResult, type CompactReconcileResult, type FxRate, type Suggestion } from '../../core/reconcile/index.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import type { Command, ParsedCommandArgs } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.ts';
import { LEDGER_EXPECTED_PAYOUT } from '../../core/importers/ledger-csv.ts';
import { payoutExpectations, type PayoutExpectation } from '../../core/reconcile/expected-payout.ts';
import { bankBatchesOf, bankStatementEnds } from '../bank-statements.ts';
import { loadTransactions, transactionReading, type TransactionReading } from '../load-transactions.ts';
import { jsonChunks, LazyJson, ndjsonChunks, type RawJsonElements } from '../json-stream.ts';
import { groupTexts } from '../reconcile-group-texts.ts';
import { GroupTally, LISTED_ROWS_MAX, type DifferingGroup } from '../reconcile-tally.ts';
import { table, type Output } from '../output.ts';
import { loadRates } from '../settlement-inputs.ts';
import { DEFAULT_WORKSPACE } from '../workspace.ts';
import { SettleDeskError } from '../../core/errors.ts';

/** ECB quotes (units per 1 EUR) as reconciliation rates EUR -> currency. */
function reconcileRates(file: string | undefined): FxRate[] {
  if (file === undefined) return [];
  const table = loadRates(file);
  return [...table.quotes.entries()].flatMap(([date, row]) => [...row.entries()].map(([currency, rate]) => ({ date, from: table.base, to: currency, rate })));
}

/** The rules file, validated here so a bad option is a usage-level error naming its path, not a crash. */
function readRules(file: string | undefined): ReconcileRules {
  if (file === undefined) return parseRules({});
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new SettleDeskError('rules_invalid', `${file}: cannot read reconciliation rules (${(error as Error).message})`, { file });
  }
  const parsed = ReconcileRules.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
    throw new SettleDeskError('rules_invalid', `${file}: invalid reconciliation rules${where}: ${issue?.message ?? 'not a rule set'}`, { file }, { path: issue?.path.map(String) ?? [] });
  }
  return parsed.data;
}

/** Source columns reconcile reads from `raw`; the rest are dropped as files are read. */
const RAW_KEPT: ReadonlySet<string> = new Set<string>([LEDGER_EXPECTED_PAYOUT]);

/** The payout a ledger row expects (the ledger CSV's expected_payout), or null. */
function expectedPayout(row: CanonicalTransaction): string | null {
  const payout = row.raw[LEDGER_EXPECTED_PAYOUT]?.trim() ?? '';
  return payout.length > 0 ? payout : null;
}

function printExpectations(output: Output, expectations: readonly PayoutExpectation[], byId: ReadonlyMap<string, CanonicalTransaction>): void {
  if (expectations.length === 0) return;
  output.line('\nLedger rows not paid in the payout they expect:');
  const rows = expectations.slice(0, LISTED_ROWS_MAX).map((item) => {
    const tx = byId.get(item.ledgerId);
    const paid = item.paidIn.length === 0 ? 'not paid out yet' : `paid in ${item.paidIn.join(', ')}`;
    return [item.ledgerId, tx === undefined ? null : (tx.valueDate ?? tx.bookingDate ?? tx.occurredAt).slice(0, 10), tx?.amount, tx?.currency, `expected in payout ${item.expected}, ${paid}`];
  });
  output.line(table(['ledger id', 'date', 'amount', 'ccy', 'payout'], rows));
  if (expectations.length > LISTED_ROWS_MAX) output.line(`... and ${expectations.length - LISTED_ROWS_MAX} more (--json lists every one)`);
}

/** Every group of the legs in order, each built as it is reached and counted by the tally. */
function* tallied(legs: readonly CompactLegResult[], tally: GroupTally): Generator<DifferingGroup> {
  for (const leg of legs) {
    for (const group of leg.groups()) {
      tally.add(group);
      yield { leg: leg.leg, group };
    }
  }
}

/** The date a person looks a line up by: value date, else booking date, else the event's day. */
function dayOf(tx: CanonicalTransaction): string {
  return (tx.valueDate ?? tx.bookingDate ?? tx.occurredAt).slice(0, 10);
}

/** The id a person searches for: a payout's id (Stripe po_…, Adyen batch), a bank line's own reference, else the PSP's id. */
function referenceOf(tx: CanonicalTransaction): string | null {
  const { batchId, externalId, bankReference, endToEndId } = tx.references;
  if (tx.kind === 'payout') return batchId ?? externalId;
  return bankReference ?? externalId ?? endToEndId ?? batchId;
}

/** Where the line is: its file (name only) and line or record number. */
function sourceOf(tx: CanonicalTransaction): string {
  return `${path.basename(tx.source.fileName)}:${tx.source.line}`;
}

/**
 * The differing groups: the first LISTED_ROWS_MAX as a table with what finds each side (the
 * payout or PSP id on the left, the bank's reference, date and file:line on the right), the rest
 * as counts and sums per leg and currency.
 */
function printDiffering(output: Output, tally: GroupTally, byId: ReadonlyMap<string, CanonicalTransaction>): void {
  const rows = tally.listed.map(({ leg, group }) => {
    const left = byId.get(group.leftIds[0] ?? '');
    const right = byId.get(group.rightIds[0] ?? '');
    return [
      leg,
      group.rule,
      group.leftIds.length,
      group.rightIds.length,
      left === undefined ? null : referenceOf(left),
      right === undefined ? null : referenceOf(right),
      right === undefined ? null : dayOf(right),
      right === undefined ? null : sourceOf(right),
      group.leftTotal?.amount ?? null,
      group.rightTotal?.amount ?? null,
      group.currency,
      group.difference,
      group.variance?.tolerated ?? '0',
      group.variance?.unexplained ?? '0',
    ];
  });
  if (rows.length === 0) return;
  output.line('\nGroups whose amounts differ:');
  output.line(table(['leg', 'rule', 'left', 'right', 'left ref', 'right ref', 'right date', 'right source', 'left total', 'right total', 'ccy', 'difference', 'tolerated', 'unexplained'], rows));
  const rest = tally.restLine();
  if (rest !== null) output.line(rest);
}

function listLines(output: Output, title: string, ids: readonly string[], byId: ReadonlyMap<string, CanonicalTransaction>): void {
  if (ids.length === 0) return;
  output.line(`\n${title}:`);
  const rows = ids.slice(0, LISTED_ROWS_MAX).map((id) => {
    const tx = byId.get(id);
    return [id, tx?.kind, tx === undefined ? null : dayOf(tx), tx?.amount, tx?.currency, tx === undefined ? null : referenceOf(tx), tx === undefined ? null : sourceOf(tx), tx?.description];
  });
  output.line(table(['id', 'kind', 'date', 'amount', 'ccy', 'reference', 'source', 'description'], rows));
  if (ids.length > LISTED_ROWS_MAX) output.line(`... and ${ids.length - LISTED_ROWS_MAX} more (--json lists every one)`);
}

/** The transactions behind the listed ids (only the first LISTED_ROWS_MAX of each list are shown), found in one pass. */
function transactionsById(lists: readonly (readonly string[])[], sources: readonly (readonly CanonicalTransaction[])[]): Map<string, CanonicalTransaction> {
  const wanted = new Set(lists.flatMap((ids) => ids.slice(0, LISTED_ROWS_MAX)));
  const found = new Map<string, CanonicalTransaction>();
  if (wanted.size === 0) return found;
  for (const list of sources) for (const tx of list) if (wanted.has(tx.id)) found.set(tx.id, tx);
  return found;
}

interface Summary {
  readonly groups: number;
  readonly unexplained: number;
  readonly tolerated: number;
  readonly unmatchedBank: number;
  readonly unmatchedPsp: number;
  readonly unmatchedLedger: number | null;
  readonly pspNotPaidOut: number;
  readonly pspInTransit: number;
  readonly pspPayouts: number;
  /** Batch bookings given with details that could not stand in for their entry (unlinked, not adding up, …). */
  readonly batchesNotDetailed: number;
}

function summaryOf(result: CompactReconcileResult, tally: GroupTally): Summary {
  const { unmatched, pending } = result;
  return {
    groups: tally.groups,
    unexplained: tally.unexplained,
    tolerated: tally.tolerated,
    unmatchedBank: unmatched.bank.length,
    unmatchedPsp: unmatched.pspUnsettled.length + (unmatched.psp?.length ?? 0),
    unmatchedLedger: unmatched.internal?.length ?? null,
    pspNotPaidOut: pending.pspNotPaidOut.length,
    pspInTransit: pending.pspInTransit.length,
    pspPayouts: result.pspPayouts.length,
    batchesNotDetailed: result.bankBatches.filter((batch) => batch.status !== 'detailed').length,
  };
}

function suggestionsOf(legs: readonly CompactLegResult[]): (Suggestion & { leg: string })[] {
  return legs.flatMap((leg) => leg.suggestions.map((suggestion) => ({ leg: leg.leg, ...suggestion })));
}

/**
 * The --json document, streamed: groups are built and written one at a time, never one string or
 * one array; the members after them that sum them up (payout expectations, summary) are made
 * when the writer reaches them, from the tally the groups went through.
 */
function writeJson(output: Output, result: CompactReconcileResult, legs: readonly CompactLegResult[], tally: GroupTally): void {
  output.stream(
    jsonChunks({
      rules: result.rules,
      groups: groupTexts(tallied(legs, tally), ''),
      unmatched: result.unmatched,
      pending: result.pending,
      payouts: result.pspPayouts,
      suggestions: suggestionsOf(legs),
      fxMissing: result.fxMissing,
      payoutExpectations: new LazyJson(() => tally.payoutExpectations()),
      bankBatches: result.bankBatches,
      summary: new LazyJson(() => summaryOf(result, tally)),
    }),
  );
}

/** --ndjson: one record per line, each with its `record` type; the summary comes last. */
function* ndjsonRecords(result: CompactReconcileResult, legs: readonly CompactLegResult[], tally: GroupTally): Generator<Record<string, unknown> | RawJsonElements> {
  yield* groupTexts(tallied(legs, tally), '"record":"group",');
  const { unmatched, pending } = result;
  const sides: [string, readonly string[] | null][] = [
    ['pspUnsettled', unmatched.pspUnsettled],
    ['psp', unmatched.psp],
    ['bank', unmatched.bank],
    ['internal', unmatched.internal],
  ];
  for (const [side, ids] of sides) for (const id of ids ?? []) yield { record: 'unmatched', side, id };
  for (const id of pending.pspNotPaidOut) yield { record: 'pending', state: 'notPaidOut', id };
  for (const id of pending.pspInTransit) yield { record: 'pending', state: 'inTransit', id };
  for (const payout of result.pspPayouts) yield { record: 'payout', ...payout };
  for (const suggestion of suggestionsOf(legs)) yield { record: 'suggestion', ...suggestion };
  for (const missing of result.fxMissing) yield { record: 'fxMissing', ...missing };
  for (const expectation of tally.payoutExpectations()) yield { record: 'payoutExpectation', ...expectation };
  for (const batch of result.bankBatches) yield { record: 'bankBatch', ...batch };
  yield { record: 'summary', rules: result.rules, ...summaryOf(result, tally) };
}

/** The transactions the text lists and tables show (the first LISTED_ROWS_MAX of each). */
function shownTransactions(result: CompactReconcileResult, tally: GroupTally, expectations: readonly PayoutExpectation[], inputs: readonly (readonly CanonicalTransaction[])[]): Map<string, CanonicalTransaction> {
  const { unmatched } = result;
  const firstIds = (side: 'leftIds' | 'rightIds'): string[] => tally.listed.flatMap(({ group }) => group[side].slice(0, 1));
  const lists = [unmatched.pspUnsettled, unmatched.psp ?? [], unmatched.bank, unmatched.internal ?? [], expectations.map((item) => item.ledgerId), firstIds('leftIds'), firstIds('rightIds')];
  return transactionsById(lists, inputs);
}

function printText(output: Output, result: CompactReconcileResult, legs: readonly CompactLegResult[], tally: GroupTally, summary: Summary, expectations: readonly PayoutExpectation[], byId: ReadonlyMap<string, CanonicalTransaction>): void {
  const { unmatched, pending } = result;
  output.line(
    `${summary.groups} matched groups (${summary.unexplained} with an unexplained difference, ${summary.tolerated} within tolerance); unmatched: bank ${summary.unmatchedBank}, PSP ${summary.unmatchedPsp}${unmatched.internal === null ? '' : `, ledger ${unmatched.internal.length}`}`,
  );
  output.line(`not at the bank yet (not errors): ${pending.pspNotPaidOut.length} PSP lines no payout has taken, ${pending.pspInTransit.length} payouts in transit; ${result.pspPayouts.length} PSP payouts in the reports`);
  printDiffering(output, tally, byId);
  listLines(output, 'PSP payouts the bank does not show (amount as the PSP reports it)', unmatched.pspUnsettled, byId);
  listLines(output, 'PSP lines no ledger transaction explains', unmatched.psp ?? [], byId);
  listLines(output, 'Bank lines nothing explains', unmatched.bank, byId);
  listLines(output, 'Ledger transactions found nowhere', unmatched.internal ?? [], byId);
  printExpectations(output, expectations, byId);
  const suggestions = suggestionsOf(legs);
  if (suggestions.length > 0) {
    output.line('\nSuggested matches (not accepted):');
    output.line(table(['leg', 'left', 'right', 'score', 'reasons'], suggestions.slice(0, LISTED_ROWS_MAX).map((s) => [s.leg, s.leftIds.join(' '), s.rightIds.join(' '), s.score.toFixed(2), s.reasons.map((r) => `${r.code} ${r.detail}`).join('; ')])));
    if (suggestions.length > LISTED_ROWS_MAX) output.line(`... and ${suggestions.length - LISTED_ROWS_MAX} more suggestions (--json lists every one)`);
  }
  for (const missing of result.fxMissing) output.line(`EXCEPTION fx_rate_missing: ${missing.from}->${missing.to} on ${missing.date}`);
  printBatches(output, result);
}

/** Batch bookings: how many were matched detail by detail, and each one that could not be, with why. */
function printBatches(output: Output, result: CompactReconcileResult): void {
  if (result.bankBatches.length === 0) return;
  const detailed = result.bankBatches.filter((batch) => batch.status === 'detailed').length;
  output.line(`\nBatch bookings: ${result.bankBatches.length}, ${detailed} matched detail by detail`);
  for (const batch of result.bankBatches) {
    if (batch.status === 'detailed') continue;
    const amounts = batch.entryAmount === null ? '' : ` booked ${batch.entryAmount} ${batch.currency ?? ''}, details ${batch.detailsTotal ?? '(other currency)'} in ${batch.detailCount} lines`;
    const why = batch.problems.length > 0 ? `: ${batch.problems.join('; ')}` : '';
    output.line(`EXCEPTION batch_${batch.status}: ${batch.fileName}:${batch.entryLine}${amounts}${why}`);
  }
}

interface Reconciled {
  readonly result: CompactReconcileResult;
  readonly legs: readonly CompactLegResult[];
  /** Fed by the one pass over the groups: the text's, before it is printed; --json's and --ndjson's, while they are written. */
  readonly tally: GroupTally;
  /** For text only: the transactions it shows, found after the tally. */
  readonly shown: () => ReadonlyMap<string, CanonicalTransaction>;
}

/**
 * Reads the files and reconciles them. The groups stay compact in the legs and are built one at
 * a time by the single pass over them (the text's tally, or the --json/--ndjson writer), so a
 * million MatchGroups are never alive at once.
 */
function reconciled(values: ParsedCommandArgs['values'], bankInputs: readonly string[], pspInputs: readonly string[]): Reconciled {
  // --rules here are matching rules, not classification rules: the files are read unclassified.
  const reading: TransactionReading = { ...transactionReading({ ...values, rules: undefined }), rawKept: RAW_KEPT, lean: true };
  const bankLoaded = loadTransactions(bankInputs, reading);
  const bank = bankLoaded.transactions;
  const bankStatements = bankStatementEnds(bankLoaded.imports);
  const bankBatches = bankBatchesOf({ statements: bankInputs, details: (values['bank-details'] as string[] | undefined) ?? [] });
  const psp = loadTransactions(pspInputs, reading).transactions;
  const ledgerInputs = (values.ledger as string[] | undefined) ?? [];
  const internal = ledgerInputs.length > 0 ? loadTransactions(ledgerInputs, reading).transactions : undefined;
  const result = reconcileCompact(
    { psp, bank, bankStatements, bankBatches, fxRates: reconcileRates(values['fx-rates'] as string | undefined), ...(internal === undefined ? {} : { internal }) },
    readRules(values.rules as string | undefined),
  );
  const legs = [result.legs.internalPsp, result.legs.pspBank, result.legs.internalBank].filter((leg): leg is CompactLegResult => leg !== null);
  const internalPsp = result.legs.internalPsp;
  const findExpectations = (): PayoutExpectation[] =>
    internal === undefined || internalPsp === null ? [] : payoutExpectations({ members: internalPsp.members, ledger: internal, psp, pspPayouts: result.pspPayouts, payoutAt: result.pspPayoutAt, expectedOf: expectedPayout });
  const tally = new GroupTally(findExpectations);
  const shown = (): ReadonlyMap<string, CanonicalTransaction> => shownTransactions(result, tally, tally.payoutExpectations(), [psp, bank, result.bankDetails, internal ?? []]);
  return { result, legs, tally, shown };
}

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'match internal ledger <-> PSP reports <-> bank statements; explain every difference',
  usage: 'reconcile --bank FILE... --psp FILE... [--ledger FILE|DIR] [--fx-rates FILE] [--rules FILE] [--json | --ndjson]',
  options: {
    bank: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'bank statements (camt.053/054, MT940, BAI2, OFX, CSV with --profile)' },
    psp: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'PSP settlement reports (Stripe, Adyen, PayPal)' },
    ledger: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'internal ledger transactions (the ledger CSV: id,date,kind,amount,currency,partner,product,external_reference,expected_payout); without it only PSP <-> bank is matched' },
    'fx-rates': { type: 'string', valueName: 'FILE', description: 'ECB-style rate CSV for cross-currency matches (only pairs the rules list are used)' },
    rules: {
      type: 'string',
      valueName: 'FILE',
      description:
        'rule order and limits (JSON). Defaults: order reference, batch, amount-date, subset-sum, fx, reversal; date window 3 days; amount tolerance 0 (e.g. {"amountTolerance": "0.01"}); a payout due at the bank (its date + 1 day) after the end of the bank statements (camt FrToDt, else the closing balance date; else the last bank line) is in transit',
    },
    'bank-details': {
      type: 'string',
      multiple: true,
      valueName: 'FILE|DIR',
      description: 'camt.054 (or camt.053) files detailing batch bookings of the bank statements: a batch whose details add up is matched detail by detail; their entries are not bank lines of their own',
    },
    profile: { type: 'string', valueName: 'FILE', description: 'CSV mapping profile for generic CSV inputs' },
    ndjson: { type: 'boolean', description: 'one JSON record per line instead of one document: each group, unmatched id, pending id, payout, suggestion, then the summary' },
    workspace: { type: 'string', valueName: 'DIR', description: `workspace folder holding the pseudonymization key (default ${DEFAULT_WORKSPACE})` },
  },
  examples: [
    'settledesk reconcile --bank demo-data/bank --psp demo-data/psp',
    'settledesk reconcile --bank camt/ --psp stripe.csv --ledger ledger/ --rules rules.json --json',
  ],
  async run(args, output) {
    const bankInputs = (args.values.bank as string[] | undefined) ?? [];
    const pspInputs = (args.values.psp as string[] | undefined) ?? [];
    if (bankInputs.length === 0 || pspInputs.length === 0) throw new UsageError('reconcile needs --bank FILE|DIR and --psp FILE|DIR');
    const { result, legs, tally, shown } = reconciled(args.values, bankInputs, pspInputs);
    // Text is built only for a person: in --json/--ndjson mode not one table row is made.
    if (args.values.ndjson === true) output.stream(ndjsonChunks(ndjsonRecords(result, legs, tally)));
    else if (output.json) writeJson(output, result, legs, tally);
    else {
      for (const leg of legs) for (const outcome of leg.outcomes()) tally.addOutcome(leg, outcome);
      printText(output, result, legs, tally, summaryOf(result, tally), tally.payoutExpectations(), shown());
    }
    const summary = summaryOf(result, tally);
    const expectations = tally.payoutExpectations();
    // Money not at the bank yet (pending) is not an error; anything unmatched or unexplained is.
    const clean = summary.unexplained === 0 && summary.unmatchedBank === 0 && summary.unmatchedPsp === 0 && (summary.unmatchedLedger ?? 0) === 0 && result.fxMissing.length === 0 && expectations.length === 0 && summary.batchesNotDetailed === 0;
    return clean ? EXIT_OK : EXIT_FAILED;
  },
};
