import { SettleDeskError, type ErrorLocation } from '../errors.ts';

/** Every reason an agreement is refused, one stable code each. Tests assert the code. */
export const AGREEMENT_ERROR_CODES = [
  'agreement_shape',
  'rate_out_of_range',
  'amount_precision',
  'tiers_missing',
  'tiers_rate_and_tiers',
  'tiers_not_from_zero',
  'tiers_overlap',
  'tiers_gap',
  'tiers_empty_band',
  'tiers_not_open_ended',
  'tiers_count_bound_not_integer',
  'product_override_duplicate',
  'vat_rate_missing',
  'withholding_rate_missing',
  'lookback_without_latest_earlier',
  'rounding_transaction_needs_flat_share',
  'rounding_transaction_fee_in_split',
  'effective_dates_inverted',
  'effective_dates_overlap',
  'agreement_version_duplicate',
  'agreement_partner_changes',
] as const;
export type AgreementErrorCode = (typeof AGREEMENT_ERROR_CODES)[number];

export class AgreementError extends SettleDeskError {
  constructor(code: AgreementErrorCode, message: string, location: ErrorLocation = {}, details: Record<string, unknown> = {}) {
    super(code, message, location, details);
    this.name = 'AgreementError';
  }
}

/** Why one partner's statement could not be produced in a run. The run goes on for the others. */
export const SETTLEMENT_EXCEPTION_CODES = [
  'fx_rate_missing',
  'fx_original_sale_missing',
  'fx_payment_date_missing',
  'agreement_missing',
  'agreement_changes_mid_period',
  'period_spans_contract_year',
  'state_currency_mismatch',
  'transaction_amount_precision',
  'blocked_by_earlier_period',
] as const;
export type SettlementExceptionCode = (typeof SETTLEMENT_EXCEPTION_CODES)[number];

export class SettlementError extends SettleDeskError {
  override readonly code: SettlementExceptionCode;
  constructor(code: SettlementExceptionCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, {}, details);
    this.code = code;
    this.name = 'SettlementError';
  }
}

/** Bad run input (not one partner's problem): the whole run is refused. */
export class RunInputError extends SettleDeskError {
  constructor(code: 'period_invalid' | 'revision_invalid' | 'state_invalid', message: string, details: Record<string, unknown> = {}) {
    super(code, message, {}, details);
    this.name = 'RunInputError';
  }
}
