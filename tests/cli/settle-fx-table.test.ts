import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './run-cli.ts';

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'settle');
const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-fx-table-'));

interface SettleJson {
  statements: { partnerId: string; currency: string; grossBase: string; share: string; payable: string }[];
  exceptions: { partnerId: string; code: string; details: { missing?: unknown[] } }[];
}

function settleWith(rates: string) {
  const file = path.join(dir, `rates-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, rates);
  return runCli(['settle', '--agreements', path.join(FIXTURE, 'agreements.json'), '--transactions', path.join(FIXTURE, 'stripe-march.csv'), '--rules', path.join(FIXTURE, 'rules.json'), '--fx-rates', file, '--period', '2026-03', '--json']);
}

describe('settledesk settle --fx-rates with a provider pair table (date,base,quote,rate)', () => {
  it('settles each partner to the numbers worked out by hand', () => {
    const run = settleWith('date,base,quote,rate\n2026-03-04,USD,EUR,0.9200\n2026-03-05,EUR,JPY,162.00\n');
    expect(run.status).toBe(0);
    const result = run.json<SettleJson>();
    expect(result.exceptions).toEqual([]);
    // studio-nord (EUR, 70 %, per line): EUR 100.00 + 19.99 - 25.00 + 0.01 = 95.00; USD 49.90 x 0.92 = 45.908 -> 45.91;
    // base 140.91; share 140.91 x 0.70 = 98.637 -> 98.64.
    // studio-hana (JPY, 60 %, once on the total, half-up): 1200 + 3300 - 1200 = 3300; EUR 9.99 x 162 = 1618.38;
    // base 4918.38 -> 4918; share 4918.38 x 0.60 = 2951.028 -> 2951.
    expect(result.statements.map((s) => [s.partnerId, s.currency, s.grossBase, s.share, s.payable])).toEqual([
      ['studio-hana', 'JPY', '4918', '2951', '2951'],
      ['studio-nord', 'EUR', '140.91', '98.64', '98.64'],
    ]);
  });

  it('does not invert a reverse rate the agreement does not allow, and names the transaction', () => {
    // only EUR/USD is quoted on the 4th; studio-nord needs USD->EUR and keeps fx.reverseRates "refuse"
    const run = settleWith('date,base,quote,rate\n2026-03-04,EUR,USD,1.0830\n2026-03-05,EUR,JPY,162.00\n');
    expect(run.status).toBe(1);
    const result = run.json<SettleJson>();
    expect(result.statements.map((s) => s.partnerId)).toEqual(['studio-hana']);
    expect(result.exceptions.map((e) => [e.partnerId, e.code])).toEqual([['studio-nord', 'fx_rate_missing']]);
    expect(result.exceptions[0]?.details.missing).toEqual([{ transactionId: expect.any(String), date: '2026-03-04', pair: 'USD/EUR', rateKey: '2026-03-04' }]);
  });

  it('lists every transaction without a rate in the text output', () => {
    const file = path.join(dir, 'empty-pairs.csv');
    writeFileSync(file, 'date,base,quote,rate\n2026-01-01,EUR,CHF,0.95\n');
    const run = runCli(['settle', '--agreements', path.join(FIXTURE, 'agreements.json'), '--transactions', path.join(FIXTURE, 'stripe-march.csv'), '--rules', path.join(FIXTURE, 'rules.json'), '--fx-rates', file, '--period', '2026-03']);
    expect(run.status).toBe(1);
    // studio-nord lacks USD/EUR for its one USD sale; studio-hana lacks EUR/JPY for its one EUR sale
    expect(run.stdout).toMatch(/no rate: studio-hana \S+ 2026-03-05 EUR\/JPY/);
    expect(run.stdout).toMatch(/no rate: studio-nord \S+ 2026-03-04 USD\/EUR/);
  });
});
