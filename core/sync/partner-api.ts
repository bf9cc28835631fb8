import { z } from 'zod';

/**
 * The partner API's answers (server/partner/routes.ts) as both ends read them: the server declares
 * its responses and its OpenAPI document with these shapes, and the partner portal
 * (renderer/portal/api.ts) checks every answer with the same ones.
 */
export const PartnerPeriod = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

export const PartnerStatementSummary = z.object({
  id: z.string(),
  period: PartnerPeriod,
  revision: z.number().int(),
  sha256: z.string(),
  currency: z.string(),
  payable: z.string(),
  approvedAt: z.string(),
  status: z.enum(['current', 'superseded']),
  supersededBy: z.string().nullable(),
});

export const PartnerTransactionItem = z.object({
  id: z.string(),
  kind: z.string(),
  occurredAt: z.string(),
  bookingDate: z.string().nullable(),
  valueDate: z.string().nullable(),
  amount: z.string(),
  currency: z.string(),
  productId: z.string().nullable(),
  channel: z.string().nullable(),
  externalId: z.string().nullable(),
  customer: z.string().nullable(),
  customerAccount: z.string().nullable(),
  customerRef: z.string().nullable(),
});
export const PartnerTransactionPage = z.object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int(), items: z.array(PartnerTransactionItem) });

export const PartnerQueryItem = z.object({ id: z.string(), statementId: z.string(), line: z.number().int(), text: z.string(), claimedAmount: z.string().nullable(), status: z.enum(['open', 'answered']), answer: z.string().nullable(), createdAt: z.string() });
