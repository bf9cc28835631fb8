import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { Statement } from '../../core/settlement/index.ts';
import { hledgerBalances, ledgerBalances, type Balances } from '../support/plaintext-accounting.ts';
import { REPO_ROOT, runCli } from './run-cli.ts';

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'settle');
const inputs = [
  '--agreements', path.join(FIXTURE, 'agreements.json'),
  '--transactions', path.join(FIXTURE, 'stripe-march.csv'),
  '--rules', path.join(FIXTURE, 'rules.json'),
  '--fx-rates', path.join(FIXTURE, 'ecb-rates.csv'),
  '--period', '2026-03',
];
const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-settle-'));

interface SettleJson {
  statements: { partnerId: string; currency: string; grossBase: string; share: string; payable: string; sha256: string }[];
  exceptions: unknown[];
}

/** The engine's own totals, as the accounts the journal names them. */
function engineBalances(statements: readonly Statement[]): Balances {
  const expected: Balances = new Map();
  const add = (key: string, amount: Decimal.Value) => expected.set(key, new Decimal(expected.get(key) ?? 0).plus(amount).toFixed());
  for (const statement of statements) {
    for (const group of statement.groups) {
      for (const line of group.lines) {
        const sum = line.kinds.reduce((total, kind) => total.plus(kind.sourceAmount), new Decimal(0));
        add(`Income:Revenue:${statement.partnerId}:${line.productId ?? 'no product'}|${line.currency}`, sum.negated());
      }
    }
    add(`Liabilities:Partners:${statement.partnerId}:payable|${statement.settlementCurrency}`, new Decimal(statement.totals.payable).negated());
  }
  return expected;
}

function compare(actual: Balances, expected: Balances): void {
  for (const [key, amount] of expected) {
    if (new Decimal(amount).isZero()) continue;
    expect(actual.get(key), key).toBeDefined();
    expect(new Decimal(actual.get(key) ?? 'NaN').equals(amount), `${key}: ${actual.get(key)} vs ${amount}`).toBe(true);
  }
}

describe('settledesk settle, verify and journal on a hand-checked month', () => {
  it('settles each partner to the numbers worked out by hand', () => {
    const run = runCli(['settle', ...inputs, '--out', dir, '--json']);
    expect(run.status).toBe(0);
    const result = run.json<SettleJson>();
    expect(result.exceptions).toEqual([]);
    // studio-nord (EUR, 70 %, rounded per line): EUR 100.00 + 19.99 - 25.00 + 0.01 = 95.00 (the April sale is out);
    // USD 49.90 / 1.0830 = 46.0757... -> 46.08. Base 141.08; share 141.08 x 0.70 = 98.756 -> 98.76.
    // studio-hana (JPY, 60 %, rounded once on the total): JPY 1200 + 3300 - 1200 = 3300; EUR 9.99 x 162.00 = 1618.38;
    // base 4918.38 -> 4918; share 4918.38 x 0.60 = 2951.028 -> 2951.
    expect(result.statements.map((s) => [s.partnerId, s.currency, s.grossBase, s.share, s.payable])).toEqual([
      ['studio-hana', 'JPY', '4918', '2951', '2951'],
      ['studio-nord', 'EUR', '141.08', '98.76', '98.76'],
    ]);
    expect(readdirSync(dir).sort()).toEqual(['states.json', 'studio-hana.statement.json', 'studio-nord.statement.json']);
  });

  it('gives the same hash on every run, and verify reproduces it from the inputs', () => {
    const first = runCli(['settle', ...inputs, '--json']).json<SettleJson>();
    const second = runCli(['settle', ...inputs, '--json']).json<SettleJson>();
    expect(first.statements.map((s) => s.sha256)).toEqual(second.statements.map((s) => s.sha256));
    const file = path.join(dir, 'studio-nord.statement.json');
    const verified = runCli(['verify', file, ...inputs, '--json']);
    expect(verified.status).toBe(0);
    expect(verified.json()).toMatchObject({ hashMatches: true, reproduced: true });
  });

  it('verify catches a statement edited after the fact', () => {
    const file = path.join(dir, 'studio-nord.statement.json');
    const tampered = path.join(dir, 'tampered.json');
    writeFileSync(tampered, readFileSync(file, 'utf8').replace('"payable":"98.76"', '"payable":"98.77"'));
    const run = runCli(['verify', tampered, '--json']);
    expect(run.status).toBe(1);
    expect(run.json()).toMatchObject({ hashMatches: false });
  });

  it('writes a journal whose hledger and ledger balances equal the engine totals to the cent', () => {
    const journal = path.join(dir, 'march.journal');
    const run = runCli(['journal', ...inputs, '--format', 'ledger', '--out', journal, '--json']);
    expect(run.status).toBe(0);
    const statements = ['studio-hana', 'studio-nord'].map((id) => (JSON.parse(readFileSync(path.join(dir, `${id}.statement.json`), 'utf8')) as { statement: Statement }).statement);
    const expected = engineBalances(statements);
    expect(expected.size).toBeGreaterThan(4);
    compare(hledgerBalances(journal), expected);
    compare(ledgerBalances(journal), expected);
  });

  it('writes beancount syntax with open directives', () => {
    const run = runCli(['journal', ...inputs, '--format', 'beancount']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^2026-03-\d\d open Liabilities:Partners:Studio-nord:Payable EUR$/m);
    expect(run.stdout).toContain('  source-ids: "tx:stripe:||txn_001"');
  });

  it('re-runs with a late refund as revision 2 and shows what changed against the first run', () => {
    const late = [...inputs, '--transactions', path.join(FIXTURE, 'stripe-late.csv')];
    const run = runCli(['settle', ...late, '--revision', '2', '--previous', dir, '--json']);
    expect(run.status).toBe(0);
    const { diff } = run.json<{ diff: { previousRevision: number; currentRevision: number; partners: { partnerId: string; change: string; totals: { field: string; previous: string; current: string; delta: string }[] }[] } }>();
    expect([diff.previousRevision, diff.currentRevision]).toEqual([1, 2]);
    const nord = diff.partners.find((partner) => partner.partnerId === 'studio-nord');
    // 141.08 - 19.99 = 121.09; share 121.09 x 0.70 = 84.763 -> 84.76.
    expect(nord?.change).toBe('changed');
    expect(nord?.totals.find((change) => change.field === 'payable')).toEqual({ field: 'payable', previous: '98.76', current: '84.76', delta: '-14' });
    expect(diff.partners.find((partner) => partner.partnerId === 'studio-hana')?.change).toBe('unchanged');
  });

  it('refuses a bad period and an unknown format as usage errors', () => {
    expect(runCli(['settle', ...inputs.slice(0, -2), '--period', '2026-13']).status).toBe(2);
    expect(runCli(['journal', ...inputs, '--format', 'gnucash']).status).toBe(2);
  });
});
