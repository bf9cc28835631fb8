import { SettleDeskError } from '../core/errors.ts';
import { escapeControlCharacters } from '../core/export/control-chars.ts';
import { jsonValueLocation, parseJsonText } from '../core/importers/json-text.ts';
import { checkAgreementVersions, RevenueBase } from '../core/settlement/agreement.ts';
import { AgreementError } from '../core/settlement/errors.ts';
import { isPairTable, parseAgreements, parseEcbRates, parsePairRates, versionOn, parseLedgerState, rateTable, type AgreementVersion, type PartnerLedgerState, type RateTable, type RunInput } from '../core/settlement/index.ts';
import type { Period } from '../core/settlement/index.ts';
import { periodDateOf } from '../core/settlement/base.ts';
import type { CanonicalTransaction } from '../core/transactions/schema.ts';
import { PartnerBalances, type PartnerBalance } from './stream-import.ts';
import { UsageError } from './errors.ts';
import { expandInputs, inOptionFile, readOptionJson, readOptionText } from './files.ts';
import { TransactionReader, transactionReading, type ImportAccount } from './load-transactions.ts';
import type { ParsedCommandArgs, OptionSpec } from './command.ts';
import { DEFAULT_WORKSPACE } from './workspace.ts';

/** The options every command that runs the settlement engine takes. */
export const SETTLEMENT_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  agreements: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'agreement versions: a JSON array per file, or a folder of such files' },
  transactions: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'transaction files (PSP reports, partner reports, CSV with --profile), or folders of them' },
  period: { type: 'string', valueName: 'YYYY-MM', description: 'the month to settle' },
  'fx-rates': {
    type: 'string',
    valueName: 'FILE',
    description:
      "rate CSV: ECB-style (Date,USD,JPY,... per 1 EUR) or any provider's pair table (date,base,quote,rate: 1 base = rate quote), told apart by the header; a reverse or cross rate only where the agreement's fx options allow; a needed rate that is missing is an exception, never 1.0",
  },
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

/** The agreement error with the line its JSON path points at (a file holding one object was read as [object]). */
function withAgreementLine(error: AgreementError, text: string, isArray: boolean): SettleDeskError {
  const path = (error.details.path as (string | number)[] | undefined) ?? [];
  const found = jsonValueLocation(text, isArray ? path : path.slice(1));
  return found === null ? error : new SettleDeskError(error.code, error.message.replace(`${error.location.file ?? ''}: `, `${error.location.file ?? ''}:${found.line}: `), { ...error.location, line: found.line }, { ...error.details });
}

export function loadAgreements(inputs: readonly string[]): AgreementVersion[] {
  if (inputs.length === 0) throw new UsageError('--agreements FILE|DIR is required');
  const files = expandInputs(inputs).filter((file) => file.endsWith('.json'));
  // Each file on its own, so an error names its file and the path inside it; then all of them together.
  const versions = files.flatMap((file) => {
    const text = readOptionText(file);
    const json = parseJsonText(text, file);
    try {
      return parseAgreements(Array.isArray(json) ? json : [json], { file });
    } catch (error) {
      throw error instanceof AgreementError ? withAgreementLine(error, text, Array.isArray(json)) : error;
    }
  });
  checkAgreementVersions(versions, files.length === 1 ? files[0] : undefined);
  return versions;
}

export function loadRates(file: string | undefined): RateTable {
  if (file === undefined) return rateTable({}, 'none', 'EUR');
  const text = readOptionText(file);
  const { table, rejected } = isPairTable(text) ? parsePairRates(text, { file, source: file }) : parseEcbRates(text, { file, source: file });
  const first = rejected[0];
  if (first !== undefined) throw new SettleDeskError(first.code, `${file}: ${rejected.length} rate rows refused, first: ${first.reason}`, { file, line: first.line, column: first.column ?? undefined });
  return table;
}

function loadStates(file: string | undefined): Record<string, PartnerLedgerState> | undefined {
  if (file === undefined) return undefined;
  const json = readOptionJson(file);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SettleDeskError('state_invalid', `${file}: expected an object of partner id -> ledger state`, { file });
  return Object.fromEntries(Object.entries(json).map(([partnerId, state]) => [partnerId, inOptionFile(file, () => parseLedgerState(state))]));
}

/** What a run leaves out without anyone choosing to: listed with its money, and exit 1 unless --allow-unsettled. */
export interface Unsettled {
  /** Revenue transactions (sales, refunds, chargebacks, adjustments) dated in the period that no rule gave a partner (e.g. --rules forgotten). */
  readonly noPartner: readonly PartnerBalance[];
  /** Revenue transactions dated in the period of a partner no agreement version covers on that date. */
  readonly noAgreement: readonly PartnerBalance[];
  /** Not one transaction was dated in the period. */
  readonly periodEmpty: boolean;
  /** --agreements held no agreement at all. */
  readonly agreementsEmpty: boolean;
}

export const UNSETTLED_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'allow-unsettled': {
    type: 'boolean',
    description: 'exit 0 even when transactions have no partner or no agreement, the period has no transactions, or there are no agreements (they are still listed); default: exit 1',
  },
};

/**
 * Kinds a partner's revenue base counts unless an agreement says otherwise (sale, refund,
 * chargeback, adjustment): a payout, transfer or PSP fee without a partner is normal, not a gap.
 */
const REVENUE_KINDS: ReadonlySet<string> = new Set(
  Object.entries(RevenueBase.parse({}))
    .filter(([, weight]) => weight !== 0)
    .map(([kind]) => kind),
);

/**
 * Watches the transaction stream as the engine reads it, for what the engine skips silently: a
 * revenue transaction without a partner, a partner without an agreement. A transaction's date is
 * the default late-transaction rule's (booking date, else occurrence), the rule an uncovered
 * partner would get; partners left out with --partner are a choice, not a gap.
 */
export class CoverageWatch {
  private readonly noPartner = new PartnerBalances();
  private readonly noAgreement = new PartnerBalances();
  private inPeriod = 0;
  private readonly versionsByPartner = new Map<string, AgreementVersion[]>();

  constructor(
    private readonly period: Period,
    private readonly agreements: readonly AgreementVersion[],
    private readonly named: ReadonlySet<string> | null,
  ) {
    for (const version of agreements) this.versionsByPartner.set(version.partnerId, [...(this.versionsByPartner.get(version.partnerId) ?? []), version]);
  }

  *watch(transactions: Iterable<CanonicalTransaction>): Generator<CanonicalTransaction> {
    for (const tx of transactions) {
      this.visit(tx);
      yield tx;
    }
  }

  unsettled(): Unsettled {
    return { noPartner: this.noPartner.list(), noAgreement: this.noAgreement.list(), periodEmpty: this.inPeriod === 0, agreementsEmpty: this.agreements.length === 0 };
  }

  private visit(tx: CanonicalTransaction): void {
    const date = periodDateOf(tx, 'open-period');
    if (date < this.period.start || date > this.period.end) return;
    this.inPeriod++;
    if (!REVENUE_KINDS.has(tx.kind)) return;
    if (tx.partnerId === null) {
      this.noPartner.addTransaction(tx);
      return;
    }
    if (this.named !== null && !this.named.has(tx.partnerId)) return;
    const versions = this.versionsByPartner.get(tx.partnerId) ?? [];
    if (versionOn(versions, tx.partnerId, date) === null) this.noAgreement.addTransaction(tx);
  }
}

export function hasUnsettled(unsettled: Unsettled): boolean {
  return unsettled.noPartner.length > 0 || unsettled.noAgreement.length > 0 || unsettled.periodEmpty || unsettled.agreementsEmpty;
}

/** The human lines for what a run left out: each with its count and exact sum per currency. */
export function unsettledLines(unsettled: Unsettled): string[] {
  const lines: string[] = [];
  if (unsettled.agreementsEmpty) lines.push('UNSETTLED: --agreements holds no agreement; no partner was settled');
  if (unsettled.periodEmpty) lines.push('UNSETTLED: no transaction is dated in the period');
  for (const row of unsettled.noPartner) lines.push(`UNSETTLED no partner: ${row.count} transactions, ${row.sum} ${row.currency} (give them a partner with --rules)`);
  for (const row of unsettled.noAgreement) lines.push(`UNSETTLED no agreement for ${escapeControlCharacters(row.partner ?? '-')}: ${row.count} transactions, ${row.sum} ${row.currency}`);
  return lines;
}

/**
 * Everything runSettlement needs, read from the command's options with the same importers as
 * `import`. The transactions are a one-pass stream: files are read while the engine aggregates
 * them; `imports` holds each file's import account, and `coverage` what the engine would leave
 * out, once the run has read them.
 */
export function settlementInput(args: ParsedCommandArgs): { readonly input: RunInput; readonly imports: readonly ImportAccount[]; readonly coverage: CoverageWatch } {
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
  const coverage = new CoverageWatch(period, agreements, named.length > 0 ? new Set(named) : null);
  const input: RunInput = { period, partnerIds, agreements, transactions: coverage.watch(reader.transactions(transactionInputs)), rates, ...(states === undefined ? {} : { states }) };
  return { input, imports: reader.imports, coverage };
}

/** What the run read, file by file: rows, imports, duplicates, conflicts and rejections (rejected and conflicting rows are not settled). */
export function inputSummary(imports: readonly ImportAccount[]) {
  return imports.map((account) => ({
    file: account.file.fileName,
    format: account.file.format,
    sha256: account.file.sha256,
    rowsRead: account.entriesRead,
    imported: account.entriesRead - account.rejected.length - account.duplicates.length - account.conflicts.length,
    duplicates: account.duplicates.length,
    rejected: account.rejected.map(({ line, column, code, reason }) => ({ line, column, code, reason })),
    conflicts: account.conflicts.map(({ line, id, conflictsWith, amount, currency, first }) => ({ line, id, conflictsWith, amount, currency, first })),
  }));
}

/** Each rejected or conflicting row of the run's files, for a person: file, line, column, code and reason. */
export function rejectedLines(inputs: ReturnType<typeof inputSummary>): string[] {
  // One line each: a line break from a file (name, reason) is escaped like any control character.
  return inputs.flatMap((file) => [
    ...file.rejected.map((row) => `REJECTED ${file.file}:${row.line}${row.column === null ? '' : `:${row.column}`}: ${row.code}: ${row.reason}`),
    ...file.conflicts.map(
      (row) =>
        `CONFLICT ${file.file}:${row.line}: repeats the id of ${row.conflictsWith.line === null ? 'an earlier row' : `line ${row.conflictsWith.line}`} with other money (${row.amount} ${row.currency}${row.first === null ? '' : ` against ${row.first.amount} ${row.first.currency}`}): not settled until someone decides`,
    ),
  ].map((line) => escapeControlCharacters(line)));
}

/** Rows the run read but did not settle because they are wrong or contradict another row. */
export function leftOutRows(inputs: ReturnType<typeof inputSummary>): number {
  return inputs.reduce((sum, file) => sum + file.rejected.length + file.conflicts.length, 0);
}

export function readStatementDocument(file: string): unknown {
  return readOptionJson(file);
}

