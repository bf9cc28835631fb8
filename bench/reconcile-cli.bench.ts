/**
 * The whole `settledesk reconcile` command at the scale users have: 100,000 bank lines
 * (camt.053, ten files), a Stripe export of 1,000,000 rows and an internal ledger of 1,000,000
 * rows (reconcile-files.ts), run as a user runs it, in a child process pinned to one core
 * (taskset), once with --json to a file and once as text. Wall time and peak RSS come from
 * GNU time (/usr/bin/time); CPU time is printed too, since a shared machine inflates wall time.
 * Targets: <= 20 s wall and <= 1.5 GB peak RSS per run. The JSON run must end in a complete
 * document (its summary is read back from the file's end) with every payout, and the text run
 * must print its capped table. The in-memory matcher alone is reconcile.bench.ts.
 * Run: npx tsx bench/reconcile-cli.bench.ts [payouts]   (default 100000; files cached in the temp dir)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeReconcileFiles, type ReconcileFiles } from './reconcile-files.ts';

const PAYOUTS = Number(process.argv[2] ?? 100_000);
const SEED = 20260301;
const WALL_MS_MAX = 20_000;
const PEAK_RSS_MB_MAX = 1536;
const TAIL_BYTES = 64 * 1024;

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(tmpdir(), `settledesk-reconcile-cli-${SEED}-${PAYOUTS}`);
const manifestFile = path.join(dir, 'manifest.json');

function files(): ReconcileFiles {
  if (existsSync(manifestFile)) return JSON.parse(readFileSync(manifestFile, 'utf8')) as ReconcileFiles;
  rmSync(dir, { recursive: true, force: true });
  const written = writeReconcileFiles(dir, PAYOUTS, SEED);
  writeFileSync(manifestFile, JSON.stringify(written));
  return written;
}

interface Measured {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly status: number | null;
  readonly stderr: string;
}

/** Runs the command on one core under GNU time, stdout to `outFile`. */
function measure(args: readonly string[], outFile: string): Measured {
  const timeFile = `${outFile}.time`;
  const out = openSync(outFile, 'w');
  const started = performance.now();
  const result = spawnSync('taskset', ['-c', '0', '/usr/bin/time', '-o', timeFile, '-f', '%e %U %S %M', process.execPath, path.join(root, 'bin', 'settledesk.js'), ...args], {
    cwd: root,
    stdio: ['ignore', out, 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, SETTLEDESK_PSEUDONYM_KEY: 'bench-key' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  closeSync(out);
  const [, user, system, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  return { wallMs, cpuMs: ((user ?? 0) + (system ?? 0)) * 1000, peakRssMb: (rssKb ?? 0) / 1024, status: result.status, stderr: result.stderr };
}

function tailOf(file: string): string {
  const fd = openSync(file, 'r');
  const size = fstatSync(fd).size;
  const buffer = Buffer.alloc(Math.min(TAIL_BYTES, size));
  readSync(fd, buffer, 0, buffer.length, size - buffer.length);
  closeSync(fd);
  return buffer.toString('utf8');
}

function report(name: string, run: Measured): boolean {
  const ok = run.wallMs <= WALL_MS_MAX && run.peakRssMb <= PEAK_RSS_MB_MAX;
  console.log(`${name}: ${(run.wallMs / 1000).toFixed(1)} s wall, ${(run.cpuMs / 1000).toFixed(1)} s CPU, peak RSS ${run.peakRssMb.toFixed(0)} MB, exit ${run.status} (targets ${WALL_MS_MAX / 1000} s, ${PEAK_RSS_MB_MAX} MB)${ok ? '' : ' MISSED'}`);
  if (run.status !== 0 && run.status !== 1) console.error(run.stderr.slice(-2000));
  return ok && (run.status === 0 || run.status === 1);
}

const input = files();
console.log(`reconcile (whole command): ${input.bankLines} bank lines (camt.053), ${input.pspRows} Stripe rows, ${input.ledgerRows} ledger rows; files in ${dir}`);
const args = ['reconcile', '--bank', input.bankDir, '--psp', input.pspFile, '--ledger', input.ledgerFile];
const jsonFile = path.join(dir, 'out.json');
const json = measure([...args, '--json'], jsonFile);
let ok = report('--json', json);
// The document's last member is the summary: found in its tail without reading 1 GB back.
const summaryText = /"summary": (\{[^}]*\})\s*\}\s*$/.exec(tailOf(jsonFile))?.[1];
const summary = summaryText === undefined ? null : (JSON.parse(summaryText) as { groups: number; pspPayouts: number; unmatchedBank: number });
console.log(`--json summary: ${summaryText ?? 'MISSING (document incomplete)'}`);
if (summary === null || summary.pspPayouts !== input.bankLines || summary.unmatchedBank !== input.bankLines - input.payoutCredits) {
  console.error(`FAILED: expected ${input.bankLines} payouts and ${input.bankLines - input.payoutCredits} unmatched bank lines in the summary`);
  ok = false;
}
const textFile = path.join(dir, 'out.txt');
const text = measure(args, textFile);
ok = report('text', text) && ok;
const printed = readFileSync(textFile, 'utf8');
if (!printed.includes('more groups whose amounts differ')) {
  console.error('FAILED: the text table is not capped with a summary line');
  ok = false;
}
console.log(`text output: ${printed.split('\n').length} lines`);
if (!ok) process.exitCode = 1;
