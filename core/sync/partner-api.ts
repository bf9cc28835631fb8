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

/**
 * The desk's admin routes for partner accounts (server/partner/admin-routes.ts) as the desk's
 * Partner access screen reads them. The scope and event lists are declared here once: the server
 * imports them (server/partner/api-keys.ts, schemas.ts); the database refuses any other value.
 */
export const PARTNER_API_KEY_SCOPES = ['statements:read', 'queries:write'] as const;
export const PARTNER_WEBHOOK_EVENTS = ['statement.approved', 'statement.revised', 'query.answered'] as const;

export const PartnerAdminApiKey = z.object({
  id: z.string().regex(/^pk_[0-9a-f]{24}$/),
  partnerId: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(PARTNER_API_KEY_SCOPES)).min(1),
  expiresAt: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  /** The last accepted use (partner_api_keys.last_used_at); null when never used. */
  lastUsedAt: z.string().nullable(),
});

export const PartnerAdminPartner = z.object({ id: z.string(), name: z.string(), analyst: z.string() });

/** A partner's portal user as the admin list shows it: never its password hash. */
export const PartnerAdminPortalUser = z.object({ id: z.string(), username: z.string(), createdAt: z.string(), lastSignInAt: z.string().nullable(), disabled: z.boolean() });
export type PartnerAdminPortalUser = z.infer<typeof PartnerAdminPortalUser>;

export const PartnerAdminWebhook = z.object({
  id: z.string().regex(/^wh_[0-9a-f]{24}$/),
  url: z.string(),
  events: z.array(z.enum(PARTNER_WEBHOOK_EVENTS)).min(1),
  active: z.boolean(),
  consecutiveFailures: z.number().int().min(0),
  deactivatedAt: z.string().nullable(),
  deactivatedReason: z.string().nullable(),
});

export const PartnerWebhookAttempt = z.object({ attempt: z.number().int().min(1), at: z.string(), statusCode: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number().int() });

export const PartnerWebhookDelivery = z.object({
  id: z.string(),
  eventType: z.enum(PARTNER_WEBHOOK_EVENTS),
  eventId: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int().min(0),
  nextAttemptAt: z.string(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  attempts_log: z.array(PartnerWebhookAttempt),
});
