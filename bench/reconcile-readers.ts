/**
 * The readers alone, as `settledesk reconcile` reads its files (lean transactions, only the
 * ledger's expected_payout kept): CPU time of loading each bench file (reconcile-files.ts) and the
 * live heap after a full collection with its transactions held. Compare trees side by side (two
 * `git archive`s started together) rather than against a fixed number: the machine is shared.
 * Run: node --expose-gc --max-semi-space-size=64 --import tsx bench/reconcile-readers.ts [payouts] [stripe|ledger|bank]
 * To profile or compare small changes, bundle it as the CLI is bundled and run the bundle
 * (`npx esbuild bench/reconcile-readers.ts --bundle --platform=node --format=cjs --target=node20
 * --outfile=/tmp/rr.cjs`, then `node --expose-gc --max-semi-space-size=64 /tmp/rr.cjs …`): under tsx
 * every closure made per row is also named by a helper call (`__name`, ~4 % of the Stripe export's
 * reading), which the CLI's bundle does not do.
 */
import { loadTransactions, transactionReading } from '../cli/load-transactions.ts';
import { LEDGER_EXPECTED_PAYOUT } from '../core/importers/ledger-csv.ts';
import { cachedReconcileFiles } from './reconcile-files.ts';

const PAYOUTS = Number(process.argv[2] ?? 100_000);
const ONLY = process.argv[3];
const SEED = 20260301;
const input = cachedReconcileFiles(PAYOUTS, SEED);
const reading = { ...transactionReading({}), rawKept: new Set([LEDGER_EXPECTED_PAYOUT]), lean: true };
const held: unknown[] = [];
for (const [name, file] of [['stripe', input.pspFile], ['ledger', input.ledgerFile], ['bank', input.bankDir]] as const) {
  if (ONLY !== undefined && ONLY !== name) continue;
  const before = process.cpuUsage();
  const loaded = loadTransactions([file], reading);
  const used = process.cpuUsage(before);
  held.push(loaded.transactions);
  (globalThis as { gc?: () => void }).gc?.();
  console.log(`${name}: ${loaded.transactions.length} transactions, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU, live heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB with every file so far held`);
}
console.log(`${held.length} files held`);
