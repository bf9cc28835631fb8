import { assert } from '../assert.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { simulateActivity, type DemoTransaction } from './activity.ts';
import { buildBankMonth, type BankPlan, type InjectedAmountMismatch, type InjectedMissingCredit } from './bank.ts';
import { addDays, daysOfMonth } from './calendar.ts';
import { buildPlatform, type DemoPlatform } from './model.ts';
import { planPayouts, type DemoPayout } from './payouts.ts';
import { planInjections, reportPeriods, type AnomalyCounts, type InjectedAnomaly, type InjectionPlan, type ReportPeriod } from './plan.ts';
import { createPrng } from './prng.ts';
import { buildUsageReports, type UsageReport } from './reports.ts';
import { DEMO_RULES_PATH, demoRulesJson } from './rules.ts';
import { adyenTables } from './writers/adyen.ts';
import { agreementJson } from './writers/agreements.ts';
import { camt053Document } from './writers/camt053.ts';
import { ecbRatesCsv, type InjectedMissingRate } from './writers/fx.ts';
import { mt940Document } from './writers/mt940.ts';
import { paypalTable } from './writers/paypal.ts';
import { stripeTable } from './writers/stripe.ts';
import { renderWithDuplicates, type InjectedDuplicate } from './writers/table.ts';
import type { DemoFile } from './writers/text.ts';
import { usageCsv, usageFileName, usageJson } from './writers/usage.ts';

/**
 * The seeded demo month: a platform's PSP reports, bank statements, partner usage reports,
 * agreements and FX rates, plus a manifest of everything injected on purpose. Pure: same
 * options, same bytes. The Node script (scripts/demo-data.ts) only writes the files.
 */
export interface DemoOptions {
  readonly seed: number;
  /** YYYY-MM. */
  readonly month: string;
  readonly partners: number;
  /** ~2,000 transactions instead of ~100,000. */
  readonly small: boolean;
}

export const DEMO_DEFAULTS = { seed: 42, month: '2026-03', partnersFull: 50, partnersSmall: 4 } as const;
export const DEMO_GENERATOR = 'settledesk-demo/1';
const TRANSACTIONS_FULL = 100_000;
const TRANSACTIONS_SMALL = 2_000;
/** Refunds and chargebacks add about this share on top of sales. */
const REVERSAL_SHARE = 0.035;
const AS_OF_DAYS_AFTER_MONTH = 10;

const ANOMALIES_FULL: AnomalyCounts = { spikes: 6, drops: 6, refundJumps: 6, drifts: 4, missingReports: 2, lateReports: 4 };
const ANOMALIES_SMALL: AnomalyCounts = { spikes: 2, drops: 1, refundJumps: 2, drifts: 2, missingReports: 1, lateReports: 2 };

export interface LateReport {
  readonly partnerId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly due: string;
  readonly deliveredAt: string;
}

export interface DemoManifest {
  readonly generator: string;
  readonly seed: number;
  readonly month: string;
  readonly asOf: string;
  readonly options: { readonly partners: number; readonly small: boolean };
  readonly counts: Readonly<Record<'partners' | 'products' | 'transactions' | 'payouts' | 'bankEntries' | 'usageReports' | 'usageRows', number>>;
  readonly reportSchedule: readonly ReportPeriod[];
  readonly files: readonly { readonly path: string; readonly format: string; readonly bytes: number; readonly sha256: string }[];
  readonly injected: {
    readonly duplicates: readonly InjectedDuplicate[];
    readonly amountMismatches: readonly InjectedAmountMismatch[];
    readonly missingBankCredits: readonly InjectedMissingCredit[];
    readonly lateReports: readonly LateReport[];
    readonly missingFxRates: readonly InjectedMissingRate[];
    readonly anomalies: readonly InjectedAnomaly[];
  };
}

/** The month in memory, for tests and benches that need the ground truth next to the files. */
export interface DemoMonth {
  readonly options: DemoOptions;
  readonly manifest: DemoManifest;
  /** Every file, manifest.json last. */
  readonly files: readonly DemoFile[];
  readonly platform: DemoPlatform;
  readonly transactions: readonly DemoTransaction[];
  readonly payouts: readonly DemoPayout[];
  readonly bank: BankPlan;
  readonly reports: readonly UsageReport[];
  readonly plan: InjectionPlan;
}

export function demoOptions(input: Partial<DemoOptions> = {}): DemoOptions {
  const small = input.small ?? false;
  const options = { seed: input.seed ?? DEMO_DEFAULTS.seed, month: input.month ?? DEMO_DEFAULTS.month, partners: input.partners ?? (small ? DEMO_DEFAULTS.partnersSmall : DEMO_DEFAULTS.partnersFull), small };
  assert(Number.isSafeInteger(options.seed), 'the seed is an integer', { seed: options.seed });
  return options;
}

const encoder = new TextEncoder();

function pspFiles(prng: ReturnType<typeof createPrng>, month: string, small: boolean, transactions: readonly DemoTransaction[], payouts: readonly DemoPayout[], platform: DemoPlatform) {
  const files: DemoFile[] = [];
  const duplicates: InjectedDuplicate[] = [];
  const productNames = new Map(platform.partners.flatMap((p) => p.products.map((product) => [product.productId, product.name] as const)));
  const stripePath = `psp/stripe-balance-transactions-${month}.csv`;
  const stripe = renderWithDuplicates(prng, stripePath, stripeTable(transactions, payouts), small ? 1 : 3);
  files.push({ path: stripePath, format: 'stripe', text: stripe.text });
  duplicates.push(...stripe.duplicates);
  adyenTables(transactions, payouts).forEach(({ batch, table }, index) => {
    const path = `psp/adyen-settlement-details-batch-${batch}.csv`;
    const rendered = renderWithDuplicates(prng, path, table, index === 1 ? (small ? 1 : 2) : 0);
    files.push({ path, format: 'adyen', text: rendered.text });
    duplicates.push(...rendered.duplicates);
  });
  const paypalPath = `psp/paypal-activity-${month}.csv`;
  const paypal = renderWithDuplicates(prng, paypalPath, paypalTable(transactions, payouts, productNames), 1);
  files.push({ path: paypalPath, format: 'paypal', text: paypal.text });
  duplicates.push(...paypal.duplicates);
  return { files, duplicates };
}

/**
 * `hashHex` computes the SHA-256 hex of each file for the manifest; the default is core's pure-JS
 * one, and a Node caller may pass node:crypto's, which is a hundred times faster on 30 MB.
 */
export function generateDemoMonth(input: Partial<DemoOptions> = {}, hashHex: (text: string) => string = sha256Hex): DemoMonth {
  const options = demoOptions(input);
  const { month, small } = options;
  const days = daysOfMonth(month);
  const root = createPrng(options.seed);
  const transactionsTarget = small ? TRANSACTIONS_SMALL : TRANSACTIONS_FULL;
  const platform = buildPlatform(root.fork('platform'), options.partners, transactionsTarget / (1 + REVERSAL_SHARE) / days.length);
  const plan = planInjections(root.fork('plan'), platform, month, small ? ANOMALIES_SMALL : ANOMALIES_FULL);
  const transactions = simulateActivity(root.fork('activity'), platform, month, plan.activity);
  const payouts = planPayouts(root.fork('payouts'), transactions, month);
  const bank = buildBankMonth(root.fork('bank'), platform, payouts, month, { mismatches: small ? 2 : 3, missingCredits: 1 });
  const reports = buildUsageReports(root.fork('reports'), platform, transactions, month, plan);
  const psp = pspFiles(root.fork('psp-files'), month, small, transactions, payouts, platform);
  const fx = ecbRatesCsv(root.fork('fx'), month, 1);

  const files: DemoFile[] = [...psp.files, { path: DEMO_RULES_PATH, format: 'classification-rules', text: demoRulesJson() }];
  for (const account of bank.accounts) {
    const id = month.replace('-', '');
    files.push(account.account.format === 'camt.053'
      ? { path: `bank/camt053-${account.account.currency}-${month}.xml`, format: 'camt.053', text: camt053Document(account, id) }
      : { path: `bank/mt940-${account.account.currency}-${month}.sta`, format: 'mt940', text: mt940Document(account) });
  }
  for (const report of reports) files.push({ path: usageFileName(report), format: 'partner-report', text: report.partner.reportFormat === 'csv' ? usageCsv(report) : usageJson(report) });
  for (const partner of platform.partners) files.push({ path: `agreements/${partner.partnerId}.json`, format: 'agreement', text: agreementJson(partner) });
  files.push({ path: `fx/ecb-eurofxref-${month}.csv`, format: 'ecb-fx', text: fx.text });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  assert(new Set(files.map((f) => f.path)).size === files.length, 'file paths are unique');

  const lateReports: LateReport[] = plan.anomalies
    .filter((a) => a.kind === 'late_report')
    .map((a) => {
      const report = reports.find((r) => r.partner.partnerId === a.partnerId && r.period.start === a.day);
      assert(report !== undefined, 'a late report is still delivered', { partnerId: a.partnerId, day: a.day });
      return { partnerId: a.partnerId, periodStart: report.period.start, periodEnd: report.period.end, due: report.period.due, deliveredAt: report.generatedAt };
    });
  const manifest: DemoManifest = {
    generator: DEMO_GENERATOR,
    seed: options.seed,
    month,
    asOf: addDays(days[days.length - 1] ?? '', AS_OF_DAYS_AFTER_MONTH),
    options: { partners: options.partners, small },
    counts: {
      partners: platform.partners.length,
      products: platform.partners.reduce((n, p) => n + p.products.length, 0),
      transactions: transactions.length,
      payouts: payouts.length,
      bankEntries: bank.accounts.reduce((n, a) => n + a.statements.reduce((m, s) => m + s.entries.length, 0), 0),
      usageReports: reports.length,
      usageRows: reports.reduce((n, r) => n + r.rows.length, 0),
    },
    reportSchedule: reportPeriods(month),
    files: files.map((f) => ({ path: f.path, format: f.format, bytes: encoder.encode(f.text).length, sha256: hashHex(f.text) })),
    injected: {
      duplicates: psp.duplicates,
      amountMismatches: bank.mismatches,
      missingBankCredits: bank.missingCredits,
      lateReports,
      missingFxRates: fx.missing,
      anomalies: plan.anomalies.filter((a) => a.kind !== 'late_report'),
    },
  };
  const manifestFile: DemoFile = { path: 'manifest.json', format: 'manifest', text: `${JSON.stringify(manifest, null, 2)}\n` };
  return { options, manifest, files: [...files, manifestFile], platform, transactions, payouts, bank, reports, plan };
}
