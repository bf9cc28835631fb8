import { z } from 'zod';
import { FileImportError } from '../ingest/errors.ts';
import type { EntryIdentity, ImportContext, Importer, ParseOutput, ParsedEntry } from '../ingest/importer.ts';
import type { Rejection } from '../ingest/result.ts';
import { AMOUNT_FORMATS } from '../money/parse.ts';
import { CalendarDate, TransactionKind } from '../transactions/schema.ts';
import { parseDateTime } from './csv-dates.ts';
import type { TableHeader } from './csv-table.ts';
import { headerSniff, parseReport, rawRecord, rejectRow } from './psp-common.ts';
import { checkMinorUnits, currencyCell, isProblem, requiredAmount, textCell, type CellProblem } from './row-values.ts';

/**
 * Partner usage/revenue reports: what a studio or reseller says it sold, per product and day,
 * as CSV (one row per line, partner and period repeated) or as JSON in the shape below. Gross is
 * a decimal string in both ("1,188.00" grouping accepted): a JSON number is refused, as JSON.parse would have made it a float.
 */
const CSV_COLUMNS = ['partner', 'period_start', 'period_end', 'date', 'product', 'units', 'gross', 'currency'] as const;

const Text = z.string().trim().min(1).max(1000);

/** One report line; validated one by one so that a bad line is a Rejection, not a lost file. */
export const PartnerReportLine = z.strictObject({
  /** The partner's own unique id for the line; without it, lines are fingerprinted. */
  reference: Text.optional(),
  date: CalendarDate,
  product: Text,
  units: z.union([z.number().int().safe(), z.string().regex(/^-?\d{1,15}$/, 'expected a whole number of units')]),
  gross: z.string({ error: 'gross must be a decimal string such as "12.50", not a JSON number' }),
  /** Defaults to the report's currency. */
  currency: z.string().optional(),
  channel: Text.optional(),
  kind: TransactionKind.default('sale'),
  customerId: Text.optional(),
});
export type PartnerReportLine = z.infer<typeof PartnerReportLine>;

export const PartnerReportJson = z
  .strictObject({
    format: z.literal('settledesk.partner-report/1'),
    partner: Text,
    period: z.strictObject({ start: CalendarDate, end: CalendarDate }),
    currency: z.string().optional(),
    lines: z.array(z.unknown()).max(5_000_000),
  })
  .refine((report) => report.period.start <= report.period.end, { message: 'period.start is after period.end', path: ['period'] });
export type PartnerReportJson = z.infer<typeof PartnerReportJson>;

interface LineInput {
  readonly partner: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly line: PartnerReportLine;
  readonly currency: string;
  readonly raw: Record<string, string>;
}

/** Checks one line against its report and builds the entry; `column` names are the file's own. */
function toEntry(input: LineInput, line: number, context: ImportContext, column: (field: string) => string): ParsedEntry | { problem: CellProblem; column: string } {
  const { line: item } = input;
  if (parseDateTime(item.date, 'YYYY-MM-DD', 'none') === null) return { problem: { code: 'date_invalid', reason: `${column('date')}: ${item.date} is not a calendar day` }, column: column('date') };
  const gross = requiredAmount(item.gross, AMOUNT_FORMATS.en, column('gross'));
  if (isProblem(gross)) return { problem: gross, column: column('gross') };
  const currency = currencyCell(input.currency, column('currency'));
  if (isProblem(currency)) return { problem: currency, column: column('currency') };
  const minor = checkMinorUnits(gross, currency, column('gross'));
  if (minor !== null) return { problem: minor, column: column('gross') };
  if (item.date < input.periodStart || item.date > input.periodEnd) {
    return { problem: { code: 'field_invalid', reason: `${column('date')}: ${item.date} is outside the report period ${input.periodStart}..${input.periodEnd}` }, column: column('date') };
  }
  const namespace = `partner:${input.partner}`;
  const identity: EntryIdentity = item.reference === undefined ? { by: 'fingerprint', namespace } : { by: 'reference', namespace, reference: item.reference };
  return {
    kind: item.kind,
    occurredAt: item.date,
    bookingDate: item.date,
    valueDate: null,
    amount: gross,
    currency,
    account: null,
    partnerId: input.partner,
    productId: item.product,
    channel: item.channel ?? null,
    counterparty: { name: null, account: null },
    references: { externalId: item.reference ?? null, batchId: null, endToEndId: null, bankReference: null },
    // Units are not a canonical field; the description keeps them readable next to the raw cells.
    description: `${item.units} × ${item.product}`,
    customerRef: item.customerId === undefined ? null : context.pseudonymize(item.customerId),
    raw: input.raw,
    line,
    identity,
    statementIndex: null,
  };
}

function compileCsv(header: TableHeader, context: ImportContext) {
  const get = (fields: readonly string[], name: string): string | undefined => {
    const index = header.indexOf(name);
    return index < 0 ? undefined : fields[index];
  };
  const name = (field: string): string => {
    const index = header.indexOf(field === 'customerId' ? 'customer_id' : field);
    return index < 0 ? field : (header.names[index] ?? field);
  };
  return (fields: readonly string[], line: number): readonly ParsedEntry[] | Rejection => {
    const reject = (problem: CellProblem, column: string): Rejection => rejectRow(problem, column, line, fields, header);
    const optional: Record<string, string | undefined> = {};
    for (const field of ['reference', 'channel', 'kind', 'customer_id']) {
      const value = textCell(get(fields, field), field);
      if (isProblem(value)) return reject(value, name(field));
      optional[field] = value ?? undefined;
    }
    const candidate = {
      reference: optional.reference,
      date: (get(fields, 'date') ?? '').trim(),
      product: get(fields, 'product') ?? '',
      units: (get(fields, 'units') ?? '').trim(),
      gross: get(fields, 'gross') ?? '',
      channel: optional.channel,
      kind: optional.kind,
      customerId: optional.customer_id,
    };
    const parsed = PartnerReportLine.safeParse(candidate);
    if (!parsed.success) return reject(lineProblem(parsed.error), name(String(parsed.error.issues[0]?.path[0] ?? 'date')));
    const periodStart = (get(fields, 'period_start') ?? '').trim();
    const periodEnd = (get(fields, 'period_end') ?? '').trim();
    if (parseDateTime(periodStart, 'YYYY-MM-DD', 'none') === null || parseDateTime(periodEnd, 'YYYY-MM-DD', 'none') === null) {
      return reject({ code: 'date_invalid', reason: `period_start/period_end: ${JSON.stringify(`${periodStart}..${periodEnd}`)} are not YYYY-MM-DD dates` }, name('period_start'));
    }
    const partner = textCell(get(fields, 'partner'), 'partner');
    if (partner === null || isProblem(partner)) return reject(partner ?? { code: 'field_missing', reason: 'partner: empty' }, name('partner'));
    const input: LineInput = { partner, periodStart, periodEnd, line: parsed.data, currency: get(fields, 'currency') ?? '', raw: rawRecord(header, fields) };
    const entry = toEntry(input, line, context, name);
    return 'problem' in entry ? reject(entry.problem, entry.column) : [entry];
  };
}

/** The first issue of a failed line as a rejection code: dates, amounts and kinds get their own. */
function lineProblem(error: z.ZodError): CellProblem {
  const issue = error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const reason = `${field}: ${issue?.message ?? 'invalid'}`;
  if (field === 'date') return { code: 'date_invalid', reason };
  if (field === 'gross') return { code: 'amount_not_decimal', reason };
  if (field === 'kind') return { code: 'kind_unknown', reason };
  if (issue?.code === 'too_small' || (issue?.code === 'invalid_type' && issue.message.includes('received undefined'))) return { code: 'field_missing', reason };
  return { code: 'field_invalid', reason };
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

function parseJson(text: string, context: ImportContext): ParseOutput {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new FileImportError('file_malformed', `${context.fileName}: not valid JSON (${(error as Error).message})`, { file: context.fileName });
  }
  const report = PartnerReportJson.safeParse(document);
  if (!report.success) {
    const issues = report.error.issues.map((issue) => `${issue.path.join('.') || '(report)'}: ${issue.message}`).join('; ');
    throw new FileImportError('file_format_mismatch', `${context.fileName}: not a partner report: ${issues}`, { file: context.fileName });
  }
  const { partner, period, lines } = report.data;
  const lineNumbers = jsonLineStarts(text);
  const entries: ParsedEntry[] = [];
  const rejected: Rejection[] = [];
  lines.forEach((value, index) => {
    const line = lineNumbers[index] ?? 1;
    const raw = JSON.stringify(value).slice(0, 200);
    const column = (field: string): string => `lines[${index}].${field}`;
    const parsed = PartnerReportLine.safeParse(value);
    if (!parsed.success) {
      const problem = lineProblem(parsed.error);
      rejected.push({ line, column: column(String(parsed.error.issues[0]?.path[0] ?? '')), code: problem.code, reason: problem.reason, raw });
      return;
    }
    const flat: Record<string, string> = {};
    for (const [key, cell] of Object.entries(parsed.data)) flat[key] = String(cell);
    const input: LineInput = { partner, periodStart: period.start, periodEnd: period.end, line: parsed.data, currency: parsed.data.currency ?? report.data.currency ?? '', raw: flat };
    const entry = toEntry(input, line, context, column);
    if ('problem' in entry) rejected.push({ line, column: entry.column, code: entry.problem.code, reason: entry.problem.reason, raw });
    else entries.push(entry);
  });
  return { rowsRead: entries.length + rejected.length, entries, rejected, statements: [], issues: [] };
}

export const partnerReportImporter: Importer = {
  format: 'partner-report',
  sniff(head) {
    const trimmed = head.replace(/^\ufeff/, '').trimStart();
    if (trimmed.startsWith('{')) return trimmed.includes('"settledesk.partner-report/1"');
    return headerSniff(head, CSV_COLUMNS);
  },
  parse(text, context) {
    if (text.replace(/^\ufeff/, '').trimStart().startsWith('{')) return parseJson(text.replace(/^\ufeff/, ''), context);
    return parseReport(text, context, { delimiter: 'auto', requiredColumns: CSV_COLUMNS, headerSearchRowsMax: 10 }, (header) => compileCsv(header, context));
  },
};
