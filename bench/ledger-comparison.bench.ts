/**
 * `settledesk import` of a 1,000,000-row CSV against ledger, hledger and a plain Python script,
 * all on one core (taskset -c 0 where present), each as a whole process: wall time and peak RSS,
 * best of three runs for us and Python, of two for ledger (13-19 s a run here), one for hledger.
 *
 * The same 1,000,000 transactions (1,000 partners x 50 products, EUR/USD/JPY, seeded PRNG) are
 * written as a CSV for us and Python, and as a ledger journal (one transaction per CSV row,
 * through core/export/journal-text.ts) for ledger and hledger. Every tool's per-partner balances
 * are compared to the cent with the exact sums the generator kept (BigInt minor units).
 * Target: at least 25x faster than ledger and faster than the Python script, identical balances.
 * hledger is run on the first 200,000 transactions instead when that run predicts more than
 * ~2 minutes for the whole journal (then its ratio is against our import of those 200,000 rows).
 * Exit code 1 when any tool's balances disagree. Run: node --import tsx bench/ledger-comparison.bench.ts [rows]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrng } from '../core/demo/prng.ts';
import { journalText, type TextTransaction } from '../core/export/journal-text.ts';
import { Decimal } from '../core/money/decimal.ts';
import { minorUnitsOf } from '../core/money/iso4217.ts';
import { fromMinorUnits } from '../core/money/minor.ts';
import { BENCH_CSV_HEADER, BENCH_CSV_PROFILE } from './support/bench-csv.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const PARTNERS = 1_000;
const PRODUCTS = 50;
const CURRENCIES = ['EUR', 'USD', 'JPY'] as const;
const HLEDGER_SAMPLE_ROWS = Math.min(200_000, ROWS);
const HLEDGER_BUDGET_S = 120;
const JOURNAL_BATCH_ROWS = 50_000;
const LEDGER_TARGET_RATIO = 25;
/** ledger takes 13-19 s here; its best of two is the fair match for our best of three. */
const LEDGER_RUNS = 2;
const REPO = path.resolve(import.meta.dirname, '..');

interface Row {
  readonly ref: string;
  readonly date: string;
  readonly type: 'sale' | 'refund';
  readonly amount: string;
  readonly currency: string;
  readonly partner: string;
  readonly product: string;
}

/** partner + "\t" + currency -> exact sum in minor units and row count. */
type Balances = Map<string, { minor: bigint; count: number }>;

function addBalance(balances: Balances, partner: string, currency: string, minor: bigint): void {
  const key = `${partner}\t${currency}`;
  const entry = balances.get(key) ?? { minor: 0n, count: 0 };
  entry.minor += minor;
  entry.count++;
  balances.set(key, entry);
}

function generate(dir: string): { csv: string; sampleCsv: string; truth: Balances; sampleTruth: Balances; rows: Row[] } {
  const prng = createPrng(20260331);
  const rows: Row[] = [];
  const truth: Balances = new Map();
  const sampleTruth: Balances = new Map();
  for (let index = 0; index < ROWS; index++) {
    const partnerIndex = prng.int(0, PARTNERS - 1);
    const currency = CURRENCIES[partnerIndex % CURRENCIES.length] as string;
    const exponent = minorUnitsOf(currency);
    const refund = prng.chance(0.1);
    const magnitude = BigInt(exponent === 0 ? prng.int(1, 50_000) : prng.int(1, 500_000));
    const minor = refund ? -magnitude : magnitude;
    const row: Row = {
      ref: `ch_${index}`,
      date: `2026-03-${String(prng.int(1, 28)).padStart(2, '0')}`,
      type: refund ? 'refund' : 'sale',
      amount: fromMinorUnits(minor, exponent),
      currency,
      partner: `studio-${partnerIndex}`,
      product: `game-${prng.int(0, PRODUCTS - 1)}`,
    };
    rows.push(row);
    addBalance(truth, row.partner, currency, minor);
    if (index < HLEDGER_SAMPLE_ROWS) addBalance(sampleTruth, row.partner, currency, minor);
  }
  const writeCsv = (file: string, count: number): string => {
    const descriptor = openSync(file, 'w');
    writeSync(descriptor, `${BENCH_CSV_HEADER}\n`);
    for (let start = 0; start < count; start += JOURNAL_BATCH_ROWS) {
      const lines = rows.slice(start, Math.min(count, start + JOURNAL_BATCH_ROWS)).map((r, offset) => `${r.ref},${r.date},${r.type},${r.amount},${r.currency},${r.partner},${r.product},${(start + offset) % 3 === 0 ? 'web' : 'app'}\n`);
      writeSync(descriptor, lines.join(''));
    }
    closeSync(descriptor);
    return file;
  };
  return { csv: writeCsv(path.join(dir, 'transactions.csv'), ROWS), sampleCsv: writeCsv(path.join(dir, 'sample.csv'), HLEDGER_SAMPLE_ROWS), truth, sampleTruth, rows };
}

/** One ledger transaction per row: the partner's product account is owed the amount, clearing (per currency) holds it. */
function writeJournal(file: string, rows: readonly Row[], count: number): string {
  const descriptor = openSync(file, 'w');
  for (let start = 0; start < count; start += JOURNAL_BATCH_ROWS) {
    const batch: TextTransaction[] = rows.slice(start, Math.min(count, start + JOURNAL_BATCH_ROWS)).map((row) => ({
      date: row.date,
      payee: row.ref,
      narration: `${row.type} ${row.product}`,
      sourceIds: [],
      postings: [
        { account: ['Liabilities', 'Partners', row.partner, row.product], amount: new Decimal(row.amount).negated().toFixed(), currency: row.currency },
        // A clearing account per currency keeps every account single-commodity, so ledger can print quantities.
        { account: ['Assets', 'Clearing', row.currency], amount: row.amount, currency: row.currency },
      ],
    }));
    writeSync(descriptor, journalText(batch, 'ledger'));
  }
  closeSync(descriptor);
  return file;
}

const PYTHON_SCRIPT = `import csv, sys
from collections import defaultdict
from decimal import Decimal
sums = defaultdict(Decimal)
counts = defaultdict(int)
with open(sys.argv[1], newline='') as f:
    reader = csv.reader(f)
    header = next(reader)
    partner, amount, currency = header.index('partner'), header.index('amount'), header.index('currency')
    for row in reader:
        key = (row[partner], row[currency])
        sums[key] += Decimal(row[amount])
        counts[key] += 1
for (p, c), total in sums.items():
    print(f"{p}\\t{c}\\t{counts[(p, c)]}\\t{total}")
`;

interface Run {
  readonly wallS: number;
  readonly peakRssMb: number | null;
  readonly stdout: string;
}

const PINNED = existsSync('/usr/bin/taskset');
const TIMED = existsSync('/usr/bin/time');

/** Runs a command as a whole process on one core; wall time measured here, peak RSS by /usr/bin/time -v. */
function run(command: string, args: readonly string[], outFile: string): Run {
  const wrapped = [...(TIMED ? ['/usr/bin/time', '-v'] : []), command, ...args];
  const full = PINNED ? ['/usr/bin/taskset', '-c', '0', ...wrapped] : wrapped;
  const out = openSync(outFile, 'w');
  const started = performance.now();
  const result = spawnSync(full[0] as string, full.slice(1), { cwd: REPO, stdio: ['ignore', out, 'pipe'], maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SETTLEDESK_PSEUDONYM_KEY: 'bench' } });
  const wallS = (performance.now() - started) / 1000;
  closeSync(out);
  const stderr = result.stderr.toString('utf8');
  if (result.status !== 0 && !(command === process.execPath && result.status === 1)) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${stderr.slice(-2000)}`);
  }
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return { wallS, peakRssMb: rss === null ? null : Number(rss[1]) / 1024, stdout: readFileSync(outFile, 'utf8') };
}

function best(runs: readonly Run[]): Run {
  return runs.reduce((a, b) => (b.wallS < a.wallS ? b : a));
}

function ours(csv: string, profile: string, outFile: string, times: number): { run: Run; balances: Map<string, { sum: string; count: number }> } {
  const runs = Array.from({ length: times }, () => run(process.execPath, ['bin/settledesk.js', 'import', csv, '--profile', profile, '--json'], outFile));
  const chosen = best(runs);
  const report = JSON.parse(chosen.stdout) as { files: { rowsRead: number; imported: number; balances: { partner: string; currency: string; count: number; sum: string }[] }[] };
  const file = report.files[0];
  if (file === undefined || file.imported !== file.rowsRead) throw new Error(`our import did not import every row: ${chosen.stdout.slice(0, 500)}`);
  return { run: chosen, balances: new Map(file.balances.map((b) => [`${b.partner}\t${b.currency}`, { sum: b.sum, count: b.count }])) };
}

/** Per-partner sums from flat per-account balances (partner accounts are Liabilities:Partners:<partner>:<product>, negated). */
function partnerSums(lines: Iterable<readonly [string, string, string]>): Map<string, Decimal> {
  const sums = new Map<string, Decimal>();
  for (const [account, currency, quantity] of lines) {
    const parts = account.split(':');
    if (parts[0] !== 'Liabilities' || parts[1] !== 'Partners' || parts.length !== 4) continue;
    const key = `${parts[2]}\t${currency}`;
    sums.set(key, (sums.get(key) ?? new Decimal(0)).minus(quantity));
  }
  return sums;
}

function ledgerLines(stdout: string): Array<[string, string, string]> {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [account = '', quantity = '', commodity = ''] = line.split('\t');
      return [account, commodity, quantity.replace(/,/g, '')];
    });
}

function hledgerLines(stdout: string): Array<[string, string, string]> {
  return stdout
    .split('\n')
    .slice(1)
    .filter((line) => line.length > 0)
    .map((line) => {
      const [account = '', commodity = '', balance = ''] = line.split('","').map((cell) => cell.replace(/^"|"$/g, ''));
      return [account, commodity, balance.replace(/,/g, '')];
    });
}

/** Mismatches against the generator's exact sums (empty when every partner agrees to the cent). */
function disagreements(truth: Balances, found: ReadonlyMap<string, Decimal | string>, counts?: ReadonlyMap<string, number>): string[] {
  const problems: string[] = [];
  for (const [key, { minor, count }] of truth) {
    const currency = key.split('\t')[1] as string;
    const expected = fromMinorUnits(minor, minorUnitsOf(currency));
    const value = found.get(key);
    if (value === undefined || !new Decimal(value).equals(expected)) problems.push(`${key.replace('\t', ' ')}: expected ${expected}, found ${String(value)}`);
    else if (counts !== undefined && counts.get(key) !== count) problems.push(`${key.replace('\t', ' ')}: expected ${count} rows, found ${counts.get(key)}`);
  }
  for (const key of found.keys()) if (!truth.has(key)) problems.push(`${key.replace('\t', ' ')}: not in the data`);
  return problems;
}

function main(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-ledger-bench-'));
  try {
    console.log(`${ROWS.toLocaleString('en')} transactions, ${PARTNERS} partners x ${PRODUCTS} products, ${CURRENCIES.join('/')}; ${PINNED ? 'pinned to one core (taskset -c 0)' : 'not pinned (no taskset)'}`);
    const generated = generate(dir);
    const profile = path.join(dir, 'profile.json');
    writeFileSync(
      profile,
      JSON.stringify(BENCH_CSV_PROFILE),
    );
    const journal = writeJournal(path.join(dir, 'out.journal'), generated.rows, ROWS);
    const sampleJournal = writeJournal(path.join(dir, 'sample.journal'), generated.rows, HLEDGER_SAMPLE_ROWS);
    const pythonScript = path.join(dir, 'sum.py');
    writeFileSync(pythonScript, PYTHON_SCRIPT);
    const out = path.join(dir, 'stdout.txt');

    // The files just written (~300 MB) are flushed to disk first, so no tool is timed while the kernel writes them back.
    if (existsSync('/usr/bin/sync') || existsSync('/bin/sync')) spawnSync('sync');
    // Warm-up on the small file (the first run may bundle the CLI), then best of three.
    ours(generated.sampleCsv, profile, out, 1);
    const ourRun = ours(generated.csv, profile, out, 3);
    const ourSums = new Map([...ourRun.balances].map(([key, value]) => [key, value.sum]));
    const ourCounts = new Map([...ourRun.balances].map(([key, value]) => [key, value.count]));

    // Best of several runs for every tool, as for ours: on a shared machine one run can be slow for reasons of its own.
    const pythonRun = best(Array.from({ length: 3 }, () => run('python3', [pythonScript, generated.csv], out)));
    const pythonBalances = new Map(pythonRun.stdout.split('\n').filter(Boolean).map((line) => line.split('\t')).map(([p, c, , s]) => [`${p}\t${c}`, s as string]));

    const ledgerFormat = '%(account)\t%(quantity(scrub(display_total)))\t%(commodity(scrub(display_total)))\n';
    const ledgerRun = best(Array.from({ length: LEDGER_RUNS }, () => run('ledger', ['-f', journal, 'balance', '--flat', '--no-total', '--balance-format', ledgerFormat], out)));

    const hledgerArgs = (file: string): string[] => ['-f', file, 'balance', '--flat', '--layout=bare', '-O', 'csv', '--no-total'];
    const hledgerSample = run('hledger', hledgerArgs(sampleJournal), out);
    const predictedS = (hledgerSample.wallS * ROWS) / HLEDGER_SAMPLE_ROWS;
    const hledgerWhole = predictedS <= HLEDGER_BUDGET_S;
    const hledgerRun = hledgerWhole ? run('hledger', hledgerArgs(journal), out) : hledgerSample;
    const ourSample = hledgerWhole ? null : ours(generated.sampleCsv, profile, out, 3);

    const results = [
      { tool: 'settledesk import', rows: ROWS, run: ourRun.run, problems: disagreements(generated.truth, ourSums, ourCounts), versus: ourRun.run.wallS },
      { tool: 'python3 + Decimal', rows: ROWS, run: pythonRun, problems: disagreements(generated.truth, pythonBalances), versus: ourRun.run.wallS },
      { tool: 'ledger bal', rows: ROWS, run: ledgerRun, problems: disagreements(generated.truth, partnerSums(ledgerLines(ledgerRun.stdout))), versus: ourRun.run.wallS },
      {
        tool: 'hledger bal',
        rows: hledgerWhole ? ROWS : HLEDGER_SAMPLE_ROWS,
        run: hledgerRun,
        problems: disagreements(hledgerWhole ? generated.truth : generated.sampleTruth, partnerSums(hledgerLines(hledgerRun.stdout))),
        versus: ourSample?.run.wallS ?? ourRun.run.wallS,
      },
    ];
    if (ourSample !== null) {
      const sampleSums = new Map([...ourSample.balances].map(([key, value]) => [key, value.sum]));
      results.push({ tool: 'settledesk import', rows: HLEDGER_SAMPLE_ROWS, run: ourSample.run, problems: disagreements(generated.sampleTruth, sampleSums), versus: ourSample.run.wallS });
      console.log(`hledger on the first ${HLEDGER_SAMPLE_ROWS.toLocaleString('en')} transactions only: ${hledgerSample.wallS.toFixed(1)} s there predicts ~${predictedS.toFixed(0)} s for all ${ROWS.toLocaleString('en')} (over ${HLEDGER_BUDGET_S} s); its ratio is against our import of the same rows.`);
    }
    console.log('');
    console.log(`${'tool'.padEnd(20)} ${'rows'.padStart(10)} ${'wall s'.padStart(8)} ${'peak RSS'.padStart(9)} ${'x ours'.padStart(8)}  balances (${[...generated.truth.keys()].length} partner/currency pairs)`);
    for (const result of results) {
      const ratio = result.run.wallS / result.versus;
      const rss = result.run.peakRssMb === null ? '-' : `${result.run.peakRssMb.toFixed(0)} MB`;
      const agreement = result.problems.length === 0 ? 'all agree to the cent' : `${result.problems.length} DISAGREE, e.g. ${result.problems[0]}`;
      console.log(`${result.tool.padEnd(20)} ${result.rows.toLocaleString('en').padStart(10)} ${result.run.wallS.toFixed(2).padStart(8)} ${rss.padStart(9)} ${ratio.toFixed(1).padStart(8)}  ${agreement}`);
    }
    const ledgerRatio = ledgerRun.wallS / ourRun.run.wallS;
    const fasterThanPython = ourRun.run.wallS < pythonRun.wallS;
    console.log('');
    console.log(`target: >= ${LEDGER_TARGET_RATIO}x ledger: ${ledgerRatio.toFixed(1)}x ${ledgerRatio >= LEDGER_TARGET_RATIO ? 'met' : 'NOT met'}; faster than Python: ${fasterThanPython ? 'yes' : 'NO'} (${ourRun.run.wallS.toFixed(2)} s vs ${pythonRun.wallS.toFixed(2)} s)`);
    if (results.some((result) => result.problems.length > 0)) console.error('balances disagree');
    // A missed target fails the bench as a wrong balance does, so `npm run bench` never reports it as met.
    if (results.some((result) => result.problems.length > 0) || ledgerRatio < LEDGER_TARGET_RATIO || !fasterThanPython) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
