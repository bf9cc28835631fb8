import { z } from 'zod';
import { AgreementVersion } from '../../../../core/settlement/agreement.ts';
import { PartnerLedgerState } from '../../../../core/settlement/state.ts';

/**
 * The Partners screen's worker protocol: the demo month's contract files and rates (generated
 * from the seeded demo month, ~0.5 s of CPU), off the main thread. Requests are checked by zod in
 * the worker; answers carry the request id. The preview's two settlement runs are the engine
 * worker's (it holds the partner's rows): PreviewInputSchema is its request.
 */
const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const RatesData = z.strictObject({ source: z.string(), base: z.string().length(3), quotes: z.record(z.string(), z.record(z.string(), z.string())) });
export type RatesData = z.infer<typeof RatesData>;

export const PartnersRequest = z.discriminatedUnion('kind', [
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('reference'), input: z.strictObject({ seed: z.number().int().min(0), month: z.string().regex(/^\d{4}-\d{2}$/) }) }),
]);

/** "Preview on the last period" of an edited agreement, over the partner's rows the engine worker holds. */
export const PreviewInputSchema = z.strictObject({
  period: z.strictObject({ start: CalendarDate, end: CalendarDate }),
  current: AgreementVersion,
  edited: AgreementVersion,
  rates: RatesData,
  stateIn: PartnerLedgerState.nullable(),
});
export type PreviewRequest = z.infer<typeof PreviewInputSchema>;
export type PartnersRequest = z.infer<typeof PartnersRequest>;
export type PartnersRequestInput = z.input<typeof PartnersRequest>;

export interface PartnersResults {
  readonly reference: { readonly agreements: readonly AgreementVersion[]; readonly rates: RatesData };
}

export type PartnersResponse = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly code: string; readonly message: string };
