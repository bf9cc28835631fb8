import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
/**
 * CSV import throughput: parse + normalize 1,000,000 generated rows in memory on one core
 * (target: 1,000,000 rows/s), one-shot and streamed in 1 MiB chunks, then the pipeline's id
 * derivation (SHA-256 per row) measured separately. Run: npx tsx bench/csv-import.bench.ts
 */
import type { ImportContext, ParseOutput } from '../core/ingest/importer.ts';
import { finalizeImport } from '../core/ingest/pipeline.ts';
import { parseCsvProfile } from '../core/importers/csv-profile.ts';
import { createCsvImportStream } from '../core/importers/csv-stream.ts';
import { CsvScanImport } from '../core/importers/csv-scan.ts';
import { parseWithProfile } from '../core/importers/csv.ts';
import { BENCH_CSV_HEADER, BENCH_CSV_PROFILE } from './support/bench-csv.ts';

const ROWS = 1_000_000;
const context: ImportContext = { fileName: 'bench.csv', sha256: '0'.repeat(64), pseudonymize: (id) => id };

const profile = parseCsvProfile(BENCH_CSV_PROFILE);

function generate(quoted: boolean): string {
  const parts: string[] = [BENCH_CSV_HEADER];
  for (let index = 0; index < ROWS; index++) {
    const day = String((index % 28) + 1).padStart(2, '0');
    const cents = String(index % 100).padStart(2, '0');
    const amount = index % 10 === 0 ? `-${index % 500}.${cents}` : `${index % 5000}.${cents}`;
    const product = quoted && index % 10 === 0 ? '"game, deluxe"' : `game-${index % 40}`;
    parts.push(`ch_${index},2026-03-${day},${index % 10 === 0 ? 'refund' : 'sale'},${amount},EUR,studio-${index % 25},${product},app`);
  }
  return parts.join('\n') + '\n';
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Best of three runs after a warm-up. Reports wall time and this process's CPU time: on a shared
 * machine the wall clock also counts other processes, CPU time is what one core spent on us.
 */
/** Returns the best rows/s of CPU time. */
function measure(label: string, run: () => number): number {
  // A full collection first: what an earlier case left in the heap must not be collected on this one's time.
  collectGarbage();
  run();
  let best = { wallSeconds: Infinity, cpuSeconds: Infinity, rows: 0 };
  for (let attempt = 0; attempt < 3; attempt++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const rows = run();
    const wallSeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (cpuSeconds < best.cpuSeconds) best = { wallSeconds, cpuSeconds, rows };
  }
  const rate = (seconds: number): string => Math.round(best.rows / seconds).toLocaleString('en');
  console.log(`${label.padEnd(48)} ${best.rows.toLocaleString('en')} rows: ${rate(best.cpuSeconds)} rows/s CPU (${best.cpuSeconds.toFixed(3)} s), ${rate(best.wallSeconds)} rows/s wall`);
  return best.rows / best.cpuSeconds;
}

function streamed(text: string): number {
  let rows = 0;
  const stream = createCsvImportStream(profile, context, { onBatch: (batch) => (rows += batch.entries.length + batch.rejected.length) }, 1_000);
  const chunkChars = 1 << 20;
  for (let at = 0; at < text.length; at += chunkChars) stream.push(text.slice(at, at + chunkChars));
  stream.end();
  return rows;
}

/** The CLI's path: bytes in 1 MiB chunks through the byte scanner (papaparse only for rows it cannot take). */
function scanned(bytes: Uint8Array): number {
  let rows = 0;
  const count = () => {
    rows++;
  };
  const scan = new CsvScanImport(profile, context, 'utf-8', { scanned: count, entry: count, reject: count });
  const chunkBytes = 1 << 20;
  for (let at = 0; at < bytes.length; at += chunkBytes) scan.push(bytes.subarray(at, at + chunkBytes));
  scan.end();
  return rows;
}

function oneShot(text: string): ParseOutput {
  const output = parseWithProfile(text, context, profile);
  if (output.rejected.length !== 0) throw new Error(`unexpected rejection: ${JSON.stringify(output.rejected[0])}`);
  return output;
}

const TARGET_ROWS_PER_SECOND = 1_000_000;
const rates: { label: string; rowsPerSecond: number }[] = [];
for (const quoted of [false, true]) {
  const text = generate(quoted);
  const tag = quoted ? 'quoted fields' : 'no quotes';
  console.log(`-- ${tag}: ${(text.length / 1e6).toFixed(1)} MB of text`);
  // Streaming first, while no million-entry result sits in the heap to slow the collector.
  const bytes = new TextEncoder().encode(text);
  rates.push({ label: `byte scanner (${tag})`, rowsPerSecond: measure(`byte scanner, 1 MiB chunks (settledesk import)`, () => scanned(bytes)) });
  rates.push({ label: `papaparse stream (${tag})`, rowsPerSecond: measure(`streamed, 1 MiB chunks, batches of 1,000 consumed`, () => streamed(text)) });
  measure(`one-shot, all 1,000,000 entries kept`, () => oneShot(text).rowsRead);
  if (!quoted) {
    const output = oneShot(text);
    measure('finalizeImport: SHA-256 id per row (comparison)', () => finalizeImport(output, context, 'csv', text.length).transactions.length);
  }
}

// The target is for the path `settledesk import` takes: the byte scanner (papaparse shown for comparison).
const verdicts = rates.filter((rate) => rate.label.startsWith('byte scanner'));
for (const { label, rowsPerSecond } of verdicts) {
  console.log(`target ${TARGET_ROWS_PER_SECOND.toLocaleString('en')} rows/s parse+normalize, ${label}: ${rowsPerSecond >= TARGET_ROWS_PER_SECOND ? 'met' : 'NOT met'} (${Math.round(rowsPerSecond).toLocaleString('en')} rows/s)`);
}
if (verdicts.some((rate) => rate.rowsPerSecond < TARGET_ROWS_PER_SECOND)) process.exitCode = 1;
