import { Decimal } from '../money/decimal.ts';
import { roundTo } from '../money/rounding.ts';
import type { Terms } from './agreement.ts';

/**
 * Where rounding happens. Amounts are computed exactly and rounded to the settlement currency's
 * minor unit at the levels the agreement's scope names:
 * - line: every statement line (base line, tier band, group amount, total) is rounded;
 * - product-group: lines stay exact; each product group's amounts are rounded;
 * - total: everything stays exact up to the statement totals, rounded once there.
 * Amounts after the share (guarantees, fees, taxes, carry) are single amounts and always rounded.
 */
export type RoundingLevel = 'line' | 'group' | 'total';

const LEVEL_RANK: Readonly<Record<RoundingLevel, number>> = { line: 0, group: 1, total: 2 };
// transaction: amounts are rounded per transaction already; every level above rounds too (a no-op on sums of rounded amounts).
const SCOPE_RANK: Readonly<Record<Terms['rounding']['scope'], number>> = { transaction: 0, line: 0, 'product-group': 1, total: 2 };

export interface Rounder {
  readonly digits: number;
  readonly mode: Terms['rounding']['mode'];
  /** Rounds when the scope rounds at this level, else returns the exact value. */
  at(level: RoundingLevel, value: Decimal): Decimal;
  /** Always rounds (a single amount of the waterfall). */
  money(value: Decimal): Decimal;
  /** Text of an amount: minor-unit digits when rounded, the exact decimal otherwise (never fewer digits). */
  text(value: Decimal): string;
}

export function rounder(rounding: Terms['rounding'], digits: number): Rounder {
  const money = (value: Decimal): Decimal => roundTo(value, digits, rounding.mode);
  return {
    digits,
    mode: rounding.mode,
    at: (level, value) => (LEVEL_RANK[level] >= SCOPE_RANK[rounding.scope] ? money(value) : value),
    money,
    text: (value) => {
      const text = value.toFixed(Math.max(digits, value.decimalPlaces()));
      return /^-[0.]+$/.test(text) ? text.slice(1) : text;
    },
  };
}

export function decimalMin(a: Decimal, b: Decimal): Decimal {
  return a.lessThan(b) ? a : b;
}

export const ZERO = new Decimal(0);
export const HUNDRED = new Decimal(100);

export function percentOf(amount: Decimal, rate: string): Decimal {
  return amount.times(rate).dividedBy(HUNDRED);
}
