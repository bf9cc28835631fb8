import { Decimal } from '../money/decimal.ts';
import { periodDateOf } from '../settlement/base.ts';
import { journalEntryOf, statementHash, type Statement } from '../settlement/index.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import type { TextPosting, TextTransaction } from './journal-text.ts';

/**
 * A settlement run as a plain-text double-entry journal: one journal transaction per canonical
 * transaction the run counted (PSP clearing against revenue per partner and product, in the
 * transaction's own currency), then one per statement (the engine's balanced entry, in the
 * settlement currency). hledger's balances per account must then equal the engine's own totals.
 */
const UNASSIGNED_PRODUCT = 'no product';

/**
 * Engine account names ("partner:P001:payable") mapped onto the five standard roots. The partner
 * id is one component even when it holds ':' itself, so it cannot pose as deeper accounts.
 */
export function ledgerAccountOf(engineAccount: string, partnerId: string): string[] {
  const partnerPrefix = `partner:${partnerId}:`;
  if (engineAccount.startsWith(partnerPrefix)) return ['Liabilities', 'Partners', partnerId, ...engineAccount.slice(partnerPrefix.length).split(':')];
  const [head = '', ...rest] = engineAccount.split(':');
  switch (head) {
    case 'settlement':
      return ['Equity', 'Settlement', ...rest];
    case 'partner':
      return ['Liabilities', 'Partners', ...rest];
    case 'platform':
      return ['Income', 'Platform', ...rest];
    case 'tax':
      return ['Liabilities', 'Tax', ...rest];
    default:
      return ['Equity', 'Unmapped', head, ...rest];
  }
}

export function revenueAccount(partnerId: string, productId: string | null): string[] {
  return ['Income', 'Revenue', partnerId, productId ?? UNASSIGNED_PRODUCT];
}

export function clearingAccount(currency: string): string[] {
  return ['Assets', 'PSP clearing', currency];
}

/** The transactions a statement counted: its partner's, placed in its period by the agreement's late-transaction rule. */
export function countedTransactions(statement: Statement, transactions: readonly CanonicalTransaction[]): CanonicalTransaction[] {
  const { start, end } = statement.period;
  return transactions.filter((tx) => {
    if (tx.partnerId !== statement.partnerId) return false;
    const date = periodDateOf(tx, statement.options.lateTransactions);
    return date >= start && date <= end;
  });
}

function transactionEntry(tx: CanonicalTransaction, partnerId: string): TextTransaction {
  const amount = new Decimal(tx.amount);
  const postings: TextPosting[] = [
    { account: clearingAccount(tx.currency), amount: amount.toFixed(), currency: tx.currency },
    { account: revenueAccount(partnerId, tx.productId), amount: amount.negated().toFixed(), currency: tx.currency },
  ];
  return { date: tx.occurredAt.slice(0, 10), payee: partnerId, narration: `${tx.kind} ${tx.references.externalId ?? tx.id}`, sourceIds: [tx.id], postings };
}

function statementEntry(statement: Statement): TextTransaction {
  const entry = journalEntryOf(statement);
  return {
    date: statement.period.end,
    payee: statement.partnerId,
    narration: entry.memo,
    sourceIds: [`statement:${statementHash(statement)}`],
    postings: entry.postings.map((posting) => ({
      account: ledgerAccountOf(posting.account, statement.partnerId),
      amount: posting.side === 'debit' ? posting.amount : new Decimal(posting.amount).negated().toFixed(),
      currency: posting.currency,
    })),
  };
}

export function settlementJournal(statements: readonly Statement[], transactions: readonly CanonicalTransaction[]): TextTransaction[] {
  const entries: TextTransaction[] = [];
  for (const statement of statements) {
    for (const tx of countedTransactions(statement, transactions)) entries.push(transactionEntry(tx, statement.partnerId));
    entries.push(statementEntry(statement));
  }
  return entries;
}
