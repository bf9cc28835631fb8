import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoMonth, type DemoMonth } from '../core/demo/generate.ts';
import { readUsageReports } from '../core/demo/insight-inputs.ts';
import { camt053Importer } from '../core/importers/camt.ts';
import { IMPORTERS } from '../core/importers/registry.ts';
import { mt940Importer } from '../core/importers/mt940.ts';
import { importFile } from '../core/ingest/import-file.ts';
import { IMPORT_FORMATS, type ParseOutput } from '../core/ingest/importer.ts';
import type { ImportResult } from '../core/ingest/result.ts';
import { SettleDeskError } from '../core/errors.ts';
import { Decimal } from '../core/money/decimal.ts';
import { minorUnitsOf } from '../core/money/iso4217.ts';
import { parseAgreements } from '../core/settlement/agreement.ts';
import { parseEcbRates } from '../core/settlement/fx.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const context = (fileName: string) => ({ fileName, sha256: sha256(fileName), pseudonymize: (id: string) => id });

function fileText(month: DemoMonth, path: string): string {
  const file = month.files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`no file ${path}`);
  return file.text;
}

describe('demo month generator (small)', () => {
  let month: DemoMonth;
  beforeAll(() => {
    month = generateDemoMonth({ small: true, seed: 42 }, sha256);
  });

  it('gives byte-identical files for the same seed and different files for another seed', () => {
    const again = generateDemoMonth({ small: true, seed: 42 }, sha256);
    expect(again.files.map((f) => [f.path, sha256(f.text)])).toEqual(month.files.map((f) => [f.path, sha256(f.text)]));
    const other = generateDemoMonth({ small: true, seed: 43 }, sha256);
    expect(sha256(fileText(other, 'psp/stripe-balance-transactions-2026-03.csv'))).not.toBe(sha256(fileText(month, 'psp/stripe-balance-transactions-2026-03.csv')));
  });

  it('lists every file with its real size and hash in the manifest', () => {
    const manifest = JSON.parse(fileText(month, 'manifest.json')) as DemoMonth['manifest'];
    expect(manifest.files.length).toBe(month.files.length - 1);
    for (const entry of manifest.files) {
      const text = fileText(month, entry.path);
      expect(entry.sha256).toBe(sha256(text));
      expect(entry.bytes).toBe(Buffer.byteLength(text, 'utf8'));
    }
    expect(Object.keys(manifest.injected)).toEqual(['duplicates', 'amountMismatches', 'missingBankCredits', 'lateReports', 'missingFxRates', 'anomalies']);
  });

  it('has about 2,000 transactions in five currencies from three PSPs', () => {
    expect(month.transactions.length).toBeGreaterThan(1700);
    expect(month.transactions.length).toBeLessThan(2300);
    expect(new Set(month.transactions.map((t) => t.currency))).toEqual(new Set(['EUR', 'USD', 'GBP', 'JPY', 'KRW']));
    expect(new Set(month.transactions.map((t) => t.psp))).toEqual(new Set(['stripe', 'adyen', 'paypal']));
  });

  it('repeats exactly the lines the manifest lists as duplicates', () => {
    expect(month.manifest.injected.duplicates.length).toBe(3);
    for (const dup of month.manifest.injected.duplicates) {
      const lines = fileText(month, dup.file).split('\n');
      expect(lines[dup.line - 1]).toBe(lines[dup.duplicateOfLine - 1]);
      expect(lines[dup.line - 1]).toContain(dup.reference);
    }
  });

  it('makes each Stripe payout the exact net of the rows it pays out', () => {
    const rows = Papa.parse<Record<string, string>>(fileText(month, 'psp/stripe-balance-transactions-2026-03.csv'), { header: true, skipEmptyLines: true }).data;
    const seen = new Set<string>();
    const unique = rows.filter((r) => !seen.has(r.id ?? '') && seen.add(r.id ?? ''));
    const payouts = unique.filter((r) => r.Type === 'payout');
    expect(payouts.length).toBeGreaterThan(20);
    for (const payout of payouts) {
      const members = unique.filter((r) => r.Type !== 'payout' && r.Transfer === payout.Source);
      const net = members.reduce((acc, r) => acc.plus(r.Net ?? '0'), new Decimal(0));
      expect(net.negated().toFixed()).toBe(new Decimal(payout.Net ?? '0').toFixed());
    }
  });

  it('books every payout on the bank as a credit of the same amount, except the injected mismatches and the missing credit', () => {
    const credits = new Map<string, string>();
    for (const file of month.files.filter((f) => f.path.startsWith('bank/'))) {
      const importer = file.format === 'mt940' ? mt940Importer : camt053Importer;
      const out: ParseOutput = importer.parse(file.text, context(file.path), undefined);
      expect(out.rejected).toEqual([]);
      expect(out.issues).toEqual([]);
      // MT940 has no underscore: the writer sends Stripe's po_ ids as po-.
      for (const entry of out.entries) if (entry.references.endToEndId !== null && !entry.amount.startsWith('-')) credits.set(entry.references.endToEndId.replace(/^po-/, 'po_'), entry.amount);
    }
    const { amountMismatches, missingBankCredits } = month.manifest.injected;
    expect(amountMismatches.length).toBe(2);
    expect(missingBankCredits.length).toBe(1);
    for (const payout of month.payouts.filter((p) => p.inStatementPeriod)) {
      const expected = new Decimal(payout.amountMinor).dividedBy(10 ** minorUnitsOf(payout.currency)).toFixed(minorUnitsOf(payout.currency));
      const mismatch = amountMismatches.find((m) => m.payoutId === payout.payoutId);
      if (missingBankCredits.some((m) => m.payoutId === payout.payoutId)) expect(credits.has(payout.payoutId)).toBe(false);
      else if (mismatch !== undefined) {
        expect(mismatch.payoutAmount).toBe(expected);
        expect(credits.get(payout.payoutId)).toBe(mismatch.bankAmount);
      } else expect(credits.get(payout.payoutId)).toBe(expected);
    }
  });

  it('writes ECB rates the settlement parser reads, with the injected gap', () => {
    const { table, rejected } = parseEcbRates(fileText(month, 'fx/ecb-eurofxref-2026-03.csv'));
    expect(rejected).toEqual([]);
    // March 2026 has 22 TARGET days; the 5 business days before it let a weekend on the 1st find Friday's rate.
    expect(table.quotes.size).toBe(22 + 5);
    expect(table.quotes.has('2026-02-27')).toBe(true);
    const [gap] = month.manifest.injected.missingFxRates;
    expect(gap).toBeDefined();
    expect(table.quotes.get(gap?.date ?? '')?.has(gap?.currency ?? '')).toBe(false);
    expect(table.quotes.get(gap?.date ?? '')?.size).toBe(5);
  });

  it('writes agreements in the settlement schema', () => {
    const files = month.files.filter((f) => f.path.startsWith('agreements/'));
    expect(files.length).toBe(month.platform.partners.length);
    for (const file of files) expect(parseAgreements(JSON.parse(file.text), { file: file.path })).toHaveLength(1);
  });

  it('claims the agreed share in partner reports except where drift was injected, and delivers late and missing reports as listed', () => {
    const drifted = new Map(month.manifest.injected.anomalies.filter((a) => a.kind === 'share_rate_drift').map((a) => [a.productId, a]));
    let checked = 0;
    for (const report of month.reports) {
      for (const row of report.rows) {
        const drift = drifted.get(row.productId);
        const percent = drift !== undefined && row.day >= drift.day ? String(drift.detail.reportedPercent) : report.partner.sharePercent;
        const places = minorUnitsOf(row.currency);
        expect(row.partnerShare).toBe(new Decimal(row.netRevenue).times(percent).dividedBy(100).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN).toFixed(places));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
    for (const late of month.manifest.injected.lateReports) expect(late.deliveredAt.slice(0, 10) > late.due).toBe(true);
    for (const missing of month.manifest.injected.anomalies.filter((a) => a.kind === 'missing_report')) {
      expect(month.files.some((f) => f.path.startsWith(`partner-reports/${missing.partnerId}_${missing.day}_`))).toBe(false);
    }
  });
  it('imports every file with formats detected: every transaction file without a refused file or rejected row, the duplicates exactly the injected ones', () => {
    const importable = new Set<string>(IMPORT_FORMATS);
    const encoder = new TextEncoder();
    const results = new Map<string, ImportResult>();
    const refused = new Map<string, string>();
    for (const file of month.manifest.files) {
      try {
        results.set(file.path, importFile(IMPORTERS, encoder.encode(fileText(month, file.path)), file.path, { format: 'auto', pseudonymization: { mode: 'off' } }));
      } catch (error) {
        if (!(error instanceof SettleDeskError)) throw error;
        refused.set(file.path, error.code);
      }
    }
    const transactionFiles = month.manifest.files.filter((f) => importable.has(f.format));
    expect(transactionFiles.filter((f) => f.format === 'partner-report').length).toBe(month.reports.length);
    expect(transactionFiles.map((f) => [f.path, results.get(f.path)?.file.format ?? refused.get(f.path)])).toEqual(transactionFiles.map((f) => [f.path, f.format]));
    // Agreements, FX rates and other reference files are not transactions: auto-detection leaves them alone.
    for (const file of month.manifest.files.filter((f) => !importable.has(f.format))) expect(['file_format_unrecognized', 'profile_missing']).toContain(refused.get(file.path));
    // The manifest lists no injected bad rows, so every row must import; it lists the repeated ones.
    expect([...results.values()].flatMap((r) => r.rejected.map((x) => `${r.file.fileName}:${x.line} ${x.code}`))).toEqual([]);
    expect([...results.values()].flatMap((r) => r.issues.map((x) => `${r.file.fileName}: ${x.code}`))).toEqual([]);
    const duplicated = [...results.values()].flatMap((r) => [...new Set(r.duplicates.map((d) => d.line))].map((line) => `${r.file.fileName}:${line}`));
    expect(month.manifest.injected.duplicates.length).toBeGreaterThan(0);
    expect(duplicated.sort()).toEqual(month.manifest.injected.duplicates.map((d) => `${d.file}:${d.line}`).sort());
  });

  it('imports each partner report as transactions summing, per currency, to the net revenue it reports', () => {
    for (const report of month.reports) {
      const path = `partner-reports/${report.partner.partnerId}_${report.period.start}_${report.period.end}.${report.partner.reportFormat}`;
      const result = importFile(IMPORTERS, new TextEncoder().encode(fileText(month, path)), path, { format: 'auto', pseudonymization: { mode: 'off' } });
      const sums = (pairs: readonly (readonly [string, string])[]) => {
        const totals = new Map<string, Decimal>();
        for (const [currency, amount] of pairs) totals.set(currency, (totals.get(currency) ?? new Decimal(0)).plus(amount));
        return new Map([...totals].map(([currency, total]) => [currency, total.toFixed(minorUnitsOf(currency))]));
      };
      expect(result.rowsRead).toBe(report.rows.length);
      expect(sums(result.transactions.map((t) => [t.currency, t.amount] as const))).toEqual(sums(report.rows.map((r) => [r.currency, r.netRevenue] as const)));
      expect(result.transactions.every((t) => t.partnerId === report.partner.partnerId && (t.kind === 'sale' || t.kind === 'refund'))).toBe(true);
    }
  });

  it('reads back through the importer the share claimed per product and day, and the delivery time, of every report', () => {
    const { rows, deliveries } = readUsageReports(month.files, sha256);
    const byFile = (partnerId: string, start: string) => `${partnerId}_${start}`;
    const reports = [...month.reports].sort((a, b) => (byFile(a.partner.partnerId, a.period.start) < byFile(b.partner.partnerId, b.period.start) ? -1 : 1));
    expect(rows).toEqual(reports.flatMap((r) => r.rows.map((x) => ({ partnerId: x.partnerId, productId: x.productId, day: x.day, currency: x.currency, netRevenue: x.netRevenue, partnerShare: x.partnerShare }))));
    expect(deliveries).toEqual(reports.map((r) => ({ partnerId: r.partner.partnerId, periodStart: r.period.start, periodEnd: r.period.end, deliveredAt: r.generatedAt })));
  });
});
