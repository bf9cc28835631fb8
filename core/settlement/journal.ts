import { assert } from '../assert.ts';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { toMinorUnits } from '../money/minor.ts';
import type { Statement } from './statement.ts';

/**
 * Double-entry journal of a run: one entry per statement, in the settlement currency. The base
 * collected (and any balance carried in) is credited out to the partner, the platform and the
 * tax authorities. Every entry is asserted to balance per currency when it is built; a
 * statement that breaks conservation therefore cannot be journaled.
 */
export interface Posting {
  readonly account: string;
  readonly side: 'debit' | 'credit';
  /** Positive decimal string with the currency's minor-unit digits. */
  readonly amount: string;
  readonly currency: string;
}

export interface JournalEntry {
  readonly id: string;
  readonly partnerId: string;
  readonly period: { readonly start: string; readonly end: string };
  readonly revision: number;
  readonly memo: string;
  readonly postings: readonly Posting[];
}

/** A signed amount: positive on the debit side, negative on the credit side. Zero postings are left out. */
function posting(account: string, signed: string, currency: string, digits: number): Posting | null {
  const value = new Decimal(signed);
  if (value.isZero()) return null;
  assert(value.decimalPlaces() <= digits, 'journal amounts are whole minor units', { account, signed });
  return { account, side: value.isNegative() ? 'credit' : 'debit', amount: value.abs().toFixed(digits), currency };
}

/** Sums per currency of debits minus credits, in minor units; all zero when balanced. */
export function imbalances(postings: readonly Posting[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const each of postings) {
    const minor = BigInt(toMinorUnits(each.amount, minorUnitsOf(each.currency)));
    sums.set(each.currency, (sums.get(each.currency) ?? 0n) + (each.side === 'debit' ? minor : -minor));
  }
  return sums;
}

export function isBalanced(entry: JournalEntry): boolean {
  return [...imbalances(entry.postings).values()].every((sum) => sum === 0n);
}

export function journalEntryOf(statement: Statement): JournalEntry {
  const { totals, partnerId } = statement;
  const currency = statement.settlementCurrency;
  const digits = statement.currencyDigits;
  const jurisdiction = statement.agreement.partnerJurisdiction;
  const negate = (amount: string): string => new Decimal(amount).negated().toFixed();
  const candidates = [
    posting('settlement:revenue-base', totals.grossBase, currency, digits),
    posting(`partner:${partnerId}:balance`, totals.carryIn, currency, digits),
    posting(`partner:${partnerId}:payable`, negate(totals.payable), currency, digits),
    posting(`partner:${partnerId}:balance`, negate(totals.carryOut), currency, digits),
    posting('platform:revenue-share', negate(totals.platformRetained), currency, digits),
    posting('platform:fee-income', negate(totals.feesNet), currency, digits),
    posting(`tax:vat-payable:${jurisdiction}`, negate(totals.vatOnFees), currency, digits),
    posting(`tax:withholding-payable:${jurisdiction}`, negate(totals.withholdingTax), currency, digits),
  ];
  const entry: JournalEntry = {
    id: `${statement.period.start}..${statement.period.end}/${partnerId}/r${statement.revision}`,
    partnerId,
    period: statement.period,
    revision: statement.revision,
    memo: `settlement ${statement.agreement.agreementId} v${statement.agreement.version}, ${statement.transactionCount} transactions`,
    postings: candidates.filter((each): each is Posting => each !== null),
  };
  assert(isBalanced(entry), 'journal entry balances per currency', { id: entry.id, imbalance: [...imbalances(entry.postings)].map(([c, v]) => `${c} ${v}`) });
  return entry;
}

/** The run's journal: one balanced entry per statement, in statement order. */
export function buildJournal(statements: readonly Statement[]): JournalEntry[] {
  return statements.map(journalEntryOf);
}
