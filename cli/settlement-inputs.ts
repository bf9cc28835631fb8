import { SettleDeskError } from '../core/errors.ts';
import { parseAgreements, parseEcbRates, parseLedgerState, rateTable, type AgreementVersion, type PartnerLedgerState, type RateTable, type RunInput } from '../core/settlement/index.ts';
import type { Period } from '../core/settlement/index.ts';
import { UsageError } from './errors.ts';
import { expandInputs, readOptionJson, readOptionText } from './files.ts';
import { TransactionReader, transactionReading, type ImportAccount } from './load-transactions.ts';
import type { ParsedCommandArgs, OptionSpec } from './command.ts';
import { DEFAULT_WORKSPACE } from './workspace.ts';

/** The options every command that runs the settlement engine takes. */
export const SETTLEMENT_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  agreements: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'agreement versions: a JSON array per file, or a folder of such files' },
  transactions: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'transaction files (PSP reports, partner reports, CSV with --profile), or folders of them' },
  period: { type: 'string', valueName: 'YYYY-MM', description: 'the month to settle' },
  'fx-rates': { type: 'string', valueName: 'FILE', description: 'ECB-style rate CSV (Date,USD,JPY,... per 1 EUR); a needed rate that is missing is an exception, never 1.0' },
  partner: { type: 'string', multiple: true, valueName: 'ID', description: 'settle only these partners (default: every partner with an agreement)' },
  state: { type: 'string', valueName: 'FILE', description: 'ledger states after the previous period (the states.json a previous --out wrote): carry-forward, advances, contract-year tiers' },
  profile: { type: 'string', valueName: 'FILE', description: 'CSV mapping profile for generic CSV transaction files' },
  rules: { type: 'string', valueName: 'FILE', description: 'classification rules (JSON {"rules": [...]}) giving transactions their partner, product and kind' },
  workspace: { type: 'string', valueName: 'DIR', description: `workspace folder holding the pseudonymization key (default ${DEFAULT_WORKSPACE})` },
};

export function periodOf(text: unknown): Period {
  const match = typeof text === 'string' ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text) : null;
  if (match === null) throw new UsageError(`--period must be a month YYYY-MM, not ${JSON.stringify(text)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { start: `${match[1]}-${match[2]}-01`, end: `${match[1]}-${match[2]}-${String(days).padStart(2, '0')}` };
}

export function loadAgreements(inputs: readonly string[]): AgreementVersion[] {
  if (inputs.length === 0) throw new UsageError('--agreements FILE|DIR is required');
  const files = expandInputs(inputs).filter((file) => file.endsWith('.json'));
  const versions = files.flatMap((file) => {
    const json = readOptionJson(file);
    return Array.isArray(json) ? (json as unknown[]) : [json];
  });
  return parseAgreements(versions, { file: files.length === 1 ? files[0] : inputs.join(',') });
}

export function loadRates(file: string | undefined): RateTable {
  if (file === undefined) return rateTable({}, 'none', 'EUR');
  const { table, rejected } = parseEcbRates(readOptionText(file), { file, source: file });
  const first = rejected[0];
  if (first !== undefined) throw new SettleDeskError(first.code, `${file}: ${rejected.length} rate rows refused, first: ${first.reason}`, { file, line: first.line, column: first.column ?? undefined });
  return table;
}

function loadStates(file: string | undefined): Record<string, PartnerLedgerState> | undefined {
  if (file === undefined) return undefined;
  const json = readOptionJson(file);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SettleDeskError('state_invalid', `${file}: expected an object of partner id -> ledger state`, { file });
  return Object.fromEntries(Object.entries(json).map(([partnerId, state]) => [partnerId, parseLedgerState(state)]));
}

/**
 * Everything runSettlement needs, read from the command's options with the same importers as
 * `import`. The transactions are a one-pass stream: files are read while the engine aggregates
 * them, and `imports` holds each file's import account once the run has read it.
 */
export function settlementInput(args: ParsedCommandArgs): { readonly input: RunInput; readonly imports: readonly ImportAccount[] } {
  const values = args.values;
  const period = periodOf(values.period);
  const agreements = loadAgreements((values.agreements as string[] | undefined) ?? []);
  const transactionInputs = (values.transactions as string[] | undefined) ?? [];
  if (transactionInputs.length === 0) throw new UsageError('--transactions FILE|DIR is required');
  const reader = new TransactionReader(transactionReading(values));
  const named = (values.partner as string[] | undefined) ?? [];
  const partnerIds = named.length > 0 ? named : [...new Set(agreements.map((version) => version.partnerId))];
  const states = loadStates(values.state as string | undefined);
  const rates = loadRates(values['fx-rates'] as string | undefined);
  const input: RunInput = { period, partnerIds, agreements, transactions: reader.transactions(transactionInputs), rates, ...(states === undefined ? {} : { states }) };
  return { input, imports: reader.imports };
}

/** What the run read, file by file: rows, imports, duplicates and rejections (rejected rows are not settled). */
export function inputSummary(imports: readonly ImportAccount[]) {
  return imports.map((account) => ({
    file: account.file.fileName,
    format: account.file.format,
    sha256: account.file.sha256,
    rowsRead: account.entriesRead,
    imported: account.entriesRead - account.rejected.length - account.duplicates.length,
    duplicates: account.duplicates.length,
    rejected: account.rejected.map(({ line, column, code, reason }) => ({ line, column, code, reason })),
  }));
}

export function readStatementDocument(file: string): unknown {
  return readOptionJson(file);
}

