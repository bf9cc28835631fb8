import { Decimal, type DecimalRounding, type DecimalValue } from './decimal.ts';

/**
 * Rounding modes are data: an agreement names one, and every call passes it explicitly.
 * half-up rounds ties away from zero, for negatives too (-0.245 -> -0.25); down is toward zero.
 */
export const ROUNDING_MODES = ['half-even', 'half-up', 'half-down', 'down', 'up', 'floor', 'ceiling'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

const DECIMAL_JS_MODE: Readonly<Record<RoundingMode, DecimalRounding>> = {
  'half-even': Decimal.ROUND_HALF_EVEN,
  'half-up': Decimal.ROUND_HALF_UP,
  'half-down': Decimal.ROUND_HALF_DOWN,
  down: Decimal.ROUND_DOWN,
  up: Decimal.ROUND_UP,
  floor: Decimal.ROUND_FLOOR,
  ceiling: Decimal.ROUND_CEIL,
};

export function decimalJsRounding(mode: RoundingMode): DecimalRounding {
  return DECIMAL_JS_MODE[mode];
}

/** Rounds a decimal to `places` decimals with the named mode. */
export function roundTo(value: DecimalValue, places: number, mode: RoundingMode): Decimal {
  return new Decimal(value).toDecimalPlaces(places, DECIMAL_JS_MODE[mode]);
}
