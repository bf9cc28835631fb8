import { assert } from '../../assert.ts';
import { fromMinorUnits } from '../../money/minor.ts';
import { minorUnitsOf } from '../../money/iso4217.ts';

/** Small text helpers shared by the demo writers. */

/** A CSV field per RFC 4180: quoted when it holds a comma, quote or line break (or always, when asked). */
export function csvField(value: string, quoteAlways = false): string {
  assert(!/[\r\n]/.test(value), 'demo CSV fields never hold line breaks, so one record is one line', { value });
  return quoteAlways || /[",]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: readonly string[], quoteAlways = false): string {
  return fields.map((field) => csvField(field, quoteAlways)).join(',');
}

/** Integer minor units as a canonical decimal string in the currency's digits ("12.30", "1500"). */
export function decimalOf(minor: number, currency: string): string {
  return fromMinorUnits(minor, minorUnitsOf(currency));
}

/** A decimal string with comma grouping ("-1,234.56"), as PayPal prints amounts. */
export function grouped(decimal: string): string {
  const negative = decimal.startsWith('-');
  const [integer = '0', fraction] = (negative ? decimal.slice(1) : decimal).split('.');
  const body = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction === undefined ? '' : `.${fraction}`);
  return negative ? `-${body}` : body;
}

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** YYYY-MM-DD -> YYMMDD (MT940) or MMDD. */
export function yymmdd(day: string): string {
  return day.slice(2, 4) + day.slice(5, 7) + day.slice(8, 10);
}

/** YYYY-MM-DD -> MM/DD/YYYY (PayPal's US layout). */
export function usDate(day: string): string {
  return `${day.slice(5, 7)}/${day.slice(8, 10)}/${day.slice(0, 4)}`;
}

/** A written file: its path relative to the output folder and its text (UTF-8). */
export interface DemoFile {
  readonly path: string;
  readonly format: string;
  readonly text: string;
}
