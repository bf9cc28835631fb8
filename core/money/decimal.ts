import DecimalJs from 'decimal.js';

/**
 * The one decimal.js constructor used by core/. A clone, so nothing depends on the global
 * Decimal.set; precision is far above any amount we handle and exponents never appear in
 * toString(). Every rounding in money code passes its mode explicitly at the call site.
 */
export const Decimal = DecimalJs.clone({
  precision: 80,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -80,
  toExpPos: 80,
  maxE: 9e15,
  minE: -9e15,
});
export type Decimal = InstanceType<typeof Decimal>;

/** Matches a canonical decimal string: optional minus, digits, optional fraction. */
export const DECIMAL_PATTERN = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export function isDecimalString(text: string): boolean {
  return DECIMAL_PATTERN.test(text);
}
export type DecimalRounding = DecimalJs.Rounding;
export type DecimalValue = DecimalJs.Value;
