import { SettleDeskError } from '../errors.ts';

/** A transaction handed to reconciliation that cannot be compared: bad amount or date. */
export type ReconcileErrorCode = 'reconcile_amount_invalid' | 'reconcile_date_invalid' | 'reconcile_rate_invalid';

export class ReconcileInputError extends SettleDeskError {
  constructor(code: ReconcileErrorCode, message: string, details: Record<string, unknown>) {
    super(code, message, {}, details);
    this.name = 'ReconcileInputError';
  }
}
