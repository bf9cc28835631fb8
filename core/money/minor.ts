import { assert } from '../assert.ts';
import { SettleDeskError } from '../errors.ts';

/**
 * The hot path: exact integer minor units. A canonical decimal string is read character by
 * character into a safe integer (BigInt when it would not be safe); sums spill into a BigInt
 * before they could lose precision. decimal.js is used only on the aggregates.
 */
export type MinorUnits = number | bigint;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const MINUS = 45;
const DOT = 46;

export class MinorUnitsError extends SettleDeskError {
  constructor(text: string, exponent: number, why: string) {
    super('amount_minor_units', `amount ${JSON.stringify(text)} ${why} (currency exponent ${exponent})`, {}, { amount: text, exponent });
  }
}

/** Integer minor units of a canonical decimal string; more decimals than `exponent` (non-zero) is an error, never rounded. */
export function toMinorUnits(text: string, exponent: number): MinorUnits {
  const length = text.length;
  let index = 0;
  const negative = length > 0 && text.charCodeAt(0) === MINUS;
  if (negative) index = 1;
  let value = 0;
  let digits = 0;
  let scale = -1;
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === DOT) {
      if (scale !== -1) throw new MinorUnitsError(text, exponent, 'has two decimal points');
      scale = 0;
      continue;
    }
    if (code < DIGIT_0 || code > DIGIT_9) throw new MinorUnitsError(text, exponent, 'is not a canonical decimal string');
    if (scale !== -1) {
      scale++;
      if (scale > exponent) {
        if (code !== DIGIT_0) throw new MinorUnitsError(text, exponent, 'has more decimals than the currency allows');
        continue;
      }
    }
    value = value * 10 + (code - DIGIT_0);
    digits++;
    if (value > MAX_SAFE / 100) return toMinorUnitsBig(text, exponent);
  }
  if (digits === 0) throw new MinorUnitsError(text, exponent, 'has no digits');
  for (let pad = scale === -1 ? 0 : scale; pad < exponent; pad++) value *= 10;
  if (value > MAX_SAFE) return toMinorUnitsBig(text, exponent);
  return negative && value !== 0 ? -value : value;
}

function toMinorUnitsBig(text: string, exponent: number): bigint {
  const negative = text.startsWith('-');
  const [integer = '', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  if (fraction.slice(exponent).replace(/0/g, '') !== '') throw new MinorUnitsError(text, exponent, 'has more decimals than the currency allows');
  const value = BigInt(integer + fraction.slice(0, exponent).padEnd(exponent, '0'));
  return negative ? -value : value;
}

/** Texts of amounts within +-TEXTS_LIMIT minor units are kept, per exponent up to TEXTS_EXPONENT_MAX: a slot each, filled when first written. */
const TEXTS_LIMIT = 1 << 17;
const TEXTS_EXPONENT_MAX = 4;
const TEXTS: (string | undefined)[][] = [];

/**
 * Canonical decimal string of integer minor units, always with `exponent` decimals. Runs per
 * amount written (a reconciliation writes millions, most of them fees and sales of a few
 * hundred): a small amount's text is made once and then read from its slot.
 */
export function fromMinorUnits(minor: MinorUnits, exponent: number): string {
  if (typeof minor === 'number' && minor > -TEXTS_LIMIT && minor < TEXTS_LIMIT && exponent >= 0 && exponent <= TEXTS_EXPONENT_MAX && Number.isInteger(minor)) {
    const texts = (TEXTS[exponent] ??= new Array<string | undefined>(2 * TEXTS_LIMIT));
    return (texts[minor + TEXTS_LIMIT] ??= minorText(minor, exponent));
  }
  return minorText(minor, exponent);
}

function minorText(minor: MinorUnits, exponent: number): string {
  // Details built only on failure.
  if (typeof minor !== 'bigint' && !Number.isSafeInteger(minor)) assert(false, 'minor units are safe integers or BigInt', { minor: String(minor) });
  const negative = minor < 0;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const text = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${text}` : text;
}

/** Adds two minor-unit values, moving to BigInt only when a number sum would not be exact. */
export function addMinor(a: MinorUnits, b: MinorUnits): MinorUnits {
  if (typeof a === 'number' && typeof b === 'number') {
    const total = a + b;
    if (Number.isSafeInteger(total) && Math.abs(a) <= MAX_SAFE - Math.abs(b)) return total;
  }
  return normalizeMinor(BigInt(a) + BigInt(b));
}

/** A BigInt that fits a safe integer becomes a number again, so hot sums stay on the fast path. */
export function normalizeMinor(value: MinorUnits): MinorUnits {
  if (typeof value === 'number') return value;
  return value <= BigInt(MAX_SAFE) && value >= -BigInt(MAX_SAFE) ? Number(value) : value;
}

/** Sums minor units exactly: number arithmetic while safe, BigInt beyond. */
export function sumMinor(values: Iterable<MinorUnits>): MinorUnits {
  let total: MinorUnits = 0;
  for (const value of values) total = addMinor(total, value);
  return total;
}
