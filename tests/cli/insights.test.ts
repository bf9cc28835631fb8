import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoMonth, type DemoMonth } from '../../core/demo/generate.ts';
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
  it('finds the injected anomalies and late or missing reports with recall >= 0.9 at precision >= 0.8', () => {
    const run = runCli([
      'insights',
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
  });
});
