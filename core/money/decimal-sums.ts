import { Decimal } from './decimal.ts';
import { ExactSlots } from './exact-slots.ts';
import { minorUnitsOf, type CurrencyCode } from './iso4217.ts';
import { fromMinorUnits, normalizeMinor, type MinorUnits } from './minor.ts';
import { canonicalDecimal, money } from './money.ts';

/**
 * Exact sums of decimal strings of one currency, for aggregating a million rows: each string is
 * read once, character by character, into integer minor units (no Decimal object per row) and
 * added in ExactSlots (safe integers, BigInt past 2^53). An amount with significant decimals
 * beyond the currency's, or a text that is not a canonical decimal, takes the decimal.js path
 * (money() checks it and throws its error, as the one-by-one sum did). The result is the text
 * core/money's add() gives after adding the same amounts one by one, whenever that sum fits
 * decimal.js's 80 significant digits (beyond that add() itself rounds).
 */
export class DecimalSums {
  readonly exponent: number;
  private readonly slots: ExactSlots;
  /** Per column, the amounts with more significant decimals than the currency; null while none. */
  private readonly rest: (Decimal | null)[];

  constructor(
    readonly currency: CurrencyCode,
    columns: number,
  ) {
    this.exponent = minorUnitsOf(currency);
    this.slots = new ExactSlots(columns);
    this.rest = new Array<Decimal | null>(columns).fill(null);
  }

  add(column: number, amount: string): void {
    const minor = typeof amount === 'string' ? canonicalMinorUnits(amount, this.exponent) : null;
    if (minor !== null) {
      this.slots.add(column, minor);
      return;
    }
    const value = money(amount, this.currency).amount;
    this.rest[column] = (this.rest[column] ?? new Decimal(0)).plus(value);
  }

  /** The column's sum as canonical text with at least the currency's decimals ("0.00" when empty). */
  total(column: number): string {
    const exact = fromMinorUnits(this.slots.read(column), this.exponent);
    const rest = this.rest[column];
    return rest === undefined || rest === null ? exact : canonicalDecimal(rest.plus(exact), this.exponent);
  }
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const MINUS = 45;
const DOT = 46;
/** Up to 15 digits a float holds any integer exactly (10^15 < 2^53). */
const SAFE_DIGITS = 15;

/**
 * Integer minor units of a canonical decimal string (/^-?(0|[1-9]\d*)(\.\d+)?$/), or null when
 * the text is not canonical or has a non-zero decimal beyond `exponent`. Never throws: the caller
 * sends a null to decimal.js, which words the error or keeps the extra decimals.
 */
export function canonicalMinorUnits(text: string, exponent: number): MinorUnits | null {
  const length = text.length;
  const negative = length > 0 && text.charCodeAt(0) === MINUS;
  const integerStart = negative ? 1 : 0;
  let index = integerStart;
  let value = 0;
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < DIGIT_0 || code > DIGIT_9) break;
    value = value * 10 + (code - DIGIT_0);
  }
  const integerEnd = index;
  const integerDigits = integerEnd - integerStart;
  if (integerDigits === 0 || (integerDigits > 1 && text.charCodeAt(integerStart) === DIGIT_0)) return null;
  let fractionDigits = 0;
  if (index < length) {
    if (text.charCodeAt(index) !== DOT || index + 1 === length) return null;
    const fractionStart = ++index;
    for (; index < length; index++) {
      const code = text.charCodeAt(index);
      if (code < DIGIT_0 || code > DIGIT_9) return null;
      if (index - fractionStart < exponent) value = value * 10 + (code - DIGIT_0);
      else if (code !== DIGIT_0) return null;
    }
    fractionDigits = Math.min(length - fractionStart, exponent);
  }
  if (integerDigits + exponent > SAFE_DIGITS) return bigMinorUnits(text, integerStart, integerEnd, fractionDigits, exponent, negative);
  for (let pad = fractionDigits; pad < exponent; pad++) value *= 10;
  return negative && value !== 0 ? -value : value;
}

/** The same value through BigInt, for texts whose digits a float would not hold exactly. */
function bigMinorUnits(text: string, integerStart: number, integerEnd: number, fractionDigits: number, exponent: number, negative: boolean): MinorUnits {
  const fraction = text.slice(integerEnd + 1, integerEnd + 1 + fractionDigits).padEnd(exponent, '0');
  const value = BigInt(text.slice(integerStart, integerEnd) + fraction);
  return normalizeMinor(negative ? -value : value);
}
