/**
 * End to end, as a user runs it: a ~100 MB CSV of one month's transactions (1,000 partners x 50
 * products) to statements with `settledesk settle`, as a whole process. Prints wall time, the
 * rows and the peak resident memory (from /usr/bin/time when present, else unknown).
 * Run: npx tsx bench/settlement-e2e.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_CSV_HEADER, BENCH_CSV_PROFILE } from './support/bench-csv.ts';

const TARGET_BYTES = 100 * 1024 * 1024;
const PARTNERS = 1000;
const PRODUCTS = 50;
const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-e2e-'));
const csv = path.join(dir, 'month.csv');

/** A seeded xorshift PRNG: the same file every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function writeCsv(): number {
  const random = prng(20260331);
  const descriptor = openSync(csv, 'w');
  let written = 0;
  let rows = 0;
  let chunk = [BENCH_CSV_HEADER];
  while (written < TARGET_BYTES) {
    const refund = random() < 0.05;
    const cents = Math.floor(random() * 20_000) + 99;
    const amount = `${refund ? '-' : ''}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const day = String(Math.floor(random() * 31) + 1).padStart(2, '0');
    chunk.push(`ch_${rows},2026-03-${day},${refund ? 'refund' : 'sale'},${amount},EUR,studio-${Math.floor(random() * PARTNERS)},game-${Math.floor(random() * PRODUCTS)},app`);
    rows++;
    if (chunk.length >= 50_000) {
      written += writeSync(descriptor, `${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  writeSync(descriptor, `${chunk.join('\n')}\n`);
  closeSync(descriptor);
  return rows;
}

const rows = writeCsv();
const profile = path.join(dir, 'profile.json');
writeFileSync(
  profile,
  JSON.stringify(BENCH_CSV_PROFILE),
);
const agreements = path.join(dir, 'agreements.json');
writeFileSync(
  agreements,
  JSON.stringify(
    Array.from({ length: PARTNERS }, (_, index) => ({
      agreementId: `AGR-${index}`,
      partnerId: `studio-${index}`,
      version: 1,
      effectiveFrom: '2026-01-01',
      effectiveTo: null,
      partnerJurisdiction: 'NL',
      settlementCurrency: 'EUR',
      terms: { share: { rate: '70' } },
    })),
  ),
);

const args = [path.resolve('bin/settledesk.js'), 'settle', '--agreements', agreements, '--transactions', csv, '--profile', profile, '--period', '2026-03', '--json'];
const timed = existsSync('/usr/bin/time');
const started = performance.now();
const result = timed
  ? spawnSync('/usr/bin/time', ['-v', process.execPath, '--max-old-space-size=16384', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  : spawnSync(process.execPath, ['--max-old-space-size=16384', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const seconds = (performance.now() - started) / 1000;
const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr ?? '');
const report = JSON.parse(result.stdout) as { statements: unknown[]; exceptions: unknown[] };
console.log(`CSV ${(statSync(csv).size / 1024 / 1024).toFixed(1)} MiB, ${rows.toLocaleString('en')} rows -> ${report.statements.length} statements, ${report.exceptions.length} exceptions`);
console.log(`settledesk settle end to end: ${seconds.toFixed(2)} s wall, ${Math.round(rows / seconds).toLocaleString('en')} rows/s, peak RSS ${peak === null ? 'unknown' : `${(Number(peak[1]) / 1024).toFixed(0)} MiB`}`);
if (result.status !== 0 || report.statements.length !== PARTNERS) process.exitCode = 1;
