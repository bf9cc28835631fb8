import { assert } from '../assert.ts';
import { canonicalHash } from '../canonical/json.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { versionOn, type AgreementVersion } from './agreement.ts';
import { aggregateFast } from './aggregate.ts';
import type { AggregateOutcome, BasePlan, Period } from './base.ts';
import { blockedByEarlier, blockedState, dependsOnBlocked, unblocked, type BlockedPeriod } from './blocked.ts';
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
  /** Partner-periods an exception left uncomputed (or that depend on one that was): no statement, no payable. Sorted by partner id. */
  readonly blocked: readonly BlockedPeriod[];
  /**
   * State to hand to the next period: the statement's stateOut; for a blocked period, the input
   * state marked blocked; for a partner without an agreement in the period, the input state unchanged.
   */
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

/**
 * The state a plan starts from: the given one, the agreement's initial one, or, after a blocked
 * period, the known balances when this period cannot depend on it. Throws blocked_by_earlier_period
 * when it can.
 */
function startState(plan: BasePlan, input: RunInput): PartnerLedgerState {
  const given = input.states?.[plan.partnerId];
  if (given === undefined) return initialLedgerState(plan.agreement);
  const mark = given.blocked;
  if (mark === undefined) return given;
  const then = versionOn(input.agreements, plan.partnerId, mark.period.end);
  if (dependsOnBlocked(given, then === null ? [plan.agreement] : [plan.agreement, then])) throw blockedByEarlier(plan.partnerId, input.period, mark);
  return unblocked(given);
}

export function runSettlement(input: RunInput, engine: Engine = 'fast'): RunResult {
  const { revision, paymentDate } = checkInput(input);
  const partnerIds = [...new Set(input.partnerIds)].sort();
  const plans: BasePlan[] = [];
  const starts = new Map<string, PartnerLedgerState>();
  const exceptions: SettlementException[] = [];
  const blocked: BlockedPeriod[] = [];
  const states: Record<string, PartnerLedgerState> = {};
  // An exception blocks the partner-period: the state handed on keeps the balances from before it, marked.
  const block = (partnerId: string, state: PartnerLedgerState, error: SettlementError): void => {
    exceptions.push(exceptionOf(partnerId, error));
    states[partnerId] = blockedState(state, input.period, error);
    const origin = states[partnerId].blocked;
    assert(origin !== undefined, 'a blocked state carries its mark');
    blocked.push({ partnerId, period: input.period, status: 'blocked', payable: null, code: error.code, origin: { period: origin.period, code: origin.code } });
  };
  for (const partnerId of partnerIds) {
    const given = input.states?.[partnerId];
    if (given !== undefined) states[partnerId] = given;
    let plan: BasePlan;
    try {
      plan = planFor(partnerId, input, paymentDate);
    } catch (error) {
      if (!(error instanceof SettlementError)) throw error;
      // No agreement in force: nothing is settled for the partner and its balances pass on unchanged (as before).
      if (given === undefined || error.code === 'agreement_missing') exceptions.push(exceptionOf(partnerId, error));
      else block(partnerId, given, error);
      continue;
    }
    try {
      starts.set(partnerId, startState(plan, input));
      plans.push(plan);
    } catch (error) {
      if (!(error instanceof SettlementError) || given === undefined) throw error;
      block(partnerId, given, error);
    }
  }
  const aggregates: Map<string, AggregateOutcome> =
    engine === 'fast' ? aggregateFast(input.transactions, plans, input.rates) : aggregateReference(Array.isArray(input.transactions) ? input.transactions : [...input.transactions], plans, input.rates);
  const statements: Statement[] = [];
  for (const plan of plans) {
    const outcome = aggregates.get(plan.partnerId);
    if (outcome === undefined) continue;
    const state = starts.get(plan.partnerId);
    assert(state !== undefined, 'every plan has its start state', { partnerId: plan.partnerId });
    if (!outcome.ok) {
      block(plan.partnerId, state, outcome.error);
      continue;
    }
    try {
      const statement = buildStatement(outcome.aggregate, { agreement: plan.agreement, period: input.period, revision, paymentDate, state });
      statements.push(statement);
      states[plan.partnerId] = statement.stateOut;
    } catch (error) {
      if (!(error instanceof SettlementError)) throw error;
      block(plan.partnerId, state, error);
    }
  }
  const byPartner = (a: { partnerId: string }, b: { partnerId: string }): number => (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0);
  exceptions.sort(byPartner);
  blocked.sort(byPartner);
  return { period: input.period, revision, paymentDate, statements, exceptions, blocked, states };
}

/** SHA-256 hex of a statement's canonical JSON: what an approval binds to. */
export function statementHash(statement: Statement): string {
  return canonicalHash(statement);
}
