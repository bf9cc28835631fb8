import { parsePartnerReport } from '../../core/importers/partner-report.ts';
import { partnerReportRows } from '../../core/importers/partner-report-rows.ts';
import { pseudonymizer } from '../../core/ingest/import-file.ts';
import { dailyActivityFromTransactions } from '../../core/insight/activity.ts';
import { agreedShareLookup } from '../../core/insight/agreed-share.ts';
import type { PartnerReportRow, ReportDelivery, ReportPeriodDue } from '../../core/insight/types.ts';
import { addDays } from '../../core/settlement/dates.ts';
import { DEFAULT_DETECTION_OPTIONS, detectAnomalies } from '../../core/insight/anomaly.ts';
import { SENSITIVITIES, type Sensitivity } from '../../core/insight/causal.ts';
import { backtestForecast, cashFlowDaysFromTransactions, DEFAULT_FORECAST_OPTIONS, forecastCashFlow, type BacktestResult, type CurrencyForecast } from '../../core/insight/forecast.ts';
import type { Anomaly } from '../../core/insight/types.ts';
import type { Output } from '../output.ts';
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

function sensitivityOption(value: unknown): Sensitivity {
  if (value === undefined) return DEFAULT_DETECTION_OPTIONS.causal.sensitivity;
  if (typeof value !== 'string' || !(SENSITIVITIES as readonly string[]).includes(value)) throw new UsageError(`--sensitivity must be one of ${SENSITIVITIES.join(', ')}, not ${JSON.stringify(value)}`);
  return value as Sensitivity;
}

function printAnomalies(output: Output, anomalies: readonly Anomaly[]): void {
  if (anomalies.length === 0) return;
  const cell = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  output.line(
    table(
      ['kind', 'severity', 'partner', 'product', 'days', 'observed', 'expected', 'band', 'summary'],
      anomalies.map((a) => [
        a.kind,
        a.severity,
        a.partnerId,
        a.productId,
        a.periodEnd === null ? a.day : `${a.day}..${a.periodEnd}`,
        cell(a.evidence.observed),
        cell(a.evidence.expected),
        a.evidence.bandLow === undefined ? '' : a.evidence.bandHigh === null ? `>= ${cell(a.evidence.bandLow)}` : `${cell(a.evidence.bandLow)}-${cell(a.evidence.bandHigh)}`,
        a.summary,
      ]),
    ),
  );
}

function printForecast(output: Output, forecast: readonly CurrencyForecast[], asOf: string): void {
  for (const currency of forecast) {
    output.line(`\nCash forecast ${currency.currency} after ${asOf} (fitted on the last ${currency.fitDays} of ${currency.historyDays} days; inflow trend ${currency.inflowTrendPerWeek} a week; 90 % intervals):`);
    output.line(
      table(
        ['week', 'inflow', 'low', 'high', 'payouts due', 'net', 'position', 'low', 'high'],
        currency.weeks.map((w) => [w.weekStart, w.inflow.point, w.inflow.low, w.inflow.high, w.outflow.point, w.net.point, w.cumulativeNet.point, w.cumulativeNet.low, w.cumulativeNet.high]),
      ),
    );
  }
}

function printBacktest(output: Output, result: BacktestResult): void {
  output.line(`\nBack-test (rolling origin, fit on the days before each weekly origin from day ${result.trainDaysMin}, daily values):`);
  if (result.tooShort !== null) {
    output.line(`  not measured: ${result.tooShort}`);
    return;
  }
  const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
  output.line(
    table(
      ['currency', 'measure', 'origins', 'weeks ahead', 'WAPE', 'seasonal-naive WAPE', '90 % coverage'],
      result.series.flatMap((s) => s.horizons.map((h) => [s.currency, s.measure, String(s.origins), String(h.weekAhead), percent(h.wape), percent(h.seasonalNaiveWape), h.coverage.toFixed(2)])),
    ),
  );
}

export const insightsCommand: Command = {
  name: 'insights',
  summary: 'anomalies per partner and product (volume spikes and drops, refund-ratio jumps, chargeback bursts, silent partners) and a cash forecast with its back-test',
  usage:
    'insights --transactions FILE|DIR [--from DATE --to DATE] [--rules FILE] [--agreements FILE|DIR] [--sensitivity low|medium|high] [--retrospective] [--horizon WEEKS] [--backtest] [--report-every DAYS --report-due-days DAYS --as-of DATE] [--json]',
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
    sensitivity: {
      type: 'string',
      valueName: 'LEVEL',
      description:
        'low, medium (default) or high: the tail probability at which a day is flagged (1e-5.5, 1e-4.5, 1e-3.5). Measured on labelled 120-day histories (npm run bench): low finds 80 % of the anomalies with 96 % of its findings right, medium 91.5 % with 86 %, high 96 % with 53 %',
    },
    retrospective: { type: 'boolean', description: 'judge each day against the whole window, later days included (a closed month with no history before it); by default each day is judged against the days before it only, after a 28-day warm-up' },
    horizon: { type: 'string', valueName: 'WEEKS', description: 'weeks of cash forecast (default 8)' },
    backtest: { type: 'boolean', description: 'back-test the forecast on this history: daily WAPE at 1 and 4 weeks ahead against seasonal-naive, and the coverage of the 90 % intervals' },
  },
  examples: [
    'settledesk insights --transactions demo-data/psp --transactions demo-data/partner-reports --rules demo-data/rules.json --agreements demo-data/agreements --report-every 7 --as-of 2026-04-05 --json',
    'settledesk insights --transactions stripe.csv --from 2026-03-01 --to 2026-03-31 --retrospective',
    'settledesk insights --transactions psp-2026/ --rules rules.json --agreements agreements/ --sensitivity high --horizon 12 --backtest',
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
    const sensitivity = sensitivityOption(args.values.sensitivity);
    const mode = args.values.retrospective === true ? 'retrospective' : 'causal';
    const horizon = wholeNumber(args.values.horizon, 'horizon', 1, 104) ?? DEFAULT_FORECAST_OPTIONS.weeks;
    const reportFiles = imports.filter((each) => each.file.format === 'partner-report').length;
    if (every !== undefined && reportFiles === 0) output.note('--report-every: no partner report among the inputs, so no report is judged late or missing');
    const timeliness = every === undefined ? {} : { schedule: reportSchedule(from, to, every, dueDays), asOf };
    const options = { ...DEFAULT_DETECTION_OPTIONS, causal: { ...DEFAULT_DETECTION_OPTIONS.causal, sensitivity } };
    const anomalies = detectAnomalies({ mode, from, to, activity: dailyActivityFromTransactions(sales), reportRows, deliveries, agreedSharePercent: sharePercent, ...timeliness }, options);
    const cashDays = cashFlowDaysFromTransactions(sales, sharePercent);
    const forecast = forecastCashFlow(cashDays, from, to, { ...DEFAULT_FORECAST_OPTIONS, weeks: horizon });
    const backtest = args.values.backtest === true ? backtestForecast(cashDays, from, to) : null;
    const warmup = options.causal.warmupDays;
    const judged = mode === 'retrospective' ? 'each day against the whole window' : `each day against the days before it; the first ${warmup} days (to ${addDays(from, warmup - 1)}) are warm-up, not judged`;
    output.line(`${inWindow.length} transactions from ${from} to ${to}: ${anomalies.length} anomalies (${mode}, sensitivity ${sensitivity}: ${judged})`);
    printAnomalies(output, anomalies);
    if (forecast.length === 0) output.line('\nCash forecast: the history is shorter than two weeks, no forecast');
    printForecast(output, forecast, to);
    if (backtest !== null) printBacktest(output, backtest);
    // The summary's parts are for screens in other languages; the document keeps its English summary as before.
    output.document({ from, to, transactions: inWindow.length, mode, sensitivity, anomalies: anomalies.map(({ summaryParts: _parts, ...anomaly }) => anomaly), forecast, ...(backtest === null ? {} : { backtest }) });
    return EXIT_OK;
  },
};
