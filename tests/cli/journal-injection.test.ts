import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { hledgerBalances, ledgerBalances, type Balances } from '../support/plaintext-accounting.ts';
import { runCli } from './run-cli.ts';

/**
 * A partner id, a transaction id and a product id carrying CR LF and a posting line must not add a
 * posting to the journal: the real hledger and ledger must report the same balances as for the
 * same month with plain ids.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-journal-injection-'));
const ATTACKS = {
  posting: '\r\n    Assets:Stolen  1000000 EUR',
  // Balanced, so a tool that took the lines as postings would accept the journal and show the theft.
  balanced: '\r\n    Assets:Stolen  1000000 EUR\r\n    Equity:Gift  -1000000 EUR',
};

function journalOf(name: string, suffix: string): string {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  const partner = `studio-a${suffix}`;
  writeFileSync(path.join(folder, 'agreements.json'), JSON.stringify([{ agreementId: 'AGR-a', partnerId: partner, version: 1, effectiveFrom: '2026-01-01', effectiveTo: null, partnerJurisdiction: 'NL', settlementCurrency: 'EUR', terms: { share: { rate: '50' } } }]));
  // A partner report in JSON keeps every character of its strings, CR included.
  const report = { format: 'settledesk.partner-report/1', partner, period: { start: '2026-03-01', end: '2026-03-31' }, currency: 'EUR', lines: [{ reference: `r1${suffix}`, date: '2026-03-10', product: `game${suffix}`, units: 1, gross: '10.00' }] };
  writeFileSync(path.join(folder, 'report.json'), JSON.stringify(report));
  const journal = path.join(folder, 'month.journal');
  const run = runCli(['journal', '--agreements', path.join(folder, 'agreements.json'), '--transactions', path.join(folder, 'report.json'), '--period', '2026-03', '--out', journal, '--json']);
  expect(run.status, run.stdout).toBe(0);
  return journal;
}

/** Amounts as exact decimals (ledger prints 10.00 as 10); the hostile ids, escaped, stay inside their account-name component and are folded back to the plain names. */
function folded(balances: Balances): Map<string, string> {
  return new Map([...balances].map(([key, amount]) => [key.replace(/studio-a[^:|]*/g, 'studio-a').replace(/game[^:|]*/g, 'game'), new Decimal(amount).toFixed(2)]));
}

// One sale of 10.00 EUR at a 50 % share: the partner is owed 5.00, the platform keeps 5.00.
const EXPECTED = new Map([
  ['Assets:PSP clearing:EUR|EUR', '10.00'],
  ['Income:Revenue:studio-a:game|EUR', '-10.00'],
  ['Equity:Settlement:revenue-base|EUR', '10.00'],
  ['Liabilities:Partners:studio-a:payable|EUR', '-5.00'],
  ['Income:Platform:revenue-share|EUR', '-5.00'],
]);

describe('journal text cannot be given postings through ids, payees or narrations', () => {
  const clean = journalOf('clean', '');

  it('the plain month balances as worked out by hand', () => {
    expect(folded(hledgerBalances(clean))).toEqual(EXPECTED);
    expect(folded(ledgerBalances(clean))).toEqual(EXPECTED);
  });

  it.each(Object.entries(ATTACKS))('ids carrying a %s attack leave hledger bal and ledger bal unchanged', (name, attack) => {
    const hostile = journalOf(name, attack);
    for (const balances of [hledgerBalances(hostile), ledgerBalances(hostile)]) {
      expect([...balances.keys()].filter((key) => /^(Assets:Stolen|Equity:Gift)/.test(key))).toEqual([]);
      expect(folded(balances)).toEqual(EXPECTED);
    }
  });
});
