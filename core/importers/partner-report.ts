import { z } from 'zod';
import { assert } from '../assert.ts';
import { FileImportError, type SaidFacts } from '../ingest/errors.ts';
import type { EntryIdentity, ImportContext, Importer, ParseOutput, ParsedEntry } from '../ingest/importer.ts';
import type { Rejection } from '../ingest/result.ts';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { AMOUNT_FORMATS } from '../money/parse.ts';
import { CalendarDate, TransactionKind } from '../transactions/schema.ts';
import { parseDateTime } from './csv-dates.ts';
import { JsonTextError, parseJsonText } from './json-text.ts';
import { rowText, type TableHeader } from './csv-table.ts';
import { headerSniff, parseReport, rawRecord } from './psp-common.ts';
import { BoundedMemo, checkMinorUnits, currencyCell, isProblem, isZeroDecimal, rejectionOf, requiredAmount, textCell, type CellProblem } from './row-values.ts';

/**
 * Partner usage/revenue reports: what a studio or reseller says it sold, per product and day,
 * as CSV (one row per line, partner and period repeated) or as JSON in the shape below. Amounts
 * are decimal strings in both ("1,188.00" grouping accepted in CSV): a JSON number is refused, as
 * JSON.parse would have made it a float.
 *
 * Besides gross, a line may state what partners put in real reports: the net revenue after the
 * refunds netted into it, the units refunded, and the share of that net the partner claims; the
 * report may state when it was generated. A sale line whose net is below its gross yields two
 * entries, the gross sale and the netted refunds (net - gross), so the transactions sum to the
 * net the partner reports. Claims and delivery times are returned beside the entries
 * (PartnerReportParse) for core/insight (partner-report-rows.ts).
 */
const CSV_COLUMNS = ['partner', 'period_start', 'period_end', 'date', 'product', 'units', 'gross', 'currency'] as const;
/** Optional CSV columns, keyed by the JSON line field each one fills. */
const CSV_OPTIONAL = { reference: 'reference', channel: 'channel', kind: 'kind', customerId: 'customer_id', unitsRefunded: 'units_refunded', net: 'net', partnerShare: 'partner_share', bookingDate: 'booking_date', valueDate: 'value_date' } as const;
const CSV_GENERATED_AT = 'generated_at';
export const PARTNER_REPORT_FORMAT = 'settledesk.partner-report/1';
/** Distinct generated_at cells whose parse is remembered (a report repeats one value on every row). */
const GENERATED_AT_MEMO_MAX = 64;

const Text = z.string().trim().min(1).max(1000);
const amountNotText = (field: string): string => `${field} must be a decimal string such as "12.50", not a JSON number`;
const amountText = (field: string) => z.string({ error: amountNotText(field) });
// The line schema's own words, named once: lineProblem says them by code.
const UNITS_WHOLE = 'expected a whole number of units';
const UNITS_REFUNDED_WHOLE = 'expected a whole, non-negative number of units';

/** One report line; validated one by one so that a bad line is a Rejection, not a lost file. */
export const PartnerReportLine = z.strictObject({
  /** The partner's own unique id for the line; without it, lines are fingerprinted. */
  reference: Text.optional(),
  date: CalendarDate,
  /**
   * When the partner booked the line, if not on its date (a late chargeback reported in a later
   * report): it must fall in the report's period, and an agreement can settle by it (periodDate).
   */
  bookingDate: CalendarDate.optional(),
  /** When the line's money is valued (settled by the partner), if the report says. */
  valueDate: CalendarDate.optional(),
  product: Text,
  units: z.union([z.number().int().safe(), z.string().regex(/^-?\d{1,15}$/, UNITS_WHOLE)]),
  /** Units refunded within the line (their money is gross - net). */
  unitsRefunded: z.union([z.number().int().safe().nonnegative(), z.string().regex(/^\d{1,15}$/, UNITS_REFUNDED_WHOLE)]).optional(),
  gross: amountText('gross'),
  /** Revenue after the refunds netted into the line; defaults to gross. */
  net: amountText('net').optional(),
  /** The share of the line's net revenue the partner claims, in the line's currency. */
  partnerShare: amountText('partnerShare').optional(),
  /** Defaults to the report's currency. */
  currency: z.string().optional(),
  channel: Text.optional(),
  kind: TransactionKind.default('sale'),
  customerId: Text.optional(),
});
export type PartnerReportLine = z.infer<typeof PartnerReportLine>;

/**
 * An ISO 8601 instant with an offset ("2026-04-02T18:30:00+09:00") as a UTC instant
 * ("2026-04-02T09:30:00Z"), or null. The instant is converted with Date.UTC arithmetic only:
 * no clock is read and the machine's zone plays no part.
 */
export function utcInstant(raw: string): string | null {
  const parsed = parseDateTime(raw, 'ISO-8601', 'required');
  if (parsed === null || parsed.time === null || parsed.offset === null) return null;
  const fraction = parsed.time.slice(8);
  if (parsed.offset === 'Z' || parsed.offset === '+00:00' || parsed.offset === '-00:00') return `${parsed.date}T${parsed.time}Z`;
  const [year, month, day] = parsed.date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second] = parsed.time.slice(0, 8).split(':').map(Number) as [number, number, number];
  const offsetMinutes = (parsed.offset.startsWith('-') ? -1 : 1) * (Number(parsed.offset.slice(1, 3)) * 60 + Number(parsed.offset.slice(4, 6)));
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000).toISOString();
  // Past year 9999 toISOString writes a six-digit year: no report is generated then.
  if (!/^\d{4}-/.test(utc)) return null;
  return `${utc.slice(0, 19)}${fraction}Z`;
}

const INSTANT_EXPECTED = 'expected an ISO 8601 instant with an offset, such as "2026-04-02T09:30:00Z"';
const Instant = z.string().refine((text) => utcInstant(text) !== null, INSTANT_EXPECTED);

export const PartnerReportJson = z
  .strictObject({
    format: z.literal(PARTNER_REPORT_FORMAT),
    partner: Text,
    period: z.strictObject({ start: CalendarDate, end: CalendarDate }),
    /** When the partner generated the report (its delivery time for timeliness checks). */
    generatedAt: Instant.optional(),
    currency: z.string().optional(),
    lines: z.array(z.unknown()).max(5_000_000),
  })
  // Only over a report that parsed: a malformed start ("2026-3-1") would compare as text and be called reversed too.
  .refine((report) => report.period.start <= report.period.end, { message: 'period.start is after period.end', path: ['period'], params: { says: 'period_reversed' }, when: (payload) => payload.issues.length === 0 });
export type PartnerReportJson = z.infer<typeof PartnerReportJson>;

/** What JSON type a report field expected, in words (zod's names are not an analyst's). */
const TYPE_WORDS: Readonly<Record<string, string>> = { string: 'a text', object: 'an object', array: 'a list', number: 'a number' };

/**
 * Why a document is not a partner report, as a code (`issue`) and values, and in English from
 * them: each code's words are the renderer's rejection-reasons `reportIssue` texts, word for word.
 */
const REPORT_ISSUES = {
  format_unknown: (values) => `expected "${values.format}"`,
  missing: () => 'missing',
  empty: () => 'empty',
  type: (values) => `expected ${TYPE_WORDS[values.expected ?? ''] ?? ''}`,
  date_format: () => 'expected YYYY-MM-DD',
  instant: () => INSTANT_EXPECTED,
  period_reversed: (values) => `starts ${values.start}, after its end ${values.end}`,
  keys_unknown: (values) => `unknown fields ${values.keys}`,
} as const satisfies Record<string, (values: Readonly<Record<string, string>>) => string>;
type ReportIssue = keyof typeof REPORT_ISSUES;

/** A report schema issue as a code and values; null for one not named here (said by zod's English). */
function reportIssueOf(issue: z.core.$ZodIssue, document: unknown): ({ issue: ReportIssue } & Record<string, string>) | null {
  if (issue.code === 'invalid_value' && issue.path[0] === 'format') return { issue: 'format_unknown', format: PARTNER_REPORT_FORMAT };
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return { issue: 'missing' };
  if (issue.code === 'invalid_type' && Object.hasOwn(TYPE_WORDS, issue.expected)) return { issue: 'type', expected: issue.expected };
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return { issue: 'empty' };
  if (issue.code === 'invalid_format' && issue.message === 'expected YYYY-MM-DD') return { issue: 'date_format' };
  if (issue.code === 'custom' && issue.message === INSTANT_EXPECTED) return { issue: 'instant' };
  if (issue.code === 'unrecognized_keys') return { issue: 'keys_unknown', keys: issue.keys.map((key) => JSON.stringify(key)).join(', ') };
  if (issue.code === 'custom' && (issue.params as { says?: string } | undefined)?.says === 'period_reversed') {
    // The refinement runs only on a report whose period parsed: its dates are text.
    const { start, end } = (document as { period: { start: string; end: string } }).period;
    return { issue: 'period_reversed', start, end };
  }
  return null;
}

/**
 * The refusal of a document that is not a partner report: its first problem (the format's comes
 * first, so a file of another kind says so) and how many more, as a code and values; zod's
 * English for every problem when the first is not one named here.
 */
function notAReport(error: z.ZodError, fileName: string, document: unknown): FileImportError {
  const [first] = error.issues;
  const said = first === undefined ? null : reportIssueOf(first, document);
  if (first === undefined || said === null) {
    const issues = error.issues.map((issue) => `${issue.path.join('.') || '(report)'}: ${issue.message}`).join('; ');
    return new FileImportError('file_format_mismatch', `${fileName}: not a partner report: ${issues}`, { file: fileName });
  }
  const field = first.path.join('.');
  const more = error.issues.length - 1;
  const words = `${field === '' ? '' : `${field}: `}${REPORT_ISSUES[said.issue](said)}${more > 0 ? ` (and ${more} more)` : ''}`;
  return new FileImportError('file_format_mismatch', `${fileName}: not a partner report: ${words}`, { file: fileName }, { says: 'not_partner_report', field, ...said, more: String(more) });
}

/** What one accepted line claims, amounts exact and in the line's currency. */
export interface PartnerReportClaim {
  readonly line: number;
  readonly partner: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly date: string;
  readonly product: string;
  readonly currency: string;
  readonly kind: TransactionKind;
  readonly units: number;
  readonly unitsRefunded: number | null;
  readonly gross: string;
  /** Gross less the refunds netted into the line; equals gross when the file states no net. */
  readonly net: string;
  readonly partnerShare: string | null;
}

/** One report (partner and period) the file holds, and when the partner generated it. */
export interface PartnerReportPeriod {
  readonly partner: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** A UTC instant; null when the file does not say. */
  readonly generatedAt: string | null;
}

/** The importer's output plus the claims of its accepted lines and the reports they belong to. */
export type PartnerReportParse = ParseOutput & {
  readonly claims: readonly PartnerReportClaim[];
  readonly reports: readonly PartnerReportPeriod[];
};

interface LineInput {
  readonly partner: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly line: PartnerReportLine;
  readonly currency: string;
  readonly raw: Record<string, string>;
}

type LineResult = { readonly entries: ParsedEntry[]; readonly claim: PartnerReportClaim } | { readonly problem: CellProblem; readonly column: string };

/** An optional amount cell, exact and within the currency's minor units; null when absent. */
function optionalLineAmount(raw: string | undefined, currency: string, column: string): string | null | CellProblem {
  if (raw === undefined) return null;
  const amount = requiredAmount(raw, AMOUNT_FORMATS.en, column);
  if (isProblem(amount)) return amount;
  return checkMinorUnits(amount, currency, column) ?? amount;
}

/** The refunds netted into a line as a signed amount (net - gross, never positive); only a sale line nets refunds. */
function nettedRefunds(item: PartnerReportLine, gross: string, net: string, currency: string, column: (field: string) => string): string | CellProblem {
  const refunds = new Decimal(net).minus(gross);
  if (refunds.isZero()) return '0';
  const params = { net: column('net'), netAmount: net, gross: column('gross'), grossAmount: gross, kind: item.kind };
  if (item.kind !== 'sale') return { code: 'field_invalid', reason: `${params.net}: ${net} differs from ${params.gross} ${gross}, but only a sale line nets refunds out (this line is a ${item.kind})`, says: 'refunds_not_sale', params };
  if (refunds.isPositive()) return { code: 'field_invalid', reason: `${params.net}: ${net} is more than ${params.gross} ${gross}; refunds can only lower a sale line's net`, says: 'net_above_gross', params };
  return refunds.toFixed(minorUnitsOf(currency));
}

/** Checks one line against its report: the amounts it states, in the currency's digits, with refunds netted only out of sales. */
function lineAmounts(input: LineInput, column: (field: string) => string): { gross: string; net: string; share: string | null; refunds: string; currency: string } | { problem: CellProblem; column: string } {
  const { line: item } = input;
  const gross = requiredAmount(item.gross, AMOUNT_FORMATS.en, column('gross'));
  if (isProblem(gross)) return { problem: gross, column: column('gross') };
  const currency = currencyCell(input.currency, column('currency'));
  if (isProblem(currency)) return { problem: currency, column: column('currency') };
  const minor = checkMinorUnits(gross, currency, column('gross'));
  if (minor !== null) return { problem: minor, column: column('gross') };
  const net = optionalLineAmount(item.net, currency, column('net'));
  if (isProblem(net)) return { problem: net, column: column('net') };
  const share = optionalLineAmount(item.partnerShare, currency, column('partnerShare'));
  if (isProblem(share)) return { problem: share, column: column('partnerShare') };
  const refunds = nettedRefunds(item, gross, net ?? gross, currency, column);
  if (isProblem(refunds)) return { problem: refunds, column: column('net') };
  return { gross, net: net ?? gross, share, refunds, currency };
}

/** Checks one line against its report and builds its entries and claim; `column` names are the file's own. */
function readLine(input: LineInput, line: number, context: ImportContext, column: (field: string) => string): LineResult {
  const { line: item } = input;
  if (parseDateTime(item.date, 'YYYY-MM-DD', 'none') === null) {
    return { problem: { code: 'date_invalid', reason: `${column('date')}: ${item.date} is not a calendar day`, says: 'not_calendar_day', params: { columnName: column('date'), value: item.date } }, column: column('date') };
  }
  const amounts = lineAmounts(input, column);
  if ('problem' in amounts) return amounts;
  // The line belongs to the report that booked it: its booking date when it has one, else its date.
  const booked = item.bookingDate ?? item.date;
  const bookedColumn = item.bookingDate === undefined ? column('date') : column('bookingDate');
  if (booked < input.periodStart || booked > input.periodEnd) {
    const params = { columnName: bookedColumn, date: booked, start: input.periodStart, end: input.periodEnd };
    return { problem: { code: 'field_invalid', reason: `${bookedColumn}: ${booked} is outside the report period ${input.periodStart}..${input.periodEnd}`, says: 'outside_report_period', params }, column: bookedColumn };
  }
  const namespace = `partner:${input.partner}`;
  const identity = (suffix: string): EntryIdentity => (item.reference === undefined ? { by: 'fingerprint', namespace } : { by: 'reference', namespace, reference: `${item.reference}${suffix}` });
  const base = {
    occurredAt: item.date,
    bookingDate: booked,
    valueDate: item.valueDate ?? null,
    currency: amounts.currency,
    account: null,
    partnerId: input.partner,
    productId: item.product,
    channel: item.channel ?? null,
    counterparty: { name: null, account: null },
    references: { externalId: item.reference ?? null, batchId: null, endToEndId: null, bankReference: null },
    customerRef: item.customerId === undefined ? null : context.pseudonymize(item.customerId),
    raw: input.raw,
    line,
    statementIndex: null,
  };
  const unitsRefunded = item.unitsRefunded === undefined ? null : Number(item.unitsRefunded);
  const entries: ParsedEntry[] = [];
  const netsRefunds = !isZeroDecimal(amounts.refunds);
  // Units are not a canonical field; the description keeps them readable next to the raw cells.
  // A line of refunds only (gross zero) is its refund entry alone: a zero sale would say nothing.
  if (!netsRefunds || !isZeroDecimal(amounts.gross)) entries.push({ ...base, kind: item.kind, amount: amounts.gross, description: `${item.units} × ${item.product}`, identity: identity('') });
  if (netsRefunds) entries.push({ ...base, kind: 'refund', amount: amounts.refunds, description: `${unitsRefunded === null ? '' : `${unitsRefunded} `}refunded × ${item.product}`, identity: identity(':refunds') });
  const sum = entries.reduce((total, entry) => total.plus(entry.amount), new Decimal(0));
  assert(sum.equals(amounts.net), 'a line\'s entries sum to its net', { line, net: amounts.net });
  const claim: PartnerReportClaim = {
    line,
    partner: input.partner,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    date: item.date,
    product: item.product,
    currency: amounts.currency,
    kind: item.kind,
    units: Number(item.units),
    unitsRefunded,
    gross: amounts.gross,
    net: amounts.net,
    partnerShare: amounts.share,
  };
  return { entries, claim };
}

/** Reports seen in a CSV, by partner and period; a report's generation time is the latest its rows state. */
class ReportPeriods {
  private readonly byKey = new Map<string, PartnerReportPeriod>();

  add(report: PartnerReportPeriod): void {
    const key = `${report.partner}\u001f${report.periodStart}\u001f${report.periodEnd}`;
    const known = this.byKey.get(key);
    const generatedAt = known === undefined || known.generatedAt === null || (report.generatedAt !== null && report.generatedAt > known.generatedAt) ? report.generatedAt : known.generatedAt;
    this.byKey.set(key, { ...report, generatedAt });
  }

  list(): PartnerReportPeriod[] {
    return [...this.byKey.values()];
  }
}

function compileCsv(header: TableHeader, context: ImportContext, claims: PartnerReportClaim[], reports: ReportPeriods) {
  const get = (fields: readonly string[], name: string): string | undefined => {
    const index = header.indexOf(name);
    return index < 0 ? undefined : fields[index];
  };
  const name = (field: string): string => {
    const column = Object.hasOwn(CSV_OPTIONAL, field) ? CSV_OPTIONAL[field as keyof typeof CSV_OPTIONAL] : field;
    const index = header.indexOf(column);
    return index < 0 ? column : (header.names[index] ?? column);
  };
  const instants = new BoundedMemo<string | null>(GENERATED_AT_MEMO_MAX);
  return (fields: readonly string[], line: number): readonly ParsedEntry[] | Rejection => {
    // rejectionOf keeps what the reason says (says, params) for the screen.
    const reject = (problem: CellProblem, column: string): Rejection => rejectionOf(problem, line, column, rowText(fields, header.delimiter));
    const optional: Record<string, string | undefined> = {};
    for (const [field, column] of Object.entries(CSV_OPTIONAL)) {
      const value = textCell(get(fields, column), column);
      if (isProblem(value)) return reject(value, name(field));
      optional[field] = value ?? undefined;
    }
    const candidate = { ...optional, date: (get(fields, 'date') ?? '').trim(), product: get(fields, 'product') ?? '', units: (get(fields, 'units') ?? '').trim(), gross: get(fields, 'gross') ?? '' };
    const parsed = PartnerReportLine.safeParse(candidate);
    if (!parsed.success) return reject(lineProblem(parsed.error, name), name(String(parsed.error.issues[0]?.path[0] ?? 'date')));
    const periodStart = (get(fields, 'period_start') ?? '').trim();
    const periodEnd = (get(fields, 'period_end') ?? '').trim();
    if (parseDateTime(periodStart, 'YYYY-MM-DD', 'none') === null || parseDateTime(periodEnd, 'YYYY-MM-DD', 'none') === null) {
      const params = { start: periodStart, end: periodEnd };
      return reject({ code: 'date_invalid', reason: `period_start/period_end: ${JSON.stringify(`${periodStart}..${periodEnd}`)} are not YYYY-MM-DD dates`, says: 'report_period_invalid', params }, name('period_start'));
    }
    const partner = textCell(get(fields, 'partner'), 'partner');
    if (partner === null || isProblem(partner)) return reject(partner ?? { code: 'field_missing', reason: 'partner: empty', says: 'field_empty', params: { columnName: 'partner' } }, name('partner'));
    const generatedCell = (get(fields, CSV_GENERATED_AT) ?? '').trim();
    const generatedAt = generatedCell.length === 0 ? null : instants.get(generatedCell, utcInstant);
    if (generatedCell.length > 0 && generatedAt === null) {
      const params = { columnName: CSV_GENERATED_AT, value: generatedCell };
      return reject({ code: 'date_invalid', reason: `${CSV_GENERATED_AT}: ${JSON.stringify(generatedCell)} is not an ISO 8601 instant with an offset, such as 2026-04-02T09:30:00Z`, says: 'instant_invalid', params }, name(CSV_GENERATED_AT));
    }
    const input: LineInput = { partner, periodStart, periodEnd, line: parsed.data, currency: get(fields, 'currency') ?? '', raw: rawRecord(header, fields) };
    const result = readLine(input, line, context, name);
    if ('problem' in result) return reject(result.problem, result.column);
    claims.push(result.claim);
    reports.add({ partner, periodStart, periodEnd, generatedAt });
    return result.entries;
  };
}

/** What a line schema issue says as a code and values, where its words are known: the schema's own, a kind not in the list, an empty text. */
function issueSaid(issue: z.core.$ZodIssue | undefined, field: string, columnName: string): Pick<CellProblem, 'says' | 'params'> {
  if (issue === undefined) return {};
  if (issue.message === UNITS_WHOLE) return { says: 'units_whole', params: { columnName } };
  if (issue.message === UNITS_REFUNDED_WHOLE) return { says: 'units_refunded_whole', params: { columnName } };
  if (issue.message === amountNotText(field)) return { says: 'amount_json_number', params: { columnName, field } };
  if (issue.message === 'expected YYYY-MM-DD') return { says: 'date_format', params: { columnName } };
  if (issue.code === 'invalid_value' && field === 'kind') return { says: 'kind_option', params: { columnName, options: issue.values.map((value) => JSON.stringify(value)).join('|') } };
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return { says: 'text_empty', params: { columnName } };
  return {};
}

/** The first issue of a failed line as a rejection code: dates, amounts and kinds get their own. */
function lineProblem(error: z.ZodError, column: (field: string) => string): CellProblem {
  const issue = error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const reason = `${column(field)}: ${issue?.message ?? 'invalid'}`;
  const said = issueSaid(issue, field, column(field));
  if (field === 'date') return { code: 'date_invalid', reason, ...said };
  if (field === 'gross' || field === 'net' || field === 'partnerShare') return { code: 'amount_not_decimal', reason, ...said };
  if (field === 'kind') return { code: 'kind_unknown', reason, ...said };
  if (issue?.code === 'too_small' || (issue?.code === 'invalid_type' && issue.message.includes('received undefined'))) return { code: 'field_missing', reason, ...said };
  return { code: 'field_invalid', reason, ...said };
}

/**
 * 1-based line on which each element of the top-level "lines" array starts. A small scanner over
 * text that JSON.parse already accepted (JSON.parse reports no positions): it tracks strings and
 * nesting depth only.
 */
export function jsonLineStarts(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let lastKey = '';
  let keyStart = -1;
  let linesDepth = -1;
  let expectElement = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') line++;
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') {
        inString = false;
        if (depth === 1 && keyStart >= 0) lastKey = text.slice(keyStart, index);
        keyStart = -1;
      }
      continue;
    }
    if (expectElement && char !== undefined && !/\s/.test(char) && char !== ']') {
      starts.push(line);
      expectElement = false;
    }
    if (char === '"') {
      inString = true;
      keyStart = depth === 1 ? index + 1 : -1;
    } else if (char === '{' || char === '[') {
      depth++;
      if (char === '[' && depth === 2 && lastKey === 'lines' && linesDepth === -1) {
        linesDepth = depth;
        expectElement = true;
      }
    } else if (char === '}' || char === ']') {
      if (depth === linesDepth) linesDepth = -2;
      depth--;
    } else if (char === ',' && depth === linesDepth) {
      expectElement = true;
    }
  }
  return starts;
}

/** What a JSON error says as a code and values (its text details), for the refusal that carries it on. */
function saidOf(details: Readonly<Record<string, unknown>>): SaidFacts | undefined {
  const said = Object.fromEntries(Object.entries(details).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return typeof said.says === 'string' ? { ...said, says: said.says } : undefined;
}

function parseJson(text: string, context: ImportContext): PartnerReportParse {
  let document: unknown;
  try {
    document = parseJsonText(text, context.fileName);
  } catch (error) {
    // A report nested past the limit would overflow the stack in the schema check below and lose the run.
    if (!(error instanceof JsonTextError)) throw error;
    throw new FileImportError(error.code === 'json_too_deep' ? 'json_too_deep' : 'file_malformed', error.message, error.location, saidOf(error.details));
  }
  const report = PartnerReportJson.safeParse(document);
  if (!report.success) throw notAReport(report.error, context.fileName, document);
  const { partner, period, lines } = report.data;
  const generatedAt = report.data.generatedAt === undefined ? null : utcInstant(report.data.generatedAt);
  const lineNumbers = jsonLineStarts(text);
  const entries: ParsedEntry[] = [];
  const rejected: Rejection[] = [];
  const claims: PartnerReportClaim[] = [];
  lines.forEach((value, index) => {
    const line = lineNumbers[index] ?? 1;
    const raw = JSON.stringify(value).slice(0, 200);
    const column = (field: string): string => `lines[${index}].${field}`;
    const parsed = PartnerReportLine.safeParse(value);
    if (!parsed.success) {
      rejected.push(rejectionOf(lineProblem(parsed.error, column), line, column(String(parsed.error.issues[0]?.path[0] ?? '')), raw));
      return;
    }
    const flat: Record<string, string> = {};
    for (const [key, cell] of Object.entries(parsed.data)) flat[key] = String(cell);
    const input: LineInput = { partner, periodStart: period.start, periodEnd: period.end, line: parsed.data, currency: parsed.data.currency ?? report.data.currency ?? '', raw: flat };
    const result = readLine(input, line, context, column);
    if ('problem' in result) {
      rejected.push(rejectionOf(result.problem, line, result.column, raw));
      return;
    }
    entries.push(...result.entries);
    claims.push(result.claim);
  });
  const reports: PartnerReportPeriod[] = [{ partner, periodStart: period.start, periodEnd: period.end, generatedAt }];
  return { rowsRead: entries.length + rejected.length, recordsRead: lines.length, entries, rejected, statements: [], issues: [], claims, reports };
}

function isJson(text: string): boolean {
  return text.replace(/^\ufeff/, '').trimStart().startsWith('{');
}

/** Parses a partner report, CSV or JSON, into entries and rejections plus what its lines claim. */
export function parsePartnerReport(text: string, context: ImportContext): PartnerReportParse {
  if (isJson(text)) return parseJson(text.replace(/^\ufeff/, ''), context);
  const claims: PartnerReportClaim[] = [];
  const reports = new ReportPeriods();
  const output = parseReport(text, context, { delimiter: 'auto', requiredColumns: CSV_COLUMNS, headerSearchRowsMax: 10 }, (header) => compileCsv(header, context, claims, reports));
  return { ...output, claims, reports: reports.list() };
}

export const partnerReportImporter: Importer = {
  format: 'partner-report',
  sniff(head) {
    if (isJson(head)) return head.includes(`"${PARTNER_REPORT_FORMAT}"`);
    return headerSniff(head, CSV_COLUMNS);
  },
  parse: parsePartnerReport,
};
