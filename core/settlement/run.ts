import { canonicalHash } from '../canonical/json.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { versionOn, type AgreementVersion } from './agreement.ts';
import { aggregateFast } from './aggregate.ts';
import type { AggregateOutcome, BasePlan, Period } from './base.ts';
import { isCalendarDate } from './dates.ts';
import { RunInputError, SettlementError, type SettlementExceptionCode } from './errors.ts';
import type { RateTable } from './fx.ts';
import { aggregateReference } from './reference.ts';
import { initialLedgerState, type PartnerLedgerState } from './state.ts';
import { buildStatement, type Statement } from './statement.ts';

/**
 * A settlement run: one period, a set of partners, one statement per partner. A partner whose
 * statement cannot be computed (a missing FX rate, no agreement) becomes an exception of the run;
 * the others are still settled. Pure: the clock, the rates and the ledger state come in as input.
 */
export interface RunInput {
  readonly period: Period;
  /** 1 for the first run of a period; a restatement of a closed period is revision 2, 3, ... */
  readonly revision?: number;
  readonly paymentDate?: string | null;
  readonly partnerIds: readonly string[];
  readonly agreements: readonly AgreementVersion[];
  /** Read once, in one pass: an array, or a stream (a generator reading files one by one). */
  readonly transactions: Iterable<CanonicalTransaction>;
  readonly rates: RateTable;
  /** State after each partner's previous period; a partner without one starts from initialLedgerState. */
  readonly states?: Readonly<Record<string, PartnerLedgerState>>;
}

export interface SettlementException {
  readonly partnerId: string;
  readonly code: SettlementExceptionCode;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface RunResult {
  readonly period: Period;
  readonly revision: number;
  readonly paymentDate: string | null;
  /** Sorted by partner id. */
  readonly statements: readonly Statement[];
  readonly exceptions: readonly SettlementException[];
  /** State to hand to the next period: the statement's stateOut, or the unchanged input state on an exception. */
  readonly states: Readonly<Record<string, PartnerLedgerState>>;
}

export type Engine = 'fast' | 'reference';

function checkInput(input: RunInput): { revision: number; paymentDate: string | null } {
  const { start, end } = input.period;
  if (!isCalendarDate(start) || !isCalendarDate(end) || end < start) throw new RunInputError('period_invalid', `period ${start}..${end} must be two calendar dates, start <= end`);
  const revision = input.revision ?? 1;
  if (!Number.isSafeInteger(revision) || revision < 1) throw new RunInputError('revision_invalid', `revision ${revision} must be a whole number >= 1`);
  const paymentDate = input.paymentDate ?? null;
  if (paymentDate !== null && !isCalendarDate(paymentDate)) throw new RunInputError('period_invalid', `payment date ${paymentDate} is not a calendar date`);
  return { revision, paymentDate };
}

function exceptionOf(partnerId: string, error: SettlementError): SettlementException {
  return { partnerId, code: error.code, message: error.message, details: error.details };
}

function planFor(partnerId: string, input: RunInput, paymentDate: string | null): BasePlan {
  const atEnd = versionOn(input.agreements, partnerId, input.period.end);
  const atStart = versionOn(input.agreements, partnerId, input.period.start);
  if (atEnd === null && atStart === null) throw new SettlementError('agreement_missing', `partner ${partnerId}: no agreement in force in ${input.period.start}..${input.period.end}`);
  if (atEnd === null || atStart !== atEnd) {
    throw new SettlementError('agreement_changes_mid_period', `partner ${partnerId}: the agreement version changes inside ${input.period.start}..${input.period.end}; versions must change on period boundaries`);
  }
  return { partnerId, agreement: atEnd, period: input.period, paymentDate };
}

export function runSettlement(input: RunInput, engine: Engine = 'fast'): RunResult {
  const { revision, paymentDate } = checkInput(input);
  const partnerIds = [...new Set(input.partnerIds)].sort();
  const plans: BasePlan[] = [];
  const exceptions: SettlementException[] = [];
  const states: Record<string, PartnerLedgerState> = {};
  for (const partnerId of partnerIds) {
    const given = input.states?.[partnerId];
    if (given !== undefined) states[partnerId] = given;
    try {
      plans.push(planFor(partnerId, input, paymentDate));
    } catch (error) {
      if (!(error instanceof SettlementError)) throw error;
      exceptions.push(exceptionOf(partnerId, error));
    }
  }
  const aggregates: Map<string, AggregateOutcome> =
    engine === 'fast' ? aggregateFast(input.transactions, plans, input.rates) : aggregateReference(Array.isArray(input.transactions) ? input.transactions : [...input.transactions], plans, input.rates);
  const statements: Statement[] = [];
  for (const plan of plans) {
    const outcome = aggregates.get(plan.partnerId);
    if (outcome === undefined) continue;
    if (!outcome.ok) {
      exceptions.push(exceptionOf(plan.partnerId, outcome.error));
      continue;
    }
    const state = input.states?.[plan.partnerId] ?? initialLedgerState(plan.agreement);
    try {
      const statement = buildStatement(outcome.aggregate, { agreement: plan.agreement, period: input.period, revision, paymentDate, state });
      statements.push(statement);
      states[plan.partnerId] = statement.stateOut;
    } catch (error) {
      if (!(error instanceof SettlementError)) throw error;
      exceptions.push(exceptionOf(plan.partnerId, error));
    }
  }
  exceptions.sort((a, b) => (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0));
  return { period: input.period, revision, paymentDate, statements, exceptions, states };
}

/** SHA-256 hex of a statement's canonical JSON: what an approval binds to. */
export function statementHash(statement: Statement): string {
  return canonicalHash(statement);
}
