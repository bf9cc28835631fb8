import { assert } from '../assert.ts';
import { DECIMAL_PATTERN } from './decimal.ts';
import type { AmountFormat } from './parse.ts';

/** Formats a canonical decimal string in an amount format, e.g. "-1234.5" in `de` -> "-1.234,5". */
export function formatAmount(amount: string, format: AmountFormat, options: { readonly minScale?: number } = {}): string {
  assert(DECIMAL_PATTERN.test(amount), 'formatAmount takes a canonical decimal string', { amount });
  const negative = amount.startsWith('-');
  const [integer = '0', fractionRaw = ''] = (negative ? amount.slice(1) : amount).split('.');
  const fraction = fractionRaw.padEnd(options.minScale ?? 0, '0');
  const separator = format.groupSeparators[0];
  const grouped = separator === undefined ? integer : integer.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  const body = fraction.length > 0 ? `${grouped}${format.decimalSeparator}${fraction}` : grouped;
  return negative ? `-${body}` : body;
}
