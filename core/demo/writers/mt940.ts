import type { BankAccountMonth, BankEntry, BankStatementDay } from '../bank.ts';
import { decimalOf, yymmdd } from './text.ts';

/**
 * SWIFT MT940 customer statements, one :20: block per business day, CRLF line ends. Amounts use
 * a decimal comma ("1234,56", "1500," for JPY). PSP payout ids are longer than the 16 characters
 * :61: allows as a reference, so :61: says NONREF and the id travels in :86:, as banks do.
 */
const TEXT_LINE_MAX = 65;
const TEXT_LINES_MAX = 6;

function amount(minor: number, currency: string): string {
  return decimalOf(Math.abs(minor), currency).replace('.', ',') + (currency === 'JPY' || currency === 'KRW' ? ',' : '');
}

function balanceLine(tag: string, minor: number, currency: string, day: string): string {
  return `${tag}${minor < 0 ? 'D' : 'C'}${yymmdd(day)}${currency}${amount(minor, currency)}`;
}

/** :86: text in 65-character lines, at most six. */
function narrative(e: BankEntry): string[] {
  // SWIFT's character set has no underscore: banks transliterate it, here to '-' (po_123 -> po-123).
  const text = `/EREF/${e.endToEndId}/NAME/${e.counterparty}/REMI/${e.remittance}`.replace(/_/g, '-').replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, ' ');
  const lines: string[] = [];
  for (let index = 0; index < text.length && lines.length < TEXT_LINES_MAX; index += TEXT_LINE_MAX) lines.push(text.slice(index, index + TEXT_LINE_MAX));
  return [`:86:${lines[0] ?? ''}`, ...lines.slice(1)];
}

function entryLines(e: BankEntry, currency: string): string[] {
  const mark = e.amountMinor < 0 ? 'D' : 'C';
  const type = e.endToEndId === 'NOTPROVIDED' ? 'NCHG' : 'NTRF';
  return [`:61:${yymmdd(e.day)}${e.day.slice(5, 7)}${e.day.slice(8, 10)}${mark}${amount(e.amountMinor, currency)}${type}NONREF//${e.bankReference}`, ...narrative(e)];
}

function statement(month: BankAccountMonth, s: BankStatementDay): string[] {
  const c = month.account.currency;
  return [
    `:20:STM${c}${s.day.replace(/-/g, '').slice(2)}`,
    `:25:${month.account.account}`,
    `:28C:${s.sequence}/1`,
    balanceLine(':60F:', s.openingMinor, c, s.day),
    ...s.entries.flatMap((e) => entryLines(e, c)),
    balanceLine(':62F:', s.closingMinor, c, s.day),
    balanceLine(':64:', s.closingMinor, c, s.day),
    '-',
  ];
}

export function mt940Document(month: BankAccountMonth): string {
  return `${month.statements.flatMap((s) => statement(month, s)).join('\r\n')}\r\n`;
}
