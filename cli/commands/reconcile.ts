import { readFileSync } from 'node:fs';
import { Decimal } from '../../core/money/decimal.ts';
import { parseRules, reconcile, ReconcileRules, type FxRate, type LegResult, type MatchGroup } from '../../core/reconcile/index.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.ts';
import { loadTransactions, transactionReading } from '../load-transactions.ts';
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

function isZero(amount: string): boolean {
  return new Decimal(amount).isZero();
}

function hasUnexplained(group: MatchGroup): boolean {
  return group.variance !== null && !isZero(group.variance.unexplained);
}

function isTolerated(group: MatchGroup): boolean {
  return group.variance !== null && !isZero(group.variance.tolerated);
}

function legRows(leg: LegResult) {
  return leg.groups
    .filter((group) => !isZero(group.difference))
    .map((group) => [leg.leg, group.rule, group.leftIds.length, group.rightIds.length, group.leftTotal?.amount ?? null, group.rightTotal?.amount ?? null, group.currency, group.difference, group.variance?.tolerated ?? '0', group.variance?.unexplained ?? '0']);
}

/** Text lists stop here; --json has every id. */
const LISTED_ROWS_MAX = 50;

function listLines(output: Output, title: string, ids: readonly string[], byId: ReadonlyMap<string, CanonicalTransaction>): void {
  if (ids.length === 0) return;
  output.line(`\n${title}:`);
  const rows = ids.slice(0, LISTED_ROWS_MAX).map((id) => {
    const tx = byId.get(id);
    return [id, tx?.kind, tx === undefined ? null : (tx.valueDate ?? tx.bookingDate ?? tx.occurredAt).slice(0, 10), tx?.amount, tx?.currency, tx?.description];
  });
  output.line(table(['id', 'kind', 'date', 'amount', 'ccy', 'description'], rows));
  if (ids.length > LISTED_ROWS_MAX) output.line(`... and ${ids.length - LISTED_ROWS_MAX} more (--json lists every one)`);
}

/** The transactions behind the listed ids, found in one pass. */
function transactionsById(ids: readonly string[], sources: readonly (readonly CanonicalTransaction[])[]): Map<string, CanonicalTransaction> {
  const wanted = new Set(ids);
  const found = new Map<string, CanonicalTransaction>();
  for (const list of sources) for (const tx of list) if (wanted.has(tx.id)) found.set(tx.id, tx);
  return found;
}

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'match internal ledger <-> PSP reports <-> bank statements; explain every difference',
  usage: 'reconcile --bank FILE... --psp FILE... [--ledger FILE|DIR] [--fx-rates FILE] [--rules FILE] [--json]',
  options: {
    bank: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'bank statements (camt.053/054, MT940, BAI2, OFX, CSV with --profile)' },
    psp: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'PSP settlement reports (Stripe, Adyen, PayPal)' },
    ledger: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'internal ledger transactions; without it only PSP <-> bank is matched' },
    'fx-rates': { type: 'string', valueName: 'FILE', description: 'ECB-style rate CSV for cross-currency matches (only pairs the rules list are used)' },
    rules: {
      type: 'string',
      valueName: 'FILE',
      description: 'rule order and limits (JSON). Defaults: order reference, batch, amount-date, subset-sum, fx, reversal; date window 3 days; amount tolerance 0 (e.g. {"amountTolerance": "0.01"}); payouts dated within 1 day of the last bank line are in transit',
    },
    profile: { type: 'string', valueName: 'FILE', description: 'CSV mapping profile for generic CSV inputs' },
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
    // --rules here are matching rules, not classification rules: the files are read unclassified.
    const reading = transactionReading({ ...args.values, rules: undefined });
    const bank = loadTransactions(bankInputs, reading).transactions;
    const psp = loadTransactions(pspInputs, reading).transactions;
    const ledgerInputs = (args.values.ledger as string[] | undefined) ?? [];
    const internal = ledgerInputs.length > 0 ? loadTransactions(ledgerInputs, reading).transactions : undefined;
    const result = reconcile({ psp, bank, fxRates: reconcileRates(args.values['fx-rates'] as string | undefined), ...(internal === undefined ? {} : { internal }) }, readRules(args.values.rules as string | undefined));
    const legs = [result.legs.internalPsp, result.legs.pspBank, result.legs.internalBank].filter((leg): leg is LegResult => leg !== null);
    const groups = legs.flatMap((leg) => leg.groups);
    const unexplained = groups.filter(hasUnexplained);
    const tolerated = groups.filter(isTolerated);
    const { unmatched, pending } = result;
    const unmatchedBank = unmatched.bank.length;
    const unmatchedPsp = unmatched.pspUnsettled.length + (unmatched.psp?.length ?? 0);
    output.line(
      `${groups.length} matched groups (${unexplained.length} with an unexplained difference, ${tolerated.length} within tolerance); unmatched: bank ${unmatchedBank}, PSP ${unmatchedPsp}${unmatched.internal === null ? '' : `, ledger ${unmatched.internal.length}`}`,
    );
    output.line(`not at the bank yet (not errors): ${pending.pspNotPaidOut.length} PSP lines no payout has taken, ${pending.pspInTransit.length} payouts in transit; ${result.pspPayouts.length} PSP payouts in the reports`);
    const differing = legs.flatMap(legRows);
    if (differing.length > 0) {
      output.line('\nGroups whose amounts differ:');
      output.line(table(['leg', 'rule', 'left', 'right', 'left total', 'right total', 'ccy', 'difference', 'tolerated', 'unexplained'], differing));
    }
    const listed = [...unmatched.pspUnsettled, ...(unmatched.psp ?? []), ...unmatched.bank, ...(unmatched.internal ?? [])];
    const byId = output.json ? new Map<string, CanonicalTransaction>() : transactionsById(listed, [psp, bank, internal ?? []]);
    if (!output.json) {
      listLines(output, 'PSP payouts the bank does not show (amount as the PSP reports it)', unmatched.pspUnsettled, byId);
      listLines(output, 'PSP lines no ledger transaction explains', unmatched.psp ?? [], byId);
      listLines(output, 'Bank lines nothing explains', unmatched.bank, byId);
      listLines(output, 'Ledger transactions found nowhere', unmatched.internal ?? [], byId);
    }
    const suggestions = legs.flatMap((leg) => leg.suggestions.map((suggestion) => ({ leg: leg.leg, ...suggestion })));
    if (suggestions.length > 0) {
      output.line('\nSuggested matches (not accepted):');
      output.line(table(['leg', 'left', 'right', 'score', 'reasons'], suggestions.map((s) => [s.leg, s.leftIds.join(' '), s.rightIds.join(' '), s.score.toFixed(2), s.reasons.map((r) => `${r.code} ${r.detail}`).join('; ')])));
    }
    for (const missing of result.fxMissing) output.line(`EXCEPTION fx_rate_missing: ${missing.from}->${missing.to} on ${missing.date}`);
    output.document({
      rules: result.rules,
      groups: legs.flatMap((leg) => leg.groups.map((group) => ({ leg: leg.leg, ...group }))),
      unmatched,
      pending,
      payouts: result.pspPayouts,
      suggestions,
      fxMissing: result.fxMissing,
      summary: {
        groups: groups.length,
        unexplained: unexplained.length,
        tolerated: tolerated.length,
        unmatchedBank,
        unmatchedPsp,
        unmatchedLedger: unmatched.internal?.length ?? null,
        pspNotPaidOut: pending.pspNotPaidOut.length,
        pspInTransit: pending.pspInTransit.length,
        pspPayouts: result.pspPayouts.length,
      },
    });
    // Money not at the bank yet (pending) is not an error; anything unmatched or unexplained is.
    const clean = unexplained.length === 0 && unmatchedBank === 0 && unmatchedPsp === 0 && (unmatched.internal?.length ?? 0) === 0 && result.fxMissing.length === 0;
    return clean ? EXIT_OK : EXIT_FAILED;
  },
};
