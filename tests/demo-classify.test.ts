import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { classify, compileRules, type ClassificationResult, type CompiledRule } from '../core/classify/rules.ts';
import type { DemoTransaction } from '../core/demo/activity.ts';
import { generateDemoMonth, type DemoMonth } from '../core/demo/generate.ts';
import { DEMO_LEDGER_ACCOUNTS } from '../core/demo/rules.ts';
import { importFile } from '../core/ingest/import-file.ts';
import type { ImportResult } from '../core/ingest/result.ts';
import { IMPORTERS } from '../core/importers/registry.ts';
import type { CanonicalTransaction } from '../core/transactions/schema.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const encoder = new TextEncoder();

function fileText(month: DemoMonth, path: string): string {
  const file = month.files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`no file ${path}`);
  return file.text;
}

function importPsp(files: readonly { path: string; text: string }[]): ImportResult[] {
  const known = new Map<string, { line: number | null; sourceId: string | null }>();
  return files.map((file) => {
    const result = importFile(IMPORTERS, encoder.encode(file.text), file.path, { format: 'auto', pseudonymization: { mode: 'off' }, knownIds: known });
    for (const t of result.transactions) known.set(t.id, { line: t.source.line, sourceId: t.source.sourceId });
    return result;
  });
}

/** The generator's id of the movement a row reports: its transaction id, or its payout id. */
function demoIdOf(t: CanonicalTransaction): string {
  const raw = (column: string): string => t.raw[column] ?? '';
  if (t.source.format === 'stripe') return t.kind === 'payout' ? raw('Source') : raw('id');
  if (t.source.format === 'adyen') return raw('Modification Reference') || raw('Psp Reference');
  return raw('Transaction ID');
}

const REVENUE: ReadonlySet<string> = new Set(['sale', 'refund', 'chargeback']);

describe('demo rules.json on the demo PSP reports', () => {
  let month: DemoMonth;
  let imports: ImportResult[];
  let rules: CompiledRule[];
  let result: ClassificationResult;
  let truth: Map<string, DemoTransaction>;

  beforeAll(() => {
    month = generateDemoMonth({ small: true, seed: 42 }, sha256);
    imports = importPsp(month.files.filter((f) => f.path.startsWith('psp/')));
    rules = compileRules(JSON.parse(fileText(month, 'rules.json')));
    result = classify(imports.flatMap((i) => i.transactions), rules);
    truth = new Map(month.transactions.map((t) => [t.id, t]));
  });

  it('imports every PSP file whole, with only the injected duplicates set aside', () => {
    expect(imports.map((i) => i.file.format)).toEqual(month.files.filter((f) => f.path.startsWith('psp/')).map((f) => f.format));
    expect(imports.flatMap((i) => i.rejected)).toEqual([]);
    // A duplicated row with a fee repeats two entries: compare rows.
    const duplicateRows = new Set(imports.flatMap((i) => i.duplicates.map((d) => `${i.file.fileName}:${d.line}`)));
    expect([...duplicateRows].sort()).toEqual(month.manifest.injected.duplicates.map((d) => `${d.file}:${d.line}`).sort());
  });

  it('classifies every imported transaction, with a small rule set that does not grow with partners', () => {
    expect(result.unclassified).toEqual([]);
    expect(result.unclassifiedReasons).toEqual([]);
    expect(result.classified.length).toBeGreaterThan(month.transactions.length);
    expect(rules.length).toBe(18);
    const wider = generateDemoMonth({ small: true, seed: 7, partners: 9 }, sha256);
    expect(fileText(wider, 'rules.json')).toBe(fileText(month, 'rules.json'));
    expect(month.manifest.files.find((f) => f.path === 'rules.json')?.sha256).toBe(sha256(fileText(month, 'rules.json')));
  });

  it('gives every sale, refund and chargeback the partner and product of the ground truth, each exactly once', () => {
    const revenue = result.classified.filter((c) => REVENUE.has(c.transaction.kind));
    const seen = new Set<string>();
    for (const { transaction, ledgerAccount } of revenue) {
      const demo = truth.get(demoIdOf(transaction));
      expect(demo, `line ${transaction.source.line} of ${transaction.source.fileName}`).toBeDefined();
      expect([transaction.kind, transaction.partnerId, transaction.productId, transaction.source.format]).toEqual([demo?.kind, demo?.partnerId, demo?.productId, demo?.psp]);
      expect(ledgerAccount).toBe(DEMO_LEDGER_ACCOUNTS[transaction.kind as 'sale' | 'refund' | 'chargeback']);
      seen.add(demoIdOf(transaction));
    }
    expect(seen.size).toBe(revenue.length);
    // Adyen reports only what a settlement batch paid out; the other PSPs report every movement.
    const reported = month.transactions.filter((t) => t.psp !== 'adyen' || t.payoutId !== null);
    expect(reported.length).toBeGreaterThan(1700);
    expect([...seen].sort()).toEqual(reported.map((t) => t.id).sort());
  });

  it('books fees to the PSP fee account with the partner of their row, and payouts to clearing with no partner', () => {
    const fees = result.classified.filter((c) => c.transaction.kind === 'fee');
    const payouts = result.classified.filter((c) => c.transaction.kind === 'payout');
    expect(fees.length + payouts.length + result.classified.filter((c) => REVENUE.has(c.transaction.kind)).length).toBe(result.classified.length);
    for (const { transaction, ledgerAccount, ruleId } of fees) {
      const demo = truth.get(demoIdOf(transaction));
      const psp = transaction.source.format as 'stripe' | 'adyen' | 'paypal';
      expect([ruleId, ledgerAccount, transaction.partnerId, transaction.productId]).toEqual([`${psp}-fee-partner`, DEMO_LEDGER_ACCOUNTS.fee[psp], demo?.partnerId, demo?.productId]);
    }
    expect(fees.length).toBe(month.transactions.filter((t) => t.feeMinor > 0 && (t.psp !== 'adyen' || t.payoutId !== null)).length);
    const payoutIds = new Map(month.payouts.map((p) => [p.payoutId, p.psp]));
    for (const { transaction, ledgerAccount } of payouts) {
      const psp = payoutIds.get(demoIdOf(transaction));
      expect(psp).toBe(transaction.source.format);
      expect([ledgerAccount, transaction.partnerId, transaction.productId]).toEqual([DEMO_LEDGER_ACCOUNTS.payout[psp ?? 'stripe'], null, null]);
    }
    expect(payouts.length).toBe(month.payouts.length);
  });

  it('reports a sale whose row lost its partner instead of booking it with none, and books that row\'s fee as the platform\'s', () => {
    const path = 'psp/stripe-balance-transactions-2026-03.csv';
    const sale = month.transactions.find((t) => t.psp === 'stripe' && t.kind === 'sale');
    expect(sale).toBeDefined();
    const lines = fileText(month, path).split('\n');
    const index = lines.findIndex((line) => line.startsWith(`${sale?.id},`));
    lines[index] = (lines[index] ?? '').replace(`,${sale?.partnerId},`, ',,');
    const [stripped] = importPsp([{ path, text: lines.join('\n') }]);
    const own = (stripped?.transactions ?? []).filter((t) => t.raw.id === sale?.id);
    const outcome = classify(own, rules);
    expect(outcome.unclassifiedReasons.map((r) => [r.code, r.ruleId, r.assignField, r.placeholder])).toEqual([['template_empty', 'stripe-sale', 'partnerId', 'raw.partner_id (metadata)']]);
    expect(outcome.classified.map((c) => [c.ruleId, c.ledgerAccount, c.transaction.partnerId])).toEqual([['stripe-fee-platform', DEMO_LEDGER_ACCOUNTS.fee.stripe, null]]);
  });
});
