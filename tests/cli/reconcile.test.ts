import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoMonth, type DemoMonth } from '../../core/demo/generate.ts';
import { IMPORTERS } from '../../core/importers/registry.ts';
import { importFile } from '../../core/ingest/import-file.ts';
import type { MatchGroup, PspPayout, ReconcileResult } from '../../core/reconcile/index.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { runCli } from './run-cli.ts';

interface ReconcileJson {
  groups: (MatchGroup & { leg: string })[];
  unmatched: ReconcileResult['unmatched'];
  pending: ReconcileResult['pending'];
  payouts: PspPayout[];
  summary: { groups: number; unexplained: number; tolerated: number; unmatchedBank: number; unmatchedPsp: number; unmatchedLedger: number | null; pspNotPaidOut: number; pspInTransit: number; pspPayouts: number; batchesNotDetailed: number };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The generator's id of the PSP movement an imported line comes from (a sale's fee line shares it). */
function demoIdOf(tx: CanonicalTransaction): string {
  if (tx.source.format === 'stripe') return tx.raw.id ?? '';
  if (tx.source.format === 'adyen') return tx.raw['Modification Reference'] || (tx.raw['Psp Reference'] ?? '');
  return tx.raw['Transaction ID'] ?? '';
}

describe('settledesk reconcile on a generated demo month', () => {
  let month: DemoMonth;
  let dir: string;
  let run: ReturnType<typeof runCli>;
  let report: ReconcileJson;

  beforeAll(() => {
    month = generateDemoMonth({ small: true, seed: 42 }, sha256);
    dir = mkdtempSync(path.join(tmpdir(), 'settledesk-reconcile-'));
    for (const file of month.files.filter((f) => f.path.startsWith('bank/') || f.path.startsWith('psp/'))) {
      mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
      writeFileSync(path.join(dir, file.path), file.text);
    }
    run = runCli(['reconcile', '--bank', path.join(dir, 'bank'), '--psp', path.join(dir, 'psp'), '--json']);
    report = run.json<ReconcileJson>();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 because the month has injected mismatches, with counts that follow the generator', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const { amountMismatches, missingBankCredits } = month.manifest.injected;
    const inPeriod = month.payouts.filter((p) => p.inStatementPeriod);
    // Payout lines with no payout yet: the movements the generator left unpaid, as the importers split them.
    const pspLines = month.files.filter((f) => f.path.startsWith('psp/')).flatMap((f) => importFile(IMPORTERS, new TextEncoder().encode(f.text), f.path, { format: 'auto', pseudonymization: { mode: 'off' } }).transactions);
    const unpaid = new Set(month.transactions.filter((t) => t.payoutId === null).map((t) => t.id));
    expect(report.summary).toEqual({
      groups: inPeriod.length - missingBankCredits.length,
      unexplained: amountMismatches.length,
      tolerated: 0,
      unmatchedBank: month.platform.accounts.length + month.platform.partners.length,
      unmatchedPsp: missingBankCredits.length,
      unmatchedLedger: null,
      pspNotPaidOut: pspLines.filter((tx) => tx.kind !== 'payout' && unpaid.has(demoIdOf(tx))).length,
      pspInTransit: month.payouts.length - inPeriod.length,
      pspPayouts: month.payouts.length,
      // The generator's camt.053 gives each entry one TxDtls: no batch booking to detail.
      batchesNotDetailed: 0,
    });
  });

  it('shows each injected mismatch and the missing bank credit', () => {
    const differing = report.groups.filter((group) => group.difference !== '0' && !/^0\.0+$/.test(group.difference));
    expect(differing.map((group) => [group.currency, group.leftTotal?.amount, group.rightTotal?.amount, group.difference, group.variance?.unexplained]).sort()).toEqual(
      month.manifest.injected.amountMismatches.map((m) => [m.currency, m.payoutAmount, m.bankAmount, m.difference, m.difference]).sort(),
    );
    const [missing] = month.manifest.injected.missingBankCredits;
    const payout = report.payouts.find((p) => p.payoutIds.includes(report.unmatched.pspUnsettled[0] ?? ''));
    expect(payout).toMatchObject({ currency: missing?.currency, amount: missing?.amount });
  });

  it('says it in text too: the counts, the differing groups and the payout the bank does not show', () => {
    const text = runCli(['reconcile', '--bank', path.join(dir, 'bank'), '--psp', path.join(dir, 'psp')]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`${report.summary.groups} matched groups (2 with an unexplained difference, 0 within tolerance); unmatched: bank ${report.summary.unmatchedBank}, PSP 1`);
    expect(text.stdout).toContain(`${report.summary.pspInTransit} payouts in transit`);
    expect(text.stdout).toContain('PSP payouts the bank does not show');
    expect(text.stdout).toContain(report.unmatched.pspUnsettled[0]);
  });

  it('accepts the one-minor-unit GBP gap with an amount tolerance of 0.01 (--rules), and only that one', () => {
    const rules = path.join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify({ amountTolerance: '0.01' }));
    const tolerant = runCli(['reconcile', '--bank', path.join(dir, 'bank'), '--psp', path.join(dir, 'psp'), '--rules', rules, '--json']);
    expect(tolerant.status).toBe(1);
    const result = tolerant.json<ReconcileJson>();
    expect(result.summary).toMatchObject({ groups: report.summary.groups, unexplained: 1, tolerated: 1 });
    const oneUnit = month.manifest.injected.amountMismatches.find((m) => m.reason === 'one minor unit short');
    const gbp = result.groups.find((group) => group.variance?.tolerated !== undefined && group.variance.tolerated !== '0.00');
    expect(gbp).toMatchObject({ currency: oneUnit?.currency, difference: oneUnit?.difference, variance: { tolerated: oneUnit?.difference, unexplained: '0.00' } });
  });

  it('refuses a rules file with a bad option, naming it', () => {
    const rules = path.join(dir, 'bad-rules.json');
    writeFileSync(rules, JSON.stringify({ amountTolerance: '-1' }));
    const bad = runCli(['reconcile', '--bank', path.join(dir, 'bank'), '--psp', path.join(dir, 'psp'), '--rules', rules, '--json']);
    expect(bad.status).toBe(1);
    expect(bad.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'rules_invalid', message: expect.stringContaining('amountTolerance') });
  });
});
