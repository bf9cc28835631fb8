import { z } from 'zod';
import { DECIMAL_PATTERN } from '../money/decimal.ts';
import type { AgreementVersion } from './agreement.ts';
import { RunInputError } from './errors.ts';

/**
 * What one period hands to the next for a partner. core/ is pure, so this is passed in and
 * returned, never stored here: carry-forward, the advance still to recoup, recoupable guarantee
 * top-ups, and the tier measures reached so far in the contract year.
 */
const Amount = z.string().regex(DECIMAL_PATTERN);

export const PartnerLedgerState = z
  .object({
    partnerId: z.string().min(1),
    currency: z.string(),
    /** Signed: negative = owed by the partner, positive = rolled under the minimum payout. */
    carryForward: Amount,
    advanceBalance: Amount,
    mgRecoupableBalance: Amount,
    tierAccumulation: z
      .object({ contractYearStart: z.string(), groups: z.record(z.string(), z.object({ measure: Amount }).strict()) })
      .strict()
      .nullable(),
    lastPeriodEnd: z.string().nullable(),
    /**
     * Present only when a period of this partner was blocked (an exception left its money
     * uncomputed): the balances above are those *before* that period, so they are not the
     * balances after it. A later period that depends on them is blocked too (see blocked.ts).
     * Optional, so the states of statements that were computed keep their canonical form.
     */
    blocked: z
      .object({ period: z.object({ start: z.string(), end: z.string() }).strict(), code: z.string().min(1), message: z.string() })
      .strict()
      .optional(),
  })
  .strict();
export type PartnerLedgerState = z.infer<typeof PartnerLedgerState>;

/** The state before a partner's first period: nothing carried, the agreement's advance outstanding. */
export function initialLedgerState(agreement: AgreementVersion): PartnerLedgerState {
  return {
    partnerId: agreement.partnerId,
    currency: agreement.settlementCurrency,
    carryForward: '0',
    advanceBalance: agreement.terms.advance.amount,
    mgRecoupableBalance: '0',
    tierAccumulation: null,
    lastPeriodEnd: null,
  };
}

export function parseLedgerState(input: unknown): PartnerLedgerState {
  const parsed = PartnerLedgerState.safeParse(input);
  if (!parsed.success) throw new RunInputError('state_invalid', `ledger state: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`);
  return parsed.data;
}
