import { parsePartnerReport } from '../../core/importers/partner-report.ts';
import { partnerReportRows } from '../../core/importers/partner-report-rows.ts';
import { pseudonymizer } from '../../core/ingest/import-file.ts';
import { dailyActivityFromTransactions } from '../../core/insight/activity.ts';
import { agreedShareLookup } from '../../core/insight/agreed-share.ts';
import type { PartnerReportRow, ReportDelivery, ReportPeriodDue } from '../../core/insight/types.ts';
import { addDays } from '../../core/settlement/dates.ts';
import { detectAnomalies } from '../../core/insight/anomaly.ts';
import { cashFlowDaysFromTransactions, forecastCashFlow } from '../../core/insight/forecast.ts';
import type { Command } from '../command.ts';
import { EXIT_OK, UsageError } from '../errors.ts';
import { readInputFile } from '../files.ts';
import { loadTransactions, transactionReading } from '../load-transactions.ts';
import { loadAgreements } from '../settlement-inputs.ts';
import { table } from '../output.ts';
import { DEFAULT_WORKSPACE } from '../workspace.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const SCHEDULE_DAYS_MAX = 366;

/** Report periods of `every` days from `from` (the last one cut at `to`), each due `dueDays` after its end. */
export function reportSchedule(from: string, to: string, every: number, dueDays: number): ReportPeriodDue[] {
  const periods: ReportPeriodDue[] = [];
  for (let start = from; start <= to && periods.length < SCHEDULE_DAYS_MAX; start = addDays(start, every)) {
    const fullEnd = addDays(start, every - 1);
    const end = fullEnd < to ? fullEnd : to;
    periods.push({ start, end, due: addDays(end, dueDays) });
  }
  return periods;
}

function wholeNumber(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return number;
}

function dateOption(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !DATE.test(value)) throw new UsageError(`--${name} must be a date YYYY-MM-DD, not ${JSON.stringify(value)}`);
  return value;
}

export const insightsCommand: Command = {
  name: 'insights',
  summary: 'anomalies per partner and product (volume spikes and drops, refund waves) and an 8-week cash forecast',
  usage: 'insights --transactions FILE|DIR [--from DATE --to DATE] [--rules FILE] [--agreements FILE|DIR] [--report-every DAYS --report-due-days DAYS --as-of DATE] [--json]',
  options: {
    transactions: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'transaction files (PSP reports, partner reports, CSV with --profile), or folders of them' },
    from: { type: 'string', valueName: 'DATE', description: 'first day of the window (default: the first day with sales)' },
    to: { type: 'string', valueName: 'DATE', description: 'last day of the window (default: the last day with sales)' },
    profile: { type: 'string', valueName: 'FILE', description: 'CSV mapping profile for generic CSV inputs' },
    rules: { type: 'string', valueName: 'FILE', description: 'classification rules (JSON {"rules": [...]}) giving PSP transactions their partner and product' },
    agreements: { type: 'string', multiple: true, valueName: 'FILE|DIR', description: "agreements: the agreed share that partner reports' claimed shares are checked against, and payables in the forecast" },
    workspace: { type: 'string', valueName: 'DIR', description: `workspace folder holding the pseudonymization key (default ${DEFAULT_WORKSPACE})` },
    'report-every': { type: 'string', valueName: 'DAYS', description: 'partners report every DAYS days from --from; with it, late and missing partner reports are found' },
    'report-due-days': { type: 'string', valueName: 'DAYS', description: 'a report is due DAYS days after its period ends (default 3)' },
    'as-of': { type: 'string', valueName: 'DATE', description: "the day reports are judged on (default today)" },
  },
  examples: [
    'settledesk insights --transactions demo-data/psp --transactions demo-data/partner-reports --rules demo-data/rules.json --agreements demo-data/agreements --report-every 7 --as-of 2026-04-05 --json',
    'settledesk insights --transactions stripe.csv --from 2026-03-01 --to 2026-03-31',
  ],
  async run(args, output) {
    const inputs = (args.values.transactions as string[] | undefined) ?? [];
    if (inputs.length === 0) throw new UsageError('insights needs --transactions FILE|DIR');
    const reading = transactionReading(args.values);
    const { transactions, imports } = loadTransactions(inputs, reading);
    const agreementInputs = (args.values.agreements as string[] | undefined) ?? [];
    const agreements = agreementInputs.length > 0 ? loadAgreements(agreementInputs) : [];
    // What partners claim (net revenue, their share, when the report was made): read from the partner reports themselves.
    const reportRows: PartnerReportRow[] = [];
    const deliveries: ReportDelivery[] = [];
    for (const report of imports.filter((each) => each.file.format === 'partner-report')) {
      const text = new TextDecoder('utf-8').decode(readInputFile(report.file.fileName));
      const claims = partnerReportRows(parsePartnerReport(text, { fileName: report.file.fileName, sha256: report.file.sha256, pseudonymize: pseudonymizer(reading.policy) }));
      reportRows.push(...claims.rows);
      deliveries.push(...claims.deliveries);
    }
    // The default window is the span of sales: payouts and fees settle days later and would end it on days without sales.
    const days = transactions.filter((transaction) => transaction.kind === 'sale').map((transaction) => transaction.occurredAt.slice(0, 10)).sort();
    const from = dateOption(args.values.from, 'from') ?? days[0];
    const to = dateOption(args.values.to, 'to') ?? days[days.length - 1];
    if (from === undefined || to === undefined) throw new UsageError('no dated transactions in the inputs');
    const inWindow = transactions.filter((transaction) => transaction.occurredAt.slice(0, 10) >= from && transaction.occurredAt.slice(0, 10) <= to);
    const sharePercent = agreements.length > 0 ? agreedShareLookup(agreements, to) : () => null;
    const sales = inWindow.filter((transaction) => transaction.source.format !== 'partner-report');
    const every = wholeNumber(args.values['report-every'], 'report-every', 1, 92);
    const dueDays = wholeNumber(args.values['report-due-days'], 'report-due-days', 0, 92) ?? 3;
    const asOf = dateOption(args.values['as-of'], 'as-of') ?? new Date().toISOString().slice(0, 10);
    const timeliness = every === undefined ? {} : { schedule: reportSchedule(from, to, every, dueDays), asOf };
    const anomalies = detectAnomalies({ from, to, activity: dailyActivityFromTransactions(sales), reportRows, deliveries, agreedSharePercent: sharePercent, ...timeliness });
    const forecast = forecastCashFlow(cashFlowDaysFromTransactions(sales, sharePercent), from, to);
    output.line(`${inWindow.length} transactions from ${from} to ${to}: ${anomalies.length} anomalies`);
    if (anomalies.length > 0) {
      output.line(table(['kind', 'partner', 'product', 'day', 'score', 'summary'], anomalies.map((a) => [a.kind, a.partnerId, a.productId, a.day, a.score.toFixed(1), a.summary])));
    }
    for (const currency of forecast) {
      output.line(`\nCash forecast ${currency.currency} (inflow, 90 % interval):`);
      output.line(table(['week', 'inflow', 'low', 'high'], currency.weeks.map((week) => [week.weekStart, week.inflow.point, week.inflow.low, week.inflow.high])));
    }
    output.document({ from, to, transactions: inWindow.length, anomalies, forecast });
    return EXIT_OK;
  },
};
