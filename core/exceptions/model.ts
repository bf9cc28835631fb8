import { z } from 'zod';
import { assert } from '../assert.ts';
import { SettleDeskError } from '../errors.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { CurrencyCodeSchema, DecimalString } from '../transactions/schema.ts';

/**
 * One model for everything that needs a human. Records are immutable values: every change
 * (transition, assignment, comment) returns a new record with `updatedAt` set from the `at`
 * the caller passes (core has no clock), and a transition appends to `history`.
 *
 * Workflow: open -> investigating -> resolved | waived; open -> resolved | waived directly;
 * investigating -> open (handed back); resolved | waived -> open (reopened). Resolving, waiving
 * and reopening need a reason. Anything else is an ExceptionTransitionError.
 */
export const EXCEPTION_TYPES = [
  'import_rejected',
  'unclassified',
  'duplicate',
  'conflicting_duplicate',
  'unmatched',
  'amount_mismatch',
  'fx_rate_missing',
  'anomaly',
  'threshold_breach',
  'negative_balance',
  /** A partner questioned a line of an approved statement (server/partner): a person answers. */
  'partner-query',
] as const;
export const ExceptionType = z.enum(EXCEPTION_TYPES);
export type ExceptionType = z.infer<typeof ExceptionType>;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export const EXCEPTION_STATUSES = ['open', 'investigating', 'resolved', 'waived'] as const;
export const ExceptionStatus = z.enum(EXCEPTION_STATUSES);
export type ExceptionStatus = z.infer<typeof ExceptionStatus>;

const Instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'expected an ISO 8601 instant with offset');
const Period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

export const SourceRefKind = z.enum(['transaction', 'import-row', 'import-file', 'match-group', 'fx-rate', 'statement', 'partner', 'settlement']);
export const ExceptionSourceRef = z.object({
  kind: SourceRefKind,
  id: z.string().min(1),
  /** 1-based line for import rows; null otherwise. */
  line: z.number().int().positive().nullable().default(null),
});
export type ExceptionSourceRef = z.infer<typeof ExceptionSourceRef>;

export const AmountAtRisk = z.object({ amount: DecimalString.refine((text) => !text.startsWith('-'), 'amount at risk is not negative'), currency: CurrencyCodeSchema });
export type AmountAtRisk = z.infer<typeof AmountAtRisk>;

export const ExceptionComment = z.object({ at: Instant, author: z.string().min(1), text: z.string().min(1) });
export type ExceptionComment = z.infer<typeof ExceptionComment>;

export const ExceptionTransition = z.object({
  at: Instant,
  from: ExceptionStatus,
  to: ExceptionStatus,
  by: z.string().min(1),
  reason: z.string().nullable(),
  /** True when the system closed it because later data resolved it (autoclose.ts). */
  auto: z.boolean(),
});
export type ExceptionTransition = z.infer<typeof ExceptionTransition>;

export const ExceptionRecord = z.object({
  /** Deterministic: exceptionId(type, key), so raising the same problem twice gives one record. */
  id: z.string().regex(/^exc_[0-9a-f]{32}$/),
  type: ExceptionType,
  severity: Severity,
  title: z.string().min(1),
  amountAtRisk: AmountAtRisk.nullable(),
  partnerId: z.string().nullable(),
  period: Period.nullable(),
  sourceRefs: z.array(ExceptionSourceRef),
  /** Machine-readable facts (codes, lines, rule names), all text. */
  details: z.record(z.string(), z.string()),
  status: ExceptionStatus,
  assignee: z.string().nullable(),
  comments: z.array(ExceptionComment),
  history: z.array(ExceptionTransition),
  createdAt: Instant,
  updatedAt: Instant,
});
export type ExceptionRecord = z.infer<typeof ExceptionRecord>;

export type ExceptionErrorCode = 'exception_transition_illegal' | 'exception_reason_required' | 'exception_time_invalid';

export class ExceptionTransitionError extends SettleDeskError {
  constructor(code: ExceptionErrorCode, message: string, details: Record<string, unknown>) {
    super(code, message, {}, details);
    this.name = 'ExceptionTransitionError';
  }
}

const ALLOWED: Readonly<Record<ExceptionStatus, readonly ExceptionStatus[]>> = {
  open: ['investigating', 'resolved', 'waived'],
  investigating: ['open', 'resolved', 'waived'],
  resolved: ['open'],
  waived: ['open'],
};

/** Moves that must say why: closing either way, and reopening a closed one. */
function needsReason(from: ExceptionStatus, to: ExceptionStatus): boolean {
  return to === 'resolved' || to === 'waived' || (to === 'open' && (from === 'resolved' || from === 'waived'));
}

export function isClosed(status: ExceptionStatus): boolean {
  return status === 'resolved' || status === 'waived';
}

const SEPARATOR = '\u001f';

/** The id of an exception from its type and the parts that identify the problem (file + line, transaction id, ...). */
export function exceptionId(type: ExceptionType, keyParts: readonly string[]): string {
  assert(keyParts.length > 0, 'an exception key has at least one part', { type });
  return `exc_${sha256Hex(['exception', type, ...keyParts].join(SEPARATOR)).slice(0, 32)}`;
}

export interface NewException {
  readonly type: ExceptionType;
  readonly key: readonly string[];
  readonly severity: Severity;
  readonly title: string;
  readonly amountAtRisk: AmountAtRisk | null;
  readonly partnerId: string | null;
  readonly period: string | null;
  readonly sourceRefs: readonly ExceptionSourceRef[];
  readonly details?: Readonly<Record<string, string>>;
}

export function createException(input: NewException, at: string): ExceptionRecord {
  return ExceptionRecord.parse({
    id: exceptionId(input.type, input.key),
    type: input.type,
    severity: input.severity,
    title: input.title,
    amountAtRisk: input.amountAtRisk,
    partnerId: input.partnerId,
    period: input.period,
    sourceRefs: input.sourceRefs,
    details: input.details ?? {},
    status: 'open',
    assignee: null,
    comments: [],
    history: [],
    createdAt: at,
    updatedAt: at,
  });
}

function instantMs(text: string, field: string): number {
  const parsed = Instant.safeParse(text);
  const ms = parsed.success ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new ExceptionTransitionError('exception_time_invalid', `${field} ${JSON.stringify(text)} is not an ISO 8601 instant with offset`, { field, value: text });
  return ms;
}

export interface TransitionRequest {
  readonly to: ExceptionStatus;
  readonly by: string;
  readonly at: string;
  readonly reason?: string | null;
  readonly auto?: boolean;
}

export function transition(record: ExceptionRecord, request: TransitionRequest): ExceptionRecord {
  const from = record.status;
  if (!ALLOWED[from].includes(request.to)) {
    throw new ExceptionTransitionError('exception_transition_illegal', `exception ${record.id} cannot go from ${from} to ${request.to}`, { id: record.id, from, to: request.to });
  }
  const reason = request.reason?.trim() ?? '';
  if (needsReason(from, request.to) && reason === '') {
    throw new ExceptionTransitionError('exception_reason_required', `moving exception ${record.id} from ${from} to ${request.to} needs a reason`, { id: record.id, from, to: request.to });
  }
  instantMs(request.at, 'at');
  const step: ExceptionTransition = { at: request.at, from, to: request.to, by: request.by, reason: reason === '' ? null : reason, auto: request.auto ?? false };
  const next = ExceptionRecord.parse({ ...record, status: request.to, history: [...record.history, step], updatedAt: request.at });
  assert(next.history.length === record.history.length + 1, 'a transition appends exactly one history entry');
  return next;
}

export function assign(record: ExceptionRecord, assignee: string | null, at: string): ExceptionRecord {
  instantMs(at, 'at');
  return ExceptionRecord.parse({ ...record, assignee, updatedAt: at });
}

export function addComment(record: ExceptionRecord, comment: ExceptionComment): ExceptionRecord {
  return ExceptionRecord.parse({ ...record, comments: [...record.comments, comment], updatedAt: comment.at });
}

const DAY_MS = 86_400_000;

/** How long the exception has been (or was) unresolved, from createdAt to `now` or to its closing. */
export function ageOf(record: ExceptionRecord, now: string): { readonly ms: number; readonly days: number } {
  const created = instantMs(record.createdAt, 'createdAt');
  const closing = isClosed(record.status) ? [...record.history].reverse().find((step) => isClosed(step.to)) : undefined;
  const end = closing !== undefined ? instantMs(closing.at, 'history.at') : instantMs(now, 'now');
  const ms = Math.max(0, end - created);
  return { ms, days: Math.floor(ms / DAY_MS) };
}
