import { assert } from '../assert.ts';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { canonicalDecimal } from '../money/money.ts';
import { escapeControlCharacters } from './control-chars.ts';

/**
 * Double-entry journals as plain text for hledger/ledger and beancount, so users can cross-check
 * our numbers with tools they already trust. Accounts are paths (["Liabilities", "Partners", "P-001"]);
 * each tool's naming rules are applied here, with a check that two of our accounts never collapse
 * into one name. Every text from a file (ids, payees, narrations, partner and product ids) has its
 * control characters escaped, so no CR or LF in it can start a line of its own (a posting or a
 * directive), wherever it is written.
 */
export interface TextPosting {
  readonly account: readonly string[];
  /** Signed decimal string in the currency's minor units: debit +, credit -. */
  readonly amount: string;
  readonly currency: string;
}

export interface TextTransaction {
  readonly date: string;
  readonly payee: string;
  readonly narration: string;
  /** Source ids, written as a comment (ledger) or metadata (beancount). */
  readonly sourceIds: readonly string[];
  readonly postings: readonly TextPosting[];
}

export type JournalTextFormat = 'ledger' | 'beancount';

const ROOTS = ['Assets', 'Liabilities', 'Equity', 'Income', 'Expenses'] as const;

function assertBalanced(transaction: TextTransaction): void {
  const totals = new Map<string, Decimal>();
  for (const posting of transaction.postings) totals.set(posting.currency, (totals.get(posting.currency) ?? new Decimal(0)).plus(posting.amount));
  for (const [currency, total] of totals) assert(total.isZero(), 'journal transaction balances per currency', { currency, total: total.toFixed(), payee: transaction.payee });
}

function amountText(posting: TextPosting): string {
  const digits = minorUnitsOf(posting.currency);
  assert(new Decimal(posting.amount).decimalPlaces() <= digits, 'journal amounts are in whole minor units', { amount: posting.amount, currency: posting.currency });
  return `${canonicalDecimal(posting.amount, digits)} ${posting.currency}`;
}

/** One account-name component for a tool: ledger allows most characters but not ':' or runs of spaces; beancount wants [A-Z0-9][A-Za-z0-9-]*. */
function component(text: string, format: JournalTextFormat): string {
  if (format === 'ledger') return escapeControlCharacters(text).replace(/[:;]/g, '-').replace(/\s+/g, ' ').trim() || '-';
  const cleaned = text.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const head = cleaned.charAt(0);
  if (head === '') return 'X';
  return /[A-Za-z]/.test(head) ? head.toUpperCase() + cleaned.slice(1) : /[0-9]/.test(head) ? cleaned : `X${cleaned}`;
}

function accountNamer(format: JournalTextFormat): (path: readonly string[]) => string {
  const byName = new Map<string, string>();
  return (path) => {
    assert(ROOTS.includes(path[0] as (typeof ROOTS)[number]), 'journal accounts start at a standard root', { account: path.join(':') });
    const name = path.map((part) => component(part, format)).join(':');
    const original = path.join('\u001f');
    const earlier = byName.get(name);
    assert(earlier === undefined || earlier === original, 'two accounts must not collapse into one name', { name });
    byName.set(name, original);
    return name;
  };
}

function quote(text: string): string {
  return `"${escapeControlCharacters(text.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`;
}

/**
 * Text on a ledger transaction line: control characters escaped; ';' would start a comment (and
 * tags) and '|' would move the payee/note split, so both become ','. In the payee only, '|' too.
 */
function ledgerLineText(text: string, isPayee: boolean): string {
  return escapeControlCharacters(text).replace(isPayee ? /[;|]/g : /;/g, ',');
}

function ledgerText(transactions: readonly TextTransaction[]): string {
  const name = accountNamer('ledger');
  const blocks = transactions.map((transaction) => {
    const lines = [`${transaction.date} * ${ledgerLineText(transaction.payee, true)} | ${ledgerLineText(transaction.narration, false)}`];
    if (transaction.sourceIds.length > 0) lines.push(`    ; source: ${escapeControlCharacters(transaction.sourceIds.join(', '))}`);
    for (const posting of transaction.postings) lines.push(`    ${name(posting.account)}  ${amountText(posting)}`);
    return lines.join('\n');
  });
  return `; SettleDesk journal (hledger/ledger syntax)\n\n${blocks.join('\n\n')}\n`;
}

function beancountText(transactions: readonly TextTransaction[]): string {
  const name = accountNamer('beancount');
  const opened = new Map<string, { date: string; currencies: Set<string> }>();
  const blocks = transactions.map((transaction) => {
    const lines = [`${transaction.date} * ${quote(transaction.payee)} ${quote(transaction.narration)}`];
    if (transaction.sourceIds.length > 0) lines.push(`  source-ids: ${quote(transaction.sourceIds.join(','))}`);
    for (const posting of transaction.postings) {
      const account = name(posting.account);
      const open = opened.get(account) ?? { date: transaction.date, currencies: new Set<string>() };
      if (transaction.date < open.date) open.date = transaction.date;
      open.currencies.add(posting.currency);
      opened.set(account, open);
      lines.push(`  ${account}  ${amountText(posting)}`);
    }
    return lines.join('\n');
  });
  const opens = [...opened.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([account, open]) => `${open.date} open ${account} ${[...open.currencies].sort().join(',')}`);
  return `; SettleDesk journal (beancount syntax)\n\n${opens.join('\n')}\n\n${blocks.join('\n\n')}\n`;
}

/** Renders balanced transactions; a transaction that does not balance per currency is refused, not written. */
export function journalText(transactions: readonly TextTransaction[], format: JournalTextFormat): string {
  for (const transaction of transactions) assertBalanced(transaction);
  return format === 'ledger' ? ledgerText(transactions) : beancountText(transactions);
}
