import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoMonth, type DemoMonth } from '../../core/demo/generate.ts';
import { createPrng } from '../../core/demo/prng.ts';
import { DEFAULT_LABELLED_OPTIONS, generateLabelledHistory, type LabelledHistory } from '../../core/insight/labelled-history.ts';
import { evaluateDetections, type KnownAnomaly } from '../../core/insight/evaluate.ts';
import type { Anomaly } from '../../core/insight/types.ts';
import { runCli } from './run-cli.ts';

/** `settledesk insights` on files written from a generated month, scored against what the generator injected. */
let month: DemoMonth;
let dir: string;

beforeAll(() => {
  month = generateDemoMonth({ seed: 42, month: '2026-03', small: true }, (text) => createHash('sha256').update(text).digest('hex'));
  dir = mkdtempSync(path.join(tmpdir(), 'settledesk-insights-'));
  for (const file of month.files) {
    mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    writeFileSync(path.join(dir, file.path), file.text);
  }
});

interface InsightsJson {
  from: string;
  to: string;
  anomalies: Anomaly[];
  forecast: { currency: string; weeks: { inflow: { point: string; low: string; high: string } }[] }[];
}

describe('settledesk insights on a generated month', () => {
  it('finds the injected anomalies and late or missing reports with recall >= 0.9 at precision >= 0.8, reviewing the month retrospectively', () => {
    // The month has no history before it, so it is judged against itself (--retrospective); the causal default is tested below on a longer history.
    const run = runCli([
      'insights',
      '--retrospective',
      ...['--transactions', path.join(dir, 'psp'), '--transactions', path.join(dir, 'partner-reports')],
      ...['--rules', path.join(dir, 'rules.json'), '--agreements', path.join(dir, 'agreements')],
      ...['--report-every', '7', '--report-due-days', '3', '--as-of', month.manifest.asOf, '--json'],
    ]);
    expect(run.status).toBe(0);
    const result = run.json<InsightsJson>();
    expect([result.from, result.to]).toEqual(['2026-03-01', '2026-03-31']);
    const known: KnownAnomaly[] = [
      ...month.manifest.injected.anomalies,
      ...month.manifest.injected.lateReports.map((late) => ({ kind: 'late_report' as const, partnerId: late.partnerId, productId: null, day: late.periodStart, periodEnd: late.periodEnd })),
    ];
    const evaluation = evaluateDetections(result.anomalies, known);
    expect(evaluation.known).toBe(10);
    expect(evaluation.recall).toBeGreaterThanOrEqual(0.9);
    expect(evaluation.precision).toBeGreaterThanOrEqual(0.8);
  });

  it('forecasts 8 weeks per currency with the point inside its interval, in exact decimals', () => {
    const result = runCli(['insights', '--transactions', path.join(dir, 'psp'), '--rules', path.join(dir, 'rules.json'), '--json']).json<InsightsJson>();
    expect(result.forecast.map((currency) => currency.currency).sort()).toEqual(['EUR', 'GBP', 'JPY', 'KRW', 'USD']);
    for (const currency of result.forecast) {
      expect(currency.weeks).toHaveLength(8);
      for (const { inflow } of currency.weeks) {
        for (const amount of [inflow.low, inflow.point, inflow.high]) expect(amount).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(inflow.low) <= Number(inflow.point) && Number(inflow.point) <= Number(inflow.high)).toBe(true);
      }
    }
  });

  it('refuses a bad schedule option as a usage error', () => {
    expect(runCli(['insights', '--transactions', path.join(dir, 'psp'), '--report-every', '0']).status).toBe(2);
    expect(runCli(['insights', '--transactions', path.join(dir, 'psp'), '--sensitivity', 'extreme']).status).toBe(2);
    expect(runCli(['insights', '--transactions', path.join(dir, 'psp'), '--horizon', '0']).status).toBe(2);
  });

  it('judges nothing in the warm-up by default, and says a month is too short for a back-test', () => {
    const run = runCli(['insights', '--transactions', path.join(dir, 'psp'), '--rules', path.join(dir, 'rules.json'), '--backtest']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('(causal, sensitivity medium: each day against the days before it; the first 28 days (to 2026-03-28) are warm-up, not judged)');
    expect(run.stdout).toContain('not measured: the history has 31 days; a back-test 4 weeks ahead needs at least 70 (42 to fit, 28 to compare)');
  });
});

/** A labelled 84-day history written as one generic CSV (one row per sale, refund or chargeback) with its mapping profile. */
describe('settledesk insights on a labelled history (causal by default)', () => {
  let history: LabelledHistory;
  let csv: string;
  let profile: string;

  beforeAll(() => {
    history = generateLabelledHistory(createPrng(11), {
      ...DEFAULT_LABELLED_OPTIONS,
      days: 84,
      partners: 6,
      productsPerPartner: 2,
      labelDayFirst: 35,
      anomalies: { spikes: 2, drops: 0, refundJumps: 1, chargebackBursts: 1, silentPartners: 1, subtle: 0 },
    });
    const lines = ['id,date,kind,amount,currency,partner,product'];
    let id = 0;
    for (const row of history.activity) {
      for (const [kind, count, amount] of [
        ['sale', row.sales, '9.99'],
        ['refund', row.refunds, '-9.99'],
        ['chargeback', row.chargebacks, '-9.99'],
      ] as const) {
        for (let n = 0; n < count; n++) lines.push(`T${++id},${row.day},${kind},${amount},EUR,${row.partnerId},${row.productId}`);
      }
    }
    const folder = mkdtempSync(path.join(tmpdir(), 'settledesk-labelled-'));
    csv = path.join(folder, 'history.csv');
    profile = path.join(folder, 'history.profile.json');
    writeFileSync(csv, `${lines.join('\n')}\n`);
    writeFileSync(
      profile,
      JSON.stringify({
        name: 'labelled',
        delimiter: ',',
        date: { format: 'YYYY-MM-DD' },
        sign: { convention: 'signed', column: 'amount' },
        currency: { column: 'currency' },
        kind: { column: 'kind', values: { sale: 'sale', refund: 'refund', chargeback: 'chargeback' } },
        columns: { date: 'date', partner: 'partner', product: 'product', externalId: 'id' },
        fixedAccount: 'psp',
        id: { policy: 'reference', column: 'id' },
      }),
    );
  });

  it('finds every labelled anomaly, each kind apart, none in the warm-up, with evidence and severity', () => {
    const run = runCli(['insights', '--transactions', csv, '--profile', profile, '--json']);
    expect(run.status).toBe(0);
    const result = run.json<InsightsJson & { mode: string; sensitivity: string }>();
    expect([result.mode, result.sensitivity]).toEqual(['causal', 'medium']);
    const known: KnownAnomaly[] = history.labels.map((l) => ({ kind: l.kind, partnerId: l.partnerId, productId: l.productId, day: l.day, periodEnd: l.periodEnd }));
    expect(known.map((k) => k.kind).sort()).toEqual(['chargeback_burst', 'partner_silent', 'refund_ratio_jump', 'volume_spike', 'volume_spike']);
    // Kinds must match here: a chargeback burst is not reported as a refund jump, a silent partner not as drops.
    const evaluation = evaluateDetections(result.anomalies, known, 1, true);
    expect(evaluation.recall).toBe(1);
    expect(evaluation.precision).toBeGreaterThanOrEqual(0.8);
    const warmupEnd = history.days[27] ?? '';
    expect(result.anomalies.every((a) => a.day > warmupEnd)).toBe(true);
    const silent = result.anomalies.find((a) => a.kind === 'partner_silent');
    expect(silent).toMatchObject({ productId: null, evidence: { observed: 0, days: expect.any(Number) } });
    for (const a of result.anomalies.filter((each) => each.kind !== 'partner_silent')) {
      expect(typeof a.evidence.observed).toBe('number');
      expect(Number(a.evidence.observed) > Number(a.evidence.bandHigh) || Number(a.evidence.observed) < Number(a.evidence.bandLow)).toBe(true);
      expect(['low', 'medium', 'high', 'critical']).toContain(a.severity);
    }
  });

  it('does not call every partner late when there are no report files, and prints the back-test beside seasonal-naive', () => {
    const run = runCli(['insights', '--transactions', csv, '--profile', profile, '--report-every', '7', '--as-of', '2026-06-01', '--backtest', '--horizon', '4']);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('missing_report');
    expect(run.stderr).toContain('--report-every: no partner report among the inputs');
    expect(run.stdout).toMatch(/Cash forecast EUR after 2026-03-29 \(fitted on the last 56 of 84 days/);
    expect(run.stdout).toMatch(/EUR\s+inflow\s+3\s+1\s+\d+\.\d %\s+\d+\.\d %\s+0\.\d\d/);
    expect(run.stdout).toMatch(/EUR\s+inflow\s+3\s+4\s+\d+\.\d %/);
    const weeks = run.stdout.split('\n').filter((line) => /^2026-0[34]-\d\d /.test(line));
    expect(weeks).toHaveLength(4);
  });
});
