import { classify, compileRules } from '../../core/classify/rules.ts';
import { generateDemoMonth } from '../../core/demo/generate.ts';
import { readAgreements, readUsageReports } from '../../core/demo/insight-inputs.ts';
import { DEMO_RULES_PATH } from '../../core/demo/rules.ts';
import { agreedShareLookup } from '../../core/insight/agreed-share.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import { analyzeWorkspace, type InsightExtras } from './analyze.ts';
import { importFiles, type Clock } from './import-files.ts';
import type { DemoData, FileOutcome, ProgressSink } from './protocol.ts';

/**
 * The demo workspace: the small generated month (PSP reports, bank statements, partner
 * reports) imported through the same importers as any file, PSP lines classified with the
 * month's own rules.json, and the dashboard's facts computed over the result.
 */
const IMPORTED_FOLDERS = ['bank/', 'psp/', 'partner-reports/'];

function withClassified(outcome: FileOutcome, classified: ReadonlyMap<string, CanonicalTransaction>): FileOutcome {
  if (outcome.status !== 'imported') return outcome;
  return { ...outcome, transactions: outcome.transactions.map((tx) => classified.get(tx.id) ?? tx) };
}

/** What the demo month tells insight beyond its transactions: partner reports' claims and the agreed shares. */
function extrasOf(month: ReturnType<typeof generateDemoMonth>): InsightExtras {
  const claims = readUsageReports(month.files);
  return { reportRows: claims.rows, deliveries: claims.deliveries, sharePercent: agreedShareLookup(readAgreements(month.files), month.manifest.asOf) };
}

/** Kept per worker: the month is regenerated only once, not on every analysis after an import. */
const extrasCache = new Map<string, InsightExtras>();

export function demoExtras(seed: number, monthName: string): InsightExtras {
  const key = `${seed}|${monthName}`;
  const cached = extrasCache.get(key) ?? extrasOf(generateDemoMonth({ seed, month: monthName, small: true }));
  extrasCache.set(key, cached);
  return cached;
}

export function buildDemo(input: { readonly seed: number; readonly month: string; readonly now: string }, progress: ProgressSink, clock: Clock): DemoData {
  const month = generateDemoMonth({ seed: input.seed, month: input.month, small: true });
  const encoder = new TextEncoder();
  const files = month.files.filter((file) => IMPORTED_FOLDERS.some((folder) => file.path.startsWith(folder))).map((file) => ({ name: file.path, bytes: encoder.encode(file.text) }));
  const imports = importFiles({ files, profiles: {}, known: [] }, progress, clock);
  const rulesFile = month.files.find((file) => file.path === DEMO_RULES_PATH);
  const all = imports.files.flatMap((outcome) => (outcome.status === 'imported' ? outcome.transactions : []));
  const psp = all.filter((tx) => ['stripe', 'adyen', 'paypal'].includes(tx.source.format));
  const rules = rulesFile === undefined ? [] : compileRules(JSON.parse(rulesFile.text));
  const classified = new Map(classify(psp, rules).classified.map((c) => [c.transaction.id, c.transaction]));
  const classifiedImports = { ...imports, files: imports.files.map((outcome) => withClassified(outcome, classified)) };
  const transactions = classifiedImports.files.flatMap((outcome) => (outcome.status === 'imported' ? outcome.transactions : []));
  const extras = extrasOf(month);
  extrasCache.set(`${input.seed}|${input.month}`, extras);
  const facts = analyzeWorkspace(transactions, input.now, extras);
  return { month: input.month, imports: classifiedImports, facts };
}
