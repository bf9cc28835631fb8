import { assert } from '../assert.ts';
import { SettleDeskError } from '../errors.ts';
import { Decimal, DECIMAL_PATTERN, type DecimalValue } from './decimal.ts';
import { minorUnitsOf, type CurrencyCode } from './iso4217.ts';
import { roundTo, type RoundingMode } from './rounding.ts';

/**
 * An immutable money value: a canonical decimal string and an ISO 4217 code. The amount may
 * carry more decimals than the currency (a rate applied to a line); `roundMoney` brings it to
 * the currency's minor unit with a named mode. Never a JS float.
 */
export interface Money {
  readonly amount: string;
  readonly currency: CurrencyCode;
}

export class CurrencyMismatchError extends SettleDeskError {
  constructor(left: string, right: string) {
    super('currency_mismatch', `cannot combine ${left} with ${right} without an exchange rate`, {}, { left, right });
  }
}

/** Canonical text of a decimal: no exponent, no "-0", no trailing fraction zeros beyond `minScale`. */
export function canonicalDecimal(value: DecimalValue, minScale = 0): string {
  const d = new Decimal(value);
  assert(d.isFinite(), 'money amounts are finite', { value: String(value) });
  const places = Math.max(d.decimalPlaces(), minScale);
  const text = d.toFixed(places);
  return text.startsWith('-') && /^-[0.]+$/.test(text) ? text.slice(1) : text;
}

/** Builds Money after checking the code and that the amount is a canonical decimal string or a Decimal. */
export function money(amount: string | Decimal, currency: CurrencyCode): Money {
  const scale = minorUnitsOf(currency);
  if (typeof amount === 'string' && !DECIMAL_PATTERN.test(amount)) {
    throw new SettleDeskError('amount_not_decimal', `amount ${JSON.stringify(amount)} is not a decimal string like "-1234.56"`, {}, { amount });
  }
  return Object.freeze({ amount: canonicalDecimal(amount, scale), currency });
}

export function zero(currency: CurrencyCode): Money {
  return money('0', currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(new Decimal(a.amount).plus(b.amount), a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(new Decimal(a.amount).minus(b.amount), a.currency);
}

export function negate(a: Money): Money {
  return money(new Decimal(a.amount).negated(), a.currency);
}

/** Sums amounts of one currency; an empty list sums to zero in `currency`. */
export function sum(values: readonly Money[], currency: CurrencyCode): Money {
  let total = new Decimal(0);
  for (const value of values) {
    if (value.currency !== currency) throw new CurrencyMismatchError(currency, value.currency);
    total = total.plus(value.amount);
  }
  return money(total, currency);
}

/** Multiplies by an exact factor (a rate as a decimal string); the result is not rounded. */
export function multiply(a: Money, factor: string | Decimal): Money {
  if (typeof factor === 'string' && !DECIMAL_PATTERN.test(factor)) {
    throw new SettleDeskError('rate_not_decimal', `factor ${JSON.stringify(factor)} is not a decimal string`);
  }
  return money(new Decimal(a.amount).times(factor), a.currency);
}

/** Rounds to the currency's minor unit with the given mode. */
export function roundMoney(a: Money, mode: RoundingMode): Money {
  return money(roundTo(a.amount, minorUnitsOf(a.currency), mode), a.currency);
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return new Decimal(a.amount).comparedTo(b.amount) as -1 | 0 | 1;
}

export function isZero(a: Money): boolean {
  return new Decimal(a.amount).isZero();
}

export function isNegative(a: Money): boolean {
  return new Decimal(a.amount).isNegative() && !new Decimal(a.amount).isZero();
}

/** True when the amount has no more decimals than the currency's minor unit. */
export function isWholeMinor(a: Money): boolean {
  return new Decimal(a.amount).decimalPlaces() <= minorUnitsOf(a.currency);
}
