import { readFileSync } from 'node:fs';
import { Decimal } from '../../core/money/decimal.ts';
import { reconcile, type FxRate, type LegResult, type MatchGroup } from '../../core/reconcile/index.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.ts';
import { loadTransactions } from '../load-transactions.ts';
import { table } from '../output.ts';
import { loadProfile } from '../profiles.ts';
import { loadRates } from '../settlement-inputs.ts';
import { DEFAULT_WORKSPACE, pseudonymization } from '../workspace.ts';
import { SettleDeskError } from '../../core/errors.ts';

/** ECB quotes (units per 1 EUR) as reconciliation rates EUR -> currency. */
function reconcileRates(file: string | undefined): FxRate[] {
  if (file === undefined) return [];
  const table = loadRates(file);
  return [...table.quotes.entries()].flatMap(([date, row]) => [...row.entries()].map(([currency, rate]) => ({ date, from: table.base, to: currency, rate })));
}

function readRules(file: string | undefined): unknown {
  if (file === undefined) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new SettleDeskError('rules_invalid', `${file}: cannot read reconciliation rules (${(error as Error).message})`, { file });
  }
}

function hasUnexplained(group: MatchGroup): boolean {
  return group.variance !== null && !new Decimal(group.variance.unexplained).isZero();
}

function legRows(leg: LegResult) {
  return leg.groups.map((group) => [leg.leg, group.rule, group.leftIds.length, group.rightIds.length, group.leftTotal?.amount ?? null, group.rightTotal?.amount ?? null, group.currency, group.difference, group.variance?.unexplained ?? '0']);
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
      description: 'rule order and limits (JSON). Defaults: order reference, batch, amount-date, subset-sum, fx, reversal; date window 3 days; amount tolerance 0',
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
    const policy = pseudonymization(undefined, (args.values.workspace as string | undefined) ?? DEFAULT_WORKSPACE);
    const profile = typeof args.values.profile === 'string' ? loadProfile(args.values.profile) : undefined;
    const bank = loadTransactions(bankInputs, policy, { profile }).transactions;
    const psp = loadTransactions(pspInputs, policy, { profile }).transactions;
    const ledgerInputs = (args.values.ledger as string[] | undefined) ?? [];
    const internal = ledgerInputs.length > 0 ? loadTransactions(ledgerInputs, policy, { profile }).transactions : undefined;
    const result = reconcile({ psp, bank, fxRates: reconcileRates(args.values['fx-rates'] as string | undefined), ...(internal === undefined ? {} : { internal }) }, readRules(args.values.rules as string | undefined) as never);
    const legs = [result.legs.internalPsp, result.legs.pspBank, result.legs.internalBank].filter((leg): leg is LegResult => leg !== null);
    const groups = legs.flatMap((leg) => leg.groups);
    const unexplained = groups.filter(hasUnexplained);
    const unmatchedBank = result.unmatched.bank.length;
    const unmatchedPsp = result.unmatched.pspUnsettled.length + (result.unmatched.psp?.length ?? 0);
    output.line(`${groups.length} matched groups (${unexplained.length} with an unexplained difference); unmatched: bank ${unmatchedBank}, PSP ${unmatchedPsp}${result.unmatched.internal === null ? '' : `, ledger ${result.unmatched.internal.length}`}`);
    const differing = legs.flatMap(legRows).filter((row) => !new Decimal(String(row[7])).isZero());
    if (differing.length > 0) {
      output.line('\nGroups whose amounts differ:');
      output.line(table(['leg', 'rule', 'left', 'right', 'left total', 'right total', 'ccy', 'difference', 'unexplained'], differing));
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
      unmatched: result.unmatched,
      suggestions,
      fxMissing: result.fxMissing,
      summary: { groups: groups.length, unexplained: unexplained.length, unmatchedBank, unmatchedPsp, unmatchedLedger: result.unmatched.internal?.length ?? null },
    });
    const clean = unexplained.length === 0 && unmatchedBank === 0 && unmatchedPsp === 0 && (result.unmatched.internal?.length ?? 0) === 0 && result.fxMissing.length === 0;
    return clean ? EXIT_OK : EXIT_FAILED;
  },
};
