import { z } from 'zod';
import type { ConflictingDuplicate, Duplicate, ImportIssue, Rejection, StatementSummary } from '../../core/ingest/result.ts';
import type { Anomaly } from '../../core/insight/types.ts';
import type { CurrencyForecast } from '../../core/insight/forecast.ts';
import { ExceptionStatus, Severity, type ExceptionRecord } from '../../core/exceptions/model.ts';
import { UNMATCHED_SIDES } from '../../core/exceptions/from-reconcile.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import type { ImportBatchDoc } from '../../core/sync/batch.ts';
import type { AgreementVersion } from '../../core/settlement/agreement.ts';
import type { SettleOutput } from './settle.ts';
import type { RowPage, RowQuery } from './row-store.ts';
import type { StoredBatch } from '../desk/transactions.ts';
import { DATE_STYLES, LOCALES, NUMBER_FORMATS } from '../i18n/format.ts';
import type { GroupRowsNow, ReviewFacts, RowsBehind, UnmatchedRowsQuery } from './review.ts';
import type { GroupPage, GroupQuery } from './group-pages.ts';
import { ITEM_SIDES, type ItemPage, type ItemQuery } from './unmatched-items.ts';
import type { SuggestionPage, SuggestionQuery } from './suggestion-pages.ts';
import { PreviewInputSchema, type PreviewRequest } from '../src/screens/partners/partners-worker-protocol.ts';
import type { Preview } from '../src/screens/partners/preview.ts';
import type { Statement, StatementLine } from '../../core/settlement/statement.ts';

/**
 * The engine worker's typed protocol. The main thread sends EngineRequest (validated by zod in
 * the worker before any handler runs); the worker answers with progress events and one result
 * or error per request id (the envelope validated by zod on the main thread). The handler map
 * EngineHandlers types each request kind's input and result end to end, as IPC domains do.
 */
const FileInput = z.strictObject({ name: z.string().min(1).max(1000), bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected the bytes of a file') });
export type FileInput = z.infer<typeof FileInput>;

const DECIMAL = /^-?\d+(\.\d+)?$/;
const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A transaction already in the workspace: what duplicate and conflict detection needs. */
const KnownRow = z.strictObject({
  id: z.string().min(1),
  line: z.number().int().nullable(),
  sourceId: z.string().nullable(),
  amount: z.string().regex(DECIMAL),
  currency: z.string().length(3),
  bookingDate: CalendarDate.nullable(),
  valueDate: CalendarDate.nullable(),
});
export type KnownRow = z.infer<typeof KnownRow>;

const ImportInput = z.strictObject({
  files: z.array(FileInput).min(1).max(10_000),
  /** Mapping profiles (CsvProfileInput, validated by core) by file name, for generic CSVs. */
  profiles: z.record(z.string(), z.unknown()),
  /** Rows known besides those in the worker's row store (which always count). */
  known: z.array(KnownRow),
  /**
   * Send the imported transactions back (in parts, row-parts.ts). The worker keeps them in its
   * row store either way; false leaves them there only, as the Transactions grid needs.
   */
  returnRows: z.boolean().optional(),
  /**
   * Pack each imported file's transactions into the desk's stored batches (renderer/desk/pack.ts)
   * under a new import id, in the worker: the outcome carries `importId` and `batches` (posted
   * in parts) and no rows, and the worker keeps the batches for `analyze`.
   */
  pack: z.boolean().optional(),
});
const CsvPreviewInput = z.strictObject({ file: FileInput, profile: z.unknown().nullable(), rowsMax: z.number().int().min(1).max(200) });
const DemoInput = z.strictObject({ seed: z.number().int().min(0).max(2 ** 31), month: z.string().regex(/^\d{4}-\d{2}$/), now: z.iso.datetime(), pack: z.boolean().optional() });
const DemoMonthRef = z.strictObject({ seed: z.number().int().min(0).max(2 ** 31), month: z.string().regex(/^\d{4}-\d{2}$/) });
/** The dashboard's analysis over the month the worker holds as batches (packed imports and rows-load). */
const AnalyzeInput = z.strictObject({
  now: z.iso.datetime(),
  /** The demo month the workspace was made from: its partner reports and agreements feed the insights. */
  demo: DemoMonthRef.nullable(),
  /** More unmatched rows than this on one side, account, currency and day are raised as one exception (core's default when absent). */
  groupUnmatchedAbove: z.number().int().min(0).max(1_000_000).optional(),
});
/** A page of a grouped unmatched exception's rows (review.ts UnmatchedRowsQuery). */
const UnmatchedRowsInput = z
  .strictObject({ side: z.enum(UNMATCHED_SIDES), account: z.string().max(1000), currency: z.string().length(3), date: CalendarDate, startRow: z.number().int().min(0), endRow: z.number().int().min(0) })
  .refine((query) => query.endRow >= query.startRow && query.endRow - query.startRow <= 1000, 'a page holds at most 1,000 rows');

/** Batches as the desk stores them (their columns one text): decoded in the worker, every column's length checked. */
const StoredBatches = z
  .array(z.custom<StoredBatch>((value) => typeof value === 'object' && value !== null && 'columnsJson' in value && typeof value.columnsJson === 'string' && 'importId' in value && 'rowCount' in value, 'expected a stored import batch'))
  .max(20);

const TextCondition = z.strictObject({ filterType: z.literal('text'), type: z.enum(['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith', 'blank', 'notBlank']), filter: z.string().max(1000).nullish() });
const BigIntCondition = z.strictObject({
  filterType: z.literal('bigint'),
  type: z.enum(['equals', 'notEqual', 'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual', 'inRange', 'blank', 'notBlank']),
  filter: z.string().max(200).nullish(),
  filterTo: z.string().max(200).nullish(),
});
const Condition = z.discriminatedUnion('filterType', [TextCondition, BigIntCondition]);
/** AG Grid's filter model of one column: a condition, or two joined by AND / OR. */
const ColumnFilterSchema = z.union([Condition, z.strictObject({ filterType: z.enum(['text', 'bigint']), operator: z.enum(['AND', 'OR']), conditions: z.array(Condition).min(1).max(10) })]);
const OptionalDay = z.union([CalendarDate, z.literal('')]);
const SortModel = z.array(z.strictObject({ colId: z.string().min(1).max(100), sort: z.enum(['asc', 'desc']), type: z.enum(['default', 'absolute']).nullish() })).max(20);
/** What every paged grid's block query holds (AG Grid's Infinite Row Model request, with the screen's quick filter). */
const PAGE_FIELDS = {
  startRow: z.number().int().min(0),
  endRow: z.number().int().min(0),
  sortModel: SortModel,
  filterModel: z.record(z.string(), ColumnFilterSchema),
  quickFilter: z.string().max(1000),
};
/** A block of the Reconciliation screen's matched groups (group-pages.ts GroupQuery). */
const MatchGroupsInput = z
  .strictObject({
    ...PAGE_FIELDS,
    ruleLabels: z.record(z.string(), z.string().max(200)),
    scaleDigits: z.number().int().min(0).max(100),
  })
  .refine((query) => query.endRow >= query.startRow && query.endRow - query.startRow <= 1000, 'a block holds at most 1,000 groups');
/** A block of one side of the Reconciliation screen's unmatched items (unmatched-items.ts ItemQuery). */
const UnmatchedItemsInput = z
  .strictObject({
    side: z.enum(ITEM_SIDES),
    ...PAGE_FIELDS,
    scaleDigits: z.number().int().min(0).max(100),
  })
  .refine((query) => query.endRow >= query.startRow && query.endRow - query.startRow <= 1000, 'a block holds at most 1,000 items');
/** A block of the Reconciliation screen's suggestions (suggestion-pages.ts SuggestionQuery). */
const SuggestionsInput = z
  .strictObject({
    ...PAGE_FIELDS,
    reasonTexts: z.record(z.string(), z.string().max(500)),
    numberFormat: z.enum(NUMBER_FORMATS),
    scaleDigits: z.number().int().min(0).max(100),
  })
  .refine((query) => query.endRow >= query.startRow && query.endRow - query.startRow <= 1000, 'a block holds at most 1,000 suggestions');
/** The ids the desk's documents say were matched by hand (manual-match exceptions and comments): left out of the unmatched items and a group's rows. */
const HandMatchedInput = z.strictObject({ ids: z.array(z.string().min(1).max(1000)).max(2_000_000) });
/** One block of the Transactions grid, asked of the worker's row store (row-store.ts RowQuery). */
const RowQueryInput = z.strictObject({
  /** Queries of one view supersede each other: an older one still filtering gives up (row_query_superseded). */
  view: z.string().min(1).max(100),
  from: OptionalDay,
  to: OptionalDay,
  search: z.string().max(1000),
  quickFilter: z.string().max(1000),
  kindLabels: z.record(z.string(), z.string().max(200)),
  dateFormat: z.strictObject({ locale: z.enum(LOCALES), dateStyle: z.enum(DATE_STYLES) }).optional(),
  filterModel: z.record(z.string(), ColumnFilterSchema),
  sortModel: SortModel,
  startRow: z.number().int().min(0),
  endRow: z.number().int().min(0),
  scaleDigits: z.number().int().min(0).max(100),
}).refine((query) => query.endRow - query.startRow <= 1000, 'a block holds at most 1,000 rows');

const RunRates = z.strictObject({ source: z.string().max(200), base: z.string().length(3), quotes: z.record(CalendarDate, z.record(z.string().length(3), z.string().regex(DECIMAL))) });
/** A settlement run over the desk's stored batches (renderer/engine/settle.ts); each batch is checked against its content hash as it is unpacked. */
const SettleInput = z.strictObject({
  runId: z.string().min(1).max(200),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  revision: z.number().int().min(1),
  batches: z.array(z.custom<ImportBatchDoc>((value) => typeof value === 'object' && value !== null && 'contentHash' in value && 'columns' in value, 'expected an import batch document')).max(100_000),
  reference: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('demo'), seed: z.number().int().min(0).max(2 ** 31), month: z.string().regex(/^\d{4}-\d{2}$/) }),
    z.strictObject({ kind: z.literal('given'), agreements: z.array(z.custom<AgreementVersion>((value) => typeof value === 'object' && value !== null && 'agreementId' in value)).max(10_000), rates: RunRates }),
  ]),
  statesIn: z.record(z.string(), z.any()),
  exceptions: z.array(z.object({ id: z.string(), partnerId: z.string().nullable(), severity: Severity, status: ExceptionStatus, period: z.string().nullable(), title: z.string() })),
});

export const EngineRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('import'), input: ImportInput }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('csv-preview'), input: CsvPreviewInput }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('demo'), input: DemoInput }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('analyze'), input: AnalyzeInput }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('settle'), input: SettleInput }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('review'), input: z.strictObject({}) }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('rows-by-id'), input: z.strictObject({ ids: z.array(z.string().min(1).max(1000)).max(2_000_000) }) }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('agreement-preview'), input: PreviewInputSchema }),
  z.strictObject({
    id: z.number().int().nonnegative(),
    kind: z.literal('rows-behind'),
    input: z.strictObject({
      statement: z.custom<Statement>((value) => typeof value === 'object' && value !== null && 'partnerId' in value && 'period' in value && 'options' in value, 'expected a statement'),
      line: z.custom<StatementLine>((value) => typeof value === 'object' && value !== null && 'kinds' in value && 'currency' in value, 'expected a statement line'),
      max: z.number().int().min(0).max(1000),
    }),
  }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('unmatched-rows'), input: UnmatchedRowsInput }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('match-groups'), input: MatchGroupsInput }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('unmatched-items'), input: UnmatchedItemsInput }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('suggestions'), input: SuggestionsInput }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('hand-matched'), input: HandMatchedInput }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('unmatched-totals'), input: z.strictObject({}) }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('rows-reset'), input: z.strictObject({}) }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('rows-load'), input: z.strictObject({ batches: StoredBatches }) }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('rows-query'), input: RowQueryInput }),
]);
export type EngineRequest = z.infer<typeof EngineRequestSchema>;

export interface ImportProgress {
  readonly file: string;
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Records read so far over every file of the request. */
  readonly rows: number;
  /** Whole rows per second since the request started. */
  readonly rowsPerSecond: number;
  /** Bytes of the request's files read so far (within a big file too, as it is parsed), of bytesTotal. */
  readonly bytes: number;
  readonly bytesTotal: number;
}

const Progress = z.strictObject({
  file: z.string(),
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  rowsPerSecond: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  bytesTotal: z.number().int().nonnegative(),
});

/** A settlement run's progress: batches unpacked of the run's, rows so far. */
export interface SettleProgress {
  readonly batchesDone: number;
  readonly batchesTotal: number;
  readonly rows: number;
  readonly rowsPerSecond: number;
}
const SettleProgressSchema = z.strictObject({ batchesDone: z.number().int().nonnegative(), batchesTotal: z.number().int().nonnegative(), rows: z.number().int().nonnegative(), rowsPerSecond: z.number().int().nonnegative() });

export const EngineResponseSchema = z.discriminatedUnion('type', [
  z.strictObject({ id: z.number().int(), type: z.literal('settle-progress'), progress: SettleProgressSchema }),
  z.strictObject({ id: z.number().int(), type: z.literal('progress'), progress: Progress }),
  /** A part of one imported file's transactions, posted ahead of the result (row-parts.ts). */
  z.strictObject({ id: z.number().int(), type: z.literal('rows'), file: z.number().int().nonnegative(), rows: z.array(z.custom<CanonicalTransaction>((value) => typeof value === 'object' && value !== null)) }),
  /** A part of the exceptions an analysis raised, posted ahead of its facts (row-parts.ts). */
  z.strictObject({ id: z.number().int(), type: z.literal('exceptions'), exceptions: z.array(z.custom<ExceptionRecord>((value) => typeof value === 'object' && value !== null && 'id' in value)) }),
  /** A part of one imported file's packed batches, posted ahead of the result (row-parts.ts). */
  z.strictObject({ id: z.number().int(), type: z.literal('batches'), file: z.number().int().nonnegative(), batches: z.array(z.custom<StoredBatch>((value) => typeof value === 'object' && value !== null && 'columnsJson' in value)) }),
  z.strictObject({ id: z.number().int(), type: z.literal('result'), result: z.unknown() }),
  z.strictObject({ id: z.number().int(), type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type EngineResponse = z.infer<typeof EngineResponseSchema>;

/** One file's outcome: imported with its row account, waiting for a mapping profile, or refused whole. */
export type FileOutcome =
  | {
      readonly status: 'imported';
      readonly name: string;
      readonly format: string;
      readonly sha256: string;
      readonly sizeBytes: number;
      readonly rowsRead: number;
      readonly entriesRead: number;
      readonly rejected: readonly Rejection[];
      readonly duplicates: readonly Duplicate[];
      readonly conflicts: readonly ConflictingDuplicate[];
      readonly issues: readonly ImportIssue[];
      readonly statements: readonly StatementSummary[];
      readonly transactions: readonly CanonicalTransaction[];
      /** Transactions kept in the worker's row store and not sent back (an import with returnRows false, or packed). */
      readonly kept?: number;
      /** A packed import (`pack`): the id its batches were packed under, and the batches as the desk stores them, in chunk order. */
      readonly importId?: string;
      readonly batches?: readonly StoredBatch[];
    }
  /** `bytes` is set for a member of a zip, which the wizard cannot read from the dropped files. */
  | { readonly status: 'needs-profile'; readonly name: string; readonly bytes?: Uint8Array }
  /** `details` are the error's (a refusal said as a code and values, core's FileImportError), for the screen's language. */
  | { readonly status: 'failed'; readonly name: string; readonly code: string; readonly message: string; readonly details?: Readonly<Record<string, unknown>> };

export interface ImportBatchResult {
  readonly files: readonly FileOutcome[];
  readonly rows: number;
  readonly elapsedMs: number;
}

/** The first rows of a delimited file as cells, and (with a valid profile) as the importer reads them. */
export interface CsvPreview {
  readonly delimiter: string;
  /** Index in `rows` of the row taken as the header (the first row with the most cells). */
  readonly headerIndex: number;
  readonly rows: readonly (readonly string[])[];
  readonly profileProblems: readonly string[];
  /** The details of the error behind profileProblems (the file refused with this profile), for the screen's language. */
  readonly refusal?: Readonly<Record<string, unknown>>;
  readonly parsed: readonly PreviewRow[];
}

export type PreviewRow =
  | { readonly line: number; readonly ok: true; readonly date: string; readonly amount: string; readonly currency: string; readonly kind: string; readonly reference: string | null; readonly description: string | null }
  | { readonly line: number; readonly ok: false; readonly column: string | number | null; readonly code: string; readonly reason: string; readonly says?: string | undefined; readonly params?: Readonly<Record<string, string>> | undefined };

export interface AmountByCurrency {
  readonly currency: string;
  readonly amount: string;
  readonly count: number;
}

export interface DashboardFacts {
  readonly unmatchedBank: readonly AmountByCurrency[];
  readonly unmatchedPsp: readonly AmountByCurrency[];
  /** Open exceptions per age bucket (days since raised) and severity. */
  readonly exceptionsByAge: readonly { readonly bucket: AgeBucket; readonly severity: Severity; readonly count: number }[];
  readonly exceptionsOpen: number;
  /** The exceptions reconciliation raised (deterministic ids), for the desk to keep. */
  readonly exceptions: readonly ExceptionRecord[];
  readonly anomalies: readonly Anomaly[];
  readonly forecast: readonly CurrencyForecast[];
  readonly window: { readonly from: string; readonly to: string } | null;
}

export const AGE_BUCKETS = ['0_2', '3_7', '8_30', '31'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export interface DemoData {
  readonly month: string;
  readonly imports: ImportBatchResult;
  readonly facts: DashboardFacts;
}

export type ProgressSink = (progress: ImportProgress) => void;

export interface EngineHandlers {
  import(input: z.infer<typeof ImportInput>, progress: ProgressSink): Promise<ImportBatchResult>;
  'csv-preview'(input: z.infer<typeof CsvPreviewInput>): CsvPreview;
  demo(input: z.infer<typeof DemoInput>, progress: ProgressSink): Promise<DemoData>;
  analyze(input: z.infer<typeof AnalyzeInput>): Promise<DashboardFacts>;
  settle(input: z.infer<typeof SettleInput>, progress: (progress: SettleProgress) => void): SettleOutput;
  /** The month's reconciliation and what the review screens show of it (review.ts), computed once with the analysis. */
  review(input: Record<string, never>): Promise<ReviewFacts>;
  /** The month's rows of these ids, in their order (an exception's evidence, an accepted suggestion's members). */
  'rows-by-id'(input: { readonly ids: readonly string[] }): Promise<CanonicalTransaction[]>;
  /** The Partners screen's preview of an edited agreement over the partner's rows (only the answer travels). */
  'agreement-preview'(input: PreviewRequest): Promise<Preview>;
  /** The rows a statement line counted: how many, and the first `max` (the drill-down shows them). */
  'rows-behind'(input: { readonly statement: Statement; readonly line: StatementLine; readonly max: number }): Promise<RowsBehind>;
  /** A grouped unmatched exception's rows as the month has them now: how many are open, their exact net and gross, and one page (its evidence). */
  'unmatched-rows'(input: UnmatchedRowsQuery): Promise<GroupRowsNow>;
  /** A block of the month's matched groups (PSP <-> bank) after the grid's sort and filters, with their count and totals. */
  'match-groups'(input: GroupQuery): Promise<GroupPage>;
  /** A block of one side's unmatched items (PSP <-> bank) after the grid's sort and filters, hand-matched ones left out, with their count and totals. */
  'unmatched-items'(input: ItemQuery): Promise<ItemPage>;
  /** A block of the month's suggestions (PSP <-> bank) after the grid's sort and filters, those with a side all hand-matched left out, with their count. */
  suggestions(input: SuggestionQuery): Promise<SuggestionPage>;
  /** Replaces the set of ids matched by hand (the desk's documents say which); its version orders the answers after it. */
  'hand-matched'(input: { readonly ids: readonly string[] }): { readonly version: number; readonly ids: number };
  /** The dashboard's unmatched money per currency, exact, without the ids last told by hand-matched (the desk's one set, useHandMatched). */
  'unmatched-totals'(input: Record<string, never>): Promise<Pick<DashboardFacts, 'unmatchedBank' | 'unmatchedPsp'>>;
  /** Empties the worker's row store (another workspace opens). */
  'rows-reset'(input: Record<string, never>): RowsStored;
  /** Adds the batches the desk read back or replication brought, decoded here (imports and the demo month are added in the worker). */
  'rows-load'(input: { readonly batches: readonly StoredBatch[] }): Promise<RowsStored>;
  'rows-query'(input: RowQuery & { readonly view: string }): Promise<RowPage>;
}

export interface RowsStored {
  readonly stored: number;
}
export type EngineKind = keyof EngineHandlers;
/** The review screens' paged questions about the month the worker holds (its rows stay there). */
export type ReviewQueryKind = 'unmatched-rows' | 'match-groups' | 'unmatched-items' | 'suggestions' | 'hand-matched' | 'unmatched-totals';
/** What a request kind reports while it runs. */
export type EngineProgress<K extends EngineKind> = K extends 'settle' ? SettleProgress : ImportProgress;
export type EngineInput<K extends EngineKind> = Parameters<EngineHandlers[K]>[0];
export type EngineResult<K extends EngineKind> = Awaited<ReturnType<EngineHandlers[K]>>;
