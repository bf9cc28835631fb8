import { z } from 'zod';
import { SettleDeskError } from '../../core/errors.ts';

/**
 * Every error a client sees is `{ error: { code, message, details? } }` with a stable code
 * (tests assert codes, not messages). Anything that is not a SettleDeskError is internal: a
 * 500 with no detail, its stack only in the log.
 */
export const HTTP_ERROR_CODES = [
  'request_invalid',
  'body_too_large',
  'body_too_deep',
  'body_not_json',
  'unauthenticated',
  'token_invalid',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'password_change_required',
  'password_wrong',
  'setup_done',
  'setup_token_invalid',
  'maker_is_checker',
  'statement_blocked',
  'statement_hash_mismatch',
  'statement_not_submitted',
  'rejection_reason_missing',
  'statement_unknown',
  'statement_not_reproducible',
  'recompute_inputs_missing',
  'document_refused',
  'idempotency_key_missing',
  'idempotency_key_reused',
  'import_refused',
  'artifact_not_stored',
  'internal',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

export class HttpError extends SettleDeskError {
  readonly statusCode: number;

  constructor(statusCode: number, code: HttpErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, {}, details);
    this.name = 'HttpError';
    this.statusCode = statusCode;
  }
}

export const ErrorBody = z.strictObject({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Validates a body, query or params against its schema; a mismatch is a 400 naming the first bad path. */
export function parseRequest<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'params'): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [where, ...(issue?.path ?? []).map(String)].join('.');
  throw new HttpError(400, 'request_invalid', `${path}: ${issue?.message ?? 'invalid'}`, { path });
}
