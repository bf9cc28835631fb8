import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './run-cli.ts';

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'settle');

interface SettleJson {
  statements: { partnerId: string; grossBase: string; share: string; payable: string }[];
}

/**
 * The Stripe export carries Created (booking) and Available On (value) for each row; an agreement
 * that settles by value date and converts at the value date's rate is reachable from the file.
 */
describe('settledesk settle by value date from a Stripe export', () => {
  it('moves txn_009 (created Mar 31, available Apr 2) out of March and rates txn_004 at its value date', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-dates-'));
    const agreements = JSON.parse(readFileSync(path.join(FIXTURE, 'agreements.json'), 'utf8')) as { partnerId: string; terms: Record<string, unknown> & { fx: Record<string, unknown> } }[];
    for (const agreement of agreements) {
      if (agreement.partnerId !== 'studio-nord') continue;
      agreement.terms.periodDate = 'value';
      agreement.terms.fx.transactionDate = 'value';
    }
    const file = path.join(dir, 'agreements.json');
    writeFileSync(file, JSON.stringify(agreements));
    const run = runCli(['settle', '--agreements', file, '--transactions', path.join(FIXTURE, 'stripe-march.csv'), '--rules', path.join(FIXTURE, 'rules.json'), '--fx-rates', path.join(FIXTURE, 'ecb-rates.csv'), '--period', '2026-03', '--json']);
    expect(run.status).toBe(0);
    // studio-nord: EUR 100.00 + 19.99 - 25.00 = 94.99 (the 0.01 of txn_009 is valued in April);
    // USD 49.90 at its value date Mar 6 (1 EUR = 1.0850 USD): 49.90 / 1.0850 = 45.9907... -> 45.99 (booking date Mar 4 would give 46.08);
    // base 94.99 + 45.99 = 140.98; share 140.98 x 0.70 = 98.686 -> 98.69
    expect(run.json<SettleJson>().statements.map((s) => [s.partnerId, s.grossBase, s.share, s.payable])).toEqual([
      ['studio-hana', '4918', '2951', '2951'],
      ['studio-nord', '140.98', '98.69', '98.69'],
    ]);
  });
});
