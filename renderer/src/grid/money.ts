import { AMOUNT_FORMATS, Decimal, DECIMAL_PATTERN, formatAmount, isCurrencyCode, parseAmount, type AmountFormat } from '../../../core/money/index.ts';
import { formatMoney, type NumberFormatName } from '../../i18n/format.ts';

/**
 * Money in the grids: decimal strings shown with the currency's own minor digits and the
 * locale's grouping, sorted and filtered exactly. No float ever holds an amount here: sorting
 * compares decimal.js values, filtering compares bigints scaled by FILTER_SCALE_DIGITS.
 */

/** Far above any ISO 4217 exponent (4) and any exact base a statement keeps: a bigint at this scale holds every amount we show exactly. */
export const FILTER_SCALE_DIGITS = 24;
const FILTER_SCALE = new Decimal(10).pow(FILTER_SCALE_DIGITS);

/**
 * "1234.5" EUR -> "1,234.50"; JPY keeps no decimals; an amount with more digits than its
 * currency (an unrounded base) shows all of them: the grid never rounds what it displays.
 */
export function displayAmount(amount: string | null | undefined, currency: string | null | undefined, numberFormat: NumberFormatName): string {
  if (amount === null || amount === undefined || amount === '') return '';
  if (!DECIMAL_PATTERN.test(amount)) return amount;
  // The shell's formatMoney pads to the currency's ISO digits; a count or a code-less amount is grouped only.
  return currency !== null && currency !== undefined && isCurrencyCode(currency) ? formatMoney(amount, currency, numberFormat) : formatAmount(amount, AMOUNT_FORMATS[numberFormat]);
}

/** Exact comparison of two decimal strings for sorting; blanks sort first. */
export function compareDecimal(a: string | null | undefined, b: string | null | undefined): number {
  const left = a === null || a === undefined || a === '' ? null : a;
  const right = b === null || b === undefined || b === '' ? null : b;
  if (left === null || right === null) return left === right ? 0 : left === null ? -1 : 1;
  return new Decimal(left).comparedTo(right);
}

/** A decimal string as a bigint at FILTER_SCALE_DIGITS (exact), for AG Grid's BigInt filter. */
export function scaledOf(amount: string | null | undefined): bigint | null {
  if (amount === null || amount === undefined || !DECIMAL_PATTERN.test(amount)) return null;
  return BigInt(new Decimal(amount).times(FILTER_SCALE).toFixed(0));
}

/** What an analyst typed in a money filter ("1,234.5", "-10") read in the locale's format; null when it is not an amount. */
export function scaledFromInput(text: string | null, format: AmountFormat): bigint | null {
  if (text === null || text.trim() === '') return null;
  const parsed = parseAmount(text, format);
  return parsed.ok && parsed.value !== null ? scaledOf(parsed.value) : null;
}

/** The inverse of scaledOf for the filter's input box. */
export function decimalOfScaled(value: bigint | null): string | null {
  if (value === null) return null;
  const text = new Decimal(value.toString()).dividedBy(FILTER_SCALE).toFixed();
  return text;
}
