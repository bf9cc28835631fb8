// `npm run demo-data -- [--seed N] [--out DIR] [--partners N] [--small] [--month YYYY-MM]`:
// generates the seeded demo month (core/demo) and writes it to DIR (default demo-data/).
// Files listed in an earlier manifest.json in DIR are removed first, so no stale file survives.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateDemoMonth, type DemoOptions } from '../core/demo/generate.ts';

interface Args {
  readonly options: Partial<DemoOptions>;
  readonly out: string;
}

function fail(message: string): never {
  console.error(`demo-data: ${message}`);
  console.error('usage: npm run demo-data -- [--seed N] [--out DIR] [--partners N] [--small] [--month YYYY-MM]');
  process.exit(2);
}

function integer(flag: string, text: string | undefined): number {
  if (text === undefined || !/^-?\d+$/.test(text)) fail(`${flag} expects an integer, got ${JSON.stringify(text ?? '')}`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) fail(`${flag} is out of range: ${text}`);
  return value;
}

function parseArgs(argv: readonly string[]): Args {
  const options: { -readonly [K in keyof DemoOptions]?: DemoOptions[K] } = {};
  let out = 'demo-data';
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = argv[index + 1];
    switch (flag) {
      case '--seed':
        options.seed = integer(flag, value);
        index++;
        break;
      case '--partners':
        options.partners = integer(flag, value);
        if (options.partners < 1 || options.partners > 999) fail('--partners must be between 1 and 999');
        index++;
        break;
      case '--out':
        if (value === undefined || value.startsWith('--')) fail('--out expects a folder');
        out = value;
        index++;
        break;
      case '--month':
        if (value === undefined || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) fail(`--month expects YYYY-MM, got ${JSON.stringify(value ?? '')}`);
        options.month = value;
        index++;
        break;
      case '--small':
        options.small = true;
        break;
      default:
        fail(`unknown argument ${JSON.stringify(flag)}`);
    }
  }
  return { options, out };
}

function removePrevious(outDir: string): void {
  const manifestPath = path.join(outDir, 'manifest.json');
  if (!existsSync(manifestPath)) return;
  const previous = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files?: { path?: unknown }[] };
  for (const file of previous.files ?? []) {
    if (typeof file.path !== 'string' || file.path.includes('..') || path.isAbsolute(file.path)) continue;
    rmSync(path.join(outDir, file.path), { force: true });
  }
  rmSync(manifestPath, { force: true });
}

const { options, out } = parseArgs(process.argv.slice(2));
const startedMs = performance.now();
const month = generateDemoMonth(options, (text) => createHash('sha256').update(text, 'utf8').digest('hex'));
const outDir = path.resolve(out);
removePrevious(outDir);
for (const file of month.files) {
  const target = path.join(outDir, file.path);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, file.text, 'utf8');
}
const { counts, injected } = month.manifest;
console.log(`demo month ${month.manifest.month} (seed ${month.manifest.seed}) written to ${outDir} in ${Math.round(performance.now() - startedMs)} ms`);
console.log(`  ${counts.partners} partners, ${counts.products} products, ${counts.transactions} PSP transactions, ${counts.payouts} payouts, ${counts.bankEntries} bank entries, ${counts.usageReports} partner reports`);
console.log(`  ${month.files.length} files; injected: ${injected.duplicates.length} duplicate rows, ${injected.amountMismatches.length} amount mismatches, ${injected.missingBankCredits.length} missing bank credit(s), ${injected.lateReports.length} late reports, ${injected.missingFxRates.length} missing FX rate(s), ${injected.anomalies.length} anomalies (see manifest.json)`);
