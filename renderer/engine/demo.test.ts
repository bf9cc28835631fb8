import { describe, expect, it } from 'vitest';
import { generateDemoMonth } from '../../core/demo/generate.ts';
import { Decimal } from '../../core/money/decimal.ts';
import { buildDemo } from './demo.ts';

describe('buildDemo (the demo workspace the first start opens)', () => {
  const data = buildDemo({ seed: 42, month: '2026-03', now: '2026-04-10T09:00:00Z' }, () => {}, () => 0);
  const month = generateDemoMonth({ seed: 42, month: '2026-03', small: true });

  it('imports every bank, PSP and partner-report file of the generated month without refusing one', () => {
    const expected = month.files.filter((f) => /^(bank|psp|partner-reports)\//.test(f.path)).map((f) => f.path);
    expect(data.imports.files.map((f) => f.name)).toEqual(expected);
    expect(data.imports.files.filter((f) => f.status !== 'imported')).toEqual([]);
  });

  it('finds the bank credits the generator left out and the amount mismatches it injected as unmatched money', () => {
    const injectedMissing = month.manifest.injected.missingBankCredits.length;
    const injectedMismatches = month.manifest.injected.amountMismatches.length;
    expect(injectedMissing + injectedMismatches).toBeGreaterThan(0);
    const unmatchedCount = [...data.facts.unmatchedPsp, ...data.facts.unmatchedBank].reduce((sum, row) => sum + row.count, 0);
    expect(unmatchedCount).toBeGreaterThanOrEqual(injectedMissing);
    expect(data.facts.exceptionsOpen).toBeGreaterThan(0);
    for (const row of data.facts.unmatchedPsp) expect(row.amount).toMatch(/^-?\d+(\.\d+)?$/);
  });

  it('gives the dashboard anomalies and a forecast band per currency', () => {
    expect(data.facts.anomalies.length).toBeGreaterThan(0);
    expect(data.facts.forecast.length).toBeGreaterThan(0);
    for (const week of data.facts.forecast[0]?.weeks ?? []) expect(new Decimal(week.cumulativeNet.low).lte(week.cumulativeNet.high)).toBe(true);
  });
});

describe('analyze on the demo workspace read back from the desk', () => {
  it('gives the same anomalies and forecast as the first open, when told the demo month', async () => {
    const { analyzeWorkspace } = await import('./analyze.ts');
    const { demoExtras } = await import('./demo.ts');
    const first = buildDemo({ seed: 42, month: '2026-03', now: '2026-04-10T09:00:00Z' }, () => {}, () => 0);
    const transactions = first.imports.files.flatMap((f) => (f.status === 'imported' ? f.transactions : []));
    const again = analyzeWorkspace(transactions, '2026-04-10T09:00:00Z', demoExtras(42, '2026-03'));
    expect(again.anomalies.map((a) => a.id)).toEqual(first.facts.anomalies.map((a) => a.id));
    expect(again.forecast).toEqual(first.facts.forecast);
  });
});
