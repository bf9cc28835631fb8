import { z } from 'zod';
import { SettleDeskError } from '../errors.ts';
import { TEXT_ENCODINGS } from '../ingest/decode.ts';
import { AMOUNT_FORMATS, type AmountFormat, type AmountFormatName } from '../money/parse.ts';
import { CurrencyCodeSchema, TransactionKind } from '../transactions/schema.ts';
import { DATE_FORMATS, TIME_PRESENCE, zoneResolver } from './csv-dates.ts';

/**
 * A saved mapping profile: everything needed to read one bank's or partner's CSV/TSV layout
 * into canonical transactions. Profiles are data (saved per source, shared between desks), so
 * they are validated with zod and unknown keys are refused: a typo must not silently drop a column.
 */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

const ColumnName = z.string().trim().min(1).max(200);
const AMOUNT_FORMAT_NAMES = Object.keys(AMOUNT_FORMATS) as [AmountFormatName, ...AmountFormatName[]];

const ExplicitAmountFormat = z.strictObject({
  decimalSeparator: z.enum(['.', ',']),
  groupSeparators: z.array(z.enum([',', '.', ' ', '\u00a0', '\u202f', "'", '\u2019'])).max(4).default([]),
});

const SignConvention = z.discriminatedUnion('convention', [
  /** One signed amount column (optionally negated, for exports that print money in as negative). */
  z.strictObject({ convention: z.literal('signed'), column: ColumnName, negate: z.boolean().default(false) }),
  /** Separate debit (money out) and credit (money in) columns; exactly one is non-zero per row. */
  z.strictObject({ convention: z.literal('debit-credit'), debit: ColumnName, credit: ColumnName }),
  /** An unsigned amount plus a direction column whose values say in or out. */
  z.strictObject({
    convention: z.literal('direction'),
    amount: ColumnName,
    direction: ColumnName,
    inValues: z.array(z.string().trim().min(1)).min(1),
    outValues: z.array(z.string().trim().min(1)).min(1),
  }),
]);

const KindMapping = z.union([
  z.strictObject({ fixed: TransactionKind }),
  /** Cell text (trimmed, exact) -> kind; a value not in the map rejects the row with kind_unknown. */
  z.strictObject({ column: ColumnName, values: z.record(z.string(), TransactionKind) }),
]);

const CurrencyMapping = z.union([z.strictObject({ fixed: CurrencyCodeSchema }), z.strictObject({ column: ColumnName })]);

const Columns = z.strictObject({
  date: ColumnName,
  valueDate: ColumnName.optional(),
  account: ColumnName.optional(),
  partner: ColumnName.optional(),
  product: ColumnName.optional(),
  channel: ColumnName.optional(),
  counterpartyName: ColumnName.optional(),
  counterpartyAccount: ColumnName.optional(),
  externalId: ColumnName.optional(),
  batchId: ColumnName.optional(),
  description: ColumnName.optional(),
  /** End-customer id: pseudonymized with the workspace key before it is stored. */
  customerId: ColumnName.optional(),
});

const IdPolicy = z.discriminatedUnion('policy', [
  /** A column holding a reference unique within the source (a PSP or order id). */
  z.strictObject({ policy: z.literal('reference'), column: ColumnName }),
  /** No unique column: the pipeline fingerprints the movement's fields. */
  z.strictObject({ policy: z.literal('fingerprint') }),
]);

export const HEADER_SEARCH_ROWS_MAX = 200;

export const CsvProfileSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    /** Identity namespace; defaults to `csv:<name>` so two profiles never share ids by accident. */
    namespace: z.string().trim().min(1).max(200).optional(),
    delimiter: z.enum([...CSV_DELIMITERS, 'auto']).default('auto'),
    /** `auto` honours a BOM and otherwise requires UTF-8 (see core/ingest/decode.ts). */
    encoding: z.enum(['auto', ...TEXT_ENCODINGS]).default('auto'),
    amountFormat: z.union([z.enum(AMOUNT_FORMAT_NAMES), ExplicitAmountFormat]).default('plain'),
    date: z.strictObject({
      format: z.enum(DATE_FORMATS),
      time: z.enum(TIME_PRESENCE).default('none'),
      /** The zone the file's wall times are in: an offset ("+09:00"), "UTC", or an IANA name. */
      timeZone: z.string().trim().min(1).nullable().default(null),
    }),
    sign: SignConvention,
    currency: CurrencyMapping,
    kind: KindMapping,
    columns: Columns,
    /** The bank or PSP account when the file has no account column. */
    fixedAccount: z.string().trim().min(1).nullable().default(null),
    id: IdPolicy,
    /** Rows searched for the header (preamble lines before it are skipped). */
    headerSearchRowsMax: z.number().int().min(1).max(HEADER_SEARCH_ROWS_MAX).default(30),
  })
  .superRefine((profile, context) => {
    if (profile.date.timeZone !== null && zoneResolver(profile.date.timeZone) === null) {
      const value = profile.date.timeZone;
      context.addIssue({ code: 'custom', path: ['date', 'timeZone'], message: `unknown time zone ${JSON.stringify(value)}: use an offset like "+09:00", "UTC" or an IANA name like "Europe/Berlin"`, params: { says: 'time_zone_unknown', value } });
    }
    if (profile.date.time !== 'none' && profile.date.timeZone === null && profile.date.format !== 'ISO-8601') {
      context.addIssue({ code: 'custom', path: ['date', 'timeZone'], message: 'a date with times needs the source time zone (wall times without a zone are ambiguous)', params: { says: 'time_zone_needed' } });
    }
    if (profile.sign.convention === 'direction') {
      const overlap = profile.sign.inValues.filter((value) => profile.sign.convention === 'direction' && profile.sign.outValues.includes(value));
      if (overlap.length > 0) context.addIssue({ code: 'custom', path: ['sign'], message: `direction values ${JSON.stringify(overlap)} are listed as both in and out`, params: { says: 'direction_both', value: overlap.join(', ') } });
    }
  });

export type CsvProfile = z.output<typeof CsvProfileSchema>;
export type CsvProfileInput = z.input<typeof CsvProfileSchema>;

/** One problem of a profile as a code and values, for a screen to say it in another language (issues stay the English). */
export interface ProfileProblem {
  readonly path: string;
  readonly says: 'required' | 'time_zone_unknown' | 'time_zone_needed' | 'direction_both' | 'invalid';
  readonly value?: string;
}

export class CsvProfileError extends SettleDeskError {
  constructor(message: string, issues: readonly string[], problems: readonly ProfileProblem[]) {
    super('profile_invalid', message, {}, { issues, problems });
    this.name = 'CsvProfileError';
  }
}

/** The code of a schema issue: our refinements name theirs (params.says); an empty or absent field is 'required'. */
function problemOf(issue: z.core.$ZodIssue): ProfileProblem {
  const path = issue.path.join('.');
  const named = issue.code === 'custom' ? (issue.params as { says?: ProfileProblem['says']; value?: string } | undefined) : undefined;
  if (named?.says !== undefined) return { path, says: named.says, ...(named.value === undefined ? {} : { value: named.value }) };
  const absent = (issue.code === 'too_small' && issue.origin === 'string') || (issue.code === 'invalid_type' && issue.input === undefined);
  return { path, says: absent ? 'required' : 'invalid' };
}

/** Validates a saved profile; throws CsvProfileError listing every problem with its path. */
export function parseCsvProfile(input: unknown): CsvProfile {
  const result = CsvProfileSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(profile)'}: ${issue.message}`);
  throw new CsvProfileError(`invalid CSV mapping profile: ${issues.join('; ')}`, issues, result.error.issues.map(problemOf));
}

export function amountFormatOf(profile: CsvProfile): AmountFormat {
  const format = profile.amountFormat;
  if (typeof format === 'string') return AMOUNT_FORMATS[format];
  return { decimalSeparator: format.decimalSeparator, groupSeparators: format.groupSeparators, emptyAs: 'reject', dashAs: 'reject' };
}

/** The header names a file must contain for this profile, in a stable order. */
export function requiredColumnsOf(profile: CsvProfile): string[] {
  const names: string[] = [profile.columns.date];
  const sign = profile.sign;
  if (sign.convention === 'signed') names.push(sign.column);
  else if (sign.convention === 'debit-credit') names.push(sign.debit, sign.credit);
  else names.push(sign.amount, sign.direction);
  if ('column' in profile.currency) names.push(profile.currency.column);
  if ('column' in profile.kind) names.push(profile.kind.column);
  if (profile.id.policy === 'reference') names.push(profile.id.column);
  for (const column of Object.values(profile.columns)) if (column !== undefined) names.push(column);
  return [...new Set(names)];
}

export function namespaceOf(profile: CsvProfile): string {
  return profile.namespace ?? `csv:${profile.name}`;
}
