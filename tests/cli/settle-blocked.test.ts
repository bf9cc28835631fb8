import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './run-cli.ts';

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'settle');

interface SettleJson {
  statements: { partnerId: string; payable: string }[];
  exceptions: { partnerId: string; code: string; details: Record<string, unknown> }[];
  blocked: { partnerId: string; period: { start: string }; status: string; payable: null; code: string; origin: { period: { start: string }; code: string } }[];
}

/**
 * A blocked statement from the command line: a rate file without the USD quote studio-nord's March
 * needs blocks its March (no statement file, states.json marked); April run with that state is
 * blocked too, because the agreement carries a negative balance forward.
 */
describe('settledesk settle with a blocked partner-period', () => {
  it('writes no statement for the blocked partner, marks states.json, and blocks the next month that depends on it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-blocked-'));
    const rates = path.join(dir, 'rates.csv');
    writeFileSync(rates, 'Date,JPY,\n2026-03-05,162.00,\n2026-03-06,162.10,\n');
    const common = ['--agreements', path.join(FIXTURE, 'agreements.json'), '--rules', path.join(FIXTURE, 'rules.json'), '--fx-rates', rates];
    const march = runCli(['settle', ...common, '--transactions', path.join(FIXTURE, 'stripe-march.csv'), '--period', '2026-03', '--out', path.join(dir, 'march'), '--json']);
    expect(march.status).toBe(1);
    const result = march.json<SettleJson>();
    expect(result.statements.map((s) => s.partnerId)).toEqual(['studio-hana']);
    expect(result.blocked).toEqual([expect.objectContaining({ partnerId: 'studio-nord', status: 'blocked', payable: null, code: 'fx_rate_missing' })]);
    expect(readdirSync(path.join(dir, 'march')).sort()).toEqual(['states.json', 'studio-hana.statement.json']);
    const states = JSON.parse(readFileSync(path.join(dir, 'march', 'states.json'), 'utf8')) as Record<string, { blocked?: { code: string } }>;
    expect(states['studio-nord']?.blocked?.code).toBe('fx_rate_missing');

    const april = runCli(['settle', ...common, '--transactions', path.join(FIXTURE, 'stripe-late.csv'), '--period', '2026-04', '--state', path.join(dir, 'march', 'states.json'), '--allow-unsettled']);
    expect(april.status).toBe(1);
    expect(april.stdout).toContain('BLOCKED studio-nord 2026-04-01..2026-04-30: blocked_by_earlier_period, because 2026-03-01..2026-03-31 is blocked (fx_rate_missing)');
  });
});
