/**
 * The whole `settledesk reconcile` command at the scale users have: 100,000 bank lines
 * (camt.053, ten files), a Stripe export of 1,000,000 rows and an internal ledger of 1,000,000
 * rows (reconcile-files.ts), run as a user runs it, in a child process pinned to one core
 * (taskset), once with --json to a file and once as text. Wall time and peak RSS come from
 * GNU time (/usr/bin/time); CPU time is printed too, since a shared machine inflates wall time.
 * Targets: <= 20 s wall and <= 1.5 GB peak RSS per run. The JSON run must end in a complete
 * document (its summary is read back from the file's end) with every payout and the bank lines
 * the generator's construction predicts unmatched (checkBankLines), and the text run must print
 * its capped table. The in-memory matcher alone is reconcile.bench.ts.
 * Run: npx tsx bench/reconcile-cli.bench.ts [payouts]   (default 100000; files cached in the temp dir)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { cachedReconcileFiles, reconcileFilesDir, type ReconcileFiles } from './reconcile-files.ts';

const PAYOUTS = Number(process.argv[2] ?? 100_000);
const SEED = 20260301;
const WALL_MS_MAX = 20_000;
const PEAK_RSS_MB_MAX = 1536;
const TAIL_BYTES = 64 * 1024;

const root = path.resolve(import.meta.dirname, '..');
const dir = reconcileFilesDir(PAYOUTS, SEED);

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

/** The bank lines (by their payout b, from the reference BR<b> in the line's id) named in each part of the --json document. */
interface BankLinesNamed {
  readonly grouped: Uint8Array;
  readonly suggested: Uint8Array;
  readonly unmatched: Uint8Array;
}

const BANK_REFERENCE = /\|BR(\d+)"/g;

/**
 * Reads the --json document line by line (a group, a suggestion or an id list per line, never the
 * whole 600 MB at once) and marks the bank lines each top-level member names.
 */
function bankLinesNamed(file: string, payouts: number): BankLinesNamed {
  const named: BankLinesNamed = { grouped: new Uint8Array(payouts), suggested: new Uint8Array(payouts), unmatched: new Uint8Array(payouts) };
  const parts: Record<string, Uint8Array | undefined> = { groups: named.grouped, suggestions: named.suggested, unmatched: named.unmatched };
  let marks: Uint8Array | undefined;
  const readLine = (line: string): void => {
    const member = /^ {2}"(\w+)":/.exec(line)?.[1];
    if (member !== undefined) marks = parts[member];
    if (marks === undefined || !line.includes('|BR')) return;
    for (const match of line.matchAll(BANK_REFERENCE)) marks[Number(match[1])] = 1;
  };
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(8 << 20);
  let carry = '';
  for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
    const lines = (carry + buffer.toString('utf8', 0, read)).split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) readLine(line);
  }
  readLine(carry);
  closeSync(fd);
  return named;
}

/**
 * What the generator built decides the counts (reconcile-files.ts): each of the 95 % payout
 * credits is grouped, or suggested where its payout ties with another (equal amounts, dates in the
 * window, no reference: a tie is never matched); the 5 % unrelated credits are never grouped. So
 * unmatchedBank = unrelated credits + payout credits that are only suggested, and a payout credit
 * found nowhere is a failure.
 */
function checkBankLines(input: ReconcileFiles, named: BankLinesNamed, unmatchedBank: number): string[] {
  const unrelated = new Uint8Array(input.bankLines);
  for (const payout of input.unrelatedCredits) unrelated[payout] = 1;
  let suggestedOnly = 0;
  let lost = 0;
  let unrelatedGrouped = 0;
  let unmatchedListed = 0;
  let unmatchedWrong = 0;
  for (let payout = 0; payout < input.bankLines; payout++) {
    const grouped = named.grouped[payout] === 1;
    if (named.unmatched[payout] === 1) {
      unmatchedListed++;
      if (grouped || (unrelated[payout] === 0 && named.suggested[payout] === 0)) unmatchedWrong++;
    }
    if (unrelated[payout] === 1) {
      if (grouped) unrelatedGrouped++;
    } else if (!grouped) {
      if (named.suggested[payout] === 1) suggestedOnly++;
      else lost++;
    }
  }
  const expected = input.unrelatedCredits.length + suggestedOnly;
  console.log(`bank lines: ${input.unrelatedCredits.length} unrelated + ${suggestedOnly} payout credits left to suggestions (ties) = ${expected} expected unmatched; summary says ${unmatchedBank}, the list names ${unmatchedListed}`);
  const problems: string[] = [];
  if (unmatchedBank !== expected || unmatchedListed !== expected) problems.push(`expected ${expected} unmatched bank lines (summary ${unmatchedBank}, listed ${unmatchedListed})`);
  if (lost > 0) problems.push(`${lost} payout credits neither grouped nor suggested`);
  if (unrelatedGrouped > 0) problems.push(`${unrelatedGrouped} unrelated credits grouped`);
  if (unmatchedWrong > 0) problems.push(`${unmatchedWrong} unmatched bank lines that are grouped, or payout credits listed unmatched without a suggestion`);
  return problems;
}

const input = cachedReconcileFiles(PAYOUTS, SEED);
console.log(`reconcile (whole command): ${input.bankLines} bank lines (camt.053), ${input.pspRows} Stripe rows, ${input.ledgerRows} ledger rows; files in ${dir}`);
const args = ['reconcile', '--bank', input.bankDir, '--psp', input.pspFile, '--ledger', input.ledgerFile];
const jsonFile = path.join(dir, 'out.json');
const json = measure([...args, '--json'], jsonFile);
let ok = report('--json', json);
// The document's last member is the summary: found in its tail without reading 1 GB back.
const summaryText = /"summary": (\{[^}]*\})\s*\}\s*$/.exec(tailOf(jsonFile))?.[1];
const summary = summaryText === undefined ? null : (JSON.parse(summaryText) as { groups: number; pspPayouts: number; unmatchedBank: number });
console.log(`--json summary: ${summaryText ?? 'MISSING (document incomplete)'}`);
const problems = summary === null ? ['no summary'] : checkBankLines(input, bankLinesNamed(jsonFile, input.bankLines), summary.unmatchedBank);
if (summary !== null && summary.pspPayouts !== input.bankLines) problems.push(`expected ${input.bankLines} payouts, the summary says ${summary.pspPayouts}`);
if (problems.length > 0) {
  console.error(`FAILED: ${problems.join('; ')}`);
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
