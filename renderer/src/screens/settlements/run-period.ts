import { canonicalHash, canonicalJson } from '../../../../core/canonical/json.ts';
import { isClosed } from '../../../../core/exceptions/model.ts';
import type { AgreementVersion } from '../../../../core/settlement/agreement.ts';
import { diffRuns, runSettlement, type RateTable, type RunDiff, type RunResult, type Statement } from '../../../../core/settlement/index.ts';
import type { ApprovalEventDoc, ExceptionDoc, RunInputs, SettlementRunDoc, StatementDoc } from '../../../../core/sync/documents.ts';
import { statementDocOf } from '../../../../core/sync/statement-doc.ts';
import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';

/**
 * Running a period on the desk: core's runSettlement over the month's transactions, then the
 * run and statement documents the desk stores (the run's inputs written out so the server can
 * recompute it). A statement is blocked while its partner has an open critical exception in the
 * period; a partner the engine could not settle has no statement, only the reason.
 */
export interface PeriodRunInput {
  readonly month: string;
  readonly revision: number;
  readonly runId: string;
  readonly transactions: readonly CanonicalTransaction[];
  readonly agreements: readonly AgreementVersion[];
  readonly rates: RateTable;
  readonly statesIn: RunInputs['statesIn'];
  readonly exceptions: readonly ExceptionDoc[];
  readonly batchIds: readonly string[];
}

export interface PeriodRun {
  readonly result: RunResult;
  readonly run: Omit<SettlementRunDoc, 'createdBy' | 'createdAt' | 'statementIds'>;
  readonly statements: ReadonlyArray<Omit<StatementDoc, 'createdBy' | 'createdAt' | 'runId'>>;
}

export function periodOf(month: string): { start: string; end: string } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return { start: `${month}-01`, end: `${month}-${String(lastDay).padStart(2, '0')}` };
}

function quotesOf(rates: RateTable): Record<string, Record<string, string>> {
  return Object.fromEntries([...rates.quotes.entries()].map(([date, row]) => [date, Object.fromEntries(row.entries())]));
}

/** Why a partner's statement must not be submitted yet: its open critical exceptions in the month. */
export function blockReasonsFor(partnerId: string, month: string, exceptions: readonly ExceptionDoc[]): string[] {
  return exceptions
    .filter((doc) => doc.partnerId === partnerId && doc.severity === 'critical' && !isClosed(doc.status) && (doc.period === null || doc.period === month))
    .map((doc) => `open critical exception ${doc.id}: ${doc.title}`.slice(0, 500));
}

export function runPeriod(input: PeriodRunInput): PeriodRun {
  const period = periodOf(input.month);
  const partnerIds = [...new Set(input.agreements.map((agreement) => agreement.partnerId))].sort();
  const result = runSettlement({ period, revision: input.revision, partnerIds, agreements: input.agreements, transactions: input.transactions, rates: input.rates, states: input.statesIn });
  const inputs: RunInputs = { period, paymentDate: null, partnerIds, rates: { source: input.rates.source, base: input.rates.base, quotes: quotesOf(input.rates) }, statesIn: input.statesIn };
  const agreementVersionIds = input.agreements.map((agreement) => `${agreement.agreementId}@${agreement.version}`).sort();
  const run = {
    id: input.runId,
    period: input.month,
    revision: input.revision,
    inputs,
    inputsHash: canonicalHash({ inputs, batchIds: input.batchIds, agreementVersionIds }),
    inputBatchIds: [...input.batchIds],
    agreementVersionIds,
    exceptionCount: result.exceptions.length,
  };
  const statements = result.statements.map((statement) => {
    const { createdBy: _by, createdAt: _at, runId: _run, ...doc } = statementDocOf(statement, {
      id: `${input.runId}.${statement.partnerId}`,
      runId: input.runId,
      blockReasons: blockReasonsFor(statement.partnerId, input.month, input.exceptions),
      createdBy: 'pending',
      createdAt: '1970-01-01T00:00:00Z',
    });
    return doc;
  });
  return { result, run, statements };
}

/** The statement a stored document holds (its canonical JSON, verified by the desk on arrival). */
export function statementOf(doc: Pick<StatementDoc, 'canonicalJson'>): Statement {
  return JSON.parse(doc.canonicalJson) as Statement;
}

/** Differences against an earlier stored run of the same period (core/settlement/diff.ts). */
export function diffAgainst(previous: readonly StatementDoc[], previousRevision: number, current: RunResult): RunDiff {
  const before: RunResult = { ...current, revision: previousRevision, statements: previous.map(statementOf).sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1)), exceptions: [], blocked: [] };
  return diffRuns(before, current);
}

export type StatementStatus = 'draft' | 'blocked' | 'submitted' | 'approved' | 'rejected' | 'withdrawn';

/** A statement's place in maker-checker: its last approval event, or draft / blocked. */
export function statusOf(doc: Pick<StatementDoc, 'blocked'>, events: readonly ApprovalEventDoc[]): StatementStatus {
  const last = [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).at(-1);
  if (last !== undefined) return last.action;
  return doc.blocked ? 'blocked' : 'draft';
}

/** The statement file as settle writes it ({"statement", "sha256"} in canonical JSON): what the host signs. */
export function statementDocumentJson(doc: Pick<StatementDoc, 'canonicalJson' | 'hash'>): string {
  return canonicalJson({ statement: JSON.parse(doc.canonicalJson) as unknown, sha256: doc.hash });
}
