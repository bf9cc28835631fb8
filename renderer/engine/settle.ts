import { canonicalHash } from '../../core/canonical/json.ts';
import { generateDemoMonth } from '../../core/demo/generate.ts';
import { readAgreements } from '../../core/demo/insight-inputs.ts';
import { isClosed, type ExceptionStatus, type Severity } from '../../core/exceptions/model.ts';
import type { AgreementVersion } from '../../core/settlement/agreement.ts';
import { parseEcbRates, rateTable, type RateTable } from '../../core/settlement/fx.ts';
import { runSettlement, type RunResult } from '../../core/settlement/run.ts';
import { checkColumnLengths, transactionAt, unpackBatch, type ImportBatchDoc } from '../../core/sync/batch.ts';
import type { RunInputs, SettlementRunDoc, StatementDoc } from '../../core/sync/documents.ts';
import { statementDocOf } from '../../core/sync/statement-doc.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { decodeStoredColumns } from '../desk/batch-codec.ts';
import type { StoredBatch } from '../desk/transactions.ts';
import type { Clock } from './import-files.ts';
import type { SettleProgress } from './protocol.ts';

/**
 * A settlement run in the engine worker, over the desk's stored import batches: the run's
 * inputs are written out first (period, partners, rates as quotes, carry-in states), then core's
 * runSettlement runs over exactly those inputs the way the server recomputes them
 * (core/sync/recompute.ts: the batches in the run's order, every row, rateTable of the quotes).
 * So the run document records the batches, agreement versions and rates it really used, and
 * every statement it yields is one the server can reproduce. A statement is blocked while its
 * partner has an open critical exception in the month; a partner the engine could not settle
 * has no statement, only the reason.
 */
export interface RunRates {
  readonly source: string;
  readonly base: string;
  readonly quotes: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The exception fields that decide whether a statement is blocked. */
export interface BlockingException {
  readonly id: string;
  readonly partnerId: string | null;
  readonly severity: Severity;
  readonly status: ExceptionStatus;
  readonly period: string | null;
  readonly title: string;
}

/** Agreements and rates the run uses: the demo month's own (generated again here), or the ones the desk holds. */
export type RunReference = { readonly kind: 'demo'; readonly seed: number; readonly month: string } | { readonly kind: 'given'; readonly agreements: readonly AgreementVersion[]; readonly rates: RunRates };

export interface SettleInput {
  readonly runId: string;
  readonly month: string;
  readonly revision: number;
  /**
   * The desk's batches, in the order the run records them (and the server replays them): wire
   * documents (each checked against its content hash here), or the desk's stored form
   * (StoredBatch: 100 texts for a month instead of 22 million cells to copy across threads; not
   * re-hashed, as the desk hashed each when it packed it or verified it on arrival).
   */
  readonly batches: readonly (ImportBatchDoc | StoredBatch)[];
  readonly reference: RunReference;
  readonly statesIn: RunInputs['statesIn'];
  readonly exceptions: readonly BlockingException[];
}

export type RunDocInput = Omit<SettlementRunDoc, 'createdBy' | 'createdAt' | 'statementIds'>;
export type StatementDocInput = Omit<StatementDoc, 'createdBy' | 'createdAt' | 'runId'>;

/** A partner the engine could not settle: core's SettlementError code, English message and details (the facts a screen says it from). */
export interface UnsettledPartner {
  readonly partnerId: string;
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface SettleOutput {
  readonly run: RunDocInput;
  readonly statements: readonly StatementDocInput[];
  /** Partners the engine could not settle, with why (no statement for them). */
  readonly unsettled: readonly UnsettledPartner[];
  /** The agreement versions the run names: the desk stores any it does not hold yet, so the server can recompute. */
  readonly agreements: readonly AgreementVersion[];
  readonly transactions: number;
}

export function periodOf(month: string): { start: string; end: string } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return { start: `${month}-01`, end: `${month}-${String(lastDay).padStart(2, '0')}` };
}

const BLOCKED_BY = 'open critical exception ';

/** Why a partner's statement must not be submitted yet: its open critical exceptions in the month. */
export function blockReasonsFor(partnerId: string, month: string, exceptions: readonly BlockingException[]): string[] {
  return exceptions
    .filter((doc) => doc.partnerId === partnerId && doc.severity === 'critical' && !isClosed(doc.status) && (doc.period === null || doc.period === month))
    .map((doc) => `${BLOCKED_BY}${doc.id}: ${doc.title}`.slice(0, 500));
}

/** The exception a stored block reason names (so a screen can say it in its language), or null for a reason of another shape. */
export function blockingExceptionOf(reason: string): string | null {
  if (!reason.startsWith(BLOCKED_BY)) return null;
  const id = reason.slice(BLOCKED_BY.length).split(': ', 1)[0] ?? '';
  return id === '' ? null : id;
}

function quotesOf(rates: RateTable): Record<string, Record<string, string>> {
  return Object.fromEntries([...rates.quotes.entries()].map(([date, row]) => [date, Object.fromEntries(row.entries())]));
}

const demoCache = new Map<string, { readonly agreements: readonly AgreementVersion[]; readonly rates: RunRates }>();

/** The demo month's agreements and ECB rates, from the same seeded generator the workspace was imported from. */
export function demoReference(seed: number, month: string): { readonly agreements: readonly AgreementVersion[]; readonly rates: RunRates } {
  const key = `${seed}|${month}`;
  const cached = demoCache.get(key);
  if (cached !== undefined) return cached;
  const generated = generateDemoMonth({ seed, month, small: true });
  const fx = generated.files.find((file) => file.path.startsWith('fx/'));
  const table = fx === undefined ? rateTable({}, 'ECB', 'EUR') : parseEcbRates(fx.text, { file: fx.path }).table;
  const reference = { agreements: readAgreements(generated.files), rates: { source: table.source, base: table.base, quotes: quotesOf(table) } };
  demoCache.set(key, reference);
  return reference;
}

/** Statement documents of a run result (canonical JSON + hash), blocked where an open critical exception says so. */
export function statementDocsOf(result: RunResult, runId: string, month: string, exceptions: readonly BlockingException[]): StatementDocInput[] {
  return result.statements.map((statement) => {
    const { createdBy: _by, createdAt: _at, runId: _run, ...doc } = statementDocOf(statement, {
      id: `${runId}.${statement.partnerId}`,
      runId,
      blockReasons: blockReasonsFor(statement.partnerId, month, exceptions),
      createdBy: 'pending',
      createdAt: '1970-01-01T00:00:00Z',
    });
    return doc;
  });
}

/** A batch's rows: a wire document's checked against its content hash first; a stored one's decoded column by column and built one at a time. */
function* rowsOf(batch: ImportBatchDoc | StoredBatch): Generator<CanonicalTransaction> {
  if (!('columnsJson' in batch)) {
    yield* unpackBatch(batch);
    return;
  }
  const columnar = decodeStoredColumns(batch.columnsJson, batch);
  checkColumnLengths(columnar);
  for (let row = 0; row < columnar.rowCount; row++) yield transactionAt(columnar, row);
}

export function settle(input: SettleInput, progress: (value: SettleProgress) => void, clock: Clock): SettleOutput {
  const started = clock();
  const reference = input.reference.kind === 'demo' ? demoReference(input.reference.seed, input.reference.month) : input.reference;
  const period = periodOf(input.month);
  const partnerIds = [...new Set(reference.agreements.map((agreement) => agreement.partnerId))].sort();
  const inputs: RunInputs = { period, paymentDate: null, partnerIds, rates: { source: reference.rates.source, base: reference.rates.base, quotes: structuredClone(reference.rates.quotes) as RunInputs['rates']['quotes'] }, statesIn: input.statesIn };
  const batchIds = input.batches.map((batch) => batch.id);
  const agreementVersionIds = reference.agreements.map((agreement) => `${agreement.agreementId}@${agreement.version}`);
  let rows = 0;
  function* transactions(): Generator<CanonicalTransaction> {
    for (const [index, batch] of input.batches.entries()) {
      yield* rowsOf(batch);
      rows += batch.rowCount;
      const seconds = (clock() - started) / 1000;
      progress({ batchesDone: index + 1, batchesTotal: input.batches.length, rows, rowsPerSecond: seconds > 0 ? Math.floor(rows / seconds) : 0 });
    }
  }
  // Exactly what core/sync/recompute.ts hands runSettlement from the stored run.
  const result = runSettlement({
    period: inputs.period,
    revision: input.revision,
    paymentDate: inputs.paymentDate,
    partnerIds: inputs.partnerIds,
    agreements: reference.agreements,
    transactions: transactions(),
    rates: rateTable(inputs.rates.quotes, inputs.rates.source, inputs.rates.base),
    states: inputs.statesIn,
  });
  const run: RunDocInput = {
    id: input.runId,
    period: input.month,
    revision: input.revision,
    inputs,
    inputsHash: canonicalHash({ inputs, batchIds, agreementVersionIds }),
    inputBatchIds: batchIds,
    agreementVersionIds,
    exceptionCount: result.exceptions.length,
  };
  return {
    run,
    statements: statementDocsOf(result, input.runId, input.month, input.exceptions),
    unsettled: result.exceptions.map((exception) => ({ partnerId: exception.partnerId, code: exception.code, message: exception.message, details: exception.details })),
    agreements: reference.agreements,
    transactions: rows,
  };
}
