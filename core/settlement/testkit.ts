import type { CanonicalTransaction, TransactionKind } from '../transactions/schema.ts';
import { parseAgreements, type AgreementVersion } from './agreement.ts';
import { rateTable, type RateTable } from './fx.ts';
import { runSettlement, type RunResult } from './run.ts';
import type { PartnerLedgerState } from './state.ts';
import type { Statement } from './statement.ts';

/**
 * Test and bench support (no production caller): builders for canonical transactions, shared by
 * the settlement tests and bench/settlement.bench.ts so both feed the engine the shape an importer
 * produces, and the one-partner helpers the hand-worked scenarios use.
 */
export interface TxFields {
  readonly id: string;
  readonly partnerId: string | null;
  readonly kind: TransactionKind;
  readonly amount: string;
  readonly currency: string;
  readonly occurredAt: string;
  readonly bookingDate?: string | null;
  readonly productId?: string | null;
  readonly endToEndId?: string | null;
}

export function canonicalTx(fields: TxFields): CanonicalTransaction {
  return {
    id: fields.id,
    source: { sourceId: 'testkit', format: 'testkit', fileName: 'testkit', line: 1 },
    kind: fields.kind,
    occurredAt: fields.occurredAt,
    bookingDate: fields.bookingDate ?? null,
    valueDate: null,
    amount: fields.amount,
    currency: fields.currency,
    account: null,
    partnerId: fields.partnerId,
    productId: fields.productId ?? null,
    channel: null,
    counterparty: { name: null, account: null },
    references: { externalId: null, batchId: null, endToEndId: fields.endToEndId ?? null, bankReference: null },
    description: null,
    customerRef: null,
    raw: {},
  };
}

/**
 * Small builders for the hand-worked scenarios in golden.test.ts and the run tests: one partner
 * "p" in jurisdiction DE, January 2026 unless told otherwise.
 */
export const JANUARY = { start: '2026-01-01', end: '2026-01-31' } as const;
export const FEBRUARY = { start: '2026-02-01', end: '2026-02-28' } as const;
export const MARCH = { start: '2026-03-01', end: '2026-03-31' } as const;

export function agreementOf(terms: Record<string, unknown>, extra: Record<string, unknown> = {}): AgreementVersion[] {
  return parseAgreements([{ agreementId: 'A', partnerId: 'p', version: 1, effectiveFrom: '2025-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms, ...extra }]);
}

let counter = 0;
export function row(kind: TransactionKind, amount: string, more: { currency?: string; date?: string; bookingDate?: string; productId?: string; endToEndId?: string; partnerId?: string } = {}): CanonicalTransaction {
  counter++;
  return canonicalTx({
    id: `tx${counter}`,
    partnerId: more.partnerId ?? 'p',
    kind,
    amount,
    currency: more.currency ?? 'EUR',
    occurredAt: more.date ?? '2026-01-10',
    bookingDate: more.bookingDate ?? null,
    productId: more.productId ?? 'game',
    endToEndId: more.endToEndId ?? null,
  });
}

export const NO_RATES: RateTable = rateTable({}, 'ECB', 'EUR');

export interface SettleOptions {
  readonly rates?: RateTable;
  readonly state?: PartnerLedgerState;
  readonly period?: { start: string; end: string };
  readonly paymentDate?: string;
  readonly extra?: Record<string, unknown>;
  readonly revision?: number;
}

export function run(terms: Record<string, unknown>, transactions: CanonicalTransaction[], options: SettleOptions = {}): RunResult {
  return runSettlement({
    period: options.period ?? JANUARY,
    partnerIds: ['p'],
    agreements: agreementOf(terms, options.extra),
    transactions,
    rates: options.rates ?? NO_RATES,
    ...(options.state === undefined ? {} : { states: { p: options.state } }),
    ...(options.paymentDate === undefined ? {} : { paymentDate: options.paymentDate }),
    ...(options.revision === undefined ? {} : { revision: options.revision }),
  });
}

/** Settles and returns the one statement; fails loudly when the run raised an exception instead. */
export function settle(terms: Record<string, unknown>, transactions: CanonicalTransaction[], options: SettleOptions = {}): Statement {
  const result = run(terms, transactions, options);
  const statement = result.statements[0];
  if (statement === undefined) throw new Error(`no statement: ${JSON.stringify(result.exceptions)}`);
  return statement;
}