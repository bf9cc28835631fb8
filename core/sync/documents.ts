import { z } from 'zod';
import { ClassificationRule } from '../classify/rules.ts';
import { ExceptionRecord } from '../exceptions/model.ts';
import { CsvProfileSchema } from '../importers/csv-profile.ts';
import { shorten } from '../importers/text-lines.ts';
import { REJECTION_CODES, type Rejection } from '../ingest/result.ts';
import { AgreementVersion } from '../settlement/agreement.ts';
import { PartnerLedgerState } from '../settlement/state.ts';
import { CalendarDate, CurrencyCodeSchema, DecimalString } from '../transactions/schema.ts';
import { ImportBatchDoc } from './batch.ts';
import { DocId, Hash, Instant, UserId } from './primitives.ts';

/**
 * The replicated document types, shared by the desk (RxDB) and the server (PostgreSQL). One
 * collection per type, at most 12 (RxDB's open-source build refuses a 14th open collection).
 *
 * Facts are immutable documents (import batches, approval events, comments, audit events,
 * agreement versions, statements): a second write of the same id with other content is a
 * conflict, never an update. Things people edit (exceptions, mapping profiles, classification
 * rules) carry who changed them last; exceptions merge field by field (merge.ts).
 */

/** How many values a rejection's `says` may carry: the importers name at most six (xml-safety's). */
export const REJECTION_PARAMS_MAX = 16;
const COLUMN_CHARS_MAX = 200;
const REASON_CHARS_MAX = 2000;

/**
 * A rejected row as an import document keeps it: the importer's English reason and, where the
 * importer names them (core/ingest/result.ts Rejection), what it says as a code and values, for a
 * desk to say it in its language after a reload or a pull. Both bounded: the server takes them
 * from desks' bodies.
 */
export const StoredRejection = z.strictObject({
  line: z.number().int().nonnegative(),
  column: z.union([z.string().max(COLUMN_CHARS_MAX), z.number().int(), z.null()]),
  code: z.enum(REJECTION_CODES),
  reason: z.string().max(REASON_CHARS_MAX),
  says: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a code of lowercase letters, digits and _').max(100).optional(),
  params: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected a name of letters, digits and _').max(100), z.string().max(REASON_CHARS_MAX))
    .refine((params) => Object.keys(params).length <= REJECTION_PARAMS_MAX, { message: `at most ${REJECTION_PARAMS_MAX} values` })
    // The count in the JSON Schema too, for the desk's RxDB schema (derived from this one).
    .meta({ maxProperties: REJECTION_PARAMS_MAX })
    .optional(),
});
export type StoredRejection = z.infer<typeof StoredRejection>;

/** A text within `lengthMax` characters, '…' marking a cut: one long cell must never keep its import from being stored. */
function within(text: string, lengthMax: number): string {
  return text.length <= lengthMax ? text : shorten(text, lengthMax - 1);
}

/** What an import document keeps of a rejected row: all but its text and statement section, each text within its bound. */
export function storedRejectionOf(rejection: Rejection): StoredRejection {
  const { line, column, code, reason, says, params } = rejection;
  return {
    line,
    column: typeof column === 'string' ? within(column, COLUMN_CHARS_MAX) : column,
    code,
    reason: within(reason, REASON_CHARS_MAX),
    ...(says === undefined ? {} : { says }),
    ...(params === undefined ? {} : { params: Object.fromEntries(Object.entries(params).map(([name, value]) => [name, within(value, REASON_CHARS_MAX)])) }),
  };
}

export const ImportDoc = z.strictObject({
  id: DocId,
  file: z.strictObject({ fileName: z.string().max(1000), sha256: Hash, sizeBytes: z.number().int().nonnegative(), format: z.string().min(1).max(100) }),
  rowsRead: z.number().int().nonnegative(),
  entriesRead: z.number().int().nonnegative(),
  /** The row account: every entry read ends in exactly one of these four places. */
  account: z.strictObject({
    transactions: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
    duplicates: z.number().int().nonnegative(),
    conflicts: z.number().int().nonnegative(),
  }),
  rejections: z.array(StoredRejection).max(100_000),
  batchIds: z.array(DocId).max(10_000),
  importedBy: UserId,
  importedAt: Instant,
}).superRefine((doc, ctx) => {
  const { transactions, rejected, duplicates, conflicts } = doc.account;
  if (transactions + rejected + duplicates + conflicts !== doc.entriesRead) {
    ctx.addIssue({ code: 'custom', path: ['account'], message: `row account does not add up: ${transactions}+${rejected}+${duplicates}+${conflicts} != entriesRead ${doc.entriesRead}` });
  }
  if (doc.rejections.length !== rejected) ctx.addIssue({ code: 'custom', path: ['rejections'], message: `${doc.rejections.length} rejections listed, ${rejected} counted` });
});
export type ImportDoc = z.infer<typeof ImportDoc>;

/** Who holds a field two desks changed differently, and what each wrote; kept until a person resolves it. */
export const FieldConflict = z.strictObject({
  field: z.string().min(1).max(100),
  /** The value both desks started from (canonical JSON text). */
  base: z.string(),
  /** Each competing value (canonical JSON text) with who wrote it, sorted by value: merge order does not matter. */
  candidates: z.array(z.strictObject({ value: z.string(), by: UserId })).min(2).max(64),
});
export type FieldConflict = z.infer<typeof FieldConflict>;

export const ExceptionDoc = ExceptionRecord.extend({
  updatedBy: UserId,
  conflicts: z.array(FieldConflict).max(64),
}).strict();
export type ExceptionDoc = z.infer<typeof ExceptionDoc>;

export const COMMENT_SUBJECT_KINDS = ['exception', 'statement', 'import', 'settlement-run'] as const;
/** A comment's text holds at most this many characters (the desk writes a long manual match in parts within it). */
export const COMMENT_TEXT_CHARS_MAX = 10_000;
export const CommentDoc = z.strictObject({
  id: DocId,
  subject: z.strictObject({ kind: z.enum(COMMENT_SUBJECT_KINDS), id: DocId }),
  author: UserId,
  text: z.string().min(1).max(COMMENT_TEXT_CHARS_MAX),
  at: Instant,
});
export type CommentDoc = z.infer<typeof CommentDoc>;

export const AgreementVersionDoc = z.strictObject({
  /** `${agreementId}@${version}`: a version is never edited; a change is a new version. */
  id: DocId,
  agreement: AgreementVersion,
  createdBy: UserId,
  createdAt: Instant,
}).refine((doc) => doc.id === `${doc.agreement.agreementId}@${doc.agreement.version}`, { message: 'id must be agreementId@version', path: ['id'] });
export type AgreementVersionDoc = z.infer<typeof AgreementVersionDoc>;

export const MappingProfileDoc = z.strictObject({
  id: DocId,
  name: z.string().min(1).max(200),
  profile: CsvProfileSchema,
  updatedBy: UserId,
  updatedAt: Instant,
});
export type MappingProfileDoc = z.infer<typeof MappingProfileDoc>;

export const ClassificationRuleDoc = z.strictObject({
  id: DocId,
  /** Position in the rule list: the first matching rule wins. */
  order: z.number().int().nonnegative(),
  rule: ClassificationRule,
  updatedBy: UserId,
  updatedAt: Instant,
});
export type ClassificationRuleDoc = z.infer<typeof ClassificationRuleDoc>;

const Period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

/** Everything besides batches and agreement versions that a run reads: what the server needs to recompute it. */
export const RunInputs = z.strictObject({
  period: z.strictObject({ start: CalendarDate, end: CalendarDate }),
  paymentDate: CalendarDate.nullable(),
  partnerIds: z.array(z.string().min(1).max(200)).max(10_000),
  rates: z.strictObject({ source: z.string().max(200), base: CurrencyCodeSchema, quotes: z.record(CalendarDate, z.record(CurrencyCodeSchema, DecimalString)) }),
  /** Each partner's ledger state after the previous period. */
  statesIn: z.record(z.string().min(1).max(200), PartnerLedgerState),
});
export type RunInputs = z.infer<typeof RunInputs>;

export const SettlementRunDoc = z.strictObject({
  id: DocId,
  period: Period,
  revision: z.number().int().min(1),
  inputs: RunInputs,
  /** Canonical hash of every input (batches, agreement versions, rules, carry-in states): what the server recomputes from. */
  inputsHash: Hash,
  inputBatchIds: z.array(DocId).max(100_000),
  agreementVersionIds: z.array(DocId).max(10_000),
  statementIds: z.array(DocId).max(10_000),
  exceptionCount: z.number().int().nonnegative(),
  createdBy: UserId,
  createdAt: Instant,
});
export type SettlementRunDoc = z.infer<typeof SettlementRunDoc>;

export const StatementDoc = z.strictObject({
  id: DocId,
  runId: DocId,
  partnerId: z.string().min(1).max(200),
  period: Period,
  revision: z.number().int().nonnegative(),
  /** The statement's canonical JSON text (core/canonical/json.ts) and its SHA-256: what an approval binds to. */
  canonicalJson: z.string().min(2).max(5_000_000),
  hash: Hash,
  currency: CurrencyCodeSchema,
  /** Copied from the statement's totals so the server can keep it as numeric; verifyStatementDoc checks it. */
  payable: DecimalString,
  /** A blocked statement (open critical exceptions, unsettled money) cannot be submitted. */
  blocked: z.boolean(),
  blockReasons: z.array(z.string().min(1).max(500)).max(100),
  createdBy: UserId,
  createdAt: Instant,
}).refine((doc) => doc.blocked === doc.blockReasons.length > 0, { message: 'a statement is blocked exactly when it has block reasons', path: ['blocked'] });
export type StatementDoc = z.infer<typeof StatementDoc>;

export const APPROVAL_ACTIONS = ['submitted', 'approved', 'rejected', 'withdrawn'] as const;
export const ApprovalAction = z.enum(APPROVAL_ACTIONS);
export type ApprovalAction = z.infer<typeof ApprovalAction>;

export const ApprovalEventDoc = z.strictObject({
  id: DocId,
  statementId: DocId,
  /** The canonical hash the actor saw: an approval of anything else is refused. */
  statementHash: Hash,
  action: ApprovalAction,
  by: UserId,
  at: Instant,
  reason: z.string().max(2000).nullable(),
});
export type ApprovalEventDoc = z.infer<typeof ApprovalEventDoc>;

/** An audit event's detail value holds at most this many characters (a reason written into one, too: the desk's reason field stops there). */
export const AUDIT_VALUE_CHARS_MAX = 2000;

export const AuditEventDoc = z.strictObject({
  id: DocId,
  /** One chain per writer (a desk, or the server): offline desks cannot share one sequence. */
  chainId: DocId,
  seq: z.number().int().nonnegative(),
  prevHash: Hash,
  hash: Hash,
  at: Instant,
  actor: UserId,
  action: z.string().min(1).max(100),
  subject: z.strictObject({ kind: z.string().min(1).max(100), id: z.string().min(1).max(200) }),
  details: z.record(z.string().max(100), z.string().max(AUDIT_VALUE_CHARS_MAX)),
});
export type AuditEventDoc = z.infer<typeof AuditEventDoc>;

/** Collection name -> document schema. Eleven collections: room under RxDB's open-source limit. */
export const COLLECTIONS = {
  import_batches: ImportBatchDoc,
  imports: ImportDoc,
  exceptions: ExceptionDoc,
  comments: CommentDoc,
  agreement_versions: AgreementVersionDoc,
  mapping_profiles: MappingProfileDoc,
  classification_rules: ClassificationRuleDoc,
  settlement_runs: SettlementRunDoc,
  statements: StatementDoc,
  approval_events: ApprovalEventDoc,
  audit_events: AuditEventDoc,
} as const;
export type CollectionName = keyof typeof COLLECTIONS;
export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];
export const CollectionNameSchema = z.enum(COLLECTION_NAMES as [CollectionName, ...CollectionName[]]);
export const COLLECTIONS_MAX = 12;

/**
 * How a collection merges. `immutable`: a fact; the same id with other content is a conflict.
 * `fields`: exceptions, merged field by field (merge.ts). `whole`: an edited document whose
 * competing versions are returned to the desk as a conflict for a person to choose.
 */
export const MERGE_POLICY: Readonly<Record<CollectionName, 'immutable' | 'fields' | 'whole'>> = {
  import_batches: 'immutable',
  imports: 'immutable',
  exceptions: 'fields',
  comments: 'immutable',
  agreement_versions: 'immutable',
  mapping_profiles: 'whole',
  classification_rules: 'whole',
  settlement_runs: 'immutable',
  statements: 'immutable',
  approval_events: 'immutable',
  audit_events: 'immutable',
};

export type DocOf<C extends CollectionName> = z.infer<(typeof COLLECTIONS)[C]>;
