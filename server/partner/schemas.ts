import { z } from 'zod';
import { DecimalString } from '../../core/transactions/schema.ts';
import { DocId } from '../../core/sync/primitives.ts';
import { PARTNER_WEBHOOK_EVENTS, PartnerPeriod, PartnerQueryItem, PartnerStatementSummary, PartnerTransactionItem, PartnerTransactionPage } from '../../core/sync/partner-api.ts';
import { ApiKeyScope } from './api-keys.ts';
import { QUERY_TEXT_CHARS_MAX } from './queries.ts';
import { TRANSACTIONS_PAGE_MAX } from './scope.ts';

/** The partner API's and its admin routes' shapes: checked on every request, and the source of the OpenAPI document. */
export const Period = PartnerPeriod;
export const PartnerId = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/, 'expected a partner id of letters, digits and _ . : @ -');

export const StatementParams = z.strictObject({ id: DocId });
export const LineParams = z.strictObject({ id: DocId, line: z.coerce.number().int().min(1).max(1_000_000) });
export const StatementsQuery = z.strictObject({ period: Period.optional() });
export const PageQuery = z.strictObject({ offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0), limit: z.coerce.number().int().min(1).max(TRANSACTIONS_PAGE_MAX).default(100) });
export const QueryBody = z.strictObject({
  line: z.number().int().min(1).max(1_000_000),
  text: z.string().trim().min(1).max(QUERY_TEXT_CHARS_MAX),
  claimedAmount: DecimalString.optional(),
});

export const ErrorResponse = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) });

export const StatementSummary = PartnerStatementSummary;
export const StatementList = z.object({ statements: z.array(StatementSummary) });
export const StatementResponse = StatementSummary.extend({
  /** The statement file as settle writes it: {statement, sha256}; `settledesk verify` checks it with the JWS. */
  document: z.object({ statement: z.record(z.string(), z.unknown()), sha256: z.string() }),
  jws: z.string().nullable(),
  diff: z.record(z.string(), z.unknown()).nullable(),
});
export const TransactionItem = PartnerTransactionItem;
export const TransactionPage = PartnerTransactionPage;
export const QueryItem = PartnerQueryItem;
export const QueryResponse = z.object({ query: QueryItem });
export const QueryList = z.object({ queries: z.array(QueryItem) });

export const PartnerBody = z.strictObject({ id: PartnerId, name: z.string().min(1).max(200), analyst: z.string().min(1).max(100) });
export const PartnerParams = z.strictObject({ partnerId: PartnerId });
export const PartnerUserBody = z.strictObject({ username: z.string().min(1).max(100).regex(/^[a-z0-9][a-z0-9_.@-]*$/), password: z.string().min(12).max(1000) });
export const ApiKeyBody = z.strictObject({ name: z.string().min(1).max(200), scopes: z.array(ApiKeyScope).min(1).max(2), expiresAt: z.iso.datetime({ offset: true }) });
export const ApiKeyParams = z.strictObject({ partnerId: PartnerId, keyId: z.string().regex(/^pk_[0-9a-f]{24}$/) });
export const WebhookBody = z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2000), events: z.array(z.enum(PARTNER_WEBHOOK_EVENTS)).min(1).max(3) });
export const ArtifactBody = z.strictObject({ jws: z.string().min(1).max(1_000_000).nullable(), pdfBase64: z.string().min(1).max(40_000_000).nullable() });
