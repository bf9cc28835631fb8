import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './run-cli.ts';

/**
 * verify says which total and which line changed when a statement no longer reproduces. The
 * hand-checked month of settle-journal.test.ts; then order 1002 (txn_002, season-pass, EUR) is
 * corrected from 19.99 to 29.99. studio-nord (70 %, half-even per line; the rules assign no product):
 * - the EUR line: base 100.00 + 19.99 - 25.00 + 0.01 = 95.00 -> 105.00 (+10.00), share 66.50 -> 73.50;
 * - the USD line (46.08, share 32.26) does not move;
 * - grossBase 141.08 -> 151.08 (+10.00); payable 66.50 + 32.26 = 98.76 -> 73.50 + 32.26 = 105.76 (+7.00).
 */
const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'settle');
const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-verify-changes-'));
const common = ['--agreements', path.join(FIXTURE, 'agreements.json'), '--rules', path.join(FIXTURE, 'rules.json'), '--fx-rates', path.join(FIXTURE, 'ecb-rates.csv'), '--period', '2026-03'];

describe('settledesk verify against inputs that changed', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names each total and line that moved, with the file value, the fresh value and the difference', () => {
    expect(runCli(['settle', ...common, '--transactions', path.join(FIXTURE, 'stripe-march.csv'), '--out', dir, '--json']).status).toBe(0);
    const corrected = path.join(dir, 'stripe-march-corrected.csv');
    const original = readFileSync(path.join(FIXTURE, 'stripe-march.csv'), 'utf8');
    const changed = original.replace('txn_002,charge,ch_002,19.99,0.88,19.11', 'txn_002,charge,ch_002,29.99,0.88,29.11');
    expect(changed).not.toBe(original);
    writeFileSync(corrected, changed);
    const statement = path.join(dir, 'studio-nord.statement.json');
    const text = runCli(['verify', statement, ...common, '--transactions', corrected]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('does NOT reproduce it');
    expect(text.stdout).toContain('total grossBase: 141.08 in the file, 151.08 now (+10.00)');
    expect(text.stdout).toContain('total payable: 98.76 in the file, 105.76 now (+7.00)');
    // The statement's EUR line (rules assign no product): 100.00 + 19.99 - 25.00 + 0.01 = 95.00, now 105.00; USD and JPY did not move.
    expect(text.stdout).toMatch(/line \(no product\) EUR: base 95\.00 in the file, 105\.00 now \(\+10\.00; \d+ transactions\)/);
    expect(text.stdout).not.toContain(' USD: base');
    const json = runCli(['verify', statement, ...common, '--transactions', corrected, '--json']).json<{ reproduced: boolean; changes: { totals: { field: string; delta: string }[]; lines: { productId: string | null; delta: string }[] } }>();
    expect(json.reproduced).toBe(false);
    expect(json.changes.lines).toEqual([expect.objectContaining({ productId: null, currency: 'EUR', previousBase: '95.00', currentBase: '105.00' })]);
    expect(json.changes.totals).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'payable', previous: '98.76', current: '105.76' })]));
  });
});
